"""Engine benchmark: trace + one SGD step, against a minimal hand-written NumPy version.

Run: .venv/bin/python bench/bench_engine.py
"""

import sys
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from backprop_core import Network, trace  # noqa: E402

LEARNING_RATE = 0.1


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def minimal_sigmoid_mse(w1, b1, w2, b2, x, y):
    """[n_in, n_hidden, n_out] sigmoid/sigmoid, MSE, one sample: forward, backward, step."""
    a1 = sigmoid(w1 @ x + b1)
    a2 = sigmoid(w2 @ a1 + b2)
    d2 = 2.0 * (a2 - y) / a2.size * a2 * (1 - a2)
    d1 = (w2.T @ d2) * a1 * (1 - a1)
    return (w1 - LEARNING_RATE * np.outer(d1, x), b1 - LEARNING_RATE * d1,
            w2 - LEARNING_RATE * np.outer(d2, a1), b2 - LEARNING_RATE * d2)


def minimal_relu_softmax(w1, b1, w2, b2, x, y):
    """Batch relu/softmax with cross-entropy: forward, backward, step."""
    z1 = x @ w1.T + b1
    a1 = np.maximum(z1, 0.0)
    z2 = a1 @ w2.T + b2
    e = np.exp(z2 - z2.max(axis=1, keepdims=True))
    p = e / e.sum(axis=1, keepdims=True)
    d2 = (p - y) / len(x)
    d1 = (d2 @ w2) * (z1 > 0)
    return (w1 - LEARNING_RATE * d1.T @ x, b1 - LEARNING_RATE * d1.sum(0),
            w2 - LEARNING_RATE * d2.T @ a1, b2 - LEARNING_RATE * d2.sum(0))


def best_time(fn, number):
    return min(timeit.repeat(fn, number=number, repeat=5)) / number


def case(name, layers, activations, loss, x, y, minimal, number):
    net = Network.initialise(layers, activations, seed=0)
    engine = best_time(lambda: trace(net, x, y, loss).stepped(LEARNING_RATE), number)
    args = (net.weights[0], net.biases[0], net.weights[1], net.biases[1], x, y)
    by_hand = best_time(lambda: minimal(*args), number)
    print(f"{name:<28} engine {engine * 1e6:9.1f} µs   by hand {by_hand * 1e6:9.1f} µs   "
          f"ratio {engine / by_hand:5.2f}x")


def main():
    rng = np.random.default_rng(0)
    case("[2,3,1] single sample", [2, 3, 1], ["sigmoid", "sigmoid"], "mse",
         np.array([0.9, 0.2]), np.array([1.0]), minimal_sigmoid_mse, 2000)
    x = rng.normal(size=(64, 64))
    y = np.eye(10)[rng.integers(0, 10, 64)]
    case("[64,128,10] batch of 64", [64, 128, 10], ["relu", "softmax"], "cross_entropy",
         x, y, minimal_relu_softmax, 300)


if __name__ == "__main__":
    main()
