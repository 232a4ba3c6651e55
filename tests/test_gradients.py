"""Every gradient of the trace agrees with central finite differences."""

import itertools

import numpy as np
import pytest

from backprop_core import Network, get_loss, trace
from backprop_core.activations import ACTIVATIONS

HIDDEN = ["sigmoid", "tanh", "relu", "leaky_relu", "linear"]
OUTPUTS = [("sigmoid", "mse"), ("sigmoid", "bce"), ("linear", "mse"), ("tanh", "mse"),
           ("relu", "mse"), ("softmax", "cross_entropy")]
EPS = 1e-6


def make_case(hidden, output, loss, batch, seed=3):
    rng = np.random.default_rng(seed)
    layers = [3, 4, 5, 3]
    net = Network.initialise(layers, [hidden, hidden, output], seed)
    net.biases = [rng.normal(0, 0.3, n) for n in layers[1:]]
    shape = (6, 3) if batch else (3,)
    x = rng.normal(0, 1, shape)
    if loss == "cross_entropy":
        y = np.eye(3)[rng.integers(0, 3, shape[:-1])]
    else:
        y = rng.uniform(0, 1, shape)
    return net, x, y


def loss_value(net, x, y, loss):
    return get_loss(loss).value(np.atleast_2d(net.predict(x)), np.atleast_2d(y))


def numeric_grad(f, arr):
    grad = np.zeros_like(arr)
    for idx in np.ndindex(arr.shape):
        old = arr[idx]
        arr[idx] = old + EPS
        up = f()
        arr[idx] = old - EPS
        down = f()
        arr[idx] = old
        grad[idx] = (up - down) / (2 * EPS)
    return grad


def tail_loss(net, start, values, y, loss, from_z):
    """The loss when layer `start`'s pre-activation (or activation) is replaced by `values`."""
    a = ACTIVATIONS[net.activations[start]](values) if from_z else values
    rest = Network(net.weights[start + 1:], net.biases[start + 1:], net.activations[start + 1:])
    pred = rest.predict(a) if rest.weights else a
    return get_loss(loss).value(np.atleast_2d(pred), np.atleast_2d(y))


CASES = list(itertools.product(HIDDEN, OUTPUTS, [False, True]))


@pytest.mark.parametrize("hidden,output,batch", CASES,
                         ids=[f"{h}-{o[0]}-{o[1]}-{'batch' if b else 'single'}" for h, o, b in CASES])
def test_gradients_match_finite_differences(hidden, output, batch):
    act, loss = output
    net, x, y = make_case(hidden, act, loss, batch)
    t = trace(net, x, y, loss)
    assert t.loss == pytest.approx(loss_value(net, x, y, loss), rel=1e-12)
    for l, layer in enumerate(t.layers):
        num_w = numeric_grad(lambda: loss_value(net, x, y, loss), net.weights[l])
        num_b = numeric_grad(lambda: loss_value(net, x, y, loss), net.biases[l])
        np.testing.assert_allclose(layer.grad_W, num_w, rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(layer.grad_b, num_b, rtol=1e-5, atol=1e-8)
        z, a = layer.z.copy(), layer.a.copy()
        num_z = numeric_grad(lambda: tail_loss(net, l, z, y, loss, from_z=True), z)
        num_a = numeric_grad(lambda: tail_loss(net, l, a, y, loss, from_z=False), a)
        np.testing.assert_allclose(layer.grad_z, num_z, rtol=1e-5, atol=1e-8)
        np.testing.assert_allclose(layer.grad_a, num_a, rtol=1e-5, atol=1e-8)


def test_per_sample_arrays_keep_the_input_shape():
    net, x, y = make_case("tanh", "sigmoid", "mse", batch=False)
    single = trace(net, x, y, "mse")
    assert single.prediction.shape == (3,) and single.layers[0].z.shape == (4,)
    xb, yb = np.stack([x, -x]), np.stack([y, 1 - y])
    batch = trace(net, xb, yb, "mse")
    assert batch.prediction.shape == (2, 3) and batch.layers[0].grad_a.shape == (2, 4)


def test_batch_gradient_is_the_mean_of_sample_gradients():
    net, x, y = make_case("relu", "softmax", "cross_entropy", batch=True)
    batch = trace(net, x, y, "cross_entropy")
    singles = [trace(net, xi, yi, "cross_entropy") for xi, yi in zip(x, y)]
    assert batch.loss == pytest.approx(np.mean([s.loss for s in singles]))
    for l, layer in enumerate(batch.layers):
        np.testing.assert_allclose(layer.grad_W, np.mean([s.layers[l].grad_W for s in singles], 0))
        np.testing.assert_allclose(layer.z, [s.layers[l].z for s in singles])


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_derivative_matches_finite_differences(name):
    act = ACTIVATIONS[name]
    z = np.array([-2.3, -0.7, 0.4, 1.9])
    numeric = np.array([(act(z + EPS * e) - act(z - EPS * e)) / (2 * EPS) for e in np.eye(4)]).T
    if act.elementwise:
        np.testing.assert_allclose(act.derivative(z), np.diag(numeric), rtol=1e-6)
    else:
        np.testing.assert_allclose(act.derivative(z), numeric, rtol=1e-6, atol=1e-10)
