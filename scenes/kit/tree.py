"""The chain-rule tree: how one weight reaches the loss, w, a_prev, b → z → a → L."""

from manim import DOWN, LEFT, RIGHT, UP, Arrow, Line, RoundedRectangle, VGroup

from .labels import Formula
from .theme import Theme

LEAVES = {"w": "w", "a_prev": 'a_"prev"', "b": "b"}
CHAIN = {"z": "z", "a": "a", "L": "L"}
STEP = 1.5   # horizontal distance between the chain's nodes
ROW = 0.75   # vertical distance between the leaves


class ChainTree(VGroup):
    """Leaves w, a_prev and b feed the sum z, z the activation a, a the loss L (without
    `through_activation`, for softmax with cross-entropy, z feeds L directly).

    `nodes[name]` is a node (box and symbol), `arrows[(source, target)]` an arrow;
    `place(mobject, name)` puts a number in the slot beside a node kept free for it (left
    of w, under the others; `number_height` tall before the tree is scaled).
    """

    def __init__(self, theme: Theme, through_activation: bool = True, font_size: float = 38,
                 number_height: float = 0.23):
        super().__init__()
        self.theme = theme
        chain = [n for n in CHAIN if through_activation or n != "a"]
        self.nodes = {}
        for k, name in enumerate(LEAVES):
            self.nodes[name] = self._node(LEAVES[name], font_size).move_to((1 - k) * ROW * UP)
        for k, name in enumerate(chain, start=1):
            self.nodes[name] = self._node(CHAIN[name], font_size).move_to(k * STEP * RIGHT)
        self.arrows = {(leaf, "z"): self._arrow(leaf, "z") for leaf in LEAVES}
        self.arrows |= {(a, b): self._arrow(a, b) for a, b in zip(chain, chain[1:])}
        self.chain = ["w", *chain]
        self.number_height = number_height
        self.slots = {name: self._slot(name, number_height) for name in self.chain}
        self.add(*self.slots.values(), *self.arrows.values(), *self.nodes.values())

    def _slot(self, name: str, height: float) -> Line:
        """An invisible upright line where a number of `height` goes, beside node `name`."""
        slot = Line(DOWN * height / 2, UP * height / 2, stroke_opacity=0)
        node = self.nodes[name]
        if name == "w":
            return slot.next_to(node, LEFT, buff=0.15 + 0.9)
        return slot.next_to(node, DOWN, buff=0.15)

    def _node(self, symbol: str, font_size: float) -> VGroup:
        text = Formula(symbol, font_size=font_size, color=self.theme.text)
        box = RoundedRectangle(corner_radius=0.12, width=max(text.width + 0.3, 0.55),
                               height=0.55, stroke_color=self.theme.muted, stroke_width=2)
        return VGroup(box, text.move_to(box))

    def _arrow(self, source: str, target: str) -> Arrow:
        return Arrow(self.nodes[source].get_right(), self.nodes[target].get_left(), buff=0.08,
                     color=self.theme.muted, stroke_width=3, max_tip_length_to_length_ratio=0.2)

    def path(self) -> list[Line]:
        """The arrows from w along the chain to L, in order."""
        return [self.arrows[(a, b)] for a, b in zip(self.chain, self.chain[1:])]

    def place(self, mobject, name: str):
        """Scale `mobject` (a number) with the tree and put it in node `name`'s slot: left
        of leaf w, else under the node (free of the arrows)."""
        slot, node = self.slots[name], self.nodes[name]
        scale = slot.height / self.number_height
        mobject.scale(scale)
        if name == "w":
            return mobject.next_to(node, LEFT, buff=0.15 * scale)
        return mobject.move_to(slot)
