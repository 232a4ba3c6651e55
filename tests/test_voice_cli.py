"""The voice through the command line: --voice on render and slides, the sound in each
format, speech inside each subtitle cue, the speech cache, the config's [narration]
table, and one-line errors for a voice that is missing or fails."""

import hashlib
import os
import stat
import sys

import av
import pytest

import backprop_voice
from backprop_cli.catalog import load_catalog
from backprop_cli.commands.request import RenderRequest, start_voice
from backprop_cli.runner import Runner
from backprop_cli.settings import RenderSettings
from backprop_voice import engines
from conftest import ROOT, SMALL, TINY, error_of, invoke, probe_video

sys.path.insert(0, str(ROOT / "bench"))
from bench_speech_sync import measure, read_srt  # noqa: E402

HAS_ESPEAK = "espeak" in backprop_voice.available_voices()
needs_espeak = pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed")
BEATS = ["Beats", "--module", TINY]   # two beats with narration, about four seconds


@pytest.fixture
def no_espeak(monkeypatch, tmp_path):
    """A PATH without espeak-ng (and no piper beside it): no voice is installed."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.delenv("BACKPROP_VIDEO_VOICE", raising=False)   # the default: best installed
    monkeypatch.setattr(engines, "_piper_executable", lambda: None)
    engines.find.cache_clear()
    yield
    engines.find.cache_clear()


@pytest.fixture
def failing_espeak(monkeypatch, tmp_path):
    """An espeak-ng that gives its version, then fails to speak."""
    folder = tmp_path / "bin"
    folder.mkdir()
    fake = folder / "espeak-ng"
    fake.write_text('#!/bin/sh\nif [ "$1" = "--version" ]; then echo "eSpeak NG 0.0-broken"; '
                    'exit 0; fi\necho "boom: no sound card in a test" >&2\nexit 3\n')
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", f"{folder}{os.pathsep}{os.environ['PATH']}")
    engines.find.cache_clear()
    yield
    engines.find.cache_clear()


def audio_streams(path) -> list[str]:
    with av.open(str(path)) as container:
        return [s.codec_context.name for s in container.streams.audio]


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


# -- quick: the choice of voice, before anything renders --------------------------------

def test_a_voice_not_installed_is_one_line_saying_how_to_install_it(no_espeak, dirs):
    out, _, where = dirs
    for voice, how in (("espeak", "apt-get install espeak-ng"),
                       ("piper", "pip install 'backprop-video[voice]'")):
        for command in ("render", "slides"):
            result = invoke(command, *BEATS, *SMALL, *where, "--voice", voice)
            assert result.exit_code == 2, result.stderr
            line = error_of(result)
            assert f"--voice: the {voice} voice is not installed" in line and how in line
    assert not out.exists() or not any(out.iterdir())


def test_an_unknown_voice_is_a_usage_error(dirs):
    result = invoke("render", *BEATS, *SMALL, *dirs[2], "--voice", "robot")
    assert result.exit_code == 2
    assert "--voice: expected one of piper, espeak, none" in error_of(result)


@pytest.mark.parametrize("table, expected", [
    ('tow = "x"', "narration.tow: no beat called 'tow' (did you mean 'two'?"),
    ('one = "A {shape}."', "narration.one: unknown placeholder {shape} (valid: {cost}, {eta}, "),
])
def test_bad_narration_is_one_line_before_rendering(table, expected, tmp_path, dirs):
    config = tmp_path / "bad.toml"
    config.write_text(f"[narration]\n{table}\n")
    for command in ("render", "slides"):
        result = invoke(command, *BEATS, *SMALL, *dirs[2], "--config", config,
                        "--voice", "none")
        assert result.exit_code == 1, result.stderr
        assert expected in error_of(result)
        assert "Rendering" not in result.stderr and "Building" not in result.stderr


def test_narration_of_any_beat_of_the_story_is_accepted(tmp_path, dirs):
    """A config made for the full explainer renders a single scene too."""
    config = tmp_path / "story.toml"
    config.write_text('[narration]\ntruth = "The truth: {target}."\n')
    result = invoke("storyboard", *BEATS, *SMALL[:2], "--cache-dir", dirs[1],
                    "--config", config)
    assert result.exit_code == 0, result.stderr


def _request(tmp_path, voice, fmt="mp4", **more) -> RenderRequest:
    catalog = load_catalog(TINY)
    settings = RenderSettings(192, 108, 5, format=fmt, cache_dir=tmp_path / "cache",
                              module_file=catalog.module_file, voice=voice, **more)
    return RenderRequest(catalog, ["Beats"], settings, tmp_path / "out")


@needs_espeak
def test_the_render_cache_key_includes_the_voice(tmp_path):
    keys = {}
    for voice in ("none", "espeak"):
        request = _request(tmp_path, voice)
        runner = Runner(request.catalog, request.names, request.settings, tmp_path / "out")
        futures = start_voice(request, runner)
        for future in futures:
            future.result()
        keys[voice] = runner.plan.render_key("Beats")
        assert len(futures) == (voice != "none")
    assert keys["none"] != keys["espeak"]
    assert len(list((tmp_path / "cache" / "speech").glob("*.wav"))) == 2, (
        "the parent spoke the scene's two sentences before it rendered")


@needs_espeak
def test_gif_and_stills_are_silent_whatever_the_voice(tmp_path):
    from backprop_cli.worker import has_sound

    assert has_sound(_request(tmp_path, "espeak").settings)
    assert has_sound(_request(tmp_path, "espeak", "webm").settings)
    assert not has_sound(_request(tmp_path, "espeak", "gif").settings)
    assert not has_sound(_request(tmp_path, "espeak", "png", stills=True).settings)
    assert not has_sound(_request(tmp_path, "none").settings)


# -- slow: real renders with espeak-ng ----------------------------------------------------

@pytest.mark.slow
@needs_espeak
def test_mp4_speaks_each_cue_as_long_as_the_video(dirs):
    out, _, where = dirs
    result = invoke("render", *BEATS, *SMALL, *where, "--voice", "espeak")
    assert result.exit_code == 0, result.stderr
    assert "WARNING" not in result.stderr, "no log line of PyAV's while adding the sound"
    video = out / "Beats.mp4"
    assert audio_streams(video) == ["aac"]
    found = measure(video, out / "Beats.srt")
    assert found["audio_seconds"] == pytest.approx(probe_video(video).seconds, abs=0.2)
    rows = found["rows"]
    assert [r["text"] for r in rows] == ["A square.", "Still a square."]
    for row in rows:
        assert row["speech"] is not None, f"no speech in the cue {row['text']!r}"
        start, end = row["speech"]
        assert row["start"] - 0.05 <= start < row["start"] + 0.3, "speech starts with its beat"
        assert end <= row["end"] + 0.05, "and ends inside it"


@pytest.mark.slow
@needs_espeak
def test_voice_none_has_no_audio_stream(dirs):
    out, _, where = dirs
    result = invoke("render", *BEATS, *SMALL, *where, "--voice", "none")
    assert result.exit_code == 0, result.stderr
    assert audio_streams(out / "Beats.mp4") == []


@pytest.mark.slow
@needs_espeak
def test_webm_gets_opus_and_gif_no_sound(dirs):
    out, _, where = dirs
    for fmt in ("webm", "gif"):
        result = invoke("render", *BEATS, *SMALL, *where, "--voice", "espeak", "--format", fmt)
        assert result.exit_code == 0, result.stderr
    assert audio_streams(out / "Beats.webm") == ["opus"]
    assert audio_streams(out / "Beats.gif") == []


@pytest.mark.slow
def test_no_voice_installed_renders_silently_with_one_note(no_espeak, dirs):
    out, _, where = dirs
    result = invoke("render", *BEATS, *SMALL, *where)
    assert result.exit_code == 0, result.stderr
    notes = [line for line in result.stderr.splitlines() if line.startswith("Note:")]
    assert len(notes) == 1 and "no voice is installed" in notes[0], result.stderr
    assert audio_streams(out / "Beats.mp4") == []


@pytest.mark.slow
@needs_espeak
def test_unchanged_narration_is_not_spoken_again(tmp_path, dirs):
    out, cache, where = dirs
    assert invoke("render", *BEATS, *SMALL, *where, "--voice", "espeak").exit_code == 0
    wavs = {p: p.stat().st_mtime_ns for p in (cache / "speech").glob("*.wav")}
    assert len(wavs) == 2
    # Another size: rendered again (not the cached result), the speech found in its cache.
    again = invoke("render", *BEATS, "--resolution", "160x90", "--fps", "5", *where,
                   "--voice", "espeak")
    assert again.exit_code == 0, again.stderr
    assert "reused" not in again.stderr
    assert {p: p.stat().st_mtime_ns for p in (cache / "speech").glob("*.wav")} == wavs
    # A sentence changed by the config: that one is spoken, and the subtitles say it.
    config = tmp_path / "n.toml"
    config.write_text('[narration]\ntwo = "Yes, the square is still here."\n')
    changed = invoke("render", *BEATS, *SMALL, *where, "--voice", "espeak",
                     "--config", config)
    assert changed.exit_code == 0, changed.stderr
    assert [c[2] for c in read_srt(out / "Beats.srt")] == ["A square.",
                                                           "Yes, the square is still here."]
    now = {p: p.stat().st_mtime_ns for p in (cache / "speech").glob("*.wav")}
    assert len(now) == 3 and all(now[p] == t for p, t in wavs.items())


@pytest.mark.slow
@needs_espeak
def test_a_voice_failing_mid_render_keeps_the_earlier_video(dirs, request):
    out, _, where = dirs
    assert invoke("render", *BEATS, *SMALL, *where, "--voice", "espeak").exit_code == 0
    before = digest(out / "Beats.mp4")
    request.getfixturevalue("failing_espeak")
    result = invoke("render", *BEATS, *SMALL, *where, "--voice", "espeak")
    assert result.exit_code == 1
    line = error_of(result)
    assert "Beats failed: VoiceError: espeak-ng failed (exit code 3): boom" in line
    assert digest(out / "Beats.mp4") == before


@pytest.mark.slow
@needs_espeak
def test_slides_play_each_beat_with_its_speech(dirs):
    out, _, where = dirs
    result = invoke("slides", *BEATS, *SMALL, *where, "--voice", "espeak")
    assert result.exit_code == 0, result.stderr
    page = (out / "Beats.html").read_text()
    assert "muted" not in page.split("<video", 1)[1].split(">", 1)[0]
    videos = list((out / "Beats_slides").glob("*.mp4"))
    assert videos and audio_streams(videos[0]) == ["aac"]


# -- init-config: the default sentences, commented ----------------------------------------

def test_init_config_writes_every_sentence_commented_and_valid(tmp_path):
    from backprop_cli.commands.init_config import NARRATION_MARK, narration_table
    from backprop_cli.commands.request import validate_narration
    from backprop_core import load_config

    path = tmp_path / "mine.toml"
    result = invoke("init-config", path)
    assert result.exit_code == 0, result.stderr
    text = path.read_text()
    assert text.endswith(narration_table()), (
        "the default config's [narration] section is out of date: run "
        "`python -m backprop_cli.commands.init_config`")
    assert load_config(str(path)).narration == {}, "commented out"
    head, table = text.split(NARRATION_MARK)
    uncommented = "\n".join(line[2:] if line.startswith(("# [narration]", "# ")) and
                            (" = " in line or line == "# [narration]") else line
                            for line in table.splitlines()[1:])
    path.write_text(head + uncommented)
    config = load_config(str(path))
    assert len(config.narration) > 40 and "truth" in config.narration
    validate_narration(str(path), {})   # every beat and placeholder is valid


def test_the_voice_can_come_from_the_environment(monkeypatch, dirs):
    monkeypatch.setenv("BACKPROP_VIDEO_VOICE", "robot")
    result = invoke("render", *BEATS, *SMALL, *dirs[2])
    assert result.exit_code == 2
    assert "--voice: expected one of piper, espeak, none" in error_of(result)
