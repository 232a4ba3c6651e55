"""A fully connected network: weights, biases and one activation per layer."""

from dataclasses import dataclass

import numpy as np

from .activations import get_activation

# Xavier (Glorot) suits saturating activations, He suits rectifiers.
_HE_INIT = {"relu", "leaky_relu"}


@dataclass
class Network:
    """Weights `W[l]` of shape (n_out, n_in): `W[l][j][i]` joins neuron i of layer l
    to neuron j of layer l+1. Biases `b[l]` have shape (n_out,). `activations[l]`
    names the activation of layer l+1."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activations: list[str]

    def __post_init__(self):
        self.weights = [np.asarray(w, dtype=float) for w in self.weights]
        self.biases = [np.asarray(b, dtype=float) for b in self.biases]
        self.activations = list(self.activations)
        for act in self.activations:
            get_activation(act)

    @classmethod
    def initialise(cls, layers, activations, seed=0):
        """Random weights from `seed` (Xavier or He by activation), zero biases."""
        rng = np.random.default_rng(seed)
        weights = []
        for n_in, n_out, act in zip(layers[:-1], layers[1:], activations):
            scale = np.sqrt(2.0 / n_in) if act in _HE_INIT else np.sqrt(2.0 / (n_in + n_out))
            weights.append(rng.normal(0.0, scale, size=(n_out, n_in)))
        biases = [np.zeros(n) for n in layers[1:]]
        return cls(weights, biases, activations)

    @property
    def layers(self) -> list[int]:
        """Neuron counts, input layer first."""
        return [self.weights[0].shape[1]] + [w.shape[0] for w in self.weights]

    def forward(self, x):
        """Pre-activations and activations of every non-input layer: [(z, a), ...]."""
        a = np.asarray(x, dtype=float)
        steps = []
        for w, b, act in zip(self.weights, self.biases, self.activations):
            z = a @ w.T + b
            a = get_activation(act)(z)
            steps.append((z, a))
        return steps

    def predict(self, x):
        """The output layer's activation for `x` (one sample or a batch)."""
        return self.forward(x)[-1][1]

    def copy(self) -> "Network":
        return Network([w.copy() for w in self.weights], [b.copy() for b in self.biases],
                       self.activations)

    def with_weight(self, layer, j, i, value) -> "Network":
        """A copy with `W[layer][j][i]` set to `value`."""
        net = self.copy()
        net.weights[layer][j, i] = value
        return net
