"""What a render depends on, and the caches keyed by it.

- `scene_lock`: one render of a scene at a time per cache directory (Manim writes its
  partial movies and text caches in place, so two writers of one scene would clash).
- `ResultCache`: finished renders, keyed by everything they depend on, so re-rendering
  with nothing changed just copies the previous result.
- `Durations`: scene lengths in seconds, for `list` and the progress bars.
"""

import contextlib
import hashlib
import importlib.metadata
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no locking between processes
    fcntl = None

CACHE_VERSION = 1
RESULTS_KEPT_PER_SCENE = 3
PACKAGES = ("manim", "av", "manimpango", "typst", "numpy", "pycairo", "backprop-video")


def scene_dir(cache_dir: Path, scene: str) -> Path:
    """Manim's working files for one scene: partial movies, text and formula caches."""
    return Path(cache_dir) / "scenes" / scene


@contextlib.contextmanager
def scene_lock(cache_dir: Path, scene: str, on_wait=None):
    """Hold the scene's lock; call `on_wait()` first if another process holds it."""
    path = scene_dir(cache_dir, scene)
    path.mkdir(parents=True, exist_ok=True)
    with open(path / ".lock", "a+") as handle:
        if fcntl is not None:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _digest(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def _versions() -> dict:
    found = {}
    for name in PACKAGES:
        try:
            found[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            found[name] = None
    return found


def source_fingerprint(extra_roots=()) -> str:
    """A digest of the project's loaded source files and data files, and package versions.

    Every module imported from the project (the directory of this package's parent) or
    from `extra_roots` counts, with the .py and .toml files beside it.
    """
    roots = [Path(__file__).resolve().parents[1], *(Path(r).resolve() for r in extra_roots)]
    skip = [Path(sys.prefix).resolve(), Path(sys.base_prefix).resolve()]
    folders = set()
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if not file:
            continue
        path = Path(file).resolve()
        if any(path.is_relative_to(s) for s in skip) or "site-packages" in path.parts:
            continue
        if any(path.is_relative_to(root) for root in roots):
            folders.add(path.parent)
    digest = hashlib.sha256(json.dumps(_versions(), sort_keys=True).encode())
    for folder in sorted(folders):
        for file in sorted(folder.glob("*")):
            if file.suffix in (".py", ".toml") and file.is_file():
                digest.update(str(file).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()


def config_material(config_file: str | None, overrides: dict) -> dict:
    """What the scene's config depends on: the file's bytes (not its name) and overrides."""
    text = None
    if config_file is not None:
        text = hashlib.sha256(Path(config_file).read_bytes()).hexdigest()
    return {"config": text, "overrides": overrides}


def render_key(scene_id: str, sources: str, config: dict, settings: dict) -> str:
    return _digest(CACHE_VERSION, scene_id, sources, config, settings)


def duration_key(scene_id: str, sources: str, config: dict) -> str:
    return _digest(CACHE_VERSION, scene_id, sources, config)


class ResultCache:
    """Finished renders: results/<Scene>/<key>/ holds the files and meta.json."""

    def __init__(self, cache_dir: Path):
        self.root = Path(cache_dir) / "results"

    def lookup(self, scene: str, key: str) -> tuple[list[Path], dict] | None:
        folder = self.root / scene / key
        try:
            meta = json.loads((folder / "meta.json").read_text())
            files = [folder / name for name in meta["files"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not all(f.is_file() for f in files):
            return None
        with contextlib.suppress(OSError):
            os.utime(folder)
        return files, meta

    def store(self, scene: str, key: str, files: list[Path], meta: dict) -> list[Path]:
        """Move `files` into the cache (same file system: the staging area is in the cache)."""
        parent = self.root / scene
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".incoming-", dir=parent))
        try:
            for f in files:
                shutil.move(str(f), tmp / f.name)
            (tmp / "meta.json").write_text(json.dumps({**meta, "files": [f.name for f in files]}))
            final = parent / key
            try:
                os.rename(tmp, final)
            except OSError:  # another render stored the same result first
                shutil.rmtree(tmp, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        self._prune(parent)
        return [final / f.name for f in files]

    def _prune(self, parent: Path) -> None:
        entries = [p for p in parent.iterdir() if p.is_dir() and not p.name.startswith(".")]
        entries.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in entries[RESULTS_KEPT_PER_SCENE:]:
            shutil.rmtree(old, ignore_errors=True)


class Durations:
    """Scene lengths in seconds, by `duration_key`, in durations.json."""

    def __init__(self, cache_dir: Path):
        self.path = Path(cache_dir) / "durations.json"

    def _read(self) -> dict:
        try:
            data = json.loads(self.path.read_text())
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def get(self, key: str) -> float | None:
        value = self._read().get(key)
        return value[0] if isinstance(value, list) and value else None

    def put(self, key: str, seconds: float) -> None:
        data = self._read()
        data[key] = [float(seconds), time.time()]
        if len(data) > 500:  # keep the newest
            data = dict(sorted(data.items(), key=lambda kv: kv[1][1])[-500:])
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".durations.{os.getpid()}.tmp")
            tmp.write_text(json.dumps(data))
            os.replace(tmp, self.path)
