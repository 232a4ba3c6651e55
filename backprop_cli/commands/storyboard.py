"""`storyboard`: each scene's beats in order, with their times, sentences and numbers."""

import json
import shutil

import click

from ..app import error_line
from ..errors import EXIT_FAILURE, Exit
from ..progress import clock
from .options import (
    cache_dir_option,
    config_options,
    debug_options,
    module_option,
    no_cache_option,
    quality_option,
    resolution_option,
    stack,
    theme_option,
)
from .request import render_request


@click.command()
@stack(click.argument("scenes", nargs=-1, metavar="[SCENE]..."), quality_option(False),
       resolution_option, theme_option, config_options, cache_dir_option(), no_cache_option,
       module_option())
@click.option("--json", "as_json", is_flag=True,
              help="Print exactly one JSON object: every scene's frame and beats, each "
                   "with its numbers (value, text, source) and texts (with their boxes).")
@debug_options
def storyboard(as_json, **options):
    """Print each scene's beats in order: times, narration and the numbers shown.

    Scenes are named as for `render`; without SCENE, the full explainer. Each scene is
    run as for `stills`, without drawing a frame. Every number is listed with the path
    of its value in `trace --json` for the same config (its source), so the numbers on
    screen can be checked against the engine's; --json adds every text on screen at the
    end of each beat, with its box in Manim units (origin at the centre, y up).

    \b
    Examples:
      backprop-video storyboard loss
      backprop-video storyboard all --json > story.json
      backprop-video storyboard backward --layers 2,4,4,2 --resolution 480x480
      backprop-video storyboard --config lecture.toml    check the [narration] sentences
    """
    from ..runner import Plan, staging_root
    from ..worker import Job, describe, run_job

    request = render_request(
        options, "tell", made_of_beats=(
            "storyboard", "a storyboard lists the beats of a scenes.base.ExplainerScene"),
        format="png", stills=True)
    settings = request.settings
    plan = Plan(request.catalog, settings)
    scenes, failed = [], {}
    root = staging_root(settings.cache_dir)
    try:
        for name in request.names:
            click.echo(f"Running {name} (a dry run: nothing is drawn)", err=True)
            try:
                result = run_job(Job(name, settings, root / name, dry_run=True))
            except Exception as err:  # noqa: BLE001 -- one line per scene
                failed[name] = describe(err)
                continue
            plan.record_duration(name, result["duration"])
            scenes.append({"scene": name, "frame": result["frame"],
                           "beats": [_beat(b) for b in result["beats"]]})
    finally:
        shutil.rmtree(root, ignore_errors=True)
    if as_json:
        click.echo(json.dumps({"scenes": scenes}, default=_plain))
    else:
        for scene in scenes:
            _print_scene(scene)
    for name, message in failed.items():
        error_line(f"{name} failed: {message}")
    if failed:
        raise Exit(EXIT_FAILURE)


def _beat(beat: dict) -> dict:
    return {"name": beat["name"], "start": beat["start"], "end": beat["end"],
            "narration": beat["narration"],
            "numbers": [{"value": n["value"], "text": n["text"], "source": n["source"]}
                        for n in beat.get("numbers", [])],
            "texts": [{"text": t["text"], "box": list(t["box"])} for t in beat.get("texts", [])]}


def _plain(value):
    """NumPy scalars and arrays as JSON numbers and lists."""
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"not JSON: {type(value).__name__}")


def _print_scene(scene: dict) -> None:
    frame = scene["frame"]
    beats = scene["beats"]
    length = clock(beats[-1]["end"]) if beats else "0:00"
    click.echo(f"{scene['scene']}  ({len(beats)} beats, {length}; frame "
               f"{frame['width']:.2f} x {frame['height']:.2f} units, "
               f"{frame['pixel_width']}x{frame['pixel_height']} px)")
    for number, beat in enumerate(beats, start=1):
        click.echo(f"  {number:2d}. {beat['name']}  {beat['start']:.1f}s - {beat['end']:.1f}s")
        click.echo(f"      \"{beat['narration']}\"")
        shown = [f"{n['text']} ({n['source']})" for n in beat["numbers"]]
        if shown:
            click.echo("      numbers: " + ", ".join(shown))
    click.echo("")
