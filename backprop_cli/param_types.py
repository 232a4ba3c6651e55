"""Option types: parse an option's text into a value, or fail with a one-line message.

Parsing errors name the option (`app` adds it); the quick config overrides (`--layers
2,3,1` ...) are then validated by `load_config` exactly like the config file, whose
message names the config key.
"""

import math
import re

import click

from .settings import FORMATS, MAX_FPS, MAX_SIDE, QUALITIES, QUALITY_LETTERS, THEMES


class ChoiceType(click.ParamType):
    """One of `choices`, in any case; the message lists them."""

    choices: tuple = ()

    def key(self, value) -> str:
        return str(value).lower()

    def convert(self, value, param, ctx):
        key = self.key(value)
        if key not in self.choices:
            self.fail(f"expected one of {', '.join(self.choices)}, got {value!r}", param, ctx)
        return key

    def get_metavar(self, param, ctx=None):
        return "[" + "|".join(self.choices) + "]"


class QualityType(ChoiceType):
    """A preset name, or its letter: l, m, h, p, k."""

    name = "quality"
    choices = tuple(QUALITIES)

    def key(self, value) -> str:
        key = str(value).lower()
        return QUALITY_LETTERS.get(key, key)


class FormatType(ChoiceType):
    """A file type, with or without its dot."""

    name = "format"
    choices = FORMATS

    def key(self, value) -> str:
        return str(value).lower().lstrip(".")


class ThemeType(ChoiceType):
    name = "theme"
    choices = THEMES


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


MIN_FPS = 1   # fewer frames per second is not a video (the encoder refuses it)


class FpsType(click.ParamType):
    name = "N"

    def convert(self, value, param, ctx):
        try:
            fps = float(value)
        except (TypeError, ValueError):
            fps = math.nan
        if not (math.isfinite(fps) and MIN_FPS <= fps <= MAX_FPS):
            self.fail(f"expected frames per second, a number from {MIN_FPS} to {MAX_FPS}, "
                      f"got {value!r}", param, ctx)
        return int(fps) if fps == int(fps) else fps


class FolderType(click.ParamType):
    """A directory path; an empty one (`-o ''`) is a mistake, not the current folder."""

    name = "DIR"

    def convert(self, value, param, ctx):
        if not str(value).strip():
            self.fail("expected a folder, got an empty name (use . for the current folder)",
                      param, ctx)
        return value


class ActivationsType(click.ParamType):
    """One activation for every layer (`tanh`), or one per non-input layer
    (`tanh,softmax`): a name, or a list of names, checked by the config."""

    name = "NAME[,NAME...]"

    def convert(self, value, param, ctx):
        if isinstance(value, list):
            return value
        names = [p.strip() for p in str(value).split(",")]
        if not all(names):
            self.fail(f"expected an activation name, or one per non-input layer like "
                      f"tanh,softmax, got {value!r}", param, ctx)
        return names[0] if len(names) == 1 else names


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
