"""Loss definitions, numerical stability, SGD steps, training and determinism."""

import warnings

import numpy as np
import pytest

from backprop_core import ACTIVATIONS, Network, get_loss, loss_at, sgd_step, trace, train, xor


def test_losses_follow_their_definitions():
    a = np.array([[0.2, 0.7], [0.9, 0.4]])
    y = np.array([[0.0, 1.0], [1.0, 0.0]])
    assert get_loss("mse").value(a, y) == pytest.approx(np.mean((a - y) ** 2))
    bce = -np.mean(y * np.log(a) + (1 - y) * np.log(1 - a))
    assert get_loss("bce").value(a, y) == pytest.approx(bce)
    p = np.array([[0.1, 0.6, 0.3], [0.8, 0.15, 0.05]])
    onehot = np.array([[0, 1, 0], [1, 0, 0]])
    assert get_loss("cross_entropy").value(p, onehot) == pytest.approx(
        -(np.log(0.6) + np.log(0.8)) / 2)


def test_extreme_values_stay_finite_without_warnings():
    z = np.array([-1e4, -800.0, 0.0, 800.0, 1e4])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for act in ACTIVATIONS.values():
            assert np.all(np.isfinite(act(z)))
            assert np.all(np.isfinite(act.derivative(z)))
        a = np.array([[0.0, 1.0]])
        y = np.array([[1.0, 0.0]])
        for name in ("mse", "bce", "cross_entropy"):
            assert np.isfinite(get_loss(name).value(a, y))
            assert np.all(np.isfinite(get_loss(name).gradient(a, y)))
    np.testing.assert_allclose(ACTIVATIONS["softmax"](np.array([1000.0, 1000.0])), [0.5, 0.5])


def test_sgd_step_moves_against_the_gradient_and_lowers_the_loss():
    net = Network.initialise([3, 4, 1], ["sigmoid", "sigmoid"], seed=10)
    x, y = np.array([0.9, 0.8, 0.1]), np.array([1.0])
    t = trace(net, x, y, "mse")
    stepped = t.stepped(0.5)
    for l, layer in enumerate(t.layers):
        np.testing.assert_allclose(stepped.weights[l], layer.W - 0.5 * layer.grad_W)
        np.testing.assert_allclose(stepped.biases[l], layer.b - 0.5 * layer.grad_b)
    assert loss_at(stepped, x, y, "mse") < t.loss
    assert sgd_step(net, x, y, "mse", 0.5).weights[0].tolist() == stepped.weights[0].tolist()
    assert net.weights[0].tolist() == t.layers[0].W.tolist(), "the original network is untouched"


def test_training_learns_xor():
    x, y = xor()
    net = Network.initialise([2, 4, 1], ["tanh", "sigmoid"], seed=1)
    history = train(net, x, y, "bce", learning_rate=1.0, epochs=1500)
    assert len(history.losses) == len(history.networks) == len(history.predictions) == 1501
    assert history.losses[0] > 0.6
    assert history.losses[-1] < 0.05
    np.testing.assert_array_equal(np.round(history.predictions[-1]), y)
    assert history.losses[-1] == pytest.approx(loss_at(history.networks[-1], x, y, "bce"))


def test_same_seed_gives_the_same_numbers():
    def run(seed):
        net = Network.initialise([2, 3, 2], ["relu", "softmax"], seed)
        return trace(net, [0.5, -0.2], [0.0, 1.0], "cross_entropy")
    a, b, c = run(4), run(4), run(5)
    assert a.loss == b.loss
    np.testing.assert_array_equal(a.layers[0].grad_W, b.layers[0].grad_W)
    assert a.loss != c.loss


def test_initialisation_scale_follows_the_activation():
    he = Network.initialise([200, 200], ["relu"], seed=0).weights[0]
    xavier = Network.initialise([200, 200], ["tanh"], seed=0).weights[0]
    assert np.std(he) == pytest.approx(np.sqrt(2 / 200), rel=0.05)
    assert np.std(xavier) == pytest.approx(np.sqrt(2 / 400), rel=0.05)
