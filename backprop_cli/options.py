"""Option types with one-line messages, and the quick config overrides (`--layers 2,3,1` ...).

Parsing errors name the option; the values are then validated by `load_config` exactly
like the config file, whose message names the config key.
"""

import math
import re

import click

from .settings import FORMATS, MAX_FPS, MAX_SIDE, QUALITIES, QUALITY_LETTERS, THEMES


class QualityType(click.ParamType):
    name = "quality"

    def convert(self, value, param, ctx):
        key = str(value).lower()
        key = QUALITY_LETTERS.get(key, key)
        if key not in QUALITIES:
            self.fail(f"expected one of {', '.join(QUALITIES)}, got {value!r}", param, ctx)
        return key

    def get_metavar(self, param, ctx=None):
        return "[" + "|".join(QUALITIES) + "]"


class FormatType(click.ParamType):
    name = "format"

    def convert(self, value, param, ctx):
        key = str(value).lower().lstrip(".")
        if key not in FORMATS:
            self.fail(f"expected one of {', '.join(FORMATS)}, got {value!r}", param, ctx)
        return key

    def get_metavar(self, param, ctx=None):
        return "[" + "|".join(FORMATS) + "]"


class ThemeType(click.ParamType):
    name = "theme"

    def convert(self, value, param, ctx):
        key = str(value).lower()
        if key not in THEMES:
            self.fail(f"expected one of {', '.join(THEMES)}, got {value!r}", param, ctx)
        return key

    def get_metavar(self, param, ctx=None):
        return "[" + "|".join(THEMES) + "]"


class ResolutionType(click.ParamType):
    name = "WxH"

    def convert(self, value, param, ctx):
        if isinstance(value, tuple):
            return value
        match = re.fullmatch(r"\s*(\d+)\s*[x,X×:]\s*(\d+)\s*", str(value))
        if not match:
            self.fail(f"expected WIDTHxHEIGHT in pixels like 1280x720, got {value!r}",
                      param, ctx)
        width, height = int(match[1]), int(match[2])
        if not (2 <= width <= MAX_SIDE and 2 <= height <= MAX_SIDE):
            self.fail(f"width and height must be from 2 to {MAX_SIDE} pixels, got {value!r}",
                      param, ctx)
        return width, height


class FpsType(click.ParamType):
    name = "N"

    def convert(self, value, param, ctx):
        try:
            fps = float(value)
        except (TypeError, ValueError):
            fps = math.nan
        if not (math.isfinite(fps) and 0 < fps <= MAX_FPS):
            self.fail(f"expected frames per second, a number above 0 and at most {MAX_FPS}, "
                      f"got {value!r}", param, ctx)
        return int(fps) if fps == int(fps) else fps


class CountType(click.ParamType):
    """A whole number of at least `low`."""

    name = "N"

    def __init__(self, low: int = 1):
        self.low = low

    def convert(self, value, param, ctx):
        if isinstance(value, int):
            number = value
        elif re.fullmatch(r"\s*[+-]?\d+\s*", str(value)):
            number = int(value)
        else:
            number = None
        if number is None or number < self.low:
            self.fail(f"expected a whole number of at least {self.low}, got {value!r}",
                      param, ctx)
        return number


class LayersType(click.ParamType):
    name = "N,N,..."

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        parts = str(value).replace(" ", "").split(",")
        if not all(re.fullmatch(r"\d+", p) for p in parts):
            self.fail(f"expected comma-separated whole numbers like 2,3,1, got {value!r}",
                      param, ctx)
        return [int(p) for p in parts]


class SamplesType(click.ParamType):
    """One sample `0.9,0.2`, or several separated by `;`: `0.9,0.2;0.1,0.5`."""

    name = "X,X,..."

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        samples = []
        for chunk in str(value).split(";"):
            try:
                numbers = [float(p) for p in chunk.replace(" ", "").split(",")]
            except ValueError:
                numbers = None
            if not numbers or not all(math.isfinite(x) for x in numbers):
                self.fail(f"expected comma-separated numbers like 0.9,0.2 (several samples "
                          f"separated by ';'), got {value!r}", param, ctx)
            samples.append(numbers)
        return samples[0] if len(samples) == 1 else samples


class NumberType(click.ParamType):
    name = "X"

    def convert(self, value, param, ctx):
        try:
            return float(value)
        except (TypeError, ValueError):
            self.fail(f"expected a number, got {value!r}", param, ctx)


class WholeNumberType(click.ParamType):
    name = "N"

    def convert(self, value, param, ctx):
        if isinstance(value, int) or re.fullmatch(r"\s*[+-]?\d+\s*", str(value)):
            return int(value)
        self.fail(f"expected a whole number, got {value!r}", param, ctx)


# option name: (section, key, type, help)
OVERRIDES = {
    "layers": ("network", "layers", LayersType(),
               "Neurons per layer, input to output, e.g. 2,3,1."),
    "activation": ("network", "activation", click.STRING,
                   "Activation of every layer: sigmoid, tanh, relu, leaky_relu, linear."),
    "loss": ("training", "loss", click.STRING, "Loss function: mse, bce, cross_entropy."),
    "lr": ("training", "learning_rate", NumberType(), "Learning rate, e.g. 0.5."),
    "seed": ("network", "seed", WholeNumberType(), "Seed of the starting weights."),
    "input": ("data", "input", SamplesType(),
              "Input sample, e.g. 0.9,0.2 (several: 0.9,0.2;0.1,0.5)."),
    "target": ("data", "target", SamplesType(), "Target for the input(s), e.g. 1."),
}


def config_options(func):
    """--config FILE and the quick overrides; the command receives `config_file`, `overrides`."""
    for name, (_, _, kind, help_text) in reversed(OVERRIDES.items()):
        func = click.option(f"--{name}", f"override_{name}", type=kind, default=None,
                            metavar="NAME" if name in ("activation", "loss")
                            else kind.name, help=help_text)(func)
    func = click.option(
        "--config", "config_file", metavar="FILE", envvar="BACKPROP_VIDEO_CONFIG",
        help="TOML config of the network, data and training (default: the cat story; "
             "`init-config` writes one to edit).")(func)
    return func


def pop_overrides(params: dict) -> dict:
    """Remove the override options from a command's params: {section: {key: value}}."""
    overrides: dict = {}
    for name, (section, key, _, _) in OVERRIDES.items():
        value = params.pop(f"override_{name}", None)
        if value is not None:
            overrides.setdefault(section, {})[key] = value
    return overrides


def merge_overrides(base: dict, extra: dict) -> dict:
    """`extra` over `base`, section by section; one of activation/activations wins."""
    merged = {section: dict(values) for section, values in (base or {}).items()}
    for section, values in extra.items():
        target = merged.setdefault(section, {})
        for key, twin in (("activation", "activations"), ("activations", "activation")):
            if key in values:
                target.pop(twin, None)
        target.update(values)
    return merged
