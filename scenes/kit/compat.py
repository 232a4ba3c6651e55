"""Every use of Manim's internals, in one place, so that a Manim upgrade breaks here only.

Each function names the internal it relies on; `tests/test_compat.py` checks each one
against the installed Manim.
"""

import logging

MANIM_SERIES = "0.22"   # the Manim series these internals were written for


def forget_svg_paths(mobject):
    """Drop what Manim keeps of the parsed SVG after building the points: each glyph's
    `path_obj` and the text's `id_to_vgroup_dict` (a VGroup per SVG group, read only to
    select Typst labels, which the scenes never do). Nothing reads them again, but every
    copy (each Transform and FadeIn makes some) would deep-copy them: a line of text
    copied four times slower, text-heavy animations several times slower."""
    for part in mobject.get_family():
        if getattr(part, "path_obj", None) is not None:
            part.path_obj = None
        if getattr(part, "id_to_vgroup_dict", None):
            part.id_to_vgroup_dict = {}
    return mobject


def last_run_time(scene) -> float:
    """The run time of the animations `scene.play` just played (`Scene.duration`)."""
    return float(scene.duration)


def frame_image(scene):
    """The frame on screen now as a PIL image (`renderer.update_frame`, `camera.get_image`),
    drawn even in a dry run, and even when `draw_nothing` switched drawing off."""
    type(scene.renderer).update_frame(scene.renderer, scene)
    return scene.camera.get_image()


def draw_nothing(scene):
    """Make the scene's renderer skip drawing frames (`renderer.update_frame`), which a
    dry run still does for every play though it writes none; `frame_image` still draws.
    For dry runs that only read the scene's state (tests); returns the scene."""
    scene.renderer.update_frame = lambda *args, **kwargs: None
    return scene


def output_files(scene):
    """(video, subtitles) paths the scene's file writer wrote (`file_writer.output_plan`);
    either may be None."""
    plan = scene.renderer.file_writer.output_plan
    return plan.primary_artifact, plan.subcaption_file


def pad_sound(scene) -> None:
    """Make the scene's sound track as long as the scene (`file_writer.add_audio_segment`
    with a silent pydub segment), so audio and video end together."""
    from pydub import AudioSegment

    writer = scene.renderer.file_writer
    if getattr(writer, "includes_sound", False):
        missing = scene.time - writer.audio_segment.duration_seconds
        if missing > 0:
            writer.add_audio_segment(AudioSegment.silent(int(round(missing * 1000))))


def log_to_stderr() -> None:
    """Manim logs through a rich console on stdout (its handlers' `console`); send it to
    stderr, keeping stdout for the output paths."""
    from manim import error_console
    for logger in (logging.getLogger("manim"), logging.getLogger()):
        for handler in logger.handlers:
            if hasattr(handler, "console"):
                handler.console = error_console


def reporting_scene(base: type, report, attrs: dict) -> type:
    """A subclass of scene class `base`, named like it, with `attrs`, that calls
    `report(scene_time)` after every play and after every frame drawn (through the
    private `_get_animation_time_progression`)."""

    def play(self, *args, **kwargs):
        base.play(self, *args, **kwargs)
        report(self.time)

    def progression(self, animations, duration):
        inner = base._get_animation_time_progression(self, animations, duration)
        return _Ticking(inner, self, report)

    return type(base.__name__, (base,), {**attrs, "play": play,
                                         "_get_animation_time_progression": progression})


class _Ticking:
    """Manim's per-animation frame iterator, reporting the scene time as frames render."""

    def __init__(self, inner, scene, report):
        self.inner, self.scene, self.report = inner, scene, report

    def __iter__(self):
        for t in self.inner:
            yield t
            self.report(self.scene.time)

    def __getattr__(self, name):
        return getattr(self.inner, name)
