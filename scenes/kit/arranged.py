"""A part that arranges the frame for itself: it picks one of the layout's `arrangements`
(a panel with more room) and puts its diagram, panel, heading and legend there."""

import itertools
import math

from manim import MathTypst, Text, VGroup

from .base import Part, smallest_text
from .diagram import NetworkDiagram
from .layout import MIN_TEXT_HEIGHT, Layout, box_of


def _texts(mobject) -> list:
    return [box_of(m) for m in mobject.get_family() if isinstance(m, (Text, MathTypst))]


def _gap(a, b) -> float:
    """How far apart boxes `a` and `b` are, across or up, whichever is more (negative
    where they overlap both ways, by the lesser overlap)."""
    return max(max(a.left, b.left) - min(a.right, b.right),
               max(a.bottom, b.bottom) - min(a.top, b.top))


def text_spacing(mobject) -> float:
    """How far apart the two closest texts of `mobject` are (`_gap`)."""
    return min(itertools.starmap(_gap, itertools.combinations(_texts(mobject), 2)),
               default=math.inf)


def elbow_room(mobject, enough: float = 0.5) -> float:
    """How far, on average, each text of `mobject` is from its closest neighbour (up to
    `enough`): how crowded its texts look."""
    boxes = _texts(mobject)
    rows = [min(enough, min(_gap(a, b) for k, b in enumerate(boxes) if k != j))
            for j, a in enumerate(boxes)] if len(boxes) > 1 else [enough]
    return sum(rows) / len(rows)


def texts_apart(mobject, slack: float = 0.02) -> bool:
    """Whether no two texts of `mobject` overlap (by more than `slack` both ways)."""
    return text_spacing(mobject) >= -slack


def texts_read(mobject) -> bool:
    """Whether every text of `mobject` reads: none under MIN_TEXT_HEIGHT, none on another."""
    return smallest_text(mobject) >= MIN_TEXT_HEIGHT - 1e-3 and texts_apart(mobject)


class ArrangedPart(Part):
    """A part whose `layout` is the arrangement it chose (`arrangement`), once chosen;
    its heading and legend go into that arrangement's boxes too (a part puts them in its
    `layout`'s)."""

    arrangement: Layout | None = None

    @property
    def layout(self) -> Layout:
        return self.arrangement or super().layout

    def diagram_in(self, box, values: bool = False, **options) -> tuple[NetworkDiagram, bool]:
        """The diagram fitted into `box` (showing the first sample's values, with
        `values`; `options` go to `make_diagram`), and whether its texts read."""
        diagram = self.make_diagram(box, **options)
        return diagram, texts_read(VGroup(diagram, self.show_values(diagram)) if values
                                   else diagram)
