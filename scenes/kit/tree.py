"""The chain-rule tree: how one weight reaches the loss, w, a_prev, b → z → a → L."""

from manim import DOWN, LEFT, ORIGIN, RIGHT, UP, Arrow, Rectangle, RoundedRectangle, VGroup

from .labels import Formula
from .theme import Theme

LEAVES = {"w": "w", "a_prev": 'a_"prev"', "b": "b"}
CHAIN = {"z": "z", "a": "a", "L": "L"}
STEP = 1.5        # horizontal distance between the chain's nodes, when there is room
ROW = 0.75        # vertical distance between the leaves, when there is room
NODE_HEIGHT = 0.55
LEAST_NODE = 0.45 # nodes are no lower in a low panel (still taller than their symbols)
LEAF_GAP = 0.08   # the least space between neighbouring leaves
BUFF = 0.15       # between a node and its number
ARROW_ROOM = 0.35 # the least length of an arrow between neighbouring nodes


class ChainTree(VGroup):
    """Leaves w, a_prev and b feed the sum z, z the activation a, a the loss L (without
    `through_activation`, for softmax with cross-entropy, z feeds L directly).

    The chain runs to the right with a number of `number_width` x `number_height` under
    each node, or, narrower, with the numbers taking turns below and above the nodes;
    or it folds (the leaves in a row on top, the chain downwards, each number right of
    its node): whichever shrinks least in `width` x `height`.

    `nodes[name]` is a node (box and symbol), `arrows[(source, target)]` an arrow;
    `place(mobject, name)` puts a number in the slot beside a node kept free for it.
    """

    def __init__(self, theme: Theme, through_activation: bool = True, font_size: float = 38,
                 number_height: float = 0.23, number_width: float = 0.9,
                 width: float | None = None, height: float | None = None):
        super().__init__()
        self.theme = theme
        self.node_height, self.row = _rows(height)
        chain = [n for n in CHAIN if through_activation or n != "a"]
        self.chain = ["w", *chain]
        self.nodes = {name: self._node(symbol, font_size)
                      for name, symbol in (LEAVES | {n: CHAIN[n] for n in chain}).items()}
        leaf = max(self.nodes[name].width for name in LEAVES)
        arrow = ARROW_ROOM + self.node_height + 0.16
        end = max(self.node_height, number_width) / 2
        # Numbers under every node of the chain (w's left of it), or taking turns below
        # and above it (w's right of it, clear of the number above the node after next).
        steps = {"under": max(number_width + BUFF, arrow),
                 "turns": max(arrow, (leaf / 2 + 2 * BUFF + 1.5 * number_width) / 2)}
        across = {"under": number_width + BUFF + leaf / 2 + len(chain) * steps["under"] + end,
                  "turns": leaf / 2 + len(chain) * steps["turns"] + end}
        tall = 2 * self.row + self.node_height
        scales = {way: _scale(across[way], tall, width, height) for way in steps}
        if width is not None:
            fold_node = _fold_node(len(chain), number_height, height)
            scales["folded"] = _fold_scale(len(chain), leaf, number_width, number_height,
                                           fold_node, width, height)
        self.way = max(scales, key=lambda way: scales[way] + 1e-3 * (way == "under"))
        self.folded = self.way == "folded"
        if self.folded:
            self.node_height = fold_node
            self.nodes = {name: self._node(symbol, font_size) for name, symbol
                          in (LEAVES | {n: CHAIN[n] for n in chain}).items()}
            self._fold(chain, leaf)
        else:
            step = steps[self.way]
            room = max(0.0, (width - across[self.way]) / len(chain)) if width else STEP
            self._stretch(chain, min(max(STEP, step), step + room))
        self.arrows = {(name, "z"): self._arrow(name, "z") for name in LEAVES}
        self.arrows |= {(a, b): self._arrow(a, b) for a, b in zip(chain, chain[1:])}
        self.number_height = number_height
        self.sides = {name: self._side(k) for k, name in enumerate(self.chain)}
        self.slots = {name: self._slot(name, number_width, number_height)
                      for name in self.chain}
        self.add(*self.slots.values(), *self.arrows.values(), *self.nodes.values())

    def _side(self, k: int):
        """Where the number of the chain's k-th node (w is 0) goes."""
        if self.folded:
            return UP if k == 0 else RIGHT
        if self.way == "turns":
            return RIGHT if k == 0 else DOWN if k % 2 else UP
        return LEFT if k == 0 else DOWN

    def _stretch(self, chain: list[str], step: float) -> None:
        """Leaves in a column, the chain to the right, `step` apart."""
        for k, name in enumerate(LEAVES):
            self.nodes[name].move_to((1 - k) * self.row * UP)
        for k, name in enumerate(chain, start=1):
            self.nodes[name].move_to(k * step * RIGHT)

    def _fold(self, chain: list[str], leaf: float) -> None:
        """Leaves in a row, the chain downwards under the middle one."""
        for k, name in enumerate(LEAVES):
            self.nodes[name].move_to((k - 1) * (leaf + 0.3) * RIGHT)
        for k, name in enumerate(chain, start=1):
            self.nodes[name].move_to(k * (self.node_height + ARROW_ROOM + 0.16) * DOWN)

    def _slot(self, name: str, width: float, height: float) -> Rectangle:
        """An invisible box where a number of `width` x `height` goes, beside node `name`."""
        slot = Rectangle(width=width, height=height, stroke_opacity=0)
        return slot.next_to(self.nodes[name], self.sides[name], buff=BUFF)

    def _node(self, symbol: str, font_size: float) -> VGroup:
        text = Formula(symbol, font_size=font_size, color=self.theme.text)
        box = RoundedRectangle(corner_radius=0.12, width=max(text.width + 0.3, self.node_height),
                               height=self.node_height, stroke_color=self.theme.muted,
                               stroke_width=2)
        return VGroup(box, text.move_to(box))

    def _arrow(self, source: str, target: str) -> Arrow:
        start, end = self.nodes[source], self.nodes[target]
        if self.folded:   # down the chain; from the leaves' bottoms into z's top
            points = start.get_bottom(), end.get_top()
        else:
            points = start.get_right(), end.get_left()
        return Arrow(*points, buff=0.08, color=self.theme.muted, stroke_width=3,
                     max_tip_length_to_length_ratio=0.2)

    def path(self) -> list[Arrow]:
        """The arrows from w along the chain to L, in order."""
        return [self.arrows[(a, b)] for a, b in zip(self.chain, self.chain[1:])]

    def place(self, mobject, name: str):
        """Scale `mobject` (a number) with the tree and put it in node `name`'s slot,
        against the node."""
        slot = self.slots[name]
        mobject.scale(slot.height / self.number_height)
        side = self.sides[name]
        return mobject.move_to(slot, aligned_edge=-side if side is not DOWN else ORIGIN)


def _rows(height: float | None) -> tuple[float, float]:
    """(node height, distance between leaves): NODE_HEIGHT and ROW, or, where `height`
    is less than that column of leaves needs, lower nodes closer together."""
    if height is None or height >= 2 * ROW + NODE_HEIGHT:
        return NODE_HEIGHT, ROW
    node = max(LEAST_NODE, min(NODE_HEIGHT, (height - 2 * LEAF_GAP) / 3))
    return node, node + LEAF_GAP


def _scale(width: float, height: float, room_width: float | None,
           room_height: float | None) -> float:
    """How much a tree `width` x `height` shrinks to fit the room (1: not at all)."""
    if room_width is None:
        return 1.0
    return min(1.0, room_width / width, room_height / height if room_height else 1.0)


def _fold_node(links: int, number_height: float, height: float | None) -> float:
    """The node height of a folded tree with `links` arrows down the chain: NODE_HEIGHT,
    or lower (down to LEAST_NODE) where `height` is less than that needs."""
    if height is None:
        return NODE_HEIGHT
    room = height - number_height - BUFF - links * (ARROW_ROOM + 0.16)
    return max(LEAST_NODE, min(NODE_HEIGHT, room / (links + 1)))


def _fold_scale(links: int, leaf: float, number_width: float, number_height: float,
                node: float, width: float, height: float) -> float:
    """How much a folded tree would have to shrink to fit `width` x `height`."""
    left = max(1.5 * leaf + 0.3, leaf + 0.3 + number_width / 2)   # leaves, w's number
    right = max(1.5 * leaf + 0.3, node / 2 + BUFF + number_width)  # leaves, the chain's
    down = number_height + BUFF + (links + 1) * node + links * (ARROW_ROOM + 0.16)
    return _scale(left + right, down, width, height)
