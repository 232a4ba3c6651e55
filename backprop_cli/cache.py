"""What a render depends on, and the caches keyed by it.

- `scene_lock`: one render of a scene at a time per cache directory (Manim writes its
  partial movies and text caches in place, so two writers of one scene would clash).
  While a render holds it, a marker says so; a render killed outright (kill -9) leaves
  the marker behind, and the next holder first deletes every working file written since
  it (a partial movie cut short would otherwise be reused as if whole, and fail every
  later render). A render that stops with an exception keeps the partial movies that
  open as whole videos, and drops the rest.
- `ResultCache`: finished renders, keyed by everything they depend on, so re-rendering
  with nothing changed just copies the previous result.
- `Durations`: scene lengths in seconds, for `list` and the progress bars.

Everything cached is written to a temporary name and renamed into place, and checked
when read: a damaged entry is ignored (and replaced by the next render). The whole
directory may be deleted at any time, even during a render (`runner` then renders the
scene again).
"""

import contextlib
import hashlib
import importlib.metadata
import json
import math
import os
import secrets
import shutil
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


MARKER = ".rendering"   # in a scene's folder while a render of it runs
MOVIES = (".mp4", ".webm", ".mov", ".mkv")


def safe_name(scene: str) -> str:
    """A scene name as one folder name inside the cache: `../../x` cannot escape it."""
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in str(scene))
    name = name.lstrip(".") or "_"
    if name != scene:   # keep names that only differ in unsafe characters apart
        name += "-" + hashlib.sha256(str(scene).encode()).hexdigest()[:8]
    return name


def scene_dir(cache_dir: Path, scene: str) -> Path:
    """Manim's working files for one scene: partial movies, text and formula caches."""
    return Path(cache_dir) / "scenes" / safe_name(scene)


def _written_since(folder: Path, since: float) -> list[Path]:
    found = []
    for root, _dirs, files in os.walk(folder):
        for name in files:
            path = Path(root) / name
            with contextlib.suppress(OSError):
                if name != ".lock" and path.stat().st_mtime >= since - 1:
                    found.append(path)
    return found


def whole_movie(path: Path) -> bool:
    """Whether a partial movie opens and every packet of it reads (PyAV)."""
    try:
        import av
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            return sum(1 for packet in container.demux(stream) if packet.size) > 0
    except Exception:  # noqa: BLE001 -- any failure: not a whole movie
        return False


def drop_unfinished(folder: Path, since: float, trust_whole: bool) -> None:
    """Delete working files written since `since`: all of them (after kill -9), or, when
    `trust_whole`, only movies that do not open as whole videos."""
    for path in _written_since(folder, since):
        if path.name == MARKER:
            continue
        if trust_whole and (path.suffix not in MOVIES or whole_movie(path)):
            continue
        with contextlib.suppress(OSError):
            path.unlink()


@contextlib.contextmanager
def scene_lock(cache_dir: Path, scene: str, on_wait=None):
    """Hold the scene's lock; call `on_wait()` first if another process holds it.

    A marker left by a holder that was killed means its working files cannot be trusted:
    they are deleted first. Working files are only read under this lock.
    """
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
        marker = path / MARKER
        try:
            with contextlib.suppress(OSError):
                drop_unfinished(path, marker.stat().st_mtime, trust_whole=False)
            with contextlib.suppress(OSError):
                marker.write_text(str(os.getpid()))
                started = marker.stat().st_mtime
            try:
                yield
            except BaseException:
                with contextlib.suppress(OSError, NameError):
                    drop_unfinished(path, started, trust_whole=True)
                raise
            finally:
                with contextlib.suppress(OSError):
                    marker.unlink()
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


PROJECT_PACKAGES = ("backprop_core", "scenes", "backprop_voice", "backprop_cli")


def source_fingerprint(extra_roots=()) -> str:
    """A digest of the project's source and data files, and package versions.

    Every .py and .toml file of the project's packages counts (whether or not it has been
    imported yet, so the digest is the same before and after a render), and those in the
    folders `extra_roots` (a `--module` file's folder).
    """
    project = Path(__file__).resolve().parents[1]
    files = [f for package in PROJECT_PACKAGES for f in (project / package).rglob("*")]
    files += [f for root in extra_roots for f in Path(root).resolve().glob("*")]
    digest = hashlib.sha256(json.dumps(_versions(), sort_keys=True).encode())
    for file in sorted(set(files)):
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
        """The files of a stored result, if it is whole: every file listed, of the size
        recorded. A damaged entry is removed (the render then stores a new one)."""
        folder = self.root / safe_name(scene) / key
        if not folder.is_dir():
            return None
        try:
            meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
            names, sizes = meta["files"], meta["sizes"]
            if not (isinstance(names, list) and isinstance(sizes, list) and names
                    and len(names) == len(sizes)
                    and all(isinstance(n, str) and Path(n).name == n and n not in ("", ".", "..")
                            for n in names)):
                raise ValueError("bad file list")
            files = [folder / name for name in names]
            if any(f.is_symlink() or not f.is_file() or f.stat().st_size != size
                   for f, size in zip(files, sizes)):
                raise ValueError("a file is missing or of another size")
        except (OSError, ValueError, KeyError, TypeError):
            shutil.rmtree(folder, ignore_errors=True)
            return None
        with contextlib.suppress(OSError):
            os.utime(folder)
        return files, meta

    def store(self, scene: str, key: str, files: list[Path], meta: dict) -> list[Path]:
        """Move `files` into the cache (same file system: the staging area is in the cache)."""
        parent = self.root / safe_name(scene)
        parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".incoming-", dir=parent))
        try:
            for f in files:
                shutil.move(str(f), tmp / f.name)
            record = {**meta, "files": [f.name for f in files],
                      "sizes": [(tmp / f.name).stat().st_size for f in files]}
            (tmp / "meta.json").write_text(json.dumps(record))
            final = parent / key
            if final.is_dir() and self.lookup(scene, key) is None:
                shutil.rmtree(final, ignore_errors=True)   # a damaged one: replaced
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
        """Only well-formed entries ([seconds, time]): anything else is as if missing."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        if not isinstance(data, dict):
            return {}
        return {key: value for key, value in data.items()
                if isinstance(value, list) and len(value) == 2
                and all(isinstance(v, (int, float)) and not isinstance(v, bool)
                        and math.isfinite(v) for v in value) and value[0] >= 0}

    def get(self, key: str) -> float | None:
        value = self._read().get(key)
        return float(value[0]) if value else None

    def put(self, key: str, seconds: float) -> None:
        data = self._read()
        data[key] = [float(seconds), time.time()]
        if len(data) > 500:  # keep the newest
            data = dict(sorted(data.items(), key=lambda kv: kv[1][1])[-500:])
        with contextlib.suppress(OSError):
            self.path.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.path.with_name(f".durations.{os.getpid()}.{secrets.token_hex(4)}.tmp")
            try:
                tmp.write_text(json.dumps(data))
                os.replace(tmp, self.path)
            finally:
                tmp.unlink(missing_ok=True)
