"""Shared test helpers: the CLI through click's CliRunner, its one-line errors, the tiny
scenes of tests/cli_scenes.py, one way to look inside a video, and scene dry runs with
the check that every number they show is the engine's.

Test modules import the plain helpers (`from conftest import invoke, ...`); `dirs` is a
fixture.
"""

import functools
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import NamedTuple

import av
import pytest
from click.testing import CliRunner

from backprop_cli.main import cli
from backprop_core import load_config
from backprop_core.report import trace_json
from backprop_core.story import lookup

# The tests never touch the user's real cache (~/.cache/backprop-video): every cache
# default, in this process and the render processes it starts, is under a temporary
# XDG_CACHE_HOME made for the session and removed after it.
TEST_CACHE_HOME = tempfile.mkdtemp(prefix="backprop-video-test-cache-")
os.environ["XDG_CACHE_HOME"] = TEST_CACHE_HOME
# Silent unless a test asks for a voice: Piper may be installed, and is slow to load.
os.environ["BACKPROP_VIDEO_VOICE"] = "none"
# Text and formulas made outside a render (the layout tests build diagrams directly)
# keep their files in Manim's media folder: the session's, not ./media.
from manim import config as manim_config  # noqa: E402

manim_config.media_dir = os.path.join(TEST_CACHE_HOME, "media")


def pytest_sessionfinish(session, exitstatus):
    shutil.rmtree(TEST_CACHE_HOME, ignore_errors=True)


ROOT = Path(__file__).resolve().parents[1]
TINY = str(ROOT / "tests" / "cli_scenes.py")   # tiny scenes, for `--module`
SMALL = ["--resolution", "192x108", "--fps", "5"]


def invoke(*args, **kwargs):
    """Run `backprop-video ARGS...` in this process; click's Result."""
    return CliRunner().invoke(cli, [str(a) for a in args], **kwargs)


def error_of(result) -> str:
    """The single `Error:` line of stderr (and check there is exactly one, no traceback)."""
    lines = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    return lines[0]


@pytest.fixture
def dirs(tmp_path):
    """(output dir, cache dir, the options naming both), inside the test's temp dir."""
    out, cache = tmp_path / "out", tmp_path / "cache"
    return out, cache, ["-o", out, "--cache-dir", cache]


class Video(NamedTuple):
    width: int
    height: int
    frames: int          # decoded, so counted for real
    fps: float | None
    seconds: float | None
    codec: str


def probe_video(path) -> Video:
    """A video file's size, frame count, rate, length and codec."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        frames = sum(1 for _ in container.decode(stream))
        rate = float(stream.average_rate) if stream.average_rate else None
        seconds = float(stream.duration * stream.time_base) if stream.duration else None
        return Video(stream.codec_context.width, stream.codec_context.height, frames, rate,
                     seconds, stream.codec_context.name)


def frames_and_times(path):
    """A video's decoded frames as (pts, RGB array), its time base, and the length of its
    sound track in seconds (None without one)."""
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        decoded = [(f.pts, f.to_ndarray(format="rgb24").astype(int))
                   for f in container.decode(stream)]
        audio = container.streams.audio[0] if container.streams.audio else None
        audio_seconds = float(audio.duration * audio.time_base) if audio else None
        return decoded, stream.time_base, audio_seconds


CONFIGS = {   # the networks the story is checked with
    "default": {},
    "2-4-4-2": {"network": {"layers": [2, 4, 4, 2], "activations": ["tanh", "tanh", "softmax"]},
                "training": {"loss": "cross_entropy"}},
    "4-8-8-3": {"network": {"layers": [4, 8, 8, 3]}},
}
FRAMES = {"16:9": (854, 480), "4:3": (640, 480), "1:1": (480, 480), "9:16": (480, 854)}
# CONFIGS' names as test parameters: the default network quick, the others slow.
CONFIG_PARAMS = [pytest.param(name, marks=() if name == "default" else pytest.mark.slow)
                 for name in CONFIGS]


def dry_run(scene_class, media_dir, overrides=None, size=(854, 480), **attrs):
    """Run the scene's construct without drawing a frame (stills still draw theirs), with
    `overrides` and `attrs` as class attributes, if given, in a frame of `size` pixels;
    returns the scene."""
    from manim import tempconfig

    from scenes.kit.compat import draw_nothing
    from scenes.kit.layout import frame_units

    if overrides is not None:
        attrs["overrides"] = overrides
    cls = type(scene_class.__name__, (scene_class,), attrs)
    width, height = frame_units(*size)
    with tempconfig({"dry_run": True, "media_dir": str(media_dir), "verbosity": "WARNING",
                     "progress_bar": "none", "pixel_width": size[0], "pixel_height": size[1],
                     "frame_width": width, "frame_height": height}):
        scene = draw_nothing(cls(skip_animations=True))
        scene.render()
    return scene


@pytest.fixture(scope="session")
def story_run(tmp_path_factory):
    """`story_run(scene_class, config="default", frame="16:9")`: a dry run of a story
    scene with one of CONFIGS in one of FRAMES, made once per test session."""
    media = tmp_path_factory.mktemp("story-media")

    @functools.cache
    def made(scene_class, config, frame):
        return dry_run(scene_class, media, CONFIGS[config], FRAMES[frame])

    def run(scene_class, config="default", frame="16:9"):
        return made(scene_class, config, frame)   # one cache key however it is called
    return run


def check_numbers(scene, overrides) -> list[dict]:
    """Every number on screen has a source whose value in `trace --json` (of the default
    config with `overrides`) is the number, and shows it; returns the numbers shown."""
    from scenes.kit.labels import fmt

    report = json.loads(trace_json(load_config(overrides=overrides)))
    shown = [n for beat in scene.beat_log for n in beat["numbers"]]
    unsourced = [n for n in shown if not n["source"]]
    assert not unsourced, f"numbers without a source: {unsourced[:3]}"
    wrong = [n for n in shown if lookup(report, n["source"]) != n["value"]]
    assert not wrong, f"numbers unlike their source: {wrong[:3]}"
    for n in shown:
        assert n["text"] == fmt(n["value"], None) or float(n["text"]) == pytest.approx(
            n["value"], rel=0.06, abs=6e-3), f"{n['text']} does not show {n['value']}"
    return shown
