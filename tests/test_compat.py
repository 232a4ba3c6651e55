"""Each use of Manim's internals (scenes/kit/compat.py) against the installed Manim: a Manim
upgrade that changes one of them fails here, by name."""

import logging
import wave

import numpy as np
import pytest
from manim import (DOWN, LEFT, RIGHT, UP, Circle, Dot, FadeIn, Scene, Square, Text,
                   Transform, ValueTracker, VGroup, __version__, tempconfig)

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


def test_texts_never_wrap(tmp_path):
    compat.texts_never_wrap()
    words = "A sentence as long as a caption line, wider than a narrow frame."
    sizes = []
    for width in (64, 854, 64):   # a narrow frame first: its text must not stay wrapped
        with tempconfig({"media_dir": str(tmp_path), "pixel_width": width,
                         "pixel_height": 480}):
            text = Text(words, font_size=24)
            sizes.append((round(text.width, 6), round(text.height, 6)))
    one_line = Text("A", font_size=24).height
    assert sizes[0] == sizes[1] == sizes[2]
    assert sizes[0][1] < 1.6 * one_line, "one line, not wrapped"
    assert not list(tmp_path.glob("texts/*.svg")), "in a folder of their own"


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


def write_tone(path, seconds: float):
    """A mono 8 kHz sine tone of `seconds` as a WAV file at `path`; returns the path."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        samples = 3000 * np.sin(np.arange(int(8000 * seconds)) / 5)
        out.writeframes(samples.astype("<i2").tobytes())
    return path


def test_pad_sound_makes_the_sound_as_long_as_the_scene(tmp_path):
    tone = write_tone(tmp_path / "tone.wav", 0.25)
    lengths = []

    class Spoken(OneDot):
        def construct(self):
            self.add_sound(str(tone))
            super().construct()
            compat.pad_sound(self)
            lengths.append(self.renderer.file_writer.audio_segment.duration_seconds)

    scene = render(Spoken, tmp_path)
    assert lengths[0] == pytest.approx(scene.time, abs=0.01)


class Steps(Scene):
    """Four plays, each frame different, then a still wait."""

    def construct(self):
        dot = Dot()
        self.play(FadeIn(dot), run_time=0.4)
        for step in range(3):
            self.play(dot.animate.shift(0.5 * (step + 1) * np.array([1.0, 0.0, 0.0])),
                      run_time=0.4)
        self.wait(0.6)


def counting_encoders(monkeypatch) -> list:
    """The targets of every partial movie encoded from now on."""
    from manim.scene import video_segment_encoder

    made = []
    plain = video_segment_encoder.VideoSegmentEncoder.__init__
    monkeypatch.setattr(video_segment_encoder.VideoSegmentEncoder, "__init__",
                        lambda self, **kw: (made.append(kw["target"]), plain(self, **kw))[1])
    return made


def render_with(scene_class, media_dir, *fixes, **settings):
    """Render with Manim's cache on, the compat `fixes` applied to the scene first."""
    with tempconfig({**SMALL, "media_dir": str(media_dir), "disable_caching": False,
                     **settings}):
        scene = scene_class()
        for fix in fixes:
            fix(scene)
        scene.render()
    return scene


def test_draw_only_what_is_written(tmp_path):
    def draws(*fixes):
        scene = Steps(skip_animations=True)
        count = []
        plain = scene.renderer.camera.capture_mobjects
        scene.renderer.camera.capture_mobjects = lambda *a, **k: (count.append(1), plain(*a, **k))
        for fix in fixes:
            fix(scene)
        with tempconfig({**SMALL, "media_dir": str(tmp_path), "dry_run": True}):
            scene.render()
        return len(count)

    assert draws() > 0, "Manim draws frames of a dry run"
    assert draws(compat.draw_only_what_is_written) == 0


@pytest.mark.parametrize("stable", [True, False])
def test_shares_and_stable_play_hashes(tmp_path, monkeypatch, stable):
    """Two shares render every other play into the cache; a render then finds them all,
    but only with stable play hashes (else a play's key depends on what was drawn)."""
    fixes = [compat.draw_only_what_is_written] + ([compat.stable_play_hashes] if stable else [])
    for index in (0, 1):
        render_with(Steps, tmp_path, *fixes,
                    lambda scene, index=index: compat.render_share(scene, index, 2))
    made = counting_encoders(monkeypatch)
    scene = render_with(Steps, tmp_path, *fixes)
    assert len(compat.partial_movies(scene)) == 5   # a partial movie per play, found
    assert (made == []) == stable


def test_encode_frames_fast(tmp_path, monkeypatch):
    import av
    from manim.scene.video_segment_encoder import VideoSegmentEncoder

    compat.encode_frames_fast()
    converted = []
    real = av.VideoFrame

    class Counting:
        @staticmethod
        def from_ndarray(*args, **kwargs):
            converted.append(1)
            return real.from_ndarray(*args, **kwargs)

    with tempconfig({**SMALL, "media_dir": str(tmp_path), "disable_caching": False}):
        scene = Steps()
        scene.render()
        spec = scene.renderer.file_writer.video_encoder
    monkeypatch.setattr(av, "VideoFrame", Counting)
    encoder = VideoSegmentEncoder(target=tmp_path / "held.mp4", spec=spec)
    encoder.write_frame(np.full((spec.height, spec.width, 4), 200, np.uint8), repeat=30)
    encoder.finish()
    monkeypatch.undo()
    assert converted == [1], "one conversion for thirty frames"
    with av.open(str(tmp_path / "held.mp4")) as container:
        pts = [frame.pts for frame in container.decode(video=0)]
    assert len(pts) == 30 and pts == sorted(set(pts))


class Layers(Scene):
    """Still mobjects above moving ones: a dot passes under a text, a square recolours
    behind a label, a circle fades in, a dot moves by an updater, a text transforms."""

    def construct(self):
        dot = Dot([-3, 0, 0], radius=0.4, color="#ff0000")
        words, square = Text("above", font_size=40), Square(1.5).shift(RIGHT * 3)
        label = Text("on", font_size=30).move_to(square)
        self.add(dot, words, square, label, Text("still", font_size=24).to_edge(DOWN))
        self.play(dot.animate.shift(RIGHT * 6), run_time=1)
        count = ValueTracker(0)
        marker = Dot().to_edge(UP).add_updater(lambda m: m.set_x(count.get_value() / 3))
        self.add(marker)
        self.play(square.animate.set_fill("#00ff00", 1), FadeIn(Circle().shift(LEFT * 3)),
                  count.animate.set_value(9), run_time=1)
        self.play(Transform(words, Text("below", font_size=40)), run_time=0.6)


def drawn_frames(scene_class, tmp_path, monkeypatch, method: str, *fixes) -> tuple:
    """The frames a render of `scene_class` (with `fixes` applied to it) hands the file
    writer, and how many times the camera's `method` ran."""
    from manim.camera.camera import Camera

    frames, calls = [], []
    plain = getattr(Camera, method)
    monkeypatch.setattr(Camera, method, lambda self, *a: calls.append(1) or plain(self, *a))
    with tempconfig({**SMALL, "pixel_width": 160, "pixel_height": 90, "frame_rate": 10,
                     "disable_caching": True, "media_dir": str(tmp_path)}):
        scene = scene_class()
        for fix in fixes:
            fix(scene)
        add_frame = scene.renderer.add_frame
        scene.renderer.add_frame = lambda frame, num_frames=1: (
            frames.append(frame.copy()) or add_frame(frame, num_frames))
        scene.render()
    monkeypatch.undo()
    return frames, len(calls)


@pytest.mark.parametrize("fix, method", [
    (compat.draw_still_parts_once, "display_vectorized"),   # mobjects drawn
    (compat.reuse_cairo_paths, "set_cairo_context_path"),   # paths built
])
def test_faster_drawing_draws_the_same_frames(fix, method, tmp_path, monkeypatch):
    plain, plain_calls = drawn_frames(Layers, tmp_path, monkeypatch, method)
    faster, faster_calls = drawn_frames(Layers, tmp_path, monkeypatch, method, fix)
    assert len(plain) == len(faster) > 20
    for k, (a, b) in enumerate(zip(plain, faster)):
        assert np.array_equal(a, b), f"frame {k} differs"
    assert faster_calls < 0.7 * plain_calls


def test_faster_drawing_keeps_the_play_hashes(tmp_path):
    """A play's cache key must not depend on how, or what, was drawn before it."""
    hashes = []
    for fixes in ((), (compat.reuse_cairo_paths, compat.draw_still_parts_once)):
        with tempconfig({**SMALL, "media_dir": str(tmp_path / str(len(fixes))),
                         "text_dir": str(tmp_path / "texts"), "disable_caching": False}):
            scene = compat.stable_play_hashes(Layers())
            for fix in fixes:
                fix(scene)
            scene.render()
        hashes.append(scene.renderer.animations_hashes)
    assert len(hashes[0]) == 3 and hashes[0] == hashes[1]


def test_add_sound_after_a_cached_play(tmp_path):
    tone = write_tone(tmp_path / "tone.wav", 0.5)

    def spoken(use_compat):
        class Spoken(Scene):
            def construct(self):
                self.play(FadeIn(Dot()), run_time=0.4)   # cached the second time
                if use_compat:
                    compat.add_sound(self, tone)
                else:
                    self.add_sound(str(tone))
                self.wait(0.6)
        return Spoken

    for use_compat in (False, True):
        render_with(spoken(use_compat), tmp_path / str(use_compat))
        again = render_with(spoken(use_compat), tmp_path / str(use_compat))
        assert again.renderer.file_writer.includes_sound == use_compat


class Uneven(Scene):
    """Plays and a still wait whose run times are no whole number of frames."""

    def construct(self):
        dot = Dot()
        self.play(FadeIn(dot), run_time=0.5)
        self.wait(0.7)
        self.play(dot.animate.shift(np.array([1.0, 0.0, 0.0])), run_time=0.3)


def movie_seconds(scene) -> float:
    """The length of the scene's partial movies, by their frames."""
    import av

    frames = 0
    for path in compat.partial_movies(scene):
        with av.open(path) as movie:
            frames += sum(1 for _ in movie.decode(video=0))
    return frames / SMALL["frame_rate"]


@pytest.mark.parametrize("timed", [True, False])
def test_time_skipped_plays_by_their_frames(tmp_path, timed):
    """Rendered, and then found in the cache, the plays move the scene's time on by the
    frames their movies have (Manim, by their exact run times: 1.5 s, not 1.6 s)."""
    fixes = [compat.draw_only_what_is_written] + (
        [compat.time_skipped_plays_by_their_frames] if timed else [])
    rendered = render_with(Uneven, tmp_path, *fixes)
    cached = render_with(Uneven, tmp_path, *fixes)
    assert rendered.time == pytest.approx(movie_seconds(rendered)) == pytest.approx(1.6)
    assert movie_seconds(cached) == pytest.approx(1.6)
    assert (cached.time == pytest.approx(1.6)) == timed


def test_timed_stages(tmp_path):
    compat.encode_frames_fast()   # as the worker renders (else Manim converts and encodes)
    clock = compat.StageClock()
    with compat.timed_stages(clock):
        render_with(Steps, tmp_path)
    assert {"hash", "draw", "convert", "encode", "join"} <= set(clock.seconds)
    assert clock.calls["hash"] == 5 and clock.calls["convert"] == clock.calls["encode"] >= 5


NUDGE = 0.5   # read by an updater below: a play's key changes with it


def keyed_play(change: str = "", monkeypatch=None) -> str:
    """`compat.play_hash` of one play of a square (with an updater) and a text, changed in
    one respect named by `change`."""
    square = Square(color="#ff0000", stroke_width=4 if change != "stroke" else 6)
    square.shift(RIGHT * (0.01 if change == "points" else 0))
    if change == "colour":
        square.set_color("#00ff00")
    if change == "z":
        square.set_z_index(2)

    def by(amount):
        return lambda m, dt: m.shift(UP * amount * NUDGE * dt)
    if change == "updater code":
        square.add_updater(lambda m, dt: m.shift(DOWN * NUDGE * dt))
    else:
        square.add_updater(by(0.2 if change == "closure" else 0.1))
    if change == "global" and monkeypatch is not None:
        monkeypatch.setattr(__import__(__name__), "NUDGE", 0.6)
    words = Text("b" if change == "text" else "a", font_size=30)
    scene = Scene()
    if change == "background":
        scene.renderer.camera.background_color = "#123456"
    if change == "pixels":
        scene.renderer.camera.pixel_array[:] = 255
    kind = Transform if change == "animation" else FadeIn
    target = Square() if kind is Transform else None
    animation = (kind(square, target) if target is not None else
                 kind(square, run_time=2 if change == "run time" else 1,
                      rate_func=(lambda t: t) if change == "rate" else None or
                      FadeIn(Dot()).rate_func))
    return compat.play_hash(scene, scene.renderer.camera, [animation], [square, words],
                            backend="cairo",
                            encoder_fingerprint="other" if change == "encoder" else "x264")


def test_play_hash_tells_every_change(tmp_path, monkeypatch):
    """The quick play hash changes with each thing that changes a play's pixels, as
    Manim's does, and not with the camera's pixels or a rebuild of the same state."""
    changes = ["points", "colour", "stroke", "z", "updater code", "closure", "text",
               "background", "animation", "run time", "rate", "encoder", "global"]
    with tempconfig({**SMALL, "media_dir": str(tmp_path)}):
        same = keyed_play()
        assert keyed_play() == same and keyed_play("pixels") == same
        keys = {change: keyed_play(change, monkeypatch) for change in changes}
    assert same not in keys.values()
    assert len(set(keys.values())) == len(changes), keys


HASHES_OF_A_RENDER = """
import json, sys
from manim import FadeIn, Scene, Square, Text, Transform, ValueTracker, tempconfig
from scenes.kit import compat

class Shown(Scene):
    def construct(self):
        count = ValueTracker(0)
        square = Square().add_updater(lambda m: m.set_fill(opacity=count.get_value() / 2))
        self.add(Text("still", font_size=20), square)
        self.play(FadeIn(Text("words", font_size=30)), count.animate.set_value(2))
        self.play(Transform(square, Square(2)), run_time=0.4)

compat.hash_plays_quickly()
with tempconfig({"pixel_width": 64, "pixel_height": 36, "frame_rate": 5,
                 "verbosity": "ERROR", "progress_bar": "none", "media_dir": sys.argv[1],
                 "disable_caching": False}):
    scene = compat.stable_play_hashes(Shown())
    scene.render()
print(json.dumps(scene.renderer.animations_hashes))
"""


def test_play_hashes_are_the_same_in_every_process(tmp_path):
    """Shares, the join and cluster workers find each other's plays by key: the keys must
    not depend on the process (Python's string hashes differ per process) nor on the
    folder Manim caches texts in (each share has its own)."""
    import json
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(compat.__file__).resolve().parents[2]
    keys = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, "-c", HASHES_OF_A_RENDER, str(tmp_path / seed)],
                              cwd=root, env={**os.environ, "PYTHONHASHSEED": seed},
                              capture_output=True, text=True, check=True)
        keys.append(json.loads(done.stdout.splitlines()[-1]))
    assert len(keys[0]) == 2 and None not in keys[0]
    assert keys[0] == keys[1]
    assert all(len(key) == 40 for key in keys[0]), "the quick hash names the plays"


def test_a_text_is_keyed_alike_made_first_or_copied(tmp_path):
    """Texts are made once per process, then copied: a play's key must not depend on
    whether its text was the first made (a share's) or a copy (the join's, after a dry run)."""
    from scenes.kit.labels import Label
    from scenes.kit.theme import DARK

    def key(scene):
        words = VGroup(Label("Keyed alike", DARK), Label("made first or copied", DARK))
        return compat.play_hash(scene, scene.renderer.camera, [FadeIn(words)], [words],
                                backend="cairo", encoder_fingerprint="x264")

    with tempconfig({**SMALL, "media_dir": str(tmp_path)}):
        scene = Scene()
        assert key(scene) == key(scene)
