"""`render` (the default command): scenes into video files, or a still of the last frame."""

import click

from ..errors import EXIT_FAILURE, Exit, UsageFailure
from ..param_types import FormatType
from ..settings import TRANSPARENT_FORMATS
from .options import scene_options, transparent_option, voice_option
from .request import announce, print_paths, render_request, report_failures, run_scenes


@click.command()
@scene_options(
    "Where finished files go, named <Scene>.<ext>.",
    click.option("--format", "fmt", type=FormatType(), default=None,
                 help="Output file type: mp4 (default), webm, gif, mov, or png "
                      "(a still of the final frame)."),
    transparent_option("Transparent background (mov, webm, gif or png; mov when no "
                       "--format)."),
    voice_option,
    click.option("--no-subtitles", is_flag=True,
                 help="Do not write <Scene>.srt (the narration as subtitles) beside videos."),
    click.option("-p", "--preview", is_flag=True,
                 help="Open the result with the system's viewer, if there is one."),
    module_help="Render Scene classes from your own Python file instead of the built-in "
                "scenes.")
def render(**options):
    """Render scenes into video files (the default command).

    SCENE is a scene name as `list` shows it (any case), a short alias such as
    forward, loss or backward, or `all`. Without SCENE, the full explainer is rendered.
    Each output is written as <Scene>.<ext> (with <Scene>.srt subtitles for videos,
    unless --no-subtitles) into the output directory, and the paths are printed when
    all are done. MP4, WebM and MOV videos speak their narration (--voice; each beat
    lasts as long as its sentence plus a breath); GIF and PNG are silent.

    \b
    Examples:
      backprop-video render                       the full explainer at high quality
      backprop-video render forward loss -q low   two scenes at 480p15
      backprop-video render all -q medium -j 2    every scene, two processes
      backprop-video render forward --format png  a still of the last frame
      backprop-video render forward --theme light --no-subtitles
      backprop-video render loss -q low --voice espeak
      backprop-video render forward --format gif --resolution 640x360 --fps 12
      backprop-video render backward --layers 2,4,1 --activation tanh --lr 0.1
      backprop-video render --config my-net.toml -o out/
    """
    transparent = options["transparent"]
    fmt = options["fmt"] or ("mov" if transparent else "mp4")

    def check_frame(width, height):
        if transparent and fmt not in TRANSPARENT_FORMATS:
            raise UsageFailure(f"--transparent: {fmt} has no transparency; use --format "
                               f"{', '.join(TRANSPARENT_FORMATS)}")
        if fmt != "png" and not transparent and (width % 2 or height % 2):  # H.264: even
            raise UsageFailure(f"--resolution: {fmt} video needs an even width and height, "
                               f"got {width}x{height}")

    request = render_request(options, "render", check_frame=check_frame, format=fmt,
                             transparent=transparent, subtitles=not options["no_subtitles"])
    announce("Rendering", request)
    outcomes = run_scenes(request, options["jobs"], show=print_paths,
                          cluster=options["cluster"])
    failed = report_failures(outcomes, options["debug"])
    if options["preview"]:
        from ..preview import open_files
        open_files([f for o in outcomes for f in o.files if f.suffix != ".srt"])
    if failed:
        raise Exit(EXIT_FAILURE)
