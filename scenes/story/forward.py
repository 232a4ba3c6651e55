"""Part 2, the forward pass: the first picture flows through and the network guesses."""

from manim import DOWN, LEFT, FadeIn, Indicate, VGroup, Write

from scenes.kit import formulas
from scenes.kit.base import Part


class Forward(Part):
    """Inputs enter, pulses travel layer by layer, every neuron shows its activation."""

    number = 2
    title = "The forward pass"
    heading = "The forward pass: making a guess"
    beats = ("show_network", "inputs_enter", "weighted_sum", "activate", "whole_layer",
             "later_layers", "prediction")
    narration = {
        "show_network": "A picture comes in. The network has not learned anything yet: "
                        "its weights are random.",
        "inputs_enter": "The {sample} picture enters as numbers: how strongly it shows "
                        "{inputs}.",
        "weighted_sum": "Each neuron multiplies every input by the weight of its line, "
                        "adds them up, and adds its bias.",
        "activate": "Then it squashes that sum with its activation function.",
        "whole_layer": "Every neuron in the layer does the same, all at once.",
        "later_layers": "The signal flows on, layer by layer, towards the output.",
        "prediction": "The output layer gives the network's guess: {prediction} for "
                      "{outputs}",
    }

    def show_network(self):
        self.set_heading()
        self.diagram = self.make_diagram()
        self.play(FadeIn(self.diagram), run_time=1.0)

    def inputs_enter(self):
        self.play(self.diagram.fill_layer(0, self.values("samples[0].input"), "linear"),
                  run_time=1.2)
        self.subject = self.diagram.columns[0]

    def weighted_sum(self):
        d, j = self.diagram, self.report["focus"]["forward_neuron"]
        incoming = [line for (jj, _), line in d.edges[0].items() if jj == j]
        others = [line for (jj, _), line in d.edges[0].items() if jj != j]
        self.play(*(line.animate.set_stroke(opacity=0.15) for line in others),
                  d.neurons[1][j].animate.set_stroke(self.theme.highlight, width=5),
                  run_time=0.6)
        self.play(d.pulse(0, lines=incoming), run_time=1.0)
        layer = "samples[0].layers[0]"
        lines = formulas.weighted_sum(self.values(f"layers[0].W[{j}]"),
                                      self.values("samples[0].input"),
                                      self.value(f"layers[0].b[{j}]"),
                                      self.value(f"{layer}.z[{j}]"), **self.formula_style())
        activation = formulas.activation(self.cfg.network.activations[0],
                                         self.value(f"{layer}.z[{j}]"),
                                         self.value(f"{layer}.a[{j}]"), **self.formula_style())
        self.sum_lines = self.panel(*lines, activation)
        for line in lines:
            self.play(Write(line), run_time=0.9)

    def activate(self):
        j = self.report["focus"]["forward_neuron"]
        self.play(Write(self.sum_lines[-1]), run_time=1.0)
        self.play(self.diagram.fill_layer(1, self.values("samples[0].layers[0].a"),
                                          self.cfg.network.activations[0], neurons=[j]),
                  run_time=0.8)
        self.subject = self.diagram.neurons[1][j]

    def whole_layer(self):
        d, j = self.diagram, self.report["focus"]["forward_neuron"]
        self.play(self.sum_lines.animate.set_opacity(0.0), *(
            line.animate.set_stroke(opacity=1.0) for line in d.edges[0].values()),
            d.neurons[1][j].animate.set_stroke(self.theme.neuron_stroke, width=3),
            run_time=0.6)
        self.remove(self.sum_lines)
        self.play(d.pulse(0), run_time=1.0)
        self.play(d.fill_layer(1, self.values("samples[0].layers[0].a"),
                               self.cfg.network.activations[0]), run_time=1.0)

    def later_layers(self):
        for l in range(1, len(self.cfg.network.activations)):
            self.play(self.diagram.pulse(l), run_time=1.0)
            self.play(self.diagram.fill_layer(l + 1, self.values(f"samples[0].layers[{l}].a"),
                                              self.cfg.network.activations[l]), run_time=1.0)

    def prediction(self):
        out = len(self.cfg.network.activations)
        labels = VGroup(*(self.diagram.values[out][j] for j in self.diagram.neurons[out]))
        self.play(Indicate(labels, color=self.theme.highlight), run_time=1.2)
        self.subject = labels
