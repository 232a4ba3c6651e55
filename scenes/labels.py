"""Text on screen: labels, numbers and formulas.

Every displayed number is a `Number` (or part of a `Formula`) that keeps the exact float
it shows, rounded the same way everywhere, so tests can check that what is on screen is
what the engine computed.
"""

from collections.abc import Sequence

from manim import MathTypst, Text

from .theme import Theme

MINUS = "\u2212"


def fmt(x: float) -> str:
    """Two decimals, or two significant digits for magnitudes below 0.1."""
    x = float(x) + 0.0  # turns -0.0 into 0.0
    if x == 0 or abs(x) >= 0.095:
        text = f"{x:.2f}"
    elif abs(x) >= 1e-4:
        text = f"{x:.2g}"
    else:
        text = f"{x:.1e}"
    return "0.00" if text in ("-0.00", "0.00") else text


def forget_svg_paths(mobject):
    """Drop the parsed SVG path Manim keeps on every glyph after building its points.

    Nothing reads it again, but every copy (each Transform and FadeIn makes some) would
    deep-copy it, which made text-heavy animations several times slower.
    """
    for part in mobject.get_family():
        if getattr(part, "path_obj", None) is not None:
            part.path_obj = None
    return mobject


class Label(Text):
    """Plain text in the theme's font (default: body size, text colour), light to copy."""

    def __init__(self, text: str, theme: Theme, size: float | None = None, color=None,
                 **kwargs):
        super().__init__(text, font=theme.font, font_size=size or theme.body_size,
                         color=color or theme.text, **kwargs)
        forget_svg_paths(self)


class Number(Label):
    """A number rendered with `fmt`, remembering the exact `value` it shows."""

    def __init__(self, value: float, theme: Theme, size: float | None = None, color=None):
        self.value = float(value)
        super().__init__(fmt(value).replace("-", MINUS), theme, size or theme.number_size,
                         color)


def _math_number(value: float, after: str) -> str:
    """`value` in Typst math; negative numbers right after an operator get parentheses."""
    text = fmt(value)
    # Typst math would read "e" as a variable: write 1.2e-05 as 1.2 dot 10^(-5).
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa} dot 10^({int(exponent)})"
    bare = value >= 0 or after.rstrip() == "" or after.rstrip()[-1] in "=(["
    return text if bare else f"({text})"


class Formula(MathTypst):
    """Typst math built from text pieces and numbers: `Formula("z = ", 0.3, " dot ", x)`.

    Numbers are formatted with `fmt` (negative ones after an operator get parentheses)
    and kept, in order, in `values`.
    """

    def __init__(self, *pieces: str | float, **kwargs):
        self.values = [float(p) for p in pieces if not isinstance(p, str)]
        source = ""
        for piece in pieces:
            source += piece if isinstance(piece, str) else _math_number(piece, after=source)
        super().__init__(source, **kwargs)
        forget_svg_paths(self)


def number_values(mobjects: Sequence) -> list[float]:
    """Every number displayed by `mobjects` and their submobjects, in order."""
    found = []
    for mob in mobjects:
        for part in mob.get_family():
            if isinstance(part, Number):
                found.append(part.value)
            elif isinstance(part, Formula):
                found.extend(part.values)
    return found
