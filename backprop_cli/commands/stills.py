"""`stills`: one PNG per beat of each scene, by a dry run that draws only those frames."""

import click

from ..errors import EXIT_FAILURE, Exit
from .options import scene_options, transparent_option
from .request import announce, print_paths, render_request, report_failures, run_scenes


@click.command()
@scene_options("Where the pictures go, named <Scene>-<NN>-<beat>.png.",
               transparent_option("Transparent background (PNG with an alpha channel)."),
               frame_rate=False)
def stills(**options):
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
    request = render_request(
        options, "draw", made_of_beats=(
            "stills", "stills are taken at the end of each beat of a scenes.base.ExplainerScene"),
        format="png", transparent=options["transparent"], stills=True)
    announce("Saving stills of", request)
    outcomes = run_scenes(request, options["jobs"], show=print_paths,
                          cluster=options["cluster"])
    if report_failures(outcomes, options["debug"]):
        raise Exit(EXIT_FAILURE)
