"""backprop-video: the command line that renders the explainer and prints traces.

`python render.py` (or `backprop-video`) with no arguments renders the full explainer.
The work is done by the modules of `backprop_cli/`; this file holds the commands.
"""

import difflib
import shutil
from pathlib import Path

import click

from backprop_cli.app import (
    EXIT_FAILURE,
    DefaultCommandGroup,
    Exit,
    Failure,
    UsageFailure,
    common_options,
    error_line,
)
from backprop_cli.catalog import SceneLookupError, load_catalog
from backprop_cli.options import (
    CountType,
    FormatType,
    FpsType,
    QualityType,
    ResolutionType,
    ThemeType,
    config_options,
    merge_overrides,
    pop_overrides,
)
from backprop_cli.settings import (
    DEFAULT_OUTPUT_DIR,
    DEFAULT_QUALITY,
    DEFAULT_THEME,
    QUALITIES,
    TRANSPARENT_FORMATS,
    RenderSettings,
    default_cache_dir,
)

PRESETS = ", ".join(f"{name} {w}x{h}@{fps}" for name, (w, h, fps) in QUALITIES.items())


fps_option = click.option("--fps", type=FpsType(),
                          help="Frames per second (overrides the preset's).")
resolution_option = click.option(
    "-r", "--resolution", type=ResolutionType(), metavar="WxH",
    help="Width x height in pixels, e.g. 1280x720 (overrides the preset's).")
beats_module_option = click.option(
    "--module", "module_file", metavar="FILE", default=None,
    help="Scenes from your own Python file (subclasses of scenes.base.ExplainerScene "
         "with beats).")


def jobs_option(help_text):
    return click.option("-j", "--jobs", type=CountType(1), default=1, show_default=True,
                        help=help_text)


@click.group(cls=DefaultCommandGroup, epilog="""\b
Examples:
  backprop-video                          render the full explainer into media/
  backprop-video list                     the scenes, what they show, how long they are
  backprop-video render forward -q low    one scene, quickly
  backprop-video render all --jobs 2      every scene, two at a time
  backprop-video stills backward          one picture per beat of a scene
  backprop-video slides loss -q low       a slide deck (HTML), one slide per beat
  backprop-video trace --layers 2,3,1     the numbers behind a variation
  backprop-video init-config my-net.toml  a config file to edit

With no command, `render` runs: `backprop-video forward -q low` works too.
Run `backprop-video COMMAND --help` for a command's options.""")
@click.version_option(package_name="backprop-video", message="%(prog)s %(version)s")
def cli():
    """Turn a real neural network computation into an explainer video of backpropagation."""


# -- helpers -----------------------------------------------------------------------------

def _catalog(module_file):
    try:
        return load_catalog(module_file)
    except SceneLookupError as err:
        raise UsageFailure(f"--module: {err}") from None


def _validate_config(config_file, overrides, scene_classes=()):
    """Check the config as the scenes will load it: exit 1 for the file, 2 for overrides."""
    from backprop_core import ConfigError, load_config

    for base in list(scene_classes) or [None]:
        own = getattr(base, "overrides", None) or {}
        try:
            config = load_config(config_file, own or None)
        except ConfigError as err:
            raise Failure(str(err)) from None
        if overrides:
            try:
                config = load_config(config_file, merge_overrides(own, overrides))
            except ConfigError as err:
                raise UsageFailure(str(err)) from None
    return config


def _command_hint():
    """For `backprop-video lst`: the word went to `render`, but a command was meant."""
    word = click.get_current_context().meta.get("default_routed")
    close = difflib.get_close_matches(word, list(cli.commands), n=1) if word else []
    return f"; or did you mean the command '{close[0]}'?" if close else ""


def _settings_file(config_file):
    return None if config_file is None else str(Path(config_file))


def _scene_names(catalog, scenes, module_file, verb):
    """The scenes the user named (or the default one), as class names; usage errors."""
    if not scenes and module_file is not None and len(catalog.names) > 1:
        raise UsageFailure(f"name the scene(s) to {verb} from {module_file}: "
                           f"{', '.join(catalog.names)}, or all")
    try:
        return catalog.resolve(list(scenes) or [catalog.default])
    except SceneLookupError as err:
        raise UsageFailure(str(err) + _command_hint()) from None


def _request(params, module_file):
    """The config file, overrides and scene catalog the user asked for."""
    overrides = pop_overrides(params)
    return _settings_file(params.pop("config_file")), overrides, _catalog(module_file)


def _require_beats(catalog, names, what, why):
    """Stop unless every scene has beats (stills and slides are made of beats)."""
    from scenes.base import ExplainerScene

    beatless = [name for name in names
                if not (issubclass(catalog.scenes[name], ExplainerScene)
                        and getattr(catalog.scenes[name], "beats", ()))]
    if beatless:
        raise Failure(f"{', '.join(beatless)} {'has' if len(beatless) == 1 else 'have'} no "
                      f"beats, so no {what}: {why}")


def _folders(output_dir, cache_dir):
    """Create (if needed) and check the output and cache directories."""
    from backprop_cli.output import prepare_dir

    out = prepare_dir(Path(output_dir)) if output_dir is not None else None
    cache = prepare_dir(Path(cache_dir) if cache_dir else default_cache_dir(), "cache directory")
    return out, cache


def _size(quality, resolution, fps):
    width, height, rate = QUALITIES[quality]
    width, height = resolution or (width, height)
    return width, height, fps or rate


def theme_option(func):
    return click.option(
        "--theme", type=ThemeType(), default=None,
        help=f"Colours: dark or light [default: {DEFAULT_THEME}; a --module scene keeps "
             f"its own].")(func)


def cache_options(func):
    func = click.option("--no-cache", is_flag=True,
                        help="Work from scratch: ignore Manim's partial-movie cache and "
                             "previous results (nothing cached is written either).")(func)
    func = click.option("--cache-dir", metavar="DIR", default=None,
                        help="Manim's working files (partial movies, text and formula caches) "
                             "and previous results [default: $XDG_CACHE_HOME/backprop-video "
                             "or ~/.cache/backprop-video].")(func)
    return func


# -- render ------------------------------------------------------------------------------

@cli.command()
@click.argument("scenes", nargs=-1, metavar="[SCENE]...")
@click.option("-q", "--quality", type=QualityType(), default=DEFAULT_QUALITY, show_default=True,
              help=f"Preset: {PRESETS} (width x height @ frames per second).")
@fps_option
@resolution_option
@click.option("--format", "fmt", type=FormatType(), default=None,
              help="Output file type: mp4 (default), webm, gif, mov, or png "
                   "(a still of the final frame).")
@click.option("-t", "--transparent", is_flag=True,
              help="Transparent background (mov, webm, gif or png; mov when no --format).")
@theme_option
@click.option("--no-subtitles", is_flag=True,
              help="Do not write <Scene>.srt (the narration as subtitles) beside videos.")
@config_options
@click.option("-o", "--output-dir", default=DEFAULT_OUTPUT_DIR, show_default=True,
              metavar="DIR", help="Where finished files go, named <Scene>.<ext>.")
@cache_options
@jobs_option("Render this many scenes at once, in parallel processes.")
@click.option("-p", "--preview", is_flag=True,
              help="Open the result with the system's viewer, if there is one.")
@click.option("--module", "module_file", metavar="FILE", default=None,
              help="Render Scene classes from your own Python file instead of the "
                   "built-in scenes.")
@common_options
def render(scenes, quality, fps, resolution, fmt, transparent, theme, no_subtitles,
           output_dir, cache_dir, jobs, preview, no_cache, module_file, verbose, debug,
           **params):
    """Render scenes into video files (the default command).

    SCENE is a scene name as `list` shows it (any case), a short alias such as
    forward, loss or backward, or `all`. Without SCENE, the full explainer is rendered.
    Each output is written as <Scene>.<ext> (with <Scene>.srt subtitles for videos,
    unless --no-subtitles) into the output directory, and the paths are printed when
    all are done.

    \b
    Examples:
      backprop-video render                       the full explainer at high quality
      backprop-video render forward loss -q low   two scenes at 480p15
      backprop-video render all -q medium -j 2    every scene, two processes
      backprop-video render forward --format png  a still of the last frame
      backprop-video render forward --theme light --no-subtitles
      backprop-video render forward --format gif --resolution 640x360 --fps 12
      backprop-video render backward --layers 2,4,1 --activation tanh --lr 0.1
      backprop-video render --config my-net.toml -o out/
    """

    config_file, overrides, catalog = _request(params, module_file)
    names = _scene_names(catalog, scenes, module_file, "render")

    fmt = fmt or ("mov" if transparent else "mp4")
    if transparent and fmt not in TRANSPARENT_FORMATS:
        raise UsageFailure(f"--transparent: {fmt} has no transparency; use --format "
                           f"{', '.join(TRANSPARENT_FORMATS)}")
    width, height, rate = _size(quality, resolution, fps)
    if fmt != "png" and not transparent and (width % 2 or height % 2):  # H.264 needs even
        raise UsageFailure(f"--resolution: {fmt} video needs an even width and height, "
                           f"got {width}x{height}")

    _validate_config(config_file, overrides, [catalog.scenes[n] for n in names])
    out, cache = _folders(output_dir, cache_dir)
    settings = RenderSettings(width, height, rate, fmt, transparent, cache, not no_cache,
                              verbose, config_file, overrides, catalog.module_file,
                              theme=theme, subtitles=not no_subtitles)
    _announce("Rendering", names, settings, out)
    outcomes = _run(catalog, names, settings, out, jobs)
    failed = _report_failures(outcomes, debug)
    if preview:
        from backprop_cli.preview import open_files
        open_files([f for o in outcomes for f in o.files if f.suffix != ".srt"])
    if failed:
        raise Exit(EXIT_FAILURE)


def _announce(doing, names, settings, out):
    what = names[0] if len(names) == 1 else f"{len(names)} scenes"
    click.echo(f"{doing} {what} at {settings.label} into {out}/"
               + ("" if settings.use_cache else " (no cache)"), err=True)


def _report_failures(outcomes, debug):
    failed = [o for o in outcomes if o.status not in ("done", "cached")]
    for outcome in failed:
        if debug and outcome.traceback:
            click.echo(outcome.traceback.rstrip(), err=True)
        error_line(f"{outcome.scene} failed: {outcome.error}"
                   + ("" if debug else " (run with --debug for the traceback)"))
    return failed


def _run(catalog, names, settings, out, jobs):
    from backprop_cli.runner import Interrupted, Runner

    try:
        outcomes = Runner(catalog, names, settings, out, jobs).run()
    except Interrupted as stop:
        _print_paths(stop.outcomes)
        unfinished = [n for n in names if n not in
                      {o.scene for o in stop.outcomes if o.status in ("done", "cached")}]
        raise KeyboardInterrupt(f"not written: {', '.join(unfinished)}") from None
    _print_paths(outcomes)
    return outcomes


def _print_paths(outcomes):
    for outcome in outcomes:
        if outcome.status in ("done", "cached"):
            for path in outcome.files:
                if path.suffix != ".srt":
                    click.echo(str(path))


# -- stills ------------------------------------------------------------------------------

@cli.command()
@click.argument("scenes", nargs=-1, metavar="[SCENE]...")
@click.option("-q", "--quality", type=QualityType(), default=DEFAULT_QUALITY, show_default=True,
              help="Preset whose size the pictures have: "
                   + ", ".join(f"{name} {w}x{h}" for name, (w, h, _) in QUALITIES.items())
                   + ".")
@resolution_option
@click.option("-t", "--transparent", is_flag=True,
              help="Transparent background (PNG with an alpha channel).")
@theme_option
@config_options
@click.option("-o", "--output-dir", default=DEFAULT_OUTPUT_DIR, show_default=True,
              metavar="DIR", help="Where the pictures go, named <Scene>-<NN>-<beat>.png.")
@cache_options
@jobs_option("Work on this many scenes at once, in parallel processes.")
@beats_module_option
@common_options
def stills(scenes, quality, resolution, transparent, theme, output_dir, cache_dir, no_cache,
           jobs, module_file, verbose, debug, **params):
    """Save one PNG per beat of each scene: the frame at the end of the beat.

    Scenes are named as for `render`; without SCENE, the full explainer. The pictures
    are written as <Scene>-<NN>-<beat>.png (NN counts the beats from 01) into the output
    directory, and their paths are printed. No video is drawn, only the pictures, so
    this takes seconds: handy for slides, a thumbnail, or checking a layout.

    \b
    Examples:
      backprop-video stills loss                  media/OuchMoment-01-guess.png, ...
      backprop-video stills all -q low -o stills/
      backprop-video stills forward --theme light --resolution 1280x720
      backprop-video stills backward --transparent --layers 2,4,1
    """

    config_file, overrides, catalog = _request(params, module_file)
    names = _scene_names(catalog, scenes, module_file, "draw")
    _require_beats(catalog, names, "stills",
                   "stills are taken at the end of each beat of a scenes.base.ExplainerScene")
    width, height, rate = _size(quality, resolution, None)

    _validate_config(config_file, overrides, [catalog.scenes[n] for n in names])
    out, cache = _folders(output_dir, cache_dir)
    settings = RenderSettings(width, height, rate, "png", transparent, cache, not no_cache,
                              verbose, config_file, overrides, catalog.module_file,
                              theme=theme, stills=True)
    _announce("Saving stills of", names, settings, out)
    outcomes = _run(catalog, names, settings, out, jobs)
    if _report_failures(outcomes, debug):
        raise Exit(EXIT_FAILURE)


# -- slides ------------------------------------------------------------------------------

@cli.command()
@click.argument("scenes", nargs=-1, metavar="[SCENE]...")
@click.option("-q", "--quality", type=QualityType(), default=DEFAULT_QUALITY, show_default=True,
              help=f"Preset: {PRESETS} (width x height @ frames per second).")
@fps_option
@resolution_option
@theme_option
@config_options
@click.option("-o", "--output-dir", default=DEFAULT_OUTPUT_DIR, show_default=True,
              metavar="DIR", help="Where decks go: <Scene>.html and the folder <Scene>_slides/.")
@cache_options
@jobs_option("Render this many scenes at once, in parallel processes.")
@beats_module_option
@common_options
def slides(scenes, quality, fps, resolution, theme, output_dir, cache_dir, no_cache, jobs,
           module_file, verbose, debug, **params):
    """Build a slide deck of each scene: one slide per beat, the narration as notes.

    Scenes are named as for `render`; without SCENE, the full explainer. Each scene is
    rendered as a video, then written as <Scene>.html (a reveal.js presentation) beside
    the folder <Scene>_slides/ (the video, and reveal.js's files), and the HTML paths are
    printed. Each slide plays its beat and stops: right arrow or space for the next
    beat, S for the speaker view with the narration. reveal.js is fetched from the npm
    registry once (kept in the cache directory); without network the deck loads it from
    a CDN when opened.

    \b
    Examples:
      backprop-video slides forward -q low     media/ForwardPass.html
      backprop-video slides all -q medium -o talk/
      backprop-video slides backward --theme light --layers 2,4,1
    """
    from backprop_cli import deck
    from backprop_cli.output import sweep_stale_temps
    from backprop_cli.runner import Interrupted, Runner, staging_root

    config_file, overrides, catalog = _request(params, module_file)
    names = _scene_names(catalog, scenes, module_file, "make slides of")
    _require_beats(catalog, names, "slides", "a slide is a beat of a scenes.base.ExplainerScene")
    width, height, rate = _size(quality, resolution, fps)
    if width % 2 or height % 2:   # H.264 needs even sizes
        raise UsageFailure(f"--resolution: the slides' video needs an even width and "
                           f"height, got {width}x{height}")

    _validate_config(config_file, overrides, [catalog.scenes[n] for n in names])
    out, cache = _folders(output_dir, cache_dir)
    settings = RenderSettings(width, height, rate, "mp4", False, cache, not no_cache,
                              verbose, config_file, overrides, catalog.module_file,
                              theme=theme, subtitles=True)
    _announce("Building slides of", names, settings, out)
    sweep_stale_temps(out)
    theme_css = deck.THEME_CSS.get(theme or DEFAULT_THEME, "black")
    scratch = staging_root(cache)
    try:
        videos = scratch / "videos"
        videos.mkdir()
        try:
            outcomes = Runner(catalog, names, settings, videos, jobs).run()
        except Interrupted:
            raise KeyboardInterrupt("no slides written") from None
        failed = _report_failures(outcomes, debug)
        done = [o for o in outcomes if o.status in ("done", "cached")]
        reveal = (deck.reveal_source(cache, theme_css, scratch, keep=not no_cache)
                  if done else None)
        built = []
        for outcome in done:
            video = next((f for f in outcome.files if f.suffix == ".mp4"), None)
            srt = next((f for f in outcome.files if f.suffix == ".srt"), None)
            try:
                if video is None or srt is None:
                    raise deck.DeckError("the render wrote no video with subtitles")
                built.append(deck.build_deck(
                    outcome.scene, video, srt, getattr(catalog.scenes[outcome.scene], "beats", ()),
                    out, reveal, theme, (width, height), _background(catalog, outcome.scene, theme),
                    rate))
            except (deck.DeckError, OSError) as err:
                error_line(f"{outcome.scene} failed: no slides: {err}")
                failed.append(outcome)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for made in built:
        click.echo(str(made.html))
    if built and reveal is None:
        click.echo(f"Note: reveal.js could not be fetched, so the slides load it from "
                   f"{deck.CDN} when opened (needs network then); run again with network "
                   f"to keep a copy beside the slides.", err=True)
    if failed:
        raise Exit(EXIT_FAILURE)


def _background(catalog, scene, theme):
    from scenes.theme import THEMES

    look = THEMES[theme] if theme else getattr(catalog.scenes[scene], "theme", None)
    return getattr(look, "background", None) or "#000000"


# -- list --------------------------------------------------------------------------------

@cli.command("list")
@config_options
@click.option("--module", "module_file", metavar="FILE", default=None,
              help="List the Scene classes of your own Python file.")
@click.option("--cache-dir", metavar="DIR", default=None,
              help="Where measured durations are kept (as for `render`).")
@click.option("--no-measure", is_flag=True,
              help="Do not measure: show only durations known from earlier runs.")
@common_options
def list_scenes(module_file, cache_dir, no_measure, verbose, debug, **params):
    """List the scenes in story order, with what they show and how long they run.

    Durations are measured, not guessed: each scene is run once without drawing
    (a Manim dry run) and the length is remembered in the cache directory until
    the scenes or the config change. The first `list` therefore takes a few
    seconds per scene; a render also records its scene's length.

    \b
    Examples:
      backprop-video list
      backprop-video list --layers 2,5,1     durations for a variation
      backprop-video list --no-measure
    """
    from backprop_cli.progress import clock
    from backprop_cli.runner import Plan, measure

    config_file, overrides, catalog = _request(params, module_file)
    _validate_config(config_file, overrides, catalog.scenes.values())
    _, cache = _folders(None, cache_dir)
    settings = RenderSettings(*QUALITIES["low"], cache_dir=cache, verbose=verbose,
                              config_file=config_file, overrides=overrides,
                              module_file=catalog.module_file)
    plan = Plan(catalog, settings)
    failed = {}
    if no_measure:
        durations = {name: plan.duration(name) for name in catalog.names}
    else:
        def note(scene):
            click.echo(f"Measuring {scene} (a dry run; remembered for next time)", err=True)
        def wait(scene):
            click.echo(f"Waiting for another render of {scene} to finish", err=True)
        durations, failed = measure(catalog, catalog.names, settings, plan, note, wait)

    def length(name):
        if name in failed:
            return "error"
        return "?" if durations.get(name) is None else clock(durations[name])

    rows = [(name, ", ".join(catalog.aliases_of(name)), length(name), catalog.description(name))
            for name in catalog.names]
    heads = ("SCENE", "ALIASES", "LENGTH", "WHAT IT SHOWS")
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(3)]
    for row in [heads, *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[3])
    if len(catalog.names) > 1 and module_file is None:
        click.echo(f"\n`render` with no scene renders {catalog.default}; "
                   f"`render all` renders every scene.")
    for name, message in failed.items():
        error_line(f"{name} failed: {message}")
    if failed:
        raise Exit(EXIT_FAILURE)


# -- trace -------------------------------------------------------------------------------

@cli.command()
@config_options
@click.option("--json", "as_json", is_flag=True,
              help="Print exactly one JSON object with full float precision.")
@common_options
def trace(as_json, verbose, debug, **params):
    """Print the forward and backward pass of the configured network.

    \b
    Examples:
      backprop-video trace
      backprop-video trace --config my-net.toml --json
      backprop-video trace --layers 2,3,1 --activation tanh --input 0.9,0.2 --target 1
    """
    from backprop_core.report import trace_json, trace_table

    overrides = pop_overrides(params)
    config = _validate_config(_settings_file(params.pop("config_file")), overrides)
    click.echo(trace_json(config) if as_json else trace_table(config))


# -- init-config -------------------------------------------------------------------------

@cli.command("init-config")
@click.argument("path", default="backprop-video.toml", required=False, metavar="[PATH]")
@click.option("--force", is_flag=True, help="Replace the file if it exists.")
@common_options
def init_config(path, force, verbose, debug):
    """Write the default config, commented, ready to edit (default: ./backprop-video.toml).

    \b
    Examples:
      backprop-video init-config
      backprop-video init-config nets/xor.toml
      backprop-video render forward --config nets/xor.toml
    """
    from backprop_cli.output import prepare_dir, publish_text
    from backprop_core import default_config_text

    target = Path(path)
    if target.is_dir():
        target = target / "backprop-video.toml"
    if target.exists() and not force:
        raise Failure(f"{target} already exists (use --force to replace it)")
    prepare_dir(target.parent, "the config's directory")
    publish_text(default_config_text(), target)
    click.echo(str(target))
    click.echo(f"Edit it, then: backprop-video render --config {target}", err=True)


if __name__ == "__main__":
    cli()
