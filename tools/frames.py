"""Pull frames out of a video to look at them: a contact sheet PNG of evenly spaced frames.

Usage: .venv/bin/python tools/frames.py VIDEO OUT.png [--count 8] [--columns 2] [--at 1.5,3]
"""

import argparse
import math
import sys

import av
from PIL import Image, ImageDraw


def frames_at(path: str, times: list[float]) -> list[tuple[float, Image.Image]]:
    """The first frame at or after each time (seconds)."""
    wanted = sorted(times)
    found = []
    with av.open(path) as container:
        for frame in container.decode(video=0):
            while wanted and frame.time >= wanted[0] - 1e-6:
                found.append((frame.time, frame.to_image()))
                wanted.pop(0)
            if not wanted:
                break
    return found


def duration(path: str) -> float:
    with av.open(path) as container:
        stream = container.streams.video[0]
        if stream.duration is not None:
            return float(stream.duration * stream.time_base)
        return float(container.duration or 0) / av.time_base


def contact_sheet(images: list[tuple[float, Image.Image]], columns: int) -> Image.Image:
    w, h = images[0][1].size
    rows = -(-len(images) // columns)
    sheet = Image.new("RGB", (columns * w, rows * h), "gray")
    for n, (t, image) in enumerate(images):
        x, y = (n % columns) * w, (n // columns) * h
        sheet.paste(image, (x, y))
        ImageDraw.Draw(sheet).text((x + 4, y + 4), f"{t:.1f}s", fill="yellow")
    return sheet


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("video")
    parser.add_argument("out")
    parser.add_argument("--count", type=int, default=8)
    parser.add_argument("--columns", type=int, default=2)
    parser.add_argument("--at", help="comma-separated times in seconds")
    args = parser.parse_args()
    if args.count < 1 or args.columns < 1:
        parser.error("--count and --columns must be at least 1")
    try:
        total = duration(args.video)
    except (OSError, av.FFmpegError, IndexError) as err:
        parser.exit(1, f"Error: cannot read {args.video} as a video: {err}\n")
    if args.at:
        try:
            times = [float(t) for t in args.at.split(",")]
        except ValueError:
            parser.error(f"--at: expected comma-separated seconds like 1.5,3, got {args.at!r}")
        late = [t for t in times if not math.isfinite(t) or t < 0 or t >= total]
        if late:
            parser.exit(1, f"Error: --at: {', '.join(f'{t:g}' for t in late)} s is not inside "
                           f"the video, which is {total:.2f} s long (times from 0 to just "
                           f"under {total:.2f})\n")
    else:
        times = [total * (k + 0.5) / args.count for k in range(args.count)]
    images = frames_at(args.video, times)
    if not images:
        parser.exit(1, f"Error: no frame found in {args.video} at those times\n")
    contact_sheet(images, args.columns).save(args.out)
    print(args.out)


if __name__ == "__main__":
    main()
