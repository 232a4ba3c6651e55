"""Sentences to WAV files: spoken text, cache look-up, one engine call for the rest."""

import concurrent.futures
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import cache, engines
from .spoken import spoken_text

MIN_RATE, MAX_RATE = 0.25, 4.0


@dataclass(frozen=True)
class Speech:
    """One spoken sentence: `path` is a WAV (None for the voice "none"), `duration` in
    seconds by its header, `text` the words spoken, `cached` whether it came from the cache."""

    text: str
    path: Path | None
    duration: float
    cached: bool = False


def synthesize(sentences: list[str], voice: str | None = None, cache_dir: Path | None = None,
               rate: float = 1.0) -> list[Speech]:
    """Speak each caption sentence; one Speech per sentence, in order.

    `voice` is "piper", "espeak" or "none" (None: the best installed). With `cache_dir`,
    sentences spoken before are not synthesized again; without it the WAVs go to a new
    temporary folder that the caller owns. `rate` is the speaking speed (1.0 normal).
    Raises VoiceUnavailable (voice unknown or not installed) or VoiceError (it failed).
    """
    if not MIN_RATE <= rate <= MAX_RATE:
        raise ValueError(f"rate {rate} is outside {MIN_RATE} to {MAX_RATE}")
    voice = voice or engines.best()
    texts = [spoken_text(sentence) for sentence in sentences]
    if voice == "none":
        return [Speech(text, None, 0.0) for text in texts]
    engine = engines.engine(voice)
    if cache_dir is None:
        cache_dir = Path(tempfile.mkdtemp(prefix="backprop-voice-"))
    cache_dir = Path(cache_dir)
    cache_dir.mkdir(parents=True, exist_ok=True)

    keys = [cache.key(text, voice, rate, engine.version) for text in texts]
    found = {k: cache.cached(cache_dir, k) for k in dict.fromkeys(keys)}
    missing = [k for k, hit in found.items() if hit is None]
    made = _make(engine, {k: texts[keys.index(k)] for k in missing}, cache_dir, rate)
    return [Speech(text, *(found[k] or made[k]), cached=found[k] is not None)
            for text, k in zip(texts, keys)]


def _make(engine: engines.Engine, todo: dict[str, str], cache_dir: Path,
          rate: float) -> dict[str, tuple[Path, float]]:
    """Synthesize the texts of `todo` (key → text) into the cache: key → (path, duration)."""
    if not todo:
        return {}
    work = Path(tempfile.mkdtemp(dir=cache_dir, prefix=".tmp-"))
    try:
        speak = {k: t for k, t in todo.items() if any(c.isalnum() for c in t)}
        wavs = dict(zip(speak, engine.speak(list(speak.values()), work, rate)))
        for k in todo.keys() - speak.keys():  # nothing to say: an empty WAV
            wavs[k] = work / f"{k}.silent.wav"
            engines.write_silence(wavs[k])
        made = {}
        for k, wav in wavs.items():
            duration = cache.wav_duration(wav)
            if duration is None:
                raise engines.VoiceError(f"{engine.name} wrote an unreadable WAV for: {todo[k]}")
            made[k] = (cache.store(wav, cache_dir, k), duration)
        return made
    finally:
        shutil.rmtree(work, ignore_errors=True)


_executor: concurrent.futures.ThreadPoolExecutor | None = None


def synthesize_in_background(sentences: list[str], voice: str | None = None,
                             cache_dir: Path | None = None,
                             rate: float = 1.0) -> "concurrent.futures.Future[list[Speech]]":
    """Start `synthesize` on a background thread; `.result()` gives the list (or raises).

    Calls run one after another on one thread, so two of them never load a model at once.
    """
    global _executor
    if _executor is None:
        _executor = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="voice")
    return _executor.submit(synthesize, sentences, voice, cache_dir, rate)
