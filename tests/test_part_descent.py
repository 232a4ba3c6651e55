"""Parts 4, 6, 7 and 8 (gradient, update, descent, training), from dry runs: what they
write agrees with the report, the article's labels stay together, the charts have ticks."""

import pytest

from backprop_core.story import lookup
from scenes import GradientDescent, TheUpdate, Training, WhatIsAGradient
from scenes.kit.labels import fmt
from scenes.kit.layout import box_of, scale_in
from scenes.story.gradient import landscape_chart, side_boxes

from conftest import CONFIG_PARAMS, FRAMES

# Frame shapes as test parameters: 16:9 quick, the others slow.
FRAME_PARAMS = [pytest.param(name, marks=() if name == "16:9" else pytest.mark.slow)
                for name in FRAMES]

PARTS = {"gradient": WhatIsAGradient, "update": TheUpdate, "descent": GradientDescent,
         "training": Training}


@pytest.fixture
def run(story_run):
    """`run(part, config)`: the part's shared dry run (conftest's `story_run`) as (beats
    by name, report)."""
    def beats(part: str, config: str = "default"):
        scene = story_run(PARTS[part], config)
        return {beat["name"]: beat for beat in scene.beat_log}, scene.report
    return beats


def shown(beat: dict, source: str) -> dict:
    """The number shown at the end of `beat` from `source`."""
    found = [n for n in beat["numbers"] if n["source"] == source]
    assert found, f"{source} is shown in {beat['name']}"
    return found[0]


def texts(beat: dict) -> dict:
    """Boxes of the texts on screen at the end of `beat`, by their words without spaces
    (as Manim keeps them)."""
    return {t["text"].replace(" ", ""): t["box"] for t in beat["texts"]}


def focus(report) -> tuple[int, int, int]:
    return tuple(report["focus"]["weight"])


@pytest.mark.parametrize("config", CONFIG_PARAMS)
def test_update_writes_a_result_that_agrees(config, run):
    beats, report = run("update", config)
    l, j, i = focus(report)
    rule = beats["rule"]
    w = float(shown(rule, f"layers[{l}].W[{j}][{i}]")["text"])
    eta = float(shown(rule, "learning_rate")["text"])
    grad = float(shown(rule, f"layers[{l}].grad_W[{j}][{i}]")["text"])
    result = shown(rule, f"next.weights[{l}][{j}][{i}]")["text"]
    assert fmt(w - eta * grad) == result


@pytest.mark.parametrize("config", CONFIG_PARAMS)
def test_first_step_on_the_curve_is_the_update(config, run):
    beats, report = run("update", config)
    l, j, i = focus(report)
    new = report["next"]["weights"][l][j][i]
    assert report["descent"][0]["positions"][1] == pytest.approx(new, abs=1e-12)
    step = shown(beats["first_step"], "descent[0].positions[1]")
    assert step["text"] == fmt(new)


def test_payoff_sentence_follows_the_numbers(run):
    beats, report = run("update")
    sentence = beats["better"]["narration"]
    for sample, after in zip(report["samples"], report["next"]["samples"]):
        verb = "falls" if after["loss"] < sample["loss"] else "rises"
        assert f"{sample['name']}'s loss {verb}" in sentence
    assert "cost, their mean, falls" in sentence
    assert shown(beats["better"], "next.loss")


@pytest.mark.parametrize("config", CONFIG_PARAMS)
def test_position_and_step_labels_stay_together(config, run):
    beats, report = run("gradient", config)
    for name in ("slope", "step_direction"):
        assert "Wearehere" in texts(beats[name]), name
    end = texts(beats["step_direction"])
    position, step = end["Wearehere"], end["Takeasteptowardstheminimum"]
    assert not (position[0] < step[2] and step[0] < position[2]
                and position[1] < step[3] and step[1] < position[3]), "labels overlap"
    beat = beats["step_direction"]
    assert beat["end"] - beat["start"] >= 3


def gradient_part(story_run, frame: str):
    """The Gradient part of the gradient scene's dry run in `frame`."""
    scene = story_run(WhatIsAGradient, "default", frame)
    return scene, next(part for part, _ in scene.beat_parts if hasattr(part, "chart"))


@pytest.mark.parametrize("frame", FRAME_PARAMS)
def test_we_are_here_covers_neither_the_curve_nor_what_the_dot_shows(frame, story_run):
    _, part = gradient_part(story_run, frame)
    label = box_of(part.position_label[0])
    curve = [part.chart.point(w, loss) for w, loss in part.chart.samples]
    assert not any(label.left <= x <= label.right and label.bottom <= y <= label.top
                   for x, y, _ in curve)
    for drawn in (part.tangent, *part.step_label):
        assert not label.overlaps(box_of(drawn))
    assert part.layout.diagram.contains(label)


@pytest.mark.slow
def test_a_square_chart_takes_the_room_its_panel_leaves(story_run):
    scene, part = gradient_part(story_run, "1:1")
    own = scene.layouts[part]
    assert part.layout.diagram.height > own.diagram.height + 0.1
    assert part.chart.height > landscape_chart(part, own.diagram).height + 0.1
    # ... while the readout comes out as large as in the layout's own panel
    full = part.pieces()[1][0]
    assert part.readout.height >= scale_in(full, side_boxes(own.panel, part.split)[1]) \
        * full.height - 1e-6


@pytest.mark.parametrize("config", CONFIG_PARAMS)
def test_landscape_has_ticks_from_the_report_and_its_minimum_in_view(config, run):
    beats, report = run("gradient", config)
    landscape = report["landscape"]
    sources = {n["source"] for n in beats["valley"]["numbers"]}
    assert {f"landscape.weight_ticks[{k}]" for k in range(len(landscape["weight_ticks"]))} \
        <= sources
    assert {f"landscape.loss_ticks[{k}]" for k in range(len(landscape["loss_ticks"]))} <= sources
    assert landscape["loss_ticks"][0] == 0.0, "the loss axis starts at 0"
    minimum = landscape["minimum"]["weight"]
    assert landscape["values"][0] < minimum < landscape["values"][-1]


@pytest.mark.parametrize("config", CONFIG_PARAMS)
def test_descent_readouts_follow_each_walk(config, run):
    beats, report = run("descent", config)
    for k, name in enumerate(("small_steps", "visible_steps", "overshoot")):
        last = len(report["descent"][k]["positions"]) - 1
        for field in ("positions", "losses", "slopes"):
            shown(beats[name], f"descent[{k}].{field}[{last}]")
        rate = shown(beats[name], f"descent[{k}].learning_rate")
        assert rate["text"] in beats[name]["narration"], "the rate is said as written"


@pytest.mark.parametrize("config", CONFIG_PARAMS)
def test_training_ends_on_the_last_keyframe(config, run):
    beats, report = run("training", config)
    training = report["training"]
    last = training["predictions"][-1]
    claim = beats["result"]["narration"]
    assert f"After {training['keyframes'][-1]} epochs" in claim
    targets = report["target"]
    for n, target in enumerate(targets):
        k = target.index(max(target))
        assert fmt(last[n][k]) in claim
    learnt = all(abs(last[n][t.index(max(t))] - max(t)) < 0.2 for n, t in enumerate(targets))
    assert ("Not there yet" in claim) != learnt
    sources = {n["source"] for n in beats["result"]["numbers"]}
    assert any(s.startswith(f"training.predictions[{len(training['keyframes']) - 1}]")
               for s in sources)
    # The cost axis is numbered from the trace's ticks (from 0), at least two of them; a
    # chart too short for all of them drops those that would touch.
    ticks = {s for s in sources if s.startswith("training.loss_ticks[")}
    assert "training.loss_ticks[0]" in ticks and len(ticks) >= 2


@pytest.mark.parametrize("config", CONFIG_PARAMS)
@pytest.mark.parametrize("part", PARTS)
def test_every_shown_number_resolves_to_its_source(part, config, run):
    beats, report = run(part, config)
    for beat in beats.values():
        for number in beat["numbers"]:
            assert number["source"], f"{beat['name']}: {number['text']} has no source"
            assert lookup(report, number["source"]) == number["value"], number
