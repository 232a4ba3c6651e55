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
              help="Do not measure: show durations known from earlier runs or read off "
                   "sentences, ? for the rest.")
@debug_options
def list_scenes(module_file, cache_dir, no_measure, verbose, debug, **options):
    """List the scenes in story order, with what they show and how long they run.

    A length a render (or an earlier `list`) measured is shown as it is. A scene made
    of narrated beats that has not been rendered yet shows its length read off its
    sentences at once, marked ~: each beat lasts as long as its sentence takes to read,
    and rarely longer. Any other scene is measured by running it once without drawing
    (a Manim dry run), remembered in the cache directory until the scenes or the
    config change.

    \b
    Examples:
      backprop-video list
      backprop-video list --layers 2,5,1     durations for a variation
      backprop-video list --no-measure
    """
    from ..progress import clock
    from ..runner import Plan, measure
    from .request import estimated_length

    config_file, overrides = config_choice(options)
    catalog = scene_catalog(module_file)
    validate_config(config_file, overrides, catalog.scenes.values())
    settings = RenderSettings(*QUALITIES["low"], cache_dir=cache_folder(cache_dir),
                              verbose=verbose, config_file=config_file, overrides=overrides,
                              module_file=catalog.module_file)
    plan = Plan(catalog, settings)
    durations = {name: plan.duration(name) for name in catalog.names}
    estimates = {name: estimated_length(settings, name, catalog)
                 for name in catalog.names if durations[name] is None}
    unknown = [name for name, seconds in estimates.items() if seconds is None]
    failed = {}
    if unknown and not no_measure:
        def note(scene):
            click.echo(f"Measuring {scene} (a dry run; remembered for next time)", err=True)

        def wait(scene):
            click.echo(f"Waiting for another render of {scene} to finish", err=True)
        measured, failed = measure(catalog, unknown, settings, plan, note, wait)
        durations.update(measured)

    def length(name):
        if name in failed:
            return "error"
        if durations.get(name) is not None:
            return clock(durations[name])
        return "?" if estimates.get(name) is None else "~" + clock(estimates[name])

    rows = [(name, ", ".join(catalog.aliases_of(name)), length(name), catalog.description(name))
            for name in catalog.names]
    heads = ("SCENE", "ALIASES", "LENGTH", "WHAT IT SHOWS")
    widths = [max(len(r[i]) for r in [heads, *rows]) for i in range(3)]
    for row in [heads, *rows]:
        click.echo("  ".join(cell.ljust(w) for cell, w in zip(row, widths)) + "  " + row[3])
    if any(length(name).startswith("~") for name in catalog.names):
        click.echo("\n~ read off the scene's sentences (a render measures it).")
    if len(catalog.names) > 1 and module_file is None:
        click.echo(f"\n`render` with no scene renders {catalog.default}; "
                   f"`render all` renders every scene.")
    for name, message in failed.items():
        error_line(f"{name} failed: {message}")
    if failed:
        raise Exit(EXIT_FAILURE)
