"""The command line, through click's CliRunner: options, errors, lookup, init-config, trace.

Renders here use the tiny scenes of tests/cli_scenes.py at 192x108 and 5 fps, in this
process; real processes, Ctrl-C and the project's scenes are in test_render_cli.py.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from backprop_cli import cache as cache_module
from backprop_cli import output, runner
from backprop_cli.catalog import SceneLookupError, load_catalog
from backprop_cli.progress import Progress
from backprop_cli.settings import QUALITIES, THEMES, RenderSettings, default_cache_dir
from backprop_cli.worker import scene_class
from backprop_core import load_config
from backprop_core.config import default_config_text
from scenes import SCENES
from scenes.kit.theme import THEMES as SCENE_THEMES

from conftest import SMALL, TINY, error_of, invoke, probe_video


@pytest.fixture
def recorded(monkeypatch):
    """Replace rendering by a recorder of what would be rendered, and how."""
    calls = []

    def run(self):
        calls.append(self)
        return []
    monkeypatch.setattr(runner.Runner, "run", run)
    return calls


# -- help and routing ----------------------------------------------------------------------

@pytest.mark.parametrize("command", [[], ["render"], ["stills"], ["list"], ["trace"],
                                     ["init-config"]])
def test_every_command_has_help_with_examples(command):
    result = invoke(*command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.stdout and "backprop-video" in result.stdout


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0 and "0.1.0" in result.stdout


def test_no_arguments_renders_the_last_scene_at_default_quality(recorded, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke()
    assert result.exit_code == 0, result.stderr
    (run,) = recorded
    assert run.scenes == [list(SCENES)[-1]]
    s = run.settings
    assert (s.width, s.height, s.fps, s.format) == (1920, 1080, 60, "mp4")
    assert run.output_dir == Path("media") and (tmp_path / "media").is_dir()
    assert s.use_cache and not s.transparent and s.overrides == {}
    assert s.theme is None and s.subtitles and not s.stills


def test_without_the_command_word_render_is_meant(recorded, tmp_path):
    result = invoke("forward", "-q", "low", "-o", tmp_path, "--cache-dir", tmp_path / "c")
    assert result.exit_code == 0, result.stderr
    assert recorded[0].scenes == ["ForwardPass"]
    assert (recorded[0].settings.width, recorded[0].settings.fps) == (854, 15)


@pytest.mark.parametrize("quality", list(QUALITIES) + ["l", "M", "k"])
def test_quality_presets(recorded, dirs, quality):
    *_, where = dirs
    assert invoke("render", "forward", "-q", quality, *where).exit_code == 0
    s = recorded[0].settings
    name = {"l": "low", "M": "medium", "k": "4k"}.get(quality, quality)
    assert (s.width, s.height, s.fps) == QUALITIES[name]


def test_fps_resolution_format_transparent_jobs(recorded, dirs):
    *_, where = dirs
    result = invoke("render", "forward", "loss", "--fps", "24", "--resolution", "640x360",
                    "--format", "WEBM", "-t", "--jobs", "2", "--no-cache", *where)
    assert result.exit_code == 0, result.stderr
    run = recorded[0]
    assert run.scenes == ["ForwardPass", "OuchMoment"] and run.jobs == 2
    s = run.settings
    assert (s.width, s.height, s.fps, s.format, s.transparent, s.use_cache) == (
        640, 360, 24, "webm", True, False)


def test_transparent_defaults_to_mov(recorded, dirs):
    *_, where = dirs
    assert invoke("render", "forward", "-t", *where).exit_code == 0
    assert recorded[0].settings.format == "mov"


def test_theme_and_no_subtitles(recorded, dirs):
    *_, where = dirs
    assert invoke("render", "forward", "--theme", "LIGHT", "--no-subtitles", *where).exit_code == 0
    s = recorded[0].settings
    assert (s.theme, s.subtitles) == ("light", False)
    assert "(light theme)" in s.label


def test_help_lists_the_themes_without_loading_manim():
    code = ("import sys; from backprop_cli.main import cli; from click.testing import CliRunner; "
            "out = CliRunner().invoke(cli, ['render', '--help']).output; "
            "print('dark|light' in out, 'manim' in sys.modules)")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.split() == ["True", "False"], done.stdout + done.stderr


def test_overrides_become_config_sections(recorded, dirs):
    *_, where = dirs
    result = invoke("render", "forward", "--layers", "2,3,1", "--activation", "tanh",
                    "--loss", "bce", "--lr", "0.1", "--seed", "3", "--input", "0.9,0.2;0.1,0.5",
                    "--target", "1;0", *where)
    assert result.exit_code == 0, result.stderr
    assert recorded[0].settings.overrides == {
        "network": {"layers": [2, 3, 1], "activation": "tanh", "seed": 3},
        "training": {"loss": "bce", "learning_rate": 0.1},
        "data": {"input": [[0.9, 0.2], [0.1, 0.5]], "target": [[1.0], [0.0]]},
    }


def test_config_file_is_passed_on(recorded, dirs, tmp_path):
    *_, where = dirs
    path = tmp_path / "net.toml"
    path.write_text("[training]\nlearning_rate = 0.25\n")
    assert invoke("render", "forward", "--config", path, *where).exit_code == 0
    assert recorded[0].settings.config_file == str(path)


# -- scene lookup --------------------------------------------------------------------------

def test_lookup_by_name_alias_prefix_and_all():
    catalog = load_catalog()
    names = list(SCENES)
    assert catalog.names == names and catalog.default == names[-1]
    assert catalog.resolve(["forwardpass", "FORWARD"]) == ["ForwardPass"]
    assert catalog.resolve(["all"]) == names
    for alias, name in {"forward": "ForwardPass", "loss": "OuchMoment",
                        "backward": "Backpropagation"}.items():
        assert catalog.resolve([alias]) == [name]
    assert catalog.resolve(["Forw"]) == ["ForwardPass"]
    for name in names:
        assert catalog.description(name) == SCENES[name].__doc__.strip().splitlines()[0]


def test_lookup_errors_name_the_choices():
    catalog = load_catalog()
    with pytest.raises(SceneLookupError, match="did you mean 'forward'"):
        catalog.find("forwrd")
    with pytest.raises(SceneLookupError, match="valid scenes: " + ", ".join(SCENES)):
        catalog.find("zzz")


def test_scenes_of_a_user_file():
    catalog = load_catalog(TINY)
    assert catalog.names == ["Tiny", "Other", "Broken", "Slow", "Beats", "Shared"]
    assert catalog.description("Tiny") == "A square appears, with a subtitle (one second)."


def test_scene_class_carries_config_under_its_own_name(tmp_path):
    settings = RenderSettings(192, 108, 5, config_file="x.toml",
                              overrides={"network": {"activation": "tanh"}},
                              cache_dir=tmp_path)
    cls = scene_class("ForwardPass", settings)
    assert cls.__name__ == "ForwardPass" and issubclass(cls, SCENES["ForwardPass"])
    assert cls.config_file == "x.toml" and cls.overrides == {"network": {"activation": "tanh"}}
    assert cls.theme is SCENES["ForwardPass"].theme and cls.stills_dir is None


def test_scene_class_carries_the_theme_and_stills_dir(tmp_path):
    for name, theme in SCENE_THEMES.items():
        settings = RenderSettings(192, 108, 5, cache_dir=tmp_path, theme=name)
        cls = scene_class("OuchMoment", settings, stills_dir=tmp_path / "stills")
        assert cls.theme is theme and cls.stills_dir == str(tmp_path / "stills")
    plain = scene_class("Tiny", RenderSettings(192, 108, 5, cache_dir=tmp_path, theme="light",
                                               module_file=TINY))
    assert plain.theme is SCENE_THEMES["light"], "harmless on a plain Manim scene"


# -- bad input: one line, exit 2 for usage, 1 for the rest, never a file -------------------

USAGE = [
    (["nosuch"], "unknown scene 'nosuch'"),
    (["back"], "is ambiguous"),
    (["forward", "-q", "ultra"], "--quality: expected one of low, medium, high, production, 4k"),
    (["forward", "--format", "avi"], "--format: expected one of mp4, webm, gif, mov, png"),
    (["forward", "--resolution", "big"], "--resolution: expected WIDTHxHEIGHT"),
    (["forward", "--resolution", "0x100"], "--resolution: width and height must be from 2"),
    (["forward", "--resolution", "193x108"], "--resolution: mp4 video needs an even width"),
    (["forward", "--resolution", "192x107", "--format", "gif"], "gif video needs an even"),
    (["forward", "--fps", "0"], "--fps: expected frames per second"),
    (["forward", "--fps", "fast"], "--fps: expected frames per second"),
    (["forward", "--fps", "1000"], "a number from 1 to 240"),
    (["forward", "--jobs", "0"], "--jobs: expected a whole number of at least 1, got '0'"),
    (["forward", "--jobs", "two"], "--jobs: expected a whole number"),
    (["forward", "--theme", "blue"], "--theme: expected one of dark, light, got 'blue'"),
    (["forward", "--transparent", "--format", "mp4"], "--transparent: mp4 has no transparency"),
    (["forward", "--bogus"], "no such option: --bogus"),
    (["forward", "--fps"], "requires an argument"),
    (["forward", "--layers", "2,x"],
     "--layers: expected comma-separated whole numbers like 2,3,1, got '2,x'"),
    (["forward", "--input", "0.9,a"], "--input: expected comma-separated numbers"),
    (["forward", "--lr", "fast"], "--lr: expected a number, got 'fast'"),
    (["forward", "--seed", "1.5"], "--seed: expected a whole number, got '1.5'"),
    (["forward", "--lr", "-1"], "training.learning_rate: expected a positive number"),
    (["forward", "--activation", "sigmoidd"], "network.activation: unknown activation 'sigmoidd'"),
    (["forward", "--loss", "hinge"], "training.loss: unknown loss 'hinge'"),
    (["forward", "--layers", "2,3,1", "--input", "0.9"], "data.input: expected 2 numbers"),
    (["forward", "--layers", "2,0,1"], "network.layers[1]: expected a whole number from 1 to 32"),
    (["--module", "tests/nope.py", "Tiny"], "--module: scene file not found"),
    (["--module", TINY], "name the scene(s) to render"),
]


@pytest.mark.parametrize("args,message", USAGE, ids=[m[:40] for _, m in USAGE])
def test_usage_errors(dirs, args, message):
    out, _, where = dirs
    result = invoke("render", *where, *args)
    assert result.exit_code == 2, result.stderr
    assert message in error_of(result)
    assert result.stdout == ""
    assert not out.exists() or not any(out.iterdir())


def test_usage_error_without_command_word(dirs):
    *_, where = dirs
    result = invoke("lst", *where)
    assert result.exit_code == 2 and "unknown scene 'lst'" in error_of(result)
    assert error_of(result).endswith("or did you mean the command 'list'?")


@pytest.mark.parametrize("text,message", [
    ("[network\nlayers = [2]", "invalid TOML"),
    ("[training]\nlearning_rate = -1", "training.learning_rate: expected a positive number"),
    ("[network]\nlayer = [2, 1]", "unknown key 'network.layer'"),
])
def test_bad_config_file_exits_1(dirs, tmp_path, text, message):
    out, _, where = dirs
    path = tmp_path / "bad.toml"
    path.write_text(text)
    result = invoke("render", "forward", "--config", path, *where)
    assert result.exit_code == 1 and message in error_of(result) and result.stdout == ""
    assert not out.exists()


def test_missing_config_file(dirs, tmp_path):
    *_, where = dirs
    result = invoke("render", "forward", "--config", tmp_path / "nope.toml", *where)
    assert result.exit_code == 1
    assert error_of(result) == f"Error: config file not found: {tmp_path / 'nope.toml'}"


def test_config_from_the_environment(recorded, dirs, tmp_path):
    *_, where = dirs
    path = tmp_path / "env.toml"
    path.write_text("[training]\nlearning_rate = -2\n")
    result = invoke("render", "forward", *where, env={"BACKPROP_VIDEO_CONFIG": str(path)})
    assert result.exit_code == 1 and "learning_rate" in error_of(result)


def test_unwritable_output_or_cache_directory(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    result = invoke("render", "forward", "-o", blocker / "out", "--cache-dir", tmp_path / "c")
    assert result.exit_code == 1 and "cannot create output directory" in error_of(result)
    result = invoke("render", "forward", "-o", blocker, "--cache-dir", tmp_path / "c")
    assert result.exit_code == 1 and "is a file, not a directory" in error_of(result)
    result = invoke("render", "forward", "-o", tmp_path / "o", "--cache-dir", blocker / "c")
    assert result.exit_code == 1 and "cannot create cache directory" in error_of(result)


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_output_directory(tmp_path):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    result = invoke("render", "forward", "-o", out, "--cache-dir", tmp_path / "c")
    assert result.exit_code == 1 and "is not writable" in error_of(result)


def test_debug_shows_the_traceback(tmp_path):
    result = invoke("render", "forward", "--lr", "-1", "--debug", "-o", tmp_path)
    assert result.exit_code == 2 and "Traceback" in result.stderr


def test_unexpected_error_is_one_line(monkeypatch, dirs):
    *_, where = dirs

    def explode(self):
        raise OSError("disk on fire")
    monkeypatch.setattr(runner.Runner, "run", explode)
    result = invoke("render", "forward", *where)
    assert result.exit_code == 1
    assert error_of(result) == "Error: OSError: disk on fire (run with --debug for details)"


# -- init-config and trace -----------------------------------------------------------------

def test_init_config_writes_the_commented_default(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = invoke("init-config")
    assert result.exit_code == 0 and result.stdout == "backprop-video.toml\n"
    written = tmp_path / "backprop-video.toml"
    assert written.read_text() == default_config_text()
    assert load_config(written).trace().loss == load_config().trace().loss
    assert [p.name for p in tmp_path.iterdir()] == ["backprop-video.toml"]


def test_init_config_refuses_to_overwrite_without_force(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("# my edits\n")
    result = invoke("init-config", path)
    assert result.exit_code == 1 and "already exists (use --force" in error_of(result)
    assert path.read_text() == "# my edits\n"
    assert invoke("init-config", path, "--force").exit_code == 0
    assert path.read_text() == default_config_text()


def test_init_config_into_a_directory_and_a_new_one(tmp_path):
    assert invoke("init-config", tmp_path).stdout.strip() == str(tmp_path / "backprop-video.toml")
    nested = tmp_path / "a" / "b" / "net.toml"
    assert invoke("init-config", nested).exit_code == 0 and nested.is_file()


def test_init_config_unwritable(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    result = invoke("init-config", blocker / "net.toml")
    assert result.exit_code == 1
    assert error_of(result) == f"Error: the config's directory {blocker} is a file, not a directory"
    result = invoke("init-config", blocker / "sub" / "net.toml")
    assert result.exit_code == 1 and "cannot create the config's directory" in error_of(result)


def test_trace_accepts_the_same_overrides():
    args = ["--layers", "2,3,1", "--activation", "tanh", "--input", "0.9,0.2", "--target", "1",
            "--lr", "0.1", "--seed", "4"]
    result = invoke("trace", *args, "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    config = load_config(overrides={
        "network": {"layers": [2, 3, 1], "activation": "tanh", "seed": 4},
        "data": {"input": [0.9, 0.2], "target": [1.0]}, "training": {"learning_rate": 0.1}})
    assert report["loss"] == config.trace().loss
    assert [layer["activation"] for layer in report["layers"]] == ["tanh", "tanh"]


def test_trace_override_errors_are_usage_errors():
    result = invoke("trace", "--layers", "2,3,1", "--input", "1,2,3")
    assert result.exit_code == 2 and "data.input: expected 2 numbers" in error_of(result)


# -- list ----------------------------------------------------------------------------------

def test_list_shows_scenes_in_story_order(tmp_path):
    result = invoke("list", "--no-measure", "--cache-dir", tmp_path)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split()[:3] == ["SCENE", "ALIASES", "LENGTH"]
    for line, name in zip(lines[1:], SCENES):
        assert line.startswith(name) and load_catalog().description(name) in line
        # Not rendered yet: the length read off its sentences, at once and marked.
        assert line.split()[-len(load_catalog().description(name).split()) - 1][0] == "~"
    assert "~ read off the scene's sentences" in result.stdout


def list_rows(stdout: str) -> dict:
    """{scene: length} from the table `list` prints (the lines before its notes)."""
    table = stdout.split("\n\n")[0].splitlines()[1:]
    return {line.split()[0]: line.split()[1] for line in table}


def test_list_measures_durations_and_remembers_them(tmp_path):
    result = invoke("list", "--module", TINY, "--cache-dir", tmp_path)
    assert result.exit_code == 1, "Broken cannot be measured"
    assert "Broken failed: RuntimeError: boom in construct" in error_of(result)
    rows = list_rows(result.stdout)
    assert rows == {"Tiny": "0:01", "Other": "0:01", "Broken": "error", "Slow": "1:00",
                    "Beats": "~0:04", "Shared": "~0:08"}
    assert result.stderr.count("Measuring") == 4, "scenes of beats are read off sentences"
    again = invoke("list", "--module", TINY, "--cache-dir", tmp_path)
    assert again.stderr.count("Measuring") == 1, "only Broken is tried again"


# -- real tiny renders in this process (slow) ----------------------------------------------

@pytest.mark.slow
def test_render_writes_only_finished_files(dirs):
    out, cache, where = dirs
    result = invoke("render", "--module", TINY, "tiny", *SMALL, *where)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{out / 'Tiny.mp4'}\n"
    assert sorted(p.name for p in out.iterdir()) == ["Tiny.mp4", "Tiny.srt"]
    assert probe_video(out / "Tiny.mp4")[:3] == (192, 108, 5)
    assert "a square" in (out / "Tiny.srt").read_text()
    assert "[1/1] Tiny: done" in result.stderr
    assert (cache / "scenes" / "Tiny" / "partial").is_dir()
    assert not any((cache / "staging").iterdir())


@pytest.mark.slow
def test_unchanged_render_is_reused_and_no_cache_renders_again(dirs):
    out, _, where = dirs
    assert invoke("render", "--module", TINY, "Tiny", *SMALL, *where).exit_code == 0
    (out / "Tiny.mp4").write_bytes(b"stale")
    again = invoke("render", "--module", TINY, "Tiny", *SMALL, *where)
    assert again.exit_code == 0 and "unchanged, reused the previous render" in again.stderr
    assert probe_video(out / "Tiny.mp4")[:3] == (192, 108, 5)
    fresh = invoke("render", "--module", TINY, "Tiny", *SMALL, "--no-cache", *where)
    assert fresh.exit_code == 0 and "Tiny: done" in fresh.stderr
    other_fps = invoke("render", "--module", TINY, "Tiny", "--resolution", "192x108",
                       "--fps", "10", *where)
    assert "Tiny: done" in other_fps.stderr
    assert probe_video(out / "Tiny.mp4")[:3] == (192, 108, 10)


@pytest.mark.slow
@pytest.mark.parametrize("fmt,transparent", [("webm", False), ("gif", False), ("mov", True),
                                             ("png", False), ("png", True)])
def test_formats(dirs, fmt, transparent):
    out, _, where = dirs
    args = ["--format", fmt] + (["--transparent"] if transparent else [])
    result = invoke("render", "--module", TINY, "Tiny", *SMALL, *args, *where)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{out / ('Tiny.' + fmt)}\n"
    expected = {f"Tiny.{fmt}"} | (set() if fmt in ("png", "gif") else {"Tiny.srt"})
    assert {p.name for p in out.iterdir()} == expected
    if fmt == "png":
        from PIL import Image
        with Image.open(out / "Tiny.png") as image:
            assert image.size == (192, 108)
            assert (image.mode == "RGBA" and image.getextrema()[3][0] == 0) == transparent
    else:
        assert probe_video(out / f"Tiny.{fmt}")[:2] == (192, 108)


@pytest.mark.slow
def test_verbose_shows_manims_log_on_stderr_only(dirs):
    out, _, where = dirs
    result = invoke("render", "--module", TINY, "Other", *SMALL, "-v", *where)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{out / 'Other.mp4'}\n"
    assert "Rendered Other" in result.stderr or "Played 2 animations" in result.stderr


@pytest.mark.slow
def test_quiet_render_prints_no_manim_log(dirs):
    *_, where = dirs
    result = invoke("render", "--module", TINY, "Other", *SMALL, "--format", "webm", *where)
    assert result.exit_code == 0
    assert "WARNING" not in result.stderr and "INFO" not in result.stderr


@pytest.mark.slow
def test_failed_render_leaves_earlier_file_untouched(dirs):
    out, _, where = dirs
    out.mkdir()
    (out / "Broken.mp4").write_bytes(b"earlier render")
    result = invoke("render", "--module", TINY, "Broken", "Tiny", *SMALL, *where)
    assert result.exit_code == 1
    assert error_of(result) == ("Error: Broken failed: RuntimeError: boom in construct "
                                "(run with --debug for the traceback)")
    assert (out / "Broken.mp4").read_bytes() == b"earlier render"
    assert result.stdout == f"{out / 'Tiny.mp4'}\n", "the other scene is still rendered"
    assert sorted(p.name for p in out.iterdir()) == ["Broken.mp4", "Tiny.mp4", "Tiny.srt"]
    debug = invoke("render", "--module", TINY, "Broken", *SMALL, "--debug", *where)
    assert "Traceback" in debug.stderr and 'raise RuntimeError("boom in construct")' in debug.stderr


@pytest.mark.slow
def test_render_records_the_duration_for_list(dirs):
    _, cache, where = dirs
    assert invoke("render", "--module", TINY, "Other", *SMALL, *where).exit_code == 0
    result = invoke("list", "--module", TINY, "--no-measure", "--cache-dir", cache)
    rows = list_rows(result.stdout)
    assert rows["Other"] == "0:01" and rows["Tiny"] == "?"


@pytest.mark.slow
def test_preview_opens_the_outputs(dirs, monkeypatch):
    out, _, where = dirs
    opened = []
    monkeypatch.setattr("backprop_cli.preview.viewer", lambda: ["fake-open"])
    monkeypatch.setattr("backprop_cli.preview.subprocess.Popen",
                        lambda args, **kwargs: opened.append(args))
    result = invoke("render", "--module", TINY, "Tiny", *SMALL, "--preview", *where)
    assert result.exit_code == 0 and opened == [["fake-open", str(out / "Tiny.mp4")]]


@pytest.mark.slow
def test_preview_without_a_display_says_so(dirs, monkeypatch):
    *_, where = dirs
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    result = invoke("render", "--module", TINY, "Tiny", *SMALL, "--preview", *where)
    assert result.exit_code == 0 and "no viewer available" in result.stderr


# -- themes and subtitles ------------------------------------------------------------------

def cues(srt: str) -> list[tuple[float, float, str]]:
    """(start, end, text) of each subtitle of an .srt file, in seconds."""
    def seconds(stamp):
        h, m, s, ms = map(int, re.split("[:,]", stamp))
        return 3600 * h + 60 * m + s + ms / 1000
    found = []
    for block in srt.strip().split("\n\n"):
        number, times, *text = block.splitlines()
        start, end = times.split(" --> ")
        assert number == str(len(found) + 1)
        found.append((seconds(start), seconds(end), " ".join(text)))
    return found


def brightness(path) -> float:
    from PIL import Image, ImageStat
    with Image.open(path) as image:
        return sum(ImageStat.Stat(image.convert("RGB")).mean) / 3


@pytest.mark.slow
def test_subtitles_have_one_cue_per_beat_within_the_video(dirs):
    beats = load_catalog(TINY).scenes["Beats"]
    out, _, where = dirs
    result = invoke("render", "--module", TINY, "Beats", *SMALL, *where)
    assert result.exit_code == 0, result.stderr
    found = cues((out / "Beats.srt").read_text())
    assert [text for *_, text in found] == [beats.narration[b] for b in beats.beats]
    length = probe_video(out / "Beats.mp4").frames / 5
    bounds = [t for start, end, _ in found for t in (start, end)]
    assert bounds == sorted(bounds) and bounds[0] == 0
    assert all(start < end for start, end, _ in found)
    assert bounds[-1] <= length + 1 / 5


@pytest.mark.slow
def test_no_subtitles_writes_no_srt_and_leaves_an_earlier_one(dirs, tmp_path):
    out, _, where = dirs
    result = invoke("render", "--module", TINY, "Beats", *SMALL, "--no-subtitles", *where)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{out / 'Beats.mp4'}\n"
    assert sorted(p.name for p in out.iterdir()) == ["Beats.mp4"]
    (out / "Beats.srt").write_text("earlier")
    again = invoke("render", "--module", TINY, "Beats", *SMALL, "--no-subtitles", "--format",
                   "webm", *where)
    assert again.exit_code == 0, again.stderr
    assert sorted(p.name for p in out.iterdir()) == ["Beats.mp4", "Beats.srt", "Beats.webm"]
    assert (out / "Beats.srt").read_text() == "earlier"
    # A render reused from the cache (which keeps its subtitles) is published without them.
    other = tmp_path / "other"
    reused = invoke("render", "--module", TINY, "Beats", *SMALL, "--no-subtitles", *where[2:],
                    "-o", other)
    assert "unchanged, reused" in reused.stderr
    assert sorted(p.name for p in other.iterdir()) == ["Beats.mp4"]
    with_them = invoke("render", "--module", TINY, "Beats", *SMALL, *where[2:], "-o", other)
    assert "unchanged, reused" in with_them.stderr
    assert sorted(p.name for p in other.iterdir()) == ["Beats.mp4", "Beats.srt"]


@pytest.mark.slow
def test_final_frame_png_follows_the_theme(dirs):
    out, _, where = dirs
    for theme, bright in (("light", True), ("dark", False)):
        result = invoke("render", "--module", TINY, "Beats", *SMALL, "--format", "png",
                        "--theme", theme, *where)
        assert result.exit_code == 0, result.stderr
        assert "unchanged" not in result.stderr, "the theme is part of the cache key"
        level = brightness(out / "Beats.png")
        assert level > 180 if bright else level < 80, (theme, level)
    default = invoke("render", "--module", TINY, "Beats", *SMALL, "--format", "png", *where)
    assert default.exit_code == 0 and brightness(out / "Beats.png") < 80


@pytest.mark.slow
def test_transparent_light_png_has_a_see_through_background(dirs):
    from PIL import Image
    out, _, where = dirs
    result = invoke("render", "--module", TINY, "Beats", *SMALL, "--format", "png",
                    "--theme", "light", "--transparent", *where)
    assert result.exit_code == 0, result.stderr
    with Image.open(out / "Beats.png") as image:
        assert image.mode == "RGBA" and image.size == (192, 108)
        assert image.getpixel((0, 0))[3] == 0 and image.getpixel((96, 20))[3] == 0
        low, high = image.getextrema()[3]
        assert low == 0 and high > 100, "thin lines at this size: the square and caption show"


# -- stills --------------------------------------------------------------------------------

def still_names(scene_class) -> list[str]:
    return [f"{scene_class.__name__}-{n:02d}-{beat}.png"
            for n, beat in enumerate(scene_class.beats, 1)]


@pytest.mark.slow   # draws every beat of a story scene, twice
def test_stills_of_a_story_scene_one_per_beat_in_either_theme(dirs):
    from PIL import Image
    out, cache, _ = dirs
    scene = SCENES["OuchMoment"]
    for theme in ("light", "dark"):
        folder = out / theme
        result = invoke("stills", "loss", "--resolution", "240x135", "--theme", theme,
                        "--cache-dir", cache, "-o", folder)
        assert result.exit_code == 0, result.stderr
        names = still_names(scene)
        assert result.stdout.splitlines() == [str(folder / n) for n in names]
        assert sorted(p.name for p in folder.iterdir()) == sorted(names)
        for name in names:
            with Image.open(folder / name) as image:
                assert image.size == (240, 135)
            level = brightness(folder / name)
            assert level > 180 if theme == "light" else level < 80, (name, level)
    assert "OuchMoment: saving stills" in result.stderr
    assert not any((cache / "staging").iterdir())


def test_stills_are_reused_transparent_and_take_the_config(dirs):
    from PIL import Image
    out, _, where = dirs
    first = invoke("stills", "--module", TINY, "Beats", "-q", "low", *where)
    assert first.exit_code == 0, first.stderr
    assert first.stdout.splitlines() == [str(out / n) for n in still_names(
        load_catalog(TINY).scenes["Beats"])]
    again = invoke("stills", "--module", TINY, "Beats", "-q", "low", *where)
    assert "unchanged, reused" in again.stderr and again.stdout == first.stdout
    see_through = invoke("stills", "--module", TINY, "beats", "-r", "193x109", "-t",
                         "--layers", "2,2,1", "--input", "0.1,0.2", *where)
    assert see_through.exit_code == 0, see_through.stderr
    with Image.open(out / "Beats-02-two.png") as image:
        assert image.size == (193, 109) and image.mode == "RGBA"
        assert image.getpixel((0, 0))[3] == 0
    assert sorted(p.name for p in out.iterdir()) == ["Beats-01-one.png", "Beats-02-two.png"]


def test_stills_of_a_scene_without_beats_is_an_error(dirs):
    out, _, where = dirs
    result = invoke("stills", "--module", TINY, "Beats", "Tiny", "Other", *where)
    assert result.exit_code == 1 and result.stdout == ""
    assert error_of(result).startswith("Error: Tiny, Other have no beats, so no stills")
    one = invoke("stills", "--module", TINY, "Tiny", *where)
    assert one.exit_code == 1 and "Error: Tiny has no beats" in error_of(one)
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("args,message", [
    (["nosuch"], "unknown scene 'nosuch'"),
    (["loss", "--theme", "sepia"], "--theme: expected one of dark, light, got 'sepia'"),
    (["loss", "--resolution", "1x1"], "--resolution: width and height must be from 2"),
    (["loss", "--format", "png"], "no such option: --format"),
    (["loss", "--lr", "0"], "training.learning_rate: expected a positive number"),
    (["--module", TINY], "name the scene(s) to draw"),
])
def test_stills_usage_errors(dirs, args, message):
    out, _, where = dirs
    result = invoke("stills", *where, *args)
    assert result.exit_code == 2, result.stderr
    assert message in error_of(result) and result.stdout == ""
    assert not out.exists() or not any(out.iterdir())


def test_stills_without_a_scene_means_the_full_explainer(recorded, dirs):
    *_, where = dirs
    assert invoke("stills", *where).exit_code == 0
    (run,) = recorded
    assert run.scenes == [list(SCENES)[-1]]
    assert run.settings.stills and run.settings.format == "png"
    assert (run.settings.width, run.settings.height) == QUALITIES["high"][:2]


# -- building blocks -----------------------------------------------------------------------

def test_default_cache_dir_follows_xdg(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_cache_dir() == tmp_path / "backprop-video"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert default_cache_dir() == Path.home() / ".cache" / "backprop-video"


def test_publish_is_all_or_nothing(tmp_path):
    src = tmp_path / "a.mp4"
    src.write_bytes(b"new")
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.mp4").write_bytes(b"old")
    with pytest.raises(FileNotFoundError):
        output.publish([src, tmp_path / "missing.srt"], ["a.mp4", "a.srt"], folder)
    assert [p.name for p in folder.iterdir()] == ["a.mp4"]
    assert (folder / "a.mp4").read_bytes() == b"old"
    output.publish([src], ["a.mp4"], folder)
    assert (folder / "a.mp4").read_bytes() == b"new"


def test_stale_temporary_files_of_dead_renders_are_swept(tmp_path):
    dead = tmp_path / ".Tiny.mp4.999999999.0123abcd.tmp"
    mine = tmp_path / f".Tiny.mp4.{os.getpid()}.0123abcd.tmp"
    keep = tmp_path / "Tiny.mp4"
    for f in (dead, mine, keep):
        f.write_text("x")
    output.sweep_stale_temps(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([mine.name, keep.name])


def test_source_fingerprint_changes_with_the_sources(tmp_path):
    module = tmp_path / "mine.py"
    module.write_text("X = 1\n")
    import importlib.util
    spec = importlib.util.spec_from_file_location("fingerprint_probe", module)
    probe = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(probe)
    import sys
    sys.modules["fingerprint_probe"] = probe
    try:
        before = cache_module.source_fingerprint([tmp_path])
        assert before == cache_module.source_fingerprint([tmp_path])
        module.write_text("X = 2\n")
        assert cache_module.source_fingerprint([tmp_path]) != before
    finally:
        del sys.modules["fingerprint_probe"]


def test_source_fingerprint_does_not_depend_on_what_was_imported():
    before = cache_module.source_fingerprint()
    code = ("import sys; sys.path.insert(0, %r); from backprop_cli import cache; "
            "print(cache.source_fingerprint())" % str(Path(__file__).resolve().parents[1]))
    fresh = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                           check=True).stdout.strip()
    assert fresh == before, "a process that imported less gets the same digest"


def test_progress_lines_when_not_a_terminal():
    import io
    stream = io.StringIO()
    progress = Progress(["A", "B"], {"A": 42.0, "B": None}, stream=stream)
    progress.started("A")
    for seconds in (10, 11, 22, 23, 41.9):
        progress.update("A", seconds)
    progress.finished_scene("A", "done")
    progress.finished_scene("B", "cached")
    progress.close()
    lines = stream.getvalue().splitlines()
    assert lines[0] == "[1/2] A: rendering (about 0:42 of video)"
    assert lines[1:4] == [f"[1/2] A: {p}% rendered" for p in (25, 50, 75)]
    assert lines[4].startswith("[1/2] A: done in ")
    assert lines[5] == "[2/2] B: unchanged, reused the previous render"


def test_progress_bars_on_a_terminal():
    import io

    class Terminal(io.StringIO):
        def isatty(self):
            return True
    stream = Terminal()
    progress = Progress(["A", "B"], {"A": 10.0, "B": None}, stream=stream)
    progress.started("A")
    progress.started("B")
    progress.update("A", 5)
    progress.update("B", 3)
    text = stream.getvalue()
    assert "0/2 scenes done" in text and " 25%" in text, "half of one of two scenes"
    assert "A  50%" in text and "5/10s of video" in text
    assert "B 3s of video rendered" in text
    progress.finished_scene("A", "done")
    progress.close()
    assert "[1/2] A: done in" in stream.getvalue()
