"""The network diagram: neurons in named columns, weighted edges, and its animations."""

import itertools
import math

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, Arrow, BackgroundRectangle,
                   Circle, FadeIn, Line, ManimColor, ReplacementTransform, ShowPassingFlash,
                   VectorizedPoint, VGroup, interpolate_color)

from .labels import Label, Number, Sourced, digits_writing, readable_size
from .layout import MIN_TEXT_HEIGHT
from .theme import Theme

MAX_SHOWN = 8  # slots of a column at most: a wider layer keeps its ends around a ⋮
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
WIDE_NUMBER = -0.057   # a wide small value (two significant digits), for numbers above
NUMBER_GAP = 0.12      # the least space between numbers of neighbouring columns
SMALL_RADIUS = 0.12    # neurons are drawn no smaller while fewer of them fit
FEWEST_SLOTS = 3       # a column shows at least its first and last neuron around a ⋮
HALF_SLOT = 0.5        # the stagger of neighbouring columns with two lanes of numbers
LABEL_GAP = 0.08       # the least space between neighbouring story labels
NUMBER_ROOM = 0.3      # height left between neurons for a number above one
MIN_RADIUS = 0.08
TYPICAL_RADIUS = 0.3   # for the room the names get, before the radius is known
SHORT_GAP = 0.6        # below this height per neuron, layer names take one short line


def shown_neurons(n: int, slots: int = MAX_SHOWN, keep=()) -> list[int]:
    """Indices of the neurons drawn for a layer of `n` in a column of `slots` (each run of
    neurons left out takes a slot, for its ⋮): all when they fit (or one more: a ⋮
    never stands for a single neuron), else both ends, the
    neurons in `keep`, and as many more from the ends inward as fit."""
    if n <= slots + 1:   # a ⋮ stands for two neurons or more
        return list(range(n))
    chosen = {0, n - 1} | {k for k in keep if 0 <= k < n}
    inward = [k for pair in zip(range(1, n), range(n - 2, 0, -1)) for k in pair]
    for k in dict.fromkeys(inward):   # 1, n-2, 2, n-3, ...
        if column_slots(sorted(chosen | {k})) > slots:
            break
        chosen.add(k)
    return sorted(chosen)


def column_slots(shown: list[int]) -> int:
    """Slots a column of the sorted neuron indices `shown` takes: one per neuron and one
    per run of neurons left out between them."""
    return len(shown) + sum(b > a + 1 for a, b in zip(shown, shown[1:]))


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
    just above them; where neighbouring columns are too close for their numbers to sit
    side by side (`lanes` 2), the columns are staggered by half a slot.

    A column shows as many neurons as leave each a readable label and a number; a wider
    layer keeps its first and last neurons and those in `keep` ({layer: indices}, the
    ones the story follows), with a ⋮ for each run left out. `output_room` is the space
    right of the output neurons kept free before their labels (nudge arrows, numbers).
    A diagram that never shows numbers (`numbers` false) keeps no room for them.
    """

    def __init__(self, layers, theme: Theme, input_labels=None, output_labels=None,
                 width=8.0, height=4.6, keep=None, output_room=OUTPUT_LABEL_BUFF,
                 numbers: bool = True):
        super().__init__()
        self.layers = list(layers)
        self.theme = theme
        self.output_room = output_room
        self.numbers = numbers
        last = len(self.layers) - 1
        words = {0: input_labels, last: output_labels}
        label_width, staggered, slots = self._choose_neurons(words, width, height, keep or {})
        names_height = max(name.height for name in self.names) * (1 + 1.2 * staggered) + NAME_BUFF
        room = height - names_height
        self.numbers_inside, self.lanes = True, 0
        gap = room / slots
        self.radius, margin = self._plan(width, gap, label_width)
        if numbers and self.number_size(WIDEST_NUMBER) is None:   # numbers above the neurons
            self.numbers_inside = False
            self.lanes = self._lanes(width, label_width)
            gap = (room - NUMBER_ROOM) / (slots + HALF_SLOT * (self.lanes == 2))
            self.radius, margin = self._plan(width, gap, label_width)
        xs = np.linspace(-width / 2 + margin[0], width / 2 - margin[1], len(self.layers))
        top = height / 2 - (0 if self.numbers_inside else NUMBER_ROOM) - gap / 2

        self.neurons: list[dict[int, Circle]] = []
        self.columns: list[VGroup] = []
        span = (slots - 1 + HALF_SLOT * (self.lanes == 2)) * gap   # the fullest column's
        for l, offset in enumerate(self._offsets(slots)):
            step = self._label_step(l, gap, span)
            if step > gap:   # spread out, centred, so that its story labels stay apart
                centre = (span - (column_slots(self.shown[l]) - 1) * step) / 2 / gap
                # Staggered columns keep their phase: numbers stay in their lanes.
                offset = offset + round(centre - offset) if self.lanes == 2 else centre
            self._add_column(l, xs[l], top - offset * gap, step)

        self.edges: list[dict[tuple[int, int], Line]] = [
            {(j, i): Line(self.neurons[l][i].get_center(), self.neurons[l + 1][j].get_center(),
                          buff=self.radius, stroke_color=theme.muted, stroke_width=2)
             for j in self.shown[l + 1] for i in self.shown[l]}
            for l in range(last)
        ]

        bottom = top - (slots - 1 + HALF_SLOT * (self.lanes == 2)) * gap - self.radius
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

    def _choose_neurons(self, words: dict, width: float, height: float, keep: dict):
        """Which neurons to draw (`shown`), their story `labels` and the layer `names`:
        as many neurons as leave each a readable label and room for a number, always
        those in `keep` ({layer: indices}); returns (label widths, names staggered, slots
        of the fullest column)."""
        most = MAX_SHOWN
        while True:
            self.shown = [shown_neurons(n, most, keep.get(l, ()))
                          for l, n in enumerate(self.layers)]
            slots = max(column_slots(s) for s in self.shown)
            self.labels = [{j: self._story_label(words[l][j], (height - 1.2) / slots)
                            for j in shown} if words.get(l) else {}
                           for l, shown in enumerate(self.shown)]
            label_width = [max((m.width for m in self.labels[l].values()), default=0)
                           for l in (0, -1)]
            self.names, staggered = self._names(self._columns_width(width, label_width),
                                                short=(height - 0.5) / slots < SHORT_GAP)
            names_height = (max(name.height for name in self.names) * (1 + 1.2 * staggered)
                            + NAME_BUFF)
            tallest = max((m.height for column in self.labels for m in column.values()),
                          default=0)
            lanes = self._lanes(width, label_width)
            least = max(tallest + LABEL_GAP, 2 * SMALL_RADIUS + NUMBER_ROOM, lanes * NUMBER_ROOM)
            if ((slots + HALF_SLOT * (lanes == 2)) * least <= height - names_height
                    or most <= FEWEST_SLOTS):
                return label_width, staggered, slots
            most = min(most, slots) - 1

    def _label_step(self, l: int, gap: float, span: float) -> float:
        """The distance between layer `l`'s neurons: the fullest column's `gap`, or more
        (within that column's `span`) when the layer's story labels need more; whole slots
        more when the columns are staggered."""
        count = column_slots(self.shown[l])
        if not self.labels[l] or count < 2:
            return gap
        need = max(label.height for label in self.labels[l].values()) + LABEL_GAP
        if self.lanes == 2:   # whole slots, so that the numbers stay in their lanes
            return gap * max(1, min(math.ceil(need / gap), int(span / gap / (count - 1))))
        return max(gap, min(need, span / (count - 1)))

    def _columns_width(self, width: float, label_width: list) -> float:
        """About how far apart the outer columns are in a diagram `width` wide whose
        story labels are `label_width` ([inputs', outputs'])."""
        return width - sum(label_width) - LABEL_BUFF - self.output_room - 2 * TYPICAL_RADIUS

    def _lanes(self, width: float, label_width: list) -> int:
        """Rows of numbers between neighbouring neurons: 1 when numbers above the neurons
        of neighbouring columns leave each other room, else 2 (neighbouring columns are
        staggered by half a slot, so their numbers take turns in height)."""
        pitch = self._columns_width(width, label_width) / max(len(self.layers) - 1, 1)
        widest = self._number(WIDE_NUMBER, self.readable_size).width
        return 1 if pitch >= widest + NUMBER_GAP or len(self.layers) < 2 else 2

    def _offsets(self, slots: int) -> list[float]:
        """How many slots each column starts below the top: centred, and with two lanes
        staggered, each half a slot off its neighbour (within a column of `slots` and a
        half)."""
        centred = [(slots - column_slots(shown)) / 2 for shown in self.shown]
        if self.lanes != 2:
            return centred
        offsets = []
        for centre in centred:
            phase = (offsets[-1] + HALF_SLOT) % 1 if offsets else centre % 1
            low, high = 0.0, 2 * centre + HALF_SLOT
            choices = [k + phase for k in range(-1, slots + 1) if low <= k + phase <= high]
            offsets.append(min(choices, key=lambda o: abs(o - centre - HALF_SLOT / 2)))
        return offsets

    def _add_column(self, l: int, x: float, top: float, gap: float) -> None:
        """Layer `l`'s circles from `top` down, `gap` apart, and a ⋮ for each run of
        neurons left out."""
        theme, shown = self.theme, self.shown[l]
        column, dots, y = {}, [], top
        for previous, j in zip([-1, *shown], shown):
            if j > previous + 1:   # neurons left out: a ⋮ in their slot
                dots.append(self._dots(x, y, gap))
                y -= gap
            column[j] = Circle(radius=self.radius, stroke_color=theme.neuron_stroke,
                               stroke_width=3, fill_color=theme.neuron_fill,
                               fill_opacity=0).move_to([x, y, 0])
            y -= gap
        self.neurons.append(column)
        self.columns.append(VGroup(*column.values(), *dots))

    def _dots(self, x: float, y: float, gap: float) -> Label:
        """A ⋮ at (x, y), between the neuron above, the neuron below and its number."""
        low = y - gap + self.radius + (0 if self.numbers_inside else NUMBER_ROOM)
        high = y + gap - self.radius
        dots = self._text("⋮", self.theme.muted)
        return dots.scale(min(1.0, 0.8 * (high - low) / dots.height)).move_to(
            [x, (low + high) / 2, 0])

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

    def _plan(self, width, gap, label_width) -> tuple[float, list]:
        """(radius, [left, right] margins to the outer columns' centres) of neurons `gap`
        apart in a column, as large as that and `width` allow (leaving room for a
        number between neighbours when numbers go above their neurons)."""
        above = not self.numbers_inside
        radius = min(MAX_RADIUS, RADIUS_SHARE * gap,
                     (gap - NUMBER_ROOM) / 2 if above else MAX_RADIUS)
        for _ in range(2):  # the margins depend on the radius, the radius on the margins
            # Numbers above the outer columns' neurons reach past them: labels keep clear.
            clear = self._number(WIDEST_NUMBER, self.readable_size).width / 2 + 0.1 - radius
            buffs = [max(LABEL_BUFF, clear), max(self.output_room, clear)] if above else [
                LABEL_BUFF, self.output_room]
            margin = [max(label_width[0] + buffs[0] + radius, self.names[0].width / 2),
                      max(label_width[1] + buffs[1] + radius, self.names[-1].width / 2)]
            pitch = (width - sum(margin)) / max(len(self.layers) - 1, 1)
            radius = min(radius, COLUMN_SHARE * pitch)
        self.label_buffs = buffs
        return max(radius, MIN_RADIUS), margin

    def _names(self, room: float, short: bool) -> tuple[list[VGroup], bool]:
        """The layers' names, one size for all, and whether they alternate between two
        rows: the first way that fits `room` (the width for all columns) at a readable
        size, of long names on two lines ("Hidden" / "layer 1") and short ones on one
        ("Hidden 1"), in one row or two (long names in two rows take the most height,
        so they come last); short names first for a diagram with little height
        (`short`); the sizes of layers not drawn whole ("Hidden 1 (32)") when they fit."""
        ways = [(False, False), (True, False), (True, True), (False, True)]
        if short:
            ways = [(True, False), (True, True), (False, False), (False, True)]
        if len(self.layers) <= 2:
            ways = [way for way in ways if not way[1]]
        pitch = room / max(len(self.layers) - 1, 1)
        for sized, (is_short, staggered) in itertools.product((True, False), ways):
            words = layer_names(len(self.layers), is_short)
            names = [VGroup(*(self._text(word, self.theme.muted)
                              for word in ([name] if is_short else name.split(" ", 1))))
                     .arrange(DOWN, buff=0.1)
                     for name in (self._sized(words) if sized else words)]
            widest = max(name.width for name in names)
            least = MIN_TEXT_HEIGHT * 1.05 / min(word.height for name in names for word in name)
            shrink = min(1.0, ((2 if staggered else 1) * pitch - NAME_GAP) / widest)
            if shrink >= least:
                break
        for name in names:
            name.scale(max(shrink, least))
        return names, staggered

    def _sized(self, names: list[str]) -> list[str]:
        """`names` with the size of each layer not drawn whole: "Hidden 1 (32)"."""
        return [f"{name} ({n})" if len(shown) < n else name
                for name, n, shown in zip(names, self.layers, self.shown)]

    def _text(self, words: str, color) -> Label:
        return Label(words, self.theme, self.theme.label_size, color)

    def layer_parts(self, l: int) -> VGroup:
        """Layer `l` without its edges: circles, ⋮ marks, name and story labels."""
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

    def _number(self, value: float, size: float | None = None, color=None,
                digits: int | None = None) -> Number:
        return Number(value, self.theme, size or self.theme.number_size, color, digits)

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
                    size: float | None = None, digits: int | None = None):
        """Neuron (l, j)'s number (with `digits`, as `Number` takes them): inside it at
        font `size` (readable on its `fill`; one too wide for the circle gets a rim of the
        other colour, to read where it reaches past the circle), or, with no size,
        just above it on a patch of the background that cuts the edges it covers."""
        circle = self.neurons[l][j]
        if size:
            color = self.text_color_on(fill)
            label = self._number(value, size, color, digits).move_to(circle)
            if label.width > INSIDE * self.radius:   # past the circle: a rim of the other
                rim = self.theme.background if color == self.theme.text else self.theme.text
                label.set_stroke(rim, width=5, background=True)
        else:
            number = self._number(value, self.readable_size, self.theme.text, digits)
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
        """Fill layer `l` with `values` at once (and, in a diagram with `numbers`, show
        them); returns the new labels for the scene to add."""
        fills, size = self.neuron_fill(values, activation), self.layer_size(l, values)
        for j, circle in self.neurons[l].items():
            circle.set_fill(*fills[j])
            if self.numbers:
                self.values[l][j] = self.value_label(l, j, values[j], fills[j], size)
        return list(self.values[l].values())

    def fill_layer(self, l: int, values: np.ndarray, activation: str,
                   neurons=None) -> AnimationGroup:
        """Neurons of layer `l` (or just `neurons`) fill with their activation and show it
        (in a diagram with `numbers`)."""
        fills, size = self.neuron_fill(values, activation), self.layer_size(l, values)
        animations = []
        for j in self.neurons[l] if neurons is None else neurons:
            animations.append(self.neurons[l][j].animate.set_fill(*fills[j]))
            if not self.numbers:
                continue
            label = self.value_label(l, j, values[j], fills[j], size)
            old = self.values[l].get(j)
            self.values[l][j] = label
            animations.append(ReplacementTransform(old, label) if old else FadeIn(label))
        return AnimationGroup(*animations)

    def rewrite(self, number: Number, text: str) -> list | None:
        """The animation writing `number` as `text` when it shows a neuron's value: the
        label that replaces it in `values` made as `value_label` makes it (as large, on
        the neuron's fill); None for any other number."""
        for l, layer in enumerate(self.values):
            for j, label in layer.items():
                if number in label.get_family():
                    circle = self.neurons[l][j]
                    layer[j] = self.value_label(
                        l, j, Sourced(number.value, number.source),
                        (circle.get_fill_color(), circle.get_fill_opacity()),
                        number.font_size if label is number else None,
                        digits_writing([(number.value, text)]))
                    return [ReplacementTransform(label, layer[j])]
        return None

    def centred_on_neuron(self, mobject) -> bool:
        """Whether `mobject` sits centred on a neuron, inside it or just above it."""
        return any(abs(mobject.get_x() - c.get_x()) < 1e-3
                   and abs(mobject.get_y() - c.get_y()) < self.radius + mobject.height
                   for layer in self.neurons for c in layer.values())

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
