"""Part 4, what a gradient is: the cost as one weight changes, and the slope under us."""

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, Create, Dot, FadeIn, Line, VGroup, Write)

from scenes.kit.base import Part
from scenes.kit.charts import LossLandscape


def weight_name(part: Part) -> str:
    """"the weight from hidden neuron 3 to cat?" for the followed weight."""
    l, j, i = part.report["focus"]["weight"]
    cfg = part.cfg
    names = [cfg.input_labels] + [[f"hidden neuron {k + 1}" for k in range(n)]
                                  for n in cfg.network.layers[1:-1]] + [cfg.output_labels]
    return f"the weight from {names[l][i]} to {names[l + 1][j]}"


class Gradient(Part):
    """The loss landscape of one weight; where we stand; the slope is the gradient."""

    number = 4
    title = "What's a gradient?"
    heading = "What's a gradient? Feeling the slope"
    beats = ("landscape", "position", "slope", "step_direction")
    narration = {
        "landscape": "Freeze every weight but one, {weight_name}, and try other values for "
                     "it: the cost of all our pictures traces a valley.",
        "position": "We are here: the weight as it is now, and the cost {cost}.",
        "slope": "The gradient is the slope of the ground under our feet: {slope}. "
                 "It points uphill.",
        "step_direction": "Like a hiker in fog, feeling the ground with a foot, we step the "
                          "other way: towards the minimum.",
    }

    def numbers(self):
        l, j, i = self.report["focus"]["weight"]
        return {**super().numbers(), "weight_name": weight_name(self),
                "slope": self.said(f"layers[{l}].grad_W[{j}][{i}]")}

    def landscape(self):
        self.set_heading()
        box = self.layout.stage.columns(0.66)[0]
        self.chart = LossLandscape(self.report["landscape"], self.numeral, self.theme,
                                   box.width, box.height)
        box.fit(self.chart)
        c = self.chart
        self.play(Create(c.axes), FadeIn(c.ticks), FadeIn(c.x_label), FadeIn(c.y_label),
                  run_time=1.0)
        self.play(Create(c.curve), run_time=2.0)
        self.subject = c.curve

    def position(self):
        l, j, i = self.report["focus"]["weight"]
        w, loss = self.value(f"layers[{l}].W[{j}][{i}]"), self.value("loss")
        self.dot = Dot(self.chart.point(w, loss), radius=0.12, color=self.theme.highlight)
        slope = self.value(f"layers[{l}].grad_W[{j}][{i}]")
        label = self.text("Current Position", self.theme.label_size, self.theme.text)
        label.next_to(self.dot, UP + (LEFT if slope > 0 else RIGHT), buff=0.6)
        pointer = Arrow(label.get_bottom(), self.dot.get_center(), buff=0.15,
                        color=self.theme.text, stroke_width=3)
        self.position_label = VGroup(label, pointer)
        side = self.layout.stage.columns(0.66)[1]
        self.readout = VGroup(self.formula("w = ", w), self.formula("C = ", loss),
                              self.formula("(partial C)/(partial w) = ", slope))
        self.readout.arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        side.fit(self.readout, UP + LEFT)
        self.play(FadeIn(self.dot, scale=2), FadeIn(self.position_label), run_time=0.8)
        self.play(FadeIn(self.readout[:2]), run_time=0.6)
        self.subject = self.dot

    def slope(self):
        l, j, i = self.report["focus"]["weight"]
        w, loss = self.value(f"layers[{l}].W[{j}][{i}]"), self.value("loss")
        slope = self.value(f"layers[{l}].grad_W[{j}][{i}]")
        x0, x1 = self.chart.x_range
        half = (x1 - x0) / 7
        self.tangent = Line(self.chart.point(w - half, loss - slope * half),
                            self.chart.point(w + half, loss + slope * half),
                            color=self.theme.muted, stroke_width=4)
        self.play(Create(self.tangent), Write(self.readout[2]), run_time=1.2)
        self.subject = self.tangent

    def step_direction(self):
        l, j, i = self.report["focus"]["weight"]
        slope = float(self.value(f"layers[{l}].grad_W[{j}][{i}]"))
        direction = np.array([-np.sign(slope) or 1.0, 0.0, 0.0])
        start = self.dot.get_center()
        arrow = Arrow(start, start + 1.4 * direction, buff=0.15, color=self.theme.highlight,
                      stroke_width=6)
        words = self.text("Take a step towards the minimum", self.theme.label_size,
                          self.theme.highlight)
        words.next_to(arrow, DOWN, buff=0.2)
        self.play(Create(arrow), FadeIn(words), run_time=1.2)
        self.subject = arrow
