"""The output directory: check it is writable, and put finished files there atomically.

A file is copied to a hidden temporary name in the output directory, then renamed over
the final name, so readers see the old file or the new one, never a partial one. The
files of one scene (a video and its subtitles, a deck's page and folder) are renamed
together as one unit: with stop signals held back, so Ctrl-C comes before or after all
of the renames, and holding a lock on the output directory (`flock` on the directory
itself, nothing is written for it), so two runs publishing the same scene take turns
and one's video never ends up beside the other's subtitles.
"""

import contextlib
import os
import re
import secrets
import shutil
import tempfile
from pathlib import Path

from .errors import Failure, signals_deferred

try:
    import fcntl
except ImportError:  # Windows: no locking between processes
    fcntl = None

TEMP_PATTERN = re.compile(r"^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$")


CREATED: list[Path] = []   # folders prepare_dir made in this process, outermost first


def prepare_dir(path: Path, what: str = "output directory") -> Path:
    """Create `path` if needed and check a file can be written there; else `Failure`.
    Folders it creates are noted in CREATED (`remove_if_empty` takes them back)."""
    path = Path(path)
    missing = []
    probe = path
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    try:
        path.mkdir(parents=True, exist_ok=True)
        CREATED.extend(reversed(missing))
    except FileExistsError:
        raise Failure(f"{what} {path} is a file, not a directory") from None
    except OSError as err:
        raise Failure(f"cannot create {what} {path}: {err.strerror or err}") from None
    if not path.is_dir():
        raise Failure(f"{what} {path} is not a directory")
    try:
        with tempfile.TemporaryFile(dir=path):
            pass
    except OSError as err:
        raise Failure(f"{what} {path} is not writable: {err.strerror or err}") from None
    return path


def remove_if_empty() -> None:
    """After a refused or failed command: remove the folders it created that are still
    empty (innermost first), so nothing is left behind."""
    while CREATED:
        with contextlib.suppress(OSError):
            CREATED.pop().rmdir()


def pid_alive(pid: int) -> bool:
    """Whether process `pid` still runs (it may own a temporary file or staging folder)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def sweep_stale_temps(folder: Path) -> None:
    """Remove temporary files (and deck folders) left by runs that were killed outright."""
    with contextlib.suppress(OSError):
        for entry in Path(folder).iterdir():
            match = TEMP_PATTERN.match(entry.name)
            if match and int(match[1]) != os.getpid() and not pid_alive(int(match[1])):
                if entry.is_dir() and not entry.is_symlink():   # a deck's folder
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)


def temp_name(final: Path) -> Path:
    return final.with_name(f".{final.name}.{os.getpid()}.{secrets.token_hex(4)}.tmp")


@contextlib.contextmanager
def one_unit(folder: Path):
    """Renames in `folder` that belong together: other runs' wait (the directory's lock),
    stop signals wait (held back until the block ends)."""
    handle = None
    if fcntl is not None:
        with contextlib.suppress(OSError):
            handle = os.open(folder, os.O_RDONLY)
    try:
        if handle is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_EX)
        with signals_deferred():
            yield
    finally:
        if handle is not None:
            os.close(handle)   # releases the lock


def publish(sources: list[Path], names: list[str], folder: Path, remove=(),
            on_published=None) -> list[Path]:
    """Copy `sources` into `folder` as `names`, and remove the files named in `remove`,
    as one unit (`one_unit`): all or none. `on_published(paths)` is called inside it."""
    temps: list[Path] = []
    finals = [Path(folder) / name for name in names]
    try:
        for source, final in zip(sources, finals):
            temp = temp_name(final)
            temps.append(temp)
            shutil.copyfile(source, temp)
        with one_unit(folder):
            for temp, final in zip(temps, finals):
                os.replace(temp, final)
            for name in remove:
                remove_stale(folder, name)
            if on_published is not None:
                on_published(finals)
    finally:
        for temp in temps:
            with contextlib.suppress(OSError):
                temp.unlink(missing_ok=True)
    return finals


def remove_stale(folder: Path, name: str) -> None:
    """Remove `name` from `folder` (e.g. subtitles a new render no longer has)."""
    with contextlib.suppress(OSError):
        (Path(folder) / name).unlink(missing_ok=True)


def publish_text(text: str, final: Path) -> Path:
    """Write `text` to `final` atomically."""
    temp = temp_name(Path(final))
    try:
        temp.write_text(text, encoding="utf-8")
        os.replace(temp, final)
    except OSError as err:
        raise Failure(f"cannot write {final}: {err.strerror or err}") from None
    finally:
        with contextlib.suppress(OSError):
            temp.unlink(missing_ok=True)
    return Path(final)
