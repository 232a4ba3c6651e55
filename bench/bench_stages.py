"""Where a render's time goes, stage by stage: one scene rendered in this process as the
CLI renders it (its encoder settings; no cache, or a fresh one with --cache), with
Manim's stages timed (`scenes.kit.compat.timed_stages`).

Stages, in wall seconds of the thread that runs them (and its CPU seconds, which do not
count the time the thread waits for a core another process holds): the render thread
builds the scene (construct: the story's logic and mobjects; with --cache, the texts and
formulas are found made there by a dry run running ahead in another process), hashes each
play for the cache, draws frames with Cairo and hands them to the encoder (waiting when
its queue is full);
an encoder thread converts RGBA to YUV and encodes with libx264 (which has threads of
its own); at the end the partial movies are joined. CPU is the whole process's.

    .venv/bin/python bench/bench_stages.py [--scene ForwardPass] [--quality high]
        [--voice none] [--config net.toml] [--cache]
"""

import argparse
import sys
import tempfile
import time
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backprop_cli.settings import QUALITIES, RenderSettings  # noqa: E402
from backprop_cli.worker import Job, run_job  # noqa: E402
from scenes.kit.compat import StageClock, timed_stages  # noqa: E402

RENDER_THREAD = ("hash", "draw", "wait for encoder")
ENCODER_THREAD = ("convert", "encode")


def profile(scene: str, quality: str, voice: str, config_file: str | None,
            use_cache: bool) -> None:
    width, height, fps = QUALITIES[quality]
    clock = StageClock()
    with tempfile.TemporaryDirectory() as folder:
        settings = RenderSettings(width, height, fps, cache_dir=Path(folder) / "cache",
                                  use_cache=use_cache, voice=voice, config_file=config_file)
        job = Job(scene, settings, Path(folder) / "staging", run_ahead=use_cache)
        wall, cpu = time.perf_counter(), time.process_time()
        with timed_stages(clock):
            result = run_job(job)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        with av.open(result["files"][0]) as container:
            frames = container.streams.video[0].frames
    seconds = result["duration"]
    s = clock.seconds
    construct = wall - sum(s.get(k, 0.0) for k in (*RENDER_THREAD, "join"))
    print(f"{scene} at {width}x{height}@{fps}: {seconds:.1f} s of video, {frames} frames, "
          f"wall {wall:.1f} s ({seconds / wall:.2f}x real time), CPU {cpu:.1f} s "
          f"({cpu / wall:.2f} cores)")
    print(f"{'stage':<22}{'seconds':>9}{'ms/frame':>10}{'share of wall':>15}{'CPU ms/frame':>14}")
    rows = [("render thread:", None, None), ("  construct", construct, None)]
    rows += [(f"  {k}", s.get(k, 0.0), clock.cpu.get(k, 0.0)) for k in RENDER_THREAD]
    rows += [("encoder thread:", None, None)]
    rows += [(f"  {k}", s.get(k, 0.0), clock.cpu.get(k, 0.0)) for k in ENCODER_THREAD]
    rows += [("join", s.get("join", 0.0), clock.cpu.get("join", 0.0))]
    for name, value, cpu in rows:
        if value is None:
            print(name)
            continue
        cpu_text = "" if cpu is None else f"{1000 * cpu / frames:14.1f}"
        print(f"{name:<22}{value:9.1f}{1000 * value / frames:10.1f}{value / wall:14.0%}{cpu_text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", default="ForwardPass")
    parser.add_argument("--quality", default="high", choices=QUALITIES)
    parser.add_argument("--voice", default="none")
    parser.add_argument("--config", default=None)
    parser.add_argument("--cache", action="store_true",
                        help="with a fresh cache, as renders run by default: hashes each play, "
                             "and a dry run ahead makes the texts into it on the other core")
    args = parser.parse_args()
    profile(args.scene, args.quality, args.voice, args.config, args.cache)


if __name__ == "__main__":
    main()
