"""Every option that more than one command takes, declared once, and their groups.

A command stacks the groups it takes (`scene_options` for render, stills and slides);
options of one command only are declared with that command. The quick config overrides
(`--layers 2,3,1` ...) reach the command as `override_<key>` parameters, which
`pop_overrides` turns into config sections.
"""

import click

from ..param_types import (
    ActivationsType,
    ChoiceType,
    CountType,
    FolderType,
    FpsType,
    LayersType,
    NumberType,
    QualityType,
    ResolutionType,
    SamplesType,
    ThemeType,
    WholeNumberType,
)
from ..settings import (
    CONFIG_ENV,
    DEFAULT_OUTPUT_DIR,
    DEFAULT_QUALITY,
    DEFAULT_THEME,
    QUALITIES,
    VOICES,
)


def stack(*decorators):
    """One decorator applying `decorators`; the first is listed first in `--help`."""
    def apply(func):
        for decorator in reversed(decorators):
            func = decorator(func)
        return func
    return apply


def quality_option(frame_rate: bool = True):
    presets = ", ".join(f"{name} {w}x{h}" + (f"@{fps}" if frame_rate else "")
                        for name, (w, h, fps) in QUALITIES.items())
    return click.option(
        "-q", "--quality", type=QualityType(), default=DEFAULT_QUALITY, show_default=True,
        help=(f"Preset: {presets} (width x height @ frames per second)." if frame_rate
              else f"Preset whose size the pictures have: {presets}."))


fps_option = click.option("--fps", type=FpsType(),
                          help="Frames per second (overrides the preset's).")
resolution_option = click.option(
    "-r", "--resolution", type=ResolutionType(), metavar="WxH",
    help="Width x height in pixels, e.g. 1280x720 (overrides the preset's).")
theme_option = click.option(
    "--theme", type=ThemeType(), default=None,
    help=f"Colours: dark or light [default: {DEFAULT_THEME}; a --module scene keeps its own].")


class VoiceType(ChoiceType):
    name = "voice"
    choices = VOICES


VOICE_ENV = "BACKPROP_VIDEO_VOICE"
voice_option = click.option(
    "--voice", type=VoiceType(), default=None, envvar=VOICE_ENV,
    help=f"Who speaks the narration: piper (neural), espeak (espeak-ng) or none (silent, "
         f"paced for reading) [default: ${VOICE_ENV}, else the best installed]. Only MP4, "
         f"WebM and MOV have sound.")


def transparent_option(help_text: str):
    return click.option("-t", "--transparent", is_flag=True, help=help_text)


def output_dir_option(help_text: str):
    return click.option("-o", "--output-dir", type=FolderType(), default=DEFAULT_OUTPUT_DIR,
                        show_default=True, metavar="DIR", help=help_text)


def cache_dir_option(help_text: str = "Manim's working files (partial movies, text and "
                                      "formula caches) and previous results [default: "
                                      "$XDG_CACHE_HOME/backprop-video or "
                                      "~/.cache/backprop-video]."):
    return click.option("--cache-dir", type=FolderType(), metavar="DIR", default=None,
                        help=help_text)


no_cache_option = click.option(
    "--no-cache", is_flag=True,
    help="Work from scratch: ignore Manim's partial-movie cache and previous results "
         "(nothing cached is written either).")
jobs_option = click.option(
    "-j", "--jobs", type=CountType(1), default=None,
    help="Processes to render in: several scenes at once, or one scene shared between "
         "them (each renders every N-th animation; the scene is then joined without "
         "re-encoding)  [default: one per core; a lone scene is shared only on more than "
         "two cores, from 720p30]")


class ClusterType(click.ParamType):
    """A Dask scheduler's address, tcp://HOST:PORT (checked here; reached when rendering)."""

    name = "tcp://HOST:PORT"

    def convert(self, value, param, ctx):
        from ..cluster import check_address   # no Dask: that is imported only to render

        try:
            return check_address(value)
        except ValueError as err:
            self.fail(str(err), param, ctx)


CLUSTER_ENV = "BACKPROP_VIDEO_CLUSTER"
cluster_option = click.option(
    "--cluster", type=ClusterType(), default=None, envvar=CLUSTER_ENV,
    metavar="tcp://HOST:PORT",
    help=f"Render the scenes on the Dask scheduler at this address instead of here, all "
         f"at once (-j does not apply); the finished files come back here [default: "
         f"${CLUSTER_ENV}]. "
         f"Start one with `dask scheduler` and `dask worker tcp://HOST:8786` on each "
         f"machine with the project installed (see the README).")


def module_option(help_text: str = "Scenes from your own Python file (subclasses of "
                                   "scenes.base.ExplainerScene with beats)."):
    return click.option("--module", "module_file", metavar="FILE", default=None,
                        help=help_text)


# --flag: (config section, key, type, help); the parameter is `override_<key>`.
OVERRIDES = {
    "--layers": ("network", "layers", LayersType(),
                 "Neurons per layer, input to output, e.g. 2,3,1."),
    "--activation": ("network", "activation", ActivationsType(),
                     "Activation of every layer (sigmoid, tanh, relu, leaky_relu, linear), "
                     "or one per non-input layer: tanh,softmax."),
    "--loss": ("training", "loss", click.STRING, "Loss function: mse, bce, cross_entropy."),
    "--lr": ("training", "learning_rate", NumberType(), "Learning rate, e.g. 0.5."),
    "--seed": ("network", "seed", WholeNumberType(), "Seed of the starting weights."),
    "--input": ("data", "input", SamplesType(),
                "Input sample, e.g. 0.9,0.2 (several: 0.9,0.2;0.1,0.5)."),
    "--target": ("data", "target", SamplesType(), "Target for the input(s), e.g. 1."),
}

config_options = stack(
    click.option("--config", "config_file", metavar="FILE", envvar=CONFIG_ENV,
                 help="TOML config of the network, data and training (default: the cat "
                      "story; `init-config` writes one to edit)."),
    *(click.option(flag, f"override_{key}", type=kind, default=None,
                   metavar="NAME" if kind is click.STRING else kind.name, help=help_text)
      for flag, (_, key, kind, help_text) in OVERRIDES.items()))

debug_options = stack(   # every command takes these
    click.option("-v", "--verbose", is_flag=True, help="Show Manim's own log."),
    click.option("--debug", is_flag=True, help="Show the Python traceback of an error."))


def pop_overrides(options: dict) -> dict:
    """Remove the override options from a command's options: {section: {key: value}}."""
    overrides: dict = {}
    for section, key, _, _ in OVERRIDES.values():
        value = options.pop(f"override_{key}", None)
        if value is not None:
            overrides.setdefault(section, {})[key] = value
    return overrides


def scene_options(output_help: str, *extra, frame_rate: bool = True,
                  module_help: str | None = None):
    """What render, stills and slides take: the scenes, their size (with `extra` after
    it), theme, config, output and cache folders, jobs or a cluster, --module, -v and
    --debug."""
    return stack(
        click.argument("scenes", nargs=-1, metavar="[SCENE]..."),
        quality_option(frame_rate), *([fps_option] if frame_rate else []), resolution_option,
        *extra, theme_option, config_options, output_dir_option(output_help),
        cache_dir_option(), no_cache_option, jobs_option, cluster_option,
        module_option(*([module_help] if module_help else [])), debug_options)
