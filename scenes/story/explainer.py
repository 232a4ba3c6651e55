"""The scenes: each part of the story on its own, and the full explainer, all of them."""

from scenes.kit.base import ExplainerScene

from scenes.story.anatomy import Anatomy
from scenes.story.backward import Backward
from scenes.story.bookends import Recap, Title
from scenes.story.cost import Cost
from scenes.story.descent import Descent
from scenes.story.forward import Forward
from scenes.story.gradient import Gradient
from scenes.story.training import Train
from scenes.story.update import Update

PARTS = (Title, Anatomy, Forward, Cost, Gradient, Backward, Update, Descent, Train, Recap)


class NetworkAnatomy(ExplainerScene):
    """The network assembles: input, hidden and output layers, named, and the weights."""

    parts = (Anatomy,)


class ForwardPass(ExplainerScene):
    """Inputs enter, pulses travel layer by layer, every neuron shows its activation."""

    parts = (Forward,)


class OuchMoment(ExplainerScene):
    """The cost: each picture's guess beside its truth, the gap in red, their mean."""

    parts = (Cost,)


class WhatIsAGradient(ExplainerScene):
    """The cost as one weight changes: where we stand, and the slope under our feet."""

    parts = (Gradient,)


class Backpropagation(ExplainerScene):
    """The blame flows backward through every layer: the chain rule, measured."""

    parts = (Backward,)


class TheUpdate(ExplainerScene):
    """One step against the gradient for every weight; both pictures improve."""

    parts = (Update,)


class GradientDescent(ExplainerScene):
    """Real steps down the cost landscape, with three learning rates."""

    parts = (Descent,)


class Training(ExplainerScene):
    """Many epochs: the cost curve drawn epoch by epoch, weights and guesses changing."""

    parts = (Train,)


class BackpropExplainer(ExplainerScene):
    """The whole story: title, the eight parts with section cards, and a recap."""

    parts = PARTS


SCENES = {cls.__name__: cls for cls in (NetworkAnatomy, ForwardPass, OuchMoment,
                                         WhatIsAGradient, Backpropagation, TheUpdate,
                                         GradientDescent, Training, BackpropExplainer)}
