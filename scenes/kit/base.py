"""The base scene and the parts it plays: config and story, theme, layout, beats.

A story is made of parts (`Part`): each has beats, named methods listed in `beats`, and
a sentence per beat in `narration` (a template filled with the part's `numbers()`). A
part starts from an empty screen, so it renders alone as its own scene or joined with
others in the explainer. An `ExplainerScene` plays its `parts` in order: for every beat
the caption changes, the beat's animations run, and the beat lasts at least as long as
its sentence takes to read. Each beat is logged with its times, its sentence, and every
number and text on screen at its end (what `storyboard` prints).
"""

import math
import os
import re
import tempfile
import textwrap
from collections import defaultdict
from pathlib import Path

from manim import (DOWN, LEFT, ORIGIN, RIGHT, UP, FadeIn, FadeOut, Line, MathTypst, Mobject,
                   ReplacementTransform, Scene, Succession, Text, VGroup, there_and_back)

from backprop_core import load_config
from backprop_core.config import CONFIG_ENV
from backprop_core.story import lookup, story_of

from . import compat
from .narration import check_table
from .charts import GuessMeter
from .diagram import NetworkDiagram
from .labels import Formula, Label, Number, Sourced, fmt, shown_numbers
from .layout import MIN_TEXT_HEIGHT, Layout, box_of
from .theme import DARK, Theme

WORDS_PER_SECOND = 2.6
TALL = re.compile(r"[A-Z0-9bdfhklt]")   # letters as tall as a capital (and digits)
LOOK_TIME = 1.2   # seconds to look at the picture besides reading
BREATH = 0.6      # seconds after a spoken sentence before the next beat
AGREE_TIME = 0.4  # seconds a number on screen takes to be written as a formula writes it
UNBROKEN = re.compile(r" ([=→]) (?=\S)")   # a caption never breaks around these


def reading_time(words: str) -> float:
    """Seconds a viewer needs to read `words` (with a moment to look at the picture)."""
    return LOOK_TIME + len(words.split()) / WORDS_PER_SECOND


def join_words(items) -> str:
    """"a", "a and b", "a, b and c"."""
    items = list(items)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


class Part:
    """One part of the story: its beats, their sentences, and the methods that play them.

    Beat methods animate through the scene (`self.play`, `self.wait`, ...). `numbers()`
    gives the values its sentences may use, formatted. `title` names the part on its
    section card (shown first, when the part has a number).
    """

    number: int = 0
    title: str = ""
    heading: str = ""
    beats: tuple[str, ...] = ()
    narration: dict[str, str] = {}
    subject = None   # what the current beat is about: it moves while the sentence lasts

    def __init__(self, scene: "ExplainerScene"):
        self.scene = scene
        self.story, self.report, self.cfg = scene.story, scene.report, scene.cfg
        self.theme = scene.theme

    @property
    def layout(self) -> Layout:
        """This part's layout: the frame with a caption box for its own sentences."""
        return self.scene.layouts[self]

    # -- the scene's verbs -----------------------------------------------------------------

    def play(self, *animations, **kwargs) -> None:
        self.scene.play(*animations, **kwargs)

    def wait(self, seconds: float) -> None:
        self.scene.wait(seconds)

    def add(self, *mobjects) -> None:
        self.scene.add(*mobjects)

    def remove(self, *mobjects) -> None:
        self.scene.remove(*mobjects)

    # -- numbers -----------------------------------------------------------------------

    def value(self, path: str) -> Sourced:
        """The number at `path` in the story's report, remembering the path."""
        return Sourced(lookup(self.report, path), path)

    def values(self, path: str) -> list[Sourced]:
        """The list at `path` in the report, each number remembering its path."""
        return [Sourced(v, f"{path}[{k}]") for k, v in enumerate(lookup(self.report, path))]

    def said(self, path: str) -> str:
        """The number at `path` as the narration says it (formatted like on screen)."""
        return fmt(self.value(path))

    def numbers(self) -> dict[str, str]:
        """Values the narration templates may use, already formatted."""
        cfg = self.cfg
        first = self.report["samples"][0]
        return {
            "inputs": join_words(cfg.input_labels),
            "outputs": join_words(cfg.output_labels),
            "sample": cfg.sample_labels[0],
            "samples": join_words(cfg.sample_labels),
            "prediction": ", ".join(fmt(v) for v in first["prediction"]),
            "target": ", ".join(fmt(v) for v in first["target"]),
            "sample_loss": fmt(first["loss"]),
            "cost": fmt(self.report["loss"]),
            "eta": fmt(cfg.learning_rate),
        }

    # -- things to show ------------------------------------------------------------------

    def text(self, words: str, size: float | None = None, color=None, **kwargs) -> Label:
        """Text in the theme's font and colours."""
        return Label(words, self.theme, size, color, **kwargs)

    def numeral(self, path_or_value, size: float | None = None, color=None,
               digits: int | None = None) -> Number:
        """A number from the report (a path) or an already looked-up value."""
        value = self.value(path_or_value) if isinstance(path_or_value, str) else path_or_value
        return Number(value, self.theme, size, color, digits)

    def formula(self, *pieces, size: float | None = None, color=None,
                digits: int | None = None) -> Formula:
        return Formula(*pieces, digits=digits, font_size=size or self.theme.formula_size,
                       color=color or self.theme.text)

    def formula_style(self) -> dict:
        return dict(font_size=self.theme.formula_size, color=self.theme.text)

    def make_diagram(self, box=None, **options) -> NetworkDiagram:
        """A diagram of the configured network, weights coloured by sign, fitted into
        `box` (default: the layout's diagram box), drawing at least the neurons the story
        follows; `options` go to NetworkDiagram (e.g. `output_room`)."""
        box = box or self.layout.diagram
        diagram = NetworkDiagram(self.cfg.network.layers, self.theme, self.cfg.input_labels,
                                 self.cfg.output_labels, width=box.width, height=box.height,
                                 keep=self.followed_neurons(), **options)
        for l, w in enumerate(self.cfg.network.weights):
            diagram.color_edges(l, w)
        return box.fit(diagram)

    def followed_neurons(self) -> dict[int, set[int]]:
        """The neurons the story follows, by diagram layer: both ends of the followed
        weights, the followed output, hidden neuron and forward-pass neuron."""
        focus, keep = self.report["focus"], defaultdict(set)
        for weight in (focus["weight"], focus["hidden_weight"]):
            if weight:
                l, j, i = weight
                keep[l].add(i)
                keep[l + 1].add(j)
        if focus["hidden"]:
            keep[focus["hidden"][0]].add(focus["hidden"][1])
        keep[len(self.cfg.network.layers) - 1].add(focus["output"])
        keep[1].add(focus["forward_neuron"])
        return dict(keep)

    def show_values(self, diagram: NetworkDiagram, sample: int = 0) -> VGroup:
        """Every layer of `diagram` set at once to the activations of sample `sample`;
        returns the value labels (to add or fade in)."""
        labels = diagram.set_layer(0, self.values(f"samples[{sample}].input"), "linear")
        for l, activation in enumerate(self.cfg.network.activations, start=1):
            labels += diagram.set_layer(l, self.values(f"samples[{sample}].layers[{l - 1}].a"),
                                        activation)
        return VGroup(*labels)

    def agree_with(self, *lines) -> None:
        """Rewrite each number on screen that `lines` (formulas about to be shown) write
        otherwise as they write it, in place (in AGREE_TIME): on one screen, one number
        is written one way (a label gains the digits a formula gives it). A neuron's
        value is made anew by its diagram, a meter's number by its meter; another number
        keeps its centre when centred on a neuron, else its left edge (after a word,
        beside a neuron)."""
        texts: dict[float, str] = {}
        for value, text, _ in shown_numbers(lines):
            texts.setdefault(value, text)
        on_screen = {id(m): m for top in self.scene.mobjects for m in top.get_family()}
        owners = [m for m in on_screen.values() if isinstance(m, (NetworkDiagram, GuessMeter))]
        diagrams = [m for m in owners if isinstance(m, NetworkDiagram)]
        animations = []
        for old in on_screen.values():
            if not isinstance(old, Number) or texts.get(old.value, old.shown) == old.shown:
                continue
            text = texts[old.value]
            found = next(filter(None, (owner.rewrite(old, text) for owner in owners)), None)
            if found is None:
                centred = any(d.centred_on_neuron(old) for d in diagrams)
                found = [ReplacementTransform(
                    old, old.rewritten(text, self.theme, ORIGIN if centred else LEFT))]
            animations += found
        if animations:
            self.play(*animations, run_time=AGREE_TIME)

    def set_heading(self, words: str | None = None) -> None:
        self.scene.set_heading(words or self.heading, self.layout)

    def legend(self, *entries: tuple) -> None:
        self.scene.set_legend(*entries, layout=self.layout)

    def panel(self, *mobjects, box=None, buff: float = 0.22) -> VGroup:
        """Stack mobjects top-down, left-aligned, shrunk to fit the panel box."""
        group = VGroup(*mobjects).arrange(DOWN, aligned_edge=LEFT, buff=buff)
        return (box or self.layout.panel).fit(group, UP + LEFT)

    def time_left(self) -> float:
        """Seconds of this beat still to fill: its sentence's time minus what has played."""
        return self.scene.beat_end - self.scene.story_time

    def emphasize(self, mobject, seconds: float) -> None:
        """Hold on `mobject` for `seconds` while it gently swells and settles (so the
        picture never freezes under a sentence)."""
        if seconds > 0:
            self.play(mobject.animate(rate_func=there_and_back).scale(1.08), run_time=seconds)

    def card(self) -> None:
        """The section card: the part's number and title, drifting closer while its
        sentence is read, then gone."""
        self.scene.clear()
        card = VGroup(self.text(f"Part {self.number}", self.theme.body_size, self.theme.muted),
                      self.text(self.title, self.theme.title_size, self.theme.highlight)
                      ).arrange(DOWN, buff=0.25)
        self.layout.stage.fit(card)
        self.play(FadeIn(card, shift=0.3 * DOWN), run_time=0.8)
        self.play(card.animate.scale(1.08), run_time=max(1.0, self.time_left() - 0.5))
        self.play(FadeOut(card), run_time=0.5)


class ExplainerScene(Scene):
    """Base of every scene: loads the config, computes its story, plays its parts' beats.

    Customise by subclassing: set `config_file` (or `overrides`, {section: {key: value}}),
    `theme`, or replace entries of `narration`.
    """

    theme: Theme = DARK
    config_file: str | None = None
    overrides: dict = {}
    parts: tuple[type[Part], ...] = ()
    beats: tuple[str, ...] = ()
    narration: dict[str, str] = {}
    show_captions: bool = True
    stills_dir: str | None = None  # when set, the last frame of every beat is saved here
    voice: str = "none"            # piper, espeak, or none (silent, paced for reading)
    voice_cache_dir: str | None = None   # where spoken sentences are kept

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if "parts" in cls.__dict__:   # beats and sentences follow the parts
            cls.beats = tuple(b for part in cls.parts for b in _part_beats(part))
            if "narration" not in cls.__dict__:
                cls.narration = {k: v for part in cls.parts
                                 for k, v in _part_narration(part).items()}

    # -- set-up ------------------------------------------------------------------------

    def setup(self):
        self.cfg = load_config(self.config_file or os.environ.get(CONFIG_ENV) or None,
                               self.overrides)
        self.story = story_of(self.cfg)
        self.report = self.story.report
        self.camera.background_color = self.theme.background
        self.caption = VGroup()
        self.heading = VGroup()
        self.key = VGroup()
        self.beat_log: list[dict] = []
        self.story_time = 0.0  # the sum of exact run times played so far
        self.beat_end = 0.0    # the story time the current beat lasts until
        self.beat_parts = [(part, name) for part in (cls(self) for cls in self.parts)
                           for name in _part_beats(type(part))]
        self.sentences = self.write_sentences()
        self.layouts = self.part_layouts()
        self.layout = Layout.of_frame()   # the layout of the part playing (each beat's)
        self.speech = self.speak(list(self.sentences.values()))

    def part_layouts(self) -> dict[Part, Layout]:
        """Each part's layout, its caption box holding the part's longest sentence as
        said (numbers and names filled in): a part with short sentences gets the stage
        the others' long ones would take (parts are apart, between section cards)."""
        longest = defaultdict(int)
        for part, name in self.beat_parts:
            longest[part] = max(longest[part], len(self.sentences[name]))
        return {part: Layout.of_frame(longest_caption=n) for part, n in longest.items()}

    def construct(self):
        for part, name in self.beat_parts:
            self.play_beat(part, name)
        if self.speech:
            compat.pad_sound(self)

    # -- beats -------------------------------------------------------------------------

    def write_sentences(self) -> dict[str, str]:
        """Each beat's sentence: the scene's template, or the config's [narration] one,
        filled with its part's numbers."""
        own = {name: text for name, text in self.cfg.narration.items() if name in self.narration}
        numbers = {name: part.numbers() for part, name in self.beat_parts}
        check_table(own, list(self.narration), lambda beat: numbers[beat])
        templates = {**self.narration, **own}
        return {name: templates[name].format(**numbers[name]) for _, name in self.beat_parts}

    def speak(self, sentences: list[str]) -> dict:
        """The spoken sentences by beat name (none when the voice is `none`)."""
        if self.voice == "none":
            return {}
        from backprop_voice import synthesize
        if self.voice_cache_dir is None:   # kept until the process ends
            self._speech_dir = tempfile.TemporaryDirectory(prefix="backprop-voice-")
        folder = Path(self.voice_cache_dir or self._speech_dir.name)
        return dict(zip(self.sentences, synthesize(sentences, self.voice, folder)))

    def play_beat(self, part: Part, name: str) -> None:
        """Run beat `name` of `part`: caption and speech on, animations, time to read or
        to finish the sentence, logged."""
        text = self.sentences[name]
        speech = self.speech.get(name)
        start = self.time
        # Pace by the exact story clock, not by rendered frames, so the pause (and with
        # it Manim's cache key) is the same whether animations were rendered or cached.
        self.beat_end = self.story_time + (speech.duration + BREATH if speech
                                           else reading_time(text))
        if speech and speech.path:
            compat.add_sound(self, speech.path)
        part.subject = None
        self.layout = self.layouts[part]
        self.set_caption(text)
        (part.card if name == card_beat(type(part)) else getattr(part, name))()
        rest = self.beat_end - self.story_time
        if rest > 0 and part.subject is not None:
            part.emphasize(part.subject, rest)
        elif rest > 0:
            self.wait(rest)
        duration = self.time - start
        self.add_subcaption(text, duration=duration, offset=-duration)
        self.beat_log.append({"name": name, "start": float(start), "end": float(self.time),
                              "narration": text, **self.on_screen()})
        if self.stills_dir:
            self.save_still(name)

    def play(self, *args, **kwargs):
        super().play(*args, **kwargs)
        self.story_time += compat.last_run_time(self)

    def wait(self, duration: float = 1.0, *args, **kwargs):
        super().wait(duration, *args, **kwargs)
        self.story_time += duration

    def on_screen(self) -> dict:
        """Every number (value, text, source) and every text (with its box) on screen."""
        visible = [m for m in self.mobjects if _visible(m)]
        numbers = [{"value": v, "text": t, "source": s} for v, t, s in shown_numbers(visible)]
        texts = []
        for mob in visible:
            for part in mob.get_family():
                if isinstance(part, (Text, MathTypst)) and _visible(part):
                    box = box_of(part)
                    texts.append({"text": _words(part),
                                  "box": [box.left, box.bottom, box.right, box.top]})
        return {"numbers": numbers, "texts": texts}

    def save_still(self, beat: str) -> Path:
        """Save the frame on screen now as `<Scene>-<number>-<beat>.png` in `stills_dir`."""
        path = Path(self.stills_dir) / f"{type(self).__name__}-{len(self.beat_log):02d}-{beat}.png"
        path.parent.mkdir(parents=True, exist_ok=True)
        compat.frame_image(self).save(path)
        return path

    # -- the frame's furniture -----------------------------------------------------------

    def text(self, words: str, size: float | None = None, color=None, **kwargs) -> Label:
        return Label(words, self.theme, size, color, **kwargs)

    def set_caption(self, words: str) -> None:
        """Replace the caption strip at the bottom of the frame."""
        if not self.show_captions:
            return
        new = self.caption_lines(words)
        self.layout.caption.fit(new, DOWN)
        self.play(Succession(FadeOut(self.caption, run_time=0.15), FadeIn(new, run_time=0.3)))
        self.caption = new

    def caption_lines(self, words: str) -> VGroup:
        """`words` wrapped to lines as wide as the caption box (rewrapped shorter once
        when the widest line, measured, is too wide)."""
        box, chars = self.layout.caption, self.layout.caption_chars
        words = UNBROKEN.sub("\u00a0\\1\u00a0", words)   # "z = 0.80" stays on one line
        for _ in range(2):
            lines = VGroup(*(self.text(line, self.caption_size, self.theme.muted)
                             for line in textwrap.wrap(words, width=chars)))
            if lines.width <= box.width:
                break
            chars = int(chars * box.width / lines.width)
        return lines.arrange(DOWN, buff=0.12 * self.layout.text_scale)

    @property
    def caption_size(self) -> float:
        """The font size of captions and the legend in this frame."""
        return self.theme.caption_size * self.layout.text_scale

    def set_heading(self, words: str, layout: Layout | None = None) -> None:
        """The scene's heading, top left (in `layout`'s heading box, by default the
        scene's): one line, or two (split after its colon or question mark) when one would
        have to shrink."""
        new = self.text(words, self.theme.heading_size, self.theme.text, weight="BOLD")
        box = (layout or self.layout).heading
        head, mark, tail = _split_heading(words)
        if new.width > box.width and box.height >= 2 * new.height and tail:
            new = VGroup(*(self.text(line, self.theme.heading_size, self.theme.text,
                                     weight="BOLD") for line in (head + mark, tail))
                         ).arrange(DOWN, aligned_edge=LEFT, buff=0.12)
        box.fit(new, LEFT)
        self.play(FadeOut(self.heading), FadeIn(new, shift=0.2 * DOWN), run_time=0.5)
        self.heading = new

    def set_legend(self, *entries: tuple, layout: Layout | None = None) -> None:
        """The key of the colours and marks in use: (meaning, colour) pairs (a line of
        that colour) or (meaning, mobject) pairs (the mark itself), in the legend strip
        (of `layout`, by default the scene's), in as many rows as it takes."""
        box = (layout or self.layout).legend
        new = box.fit(self.make_legend(entries, box.width), UP + LEFT)
        self.play(FadeOut(self.key), FadeIn(new), run_time=0.4)
        self.key = new

    def make_legend(self, entries, width: float) -> VGroup:
        """The key of `entries` (as `set_legend` takes them) at full size, in rows at most
        `width` wide where its keys allow."""
        keys = [VGroup(swatch if isinstance(swatch, Mobject)
                       else Line(ORIGIN, 0.4 * RIGHT, stroke_width=6, color=swatch),
                       self.text(words, self.caption_size, self.theme.muted))
                .arrange(RIGHT, buff=0.12) for words, swatch in entries]
        rows = [[]]
        for key in keys:   # fill rows left to right, a new row when one is full
            if rows[-1] and VGroup(*rows[-1], key).arrange(RIGHT, buff=0.35).width > width:
                rows.append([])
            rows[-1].append(key)
        return VGroup(*(VGroup(*row).arrange(RIGHT, buff=0.35) for row in rows)
                      ).arrange(DOWN, aligned_edge=LEFT, buff=0.06)

    def clear(self) -> None:
        """Fade out everything but the caption, ready for the next part."""
        leaving = [m for m in self.mobjects if m is not self.caption]
        if leaving:
            self.play(*(FadeOut(m) for m in leaving), run_time=0.5)
        self.heading, self.key = VGroup(), VGroup()


def _split_heading(words: str) -> tuple[str, str, str]:
    """("Backpropagation", ":", "who is to blame?") for a heading with a colon or a
    question mark inside; (words, "", "") otherwise."""
    for mark in (": ", "? "):
        head, found, tail = words.partition(mark)
        if found:
            return head, mark.strip(), tail
    return words, "", ""


def _words(text) -> str:
    """What a Text or MathTypst says (a formula: its Typst source)."""
    return getattr(text, "typst", None) or getattr(text, "original_text", None) or text.text


def smallest_text(mobject) -> float:
    """The height of the smallest text in `mobject` that is as tall as a capital (not
    x-height only, like "a"); infinite when there is none."""
    return min((part.height for part in mobject.get_family()
                if isinstance(part, (Text, MathTypst)) and TALL.search(_words(part))),
               default=math.inf)


def fitted_scale(mobject, box) -> float:
    """The scale `box.fit` gives `mobject` (at most 1)."""
    return min(1.0, box.width / mobject.width, box.height / mobject.height)


def reads_in(mobject, box) -> bool:
    """Whether `mobject`, shrunk to fit `box`, keeps every text readable."""
    return smallest_text(mobject) * fitted_scale(mobject, box) >= MIN_TEXT_HEIGHT


def _visible(mobject) -> bool:
    family = mobject.get_family()
    return any(m.get_fill_opacity() > 0.01 or m.get_stroke_opacity() > 0.01 for m in family
               if m.has_points()) if family else False


def card_beat(part: type[Part]) -> str:
    """The name of a part's section-card beat."""
    return f"card_{part.__name__}"


def _part_beats(part: type[Part]) -> tuple[str, ...]:
    return ((card_beat(part),) if part.number else ()) + tuple(part.beats)


def _part_narration(part: type[Part]) -> dict[str, str]:
    end = "" if part.title.endswith(("?", "!", ".")) else "."
    card = {card_beat(part): f"Part {part.number}: {part.title}{end}"} if part.number else {}
    return card | part.narration
