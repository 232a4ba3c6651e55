"""Render several scenes: reuse unchanged results, render the rest here or in parallel
processes, and publish each finished scene into the output directory."""

import contextlib
import multiprocessing
import os
import queue as queue_module
import secrets
import shutil
import signal
import time
from collections import deque
from dataclasses import dataclass, field, replace
from pathlib import Path

from . import cache, output
from .catalog import Catalog
from .errors import (
    STOP_SIGNALS,
    install_handlers,
    interrupts_once,
    signalled_early,
    signals_blocked,
)
from .progress import Progress
from .settings import RenderSettings, scene_overrides
from .worker import Job, describe, partial_dir, process_main, run_job

STOP_TIMEOUT = 20.0  # seconds a worker gets to clean up after Ctrl-C
SUBTITLED = ("mp4", "webm", "mov")   # formats a player shows subtitles with
# Without --jobs a lone scene is shared between processes only on a machine of more than
# two cores, from this many pixels per second of video (720p30): one process already
# keeps about one and a half cores busy (Manim encodes on a thread of its own), each
# share builds the whole scene and the join builds it once more, so on two cores sharing
# does not pay (bench/bench_speed.py --jobs 2).
SHARE_FROM = 1280 * 720 * 30
SHARE_CORES = 3


@dataclass
class Outcome:
    scene: str
    status: str                      # done, cached, failed, interrupted
    files: list[Path] = field(default_factory=list)
    error: str | None = None
    traceback_text: str | None = None

    @property
    def published(self) -> bool:
        return self.status in ("done", "cached")


class Plan:
    """Cache keys and known durations of the scenes of one run. `voice` names the voice
    the scenes speak with (its engine and version) when they speak: it changes their
    lengths and their sound."""

    def __init__(self, catalog: Catalog, settings: RenderSettings):
        self.catalog, self.settings = catalog, settings
        self.voice = ""
        roots = [Path(catalog.module_file).parent] if catalog.module_file else []
        self.sources = cache.source_fingerprint(roots)
        self.durations = cache.Durations(settings.cache_dir)

    def scene_id(self, scene: str) -> str:
        return f"{self.catalog.module_file or 'scenes'}:{scene}"

    def config_material(self, scene: str) -> dict:
        overrides = scene_overrides(self.catalog.scenes[scene], self.settings.overrides)
        return cache.config_material(self.settings.config_file, overrides)

    def duration_key(self, scene: str) -> str:
        key = cache.duration_key(self.scene_id(scene), self.sources, self.config_material(scene))
        return f"{key}-{self.voice}" if self.voice else key

    def render_key(self, scene: str) -> str:
        s = self.settings
        look = {"size": [s.width, s.height], "fps": s.fps, "format": s.format,
                "transparent": s.transparent, "theme": s.theme, "stills": s.stills}
        key = cache.render_key(self.scene_id(scene), self.sources,
                               self.config_material(scene), look)
        return f"{key}-{self.voice}" if self.voice else key

    def duration(self, scene: str) -> float | None:
        return self.durations.get(self.duration_key(scene))

    def record_duration(self, scene: str, seconds: float) -> None:
        self.durations.put(self.duration_key(scene), seconds)


def cpu_count() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:   # macOS, Windows
        return os.cpu_count() or 1


def staging_root(cache_dir: Path) -> Path:
    """A private working directory for this run; those of dead runs are removed."""
    parent = Path(cache_dir) / "staging"
    parent.mkdir(parents=True, exist_ok=True)
    for old in parent.iterdir():
        pid = old.name.split("-")[0]
        if pid.isdigit() and int(pid) != os.getpid() and not output.pid_alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)
    root = parent / f"{os.getpid()}-{secrets.token_hex(4)}"
    root.mkdir()
    return root


class Runner:
    def __init__(self, catalog: Catalog, scenes: list[str], settings: RenderSettings,
                 output_dir: Path, jobs: int | None = 1, progress: Progress | None = None,
                 cluster: str | None = None):
        self.catalog, self.scenes, self.settings = catalog, scenes, settings
        self.cluster = cluster   # the address of a Dask scheduler to render on, if any
        self.output_dir = Path(output_dir)
        self.chosen_jobs = jobs is not None   # else one per core, shared only when it pays
        self.jobs = max(1, jobs or cpu_count())
        self.plan = Plan(catalog, settings)
        self.results = cache.ResultCache(settings.cache_dir)
        if progress is None and settings.stills:   # a dry run each: no frames to count
            progress = Progress(scenes, {}, bars=False, activity="saving stills")
        self.progress = progress or Progress(scenes, {s: self.plan.duration(s) for s in scenes},
                                             bars=False if settings.verbose else None)
        self.outcomes: dict[str, Outcome] = {}
        self.retried: set[str] = set()   # jobs run again after the cache vanished
        self.shares: dict[str, list[Job]] = {}                 # scene: its shares
        self.share_seconds: dict[str, dict[int, float]] = {}   # scene: {share: seconds}

    def run(self) -> list[Outcome]:
        """Every scene's outcome, in the order asked. Ctrl-C stops every render and is
        raised again; `outcomes_so_far()` then tells which scenes were published before it."""
        output.sweep_stale_temps(self.output_dir)
        root = staging_root(self.settings.cache_dir)
        try:
            with interrupts_once():
                todo = [s for s in self.scenes if not self._reuse(s)]
                jobs = [Job(s, self.settings, root / cache.safe_name(s)) for s in todo]
                if len(jobs) == 1 and self._worth_sharing():
                    self._run_shared(jobs[0], self.jobs)
                elif self.cluster and jobs:
                    from .cluster import run_on_cluster
                    run_on_cluster(self.cluster, jobs, self._message, self.progress.started)
                elif self.jobs == 1 or len(jobs) <= 1:
                    for job in jobs:   # with a core to spare, a dry run makes its texts
                        self._run_here(replace(job, run_ahead=self.jobs > 1))
                else:
                    self._run_parallel(sorted(jobs, key=self._longest_first))
        finally:
            self.progress.close()
            shutil.rmtree(root, ignore_errors=True)
        return self.outcomes_so_far()

    def _worth_sharing(self) -> bool:
        s = self.settings
        if self.cluster and not self.chosen_jobs:   # the cluster's share: -j N
            return False
        if not (self.jobs > 1 and s.is_video and not s.stills):
            return False
        return self.chosen_jobs or (self.jobs >= SHARE_CORES
                                    and s.width * s.height * s.fps >= SHARE_FROM)

    def _longest_first(self, job: Job) -> tuple:
        """Start long scenes first so no worker is left alone with one at the end. A length
        not known yet counts as longest for the full explainer (the default scene)."""
        seconds = self.progress.durations.get(job.scene)
        if seconds is None:
            seconds = float("inf") if job.scene == self.catalog.default else 0.0
        return (-seconds, self.scenes.index(job.scene))

    def outcomes_so_far(self) -> list[Outcome]:
        return [self.outcomes[s] for s in self.scenes if s in self.outcomes]

    # -- one scene ---------------------------------------------------------------------

    def _reuse(self, scene: str) -> bool:
        if not self.settings.use_cache:
            return False
        found = self.results.lookup(scene, self.plan.render_key(scene))
        if found is None:
            return False
        files, _meta = found
        self._publish(scene, files)
        self._finish(scene, "cached")
        return True

    def _run_here(self, job: Job, started: bool = True) -> None:
        if started:
            self.progress.started(job.scene)

        def report(kind, **data):
            self._message(job.scene, kind, data)

        try:
            result = run_job_surviving(job, report)
        except KeyboardInterrupt:
            self._finish(job.scene, "interrupted")
            raise
        except (Exception, SystemExit) as err:  # noqa: BLE001 -- the scene's failure
            import traceback
            self._finish(job.scene, "failed", error=describe(err),
                         traceback_text=traceback.format_exc())
        else:
            self._done(job.scene, result)
        finally:
            shutil.rmtree(job.staging, ignore_errors=True)

    def _message(self, key: str, kind: str, data: dict) -> None:
        scene, share = Job.parse_key(key)
        if share is not None:
            self._share_message(scene, share, kind, data)
        elif kind == "progress":
            self.progress.update(scene, data["seconds"])
        elif kind == "waiting":
            self.progress.waiting(scene)
        elif kind == "done":
            self._done(scene, data)
        elif kind == "failed":
            self._finish(scene, "failed", error=data["error"],
                         traceback_text=data["traceback_text"])
        elif kind == "interrupted":
            self._finish(scene, "interrupted", error="interrupted")

    # -- one scene, shared between processes --------------------------------------------

    def _run_shared(self, job: Job, count: int) -> None:
        """Render `job`'s scene in `count` processes, each every count-th play, into
        Manim's cache; then the scene here, finding every play there: Manim joins the
        partial movies (no re-encoding) and adds the sound track and the subtitles."""
        scene, settings = job.scene, self.settings
        work = None if settings.use_cache else Path(f"{job.staging}-work")
        shares = [replace(job, staging=Path(f"{job.staging}-share{k}"), share=(k, count),
                          work=work) for k in range(count)]
        lock = (cache.scene_lock(settings.cache_dir, scene,
                                 lambda: self.progress.waiting(scene))
                if settings.use_cache else contextlib.nullcontext())
        self.shares[scene] = shares
        with lock:
            self.progress.started(scene)
            self.share_seconds[scene] = {}
            if self.cluster:
                from .cluster import run_on_cluster
                run_on_cluster(self.cluster, shares, self._message)
            else:
                self._run_parallel(shares)
            if scene not in self.outcomes:   # no share failed
                self._run_here(replace(job, joins_shares=True, work=work), started=False)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)

    def _share_message(self, scene: str, share: int, kind: str, data: dict) -> None:
        """A share's news, told as the scene's: progress is that of the slowest share."""
        if kind == "progress":
            seconds = self.share_seconds.setdefault(scene, {})
            seconds[share] = data["seconds"]
            self.progress.update(scene, min(seconds.get(k, 0.0)
                                            for k in range(max(seconds) + 1)))
        elif kind == "done":   # from a cluster, its partial movies come into our cache
            folder = partial_dir(self.shares[scene][share])
            for path in map(Path, data["files"]):
                if path.parent != folder:
                    folder.mkdir(parents=True, exist_ok=True)
                    os.replace(path, folder / path.name)
        elif kind == "failed" and scene not in self.outcomes:
            self._finish(scene, "failed", error=data["error"],
                         traceback_text=data["traceback_text"])
        elif kind == "interrupted" and scene not in self.outcomes:
            self._finish(scene, "interrupted", error="interrupted")

    def _done(self, scene: str, result: dict) -> None:
        files = [Path(f) for f in result["files"]]
        self.plan.record_duration(scene, result["duration"])
        if self.settings.use_cache:
            files = self.results.store(scene, self.plan.render_key(scene), files,
                                       {"duration": result["duration"]})
        self._publish(scene, files)
        self._finish(scene, "done")

    def _publish(self, scene: str, files: list[Path]) -> None:
        """The scene's files into the output directory as one unit (`output.publish`):
        its outcome is recorded in the same step, so a Ctrl-C cannot separate them."""
        subtitled = self.settings.subtitles and self.settings.format in SUBTITLED
        if not subtitled:   # no .srt beside a GIF; an earlier .srt is left as it is
            files = [f for f in files if f.suffix != ".srt"]
        stale = ([f"{scene}.srt"] if subtitled and not any(f.suffix == ".srt" for f in files)
                 else [])

        def record(published):
            self.outcomes[scene] = Outcome(scene, "done", published)
        output.publish(files, [f.name for f in files], self.output_dir, remove=stale,
                       on_published=record)

    def _finish(self, scene: str, status: str, error=None, traceback_text=None) -> None:
        outcome = self.outcomes.setdefault(scene, Outcome(scene, status))
        outcome.status, outcome.error, outcome.traceback_text = status, error, traceback_text
        self.progress.finished_scene(scene, status)

    # -- parallel processes --------------------------------------------------------------

    def _run_parallel(self, jobs: list[Job]) -> None:
        context = multiprocessing.get_context("spawn")
        messages = context.Queue()
        pending, running = deque(jobs), {}
        by_key = {job.key: job for job in jobs}
        try:
            while pending or running:
                while pending and len(running) < self.jobs:
                    job = pending.popleft()
                    process = context.Process(target=child_main, args=(job, messages),
                                              name=f"render-{job.key}")
                    with signals_blocked():   # the child starts with them held back
                        process.start()
                        running[job.key] = process
                    if job.share is None:
                        self.progress.started(job.scene)
                try:
                    key, kind, data = messages.get(timeout=0.2)
                except queue_module.Empty:
                    self._reap(running, messages)
                    continue
                if (kind == "failed" and data.get("vanished") and key in running
                        and key not in self.retried):
                    self.retried.add(key)
                    running.pop(key).join()   # the cache was deleted: once more
                    pending.appendleft(by_key[key])
                    continue
                self._message(key, kind, data)
                if kind in ("done", "failed", "interrupted"):
                    running.pop(key).join()
        except KeyboardInterrupt:
            self._stop(running, messages)
            raise
        finally:
            messages.close()

    def _reap(self, running: dict, messages) -> None:
        """Notice workers that died without a word (killed, out of memory)."""
        for key, process in list(running.items()):
            if process.is_alive():
                continue
            process.join()
            with contextlib.suppress(queue_module.Empty):
                while True:
                    name, kind, data = messages.get(timeout=0.5)
                    self._message(name, kind, data)
                    if kind in ("done", "failed", "interrupted") and name in running:
                        running.pop(name).join()
            if key in running:
                running.pop(key)
                self._message(key, "failed", {
                    "error": f"render process died (exit code {process.exitcode})",
                    "traceback_text": None})

    def _stop(self, running: dict, messages) -> None:
        """Ctrl-C: let every worker clean up, then make sure it is gone."""
        for process in running.values():
            with contextlib.suppress(OSError):
                os.kill(process.pid, signal.SIGINT)
        deadline = time.monotonic() + STOP_TIMEOUT
        for key, process in running.items():
            process.join(max(0.1, deadline - time.monotonic()))
            if process.is_alive():
                process.terminate()
                process.join(5)
            if process.is_alive():
                process.kill()
                process.join()
            scene = Job.parse_key(key)[0]
            if scene not in self.outcomes:
                self._finish(scene, "interrupted")
        with contextlib.suppress(Exception):
            while True:
                messages.get_nowait()


def cache_identity(cache_dir: Path):
    """Which cache directory this is: deleted and made again, it is another one."""
    try:
        info = os.stat(cache_dir)
    except OSError:
        return None
    return info.st_dev, info.st_ino


def run_job_surviving(job: Job, report=lambda kind, **data: None) -> dict:
    """`run_job`, once more if the cache directory was deleted while it ran (Manim's
    working files and the staging folder with it): deleting the cache is always safe."""
    before = cache_identity(job.settings.cache_dir)
    try:
        return run_job(job, report)
    except (Exception, SystemExit):
        if cache_identity(job.settings.cache_dir) == before and Path(job.staging).parent.is_dir():
            raise
    Path(job.staging).mkdir(parents=True, exist_ok=True)
    return run_job(job, report)


def child_main(job: Job, queue) -> None:
    """A parallel worker: stop signals held back since it started (`signals_blocked`) are
    let in only once its handlers are set, so a signal at any moment means "interrupted",
    never a traceback or a silent death; a render whose cache was deleted is retried."""
    install_handlers()
    try:
        if signalled_early():
            raise KeyboardInterrupt
        if hasattr(signal, "pthread_sigmask"):
            signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
        before = cache_identity(job.settings.cache_dir)
        Path(job.staging).mkdir(parents=True, exist_ok=True)
    except KeyboardInterrupt:
        queue.put((job.key, "interrupted", {}))
        return

    class Watch:   # tells the parent when a failure came from a vanished cache
        def put(self, message):
            key, kind, data = message
            if kind == "failed" and (cache_identity(job.settings.cache_dir) != before
                                     or not Path(job.staging).parent.is_dir()):
                data = {**data, "vanished": True}
            queue.put((key, kind, data))
    process_main(job, Watch())


def measure(catalog: Catalog, scenes: list[str], settings: RenderSettings, plan: Plan,
            on_start=lambda scene: None, on_wait=lambda scene: None) -> tuple[dict, dict]:
    """Scene lengths by a dry run (construct without drawing), cached by what they depend on.

    Returns ({scene: seconds}, {scene: error message}) for the scenes that could not run.
    """
    found, failed = {}, {}
    root = None
    try:
        for scene in scenes:
            seconds = plan.duration(scene)
            if seconds is None:
                on_start(scene)
                root = root or staging_root(settings.cache_dir)
                try:
                    with interrupts_once():
                        job = Job(scene, settings, root / cache.safe_name(scene), dry_run=True)
                        seconds = run_job_surviving(job, lambda kind, scene=scene, **_: on_wait(scene)
                                          if kind == "waiting" else None)["duration"]
                except (Exception, SystemExit) as err:  # noqa: BLE001 -- shown by `list`
                    failed[scene] = describe(err)
                    continue
                plan.record_duration(scene, seconds)
            found[scene] = seconds
    finally:
        if root is not None:
            shutil.rmtree(root, ignore_errors=True)
    return found, failed
