"""NetworkAnatomy: the network assembles, layer by layer, with its parts named."""

from manim import (DOWN, LEFT, RIGHT, Create, FadeIn, GrowFromCenter, LaggedStart, VGroup,
                   config)

from scenes.base import ExplainerScene

SIDE_X = config.frame_width / 2 - 2.8  # the key and the count stand right of this


class NetworkAnatomy(ExplainerScene):
    """The network assembles: input, hidden and output layers, named, and the weights."""

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
        self.diagram = self.make_diagram(width=SIDE_X + config.frame_width / 2 - 0.8)
        self.diagram.move_to([(SIDE_X - config.frame_width / 2) / 2, 0.3, 0])
        self.set_heading("The brain of the machine: a neural network")
        for column in self.diagram.columns:
            column.set_stroke(opacity=0.35)
        self.play(LaggedStart(*(GrowFromCenter(c) for column in self.diagram.columns
                                for c in column),
                              lag_ratio=0.05), run_time=1.5)

    def _name_layer(self, l: int):
        d = self.diagram
        self.play(d.columns[l].animate.set_stroke(opacity=1.0),
                  FadeIn(d.names[l], shift=0.2 * DOWN),
                  *(FadeIn(label, shift=0.2 * (RIGHT if l else LEFT))
                    for label in d.labels[l].values()),
                  run_time=1.0)

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
        self.bring_to_back(d.edge_group)
        self.key = self.legend(("positive", self.theme.positive),
                               ("negative", self.theme.negative))
        self.key.move_to([SIDE_X + 0.1, 1.6, 0], aligned_edge=LEFT)
        self.play(FadeIn(self.key), run_time=0.5)

    def parameters(self):
        layers = self.cfg.network.layers
        weights = sum(a * b for a, b in zip(layers[:-1], layers[1:]))
        biases = sum(layers[1:])
        count = VGroup(*(self.text(line, self.theme.body_size, self.theme.highlight)
                         for line in (f"{weights} weights", f"+ {biases} biases",
                                      f"= {weights + biases} numbers", "to learn")))
        count.arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        count.scale_to_fit_width(min(count.width, config.frame_width / 2 - SIDE_X - 0.3))
        count.next_to(self.key, DOWN, buff=0.6, aligned_edge=LEFT)
        self.play(LaggedStart(*(FadeIn(line) for line in count), lag_ratio=0.4), run_time=1.5)
