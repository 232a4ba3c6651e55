"""The network diagram: neurons in named columns, weighted edges, and its animations."""

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Arrow, Brace, Circle, FadeIn, Line,
                   ManimColor, ReplacementTransform, ShowPassingFlash, VGroup, interpolate_color)

from .labels import Label, Number
from .theme import Theme

MAX_SHOWN = 8  # a wider layer collapses to its first and last neurons around a ⋮
BOUNDED = {"sigmoid", "softmax", "tanh"}  # activations whose |a| never exceeds 1


def shown_neurons(n: int, max_shown: int = MAX_SHOWN) -> list[int]:
    """Indices of the neurons drawn for a layer of `n`; a wide layer keeps its ends."""
    if n <= max_shown:
        return list(range(n))
    top = max_shown // 2
    bottom = max_shown - top - 1  # one slot goes to the ⋮
    return list(range(top)) + list(range(n - bottom, n))


def layer_names(count: int) -> list[str]:
    hidden = count - 2
    names = ["Hidden layer"] if hidden == 1 else [f"Hidden layer {k + 1}" for k in range(hidden)]
    return ["Input layer", *names, "Output layer"]


class NetworkDiagram(VGroup):
    """Neurons as circles in columns, layers named below, edges as lines.

    `neurons[l][j]` is the circle of neuron j of layer l (the input layer is 0) when it
    is drawn; `edges[l][(j, i)]` is the line of weight `W[l][j][i]`; `columns[l]` holds a
    layer's circles and collapse marks, `names[l]` its name, `labels[l]` the story labels
    of the input and output layers. Value labels are separate scene mobjects, kept in
    `values[l][j]`, so they can be replaced without splitting this group.
    """

    def __init__(self, layers, theme: Theme, input_labels=None, output_labels=None,
                 width=8.0, height=4.6):
        super().__init__()
        self.layers = list(layers)
        self.theme = theme
        last = len(self.layers) - 1
        self.shown = [shown_neurons(n) for n in self.layers]
        slots = max(len(s) + (n > len(s)) for s, n in zip(self.shown, self.layers))
        gap = min(height / slots, 1.15)
        self.radius = min(0.42, gap * 0.42)

        self.labels: list[dict[int, Label]] = [{} for _ in self.layers]
        for l, names in ((0, input_labels), (last, output_labels)):
            for j in self.shown[l] if names else []:
                self.labels[l][j] = self._text(names[j], theme.text)
        label_width = [max((m.width + buff for m in self.labels[l].values()), default=0)
                       for l, buff in ((0, 0.25), (last, 0.6))]
        xs = np.linspace(-width / 2 + label_width[0] + self.radius,
                         width / 2 - label_width[1] - self.radius, len(self.layers))

        self.neurons: list[dict[int, Circle]] = []
        self.columns: list[VGroup] = []
        for l, (n, shown) in enumerate(zip(self.layers, self.shown)):
            collapsed = n > len(shown)
            ys = (np.arange(len(shown) + collapsed)[::-1] - (len(shown) + collapsed - 1) / 2) * gap
            dots_slot = (len(shown) + 1) // 2
            neuron_ys = np.delete(ys, dots_slot) if collapsed else ys
            column = {j: Circle(radius=self.radius, stroke_color=theme.neuron_stroke,
                                stroke_width=3, fill_color=theme.neuron_fill, fill_opacity=0)
                      .move_to([xs[l], y, 0]) for j, y in zip(shown, neuron_ys)}
            self.neurons.append(column)
            group = VGroup(*column.values())
            if collapsed:
                side = LEFT if l == last else RIGHT
                brace = Brace(VGroup(*column.values()), side, color=theme.muted, buff=0.08)
                group.add(self._text("⋮", theme.muted).move_to([xs[l], ys[dots_slot], 0]),
                          brace, self._text(str(n), theme.muted).next_to(brace, side, buff=0.08))
            self.columns.append(group)

        self.edges: list[dict[tuple[int, int], Line]] = [
            {(j, i): Line(self.neurons[l][i].get_center(), self.neurons[l + 1][j].get_center(),
                          buff=self.radius, stroke_color=theme.muted, stroke_width=2)
             for j in self.shown[l + 1] for i in self.shown[l]}
            for l in range(last)
        ]

        bottom = min(column.get_bottom()[1] for column in self.columns)
        self.names = [VGroup(*(self._text(word, theme.muted) for word in name.split(" ", 1)))
                      .arrange(DOWN, buff=0.1) for name in layer_names(len(self.layers))]
        # Names share one size, small enough that neighbours never touch.
        shrink = min(1.0, 0.9 * (xs[1] - xs[0]) / max(name.width for name in self.names))
        for x, name in zip(xs, self.names):
            name.scale(shrink).next_to([x, bottom, 0], DOWN, buff=0.25)
        for l, direction in ((0, LEFT), (last, RIGHT)):
            for j, label in self.labels[l].items():
                # Output labels leave room for the nudge arrows drawn right of the neurons.
                label.next_to(self.neurons[l][j], direction, buff=0.55 if l else 0.2)
        self.values: list[dict[int, Number]] = [{} for _ in self.layers]

        self.edge_group = VGroup(*(e for layer in self.edges for e in layer.values()))
        self.add(self.edge_group, *(self.layer_parts(l) for l in range(len(self.layers))))

    def _text(self, words: str, color) -> Label:
        return Label(words, self.theme, self.theme.label_size, color)

    def layer_parts(self, l: int) -> VGroup:
        """Layer `l` without its edges: circles, collapse marks, name and story labels."""
        return VGroup(self.columns[l], self.names[l], *self.labels[l].values())

    # -- styling -----------------------------------------------------------------------

    def edge_style(self, l: int, values: np.ndarray, positive=None, negative=None) -> dict:
        """Colour per edge of weight layer `l` by the sign of `values[j][i]`, width by size."""
        positive = positive or self.theme.positive
        negative = negative or self.theme.negative
        scale = max(np.abs(values).max(), 1e-12)
        return {key: (positive if values[key] >= 0 else negative,
                      1.0 + 6.0 * abs(values[key]) / scale)
                for key in self.edges[l]}

    def color_edges(self, l: int, values: np.ndarray, **colors) -> None:
        """Style the edges of weight layer `l` by `values` at once."""
        for key, (color, width) in self.edge_style(l, values, **colors).items():
            self.edges[l][key].set_stroke(color=color, width=width)

    def restyle_edges(self, l: int, values: np.ndarray, **colors) -> AnimationGroup:
        """Animate the edges of weight layer `l` to the colours and widths of `values`."""
        return AnimationGroup(*(
            self.edges[l][key].animate.set_stroke(color=color, width=width, opacity=1.0)
            for key, (color, width) in self.edge_style(l, values, **colors).items()
        ))

    def neuron_fill(self, values: np.ndarray, activation: str) -> list[tuple]:
        """(colour, opacity) per neuron: brighter for larger |a|, orange when negative."""
        scale = 1.0 if activation in BOUNDED else max(np.abs(values).max(), 1e-12)
        return [(self.theme.neuron_fill if a >= 0 else self.theme.negative,
                 0.85 * min(abs(a) / scale, 1.0)) for a in values]

    def text_color_on(self, fill) -> str:
        """The theme's text or background colour, whichever stands out more on `fill`
        ((colour, opacity) over the background)."""
        color, opacity = fill
        shown = interpolate_color(ManimColor(self.theme.background), ManimColor(color), opacity)
        return max((self.theme.text, self.theme.background),
                   key=lambda c: abs(_luminance(c) - _luminance(shown)))

    def value_label(self, l: int, j: int, value: float, fill: tuple) -> Number:
        """A number sized to sit inside neuron (l, j), readable on its `fill`."""
        label = Number(value, self.theme,
                       color=self.text_color_on(fill))
        if label.width > 1.7 * self.radius:
            # Too wide for the circle: text with an outline in the background colour
            # reads both on the fill and on the background beyond the rim.
            label = Number(value, self.theme, color=self.theme.text)
            label.set_stroke(self.theme.background, width=5, background=True)
            label.scale_to_fit_width(min(label.width, 2.4 * self.radius))
        return label.move_to(self.neurons[l][j])

    # -- values on neurons -------------------------------------------------------------

    def set_layer(self, l: int, values: np.ndarray, activation: str) -> list[Number]:
        """Fill layer `l` with `values` at once; returns the new labels for the scene to add."""
        fills = self.neuron_fill(values, activation)
        for j, circle in self.neurons[l].items():
            circle.set_fill(*fills[j])
            self.values[l][j] = self.value_label(l, j, values[j], fills[j])
        return list(self.values[l].values())

    def fill_layer(self, l: int, values: np.ndarray, activation: str,
                   neurons=None) -> AnimationGroup:
        """Neurons of layer `l` (or just `neurons`) fill with their activation and show it."""
        fills = self.neuron_fill(values, activation)
        animations = []
        for j in self.neurons[l] if neurons is None else neurons:
            label = self.value_label(l, j, values[j], fills[j])
            old = self.values[l].get(j)
            self.values[l][j] = label
            animations.append(self.neurons[l][j].animate.set_fill(*fills[j]))
            animations.append(ReplacementTransform(old, label) if old else FadeIn(label))
        return AnimationGroup(*animations)

    def nudges(self, l: int, gradients: np.ndarray) -> VGroup:
        """Arrows beside layer `l`'s neurons: which way each activation should move.

        Up where the gradient is negative, down where it is positive, longer for larger
        |gradient|, in the gradient colour.
        """
        scale = max(np.abs(gradients).max(), 1e-12)
        arrows = VGroup()
        for j, circle in self.neurons[l].items():
            g = gradients[j]
            length = self.radius * (0.7 + 1.1 * abs(g) / scale)
            direction = UP if g < 0 else DOWN
            start = circle.get_right() + 0.18 * RIGHT - direction * length / 2
            arrows.add(Arrow(start, start + direction * length, buff=0, color=self.theme.gradient,
                             stroke_width=5, max_tip_length_to_length_ratio=0.35))
        return arrows

    # -- animations --------------------------------------------------------------------

    def pulse(self, l: int, backward: bool = False, lines=None, color=None) -> AnimationGroup:
        """Flashes travel along the edges of weight layer `l` (or `lines`), either way."""
        color = color or self.theme.pulse
        flashes = []
        for line in self.edges[l].values() if lines is None else lines:
            start, end = line.get_start(), line.get_end()
            path = Line(end, start) if backward else Line(start, end)
            path.set_stroke(color=color, width=max(line.get_stroke_width(), 2) + 3)
            flashes.append(ShowPassingFlash(path, time_width=0.5))
        return AnimationGroup(*flashes)


def _luminance(color) -> float:
    return float(np.dot(ManimColor(color).to_rgb(), [0.2126, 0.7152, 0.0722]))
