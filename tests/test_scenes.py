"""Every scene builds (a dry run), plays its beats in order, paces them by their sentences,
and shows only numbers read from the story's report, each equal to the value at its path
in `trace --json` for the same config.

Quick tests share conftest's `story_run` dry runs of each part scene (default network,
16:9); other networks, a changed scene, reordered parts and the explainer are slow."""

import pytest
from manim import tempconfig

import scenes
from scenes.kit.base import ExplainerScene, Part, reading_time
from scenes.kit.labels import MINUS, Formula, Number, Sourced, agreeing_digits, fmt
from scenes.kit.theme import DARK

from conftest import CONFIG_PARAMS, CONFIGS, check_numbers, dry_run

PART_SCENES = [cls for name, cls in scenes.SCENES.items() if name != "BackpropExplainer"]


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.mark.parametrize("config", CONFIG_PARAMS)
@pytest.mark.parametrize("scene_class", PART_SCENES, ids=lambda c: c.__name__)
def test_scene_shows_only_report_numbers(scene_class, config, story_run):
    scene = story_run(scene_class, config)
    assert [beat["name"] for beat in scene.beat_log] == list(scene_class.beats)
    shown = check_numbers(scene, CONFIGS[config])
    if scene_class is not scenes.NetworkAnatomy:
        assert len(shown) >= 5, "the scene shows real numbers"


@pytest.mark.slow
def test_explainer_tells_the_whole_story(story_run):
    scene = story_run(scenes.BackpropExplainer)
    assert [beat["name"] for beat in scene.beat_log] == list(scenes.BackpropExplainer.beats)
    assert 180 <= scene.time <= 600, f"3 to 10 minutes, got {scene.time:.0f} s"
    check_numbers(scene, {})


def test_beats_follow_each_other_and_last_their_sentence(story_run):
    scene = story_run(scenes.OuchMoment)
    log = scene.beat_log
    for beat in log:
        assert beat["end"] - beat["start"] >= reading_time(beat["narration"]) - 1e-9
    assert [b["start"] for b in log[1:]] == [b["end"] for b in log[:-1]]
    assert log[-1]["end"] == pytest.approx(scene.time)


@pytest.mark.slow
def test_a_subclass_changes_a_sentence_and_the_config(media):
    sentence = "Two numbers describe the picture: {inputs}."
    scene = dry_run(scenes.ForwardPass, media, {"network": {"layers": [2, 3, 1]}},
                    narration={**scenes.ForwardPass.narration, "inputs_enter": sentence})
    said = {beat["name"]: beat["narration"] for beat in scene.beat_log}
    assert said["inputs_enter"] == sentence.format(inputs="input 1 and input 2")
    assert scene.cfg.network.layers == [2, 3, 1]


@pytest.mark.slow
def test_parts_start_from_their_own_state(story_run):
    """Parts joined in another order still build: none relies on another's leftovers."""
    from scenes.story.cost import Cost
    from scenes.story.forward import Forward

    class Reordered(ExplainerScene):
        parts = (Cost, Forward)

    scene = story_run(Reordered)
    assert [beat["name"] for beat in scene.beat_log] == list(Reordered.beats)


def test_the_explainer_is_its_parts_joined():
    explainer = scenes.BackpropExplainer
    assert explainer.parts == scenes.PARTS
    parts_beats = [b for cls in scenes.SCENES.values() if cls is not explainer
                   for b in cls.beats]
    assert set(parts_beats) <= set(explainer.beats)
    assert len(explainer.beats) == len(set(explainer.beats)), "beat names are unique"
    assert set(explainer.beats) == set(explainer.narration)


def test_every_scene_is_importable_by_name():
    for name, cls in scenes.SCENES.items():
        assert getattr(scenes, name) is cls and issubclass(cls, ExplainerScene)
        assert cls.__doc__.strip(), f"{name} has a one-line description"
        assert all(issubclass(part, Part) for part in cls.parts)


def test_numbers_keep_their_values_and_sources(media):
    assert fmt(0.0133) == "0.013" and fmt(-1.3632) == "-1.36" and fmt(-0.0) == "0.00"
    assert fmt(-0.004, 1) == "-0.004" and fmt(21, 0) == "21" and fmt(-0.0001, 2) == "-0.00010"
    with tempconfig({"media_dir": str(media)}):  # Manim caches text and formulas there
        number = Number(Sourced(-0.31840246, "prediction[0][0]"), DARK)
        formula = Formula("z = ", Sourced(-0.5, "a"), " dot ", -0.25, font_size=30)
    assert number.text == f"{MINUS}0.32" and number.source == "prediction[0][0]"
    assert formula.numbers == [(-0.5, "-0.50", "a"), (-0.25, "-0.25", None)]
    assert formula.typst == "z = -0.50 dot (-0.25)"


def test_written_products_agree_with_their_result():
    factors = [-0.6816, 0.2171, 0.6895]
    product = factors[0] * factors[1] * factors[2]
    digits = agreeing_digits(factors, product, lambda f: f[0] * f[1] * f[2])
    written = [float(fmt(f, digits)) for f in factors]
    assert fmt(written[0] * written[1] * written[2]) == fmt(product)
