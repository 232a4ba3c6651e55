"""ForwardPass: the inputs flow through the network and it makes a guess."""

import numpy as np
from manim import DOWN, LEFT, FadeIn, Indicate, VGroup, Write

from scenes import formulas
from scenes.base import ExplainerScene
from scenes.diagram import shown_neurons


class ForwardPass(ExplainerScene):
    """Inputs enter, pulses travel layer by layer, every neuron shows its activation."""

    beats = ("show_network", "inputs_enter", "weighted_sum", "activate", "whole_layer",
             "later_layers", "prediction")
    narration = {
        "show_network": "A picture comes in. The network has not learned anything yet: "
                        "its weights are random.",
        "inputs_enter": "The picture enters as numbers: how strongly it shows {inputs}.",
        "weighted_sum": "Each neuron multiplies every input by the weight of its line, "
                        "adds them up, and adds its bias.",
        "activate": "Then it squashes that sum with its activation function.",
        "whole_layer": "Every neuron in the layer does the same, all at once.",
        "later_layers": "The signal flows on, layer by layer, towards the output.",
        "prediction": "The output layer gives the network's guess: {prediction} for {outputs}",
    }

    # -- helpers -----------------------------------------------------------------------

    @property
    def focus(self) -> int:
        """The first-hidden-layer neuron we follow: the one that matters most to the loss."""
        grad = np.abs(self.trace.layers[0].grad_z)
        return max(shown_neurons(len(grad)), key=lambda j: grad[j])

    # -- beats -------------------------------------------------------------------------

    def show_network(self):
        self.diagram = self.make_diagram().move_to([-2.7, 0.2, 0])
        self.set_heading("The forward pass: making a guess")
        self.play(FadeIn(self.diagram), run_time=1.0)

    def inputs_enter(self):
        self.play(self.diagram.fill_layer(0, self.sample_input, "linear"), run_time=1.2)

    def weighted_sum(self):
        d, layer, j = self.diagram, self.trace.layers[0], self.focus
        incoming = [line for (jj, _), line in d.edges[0].items() if jj == j]
        others = [line for (jj, _), line in d.edges[0].items() if jj != j]
        self.play(*(line.animate.set_stroke(opacity=0.15) for line in others),
                  d.neurons[1][j].animate.set_stroke(self.theme.highlight, width=5),
                  run_time=0.6)
        self.play(d.pulse(0, lines=incoming), run_time=1.0)
        lines = formulas.weighted_sum(layer.W[j], self.sample_input, layer.b[j], layer.z[j],
                                      **self.formula_style())
        activation = formulas.activation(layer.activation, layer.z[j], layer.a[j],
                                         **self.formula_style())
        self.sum_lines = VGroup(*lines, activation).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        self.panel(self.sum_lines)
        for line in lines:
            self.play(Write(line), run_time=0.9)

    def activate(self):
        layer, j = self.trace.layers[0], self.focus
        self.play(Write(self.sum_lines[-1]), run_time=1.0)
        self.play(self.diagram.fill_layer(1, layer.a, layer.activation, neurons=[j]),
                  run_time=0.8)

    def whole_layer(self):
        d = self.diagram
        self.play(self.sum_lines.animate.set_opacity(0.0), *(
            line.animate.set_stroke(opacity=1.0) for line in d.edges[0].values()),
            d.neurons[1][self.focus].animate.set_stroke(self.theme.neuron_stroke, width=3),
            run_time=0.6)
        self.remove(self.sum_lines)
        self.play(d.pulse(0), run_time=1.0)
        layer = self.trace.layers[0]
        self.play(d.fill_layer(1, layer.a, layer.activation), run_time=1.0)

    def later_layers(self):
        for l in range(1, len(self.trace.layers)):
            layer = self.trace.layers[l]
            self.play(self.diagram.pulse(l), run_time=1.0)
            self.play(self.diagram.fill_layer(l + 1, layer.a, layer.activation), run_time=1.0)

    def prediction(self):
        out = len(self.trace.layers)
        labels = [self.diagram.values[out][j] for j in self.diagram.neurons[out]]
        self.play(*(Indicate(label, color=self.theme.highlight) for label in labels),
                  run_time=1.2)

