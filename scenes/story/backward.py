"""Part 5, backpropagation: blame flows backward from the cost, layer by layer."""

from manim import Create, FadeIn, FadeOut, VGroup, Write

from scenes.kit import formulas
from scenes.kit.base import Part


class Backward(Part):
    """Gradients flow backward from the cost; the chain rule for one weight."""

    number = 5
    title = "Backpropagation"
    heading = "Backpropagation: who is to blame?"
    beats = ("from_the_loss", "output_weights", "blame_flows", "chain_rule")
    narration = {
        "from_the_loss": "Backpropagation starts at the loss and asks: which way should the "
                         "output move to make the loss smaller? The arrow points that way.",
        "output_weights": "Each weight into the output gets its share of the blame: its "
                          "gradient.",
        "blame_flows": "The blame flows backward, layer by layer, telling every neuron "
                       "which way to move. That is backpropagation.",
        "chain_rule": "For one weight, the chain rule multiplies the effects along its path: "
                      "the loss on the output, the output on its sum, the sum on the weight.",
    }

    def show_panel(self, lines) -> None:
        """Replace the formulas in the panel, writing them line by line."""
        if getattr(self, "panel_lines", None):
            self.play(FadeOut(self.panel_lines), run_time=0.4)
        self.panel_lines = self.panel(*lines)
        for line in self.panel_lines:
            self.play(Write(line), run_time=0.9)
        self.subject = self.panel_lines

    def from_the_loss(self):
        self.set_heading()
        self.diagram = self.make_diagram()
        labels = self.show_values(self.diagram)
        self.play(FadeIn(self.diagram), FadeIn(labels), run_time=0.8)
        last = len(self.cfg.network.activations) - 1
        out = f"samples[0].layers[{last}]"
        softmax = self.cfg.network.activations[-1] == "softmax"
        grad = self.values(f"{out}.grad_z" if softmax else f"{out}.grad_a")
        self.show_panel(formulas.output_gradient(
            self.cfg.loss, self.value(f"{out}.a[0]"), self.value("samples[0].target[0]"),
            len(grad), grad[0], **self.formula_style()))
        self.arrows = self.diagram.nudges(last + 1, grad)
        self.play(*(Create(a) for a in self.arrows), run_time=0.8)
        self.legend(("gradient", self.theme.gradient))

    def output_weights(self):
        last = len(self.cfg.network.activations) - 1
        self.play(self.diagram.pulse(last, backward=True, color=self.theme.gradient),
                  run_time=1.0)
        self.subject = self.diagram.edge_group

    def blame_flows(self):
        d = self.diagram
        for l in reversed(range(len(self.cfg.network.activations) - 1)):
            arrows = d.nudges(l + 1, self.values(f"samples[0].layers[{l}].grad_a"))
            self.play(*(Create(a) for a in arrows), run_time=0.7)
            self.arrows.add(*arrows)
            self.play(d.pulse(l, backward=True, color=self.theme.gradient), run_time=1.0)

    def chain_rule(self):
        l, j, i = self.report["focus"]["weight"]
        edge = self.diagram.edges[l][(j, i)]
        others = [e for e in self.diagram.edge_group if e is not edge]
        self.play(*(e.animate.set_stroke(opacity=0.15) for e in others),
                  FadeOut(self.arrows), run_time=0.6)
        layer = f"samples[0].layers[{l}]"
        previous = f"samples[0].layers[{l - 1}].a[{i}]" if l else f"samples[0].input[{i}]"
        if self.cfg.network.activations[l] == "softmax":
            factors = [self.value(f"{layer}.grad_z[{j}]"), self.value(previous)]
        else:
            factors = [self.value(f"{layer}.grad_a[{j}]"), self.value(f"{layer}.slope[{j}]"),
                       self.value(previous)]
        self.show_panel(formulas.chain_rule(factors, self.value(f"{layer}.grad_W[{j}][{i}]"),
                                            through_activation=len(factors) == 3,
                                            **self.formula_style()))
