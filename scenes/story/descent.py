"""Part 7, gradient descent: real steps down the cost landscape of one weight."""

import numpy as np
from manim import ArcBetweenPoints, Create, Dot, FadeIn, FadeOut, MoveAlongPath, VGroup, Write

from scenes.kit.base import Part
from scenes.kit.charts import LossLandscape



class Descent(Part):
    """Step after step down the landscape, with the config's learning rate, a larger one,
    and one so large that it overshoots."""

    number = 7
    title = "Gradient descent"
    heading = "Gradient descent: walking downhill"
    beats = ("small_steps", "visible_steps", "overshoot")
    narration = {
        "small_steps": "With our learning rate, {eta}, each step moves this weight only a "
                       "little: from {w0} to {w1}.",
        "visible_steps": "To see the walk, take a larger learning rate, {eta_visible}: step "
                         "after step we go downhill, and the steps shrink as the slope "
                         "flattens.",
        "overshoot": "{overshoot}",
    }

    def numbers(self):
        slopes = np.asarray(self.report["descent"][2]["slopes"])
        crossed = bool(np.any(np.sign(slopes[1:]) != np.sign(slopes[:-1])))
        big = self.said("descent[2].learning_rate")
        overshoot = (f"With too large a learning rate, {big}, the steps overshoot the bottom "
                     f"and bounce from side to side." if crossed else
                     f"With a larger learning rate, {big}, the steps are much longer.")
        return {**super().numbers(), "w0": self.said("descent[0].positions[0]"),
                "w1": self.said("descent[0].positions[1]"),
                "eta_visible": self.said("descent[1].learning_rate"), "overshoot": overshoot}

    def start(self, walk: int) -> None:
        """Put the dot at the start of walk `walk`, with its learning rate on screen."""
        path = f"descent[{walk}]"
        self.dot.move_to(self.chart.point(self.value(f"{path}.positions[0]"),
                                          self.value(f"{path}.losses[0]")))
        rate = self.formula("eta = ", self.value(f"{path}.learning_rate"),
                            color=self.theme.error if walk == 2 else self.theme.text)
        side = self.layout.stage.columns(0.66)[1]
        side.fit(rate, np.array([-1.0, 1.0, 0.0]))
        if getattr(self, "rate", None) is not None:
            self.play(FadeOut(self.rate), run_time=0.3)
        self.play(Write(rate), run_time=0.6)
        self.rate = rate
        self.trail = VGroup()
        self.add(self.trail)

    def step(self, walk: int, k: int, jump: bool = False) -> None:
        """Move the dot from position k to k+1 of walk `walk`, leaving a faint mark."""
        path = f"descent[{walk}]"
        a, b = self.value(f"{path}.positions[{k}]"), self.value(f"{path}.positions[{k + 1}]")
        la, lb = self.value(f"{path}.losses[{k}]"), self.value(f"{path}.losses[{k + 1}]")
        route = (ArcBetweenPoints(self.chart.point(a, la), self.chart.point(b, lb),
                                  angle=-np.pi / 3) if jump else self.chart.curve_between(a, b))
        self.trail.add(Dot(self.dot.get_center(), radius=0.05, color=self.theme.muted))
        self.play(MoveAlongPath(self.dot, route), run_time=0.7)

    def small_steps(self):
        self.set_heading()
        box = self.layout.stage.columns(0.66)[0]
        self.chart = box.fit(LossLandscape(self.report["landscape"], self.numeral, self.theme,
                                           box.width, box.height))
        self.dot = Dot(radius=0.12, color=self.theme.highlight)
        self.play(FadeIn(self.chart), run_time=0.8)
        self.add(self.dot)
        self.start(0)
        for k in range(3):
            self.step(0, k)
        self.subject = self.dot

    def visible_steps(self):
        self.play(FadeOut(self.trail), run_time=0.3)
        self.start(1)
        for k in range(len(self.report["descent"][1]["positions"]) - 1):
            self.step(1, k)
        self.subject = self.dot

    def overshoot(self):
        self.play(FadeOut(self.trail), run_time=0.3)
        self.start(2)
        for k in range(len(self.report["descent"][2]["positions"]) - 1):
            self.step(2, k, jump=True)
        self.subject = self.dot


