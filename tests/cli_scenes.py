"""Tiny scenes for the command-line tests: quick to render at a tiny size.

Not collected by pytest (no test_ prefix); rendered with `render --module`.
"""

import os
import time
from pathlib import Path
from typing import ClassVar

from manim import LEFT, ORIGIN, RIGHT, Circle, Create, FadeOut, Rotate, Scene, Square

from scenes import ExplainerScene
from scenes.kit.base import Part


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


class TwoBeats(Part):
    """The beats of `Beats` (a part, so not a scene of its own)."""

    beats = ("one", "two")
    narration: ClassVar[dict[str, str]] = {"one": "A square.", "two": "Still a square."}

    def one(self):
        self.add(Square(color=self.theme.text))
        self.wait(0.2)

    def two(self):
        self.wait(0.2)


class Beats(ExplainerScene):
    """Two short beats with narration, built like the story's scenes (about four seconds)."""

    parts = (TwoBeats,)


class Moves(Part):
    """Three beats of short moves: many animations, each frame different."""

    beats = ("left", "right", "home")
    narration: ClassVar[dict[str, str]] = {
        "left": "The square moves left.", "right": "Now it moves right.",
        "home": "And back home."}

    def left(self):
        self.square = Square(color=self.theme.text)
        self.play(Create(self.square), run_time=0.3)
        for _ in range(3):
            self.play(self.square.animate.shift(0.5 * LEFT).rotate(0.3), run_time=0.2)

    def right(self):
        for _ in range(4):
            self.play(self.square.animate.shift(0.5 * RIGHT).scale(1.1), run_time=0.2)

    def home(self):
        self.play(self.square.animate.move_to(ORIGIN).scale(0.7), run_time=0.4)


class Shared(ExplainerScene):
    """Three narrated beats of many short moves (about eight seconds): for sharing a
    scene between processes."""

    parts = (Moves,)
