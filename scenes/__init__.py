"""Manim scenes of the explainer, in story order.

`SCENES` maps each public scene class name to its class; the first line of a class's
docstring is its one-line description.
"""

from .base import ExplainerScene
from .anatomy import NetworkAnatomy
from .backward import Backpropagation
from .descent import GradientDescent
from .explainer import BackpropExplainer
from .forward import ForwardPass
from .loss import OuchMoment
from .training import Training

SCENES = {cls.__name__: cls for cls in (NetworkAnatomy, ForwardPass, OuchMoment,
                                             Backpropagation, GradientDescent, Training,
                                             BackpropExplainer)}

__all__ = ["ExplainerScene", "SCENES", *SCENES]
