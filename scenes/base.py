"""The shared base scene: config and trace, theme, layout, and the beats scenes are made of.

A scene lists its beats by method name in `beats`; `narration[name]` is the sentence
told during that beat (a template filled with `story_numbers()`). The beat runs its
animations, the sentence shows as a caption and becomes a subtitle, and the beat lasts
at least as long as the sentence takes to read.
"""

import os
import textwrap
from pathlib import Path

from manim import (DOWN, LEFT, ORIGIN, RIGHT, UL, UP, FadeIn, FadeOut, Line, Scene, Succession,
                   VGroup, config)

from backprop_core import load_config, trace

from .diagram import NetworkDiagram
from .labels import Label, fmt, number_values
from .theme import DARK, Theme

CONFIG_ENV = "BACKPROP_VIDEO_CONFIG"
WORDS_PER_SECOND = 2.6
CAPTION_BOTTOM = -config.frame_height / 2 + 0.3  # captions grow upwards from here
CAPTION_CHARS = 84
PANEL_LEFT = 1.6  # formulas and charts live right of this x; the diagram left of it
PANEL_BOTTOM = -2.6  # and above this y, clear of a two-line caption


class ExplainerScene(Scene):
    """Base of every scene: loads the config, traces it, and plays `beats` in order.

    Customise by subclassing: set `config_file` (or `overrides`, {section: {key: value}}),
    `theme`, or replace entries of `narration`.
    """

    theme: Theme = DARK
    config_file: str | None = None
    overrides: dict = {}
    beats: tuple[str, ...] = ()
    narration: dict[str, str] = {}
    show_captions: bool = True
    stills_dir: str | None = None  # when set, the last frame of every beat is saved here

    # -- set-up ------------------------------------------------------------------------

    def setup(self):
        self.cfg = load_config(self.config_file or os.environ.get(CONFIG_ENV) or None,
                               self.overrides)
        x, y = self.cfg.input, self.cfg.target
        # The story follows one picture: the first sample when the config has several.
        self.sample_input = x[0] if x.ndim == 2 else x
        self.sample_target = y[0] if y.ndim == 2 else y
        self.trace = trace(self.cfg.network, self.sample_input, self.sample_target, self.cfg.loss)
        self.camera.background_color = self.theme.background
        self.caption = VGroup()
        self.heading = VGroup()
        self.beat_log: list[tuple[str, str, float, float]] = []
        self.story_time = 0.0  # the sum of exact run times played so far
        self.displayed_numbers: list[float] = []

    def construct(self):
        for name in self.beats:
            self.play_beat(name)

    # -- beats -------------------------------------------------------------------------

    def story_numbers(self) -> dict[str, str]:
        """Values the narration templates may use, already formatted."""
        t = self.trace
        return {
            "prediction": ", ".join(fmt(v) for v in t.prediction),
            "target": ", ".join(fmt(v) for v in t.target),
            "loss": fmt(t.loss),
            "inputs": _join(self.cfg.input_labels),
            "outputs": _join(self.cfg.output_labels),
        }

    def play_beat(self, name: str) -> None:
        """Run beat `name`: caption on, animations, pause to read, subtitle recorded."""
        text = self.narration[name].format(**self.story_numbers())
        start, story_start = self.time, self.story_time
        self.set_caption(text)
        getattr(self, name)()
        # Pace by the exact story clock, not by rendered frames, so the pause (and with
        # it Manim's cache key) is the same whether animations were rendered or cached.
        rest = reading_time(text) - (self.story_time - story_start)
        if rest > 0:
            self.wait(rest)
        duration = self.time - start
        self.add_subcaption(text, duration=duration, offset=-duration)
        self.beat_log.append((name, text, start, self.time))
        if self.stills_dir:
            self.save_still(name)

    def play(self, *args, **kwargs):
        super().play(*args, **kwargs)
        self.story_time += self.duration
        self.displayed_numbers.extend(number_values(self.mobjects))

    def save_still(self, beat: str) -> Path:
        """Save the frame on screen now as `<Scene>-<number>-<beat>.png` in `stills_dir`."""
        self.renderer.update_frame(self)
        path = Path(self.stills_dir) / f"{type(self).__name__}-{len(self.beat_log):02d}-{beat}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        self.camera.get_image().save(path)
        return path

    # -- layout helpers ----------------------------------------------------------------

    def text(self, words: str, size: float | None = None, color=None, **kwargs) -> Label:
        """Text in the theme's font and colours."""
        return Label(words, self.theme, size, color, **kwargs)

    def set_caption(self, words: str) -> None:
        """Replace the caption strip at the bottom of the frame."""
        if not self.show_captions:
            return
        lines = textwrap.wrap(words, width=CAPTION_CHARS)
        new = VGroup(*(self.text(line, self.theme.caption_size, self.theme.muted)
                       for line in lines)).arrange(DOWN, buff=0.12)
        new.scale_to_fit_width(min(new.width, config.frame_width - 1.0))
        new.move_to([0, CAPTION_BOTTOM, 0], aligned_edge=DOWN)
        self.play(Succession(FadeOut(self.caption, run_time=0.15), FadeIn(new, run_time=0.3)))
        self.caption = new

    def set_heading(self, words: str) -> None:
        """The scene's heading, top left."""
        new = self.text(words, self.theme.heading_size, self.theme.text, weight="BOLD")
        new.to_corner(UL, buff=0.35)
        self.play(FadeOut(self.heading), FadeIn(new, shift=0.2 * DOWN), run_time=0.5)
        self.heading = new

    def panel(self, *mobjects, top: float = 2.3) -> VGroup:
        """Stack mobjects top-down, left-aligned, in the right-hand panel, shrunk to fit
        between `top` and the caption."""
        width = config.frame_width / 2 - PANEL_LEFT - 0.3
        for mobject in mobjects:  # only what is too wide shrinks
            if mobject.width > width:
                mobject.scale_to_fit_width(width)
        group = VGroup(*mobjects).arrange(DOWN, aligned_edge=LEFT, buff=0.22)
        if group.height > top - PANEL_BOTTOM:
            group.scale_to_fit_height(top - PANEL_BOTTOM)
        return group.move_to([PANEL_LEFT, top, 0], aligned_edge=LEFT + UP)

    def formula_style(self) -> dict:
        return dict(font_size=self.theme.formula_size, color=self.theme.text)

    def legend(self, *entries: tuple[str, str]) -> VGroup:
        """A key of coloured strokes and their meaning, e.g. ("positive weight", BLUE)."""
        return VGroup(*(
            VGroup(Line(ORIGIN, 0.5 * RIGHT, stroke_width=6, color=color),
                   self.text(words, self.theme.caption_size, self.theme.muted))
            .arrange(RIGHT, buff=0.15)
            for words, color in entries
        )).arrange(DOWN, aligned_edge=LEFT, buff=0.12)

    def make_diagram(self, width: float = 8.0, height: float = 4.6) -> NetworkDiagram:
        """A diagram of the configured network with its weights coloured (the caller places it)."""
        diagram = NetworkDiagram(self.cfg.network.layers, self.theme, self.cfg.input_labels,
                                 self.cfg.output_labels, width=width, height=height)
        for l, w in enumerate(self.cfg.network.weights):
            diagram.color_edges(l, w)
        return diagram

    def fill_all(self, diagram: NetworkDiagram, t=None) -> VGroup:
        """Set every layer of `diagram` to the values of trace `t` at once; returns the labels."""
        t = t or self.trace
        labels = diagram.set_layer(0, t.input, "linear")
        for l, layer in enumerate(t.layers, start=1):
            labels += diagram.set_layer(l, layer.a, layer.activation)
        return VGroup(*labels)


def reading_time(words: str) -> float:
    """Seconds a viewer needs to read `words` (with a moment to look at the picture)."""
    return 1.2 + len(words.split()) / WORDS_PER_SECOND


def _join(items: list[str]) -> str:
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
