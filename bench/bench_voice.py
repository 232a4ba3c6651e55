"""Voice benchmark: seconds of synthesis per minute of narration, for each installed voice.

A fixed paragraph of ten narration sentences is spoken into an empty cache (so nothing is
reused). For Piper, one call speaking a single word measures the start-up (process plus
model load), which every batch pays once.

Run: .venv/bin/python bench/bench_voice.py [--voice piper espeak] [--rate 1.0]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from backprop_voice import available_voices, synthesize  # noqa: E402

PARAGRAPH = [
    "A picture comes in. The network has not learned anything yet: its weights are random.",
    "The picture enters as numbers: how strongly it shows whiskers, 0.8, and pointy ears, 0.3.",
    "Each neuron multiplies every input by the weight of its line, adds them up, "
    "and adds its bias.",
    "The output layer gives the network's guess: 0.46 for cat.",
    "Ouch! The gap between the guess and the truth is the error.",
    "Loss = 0.29. The bigger the mistake, the bigger the loss.",
    "For one weight, the chain rule multiplies the effects along its path: ∂L/∂w.",
    "Gradient descent takes a small step against the gradient, scaled by the learning "
    "rate η = 0.5.",
    "The guess moves from 0.46 to 0.61, and the loss falls from 0.29 to 0.15.",
    "After 200 epochs the loss is 1.2e-05, down from 0.29. The toddler has learned.",
]


def timed(sentences, voice, rate):
    """Wall seconds and seconds of audio for speaking `sentences` into a fresh cache."""
    with tempfile.TemporaryDirectory() as cache:
        start = time.perf_counter()
        speeches = synthesize(sentences, voice, Path(cache), rate)
        return time.perf_counter() - start, sum(s.duration for s in speeches)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    installed = [v for v in available_voices() if v != "none"]
    parser.add_argument("--voice", nargs="+", default=installed, choices=["piper", "espeak"])
    parser.add_argument("--rate", type=float, default=1.0)
    args = parser.parse_args()
    if not args.voice:
        sys.exit("No voice is installed: nothing to measure.")
    words = sum(len(s.split()) for s in PARAGRAPH)
    print(f"{len(PARAGRAPH)} sentences, {words} words, rate {args.rate}")
    for voice in args.voice:
        start_up, _ = timed(["Hello."], voice, args.rate) if voice == "piper" else (0.0, 0.0)
        wall, audio = timed(PARAGRAPH, voice, args.rate)
        per_minute = wall / audio * 60
        line = (f"{voice:7s} {audio:6.1f} s of speech in {wall:6.2f} s: "
                f"{per_minute:6.2f} s of synthesis per minute of narration")
        if voice == "piper":
            steady = (wall - start_up) / audio * 60
            line += (f" ({steady:.2f} without the {start_up:.1f} s start-up and model load "
                     "paid once per batch)")
        print(line, flush=True)


if __name__ == "__main__":
    main()
