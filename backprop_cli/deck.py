"""Slides: one reveal.js deck per scene, a slide per beat, the narration as speaker notes.

The scene is rendered once, as usual, to one mp4 with its `.srt` subtitles (one cue per
beat, timed to it). The deck is `<Scene>.html` beside a folder `<Scene>_slides/` holding
that video and, when they could be fetched at build time, reveal.js's files. Every slide
shows the same video limited to its beat (`data-start`/`data-end`): a few lines of
JavaScript seek to the beat's start when the slide is shown, play it and pause at its end.

reveal.js comes from the npm registry (`npm pack`, else a plain download of the same
tarball), once: it is kept in the cache directory. `$BACKPROP_VIDEO_REVEALJS` may name a
local reveal.js package directory to use instead (or anything else, e.g. `cdn`, to skip
the download). When reveal.js cannot be had, the deck links it from a CDN instead.
"""

import contextlib
import html
import json
import os
import secrets
import shutil
import stat
import subprocess
import sys
import tarfile
import time
from dataclasses import dataclass
from pathlib import Path

from . import output
from .settings import DEFAULT_THEME

REVEAL_VERSION = "5.2.1"
REVEAL_ENV = "BACKPROP_VIDEO_REVEALJS"
REVEAL_TARBALL = f"https://registry.npmjs.org/reveal.js/-/reveal.js-{REVEAL_VERSION}.tgz"
CDN = f"https://cdn.jsdelivr.net/npm/reveal.js@{REVEAL_VERSION}/"
FETCH_TIMEOUT = 30  # seconds
RETRY_AFTER = 600   # seconds: after a failed fetch, later runs use the CDN without waiting
FAILED_MARKER = "fetch-failed"   # in <cache>/revealjs/: the time of the last failed fetch
THEME_CSS = {"dark": "black", "light": "white"}   # our theme: reveal.js's
FONTS = "dist/theme/fonts/source-sans-pro"


def reveal_theme(theme: str | None) -> str:
    """reveal.js's theme for one of ours (None: the default theme)."""
    return THEME_CSS[theme or DEFAULT_THEME]


def asset_files(theme_css: str) -> list[str]:
    """The reveal.js files a deck uses, relative to the package root."""
    return ["dist/reveal.js", "dist/reveal.css", f"dist/theme/{theme_css}.css",
            "plugin/notes/notes.js"]


@dataclass(frozen=True)
class Beat:
    name: str
    text: str
    start: float
    end: float


class DeckError(Exception):
    """The deck cannot be built (reported as the scene's failure)."""


# -- beats -------------------------------------------------------------------------------

def beats_from_srt(srt_file: Path, names=()) -> list[Beat]:
    """The beats of a rendered scene from its subtitles: one cue per beat, in order.

    `names` are the scene's beat names; when they do not match the cues one for one,
    the slides are named beat-1, beat-2, ...
    """
    import srt

    cues = list(srt.parse(Path(srt_file).read_text(encoding="utf-8")))
    if not cues:
        raise DeckError(f"{Path(srt_file).name} has no cues, so no beats to make slides of")
    names = list(names) if len(names) == len(cues) else [f"beat-{i}" for i in
                                                          range(1, len(cues) + 1)]
    return [Beat(name, " ".join(cue.content.split()), cue.start.total_seconds(),
                 cue.end.total_seconds()) for name, cue in zip(names, cues)]


# -- reveal.js ---------------------------------------------------------------------------

def regular_file(root: Path, relative: str) -> bool:
    """Whether `root/relative` is a regular file reached without following a symlink
    anywhere below `root` (a package from outside may hold links to anything)."""
    path = Path(root)
    for part in Path(relative).parts:
        if part in ("..", "/"):
            return False
        path = path / part
        try:
            mode = os.lstat(path).st_mode
        except OSError:
            return False
        if stat.S_ISLNK(mode):
            return False
    return stat.S_ISREG(mode)


def copy_regular(source: Path, target: Path) -> None:
    """Copy a regular file without following a symlink (O_NOFOLLOW), as a new file with
    ordinary permissions."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(source, flags)
    with os.fdopen(fd, "rb") as src:
        if not stat.S_ISREG(os.fstat(src.fileno()).st_mode):
            raise OSError(f"{source} is not a regular file")
        with open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)


def _complete(root: Path, theme_css: str) -> bool:
    return all(regular_file(root, f) for f in asset_files(theme_css))


def _unpack(tarball: Path, into: Path) -> Path:
    with tarfile.open(tarball) as tar:
        members = [m for m in tar.getmembers() if m.isfile() and m.name.startswith("package/")
                   and (m.name.startswith(("package/dist/", "package/plugin/notes/"))
                        or m.name == "package/LICENSE")]
        tar.extractall(into, members=members, filter="data")
    return into / "package"


def fetch_reveal(into: Path) -> Path:
    """Download reveal.js's package into `into`; return its root. Raises OSError etc."""
    import urllib.request   # slow to import, and only needed here

    into.mkdir(parents=True, exist_ok=True)
    tarball = None
    npm = shutil.which("npm")
    if npm:
        with contextlib.suppress(OSError, subprocess.SubprocessError):
            subprocess.run([npm, "pack", f"reveal.js@{REVEAL_VERSION}", "--pack-destination",
                            str(into), "--silent"], check=True, timeout=FETCH_TIMEOUT,
                           stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                           stderr=subprocess.DEVNULL)
            tarball = next(into.glob("reveal.js-*.tgz"), None)
    if tarball is None:
        tarball = into / f"reveal.js-{REVEAL_VERSION}.tgz"
        with urllib.request.urlopen(REVEAL_TARBALL, timeout=FETCH_TIMEOUT) as response, \
                open(tarball, "wb") as f:
            shutil.copyfileobj(response, f)
    return _unpack(tarball, into)


def reveal_source(cache_dir: Path, theme_css: str, scratch: Path, keep: bool = True,
                  fetch=None) -> Path | None:
    """A local reveal.js package root with the deck's files, or None (then: the CDN).

    `$BACKPROP_VIDEO_REVEALJS` wins: a directory is used as it is; any other value means
    do not download. Else the copy kept in `cache_dir`, else a download into `scratch`
    (a directory the caller removes), kept in `cache_dir` when `keep`.
    `fetch(into) -> root` downloads (default: `fetch_reveal`). A line on stderr says what
    it waits for; a failure is remembered (`<cache>/revealjs/fetch-failed`, its time) so
    the runs of the next RETRY_AFTER seconds use the CDN at once (`--no-cache` tries again).
    """
    chosen = os.environ.get(REVEAL_ENV)
    if chosen:
        root = Path(chosen)
        return root if root.is_dir() and _complete(root, theme_css) else None
    kept = Path(cache_dir) / "revealjs" / REVEAL_VERSION
    if keep and _complete(kept, theme_css):
        return kept
    marker = Path(cache_dir) / "revealjs" / FAILED_MARKER
    with contextlib.suppress(OSError, ValueError):
        if keep and time.time() - float(marker.read_text()) < RETRY_AFTER:
            return None   # failed a moment ago: do not wait again
    _say(f"Fetching reveal.js {REVEAL_VERSION} from the npm registry (up to "
         f"{FETCH_TIMEOUT} s{' twice' if shutil.which('npm') else ''}; once, then kept in "
         f"the cache)...")
    try:
        root = (fetch or fetch_reveal)(Path(scratch) / "revealjs")
        if not _complete(Path(root), theme_css):
            raise OSError("the package lacks the deck's files")
    except Exception:  # noqa: BLE001 -- offline, timeout, a bad tarball: use the CDN
        with contextlib.suppress(OSError):   # remembered: the next runs do not wait
            marker.parent.mkdir(parents=True, exist_ok=True)
            output.publish_text(f"{time.time()}\n", marker)
        return None
    with contextlib.suppress(OSError):
        marker.unlink()
    if not keep:
        return Path(root)
    with contextlib.suppress(OSError):
        kept.parent.mkdir(parents=True, exist_ok=True)
        temp = kept.parent / f".{REVEAL_VERSION}.{os.getpid()}.{secrets.token_hex(4)}"
        shutil.copytree(root, temp)
        try:
            os.replace(temp, kept)
        except OSError:   # another run kept it first
            shutil.rmtree(temp, ignore_errors=True)
    return kept if _complete(kept, theme_css) else Path(root)


def _say(text: str) -> None:
    with contextlib.suppress(OSError, ValueError, AttributeError):
        print(text, file=sys.stderr, flush=True)


# -- the deck ----------------------------------------------------------------------------

PLAYER = """\
(function () {
  // Each slide shows the scene's video limited to one beat: seek to its start, play,
  // stop on its last frame. In the speaker view's previews (?receiver), show that frame.
  var receiver = /receiver/.test(window.location.search);
  var playing = null, watching = null;
  function beat(video) {
    var start = parseFloat(video.dataset.start), end = parseFloat(video.dataset.end);
    // the beat's last frame is shown from one frame before its end
    var last = Math.max(start, end - parseFloat(video.dataset.frame || "0.02") * 0.75);
    return {start: start, end: end, last: last};
  }
  function when_ready(video, then) {
    if (video.readyState >= 1) { then(); }
    else { video.addEventListener("loadedmetadata", then, {once: true}); }
  }
  function settle(video) {   // at or past the beat's end: stop on its last frame
    if (video !== playing) { return true; }
    var b = beat(video);
    if (video.currentTime >= b.last || video.ended) {
      playing = null;
      video.pause();
      video.currentTime = b.last;
      return true;
    }
    return false;
  }
  function watch() { watching = (playing && !settle(playing)) ? requestAnimationFrame(watch) : null; }
  function play(video) {
    var b = beat(video);
    if (watching) { cancelAnimationFrame(watching); watching = null; }
    playing = receiver ? null : video;
    when_ready(video, function () {
      if (receiver) { video.currentTime = b.last; return; }
      if (playing !== video) { return; }
      video.currentTime = b.start;
      var started = video.play();
      if (started && started.catch) {   // sound before any click: play muted instead
        started.catch(function () { video.muted = true; video.play().catch(function () {}); });
      }
      watch();
    });
  }
  function show(slide) {
    document.querySelectorAll("video.beat").forEach(function (video) {
      if (!slide || !slide.contains(video)) { video.pause(); }
    });
    var video = slide && slide.querySelector("video.beat");
    if (video) { play(video); } else { playing = null; }
  }
  document.querySelectorAll("video.beat").forEach(function (video) {
    video.addEventListener("click", function () { play(video); });  // click: replay the beat
    video.addEventListener("timeupdate", function () { settle(video); });
    video.addEventListener("pause", function () { settle(video); });
  });
  Reveal.on("ready", function (event) { show(event.currentSlide); });
  Reveal.on("slidechanged", function (event) { show(event.currentSlide); });
})();
"""


def deck_html(scene: str, video: str, beats: list[Beat], base: str, theme_css: str,
              size: tuple[int, int], background: str, fps: float = 60) -> str:
    """The deck's HTML: `video` and reveal.js's files are linked relative to `base`."""
    e = html.escape
    width, height = size
    slides = "\n".join(
        f'      <section data-beat="{e(b.name)}" data-background-color="{e(background)}">\n'
        f'        <video class="beat" src="{e(video)}#t={b.start:.3f},{b.end:.3f}" '
        f'data-start="{b.start:.3f}" data-end="{b.end:.3f}" data-frame="{1 / fps:.4f}" '
        f'playsinline '
        f'preload="auto"></video>\n'
        f'        <aside class="notes">{e(b.text)}</aside>\n'
        f'      </section>' for b in beats)
    options = json.dumps({"hash": True, "width": width, "height": height, "margin": 0,
                          "controls": True, "progress": True, "slideNumber": "c/t",
                          "transition": "none", "autoPlayMedia": False})
    return f"""<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{e(scene)}: slides</title>
  <!-- Keys: right arrow or space for the next slide, left arrow back, S for the speaker
       view with the narration as notes, F for full screen, Esc for an overview. -->
  <link rel="stylesheet" href="{e(base)}dist/reveal.css">
  <link rel="stylesheet" href="{e(base)}dist/theme/{e(theme_css)}.css">
  <style>
    .reveal .slides section {{ padding: 0; height: 100%; }}
    .reveal video.beat {{ display: block; width: 100%; height: 100%; margin: 0;
                          max-width: none; max-height: none; object-fit: contain; }}
  </style>
</head>
<body>
  <div class="reveal">
    <div class="slides">
{slides}
    </div>
  </div>
  <script src="{e(base)}dist/reveal.js"></script>
  <script src="{e(base)}plugin/notes/notes.js"></script>
  <script>
{PLAYER}Reveal.initialize(Object.assign({options}, {{plugins: [RevealNotes]}}));
  </script>
</body>
</html>
"""


def build_deck(scene: str, video: Path, srt_file: Path, beat_names, out: Path,
               reveal: Path | None, theme: str | None, size: tuple[int, int],
               background: str = "#000000", fps: float = 60) -> Path:
    """Write `<out>/<Scene>.html` and `<out>/<Scene>_slides/`, each replaced atomically;
    return the HTML file's path."""
    out = Path(out)
    beats = beats_from_srt(srt_file, beat_names)
    css = reveal_theme(theme)
    folder_name = f"{scene}_slides"
    staging = output.temp_name(out / folder_name)
    try:
        staging.mkdir()
        shutil.copyfile(video, staging / f"{scene}{Path(video).suffix}")
        if reveal is not None:
            target = staging / "reveal"
            fonts = Path(reveal) / FONTS
            names = [*asset_files(css), "LICENSE"]
            if fonts.is_dir():   # each name is checked below, link by link
                names += [f"{FONTS}/{font.name}" for font in fonts.iterdir()
                          if font.suffix in (".css", ".woff") or font.name == "LICENSE"]
            for name in names:   # regular files only: never what a symlink points at
                if regular_file(Path(reveal), name):
                    (target / name).parent.mkdir(parents=True, exist_ok=True)
                    copy_regular(Path(reveal) / name, target / name)
        base = f"{folder_name}/reveal/" if reveal is not None else CDN
        text = deck_html(scene, f"{folder_name}/{scene}{Path(video).suffix}", beats, base,
                         css, size, background, fps)
        page = output.temp_name(out / f"{scene}.html")
        try:
            page.write_text(text, encoding="utf-8")
            old = _swap_in(staging, out / folder_name, page, out / f"{scene}.html")
        finally:
            page.unlink(missing_ok=True)
        if old is not None:   # outside the swap: may take a while; a leftover is swept
            shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return out / f"{scene}.html"


def _swap_in(new: Path, final: Path, page: Path, final_page: Path) -> Path | None:
    """Put folder `new` in place of `final` and `page` in place of `final_page` as one
    unit (`output.one_unit`: Ctrl-C waits, other runs wait); return the earlier folder
    (under a temporary name) for the caller to remove."""
    with output.one_unit(final.parent):
        old = None
        if final.exists() or final.is_symlink():
            old = output.temp_name(final)
            os.replace(final, old)
        try:
            os.replace(new, final)
            os.replace(page, final_page)
        except OSError:
            if old is not None:
                with contextlib.suppress(OSError):
                    shutil.rmtree(final, ignore_errors=True)
                    os.replace(old, final)
            raise
    return old
