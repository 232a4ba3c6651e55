"""The layout matrix: every frame shape, every network the config allows, every part.

Quick checks build the layout and the diagram alone (no scene). The scene checks dry-run
each part of the story as its own scene, and the full explainer, at a frame shape
(conftest's `story_run`, shared with the other scene tests) and read every beat's logged
`texts` (text and box in frame units): each box inside the frame, no two boxes
overlapping, no text shorter than 12 px at 480 px. The quick gate checks the parts that
have scenes of their own with the default network at 16:9; the rest of the matrix (parts
x networks x shapes) and the explainer (networks x shapes, about 35 s a dry run) are
marked slow.

Overlap rule: two texts overlap when their boxes share more than `SLACK` in both
directions. A formula is one text (one box), so its own pieces never count; a label of
several lines is several texts whose lines must not overlap either. The same text logged
twice with the same box (one mobject reached through two groups) counts once.
"""

import itertools
import re
from functools import cache

import numpy as np
import pytest
from manim import ManimColor, Text, VGroup, interpolate_color

from conftest import CONFIGS, FRAMES
from scenes.kit.base import ExplainerScene
from scenes.kit.diagram import NetworkDiagram, _contrast
from scenes.kit.layout import MIN_TEXT_HEIGHT, Box, Layout, box_of, frame_units
from scenes.kit.theme import DARK
from scenes.story.explainer import PARTS, SCENES

SHAPES, NETWORKS = FRAMES, CONFIGS
SLACK = 0.02    # frame units (about 1 px at 480 px): glyph boxes may touch
TALL = re.compile(r"[A-Z0-9bdfhklt]")   # texts as tall as a capital (not x-height only)


def frame_box(width: float, height: float) -> Box:
    return Box(-width / 2, -height / 2, width / 2, height / 2)


def text_problems(texts, frame: Box) -> list[str]:
    """What is wrong with one beat's texts: outside the frame, overlapping, too small."""
    boxes = {(t["text"], tuple(round(v, 4) for v in t["box"])) for t in texts}
    problems = []
    for text, box in boxes:
        b = Box(*box)
        if not frame.contains(b, slack=SLACK):
            problems.append(f"outside the frame: {text!r} {box}")
        if TALL.search(text) and b.height < MIN_TEXT_HEIGHT - 1e-3:
            problems.append(f"too small ({b.height * 60:.1f} px at 480): {text!r}")
    for (ta, a), (tb, b) in itertools.combinations(sorted(boxes), 2):
        a, b = Box(*a), Box(*b)
        if (min(a.right, b.right) - max(a.left, b.left) > SLACK
                and min(a.top, b.top) - max(a.bottom, b.bottom) > SLACK):
            problems.append(f"overlap: {ta!r} and {tb!r}")
    return problems


# -- the layout alone -----------------------------------------------------------------


@pytest.mark.parametrize("pixels", [*SHAPES.values(), (1920, 1080)], ids=str)
def test_layout_boxes_fit_the_frame(pixels):
    width, height = frame_units(*pixels)
    assert min(width, height) == pytest.approx(8.0)
    layout = Layout.of_frame(width, height, longest_caption=150)
    frame = frame_box(width, height)
    for box in (layout.heading, layout.stage, layout.caption):
        assert frame.contains(box)
    for box in (layout.diagram, layout.legend, layout.panel):
        assert layout.stage.contains(box)
    assert not layout.heading.overlaps(layout.stage)
    assert not layout.stage.overlaps(layout.caption)
    assert not layout.diagram.overlaps(layout.panel)
    assert not layout.legend.overlaps(layout.panel)
    # Wide frames put the panel beside the diagram, square and tall ones below it; a
    # square one puts the legend beside the panel, leaving the diagram more height.
    if width / height > 1.2:
        assert layout.wide and layout.panel.left > layout.diagram.right
    else:
        assert not layout.wide and layout.panel.top < layout.diagram.bottom
    if width == height:
        assert layout.legend.left > layout.panel.right and layout.text_scale < 1
        assert layout.diagram.height > 0.55 * layout.stage.height
    # The caption box holds a 150-character sentence at its font size.
    assert layout.caption_lines * layout.caption_chars * 0.93 >= 150
    # The caption font stays readable: a capital at least MIN_TEXT_HEIGHT tall.
    capital = Text("H", font=DARK.font, font_size=DARK.caption_size * layout.text_scale)
    assert capital.height >= MIN_TEXT_HEIGHT


@pytest.mark.parametrize("shape", SHAPES)
def test_a_roomy_panel_gives_its_room_to_the_diagram(shape):
    layout = Layout.of_frame(*frame_units(*SHAPES[shape]), longest_caption=150)
    roomier = list(layout.roomier())
    assert roomier[0] == layout
    if not (layout.wide or layout.square):   # a tall frame: the legend between them
        assert roomier == [layout]
        return
    grown = [taken for taken in roomier if not taken.legend_up]
    assert len(grown) > 2
    for smaller, larger in zip(grown, grown[1:]):   # the diagram grows, the panel shrinks
        assert larger.diagram.contains(smaller.diagram)
        assert smaller.panel.contains(larger.panel)
        assert larger.diagram.width * larger.diagram.height > (
            smaller.diagram.width * smaller.diagram.height + 0.1)
    for taken in roomier:
        assert layout.stage.contains(taken.diagram) or taken.legend_up
        for a, b in itertools.combinations((taken.diagram, taken.panel, taken.legend,
                                            taken.heading, taken.caption), 2):
            assert not a.overlaps(b)
        if layout.wide and taken.diagram.width > layout.diagram.width:
            # the diagram's labels reach its edge: the panel keeps two gaps off
            assert taken.panel.left - taken.diagram.right >= 0.6 - 1e-6


def test_tall_frames_give_captions_more_lines():
    lines = {name: Layout.of_frame(*frame_units(*px), longest_caption=150).caption_lines
             for name, px in SHAPES.items()}
    assert lines["16:9"] <= lines["4:3"] <= lines["1:1"] <= lines["9:16"]
    assert lines["16:9"] < lines["9:16"]


# -- the diagram alone ----------------------------------------------------------------

DIAGRAMS = [[3, 4, 1], [2, 4, 4, 2], [4, 8, 8, 3], [32] * 6]
KNOWN = pytest.mark.xfail(reason="known layout failure, open in issue 10", strict=False)


def diagram_in(pixels, layers, values=None):
    """A diagram of `layers` fitted into the diagram box of a frame of `pixels`, every
    layer showing `values` (cycled), as `make_diagram` builds it."""
    layout = Layout.of_frame(*frame_units(*pixels), longest_caption=150)
    box = layout.diagram
    inputs = ["pointy ears", "whiskers", "barks"] + [f"input {k + 1}" for k in range(3, 32)]
    outputs = ["cat?", "dog?"] + [f"output {k + 1}" for k in range(2, 32)]
    diagram = NetworkDiagram(layers, DARK, inputs[:layers[0]], outputs[:layers[-1]],
                             width=box.width, height=box.height)
    box.fit(diagram)
    labels = []
    for l, n in enumerate(layers):
        row = np.resize(values if values is not None else [0.5], n)
        labels += diagram.set_layer(l, row, "tanh")
    return layout, diagram, labels


def texts_of(*mobjects) -> list[dict]:
    return [{"text": m.text, "box": list(vars(box_of(m)).values())}
            for mob in mobjects for m in mob.get_family() if isinstance(m, Text)]


CROWDED = {("4:3", "[32, 32, 32, 32, 32, 32]"), ("1:1", "[32, 32, 32, 32, 32, 32]")}


@pytest.mark.parametrize("shape, layers", [
    pytest.param(shape, layers, marks=[KNOWN] if (shape, str(layers)) in CROWDED else [])
    for shape in SHAPES for layers in DIAGRAMS], ids=str)
def test_diagram_fills_its_box_and_its_texts_read(shape, layers):
    values = [-0.88, 0.9, -0.057, 0.1]
    layout, diagram, labels = diagram_in(SHAPES[shape], layers, values)
    box = layout.diagram
    whole = box_of(VGroup(diagram, *labels))
    assert box.contains(whole, slack=1e-3)
    # It takes the space it has: its width or its height.
    assert max(whole.width / box.width, whole.height / box.height) > 0.97
    assert text_problems(texts_of(diagram, *labels), box) == []
    # Neurons stay round and apart.
    for column in diagram.neurons:
        ys = sorted(c.get_y() for c in column.values())
        assert all(b - a > 2 * diagram.radius for a, b in zip(ys, ys[1:]))


def test_numbers_sit_inside_large_neurons_and_above_small_ones():
    _, big, labels = diagram_in(SHAPES["9:16"], [3, 4, 1], [0.9])
    assert big.numbers_inside
    assert all(np.allclose(label.get_center(), big.neurons[0][j].get_center())
               for j, label in big.values[0].items())
    _, small, _ = diagram_in(SHAPES["16:9"], [4, 8, 8, 3], [0.9])
    assert not small.numbers_inside
    for j, label in small.values[1].items():
        assert label.get_bottom()[1] > small.neurons[1][j].get_top()[1]


@pytest.mark.parametrize("opacity", [0.0, 0.2, 0.45, 0.6, 0.85])
@pytest.mark.parametrize("fill", [DARK.neuron_fill, DARK.negative])
def test_numbers_read_on_every_fill(fill, opacity):
    _, diagram, _ = diagram_in(SHAPES["16:9"], [3, 4, 1])
    shown = interpolate_color(ManimColor(DARK.background), ManimColor(fill), opacity)
    chosen = _contrast(diagram.text_color_on((fill, opacity)), shown)
    # The better of text and background colour, and no worse than WCAG's large text.
    assert chosen >= max(_contrast(DARK.text, shown), _contrast(DARK.background, shown))
    assert chosen >= 3.0


# -- the parts in scenes ----------------------------------------------------------------


@cache
def part_scene(part_name: str) -> type:
    """The story's scene of this part alone (the title and recap get one of their own)."""
    part = next(p for p in PARTS if p.__name__ == part_name)
    alone = [cls for cls in SCENES.values() if cls.parts == (part,)]
    return alone[0] if alone else type(f"Layout{part_name}", (ExplainerScene,),
                                       {"parts": (part,)})


def check_scene(story_run, scene_class, network, shape):
    """Every beat of a dry run of `scene_class` with `network` at `shape` reads."""
    beats = story_run(scene_class, network, shape).beat_log
    frame = frame_box(*frame_units(*SHAPES[shape]))
    problems = [f"{beat['name']}: {p}" for beat in beats
                for p in text_problems(beat["texts"], frame)]
    assert not problems, (f"{scene_class.__name__} ({network}, {shape}):\n"
                          + "\n".join(problems[:20]))


def quick(part_name: str, network: str, shape: str) -> bool:
    """The quick gate: each part that has a scene of its own, default network, 16:9 (the
    dry runs the other quick scene tests share); the rest of the matrix is slow."""
    return (network, shape) == ("default", "16:9") and part_scene(part_name) in SCENES.values()


# Known layout failures, measured and left open in issue 10 (text under 12 px, overlaps):
# each still runs, and every other cell of the matrix must pass.
KNOWN_FAILURES: set[tuple[str, str, str]] = set()


def marks(part_name: str, network: str, shape: str) -> list:
    found = [] if quick(part_name, network, shape) else [pytest.mark.slow]
    return found + ([KNOWN] if (part_name, network, shape) in KNOWN_FAILURES else [])


MATRIX = [pytest.param(part.__name__, network, shape, marks=marks(part.__name__, network, shape))
          for part in PARTS for network in NETWORKS for shape in SHAPES]


@pytest.mark.parametrize("part_name, network, shape", MATRIX)
def test_part_layout(part_name, network, shape, story_run):
    check_scene(story_run, part_scene(part_name), network, shape)


@pytest.mark.slow
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("network", NETWORKS)
def test_explainer_layout(network, shape, story_run):
    """The full explainer, all parts in one scene (what `make video` renders): each part
    in the layout of its own sentences, so it reads as it does alone."""
    check_scene(story_run, SCENES["BackpropExplainer"], network, shape)


def test_text_problems_finds_each_kind():
    frame = frame_box(8, 8)
    fine = [{"text": "Input", "box": [0, 0, 1, 0.3]}, {"text": "Input", "box": [0, 0, 1, 0.3]},
            {"text": "layer", "box": [0, 0.31, 1, 0.6]}]
    assert text_problems(fine, frame) == []
    bad = [{"text": "Hidden 1", "box": [0, 0, 1, 0.3]}, {"text": "Hidden 2", "box": [0.9, 0, 2, 0.3]},
           {"text": "0.057", "box": [3.5, 0, 4.2, 0.3]}, {"text": "tiny", "box": [-3, 0, -2, 0.1]}]
    problems = text_problems(bad, frame)
    assert any("overlap" in p for p in problems)
    assert any("outside" in p and "0.057" in p for p in problems)
    assert any("too small" in p for p in problems)
