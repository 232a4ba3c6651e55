"""The explainer's numbers, computed once from a config: one cost, and everything shown.

The cost is the mean over the samples of each sample's loss. The story computes it for
each sample and for all of them together, picks the weight the explainer follows, nudges
it, walks down its loss landscape, takes the update step and trains. `Story.report()` is
the plain data `trace --json` prints; every number a scene shows is read from it by a
path such as `samples[0].layers[1].grad_z[0]` (see `lookup`).
"""

import math
import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .activations import get_activation
from .config import Config, ConfigError
from .landscape import DescentPath, WeightRef, descent_path, loss_slice
from .trace import Trace, trace
from .training import History, train

DESCENT_STEPS = 6
LANDSCAPE_POINTS = 121
LANDSCAPE_REACH = 8.0   # a weight's landscape is searched this far either side
NUDGE = 0.01            # how far the chain rule's nudge moves the weight
TRAINING_KEYFRAMES = 16


@dataclass(frozen=True)
class Nudge:
    """One weight moved by `epsilon` in one sample's pass: how its neuron's z and a, and
    that sample's loss, really move (forward passes, not derivatives)."""

    sample: int
    weight: WeightRef
    epsilon: float
    dz: float
    da: float
    dloss: float

    @property
    def ratio(self) -> float:
        """Δloss / Δw: the derivative, measured."""
        return self.dloss / self.epsilon


@dataclass
class Story:
    """Everything the explainer shows for `config`, each value computed by the engine."""

    config: Config
    cost: Trace = field(init=False)
    samples: list[Trace] = field(init=False)

    def __post_init__(self):
        cfg = self.config
        self.cost = trace(cfg.network, cfg.input, cfg.target, cfg.loss)
        self.samples = [trace(cfg.network, x, y, cfg.loss)
                        for x, y in zip(np.atleast_2d(cfg.input), np.atleast_2d(cfg.target))]

    # -- the step ----------------------------------------------------------------------

    @cached_property
    def stepped(self):
        """The network after one gradient-descent step on the cost."""
        return self.cost.stepped(self.config.learning_rate)

    @cached_property
    def after(self) -> Trace:
        cfg = self.config
        return trace(self.stepped, cfg.input, cfg.target, cfg.loss)

    @cached_property
    def samples_after(self) -> list[Trace]:
        cfg = self.config
        return [trace(self.stepped, x, y, cfg.loss)
                for x, y in zip(np.atleast_2d(cfg.input), np.atleast_2d(cfg.target))]

    # -- which weight the story follows ------------------------------------------------

    @cached_property
    def watched_output(self) -> int:
        """The output neuron the story follows: the first sample's true class (or the first)."""
        target = np.atleast_2d(self.config.target)[0]
        return int(np.argmax(target)) if len(target) > 1 else 0

    @cached_property
    def weight(self) -> WeightRef:
        """The output weight the chain rule, the update and the landscape are about: of the
        watched output's incoming weights, the one whose loss landscape has the deepest
        valley nearest to it (a real minimum preferred)."""
        last = len(self.cost.layers) - 1
        j = self.watched_output
        best = max(range(self.config.network.layers[-2]),
                   key=lambda i: self._valley_score((last, j, i)))
        return last, j, best

    def _valley_score(self, weight: WeightRef) -> tuple:
        start = float(self.config.network.weights[weight[0]][weight[1], weight[2]])
        values = np.linspace(start - LANDSCAPE_REACH, start + LANDSCAPE_REACH, LANDSCAPE_POINTS)
        losses = self._slice(weight, values)
        k = int(np.nanargmin(losses))
        valley = 0 < k < LANDSCAPE_POINTS - 1
        return valley, (losses[LANDSCAPE_POINTS // 2] - losses[k]) / (abs(values[k] - start) + 1)

    def _slice(self, weight: WeightRef, values) -> np.ndarray:
        cfg = self.config
        return loss_slice(cfg.network, cfg.input, cfg.target, cfg.loss, weight, values)

    @property
    def hidden(self) -> tuple[int, int] | None:
        """The hidden neuron (layer, index) the followed weight comes from; None without one."""
        l, _, i = self.weight
        return (l, i) if l > 0 else None

    @cached_property
    def hidden_weight(self) -> WeightRef | None:
        """The weight into that hidden neuron with the largest gradient of the first sample."""
        if self.hidden is None:
            return None
        l, i = self.hidden
        grads = np.abs(self.samples[0].layers[l - 1].grad_W[i])
        return l - 1, i, int(np.argmax(grads))

    @cached_property
    def forward_neuron(self) -> int:
        """The first-hidden-layer neuron the forward pass works through: the followed one
        when the network has one hidden layer, else the one that matters most."""
        if self.hidden is not None and self.hidden[0] == 1:
            return self.hidden[1]
        return int(np.argmax(np.abs(self.samples[0].layers[0].grad_z)))

    # -- the chain rule, measured --------------------------------------------------------

    @cached_property
    def nudge(self) -> Nudge:
        """Move the followed weight by NUDGE in the first sample's pass."""
        cfg = self.config
        l, j, i = self.weight
        x, y = np.atleast_2d(cfg.input)[0], np.atleast_2d(cfg.target)[0]
        w = float(cfg.network.weights[l][j, i])
        moved = trace(cfg.network.with_weight(l, j, i, w + NUDGE), x, y, cfg.loss)
        before = self.samples[0]
        return Nudge(0, self.weight, NUDGE,
                     float(moved.layers[l].z[j] - before.layers[l].z[j]),
                     float(moved.layers[l].a[j] - before.layers[l].a[j]),
                     moved.loss - before.loss)

    # -- the landscape and the walk down it -----------------------------------------------

    @property
    def _start(self) -> float:
        l, j, i = self.weight
        return float(self.config.network.weights[l][j, i])

    @cached_property
    def _bottom(self) -> float:
        """Where the followed weight's cost is lowest, within LANDSCAPE_REACH of it."""
        wide = np.linspace(self._start - LANDSCAPE_REACH, self._start + LANDSCAPE_REACH,
                           LANDSCAPE_POINTS)
        return float(wide[int(np.nanargmin(self._slice(self.weight, wide)))])

    @cached_property
    def landscape(self) -> dict:
        """The cost as the followed weight alone changes, over a window that shows the
        walks and the minimum."""
        seen = np.concatenate([p.positions for p in self.descents]
                               + [[self._bottom, self._start]])
        margin = 0.15 * (seen.max() - seen.min()) + 0.1
        values = np.linspace(seen.min() - margin, seen.max() + margin, LANDSCAPE_POINTS)
        losses = self._slice(self.weight, values)
        k = int(np.nanargmin(losses))
        return {"weight": list(self.weight), "values": values, "losses": losses,
                "minimum": {"weight": float(values[k]), "loss": float(losses[k])},
                "weight_ticks": nice_ticks(values[0], values[-1]),
                "loss_ticks": nice_ticks(0.0, float(np.nanmax(losses)))}

    @cached_property
    def descent_rates(self) -> tuple[float, float, float]:
        """The config's learning rate, one that makes steps visible, and one that overshoots
        (the last two from the config's [story] section, else chosen here)."""
        cfg = self.config
        l, j, i = self.weight
        slope = float(self.cost.layers[l].grad_W[j, i])
        reach = abs(self._start - self._bottom) / abs(slope) if slope else 1.0
        visible = cfg.descent_learning_rate or _two_digits(0.35 * reach)
        overshoot = cfg.overshoot_learning_rate or _two_digits(1.7 * reach)
        return cfg.learning_rate, visible, overshoot

    @cached_property
    def descents(self) -> list[DescentPath]:
        """Real gradient steps on the followed weight at each of `descent_rates`."""
        cfg = self.config
        return [descent_path(cfg.network, cfg.input, cfg.target, cfg.loss, self.weight,
                             rate, DESCENT_STEPS) for rate in self.descent_rates]

    # -- training ------------------------------------------------------------------------

    @cached_property
    def history(self) -> History:
        cfg = self.config
        return train(cfg.network, cfg.input, cfg.target, cfg.loss, cfg.learning_rate,
                     cfg.epochs)

    @cached_property
    def keyframes(self) -> list[int]:
        """The epochs the training animation stops at."""
        return [int(e) for e in np.unique(np.linspace(0, self.config.epochs,
                                                      TRAINING_KEYFRAMES + 1).astype(int))]

    # -- the report ----------------------------------------------------------------------

    def parts(self) -> list[tuple[str, object]]:
        """The report's entries in story order: (key, function computing its value)."""
        cfg = self.config
        layers = cfg.network.layers
        weights = sum(a * b for a, b in zip(layers[:-1], layers[1:]))
        return [
            ("network", lambda: {"layers": layers, "activations": cfg.network.activations,
                                 "weight_count": weights, "bias_count": sum(layers[1:]),
                                 "parameter_count": weights + sum(layers[1:])}),
            ("cost", lambda: {"loss": cfg.loss, "samples": cfg.sample_labels,
                              "definition": _definition(cfg.loss, len(self.samples))}),
            ("learning_rate", lambda: cfg.learning_rate),
            ("input", lambda: cfg.input),
            ("target", lambda: cfg.target),
            ("samples", lambda: [_sample(name, t)
                                 for name, t in zip(cfg.sample_labels, self.samples)]),
            ("loss", lambda: self.cost.loss),
            ("prediction", lambda: self.cost.prediction),
            ("layers", lambda: [_layer(layer) for layer in self.cost.layers]),
            ("next", lambda: {"weights": self.stepped.weights, "biases": self.stepped.biases,
                              "loss": self.after.loss, "prediction": self.after.prediction,
                              "samples": [{"loss": t.loss, "prediction": t.prediction}
                                          for t in self.samples_after]}),
            ("focus", lambda: {"weight": self.weight, "output": self.watched_output,
                               "hidden": self.hidden, "hidden_weight": self.hidden_weight,
                               "forward_neuron": self.forward_neuron}),
            ("nudge", lambda: {"sample": self.nudge.sample, "weight": self.nudge.weight,
                               "epsilon": self.nudge.epsilon, "dz": self.nudge.dz,
                               "da": self.nudge.da, "dloss": self.nudge.dloss,
                               "ratio": self.nudge.ratio}),
            ("descent", lambda: [{"learning_rate": rate, "positions": p.positions,
                                  "losses": p.losses, "slopes": p.slopes}
                                 for rate, p in zip(self.descent_rates, self.descents)]),
            ("landscape", lambda: self.landscape),
            ("training", lambda: {
                "epochs": cfg.epochs, "losses": self.history.losses,
                "keyframes": self.keyframes,
                "predictions": [self.history.predictions[e] for e in self.keyframes],
                "loss_ticks": nice_ticks(0.0, float(np.max(self.history.losses))),
                "epoch_ticks": nice_ticks(0.0, float(max(cfg.epochs, 1)))}),
        ]

    @cached_property
    def report(self) -> dict:
        """Every number of the story as plain JSON-ready data (what `trace --json` prints)."""
        return {key: _plain(build()) for key, build in self.parts()}


# Which setting to change when a part of the report is not finite.
CULPRITS = {
    "samples": "the inputs or the weights (data.input, network.weights)",
    "layers": "the inputs or the weights (data.input, network.weights)",
    "loss": "the inputs or the weights (data.input, network.weights)",
    "prediction": "the inputs or the weights (data.input, network.weights)",
    "next": "training.learning_rate",
    "training": "training.learning_rate or training.epochs",
    "descent": "story.descent_learning_rate or story.overshoot_learning_rate",
    "landscape": "the inputs or the weights (data.input, network.weights)",
    "nudge": "the inputs or the weights (data.input, network.weights)",
}


def story_of(config: Config) -> Story:
    """The story of `config`, its report checked part by part: ConfigError, naming the
    setting to change, at the first part whose numbers are not finite."""
    report = {}
    with np.errstate(all="ignore"):
        story = Story(config)
        for key, build in story.parts():
            try:
                report[key] = _plain(build())
            except (ArithmeticError, ValueError):
                bad = key
            else:
                bad = first_non_finite(report[key], key)
            if bad is not None:
                raise ConfigError(f"the numbers overflow ({bad} is not finite); make "
                                  f"{CULPRITS.get(key, 'the config values')} smaller")
    story.report = report
    return story


def first_non_finite(data, path: str = "") -> str | None:
    """The path of the first number in `data` that is inf or nan, or None."""
    if isinstance(data, float):
        return None if math.isfinite(data) else path
    if isinstance(data, dict):
        items = ((f"{path}.{k}" if path else k, v) for k, v in data.items())
    elif isinstance(data, list):
        items = ((f"{path}[{n}]", v) for n, v in enumerate(data))
    else:
        return None
    for where, value in items:
        found = first_non_finite(value, where)
        if found is not None:
            return found
    return None


def lookup(report: dict, path: str):
    """The value at `path` in `report`: `loss`, `layers[0].grad_W[2][1]`, `next.loss`."""
    value = report
    for name, index in re.findall(r"([A-Za-z_]\w*)|\[(\d+)\]", path):
        value = value[name] if name else value[int(index)]
    return value


def nice_ticks(low: float, high: float, count: int = 4) -> list[float]:
    """Round tick values covering [low, high], about `count` of them."""
    span = high - low
    if not span > 0:
        return [float(low)]
    raw = span / count
    step = 10 ** math.floor(math.log10(raw))
    step *= next(m for m in (1, 2, 2.5, 5, 10) if m * step >= raw)
    first = math.ceil(low / step - 1e-9)
    ticks = [round(k * step, 10) for k in range(first, math.floor(high / step + 1e-9) + 1)]
    return [t + 0.0 for t in ticks]


def _definition(loss: str, samples: int) -> str:
    if samples == 1:
        return f"the {loss} loss of the one sample"
    return f"the mean of the {samples} samples' {loss} losses"


def _two_digits(x: float) -> float:
    """A rate with two significant digits, so the one written is the one used."""
    return float(f"{x:.2g}")


FIELDS = ("W", "b", "z", "a", "grad_z", "grad_a", "grad_W", "grad_b")


def _layer(layer) -> dict:
    data = {"activation": layer.activation, **{f: getattr(layer, f) for f in FIELDS}}
    activation = get_activation(layer.activation)
    if activation.elementwise:   # da/dz, neuron by neuron
        data["slope"] = activation.derivative(layer.z)
    return data


def _sample(name: str, t: Trace) -> dict:
    return {"name": name, "input": t.input, "target": t.target, "prediction": t.prediction,
            "loss": t.loss, "layers": [_layer(layer) for layer in t.layers]}


def _plain(data):
    """NumPy arrays and numbers as lists and Python floats (ints stay ints)."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, (list, tuple)):
        return [_plain(v) for v in data]
    if isinstance(data, np.ndarray):
        return _plain(data.tolist())
    if isinstance(data, (bool, np.bool_)):
        return bool(data)
    if isinstance(data, (int, np.integer)):
        return int(data)
    if isinstance(data, (float, np.floating)):
        return float(data)
    return data


