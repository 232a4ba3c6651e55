"""One scene shared between processes (`--jobs` with a lone scene): each process renders
every N-th animation into Manim's cache, then the scene is joined from them.

The joined video must be the one a single process makes, frame for frame, with its
timestamps one frame apart, its sound and its subtitles; a changed sentence must
re-render only the animations it is shown in.
"""

from pathlib import Path

import numpy as np
import pytest
import srt

from backprop_cli import runner as runner_module
from conftest import frames_and_times, invoke

SCENES = Path(__file__).with_name("cli_scenes.py")
SMALL = ["--resolution", "320x180", "--fps", "10"]

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("shares")]  # its renders made once


def render(tmp_path, name, *options):
    out, cache = tmp_path / name / "out", tmp_path / name / "cache"
    result = invoke("render", "--module", SCENES, "Shared", *SMALL, "-o", out,
                    "--cache-dir", cache, *options)
    assert result.exit_code == 0, result.output
    return out / "Shared.mp4", cache


@pytest.fixture(scope="module")
def renders(tmp_path_factory):
    """The scene spoken by espeak, rendered by one process and shared by two."""
    tmp = tmp_path_factory.mktemp("shares")
    shared = []
    plain = runner_module.Runner._run_shared

    def spy(self, job, count):
        shared.append(count)
        return plain(self, job, count)

    runner_module.Runner._run_shared = spy
    try:
        one = render(tmp, "one", "-j", "1", "--voice", "espeak")
        two = render(tmp, "two", "-j", "2", "--voice", "espeak")
    finally:
        runner_module.Runner._run_shared = plain
    assert shared == [2]   # only the second render was shared, between two processes
    return one, two


def test_the_joined_video_is_the_single_process_one(renders):
    (one, _), (two, _) = renders
    a, base_a, sound_a = frames_and_times(one)
    b, base_b, sound_b = frames_and_times(two)
    assert len(a) == len(b) > 50
    # No seam: every frame as a single process draws it (H.264 at the same settings).
    worst = max(np.abs(x - y).mean() for (_, x), (_, y) in zip(a, b))
    assert worst < 1.0
    # Timestamps one frame apart all through, across every join.
    steps = {round(float((q - p) * base_b), 6) for (p, _), (q, _) in zip(b, b[1:])}
    assert steps == {0.1}
    # Spoken, with the sound track as long as the single process's.
    assert sound_a is not None and sound_b == pytest.approx(sound_a, abs=0.05)
    # The same subtitles, at the same times (to a frame: Manim counts a play it found in
    # its cache by its exact length, one it draws by its frames).
    subtitles = [list(srt.parse(path.with_suffix(".srt").read_text())) for path in (one, two)]
    assert [s.content for s in subtitles[0]] == [s.content for s in subtitles[1]]
    for x, y in zip(*subtitles):
        assert abs((x.start - y.start).total_seconds()) <= 0.1
        assert abs((x.end - y.end).total_seconds()) <= 0.1


def test_a_changed_sentence_renders_only_its_animations(renders, tmp_path):
    _, (_, cache) = renders
    partials = lambda: set(cache.rglob("partial/**/*.mp4"))   # noqa: E731
    before = partials()
    config = tmp_path / "net.toml"
    config.write_text('[narration]\nright = "Then it moves to the right, four times."\n')
    out = tmp_path / "out"
    result = invoke("render", "--module", SCENES, "Shared", *SMALL, "-o", out, "-j", "2",
                    "--cache-dir", cache, "--voice", "espeak", "--config", config)
    assert result.exit_code == 0, result.output
    new = partials() - before
    # The caption's change and the four moves under it, and the emphasis that fills the
    # rest of its sentence; the next caption's fade (the old caption leaves). The first
    # beat's four animations are reused, and so is the last beat's move.
    assert 0 < len(new) <= 7, sorted(p.name for p in new)
    assert len(new) < len(before)
