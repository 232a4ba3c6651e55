"""Small seeded datasets: (inputs of shape (n, 2), targets of shape (n, 1))."""

import numpy as np


def xor(n: int = 4, noise: float = 0.0, seed: int = 0):
    """The XOR truth table, cycled to `n` samples, with Gaussian `noise` on the inputs."""
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    labels = np.array([[0.0], [1.0], [1.0], [0.0]])
    idx = np.arange(n) % 4
    rng = np.random.default_rng(seed)
    return corners[idx] + rng.normal(0.0, noise, size=(n, 2)), labels[idx]


def moons(n: int = 100, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles; label 1 for the lower moon."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    angle = rng.uniform(0.0, np.pi, size=n)
    upper = np.column_stack([np.cos(angle), np.sin(angle)])
    lower = np.column_stack([1.0 - np.cos(angle), 0.5 - np.sin(angle)])
    points = np.where(labels[:, None] == 1, lower, upper)
    return points + rng.normal(0.0, noise, size=(n, 2)), labels[:, None].astype(float)


def circles(n: int = 100, noise: float = 0.05, factor: float = 0.5, seed: int = 0):
    """A small circle inside a large one (radius ratio `factor`); label 1 for the inner."""
    rng = np.random.default_rng(seed)
    labels = np.arange(n) % 2
    angle = rng.uniform(0.0, 2 * np.pi, size=n)
    radius = np.where(labels == 1, factor, 1.0)
    points = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
    return points + rng.normal(0.0, noise, size=(n, 2)), labels[:, None].astype(float)
