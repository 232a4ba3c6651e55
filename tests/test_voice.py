"""The voice layer: spoken text, real synthesis with espeak-ng and Piper, the speech cache,
and one-line errors."""

import os
import sys
import wave

import numpy as np
import pytest

import backprop_voice
from backprop_voice import (Speech, VoiceError, VoiceUnavailable, engines, spoken_text,
                            synthesize, synthesize_in_background)
from backprop_voice.spoken import SYMBOLS

HAS_ESPEAK = "espeak" in backprop_voice.available_voices()
HAS_PIPER = "piper" in backprop_voice.available_voices()
needs_espeak = pytest.mark.skipif(not HAS_ESPEAK, reason="espeak-ng is not installed "
                                  "(apt-get install espeak-ng)")
needs_piper = pytest.mark.skipif(not HAS_PIPER, reason="Piper is not installed "
                                 "(pip install 'backprop-video[voice]')")

SENTENCES = ["The loss is 0.46, down from 0.69.",
             "Each step moves the weight against the slope, scaled by the learning rate "
             "η = 0.5, and every weight and bias moves at once."]


# -- spoken text ---------------------------------------------------------------------------

@pytest.mark.parametrize("caption, spoken", [
    ("0.46", "zero point four six"),
    ("0.5", "zero point five"),
    ("0.50", "zero point five"),
    ("-0.2", "minus zero point two"),
    ("\u22120.2", "minus zero point two"),
    ("200", "two hundred"),
    ("0", "zero"),
    ("-0.00", "zero"),
    ("13", "thirteen"),
    ("42", "forty-two"),
    ("1,000", "one thousand"),
    ("1234567", "one million two hundred thirty-four thousand five hundred sixty-seven"),
    ("0.0012", "zero point zero zero one two"),
    ("1.2e-05", "one point two times ten to the power of minus five"),
    ("\u22123.5e+04", "minus three point five times ten to the power of four"),
    ("η", "the learning rate"),
    ("∂L/∂w", "the gradient of the loss with respect to this weight"),
    ("∂L/∂a", "the gradient of the loss with respect to this activation"),
    ("∂L/∂z", "the gradient of the loss with respect to this neuron's sum"),
    ("δ", "delta"),
    ("Σ", "the sum"),
    ("3 → 5 → 3", "three to five to three"),
    ("2 × 3 · 4", "two times three times four"),
    ("Loss = 0.23.", "Loss equals zero point two three."),
    ("≈ 5%", "about five percent"),
    ("w ← w − η·∂L/∂w", "w becomes w minus the learning rate times the gradient of the loss "
                        "with respect to this weight"),
    ("scaled by the learning rate η = 0.1.", "scaled by the learning rate of zero point one."),
    ("The guess moves from 0.46 to −0.2, and the loss falls.",
     "The guess moves from zero point four six to minus zero point two, and the loss falls."),
])
def test_spoken_numbers_and_symbols(caption, spoken):
    assert spoken_text(caption) == spoken


@pytest.mark.parametrize("caption", [
    "Ouch! The gap between the guess and the truth is the error.",
    "Binary cross-entropy punishes a confident wrong answer hard.",
    "The weights w1 and w2 (again): cats, dogs; birds?",
])
def test_spoken_keeps_ordinary_words(caption):
    assert spoken_text(caption) == caption


@pytest.mark.parametrize("symbol", sorted(SYMBOLS))
def test_every_symbol_of_the_table_is_spoken(symbol):
    assert spoken_text(f"a {symbol} b") == f"a {SYMBOLS[symbol]} b"


# -- real synthesis ------------------------------------------------------------------------

def samples(path):
    """The WAV's samples as floats in [-1, 1]."""
    with wave.open(str(path), "rb") as wav:
        assert wav.getsampwidth() == 2 and wav.getnchannels() == 1
        return np.frombuffer(wav.readframes(wav.getnframes()), np.int16) / 32768.0


def assert_plausible_speech(speech: Speech):
    assert speech.path.is_file()
    words = len(speech.text.split())
    # Narration runs at about 2 to 4 words a second; allow a wide margin either side.
    assert words / 6 < speech.duration < words / 1 + 1, (speech.duration, words)
    audio = samples(speech.path)
    assert len(audio) > 0
    assert np.sqrt(np.mean(audio ** 2)) > 0.02, "the WAV is (nearly) silent"


@needs_espeak
def test_espeak_speaks_each_sentence(tmp_path):
    speeches = synthesize(SENTENCES, "espeak", tmp_path)
    assert [s.text for s in speeches] == [spoken_text(c) for c in SENTENCES]
    assert "zero point four six" in speeches[0].text
    for speech in speeches:
        assert_plausible_speech(speech)
    assert speeches[0].duration < speeches[1].duration  # in order: the short one first


@needs_espeak
def test_rate_speeds_speech_up(tmp_path):
    normal, = synthesize(SENTENCES[1:], "espeak", tmp_path)
    fast, = synthesize(SENTENCES[1:], "espeak", tmp_path, rate=2.0)
    assert fast.path != normal.path
    assert 0.35 < fast.duration / normal.duration < 0.75


@pytest.mark.slow
@needs_piper
def test_piper_speaks_many_sentences_with_one_model_load(tmp_path):
    speeches = synthesize(SENTENCES + ["Then repeat."], "piper", tmp_path)
    for speech in speeches:
        assert_plausible_speech(speech)
    assert speeches[2].duration < speeches[0].duration < speeches[1].duration
    again = synthesize(SENTENCES + ["Then repeat."], "piper", tmp_path)
    assert all(s.cached for s in again) and again == [
        Speech(s.text, s.path, s.duration, cached=True) for s in speeches]


@pytest.mark.slow
@needs_piper
def test_piper_rate_maps_to_length_scale(tmp_path):
    normal, slow = (synthesize(SENTENCES[:1], "piper", tmp_path, rate=r)[0] for r in (1.0, 0.5))
    assert 1.6 < slow.duration / normal.duration < 2.4


@needs_espeak
def test_nothing_to_say_is_an_empty_wav(tmp_path):
    speech, = synthesize(["…"], "espeak", tmp_path)
    assert speech.duration == 0.0 and speech.path.is_file()


def test_voice_none_is_silence(tmp_path):
    speeches = synthesize(SENTENCES, "none", tmp_path)
    assert [(s.path, s.duration) for s in speeches] == [(None, 0.0)] * 2
    assert speeches[0].text == spoken_text(SENTENCES[0])
    assert list(tmp_path.iterdir()) == []


def test_best_voice_is_the_first_available():
    voices = backprop_voice.available_voices()
    assert voices[-1] == "none" and backprop_voice.best_voice() == voices[0]
    assert voices == [v for v in ("piper", "espeak", "none") if v in voices]


# -- the cache -----------------------------------------------------------------------------

@needs_espeak
def test_second_run_synthesizes_nothing(tmp_path):
    first = synthesize(SENTENCES + SENTENCES[:1], "espeak", tmp_path)
    assert [s.cached for s in first] == [False, False, False]
    assert first[0].path == first[2].path  # the same sentence twice is spoken once
    before = {s.path: (os.stat(s.path).st_ino, os.stat(s.path).st_mtime_ns) for s in first}
    second = synthesize(SENTENCES + SENTENCES[:1], "espeak", tmp_path)
    assert all(s.cached for s in second)
    assert [(s.path, s.duration) for s in second] == [(s.path, s.duration) for s in first]
    assert {p: (os.stat(p).st_ino, os.stat(p).st_mtime_ns) for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in before)


@needs_espeak
@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_damaged_cached_wav_is_rebuilt(tmp_path, damage):
    good, = synthesize(SENTENCES[:1], "espeak", tmp_path)
    data = good.path.read_bytes()
    good.path.write_bytes({"truncate": data[:len(data) // 2], "garbage": b"RIFF nonsense",
                           "empty": b""}[damage])
    rebuilt, = synthesize(SENTENCES[:1], "espeak", tmp_path)
    assert not rebuilt.cached and rebuilt.path == good.path
    assert rebuilt.duration == pytest.approx(good.duration)
    assert_plausible_speech(rebuilt)


@needs_espeak
def test_background_synthesis_gives_the_same_speech(tmp_path):
    future = synthesize_in_background(SENTENCES, "espeak", tmp_path)
    speeches = future.result(timeout=120)
    assert [s.duration for s in speeches] == [
        s.duration for s in synthesize(SENTENCES, "espeak", tmp_path)]


# -- errors --------------------------------------------------------------------------------

@pytest.fixture
def nothing_installed(monkeypatch, tmp_path):
    """A process that finds neither piper nor espeak-ng (empty PATH, a Python elsewhere)."""
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setattr(sys, "executable", str(empty / "python"))
    engines.find.cache_clear()
    yield
    monkeypatch.undo()
    engines.find.cache_clear()


@pytest.mark.parametrize("voice, how", [("piper", "pip install 'backprop-video[voice]'"),
                                        ("espeak", "apt-get install espeak-ng")])
def test_uninstalled_voice_says_how_to_install_in_one_line(nothing_installed, tmp_path,
                                                           voice, how):
    assert backprop_voice.available_voices() == ["none"]
    with pytest.raises(VoiceUnavailable) as error:
        synthesize(SENTENCES, voice, tmp_path)
    message = str(error.value)
    assert how in message and voice in message and "\n" not in message


def test_unknown_voice_is_one_line(tmp_path):
    with pytest.raises(VoiceUnavailable, match=r"^unknown voice 'pipr': choose piper, "
                                               r"espeak or none$"):
        synthesize(SENTENCES, "pipr", tmp_path)


def test_rate_out_of_range(tmp_path):
    with pytest.raises(ValueError, match="rate"):
        synthesize(SENTENCES, "none", tmp_path, rate=0)


def test_failing_voice_process_is_one_line():
    command = [sys.executable, "-c", "import sys; sys.stderr.write('warming up\\nTrouble: "
               "no model\\n'); sys.exit(3)"]
    with pytest.raises(VoiceError, match=r"^piper failed \(exit code 3\): Trouble: no model$"):
        engines.run(command, "hello\n", "piper")


@pytest.mark.slow
@needs_piper
def test_piper_with_a_broken_model_fails_in_one_line(tmp_path):
    real = engines.find("piper")
    model = tmp_path / "broken.onnx"
    model.write_bytes(b"not a model")
    broken = engines.Piper("piper", "broken", real.executable, model, real.config)
    with pytest.raises(VoiceError) as error:
        broken.speak(["Hello there."], tmp_path, 1.0)
    message = str(error.value)
    assert message.startswith("piper failed (exit code ") and "\n" not in message
    assert list(tmp_path.glob("*.wav")) == []
