"""The explainer's formulas, written in Typst math with the trace's numbers put in."""

import numpy as np

from manim import RIGHT, VGroup

from .labels import Formula, agreeing_digits

ACTIVATION_SYMBOL = {
    "sigmoid": "sigma",
    "tanh": "tanh",
    "relu": 'op("ReLU")',
    "leaky_relu": 'op("LeakyReLU")',
    "linear": 'op("id")',
    "softmax": 'op("softmax")',
}

TERMS_PER_LINE = 2
MAX_WRITTEN_TERMS = 4


def weighted_sum(weights: np.ndarray, inputs: np.ndarray, bias: float, z: float,
                 **style) -> list[Formula]:
    """z = Σ wᵢaᵢ + b, then the same with numbers (a few terms per line), then z."""
    n = len(weights)
    if n > MAX_WRITTEN_TERMS:
        return [Formula("z = sum_(i=1)^", str(n), " w_i a_i + b", **style),
                Formula("= ", z, **style)]
    symbolic = " + ".join(f"w_{i + 1} a_{i + 1}" for i in range(n)) + " + b"
    lines = [Formula("z = " + symbolic, **style)]
    pieces: list = []
    for i, (w, a) in enumerate(zip(weights, inputs)):
        if i and i % TERMS_PER_LINE == 0:
            lines.append(Formula(*pieces, **style))
            pieces = []
        pieces += ["= " if i == 0 else "+ ", w, " dot ", a, " "]
    lines.append(Formula(*pieces, "+ ", bias, **style))
    lines.append(Formula("= ", z, **style))
    return lines


def activation(name: str, z: float, a: float, **style) -> Formula:
    """a = f(z) with numbers (for softmax the neuron's share of the layer)."""
    symbol = ACTIVATION_SYMBOL[name]
    return Formula(f"a = {symbol}(z) = {symbol}(", z, ") = ", a, **style)


MAX_WRITTEN_OUTPUTS = 3


def loss(name: str, a: np.ndarray, y: np.ndarray, value: float, **style) -> list[Formula]:
    """The loss of one sample: its definition, then with the numbers, then its value."""
    n = len(a)
    written = n <= MAX_WRITTEN_OUTPUTS
    if name == "mse":
        if n == 1:
            return [Formula("L = (a - y)^2", **style),
                    Formula("= (", a[0], " - ", y[0], ")^2", **style),
                    Formula("= ", value, **style)]
        lines = [Formula(f"L = 1/{n} sum_j (a_j - y_j)^2", **style)]
        if written:  # one squared gap per line
            for j in range(n):
                lines.append(Formula(f"= 1/{n} [(" if j == 0 else "quad + (", a[j], " - ",
                                     y[j], ")^2" + ("]" if j == n - 1 else ""), **style))
    elif name == "bce":
        if n == 1:
            return [Formula("L = -[y log a + (1 - y) log(1 - a)]", **style),
                    Formula("= -[", y[0], " log ", a[0], " + (1 - ", y[0], ") log(1 - ", a[0],
                            ")]", **style),
                    Formula("= ", value, **style)]
        lines = [Formula(f"L = -1/{n} sum_j [y_j log a_j + (1 - y_j) log(1 - a_j)]", **style)]
    else:  # cross_entropy
        lines = [Formula("L = -sum_j y_j log a_j", **style)]
        hot = np.flatnonzero(y)
        if len(hot) == 1:
            lines.append(Formula("= -log ", a[hot[0]], **style))
        elif written:
            for j in range(n):
                lines.append(Formula("= -[" if j == 0 else "quad + ", y[j], " log ", a[j],
                                     "]" if j == n - 1 else "", **style))
    return lines + [Formula("= ", value, **style)]


def update(weight: float, learning_rate: float, gradient: float, new_weight: float,
           digits: int | None = None, **style) -> list[Formula]:
    """w ← w − η·∂C/∂w with numbers (`digits` for the three on the right, so that the
    written result agrees with them)."""
    return [Formula("w <- w - eta dot (partial C)/(partial w)", **style),
            Formula("= ", weight, " - ", learning_rate, " dot ", gradient, digits=digits,
                    **style),
            Formula("= ", new_weight, **style)]


def equation(pieces: list, result: float, combine, **style) -> VGroup:
    """`pieces` (text and numbers) = `result` on one line, the pieces' numbers written with
    just enough digits that combining them as written gives the result as written."""
    numbers = [float(p) for p in pieces if not isinstance(p, str)]
    digits = agreeing_digits(numbers, result, combine)
    return VGroup(Formula(*pieces, digits=digits, **style),
                  Formula("= ", result, **style)).arrange(RIGHT, buff=0.18)
