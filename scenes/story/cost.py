"""Part 3, the ouch moment: one cost, defined once. The cat's guess meets its truth, the
gap turns red and becomes the cat's cost; then the dog's; their average is the cost C."""

import itertools

from manim import (DOWN, LEFT, RIGHT, UP, Create, FadeIn, FadeOut,
                   ReplacementTransform, SurroundingRectangle, Transform, VGroup, Write,
                   there_and_back)

from scenes.kit import formulas
from scenes.kit.arranged import ArrangedPart
from scenes.kit.base import fitted_scale, smallest_text
from scenes.kit.charts import sample_picture
from scenes.kit.formulas import MAX_WRITTEN_OUTPUTS
from scenes.kit.labels import fmt
from scenes.kit.layout import GAP, MIN_TEXT_HEIGHT, Box, first_fitting
from scenes.kit.theme import weight_keys
from scenes.story.forward import fly, guess_parts, marker_entries, sample_meter_layouts

PICTURE = 1.1   # the sample picture's size (frame units)


def stack(*mobjects) -> VGroup:
    """`mobjects` one under the other, left-aligned."""
    return VGroup(*mobjects).arrange(DOWN, aligned_edge=LEFT, buff=0.2)


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
        "next_sample": "Now the {sample2}: its numbers go through the same network, which "
                       "says {prediction2}, but the answer is {target2}. Its cost is {loss2}.",
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

    # -- the panel: the picture and its meters, beside or above the formulas ------------

    def place_meters(self) -> None:
        """The arrangement of the frame (`arrangements`: the layout's first, then panels
        with more room), the meters (and the picture), the formulas' box and the
        diagram: the first whose texts all read at their size (`panel_choice`), else the
        one whose formulas read largest; when no way fits even the meters, the lowest,
        shrunk on top of the layout's panel."""
        _, choice = first_fitting(self.layout.arrangements(), self.panel_choice)
        if choice is None:
            panel = self.layout.panel
            ways = (sample_meter_layouts(self, 0, panel.width)
                    or sample_meter_layouts(self, 0, 100.0))
            box, rest = panel.rows(0.5)
            choice = (self.layout, self.make_diagram(), min(ways, key=lambda w: w.height),
                      box, rest, False, False)
        (self.arrangement, self.diagram, way, box, self.formula_box, self.picture_shown,
         self.terms_written) = choice
        top = self.meters_and_picture(way)
        self.meters, self.meter_key, self.picture = top.meters, top.key, top[1:]
        self.marker_entries = marker_entries(top, self.theme)
        box.fit(top, UP + LEFT)

    def panel_choice(self, layout) -> tuple:
        """(score, (layout, diagram, meters' way, their box, the formulas' box, picture
        shown, terms written)) of the first way to fill `layout`'s panel whose formulas
        read, else of the one that reads best (`panel_ways`): with the picture before
        without, the losses' terms written before not. (-1, None) when the diagram's own
        texts do not read or no way fits the meters."""
        diagram, readable = self.diagram_in(layout.diagram, values=True)
        found = readable and first_fitting(
            (way for shown in itertools.product((True, False), (True, False))
             for way in self.panel_ways(layout, *shown)), lambda way: way)
        if not found:
            return -1, None
        score, choice = found
        return score, (layout, diagram, *choice)

    def panel_ways(self, layout, picture_shown: bool, terms_written: bool):
        """(score, (meters' way, their box, the formulas' box, `picture_shown`,
        `terms_written`)) of each way to show the meters (and the picture) in `layout`'s
        panel, on top or left of the formulas, in the order of `sample_meter_layouts`;
        score is the formulas' legibility (1 or more reads), the meters' text always at
        full size. Last, meters at most half the panel wide, left of the formulas."""
        panel = layout.panel
        self.picture_shown, self.terms_written = picture_shown, terms_written
        picture = (PICTURE + 0.4) if picture_shown else 0.0
        sets = self.formula_variants()
        placements = ((panel.width - picture, (True, False)),
                      ((panel.width - GAP) / 2 - picture, (False,)))
        for room, sides in placements:
            yield from self.placed_ways(layout, room, sides, picture, sets)

    def placed_ways(self, layout, room: float, sides: tuple, picture: float, sets: list):
        """`panel_ways` of the meters at most `room` wide, on top of the formulas or left
        of them (`sides`: whether on top)."""
        panel = layout.panel
        for way in sample_meter_layouts(self, 0, room):
            width = way.width + picture
            height = max(way.height, PICTURE if self.picture_shown else 0)
            if height > panel.height + 1e-6:
                continue
            for top in sides:
                if top:
                    box, rest = panel.above(height, GAP)
                else:
                    box = Box(panel.left, panel.bottom, panel.left + width, panel.top)
                    rest = Box(box.right + GAP, panel.bottom, panel.right, panel.top)
                if rest.width <= 0.5 or rest.height <= 0.5:
                    continue
                score = min(max(legibility(f, rest) for f in variants) for variants in sets)
                yield score, (way, box, rest, self.picture_shown, self.terms_written)

    def meters_and_picture(self, way) -> VGroup:
        """The meters of `way` and, if shown, the sample's picture right of them."""
        made = way.build()
        group = VGroup(made)
        if self.picture_shown:
            group.add(sample_picture(self.cfg.sample_labels[0], self.theme, PICTURE))
            group.arrange(RIGHT, buff=0.4, aligned_edge=UP)
        group.meters, group.key, group.marks_unnamed = made.meters, made.key, made.marks_unnamed
        return group

    def formula_variants(self) -> list[list[VGroup]]:
        """Every column of formulas the beats show (to measure), each as the ways it may
        be stacked (the average's losses beside or under each other); made once per
        choice of terms."""
        cache = vars(self).setdefault("_formula_variants", {})
        if self.terms_written not in cache:
            n = min(1, len(self.report["samples"]) - 1)
            cache[self.terms_written] = [
                [stack(*self.sample_loss(0))], [stack(self.summary(0), *self.sample_loss(n))],
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

    def summary(self, n: int):
        """L_name = its loss, in the error colour."""
        return self.formula(formulas.cost_symbol(self.cfg.sample_labels[n]) + " = ",
                            self.value(f"samples[{n}].loss"), color=self.theme.error)

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
        lines = self.sample_loss(0)
        self.lines = self.column(*lines)
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
        d = self.diagram
        self.cat = self.summary(0)
        dog_lines = self.sample_loss(n)
        self.column(self.cat, *dog_lines)
        dog_picture = VGroup(*(sample_picture(self.cfg.sample_labels[n], self.theme,
                                              self.picture.height).move_to(self.picture)
                               for _ in self.picture))
        self.play(ReplacementTransform(VGroup(*self.lines, self.box), self.cat),
                  FadeOut(self.gap_lines), ReplacementTransform(self.picture, dog_picture),
                  run_time=0.8)
        self.picture = dog_picture
        # The dog's numbers replace the cat's and run through the network.
        self.play(*fly(self, 0, f"samples[{n}].input", "linear",
                       {j: label.copy() for j, label in d.values[0].items()}), run_time=0.6)
        for l, name in enumerate(self.cfg.network.activations):
            self.play(d.pulse(l), run_time=0.35)
            self.play(*fly(self, l + 1, f"samples[{n}].layers[{l}].a", name,
                           {j: label.copy() for j, label in d.values[l + 1].items()}),
                      run_time=0.35)
        guesses, truths = self.values(f"samples[{n}].prediction"), self.values(f"samples[{n}].target")
        self.play(*(a for j, m in enumerate(self.meters)
                    for a in m.move_guess(guesses[j]) + m.move_truth(truths[j])), run_time=1.0)
        self.gap_lines = self.gaps()
        self.play(*(Create(g) for g in self.gap_lines), run_time=0.6)
        self.scene.bring_to_front(*(VGroup(m.guess, m.truth) for m in self.meters))
        step = max(0.5, (self.time_left() - 0.3) / len(dog_lines))
        for line in dog_lines[:-1]:
            self.play(Write(line), run_time=step)
        dog_lines[-1].set_color(self.theme.error)
        self.play(ReplacementTransform(self.gap_lines.copy(), dog_lines[-1]), run_time=step)
        self.lines = VGroup(*dog_lines)

    def average_rows(self) -> list[tuple]:
        """The ways to show the average: (the two losses, the mean's lines, the mean's
        lines as one row), the losses on one row or one over the other, the mean's lines
        one under the other or on one row."""
        n = len(self.report["samples"])
        mean = formulas.mean_cost(self.cfg.sample_labels,
                                  [self.value(f"samples[{k}].loss") for k in range(n)],
                                  self.value("loss"), **self.formula_style())
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
