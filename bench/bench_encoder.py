"""Encoder settings by measurement: speed, size and quality of libx264 presets on our frames.

CPU per frame matters as much as speed: while a scene renders, the encoder shares the
cores with drawing. Frames: a stretch of a real render of the scene (every frame the
renderer hands the encoder from --start seconds on, holds included), converted to
yuv420p beforehand as the renderer converts them, so that the figures are the encoder's
alone. Quality: the PSNR of the decoded video against the source frames.

    .venv/bin/python bench/bench_encoder.py [--scene ForwardPass] [--start 8] [--frames 300]
"""

import argparse
import sys
import tempfile
import time
from fractions import Fraction
from pathlib import Path

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backprop_cli.settings import RenderSettings  # noqa: E402
from backprop_cli.worker import H264_OPTIONS, Job, run_job  # noqa: E402
from scenes.kit import compat  # noqa: E402
from scenes.kit.yuv import convert  # noqa: E402

FPS = 60
SETTINGS = {   # name: libx264 options
    "medium (Manim's default)": {"preset": "medium", "crf": "23"},
    "veryfast tune=animation": {"preset": "veryfast", "crf": "23", "tune": "animation"},
    "superfast": {"preset": "superfast", "crf": "23"},
    "superfast tune=animation": {"preset": "superfast", "crf": "23", "tune": "animation"},
    "ultrafast": {"preset": "ultrafast", "crf": "23"},
    "ultrafast tune=animation": {"preset": "ultrafast", "crf": "23", "tune": "animation"},
    "ultrafast crf=26": {"preset": "ultrafast", "crf": "26"},
}


def rendered_frames(scene: str, size: tuple[int, int], start: float, count: int,
                    folder: Path) -> list[np.ndarray]:
    """`count` RGBA frames of the scene as rendered, from `start` seconds on."""
    frames, first, plain = [], round(start * FPS), compat.write_frame
    seen = [0]

    def keep(encoder, pixels, repeat=1, clock=None):
        for _ in range(repeat):
            if first <= seen[0] < first + count:
                frames.append(pixels.copy())
            seen[0] += 1
        plain(encoder, pixels, repeat)

    settings = RenderSettings(*size, FPS, cache_dir=folder / "cache", use_cache=False,
                              voice="none")
    compat.write_frame = keep   # what the renderer encodes with
    try:
        run_job(Job(scene, settings, folder / "staging"))
    finally:
        compat.write_frame = plain
    return frames


def encode(frames: list[np.ndarray], options: dict, path: Path) -> tuple[float, float]:
    """(wall, CPU) seconds for libx264 with `options` to encode the RGBA `frames`."""
    converted = [convert(f, "yuv420p") for f in frames]
    started, cpu = time.perf_counter(), time.process_time()
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=FPS, options=options)
        stream.width, stream.height = frames[0].shape[1], frames[0].shape[0]
        stream.pix_fmt = "yuv420p"
        for number, frame in enumerate(converted):
            frame.pts, frame.time_base = number, Fraction(1, FPS)
            container.mux(stream.encode(frame))
        container.mux(stream.encode())
    return time.perf_counter() - started, time.process_time() - cpu


def psnr(path: Path, frames: list[np.ndarray]) -> float:
    errors = []
    with av.open(str(path)) as container:
        for decoded, source in zip(container.decode(video=0), frames):
            diff = decoded.to_ndarray(format="rgb24").astype(float) - source[..., :3]
            errors.append(np.mean(diff ** 2))
    return float(10 * np.log10(255 ** 2 / max(np.mean(errors), 1e-12)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", default="ForwardPass")
    parser.add_argument("--start", type=float, default=8.0)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        frames = rendered_frames(args.scene, size, args.start, args.frames, Path(tmp))
        print(f"{len(frames)} frames of {args.scene} at {args.size}@{FPS} from {args.start} s; "
              f"the renderer's setting: {H264_OPTIONS}")
        print(f"{'setting':28} {'fps':>7} {'CPU ms/frame':>13} {'MB':>7} {'PSNR dB':>8}")
        for number, (name, options) in enumerate(SETTINGS.items()):
            out = Path(tmp) / f"{number}.mp4"
            wall, cpu = encode(frames, options, out)
            print(f"{name:28} {len(frames) / wall:7.1f} {1000 * cpu / len(frames):13.1f} "
                  f"{out.stat().st_size / 1e6:7.2f} {psnr(out, frames):8.2f}", flush=True)


if __name__ == "__main__":
    main()
