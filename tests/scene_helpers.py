"""Shared helpers for scene tests: building scenes without rendering, and engine numbers."""

import numpy as np
from manim import tempconfig

from backprop_core import descent_path, get_activation, trace, train
from scenes import GradientDescent, Training

SHAPES = {
    "default": {},
    "2-2-1": {"network": {"layers": [2, 2, 1]}},
    "2-3-2-bce": {"network": {"layers": [2, 3, 2], "activations": ["tanh", "sigmoid"]},
                  "data": {"input": [[0.9, 0.2], [0.1, 0.8]], "target": [[1, 0], [0, 1]]},
                  "training": {"loss": "bce"}},
    "3-5-3-softmax": {"network": {"layers": [3, 5, 3], "activations": ["relu", "softmax"]},
                      "data": {"input": [[0.9, 0.1, 0.4], [0.2, 0.8, 0.5], [0.3, 0.3, 0.9]],
                               "target": [[1, 0, 0], [0, 1, 0], [0, 0, 1]]},
                      "training": {"loss": "cross_entropy", "learning_rate": 0.3}},
    "4-8-8-3": {"network": {"layers": [4, 8, 8, 3], "activation": "tanh", "seed": 3},
                "training": {"epochs": 60}},
}


def variant(scene_class, overrides):
    """`scene_class` with the config overrides, under the same name."""
    return type(scene_class.__name__, (scene_class,), {"overrides": overrides})


def dry_run(scene_class, media_dir, overrides=None):
    """Run the scene's construct without rendering a frame; returns the scene."""
    cls = variant(scene_class, overrides) if overrides is not None else scene_class
    with tempconfig({"dry_run": True, "quality": "low_quality", "media_dir": str(media_dir),
                     "verbosity": "WARNING", "progress_bar": "none"}):
        scene = cls(skip_animations=True)
        scene.render()
    return scene


def _values(*arrays) -> set[float]:
    return {float(v) for a in arrays for v in np.ravel(a)}


def trace_values(t) -> set[float]:
    found = _values(t.input, t.target, t.prediction, [t.loss])
    for layer in t.layers:
        found |= _values(layer.W, layer.b, layer.z, layer.a, layer.grad_z, layer.grad_a,
                         layer.grad_W, layer.grad_b)
        if get_activation(layer.activation).elementwise:
            found |= _values(get_activation(layer.activation).derivative(layer.z))
    return found


def engine_numbers(scene) -> set[float]:
    """Every number the engine computes for what this scene shows, recomputed here."""
    cfg = scene.cfg
    x = cfg.input[0] if cfg.input.ndim == 2 else cfg.input
    y = cfg.target[0] if cfg.target.ndim == 2 else cfg.target
    first = trace(cfg.network, x, y, cfg.loss)
    stepped = first.stepped(cfg.learning_rate)
    found = trace_values(first) | trace_values(trace(stepped, x, y, cfg.loss))
    found |= _values([cfg.learning_rate], *stepped.weights, *stepped.biases)
    if isinstance(scene, GradientDescent):
        args = (cfg.network, cfg.input, cfg.target, cfg.loss, scene.weight)
        for eta in (scene.eta, scene.big_eta):
            path = descent_path(*args, learning_rate=eta, steps=len(scene.path.positions) - 1)
            found |= _values([eta], path.positions, path.losses, path.slopes)
    if isinstance(scene, Training):
        history = train(cfg.network, cfg.input, cfg.target, cfg.loss, cfg.learning_rate,
                        cfg.epochs)
        found |= _values(history.losses, *history.predictions, cfg.target)
    return found
