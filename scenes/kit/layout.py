"""Where things go, computed from the frame at render time (any size, any shape).

The frame's shorter side is 8 units, so text keeps its size in pixels whatever the shape.
A wide frame (16:9, 4:3) puts the panel of formulas and charts right of the diagram; a
square or tall one (1:1, 9:16) puts it below. A square frame has the least room: its
captions and legend use a smaller (still readable) font, and its legend stands beside
the panel instead of above it, leaving the diagram more height.

A part with a crowded panel may pick another arrangement of the frame (`arrangements`):
the panel taking some of the diagram's room, or, in a wide or square frame, the legend
moving up beside a two-line heading so that the panel gets the legend's room too.
"""

import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

import numpy as np
from manim import DOWN, LEFT, ORIGIN, RIGHT, UP, VGroup, config

SHORT_SIDE = 8.0     # frame units along the frame's shorter side
MARGIN = 0.3
HEADING_HEIGHT = 0.75      # one line of heading; square and tall frames allow two
TALL_HEADING_HEIGHT = 1.05
LEGEND_HEIGHT = 1.1        # three rows of the key at full size
LEGEND_UP_HEIGHT = 1.5     # four rows of the key at full size, beside the heading
GAP = 0.3
# Shares of its room the diagram may give a crowded panel, tried in turn (`arrangements`).
DIAGRAM_GIVES = (0.0, 0.08, 0.16, 0.24, 0.3, 0.36)
# Shares of its room a roomy panel may give the diagram, tried in turn (`roomier`).
PANEL_GIVES = (0.0, 0.1, 0.2, 0.3, 0.4)
HEADING_SHARE = 0.56  # of the top row's width left of the legend, when the legend moves up
WIDE = 1.25          # width / height from which a frame counts as wide
TALL = 1.25          # height / width from which a frame counts as tall (panel below)
COMPACT_TEXT = 0.9   # captions and legend of a square frame: 21.6 instead of 24 (capitals >= 12 px)
MIN_TEXT_HEIGHT = 12 / 480 * SHORT_SIDE   # 12 px at 480 px, in frame units
CAPTION_CHAR_WIDTH = 0.17  # frame units per character of caption text, on average
CAPTION_LINE_HEIGHT = 0.42
LONGEST_CAPTION = 160      # characters a caption box holds at least (a long sentence)


def frame_units(pixel_width: int, pixel_height: int) -> tuple[float, float]:
    """The frame's (width, height) in Manim units for a picture of that many pixels."""
    scale = SHORT_SIDE / min(pixel_width, pixel_height)
    return pixel_width * scale, pixel_height * scale


@dataclass(frozen=True)
class Box:
    """A rectangle of the frame, in Manim units (origin at the centre, y up)."""

    left: float
    bottom: float
    right: float
    top: float

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    @property
    def center(self) -> np.ndarray:
        return np.array([(self.left + self.right) / 2, (self.bottom + self.top) / 2, 0.0])

    def point(self, direction) -> np.ndarray:
        """The centre, or the edge or corner `direction` points to (e.g. UP + LEFT)."""
        d = np.asarray(direction, dtype=float)
        return self.center + np.array([d[0] * self.width / 2, d[1] * self.height / 2, 0.0])

    def fit(self, mobject, align=ORIGIN, grow: bool = False):
        """Scale `mobject` down to fit (or, with `grow`, as large as fits) and place it
        against the side `align` names (ORIGIN: centred)."""
        if mobject.width > 0 and mobject.height > 0:
            scale = min(self.width / mobject.width, self.height / mobject.height)
            if scale < 1 or grow:
                mobject.scale(scale)
        mobject.move_to(self.point(align), aligned_edge=align)
        return mobject

    def contains(self, box: "Box", slack: float = 1e-6) -> bool:
        return (box.left >= self.left - slack and box.right <= self.right + slack
                and box.bottom >= self.bottom - slack and box.top <= self.top + slack)

    def overlaps(self, box: "Box") -> bool:
        return (self.left < box.right and box.left < self.right
                and self.bottom < box.top and box.bottom < self.top)

    def below(self, height: float, gap: float = 0.0) -> tuple["Box", "Box"]:
        """Split off a strip of `height` at the bottom: (the rest above, the strip)."""
        return (Box(self.left, self.bottom + height + gap, self.right, self.top),
                Box(self.left, self.bottom, self.right, self.bottom + height))

    def above(self, height: float, gap: float = 0.0) -> tuple["Box", "Box"]:
        """Split off a strip of `height` at the top: (the strip, the rest below)."""
        return (Box(self.left, self.top - height, self.right, self.top),
                Box(self.left, self.bottom, self.right, self.top - height - gap))

    def columns(self, share: float, gap: float = GAP) -> tuple["Box", "Box"]:
        """Split left/right: the left one takes `share` of the width."""
        middle = self.left + share * (self.width - gap)
        return (Box(self.left, self.bottom, middle, self.top),
                Box(middle + gap, self.bottom, self.right, self.top))

    def rows(self, share: float, gap: float = GAP) -> tuple["Box", "Box"]:
        """Split top/bottom: the top one takes `share` of the height."""
        middle = self.top - share * (self.height - gap)
        return (Box(self.left, middle, self.right, self.top),
                Box(self.left, self.bottom, self.right, middle - gap))


def rows_within(items: list, width: float, buff: float = 0.15,
                line_buff: float = 0.12) -> VGroup:
    """`items` in order, in as few rows as keep each row at most `width` wide (rows about
    equally wide, not a full one and a lone item), rows left-aligned under each other."""
    if not items:
        return VGroup()
    widths = [item.width for item in items]

    def lines(limit: float) -> list[list[int]]:
        found = [[]]
        for k, w in enumerate(widths):
            if found[-1] and sum(widths[i] + buff for i in found[-1]) + w > limit:
                found.append([])
            found[-1].append(k)
        return found

    fewest = len(lines(width))
    limit = min((w for w in np.linspace(max(widths), width, 24)
                 if len(lines(w)) == fewest), default=width)
    rows = [VGroup(*(items[k] for k in line)).arrange(RIGHT, buff=buff)
            for line in lines(limit)]
    return VGroup(*rows).arrange(DOWN, aligned_edge=LEFT, buff=line_buff)


def scale_in(mobject, box: Box) -> float:
    """The scale (at most 1) at which `mobject` fits into `box`."""
    return min(1.0, box.width / mobject.width, box.height / mobject.height)


def box_of(mobject) -> Box:
    """The bounding box of `mobject`."""
    (left, bottom, _), (right, top, _) = mobject.get_corner(DOWN + LEFT), mobject.get_corner(UP + RIGHT)
    return Box(float(left), float(bottom), float(right), float(top))


@dataclass(frozen=True)
class Layout:
    """The regions of the frame: heading, legend, diagram, panel and caption."""

    frame: Box
    heading: Box
    stage: Box      # everything between heading and caption
    diagram: Box
    legend: Box
    panel: Box
    caption: Box
    wide: bool      # panel beside the diagram (else below it)
    text_scale: float = 1.0   # of the caption and legend font (smaller on square frames)
    legend_up: bool = False   # the legend beside the heading (the panel has its room)

    @property
    def caption_chars(self) -> int:
        """Characters per caption line."""
        return caption_chars(self.caption.width, self.text_scale)

    @property
    def caption_lines(self) -> int:
        """Lines of caption the caption box holds."""
        return max(1, round((self.caption.height + 0.12) / (CAPTION_LINE_HEIGHT * self.text_scale)))

    @classmethod
    def of_frame(cls, width: float | None = None, height: float | None = None,
                 longest_caption: int = LONGEST_CAPTION) -> "Layout":
        """The layout of a frame `width` x `height` units (default: Manim's config now),
        with a caption box tall enough for `longest_caption` characters of sentence."""
        width = config.frame_width if width is None else width
        height = config.frame_height if height is None else height
        frame = Box(-width / 2, -height / 2, width / 2, height / 2)
        inner = Box(frame.left + MARGIN, frame.bottom + MARGIN,
                    frame.right - MARGIN, frame.top - MARGIN)
        tall = height / width >= TALL
        square = not tall and width / height < WIDE
        scale = COMPACT_TEXT if square else 1.0
        # Whole words wrap: a line holds about 93% of its characters on average.
        lines = max(2, math.ceil(longest_caption / (0.93 * caption_chars(inner.width, scale))))
        heading, rest = inner.above(TALL_HEADING_HEIGHT if tall else HEADING_HEIGHT, GAP / 2)
        stage, caption = rest.below(lines * CAPTION_LINE_HEIGHT * scale - 0.12, GAP)
        wide = not tall and not square
        if wide:
            diagram, side = stage.columns(0.6)
            legend, panel = side.above(LEGEND_HEIGHT, GAP / 2)
        elif square:
            diagram, lower = stage.rows(0.62)
            panel, legend = lower.columns(0.64)
        else:
            diagram, lower = stage.rows(0.6)
            legend, panel = lower.above(LEGEND_HEIGHT, GAP / 2)
        return cls(frame, heading, stage, diagram, legend, panel, caption, wide, scale)

    @property
    def square(self) -> bool:
        """Whether the frame is square (neither wide nor tall: its text is compact)."""
        return not self.wide and self.text_scale < 1

    def with_legend_up(self) -> "Layout":
        """This frame with the legend beside the heading, in a top row tall enough for
        four rows of the key and two lines of heading; below it the diagram and the
        panel split the stage as before (side by side or one above the other), the panel
        taking the legend's room."""
        inner = Box(self.frame.left + MARGIN, self.frame.bottom + MARGIN,
                    self.frame.right - MARGIN, self.frame.top - MARGIN)
        top, rest = inner.above(LEGEND_UP_HEIGHT * self.text_scale, GAP / 2)
        heading, legend = top.columns(HEADING_SHARE)
        stage = Box(rest.left, self.stage.bottom, rest.right, rest.top)
        diagram, panel = stage.columns(0.6) if self.wide else stage.rows(0.62)
        return replace(self, heading=heading, legend=legend, stage=stage, diagram=diagram,
                       panel=panel, legend_up=True)

    def giving(self, share: float) -> "Layout | None":
        """This layout with the panel taking `share` of the diagram's width (beside it) or
        height (below it, the legend beside the panel or above both growing with it);
        None where the legend lies between them (a tall frame) and `share` is not 0."""
        diagram, panel, legend = self.diagram, self.panel, self.legend
        if self.wide:
            d = share * diagram.width
            return replace(self, diagram=Box(diagram.left, diagram.bottom, diagram.right - d,
                                             diagram.top),
                           panel=Box(panel.left - d, panel.bottom, panel.right, panel.top))
        if share and not (self.legend_up or legend.top <= panel.top + 1e-6):
            return None
        d = share * diagram.height
        grown = (legend if self.legend_up else
                 Box(legend.left, legend.bottom, legend.right, legend.top + d))
        return replace(self, diagram=Box(diagram.left, diagram.bottom + d, diagram.right,
                                         diagram.top),
                       panel=Box(panel.left, panel.bottom, panel.right, panel.top + d),
                       legend=grown)

    def taking(self, share: float) -> "Layout | None":
        """This layout with the diagram taking `share` of the panel's width (beside it:
        the panel and the legend above it then a GAP further off, as the diagram's labels
        reach its edge) or height (below it); None where `giving` has none."""
        if not self.wide:
            return self.giving(-share * self.panel.height / self.diagram.height)
        taken = self.giving(-share * self.panel.width / self.diagram.width)
        if not share:
            return taken
        left = taken.diagram.right + 2 * GAP
        return replace(taken, panel=replace(taken.panel, left=left),
                       legend=replace(taken.legend, left=max(left, taken.legend.left)))

    def roomier(self) -> Iterator["Layout"]:
        """The ways to arrange this frame for a roomy panel, in order of preference: this
        layout, then its diagram taking PANEL_GIVES of the panel's room; then the same with
        the legend up beside the heading (wide and square frames)."""
        return self._varied(PANEL_GIVES, Layout.taking)

    def arrangements(self) -> Iterator["Layout"]:
        """The ways to arrange this frame for a crowded panel, in order of preference:
        this layout, then its panel taking DIAGRAM_GIVES of the diagram's room; then the
        same with the legend up beside the heading (wide and square frames)."""
        return self._varied(DIAGRAM_GIVES, Layout.giving)

    def _varied(self, shares, change) -> Iterator["Layout"]:
        """`change(layout, share)` for each of `shares`, of this layout and then of it with
        the legend up (wide and square frames), where it gives one."""
        layouts = (self, self.with_legend_up()) if self.wide or self.square else (self,)
        for layout in layouts:
            for share in shares:
                changed = change(layout, share)
                if changed is not None:
                    yield changed


def first_fitting(candidates: Iterable, score: Callable) -> tuple:
    """(score, result) of the first of `candidates` whose `score(candidate)`, a (score,
    result) pair, reaches 1 (it fits); else of the one that scores highest (None when
    there are no candidates)."""
    best = None
    for candidate in candidates:
        found = score(candidate)
        if found[0] >= 1:
            return found
        if best is None or found[0] > best[0]:
            best = found
    return best


def caption_chars(width: float, scale: float = 1.0) -> int:
    """Characters of caption text a line `width` units wide holds (at `scale` of the
    caption font)."""
    return max(20, int(width / (CAPTION_CHAR_WIDTH * scale)))

