"""Shared test helpers: the CLI through click's CliRunner, its one-line errors, the tiny
scenes of tests/cli_scenes.py, and one way to look inside a video.

Test modules import the plain helpers (`from conftest import invoke, ...`); `dirs` is a
fixture.
"""

from pathlib import Path
from typing import NamedTuple

import av
import pytest
from click.testing import CliRunner

from backprop_cli.main import cli

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
