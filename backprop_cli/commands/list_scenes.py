"""`list`: the scenes in story order, with their aliases, lengths and what they show."""

import click

from ..app import error_line
from ..errors import EXIT_FAILURE, Exit
from ..settings import QUALITIES, RenderSettings
from .options import cache_dir_option, config_options, debug_options, module_option
from .request import cache_folder, config_choice, scene_catalog, validate_config


@click.command("list")
@config_options
@module_option("List the Scene classes of your own Python file.")
@cache_dir_option("Where measured durations are kept (as for `render`).")
@click.option("--no-measure", is_flag=True,
              help="Do not measure: show only durations known from earlier runs.")
@debug_options
def list_scenes(module_file, cache_dir, no_measure, verbose, debug, **options):
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
    from ..progress import clock
    from ..runner import Plan, measure

    config_file, overrides = config_choice(options)
    catalog = scene_catalog(module_file)
    validate_config(config_file, overrides, catalog.scenes.values())
    settings = RenderSettings(*QUALITIES["low"], cache_dir=cache_folder(cache_dir),
                              verbose=verbose, config_file=config_file, overrides=overrides,
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
