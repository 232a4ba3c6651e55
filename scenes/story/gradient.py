"""Part 4, what a gradient is: the cost as one weight changes, and the slope under us.

Also the pieces Parts 6 and 7 share with it: the followed weight's name and paths, the
landscape chart in the layout's diagram box, the small diagram with that weight aglow,
and the readout of w, C and ∂C/∂w.
"""

import numpy as np
from manim import (DOWN, LEFT, ORIGIN, RIGHT, UP, Arrow, Create, FadeIn, FadeOut, LaggedStart,
                   Rotate, VGroup, Write, there_and_back)

from scenes.kit.base import Part
from scenes.kit.charts import LossLandscape, fitted_chart
from scenes.kit.theme import weight_keys

TRIED = 25   # values of the weight tried, point by point
SMALL_DIAGRAM_WIDTH = 5.0   # narrower, the followed weight is named instead of drawn
SMALLEST_NEURON = 0.22      # so are neurons smaller than this (frame units)
READOUT_SPLIT = 0.6         # of a wide, low panel's width left of the readout


def weight_ends(part: Part) -> tuple[str, str]:
    """("hidden neuron 3", "cat?"): the neurons the followed weight joins."""
    l, j, i = part.report["focus"]["weight"]
    cfg = part.cfg
    names = [cfg.input_labels] + [[f"hidden neuron {k + 1}" for k in range(n)]
                                  for n in cfg.network.layers[1:-1]] + [cfg.output_labels]
    return names[l][i], names[l + 1][j]


def weight_name(part: Part) -> str:
    """"the weight from hidden neuron 3 to cat?" for the followed weight."""
    return "the weight from {} to {}".format(*weight_ends(part))


def focus_paths(part: Part) -> tuple[str, str]:
    """Report paths of the followed weight and of its gradient (the cost's)."""
    l, j, i = part.report["focus"]["weight"]
    return f"layers[{l}].W[{j}][{i}]", f"layers[{l}].grad_W[{j}][{i}]"


def landscape_chart(part: Part, box=None) -> LossLandscape:
    """The followed weight's loss landscape, filling `box` (default: the diagram box)."""
    return fitted_chart(lambda width, height: LossLandscape(
        part.report["landscape"], part.numeral, part.theme, width, height),
        box or part.layout.diagram, ORIGIN)


def small_diagram(part: Part, box) -> tuple[VGroup, VGroup]:
    """The network in `box`, every edge faint (frozen) but the followed weight's, which
    keeps its sign colour over a glow in the highlight colour; (diagram, glow). Where the
    neurons would come out too small to read, the weight is named instead (no glow)."""
    diagram = part.make_diagram(box)
    if box.width < SMALL_DIAGRAM_WIDTH or diagram.neurons[0][0].width < SMALLEST_NEURON:
        source, target = weight_ends(part)
        size, color = part.theme.label_size, part.theme.highlight
        named = VGroup(part.text("weight we vary:", size), part.text(source, size, color),
                       part.text(f"\u2192 {target}", size, color)
                       ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        return box.fit(named, UP + LEFT), VGroup()
    l, j, i = part.report["focus"]["weight"]
    edge = diagram.edges[l].get((j, i))
    for line in diagram.edge_group:
        if line is not edge:
            line.set_stroke(opacity=0.25)
    glow = VGroup()
    if edge is not None:
        glow.add(edge.copy().set_stroke(part.theme.highlight, width=edge.get_stroke_width() + 9,
                                        opacity=0.55))
    return diagram, glow


def readout(part: Part, w, loss, slope=None) -> VGroup:
    """w, C (error colour) and, when given, ∂C/∂w (gradient colour), one per line."""
    lines = [part.formula("w = ", w), part.formula("C = ", loss, color=part.theme.error)]
    if slope is not None:
        lines.append(part.formula("(partial C)/(partial w) = ", slope,
                                  color=part.theme.gradient))
    return VGroup(*lines).arrange(DOWN, aligned_edge=LEFT, buff=0.18)


def side_boxes(part: Part, across: float = 0.62, down: float = 0.5):
    """The panel split in two: side by side when it is much wider than tall (`across` of
    the width to the first box), else one above the other (`down` of the height)."""
    panel = part.layout.panel
    return panel.columns(across) if panel.width > 2 * panel.height else panel.rows(down)


class Gradient(Part):
    """The loss landscape of one weight; where we stand; the slope is the gradient."""

    number = 4
    title = "What's a gradient?"
    heading = "What's a gradient? Feeling the slope"
    beats = ("freeze", "valley", "position", "slope", "step_direction")
    narration = {
        "freeze": "Freeze every weight but one, {weight_name}, and try other values for it: "
                  "at each value, measure the cost C of all our pictures.",
        "valley": "The points trace a valley: the cost along this one weight, lowest near "
                  "w = {w_min}.",
        "position": "We are here: the weight is {w} now, and the cost is {cost}.",
        "slope": "The gradient ∂C/∂w is the slope of the ground under our feet: {slope}. "
                 "{uphill}",
        "step_direction": "Like a hiker in fog, feeling the ground with a foot, we step "
                          "against the slope: towards the minimum.",
    }

    def numbers(self):
        w, grad = focus_paths(self)
        side = "right" if self.value(grad) > 0 else "left"
        return {**super().numbers(), "weight_name": weight_name(self), "w": self.said(w),
                "w_min": self.said("landscape.minimum.weight"), "slope": self.said(grad),
                "uphill": f"It points uphill, to the {side}."}

    def freeze(self):
        self.set_heading()
        top, _ = side_boxes(self, across=READOUT_SPLIT)
        self.small, glow = small_diagram(self, top)
        signs = weight_keys(self.theme)
        self.legend(*(signs if len(glow) else ()), ("varied", self.theme.highlight))
        self.play(FadeIn(self.small), run_time=0.6)
        self.play(FadeIn(glow), run_time=0.5)
        self.chart = landscape_chart(self)
        self.play(Create(self.chart.axes), FadeIn(self.chart.frame_parts[1:]), run_time=0.8)
        self.dots = self.chart.tried(TRIED)
        self.play(LaggedStart(*(FadeIn(d, scale=2) for d in self.dots), lag_ratio=0.6),
                  run_time=max(1.5, self.time_left() - 0.3))
        self.subject = glow if len(glow) else self.small

    def valley(self):
        self.play(Create(self.chart.curve), run_time=1.5)
        self.play(FadeOut(self.dots), run_time=0.4)
        self.subject = self.chart.curve

    def position(self):
        w_path, grad_path = focus_paths(self)
        w, loss = self.value(w_path), self.value("loss")
        self.dot = self.chart.dot(w, loss)
        label = self.text("We are here", self.theme.label_size, self.theme.text)
        place_above(label, self.dot, self.chart.axes, uphill=RIGHT if slope_of(self) > 0
                    else LEFT)
        self.position_label = VGroup(label, Arrow(label.get_bottom(), self.dot.get_center(),
                                                  buff=0.12, color=self.theme.text,
                                                  stroke_width=3))
        _, low = side_boxes(self, across=READOUT_SPLIT)
        self.readout = low.fit(readout(self, w, loss, self.value(grad_path)), UP + LEFT)
        self.play(FadeIn(self.dot, scale=2), FadeIn(self.position_label), run_time=0.8)
        self.play(FadeIn(self.readout[:2]), run_time=0.6)
        self.subject = self.dot

    def slope(self):
        w_path, grad_path = focus_paths(self)
        self.tangent = self.chart.tangent(self.value(w_path), self.value("loss"),
                                          self.value(grad_path), length=2.2)
        # The tangent rocks about the dot before it settles on the slope.
        self.play(Create(self.tangent), Write(self.readout[2]), run_time=1.0)
        for angle in (0.35, -0.2, 0.08):
            self.play(Rotate(self.tangent, angle, about_point=self.dot.get_center(),
                             rate_func=there_and_back), run_time=0.6)
        self.subject = self.tangent

    def step_direction(self):
        slope = self.value(focus_paths(self)[1])
        direction = np.array([-np.sign(slope) or 1.0, 0.0, 0.0])
        start = self.dot.get_center()
        arrow = Arrow(start, start + 1.5 * direction, buff=0.15, color=self.theme.highlight,
                      stroke_width=6)
        words = self.text("Take a step towards the minimum", self.theme.label_size,
                          self.theme.highlight)
        self.step_label = VGroup(arrow, place_below_curve(self.chart, words, arrow))
        self.play(Create(arrow), FadeIn(self.step_label[1]), run_time=1.0)
        self.subject = arrow


def slope_of(part: Part) -> float:
    return float(part.value(focus_paths(part)[1]))


def place_above(label, dot, frame, uphill) -> None:
    """`label` well above `dot` if `frame` has room for it, else lower, and beside the dot
    on the uphill side when even that would cover it; never sideways out of `frame`."""
    label.next_to(dot, UP, buff=0.9)
    over = label.get_top()[1] - frame.get_top()[1]
    if over > 0:
        label.shift(DOWN * over)
    if label.get_bottom()[1] < dot.get_top()[1] + 0.3:
        label.next_to(dot, uphill, buff=0.5).align_to(dot, DOWN).shift(0.3 * UP)
    inside_x(label, frame)


def inside_x(mobject, frame):
    """Shift `mobject` sideways so that it lies within `frame`'s left and right edges."""
    left, right = frame.get_left()[0], frame.get_right()[0]
    mobject.shift(RIGHT * (max(0.0, left - mobject.get_left()[0])
                           - max(0.0, mobject.get_right()[0] - right)))
    return mobject


def place_below_curve(chart: LossLandscape, words, arrow):
    """Put `words` under `arrow`, below the curve's lowest point, inside the axes."""
    lowest = min(loss for _, loss in chart.samples)
    top = min(arrow.get_bottom()[1] - 0.15, chart.point(chart.x_range[0], lowest)[1] - 0.35)
    axes = chart.axes
    words.scale(min(1.0, 0.95 * axes.width / words.width))
    x = np.clip(arrow.get_center()[0], axes.get_left()[0] + words.width / 2 + 0.1,
                axes.get_right()[0] - words.width / 2)
    return words.move_to([x, top - words.height / 2, 0])
