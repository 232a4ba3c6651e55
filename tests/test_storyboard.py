"""`storyboard`: every scene's beats, and every number on screen equal to its source's
value in `trace --json` for the same config; the frame as asked; one-line errors."""

import json
import re

import pytest

from backprop_core.story import lookup
from conftest import CONFIG_PARAMS, CONFIGS, SMALL, TINY, error_of, invoke

# A few scenes for the quick run (numbers of the forward pass, the cost, the backward
# pass through every layer); every scene of the story in the slow one.
QUICK = {"default": ["OuchMoment"], "2-4-4-2": ["ForwardPass"], "4-8-8-3": ["OuchMoment"]}
EVERY = ["NetworkAnatomy", "ForwardPass", "OuchMoment", "WhatIsAGradient",
         "Backpropagation", "TheUpdate", "GradientDescent", "Training"]


def toml_of(sections: dict) -> str:
    """A config file with `sections` ({section: {key: value}}), in TOML."""
    lines = []
    for section, values in sections.items():
        lines.append(f"[{section}]")
        lines += [f"{key} = {json.dumps(value)}" for key, value in values.items()]
        lines.append("")
    return "\n".join(lines)


def config_args(tmp_path, name: str) -> list:
    if not CONFIGS[name]:
        return []
    path = tmp_path / f"{name}.toml"
    path.write_text(toml_of(CONFIGS[name]))
    return ["--config", path]


def storyboard_json(*args) -> dict:
    result = invoke("storyboard", "--json", *args)
    assert result.exit_code == 0, result.stderr + result.stdout
    return json.loads(result.stdout)   # exactly one JSON object: nothing else on stdout


def check_against_trace(board: dict, config: list) -> int:
    trace = invoke("trace", "--json", *config)
    assert trace.exit_code == 0, trace.stderr
    report = json.loads(trace.stdout)
    count = 0
    for scene in board["scenes"]:
        for beat in scene["beats"]:
            assert set(beat) == {"name", "start", "end", "narration", "numbers", "texts"}
            assert beat["end"] >= beat["start"] and beat["narration"]
            for number in beat["numbers"]:
                assert number["source"], f"{scene['scene']}.{beat['name']}: {number}"
                assert lookup(report, number["source"]) == number["value"], (
                    f"{scene['scene']}.{beat['name']}: {number['text']} is not "
                    f"{number['source']} = {lookup(report, number['source'])}")
                count += 1
            for text in beat["texts"]:
                x0, y0, x1, y1 = text["box"]
                assert x0 <= x1 and y0 <= y1
    return count


@pytest.mark.parametrize("config", CONFIG_PARAMS)   # the other networks: slow
def test_numbers_are_the_traces(config, tmp_path, dirs):
    _, cache, _ = dirs
    args = config_args(tmp_path, config)
    board = storyboard_json(*QUICK[config], *args, *SMALL[:2], "--cache-dir", cache)
    assert [s["scene"] for s in board["scenes"]] == QUICK[config]
    assert check_against_trace(board, args) > 0


@pytest.mark.slow
@pytest.mark.parametrize("config", list(CONFIGS))
def test_numbers_of_every_scene_are_the_traces(config, tmp_path, dirs):
    _, cache, _ = dirs
    args = config_args(tmp_path, config)
    board = storyboard_json(*EVERY, *args, *SMALL[:2], "--cache-dir", cache)
    assert [s["scene"] for s in board["scenes"]] == EVERY
    assert check_against_trace(board, args) > 0
    hidden = [n for s in board["scenes"] for b in s["beats"] for n in b["numbers"]
              if re.match(r"(samples\[\d+\]\.)?layers\[0\]\.grad", n["source"])]
    assert hidden, "a hidden layer's gradients appear with numbers"


@pytest.mark.parametrize("size, units", [("192x108", (14.2222, 8.0)), ("480x480", (8.0, 8.0)),
                                         ("480x854", (8.0, 14.2333)), ("640x480", (10.6667, 8.0))])
def test_frame_is_the_resolution_with_the_shorter_side_8_units(size, units, dirs):
    _, cache, _ = dirs
    board = storyboard_json("Beats", "--module", TINY, "--resolution", size,
                            "--cache-dir", cache)
    frame = board["scenes"][0]["frame"]
    width, height = map(int, size.split("x"))
    assert (frame["pixel_width"], frame["pixel_height"]) == (width, height)
    assert (frame["width"], frame["height"]) == pytest.approx(units, abs=1e-3)


def test_text_lists_beats_in_order_with_times_and_sentences(dirs):
    _, cache, _ = dirs
    result = invoke("storyboard", "Beats", "--module", TINY, *SMALL[:2], "--cache-dir", cache)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].startswith("Beats  (2 beats")
    assert "1. one  0.0s - " in lines[1] and lines[2].strip() == '"A square."'
    assert "2. two  " in lines[3] and lines[4].strip() == '"Still a square."'
    board = storyboard_json("Beats", "--module", TINY, *SMALL[:2], "--cache-dir", cache)
    beats = board["scenes"][0]["beats"]
    assert [b["name"] for b in beats] == ["one", "two"]
    assert beats[0]["start"] == 0.0 and beats[1]["start"] == pytest.approx(beats[0]["end"])


def test_narration_override_is_what_the_storyboard_says(tmp_path, dirs):
    _, cache, _ = dirs
    config = tmp_path / "n.toml"
    config.write_text('[narration]\ntruth = "The answer was {target}, and the guess '
                      '{prediction}."\n')
    board = storyboard_json("loss", "--config", config, *SMALL[:2], "--cache-dir", cache)
    truth = next(b for b in board["scenes"][0]["beats"] if b["name"] == "truth")
    assert truth["narration"].startswith("The answer was 1.00, and the guess")


@pytest.mark.parametrize("table, expected", [
    ('truht = "x"', "narration.truht: no beat called 'truht' (did you mean 'truth'?"),
    ('truth = "{inputz}"', "narration.truth: unknown placeholder {inputz} (valid: "),
])
def test_bad_narration_is_one_line_before_anything_runs(table, expected, tmp_path, dirs):
    _, cache, _ = dirs
    config = tmp_path / "bad.toml"
    config.write_text(f"[narration]\n{table}\n")
    for command in ("storyboard", "stills", "render"):
        size = SMALL if command == "render" else SMALL[:2]
        result = invoke(command, "forward", "--config", config, *size, "--cache-dir", cache,
                        *(["-o", tmp_path / "out"] if command != "storyboard" else []))
        assert result.exit_code == 1, result.stderr
        assert expected in error_of(result)
        assert "Running" not in result.stderr and "Rendering" not in result.stderr
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_beatless_scene_has_no_storyboard(dirs):
    _, cache, _ = dirs
    result = invoke("storyboard", "Tiny", "--module", TINY, "--cache-dir", cache)
    assert result.exit_code == 1
    assert "no storyboard" in error_of(result)
