"""Manim scenes of the explainer: the kit (`scenes.kit`) and the story (`scenes.story`).

`SCENES` maps each public scene class name to its class, in story order; the first line
of a class's docstring is its one-line description. `from scenes import ForwardPass`
works for every scene; names are imported on first use, so `scenes.kit.theme` can be
read without loading Manim.
"""

import importlib

_HOMES = {"ExplainerScene": "scenes.kit.base", "Part": "scenes.kit.base",
          "PARTS": "scenes.story.explainer", "SCENES": "scenes.story.explainer"}
STORY_SCENES = ("NetworkAnatomy", "ForwardPass", "OuchMoment", "WhatIsAGradient",
                "Backpropagation", "TheUpdate", "GradientDescent", "Training",
                "BackpropExplainer")
_HOMES.update({name: "scenes.story.explainer" for name in STORY_SCENES})

__all__ = list(_HOMES)


def __getattr__(name: str):
    if name not in _HOMES:
        raise AttributeError(f"module 'scenes' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOMES[name]), name)
