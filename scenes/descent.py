"""GradientDescent: the seed article's chart made real, loss against one weight."""

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, Arrow, ArcBetweenPoints, Axes, Create, Dot, FadeIn,
                   FadeOut, Line, MoveAlongPath, VGroup, VMobject, Write, config)

from backprop_core import descent_path, loss_slice
from scenes.base import ExplainerScene
from scenes.diagram import shown_neurons
from scenes.labels import Formula, fmt

STEPS = 6
SAMPLES = 121


def _round_rate(x: float) -> float:
    """A learning rate with two significant digits, so the one shown is the one used."""
    return float(f"{x:.2g}")


class GradientDescent(ExplainerScene):
    """The loss as one weight changes; the slope is the gradient; real steps go downhill."""

    beats = ("landscape", "position", "slope", "first_step", "descend", "overshoot")
    narration = {
        "landscape": "Keep every other weight fixed and change just one, {weight_name}: "
                     "the loss over all our pictures rises and falls like a landscape.",
        "position": "Our network stands here, at its current weight and loss.",
        "slope": "The gradient is the slope of the ground under our feet. It points "
                 "uphill, so we step the other way.",
        "first_step": "Each step moves the weight against the slope, scaled by the "
                      "learning rate η = {eta}.",
        "descend": "Step after step we go downhill; near the bottom the slope flattens "
                   "and the steps get smaller.",
        "overshoot": "{overshoot}",
    }

    def setup(self):
        super().setup()
        self.weight, start, bottom = self.choose_weight()
        args = (self.cfg.network, self.cfg.input, self.cfg.target, self.cfg.loss, self.weight)
        slope = descent_path(*args, learning_rate=0.0, steps=0).slopes[0]
        # Rates picked so the first step covers a third of the way to the bottom, or,
        # for the big one, lands well past it. Every step after that is the real thing.
        reach = abs(start - bottom) / abs(slope) if slope else 1.0
        self.eta = _round_rate(0.35 * reach)
        self.big_eta = _round_rate(1.7 * reach)
        self.path = descent_path(*args, learning_rate=self.eta, steps=STEPS)
        self.big_path = descent_path(*args, learning_rate=self.big_eta, steps=STEPS)
        seen = np.concatenate([self.path.positions, self.big_path.positions, [bottom]])
        margin = 0.15 * (seen.max() - seen.min()) + 0.1
        self.window = (seen.min() - margin, seen.max() + margin)

    def choose_weight(self):
        """The weight with the deepest, nearest valley in its loss landscape.

        Prefers a real valley (a minimum inside ±8 of the current value); with none, as
        for a single sample with a squashed output, takes the longest way downhill.
        Returns the weight (layer, j, i), its current value and where its loss is lowest.
        """
        net, cfg = self.cfg.network, self.cfg
        best = None
        for l, w in enumerate(net.weights):
            for j in shown_neurons(w.shape[0]):
                for i in shown_neurons(w.shape[1]):
                    start = w[j, i]
                    values = np.linspace(start - 8, start + 8, SAMPLES)
                    losses = loss_slice(net, cfg.input, cfg.target, cfg.loss, (l, j, i), values)
                    k = int(np.argmin(losses))
                    valley = 0 < k < SAMPLES - 1
                    score = (losses[SAMPLES // 2] - losses[k]) / (abs(values[k] - start) + 1)
                    if best is None or (valley, score) > best[0]:
                        best = ((valley, score), (l, j, i), start, values[k])
        return best[1:]

    def weight_name(self) -> str:
        l, j, i = self.weight
        names = [self.cfg.input_labels] + [
            [f"hidden neuron {k + 1}" for k in range(n)] for n in self.cfg.network.layers[1:-1]
        ] + [self.cfg.output_labels]
        return f"the weight from {names[l][i]} to {names[l + 1][j]}"

    def story_numbers(self):
        crossed = np.any(np.sign(self.big_path.slopes[1:]) != np.sign(self.big_path.slopes[:-1]))
        overshoot = ("With too large a learning rate, {big_eta}, the steps overshoot the "
                     "bottom and bounce from side to side." if crossed else
                     "With a larger learning rate, {big_eta}, the steps are much longer.")
        return {**super().story_numbers(), "weight_name": self.weight_name(),
                "eta": fmt(self.eta), "overshoot": overshoot.format(big_eta=fmt(self.big_eta))}

    # -- drawing -----------------------------------------------------------------------

    def point(self, w: float, loss: float):
        # The axes run from 0 so they meet at the bottom left; shift into that frame.
        return self.axes.c2p(w - self.window[0], loss - self.loss_floor)

    def curve_between(self, a: float, b: float) -> VMobject:
        """The landscape between two weights, computed by the engine."""
        values = np.linspace(a, b, 24)
        losses = loss_slice(self.cfg.network, self.cfg.input, self.cfg.target, self.cfg.loss,
                            self.weight, values)
        return VMobject().set_points_smoothly([self.point(w, l) for w, l in zip(values, losses)])

    def readout(self, w: float, loss: float, slope: float) -> VGroup:
        style = dict(font_size=self.theme.formula_size - 4, color=self.theme.text)
        group = VGroup(Formula("w = ", w, **style), Formula("L = ", loss, **style),
                       Formula("(partial L)/(partial w) = ", slope, **style))
        group.arrange(DOWN, aligned_edge=LEFT, buff=0.25)
        return group.move_to([config.frame_width / 2 - 3.4, 1.6, 0], aligned_edge=LEFT + UP)

    def update_readout(self, k: int, path) -> None:
        new = self.readout(path.positions[k], path.losses[k], path.slopes[k])
        self.play(FadeOut(self.numbers), FadeIn(new), run_time=0.3)
        self.numbers = new

    # -- beats -------------------------------------------------------------------------

    def landscape(self):
        self.set_heading("What's a gradient? Walking downhill")
        low, high = self.window
        values = np.linspace(low, high, SAMPLES)
        losses = loss_slice(self.cfg.network, self.cfg.input, self.cfg.target, self.cfg.loss,
                            self.weight, values)
        span = losses.max() - losses.min()
        self.loss_floor = losses.min() - 0.12 * span
        self.axes = Axes(x_range=[0, high - low, (high - low) / 4],
                         y_range=[0, 1.24 * span, span / 4],
                         x_length=8.2, y_length=4.4, tips=False,
                         axis_config={"color": self.theme.muted, "include_ticks": False})
        self.axes.move_to([-1.6, -0.05, 0])
        x_label = self.text("Weight Value", self.theme.label_size, self.theme.muted)
        y_label = self.text("Error Loss", self.theme.label_size, self.theme.muted).rotate(np.pi / 2)
        x_label.next_to(self.axes.x_axis, DOWN, buff=0.25)
        y_label.next_to(self.axes.y_axis, LEFT, buff=0.25)
        self.curve = VMobject(color=self.theme.positive, stroke_width=5).set_points_smoothly(
            [self.point(w, l) for w, l in zip(values, losses)])
        self.play(Create(self.axes), FadeIn(x_label), FadeIn(y_label), run_time=1.0)
        self.play(Create(self.curve), run_time=1.5)

    def position(self):
        w, loss = self.path.positions[0], self.path.losses[0]
        self.dot = Dot(self.point(w, loss), radius=0.12, color=self.theme.highlight)
        label = self.text("Current Position", self.theme.label_size, self.theme.text)
        # Put the label on the side where the curve falls away, clear of it.
        label.next_to(self.dot, UP + (LEFT if self.path.slopes[0] > 0 else RIGHT), buff=0.6)
        pointer = Arrow(label.get_bottom(), self.dot.get_center(), buff=0.15,
                        color=self.theme.text, stroke_width=3)
        self.position_label = VGroup(label, pointer)
        self.numbers = self.readout(w, loss, self.path.slopes[0])
        self.play(FadeIn(self.dot, scale=2), FadeIn(self.position_label), run_time=0.8)
        self.play(FadeIn(self.numbers[:2]), run_time=0.6)

    def slope(self):
        w, loss, slope = self.path.positions[0], self.path.losses[0], self.path.slopes[0]
        half = (self.window[1] - self.window[0]) / 7
        tangent = Line(self.point(w - half, loss - slope * half),
                       self.point(w + half, loss + slope * half),
                       color=self.theme.decrease, stroke_width=4)
        self.tangent = tangent
        self.play(Create(tangent), Write(self.numbers[2]), run_time=1.2)

    def first_step(self):
        start = self.point(self.path.positions[0], self.path.losses[0])
        target = self.point(self.path.positions[1], self.path.losses[1])
        direction = (target - start) / np.linalg.norm(target - start)
        arrow = Arrow(start, start + 1.6 * direction, buff=0.15, color=self.theme.increase,
                      stroke_width=6)
        words = self.text("Take a step towards the minimum", self.theme.label_size,
                          self.theme.increase)
        words.next_to(arrow.get_end(), UP + RIGHT * np.sign(direction[0]), buff=0.15)
        style = dict(font_size=self.theme.formula_size - 4, color=self.theme.text)
        rule = VGroup(Formula("w <- w - eta dot (partial L)/(partial w)", **style),
                      Formula("eta = ", self.eta, **style)).arrange(DOWN, aligned_edge=LEFT)
        rule.next_to(self.numbers, DOWN, buff=0.5, aligned_edge=LEFT)
        self.rule = rule
        self.play(FadeOut(self.position_label), Create(arrow), FadeIn(words), Write(rule),
                  run_time=1.2)
        self.play(FadeOut(arrow), FadeOut(words), FadeOut(self.tangent), run_time=0.4)
        self.trail = VGroup()
        self.add(self.trail)
        self.step(0, self.path)

    def step(self, k: int, path, jump: bool = False) -> None:
        """Move the dot from position k to k+1 of `path`, leaving a faint mark behind."""
        a, b = path.positions[k], path.positions[k + 1]
        route = (ArcBetweenPoints(self.point(a, path.losses[k]),
                                  self.point(b, path.losses[k + 1]), angle=-np.pi / 3)
                 if jump else self.curve_between(a, b))
        self.trail.add(Dot(self.dot.get_center(), radius=0.05, color=self.theme.muted))
        self.play(MoveAlongPath(self.dot, route), run_time=0.7)
        self.update_readout(k + 1, path)

    def descend(self):
        for k in range(1, STEPS):
            self.step(k, self.path)

    def overshoot(self):
        self.play(FadeOut(self.trail), FadeOut(self.rule),
                  self.dot.animate.move_to(self.point(self.big_path.positions[0],
                                                      self.big_path.losses[0])),
                  run_time=0.8)
        self.update_readout(0, self.big_path)
        self.rule = Formula("eta = ", self.big_eta, font_size=self.theme.formula_size - 4,
                            color=self.theme.error)
        self.rule.next_to(self.numbers, DOWN, buff=0.5, aligned_edge=LEFT)
        self.play(Write(self.rule), run_time=0.6)
        self.trail = VGroup()
        self.add(self.trail)
        for k in range(STEPS):
            self.step(k, self.big_path, jump=True)
