"""Part 8, training: the same loop over many epochs; the cost falls, the guesses close in.
It ends on what the last epoch's numbers say, or on what is left to learn."""

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Axes, Circumscribe, Create, Dot, FadeIn, Line,
                   ManimColor, ReplacementTransform, Square, VGroup, VMobject,
                   interpolate_color)

from scenes.kit.arranged import ArrangedPart
from scenes.kit.base import join_words
from scenes.kit.charts import GuessMeter, fitted_chart, tick_size
from scenes.kit.labels import fmt
from scenes.kit.layout import GAP, Box, box_of, first_fitting
from scenes.kit.theme import weight_keys
from scenes.story.forward import marker_entries, meter_layouts
from scenes.story.gradient import side_boxes

MAX_METERS = 4
GRID = 20         # cells per side of the decision-boundary picture
PLANE_SHARES = (0.4, 0.33)   # of its row's width the input plane takes at most, in turn
CLOSE = 0.2       # a guess this near its truth counts as learnt
CHART_HEIGHT = 1.5     # the least height of the chart (ticks, names), readout apart
STILL_FALLING = 0.02   # the cost fell by more than this share over the last tenth


def spaced_ticks(ticks: VGroup, gap: float = 0.1) -> VGroup:
    """`ticks` (mark, number, mark, number, ...) without the ones whose numbers would
    touch a number kept before them (the first of each axis kept)."""
    kept, numbers = VGroup(), []
    for mark, number in zip(ticks[::2], ticks[1::2]):
        box = box_of(number)
        if any(box.left < b.right + gap and b.left < box.right + gap
               and box.bottom < b.top + gap and b.bottom < box.top + gap for b in numbers):
            continue
        numbers.append(box)
        kept.add(mark, number)
    return kept


class Train(ArrangedPart):
    """Many epochs: the cost curve drawn epoch by epoch, weights and guesses changing."""

    number = 8
    title = "Training"
    heading = "Training: practice makes perfect"
    beats = ("the_loop", "epochs", "result")
    narration = {
        "the_loop": "Training repeats the whole loop for every picture, again and again: "
                    "guess, measure the cost, backpropagate, step downhill. One round is an "
                    "epoch.",
        "epochs": "Epoch after epoch the cost falls, the weights settle, and the guesses "
                  "move towards the truth.",
        "result": "{claim}",
    }

    def numbers(self):
        return {**super().numbers(), "claim": self.claim()}

    # -- the numbers ---------------------------------------------------------------------

    @property
    def targets(self) -> np.ndarray:
        return np.atleast_2d(self.report["target"])

    @property
    def last(self) -> int:
        return len(self.report["training"]["keyframes"]) - 1

    def watched_output(self, n: int) -> int:
        """The output neuron a sample's meter follows: its true class, or the first."""
        return int(np.argmax(self.targets[n])) if len(self.targets[n]) > 1 else 0

    @property
    def watched_samples(self) -> range:
        return range(min(len(self.targets), MAX_METERS))

    def guess(self, frame: int, n: int):
        return self.value(f"training.predictions[{frame}][{n}][{self.watched_output(n)}]")

    def sample_name(self, n: int) -> str:
        name = self.cfg.sample_labels[n]
        return f"the {name}" if len(name.split()) == 1 else name

    def claim(self) -> str:
        """The last sentence, from the last keyframe's predictions: what the network says,
        and whether it is there yet."""
        training = self.report["training"]
        epoch = training["keyframes"][self.last]
        says = join_words(f"{fmt(self.guess(self.last, n))} for {self.sample_name(n)}"
                          for n in self.watched_samples)
        learnt = all(abs(self.guess(self.last, n) - self.targets[n][self.watched_output(n)])
                     < CLOSE for n in self.watched_samples)
        one_output = len(self.targets[0]) == 1
        says = f"{'it says' if one_output else 'the right answer gets'} {says}"
        if learnt:
            return f"After {epoch} epochs {says}: close to the truth."
        losses = training["losses"]
        tenth = losses[max(0, epoch - max(1, epoch // 10))]
        cost = fmt(self.value(f"training.losses[{epoch}]"))
        rest = (f"the cost, {cost}, is still falling"
                if losses[epoch] < (1 - STILL_FALLING) * tenth else
                f"the cost has stalled at {cost}")
        return f"After {epoch} epochs {says}. Not there yet: {rest}."

    # -- pieces ------------------------------------------------------------------------

    def make_diagram(self, box=None, **options):
        """The diagram, keeping no room for numbers: training shows none on it."""
        return super().make_diagram(box, numbers=False, **options)

    def meter_ways(self, box) -> list:
        """`meter_layouts` of the watched samples' meters at most `box` wide."""
        def make(track: float, **style) -> list[GuessMeter]:
            return [GuessMeter(self.cfg.sample_labels[n], self.guess(0, n),
                               self.value(f"target[{n}][{self.watched_output(n)}]"),
                               self.theme, width=track, **style)
                    for n in self.watched_samples]
        return meter_layouts(make, len(self.watched_samples), box.width,
                             vars(self).setdefault("_meter_shapes", {}), track=2.8)

    def guess_meters(self, box) -> VGroup:
        """The watched samples' meters in `box`, their text at full size: the first of
        `meter_layouts` that fits (shorter tracks, names above, numbers beside the track
        or in a row, meters side by side), else the one that shrinks least."""
        ways = self.meter_ways(box) or self.meter_ways(Box(0, 0, 100, 100))
        made = max(ways, key=lambda way: min(1.0, box.width / way.width,
                                              box.height / way.height)).build()
        fits = [way for way in ways if way.height <= box.height + 1e-6]
        if fits:
            made = fits[0].build()
        self.meters, self.marker_entries = made.meters, marker_entries(made, self.theme)
        return box.fit(made, UP)

    def progress_boxes(self) -> tuple:
        """(the diagram's box, the chart's below its readout, the input plane's or None,
        the meters'): the first of the layout's `arrangements` where `progress_split`
        fits, else the layout's own boxes, the panel split by `side_boxes`. Sets
        `arrangement`."""
        readouts = []
        for self.readout_lines in (1, 2):
            parts = self.readout_parts(self.last)
            readouts.append((parts.width + 0.3, parts.height + 0.15))
        _, choice = first_fitting(self.layout.arrangements(),
                                  lambda layout: self.progress_split(layout, readouts))
        if choice is None:
            self.readout_lines = 1
            chart, lower = side_boxes(self.layout.panel, across=0.55, down=0.6)
            return (self.layout.diagram, chart.above(0.4)[1], *next(self.plane_splits(lower)))
        self.arrangement, self.readout_lines, boxes = choice
        return boxes

    def progress_split(self, layout, readouts: list) -> tuple:
        """(score, (layout, readout lines, boxes as `progress_boxes` gives them)): the
        first of `panel_splits` of `layout`'s panel where the chart is tall enough for
        its ticks and as wide as its readout (`readouts`: the width and height of the
        readout on one line and on two) and the meters fit at full size, score 1; (0,
        None) when no split fits or the diagram's texts do not read."""
        for chart, plane, meters in self.panel_splits(layout.panel):
            lines = [k for k, (width, height) in enumerate(readouts, start=1)
                     if chart.width >= width and chart.height >= CHART_HEIGHT + height]
            if lines and any(way.height <= meters.height + 1e-6
                             for way in self.meter_ways(meters)):
                if not self.diagram_in(layout.diagram)[1]:
                    return 0, None   # the diagram's own texts do not read here
                return 1, (layout, lines[0], (
                    layout.diagram, chart.above(readouts[lines[0] - 1][1])[1], plane, meters))
        return 0, None

    def panel_splits(self, panel):
        """(the chart's box, the input plane's or None, the meters'): the panel split
        across or down, the chart first and the plane beside the meters (`plane_splits`;
        across first when the panel is much wider than tall); then the chart and the
        plane side by side above the meters."""
        across = [panel.columns(share) for share in (0.55, 0.5, 0.45, 0.4)]
        down = [panel.rows(share) for share in (0.6, 0.55, 0.5)]
        for chart, lower in across + down if panel.width > 2 * panel.height else down + across:
            for plane, meters in self.plane_splits(lower):
                yield chart, plane, meters
        if self.plane_shown:
            for top, meters in down:
                rest, plane = top.columns(1 - self.plane_share(top))
                yield rest, plane, meters

    @property
    def plane_shown(self) -> bool:
        """Whether the input plane is drawn: for a network of two inputs and several
        samples."""
        return self.cfg.network.layers[0] == 2 and len(np.atleast_2d(self.cfg.input)) > 1

    @staticmethod
    def plane_share(box, most: float = PLANE_SHARES[0]) -> float:
        """The share of `box`'s width a square plane as tall as `box` takes (at most
        `most`)."""
        return min(most, box.height / (box.width - GAP))

    def plane_splits(self, lower):
        """(the input plane's box or None, the meters' box), in turn: a square picture as
        tall as the row, taking at most each of PLANE_SHARES of its width, the meters
        beside it (`plane_shown`); else the whole row for the meters."""
        if not self.plane_shown:
            yield None, lower
            return
        for most in PLANE_SHARES:
            yield lower.columns(self.plane_share(lower, most))

    def boundary_picture(self, frame: int) -> VGroup:
        """The network's output over the input plane as a grid of cells: orange for 0,
        blue for 1."""
        epoch = self.report["training"]["keyframes"][frame]
        (x0, y0), (x1, y1) = self.plane
        xs, ys = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y1, y0, GRID))
        p = self.story.history.networks[epoch].predict(np.column_stack([xs.ravel(), ys.ravel()]))
        side = self.plane_size / GRID
        cells = VGroup(*(
            Square(side, stroke_width=0, fill_opacity=0.6,
                   fill_color=interpolate_color(ManimColor(self.theme.negative),
                                                ManimColor(self.theme.positive),
                                                float(np.clip(value, 0, 1))))
            for value in p[:, 0]
        )).arrange_in_grid(GRID, GRID, buff=0)
        return cells.move_to(self.plane_center)

    def sample_dots(self) -> VGroup:
        (x0, y0), (x1, y1) = self.plane
        dots = VGroup()
        for (u, v), y in zip(np.atleast_2d(self.cfg.input), self.targets[:, 0]):
            px = self.plane_center + self.plane_size * np.array(
                [(u - x0) / (x1 - x0) - 0.5, (v - y0) / (y1 - y0) - 0.5, 0])
            dots.add(Dot(px, radius=0.08, color=self.theme.positive if y > 0.5 else
                         self.theme.negative).set_stroke(self.theme.text, width=2))
        return dots

    def cost_axes(self, box) -> VGroup:
        """Axes of cost against epochs, with the report's ticks, filling `box`."""
        return fitted_chart(self._cost_axes, box)

    def _cost_axes(self, width: float, height: float) -> VGroup:
        training = self.report["training"]
        top = max(training["loss_ticks"][-1], max(training["losses"])) * 1.08
        epochs = max(training["epochs"], 1)
        self.axes = Axes(x_range=[0, epochs, epochs], y_range=[0, top, top],
                         x_length=width - 1.3, y_length=height - 0.75, tips=False,
                         axis_config={"color": self.theme.muted, "include_ticks": False})
        size, muted = tick_size(self.theme), self.theme.muted
        ticks = VGroup()
        for k, epoch in enumerate(training["epoch_ticks"]):
            if epoch:   # the origin is labelled once, on the cost axis
                mark = Line(UP * 0.07, DOWN * 0.07, color=muted).move_to(self.axes.c2p(epoch, 0))
                ticks.add(mark, self.numeral(f"training.epoch_ticks[{k}]", size, muted,
                                             digits=0).next_to(mark, DOWN, buff=0.06))
        for k, loss in enumerate(training["loss_ticks"]):
            mark = Line(LEFT * 0.07, RIGHT * 0.07, color=muted).move_to(self.axes.c2p(0, loss))
            ticks.add(mark, self.numeral(f"training.loss_ticks[{k}]", size, muted
                                         ).next_to(mark, LEFT, buff=0.06))
        ticks = spaced_ticks(ticks)
        names = VGroup(
            self.text("epochs", self.theme.label_size - 2, muted)
            .next_to(ticks, DOWN, buff=0.06).match_x(self.axes.x_axis),
            self.text("cost", self.theme.label_size - 2, muted).rotate(np.pi / 2)
            .next_to(ticks, LEFT, buff=0.08).match_y(self.axes.y_axis))
        return VGroup(self.axes, ticks, names)

    def loss_curve(self, epoch: int) -> VMobject:
        losses = self.report["training"]["losses"]
        epochs = np.unique(np.linspace(0, epoch, min(epoch + 1, 300)).astype(int))
        points = [self.axes.c2p(e, losses[e]) for e in epochs]
        if len(points) == 1:
            points = points * 2
        return VMobject(color=self.theme.error, stroke_width=4).set_points_as_corners(points)

    def readout_parts(self, frame: int) -> VGroup:
        """"epoch 250   C = 0.01" (no counter before the first epoch), in a row."""
        epoch = self.report["training"]["keyframes"][frame]
        size = self.theme.label_size
        parts = [self.text("epoch", size), self.numeral(f"training.keyframes[{frame}]", size,
                                                       digits=0)] if frame else []
        parts.append(self.formula("C = ", self.value(f"training.losses[{epoch}]"),
                                  size=self.theme.formula_size - 8, color=self.theme.error))
        if getattr(self, "readout_lines", 1) == 2 and frame:   # the counter above C
            return VGroup(VGroup(*parts[:2]).arrange(RIGHT, buff=0.25), parts[2]).arrange(
                DOWN, aligned_edge=RIGHT, buff=0.1)
        return VGroup(*parts).arrange(RIGHT, buff=0.25)

    def epoch_readout(self, frame: int) -> VGroup:
        """The readout above the chart, at its right end."""
        return self.readout_parts(frame).next_to(self.axes, UP, buff=0.15).align_to(
            self.axes, RIGHT)

    # -- beats -------------------------------------------------------------------------

    def the_loop(self):
        diagram_box, chart_box, plane_box, meter_box = self.progress_boxes()
        self.set_heading()   # in the arrangement the boxes are in
        self.diagram = self.make_diagram(diagram_box)
        chart = self.cost_axes(chart_box)
        self.curve = self.loss_curve(0)
        self.readout = self.epoch_readout(0)
        inputs = np.atleast_2d(self.cfg.input)
        self.picture = None
        if plane_box is not None:
            pad = 0.1 * (inputs.max(axis=0) - inputs.min(axis=0)) + 0.05
            self.plane = (inputs.min(axis=0) - pad, inputs.max(axis=0) + pad)
            self.plane_size = min(plane_box.width, plane_box.height)
            self.plane_center = plane_box.center
            self.picture = self.boundary_picture(0)
            self.progress = VGroup(self.picture, self.sample_dots(),
                                   self.guess_meters(meter_box))
        else:
            self.progress = self.guess_meters(meter_box)
        self.legend(*weight_keys(self.theme), ("cost C", self.theme.error), *self.marker_entries)
        self.play(FadeIn(self.diagram), run_time=0.6)
        self.play(Create(self.axes), FadeIn(chart[1:]), FadeIn(self.readout), run_time=0.8)
        self.play(FadeIn(self.progress), run_time=0.6)
        self.add(self.curve)
        layers = len(self.diagram.edges)
        while self.time_left() > 2.2:   # the loop itself: forward, then backward
            self.play(*(self.diagram.pulse(l) for l in range(layers)), run_time=0.9)
            self.play(*(self.diagram.pulse(l, backward=True, color=self.theme.gradient)
                        for l in range(layers)), run_time=0.9)

    def epochs(self):
        d = self.diagram
        keyframes = self.report["training"]["keyframes"]
        seconds = max(0.35, min(0.8, (self.time_left() - 0.5) / max(len(keyframes) - 1, 1)))
        for frame, epoch in enumerate(keyframes[1:], start=1):
            network = self.story.history.networks[epoch]
            curve, readout = self.loss_curve(epoch), self.epoch_readout(frame)
            changes = [ReplacementTransform(self.curve, curve),
                       ReplacementTransform(self.readout, readout),
                       *(d.restyle_edges(l, w) for l, w in enumerate(network.weights))]
            if self.picture is not None:
                picture = self.boundary_picture(frame)
                changes.append(ReplacementTransform(self.picture, picture))
                self.picture = picture
            for n, meter in zip(self.watched_samples, self.meters):
                changes += meter.move_guess(self.guess(frame, n))
            self.play(*changes, run_time=seconds)
            self.curve, self.readout = curve, readout
        self.subject = self.curve

    def result(self):
        meters = VGroup(*self.meters)
        self.play(Circumscribe(meters, color=self.theme.highlight), run_time=1.2)
        self.subject = meters
