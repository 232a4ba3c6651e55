"""Part 3, the ouch moment: one cost, defined once. The cat's guess meets its truth, the
gap turns red and becomes the cat's cost; then the dog's; their average is the cost C."""

import itertools

from manim import (DOWN, LEFT, ORIGIN, RIGHT, UP, Create, FadeIn, FadeOut, MathTypst,
                   ReplacementTransform, SurroundingRectangle, Text, Transform, VGroup, Write,
                   there_and_back)

from scenes.kit import formulas
from scenes.kit.base import Part
from scenes.kit.charts import sample_picture
from scenes.kit.formulas import MAX_WRITTEN_OUTPUTS
from scenes.kit.labels import fmt
from scenes.kit.layout import MIN_TEXT_HEIGHT
from scenes.kit.theme import weight_keys
from scenes.story.forward import fly, guess_parts, meters

SHARES = (0.3, 0.4, 0.5, 0.6)   # of the panel for the meters and picture, to choose from
PICTURE = 1.1   # the sample picture's size (frame units)
# The panel's compositions in order of preference: (the picture shown, the meters' names
# above their tracks, the losses' terms written).
COMPOSITIONS = ((True, False, True), (True, False, False), (True, True, True),
                (True, True, False), (False, False, True), (False, False, False),
                (False, True, True), (False, True, False))


def stack(*mobjects) -> VGroup:
    """`mobjects` one under the other, left-aligned."""
    return VGroup(*mobjects).arrange(DOWN, aligned_edge=LEFT, buff=0.2)


def legibility(mobject, box) -> float:
    """Its smallest text's height, over MIN_TEXT_HEIGHT, once `mobject` is fitted into
    `box` (1 or more reads)."""
    scale = min(1.0, box.width / mobject.width, box.height / mobject.height)
    texts = [m.height for m in mobject.get_family() if isinstance(m, (Text, MathTypst))]
    return scale * min(texts) / MIN_TEXT_HEIGHT


SQUARE_NARRATION = {
    "mse": "Square the gap: that is this picture's cost, {sample_loss}. Big mistakes cost "
           "much more than small ones.",
    "bce": "Binary cross-entropy turns the gap into this picture's cost, {sample_loss}: a "
           "confident wrong answer costs a lot.",
    "cross_entropy": "Cross-entropy turns it into this picture's cost, {sample_loss}: minus "
                     "the log of the probability given to the right answer.",
}


class Cost(Part):
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
        """The meters (and the picture), and the formulas' box: the first of the
        compositions (with the picture or not, the losses' terms written or not) whose
        texts all read, else the one with the largest text; of each, the panel's split
        (the meters on top or on the left) that shows the largest text."""
        best = None
        for self.picture_shown, self.names_above, self.terms_written in COMPOSITIONS:
            found = self.best_split()
            if best is None or found[0] > best[0]:
                best = (*found, self.picture_shown, self.names_above, self.terms_written)
            if found[0] >= 1:
                break
        (_, box, self.formula_box, top, self.picture_shown, self.names_above,
         self.terms_written) = best
        self.meters, self.picture = top[0], top[1:]
        box.fit(top, UP + LEFT)

    def best_split(self) -> tuple:
        """(smallest text over readable, the meters' box, the formulas' box, the meters
        and picture) of the panel's split that shows the largest text."""
        best = None
        for split in (self.layout.panel.rows, self.layout.panel.columns):
            for share, side in itertools.product(SHARES, (RIGHT, DOWN)):
                box, rest = split(share)
                top = self.meters_and_picture(box.width, side)
                scale = min(legibility(top, box),
                            *(legibility(f, rest) for f in self.formula_sets(rest)))
                if best is None or scale > best[0]:
                    best = (scale, box, rest, top)
        return best

    def meters_and_picture(self, room: float, side) -> VGroup:
        """Compact meters of the first sample and, if shown, its picture on their `side`
        (RIGHT or DOWN), `room` wide."""
        if not self.picture_shown:
            return VGroup(self.compact_meters(room))
        made = self.compact_meters(room - (PICTURE + 0.4) * (side is RIGHT))
        picture = sample_picture(self.cfg.sample_labels[0], self.theme, PICTURE)
        return VGroup(made, picture).arrange(side, buff=0.4 if side is RIGHT else 0.2,
                                             aligned_edge=LEFT if side is DOWN else ORIGIN)

    def compact_meters(self, room: float) -> VGroup:
        """Compact meters of the first sample, `room` wide, their names beside or (if
        `names_above`) above their tracks."""
        if not self.names_above:
            return meters(self, 0, room, compact=True)
        names = max(m.name.width for m in meters(self, 0, compact=True)) + 0.3
        made = meters(self, 0, room + names, compact=True)
        return VGroup(*(m.name_above() for m in made)).arrange(DOWN, buff=0.2,
                                                               aligned_edge=LEFT)

    def formula_sets(self, box) -> list[VGroup]:
        """Every column of formulas the beats show (to measure), stacked as shown in
        `box`."""
        n = min(1, len(self.report["samples"]) - 1)
        return [stack(*self.sample_loss(0)), stack(self.summary(0), *self.sample_loss(n)),
                stack(*self.average_lines(box))]

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
        self.set_heading()
        self.diagram = self.make_diagram()
        labels = self.show_values(self.diagram)
        self.place_meters()
        self.play(FadeIn(self.diagram), FadeIn(labels), FadeIn(self.picture),
                  *(FadeIn(guess_parts(m)) for m in self.meters), run_time=0.8)
        self.legend(*weight_keys(self.theme), ("error, cost", self.theme.error))
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

    def average_lines(self, box) -> list:
        """The two losses on one row (or one over the other, if that reads larger in
        `box`), then the mean's lines."""
        n = len(self.report["samples"])
        mean = formulas.mean_cost(self.cfg.sample_labels,
                                  [self.value(f"samples[{k}].loss") for k in range(n)],
                                  self.value("loss"), **self.formula_style())
        losses = VGroup(self.summary(0), self.summary(min(1, n - 1)))
        beside = losses.copy().arrange(RIGHT, buff=0.5)
        under = losses.copy().arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        row = max((beside, under), key=lambda r: legibility(stack(r, *mean), box))
        return [row, *mean]

    def average(self):
        kept = self.cat
        row, *mean = self.average_lines(self.formula_box)
        target, second = row
        self.column(row, *mean)
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
