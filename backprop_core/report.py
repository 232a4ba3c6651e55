"""The `trace` command's output: a JSON object or a readable table."""

import json

import numpy as np

from .config import Config
from .trace import loss_at


def trace_report(config: Config) -> dict:
    """The trace of `config` as plain JSON-ready data, with the network after one SGD step."""
    t = config.trace()
    stepped = t.stepped(config.learning_rate)
    fields = ("W", "b", "z", "a", "grad_z", "grad_a", "grad_W", "grad_b")
    return {
        "loss": t.loss,
        "prediction": t.prediction.tolist(),
        "layers": [{"activation": layer.activation,
                    **{f: getattr(layer, f).tolist() for f in fields}}
                   for layer in t.layers],
        "next": {
            "weights": [w.tolist() for w in stepped.weights],
            "biases": [b.tolist() for b in stepped.biases],
            "loss": loss_at(stepped, config.input, config.target, config.loss),
        },
    }


def trace_json(config: Config) -> str:
    """`trace_report` as one JSON object; floats keep full precision."""
    return json.dumps(trace_report(config))


def _fmt(values) -> str:
    return np.array2string(np.asarray(values), precision=4, suppress_small=True,
                           floatmode="fixed", max_line_width=100)


def trace_table(config: Config) -> str:
    """A readable, aligned summary of the trace."""
    report = trace_report(config)
    net = config.network
    lines = [
        f"network   {' → '.join(map(str, net.layers))}   "
        f"activations {', '.join(net.activations)}   loss {config.loss}",
        f"input     {_fmt(config.input)}   ({', '.join(config.input_labels)})",
        f"target    {_fmt(config.target)}   ({', '.join(config.output_labels)})",
        f"prediction {_fmt(report['prediction'])}",
        f"loss      {report['loss']:.6f}",
    ]
    for number, layer in enumerate(report["layers"], start=1):
        lines.append(f"\nlayer {number} ({layer['activation']})")
        for name in ("W", "b", "z", "a", "grad_a", "grad_z", "grad_W", "grad_b"):
            text = _fmt(layer[name]).replace("\n", "\n" + " " * 10)
            lines.append(f"  {name:<7} {text}")
    lines.append(f"\nafter one step with learning rate {config.learning_rate}: "
                 f"loss {report['next']['loss']:.6f}")
    return "\n".join(lines)
