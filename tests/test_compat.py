"""Each use of Manim's internals (scenes/kit/compat.py) against the installed Manim: a Manim
upgrade that changes one of them fails here, by name."""

import logging
import wave

import numpy as np
import pytest
from manim import Dot, FadeIn, Scene, Text, __version__, tempconfig

from scenes.kit import compat

SMALL = {"pixel_width": 64, "pixel_height": 36, "frame_rate": 5, "verbosity": "ERROR",
         "progress_bar": "none"}


class OneDot(Scene):
    def construct(self):
        self.play(FadeIn(Dot()), run_time=0.6)
        self.wait(0.4)


def render(scene_class, media_dir, **settings):
    with tempconfig({**SMALL, "media_dir": str(media_dir), **settings}):
        scene = scene_class()
        scene.render()
    return scene


def test_written_for_this_manim_series():
    assert __version__.startswith(compat.MANIM_SERIES + ".")


def test_forget_svg_paths(tmp_path):
    with tempconfig({"media_dir": str(tmp_path)}):
        text = Text("ab")
    assert any(getattr(part, "path_obj", None) is not None for part in text.get_family())
    compat.forget_svg_paths(text)
    assert all(getattr(part, "path_obj", None) is None for part in text.get_family())


def test_last_run_time(tmp_path):
    seen = []

    class Timed(Scene):
        def construct(self):
            self.play(FadeIn(Dot()), run_time=0.6)
            seen.append(compat.last_run_time(self))

    render(Timed, tmp_path, dry_run=True)
    assert seen == [pytest.approx(0.6)]


def test_frame_image_draws_in_a_dry_run(tmp_path):
    seen = []

    class Still(Scene):
        def construct(self):
            self.add(Dot(radius=1.0, color="#ff0000"))
            seen.append(compat.frame_image(self))

    render(Still, tmp_path, dry_run=True)
    image = np.asarray(seen[0].convert("RGB"))
    assert image.shape == (36, 64, 3) and image[..., 0].max() > 200, "the red dot is drawn"


def test_output_files(tmp_path):
    scene = render(OneDot, tmp_path)
    video, subtitles = compat.output_files(scene)
    assert video is not None and video.is_file() and video.suffix == ".mp4"
    assert subtitles is None or not subtitles.exists()


def test_log_to_stderr():
    from manim import error_console
    compat.log_to_stderr()
    consoles = [handler.console for logger in (logging.getLogger("manim"), logging.getLogger())
                for handler in logger.handlers if hasattr(handler, "console")]
    assert consoles and all(console is error_console for console in consoles)


def test_reporting_scene_reports_every_frame(tmp_path):
    times = []
    cls = compat.reporting_scene(OneDot, times.append, {"__doc__": "reported"})
    assert cls.__name__ == "OneDot" and issubclass(cls, OneDot)
    scene = render(cls, tmp_path)
    assert len(times) >= 3, "a report per frame drawn and one per play"
    assert times == sorted(times) and times[-1] == pytest.approx(scene.time)


def test_pad_sound_makes_the_sound_as_long_as_the_scene(tmp_path):
    tone = tmp_path / "tone.wav"
    with wave.open(str(tone), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        samples = (3000 * np.sin(np.arange(2000) / 5)).astype("<i2")   # 0.25 s
        out.writeframes(samples.tobytes())
    lengths = []

    class Spoken(OneDot):
        def construct(self):
            self.add_sound(str(tone))
            super().construct()
            compat.pad_sound(self)
            lengths.append(self.renderer.file_writer.audio_segment.duration_seconds)

    scene = render(Spoken, tmp_path)
    assert lengths[0] == pytest.approx(scene.time, abs=0.01)
