"""Part 6, the update: every weight steps against its gradient, and both pictures improve."""

import numpy as np
from manim import Create, FadeIn, FadeOut, SurroundingRectangle, VGroup, Write

from scenes.kit import formulas
from scenes.kit.base import Part


class Update(Part):
    """One gradient-descent step on the cost, then both pictures forward again."""

    number = 6
    title = "One step downhill"
    heading = "The update: one step downhill"
    beats = ("rule", "all_weights", "again", "better")
    narration = {
        "rule": "Every weight takes a small step against its gradient, scaled by the "
                "learning rate η = {eta}.",
        "all_weights": "All the weights and biases move at once.",
        "again": "Now show the network the pictures again.",
        "better": "The cost falls from {cost} to {new_cost}.",
    }

    def numbers(self):
        return {**super().numbers(), "new_cost": self.said("next.loss")}

    def rule(self):
        self.set_heading()
        self.diagram = self.make_diagram()
        self.play(FadeIn(self.diagram), run_time=0.8)
        l, j, i = self.report["focus"]["weight"]
        lines = formulas.update(self.value(f"layers[{l}].W[{j}][{i}]"),
                                self.value("learning_rate"),
                                self.value(f"layers[{l}].grad_W[{j}][{i}]"),
                                self.value(f"next.weights[{l}][{j}][{i}]"),
                                **self.formula_style())
        self.lines = self.panel(*lines)
        for line in self.lines:
            self.play(Write(line), run_time=0.9)
        self.subject = self.lines

    def all_weights(self):
        self.play(*(self.diagram.restyle_edges(l, np.array(w))
                    for l, w in enumerate(self.report["next"]["weights"])), run_time=1.5)
        self.subject = self.diagram.edge_group

    def again(self):
        d = self.diagram
        self.play(FadeOut(self.lines), run_time=0.4)
        for l, activation in enumerate(self.cfg.network.activations):
            self.play(d.pulse(l), run_time=0.7)

    def better(self):
        better = self.panel(self.formula("C = ", self.value("loss"), " arrow.r ",
                                         self.value("next.loss")))
        box = SurroundingRectangle(better, color=self.theme.highlight, buff=0.12)
        self.play(FadeIn(better), Create(box), run_time=0.8)
        self.subject = VGroup(better, box)
