"""Customised scenes for a white lecture deck: light theme, a house colour, own words.

    manim -ql examples/lecture_slides.py LectureForwardPass
    backprop-video render --module examples/lecture_slides.py LectureOuchMoment -q low
"""

from dataclasses import replace

from scenes import ForwardPass, OuchMoment
from scenes.theme import LIGHT

# The university's colours; every meaning stays (red is still only for the error).
HOUSE = replace(LIGHT, positive="#00549f", highlight="#8a2be2", pulse="#8a2be2")
NETWORK = {"network": {"layers": [2, 3, 1], "activations": ["tanh", "sigmoid"], "seed": 4},
           "data": {"input": [0.8, 0.3], "target": [1.0]},
           "labels": {"inputs": ["hours studied", "hours slept"], "outputs": ["passes?"]}}


class LectureForwardPass(ForwardPass):
    """The forward pass of a student-exam network, in the house style."""

    theme = HOUSE
    overrides = NETWORK
    narration = {**ForwardPass.narration,
                 "show_network": "Will a student pass the exam? Our untrained network "
                                 "is about to guess.",
                 "inputs_enter": "Two numbers describe the student: {inputs}."}


class LectureOuchMoment(OuchMoment):
    """The loss of the same network, in the house style."""

    theme = HOUSE
    overrides = NETWORK
