"""Encoder settings by measurement: speed, size and quality of libx264 presets on our frames.

CPU per frame matters as much as speed: while a scene renders, the encoder shares the
cores with drawing. Frames: the stills of a scene (one per beat, drawn by a dry run) at 1920x1080, each held
and then cross-faded into the next, like the explainer's holds and moves. Each setting
encodes the same frames through PyAV; quality is the PSNR of the decoded video against
the source frames.

    .venv/bin/python bench/bench_encoder.py [--scene ForwardPass] [--frames 240]
"""

import argparse
import tempfile
import time
from pathlib import Path

import av
import numpy as np
from manim import tempconfig

import scenes
from scenes.kit.layout import frame_units

SETTINGS = {   # name: libx264 options
    "medium (Manim's default)": {"preset": "medium", "crf": "23"},
    "fast": {"preset": "fast", "crf": "23"},
    "veryfast": {"preset": "veryfast", "crf": "23"},
    "veryfast tune=animation": {"preset": "veryfast", "crf": "23", "tune": "animation"},
    "veryfast animation keyint=600": {"preset": "veryfast", "crf": "23", "tune": "animation",
                                      "g": "600"},
    "veryfast animation threads=2": {"preset": "veryfast", "crf": "23", "tune": "animation",
                                     "threads": "2"},
    "superfast": {"preset": "superfast", "crf": "23"},
    "superfast tune=animation": {"preset": "superfast", "crf": "23", "tune": "animation"},
    "ultrafast": {"preset": "ultrafast", "crf": "23"},
}


def stills(scene_name: str, size: tuple[int, int], folder: Path) -> list[np.ndarray]:
    width, height = frame_units(*size)
    cls = type(scene_name, (scenes.SCENES[scene_name],), {"stills_dir": str(folder)})
    with tempconfig({"dry_run": True, "media_dir": str(folder / "media"), "verbosity": "ERROR",
                     "progress_bar": "none", "pixel_width": size[0], "pixel_height": size[1],
                     "frame_width": width, "frame_height": height}):
        cls(skip_animations=True).render()
    from PIL import Image
    return [np.asarray(Image.open(p).convert("RGB")) for p in sorted(folder.glob("*.png"))]


def sequence(pictures: list[np.ndarray], count: int) -> list[np.ndarray]:
    """Holds and cross-fades through the pictures, `count` frames in all."""
    frames, per = [], max(2, count // max(len(pictures) - 1, 1))
    for a, b in zip(pictures, pictures[1:] + pictures[:1]):
        for k in range(per):
            t = max(0.0, (k - per * 0.6) / (per * 0.4))
            frames.append((a * (1 - t) + b * t).astype(np.uint8))
    return frames[:count]


def encode(frames: list[np.ndarray], options: dict, path: Path, fps: int = 60
           ) -> tuple[float, float]:
    """(wall, CPU) seconds to encode `frames` (RGB) as H.264 yuv420p with `options`."""
    started, cpu = time.perf_counter(), time.process_time()
    with av.open(str(path), "w") as container:
        stream = container.add_stream("libx264", rate=fps, options=options)
        stream.width, stream.height = frames[0].shape[1], frames[0].shape[0]
        stream.pix_fmt = "yuv420p"
        for frame in frames:
            container.mux(stream.encode(av.VideoFrame.from_ndarray(frame, format="rgb24")))
        container.mux(stream.encode())
    return time.perf_counter() - started, time.process_time() - cpu


def psnr(path: Path, frames: list[np.ndarray]) -> float:
    errors = []
    with av.open(str(path)) as container:
        for decoded, source in zip(container.decode(video=0), frames):
            diff = decoded.to_ndarray(format="rgb24").astype(float) - source
            errors.append(np.mean(diff ** 2))
    return float(10 * np.log10(255 ** 2 / max(np.mean(errors), 1e-12)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scene", default="ForwardPass")
    parser.add_argument("--frames", type=int, default=240)
    parser.add_argument("--size", default="1920x1080")
    args = parser.parse_args()
    size = tuple(int(v) for v in args.size.split("x"))
    with tempfile.TemporaryDirectory() as tmp:
        frames = sequence(stills(args.scene, size, Path(tmp)), args.frames)
        print(f"{len(frames)} frames of {args.scene} at {args.size}")
        print(f"{'setting':32} {'fps':>7} {'CPU ms/frame':>13} {'MB':>7} {'PSNR dB':>8}")
        for number, (name, options) in enumerate(SETTINGS.items()):
            out = Path(tmp) / f"{number}.mp4"
            wall, cpu = encode(frames, options, out)
            print(f"{name:32} {len(frames) / wall:7.1f} {1000 * cpu / len(frames):13.1f} "
                  f"{out.stat().st_size / 1e6:7.2f} {psnr(out, frames):8.2f}", flush=True)


if __name__ == "__main__":
    main()
