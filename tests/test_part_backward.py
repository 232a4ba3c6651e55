"""Part 5, backpropagation: the output's δ, the nudged chain rule, every hidden layer's δ
and the cost's mean, each number on screen from its report path."""

import math

import pytest
from conftest import CONFIG_PARAMS, CONFIGS, check_numbers

from scenes.story.explainer import Backpropagation
from scenes.kit.labels import fmt


@pytest.fixture(scope="module", params=CONFIG_PARAMS)
def run(request, story_run):
    """(the part's dry run with a network of conftest's CONFIGS, its overrides)."""
    return story_run(Backpropagation, request.param), CONFIGS[request.param]


def beat(scene, name: str) -> dict:
    return next(b for b in scene.beat_log if b["name"] == name)


def sources(scene, name: str) -> set[str]:
    return {n["source"] for n in beat(scene, name)["numbers"]}


def test_every_number_shown_is_its_source(run):
    scene, overrides = run
    assert check_numbers(scene, overrides)


def test_every_hidden_layer_gets_its_deltas(run):
    scene, _ = run
    shown = sources(scene, "wave")
    diagram = scene.beat_parts[0][0].diagram
    # every hidden layer however deep, and the output: each neuron drawn
    for layer, drawn in enumerate(diagram.neurons[1:]):
        assert {f"samples[0].layers[{layer}].grad_z[{j}]" for j in drawn} <= shown


def test_the_nudge_and_its_ratio_are_on_screen(run):
    scene, _ = run
    moved = {"nudge.epsilon", "nudge.dz", "nudge.dloss"}
    if scene.report["network"]["activations"][-1] != "softmax":
        moved.add("nudge.da")
    assert moved <= sources(scene, "nudge")
    assert {"nudge.dloss", "nudge.epsilon", "nudge.ratio"} <= sources(scene, "ratio")


def written(scene, name: str) -> dict[str, str]:
    """{source: text} of the numbers at the end of beat `name`; where the diagram and a
    formula show the same value, the formula's text (drawn later) wins."""
    return {n["source"]: n["text"] for n in beat(scene, name)["numbers"]}


def test_the_chain_rule_as_written_gives_its_written_result(run):
    scene, _ = run
    l, j, i = scene.report["focus"]["weight"]
    texts = written(scene, "factors")
    last = f"samples[0].layers[{l}]"
    softmax = scene.report["network"]["activations"][-1] == "softmax"
    factors = ([f"{last}.grad_z[{j}]"] if softmax else [f"{last}.grad_a[{j}]",
                                                        f"{last}.slope[{j}]"])
    product = math.prod(float(texts[f]) for f in factors + [f"samples[0].layers[{l - 1}].a[{i}]"])
    assert fmt(product) == texts[f"{last}.grad_W[{j}][{i}]"]


def test_a_hidden_neurons_sum_over_its_paths_as_written(run):
    scene, _ = run
    h, k = scene.report["focus"]["hidden"]
    texts = written(scene, "hidden_sum")
    outputs = range(scene.report["network"]["layers"][-1])   # one term per output it feeds
    total = sum(float(texts[f"layers[{h}].W[{n}][{k}]"])
                * float(texts[f"samples[0].layers[{h}].grad_z[{n}]"]) for n in outputs)
    assert fmt(total) == texts[f"samples[0].layers[{h - 1}].grad_a[{k}]"]


def test_the_cost_gradient_is_the_mean_of_the_samples(run):
    scene, _ = run
    l, j, i = scene.report["focus"]["weight"]
    texts = written(scene, "mean")
    count = len(scene.report["samples"])
    shares = [float(texts[f"samples[{n}].layers[{l}].grad_W[{j}][{i}]"]) for n in range(count)]
    assert fmt(sum(shares) / count) == texts[f"layers[{l}].grad_W[{j}][{i}]"]


@pytest.mark.parametrize("config, frame", [
    ("default", "16:9"),
    pytest.param("4-8-8-3", "1:1", marks=pytest.mark.slow),
    pytest.param("4-8-8-3", "16:9", marks=pytest.mark.slow),
    pytest.param("2-4-4-2", "4:3", marks=pytest.mark.slow)])
def test_the_outputs_deltas_stay_clear_of_their_names(config, frame, story_run):
    """Once the hidden sum has written the outputs' δ with its digits, each δ on the row
    of an output's name ends at least a little before it."""
    from scenes.story.backward import BESIDE

    scene = story_run(Backpropagation, config, frame)
    end = beat(scene, "hidden_sum")
    last = len(scene.report["network"]["activations"]) - 1
    deltas = {n["text"].replace("-", "\u2212") for n in end["numbers"]
              if n["source"].startswith(f"samples[0].layers[{last}].grad_z[")}
    names = [t["box"] for t in end["texts"] if t["text"] in scene.cfg.output_labels]
    shown = [t["box"] for t in end["texts"] if t["text"] in deltas]
    assert names and shown
    for left, bottom, right, top in shown:
        for n_left, n_bottom, _, n_top in names:
            if min(top, n_top) - max(bottom, n_bottom) > 0.02 and n_left > left:
                assert n_left - right >= BESIDE - 1e-3
