"""One forward and backward pass with every intermediate value recorded."""

from dataclasses import dataclass

import numpy as np

from .activations import get_activation
from .losses import get_loss
from .network import Network


@dataclass(frozen=True)
class LayerTrace:
    """Everything about one non-input layer during one pass.

    Per-sample arrays (`z`, `a`, `grad_z`, `grad_a`) are 1-D for a single sample
    and (samples, units) for a batch; `grad_W` and `grad_b` are those of the loss,
    which is the mean over samples.
    """

    activation: str
    W: np.ndarray
    b: np.ndarray
    z: np.ndarray
    a: np.ndarray
    grad_z: np.ndarray
    grad_a: np.ndarray
    grad_W: np.ndarray
    grad_b: np.ndarray


@dataclass(frozen=True)
class Trace:
    """A full forward + backward pass: input, target, prediction, loss and layers."""

    input: np.ndarray
    target: np.ndarray
    prediction: np.ndarray
    loss: float
    layers: list[LayerTrace]

    def activations_of(self, layer: int) -> np.ndarray:
        """Activations of layer `layer`, counting the input layer as 0."""
        return self.input if layer == 0 else self.layers[layer - 1].a

    def stepped(self, learning_rate: float) -> Network:
        """The network after one gradient-descent step: W ← W − η·dL/dW, same for b."""
        return Network([l.W - learning_rate * l.grad_W for l in self.layers],
                       [l.b - learning_rate * l.grad_b for l in self.layers],
                       [l.activation for l in self.layers])


def trace(network: Network, x, y, loss: str) -> Trace:
    """Run `x` forward through `network`, score it against `y` with `loss`, run backward.

    `x` and `y` are one sample (1-D) or a batch (2-D, samples first).
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    single = x.ndim == 1
    xs, ys = np.atleast_2d(x), np.atleast_2d(y)
    loss_fn = get_loss(loss)

    steps = network.forward(xs)
    prediction = steps[-1][1]
    grad_a = loss_fn.gradient(prediction, ys)
    inputs = [xs] + [a for _, a in steps[:-1]]
    backward = []
    for l in reversed(range(len(steps))):
        z, a = steps[l]
        grad_z = get_activation(network.activations[l]).backward(z, a, grad_a)
        backward.append((grad_a, grad_z, grad_z.T @ inputs[l], grad_z.sum(axis=0)))
        if l > 0:  # the input layer needs no gradient
            grad_a = grad_z @ network.weights[l]
    backward.reverse()

    def per_sample(arr):
        return arr[0] if single else arr

    layers = [
        LayerTrace(act, w.copy(), b.copy(), per_sample(z), per_sample(a),
                   per_sample(g_z), per_sample(g_a), g_w, g_b)
        for act, w, b, (z, a), (g_a, g_z, g_w, g_b)
        in zip(network.activations, network.weights, network.biases, steps, backward)
    ]
    return Trace(x, y, per_sample(prediction), float(loss_fn.value(prediction, ys)), layers)


def loss_at(network: Network, x, y, loss: str) -> float:
    """The loss of `network` on (x, y), forward pass only."""
    return float(get_loss(loss).value(np.atleast_2d(network.predict(x)),
                                      np.atleast_2d(np.asarray(y, dtype=float))))
