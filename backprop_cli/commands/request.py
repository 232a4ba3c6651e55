"""From parsed options to a render request, and running it.

`render_request` is the one set-up of render, stills, slides and storyboard: config file
and overrides, scene catalog, scene names, size, the config checked as the scenes will
load it (its [narration] table against every beat of the story), the voice, and the
output and cache folders. `list` and `trace` use its steps. Usage errors exit 2, the
rest 1 (`errors`).
"""

import difflib
import pickle
from dataclasses import dataclass
from pathlib import Path

import click

from ..app import error_line
from ..catalog import Catalog, SceneLookupError, load_catalog
from ..errors import Failure, UsageFailure, on_interrupt
from ..output import prepare_dir
from ..settings import (
    AUDIO_FORMATS,
    QUALITIES,
    RenderSettings,
    default_cache_dir,
    scene_overrides,
)
from .options import pop_overrides


@dataclass(frozen=True)
class RenderRequest:
    catalog: Catalog
    names: list[str]           # scene class names, in the order asked
    settings: RenderSettings
    output_dir: Path | None    # None for a command that writes no files (storyboard)


def render_request(options: dict, verb: str, made_of_beats: tuple[str, str] | None = None,
                   check_frame=None, **look) -> RenderRequest:
    """The request of render, stills or slides (`verb`: what the command does to scenes).

    `made_of_beats` = (what, why) rejects scenes without beats, saying "no <what>: <why>";
    `check_frame(width, height)` may reject the frame size (or the format for it);
    `look` are RenderSettings fields.
    """
    config_file, overrides = config_choice(options)
    catalog = scene_catalog(options["module_file"])
    names = scene_names(catalog, options["scenes"], options["module_file"], verb)
    if made_of_beats:
        require_beats(catalog, names, *made_of_beats)
    width, height = options["resolution"] or QUALITIES[options["quality"]][:2]
    fps = options.get("fps") or QUALITIES[options["quality"]][2]
    if check_frame:
        check_frame(width, height)
    classes = [catalog.scenes[n] for n in names]
    validate_config(config_file, overrides, classes)
    validate_narration(config_file, overrides, classes)
    voice = voice_choice(options, look.get("format"), look.get("stills", False))
    out = prepare_dir(Path(options["output_dir"])) if options.get("output_dir") else None
    settings = RenderSettings(width, height, fps, cache_dir=cache_folder(options["cache_dir"]),
                              use_cache=not options["no_cache"], verbose=options["verbose"],
                              config_file=config_file, overrides=overrides,
                              module_file=catalog.module_file, theme=options.get("theme"),
                              voice=voice, **look)
    return RenderRequest(catalog, names, settings, out)


def config_choice(options: dict) -> tuple[str | None, dict]:
    """The config file and the overrides, taken out of a command's options; without
    --config (or $BACKPROP_VIDEO_CONFIG), ./backprop-video.toml if there is one."""
    from backprop_core.config import LOCAL_CONFIG

    overrides = pop_overrides(options)
    config_file = options.pop("config_file")
    if config_file is None and Path(LOCAL_CONFIG).is_file():   # what init-config wrote
        config_file = LOCAL_CONFIG
        click.echo(f"Using the config ./{LOCAL_CONFIG} found in the current folder "
                   f"(--config FILE names another)", err=True)
    return (None if config_file is None else str(Path(config_file))), overrides


def scene_catalog(module_file: str | None) -> Catalog:
    try:
        return load_catalog(module_file)
    except SceneLookupError as err:
        raise UsageFailure(f"--module: {err}") from None


def scene_names(catalog: Catalog, scenes, module_file: str | None, verb: str) -> list[str]:
    """The scenes the user named (or the default one), as class names."""
    if not scenes and module_file is not None and len(catalog.names) > 1:
        raise UsageFailure(f"name the scene(s) to {verb} from {module_file}: "
                           f"{', '.join(catalog.names)}, or all")
    try:
        return catalog.resolve(list(scenes) or [catalog.default])
    except SceneLookupError as err:
        raise UsageFailure(str(err) + _command_hint()) from None


def _command_hint() -> str:
    """For `backprop-video lst`: the word went to `render`, but a command was meant."""
    context = click.get_current_context()
    word = context.meta.get("default_routed")
    commands = list(context.find_root().command.commands)
    close = difflib.get_close_matches(word, commands, n=1) if word else []
    return f"; or did you mean the command '{close[0]}'?" if close else ""


def require_beats(catalog: Catalog, names: list[str], what: str, why: str) -> None:
    """Stop unless every scene has beats (stills and slides are made of beats)."""
    from scenes import ExplainerScene

    beatless = [name for name in names
                if not (issubclass(catalog.scenes[name], ExplainerScene)
                        and getattr(catalog.scenes[name], "beats", ()))]
    if beatless:
        raise Failure(f"{', '.join(beatless)} {'has' if len(beatless) == 1 else 'have'} no "
                      f"beats, so no {what}: {why}")


def validate_config(config_file: str | None, overrides: dict, scene_classes=()):
    """Check the config as the scenes will load it: exit 1 for the file, 2 for overrides.
    Returns the config (of the last scene)."""
    from backprop_core import ConfigError, load_config

    for scene_class in list(scene_classes) or [None]:
        own = getattr(scene_class, "overrides", None) or None
        try:
            config = load_config(config_file, own)
        except ConfigError as err:
            raise Failure(str(err)) from None
        if overrides:
            try:
                config = load_config(config_file, scene_overrides(scene_class, overrides))
            except ConfigError as err:
                raise UsageFailure(str(err)) from None
    return config


# -- narration and voice -------------------------------------------------------------------

def validate_narration(config_file: str | None, overrides: dict, scene_classes=()) -> None:
    """Check the config's [narration] table against every beat of the story (the full
    explainer's and those of `scene_classes`): a beat that does not exist or a
    placeholder its sentence cannot use is one line, exit 1."""
    from backprop_core import ConfigError, load_config
    from scenes import SCENES
    from scenes.kit.narration import check_table

    table = load_config(config_file, {}).narration
    if not table:
        return
    classes = [SCENES["BackpropExplainer"], *scene_classes]
    numbers: dict[str, object] = {}
    for cls in classes:
        config = load_config(config_file, scene_overrides(cls, overrides))
        for part, beat in beat_parts(cls, config):
            numbers.setdefault(beat, part)
    try:
        check_table(table, list(numbers), lambda beat: numbers[beat].numbers())
    except ConfigError as err:
        raise Failure(str(err)) from None


def beat_parts(scene_class: type, config) -> list:
    """(part, beat) of every beat of an ExplainerScene class in order, each part built on
    a stand-in scene holding only the config and its story: enough for `numbers()`."""
    from types import SimpleNamespace

    from scenes.kit.base import card_beat

    parts = getattr(scene_class, "parts", ())
    if not parts:
        return []
    story = _story(config)
    stand_in = SimpleNamespace(cfg=config, story=story, report=story.report,
                               theme=getattr(scene_class, "theme", None), layout=None)
    found = []
    for part_class in parts:
        part = part_class(stand_in)
        beats = ((card_beat(part_class),) if part_class.number else ()) + tuple(part_class.beats)
        found += [(part, beat) for beat in beats]
    return found


_stories: dict = {}


def _story(config):
    """The story of `config`, computed once per run for equal configs."""
    from backprop_core.story import story_of

    key = pickle.dumps(config)
    if key not in _stories:
        _stories.clear()
        _stories[key] = story_of(config)
    return _stories[key]


def scene_sentences(scene_class: type, config) -> list[str]:
    """The sentences the scene will say, as `ExplainerScene.write_sentences` fills them
    (its templates, replaced by the config's [narration] ones)."""
    pairs = beat_parts(scene_class, config)
    templates = {**scene_class.narration,
                 **{k: v for k, v in config.narration.items() if k in scene_class.narration}}
    sentences = {beat: templates[beat].format(**part.numbers()) for part, beat in pairs
                 if beat in templates}
    return list(sentences.values())


def voice_choice(options: dict, fmt: str | None, stills: bool) -> str:
    """The voice of a run: the one asked for (--voice), checked installed, else the best
    installed; "none" for a command without --voice and for output without sound."""
    if "voice" not in options or fmt not in AUDIO_FORMATS or stills:
        return "none"
    from backprop_voice import VoiceUnavailable, best_voice
    from backprop_voice.engines import HOW_TO_INSTALL, engine

    asked = options["voice"]
    if asked is None:
        best = best_voice()
        if best == "none":
            click.echo(f"Note: no voice is installed, so the video is silent (for a voice: "
                       f"{HOW_TO_INSTALL['piper']}; or {HOW_TO_INSTALL['espeak']})", err=True)
        return best
    if asked != "none":
        try:
            engine(asked)
        except VoiceUnavailable as err:
            raise UsageFailure(f"--voice: {err}") from None
    return asked


def start_voice(request: RenderRequest, runner) -> list:
    """Before the scenes render: key the runner's cache by the voice too, and start
    speaking the sentences of the scenes to render in the background."""
    from ..worker import has_sound, start_speech

    settings = request.settings
    if not has_sound(settings):   # (then no import either: the cache's source
        return []                 # fingerprint counts the modules loaded)
    import hashlib

    from backprop_voice.engines import find

    engine = find(settings.voice)
    plan = runner.plan
    plan.voice = hashlib.sha256(f"{settings.voice}:{engine.version if engine else ''}"
                                .encode()).hexdigest()[:12]
    runner.progress.durations.update({s: plan.duration(s) for s in request.names})
    todo = {}
    for name in (request.names if settings.use_cache else []):   # --no-cache: no speech cache
        if settings.use_cache and runner.results.lookup(name, plan.render_key(name)):
            continue
        sentences = sentences_of(settings, name, request.catalog)
        if sentences:
            todo[name] = sentences
    return start_speech(settings.cache_dir, settings.voice, todo) if todo else []


def sentences_of(settings: RenderSettings, scene: str, catalog: Catalog | None = None
                 ) -> list[str]:
    """The sentences scene `scene` says with `settings` (none for a scene without parts)."""
    from backprop_core import load_config

    cls = (catalog or load_catalog(settings.module_file)).scenes[scene]
    if not getattr(cls, "parts", ()):
        return []
    config = load_config(settings.config_file, scene_overrides(cls, settings.overrides))
    return scene_sentences(cls, config)


def estimated_length(settings: RenderSettings, scene: str, catalog: Catalog | None = None
                     ) -> float | None:
    """Seconds scene `scene` will last, estimated from its sentences without running it:
    a beat lasts as long as its sentence takes to read or say, rarely longer. None for a
    scene without beats."""
    from scenes.kit.base import reading_time

    sentences = sentences_of(settings, scene, catalog)
    return sum(reading_time(s) for s in sentences) if sentences else None


def cache_folder(cache_dir) -> Path:
    """The cache directory asked for (or the default one), created and checked."""
    return prepare_dir(Path(cache_dir) if cache_dir else default_cache_dir(), "cache directory")


# -- running it ---------------------------------------------------------------------------

def announce(doing: str, request: RenderRequest) -> None:
    names, settings = request.names, request.settings
    what = names[0] if len(names) == 1 else f"{len(names)} scenes"
    click.echo(f"{doing} {what} at {settings.label} into {request.output_dir}/"
               + ("" if settings.use_cache else " (no cache)"), err=True)


def run_scenes(request: RenderRequest, jobs: int, into: Path | None = None,
               show=lambda outcomes: None, interrupted=None, cluster: str | None = None
               ) -> list:
    """Render the request's scenes into `into` (default: the output directory), here or
    on the Dask scheduler at `cluster`, then `show(outcomes)`, also after Ctrl-C, which
    raises `Interrupted(interrupted())` (by default naming the scenes not written)."""
    from ..runner import Runner

    runner = Runner(request.catalog, request.names, request.settings,
                    into or request.output_dir, jobs, cluster=cluster)
    start_voice(request, runner)
    if not request.settings.stills:   # a first render shows a total and an ETA too
        durations = runner.progress.durations
        for name in request.names:
            if durations.get(name) is None:
                durations[name] = estimated_length(request.settings, name, request.catalog)

    def not_written() -> str:
        written = {o.scene for o in runner.outcomes_so_far() if o.published}
        return f"not written: {', '.join(n for n in request.names if n not in written)}"
    try:
        with on_interrupt(interrupted or not_written):
            return runner.run()
    finally:
        show(runner.outcomes_so_far())


def print_paths(outcomes) -> None:
    """The published files on stdout (subtitles go without saying)."""
    for outcome in outcomes:
        if outcome.published:
            for path in outcome.files:
                if path.suffix != ".srt":
                    click.echo(str(path))


def report_failures(outcomes, debug: bool) -> list:
    """An `Error:` line per scene that failed; returns those outcomes."""
    failed = [o for o in outcomes if not o.published]
    for outcome in failed:
        if debug and outcome.traceback_text:
            click.echo(outcome.traceback_text.rstrip(), err=True)
        error_line(f"{outcome.scene} failed: {outcome.error}"
                   + ("" if debug else " (run with --debug for the traceback)"))
    return failed
