"""Render benchmark: wall time, frames and video seconds per wall second for each scene.

Each render runs in its own `manim` process (start-up included, as a user pays it) with
caching off, so every run is cold.

Run: .venv/bin/python bench/bench_render.py [--quality low medium] [--scene ForwardPass ...]
     [--config net.toml]
Target: ForwardPass on a [3,5,3] network at >= 4.5x real time at 480p15 (--target).
"""

import argparse
import inspect
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
import scenes  # noqa: E402

QUALITIES = {"low": ("-ql", "480p15"), "medium": ("-qm", "720p30")}
TARGET_CONFIG = "[network]\nlayers = [3, 5, 3]\n"


def render(scene: str, quality: str, config_file: str | None) -> tuple[float, float, int]:
    """Render one scene; returns (wall seconds, video seconds, frames)."""
    flag, folder = QUALITIES[quality]
    source = inspect.getfile(scenes.SCENES[scene])
    env = dict(os.environ)
    if config_file:
        env["BACKPROP_VIDEO_CONFIG"] = config_file
    with tempfile.TemporaryDirectory() as media:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "manim", flag, "--disable_caching",
                        "--progress_bar", "none", "-v", "WARNING", "--media_dir", media,
                        source, scene], check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
        wall = time.perf_counter() - start
        (video,) = Path(media).rglob(f"{folder}/{scene}.mp4")
        with av.open(str(video)) as container:
            stream = container.streams.video[0]
            return wall, float(stream.duration * stream.time_base), stream.frames


def report(scene: str, quality: str, config_file: str | None, label: str = "") -> float:
    wall, seconds, frames = render(scene, quality, config_file)
    speed = seconds / wall
    print(f"{scene + label:<28} {QUALITIES[quality][1]:>7}  wall {wall:6.1f} s  "
          f"frames {frames:5d}  video {seconds:6.1f} s  {speed:4.2f}x real time", flush=True)
    return speed


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quality", nargs="+", choices=QUALITIES, default=["low", "medium"])
    parser.add_argument("--scene", nargs="+", choices=scenes.SCENES, default=list(scenes.SCENES))
    parser.add_argument("--config", help="TOML config for the scenes (default: the cat story)")
    parser.add_argument("--target", action="store_true",
                        help="only the target: ForwardPass on [3,5,3] at 480p15")
    args = parser.parse_args()
    with tempfile.NamedTemporaryFile("w", suffix=".toml") as target:
        target.write(TARGET_CONFIG)
        target.flush()
        speed = report("ForwardPass", "low", target.name, " [3,5,3]")
        print(f"target >= 4.5x real time: {'met' if speed >= 4.5 else 'NOT met'} ({speed:.2f}x)")
    if args.target:
        return
    for quality in args.quality:
        for scene in args.scene:
            report(scene, quality, args.config)


if __name__ == "__main__":
    main()
