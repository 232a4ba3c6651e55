"""Render on a Dask distributed cluster (`--cluster tcp://HOST:PORT`).

The client (`run_on_cluster`) submits one task per job to the scheduler and reports each
job as a local render process does: messages `(scene, kind, data)`, the finished files
written into the job's own staging folder here, so the runner caches and publishes them
exactly like local renders. A worker that dies mid-render is the scheduler's to handle:
it runs the task again on another worker (up to its `allowed-failures`, 3 by default).

The worker (`render_on_worker`) needs only the project installed. The client's paths mean
nothing there, so the job gets a cache folder inside the worker's own scratch folder and
a fresh staging folder; the config file and a `--module` file are sent along, and so is
the speech the scene needs (made by the client's voice, put into the worker's speech
cache), so the video is the one a local render makes, voice engine or not.

Dask is imported only here, and only when `--cluster` is used.
"""

import contextlib
import os
import queue
import re
import secrets
import shutil
import socket
import tempfile
import threading
import time
import traceback
from dataclasses import dataclass, replace
from pathlib import Path

from backprop_voice import VoiceUnavailable, engines

from .errors import Failure
from .worker import Job, describe

CONNECT_TIMEOUT = 8.0     # seconds to find the scheduler
CLOSE_TIMEOUT = 5.0       # seconds to say goodbye to it
POLL = 0.2                # seconds between looks at the tasks
ADDRESS = re.compile(r"tcp://([A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\]):(\d{1,5})")
INSTALL = "pip install 'backprop-video[cluster]' (or `make setup`)"


def check_address(text: str) -> str:
    """A scheduler address `tcp://HOST:PORT`, or ValueError saying the form."""
    text = str(text).strip()
    match = ADDRESS.fullmatch(text)
    if not match or not 0 < int(match[2]) < 65536:
        raise ValueError(f"expected a Dask scheduler address like tcp://HOST:8786, "
                         f"got {text!r}")
    return text


# -- the client ----------------------------------------------------------------------------

def connect(address: str):
    """A Dask client of the scheduler at `address`, or a one-line Failure."""
    try:
        from distributed import Client
    except ImportError:
        raise Failure(f"--cluster: Dask is not installed: {INSTALL}") from None
    try:
        knock(address)   # at once where nothing listens; Dask would retry till its timeout
        return Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as err:
        reason = getattr(err, "strerror", None) or describe(err)
        raise Failure(f"--cluster {address}: no Dask scheduler answers there "
                      f"({reason})") from None


def knock(address: str) -> None:
    """Open and close a TCP connection to the address: OSError if none can be made."""
    host, port = ADDRESS.fullmatch(address).groups()
    with socket.create_connection((host.strip("[]"), int(port)), timeout=CONNECT_TIMEOUT):
        pass


def run_on_cluster(address: str, jobs: list[Job], message, started=lambda scene: None) -> None:
    """Render `jobs` on the cluster at `address`: `started(scene)` when a worker begins
    one, `message(scene, kind, data)` for its progress and its end (kinds as a local
    worker's: progress, waiting, done with the files here, failed, interrupted). Ctrl-C
    cancels the tasks, reports the unfinished jobs interrupted, and is raised again."""
    client = connect(address)
    events: queue.Queue = queue.Queue()
    topic = f"backprop-video-{secrets.token_hex(8)}"
    client.subscribe_topic(topic, lambda event: events.put(event[1]))
    tasks: dict = {}   # future -> index of its job
    finished: set[int] = set()
    try:
        for index, job in enumerate(jobs):
            try:
                parcel = pack(job)
            except Exception as err:  # noqa: BLE001 -- this job fails, the others go on
                finished.add(index)
                message(job.key, "failed", {"error": describe(err),
                                              "traceback_text": traceback.format_exc()})
                continue
            tasks[submit(client, parcel, topic, index)] = index
        follow(tasks, jobs, events, message, started, finished)
    except KeyboardInterrupt:
        client.cancel(list(tasks))
        for index, job in enumerate(jobs):
            if index not in finished:
                message(job.key, "interrupted", {})
        raise
    finally:
        with contextlib.suppress(Exception):
            client.close(timeout=CLOSE_TIMEOUT)


def submit(client, parcel: dict, topic: str, index: int):
    """The task rendering `parcel` on a worker. Its speech (megabytes for a long scene)
    travels inside the task, not as data kept on one worker, which would be lost with it;
    Dask's warning about such large tasks is not for the user of the command."""
    import dask

    job = parcel["job"]
    with dask.config.set({"distributed.admin.large-graph-warning-threshold": "1TB"}):
        return client.submit(render_on_worker, parcel, topic, index, pure=False,
                             key=f"render-{job.scene}-{index}-{secrets.token_hex(4)}")


def follow(tasks: dict, jobs: list[Job], events: queue.Queue, message, started,
           finished: set[int]) -> None:
    """Relay the workers' messages and each task's end until every task has ended."""
    while len(finished) < len(jobs):
        relay(events, jobs, message, started, finished)
        for future, index in tasks.items():
            if index not in finished and future.done():
                finished.add(index)
                job = jobs[index]
                message(job.key, *outcome(future, job))
        time.sleep(POLL)


def relay(events: queue.Queue, jobs: list[Job], message, started, finished: set[int]) -> None:
    """The messages workers sent so far, of jobs still under way."""
    with contextlib.suppress(queue.Empty):
        while True:
            event = events.get_nowait()
            index, kind, data = event["index"], event["kind"], event["data"]
            if index in finished:
                continue
            if kind == "started":
                started(jobs[index].scene)
            else:
                message(jobs[index].key, kind, data)


def outcome(future, job: Job) -> tuple[str, dict]:
    """(kind, data) of an ended task; a "done" one's files written into the job's staging
    folder here."""
    try:
        kind, data = future.result()
    except Exception as err:  # noqa: BLE001 -- the cluster's failure (workers lost ...)
        return "failed", {"error": f"on the cluster: {describe(err)}",
                          "traceback_text": traceback.format_exc()}
    if kind != "done":
        return kind, data
    try:
        files = receive(data["files"], Path(job.staging) / "done")
    except OSError as err:
        return "failed", {"error": f"cannot keep what the cluster made: {describe(err)}",
                          "traceback_text": traceback.format_exc()}
    return kind, {**data, "files": files}


def receive(files: list, folder: Path) -> list[str]:
    """Write the (name, bytes) a worker sent into `folder`; their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, content in files:
        path = folder / Path(name).name
        path.write_bytes(content)
        paths.append(str(path))
    return paths


def pack(job: Job) -> dict:
    """What a worker needs to render `job`: the job, the files its settings name, and the
    speech it says."""
    s = job.settings
    return {"job": job, "config": shipped_file(s.config_file),
            "module": shipped_file(s.module_file), "speech": speech_of(job)}


def shipped_file(path: str | None) -> tuple[str, bytes] | None:
    return None if path is None else (Path(path).name, Path(path).read_bytes())


def speech_of(job: Job) -> dict | None:
    """The WAV files of the job's sentences as the client's voice speaks them (from the
    speech cache, waiting for those being made), with the voice's name and version."""
    from .worker import has_sound, speech_dir

    s = job.settings
    if not has_sound(s):
        return None
    from backprop_voice import synthesize_in_background

    from .commands.request import sentences_of

    sentences = sentences_of(s, job.scene)
    if not sentences:
        return None
    folder = speech_dir(s.cache_dir) if s.use_cache else Path(job.staging) / "speech"
    # After the sentences `start_voice` is making: one voice thread, so none twice.
    speeches = synthesize_in_background(sentences, s.voice, folder).result()
    return {"voice": s.voice, "version": engines.engine(s.voice).version,
            "files": {sp.path.name: sp.path.read_bytes() for sp in speeches if sp.path}}


# -- the worker ----------------------------------------------------------------------------

_rendering = threading.Lock()   # Manim's config is global: one render per worker process


def render_on_worker(parcel: dict, topic: str, index: int) -> tuple[str, dict]:
    """Run on a Dask worker: render the parcel's job there; ("done", result with the
    files as (name, bytes)) or ("failed", {error, traceback_text})."""
    from distributed import get_worker

    from .worker import run_job

    worker = get_worker()

    def report(kind, **data):
        worker.log_event(topic, {"index": index, "kind": kind, "data": data})

    with _rendering:
        report("started")
        cache_dir = Path(worker.local_directory) / "backprop-video-cache"
        cache_dir.mkdir(parents=True, exist_ok=True)
        work = Path(tempfile.mkdtemp(prefix="job-", dir=cache_dir))
        try:
            job = unpack(parcel, cache_dir, work)
            with shipped_voice(parcel["speech"]):
                result = run_job(job, report)
            files = [(Path(f).name, Path(f).read_bytes()) for f in result["files"]]
            return "done", {**result, "files": files}
        except (Exception, SystemExit) as err:  # noqa: BLE001 -- the scene's failure
            return "failed", {"error": describe(err), "traceback_text": traceback.format_exc()}
        finally:
            shutil.rmtree(work, ignore_errors=True)


def unpack(parcel: dict, cache_dir: Path, work: Path) -> Job:
    """The parcel's job with this worker's folders and files, its speech in place."""
    job = parcel["job"]
    settings = replace(job.settings, cache_dir=cache_dir,
                       config_file=place(parcel["config"], work / "config"),
                       module_file=place(parcel["module"], work / "module"))
    job = replace(job, settings=settings, staging=work / "staging")
    Path(job.staging).mkdir()
    if parcel["speech"]:
        from .worker import speech_dir
        folder = speech_dir(cache_dir) if settings.use_cache else job.staging / "speech"
        for name, content in parcel["speech"]["files"].items():
            write_atomically(folder / name, content)
    return job


def place(shipped: tuple[str, bytes] | None, folder: Path) -> str | None:
    """A shipped file written into `folder` under its own name; its path."""
    if shipped is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / Path(shipped[0]).name
    path.write_bytes(shipped[1])
    return str(path)


def write_atomically(path: Path, content: bytes) -> None:
    """Write under a temporary name, then rename: a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")
    temp.write_bytes(content)
    os.replace(temp, path)


@contextlib.contextmanager
def shipped_voice(speech: dict | None):
    """While rendering: the client's voice stands in for this worker's, so the speech
    cache finds the shipped files under the client's voice version (the key of each),
    whether or not the voice is installed here."""
    if speech is None:
        yield
        return
    own = engines.find
    stand_in = ShippedVoice(speech["voice"], speech["version"], own(speech["voice"]))
    engines.find = lambda name: stand_in if name == stand_in.name else own(name)
    try:
        yield
    finally:
        engines.find = own


@dataclass(frozen=True)
class ShippedVoice(engines.Engine):
    """The client's voice on a worker: its sentences come shipped; one that did not is
    spoken by this worker's own engine of the same version, if it has one."""

    own: engines.Engine | None = None

    def speak(self, texts: list[str], out_dir: Path, rate: float) -> list[Path]:
        if self.own is None or self.own.version != self.version:
            raise VoiceUnavailable(f"the client sent no speech for {texts[0]!r} and this "
                                   f"worker has no {self.name} voice of version {self.version}")
        return self.own.speak(texts, out_dir, rate)
