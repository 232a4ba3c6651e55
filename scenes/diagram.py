"""The network diagram: neurons in named columns, weighted edges, and its animations."""

import numpy as np
from manim import (LEFT, RIGHT, AnimationGroup, Brace, Circle, FadeIn, Line, ManimColor,
                   ReplacementTransform, ShowPassingFlash, Text, VGroup, interpolate_color)

from .numbers import Number
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

    `neurons[l][j]` is the circle of neuron j in layer l (input layer is 0) when it is
    drawn; `edges[l][(j, i)]` is the line of weight `W[l][j][i]`. Value labels placed
    with `show_values` are kept in `values[l][j]`.
    """

    def __init__(self, layers, theme: Theme, input_labels=None, output_labels=None,
                 width=8.0, height=5.2):
        super().__init__()
        self.layers = list(layers)
        self.theme = theme
        self.shown = [shown_neurons(n) for n in self.layers]
        slots = max(len(s) + (n > len(s)) for s, n in zip(self.shown, self.layers))
        gap = min(height / slots, 1.15)
        self.radius = min(0.42, gap * 0.4)

        side_labels = [self._side_labels(input_labels, 0, RIGHT),
                       self._side_labels(output_labels, len(layers) - 1, LEFT)]
        label_width = [max((m.width for m in labels), default=0) for labels in side_labels]
        left = -width / 2 + label_width[0] + (0.25 if label_width[0] else 0) + self.radius
        right = width / 2 - label_width[1] - (0.25 if label_width[1] else 0) - self.radius
        xs = np.linspace(left, right, len(layers))

        self.neurons: list[dict[int, Circle]] = []
        self.collapsed = VGroup()
        for l, (n, shown) in enumerate(zip(self.layers, self.shown)):
            count = len(shown) + (n > len(shown))
            ys = (np.arange(count)[::-1] - (count - 1) / 2) * gap
            if n > len(shown):  # the ⋮ takes the slot after the top neurons
                dots_y = ys[len(shown) // 2 + len(shown) % 2]
                ys = np.delete(ys, len(shown) // 2 + len(shown) % 2)
            column = {}
            for j, y in zip(shown, ys):
                column[j] = Circle(radius=self.radius, stroke_color=theme.neuron_stroke,
                                   stroke_width=3, fill_color=theme.neuron_fill,
                                   fill_opacity=0).move_to([xs[l], y, 0])
            self.neurons.append(column)
            if n > len(shown):
                dots = Text("⋮", font=theme.font, font_size=theme.label_size,
                            color=theme.muted).move_to([xs[l], dots_y, 0])
                side = LEFT if l == len(layers) - 1 else RIGHT
                brace = Brace(VGroup(*column.values()), side, color=theme.muted, buff=0.08)
                size = Text(str(n), font=theme.font, font_size=theme.label_size,
                            color=theme.muted).next_to(brace, side, buff=0.08)
                self.collapsed.add(VGroup(dots, brace, size))

        self.edges: list[dict[tuple[int, int], Line]] = []
        for l in range(len(layers) - 1):
            self.edges.append({
                (j, i): Line(self.neurons[l][i].get_center(), self.neurons[l + 1][j].get_center(),
                             buff=self.radius, stroke_color=theme.muted, stroke_width=2)
                for j in self.shown[l + 1] for i in self.shown[l]
            })

        bottom = min(c.get_bottom()[1] for column in self.neurons for c in column.values())
        self.names = VGroup(*(
            Text(name, font=theme.font, font_size=theme.label_size, color=theme.muted)
            .move_to([xs[l], bottom - 0.4, 0])
            for l, name in enumerate(layer_names(len(layers)))
        ))
        for labels, column, direction in zip(side_labels, (self.neurons[0], self.neurons[-1]),
                                             (LEFT, RIGHT)):
            for j, label in labels.items():
                label.next_to(column[j], direction, buff=0.2)
        self.side_labels = VGroup(*side_labels[0].values(), *side_labels[1].values())
        self.input_label_map, self.output_label_map = side_labels
        self.values: list[dict[int, Number]] = [{} for _ in self.layers]

        self.edge_group = VGroup(*(e for layer in self.edges for e in layer.values()))
        self.neuron_group = VGroup(*(c for column in self.neurons for c in column.values()))
        self.add(self.edge_group, self.neuron_group, self.collapsed, self.names, self.side_labels)

    def _side_labels(self, names, layer, _direction) -> dict[int, Text]:
        if not names:
            return {}
        return {j: Text(names[j], font=self.theme.font, font_size=self.theme.label_size,
                        color=self.theme.text)
                for j in shown_neurons(self.layers[layer])}

    # -- styling -----------------------------------------------------------------------

    def edge_style(self, l: int, values: np.ndarray, positive=None, negative=None):
        """Colour each edge of weight layer `l` by the sign of `values[j][i]`, width by size."""
        positive = positive or self.theme.positive
        negative = negative or self.theme.negative
        scale = max(np.abs(values).max(), 1e-12)
        return {key: dict(color=positive if values[key] >= 0 else negative,
                          width=1.0 + 6.0 * abs(values[key]) / scale)
                for key in self.edges[l]}

    def color_edges(self, l: int, values: np.ndarray, **colors) -> None:
        for key, style in self.edge_style(l, values, **colors).items():
            self.edges[l][key].set_stroke(color=style["color"], width=style["width"])

    def restyle_edges(self, l: int, values: np.ndarray, **colors) -> AnimationGroup:
        """Animate the edges of weight layer `l` to the colours and widths of `values`."""
        return AnimationGroup(*(
            self.edges[l][key].animate.set_stroke(color=style["color"], width=style["width"])
            for key, style in self.edge_style(l, values, **colors).items()
        ))

    def neuron_fill(self, values: np.ndarray, activation: str) -> list[tuple]:
        """(colour, opacity) per neuron: brighter for larger |a|, orange when negative."""
        scale = 1.0 if activation in BOUNDED else max(np.abs(values).max(), 1e-12)
        return [(self.theme.neuron_fill if a >= 0 else self.theme.negative,
                 0.85 * min(abs(a) / scale, 1.0)) for a in values]

    def number_color(self, opacity: float) -> ManimColor:
        """Text colour that stays readable on a neuron filled to `opacity`."""
        return interpolate_color(ManimColor(self.theme.text), ManimColor(self.theme.background),
                                 1.0 if opacity > 0.45 else 0.0)

    def value_label(self, l: int, j: int, value: float, opacity: float = 0.0) -> Number:
        """A number sized to sit inside neuron (l, j)."""
        label = Number(value, font=self.theme.font, font_size=self.theme.number_size,
                       color=self.number_color(opacity))
        if label.width > 1.7 * self.radius:
            label.scale_to_fit_width(1.7 * self.radius)
        return label.move_to(self.neurons[l][j])

    # -- animations --------------------------------------------------------------------

    def fill_layer(self, l: int, values: np.ndarray, activation: str) -> AnimationGroup:
        """Neurons of layer `l` fill with their activation and show its value."""
        animations = []
        for j, (color, opacity) in enumerate(self.neuron_fill(values, activation)):
            if j not in self.neurons[l]:
                continue
            label = self.value_label(l, j, values[j], opacity)
            old = self.values[l].get(j)
            self.values[l][j] = label
            animations.append(self.neurons[l][j].animate.set_fill(color, opacity))
            animations.append(ReplacementTransform(old, label) if old else FadeIn(label))
        return AnimationGroup(*animations)

    def pulse(self, l: int, backward: bool = False, color=None, run_time: float = 1.0):
        """Flashes travel along the edges of weight layer `l`, forward or backward."""
        color = color or self.theme.pulse
        flashes = []
        for line in self.edges[l].values():
            start, end = line.get_start(), line.get_end()
            path = Line(end, start) if backward else Line(start, end)
            path.set_stroke(color=color, width=max(line.get_stroke_width(), 2) + 3)
            flashes.append(ShowPassingFlash(path, time_width=0.5))
        return AnimationGroup(*flashes, run_time=run_time)
