"""`slides`: a reveal.js deck per scene, one slide per beat, the narration as notes.

Decks of the tiny `Beats` scene of tests/cli_scenes.py at 192x108 and 5 fps. No test
touches the network: reveal.js comes from a fake local package, or its fetch fails.
"""

import os
import re
from html import unescape
from pathlib import Path

import pytest

from backprop_cli import deck, output
from backprop_cli.catalog import load_catalog

from conftest import SMALL, TINY, error_of, invoke, probe_video

BEATS = load_catalog(TINY).scenes["Beats"]


def fake_reveal(root: Path) -> Path:
    """A stand-in reveal.js package: the files a deck uses, with recognisable contents."""
    for name in ["dist/reveal.js", "dist/reveal.css", "dist/theme/black.css",
                 "dist/theme/white.css", "plugin/notes/notes.js", "LICENSE",
                 f"{deck.FONTS}/source-sans-pro.css", f"{deck.FONTS}/regular.woff",
                 f"{deck.FONTS}/regular.ttf"]:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(f"/* fake {name} */")
    return root


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    def offline(into):
        raise OSError("no network in tests")
    monkeypatch.setattr(deck, "fetch_reveal", offline)
    monkeypatch.delenv(deck.REVEAL_ENV, raising=False)


@pytest.fixture
def local_reveal(tmp_path, monkeypatch):
    root = fake_reveal(tmp_path / "reveal.js")
    monkeypatch.setenv(deck.REVEAL_ENV, str(root))
    return root


def sections(page: str) -> list[dict]:
    found = []
    for body in re.findall(r"<section(.*?)</section>", page, re.S):
        video = re.search(r'<video class="beat" src="([^"]+)" data-start="([^"]+)" '
                          r'data-end="([^"]+)"', body)
        notes = re.search(r'<aside class="notes">(.*?)</aside>', body, re.S)
        found.append({"beat": re.search(r'data-beat="([^"]+)"', body)[1],
                      "src": unescape(video[1]), "start": float(video[2]),
                      "end": float(video[3]), "notes": unescape(notes[1])})
    return found


def beat_log(media: Path):
    """The beats (name, narration, start, end...) as the scene records them, rendered alike."""
    from manim import tempconfig

    with tempconfig({"verbosity": "CRITICAL", "frame_rate": 5, "pixel_width": 192,
                     "pixel_height": 108, "frame_width": 8.0 * 192 / 108,
                     "media_dir": str(media), "disable_caching": True,
                     "progress_bar": "none"}):
        scene = BEATS()
        scene.render()
    return scene.beat_log


def linked(page: str) -> list[str]:
    return re.findall(r'(?:href|src)="([^"#]+)', page)


def test_slides_help_has_examples():
    result = invoke("slides", "--help")
    assert result.exit_code == 0 and "Examples:" in result.stdout
    assert "speaker" in result.stdout


@pytest.mark.slow
def test_a_slide_per_beat_with_its_narration_and_time_range(dirs, local_reveal):
    out, cache, where = dirs
    result = invoke("slides", "--module", TINY, "Beats", *SMALL, *where)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{out / 'Beats.html'}\n"
    assert sorted(p.name for p in out.iterdir()) == ["Beats.html", "Beats_slides"]
    page = (out / "Beats.html").read_text()
    slides = sections(page)
    log = beat_log(out.parent / "media")
    assert len(slides) == len(BEATS.beats) == len(log)
    for slide, beat in zip(slides, log):
        assert slide["beat"] == beat["name"]
        assert slide["notes"] == beat["narration"] == BEATS.narration[beat["name"]]
        assert slide["start"] == pytest.approx(beat["start"], abs=2e-3)
        assert slide["end"] == pytest.approx(beat["end"], abs=2e-3)
    # every slide shows the one video, which holds every beat
    assert [s["src"] for s in slides] == [f"Beats_slides/Beats.mp4#t={s['start']:.3f},"
                                          f"{s['end']:.3f}" for s in slides]
    video = probe_video(out / "Beats_slides" / "Beats.mp4")
    assert (video.codec, video.width, video.height) == ("h264", 192, 108)
    assert video.frames / 5 >= log[-1]["end"] - 1 / 5
    # reveal.js was copied beside the deck, and everything the page links exists
    for name in deck.asset_files("black"):
        assert (out / "Beats_slides" / "reveal" / name).read_text() == f"/* fake {name} */"
    assert not (out / "Beats_slides" / "reveal" / deck.FONTS / "regular.ttf").exists()
    assert all((out / link).is_file() for link in linked(page)), linked(page)
    assert "cdn" not in page.lower() and "cdn" not in result.stderr.lower()
    assert "RevealNotes" in page and 'class="notes"' in page
    assert page.count('data-frame="0.2000"') == len(BEATS.beats)   # one frame at 5 fps
    assert not any((cache / "staging").iterdir())


@pytest.mark.slow
def test_light_theme_uses_the_white_reveal_theme(dirs, local_reveal):
    out, _, where = dirs
    result = invoke("slides", "--module", TINY, "beats", *SMALL, "--theme", "light", *where)
    assert result.exit_code == 0, result.stderr
    page = (out / "Beats.html").read_text()
    assert "dist/theme/white.css" in page and 'data-background-color="#ffffff"' in page
    assert (out / "Beats_slides" / "reveal" / "dist" / "theme" / "white.css").is_file()


@pytest.mark.slow
def test_offline_the_deck_links_the_cdn_and_says_so(dirs):
    out, cache, where = dirs
    result = invoke("slides", "--module", TINY, "Beats", *SMALL, *where)
    assert result.exit_code == 0, result.stderr
    assert result.stdout == f"{out / 'Beats.html'}\n"
    page = (out / "Beats.html").read_text()
    assert f'src="{deck.CDN}dist/reveal.js"' in page
    assert f'src="{deck.CDN}plugin/notes/notes.js"' in page
    assert f'href="{deck.CDN}dist/theme/black.css"' in page
    notes = [line for line in result.stderr.splitlines() if deck.CDN in line]
    assert len(notes) == 1 and "with network" in notes[0]
    assert sorted(p.name for p in (out / "Beats_slides").iterdir()) == ["Beats.mp4"]
    assert len(sections(page)) == len(BEATS.beats)
    assert not (cache / "revealjs" / deck.REVEAL_VERSION).exists(), "nothing kept"


@pytest.mark.slow
def test_reveal_is_fetched_once_and_kept_in_the_cache(dirs, tmp_path, monkeypatch):
    out, cache, where = dirs
    fetched = []

    def fetch(into):
        fetched.append(into)
        return fake_reveal(Path(into) / "package")
    monkeypatch.setattr(deck, "fetch_reveal", fetch)
    first = invoke("slides", "--module", TINY, "Beats", *SMALL, *where)
    assert first.exit_code == 0, first.stderr
    assert (cache / "revealjs" / deck.REVEAL_VERSION / "dist" / "reveal.js").is_file()

    def offline(into):
        raise OSError("offline")
    monkeypatch.setattr(deck, "fetch_reveal", offline)
    (out / "Beats_slides" / "stray.txt").write_text("from an earlier deck")
    again = invoke("slides", "--module", TINY, "Beats", *SMALL, *where)
    assert again.exit_code == 0, again.stderr
    assert len(fetched) == 1 and "cdn" not in again.stderr.lower()
    assert "unchanged, reused" in again.stderr
    assert (out / "Beats_slides" / "reveal" / "dist" / "reveal.js").is_file()
    assert not (out / "Beats_slides" / "stray.txt").exists()   # the folder was replaced
    assert sorted(p.name for p in out.iterdir()) == ["Beats.html", "Beats_slides"]


def test_the_environment_variable_can_skip_the_download(tmp_path, monkeypatch):
    monkeypatch.setenv(deck.REVEAL_ENV, "cdn")
    monkeypatch.setattr(deck, "fetch_reveal", lambda into: pytest.fail("fetched"))
    assert deck.reveal_source(tmp_path, "black", tmp_path / "scratch") is None
    monkeypatch.setenv(deck.REVEAL_ENV, str(fake_reveal(tmp_path / "r")))
    assert deck.reveal_source(tmp_path, "black", tmp_path / "scratch") == tmp_path / "r"


def test_slides_of_a_scene_without_beats_is_a_one_line_error(dirs, local_reveal):
    out, _, where = dirs
    result = invoke("slides", "--module", TINY, "Beats", "Tiny", *SMALL, *where)
    assert result.exit_code == 1 and result.stdout == ""
    assert error_of(result).startswith("Error: Tiny has no beats, so no slides")
    assert not out.exists() or not any(out.iterdir())


@pytest.mark.parametrize("args,message,code", [
    (["nosuch"], "unknown scene 'nosuch'", 2),
    (["Beats", "--resolution", "193x109"], "--resolution: the slides' video needs an even", 2),
    (["Beats", "--format", "gif"], "no such option: --format", 2),
    (["Beats", "--lr", "0"], "training.learning_rate: expected a positive number", 2),
    ([], "name the scene(s) to make slides of", 2),
])
def test_slides_usage_errors(dirs, args, message, code):
    out, _, where = dirs
    result = invoke("slides", "--module", TINY, *where, *args)
    assert result.exit_code == code, result.stderr
    assert message in error_of(result) and result.stdout == ""
    assert not out.exists() or not any(out.iterdir())


def test_stale_deck_folders_of_dead_runs_are_swept(tmp_path):
    dead = tmp_path / ".Beats_slides.999999999.0123abcd.tmp"
    live = tmp_path / f".Beats_slides.{os.getpid()}.0123abcd.tmp"   # this run's, in the making
    for folder in (dead, live):
        (folder / "reveal").mkdir(parents=True)
        (folder / "Beats.mp4").write_bytes(b"partial")
    output.sweep_stale_temps(tmp_path)
    assert not dead.exists()
    assert (live / "Beats.mp4").read_bytes() == b"partial"
