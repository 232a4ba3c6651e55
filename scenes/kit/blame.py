"""The backward pass's formulas, written in Typst math with the trace's numbers put in:
the output's error signal, the nudge's ratio, the chain rule, a hidden neuron's sum over
its paths, a weight's gradient, and the cost's mean of the samples' gradients."""

import math

from manim import VGroup

from .formulas import MAX_WRITTEN_TERMS, equation
from .labels import Formula, agreeing_digits

D_DA = "(partial L)/(partial a)"
D_DZ = "(partial a)/(partial z)"


def output_gradient(name: str, a: float, y: float, n_out: int, grad: float,
                    **style) -> list:
    """∂L/∂a of one output neuron (∂L/∂z = a − y for softmax with cross-entropy), its
    definition then with the numbers."""
    if name == "mse":
        scale = "2" if n_out == 1 else f"2/{n_out}"
        return [Formula(f"{D_DA} = {scale} (a - y)", **style),
                equation([f"= {scale} (", a, " - ", y, ")"], grad,
                         lambda p: 2 / n_out * (p[0] - p[1]), **style)]
    if name == "bce":
        scale = "" if n_out == 1 else f"1/{n_out} "
        return [Formula(f"{D_DA} = {scale}(a - y) / (a (1 - a))", **style),
                equation([f"= {scale}(", a, " - ", y, ") / (", a, " (1 - ", a, "))"], grad,
                         lambda p: (p[0] - p[1]) / (p[2] * (1 - p[3])) / n_out, **style)]
    return [Formula("delta = (partial L)/(partial z) = a - y", **style),
            equation(["= ", a, " - ", y], grad, lambda p: p[0] - p[1], **style)]


def error_signal(grad_a: float, slope: float, delta: float, **style) -> list:
    """δ = ∂L/∂z = ∂L/∂a · ∂a/∂z, then with the numbers."""
    return [Formula(f"delta = (partial L)/(partial z) = {D_DA} dot {D_DZ}", **style),
            equation(["= ", grad_a, " dot ", slope], delta, math.prod, **style)]


def nudge_ratio(dloss: float, epsilon: float, ratio: float, **style) -> VGroup:
    """ΔL/Δw = dloss / epsilon = ratio: the derivative, measured."""
    return equation(["(Delta L)/(Delta w) = ", dloss, " / ", epsilon], ratio,
                    lambda p: p[0] / p[1], **style)


def chain_rule(factors: list[float], product: float, through_activation: bool,
               **style) -> list:
    """∂L/∂w as the product of the slopes along the chain, then with the real factors."""
    symbols = [D_DA, D_DZ] if through_activation else ["(partial L)/(partial z)"]
    symbolic = " dot ".join([*symbols, "(partial z)/(partial w)"])
    pieces: list = ["= "]
    for k, f in enumerate(factors):
        pieces += [" dot " if k else "", f]
    return [Formula(f"(partial L)/(partial w) = {symbolic}", **style),
            equation(pieces, product, math.prod, **style)]


def backward_sum(weights: list[float], deltas: list[float], result: float, **style) -> list:
    """A hidden neuron's ∂L/∂a = Σₖ wₖ δₖ over the paths it feeds, one term per line."""
    n = len(weights)
    lines = [Formula(f"{D_DA} = sum_k w_k delta_k", **style)]
    if n > MAX_WRITTEN_TERMS:
        return lines + [Formula("= ", result, **style)]
    pieces: list = []
    for k, (w, d) in enumerate(zip(weights, deltas)):
        pieces += ["= " if k == 0 else "+ ", w, " dot ", d, " "]
    products = lambda p: sum(p[k] * p[k + 1] for k in range(0, len(p), 2))
    if n == 1:
        return lines + [equation(pieces, result, products, **style)]
    digits = agreeing_digits([float(p) for p in pieces if not isinstance(p, str)], result,
                             products)
    lines += [Formula(*pieces[5 * k:5 * k + 5], digits=digits, **style) for k in range(n)]
    return lines + [Formula("= ", result, **style)]


def weight_gradient(delta: float, a_prev: float, grad: float, **style) -> list:
    """∂L/∂w = δ · a_prev for a weight into a neuron with error signal δ."""
    return [Formula('(partial L)/(partial w) = delta dot a_"prev"', **style),
            equation(["= ", delta, " dot ", a_prev], grad, math.prod, **style)]


def mean_gradient(names: list[str], grads: list[float], mean: float, **style) -> list:
    """The cost's gradient: the mean of the samples' gradients, named, then with numbers."""
    n = len(grads)
    if n > MAX_WRITTEN_TERMS:
        return [Formula(f"(partial C)/(partial w) = 1/{n} sum_n (partial L_n)/(partial w)",
                        **style), Formula("= ", mean, **style)]
    terms = " + ".join(f'(partial L_"{name}")/(partial w)' for name in names)
    pieces: list = [f"= 1/{n} ("]
    for k, g in enumerate(grads):
        pieces += [" + " if k else "", g]
    return [Formula(f"(partial C)/(partial w) = 1/{n} ({terms})", **style),
            equation(pieces + [")"], mean, lambda p: sum(p) / n, **style)]
