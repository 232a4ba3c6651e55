"""Real low-quality renders: valid videos of the right size, rate and length, in the right colours."""

import av
import numpy as np
import pytest
from manim import ManimColor, tempconfig

import scenes
from scenes import BackpropExplainer, Backpropagation, ForwardPass, OuchMoment
from scenes.kit.theme import DARK

from conftest import probe_video

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("render")]  # its renders made once

PARTS = [cls for cls in scenes.SCENES.values() if cls is not BackpropExplainer]


def render(scene_class, media_dir, **settings):
    """Render in this process; returns the scene and the path of its video."""
    options = {"quality": "low_quality", "media_dir": str(media_dir), "progress_bar": "none",
               "verbosity": "WARNING", **settings}
    with tempconfig(options):
        scene = scene_class()
        scene.render()
    (video,) = media_dir.rglob(f"{scene_class.__name__}.mp4")
    return scene, video


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """Every part at 480p15, rendered once for all the tests here."""
    return {cls: render(cls, tmp_path_factory.mktemp(cls.__name__)) for cls in PARTS}


def frame_at(video, t: float) -> np.ndarray:
    """The RGB frame shown at time t (seconds)."""
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            if frame.time >= t:
                return frame.to_ndarray(format="rgb24")
    raise AssertionError(f"no frame at {t}s")


def pixels_of(frame: np.ndarray, color: str, tolerance: float = 40) -> int:
    """How many pixels are within `tolerance` (RGB distance) of `color`."""
    target = np.array(ManimColor(color).to_rgb()) * 255
    return int(np.sum(np.linalg.norm(frame.astype(float) - target, axis=-1) < tolerance))


def beat_end(scene, name: str) -> float:
    (end,) = [beat["end"] for beat in scene.beat_log if beat["name"] == name]
    return end - 0.1


@pytest.mark.parametrize("scene_class", PARTS, ids=lambda c: c.__name__)
def test_each_scene_renders_a_valid_video(rendered, scene_class):
    scene, video = rendered[scene_class]
    probe = probe_video(video)
    assert (probe.width, probe.height) == (854, 480) and probe.fps == pytest.approx(15, rel=1e-3)
    assert probe.seconds == pytest.approx(scene.time, abs=0.2)
    assert probe.frames == pytest.approx(scene.time * 15, abs=3)
    subtitles = video.with_suffix(".srt").read_text()
    assert subtitles.count(" --> ") == len(scene.beats)


def test_the_ouch_moment_turns_red(rendered):
    scene, video = rendered[OuchMoment]
    before = frame_at(video, 1.0)
    after = frame_at(video, beat_end(scene, "truth"))
    assert pixels_of(before, DARK.error) < 20
    assert pixels_of(after, DARK.error) > 100, "the gap between guess and truth, and its key, in red"


def test_the_backward_pass_shows_gradient_colours(rendered):
    scene, video = rendered[Backpropagation]
    frame = frame_at(video, beat_end(scene, "wave"))
    assert pixels_of(frame, DARK.gradient) > 100, "the δ of every hidden neuron, in green"
    assert pixels_of(frame, DARK.positive) > 100 and pixels_of(frame, DARK.negative) > 100, \
        "the weights keep their sign colours"
    start = frame_at(video, 2.0)
    assert pixels_of(start, DARK.gradient) < 20


def test_forward_pass_shows_weight_signs_and_filled_neurons(rendered):
    scene, video = rendered[ForwardPass]
    frame = frame_at(video, scene.time - 0.2)
    assert pixels_of(frame, DARK.positive) > 300 and pixels_of(frame, DARK.negative) > 300
    background = pixels_of(frame, DARK.background, tolerance=10) / frame[..., 0].size
    assert 0.5 < background < 0.97


def test_explainer_renders_whole(tmp_path):
    scene, video = render(BackpropExplainer, tmp_path, pixel_width=256, pixel_height=144,
                          frame_rate=5)
    probe = probe_video(video)
    assert (probe.width, probe.height) == (256, 144) and probe.fps == pytest.approx(5, rel=1e-3)
    assert probe.seconds == pytest.approx(scene.time, abs=0.5)
    assert 180 <= probe.seconds <= 600
