"""Part 6, the update: every weight steps against its gradient, the followed weight takes
the first step on Part 4's curve, and both pictures are run again."""

import numpy as np
from manim import (LEFT, RIGHT, UP, AnimationGroup, Create, FadeIn, FadeOut, Indicate,
                   MoveAlongPath, SurroundingRectangle, VGroup, Write)

from scenes.kit import formulas
from scenes.kit.base import Part, join_words
from scenes.kit.labels import agreeing_digits, fmt
from scenes.kit.theme import weight_keys
from scenes.story.gradient import focus_paths, landscape_chart, weight_name

MAX_ROWS = 4   # pictures listed with their losses before and after
CHART_HEIGHT = 2.4   # the least height of the first step's chart (frame units)


def distinct_digits(before: float, after: float) -> int:
    """Significant digits (2 to 4) that tell `before` and `after` apart when written."""
    return next((d for d in (2, 3, 4) if fmt(before, d) != fmt(after, d)), 2)


def change(name: str, before: float, after: float) -> str:
    """"the cat's loss falls from 0.46 to 0.44", written as the screen writes it."""
    d = distinct_digits(before, after)
    verb = "falls" if after < before else "rises" if after > before else "stays"
    return f"{name} {verb} from {fmt(before, d)} to {fmt(after, d)}"


class Update(Part):
    """One gradient-descent step on the cost, then every picture forward again."""

    number = 6
    title = "One step downhill"
    heading = "The update: one step downhill"
    beats = ("rule", "all_weights", "first_step", "again", "better")
    narration = {
        "rule": "Every weight takes a small step against its gradient, scaled by our "
                "learning rate η = {eta}: {weight_name} goes from {w} to {new_w}.",
        "all_weights": "All the weights and biases move at once, each against its own "
                       "gradient.",
        "first_step": "On the curve of Part 4 this is our first step: w moves from {w} to "
                      "{new_w}, a little way downhill.",
        "again": "Now run {pictures} forward again with the new weights.",
        "better": "{outcome}",
    }

    def numbers(self):
        w, _ = focus_paths(self)
        l, j, i = self.report["focus"]["weight"]
        return {**super().numbers(), "weight_name": weight_name(self), "w": self.said(w),
                "new_w": self.said(f"next.weights[{l}][{j}][{i}]"),
                "pictures": "the pictures" if len(self.shown_samples) > 2 else
                "both pictures", "outcome": self.outcome()}

    @property
    def shown_samples(self) -> range:
        return range(min(len(self.report["samples"]), MAX_ROWS))

    def outcome(self) -> str:
        """The sentence of the payoff, from the numbers: which losses fell, which rose."""
        samples, after = self.report["samples"], self.report["next"]["samples"]
        each = [change(f"the {s['name']}'s loss" if len(s["name"].split()) == 1 else
                       f"{s['name']}'s loss", s["loss"], a["loss"])
                for s, a in zip(samples, after)]
        cost = change("the cost, their mean,", self.report["loss"], self.report["next"]["loss"])
        if len(each) > 3:
            fell = sum(a["loss"] < s["loss"] for s, a in zip(samples, after))
            each = [f"{fell} of the {len(each)} pictures' losses fall"]
        return f"{join_words(each)}; {cost}.".capitalize()

    # -- beats -------------------------------------------------------------------------

    def rule(self):
        self.set_heading()
        self.diagram = self.make_diagram()
        self.legend(*weight_keys(self.theme),
                    ("gradient", self.theme.gradient))
        self.play(FadeIn(self.diagram), run_time=0.6)
        w_path, grad_path = focus_paths(self)
        l, j, i = self.report["focus"]["weight"]
        parts = [self.value(w_path), self.value("learning_rate"), self.value(grad_path)]
        new = self.value(f"next.weights[{l}][{j}][{i}]")
        digits = agreeing_digits(parts, new, lambda p: p[0] - p[1] * p[2])
        self.lines = self.panel(*formulas.update(*parts, new, digits=digits,
                                                 **self.formula_style()))
        edge = self.diagram.edges[l].get((j, i))
        if edge is not None:
            self.play(self.diagram.pulse(l, lines=[edge]), run_time=0.6)
        for line in self.lines:
            self.play(Write(line), run_time=0.8)
        self.play(Indicate(self.lines[-1], color=self.theme.highlight), run_time=0.8)
        self.subject = self.lines

    def all_weights(self):
        d = self.diagram
        layers = range(len(self.report["next"]["weights"]))
        self.play(AnimationGroup(*(d.pulse(l, backward=True, color=self.theme.gradient)
                                   for l in reversed(layers)), lag_ratio=0.5), run_time=1.2)
        self.play(*(d.restyle_edges(l, np.array(w))
                    for l, w in enumerate(self.report["next"]["weights"])), run_time=1.5)
        self.subject = d.edge_group

    def chart_box(self):
        """Where the first step's chart goes: the panel, or, when the panel is too low
        for a chart, the diagram's box (the diagram steps aside meanwhile)."""
        panel = self.layout.panel
        return panel if panel.height >= CHART_HEIGHT else self.layout.diagram

    def first_step(self):
        aside = self.chart_box() is not self.layout.panel
        self.play(FadeOut(self.lines), *([FadeOut(self.diagram)] if aside else []),
                  run_time=0.4)
        a, b = self.value("descent[0].positions[0]"), self.value("descent[0].positions[1]")
        size = self.theme.label_size
        step = VGroup(self.text("w:", size), self.numeral(a, size), self.text("→", size),
                      self.numeral(b, size, self.theme.highlight)).arrange(RIGHT, buff=0.15)
        box, below = self.chart_box().below(step.height, gap=0.15)
        chart = landscape_chart(self, box)
        below.fit(step, LEFT)
        dot = chart.dot(a, self.value("descent[0].losses[0]"))
        self.chart = VGroup(chart, dot, step)
        self.play(FadeIn(chart), FadeIn(dot, scale=2), run_time=0.8)
        self.play(Write(step), run_time=0.6)
        self.play(MoveAlongPath(dot, chart.curve_between(a, b)), run_time=1.2)
        self.subject = step   # the step read out swells (the dot alone is too small to)

    def again(self):
        d = self.diagram
        back = [FadeIn(d)] if self.chart_box() is not self.layout.panel else []
        self.play(FadeOut(self.chart), *back, run_time=0.4)
        rows = VGroup()
        for n in self.shown_samples:
            self.play(AnimationGroup(*(d.pulse(l) for l in range(len(d.edges))),
                                     lag_ratio=0.6), run_time=0.9)
            rows.add(self.loss_row(self.cfg.sample_labels[n], f"samples[{n}].loss",
                                   f"next.samples[{n}].loss"))
            self.panel(*rows)
            self.play(FadeIn(rows[-1], shift=0.2 * UP), run_time=0.4)
        self.rows = rows
        self.subject = rows

    def better(self):
        cost = self.loss_row("cost C", "loss", "next.loss")
        self.panel(*self.rows, cost)
        box = SurroundingRectangle(cost, color=self.theme.error, buff=0.1)
        self.play(FadeIn(cost, shift=0.2 * UP), Create(box), run_time=0.8)
        self.subject = VGroup(cost, box)

    def loss_row(self, name: str, before: str, after: str) -> VGroup:
        """"cat   0.46 → 0.44" with the digits that tell the two apart, in the error colour."""
        a, b = self.value(before), self.value(after)
        return VGroup(self.text(name, self.theme.label_size),
                      self.formula(a, " arrow.r ", b, digits=distinct_digits(a, b),
                                   color=self.theme.error)).arrange(RIGHT, buff=0.3)
