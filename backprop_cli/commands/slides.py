"""`slides`: each scene rendered once, then a reveal.js deck with one slide per beat."""

import shutil

import click

from .. import deck
from ..app import error_line
from ..errors import EXIT_FAILURE, Exit, UsageFailure
from ..output import sweep_stale_temps
from .options import scene_options, voice_option
from .request import announce, render_request, report_failures, run_scenes


@click.command()
@scene_options("Where decks go: <Scene>.html and the folder <Scene>_slides/.", voice_option)
def slides(**options):
    """Build a slide deck of each scene: one slide per beat, the narration as notes.

    Scenes are named as for `render`; without SCENE, the full explainer. Each scene is
    rendered as a video, then written as <Scene>.html (a reveal.js presentation) beside
    the folder <Scene>_slides/ (the video, and reveal.js's files), and the HTML paths are
    printed. Each slide plays its beat and stops: right arrow or space for the next
    beat, S for the speaker view with the narration. With a voice (--voice), each slide
    speaks its beat's sentence (a browser may want one click before it plays sound). reveal.js is fetched from the npm
    registry once (kept in the cache directory); without network the deck loads it from
    a CDN when opened.

    \b
    Examples:
      backprop-video slides forward -q low     media/ForwardPass.html
      backprop-video slides all -q medium -o talk/
      backprop-video slides backward --theme light --layers 2,4,1
    """
    from ..runner import staging_root

    def check_frame(width, height):
        if width % 2 or height % 2:   # H.264 needs even sizes
            raise UsageFailure(f"--resolution: the slides' video needs an even width and "
                               f"height, got {width}x{height}")

    request = render_request(
        options, "make slides of", made_of_beats=(
            "slides", "a slide is a beat of a scenes.base.ExplainerScene"),
        check_frame=check_frame, format="mp4", subtitles=True)
    announce("Building slides of", request)
    out, settings = request.output_dir, request.settings
    sweep_stale_temps(out)
    scratch = staging_root(settings.cache_dir)
    try:
        videos = scratch / "videos"
        videos.mkdir()
        outcomes = run_scenes(request, options["jobs"], into=videos,
                              interrupted=lambda: "no slides written",
                              cluster=options["cluster"])
        failed = report_failures(outcomes, options["debug"])
        done = [o for o in outcomes if o.published]
        reveal = (deck.reveal_source(settings.cache_dir, deck.reveal_theme(settings.theme),
                                     scratch, keep=settings.use_cache) if done else None)
        built = []
        for outcome in done:
            video = next((f for f in outcome.files if f.suffix == ".mp4"), None)
            srt = next((f for f in outcome.files if f.suffix == ".srt"), None)
            scene_class = request.catalog.scenes[outcome.scene]
            try:
                if video is None or srt is None:
                    raise deck.DeckError("the render wrote no video with subtitles")
                built.append(deck.build_deck(
                    outcome.scene, video, srt, getattr(scene_class, "beats", ()), out, reveal,
                    settings.theme, (settings.width, settings.height),
                    _background(scene_class, settings.theme), settings.fps))
            except (deck.DeckError, OSError) as err:
                error_line(f"{outcome.scene} failed: no slides: {err}")
                failed.append(outcome)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    for page in built:
        click.echo(str(page))
    if built and reveal is None:
        click.echo(f"Note: reveal.js could not be fetched, so the slides load it from "
                   f"{deck.CDN} when opened (needs network then); run again with network "
                   f"to keep a copy beside the slides.", err=True)
    if failed:
        raise Exit(EXIT_FAILURE)


def _background(scene_class: type, theme: str | None) -> str:
    """The colour behind the slides: the theme's, else the scene's own theme's."""
    from scenes.kit.theme import THEMES

    look = THEMES[theme] if theme else getattr(scene_class, "theme", None)
    return getattr(look, "background", None) or "#000000"
