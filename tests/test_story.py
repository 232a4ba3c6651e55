"""The story's numbers: one cost, its gradients, the nudge, the walks and the refusals."""

import json

import numpy as np
import pytest

from backprop_core import ConfigError, load_config, loss_at
from backprop_core.losses import get_loss
from backprop_core.report import trace_json, trace_table
from backprop_core.story import first_non_finite, lookup, nice_ticks, story_of

CONFIGS = {
    "default": {},
    "2-4-4-2": {"network": {"layers": [2, 4, 4, 2], "activations": ["tanh", "tanh", "softmax"]},
                "training": {"loss": "cross_entropy"}},
    "4-8-8-3": {"network": {"layers": [4, 8, 8, 3]}},
}


@pytest.fixture(scope="module", params=CONFIGS)
def story(request):
    return story_of(load_config(overrides=CONFIGS[request.param]))


def own_loss(network, x, y, loss):
    """The loss recomputed here from a plain forward pass."""
    a = np.atleast_2d(x)
    for w, b, name in zip(network.weights, network.biases, network.activations):
        z = a @ w.T + b
        a = {"sigmoid": lambda v: 1 / (1 + np.exp(-v)), "tanh": np.tanh,
             "softmax": lambda v: np.exp(v) / np.exp(v).sum(axis=1, keepdims=True)}[name](z)
    return get_loss(loss).value(a, np.atleast_2d(y))


def test_the_cost_is_the_mean_of_the_samples_losses(story):
    report = story.report
    losses = [s["loss"] for s in report["samples"]]
    assert len(losses) >= 2, "the story compares at least two samples"
    assert report["loss"] == pytest.approx(np.mean(losses), rel=1e-12)
    cfg = story.config
    for sample, x, y in zip(report["samples"], cfg.input, cfg.target):
        assert sample["loss"] == pytest.approx(own_loss(cfg.network, x, y, cfg.loss), rel=1e-9)


def test_the_cost_gradient_is_the_mean_of_the_samples_gradients(story):
    report = story.report
    for l, layer in enumerate(report["layers"]):
        per_sample = [s["layers"][l]["grad_W"] for s in report["samples"]]
        np.testing.assert_allclose(layer["grad_W"], np.mean(per_sample, axis=0), atol=1e-14)


def test_the_cost_gradient_matches_finite_differences(story):
    cfg = story.config
    l, j, i = story.report["focus"]["weight"]
    w = cfg.network.weights[l][j, i]
    h = 1e-6
    up = own_loss(cfg.network.with_weight(l, j, i, w + h), cfg.input, cfg.target, cfg.loss)
    down = own_loss(cfg.network.with_weight(l, j, i, w - h), cfg.input, cfg.target, cfg.loss)
    assert story.report["layers"][l]["grad_W"][j][i] == pytest.approx((up - down) / (2 * h),
                                                                     rel=1e-5)


def test_the_nudge_moves_z_a_and_the_loss_by_what_the_chain_rule_says(story):
    nudge, report = story.report["nudge"], story.report
    l, j, i = nudge["weight"]
    sample = report["samples"][nudge["sample"]]
    previous = sample["input"] if l == 0 else sample["layers"][l - 1]["a"]
    assert nudge["dz"] == pytest.approx(nudge["epsilon"] * previous[i], rel=1e-9)
    assert nudge["ratio"] == pytest.approx(sample["layers"][l]["grad_W"][j][i], rel=0.05)
    assert nudge["ratio"] == pytest.approx(nudge["dloss"] / nudge["epsilon"])


def test_one_step_lowers_the_cost_and_next_is_that_step(story):
    cfg, report = story.config, story.report
    l, j, i = report["focus"]["weight"]
    expected = (report["layers"][l]["W"][j][i]
                - cfg.learning_rate * report["layers"][l]["grad_W"][j][i])
    assert report["next"]["weights"][l][j][i] == pytest.approx(expected)
    assert report["next"]["loss"] < report["loss"]
    assert report["next"]["loss"] == pytest.approx(loss_at(story.stepped, cfg.input,
                                                           cfg.target, cfg.loss))


def test_the_first_walk_uses_the_configs_learning_rate_and_lands_on_next(story):
    report = story.report
    first = report["descent"][0]
    assert first["learning_rate"] == story.config.learning_rate
    l, j, i = report["focus"]["weight"]
    assert first["positions"][1] == pytest.approx(report["next"]["weights"][l][j][i])
    assert first["slopes"][0] == pytest.approx(report["layers"][l]["grad_W"][j][i])


def test_the_landscape_shows_its_minimum_and_the_walks(story):
    land = story.report["landscape"]
    low, high = land["values"][0], land["values"][-1]
    assert low < land["minimum"]["weight"] < high, "the real minimum is in view"
    for walk in story.report["descent"]:
        assert low <= min(walk["positions"]) and max(walk["positions"]) <= high
    assert land["loss_ticks"][0] == 0.0 and land["loss_ticks"][-1] <= max(land["losses"])


def test_story_rates_come_from_the_config():
    story = story_of(load_config(overrides={"story": {"descent_learning_rate": 3.0,
                                                      "overshoot_learning_rate": 20.0}}))
    assert [d["learning_rate"] for d in story.report["descent"]] == [0.5, 3.0, 20.0]


def test_every_report_number_is_finite_and_the_json_is_strict(story):
    text = json.dumps(story.report, allow_nan=False)
    assert first_non_finite(json.loads(text)) is None


@pytest.mark.parametrize("overrides, culprit", [
    ({"training": {"learning_rate": 1e300}, "network": {"activation": "linear"}},
     "training.learning_rate"),
    ({"data": {"input": [1e300, 1, 1]}, "network": {"activation": "linear"}}, "data.input"),
    ({"story": {"descent_learning_rate": 1e300}, "network": {"activation": "linear"}},
     "story.descent_learning_rate"),
])
def test_configs_whose_numbers_overflow_are_refused(overrides, culprit):
    with pytest.raises(ConfigError) as err:
        trace_json(load_config(overrides=overrides))
    assert culprit in str(err.value) and "\n" not in str(err.value)


def test_lookup_follows_paths():
    report = {"layers": [{"grad_W": [[1.0, 2.5]]}], "next": {"loss": 0.25}}
    assert lookup(report, "layers[0].grad_W[0][1]") == 2.5
    assert lookup(report, "next.loss") == 0.25


@pytest.mark.parametrize("low, high", [(0, 0.29), (-1.3, 2.2), (0, 500), (0.001, 0.0042)])
def test_nice_ticks_are_round_and_inside(low, high):
    ticks = nice_ticks(low, high)
    assert 2 <= len(ticks) <= 6
    assert all(low - 1e-12 <= t <= high + 1e-12 for t in ticks)
    steps = np.diff(ticks)
    assert np.allclose(steps, steps[0])


def test_the_table_names_the_samples_and_the_cost():
    table = trace_table(load_config())
    assert "cat" in table and "dog" in table and "mean of the 2 samples' mse losses" in table
    assert "-0.0000" not in table
