"""Parts 4, 6, 7 and 8 (gradient, update, descent, training), from dry runs: what they
write agrees with the report, the article's labels stay together, the charts have ticks."""

import functools

import pytest
from manim import tempconfig

from backprop_core.story import lookup
from scenes.kit.base import ExplainerScene
from scenes.kit.labels import fmt
from scenes.story.descent import Descent
from scenes.story.gradient import Gradient
from scenes.story.training import Train
from scenes.story.update import Update

CONFIGS = {
    "default": {},
    "2-4-4-2": {"network": {"layers": [2, 4, 4, 2], "activations": ["tanh", "tanh", "softmax"]},
                "training": {"loss": "cross_entropy"}},
    "4-8-8-3": {"network": {"layers": [4, 8, 8, 3]}},
}
PARTS = {"gradient": Gradient, "update": Update, "descent": Descent, "training": Train}


@functools.cache
def run(part: str, config: str = "default"):
    """Dry run of one part as its own scene; (beats by name, report, frame width/height)."""
    cls = type(f"Test{PARTS[part].__name__}", (ExplainerScene,),
               {"parts": (PARTS[part],), "overrides": CONFIGS[config]})
    with tempconfig({"dry_run": True, "media_dir": "/tmp/test-part-descent",
                     "verbosity": "WARNING", "progress_bar": "none"}):
        scene = cls(skip_animations=True)
        scene.render()
    beats = {beat["name"]: beat for beat in scene.beat_log}
    return beats, scene.report


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


@pytest.mark.parametrize("config", CONFIGS)
def test_update_writes_a_result_that_agrees(config):
    beats, report = run("update", config)
    l, j, i = focus(report)
    rule = beats["rule"]
    w = float(shown(rule, f"layers[{l}].W[{j}][{i}]")["text"])
    eta = float(shown(rule, "learning_rate")["text"])
    grad = float(shown(rule, f"layers[{l}].grad_W[{j}][{i}]")["text"])
    result = shown(rule, f"next.weights[{l}][{j}][{i}]")["text"]
    assert fmt(w - eta * grad) == result


@pytest.mark.parametrize("config", CONFIGS)
def test_first_step_on_the_curve_is_the_update(config):
    beats, report = run("update", config)
    l, j, i = focus(report)
    new = report["next"]["weights"][l][j][i]
    assert report["descent"][0]["positions"][1] == pytest.approx(new, abs=1e-12)
    step = shown(beats["first_step"], "descent[0].positions[1]")
    assert step["text"] == fmt(new)


def test_payoff_sentence_follows_the_numbers():
    beats, report = run("update")
    sentence = beats["better"]["narration"]
    for sample, after in zip(report["samples"], report["next"]["samples"]):
        verb = "falls" if after["loss"] < sample["loss"] else "rises"
        assert f"{sample['name']}'s loss {verb}" in sentence
    assert "cost, their mean, falls" in sentence
    assert shown(beats["better"], "next.loss")


@pytest.mark.parametrize("config", CONFIGS)
def test_position_and_step_labels_stay_together(config):
    beats, report = run("gradient", config)
    for name in ("slope", "step_direction"):
        assert "CurrentPosition" in texts(beats[name]), name
    end = texts(beats["step_direction"])
    position, step = end["CurrentPosition"], end["Takeasteptowardstheminimum"]
    assert not (position[0] < step[2] and step[0] < position[2]
                and position[1] < step[3] and step[1] < position[3]), "labels overlap"
    beat = beats["step_direction"]
    assert beat["end"] - beat["start"] >= 3


@pytest.mark.parametrize("config", CONFIGS)
def test_landscape_has_ticks_from_the_report_and_its_minimum_in_view(config):
    beats, report = run("gradient", config)
    landscape = report["landscape"]
    sources = {n["source"] for n in beats["valley"]["numbers"]}
    assert {f"landscape.weight_ticks[{k}]" for k in range(len(landscape["weight_ticks"]))} \
        <= sources
    assert {f"landscape.loss_ticks[{k}]" for k in range(len(landscape["loss_ticks"]))} <= sources
    assert landscape["loss_ticks"][0] == 0.0, "the loss axis starts at 0"
    minimum = landscape["minimum"]["weight"]
    assert landscape["values"][0] < minimum < landscape["values"][-1]


@pytest.mark.parametrize("config", CONFIGS)
def test_descent_readouts_follow_each_walk(config):
    beats, report = run("descent", config)
    for k, name in enumerate(("small_steps", "visible_steps", "overshoot")):
        last = len(report["descent"][k]["positions"]) - 1
        for field in ("positions", "losses", "slopes"):
            shown(beats[name], f"descent[{k}].{field}[{last}]")
        rate = shown(beats[name], f"descent[{k}].learning_rate")
        assert rate["text"] in beats[name]["narration"], "the rate is said as written"


@pytest.mark.parametrize("config", CONFIGS)
def test_training_ends_on_the_last_keyframe(config):
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
    assert {f"training.loss_ticks[{k}]" for k in range(len(training["loss_ticks"]))} <= sources


@pytest.mark.parametrize("config", CONFIGS)
@pytest.mark.parametrize("part", PARTS)
def test_every_shown_number_resolves_to_its_source(part, config):
    beats, report = run(part, config)
    for beat in beats.values():
        for number in beat["numbers"]:
            assert number["source"], f"{beat['name']}: {number['text']} has no source"
            assert lookup(report, number["source"]) == number["value"], number
