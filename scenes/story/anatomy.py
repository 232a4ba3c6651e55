"""Part 1, the network's anatomy: it builds neuron by neuron, layer by layer, named; every
line is a weight, coloured by its sign; and the count of numbers it learns."""

from manim import (DOWN, LEFT, RIGHT, AnimationGroup, Create, FadeIn, GrowFromCenter,
                   LaggedStart, ShowPassingFlash, VGroup, there_and_back)

from scenes.kit.base import Part
from scenes.kit.theme import weight_keys


class Anatomy(Part):
    """Inputs with their feature names, hidden layers, the output; the weights' colours."""

    number = 1
    title = "The brain of the machine"
    heading = "The brain of the machine: a neural network"
    beats = ("input_layer", "hidden_layers", "output_layer", "weights", "parameters")
    narration = {
        "input_layer": "Inputs: what the network sees. Here, how strongly a picture shows "
                       "{inputs}.",
        "hidden_layers": "Hidden layers turn what it sees into features of their own. "
                         "Every neuron listens to every neuron before it.",
        "output_layer": "The output is the answer: {outputs}",
        "weights": "Every line is a weight. Blue pushes up, orange pushes down, and "
                   "thicker lines push harder.",
        "parameters": "The weights, plus one bias per neuron, are all the network knows. "
                      "Learning means adjusting them.",
    }

    def input_layer(self):
        self.set_heading()
        self.diagram = d = self.make_diagram()
        for line in d.edge_group:   # lines are drawn plain first; their colours come later
            line.set_stroke(self.theme.muted, width=2)
        self.build_layer(0, self.time_left() - 0.3)
        self.subject = VGroup(d.columns[0], *d.labels[0].values())

    def build_layer(self, l: int, seconds: float) -> None:
        """Layer `l` grows neuron by neuron (with its labels and the edges into it), then
        its name appears."""
        d = self.diagram
        edges = [line for (j, _), line in d.edges[l - 1].items()] if l else []
        neurons = [AnimationGroup(GrowFromCenter(circle), *(
            [FadeIn(d.labels[l][j], shift=0.2 * (RIGHT if l else LEFT))]
            if j in d.labels[l] else [])) for j, circle in d.neurons[l].items()]
        marks = [m for m in d.columns[l] if m not in d.neurons[l].values()]
        self.play(LaggedStart(*neurons, lag_ratio=0.6), *(FadeIn(m) for m in marks),
                  run_time=max(0.8, 0.5 * seconds))
        if edges:
            self.play(LaggedStart(*(Create(line) for line in edges), lag_ratio=0.1),
                      run_time=max(0.6, 0.3 * seconds))
            self.scene.bring_to_back(*edges)
        self.play(FadeIn(d.names[l], shift=0.2 * DOWN), run_time=max(0.4, 0.2 * seconds))

    def hidden_layers(self):
        hidden = range(1, len(self.diagram.layers) - 1)
        seconds = (self.time_left() - 0.3) / max(len(hidden), 1)
        for l in hidden:
            self.build_layer(l, seconds)

    def output_layer(self):
        last = len(self.diagram.layers) - 1
        self.build_layer(last, self.time_left() - 0.3)
        self.subject = VGroup(self.diagram.columns[last], *self.diagram.labels[last].values())

    def weights(self):
        d, weights = self.diagram, self.cfg.network.weights
        self.play(*(d.restyle_edges(l, w) for l, w in enumerate(weights)), run_time=1.2)
        self.legend(*weight_keys(self.theme))
        # The strongest pushes, up and down, run along their lines.
        strongest = []
        for l, w in enumerate(weights):
            for sign in (1, -1):
                key = max(d.edges[l], key=lambda k: sign * w[k])
                if sign * w[key] > 0:
                    strongest.append(d.edges[l][key])
        self.play(*(ShowPassingFlash(line.copy().set_stroke(width=line.get_stroke_width() + 6),
                                     time_width=0.6) for line in strongest),
                  run_time=max(1.0, self.time_left() - 0.3))

    def parameters(self):
        size, color = self.theme.body_size, self.theme.highlight
        weights = VGroup(self.numeral("network.weight_count", size, color, digits=0),
                         self.text("weights", size, color)).arrange(RIGHT, buff=0.15)
        biases = VGroup(self.text("+", size, color),
                        self.numeral("network.bias_count", size, color, digits=0),
                        self.text("biases", size, color)).arrange(RIGHT, buff=0.15)
        total = VGroup(self.text("=", size, color),
                       self.numeral("network.parameter_count", size, color, digits=0),
                       self.text("numbers to learn", size, color)).arrange(RIGHT, buff=0.15)
        self.panel(weights, biases, total)
        d = self.diagram
        step = max(0.8, (self.time_left() - 0.5) / 3)
        self.play(FadeIn(weights, shift=0.2 * LEFT), *(
            ShowPassingFlash(line.copy().set_stroke(color, width=4), time_width=0.5)
            for line in d.edge_group), run_time=step)
        self.play(FadeIn(biases, shift=0.2 * LEFT), *(
            circle.animate(rate_func=there_and_back).set_stroke(color)
            for column in d.neurons[1:] for circle in column.values()), run_time=step)
        self.play(FadeIn(total, shift=0.2 * LEFT), run_time=min(step, 1.0))
        self.subject = total
