"""The network diagram: neurons in named columns, weighted edges, and its animations."""

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Arrow, BackgroundRectangle, Brace,
                   Circle, FadeIn, Line, ManimColor, ReplacementTransform, ShowPassingFlash,
                   VectorizedPoint, VGroup, interpolate_color)

from .labels import Label, Number, readable_size
from .layout import MIN_TEXT_HEIGHT
from .theme import Theme

MAX_SHOWN = 8  # a wider layer collapses to its first and last neurons around a ⋮
BOUNDED = {"sigmoid", "softmax", "tanh"}  # activations whose |a| never exceeds 1
MAX_RADIUS = 0.62      # neurons stop growing here (a few neurons in a large box)
RADIUS_SHARE = 0.42    # radius / distance between neighbours in a column
COLUMN_SHARE = 0.3     # largest radius / distance between columns (edges stay visible)
NAME_GAP = 0.35        # the least space between neighbouring layer names
NAME_BUFF = 0.2
LABEL_BUFF = 0.2
OUTPUT_LABEL_BUFF = 0.55  # room for the nudge arrows right of the output neurons
LONG_LABEL = 1.6       # story labels wider than this go on two lines
INSIDE = 1.8           # a number inside a neuron is at most this many radii wide
NUMBER_GROWTH = 1.3    # numbers in large neurons grow up to this times the theme's size
WIDEST_NUMBER = -0.88  # the widest value most layers show (bounded, two decimals)
NUMBER_ROOM = 0.3      # height left between neurons for a number above one
MIN_RADIUS = 0.08
TYPICAL_RADIUS = 0.3   # for the room the names get, before the radius is known
SHORT_GAP = 0.6        # below this height per neuron, layer names take one short line


def shown_neurons(n: int, max_shown: int = MAX_SHOWN) -> list[int]:
    """Indices of the neurons drawn for a layer of `n`; a wide layer keeps its ends."""
    if n <= max_shown:
        return list(range(n))
    top = max_shown // 2
    bottom = max_shown - top - 1  # one slot goes to the ⋮
    return list(range(top)) + list(range(n - bottom, n))


def layer_names(count: int, short: bool = False) -> list[str]:
    """"Input layer", "Hidden layer 1", ..., "Output layer" (short: "Input", "Hidden 1")."""
    hidden = count - 2
    word = "Hidden" if short else "Hidden layer"
    names = [word] if hidden == 1 else [f"{word} {k + 1}" for k in range(hidden)]
    return (["Input", *names, "Output"] if short
            else ["Input layer", *names, "Output layer"])


class NetworkDiagram(VGroup):
    """Neurons as circles in columns, layers named below, edges as lines, as large as
    `width` x `height` allows.

    `neurons[l][j]` is the circle of neuron j of layer l (the input layer is 0) when it
    is drawn; `edges[l][(j, i)]` is the line of weight `W[l][j][i]`; `columns[l]` holds a
    layer's circles and collapse marks, `names[l]` its name, `labels[l]` the story labels
    of the input and output layers. Value labels are separate scene mobjects, kept in
    `values[l][j]`, so they can be replaced without splitting this group. Numbers sit
    inside their neurons when they fit there at a readable size (`numbers_inside`), else
    just above them.
    """

    def __init__(self, layers, theme: Theme, input_labels=None, output_labels=None,
                 width=8.0, height=4.6):
        super().__init__()
        self.layers = list(layers)
        self.theme = theme
        last = len(self.layers) - 1
        self.shown = [shown_neurons(n) for n in self.layers]
        slots = max(len(s) + (n > len(s)) for s, n in zip(self.shown, self.layers))

        self.labels: list[dict[int, Label]] = [{} for _ in self.layers]
        for l, names in ((0, input_labels), (last, output_labels)):
            for j in self.shown[l] if names else []:
                self.labels[l][j] = self._story_label(names[j], (height - 1.2) / slots)
        label_width = [max((m.width for m in self.labels[l].values()), default=0)
                       for l in (0, last)]
        self.names, staggered = self._names(width - sum(label_width) - LABEL_BUFF
                                            - OUTPUT_LABEL_BUFF - 2 * TYPICAL_RADIUS,
                                            short=(height - 0.5) / slots < SHORT_GAP)
        names_height = max(name.height for name in self.names) * (1 + 1.2 * staggered) + NAME_BUFF
        room = height - names_height
        self.numbers_inside = True
        gap = room / slots
        self.radius, margin = self._plan(width, gap, label_width, above=False)
        if self.number_size(WIDEST_NUMBER) is None:   # numbers go above the neurons
            self.numbers_inside = False
            gap = (room - NUMBER_ROOM) / slots
            self.radius, margin = self._plan(width, gap, label_width, above=True)
        xs = np.linspace(-width / 2 + margin[0], width / 2 - margin[1], len(self.layers))
        top = height / 2 - (0 if self.numbers_inside else NUMBER_ROOM) - gap / 2

        self.neurons: list[dict[int, Circle]] = []
        self.columns: list[VGroup] = []
        for l, (n, shown) in enumerate(zip(self.layers, self.shown)):
            collapsed = n > len(shown)
            count = len(shown) + collapsed
            ys = top - (slots - count) * gap / 2 - np.arange(count) * gap
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
                # Between the neuron above and the number above the neuron below.
                low = ys[dots_slot] - gap + self.radius + (0 if self.numbers_inside else NUMBER_ROOM)
                high = ys[dots_slot] + gap - self.radius
                dots = self._text("⋮", theme.muted)
                dots.scale(min(1.0, 0.8 * (high - low) / dots.height)).move_to([xs[l], (low + high) / 2, 0])
                group.add(dots,
                          brace, self._text(str(n), theme.muted).next_to(brace, side, buff=0.08))
            self.columns.append(group)

        self.edges: list[dict[tuple[int, int], Line]] = [
            {(j, i): Line(self.neurons[l][i].get_center(), self.neurons[l + 1][j].get_center(),
                          buff=self.radius, stroke_color=theme.muted, stroke_width=2)
             for j in self.shown[l + 1] for i in self.shown[l]}
            for l in range(last)
        ]

        bottom = top - (slots - 1) * gap - self.radius
        for l, (x, name) in enumerate(zip(xs, self.names)):
            name.next_to([x, bottom, 0], DOWN, buff=NAME_BUFF)
            if staggered and l % 2:
                name.shift(1.2 * name.height * DOWN)
        for l, direction in ((0, LEFT), (last, RIGHT)):
            for j, label in self.labels[l].items():
                # Output labels leave room for the nudge arrows right of the neurons.
                buff = self.label_buffs[bool(l)]
                label.next_to(self.neurons[l][j], direction, buff=buff)
        self.values: list[dict[int, Number]] = [{} for _ in self.layers]

        self.edge_group = VGroup(*(e for layer in self.edges for e in layer.values()))
        self.add(self.edge_group, *(self.layer_parts(l) for l in range(len(self.layers))))
        if not self.numbers_inside:   # the room of the numbers above the top neurons
            self.add(VectorizedPoint([0, height / 2, 0]))

    def _story_label(self, words: str, room: float) -> VGroup:
        """A story label (e.g. "pointy ears"), on two lines when it is long and two
        lines fit in `room` (about the height between neighbouring neurons)."""
        label = self._text(words, self.theme.text)
        if label.width > LONG_LABEL and " " in words:
            lines = VGroup(*(self._text(line, self.theme.text)
                             for line in _halves(words))).arrange(DOWN, buff=0.08)
            if lines.height < 0.9 * room:
                return lines
        return label

    def _plan(self, width, gap, label_width, above) -> tuple[float, list]:
        """(radius, [left, right] margins to the outer columns' centres) of neurons `gap`
        apart in a column, as large as that and `width` allow (leaving room for a
        number between neighbours when numbers go `above` their neurons)."""
        radius = min(MAX_RADIUS, RADIUS_SHARE * gap,
                     (gap - NUMBER_ROOM) / 2 if above else MAX_RADIUS)
        for _ in range(2):  # the margins depend on the radius, the radius on the margins
            # Numbers above the outer columns' neurons reach past them: labels keep clear.
            clear = self._number(WIDEST_NUMBER, self.readable_size).width / 2 + 0.1 - radius
            buffs = [max(LABEL_BUFF, clear), max(OUTPUT_LABEL_BUFF, clear)] if above else [
                LABEL_BUFF, OUTPUT_LABEL_BUFF]
            margin = [max(label_width[0] + buffs[0] + radius, self.names[0].width / 2),
                      max(label_width[1] + buffs[1] + radius, self.names[-1].width / 2)]
            pitch = (width - sum(margin)) / max(len(self.layers) - 1, 1)
            radius = min(radius, COLUMN_SHARE * pitch)
        self.label_buffs = buffs
        return max(radius, MIN_RADIUS), margin

    def _names(self, room: float, short: bool) -> tuple[list[VGroup], bool]:
        """The layers' names, one size for all, and whether they alternate between two
        rows: as large as fits `room` (the width for all columns), never below the
        smallest readable size; on two rows when one row would be smaller. `short`
        names take one line each ("Hidden 1"), for a diagram with little height."""
        names = [VGroup(*(self._text(word, self.theme.muted)
                          for word in ([name] if short else name.split(" ", 1))))
                 .arrange(DOWN, buff=0.1) for name in layer_names(len(self.layers), short)]
        widest = max(name.width for name in names)
        smallest = min(word.height for name in names for word in name)
        least = MIN_TEXT_HEIGHT * 1.05 / smallest
        pitch = room / max(len(names) - 1, 1)
        shrink = min(1.0, (pitch - NAME_GAP) / widest)
        staggered = shrink < least and len(names) > 2
        if staggered:
            shrink = min(1.0, (2 * pitch - NAME_GAP) / widest)
        for name in names:
            name.scale(max(shrink, least))
        return names, staggered

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
                   key=lambda c: _contrast(c, shown))

    def _number(self, value: float, size: float | None = None, color=None) -> Number:
        return Number(value, self.theme, size or self.theme.number_size, color)

    def number_size(self, value: float) -> float | None:
        """The font size at which `value` fills its neuron, or None when it would be
        smaller there than the smallest readable size."""
        probe = self._number(value)
        scale = min(NUMBER_GROWTH, INSIDE * self.radius / probe.width,
                    0.9 * self.radius / probe.height)
        return None if probe.height * scale < MIN_TEXT_HEIGHT else self.theme.number_size * scale

    @property
    def readable_size(self) -> float:
        """The smallest font size of a number that is still readable."""
        return readable_size(self.theme)

    def value_label(self, l: int, j: int, value: float, fill: tuple,
                    size: float | None = None):
        """Neuron (l, j)'s number: inside it at font `size` (readable on its `fill`; one
        too wide for the circle gets a rim of the background colour), or, with no size,
        just above it on a patch of the background that cuts the edges it covers."""
        circle = self.neurons[l][j]
        if size:
            label = self._number(value, size, self.text_color_on(fill)).move_to(circle)
            if label.width > INSIDE * self.radius:
                label.set_color(self.theme.text)
                label.set_stroke(self.theme.background, width=5, background=True)
        else:
            number = self._number(value, self.readable_size, self.theme.text)
            patch = BackgroundRectangle(number, color=self.theme.background, fill_opacity=1,
                                        buff=0.03)
            label = VGroup(patch, number).next_to(circle, UP, buff=0.03)
        return label.set_z_index(1)

    def layer_size(self, l: int, values) -> float | None:
        """One font size for the numbers of layer `l` inside their neurons (at least the
        readable size), or None when numbers go above the neurons."""
        if not self.numbers_inside:
            return None
        return min(self.number_size(values[j]) or self.readable_size for j in self.neurons[l])

    # -- values on neurons -------------------------------------------------------------

    def set_layer(self, l: int, values: np.ndarray, activation: str) -> list:
        """Fill layer `l` with `values` at once; returns the new labels for the scene to add."""
        fills, size = self.neuron_fill(values, activation), self.layer_size(l, values)
        for j, circle in self.neurons[l].items():
            circle.set_fill(*fills[j])
            self.values[l][j] = self.value_label(l, j, values[j], fills[j], size)
        return list(self.values[l].values())

    def fill_layer(self, l: int, values: np.ndarray, activation: str,
                   neurons=None) -> AnimationGroup:
        """Neurons of layer `l` (or just `neurons`) fill with their activation and show it."""
        fills, size = self.neuron_fill(values, activation), self.layer_size(l, values)
        animations = []
        for j in self.neurons[l] if neurons is None else neurons:
            label = self.value_label(l, j, values[j], fills[j], size)
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
            # Right of the neuron, or of its number when that sits beside it.
            right = max(circle.get_right()[0], self.values[l].get(j, circle).get_right()[0])
            start = np.array([right + 0.18, circle.get_y(), 0]) - direction * length / 2
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


def _halves(words: str) -> tuple[str, str]:
    """`words` split at the space nearest its middle."""
    spaces = [k for k, c in enumerate(words) if c == " "]
    k = min(spaces, key=lambda k: abs(2 * k - len(words)))
    return words[:k], words[k + 1:]


def _luminance(color) -> float:
    """Relative luminance (WCAG): linear light, weighted by the eye's sensitivity."""
    rgb = np.asarray(ManimColor(color).to_rgb(), dtype=float)
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    return float(np.dot(linear, [0.2126, 0.7152, 0.0722]))


def _contrast(a, b) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    la, lb = sorted((_luminance(a), _luminance(b)))
    return (lb + 0.05) / (la + 0.05)
