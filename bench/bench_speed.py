"""Render speed through the command line, as a user runs it: video seconds per wall second.

Each render is a `backprop-video render` process (start-up included) with its own empty
cache, so nothing is reused; `--warm-speech` first speaks the scene's sentences into
that cache (as a second render after a change to the pictures finds them), so the
figure is the rendering alone. The targets of issue 12 on this 2-core machine:

    ForwardPass at 1080p60                     >= 1.2x   (--target forward)
    the full explainer at 1080p60, narrated    >= 1.0x   (--target explainer; `make video`)
    ForwardPass on [3,5,3] at 480p15, silent   >= 4.5x   (--target small)

    .venv/bin/python bench/bench_speed.py --target forward small [--warm-speech] [--repeat 3]
    .venv/bin/python bench/bench_speed.py --scene forward -q medium --jobs 1
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, str(ROOT / "render.py")]
SMALL_NETWORK = "[network]\nlayers = [3, 5, 3]\n"
TARGETS = {   # name: (scene, quality, extra options, goal)
    "forward": ("forward", "high", [], 1.2),
    "explainer": ("explainer", "high", [], 1.0),
    "small": ("forward", "low", ["--voice", "none", "--config", "SMALL"], 4.5),
}


def render(scene: str, quality: str, options: list[str], warm_speech: bool) -> tuple:
    """(wall seconds, video seconds, frames) of one cold render."""
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        (folder / "small.toml").write_text(SMALL_NETWORK)
        options = [str(folder / "small.toml") if o == "SMALL" else o for o in options]
        cache, out = folder / "cache", folder / "out"
        command = [*CLI, "render", scene, "-q", quality, "--cache-dir", str(cache),
                   "-o", str(out), *options]
        if warm_speech:   # speak (in a tiny render), then forget all but the speech
            tiny = [*command, "--resolution", "256x144", "--fps", "5"]
            subprocess.run(tiny, check=True, capture_output=True)
            for path in cache.iterdir():
                if path.name != "speech":
                    shutil.rmtree(path) if path.is_dir() else path.unlink()
            shutil.rmtree(out)
        started = time.perf_counter()
        done = subprocess.run(command, check=True, capture_output=True, text=True)
        wall = time.perf_counter() - started
        (video,) = [Path(line) for line in done.stdout.split()]
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            return wall, float(stream.duration * stream.time_base), stream.frames


def report(label: str, scene: str, quality: str, options: list[str], warm: bool,
           repeat: int, goal: float | None = None) -> None:
    """Print the median of `repeat` renders (this machine's speed varies by a fifth from
    one run to the next), and each run's speed."""
    runs = [render(scene, quality, options, warm) for _ in range(repeat)]
    wall, seconds, frames = sorted(runs)[len(runs) // 2]
    speed = seconds / wall
    verdict = "" if goal is None else f"  goal >= {goal}x: {'met' if speed >= goal else 'NOT met'}"
    each = " (runs: " + ", ".join(f"{s / w:.2f}x" for w, s, _ in runs) + ")" if repeat > 1 else ""
    print(f"{label:<28} wall {wall:7.1f} s  video {seconds:6.1f} s  frames {frames:6d}  "
          f"{speed:5.2f}x real time{verdict}{each}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--target", nargs="+", choices=TARGETS, default=[])
    parser.add_argument("--scene", help="another scene to measure (a name or alias)")
    parser.add_argument("-q", "--quality", default="high")
    parser.add_argument("--jobs", help="--jobs of the render (default: the CLI's)")
    parser.add_argument("--voice", help="--voice of the render (default: the CLI's)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="renders of each, their median reported (default 1)")
    parser.add_argument("--warm-speech", action="store_true",
                        help="the sentences already spoken (in the cache) when timing")
    args = parser.parse_args()
    extra = (["--jobs", args.jobs] if args.jobs else []) + (
        ["--voice", args.voice] if args.voice else [])
    for name in args.target:
        scene, quality, options, goal = TARGETS[name]
        report(f"{name} ({scene} {quality})", scene, quality, options + extra,
               args.warm_speech, args.repeat, goal)
    if args.scene:
        report(f"{args.scene} {args.quality}", args.scene, args.quality, extra,
               args.warm_speech, args.repeat)


if __name__ == "__main__":
    main()
