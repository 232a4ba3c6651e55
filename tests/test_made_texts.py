"""Texts and formulas made once: kept in the cache (`labels.keep_made_in`), where a render
finds what an earlier render made, or what its dry run running ahead in another process
(`worker.dry_run_ahead`) made for it."""

from pathlib import Path

import numpy as np
import pytest
from manim import FadeIn, Scene, VGroup, tempconfig

from backprop_cli.settings import RenderSettings
from backprop_cli.worker import Job, dry_run_ahead, made_dir, run_job
from scenes.kit import compat, labels
from scenes.kit.labels import Formula, Label
from scenes.kit.theme import DARK

SMALL = {"pixel_width": 64, "pixel_height": 36, "frame_rate": 5, "verbosity": "ERROR",
         "progress_bar": "none"}
SCENES = Path(__file__).with_name("cli_scenes.py")


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """Texts kept in a folder of this test's, and made afresh in this process."""
    monkeypatch.setattr(labels, "_MADE", {})
    labels.keep_made_in(tmp_path / "made")
    yield tmp_path / "made"
    labels.keep_made_in(None)


def made_by_manim(monkeypatch) -> list:
    """The texts and formulas Manim makes from now on (not found made)."""
    made = []
    for cls, base in ((Label, labels.Text), (Formula, labels.MathTypst)):
        plain = base.__init__
        monkeypatch.setattr(base, "__init__", lambda self, *a, plain=plain, **k: (
            made.append(a[0]), plain(self, *a, **k))[1])
    return made


def test_a_kept_text_is_found_instead_of_made(kept, tmp_path, monkeypatch):
    first = VGroup(Label("Kept in the cache", DARK), Formula("z = ", 0.25, " + b"))
    assert len(list(kept.glob("*.pickle"))) == 2
    labels._MADE.clear()   # as in another process
    made = made_by_manim(monkeypatch)
    again = VGroup(Label("Kept in the cache", DARK), Formula("z = ", 0.25, " + b"))
    assert made == []
    assert np.array_equal(first.get_all_points(), again.get_all_points())
    assert again[1].numbers == first[1].numbers   # set before making: its own
    with tempconfig({**SMALL, "media_dir": str(tmp_path / "media")}):
        scene = Scene()
        keys = [compat.play_hash(scene, scene.renderer.camera, [FadeIn(m)], [m],
                                 backend="cairo", encoder_fingerprint="x264")
                for m in (first, again)]
    assert keys[0] == keys[1], "a play keys alike with a made or a found text"


def test_a_damaged_kept_text_is_made_again(kept, monkeypatch):
    Label("Damaged in the cache", DARK)
    (path,) = kept.glob("*.pickle")
    path.write_bytes(b"not a pickle")
    labels._MADE.clear()
    made = made_by_manim(monkeypatch)
    assert Label("Damaged in the cache", DARK).width > 0
    assert made == ["Damaged in the cache"]
    assert path.read_bytes() != b"not a pickle", "made again and kept"


def test_the_dry_run_ahead_makes_the_texts_the_render_needs(tmp_path, monkeypatch):
    """The dry run ahead (a forked process) makes every text of the scene into the cache;
    the render then makes none itself, and its video is whole."""
    monkeypatch.setattr(labels, "_MADE", {})
    settings = RenderSettings(160, 90, 5, cache_dir=tmp_path / "cache", voice="none",
                              module_file=str(SCENES))
    job = Job("Beats", settings, tmp_path / "staging")
    try:
        with dry_run_ahead(job) as ahead:
            ahead.join(timeout=120)
        assert ahead.exitcode == 0
        kept = list(made_dir(settings.cache_dir).glob("*.pickle"))
        assert kept, "the texts of the scene, made ahead"
        made = made_by_manim(monkeypatch)
        result = run_job(Job("Beats", settings, tmp_path / "render"))
    finally:
        labels.keep_made_in(None)
    assert made == []
    assert Path(result["files"][0]).stat().st_size > 0
    assert not (tmp_path / "staging" / "ahead" / "done").exists(), "a dry run publishes nothing"
