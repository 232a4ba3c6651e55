"""A customised scene: Training on XOR, where the decision boundary forms.

    manim -ql examples/xor_boundary.py XorTraining
    backprop-video render --module examples/xor_boundary.py XorTraining -q low
"""

from scenes import Training


class XorTraining(Training):
    """Training on XOR: four points no straight line can separate, and a boundary that bends."""

    overrides = {
        "network": {"layers": [2, 4, 1], "activations": ["tanh", "sigmoid"], "seed": 1},
        "data": {"input": [[0, 0], [0, 1], [1, 0], [1, 1]],
                 "target": [[0], [1], [1], [0]]},
        "training": {"loss": "bce", "learning_rate": 2.0, "epochs": 300},
        "labels": {"inputs": ["x₁", "x₂"], "outputs": ["x₁ XOR x₂"]},
    }
    narration = {
        **Training.narration,
        "the_loop": "XOR is true when exactly one input is on. No straight line splits "
                    "these four points, so the hidden layer has to bend the boundary.",
        "result": "{claim} Blue where the network says 1, orange where it says 0: the "
                  "boundary bends around the points.",
    }
