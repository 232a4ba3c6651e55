"""The explainer's formulas, written in Typst math with the trace's numbers put in."""

import math

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
                 **style) -> tuple[Formula, list[Formula], Formula]:
    """z = w₁a₁ + w₂a₂ + … + b in symbols; the written terms ("= w₁·a₁", "+ w₂·a₂", …,
    "+ b") with just enough digits that, added as written, they give z as written; and
    "= z". Beyond MAX_WRITTEN_TERMS inputs: z = Σ wᵢaᵢ + b and no terms."""
    n = len(weights)
    if n > MAX_WRITTEN_TERMS:
        return (Formula("z = sum_(i=1)^", str(n), " w_i a_i + b", **style), [],
                Formula("= ", z, **style))
    symbolic = " + ".join(f"w_{i + 1} a_{i + 1}" for i in range(n)) + " + b"
    numbers = [float(v) for pair in zip(weights, inputs) for v in pair] + [float(bias)]
    digits = agreeing_digits(numbers, z, lambda p: sum(
        p[k] * p[k + 1] for k in range(0, len(p) - 1, 2)) + p[-1])
    terms = [Formula("= " if i == 0 else "+ ", w, " dot ", a, digits=digits, **style)
             for i, (w, a) in enumerate(zip(weights, inputs))]
    terms.append(Formula("+ ", bias, digits=digits, **style))
    return Formula("z = " + symbolic, **style), terms, Formula("= ", z, **style)


def activation(name: str, z: float, a: float, **style) -> Formula:
    """a = f(z) with numbers (for softmax the neuron's share of the layer)."""
    symbol = ACTIVATION_SYMBOL[name]
    return Formula(f"a = {symbol}(z) = {symbol}(", z, ") = ", a, **style)


MAX_WRITTEN_OUTPUTS = 3


def loss(name: str, a: np.ndarray, y: np.ndarray, value: float, sample: str = "",
         written_outputs: int = MAX_WRITTEN_OUTPUTS, **style) -> list[Formula]:
    """The loss of one sample (L, or L with the sample's name): its definition, then with
    the numbers (written with enough digits to give the value as written; not beyond
    `written_outputs` outputs), then its value."""
    n, L = len(a), cost_symbol(sample)
    a, y = list(a), list(y)
    if name == "mse":
        lines = [Formula(f"{L} = (a - y)^2" if n == 1 else
                         f"{L} = 1/{n} sum_j (a_j - y_j)^2", **style)]
        scale = "" if n == 1 else f"1/{n} "
        numbers = [v for pair in zip(a, y) for v in pair]
        digits = agreeing_digits(numbers, value, lambda p: sum(
            (p[k] - p[k + 1]) ** 2 for k in range(0, len(p), 2)) / n)
        terms = [[" + (" if j else f"= {scale}" + ("[(" if n > 1 else "("), a[j], " - ", y[j],
                  ")^2"] for j in range(n)]
        if n > 1:
            terms[-1].append("]")
    elif name == "bce":
        lines = [Formula(f"{L} = -[y log a + (1 - y) log(1 - a)]" if n == 1 else
                         f"{L} = -1/{n} sum_j [y_j log a_j + (1 - y_j) log(1 - a_j)]", **style)]
        if n > 1:
            return lines + [Formula("= ", value, **style)]
        digits = agreeing_digits([y[0], a[0]], value, lambda p: -(
            p[0] * math.log(p[1]) + (1 - p[0]) * math.log(1 - p[1])))
        terms = [["= -[", y[0], " log ", a[0], " + (1 - ", y[0], ") log(1 - ", a[0], ")]"]]
    else:  # cross_entropy
        lines = [Formula(f"{L} = -sum_j y_j log a_j", **style)]
        hot = np.flatnonzero(y)
        if len(hot) == 1:
            k = int(hot[0])
            digits = agreeing_digits([a[k]], value, lambda p: -math.log(p[0]))
            terms = [["= -log ", a[k]]]
        else:
            numbers = [v for pair in zip(y, a) for v in pair]
            digits = agreeing_digits(numbers, value, lambda p: -sum(
                p[k] * math.log(p[k + 1]) for k in range(0, len(p), 2) if p[k]))
            terms = [[" + " if j else "= -[", y[j], " log ", a[j]] for j in range(n)]
            terms[-1].append("]")
    if n > written_outputs:
        return lines + [Formula("= ", value, **style)]
    written = [Formula(*terms[0], digits=digits, **style)]
    written += [Formula("quad", *t, digits=digits, **style) for t in terms[1:]]
    return lines + written + [Formula("= ", value, **style)]


def cost_symbol(sample: str = "") -> str:
    """L, or L with the sample's name as subscript (L_cat), in Typst math."""
    return "L" if not sample else 'L_"' + sample.replace('"', "'") + '"'


MAX_WRITTEN_SAMPLES = 3


def mean_cost(samples: list[str], losses: list[float], cost: float, **style) -> list:
    """The cost C: the mean of the samples' losses, named (the first two and … when there
    are many), then with the numbers when all are written, then its value."""
    n = len(losses)
    if n == 1:
        return [Formula(f"C = {cost_symbol(samples[0])}", **style), Formula("= ", cost, **style)]
    names = [cost_symbol(s) for s in samples]
    written = n <= MAX_WRITTEN_SAMPLES
    terms = " + ".join(names if written else names[:2] + ["..."])
    lines = [Formula(f"C = ({terms})/{n}", **style)]
    if not written:
        return lines + [Formula("= ", cost, **style)]
    pieces: list = ["= ("]
    for k, value in enumerate(losses):
        pieces += [" + " if k else "", value]
    return lines + [equation(pieces + [f")/{n}"], cost, lambda p: sum(p) / n, **style)]


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
