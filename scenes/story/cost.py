"""Part 3, the ouch moment: the guess meets the truth, the gap turns red, the cost."""

import numpy as np
from manim import DOWN, LEFT, Create, FadeIn, SurroundingRectangle, VGroup, Write

from scenes.kit import formulas
from scenes.kit.base import Part
from scenes.kit.charts import GuessMeter
from scenes.kit.diagram import BOUNDED

MAX_METERS = 4
LOSS_NARRATION = {
    "mse": "The loss turns the gap into one number. Squaring makes big mistakes count "
           "much more than small ones.",
    "bce": "The loss turns the gap into one number. Binary cross-entropy punishes a "
           "confident wrong answer hard.",
    "cross_entropy": "The loss turns the gap into one number: minus the log of the "
                     "probability the network gave the right answer.",
}


class Cost(Part):
    """The cost: the guess beside the true label, the gap in red, the loss of each
    picture and their mean."""

    number = 3
    title = "The ouch moment"
    heading = "The ouch moment: measuring the error"
    beats = ("guess", "gap", "loss_formula", "loss_value")
    narration = {
        "guess": "The network looked at the {sample} picture and said {prediction}. "
                 "The right answer is {target}.",
        "gap": "Ouch! The gap between the guess and the truth is the error.",
        "loss_formula": "{loss_explained}",
        "loss_value": "Loss = {sample_loss}. The bigger the mistake, the bigger the loss. "
                      "Learning means making this number small.",
    }

    def numbers(self):
        return {**super().numbers(), "loss_explained": LOSS_NARRATION[self.cfg.loss]}

    def meter_range(self) -> tuple[float, float]:
        """0 to 1 for squashing outputs; otherwise wide enough for guesses and targets."""
        first = self.report["samples"][0]
        if self.cfg.network.activations[-1] in BOUNDED - {"tanh"}:
            return 0.0, 1.0
        values = np.concatenate([first["prediction"], first["target"], [0.0, 1.0]])
        return float(np.floor(values.min())), float(np.ceil(values.max()))

    def guess(self):
        self.set_heading()
        self.diagram = self.make_diagram()
        labels = self.show_values(self.diagram)
        low, high = self.meter_range()
        prediction, target = self.values("samples[0].prediction"), self.values("samples[0].target")
        self.guess_rows = VGroup(*(
            GuessMeter(self.cfg.output_labels[j], prediction[j], target[j], self.theme,
                       low=low, high=high)
            for j in range(min(len(prediction), MAX_METERS))
        )).arrange(DOWN, buff=0.45, aligned_edge=LEFT)
        self.loss_lines = VGroup(*formulas.loss(self.cfg.loss, prediction, target,
                                                self.value("samples[0].loss"),
                                                **self.formula_style()))
        self.loss_lines.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.panel(self.guess_rows, self.loss_lines)
        self.play(FadeIn(self.diagram), FadeIn(labels), run_time=0.8)
        self.play(*(FadeIn(m) for m in self.guess_rows), run_time=1.0)
        self.subject = self.guess_rows

    def gap(self):
        out = len(self.cfg.network.activations)
        gaps = [m.gap() for m in self.guess_rows]
        self.play(*(Create(g) for g in gaps),
                  *(m.guess.animate.set_color(self.theme.error) for m in self.guess_rows),
                  *(c.animate.set_stroke(self.theme.error, width=6)
                    for c in self.diagram.neurons[out].values()),
                  *(label.animate.set_color(self.theme.error)
                    for label in self.diagram.labels[out].values()),
                  run_time=1.2)
        self.scene.bring_to_front(*(m.guess for m in self.guess_rows))
        self.legend(("error", self.theme.error))

    def loss_formula(self):
        for line in self.loss_lines:
            self.play(Write(line), run_time=1.0)

    def loss_value(self):
        result = self.loss_lines[-1]
        box = SurroundingRectangle(result, color=self.theme.error, buff=0.12, stroke_width=5)
        self.play(Create(box), result.animate.set_color(self.theme.error), run_time=0.8)
        self.subject = VGroup(result, box)
