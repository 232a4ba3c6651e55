"""How much of a video moves: for each second, whether any pixel changed.

    python bench/bench_pacing.py VIDEO [--json] [--srt SUBTITLES]

Decodes every frame (PyAV), compares each with the one before (NumPy, grey levels): a
frame moves when more than `MIN_PIXELS` pixels differ by more than `THRESHOLD` grey
levels (encoder noise on a still picture stays below 3 levels on a few pixels). A second
has motion when any of its frames moves. Prints the share of seconds with motion, the
frozen stretches longer than 3 s (start, length) and the longest; with subtitles (the
.srt beside the video by default; one cue per beat) it names the beat each stretch is in.
"""

import argparse
import json
import re
import sys
from pathlib import Path

import av
import numpy as np

THRESHOLD = 8      # grey levels (of 255) a pixel must change by to count
MIN_PIXELS = 4     # pixels that must change for a frame to count as moving
FROZEN = 3.0       # seconds: a longer still stretch is reported


def moving_frames(path: Path) -> tuple[list[float], list[bool]]:
    """(time of each frame, whether it differs from the frame before)."""
    times, moves, previous = [], [], None
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        for frame in container.decode(stream):
            grey = frame.to_ndarray(format="gray").astype(np.int16)
            changed = 0 if previous is None else int(
                (np.abs(grey - previous) > THRESHOLD).sum())
            times.append(float(frame.time))
            moves.append(previous is None or changed >= MIN_PIXELS)
            previous = grey
    return times, moves


def frozen_stretches(times, moves, end: float) -> list[tuple[float, float]]:
    """(start, length) of every run of still frames, in seconds."""
    stretches, start = [], None
    for t, moving in zip(times, moves):
        if moving and start is not None:
            stretches.append((start, t - start))
            start = None
        elif not moving and start is None:
            start = t
    if start is not None:
        stretches.append((start, end - start))
    return stretches


def srt_cues(path: Path) -> list[tuple[float, float, str]]:
    """(start, end, text) of each subtitle cue."""
    stamp = r"(\d+):(\d+):(\d+)[,.](\d+)"
    cues = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        lines = block.strip().splitlines()
        for k, line in enumerate(lines):
            m = re.match(stamp + r"\s*-->\s*" + stamp, line)
            if m:
                h1, m1, s1, f1, h2, m2, s2, f2 = (int(g) for g in m.groups())
                cues.append((h1 * 3600 + m1 * 60 + s1 + f1 / 1000,
                             h2 * 3600 + m2 * 60 + s2 + f2 / 1000, " ".join(lines[k + 1:])))
                break
    return cues


def pacing(path: Path, subtitles: Path | None = None) -> dict:
    times, moves = moving_frames(path)
    frame = (times[1] - times[0]) if len(times) > 1 else 0.0
    end = times[-1] + frame if times else 0.0
    seconds = int(np.ceil(end - 1e-9))
    moving_seconds = {int(t) for t, m in zip(times, moves) if m}
    stretches = frozen_stretches(times, moves, end)
    long = [(s, n) for s, n in stretches if n > FROZEN]
    cues = srt_cues(subtitles) if subtitles and subtitles.exists() else []

    def beat(t):
        return next((text for start, stop, text in cues if start <= t < stop), None)

    return {
        "video": str(path), "seconds": round(end, 2), "frames": len(times),
        "moving_frames": round(sum(moves) / max(len(moves), 1), 3),
        "seconds_with_motion": round(len(moving_seconds) / max(seconds, 1), 3),
        "frozen_over_3s": [{"start": round(s, 2), "length": round(n, 2), "beat": beat(s)}
                           for s, n in long],
        "frozen_over_3s_total": round(sum(n for _, n in long), 2),
        "longest_frozen": max((round(n, 2) for _, n in stretches), default=0.0),
    }


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", type=Path)
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--srt", type=Path, help="subtitles (default: the .srt beside it)")
    args = parser.parse_args(argv)
    result = pacing(args.video, args.srt or args.video.with_suffix(".srt"))
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['video']}: {result['seconds']} s, {result['frames']} frames")
    print(f"seconds with motion: {result['seconds_with_motion']:.0%}  "
          f"(frames that move: {result['moving_frames']:.0%})")
    print(f"frozen > {FROZEN:g} s: {len(result['frozen_over_3s'])} stretches, "
          f"{result['frozen_over_3s_total']} s in all; longest still: "
          f"{result['longest_frozen']} s")
    for s in result["frozen_over_3s"]:
        where = f"  in: {s['beat'][:70]}" if s["beat"] else ""
        print(f"  {s['start']:7.2f} s  {s['length']:5.2f} s{where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
