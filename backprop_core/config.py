"""The TOML config users edit: reading, merging overrides, and validating.

Every problem raises `ConfigError` with one line naming the key and what was expected.
"""

import difflib
import math
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

from .activations import ACTIVATIONS
from .losses import LOSSES, get_loss
from .network import Network
from .trace import Trace, trace

MAX_LAYERS = 6
MAX_NEURONS = 32
MAX_SAMPLES = 1000
MAX_EPOCHS = 10_000
STAND_IN_SAMPLES = 2  # when the story's data does not fit the network

SCHEMA = {
    "network": ("layers", "activations", "activation", "seed", "weights", "biases"),
    "data": ("input", "target"),
    "training": ("loss", "learning_rate", "epochs"),
    "labels": ("inputs", "outputs", "samples"),
    "story": ("descent_learning_rate", "overshoot_learning_rate"),
    "narration": None,   # beat name = sentence; the scenes check the names and placeholders
}
MAX_SENTENCE = 400   # characters of one [narration] sentence
MAX_LABEL = 40       # characters of a neuron's or a sample's name: what the layout can show
MAX_FILE_BYTES = 1_000_000   # a config is a few hundred bytes; more is a mistake


CONFIG_ENV = "BACKPROP_VIDEO_CONFIG"   # names the config file when none is given
LOCAL_CONFIG = "backprop-video.toml"   # in the current folder: used when none is named


class ConfigError(ValueError):
    """An invalid config: the message is one line naming the key."""


def default_config_text() -> str:
    """The commented default config (the cat story)."""
    return resources.files(__package__).joinpath("default_config.toml").read_text(encoding="utf-8")


DEFAULTS = tomllib.loads(default_config_text())


@dataclass(frozen=True)
class Config:
    """A validated config: the network, its data, how it trains, and the story labels."""

    network: Network
    input: np.ndarray
    target: np.ndarray
    loss: str
    learning_rate: float
    epochs: int
    input_labels: list[str]
    output_labels: list[str]
    sample_labels: list[str]
    descent_learning_rate: float | None = None    # [story]: None lets the story choose
    overshoot_learning_rate: float | None = None
    narration: dict = field(default_factory=dict)  # [narration]: beat name -> sentence

    def trace(self) -> Trace:
        """One forward and backward pass of the configured network on the configured data."""
        return trace(self.network, self.input, self.target, self.loss)


def load_config(path=None, overrides=None) -> Config:
    """Read `path` (or use the defaults), apply `overrides` ({section: {key: value}}), validate."""
    raw = _read(Path(path)) if path is not None else {}
    _check_keys(raw)
    _check_keys(overrides or {})
    return _build(merge_overrides(raw, overrides or {}))


def merge_overrides(base: dict, extra: dict) -> dict:
    """`extra` over `base`, section by section ({section: {key: value}}); an `activation`
    replaces `activations` and the other way round."""
    merged = {section: dict(values) for section, values in (base or {}).items()}
    for section, values in extra.items():
        target = merged.setdefault(section, {})
        for key, twin in (("activation", "activations"), ("activations", "activation")):
            if key in values:
                target.pop(twin, None)
        target.update(values)
    return merged


def _read(path: Path) -> dict:
    """The TOML of a regular file of at most MAX_FILE_BYTES (not a FIFO, a device or a
    directory, checked before anything is read); a UTF-8 BOM is allowed. Every error
    names the file."""
    import os
    import stat

    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise ConfigError(f"config file not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"config path is a directory, not a file: {path}") from None
    except OSError as err:
        raise ConfigError(f"cannot read config file {path}: {err.strerror or err}") from None
    try:
        info = os.fstat(fd)
        if stat.S_ISDIR(info.st_mode):
            raise ConfigError(f"config path is a directory, not a file: {path}")
        if not stat.S_ISREG(info.st_mode):
            raise ConfigError(f"config file {path} is not a regular file (a pipe, device or "
                              f"socket cannot be a config)")
        if info.st_size > MAX_FILE_BYTES:
            raise ConfigError(f"config file {path} is too large: {info.st_size} bytes, at "
                              f"most {MAX_FILE_BYTES // 1000} kB")
        with os.fdopen(fd, "rb") as handle:
            fd = None
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as err:
        raise ConfigError(f"cannot read config file {path}: {err.strerror or err}") from None
    finally:
        if fd is not None:
            os.close(fd)
    if len(data) > MAX_FILE_BYTES:
        raise ConfigError(f"config file {path} is too large: more than "
                          f"{MAX_FILE_BYTES // 1000} kB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise ConfigError(f"config file {path} is not UTF-8 text: {err}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path}: invalid TOML: {err}") from None
    except RecursionError:
        raise ConfigError(f"{path}: invalid TOML: nested too deeply") from None


def _unknown(name: str, choices) -> str:
    hint = difflib.get_close_matches(name, choices, n=1)
    suggestion = f"did you mean {hint[0]!r}? " if hint else ""
    return f"{suggestion}expected one of: {', '.join(choices)}"


def _check_keys(raw: dict) -> None:
    for section, values in raw.items():
        if section not in SCHEMA:
            raise ConfigError(f"unknown section [{section}] ({_unknown(section, SCHEMA)})")
        if not isinstance(values, dict):
            raise ConfigError(f"{section}: expected a [{section}] table, got {_show(values)}")
        if SCHEMA[section] is None:
            for key, value in values.items():
                if not isinstance(value, str) or not 0 < len(value.strip()) <= MAX_SENTENCE:
                    raise ConfigError(f"{section}.{key}: expected a sentence (text of 1 to "
                                      f"{MAX_SENTENCE} characters), got {_show(value)}")
            continue
        for key in values:
            if key not in SCHEMA[section]:
                raise ConfigError(f"unknown key '{section}.{key}' "
                                  f"({_unknown(key, SCHEMA[section])})")
    if "activation" in raw.get("network", {}) and "activations" in raw.get("network", {}):
        raise ConfigError("network: give either 'activation' or 'activations', not both")


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _number(value, key: str) -> float:
    if not _is_number(value):
        raise ConfigError(f"{key}: expected a number, got {_show(value)}")
    if not math.isfinite(value):
        raise ConfigError(f"{key}: expected a finite number, got {value}")
    return float(value)


def _positive(value, key: str) -> float:
    number = _number(value, key)
    if number <= 0:
        raise ConfigError(f"{key}: expected a positive number, got {number}")
    return number


def _integer(value, key: str, low: int, high: float = math.inf) -> int:
    if not isinstance(value, int) or isinstance(value, bool):
        raise ConfigError(f"{key}: expected a whole number, got {_show(value)}")
    if not low <= value <= high:
        bound = f"from {low} to {high}" if high != math.inf else f"of at least {low}"
        raise ConfigError(f"{key}: expected a whole number {bound}, got {value}")
    return value


def _strings(value, key: str, count: int) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{key}: expected a list of strings, got {_show(value)}")
    if len(value) != count:
        what = "sample" if key == "labels.samples" else "neuron"
        raise ConfigError(f"{key}: expected {_plural(count, 'name')} (one per {what}), "
                          f"got {len(value)}")
    for i, name in enumerate(value):
        if not name.strip() or not name.isprintable():
            raise ConfigError(f"{key}[{i}]: expected a printable name (no control characters "
                              f"or line breaks), got {_show(name)}")
        if len(name) > MAX_LABEL:
            raise ConfigError(f"{key}[{i}]: names are at most {MAX_LABEL} characters (what "
                              f"fits on screen), got {len(name)}")
    return list(value)


def _plural(count: int, word: str) -> str:
    """1 number, 2 numbers."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def _matrix(value, key: str, rows: int, cols: int) -> np.ndarray:
    if not isinstance(value, list) or not all(isinstance(row, list) for row in value):
        raise ConfigError(f"{key}: expected a {rows}×{cols} list of lists, got {_show(value)}")
    shape = (len(value), len(value[0]) if value else 0)
    if shape != (rows, cols) or any(len(row) != cols for row in value):
        raise ConfigError(f"{key}: expected shape {rows}×{cols}, got "
                          f"{len(value)} rows of lengths {[len(r) for r in value]}")
    return np.array([[_number(v, f"{key}[{j}][{i}]") for i, v in enumerate(row)]
                     for j, row in enumerate(value)])


def _vector(value, key: str, size: int) -> np.ndarray:
    if not isinstance(value, list):
        raise ConfigError(f"{key}: expected a list of {_plural(size, 'number')}, got "
                          f"{_show(value)}")
    if len(value) != size:
        raise ConfigError(f"{key}: expected {_plural(size, 'number')}, got {len(value)}")
    return np.array([_number(v, f"{key}[{i}]") for i, v in enumerate(value)])


def _samples(value, key: str, size: int) -> np.ndarray:
    """One sample (a list of numbers) or several (a list of such lists)."""
    if isinstance(value, list) and value and all(isinstance(v, list) for v in value):
        if len(value) > MAX_SAMPLES:
            raise ConfigError(f"{key}: at most {MAX_SAMPLES} samples, got {len(value)}")
        return np.array([_vector(v, f"{key}[{n}]", size) for n, v in enumerate(value)])
    return _vector(value, key, size)


def _default_fits(section: str, key: str, size: int):
    value = DEFAULTS[section][key]
    return value if np.shape(value)[-1] == size else None


def _data(data: dict, n_in: int, n_out: int, seed: int):
    """Inputs, targets, and whether they are the story's: as given, else the story's when
    they fit, else stand-ins."""
    if "input" not in data and "target" not in data:
        story = _default_fits("data", "input", n_in), _default_fits("data", "target", n_out)
        if all(v is not None for v in story):
            return (_samples(story[0], "data.input", n_in),
                    _samples(story[1], "data.target", n_out), True)
    x = _samples(data["input"], "data.input", n_in) if "input" in data else None
    y = _samples(data["target"], "data.target", n_out) if "target" in data else None
    if x is None:
        shape = (len(y), n_in) if y is not None and y.ndim == 2 else (
            (n_in,) if y is not None else (STAND_IN_SAMPLES, n_in))
        x = np.random.default_rng(seed).uniform(0, 1, shape).round(2)
    if y is None:
        # Two samples of different classes, like the cat and the dog.
        y = np.zeros(x.shape[:-1] + (n_out,))
        classes = np.arange(len(y)) % 2 if x.ndim == 2 else np.zeros(1, int)
        if n_out == 1:
            y[..., 0] = 1.0 - classes if x.ndim == 2 else 1.0
        else:
            y.reshape(-1, n_out)[np.arange(len(classes)), classes] = 1.0
    return x, y, False


def _build(raw: dict) -> Config:
    net = {**DEFAULTS["network"], **raw.get("network", {})}
    data = raw.get("data", {})
    training = {**DEFAULTS["training"], **raw.get("training", {})}
    labels = raw.get("labels", {})
    if "activations" in raw.get("network", {}):
        net.pop("activation")

    layers = net["layers"]
    if not isinstance(layers, list) or len(layers) < 2:
        raise ConfigError(f"network.layers: expected a list of at least 2 neuron counts "
                          f"(input, ..., output), got {_show(layers)}")
    if len(layers) > MAX_LAYERS:
        raise ConfigError(f"network.layers: at most {MAX_LAYERS} layers fit in a video, "
                          f"got {len(layers)}")
    layers = [_integer(n, f"network.layers[{i}]", 1, MAX_NEURONS) for i, n in enumerate(layers)]
    n_in, n_out, depth = layers[0], layers[-1], len(layers) - 1

    if "activation" in net and isinstance(net["activation"], list):   # one per layer
        activations, act_key = net["activation"], "network.activation"
        if len(activations) != depth:
            raise ConfigError(f"{act_key}: expected one name for every layer, or "
                              f"{_plural(depth, 'name')} (one per non-input layer), "
                              f"got {_show(activations)}")
    elif "activation" in net:
        activations = [net["activation"]] * depth
        act_key = "network.activation"
    else:
        activations = net["activations"]
        act_key = "network.activations"
        if not isinstance(activations, list) or len(activations) != depth:
            raise ConfigError(f"{act_key}: expected {_plural(depth, 'name')} (one per "
                              f"non-input layer), got {_show(activations)}")
    for act in activations:
        if not isinstance(act, str) or act not in ACTIVATIONS:
            raise ConfigError(f"{act_key}: unknown activation {_show(act)} "
                              f"({_unknown(str(act), ACTIVATIONS)})")
    loss = training["loss"]
    if not isinstance(loss, str) or loss not in LOSSES:
        raise ConfigError(f"training.loss: unknown loss {_show(loss)} ({_unknown(str(loss), LOSSES)})")
    _check_softmax(activations, act_key, loss, n_out)

    seed = _integer(net["seed"], "network.seed", 0)
    network = Network.initialise(layers, activations, seed)
    if "weights" in net:
        network.weights = _per_layer(net["weights"], "network.weights", depth,
                                     lambda w, k, l: _matrix(w, k, layers[l + 1], layers[l]))
    if "biases" in net:
        network.biases = _per_layer(net["biases"], "network.biases", depth,
                                    lambda b, k, l: _vector(b, k, layers[l + 1]))

    x, y, story_data = _data(data, n_in, n_out, seed)
    if x.ndim != y.ndim or (x.ndim == 2 and len(x) != len(y)):
        raise ConfigError(f"data.target: expected as many samples as data.input "
                          f"({_count(x)}), got {_count(y)}")
    expected = get_loss(loss).target_problem(np.atleast_2d(y))
    if expected:
        raise ConfigError(f"data.target: loss '{loss}' needs {expected}, got {_show(y.tolist())}")

    learning_rate = _positive(training["learning_rate"], "training.learning_rate")
    story = raw.get("story", {})
    rates = {key: _positive(story[key], f"story.{key}") for key in SCHEMA["story"] if key in story}
    epochs = _integer(training["epochs"], "training.epochs", 0, MAX_EPOCHS)

    n_samples = len(x) if x.ndim == 2 else 1
    default_samples = DEFAULTS["labels"]["samples"]
    if len(default_samples) != n_samples or not story_data:
        default_samples = [f"sample {k + 1}" for k in range(n_samples)]
    return Config(
        network=network, input=x, target=y, loss=loss,
        learning_rate=learning_rate, epochs=epochs,
        input_labels=_strings(labels.get("inputs", _default_fits("labels", "inputs", n_in)
                                      or [f"input {i + 1}" for i in range(n_in)]),
                              "labels.inputs", n_in),
        output_labels=_strings(labels.get("outputs", _default_fits("labels", "outputs", n_out)
                                       or [f"output {j + 1}" for j in range(n_out)]),
                               "labels.outputs", n_out),
        sample_labels=_strings(labels.get("samples", default_samples), "labels.samples",
                               n_samples),
        **rates,
        narration=dict(raw.get("narration", {})),
    )


def _count(samples: np.ndarray) -> str:
    return "one sample" if samples.ndim == 1 else f"a list of {len(samples)} samples"


def _per_layer(value, key: str, depth: int, parse) -> list[np.ndarray]:
    if not isinstance(value, list) or len(value) != depth:
        entries = "1 entry" if depth == 1 else f"{depth} entries"
        raise ConfigError(f"{key}: expected {entries} (one per non-input layer), "
                          f"got {_show(value)}")
    return [parse(v, f"{key}[{l}]", l) for l, v in enumerate(value)]


def _check_softmax(activations: list[str], key: str, loss: str, n_out: int) -> None:
    if "softmax" in activations[:-1]:
        raise ConfigError(f"{key}: softmax is only allowed on the output layer; give one "
                          f"activation per non-input layer, e.g. activations = [\"tanh\", "
                          f"\"softmax\"] (on the command line: --activation tanh,softmax)")
    if activations[-1] == "softmax":
        if loss != "cross_entropy":
            raise ConfigError(f"training.loss: a softmax output needs loss 'cross_entropy', "
                              f"got {loss!r}")
        if n_out < 2:
            raise ConfigError("network.layers: a softmax output needs at least 2 neurons")
    elif loss == "cross_entropy":
        raise ConfigError(f"{key}: loss 'cross_entropy' needs a softmax output layer, "
                          f"got {activations[-1]!r} (e.g. activations = [\"tanh\", "
                          f"\"softmax\"]; on the command line: --activation tanh,softmax)")
