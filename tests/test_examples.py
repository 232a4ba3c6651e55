"""The customised scenes in examples/ build, show the engine's numbers, and render both ways."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from scenes import ExplainerScene
from scenes.kit.theme import DARK

from conftest import check_numbers, dry_run, invoke, probe_video

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def example_scenes():
    for path in sorted(EXAMPLES.glob("*.py")):
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, ExplainerScene) \
                    and value.__module__ == path.stem:
                # The XOR example trains for thousands of epochs and draws its boundary at
                # every keyframe: a dry run of it takes most of a minute.
                # One example is enough for the quick set; the slow set builds them all.
                slow = [] if name == "LectureForwardPass" else [pytest.mark.slow]
                yield pytest.param(path, value, id=name, marks=slow)


SCENES = list(example_scenes())


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """Each example scene's dry run, made once for all the tests here (by class)."""
    done = {}

    def build(scene_class):
        if scene_class not in done:
            done[scene_class] = dry_run(scene_class,
                                        tmp_path_factory.mktemp(scene_class.__name__))
        return done[scene_class]
    return build


def test_there_are_at_least_two_examples():
    assert len(SCENES) >= 2


@pytest.mark.parametrize("path,scene_class", SCENES)
def test_example_builds_and_shows_engine_numbers(built, path, scene_class):
    scene = built(scene_class)
    assert [beat["name"] for beat in scene.beat_log] == list(scene_class.beats)
    assert check_numbers(scene, scene_class.overrides), "it shows numbers"
    assert scene.cfg.network.layers != [3, 4, 1] or scene.theme != DARK, "it customises"


@pytest.mark.slow
def test_xor_example_learns_and_draws_a_boundary(built):
    from manim import Square

    from scenes.story.training import GRID

    (xor,) = [p.values[1] for p in SCENES if p.id == "XorTraining"]
    scene = built(xor)
    assert scene.story.history.losses[-1] < 0.05
    cells = [m for mob in scene.mobjects for m in mob.get_family() if isinstance(m, Square)]
    assert len(cells) >= GRID * GRID, "the decision boundary, a grid of cells"
    said = {beat["name"]: beat["narration"] for beat in scene.beat_log}
    assert "bend the boundary" in said["the_loop"]


@pytest.mark.slow
def test_example_renders_with_plain_manim(tmp_path):
    subprocess.run([sys.executable, "-m", "manim", "-ql", "-r", "256,144", "--fps", "5",
                    "--progress_bar", "none", "--media_dir", str(tmp_path),
                    str(EXAMPLES / "lecture_slides.py"), "LectureOuchMoment"],
                   check=True, capture_output=True)
    (video,) = tmp_path.rglob("LectureOuchMoment.mp4")
    assert probe_video(video)[:2] == (256, 144)


@pytest.mark.slow
def test_example_renders_through_the_cli(tmp_path):
    result = invoke("render", "--module", EXAMPLES / "xor_boundary.py", "XorTraining",
                    "--resolution", "256x144", "--fps", "5", "--no-cache", "-o", tmp_path / "out",
                    "--cache-dir", tmp_path / "cache")
    assert result.exit_code == 0, result.stderr
    video = tmp_path / "out" / "XorTraining.mp4"
    assert result.stdout.strip().endswith(str(video)) and probe_video(video)[:2] == (256, 144)
