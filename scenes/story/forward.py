"""Part 2, the forward pass: the first picture comes in as numbers, one hidden neuron adds
up its weighted inputs and squashes the sum, every neuron does the same, layer by layer,
and the output's guess swings onto a meter.

Also what Part 3 shares with it: `meters` (the guess meters of a sample, truth hidden)
and `fly` (numbers moving into neurons that fill with them).
"""

from collections.abc import Callable
from typing import NamedTuple

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Axes, Create, DashedLine, Dot, FadeIn, FadeOut,
                   LaggedStart, MoveAlongPath, ReplacementTransform, VectorizedPoint, VGroup,
                   Write)

from backprop_core.activations import get_activation
from scenes.kit import formulas
from scenes.kit.base import Part, fitted_scale, reads_in
from scenes.kit.charts import GuessMeter, meter_mark, sample_picture
from scenes.kit.diagram import BOUNDED
from scenes.kit.formulas import ACTIVATION_SYMBOL
from scenes.kit.labels import Formula, Label, split_formula
from scenes.kit.layout import GAP, rows_within
from scenes.kit.theme import weight_keys

MAX_METERS = 4
METER_TRACK = 3.4     # length of a guess meter's track, when the panel has room
CURVE_SIZE = (3.6, 1.8)   # the activation's plot (axes), when the panel has room


def curve_scale(width: float, height: float) -> float:
    """How large a plot `width` x `height` is, as a share of CURVE_SIZE (at most 1)."""
    return min(1.0, width / CURVE_SIZE[0], height / CURVE_SIZE[1])


def activation_lines(name: str, z: float, a: float, count: int, **style) -> list[Formula]:
    """a = f(z) = f(z's value) = a's value (for softmax the neuron's share of its layer)
    on `count` lines (1 to 3), broken before an equals sign."""
    symbol = ACTIVATION_SYMBOL[name]
    steps = [[f"a = {symbol}(z)"], [f" = {symbol}(", z, ")"], [" = ", a]]
    groups = {1: [steps], 2: [steps[:1], steps[1:]], 3: [[step] for step in steps]}[count]
    return [Formula(*(piece for step in group for piece in step), **style) for group in groups]


def meter_range(part: Part) -> tuple[float, float]:
    """0 to 1 for outputs in [0, 1]; otherwise wide enough for every guess and target."""
    if part.cfg.network.activations[-1] in BOUNDED - {"tanh"}:
        return 0.0, 1.0
    values = np.concatenate([np.ravel(part.report["prediction"]), np.ravel(part.report["target"]),
                             [0.0, 1.0]])
    return float(np.floor(values.min())), float(np.ceil(values.max()))


def meters(part: Part, sample: int = 0, room: float | None = None,
           compact: bool = False) -> VGroup:
    """Guess meters of the outputs (the first MAX_METERS) for `sample`, at most `room`
    wide (shorter tracks, the same text size), `compact` ones if asked; show
    `guess_parts` first, the truth later."""
    low, high = meter_range(part)
    guesses = part.values(f"samples[{sample}].prediction")
    truths = part.values(f"samples[{sample}].target")

    def group(track: float) -> VGroup:
        made = VGroup(*(GuessMeter(part.cfg.output_labels[j], guesses[j], truths[j],
                                   part.theme, width=track, low=low, high=high,
                                   compact=compact)
                        for j in range(min(len(guesses), MAX_METERS))
                        )).arrange(DOWN, buff=0.2 if compact else 0.5)
        return align_tracks(made)
    made = group(METER_TRACK)
    if room is not None and made.width > room:
        made = group(max(METER_TRACK - (made.width - room), 1.0))
    return made


def align_tracks(meters):
    """`meters` (a column of GuessMeters) moved sideways so that their tracks stand under
    each other, the names right-aligned before them; returns `meters`."""
    start = max(meter.track.get_left()[0] for meter in meters)
    for meter in meters:
        meter.shift((start - meter.track.get_left()[0]) * RIGHT)
    return meters


MIN_TRACK = 0.7      # the shortest track a meter keeps (its dot and ring still apart)
# The ways meters show their numbers, in order of preference: compact ones with words,
# then with small markers instead (a key says once which is which), then markers in one
# row (one line tall), last without a key of their own (the legend names them then).
METER_STYLES = (dict(compact=True), dict(compact=True, words=False, key=True),
                dict(row=True, words=False, key=True), dict(compact=True, words=False),
                dict(row=True, words=False))


def marker_entries(way, theme) -> list[tuple]:
    """Legend entries naming a meter's markers (the dot: guess, the ring: truth) when
    the meters of `way` show them without words or a key of their own."""
    if not getattr(way, "marks_unnamed", False):
        return []
    return [(word, meter_mark(theme, word)) for word in ("guess", "truth")]


def meter_key(theme, size: float | None = None) -> VGroup:
    """"● guess  ○ truth": what a meter's markers mean, said once for meters without
    words."""
    size = size or theme.number_size
    return VGroup(*(VGroup(meter_mark(theme, word), Label(word, theme, size, theme.muted)
                           ).arrange(RIGHT, buff=0.1) for word in ("guess", "truth"))
                  ).arrange(RIGHT, buff=0.35)


class MeterWay(NamedTuple):
    """One way to show meters: its size, and `build()` making it (a VGroup of the meters,
    listed in its `.meters`, and the key if it has one, its `.key`, else None)."""

    width: float
    height: float
    build: Callable[[], VGroup]


def meter_layouts(make, count: int, room: float, shapes: dict | None = None,
                  track: float = METER_TRACK, buff: float = 0.2) -> list[MeterWay]:
    """Every way to show `count` meters at most `room` wide, their text at full size, in
    order of preference: each style of METER_STYLES with the names beside the tracks,
    then above them, in one column, then in more side by side (a shorter track where
    that makes it fit, never below MIN_TRACK). `make(track, **style)` makes the meters
    (GuessMeters) with a track that long. `shapes`, a dict kept by the caller, saves
    measuring the same meters again."""
    def arrange(track: float, style: dict, above: bool, columns: int) -> VGroup:
        style = dict(style)
        key = style.pop("key", False)
        made = make(track, **style)
        if above:
            for meter in made:
                meter.name_above()
        grid = VGroup(*made)
        if columns == 1:
            grid.arrange(DOWN, buff=buff, aligned_edge=LEFT)
            if not above:
                align_tracks(made)
        else:
            grid.arrange_in_grid(rows=-(-len(made) // columns), cols=columns,
                                 buff=(0.45, buff), flow_order="dr",
                                 col_alignments="l" * columns)
        way = VGroup(meter_key(made[0].theme), grid).arrange(
            DOWN, aligned_edge=LEFT, buff=buff) if key else VGroup(grid)
        way.meters, way.key = list(made), way[0] if key else None
        way.marks_unnamed = style.get("words") is False and not key   # the legend names them
        return way

    shapes = {} if shapes is None else shapes
    found = []
    for k, style in enumerate(METER_STYLES):
        for above in (False, True):
            for columns in range(1, count + 1):
                if (k, above, columns) not in shapes:   # its size at both track lengths
                    long, short = (arrange(t, style, above, columns) for t in (track, MIN_TRACK))
                    shapes[k, above, columns] = (long.width, short.width,
                                                 max(long.height, short.height))
                width, narrowest, height = shapes[k, above, columns]
                if narrowest > room:
                    continue
                # The width between the two, taken as linear in the track (never less).
                shorter = (track if width <= room else MIN_TRACK + (track - MIN_TRACK)
                           * (room - narrowest) / max(width - narrowest, 1e-9))
                found.append(MeterWay(min(width, room), height,
                                      lambda a=(shorter, style, above, columns): arrange(*a)))
    return found


def sample_meter_layouts(part: Part, sample: int, room: float) -> list[MeterWay]:
    """`meter_layouts` of the guess meters of `sample` (the first MAX_METERS outputs)."""
    low, high = meter_range(part)
    guesses = part.values(f"samples[{sample}].prediction")
    truths = part.values(f"samples[{sample}].target")
    count = min(len(guesses), MAX_METERS)

    def make(track: float, **style) -> list[GuessMeter]:
        return [GuessMeter(part.cfg.output_labels[j], guesses[j], truths[j], part.theme,
                           width=track, low=low, high=high, **style) for j in range(count)]
    shapes = vars(part).setdefault("_meter_shapes", {}).setdefault(sample, {})
    return meter_layouts(make, count, room, shapes)


def guess_parts(meter: GuessMeter) -> VGroup:
    """A meter without its truth: the track, its name, the guess and its number."""
    return VGroup(meter.track, meter.name, meter.guess, meter.guess_label)


def fly(part: Part, l: int, path: str, activation: str, sources: dict) -> list:
    """Animations: each mobject in `sources` (neuron index → mobject) moves into neuron j
    of layer `l` and becomes its value (from `path`), the neuron filling with it."""
    d = part.diagram
    values = part.values(path)
    fills, size = d.neuron_fill(values, activation), d.layer_size(l, values)
    animations = []
    for j, source in sources.items():
        label = d.value_label(l, j, values[j], fills[j], size)
        old = d.values[l].get(j)
        d.values[l][j] = label
        animations += [d.neurons[l][j].animate.set_fill(*fills[j]),
                       ReplacementTransform(source, label)]
        if old is not None:
            animations.append(FadeOut(old))
    return animations


class Forward(Part):
    """The cat's numbers go in; one neuron's sum and squash; every layer; the guess."""

    number = 2
    title = "The forward pass"
    heading = "The forward pass: making a guess"
    beats = ("inputs_enter", "weighted_sum", "activate", "whole_layer", "later_layers",
             "prediction")
    narration = {
        "inputs_enter": "The {sample} picture comes in as numbers: how strongly it shows "
                        "{inputs}. The weights are still random.",
        "weighted_sum": "Take one hidden neuron. Multiply each input by the weight of its "
                        "line, add them up, and add the bias: z = {z}.",
        "activate": "Then its activation function, {activation}, squashes the sum: z = {z} "
                    "gives a = {a}, and the neuron lights up that much.",
        "whole_layer": "Every neuron in the layer does the same, with its own weights.",
        "later_layers": "Layer by layer, the signal flows on to the output.",
        "prediction": "The output says {prediction} for {outputs}: that is the network's "
                      "guess.",
    }

    def numbers(self):
        j = self.report["focus"]["forward_neuron"]
        return {**super().numbers(), "activation": self.cfg.network.activations[0],
                "z": self.said(f"samples[0].layers[0].z[{j}]"),
                "a": self.said(f"samples[0].layers[0].a[{j}]")}

    def inputs_enter(self):
        self.set_heading()
        self.diagram = d = self.make_diagram()
        self.legend(*weight_keys(self.theme),
                    ("forward pass", self.theme.pulse))
        picture = sample_picture(self.cfg.sample_labels[0], self.theme, 1.6)
        rows = {j: VGroup(self.text(self.cfg.input_labels[j], self.theme.label_size,
                                    self.theme.muted),
                          self.numeral(f"samples[0].input[{j}]"))
                   .arrange(RIGHT, buff=0.2) for j in d.neurons[0]}
        self.card = self.card_panel(picture, list(rows.values()))
        self.play(FadeIn(d), FadeIn(picture, shift=0.3 * LEFT), run_time=0.8)
        step = max(0.6, (self.time_left() - 0.8) / 2)
        self.play(LaggedStart(*(FadeIn(row, shift=0.2 * LEFT) for row in rows.values()),
                              lag_ratio=0.4), run_time=step)
        self.play(*fly(self, 0, "samples[0].input", "linear",
                       {j: row[1] for j, row in rows.items()}),
                  FadeOut(VGroup(*(row[0] for row in rows.values()))), run_time=step)
        self.card = picture

    def card_panel(self, picture, rows: list) -> VGroup:
        """The picture and its input rows in the panel: the rows below the picture, or
        beside it where the panel is too low for that."""
        box = self.layout.panel
        below = VGroup(picture, *rows).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        if not reads_in(below, box):
            column = VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
            below = VGroup(picture, column).arrange(RIGHT, aligned_edge=UP, buff=GAP)
        return box.fit(below, UP + LEFT)

    def weighted_sum(self):
        d, j = self.diagram, self.report["focus"]["forward_neuron"]
        incoming = {i: line for (jj, i), line in d.edges[0].items() if jj == j}
        others = [line for (jj, _), line in d.edges[0].items() if jj != j]
        symbolic, terms, result = formulas.weighted_sum(
            self.values(f"layers[0].W[{j}]"), self.values("samples[0].input"),
            self.value(f"layers[0].b[{j}]"), self.value(f"samples[0].layers[0].z[{j}]"),
            **self.formula_style())
        self.sum_block = self.sum_panel(symbolic, terms, result)
        self.play(FadeOut(self.card), *(line.animate.set_stroke(opacity=0.15) for line in others),
                  d.neurons[1][j].animate.set_stroke(self.theme.highlight, width=5),
                  Write(VGroup(*self.sum_symbols)), run_time=1.0)
        step = max(0.6, (self.time_left() - 1.0) / (len(terms) + 1))
        for i, term in enumerate(terms):
            line = incoming.get(i) if i < len(terms) - 1 else None
            if line is not None:   # w·a starts beside its line, after a pulse along it
                start = term.copy().scale(0.6).move_to(line.get_center() + 0.25 * UP)
                self.play(d.pulse(0, lines=[line]), FadeIn(start), run_time=0.5 * step)
            else:                  # the bias (or an input not drawn) starts at the neuron
                start = term.copy().scale(0.6).next_to(d.neurons[1][j], UP, buff=0.1)
                self.play(FadeIn(start), run_time=0.5 * step)
            self.play(ReplacementTransform(start, term), run_time=0.5 * step)
        if not terms:
            self.play(d.pulse(0, lines=list(incoming.values())), run_time=step)
        self.play(Write(result), run_time=0.8)
        self.subject = result

    def sum_panel(self, symbolic, terms: list, result) -> VGroup:
        """The weighted sum in the panel, the first way whose text stays readable: its
        symbols, its terms and its result each flowed over as few lines as the panel's
        width allows; the result ending the terms' last line; all in one flow. Keeps its
        symbols' pieces in `sum_symbols`."""
        box = self.layout.panel
        self.sum_symbols = split_formula(symbolic, " + ", **self.formula_style())
        ways = [lambda: [rows_within(self.sum_symbols, box.width),
                         rows_within(terms, box.width), result],
                lambda: [rows_within(self.sum_symbols, box.width),
                         rows_within([*terms, result], box.width)],
                lambda: [rows_within([*self.sum_symbols, *terms, result], box.width)]]
        for way in ways:
            block = VGroup(*(m for m in way() if m.get_family()[1:] or m.has_points())
                           ).arrange(DOWN, aligned_edge=LEFT, buff=0.2)
            if reads_in(block, box):
                break
        return box.fit(block, UP + LEFT)

    def activate(self):
        d, j = self.diagram, self.report["focus"]["forward_neuron"]
        name = self.cfg.network.activations[0]
        z, a = self.value(f"samples[0].layers[0].z[{j}]"), self.value(f"samples[0].layers[0].a[{j}]")
        z_line = self.formula("z = ", z)
        with_curve = get_activation(name).elementwise   # softmax: no curve of its own
        result, curve = self.squash_panel(z_line, name, z, a, with_curve)
        self.play(ReplacementTransform(self.sum_block, z_line), run_time=0.8)
        if curve is None:
            self.play(Write(result), run_time=1.0)
            reading = self.numeral(a, color=self.theme.highlight).next_to(result, DOWN)
            self.play(FadeIn(reading), run_time=0.4)
            self.squashed = VGroup(z_line, result)
        else:
            self.play(Create(curve.axes), Create(curve.graph), FadeIn(curve.names), run_time=0.8)
            point = curve.axes.c2p(float(z), float(a))
            dot = Dot(curve.axes.c2p(curve.z_min, get_activation(name)(curve.z_min)),
                      radius=0.08, color=self.theme.highlight)
            down = DashedLine(curve.axes.c2p(float(z), 0), point, color=self.theme.muted)
            across = DashedLine(point, curve.axes.c2p(curve.z_min, float(a)), color=self.theme.muted)
            reading = self.numeral(a, color=self.theme.highlight).next_to(across, LEFT, buff=0.1)
            self.play(FadeIn(dot), MoveAlongPath(dot, curve.part(float(z))), Create(down),
                      run_time=1.2)
            self.play(Create(across), FadeIn(reading, shift=0.2 * LEFT), run_time=0.7)
            self.play(Write(result), run_time=0.8)
            self.squashed = VGroup(z_line, curve, dot, down, across, result)
        self.play(*fly(self, 1, "samples[0].layers[0].a", name, {j: reading}), run_time=1.0)
        self.subject = VGroup(d.neurons[1][j], d.values[1][j])

    def squash_panel(self, z_line, name: str, z, a, with_curve: bool) -> tuple:
        """Place z, a = f(z) (on one to three lines) and, `with_curve`, a plot of f in
        the panel, as the panel's shape suits best: the plot below z or beside the
        equations, as large as the text left readable allows. Returns (the equation's
        lines, the plot or None)."""
        box, style = self.layout.panel, self.formula_style()
        reading = self.reading_room(a)
        best = None
        for count in (1, 2, 3):
            lines = VGroup(*activation_lines(name, z, a, count, **style)).arrange(
                DOWN, aligned_edge=LEFT, buff=0.12)
            for beside in (False, True) if with_curve else (False,):
                column = VGroup(z_line.copy(), lines.copy()).arrange(DOWN, aligned_edge=LEFT,
                                                                     buff=0.22)
                scale = fitted_scale(column, box)
                if not reads_in(column, box):
                    continue
                room = ((box.width - scale * column.width - GAP, box.height) if beside else
                        (box.width, box.height - scale * column.height - 0.22))
                size = curve_scale(room[0] - reading, room[1]) if with_curve else 1.0
                if best is None or size > best[0] + 0.1:   # fewer lines unless much larger
                    best = (size, lines, beside, room)
        size, lines, beside, (width, height) = best or (0, lines, False, (0, 0))
        curve = self.curve(name, float(z), width, height) if with_curve else None
        if curve is None:
            self.panel(z_line, lines)
        elif beside:
            column = VGroup(z_line, lines).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
            box.fit(VGroup(column, curve).arrange(RIGHT, buff=GAP, aligned_edge=UP), UP + LEFT)
        else:
            self.panel(z_line, curve, lines)
        return lines, curve

    def curve(self, name: str, z: float, width: float = CURVE_SIZE[0],
              height: float = CURVE_SIZE[1]) -> VGroup:
        """A plot of the activation around z, axes named z and a (no numbers), at most
        `width` x `height` (at most CURVE_SIZE), room kept left of it for its reading."""
        f = get_activation(name)
        reading = self.reading_room(f(z))
        width -= reading
        reach = max(4.0, 1.3 * abs(z))
        xs = np.linspace(-reach, reach, 81)
        ys = f(xs)
        low, high = min(0.0, float(ys.min())), max(float(ys.max()), 0.5)
        z_name, a_name = self.formula("z", size=28), self.formula("a", size=28)
        axes = Axes(x_range=[-reach, reach, reach], y_range=[low, high, high - low],
                    x_length=max(min(CURVE_SIZE[0], width - z_name.width - 0.1), 0.5),
                    y_length=max(min(CURVE_SIZE[1], height - a_name.height - 0.1), 0.3),
                    tips=False,
                    axis_config={"color": self.theme.muted, "include_ticks": False})
        graph = axes.plot(lambda x: float(f(x)), x_range=[-reach, reach],
                          color=self.theme.text, stroke_width=4)
        names = VGroup(z_name.next_to(axes.x_axis, RIGHT, buff=0.1),
                       a_name.next_to(axes.y_axis, UP, buff=0.1))
        room = VectorizedPoint(axes.get_left() + reading * LEFT)
        group = VGroup(axes, graph, names, room)
        group.axes, group.graph, group.names, group.z_min = axes, graph, names, -reach
        group.part = lambda end: axes.plot(lambda x: float(f(x)), x_range=[-reach, end])
        return group

    def reading_room(self, a: float) -> float:
        """The width kept left of the plot for its reading of `a`."""
        return self.numeral(a).width + 0.2

    def whole_layer(self):
        d, j = self.diagram, self.report["focus"]["forward_neuron"]
        name = self.cfg.network.activations[0]
        self.play(FadeOut(self.squashed), *(line.animate.set_stroke(opacity=1.0)
                                            for line in d.edge_group),
                  d.neurons[1][j].animate.set_stroke(self.theme.neuron_stroke, width=3),
                  run_time=0.6)
        self.fill(0, name, self.time_left() - 0.3, exclude=j)

    def fill(self, l: int, activation: str, seconds: float, exclude=None) -> None:
        """Pulses along weight layer `l`, then layer l+1's neurons fill one after another."""
        d = self.diagram
        seconds = max(1.2, seconds)
        self.play(d.pulse(l), run_time=0.4 * seconds)
        path = f"samples[0].layers[{l}].a"
        self.play(LaggedStart(*(d.fill_layer(l + 1, self.values(path), activation, neurons=[k])
                                for k in d.neurons[l + 1] if k != exclude), lag_ratio=0.5),
                  run_time=0.6 * seconds)

    def later_layers(self):
        layers = range(1, len(self.cfg.network.activations))
        for l in layers:   # each layer its share of the sentence
            self.fill(l, self.cfg.network.activations[l], (self.time_left() - 0.3) / len(layers))

    def prediction(self):
        d, out = self.diagram, len(self.cfg.network.activations)
        box = self.layout.panel
        self.meters = meters(self, room=box.width)
        if not reads_in(self.meters, box):   # a low panel: meters half as tall
            self.meters = meters(self, room=box.width, compact=True)
        self.panel(self.meters)
        low = meter_range(self)[0]
        aims = [m.guess.get_center() for m in self.meters]
        for m in self.meters:
            m.guess.move_to(m.point(low))
        self.play(*(FadeIn(guess_parts(m)[:3]) for m in self.meters), run_time=0.6)
        self.play(*(m.guess.animate.move_to(aim) for m, aim in zip(self.meters, aims)),
                  *(ReplacementTransform(d.values[out][j].copy(), m.guess_label)
                    for j, m in enumerate(self.meters)), run_time=1.4)
        self.subject = VGroup(*(VGroup(m.guess, m.guess_label) for m in self.meters))
