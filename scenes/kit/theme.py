"""Colours, fonts and sizes of every scene. A theme is values only: swap it, not code.

Colour meanings stay the same in every theme and every scene:
  positive / negative  the sign of weights and activations (blue / orange); an
                       activation's size is the brightness of its neuron's fill
  error                the cost and what is wrong (red, used for nothing else)
  gradient             gradients, error signals δ, nudges and the backward pass (green),
                       drawn beside the weights, never repainting them
  highlight / pulse    the one thing being explained right now, the forward pass (yellow)
  text / muted         words, curves, axes and tangents (neutral)
"""

from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Theme:
    name: str
    background: str
    text: str
    muted: str
    neuron_stroke: str
    neuron_fill: str
    positive: str
    negative: str
    error: str
    gradient: str
    highlight: str
    pulse: str
    font: str = "DejaVu Sans"
    # Sizes in Manim font units; 24 is the smallest that stays crisp at 480p.
    title_size: float = 44
    heading_size: float = 34
    body_size: float = 28
    caption_size: float = 24
    label_size: float = 24
    number_size: float = 22
    formula_size: float = 38


DARK = Theme(
    name="dark",
    background="#0f1117",
    text="#f2f2f2",
    muted="#9aa3b2",
    neuron_stroke="#d8dee9",
    neuron_fill="#f5f5f5",
    positive="#4ea8ff",
    negative="#ff9f1c",
    error="#ff3b3b",
    gradient="#3ddc84",
    highlight="#ffe066",
    pulse="#ffe066",
)

LIGHT = replace(
    DARK,
    name="light",
    background="#ffffff",
    text="#1b1f27",
    muted="#5c6470",
    neuron_stroke="#2e3440",
    neuron_fill="#1b1f27",
    positive="#1565c0",
    negative="#e07000",
    error="#d90429",
    gradient="#138a36",
    highlight="#b8860b",
    pulse="#b8860b",
)

THEMES = {theme.name: theme for theme in (DARK, LIGHT)}


def weight_keys(theme: Theme) -> tuple[tuple[str, str], ...]:
    """The legend's words for the sign colours, the same in every part."""
    return ("positive weight", theme.positive), ("negative weight", theme.negative)
