"""Tiny scenes for the command-line tests: quick to render at a tiny size.

Not collected by pytest (no test_ prefix); rendered with `render --module`.
"""

import os
import time
from pathlib import Path

from manim import Circle, Create, FadeOut, Rotate, Scene, Square


class Tiny(Scene):
    """A square appears, with a subtitle (one second)."""

    def construct(self):
        square = Square()
        self.play(Create(square), run_time=0.6, subcaption="a square")
        self.wait(0.4)


class Other(Scene):
    """A circle appears and fades (one second)."""

    def construct(self):
        circle = Circle()
        self.play(Create(circle), run_time=0.5)
        self.play(FadeOut(circle), run_time=0.5)


class Broken(Scene):
    """Fails after its first animation."""

    def construct(self):
        self.play(Create(Square()), run_time=0.4)
        raise RuntimeError("boom in construct")


class Slow(Scene):
    """Many short animations with pauses: long enough to be interrupted.

    It touches the file named by $CLI_TEST_STARTED once it is rendering.
    """

    def construct(self):
        square = Square()
        self.add(square)
        marker = os.environ.get("CLI_TEST_STARTED")
        for step in range(300):
            self.play(Rotate(square, 0.05 + step / 1000), run_time=0.2)
            if marker:
                if step == 2:
                    Path(marker).touch()
                time.sleep(0.05)
