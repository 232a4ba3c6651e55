"""Part 5, backpropagation: the output's error signal, the chain rule measured by a nudge,
a hidden neuron's share summed over its paths, the backward wave, the cost's mean."""

import numpy as np
from manim import (DOWN, LEFT, RIGHT, UP, AnimationGroup, FadeIn, FadeOut, Indicate,
                   ShowPassingFlash, Transform, VGroup, Write)

from scenes.kit import blame
from scenes.kit.arranged import ArrangedPart, elbow_room, texts_read
from scenes.kit.base import join_words, smallest_text
from scenes.kit.diagram import NetworkDiagram
from scenes.kit.labels import Formula, digits_writing, shown_numbers, split_formula
from scenes.kit.layout import (MIN_TEXT_HEIGHT, Box, box_of, first_fitting, rows_within,
                               scale_in)
from scenes.kit.tree import ChainTree
from scenes.kit.theme import weight_keys

OUTLINE = 5   # stroke width of a neuron's outline while it is talked about
BESIDE = 0.1  # gap between a neuron (or its value) and a number beside it
TAG_HEIGHT = 0.34  # the a_prev tag beside the hidden neuron
SMALL_TAG_HEIGHT = 1.2 * MIN_TEXT_HEIGHT   # the tag where the diagram is crowded
TREE_ATTEMPTS = 6  # sizings of the chain-rule tree's texts, each closer to readable
ROOMY = 0.8        # of their size the panel's contents keep when the diagram takes room
GROWTH = 1.1       # the least growth of the neurons worth taking the panel's room for
SPREAD = 0.05      # or the least growth of the room between the diagram's closest texts


class Backward(ArrangedPart):
    """δ at the output, the chain rule as a nudged tree, δ of every hidden neuron, the mean."""

    number = 5
    title = "Backpropagation"
    heading = "Backpropagation: who is to blame?"
    beats = ("error", "delta", "tree", "nudge", "ratio", "factors", "a_prev", "hidden_sum",
             "hidden_delta", "hidden_weight", "wave", "mean", "same_slope")
    narration = {
        "error": "Start at the output, where the error is: for the {sample} it says "
                 "{output_a} where the truth is {output_y}. {error_words}",
        "delta": "{delta_words} That is the error signal δ, {delta}: how much the loss "
                 "changes per unit of the neuron's sum z.",
        "tree": "Now follow one weight into the output. It reaches the loss along a chain: "
                "{chain_words}",
        "nudge": "Nudge the weight by {epsilon} and run the {sample} again: {moves}.",
        "ratio": "Divide: {dloss} over {epsilon} is {ratio}. The ratio is the derivative.",
        "factors": "The chain rule gets it without nudging: multiply the slopes along the "
                   "chain. The product is {grad_w}, the same number.",
        "a_prev": "The last factor is a_prev: this hidden neuron's activation, {a_prev}. "
                  "A weight matters as much as the signal it carries.",
        "hidden_sum": "Now a hidden neuron. It feeds {paths}. Its blame is each weight times "
                      "that output's δ, summed: {hidden_grad_a}.",
        "hidden_delta": "Times its own activation slope, {hidden_slope}: its error signal "
                        "δ is {hidden_delta}.",
        "hidden_weight": "A weight into it gets δ times the value it carries, {hidden_a_prev} "
                         "from {hidden_source}: its gradient is {hidden_grad_w}.",
        "wave": "Every hidden neuron gets its δ the same way, layer by layer, from right to "
                "left. That backward sweep is backpropagation.",
        "mean": "That was the {sample}'s share. {others} its own. The cost's gradient is "
                "their mean: {grad_mean}.",
        "same_slope": "That mean is the slope Part 4 showed under our feet, and the gradient "
                      "the update in Part 6 will use.",
    }

    # -- where the numbers are -----------------------------------------------------------

    @property
    def softmax(self) -> bool:
        return self.cfg.network.activations[-1] == "softmax"

    @property
    def last(self) -> int:
        """The output's layer in the report (its diagram layer is one more)."""
        return len(self.cfg.network.activations) - 1

    def cat(self, field: str, layer: int | None = None) -> str:
        """The path of `field` of the first sample's layer `layer` (default: the output)."""
        return f"samples[0].layers[{self.last if layer is None else layer}].{field}"

    def a_prev_path(self, layer: int, i: int) -> str:
        """The activation weight layer `layer`'s input i carries in the first sample."""
        return f"samples[0].layers[{layer - 1}].a[{i}]" if layer else f"samples[0].input[{i}]"

    def numbers(self):
        r, cfg = self.report, self.cfg
        l, j, i = r["focus"]["weight"]
        h, k = r["focus"]["hidden"]
        hl, hj, hi = r["focus"]["hidden_weight"]
        said = self.said
        delta = said(self.cat(f"grad_z[{j}]"))
        if self.softmax:
            error_words = "With softmax and cross-entropy, the loss's slope is a minus y."
            delta_words = f"Every output gets its own: {join_words([said(self.cat(f'grad_z[{n}]')) for n in range(cfg.network.layers[-1])])}."
            chain_words = "the weight moves the sum z, and z moves the loss."
            moves = (f"z moves by {said('nudge.dz')}, and the loss by {said('nudge.dloss')}")
        else:
            error_words = (f"Raise it a little, and the loss changes "
                           f"{said(self.cat(f'grad_a[{j}]'))} times as much.")
            delta_words = (f"Multiply by the activation's slope, "
                           f"{said(self.cat(f'slope[{j}]'))}.")
            chain_words = ("the weight moves the sum z, z moves the activation a, and a moves "
                           "the loss.")
            moves = (f"z moves by {said('nudge.dz')}, a by {said('nudge.da')}, and the loss "
                     f"by {said('nudge.dloss')}")
        outputs = cfg.network.layers[-1]
        names = cfg.sample_labels
        others = join_words([f"the {n}'s pass" for n in names[1:]])
        return {**super().numbers(), "error_words": error_words, "delta_words": delta_words,
                "output_a": said(self.cat(f"a[{j}]")),
                "output_y": said(f"samples[0].target[{j}]"),
                "delta": delta, "chain_words": chain_words, "moves": moves,
                "epsilon": said("nudge.epsilon"), "dloss": said("nudge.dloss"),
                "ratio": said("nudge.ratio"), "grad_w": said(self.cat(f"grad_W[{j}][{i}]")),
                "a_prev": said(self.a_prev_path(l, i)),
                "paths": ("the output through one weight" if outputs == 1 else
                          f"all {outputs} outputs, one weight each"),
                "hidden_grad_a": said(f"samples[0].layers[{h - 1}].grad_a[{k}]"),
                "hidden_slope": said(f"samples[0].layers[{h - 1}].slope[{k}]"),
                "hidden_delta": said(f"samples[0].layers[{h - 1}].grad_z[{k}]"),
                "hidden_a_prev": said(self.a_prev_path(hl, hi)),
                "hidden_source": self.neuron_name(hl, hi),
                "hidden_grad_w": said(f"samples[0].layers[{hl}].grad_W[{hj}][{hi}]"),
                "others": others[0].upper() + others[1:] + (" gives" if len(names) == 2
                                                            else " give"),
                "grad_mean": said(f"layers[{l}].grad_W[{j}][{i}]")}

    def neuron_name(self, layer: int, i: int) -> str:
        """"pointy ears" for an input, "hidden neuron 2" for a hidden neuron."""
        return self.cfg.input_labels[i] if layer == 0 else f"hidden neuron {i + 1}"

    # -- the screen ------------------------------------------------------------------------

    def delta_label(self, layer: int, j: int, path: str, digits: int | None = None):
        """Neuron j of diagram layer `layer` gets the number at `path` (with `digits`),
        green: beside it,
        or, for a hidden neuron of a diagram whose numbers sit above the neurons (its
        columns too close for numbers beside them) and for an output neuron of a diagram
        without room for them right of the outputs, in its value's place above it."""
        d = self.diagram
        output = layer == len(d.layers) - 1
        beside = not self.deltas_above if output else d.numbers_inside
        if beside:
            return self.beside(layer, j, self.numeral(path, self.theme.number_size,
                                                      self.theme.gradient, digits))
        label = self.numeral(path, d.readable_size, self.theme.gradient, digits)
        label.set_stroke(self.theme.background, width=5, background=True)
        return label.next_to(d.neurons[layer][j], UP, buff=0.06)   # as high as a value's number

    def beside(self, layer: int, j: int, label, past_value: bool = False):
        """Put `label` right of neuron (layer, j) (with `past_value`, right of the value
        shown beside it too), on a rim of the background colour to read over the edges."""
        circle = self.diagram.neurons[layer][j]
        value = self.diagram.values[layer].get(j, circle) if past_value else circle
        right = max(circle.get_right()[0], value.get_right()[0])
        label.set_stroke(self.theme.background, width=5, background=True)
        return label.next_to([right, circle.get_y(), 0], RIGHT, buff=BESIDE)

    def show_deltas(self, labels: dict, run_time: float, shift=LEFT) -> None:
        """Fade in the δ labels {(layer, j): label}; a value shown beside its neuron gives
        way to the δ (the neuron's fill still shows the activation)."""
        d = self.diagram
        beside = [d.values[l][j] for l, j in labels if j in d.values[l]
                  and _distance(d.values[l][j], d.neurons[l][j]) > 0.5 * d.radius]
        group = VGroup(*labels.values())
        self.play(FadeIn(group, shift=0.2 * shift), *(FadeOut(v) for v in beside),
                  run_time=run_time)
        self.remove(group)
        self.deltas.add(*group)

    def arrange(self) -> None:
        """The first of the layout's `arrangements` where the diagram and the chain-rule
        tree read (the panel's tallest content), else the one where either does; then,
        where the diagram's numbers sit above its neurons (a cramped diagram), the last of
        the layout's `roomier` arrangements (each taking more of the panel) that gives the
        diagram GROWTH times larger neurons or SPREAD more elbow room between its texts at
        the wave's end, neither shrinking, while the wave and the panel read and the
        panel's contents keep ROOMY of their size, or their size in the first one."""
        def score(layout) -> tuple:
            diagram_reads = self.build_diagram(layout.diagram)[2]
            tree_reads = self.sized_chain_tree(layout.panel)[2]
            return (int(diagram_reads) + int(tree_reads)) / 2, layout
        chosen = first_fitting(self.layout.arrangements(), score)[1]
        diagram = self.build_diagram(chosen.diagram)[0]
        if diagram.numbers_inside:
            self.arrangement = chosen
            return
        radius, room = diagram.radius, elbow_room(self.wave_end())
        least = [min(ROOMY, scale) for scale in self.panel_fit(chosen)[1]]
        for layout in self.layout.roomier():
            diagram, _, reads = self.build_diagram(layout.diagram)
            wave = self.wave_end()
            spread = elbow_room(wave)
            grown = diagram.radius >= radius and spread >= room and (
                diagram.radius > GROWTH * radius or spread > room + SPREAD)
            if not (reads and grown and texts_read(wave)):
                continue
            panel_reads, scales = self.panel_fit(layout)
            if panel_reads and all(s >= l - 1e-6 for s, l in zip(scales, least)):
                chosen, radius, room = layout, diagram.radius, spread
        self.arrangement = chosen

    def panel_fit(self, layout) -> tuple[bool, list[float]]:
        """Whether the chain-rule tree and formula (the panel's tallest contents) read in
        `layout`'s panel, and the scales at which the legend, the tree and the formula fit
        `layout`."""
        key = self.scene.make_legend(self.legend_entries(), layout.legend.width)
        tree, _, tree_reads = self.sized_chain_tree(layout.panel)
        self.arrangement = layout   # the panel `flowed` and `fits` fill
        lines = [self.flowed(line) for line in self.chain_rule_lines()]
        chain = VGroup(*lines).copy().arrange(DOWN, buff=0.22)
        return (tree_reads and self.fits(*lines),
                [scale_in(key, layout.legend), scale_in(tree, layout.panel),
                 scale_in(chain, layout.panel)])

    def wave_end(self) -> VGroup:
        """The diagram as the wave leaves it: every neuron but the inputs showing its δ,
        the values beside their neurons given way to them."""
        d = self.diagram
        deltas = {(l, n): self.delta_label(l, n, f"samples[0].layers[{l - 1}].grad_z[{n}]")
                  for l in range(1, len(d.layers)) for n in d.neurons[l]}
        kept = [v for l, values in enumerate(d.values) for n, v in values.items()
                if (l, n) not in deltas or _distance(v, d.neurons[l][n]) <= 0.5 * d.radius]
        return VGroup(d, *kept, *deltas.values())

    def legend_entries(self) -> tuple:
        return (*weight_keys(self.theme), ("error", self.theme.error),
                ("gradient", self.theme.gradient))

    def build_diagram(self, box=None) -> tuple[NetworkDiagram, VGroup, bool]:
        """The diagram in `box` (default: the layout's) with the cat's activations, room
        kept between the output neurons and their labels for the outputs' δ (as wide as
        the hidden sum will write them), or, where that room leaves the diagram's texts
        unread or the δ not clear of the outputs' names, the δ in the values' place
        (`deltas_above`); returns the diagram, its values (to be shown) and whether
        their texts read."""
        summed = {path: (value, text)
                  for value, text, path in shown_numbers(self.hidden_sum_lines())}
        digits = {path: digits_writing([summed[path]]) if path in summed else None
                  for path in map(self.cat, (f"grad_z[{n}]" for n in
                                             range(self.cfg.network.layers[-1])))}
        room = max(self.numeral(path, digits=d).width for path, d in digits.items())
        for self.deltas_above in (False, True):
            # beside the outputs: room for the δ; above them: for its half past the centre
            options = {"output_room": BESIDE + (room / 2 if self.deltas_above else room + 0.2)}
            self.diagram = self.make_diagram(box, **options)
            labels = self.show_values(self.diagram)
            reads = texts_read(VGroup(self.diagram, labels)) and self.deltas_clear(digits)
            if reads:
                break
        return self.diagram, labels, reads

    def deltas_clear(self, digits: dict) -> bool:
        """Whether each output's δ (with `digits` {path: digits}, as the hidden sum writes
        it) stays BESIDE clear of every output's name on its row (the diagram, fitted
        into its box, may have come out smaller than the room kept for them)."""
        d = self.diagram
        out = len(d.layers) - 1
        deltas = [box_of(self.delta_label(out, n, path, digits[path])) for n, path in
                  ((n, self.cat(f"grad_z[{n}]")) for n in d.neurons[out])]
        names = [box_of(name) for name in d.labels[out].values()]
        return not any(min(a.top, b.top) - max(a.bottom, b.bottom) > 0
                       and b.left - a.right < BESIDE and a.left < b.left
                       for a in deltas for b in names)

    def show_panel(self, *lines, keep: bool = False, write_time: float = 0.9) -> VGroup:
        """Put `lines` in the panel, below what is there when `keep` and it fits, else in
        its place, and write them (`write_time` each; 0: the caller writes them)."""
        kept = list(self.board) if keep and self.fits(*self.board, *lines) else []
        leaving = [m for m in self.board if m not in kept]
        if leaving:
            self.play(*(FadeOut(m) for m in leaving), run_time=0.4)
        if kept:   # the kept part glides to its new place
            for m in kept:
                m.save_state()
            self.panel(VGroup(*kept), *lines)
            targets = [m.copy() for m in kept]
            for m in kept:
                m.restore()
            self.play(*(Transform(m, t) for m, t in zip(kept, targets)), run_time=0.5)
        else:
            self.panel(*lines)
        self.agree_with(*lines)
        self.lines = VGroup(*lines)
        self.board = kept + list(lines)
        for line in lines if write_time else []:
            self.play(Write(line), run_time=write_time)
        return self.lines

    def flowed(self, line):
        """`line` as it is when it fits the panel's width, else over as few lines as do
        (an equation's sides, or a formula cut before its equals signs)."""
        width = self.layout.panel.width
        if line.width <= width:
            return line
        pieces = (split_formula(line, " = ", **self.formula_style())
                  if isinstance(line, Formula) else list(line))
        return rows_within(pieces, width)

    def clear_panel(self) -> list:
        """Animations fading out everything in the panel."""
        leaving, self.board = self.board, []
        return [FadeOut(m) for m in leaving]

    def fits(self, *mobjects) -> bool:
        """Whether `mobjects`, stacked in the panel (shrunk to fit it), keep their text
        readable."""
        box, group = self.layout.panel, VGroup(*mobjects).copy().arrange(DOWN, buff=0.22)
        return smallest_text(group) * scale_in(group, box) >= MIN_TEXT_HEIGHT

    def outline(self, layer: int, j: int, color, width: float = OUTLINE):
        return self.diagram.neurons[layer][j].animate.set_stroke(color, width=width)

    def spend(self, animation_of, share: float = 1.0, least: float = 0.8, most: float = 2.5):
        """Repeat `animation_of()` (a fresh animation each time) to fill `share` of the
        time left in this beat, each run between `least` and `most` seconds."""
        total = self.time_left() * share
        runs = max(1, int(total // most) + (total % most > 0))
        for _ in range(runs):
            self.play(animation_of(), run_time=max(least, total / runs))

    # -- beats -----------------------------------------------------------------------------

    def error(self):
        self.board: list = []   # what the panel shows, top to bottom
        self.arrange()
        self.set_heading()
        d, labels, _ = self.build_diagram()
        self.play(FadeIn(d), FadeIn(labels), run_time=0.8)
        self.legend(*self.legend_entries())
        out, j = len(d.layers) - 1, self.report["focus"]["weight"][1]
        self.play(self.outline(out, j, self.theme.error), run_time=0.5)
        self.show_panel(*blame.output_gradient(
            self.cfg.loss, self.value(self.cat(f"a[{j}]")),
            self.value(f"samples[0].target[{j}]"), len(d.neurons[out]),
            self.value(self.cat(f"grad_z[{j}]" if self.softmax else f"grad_a[{j}]")),
            **self.formula_style()))
        self.subject = VGroup(d.neurons[out][j], self.lines)

    def delta(self):
        d = self.diagram
        out, j = len(d.layers) - 1, self.report["focus"]["weight"][1]
        if not self.softmax:
            self.show_panel(*blame.error_signal(
                self.value(self.cat(f"grad_a[{j}]")), self.value(self.cat(f"slope[{j}]")),
                self.value(self.cat(f"grad_z[{j}]")), **self.formula_style()))
        self.deltas = VGroup()
        self.add(self.deltas)
        self.show_deltas({(out, n): self.delta_label(out, n, self.cat(f"grad_z[{n}]"))
                          for n in d.neurons[out]}, 0.8, RIGHT)
        self.subject = self.deltas

    def tree(self):
        d = self.diagram
        l, j, i = self.report["focus"]["weight"]
        self.edge = d.edges[l][(j, i)]
        others = [e for e in d.edge_group if e is not self.edge]
        self.play(*(e.animate.set_stroke(opacity=0.15) for e in others), *self.clear_panel(),
                  run_time=0.6)
        self.chain = self.chain_tree()
        self.panel(self.chain)
        self.board = [self.chain]
        self.play(FadeIn(self.chain), run_time=0.8)
        self.spend(lambda: AnimationGroup(d.pulse(l, lines=[self.edge]), *(
            _flash(a, self.theme.pulse) for a in self.chain.path())), share=0.7)
        self.subject = self.chain

    def nudge(self):
        t = self.chain
        nodes, paths = t.chain, self.nudge_paths()
        self.moves = VGroup()
        arrows = t.path()
        step = max(0.6, (self.time_left() - 1.0) / len(nodes))
        for k, (node, path) in enumerate(zip(nodes, paths)):
            label = t.place(self.numeral(path, self.move_size, self.theme.gradient), node)
            self.moves.add(label)
            self.board.append(label)
            flash = [_flash(arrows[k - 1], self.theme.gradient)] if k else []
            self.play(*flash, t.nodes[node][0].animate.set_stroke(self.theme.gradient),
                      FadeIn(label, shift=0.15 * UP), run_time=step)
        self.subject = self.moves

    def chain_tree(self) -> ChainTree:
        """The chain-rule tree for the panel (`sized_chain_tree`); sets `move_size`."""
        tree, self.move_size, _ = self.sized_chain_tree(self.layout.panel)
        return tree

    def sized_chain_tree(self, box) -> tuple[ChainTree, float, bool]:
        """(the chain-rule tree for `box`, its numbers' size, whether they and its
        symbols read): sizes chosen so that both stay readable once the tree is fitted
        into `box`, growing at most TREE_ATTEMPTS times."""
        move_size, symbol_size = self.theme.number_size, self.theme.formula_size
        for attempt in range(TREE_ATTEMPTS):
            moves = [self.numeral(path, move_size) for path in self.nudge_paths()]
            tree = ChainTree(self.theme, not self.softmax, symbol_size,
                             moves[1].height, max(m.width for m in moves), box.width,
                             box.height)
            scale = scale_in(tree, box)
            short = MIN_TEXT_HEIGHT / (smallest_text(VGroup(*moves)) * scale)
            short_symbols = MIN_TEXT_HEIGHT / (smallest_text(tree) * scale)
            if max(short, short_symbols) <= 1 or attempt == TREE_ATTEMPTS - 1:
                return tree, move_size, max(short, short_symbols) <= 1
            move_size *= max(1.0, short * 1.02)
            symbol_size *= max(1.0, short_symbols * 1.02)

    def nudge_paths(self) -> list[str]:
        """Where the nudge's moves are in the report, along the chain from w to L."""
        moves = ["dz", "dloss"] if self.softmax else ["dz", "da", "dloss"]
        return ["nudge.epsilon", *(f"nudge.{move}" for move in moves)]

    def ratio(self):
        line = blame.nudge_ratio(self.value("nudge.dloss"), self.value("nudge.epsilon"),
                                    self.value("nudge.ratio"), **self.formula_style())
        self.show_panel(line, keep=True, write_time=1.2)
        self.subject = self.lines

    def factors(self):
        lines = [self.flowed(line) for line in self.chain_rule_lines()]
        self.show_panel(*lines, keep=True, write_time=0)
        self.play(Write(lines[0]), run_time=0.9)
        if self.chain in self.board:   # each factor is a slope along the chain, L back to w
            for arrow in self.chain.path()[::-1]:
                self.play(_flash(arrow, self.theme.gradient), run_time=0.5)
        self.play(Write(lines[1]), run_time=1.0)
        self.subject = lines[-1]

    def chain_rule_lines(self) -> list:
        """∂L/∂w as the product of the slopes along the chain, then with their values."""
        l, j, i = self.report["focus"]["weight"]
        layer = f"samples[0].layers[{self.last}]"
        previous = self.value(self.a_prev_path(l, i))
        if self.softmax:
            factors = [self.value(f"{layer}.grad_z[{j}]"), previous]
        else:
            factors = [self.value(f"{layer}.grad_a[{j}]"), self.value(f"{layer}.slope[{j}]"),
                       previous]
        return blame.chain_rule(factors, self.value(f"{layer}.grad_W[{j}][{i}]"),
                                not self.softmax, **self.formula_style())

    def hidden_sum_lines(self) -> list:
        """The followed hidden neuron's blame: each weight to an output times that output's
        δ, summed (symbols, then a line per term)."""
        h, k = self.report["focus"]["hidden"]
        outputs = range(self.cfg.network.layers[-1])   # every output, drawn or not
        return blame.backward_sum(
            [self.value(f"layers[{h}].W[{n}][{k}]") for n in outputs],
            [self.value(f"samples[0].layers[{h}].grad_z[{n}]") for n in outputs],
            self.value(f"samples[0].layers[{h - 1}].grad_a[{k}]"), **self.formula_style())

    def a_prev(self):
        d = self.diagram
        l, _, i = self.report["focus"]["weight"]
        self.pointer = self.tag(l, i, self.formula('a_"prev"', color=self.theme.highlight))
        self.play(self.outline(l, i, self.theme.highlight), FadeIn(self.pointer), run_time=0.6)
        value = d.values[l][i]
        factor = self.lines[-1][0]   # the written product; its last factor is a_prev
        flying = value.copy().set_color(self.theme.highlight)
        self.play(flying.animate.move_to(factor.get_corner(DOWN + RIGHT) + 0.25 * DOWN),
                  run_time=1.2)
        self.play(FadeOut(flying, scale=0.5), Indicate(factor, color=self.theme.highlight,
                                                       scale_factor=1.05), run_time=0.8)
        self.subject = VGroup(value, self.pointer)

    def tag(self, layer: int, j: int, tag):
        """Put `tag` by neuron (layer, j) where it covers no text on screen: right of the
        neuron and its value, left of it, under it, or above it and its value (rimmed, to
        read over the edges); in a crowded diagram, smaller (still readable) if need be;
        where no spot is clear, no tag (an empty group: the neuron's outline marks it)."""
        circle = self.diagram.neurons[layer][j]
        value = self.diagram.values[layer].get(j, circle)
        taken = [Box(*t["box"]) for t in self.scene.on_screen()["texts"]]
        frame = self.layout.frame
        spots = [lambda: self.beside(layer, j, tag, past_value=True),
                 lambda: tag.next_to(circle, LEFT, buff=BESIDE),
                 lambda: tag.next_to(circle, DOWN, buff=0.05),
                 lambda: tag.next_to(VGroup(circle, value), UP, buff=0.05)]
        for height in (TAG_HEIGHT, SMALL_TAG_HEIGHT):
            tag.scale_to_fit_height(height)
            for spot in spots:
                spot()
                if frame.contains(box_of(tag)) and not any(box_of(tag).overlaps(b)
                                                           for b in taken):
                    return tag
        return VGroup()

    def hidden_sum(self):
        d = self.diagram
        l, j, i = self.report["focus"]["weight"]
        h, k = self.report["focus"]["hidden"]
        out = len(d.layers) - 1
        self.play(FadeOut(self.pointer), *self.clear_panel(),
                  self.outline(out, j, self.theme.neuron_stroke, 3),
                  self.edge.animate.set_stroke(opacity=0.15), run_time=0.6)
        paths = [line for (_, i), line in d.edges[h].items() if i == k]
        self.play(*(p.animate.set_stroke(opacity=1.0) for p in paths), run_time=0.5)
        outputs = range(self.cfg.network.layers[-1])   # every output, drawn or not
        symbolic, *numbers = self.hidden_sum_lines()
        if self.fits(symbolic, *numbers):   # a term per line, else as few lines as fit
            self.show_panel(symbolic, *numbers, write_time=0)
        else:
            self.show_panel(symbolic, rows_within(numbers, self.layout.panel.width),
                            write_time=0)
        self.play(Write(symbolic), run_time=0.8)
        terms = numbers if len(outputs) == 1 else numbers[:-1]
        if len(terms) == len(outputs) == len(d.neurons[out]):   # each term as its δ goes back
            for n, term in enumerate(terms):
                self.play(d.pulse(h, backward=True, lines=[d.edges[h][(outputs[n], k)]],
                                  color=self.theme.gradient), Write(term),
                          Indicate(self.deltas[n], color=self.theme.gradient), run_time=1.0)
        else:
            self.play(d.pulse(h, backward=True, lines=paths, color=self.theme.gradient),
                      run_time=1.0)
        if len(outputs) > 1:
            self.play(Write(numbers[-1]), run_time=0.8)
        self.subject = numbers[-1]

    def hidden_delta(self):
        h, k = self.report["focus"]["hidden"]
        layer = f"samples[0].layers[{h - 1}]"
        self.show_panel(*blame.error_signal(
            self.value(f"{layer}.grad_a[{k}]"), self.value(f"{layer}.slope[{k}]"),
            self.value(f"{layer}.grad_z[{k}]"), **self.formula_style()))
        label = self.delta_label(h, k, f"{layer}.grad_z[{k}]")
        self.show_deltas({(h, k): label}, 0.8)
        self.subject = label

    def hidden_weight(self):
        d = self.diagram
        h, k = self.report["focus"]["hidden"]
        hl, hj, hi = self.report["focus"]["hidden_weight"]
        edge = d.edges[hl][(hj, hi)]
        self.play(*(p.animate.set_stroke(opacity=0.15) for (_, i), p in d.edges[h].items()
                    if i == k),
                  edge.animate.set_stroke(opacity=1.0),
                  self.outline(h, k, self.theme.neuron_stroke, 3),
                  self.outline(hl, hi, self.theme.highlight), run_time=0.6)
        self.show_panel(*blame.weight_gradient(
            self.value(f"samples[0].layers[{hl}].grad_z[{hj}]"),
            self.value(self.a_prev_path(hl, hi)),
            self.value(f"samples[0].layers[{hl}].grad_W[{hj}][{hi}]"), **self.formula_style()))
        self.spend(lambda: d.pulse(hl, backward=True, lines=[edge], color=self.theme.gradient),
                   share=0.6, most=1.5)
        self.subject = self.lines[-1]

    def wave(self):
        d = self.diagram
        hl, _, hi = self.report["focus"]["hidden_weight"]
        self.play(*self.clear_panel(), self.outline(hl, hi, self.theme.neuron_stroke, 3),
                  *(e.animate.set_stroke(opacity=1.0) for e in d.edge_group), run_time=0.6)
        hidden = range(len(d.layers) - 2, 0, -1)
        step = max(0.6, (self.time_left() - 0.5) / (2 * len(hidden)))
        for h in hidden:   # right to left: the pulse reaches a layer, its δ appear
            self.play(d.pulse(h, backward=True, color=self.theme.gradient), run_time=step)
            focus = tuple(self.report["focus"]["hidden"])
            self.show_deltas({(h, n): self.delta_label(h, n, f"samples[0].layers[{h - 1}]"
                                                             f".grad_z[{n}]")
                              for n in d.neurons[h] if (h, n) != focus}, step)
        self.subject = self.deltas

    def mean(self):
        l, j, i = self.report["focus"]["weight"]
        names = self.cfg.sample_labels
        written = blame.mean_gradient(
            names, [self.value(f"samples[{n}].layers[{l}].grad_W[{j}][{i}]")
                    for n in range(len(names))],
            self.value(f"layers[{l}].grad_W[{j}][{i}]"), **self.formula_style())
        d = self.diagram
        self.play(FadeOut(self.deltas), run_time=0.5)
        for n in range(1, len(names)):   # each other picture: its forward and backward pass
            self.play(*(d.fill_layer(l, values, activation) for l, values, activation
                        in self.activations(n)), run_time=0.8)
            for layer in reversed(range(len(d.layers) - 1)):
                self.play(d.pulse(layer, backward=True, color=self.theme.gradient),
                          run_time=0.5)
        self.play(*(e.animate.set_stroke(opacity=0.15)
                    for e in d.edge_group if e is not self.edge), run_time=0.5)
        lines = [self.flowed(line) for line in written]
        if not self.fits(*lines):   # a low panel: ∂C/∂w = the numbers, the symbols left out
            head = split_formula(written[0], " = ", **self.formula_style())[0]
            numbers = [written[-1]] if isinstance(written[-1], Formula) else list(written[-1])
            lines = [rows_within([head, *numbers], self.layout.panel.width)]
        self.show_panel(*lines)
        self.subject = self.lines[-1]

    def activations(self, n: int):
        """(diagram layer, values, activation) of every layer in sample n's pass."""
        yield 0, self.values(f"samples[{n}].input"), "linear"
        for l, activation in enumerate(self.cfg.network.activations):
            yield l + 1, self.values(f"samples[{n}].layers[{l}].a"), activation

    def same_slope(self):
        self.play(Indicate(self.lines[-1][-1], color=self.theme.gradient), run_time=1.2)
        self.subject = self.lines[-1]


def _distance(a, b) -> float:
    return float(np.linalg.norm(a.get_center() - b.get_center()))


def _flash(line, color):
    """A flash along `line` in `color`, from its start to its end."""
    copy = line.copy().set_stroke(color=color, width=line.get_stroke_width() + 3)
    return ShowPassingFlash(copy, time_width=0.5)

