"""Render settings: quality presets, output formats, config overrides, where caches live."""

import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

from backprop_core.config import CONFIG_ENV  # noqa: F401 -- the --config option's envvar
from scenes.kit.theme import THEMES as THEME_LOOKS

# name: (width, height, frames per second) -- Manim's presets, named as Manim names them.
QUALITIES = {
    "low": (854, 480, 15),
    "medium": (1280, 720, 30),
    "high": (1920, 1080, 60),
    "production": (2560, 1440, 60),
    "4k": (3840, 2160, 60),
}
QUALITY_LETTERS = {"l": "low", "m": "medium", "h": "high", "p": "production", "k": "4k"}
DEFAULT_QUALITY = "high"
FORMATS = ("mp4", "webm", "gif", "mov", "png")
VIDEO_FORMATS = ("mp4", "webm", "gif", "mov")
TRANSPARENT_FORMATS = ("webm", "gif", "mov", "png")
AUDIO_FORMATS = ("mp4", "webm", "mov")   # the voice goes into these (AAC, Opus, PCM)
VOICES = ("piper", "espeak", "none")     # as backprop_voice.VOICES (not imported for --help)
MAX_FPS = 240
MAX_SIDE = 8192
DEFAULT_OUTPUT_DIR = "media"
THEMES = tuple(THEME_LOOKS)   # the names of the scenes' themes (no Manim is loaded)
DEFAULT_THEME = "dark"


def default_cache_dir() -> Path:
    """$XDG_CACHE_HOME/backprop-video, else ~/.cache/backprop-video (LOCALAPPDATA on Windows)."""
    if os.environ.get("XDG_CACHE_HOME"):
        base = Path(os.environ["XDG_CACHE_HOME"])
    elif sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        base = Path(os.environ["LOCALAPPDATA"])
    else:
        base = Path.home() / ".cache"
    return base / "backprop-video"


def scene_overrides(scene_class: type, overrides: dict) -> dict:
    """The config overrides a scene runs with: its own `overrides`, then the run's (merged
    as `load_config` merges them onto the file)."""
    from backprop_core.config import merge_overrides   # NumPy: not for `--help`

    return merge_overrides(getattr(scene_class, "overrides", None) or {}, overrides)


@dataclass(frozen=True)
class RenderSettings:
    """Everything about how scenes are rendered, the same for every scene of one run."""

    width: int
    height: int
    fps: float
    format: str = "mp4"
    transparent: bool = False
    cache_dir: Path = field(default_factory=default_cache_dir)
    use_cache: bool = True
    verbose: bool = False
    config_file: str | None = None
    overrides: dict = field(default_factory=dict)
    module_file: str | None = None
    theme: str | None = None         # a name in scenes.kit.theme.THEMES; None: the scene's own
    subtitles: bool = True           # publish <Scene>.srt beside a video
    stills: bool = False             # one PNG per beat (a dry run) instead of a render
    voice: str = "none"              # piper, espeak or none; only videos with audio speak

    @property
    def is_video(self) -> bool:
        return self.format in VIDEO_FORMATS

    @property
    def label(self) -> str:
        look = [word for word, on in ((f"{self.theme} theme", self.theme),
                                      ("transparent", self.transparent)) if on]
        size = f"{self.width}x{self.height}" + ("" if self.stills else
                                                f" {self.fps:g}fps {self.format}")
        spoken = self.voice != "none" and self.format in AUDIO_FORMATS and not self.stills
        return (size + (f" ({', '.join(look)})" if look else "")
                + (f", spoken by {self.voice}" if spoken else ""))
