"""Loss functions on batches: predictions and targets of shape (samples, units)."""

from dataclasses import dataclass
from typing import Callable

import numpy as np

# Probabilities are kept this far from 0 and 1 so that log() stays finite.
EPS = 1e-12


def _clip(a):
    return np.clip(a, EPS, 1.0 - EPS)


def _mse(a, y):
    return np.mean((a - y) ** 2)


def _mse_grad(a, y):
    return 2.0 * (a - y) / a.size


def _bce(a, y):
    p = _clip(a)
    return -np.mean(y * np.log(p) + (1.0 - y) * np.log(1.0 - p))


def _bce_grad(a, y):
    p = _clip(a)
    return (p - y) / (p * (1.0 - p)) / a.size


def _cross_entropy(a, y):
    return -np.sum(y * np.log(_clip(a))) / a.shape[0]


def _cross_entropy_grad(a, y):
    return -y / _clip(a) / a.shape[0]


def _targets_in_unit_interval(y):
    if np.any((y < 0) | (y > 1)):
        return "targets between 0 and 1"
    return None


def _targets_are_distributions(y):
    if np.any(y < 0) or not np.allclose(y.sum(axis=-1), 1.0):
        return "targets that are non-negative and sum to 1 per sample (e.g. one-hot)"
    return None


@dataclass(frozen=True)
class Loss:
    """A named loss: `value(a, y)`, its gradient dL/da, and what targets it accepts."""

    name: str
    value: Callable[[np.ndarray, np.ndarray], float]
    gradient: Callable[[np.ndarray, np.ndarray], np.ndarray]
    target_problem: Callable[[np.ndarray], str | None] = lambda y: None


LOSSES = {
    loss.name: loss
    for loss in [
        Loss("mse", _mse, _mse_grad),
        Loss("bce", _bce, _bce_grad,
             _targets_in_unit_interval),
        Loss("cross_entropy", _cross_entropy, _cross_entropy_grad,
             _targets_are_distributions),
    ]
}


def get_loss(name: str) -> Loss:
    """The loss called `name`; KeyError lists the valid names."""
    try:
        return LOSSES[name]
    except KeyError:
        raise KeyError(f"unknown loss {name!r} (expected one of: {', '.join(LOSSES)})") from None
