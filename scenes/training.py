"""Training: many epochs of the same loop; the loss falls and the guesses close in."""

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Axes, Circumscribe, Create, Dot, FadeIn, ManimColor,
                   ReplacementTransform, Square, VGroup, VMobject, config, interpolate_color)

from backprop_core import train
from scenes.base import ExplainerScene
from scenes.charts import GuessMeter
from scenes.labels import Formula, fmt

KEYFRAMES = 16
MAX_METERS = 4
GRID = 20  # cells per side of the decision-boundary picture
PLANE_SIZE = 2.5


class Training(ExplainerScene):
    """Many epochs: the loss curve drawn epoch by epoch, weights and guesses changing."""

    beats = ("the_loop", "epochs", "result")
    narration = {
        "the_loop": "Training repeats the whole loop for all the pictures, again and again: "
                    "guess, measure the loss, backpropagate, step downhill.",
        "epochs": "Epoch after epoch the loss falls, the weights settle, and the guesses "
                  "close in on the truth.",
        "result": "After {epochs} epochs the loss is {final_loss}, down from {start_loss}. "
                  "The toddler has learned.",
    }

    def setup(self):
        super().setup()
        cfg = self.cfg
        self.history = train(cfg.network, cfg.input, cfg.target, cfg.loss, cfg.learning_rate,
                             cfg.epochs)
        self.keyframes = np.unique(np.linspace(0, cfg.epochs, KEYFRAMES + 1).astype(int))
        self.inputs = np.atleast_2d(cfg.input)
        self.targets = np.atleast_2d(cfg.target)
        self.boundary = cfg.network.layers[0] == 2 and len(self.inputs) > 1

    def story_numbers(self):
        return {**super().story_numbers(), "epochs": str(self.cfg.epochs),
                "final_loss": fmt(self.history.losses[-1]),
                "start_loss": fmt(self.history.losses[0])}

    # -- pieces ------------------------------------------------------------------------

    def watched_output(self, n: int) -> int:
        """The output neuron a sample's meter follows: its true class, or the first."""
        return int(np.argmax(self.targets[n])) if len(self.targets[n]) > 1 else 0

    @property
    def watched_samples(self) -> range:
        return range(min(len(self.inputs), MAX_METERS))

    def guesses(self, epoch: int) -> list[float]:
        """Each watched sample's guess at `epoch`."""
        predictions = np.atleast_2d(self.history.predictions[epoch])
        return [predictions[n, self.watched_output(n)] for n in self.watched_samples]

    def guess_meters(self) -> VGroup:
        group = VGroup(*(
            GuessMeter(self.cfg.sample_labels[n], guess, self.targets[n, self.watched_output(n)],
                       self.theme, width=2.8)
            for n, guess in enumerate(self.guesses(0))
        )).arrange(DOWN, buff=0.35, aligned_edge=RIGHT)
        self.meters = list(group)
        return group.move_to([config.frame_width / 2 - 0.4, -0.35, 0], aligned_edge=RIGHT + UP)

    def boundary_picture(self, epoch: int) -> VGroup:
        """The network's output over the input plane as a grid of cells: orange for 0,
        blue for 1. (Squares, not an ImageMobject: Manim 0.22's Cairo camera cannot draw
        images with the Pillow it installs.)"""
        (x0, y0), (x1, y1) = self.plane
        xs, ys = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y1, y0, GRID))
        p = self.history.networks[epoch].predict(np.column_stack([xs.ravel(), ys.ravel()]))
        side = PLANE_SIZE / GRID
        cells = VGroup(*(
            Square(side, stroke_width=0, fill_opacity=0.6,
                   fill_color=interpolate_color(ManimColor(self.theme.negative),
                                                ManimColor(self.theme.positive),
                                                float(np.clip(value, 0, 1))))
            for value in p[:, 0]
        )).arrange_in_grid(GRID, GRID, buff=0)
        return cells.move_to(self.plane_center)

    def sample_dots(self) -> VGroup:
        (x0, y0), (x1, y1) = self.plane
        dots = VGroup()
        for (u, v), y in zip(self.inputs, self.targets[:, 0]):
            px = self.plane_center + PLANE_SIZE * np.array([(u - x0) / (x1 - x0) - 0.5,
                                                      (v - y0) / (y1 - y0) - 0.5, 0])
            dots.add(Dot(px, radius=0.08, color=self.theme.positive if y > 0.5 else
                         self.theme.negative).set_stroke(self.theme.text, width=2))
        return dots

    def loss_curve(self, epoch: int) -> VMobject:
        epochs = np.unique(np.linspace(0, epoch, min(epoch + 1, 300)).astype(int))
        points = [self.axes.c2p(e, self.history.losses[e]) for e in epochs]
        if len(points) == 1:
            points = points * 2
        return VMobject(color=self.theme.error, stroke_width=4).set_points_as_corners(points)

    def epoch_readout(self, epoch: int) -> VGroup:
        epoch_text = self.text(f"epoch {epoch}", self.theme.label_size, self.theme.text)
        loss = Formula("L = ", self.history.losses[epoch], font_size=self.theme.formula_size - 6,
                       color=self.theme.error)
        group = VGroup(epoch_text, loss).arrange(RIGHT, buff=0.5)
        return group.next_to(self.axes, UP, buff=0.15, aligned_edge=RIGHT)

    # -- beats -------------------------------------------------------------------------

    def the_loop(self):
        self.set_heading("Training: practice makes perfect")
        self.diagram = self.make_diagram(width=7.9, height=3.8).move_to([-2.95, 0.3, 0])
        top = max(self.history.losses) * 1.1
        epochs = max(self.cfg.epochs, 1)
        self.axes = Axes(x_range=[0, epochs, epochs / 4], y_range=[0, top, top / 4],
                         x_length=4.6, y_length=2.0, tips=False,
                         axis_config={"color": self.theme.muted, "include_ticks": False})
        self.axes.move_to([config.frame_width / 2 - 2.9, 1.55, 0])
        axis_names = VGroup(
            self.text("epochs", self.theme.label_size - 2, self.theme.muted)
            .next_to(self.axes.x_axis, DOWN, buff=0.1),
            self.text("loss", self.theme.label_size - 2, self.theme.muted).rotate(np.pi / 2)
            .next_to(self.axes.y_axis, LEFT, buff=0.1))
        self.curve = self.loss_curve(0)
        self.numbers = self.epoch_readout(0)
        if self.boundary:
            x = self.inputs
            pad = 0.1 * (x.max(axis=0) - x.min(axis=0)) + 0.05
            self.plane = (x.min(axis=0) - pad, x.max(axis=0) + pad)
            self.plane_center = np.array([config.frame_width / 2 - 1.7, -1.35, 0])
            self.picture = self.boundary_picture(0)
            self.progress = VGroup(self.picture, self.sample_dots())
        else:
            self.progress = self.guess_meters()
        self.play(FadeIn(self.diagram), Create(self.axes), FadeIn(axis_names),
                  FadeIn(self.numbers), FadeIn(self.progress), run_time=1.2)
        self.add(self.curve)

    def epochs(self):
        d, history = self.diagram, self.history
        for epoch in self.keyframes[1:]:
            network = history.networks[epoch]
            curve, numbers = self.loss_curve(epoch), self.epoch_readout(epoch)
            changes = [ReplacementTransform(self.curve, curve),
                       ReplacementTransform(self.numbers, numbers),
                       *(d.restyle_edges(l, w) for l, w in enumerate(network.weights))]
            if self.boundary:
                picture = self.boundary_picture(epoch)
                changes.append(ReplacementTransform(self.picture, picture))
                self.picture = picture
            else:
                for meter, guess in zip(self.meters, self.guesses(epoch)):
                    changes += meter.move_guess(guess)
            self.play(*changes, run_time=0.45)
            self.curve, self.numbers = curve, numbers

    def result(self):
        self.play(Circumscribe(self.numbers, color=self.theme.increase), run_time=1.2)
