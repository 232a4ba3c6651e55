"""Loss landscapes: the loss as one or two weights move, all others held fixed.

A weight is named by `(layer, j, i)`: `W[layer][j][i]`, as in `Network`.
"""

from dataclasses import dataclass

import numpy as np

from .network import Network
from .trace import loss_at, trace

WeightRef = tuple[int, int, int]


def loss_slice(network: Network, x, y, loss: str, weight: WeightRef, values) -> np.ndarray:
    """The loss at each value of one weight."""
    return np.array([loss_at(network.with_weight(*weight, v), x, y, loss) for v in values])


def loss_grid(network: Network, x, y, loss: str, weight_a: WeightRef, weight_b: WeightRef,
              values_a, values_b) -> np.ndarray:
    """The loss over a grid of two weights; entry [m, n] has a = values_a[m], b = values_b[n]."""
    return np.array([
        loss_slice(network.with_weight(*weight_a, va), x, y, loss, weight_b, values_b)
        for va in values_a
    ])


@dataclass(frozen=True)
class DescentPath:
    """Real gradient steps on one weight: where it was, the loss there, and the slope."""

    positions: np.ndarray
    losses: np.ndarray
    slopes: np.ndarray


def descent_path(network: Network, x, y, loss: str, weight: WeightRef,
                 learning_rate: float, steps: int) -> DescentPath:
    """Take `steps` gradient steps on `weight` alone, starting from its current value.

    The result has steps + 1 points: the start and the position after each step.
    """
    layer, j, i = weight
    positions, losses, slopes = [], [], []
    w = float(network.weights[layer][j, i])
    for _ in range(steps + 1):
        t = trace(network.with_weight(layer, j, i, w), x, y, loss)
        slope = float(t.layers[layer].grad_W[j, i])
        positions.append(w)
        losses.append(t.loss)
        slopes.append(slope)
        w -= learning_rate * slope
    return DescentPath(np.array(positions), np.array(losses), np.array(slopes))
