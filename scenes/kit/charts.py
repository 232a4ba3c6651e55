"""Charts: a meter comparing a guess with the truth, a loss landscape, and the symbolic
pictures of the samples (a cat and a dog drawn from shapes)."""

import numpy as np
from manim import (DOWN, LEFT, PI, RIGHT, UP, Arc, Axes, Circle, Dot, Ellipse, Line, Polygon,
                   ReplacementTransform, RoundedRectangle, VGroup, VMobject)

from .labels import Label, Number, readable_size
from .theme import Theme


ROW_BUFF = 0.25   # between the numbers of a meter in a row


def tick_size(theme: Theme) -> float:
    """The font size of a chart's tick numbers: a little smaller than other numbers, never
    below the readable size."""
    return max(theme.number_size - 4, readable_size(theme))


def fitted_chart(make, box, align=DOWN):
    """`make(width, height)`, a chart whose axes leave room for its labels, built to fill
    `box` without shrinking its texts: built again smaller by what its labels took
    beyond the box, then placed against `align`."""
    chart = make(box.width, box.height)
    extra_w, extra_h = chart.width - box.width, chart.height - box.height
    if extra_w > 1e-3 or extra_h > 1e-3:
        chart = make(box.width - max(extra_w, 0), box.height - max(extra_h, 0))
    return box.fit(chart, align)


def meter_mark(theme: Theme, word: str) -> VMobject:
    """A small copy of a guess meter's marker of `word` ("guess": the dot, "truth": the
    ring)."""
    if word == "guess":
        return Dot(radius=0.07, color=theme.highlight)
    return Circle(radius=0.075, stroke_color=theme.text, stroke_width=3)


class GuessMeter(VGroup):
    """A track from `low` to `high` with the true value (a ring) and the guess (a dot).

    `guess_label` and `truth_label` hold the numbers, shown above and below the markers,
    or, for a `compact` meter (about half as tall), one over the other right of the track
    (side by side, for a compact meter in a `row`: as tall as one line). Each number has
    its word before it ("guess 0.32"), or, without `words`, a small copy of its marker
    (a dot, a ring) where a key says what they mean once.
    """

    def __init__(self, name: str, guess: float, truth: float, theme: Theme, width: float = 3.4,
                 low: float = 0.0, high: float = 1.0, compact: bool = False,
                 row: bool = False, words: bool = True):
        super().__init__()
        self.theme, self.low, self.high, self.compact = theme, low, high, compact or row
        self.words, self.row = words, row
        compact = self.compact
        self.track = Line(LEFT * width / 2, RIGHT * width / 2, stroke_width=4, color=theme.muted)
        self.name = Label(name, theme, theme.label_size)
        self.name.next_to(self.track, LEFT, buff=0.3 if compact else 0.45)
        self.truth = Circle(radius=0.13, stroke_color=theme.text, stroke_width=4)
        self.truth.move_to(self.point(truth))
        self.guess = Dot(self.point(guess), radius=0.11, color=theme.highlight)
        self.guess_label = self._label(guess, "guess")
        self.truth_label = self._label(truth, "truth")
        if compact:
            labels = VGroup(self.guess_label, self.truth_label)
            if row:
                labels.arrange(RIGHT, buff=ROW_BUFF)
            else:
                labels.arrange(DOWN, aligned_edge=LEFT, buff=0.08)
            labels.next_to(self.track, RIGHT, buff=0.3)
        else:
            self.guess_label.next_to(self.guess, UP, buff=0.12)
            self.truth_label.next_to(self.truth, DOWN, buff=0.12)
        self.add(self.track, self.name, self.truth, self.truth_label, self.guess,
                 self.guess_label)

    def name_above(self) -> "GuessMeter":
        """The name moved above the meter, from the track's left end (a narrower meter)."""
        self.name.next_to(VGroup(self.track, self.truth, self.guess_label, self.truth_label),
                          UP, buff=0.08).align_to(self.track, LEFT)
        return self

    def point(self, value: float):
        """Where `value` sits on the track."""
        return self.track.point_from_proportion((value - self.low) / (self.high - self.low))

    def _label(self, value: float, word: str) -> VGroup:
        """"guess 0.32": the word, muted, and the number (without `words`, the marker's
        small copy and the number)."""
        size = self.theme.number_size
        return VGroup(Label(word, self.theme, size, self.theme.muted) if self.words
                      else meter_mark(self.theme, word),
                      Number(value, self.theme, size)).arrange(RIGHT, buff=0.12)

    def rewrite(self, number: Number, text: str) -> list | None:
        """The animations writing `number` as `text` when it is one of the meter's, its
        left edge kept (in a `row`, the truth's number moving along after the guess's);
        None for any other number."""
        words = [w for w in ("guess", "truth") if getattr(self, f"{w}_label")[1] is number]
        if not words:
            return None
        new = number.rewritten(text, self.theme, LEFT)
        animations = [ReplacementTransform(number, new)]
        if self.row and words[0] == "guess":
            animations.append(self.truth_label.animate.shift(RIGHT * (new.width - number.width)))
        return animations

    def gap(self) -> Line:
        """The stretch between guess and truth, in the error colour."""
        return Line(self.guess.get_center(), self.truth.get_center(), stroke_width=10,
                    color=self.theme.error)

    def move_guess(self, value: float) -> list:
        """Animations moving the guess (dot and number) to `value`."""
        return self._move("guess", value, UP)

    def move_truth(self, value: float) -> list:
        """Animations moving the truth (ring and number) to `value` (in a `row`, after
        the guess's: its number follows the guess's, however wide that has become)."""
        return self._move("truth", value, DOWN)

    def _move(self, word: str, value: float, side) -> list:
        """The marker `word` and its number move to `value`; the new number keeps the
        size of the old one (the meter may have been scaled)."""
        marker, point, old = getattr(self, word), self.point(value), getattr(self, f"{word}_label")
        label = self._label(value, word)
        scale = old[1].height / label[1].height
        label.scale(scale)
        if self.row and word == "truth":
            label.next_to(self.guess_label, RIGHT, buff=ROW_BUFF * scale)
        elif self.compact:   # the numbers stay where they are, right of the track
            label.move_to(old, aligned_edge=LEFT)
        else:
            label.next_to(marker.copy().move_to(point), side, buff=0.12 * scale)
        animations = [marker.animate.move_to(point), ReplacementTransform(old, label)]
        setattr(self, f"{word}_label", label)
        return animations


class LossLandscape(VGroup):
    """The cost as one weight changes: axes with ticks ("weight w", "cost C", the cost
    axis from 0), the curve, from the report's `landscape` (numbers made by
    `numeral(path)`). The loss axis reaches `headroom` times the highest loss, leaving
    room for labels above the curve.

    `point(w, loss)` is where a weight and its cost sit on the chart.
    """

    def __init__(self, landscape: dict, numeral, theme: Theme, width: float, height: float,
                 headroom: float = 1.35):
        super().__init__()
        self.theme = theme
        values, losses = landscape["values"], landscape["losses"]
        x_ticks, y_ticks = landscape["weight_ticks"], landscape["loss_ticks"]
        self.x_range = (min(values[0], x_ticks[0]), max(values[-1], x_ticks[-1]))
        self.y_range = (0.0, max(max(losses) * headroom, y_ticks[-1] * 1.05))
        span = self.x_range[1] - self.x_range[0]
        # The axes start at (x_range[0], 0), so the loss axis stands at the left edge.
        self.axes = Axes(x_range=[0, span, span], y_range=[*self.y_range, self.y_range[1]],
                         x_length=width - 1.2, y_length=height - 1.0, tips=False,
                         axis_config={"color": theme.muted, "include_ticks": False})
        ticks = VGroup()
        for k, w in enumerate(x_ticks):
            mark = Line(UP * 0.08, DOWN * 0.08, color=theme.muted).move_to(self.point(w, 0))
            label = numeral(f"landscape.weight_ticks[{k}]", tick_size(theme),
                            theme.muted).next_to(mark, DOWN, buff=0.08)
            ticks.add(mark, label)
        for k, value in enumerate(y_ticks):
            mark = Line(LEFT * 0.08, RIGHT * 0.08, color=theme.muted).move_to(
                self.point(self.x_range[0], value))
            label = numeral(f"landscape.loss_ticks[{k}]", tick_size(theme),
                            theme.muted).next_to(mark, LEFT, buff=0.08)
            ticks.add(mark, label)
        self.ticks = ticks
        self.x_label = Label("weight w", theme, theme.label_size, theme.muted)
        self.x_label.next_to(ticks, DOWN, buff=0.12).match_x(self.axes.x_axis)
        self.y_label = Label("cost C", theme, theme.label_size, theme.muted).rotate(PI / 2)
        self.y_label.next_to(ticks, LEFT, buff=0.12).match_y(self.axes.y_axis)
        self.samples = list(zip(values, losses))
        self.curve = VMobject(color=theme.text, stroke_width=4).set_points_smoothly(
            [self.point(w, l) for w, l in self.samples])
        self.frame_parts = VGroup(self.axes, ticks, self.x_label, self.y_label)
        self.add(self.frame_parts, self.curve)

    def point(self, w: float, loss: float):
        return self.axes.c2p(w - self.x_range[0], loss)

    def dot(self, w: float, loss: float) -> Dot:
        """The walker: a dot in the highlight colour at (w, loss)."""
        return Dot(self.point(w, loss), radius=0.12, color=self.theme.highlight)

    def tried(self, count: int) -> VGroup:
        """Dots at `count` of the curve's samples, left to right: the values tried."""
        picks = np.linspace(0, len(self.samples) - 1, count).round().astype(int)
        return VGroup(*(Dot(self.point(*self.samples[k]), radius=0.05, color=self.theme.text)
                        for k in picks))

    def tangent(self, w: float, loss: float, slope: float, length: float = 1.6) -> Line:
        """The tangent at (w, loss) with `slope` (in chart units), `length` long on screen,
        in the neutral tangent colour."""
        a, b = np.array(self.point(w, loss)), np.array(self.point(w + 1.0, loss + slope))
        direction = (b - a) / np.linalg.norm(b - a)
        return Line(a - direction * length / 2, a + direction * length / 2,
                    color=self.theme.muted, stroke_width=4)

    def curve_between(self, a: float, b: float) -> VMobject:
        """The curve from weight `a` to weight `b` (either way), to move a dot along."""
        low, high = sorted((a, b))
        inside = [(w, l) for w, l in self.samples if low < w < high]
        if a > b:
            inside.reverse()
        points = [self._at(a)] + [self.point(w, l) for w, l in inside] + [self._at(b)]
        return VMobject().set_points_smoothly(points) if len(points) > 2 else \
            VMobject().set_points_as_corners(points)

    def _at(self, w: float):
        """The curve's point at weight `w` (interpolated between samples)."""
        ws = [p[0] for p in self.samples]
        ls = [p[1] for p in self.samples]
        return self.point(w, float(np.interp(w, ws, ls)))


def sample_picture(name: str, theme: Theme, size: float = 1.6) -> VGroup:
    """A framed symbolic picture of sample `name`: a cat or a dog drawn from shapes, any
    other sample as its name on a card."""
    draw = {"cat": _cat, "dog": _dog}.get(name.lower())
    if draw is None:
        return _name_card(name, theme, size)
    inside = draw(theme)
    frame = RoundedRectangle(corner_radius=0.12, width=1.5, height=1.5,
                             stroke_color=theme.muted, stroke_width=3)
    inside.scale_to_fit_width(min(inside.width, 1.2)).move_to(frame)
    return VGroup(frame, inside).scale(size / 1.5)


def _name_card(name: str, theme: Theme, size: float) -> VGroup:
    """The sample's name on a card `size` tall and as wide as the name needs (at least
    square), its text never below the readable size."""
    label = Label(name, theme, max(theme.body_size * size / 1.6, readable_size(theme)))
    frame = RoundedRectangle(corner_radius=0.12 * size / 1.5, width=max(size, label.width + 0.3),
                             height=size, stroke_color=theme.muted, stroke_width=3)
    return VGroup(frame, label.move_to(frame))


def _face(theme: Theme) -> VGroup:
    head = Circle(radius=0.5, stroke_color=theme.text, stroke_width=4)
    eyes = VGroup(*(Dot([x, 0.1, 0], radius=0.06, color=theme.text) for x in (-0.18, 0.18)))
    return VGroup(head, eyes)


def _cat(theme: Theme) -> VGroup:
    """Pointy ears and whiskers."""
    ears = VGroup(*(Polygon([s * 0.45, 0.2, 0], [s * 0.42, 0.75, 0], [s * 0.08, 0.48, 0],
                            stroke_color=theme.text, stroke_width=4) for s in (-1, 1)))
    nose = Polygon([-0.06, -0.08, 0], [0.06, -0.08, 0], [0, -0.16, 0], color=theme.text,
                   fill_opacity=1, stroke_width=2)
    whiskers = VGroup(*(Line([s * 0.12, -0.14, 0], [s * 0.7, -0.14 + dy, 0], stroke_width=2,
                             color=theme.muted)
                        for s in (-1, 1) for dy in (0.1, 0, -0.1)))
    return VGroup(ears, *_face(theme), nose, whiskers)


def _dog(theme: Theme) -> VGroup:
    """Floppy ears, a big nose and a tongue."""
    ears = VGroup(*(Ellipse(width=0.32, height=0.7, stroke_color=theme.text, stroke_width=4,
                            fill_color=theme.background, fill_opacity=1)
                    .rotate(s * 0.35).move_to([s * 0.5, 0.05, 0]) for s in (-1, 1)))
    nose = Ellipse(width=0.22, height=0.15, color=theme.text, fill_opacity=1).move_to(
        [0, -0.12, 0])
    mouth = Arc(radius=0.14, start_angle=PI, angle=PI, color=theme.text, stroke_width=3
                ).move_to([0, -0.3, 0])
    return VGroup(*_face(theme), ears, nose, mouth)
