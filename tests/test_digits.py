"""On one screen, one number is written one way: where a formula writes a number otherwise
than its label on screen (with the digits that make its arithmetic agree with its result),
the label is written anew as the formula writes it (`Part.agree_with`)."""

from collections import defaultdict

import pytest
from manim import LEFT, UP

from conftest import CONFIGS, FRAMES
from scenes.kit.labels import Number, Sourced, digits_writing, written
from scenes.kit.theme import DARK
from scenes.story.explainer import SCENES

# The full explainer with each network in each frame: the default network at 16:9 quick,
# the rest slow (the dry runs the slow layout matrix shares).
RUNS = [pytest.param(network, shape, marks=() if (network, shape) == ("default", "16:9")
                     else pytest.mark.slow)
        for network in CONFIGS for shape in FRAMES]


def written_twice(beats) -> list[str]:
    """"beat: value as texts" for each number some beat shows written two ways."""
    found = []
    for beat in beats:
        texts = defaultdict(set)
        for number in beat["numbers"]:
            texts[number["value"]].add(number["text"])
        found += [f"{beat['name']}: {value} as {sorted(shown)}"
                  for value, shown in texts.items() if len(shown) > 1]
    return found


@pytest.mark.parametrize("network, shape", RUNS)
def test_no_beat_shows_a_number_written_two_ways(network, shape, story_run):
    twice = written_twice(story_run(SCENES["BackpropExplainer"], network, shape).beat_log)
    assert not twice, "\n".join(twice)


@pytest.mark.parametrize("value", [0.46958637918433876, -0.06687181373653568, 0.69, 1.0])
def test_a_rewritten_number_is_the_same_label_written_another_way(value):
    number = Number(Sourced(value, "somewhere"), DARK, color=DARK.gradient)
    number.set_stroke(DARK.background, width=5, background=True).scale(0.7).shift(UP + LEFT)
    for digits in (2, 3, 4):
        text = written(value, digits)
        new = number.rewritten(text, DARK)
        assert (new.shown, new.value, new.source) == (text, value, "somewhere")
        assert digits_writing([(value, text)]) in (None, digits)
        assert new.font_size == pytest.approx(number.font_size)
        assert new.get_center() == pytest.approx(number.get_center())
        assert number.rewritten(text, DARK, LEFT).get_left() == pytest.approx(
            number.get_left())
        assert new[0].get_fill_color() == number[0].get_fill_color()
        assert new[-1].get_stroke_width(background=True) == 5


def test_a_row_meter_keeps_its_gap_when_its_guess_gains_digits():
    from manim import Scene
    from manim.animation.animation import prepare_animation

    from scenes.kit.charts import ROW_BUFF, GuessMeter

    meter = GuessMeter("dog", Sourced(0.324740805514786, "guess"), 0.0, DARK, row=True)
    old = meter.guess_label[1]
    scene = Scene()
    scene.add(meter)
    for animation in map(prepare_animation, meter.rewrite(old, "0.325")):
        animation.begin()
        animation.finish()
        animation.clean_up_from_scene(scene)
    assert meter.guess_label[1].shown == "0.325" and meter.guess_label[1] is not old
    gap = meter.truth_label.get_left()[0] - meter.guess_label.get_right()[0]
    assert gap == pytest.approx(ROW_BUFF, abs=1e-6)
    assert meter.rewrite(Number(0.5, DARK), "0.500") is None
