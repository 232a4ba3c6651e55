"""Part 3, the ouch moment: one cost, defined once. The cat's guess meets its truth, the
gap turns red and becomes the cat's cost; then the dog's; their average is the cost C."""

import itertools
from typing import NamedTuple

import numpy as np

from manim import (DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut,
                   ReplacementTransform, SurroundingRectangle, Transform, VGroup, Write,
                   there_and_back)

from scenes.kit import formulas
from scenes.kit.arranged import ArrangedPart
from scenes.kit.base import fitted_scale, smallest_text
from scenes.kit.charts import sample_picture
from scenes.kit.diagram import MIN_RADIUS, NetworkDiagram
from scenes.kit.formulas import MAX_WRITTEN_OUTPUTS
from scenes.kit.labels import Formula, digits_writing, fmt, split_formula
from scenes.kit.layout import GAP, MIN_TEXT_HEIGHT, Box, Layout, first_fitting
from scenes.kit.theme import weight_keys
from scenes.story.forward import (MeterWay, fly, guess_parts, marker_entries,
                                  sample_meter_layouts)

PICTURE = 1.1   # the sample picture's size (frame units)
PICTURE_GAP = 0.4
METER_STEP = 0.2   # meters left of the formulas grow by this much at a time


class Composition(NamedTuple):
    """One way to compose the frame: its arrangement (`layout`), the diagram, the meters'
    way and box, the picture's box (None: not shown), the formulas' box, and whether the
    losses' terms are written."""

    layout: Layout
    diagram: NetworkDiagram
    way: MeterWay
    meters_box: Box
    picture_box: Box | None
    formula_box: Box
    terms_written: bool


def stack(*mobjects) -> VGroup:
    """`mobjects` one under the other, left-aligned."""
    return VGroup(*mobjects).arrange(DOWN, aligned_edge=LEFT, buff=0.15)


def digits_of(lines, source: str) -> int | None:
    """The significant digits `lines` (formulas) write their numbers from `source` (a
    report path, or its beginning) with: None when `fmt`'s own, or when none is written."""
    return digits_writing([(value, text) for line in lines for part in line.get_family()
                           if isinstance(part, Formula)
                           for value, text, path in part.numbers
                           if (path or "").startswith(source)])


def legibility(mobject, box) -> float:
    """Its smallest text's height, over MIN_TEXT_HEIGHT, once `mobject` is fitted into
    `box` (1 or more reads)."""
    return fitted_scale(mobject, box) * smallest_text(mobject) / MIN_TEXT_HEIGHT


SQUARE_NARRATION = {
    "mse": "Square the gap: that is this picture's cost, {sample_loss}. Big mistakes cost "
           "much more than small ones.",
    "bce": "Binary cross-entropy turns the gap into this picture's cost, {sample_loss}: a "
           "confident wrong answer costs a lot.",
    "cross_entropy": "Cross-entropy turns it into this picture's cost, {sample_loss}: minus "
                     "the log of the probability given to the right answer.",
}


class Cost(ArrangedPart):
    """Each picture's guess beside its truth, the gap in red, its cost; their mean, C."""

    number = 3
    title = "The ouch moment"
    heading = "The ouch moment: measuring the mistake"
    beats = ("truth", "square", "next_sample", "average", "small")
    narration = {
        "truth": "The right answer for the {sample} picture was {target}. The gap between "
                 "the guess and the truth, in red, is the mistake.",
        "square": "{square}",
        "next_sample": "The {sample2}'s numbers go through the same network: it says "
                       "{prediction2}, but the answer is {target2}. Its cost is {loss2}.",
        "average": "The network's cost is the average over the {count} pictures: C = {cost}.",
        "small": "From now on, C says how wrong the network is. Learning means making this "
                 "number small.",
    }

    def numbers(self):
        second = self.report["samples"][min(1, len(self.report["samples"]) - 1)]
        numbers = super().numbers()
        return {**numbers, "square": SQUARE_NARRATION[self.cfg.loss].format(**numbers),
                "sample2": second["name"], "loss2": fmt(second["loss"]),
                "prediction2": ", ".join(fmt(v) for v in second["prediction"]),
                "target2": ", ".join(fmt(v) for v in second["target"]),
                "count": len(self.report["samples"])}

    # -- the frame: the diagram, and in the panel the meters, the picture and formulas ----

    def place_meters(self) -> None:
        """The arrangement of the frame (`arrangements`: the layout's first, then panels
        with more room) and its composition (`composition`): the first whose texts all
        read at their size, the diagram with its numbers in every arrangement before
        without them (a crowded frame: this part talks about the guesses, which the
        meters show); else the one whose formulas read largest; when no way fits even
        the meters, the lowest meters, shrunk on top of the layout's panel."""
        _, chosen = first_fitting(
            ((layout, numbers) for numbers in (True, False)
             for layout in self.layout.arrangements()), lambda way: self.composition(*way))
        if chosen is None:
            panel = self.layout.panel
            ways = self.meter_ways(panel.width) or self.meter_ways(100.0)
            box, rest = panel.rows(0.5)
            chosen = Composition(self.layout, self.make_diagram(),
                                 min(ways, key=lambda w: w.height), box, None, rest, False)
        self.arrangement, self.diagram, self.formula_box = (chosen.layout, chosen.diagram,
                                                            chosen.formula_box)
        self.terms_written = chosen.terms_written
        made = chosen.meters_box.fit(chosen.way.build(), UP + LEFT)
        self.meters, self.meter_key = made.meters, made.key
        self.marker_entries = marker_entries(made, self.theme)
        self.picture = VGroup(*([] if chosen.picture_box is None else
                                [chosen.picture_box.fit(self.first_picture(), UP + LEFT)]))

    def first_picture(self) -> VGroup:
        """The first sample's picture, as large as the panel shows it."""
        return sample_picture(self.cfg.sample_labels[0], self.theme, PICTURE)

    def composition(self, layout, numbers: bool) -> tuple:
        """(score, Composition) of the first way to compose `layout`, its diagram with its
        `numbers` or without, whose formulas read (score 1 or more), else of the one that
        reads best; (-1, None) when there is none. The picture shown before not, the
        losses' terms written before not."""
        found = first_fitting((way for shown, terms in itertools.product((True, False),
                                                                         repeat=2)
                               for way in self.panel_ways(layout, numbers, shown, terms)),
                              lambda way: way)
        return found or (-1, None)

    def meter_ways(self, room: float) -> list:
        """The ways to show the first picture's meters at most `room` wide."""
        return sample_meter_layouts(self, 0, room)

    def panel_ways(self, layout, numbers: bool, picture_shown: bool, terms_written: bool):
        """(score, Composition) of each way to show the meters (and the picture right of
        them) in `layout`'s panel, on top or left of the formulas, in the order of
        `meter_ways`: first as wide as the panel, on top or left; then, on the left, at
        most half the panel wide, then wider by METER_STEP at a time, up to as wide as the
        formulas at their smallest readable size leave them. None when the diagram's own
        texts (with its `numbers` or without) do not read."""
        diagram, readable = self.full_diagram(layout, numbers)
        if not readable:
            return
        panel, drawn = layout.panel, self.first_picture()
        picture = (drawn.width + PICTURE_GAP) if picture_shown else 0.0
        widest = panel.width - GAP - self.formulas_width(terms_written) - picture
        rooms = [(panel.width - picture, (True, False))] + [
            (room, (False,)) for room in
            [*np.arange((panel.width - GAP) / 2 - picture, widest, METER_STEP), widest]]
        for room, sides in rooms:
            for way, on_top in itertools.product(self.meter_ways(room), sides):
                height = max(way.height, drawn.height if picture_shown else 0)
                if on_top:
                    box, rest = panel.above(height, GAP)
                else:
                    box = Box(panel.left, panel.bottom, panel.left + way.width + picture,
                              panel.top)
                    rest = Box(box.right + GAP, panel.bottom, panel.right, panel.top)
                if height > panel.height + 1e-6 or rest.width <= 0.5 or rest.height <= 0.5:
                    continue
                meters = Box(box.left, box.top - way.height, box.left + way.width, box.top)
                pictured = (Box(meters.right + PICTURE_GAP, box.top - drawn.height,
                                meters.right + picture, box.top) if picture_shown else None)
                yield (self.formulas_legibility(rest, terms_written),
                       Composition(layout, diagram, way, meters, pictured, rest, terms_written))

    def full_diagram(self, layout, numbers: bool) -> tuple:
        """(the diagram filling `layout`'s diagram box, with its `numbers` or without,
        whether its texts read), made once per layout. Numbers that leave the neurons
        dots (the least radius) crowd it: it does not read with them."""
        made = vars(self).setdefault("_full_diagrams", {})
        if (layout, numbers) not in made:
            diagram, readable = self.diagram_in(layout.diagram, values=True, numbers=numbers)
            dots = numbers and diagram.radius <= MIN_RADIUS + 1e-6
            made[layout, numbers] = diagram, readable and not dots
        return made[layout, numbers]

    def formulas_legibility(self, box, terms_written: bool) -> float:
        """How well the beats' formulas read in `box` (their smallest text over
        MIN_TEXT_HEIGHT, each column stacked the way that reads largest)."""
        self.terms_written = terms_written
        return min(max(legibility(f, box) for f in variants)
                   for variants in self.formula_variants())

    def formulas_width(self, terms_written: bool) -> float:
        """The least width the beats' formulas read in: each column at its smallest
        readable size, stacked the way that is narrowest then."""
        self.terms_written = terms_written
        return max(min(f.width * min(1.0, MIN_TEXT_HEIGHT / smallest_text(f)) for f in variants)
                   for variants in self.formula_variants())

    def formula_variants(self) -> list[list[VGroup]]:
        """Every column of formulas the beats show (to measure), each as the ways it may
        be stacked (the average's losses beside or under each other); made once per
        choice of terms."""
        cache = vars(self).setdefault("_formula_variants", {})
        if self.terms_written not in cache:
            n = min(1, len(self.report["samples"]) - 1)
            cache[self.terms_written] = [
                [stack(*way) for way in self.loss_ways(0)],
                [stack(self.summary(0), *way) for way in self.loss_ways(n)],
                [self.average_stack(*way) for way in self.average_rows()]]
        return cache[self.terms_written]

    def column(self, *mobjects) -> VGroup:
        """`mobjects` stacked, fitted into the formulas' box."""
        return self.formula_box.fit(stack(*mobjects), UP + LEFT)

    def gaps(self) -> VGroup:
        return VGroup(*(m.gap() for m in self.meters))

    def sample_loss(self, n: int) -> list:
        name = self.cfg.sample_labels[n]
        return formulas.loss(self.cfg.loss, self.values(f"samples[{n}].prediction"),
                             self.values(f"samples[{n}].target"),
                             self.value(f"samples[{n}].loss"), name,
                             written_outputs=MAX_WRITTEN_OUTPUTS * self.terms_written,
                             **self.formula_style())

    def loss_ways(self, n: int) -> list[list]:
        """The ways to write sample `n`'s loss: its lines, then with the first (its
        definition) broken before its equals sign (a narrower column)."""
        lines = self.sample_loss(n)
        broken = split_formula(lines[0], " = ", **self.formula_style())
        return [lines] + ([broken + lines[1:]] if len(broken) > 1 else [])

    def loss_lines(self, n: int, *above) -> list:
        """Sample `n`'s loss lines, the way (`loss_ways`) that reads largest in the
        formulas' box under `above`."""
        return max(self.loss_ways(n),
                   key=lambda way: legibility(stack(*above, *way), self.formula_box))

    def summary(self, n: int):
        """L_name = its loss, in the error colour, written as the mean of the losses
        writes it."""
        mean = self.mean_lines()
        return self.formula(formulas.cost_symbol(self.cfg.sample_labels[n]) + " = ",
                            self.value(f"samples[{n}].loss"), color=self.theme.error,
                            digits=digits_of(mean, f"samples[{n}].loss"))

    # -- the beats -------------------------------------------------------------------------

    def truth(self):
        self.place_meters()   # it arranges the frame: the heading's place too
        self.set_heading()
        labels = self.show_values(self.diagram)
        self.play(FadeIn(self.diagram), FadeIn(labels), FadeIn(self.picture),
                  *(FadeIn(guess_parts(m)) for m in self.meters),
                  *([FadeIn(self.meter_key)] if self.meter_key else []), run_time=0.8)
        self.legend(*weight_keys(self.theme), ("error, cost", self.theme.error),
                    *self.marker_entries)
        self.play(*(FadeIn(VGroup(m.truth, m.truth_label), shift=0.2 * UP) for m in self.meters),
                  run_time=0.8)
        self.gap_lines = self.gaps()
        self.play(*(Create(g) for g in self.gap_lines), run_time=0.8)
        self.scene.bring_to_front(*(VGroup(m.guess, m.truth) for m in self.meters))
        self.pulse_gaps(self.time_left() - 0.3)

    def pulse_gaps(self, seconds: float) -> None:
        """The red gaps throb, twice."""
        for _ in range(2):
            self.play(*(g.animate(rate_func=there_and_back).set_stroke(width=20)
                        for g in self.gap_lines), run_time=max(0.4, seconds / 2))

    def square(self):
        lines = self.loss_lines(0)
        self.lines = self.column(*lines)
        self.agree_with(*lines)
        step = max(0.6, (self.time_left() - 1.0) / len(lines))
        for line in lines[:-1]:
            self.play(Write(line), run_time=step)
        result = lines[-1].set_color(self.theme.error)
        self.play(ReplacementTransform(self.gap_lines.copy(), result), run_time=step)
        self.box = SurroundingRectangle(result, color=self.theme.error, buff=0.1)
        self.play(Create(self.box), run_time=0.6)
        self.subject = VGroup(result, self.box)

    def next_sample(self):
        n = min(1, len(self.report["samples"]) - 1)
        self.cat = self.summary(0)
        dog_lines = self.loss_lines(n, self.cat)
        self.column(self.cat, *dog_lines)
        dog_picture = VGroup(*(sample_picture(self.cfg.sample_labels[n], self.theme,
                                              self.picture.height).move_to(self.picture)
                               for _ in self.picture))
        self.play(ReplacementTransform(VGroup(*self.lines, self.box), self.cat),
                  FadeOut(self.gap_lines), ReplacementTransform(self.picture, dog_picture),
                  run_time=0.8)
        self.picture = dog_picture
        self.run_through(n)
        guesses, truths = self.values(f"samples[{n}].prediction"), self.values(f"samples[{n}].target")
        self.play(*(a for j, m in enumerate(self.meters)
                    for a in m.move_guess(guesses[j]) + m.move_truth(truths[j])), run_time=1.0)
        self.gap_lines = self.gaps()
        self.play(*(Create(g) for g in self.gap_lines), run_time=0.6)
        self.scene.bring_to_front(*(VGroup(m.guess, m.truth) for m in self.meters))
        self.agree_with(*dog_lines)
        step = max(0.5, (self.time_left() - 0.3) / len(dog_lines))
        for line in dog_lines[:-1]:
            self.play(Write(line), run_time=step)
        dog_lines[-1].set_color(self.theme.error)
        self.play(ReplacementTransform(self.gap_lines.copy(), dog_lines[-1]), run_time=step)
        self.lines = VGroup(*dog_lines)

    def run_through(self, n: int) -> None:
        """Sample `n`'s numbers replace the first's and run through the network, layer by
        layer (in a diagram without numbers, its neurons fill)."""
        d = self.diagram
        steps = [("linear", f"samples[{n}].input")] + [
            (name, f"samples[{n}].layers[{l}].a")
            for l, name in enumerate(self.cfg.network.activations)]
        for l, (activation, path) in enumerate(steps):
            if l:
                self.play(d.pulse(l - 1), run_time=0.35)
            if d.numbers:
                filling = fly(self, l, path, activation,
                              {j: label.copy() for j, label in d.values[l].items()})
            else:
                filling = [d.fill_layer(l, self.values(path), activation)]
            self.play(*filling, run_time=0.35 if l else 0.6)

    def mean_lines(self) -> list:
        """The cost C as the mean of the samples' losses: its lines."""
        n = len(self.report["samples"])
        return formulas.mean_cost(self.cfg.sample_labels,
                                  [self.value(f"samples[{k}].loss") for k in range(n)],
                                  self.value("loss"), **self.formula_style())

    def average_rows(self) -> list[tuple]:
        """The ways to show the average: (the two losses, the mean's lines, the mean's
        lines as one row), the losses on one row or one over the other, the mean's lines
        one under the other or on one row."""
        n = len(self.report["samples"])
        mean = self.mean_lines()
        losses = VGroup(self.summary(0), self.summary(min(1, n - 1)))
        return [(losses.copy().arrange(RIGHT, buff=0.5) if beside else
                 losses.copy().arrange(DOWN, aligned_edge=LEFT, buff=0.2),
                 [m.copy() for m in mean], in_row)
                for in_row in (False, True) for beside in (True, False)]

    @staticmethod
    def average_stack(row, mean: list, in_row: bool) -> VGroup:
        """The losses, then the mean's lines (on one row when `in_row`)."""
        return stack(row, VGroup(*mean).arrange(RIGHT, buff=0.18) if in_row else stack(*mean))

    def average_lines(self, box) -> tuple:
        """(the losses, the mean's lines, whether on one row): the way that reads largest
        in `box`."""
        return max(self.average_rows(), key=lambda r: legibility(self.average_stack(*r), box))

    def average(self):
        kept = self.cat
        row, mean, in_row = self.average_lines(self.formula_box)
        target, second = row
        self.formula_box.fit(self.average_stack(row, mean, in_row), UP + LEFT)
        self.play(Transform(kept, target), ReplacementTransform(self.lines, second),
                  run_time=0.8)
        self.play(Write(mean[0]), run_time=1.0)
        result = mean[-1]
        self.play(ReplacementTransform(VGroup(kept.copy(), second.copy()), result),
                  run_time=1.4)
        cost = result[-1] if isinstance(result, VGroup) else result
        self.box = SurroundingRectangle(cost, color=self.theme.error, buff=0.1, stroke_width=5)
        self.play(cost.animate.set_color(self.theme.error), Create(self.box), run_time=0.6)
        self.subject = VGroup(cost, self.box)
        self.cost = self.subject

    def small(self):
        self.play(self.cost.animate.scale(1.25, about_edge=LEFT), run_time=1.0)
        self.pulse_gaps(max(0.8, self.time_left() - 1.0))
        self.subject = self.cost
