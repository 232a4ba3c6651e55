"""The speech cache: one WAV per (spoken text, voice, rate, engine version), kept atomically.

A file lands under its final name only by `os.replace` from a temporary name in the same
folder, so a reader never sees half a file; a damaged one (unreadable or truncated) is
treated as missing and made again.
"""

import hashlib
import json
import os
import wave
from pathlib import Path


def key(text: str, voice: str, rate: float, version: str) -> str:
    """A file-name-safe key for one sentence spoken by one voice at one rate."""
    material = json.dumps([text, voice, round(rate, 4), version], ensure_ascii=False)
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def wav_duration(path: Path) -> float | None:
    """Seconds of audio by the WAV header, or None if the file is missing, bad or truncated."""
    try:
        with wave.open(str(path), "rb") as wav:
            frames, rate = wav.getnframes(), wav.getframerate()
            frame_bytes = wav.getsampwidth() * wav.getnchannels()
            if rate <= 0 or frame_bytes <= 0:
                return None
            if len(wav.readframes(frames)) != frames * frame_bytes:
                return None  # the header promises more audio than the file holds
            return frames / rate
    except (OSError, EOFError, wave.Error):
        return None


def cached(cache_dir: Path, name: str) -> tuple[Path, float] | None:
    """The good cached WAV for key `name` and its duration, or None."""
    path = cache_dir / f"{name}.wav"
    duration = wav_duration(path)
    return None if duration is None else (path, duration)


def store(source: Path, cache_dir: Path, name: str) -> Path:
    """Move a finished WAV (in the same file system) to its cache name, atomically."""
    target = cache_dir / f"{name}.wav"
    os.replace(source, target)
    return target
