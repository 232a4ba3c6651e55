"""Part 1, the network's anatomy: it assembles layer by layer, with its parts named."""

from manim import DOWN, LEFT, RIGHT, UP, Create, FadeIn, GrowFromCenter, LaggedStart, VGroup

from scenes.kit.base import Part


class Anatomy(Part):
    """The network assembles: input, hidden and output layers, named, and the weights."""

    number = 1
    title = "The brain of the machine"
    heading = "The brain of the machine: a neural network"
    beats = ("brain", "input_layer", "hidden_layers", "output_layer", "weights", "parameters")
    narration = {
        "brain": "Think of a neural network as a toddler learning what a cat looks like. "
                 "It is made of neurons, arranged in layers.",
        "input_layer": "The input layer receives information: how strongly a picture "
                       "shows {inputs}.",
        "hidden_layers": "Hidden layers in between transform that information.",
        "output_layer": "The output layer gives the final answer: {outputs}",
        "weights": "Every line is a weight. Blue lines are positive, orange lines negative, "
                   "and thicker lines count for more.",
        "parameters": "These weights, plus one bias per neuron, are all the network knows. "
                      "Learning means adjusting them.",
    }

    def brain(self):
        self.set_heading()
        self.diagram = self.make_diagram()
        for column in self.diagram.columns:
            column.set_stroke(opacity=0.35)
        self.play(LaggedStart(*(GrowFromCenter(c) for column in self.diagram.columns
                                for c in column), lag_ratio=0.05), run_time=1.5)

    def _name_layer(self, l: int):
        d = self.diagram
        self.play(d.columns[l].animate.set_stroke(opacity=1.0),
                  FadeIn(d.names[l], shift=0.2 * DOWN),
                  *(FadeIn(label, shift=0.2 * (RIGHT if l else LEFT))
                    for label in d.labels[l].values()),
                  run_time=1.0)
        self.subject = d.columns[l]

    def input_layer(self):
        self._name_layer(0)

    def hidden_layers(self):
        for l in range(1, len(self.diagram.layers) - 1):
            self._name_layer(l)

    def output_layer(self):
        self._name_layer(len(self.diagram.layers) - 1)

    def weights(self):
        d = self.diagram
        for layer in d.edges:
            self.play(LaggedStart(*(Create(line) for line in layer.values()), lag_ratio=0.05),
                      run_time=1.0)
        self.scene.bring_to_back(d.edge_group)
        self.legend(("positive weight", self.theme.positive),
                    ("negative weight", self.theme.negative))

    def parameters(self):
        count = VGroup(
            self.numeral("network.weight_count", self.theme.body_size, self.theme.highlight,
                        digits=0),
            self.text("weights", self.theme.body_size, self.theme.highlight),
            self.text("+", self.theme.body_size, self.theme.highlight),
            self.numeral("network.bias_count", self.theme.body_size, self.theme.highlight,
                        digits=0),
            self.text("biases =", self.theme.body_size, self.theme.highlight),
            self.numeral("network.parameter_count", self.theme.body_size,
                        self.theme.highlight, digits=0),
            self.text("numbers to learn", self.theme.body_size, self.theme.highlight),
        ).arrange(RIGHT, buff=0.15)
        self.panel(count)
        self.play(LaggedStart(*(FadeIn(part) for part in count), lag_ratio=0.3), run_time=1.5)
        self.subject = count
