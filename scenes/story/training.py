"""Part 8, training: the same loop over many epochs; the cost falls, the guesses close in."""

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Axes, Circumscribe, Create, Dot, FadeIn, ManimColor,
                   ReplacementTransform, Square, VGroup, VMobject, interpolate_color)

from scenes.kit.base import Part
from scenes.kit.charts import GuessMeter

MAX_METERS = 4
GRID = 20  # cells per side of the decision-boundary picture


class Train(Part):
    """Many epochs: the cost curve drawn epoch by epoch, weights and guesses changing."""

    number = 8
    title = "Training"
    heading = "Training: practice makes perfect"
    beats = ("the_loop", "epochs", "result")
    narration = {
        "the_loop": "Training repeats the whole loop for all the pictures, again and again: "
                    "guess, measure the cost, backpropagate, step downhill.",
        "epochs": "Epoch after epoch the cost falls, the weights settle, and the guesses "
                  "close in on the truth.",
        "result": "After {epochs} epochs the cost is {final_cost}, down from {cost}.",
    }

    def numbers(self):
        return {**super().numbers(), "epochs": str(self.cfg.epochs),
                "final_cost": self.said(f"training.losses[{self.cfg.epochs}]")}

    # -- pieces ------------------------------------------------------------------------

    @property
    def targets(self) -> np.ndarray:
        return np.atleast_2d(self.cfg.target)

    def watched_output(self, n: int) -> int:
        """The output neuron a sample's meter follows: its true class, or the first."""
        return int(np.argmax(self.targets[n])) if len(self.targets[n]) > 1 else 0

    @property
    def watched_samples(self) -> range:
        return range(min(len(self.targets), MAX_METERS))

    def guess(self, frame: int, n: int):
        return self.value(f"training.predictions[{frame}][{n}][{self.watched_output(n)}]")

    def guess_meters(self, box) -> VGroup:
        group = VGroup(*(
            GuessMeter(self.cfg.sample_labels[n], self.guess(0, n),
                       self.value(f"target[{n}][{self.watched_output(n)}]"), self.theme,
                       width=2.8)
            for n in self.watched_samples
        )).arrange(DOWN, buff=0.35, aligned_edge=RIGHT)
        self.meters = list(group)
        return box.fit(group, UP)

    def boundary_picture(self, frame: int) -> VGroup:
        """The network's output over the input plane as a grid of cells: orange for 0,
        blue for 1."""
        epoch = self.report["training"]["keyframes"][frame]
        (x0, y0), (x1, y1) = self.plane
        xs, ys = np.meshgrid(np.linspace(x0, x1, GRID), np.linspace(y1, y0, GRID))
        p = self.story.history.networks[epoch].predict(np.column_stack([xs.ravel(), ys.ravel()]))
        side = self.plane_size / GRID
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
        for (u, v), y in zip(np.atleast_2d(self.cfg.input), self.targets[:, 0]):
            px = self.plane_center + self.plane_size * np.array(
                [(u - x0) / (x1 - x0) - 0.5, (v - y0) / (y1 - y0) - 0.5, 0])
            dots.add(Dot(px, radius=0.08, color=self.theme.positive if y > 0.5 else
                         self.theme.negative).set_stroke(self.theme.text, width=2))
        return dots

    def loss_curve(self, epoch: int) -> VMobject:
        losses = self.report["training"]["losses"]
        epochs = np.unique(np.linspace(0, epoch, min(epoch + 1, 300)).astype(int))
        points = [self.axes.c2p(e, losses[e]) for e in epochs]
        if len(points) == 1:
            points = points * 2
        return VMobject(color=self.theme.error, stroke_width=4).set_points_as_corners(points)

    def epoch_readout(self, frame: int) -> VGroup:
        epoch = self.report["training"]["keyframes"][frame]
        group = VGroup(self.text("epoch", self.theme.label_size, self.theme.text),
                       self.numeral(f"training.keyframes[{frame}]", self.theme.label_size,
                                   digits=0),
                       self.formula("C = ", self.value(f"training.losses[{epoch}]"),
                                    size=self.theme.formula_size - 6, color=self.theme.error)
                       ).arrange(RIGHT, buff=0.25)
        return group.next_to(self.axes, UP, buff=0.15, aligned_edge=RIGHT)

    # -- beats -------------------------------------------------------------------------

    def the_loop(self):
        self.set_heading()
        self.diagram = self.make_diagram()
        training = self.report["training"]
        top = training["loss_ticks"][-1] * 1.1 if training["loss_ticks"] else 1.0
        top = max(top, max(training["losses"]) * 1.05)
        epochs = max(self.cfg.epochs, 1)
        chart_box, lower = self.layout.panel.rows(0.45)
        self.axes = Axes(x_range=[0, epochs, epochs / 4], y_range=[0, top, top / 4],
                         x_length=chart_box.width - 0.8, y_length=chart_box.height - 0.8,
                         tips=False,
                         axis_config={"color": self.theme.muted, "include_ticks": False})
        axis_names = VGroup(
            self.text("epochs", self.theme.label_size - 2, self.theme.muted)
            .next_to(self.axes.x_axis, DOWN, buff=0.1),
            self.text("cost", self.theme.label_size - 2, self.theme.muted).rotate(np.pi / 2)
            .next_to(self.axes.y_axis, LEFT, buff=0.1))
        chart = VGroup(self.axes, axis_names)
        chart_box.fit(chart, DOWN)
        self.curve = self.loss_curve(0)
        self.readout = self.epoch_readout(0)
        inputs = np.atleast_2d(self.cfg.input)
        if self.cfg.network.layers[0] == 2 and len(inputs) > 1:
            pad = 0.1 * (inputs.max(axis=0) - inputs.min(axis=0)) + 0.05
            self.plane = (inputs.min(axis=0) - pad, inputs.max(axis=0) + pad)
            self.plane_size = min(lower.width, lower.height)
            self.plane_center = lower.center
            self.picture = self.boundary_picture(0)
            self.progress = VGroup(self.picture, self.sample_dots())
        else:
            self.picture = None
            self.progress = self.guess_meters(lower)
        self.play(FadeIn(self.diagram), Create(self.axes), FadeIn(axis_names),
                  FadeIn(self.readout), FadeIn(self.progress), run_time=1.2)
        self.add(self.curve)

    def epochs(self):
        d = self.diagram
        keyframes = self.report["training"]["keyframes"]
        for frame, epoch in enumerate(keyframes[1:], start=1):
            network = self.story.history.networks[epoch]
            curve, readout = self.loss_curve(epoch), self.epoch_readout(frame)
            changes = [ReplacementTransform(self.curve, curve),
                       ReplacementTransform(self.readout, readout),
                       *(d.restyle_edges(l, w) for l, w in enumerate(network.weights))]
            if self.picture is not None:
                picture = self.boundary_picture(frame)
                changes.append(ReplacementTransform(self.picture, picture))
                self.picture = picture
            else:
                for n, meter in zip(self.watched_samples, self.meters):
                    changes += meter.move_guess(self.guess(frame, n))
            self.play(*changes, run_time=0.45)
            self.curve, self.readout = curve, readout

    def result(self):
        self.play(Circumscribe(self.readout, color=self.theme.highlight), run_time=1.2)
        self.subject = self.readout
