"""Part 7, gradient descent: real steps down the cost landscape of one weight, with the
config's learning rate, then larger ones chosen on purpose (said so, and written)."""

import numpy as np
from manim import (DOWN, LEFT, UP, ArcBetweenPoints, FadeIn, FadeOut, MoveAlongPath,
                   ReplacementTransform, VGroup, Write)

from scenes.kit.labels import fmt
from scenes.story.gradient import ChartPart, landscape_chart, readout

RATE_DIGITS = 2   # 8.0 and 39, not 8.00 and 39.00
NOTES = (("our learning rate",), ("larger,", "to see the walk"), ("too large",))   # lines


class Descent(ChartPart):
    """Step after step down the landscape, with the config's learning rate, a larger one,
    and one so large that it overshoots."""

    number = 7
    title = "Gradient descent"
    heading = "Gradient descent: walking downhill"
    beats = ("small_steps", "visible_steps", "overshoot")
    narration = {
        "small_steps": "With our learning rate, η = {eta}, {steps} steps take w only from "
                       "{w0} to {w_last}; the bottom is near {w_min}. Too small: it would take "
                       "forever.",
        "visible_steps": "To see the walk, take a larger learning rate on purpose, "
                         "η = {eta_visible}: each step recomputes the slope, and the steps "
                         "shrink as the ground flattens.",
        "overshoot": "{overshoot}",
    }

    def numbers(self):
        slopes = np.asarray(self.report["descent"][2]["slopes"])
        crossed = bool(np.any(np.sign(slopes[1:]) != np.sign(slopes[:-1])))
        big = fmt(self.value("descent[2].learning_rate"), RATE_DIGITS)
        overshoot = (f"Now too large, η = {big}: each step overshoots the bottom, and the "
                     f"walk bounces from side to side." if crossed else
                     f"With a much larger learning rate, η = {big}, the steps are much longer.")
        last = len(self.report["descent"][0]["positions"]) - 1
        return {**super().numbers(), "steps": str(last),
                "w0": self.said("descent[0].positions[0]"),
                "w_last": self.said(f"descent[0].positions[{last}]"),
                "w_min": self.said("landscape.minimum.weight"),
                "eta_visible": fmt(self.value("descent[1].learning_rate"), RATE_DIGITS), "overshoot": overshoot}

    # -- pieces ------------------------------------------------------------------------

    def pieces(self) -> tuple[list, list]:
        """Every walk's learning rate with its note, and its readout at its start."""
        walks = range(len(NOTES))
        return ([self.rate_note(walk) for walk in walks],
                [self.readout_at(walk, 0) for walk in walks])

    def legend_entries(self) -> tuple:
        return (("where we are", self.theme.highlight), ("cost C", self.theme.error),
                ("gradient", self.theme.gradient))

    def readout_at(self, walk: int, k: int) -> VGroup:
        """w, C and ∂C/∂w at step k of walk `walk`, at full size."""
        path = f"descent[{walk}]"
        return readout(self, self.value(f"{path}.positions[{k}]"),
                       self.value(f"{path}.losses[{k}]"), self.value(f"{path}.slopes[{k}]"))

    def readout(self, walk: int, k: int) -> VGroup:
        return self.boxes()[1].fit(self.readout_at(walk, k), UP + LEFT)

    def rate_note(self, walk: int) -> VGroup:
        """Walk `walk`'s learning rate and its note, at full size."""
        return VGroup(self.formula("eta = ", self.value(f"descent[{walk}].learning_rate"),
                                   digits=RATE_DIGITS),
                      *(self.text(line, self.theme.label_size, self.theme.muted)
                        for line in NOTES[walk])).arrange(DOWN, aligned_edge=LEFT, buff=0.15)

    def start(self, walk: int) -> None:
        """Put the dot at the start of walk `walk`, its learning rate written as a change."""
        path = f"descent[{walk}]"
        rate = self.boxes()[0].fit(self.rate_note(walk), UP + LEFT)
        new_readout = self.readout(walk, 0)
        if walk:
            w, loss = self.value(f"{path}.positions[0]"), self.value(f"{path}.losses[0]")
            tangent = self.chart.tangent(w, loss, self.value(f"{path}.slopes[0]"), 2.2)
            self.play(FadeOut(self.trail), FadeOut(self.rate, shift=0.3 * UP),
                      ReplacementTransform(self.readout_group, new_readout),
                      ReplacementTransform(self.tangent, tangent),
                      self.dot.animate.move_to(self.chart.point(w, loss)), run_time=0.6)
            self.tangent = tangent
        else:
            self.add(new_readout)
        self.play(Write(rate), run_time=0.6)
        self.rate, self.readout_group = rate, new_readout
        self.trail = VGroup()
        self.add(self.trail)

    def walk(self, walk: int, jump: bool = False) -> None:
        """Every step of walk `walk`: the dot moves, a tangent shows the new slope, and the
        readout follows; steps share the beat's time."""
        path = f"descent[{walk}]"
        steps = len(self.report["descent"][walk]["positions"]) - 1
        seconds = max(0.5, min(1.1, (self.time_left() - 0.5) / steps))
        for k in range(steps):
            a, b = self.value(f"{path}.positions[{k}]"), self.value(f"{path}.positions[{k + 1}]")
            la, lb = self.value(f"{path}.losses[{k}]"), self.value(f"{path}.losses[{k + 1}]")
            route = (ArcBetweenPoints(self.chart.point(a, la), self.chart.point(b, lb),
                                      angle=-np.pi / 3 * np.sign(b - a)) if jump else
                     self.chart.curve_between(a, b))
            self.trail.add(self.chart.dot(a, la).scale(0.5).set_color(self.theme.muted))
            if jump:
                self.trail.add(route.copy().set_stroke(self.theme.muted, width=2, opacity=0.6))
            tangent = self.chart.tangent(b, lb, self.value(f"{path}.slopes[{k + 1}]"), 2.2)
            new_readout = self.readout(walk, k + 1)
            self.play(MoveAlongPath(self.dot, route), FadeOut(self.tangent),
                      ReplacementTransform(self.readout_group, new_readout),
                      run_time=0.65 * seconds)
            self.play(FadeIn(tangent), run_time=0.35 * seconds)
            self.tangent, self.readout_group = tangent, new_readout
        self.subject = self.dot

    # -- beats -------------------------------------------------------------------------

    def small_steps(self):
        self.arrange()
        self.set_heading()
        self.legend(*self.legend_entries())
        self.chart = landscape_chart(self)
        self.dot = self.chart.dot(self.value("descent[0].positions[0]"),
                                  self.value("descent[0].losses[0]"))
        self.tangent = self.chart.tangent(self.value("descent[0].positions[0]"),
                                          self.value("descent[0].losses[0]"),
                                          self.value("descent[0].slopes[0]"), 2.2)
        self.play(FadeIn(self.chart), FadeIn(self.dot), FadeIn(self.tangent), run_time=0.8)
        self.start(0)
        self.walk(0)

    def visible_steps(self):
        self.start(1)
        self.walk(1)

    def overshoot(self):
        self.start(2)
        self.walk(2, jump=True)
