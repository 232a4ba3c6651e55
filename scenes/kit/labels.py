"""Text on screen: labels, numbers and formulas.

Every displayed number is a `Number` (or part of a `Formula`) that keeps the exact float
it shows and, when it came from the story's report, the report path it came from
(`Sourced`), so `storyboard` can say where each number comes from and tests can check it.
"""

import contextlib
import hashlib
import math
import os
import pickle
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from manim import ORIGIN, MathTypst, Text
from manim import __version__ as manim_version

from .compat import forget_svg_paths, texts_never_wrap
from .theme import Theme

MINUS = "\u2212"


class Sourced(float):
    """A float that remembers its path in the story's report, e.g. `samples[0].loss`."""

    source: str

    def __new__(cls, value: float, source: str):
        number = super().__new__(cls, value)
        number.source = source
        return number


def fmt(x: float, digits: int | None = None) -> str:
    """Two decimals, or two significant digits below 0.1; `digits` significant digits
    when given (0: a whole number). Never "-0.00"."""
    x = float(x) + 0.0  # turns -0.0 into 0.0
    if digits is not None and x == 0:
        text = f"{0:.{max(digits - 1, 0)}f}"
    elif digits is not None:
        decimals = max(0, digits - 1 - math.floor(math.log10(abs(x))))
        text = f"{x:.{decimals}f}" if decimals <= 8 else f"{x:.{digits - 1}e}"
    elif x == 0 or abs(x) >= 0.095:
        text = f"{x:.2f}"
    elif abs(x) >= 1e-4:
        text = f"{x:.2g}"
    else:
        text = f"{x:.1e}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def written(x: float, digits: int | None = None) -> str:
    """`x` as `fmt` writes it with `digits`, unless those digits only add zeros to how it
    is written by default (0.690 for 0.69): then as by default, so that a number reads
    alike in a formula and beside a neuron."""
    text, usual = fmt(x, digits), fmt(x)
    return usual if len(text) > len(usual) and float(text) == float(usual) else text


WRITINGS = (None, 2, 3, 4)   # a number's digits: fmt's own, or 2 to 4 significant


def digits_writing(pairs) -> int | None:
    """The first of WRITINGS with which `written` writes each (value, text) of `pairs` as
    its text (None also when none does)."""
    return next((d for d in WRITINGS if all(written(v, d) == t for v, t in pairs)), None)


def agreeing_digits(parts: Sequence[float], result: float,
                    combine: Callable[[list[float]], float], most: int = 4) -> int:
    """Significant digits for `parts` so that combining them as written gives `result` as
    written (`fmt(result)`): a product on screen equals its written result."""
    for digits in range(2, most + 1):
        if fmt(combine([float(fmt(p, digits)) for p in parts])) == fmt(result):
            return digits
    return most


def source_of(value) -> str | None:
    return getattr(value, "source", None)


_MADE: dict[tuple, object] = {}   # each text and formula made once per process, then copied
_KEPT_IN: list[Path] = []          # the folder they are also kept in, if any (`keep_made_in`)
KEPT_FORMAT = "1"                  # changes every kept file's name when their content does
texts_never_wrap()                 # so that a text is the same in every frame


def keep_made_in(folder: Path | None) -> None:
    """From now on, keep each text and formula made in `folder` too (a pickle each), and
    look there before making one: a render finds there what a dry run running ahead of
    it made (`backprop_cli.worker`), and what an earlier render made. None: stop."""
    _KEPT_IN[:] = [] if folder is None else [Path(folder)]


def _kept_file(key: tuple) -> Path | None:
    if not _KEPT_IN:
        return None
    name = hashlib.sha256(repr((KEPT_FORMAT, manim_version, key)).encode()).hexdigest()
    return _KEPT_IN[0] / f"{name[:32]}.pickle"


def _load_kept(key: tuple):
    path = _kept_file(key)
    try:
        return pickle.loads(path.read_bytes()) if path is not None else None
    except Exception:   # noqa: BLE001 -- missing, half-written elsewhere or damaged: make it
        return None


def _keep(key: tuple, pickled: bytes) -> None:
    path = _kept_file(key)
    if path is None:
        return
    with contextlib.suppress(OSError):   # a read-only or full cache: made again next time
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp", delete=False) as f:
            try:
                f.write(pickled)
                f.close()
                os.replace(f.name, path)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(f.name)   # left only when it was not renamed into place


def _make_once(mobject, key: tuple, make: Callable[[], None]) -> None:
    """Build `mobject` as a copy of the first one made (by calling `make`) with `key` in this
    process, or kept (`keep_made_in`): Manim parses an SVG for every text and formula, a
    tenth of a second or more, and a copy takes milliseconds. Attributes set before are
    kept. Every one is a copy of one unpickled, the first too, so that a text is built
    alike whether made or found, whatever the process made before: play cache keys see
    which of its parts (and strings) are one object."""
    made = _MADE.get(key)
    if made is None:
        made = _load_kept(key)
    if made is None:
        before = dict(vars(mobject))
        make()
        pickled = pickle.dumps(forget_svg_paths(mobject).copy(), pickle.HIGHEST_PROTOCOL)
        vars(mobject).clear()
        vars(mobject).update(before)
        _keep(key, pickled)
        made = pickle.loads(pickled)
    _MADE[key] = made
    for name, value in vars(made.copy()).items():
        vars(mobject).setdefault(name, value)


class Label(Text):
    """Plain text in the theme's font (default: body size, text colour), made once per
    process and then copied. Attributes a subclass set before are kept."""

    def __init__(self, text: str, theme: Theme, size: float | None = None, color=None,
                 **kwargs):
        style = dict(font=theme.font, font_size=size or theme.body_size,
                     color=color or theme.text, **kwargs)
        key = ("text", text, *((k, str(v)) for k, v in sorted(style.items())))
        _make_once(self, key, lambda: super(Label, self).__init__(text, **style))


def readable_size(theme: Theme) -> float:
    """The smallest font size of a number that is still readable (its digits at least
    `MIN_TEXT_HEIGHT` tall, with 2% to spare)."""
    from .layout import MIN_TEXT_HEIGHT
    return theme.number_size * 1.02 * MIN_TEXT_HEIGHT / Number(0.5, theme).height


class Number(Label):
    """A number rendered with `fmt`, remembering the exact `value` it shows and its
    `source` in the report."""

    def __init__(self, value: float, theme: Theme, size: float | None = None, color=None,
                 digits: int | None = None):
        self.value, self.source = float(value), source_of(value)
        self.shown = written(value, digits)
        super().__init__(self.shown.replace("-", MINUS), theme, size or theme.number_size,
                         color)

    def rewritten(self, text: str, theme: Theme, edge=ORIGIN) -> "Number":
        """The same number written as `text` (one of `written`'s ways, `WRITINGS`), at
        this one's font size, in its colours and rim, where it is (its `edge` kept: its
        centre by default)."""
        new = Number(Sourced(self.value, self.source), theme, self.font_size,
                     digits=digits_writing([(self.value, text)]))
        new.set_style(**self[0].get_style()).set_z_index(self.z_index)
        return new.move_to(self, aligned_edge=edge)


def _math_number(text: str, after: str) -> str:
    """A formatted number in Typst math; negative ones right after an operator get
    parentheses."""
    # Typst math would read "e" as a variable: write 1.2e-05 as 1.2 dot 10^(-5).
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa} dot 10^({int(exponent)})"
    bare = not text.startswith("-") or after.rstrip() == "" or after.rstrip()[-1] in "=(["
    return text if bare else f"({text})"


class Formula(MathTypst):
    """Typst math built from text pieces and numbers: `Formula("z = ", 0.3, " dot ", x)`.

    Numbers are formatted with `fmt` (with `digits` significant digits when given; negative
    ones after an operator get parentheses) and kept, in order, in `numbers` as
    (value, text shown, source). Made once per process and then copied, like `Label`.
    """

    def __init__(self, *pieces: str | float, digits: int | None = None, **kwargs):
        self.numbers = [(float(p), written(p, digits), source_of(p))
                        for p in pieces if not isinstance(p, str)]
        source = ""
        for piece in pieces:
            source += piece if isinstance(piece, str) else _math_number(
                written(piece, digits), after=source)
        self.typst = source
        key = ("typst", source, *((k, str(v)) for k, v in sorted(kwargs.items())))
        _make_once(self, key, lambda: super(Formula, self).__init__(source, **kwargs))

    @property
    def values(self) -> list[float]:
        return [value for value, _, _ in self.numbers]


def split_formula(formula: Formula, at: str, **style) -> list[Formula]:
    """A formula without numbers cut before each `at` outside brackets (at " + ",
    "z = w_1 a_1 + w_2 a_2" gives "z = w_1 a_1" and "+ w_2 a_2"), each piece a formula in
    `style`, to flow over lines; a formula with numbers stays whole."""
    if formula.numbers:
        return [formula]
    source, pieces, depth, start, k = formula.typst, [], 0, 0, 0
    while k < len(source):
        if source[k] in "([{":
            depth += 1
        elif source[k] in ")]}":
            depth -= 1
        elif depth == 0 and source.startswith(at, k):
            pieces.append(source[start:k])
            start = k = k + 1
            continue
        k += 1
    return [Formula(piece, **style) for piece in [*pieces, source[start:]]]


def shown_numbers(mobjects: Sequence) -> list[tuple[float, str, str | None]]:
    """(value, text, source) of every number displayed by `mobjects` and their parts."""
    found = []
    for mob in mobjects:
        for part in mob.get_family():
            if isinstance(part, Number):
                found.append((part.value, part.shown, part.source))
            elif isinstance(part, Formula):
                found.extend(part.numbers)
    return found
