"""Part 4, what a gradient is: the cost as one weight changes, and the slope under us.

Also the pieces Parts 6 and 7 share with it: the followed weight's name and paths, the
landscape chart in the layout's diagram box, the small diagram with that weight aglow,
and the readout of w, C and ∂C/∂w.
"""

import numpy as np
from manim import (DOWN, LEFT, ORIGIN, RIGHT, UP, Arrow, Create, FadeIn, FadeOut, LaggedStart,
                   Rotate, VGroup, Write, there_and_back)

from scenes.kit.arranged import ArrangedPart
from scenes.kit.base import Part
from scenes.kit.layout import Box, Layout, box_of, scale_in
from scenes.kit.charts import LossLandscape, fitted_chart
from scenes.kit.theme import weight_keys

TRIED = 25   # values of the weight tried, point by point
SMALL_DIAGRAM_WIDTH = 5.0   # narrower, the followed weight is named instead of drawn
SMALLEST_NEURON = 0.22      # so are neurons smaller than this (frame units)
TANGENT = 2.2               # the tangent's length (frame units)
STEP = 1.5                  # the step arrow's length


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


def weight_named(part: Part) -> VGroup:
    """"weight we vary: / hidden neuron 3 / → cat?", at full size."""
    source, target = weight_ends(part)
    size, color = part.theme.label_size, part.theme.highlight
    return VGroup(part.text("weight we vary:", size), part.text(source, size, color),
                  part.text(f"\u2192 {target}", size, color)
                  ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)


def small_diagram(part: Part, box) -> tuple[VGroup, VGroup]:
    """The network in `box`, every edge faint (frozen) but the followed weight's, which
    keeps its sign colour over a glow in the highlight colour; (diagram, glow). Where the
    neurons would come out too small to read, the weight is named instead (no glow)."""
    diagram = None if box.width < SMALL_DIAGRAM_WIDTH else part.make_diagram(box)
    if diagram is None or diagram.neurons[0][0].width < SMALLEST_NEURON:
        return box.fit(weight_named(part), UP + LEFT), VGroup()
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


def side_boxes(panel: Box, across: float = 0.62, down: float = 0.5) -> tuple[Box, Box]:
    """`panel` split in two: side by side when it is much wider than tall (`across` of
    the width to the first box), else one above the other (`down` of the height)."""
    return panel.columns(across) if panel.width > 2 * panel.height else panel.rows(down)


class ChartPart(ArrangedPart):
    """A part with the landscape chart in the diagram's place and two pieces in its panel
    (`pieces`), split between the panel's two boxes (`boxes`) in proportion to their
    widths where they stand side by side."""

    split = 0.5   # of a wide, low panel's width to the first box

    def pieces(self) -> tuple[list, list]:
        """The mobjects the panel's first and second box will show, at full size."""
        raise NotImplementedError

    def legend_entries(self) -> tuple:
        raise NotImplementedError

    def boxes(self, layout: Layout | None = None) -> tuple[Box, Box]:
        """The panel's two boxes (of `layout`, by default this part's): see `side_boxes`."""
        return side_boxes((layout or self.layout).panel, self.split)

    def arrange(self) -> None:
        """Where the panel lies below the chart: of the layout's `roomier` arrangements,
        the one whose chart is tallest while the pieces come out no smaller than in the
        layout's own boxes and the legend keeps its size (none in a wide frame, or when
        none does: the layout's own)."""
        pieces = self.pieces()
        widths = [max((m.width for m in piece), default=0.0) for piece in pieces]
        self.split = widths[0] / sum(widths) if sum(widths) else 0.5
        if self.layout.wide:
            return
        def scales(layout) -> list[float]:
            key = self.scene.make_legend(self.legend_entries(), layout.legend.width)
            return [scale_in(key, layout.legend)] + [
                scale_in(m, box) for box, piece in zip(self.boxes(layout), pieces)
                for m in piece]
        least = [1.0] + [min(scale, 1.0) for scale in scales(self.layout)[1:]]
        self.arrangement = max((layout for layout in self.layout.roomier()
                                if all(s >= l - 1e-6 for s, l in zip(scales(layout), least))),
                               key=lambda l: l.diagram.height, default=None)


class Gradient(ChartPart):
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

    drawn = False   # whether the panel draws the small diagram (else it names the weight)

    def pieces(self) -> tuple[list, list]:
        w_path, grad_path = focus_paths(self)
        self.drawn = bool(len(small_diagram(self, side_boxes(self.layout.panel)[0])[1]))
        return ([] if self.drawn else [weight_named(self)],
                [readout(self, self.value(w_path), self.value("loss"), self.value(grad_path))])

    def legend_entries(self) -> tuple:
        """The key: the weights' signs where the small diagram is drawn, and the varied
        weight's colour."""
        return (*(weight_keys(self.theme) if self.drawn else ()),
                ("varied", self.theme.highlight))

    def freeze(self):
        self.arrange()
        self.set_heading()
        self.small, glow = small_diagram(self, self.boxes()[0])
        self.drawn = bool(len(glow))
        self.legend(*self.legend_entries())
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
        self.step_label = self.step_marks()
        label = self.text("We are here", self.theme.label_size, self.theme.text)
        self.tangent = self.chart.tangent(w, loss, self.value(grad_path), length=TANGENT)
        direction = place_label(label, self.dot, self.chart, self.layout.diagram,
                                [self.tangent, *self.step_label])
        self.position_label = VGroup(label, Arrow(label.get_critical_point(-direction),
                                                  self.dot.get_center(), buff=0.12,
                                                  color=self.theme.text, stroke_width=3))
        self.readout = self.boxes()[1].fit(readout(self, w, loss, self.value(grad_path)),
                                           UP + LEFT)
        self.play(FadeIn(self.dot, scale=2), FadeIn(self.position_label), run_time=0.8)
        self.play(FadeIn(self.readout[:2]), run_time=0.6)
        self.subject = self.dot

    def step_marks(self) -> VGroup:
        """The step against the slope, from the dot: an arrow, and its words below the
        curve."""
        start = self.dot.get_center()
        downhill = np.array([-np.sign(slope_of(self)) or 1.0, 0.0, 0.0])
        arrow = Arrow(start, start + STEP * downhill, buff=0.15, color=self.theme.highlight,
                      stroke_width=6)
        words = self.text("Take a step towards the minimum", self.theme.label_size,
                          self.theme.highlight)
        return VGroup(arrow, place_below_curve(self.chart, words, arrow))

    def slope(self):
        # The tangent rocks about the dot before it settles on the slope.
        self.play(Create(self.tangent), Write(self.readout[2]), run_time=1.0)
        for angle in (0.35, -0.2, 0.08):
            self.play(Rotate(self.tangent, angle, about_point=self.dot.get_center(),
                             rate_func=there_and_back), run_time=0.6)
        self.subject = self.tangent

    def step_direction(self):
        arrow, words = self.step_label
        self.play(Create(arrow), FadeIn(words), run_time=1.0)
        self.subject = arrow


def slope_of(part: Part) -> float:
    return float(part.value(focus_paths(part)[1]))


def place_label(label, dot, chart: LossLandscape, within: Box, coming) -> np.ndarray:
    """Put `label` by `dot` where it covers neither the curve, nor the chart's axes and
    texts, nor any of `coming` (what will be drawn by the dot), inside `within`: above it,
    on either side above, beside, or below it, nearer first; returns the direction it went
    (from the dot). Where no spot is clear, above it (inside the axes)."""
    axes = box_of(chart.axes)
    curve = [chart.point(w, loss) for w, loss in chart.samples]
    taken = [box_of(m) for m in [*coming, *chart.ticks, chart.x_label, chart.y_label,
                                 chart.axes.x_axis, chart.axes.y_axis]]
    for buff in (0.5, 0.3):
        for direction in (UP, UP + LEFT, UP + RIGHT, LEFT, RIGHT, DOWN, DOWN + LEFT,
                          DOWN + RIGHT):
            label.next_to(dot, direction, buff=buff)
            box = box_of(label)
            clear = Box(box.left - 0.08, box.bottom - 0.08, box.right + 0.08, box.top + 0.08)
            if (within.contains(box) and not any(clear.overlaps(t) for t in taken)
                    and not any(clear.left <= p[0] <= clear.right
                                and clear.bottom <= p[1] <= clear.top for p in curve)):
                return direction
    label.next_to(dot, UP, buff=0.3)
    label.shift(DOWN * max(0.0, label.get_top()[1] - axes.top))
    inside_x(label, chart.axes)
    return UP


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
