"""Backpropagation: blame flows backward from the loss, and one step of gradient descent."""

from manim import DOWN, LEFT, RIGHT, Create, FadeIn, FadeOut, SurroundingRectangle, VGroup, Write

from backprop_core import get_activation, trace
from scenes import formulas
from scenes.base import ExplainerScene
from scenes.diagram import shown_neurons
from scenes.labels import Formula, fmt


class Backpropagation(ExplainerScene):
    """Gradients flow backward, the chain rule for one weight, the update, a better guess."""

    beats = ("from_the_loss", "output_weights", "blame_flows", "chain_rule", "update",
             "second_pass")
    narration = {
        "from_the_loss": "Backpropagation starts at the loss and asks: which way should the "
                         "output move to make the loss smaller? The arrow points that way.",
        "output_weights": "Each weight into the output gets its share of the blame: its "
                          "gradient. Green weights should grow, purple ones shrink.",
        "blame_flows": "The blame flows backward, layer by layer, telling every neuron "
                         "which way to move. That is backpropagation.",
        "chain_rule": "For one weight, the chain rule multiplies the effects along its path: "
                      "the loss on the output, the output on its sum, the sum on the weight.",
        "update": "Gradient descent takes a small step against the gradient, scaled by the "
                  "learning rate. Every weight and bias moves at once.",
        "second_pass": "Show the same picture again: the guess moves from {prediction} to "
                       "{new_prediction}, and the loss falls from {loss} to {new_loss}.",
    }

    def setup(self):
        super().setup()
        self.stepped = self.trace.stepped(self.cfg.learning_rate)
        self.after = trace(self.stepped, self.sample_input, self.sample_target, self.cfg.loss)

    def story_numbers(self):
        return {**super().story_numbers(),
                "new_prediction": ", ".join(fmt(v) for v in self.after.prediction),
                "new_loss": fmt(self.after.loss)}

    @property
    def focus_weight(self) -> tuple[int, int, int]:
        """The output-layer weight the chain rule is written for: the one with most blame."""
        last = len(self.trace.layers) - 1
        grad = self.trace.layers[last].grad_W[0]
        return last, 0, max(shown_neurons(len(grad)), key=lambda i: abs(grad[i]))

    def show_panel(self, lines, top: float = 1.4) -> None:
        """Replace the formulas in the right-hand panel, writing them line by line."""
        if self.panel_lines:
            self.play(FadeOut(self.panel_lines), run_time=0.4)
        self.panel_lines = VGroup(*lines).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        self.panel(self.panel_lines, top=top)
        for line in self.panel_lines:
            self.play(Write(line), run_time=0.9)

    def gradient_colors(self) -> dict:
        # A negative gradient means the value should increase.
        return dict(positive=self.theme.decrease, negative=self.theme.increase)

    # -- beats -------------------------------------------------------------------------

    def from_the_loss(self):
        t = self.trace
        self.set_heading("Backpropagation: learning from the mistake")
        self.diagram = self.make_diagram(width=7.2, height=4.2).move_to([-3.3, 0.1, 0])
        labels = self.fill_all(self.diagram)
        self.panel_lines = VGroup()
        self.loss_label = self.panel(Formula("L = ", t.loss, font_size=self.theme.formula_size,
                                             color=self.theme.error), top=2.6)
        self.play(FadeIn(self.diagram), FadeIn(labels), FadeIn(self.loss_label), run_time=0.8)
        out = t.layers[-1]
        softmax = out.activation == "softmax"
        grad = out.grad_z if softmax else out.grad_a
        self.show_panel(formulas.output_gradient(self.cfg.loss, out.a[0], t.target[0],
                                                 len(out.a), grad[0], **self.formula_style()))
        self.arrows = self.diagram.nudges(len(t.layers), grad)
        self.play(*(Create(a) for a in self.arrows), run_time=0.8)

    def output_weights(self):
        last = len(self.trace.layers) - 1
        key = self.legend(("increase", self.theme.increase), ("decrease", self.theme.decrease))
        self.key = key.next_to(self.loss_label, RIGHT, buff=1.2)
        self.play(self.diagram.pulse(last, backward=True), run_time=1.0)
        self.play(self.diagram.restyle_edges(last, self.trace.layers[last].grad_W,
                                             **self.gradient_colors()),
                  FadeIn(self.key), run_time=1.0)

    def blame_flows(self):
        d = self.diagram
        for l in reversed(range(len(self.trace.layers) - 1)):
            arrows = d.nudges(l + 1, self.trace.layers[l].grad_a)
            self.play(*(Create(a) for a in arrows), run_time=0.7)
            self.arrows.add(*arrows)
            self.play(d.pulse(l, backward=True), run_time=1.0)
            self.play(d.restyle_edges(l, self.trace.layers[l].grad_W, **self.gradient_colors()),
                      run_time=0.8)

    def chain_rule(self):
        l, j, i = self.focus_weight
        layer = self.trace.layers[l]
        edge = self.diagram.edges[l][(j, i)]
        others = [e for e in self.diagram.edge_group if e is not edge]
        self.play(*(e.animate.set_stroke(opacity=0.15) for e in others),
                  FadeOut(self.arrows), run_time=0.6)
        previous = self.trace.activations_of(l)
        if layer.activation == "softmax":
            factors = [layer.grad_z[j], previous[i]]
        else:
            slope = get_activation(layer.activation).derivative(layer.z)[j]
            factors = [layer.grad_a[j], slope, previous[i]]
        self.show_panel(formulas.chain_rule(factors, layer.grad_W[j, i],
                                            through_activation=len(factors) == 3,
                                            **self.formula_style()))

    def update(self):
        l, j, i = self.focus_weight
        layer = self.trace.layers[l]
        new_weight = self.stepped.weights[l][j, i]
        self.show_panel(formulas.update(layer.W[j, i], self.cfg.learning_rate,
                                        layer.grad_W[j, i], new_weight, **self.formula_style()))
        self.play(*(self.diagram.restyle_edges(k, w) for k, w in enumerate(self.stepped.weights)),
                  FadeOut(self.key), run_time=1.5)

    def second_pass(self):
        d, t = self.diagram, self.after
        self.play(FadeOut(self.panel_lines), run_time=0.4)
        self.panel_lines = VGroup()
        for l, layer in enumerate(t.layers):
            self.play(d.pulse(l), run_time=0.7)
            self.play(d.fill_layer(l + 1, layer.a, layer.activation), run_time=0.7)
        better = Formula("L = ", self.trace.loss, " arrow.r ", t.loss,
                         font_size=self.theme.formula_size, color=self.theme.text)
        better.move_to(self.loss_label, aligned_edge=LEFT)
        self.play(FadeOut(self.loss_label), FadeIn(better), run_time=0.8)
        self.play(Create(SurroundingRectangle(better, color=self.theme.increase, buff=0.12)),
                  run_time=0.6)
