"""OuchMoment: the guess meets the truth, the gap turns red, and the loss is computed."""

import numpy as np
from manim import DOWN, LEFT, Create, FadeIn, SurroundingRectangle, VGroup, Write

from scenes import formulas
from scenes.base import ExplainerScene
from scenes.charts import GuessMeter
from scenes.diagram import BOUNDED

MAX_METERS = 4
LOSS_NARRATION = {
    "mse": "The loss turns the gap into one number. Squaring makes big mistakes count "
           "much more than small ones.",
    "bce": "The loss turns the gap into one number. Binary cross-entropy punishes a "
           "confident wrong answer hard.",
    "cross_entropy": "The loss turns the gap into one number: minus the log of the "
                     "probability the network gave the right answer.",
}


class OuchMoment(ExplainerScene):
    """The loss: the guess beside the true label, the gap in red, the loss formula and value."""

    beats = ("guess", "gap", "loss_formula", "loss_value")
    narration = {
        "guess": "The network looked at the picture and said {prediction}. "
                 "The right answer is {target}.",
        "gap": "Ouch! The gap between the guess and the truth is the error.",
        "loss_formula": "{loss_explained}",
        "loss_value": "Loss = {loss}. The bigger the mistake, the bigger the loss. "
                      "Learning means making this number small.",
    }

    def story_numbers(self):
        return {**super().story_numbers(), "loss_explained": LOSS_NARRATION[self.cfg.loss]}

    def meter_range(self) -> tuple[float, float]:
        """0 to 1 for squashing outputs; otherwise wide enough for guesses and targets."""
        t = self.trace
        if t.layers[-1].activation in BOUNDED - {"tanh"}:
            return 0.0, 1.0
        values = np.concatenate([t.prediction, t.target, [0.0, 1.0]])
        return float(np.floor(values.min())), float(np.ceil(values.max()))

    def guess(self):
        t = self.trace
        self.set_heading("The ouch moment: measuring the error")
        self.diagram = self.make_diagram(width=7.2, height=4.2).move_to([-3.3, 0.1, 0])
        labels = self.fill_all(self.diagram)
        low, high = self.meter_range()
        self.guess_rows = VGroup(*(
            GuessMeter(self.cfg.output_labels[j], t.prediction[j], t.target[j], self.theme,
                       low=low, high=high)
            for j in range(min(len(t.prediction), MAX_METERS))
        )).arrange(DOWN, buff=0.45, aligned_edge=LEFT)
        self.loss_lines = VGroup(*formulas.loss(self.cfg.loss, t.prediction, t.target, t.loss,
                                                **self.formula_style()))
        self.loss_lines.arrange(DOWN, aligned_edge=LEFT, buff=0.2)
        self.panel(self.guess_rows, self.loss_lines, top=2.5)
        self.play(FadeIn(self.diagram), FadeIn(labels), run_time=0.8)
        self.play(*(FadeIn(m) for m in self.guess_rows), run_time=1.0)

    def gap(self):
        out = len(self.trace.layers)
        gaps = [m.gap() for m in self.guess_rows]
        self.play(*(Create(g) for g in gaps),
                  *(m.guess.animate.set_color(self.theme.error) for m in self.guess_rows),
                  *(c.animate.set_stroke(self.theme.error, width=6)
                    for c in self.diagram.neurons[out].values()),
                  *(label.animate.set_color(self.theme.error)
                    for label in self.diagram.labels[out].values()),
                  run_time=1.2)
        self.bring_to_front(*(m.guess for m in self.guess_rows))

    def loss_formula(self):
        for line in self.loss_lines:
            self.play(Write(line), run_time=1.0)

    def loss_value(self):
        result = self.loss_lines[-1]
        box = SurroundingRectangle(result, color=self.theme.error, buff=0.12, stroke_width=5)
        self.play(Create(box), result.animate.set_color(self.theme.error), run_time=0.8)
