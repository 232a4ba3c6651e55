"""The `trace` command's output: the story's numbers as a JSON object or a readable table."""

import json

import numpy as np

from .config import Config
from .story import story_of

TABLE_FIELDS = ("W", "b", "z", "a", "grad_a", "grad_z", "grad_W", "grad_b")


def trace_json(config: Config) -> str:
    """Every number of the story as one JSON object; floats keep full precision.

    Refuses (ConfigError) a config whose numbers overflow, so the output is always JSON.
    """
    return json.dumps(story_of(config).report)


def _fmt(values) -> str:
    """Numbers with 4 decimals, a sign column always kept (so rows and blocks line up),
    and no -0.0000: a value that rounds to zero is 0.0000."""
    values = np.asarray(values, dtype=float)
    values = np.where(np.round(values, 4) == 0, 0.0, values)
    text = np.array2string(values, precision=4, suppress_small=True, floatmode="fixed",
                           max_line_width=100, sign=" ")
    return text.replace("-0.0000", " 0.0000")


def _block(name: str, values, width: int = 10) -> str:
    return f"  {name:<{width}} " + _fmt(values).replace("\n", "\n" + " " * (width + 3))


def trace_table(config: Config) -> str:
    """A readable, aligned summary: the samples, the cost, the layers and one step."""
    report = story_of(config).report
    cost = report["cost"]
    width = max(10, *(len(sample["name"]) for sample in report["samples"]))
    lines = [
        f"network    {' → '.join(map(str, report['network']['layers']))}   activations "
        f"{', '.join(report['network']['activations'])}   loss {cost['loss']}",
        f"cost       {cost['definition']}",
        "",
        f"  {'sample':<{width}} {'loss':>8}   prediction / target",
    ]
    for sample in report["samples"]:
        lines.append(f"  {sample['name']:<{width}} {sample['loss']:>8.4f}   "
                     f"{_fmt(sample['prediction'])} / {_fmt(sample['target'])}")
    lines.append(f"  {'cost':<{width}} {report['loss']:>8.4f}")
    lines.append(f"\ninputs ({', '.join(config.input_labels)}), one row per sample:")
    lines.append(_block("input", report["input"], width))
    for number, layer in enumerate(report["layers"], start=1):
        lines.append(f"\nlayer {number} ({layer['activation']}); z, a and the gradients of "
                     f"the cost, one row per sample:")
        lines += [_block(name, layer[name], width) for name in TABLE_FIELDS]
    lines.append(f"\nafter one step with learning rate {report['learning_rate']:g}: "
                 f"cost {report['next']['loss']:.4f} (was {report['loss']:.4f})")
    return "\n".join(lines)
