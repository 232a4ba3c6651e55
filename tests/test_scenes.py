"""Scenes build for many network shapes, and every number they show comes from the engine."""

import numpy as np
import pytest
from manim import tempconfig

import scenes
from backprop_core import trace
from scenes import (BackpropExplainer, ExplainerScene, ForwardPass, GradientDescent,
                    OuchMoment, Training)
from scenes.base import reading_time
from scenes.explainer import PARTS
from scenes.labels import MINUS, Formula, Number, fmt

from scene_helpers import SHAPES, dry_run, engine_numbers

PART_SCENES = [cls for cls in scenes.SCENES.values() if cls is not BackpropExplainer]


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("scene_class", PART_SCENES, ids=lambda c: c.__name__)
def test_scene_builds_and_shows_only_engine_numbers(scene_class, shape, media):
    scene = dry_run(scene_class, media, SHAPES[shape])
    assert [name for name, *_ in scene.beat_log] == list(scene_class.beats)
    shown = set(scene.displayed_numbers)
    if scene_class is not scenes.NetworkAnatomy:
        assert shown, "the scene shows numbers"
    unexplained = shown - engine_numbers(scene)
    assert not unexplained, f"numbers not computed by the engine: {sorted(unexplained)[:5]}"


def test_forward_pass_labels_every_neuron_with_its_activation(media):
    scene = dry_run(ForwardPass, media, SHAPES["3-5-3-softmax"])
    t = scene.trace
    for l, labels in enumerate(scene.diagram.values):
        assert set(labels) == set(scene.diagram.neurons[l]), f"layer {l} fully labelled"
        for j, label in labels.items():
            assert label.value == t.activations_of(l)[j]
            assert label.text == fmt(label.value).replace("-", MINUS)


def test_wide_layers_collapse(media):
    scene = dry_run(ForwardPass, media, {"network": {"layers": [3, 12, 2]}})
    diagram = scene.diagram
    assert len(diagram.neurons[1]) == 7 and 11 in diagram.neurons[1]
    assert len(diagram.edges[0]) == 3 * 7
    assert any(getattr(m, "text", None) == "12" for m in diagram.columns[1].get_family())


def test_loss_scene_shows_prediction_target_and_loss(media):
    scene = dry_run(OuchMoment, media)
    t = scene.trace
    meter = scene.guess_rows[0]
    assert meter.guess_label[1].value == t.prediction[0]
    assert meter.truth_label[1].value == t.target[0]
    result = scene.loss_lines[-1]
    assert result.values == [t.loss]


def test_backpropagation_update_and_better_loss(media):
    scene = dry_run(scenes.Backpropagation, media)
    after = trace(scene.stepped, scene.sample_input, scene.sample_target, scene.cfg.loss)
    assert after.loss < scene.trace.loss
    assert scene.after.loss in scene.displayed_numbers
    l, j, i = scene.focus_weight
    assert scene.stepped.weights[l][j, i] in scene.displayed_numbers


def test_gradient_descent_walks_downhill_and_overshoots(media):
    scene = dry_run(GradientDescent, media)
    assert np.all(np.diff(scene.path.losses) < 0)
    slopes = scene.big_path.slopes
    assert np.any(np.sign(slopes[1:]) != np.sign(slopes[:-1])), "the big steps cross the valley"
    assert scene.eta in scene.displayed_numbers and scene.big_eta in scene.displayed_numbers


def test_training_ends_better_than_it_starts(media):
    scene = dry_run(Training, media)
    assert scene.history.losses[-1] < scene.history.losses[0]
    assert scene.history.losses[-1] in scene.displayed_numbers


def test_training_on_a_2d_dataset_draws_the_decision_boundary(media):
    x = [[0, 0], [0, 1], [1, 0], [1, 1]]
    scene = dry_run(Training, media, {"network": {"layers": [2, 4, 1], "activations":
                                                  ["tanh", "sigmoid"]},
                                      "data": {"input": x, "target": [[0], [1], [1], [0]]},
                                      "training": {"epochs": 300, "learning_rate": 2.0,
                                                   "loss": "bce"}})
    assert scene.boundary
    first, last = scene.boundary_picture(0), scene.picture
    colors = [np.array([c.get_fill_color().to_rgb() for c in cells]) for cells in (first, last)]
    assert len(colors[1]) == 400 and colors[1].std(axis=0).max() > 0.1, "two regions"
    assert np.abs(colors[1] - colors[0]).max() > 0.2, "the boundary moved while training"


def test_beats_pace_the_narration(media):
    scene = dry_run(OuchMoment, media)
    for (name, text, start, end), (_, _, next_start, _) in zip(scene.beat_log,
                                                               scene.beat_log[1:] + [(0, 0, 0, 0)]):
        assert end - start >= reading_time(text) - 1e-9
        assert text == scene.narration[name].format(**scene.story_numbers())
    starts = [start for _, _, start, _ in scene.beat_log]
    ends = [end for *_, end in scene.beat_log]
    assert starts[1:] == ends[:-1], "beats follow each other without gaps"
    assert ends[-1] == pytest.approx(scene.time)


def test_explainer_tells_the_whole_story(media):
    scene = dry_run(BackpropExplainer, media)
    assert 180 <= scene.time <= 300, f"3 to 5 minutes, got {scene.time:.0f} s"
    assert [b for b, *_ in scene.beat_log] == list(BackpropExplainer.beats)
    assert set(scene.displayed_numbers) <= engine_numbers(scene) | engine_numbers(
        dry_run(GradientDescent, media)) | engine_numbers(dry_run(Training, media))


def test_explainer_parts_do_not_share_names():
    cooperative = {"setup", "story_numbers", "beats", "narration", "__doc__", "__module__",
                   "__qualname__", "__firstlineno__", "__static_attributes__"}
    seen = {}
    for part in PARTS:
        for name in vars(part):
            assert name in cooperative or name not in seen, f"{part.__name__} and {seen[name]}"
            seen[name] = part.__name__


def test_numbers_and_formulas_keep_their_values(media):
    from scenes.theme import DARK
    assert fmt(0.0133) == "0.013" and fmt(-1.3632) == "-1.36" and fmt(-0.0) == "0.00"
    with tempconfig({"media_dir": str(media)}):  # Manim caches text and formulas there
        assert Number(-0.31840246, DARK).text == f"{MINUS}0.32"
        formula = Formula("z = ", -0.5, " dot ", -0.25, font_size=30)
    assert formula.values == [-0.5, -0.25]
    assert formula.typst_code == "$ z = -0.50 dot (-0.25) $"


def test_every_scene_is_importable_by_name():
    for name, cls in scenes.SCENES.items():
        assert getattr(scenes, name) is cls and issubclass(cls, ExplainerScene)
        assert cls.__doc__.strip(), f"{name} has a one-line description"
        assert set(cls.beats) <= set(cls.narration)
