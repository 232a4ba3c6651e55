"""Activation functions and their derivatives."""

from dataclasses import dataclass
from typing import Callable

import numpy as np


def _sigmoid(z):
    # 0.5 * (1 + tanh(z / 2)) equals 1 / (1 + e^-z) and never overflows.
    return 0.5 * (1.0 + np.tanh(0.5 * z))


def _sigmoid_derivative(z):
    s = _sigmoid(z)
    return s * (1.0 - s)


def _softmax(z):
    shifted = np.exp(z - z.max(axis=-1, keepdims=True))
    return shifted / shifted.sum(axis=-1, keepdims=True)


def _softmax_jacobian(z):
    a = _softmax(z)
    return a[..., :, None] * (np.eye(a.shape[-1]) - a[..., None, :])


LEAKY_SLOPE = 0.01


@dataclass(frozen=True)
class Activation:
    """A named activation: `forward(z)`, `derivative(z)` and the backward product.

    `derivative` is element-wise (da/dz) for every activation except softmax,
    where it is the Jacobian da_j/dz_k with shape (..., n, n).
    """

    name: str
    forward: Callable[[np.ndarray], np.ndarray]
    derivative: Callable[[np.ndarray], np.ndarray]
    elementwise: bool = True

    def __call__(self, z):
        return self.forward(np.asarray(z, dtype=float))

    def backward(self, z, a, grad_a):
        """dL/dz from dL/da at pre-activation `z` with activation `a` (batched on axis 0)."""
        if self.elementwise:
            return grad_a * self.derivative(z)
        return a * (grad_a - np.sum(grad_a * a, axis=-1, keepdims=True))


ACTIVATIONS = {
    act.name: act
    for act in [
        Activation("sigmoid", _sigmoid, _sigmoid_derivative),
        Activation("tanh", np.tanh, lambda z: 1.0 - np.tanh(z) ** 2),
        Activation("relu", lambda z: np.maximum(z, 0.0),
                   lambda z: (z > 0).astype(float)),
        Activation("leaky_relu",
                   lambda z: np.where(z > 0, z, LEAKY_SLOPE * z),
                   lambda z: np.where(z > 0, 1.0, LEAKY_SLOPE)),
        Activation("linear", lambda z: z, np.ones_like),
        Activation("softmax", _softmax, _softmax_jacobian,
                   elementwise=False),
    ]
}


def get_activation(name: str) -> Activation:
    """The activation called `name`; KeyError lists the valid names."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        raise KeyError(f"unknown activation {name!r} (expected one of: {', '.join(ACTIVATIONS)})") from None
