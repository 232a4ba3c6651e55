"""Render one scene with Manim in this process (also the body of a parallel worker).

Manim's global `config` is set for the job only while it runs. Its working files go to
the cache directory; the finished files to the job's private staging directory, from
which the runner publishes them.

For stills (`settings.stills`) the scene runs as a dry run that skips animations, so
nothing is drawn but the frame at the end of each beat, which the scene saves itself
(`ExplainerScene.stills_dir`). A dry run also returns the scene's beats (`beat_log`) and
frame, for `storyboard`.

The frame's shorter side is 8 Manim units (`scenes.kit.layout.frame_units`). Manim's
internals are reached only through `scenes.kit.compat`.

Voice: a video with sound (`settings.voice` other than "none", a format with audio) gets
the scene's `voice` and `voice_cache_dir` (`<cache>/speech`). The parent may already be
speaking the scenes' sentences into that folder (`start_speech`): the scene then waits
for its sentences there instead of making them twice.
"""

import contextlib
import ctypes
import logging
import shutil
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path

from .cache import scene_dir, scene_lock
from .catalog import load_catalog
from .errors import STOP_SIGNALS, interrupt_once, signals_blocked
from .gif import mp4_to_gif
from .settings import AUDIO_FORMATS, RenderSettings, scene_overrides

try:
    import fcntl
except ImportError:  # Windows: no waiting for the parent's speech; the scene speaks itself
    fcntl = None

MAX_FILES_CACHED = 2000
REPORT_EVERY = 0.25  # seconds between progress reports


@dataclass(frozen=True)
class Job:
    """One render of one scene, or of a share of its plays.

    `share` (index, count): render only every count-th play from play `index` into
    Manim's cache, for a normal render of the scene (`joins_shares`) to join. The runner
    holds the scene's lock for the shares and their join, and gives them one `work`
    folder for Manim's files when the cache is off.

    `run_ahead`: a dry run of the scene runs in another process while it renders (an
    idle core's work), making its texts and formulas into the cache, where the render
    finds them made (`scenes.kit.labels.keep_made_in`). That dry run is `ahead`.
    """

    scene: str
    settings: RenderSettings
    staging: Path
    dry_run: bool = False
    share: tuple[int, int] | None = None
    joins_shares: bool = False
    work: Path | None = None
    run_ahead: bool = False
    ahead: bool = False

    @property
    def key(self) -> str:
        """The job's name in messages: the scene's, with `#k` for share k."""
        return self.scene if self.share is None else f"{self.scene}#{self.share[0]}"

    @staticmethod
    def parse_key(key: str) -> tuple[str, int | None]:
        """(scene, share index or None) of a job's `key`."""
        scene, mark, share = key.partition("#")
        return scene, int(share) if mark else None

    @property
    def locked(self) -> bool:
        """Whether the scene's lock is another's to hold: the runner's (shares and their
        join) or the render's that this dry run runs ahead of."""
        return self.share is not None or self.joins_shares or self.ahead


def scene_class(scene: str, settings: RenderSettings, report=None, stills_dir=None,
                voiced: bool = False, speech: Path | None = None) -> type:
    """The scene's class with the run's config and theme, under its own name, reporting
    progress, saving the frame at the end of each beat into `stills_dir` if given, and
    speaking with the run's voice if `voiced` (its sentences kept in `speech`, by default
    the speech cache)."""
    from scenes.kit import compat

    base = load_catalog(settings.module_file).scenes[scene]
    attrs = {
        "config_file": settings.config_file,
        "overrides": scene_overrides(base, settings.overrides),
        "__doc__": base.__doc__,
    }
    if settings.theme is not None:   # else the scene's own (dark for the story's scenes)
        from scenes.kit.theme import THEMES
        attrs["theme"] = THEMES[settings.theme]
    if stills_dir is not None:
        attrs["stills_dir"] = str(stills_dir)
    if voiced and settings.voice != "none" and hasattr(base, "speak"):
        attrs["voice"] = settings.voice
        attrs["voice_cache_dir"] = str(speech or speech_dir(settings.cache_dir))
        attrs["speak"] = _waiting_speak(base, scene, None if speech else settings.cache_dir)
    if report is not None:
        return compat.reporting_scene(base, report, attrs)
    return type(base.__name__, (base,), attrs)


# -- speech: made by the parent in the background, found by the scene --------------------

def speech_dir(cache_dir: Path) -> Path:
    """Where spoken sentences are kept (the speech cache)."""
    return Path(cache_dir) / "speech"


def has_sound(settings: RenderSettings) -> bool:
    """Whether this run's output carries the voice: a video format with audio, not stills."""
    return (settings.voice != "none" and settings.format in AUDIO_FORMATS
            and not settings.stills)


def _pending(cache_dir: Path, scene: str) -> Path:
    return speech_dir(cache_dir) / f".pending-{scene}.lock"


def start_speech(cache_dir: Path, voice: str, sentences: dict[str, list[str]]) -> list:
    """Speak each scene's sentences ({scene: sentences}, in the order the scenes render)
    into the speech cache on a background thread, while the scenes render. Until a
    scene's sentences are done its pending lock is held, so its render waits for them
    (`_waiting_speak`) rather than making them twice. Returns the futures (a failure is
    left to the scene's own synthesis, which reports it)."""
    from backprop_voice import synthesize_in_background

    folder = speech_dir(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    futures = []
    for scene, texts in sentences.items():
        handle = open(_pending(cache_dir, scene), "a+")   # noqa: SIM115 -- closed when done
        if fcntl is not None:
            fcntl.flock(handle, fcntl.LOCK_EX)
        future = synthesize_in_background(texts, voice, folder)
        future.add_done_callback(lambda f, h=handle: (f.exception(), h.close()))
        futures.append(future)
    return futures


def _wait_for_speech(cache_dir: Path, scene: str) -> None:
    """Wait while the parent is still speaking this scene's sentences."""
    path = _pending(cache_dir, scene)
    if fcntl is None or not path.exists():
        return
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_SH)
        fcntl.flock(handle, fcntl.LOCK_UN)


def _waiting_speak(base: type, scene: str, cache_dir: Path | None):
    def speak(self, sentences):
        if cache_dir is not None:
            _wait_for_speech(cache_dir, scene)
        return base.speak(self, sentences)
    return speak


# libx264 as measured by bench/bench_encoder.py on 300 frames of ForwardPass at 1080p60:
# 4.8 ms of CPU a frame (veryfast with tune=animation: 12.1; Manim's medium: 21.3) and a
# higher PSNR (40.0 dB; 37.7 and 38.6), in files about four times as large (2.4 Mbit/s).
H264_OPTIONS = {"preset": "ultrafast", "crf": "23"}
INFLIGHT_ENCODERS = 2   # plays whose encoding may still run while the next one is drawn
ENCODER_QUEUE = 16      # frames waiting for an encoder (at 1080p, 8 MB each)


def work_dir(job: Job) -> Path:
    """Manim's working files of the job's scene: in the cache, else the job's own."""
    s = job.settings
    if s.use_cache:
        return scene_dir(s.cache_dir, job.scene)
    return Path(job.work or Path(job.staging) / "work")


def partial_dir(job: Job) -> Path:
    """Where Manim keeps the partial movies (one per play) of the job's scene and look."""
    s = job.settings
    return work_dir(job) / "partial" / f"{s.width}x{s.height}@{s.fps:g}"


def manim_settings(job: Job) -> dict:
    from scenes.kit.layout import frame_units

    s, staging, work = job.settings, Path(job.staging), work_dir(job)
    frame_width, frame_height = frame_units(s.width, s.height)
    mine = f"share-{job.share[0]}" if job.share else "ahead" if job.ahead else ""
    return {
        "verbosity": "INFO" if s.verbose else "CRITICAL",   # first: setting others may log
        "pixel_width": s.width, "pixel_height": s.height, "frame_rate": s.fps,
        "frame_height": frame_height, "frame_width": frame_width,
        # An opaque GIF is made from an MP4 by gif.py: far smaller than Manim's own.
        "format": "mp4" if _compact_gif(s) else s.format,
        "video_encoder_options": H264_OPTIONS if s.format in ("mp4", "gif", "mov") else {},
        "background_opacity": 0.0 if s.transparent else 1.0,
        "media_dir": str(staging / "media"),
        "video_dir": str(staging / "media" / "videos"),
        "images_dir": str(staging / "media" / "images"),
        "sections_dir": str(staging / "media" / "sections"),
        "log_dir": str(staging / "media" / "logs"),
        "partial_movie_dir": str(partial_dir(job)),
        # Shares of one scene (or a render and its dry run ahead) run at once: each its
        # own text files (Manim writes them in place, so one process could read
        # another's half-written file).
        "text_dir": str(work / "texts" / mine), "tex_dir": str(work / "typst" / mine),
        "log_to_file": False, "disable_caching": not s.use_cache and job.work is None,
        "disable_caching_warning": True, "max_files_cached": MAX_FILES_CACHED,
        # The next play is drawn while the last one's encoder finishes (Manim waits for
        # each by default, leaving a core idle at every play's end: bench_stages).
        "max_inflight_encoders": INFLIGHT_ENCODERS, "encoder_queue_size": ENCODER_QUEUE,
        "progress_bar": "display" if s.verbose else "none",
        "preview": False, "show_in_file_browser": False, "live_preview": False,
        "enable_gui": False, "dry_run": job.dry_run or s.stills, "output_file": "",
        "save_sections": False, "write_all": False,
        "from_animation_number": 0, "upto_animation_number": -1,
    }


def _throttled(report):
    last = [0.0]

    def send(seconds):
        now = time.monotonic()
        if now - last[0] >= REPORT_EVERY:
            last[0] = now
            report("progress", seconds=float(seconds))
    return send


FRAME_HEAP = 32 << 20   # bytes: buffers up to this size come from malloc's heap (a 1440p frame)


def keep_frames_on_the_heap() -> None:
    """Have glibc's malloc reuse its heap for frame-sized buffers instead of mapping fresh
    pages for each and unmapping them when freed (`mallopt` M_MMAP_THRESHOLD, and
    M_TRIM_THRESHOLD so the heap is not given back at once): every frame drawn, copied
    and converted is a new buffer of megabytes, and touching fresh pages made converting
    a 1080p frame cost about 17 ms instead of 6. Does nothing where libc is not glibc."""
    try:
        mallopt = ctypes.CDLL("libc.so.6").mallopt
    except (OSError, AttributeError):
        return
    mallopt(-3, FRAME_HEAP)       # M_MMAP_THRESHOLD
    mallopt(-1, 8 * FRAME_HEAP)   # M_TRIM_THRESHOLD


def made_dir(cache_dir: Path) -> Path:
    """Where texts and formulas made by renders are kept (`labels.keep_made_in`)."""
    return Path(cache_dir) / "made"


@contextlib.contextmanager
def dry_run_ahead(job: Job):
    """While inside, a dry run of `job`'s scene runs in a forked process (the modules are
    loaded already), making the texts and formulas the render is going to need into the
    cache; it is stopped on the way out if it has not finished. Yields the process."""
    import dataclasses
    import multiprocessing

    ahead = dataclasses.replace(job, dry_run=True, run_ahead=False, ahead=True,
                                settings=dataclasses.replace(job.settings, stills=False),
                                staging=Path(job.staging) / "ahead")
    process = multiprocessing.get_context("fork").Process(target=_run_ahead, args=(ahead,),
                                                          daemon=True)
    with signals_blocked():   # until it has dropped the render's handlers
        process.start()
    try:
        yield process
    finally:
        process.terminate()
        process.join()


def _run_ahead(job: Job) -> None:
    for number in STOP_SIGNALS:   # not the render's handlers: stopped is stopped
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    with contextlib.suppress(OSError, AttributeError):   # die with the render (Linux)
        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG
    with contextlib.suppress(BaseException):   # its failures are the render's to meet
        run_job(job)


def run_job(job: Job, report=lambda kind, **data: None) -> dict:
    """Render (or, for a dry run, just measure) one scene; return what was made: its
    duration and files, and for a dry run its beats (`beat_log`) and frame."""
    from manim import tempconfig

    from scenes.kit import compat
    from scenes.kit.labels import keep_made_in

    compat.log_to_stderr()
    keep_frames_on_the_heap()
    if not job.settings.verbose:   # PyAV's log line "Some options were not used" when
        logging.getLogger("av").setLevel(logging.ERROR)   # Manim adds the sound track
    dry = job.dry_run or job.settings.stills
    stills = Path(job.staging) / "stills" if job.settings.stills and not job.dry_run else None
    # --no-cache: the sentences are spoken afresh into the job's staging directory.
    speech = None if job.settings.use_cache else Path(job.staging) / "speech"
    cls = scene_class(job.scene, job.settings, None if dry else _throttled(report), stills,
                      voiced=not dry and has_sound(job.settings), speech=speech)
    settings = manim_settings(job)
    compat.encode_frames_fast()
    compat.hash_plays_quickly()
    keep_made_in(made_dir(job.settings.cache_dir) if job.settings.use_cache else None)
    lock = (scene_lock(job.settings.cache_dir, job.scene, lambda: report("waiting"))
            if job.settings.use_cache and not job.locked else contextlib.nullcontext())
    ahead = (dry_run_ahead(job) if job.run_ahead and job.settings.use_cache and not dry
             else contextlib.nullcontext())
    with lock, ahead:
        started = time.time()
        try:
            with tempconfig(settings):
                scene = cls(skip_animations=dry)
                # draw_only_what_is_written wraps the drawing the two before it speed up
                for fix in (compat.reuse_cairo_paths, compat.draw_still_parts_once,
                            compat.draw_only_what_is_written, compat.stable_play_hashes,
                            compat.time_skipped_plays_by_their_frames):
                    fix(scene)
                if job.share is not None:
                    compat.render_share(scene, *job.share)
                scene.render()
        except BaseException:
            _drop_newer(Path(settings["text_dir"]), started)
            _drop_newer(Path(settings["tex_dir"]), started)
            raise
    if job.dry_run:
        return {"duration": float(scene.time), "files": [],
                "beats": list(getattr(scene, "beat_log", [])),
                "frame": {"width": settings["frame_width"], "height": settings["frame_height"],
                          "pixel_width": job.settings.width,
                          "pixel_height": job.settings.height}}
    if stills is not None:
        return {"duration": float(scene.time), "files": _collect_stills(stills, job)}
    if job.share is not None:   # its plays, in Manim's cache for the join
        return {"duration": float(scene.time), "files": compat.partial_movies(scene)}
    return {"duration": float(scene.time), "files": _collect(scene, job)}


def _compact_gif(s: RenderSettings) -> bool:
    return s.format == "gif" and not s.transparent


def _drop_newer(folder: Path, since: float) -> None:
    """Forget cache files written by a render that failed: one may be half-written."""
    with contextlib.suppress(OSError):
        for f in folder.iterdir():
            if f.stat().st_mtime >= since - 1:
                f.unlink(missing_ok=True)


def _collect(scene, job: Job) -> list[str]:
    from scenes.kit import compat

    primary, srt = compat.output_files(scene)
    if primary is None or not Path(primary).is_file():
        raise RuntimeError(f"Manim wrote no {job.settings.format} file for {job.scene}")
    done = Path(job.staging) / "done"
    done.mkdir(parents=True, exist_ok=True)
    target = done / f"{job.scene}.{job.settings.format}"
    if _compact_gif(job.settings):
        files = [mp4_to_gif(Path(primary), target, job.settings.fps)]
    else:
        files = [Path(primary).replace(target)]
    if srt is not None and Path(srt).is_file():
        files.append(Path(srt).replace(done / f"{job.scene}.srt"))
    return [str(f) for f in files]


def _collect_stills(folder: Path, job: Job) -> list[str]:
    def number(path):   # <Scene>-<NN>-<beat>.png, in beat order
        digits = path.name[len(job.scene) + 1:].partition("-")[0]
        return (int(digits) if digits.isdigit() else 0, path.name)
    files = sorted(folder.glob(f"{job.scene}-*.png"), key=number) if folder.is_dir() else []
    if not files:
        raise RuntimeError(f"{job.scene} saved no stills (it played no beats)")
    return [str(f) for f in files]


def describe(err: BaseException) -> str:
    text = " ".join(str(err).split())
    return f"{type(err).__name__}: {text}" if text else type(err).__name__


def process_main(job: Job, queue) -> None:
    """Entry point of a parallel worker process: run the job, send messages to `queue`."""
    for sig in STOP_SIGNALS:
        signal.signal(sig, interrupt_once)

    def report(kind, **data):
        queue.put((job.key, kind, data))

    try:
        result = run_job(job, report)
    except KeyboardInterrupt:
        report("interrupted")
    except BaseException as err:  # noqa: BLE001 -- sent to the parent process
        report("failed", error=describe(err), traceback_text=traceback.format_exc())
    else:
        report("done", **result)
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(Path(job.staging) / "media", ignore_errors=True)
