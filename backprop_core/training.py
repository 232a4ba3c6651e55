"""Gradient-descent training with a history a training animation can replay."""

from dataclasses import dataclass

import numpy as np

from .network import Network
from .trace import loss_at, trace


@dataclass(frozen=True)
class History:
    """The state at epoch 0 (before training) through epoch N, one entry per epoch."""

    losses: np.ndarray
    networks: list[Network]
    predictions: list[np.ndarray]


def sgd_step(network: Network, x, y, loss: str, learning_rate: float) -> Network:
    """The network after one full-batch gradient-descent step on (x, y)."""
    return trace(network, x, y, loss).stepped(learning_rate)


def train(network: Network, x, y, loss: str, learning_rate: float, epochs: int) -> History:
    """Run `epochs` full-batch gradient-descent steps, recording every epoch."""
    networks = [network.copy()]
    for _ in range(epochs):
        networks.append(sgd_step(networks[-1], x, y, loss, learning_rate))
    return History(
        losses=np.array([loss_at(net, x, y, loss) for net in networks]),
        networks=networks,
        predictions=[net.predict(x) for net in networks],
    )
