"""Caption text to the words a voice should say: numbers as they read, symbols as words.

One table (`SYMBOLS`) and one number pattern drive a single regular-expression pass;
everything else in the caption is left exactly as it is.
"""

import re

# What each symbol says. Longer entries win over their prefixes ("learning rate η =" over "η").
SYMBOLS: dict[str, str] = {
    "learning rate η =": "learning rate of",
    "learning rate η": "learning rate",
    "∂": "partial",
    "η": "the learning rate",
    "δ": "delta",
    "Σ": "the sum",
    "σ": "sigma",
    "ŷ": "the prediction",
    "→": "to",
    "←": "becomes",
    "×": "times",
    "·": "times",
    "÷": "divided by",
    " − ": "minus",
    " - ": "minus",
    " + ": "plus",
    "=": "equals",
    "≈": "about",
    "≠": "is not",
    "≤": "at most",
    "≥": "at least",
    "<": "less than",
    ">": "greater than",
    "%": "percent",
    "²": "squared",
    "e.g.": "for example",
    "i.e.": "that is",
}

# Derivatives: ∂L/∂w ("the gradient of the loss with respect to this weight"), dC/da, ...
OF = {"L": "the loss", "C": "the cost"}
WITH_RESPECT_TO = {"w": "this weight", "W": "these weights", "b": "this bias",
                   "a": "this activation", "z": "this neuron's sum", "ŷ": "the prediction"}
SYMBOLS.update({f"{d}{f}/{d}{x}": f"the gradient of {of} with respect to {wrt}"
                for d in "∂d" for f, of in OF.items() for x, wrt in WITH_RESPECT_TO.items()})

# A number: optional sign (ASCII hyphen or U+2212 minus), digits with optional thousands
# commas, decimals, exponent. Not glued to a word or a dot before it ("x-1", "v1.2").
NUMBER = (r"(?<![\w.])(?P<sign>[-−]?)(?P<int>\d{1,3}(?:,\d{3})+(?!\d)|\d+)"
          r"(?:\.(?P<frac>\d+))?(?:[eE](?P<exp>[-+−]?\d+))?(?![\w])")

_PATTERN = re.compile(NUMBER + "|" + "|".join(
    re.escape(symbol) for symbol in sorted(SYMBOLS, key=len, reverse=True)))

DIGITS = "zero one two three four five six seven eight nine".split()
TEENS = ("ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen "
         "nineteen").split()
TENS = "_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()
SCALES = [(10**12, "trillion"), (10**9, "billion"), (10**6, "million"), (1000, "thousand")]


def integer_words(n: int) -> str:
    """0 → "zero", 200 → "two hundred", 1234 → "one thousand two hundred thirty-four"."""
    if n >= 1000 * 10**12:
        return " ".join(DIGITS[int(d)] for d in str(n))
    if n < 10:
        return DIGITS[n]
    if n < 20:
        return TEENS[n - 10]
    if n < 100:
        return TENS[n // 10] + ("-" + DIGITS[n % 10] if n % 10 else "")
    if n < 1000:
        rest = n % 100
        return DIGITS[n // 100] + " hundred" + (" " + integer_words(rest) if rest else "")
    for size, name in SCALES:
        if n >= size:
            rest = n % size
            return (integer_words(n // size) + " " + name
                    + (" " + integer_words(rest) if rest else ""))
    raise AssertionError(n)  # pragma: no cover


def number_words(sign: str, integer: str, fraction: str | None, exponent: str | None) -> str:
    """The parts of a matched number as words: "-0.46" → "minus zero point four six".

    Trailing zeros of the fraction are not read ("0.50" → "zero point five"), as a speaker
    would say it; an exponent reads "times ten to the power of minus five".
    """
    words = integer_words(int(integer.replace(",", "")))
    fraction = (fraction or "").rstrip("0")
    if fraction:
        words += " point " + " ".join(DIGITS[int(d)] for d in fraction)
    if sign and (words != "zero" or exponent):
        words = "minus " + words
    if exponent:
        exp_sign, digits = exponent[0] in "-−", exponent.lstrip("+-−")
        words += (" times ten to the power of " + ("minus " if exp_sign else "")
                  + integer_words(int(digits)))
    return words


def _replace(match: re.Match) -> str:
    if match.group("int") is not None:
        return number_words(match["sign"], match["int"], match["frac"], match["exp"])
    return " " + SYMBOLS[match.group(0)] + " "


def spoken_text(caption: str) -> str:
    """The words to speak for `caption`, on one line, with tidy spacing."""
    text = _PATTERN.sub(_replace, caption)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r" ([.,;:!?)])", r"\1", text)
