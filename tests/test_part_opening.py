"""The opening parts (hook, anatomy, forward pass, the cost, recap) in dry runs: the one
cost defined from both pictures' losses, written relations that hold as written, and
every number shown read from its report path."""

import pytest

from scenes import ForwardPass, NetworkAnatomy, OuchMoment
from scenes.kit.base import ExplainerScene
from scenes.kit.labels import Formula, fmt
from scenes.story.bookends import Recap, Title

from conftest import CONFIG_PARAMS, CONFIGS, check_numbers


class Bookends(ExplainerScene):
    parts = (Title, Recap)


@pytest.fixture(scope="module", params=CONFIG_PARAMS)
def cost_scene(request, story_run):
    """(the cost part's shared dry run with a network of CONFIGS, its overrides)."""
    return story_run(OuchMoment, request.param), CONFIGS[request.param]


@pytest.fixture(scope="module", params=[p for p in CONFIG_PARAMS if p.values[0] != "4-8-8-3"])
def forward_scene(request, story_run):
    """(the forward part's shared dry run, sigmoid or softmax output, its overrides)."""
    return story_run(ForwardPass, request.param), CONFIGS[request.param]


def formulas_on_screen(scene) -> list[Formula]:
    return [m for m in scene.get_mobject_family_members() if isinstance(m, Formula)]


def beat(scene, name: str) -> dict:
    return next(b for b in scene.beat_log if b["name"] == name)


def test_cost_shows_both_losses_and_their_mean(cost_scene):
    cost_scene, _ = cost_scene
    shown = {n["source"] for n in beat(cost_scene, "average")["numbers"]}
    assert {"samples[0].loss", "samples[1].loss", "loss"} <= shown


def test_written_mean_agrees_at_the_shown_precision(cost_scene):
    cost_scene, _ = cost_scene
    samples = [f"samples[{k}].loss" for k in range(len(cost_scene.report["samples"]))]
    means = [f for f in formulas_on_screen(cost_scene)
             if [source for _, _, source in f.numbers] == samples]
    results = [f for f in formulas_on_screen(cost_scene)
               if [source for _, _, source in f.numbers] == ["loss"]]
    assert means and results
    written = [float(text) for _, text, _ in means[0].numbers]
    assert fmt(sum(written) / len(written)) == results[0].numbers[0][1]


def test_forward_written_sum_agrees(forward_scene):
    forward_scene, _ = forward_scene
    report = forward_scene.report
    j = report["focus"]["forward_neuron"]
    numbers = beat(forward_scene, "weighted_sum")["numbers"]
    text = {n["source"]: n["text"] for n in numbers}
    n_inputs = len(report["samples"][0]["input"])
    total = sum(float(text[f"layers[0].W[{j}][{i}]"]) * float(text[f"samples[0].input[{i}]"])
                for i in range(n_inputs)) + float(text[f"layers[0].b[{j}]"])
    assert fmt(total) == text[f"samples[0].layers[0].z[{j}]"]


def test_every_number_resolves(cost_scene, forward_scene, story_run):
    for scene, overrides in (cost_scene, forward_scene):
        assert check_numbers(scene, overrides)
    assert check_numbers(story_run(NetworkAnatomy), {})


@pytest.mark.slow
def test_bookends_are_short_and_move(story_run):
    scene = story_run(Bookends)
    hook, title, recap = scene.beat_log
    assert title["end"] <= 15.0                    # the hook and the title card
    assert recap["end"] - recap["start"] <= 20.0
    assert any("machineslearnfrommistakes" in t["text"].replace(" ", "") for t in title["texts"])
