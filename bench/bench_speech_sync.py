"""Do speech and pictures line up? Speech energy of a voiced video against its beats.

    python bench/bench_speech_sync.py media/OuchMoment.mp4 [--plot sync.png]

The beats are the cues of the video's subtitles (<video>.srt beside it, or --srt): each
cue is one beat, from its start to its end. The audio track is decoded and its RMS
measured in 20 ms windows; speech is where the RMS is above a threshold (a fraction of
the loudest window). For each beat the table gives the first and last moment of speech
inside it, the lag (speech start minus beat start), the silence left at its end, and
whether speech spills over into the next beat. --plot draws the RMS against the beats
(PIL) so the eye can check it.
"""

import argparse
import re
import sys
from pathlib import Path

import av
import numpy as np

WINDOW = 0.02       # seconds per RMS window
THRESHOLD = 0.08    # speech: RMS above this fraction of the loudest window


def read_srt(path: Path) -> list[tuple[float, float, str]]:
    """(start, end, text) of each cue."""
    def seconds(stamp):
        h, m, rest = stamp.split(":")
        s, ms = rest.replace(".", ",").split(",")
        return int(h) * 3600 + int(m) * 60 + int(s) + int(ms) / 1000
    cues = []
    for block in re.split(r"\n\s*\n", path.read_text(encoding="utf-8").strip()):
        lines = block.strip().splitlines()
        times = next((line for line in lines if "-->" in line), None)
        if times is None:
            continue
        start, end = (seconds(t.strip()) for t in times.split("-->"))
        text = " ".join(lines[lines.index(times) + 1:])
        cues.append((start, end, text))
    return cues


def audio_of(path: Path) -> tuple[np.ndarray, int] | None:
    """The audio track as mono float samples and its rate, or None without one."""
    with av.open(str(path)) as container:
        if not container.streams.audio:
            return None
        stream = container.streams.audio[0]
        chunks = []
        for frame in container.decode(stream):
            data = frame.to_ndarray().astype(np.float64)
            if data.ndim == 2 and frame.format.is_planar:
                data = data.mean(axis=0)
            elif data.ndim == 2:   # packed: channels interleaved in one row
                data = data.reshape(-1, len(frame.layout.channels)).mean(axis=1)
            chunks.append(data)
        return np.concatenate(chunks) if chunks else np.zeros(0), stream.rate


def rms_track(samples: np.ndarray, rate: int, window: float = WINDOW) -> np.ndarray:
    """RMS of each window of `window` seconds."""
    size = max(1, int(rate * window))
    count = len(samples) // size
    blocks = samples[:count * size].reshape(count, size)
    return np.sqrt((blocks ** 2).mean(axis=1))


def speech_in(rms: np.ndarray, start: float, end: float, threshold: float,
              window: float = WINDOW) -> tuple[float, float] | None:
    """First and last moment of speech between `start` and `end`, or None."""
    lo, hi = int(start / window), int(np.ceil(end / window))
    loud = np.nonzero(rms[lo:hi] > threshold)[0]
    if not len(loud):
        return None
    return (lo + loud[0]) * window, (lo + loud[-1] + 1) * window


def measure(video: Path, srt: Path) -> dict:
    cues = read_srt(srt)
    found = audio_of(video)
    if found is None:
        raise SystemExit(f"{video} has no audio stream")
    samples, rate = found
    rms = rms_track(samples, rate)
    threshold = THRESHOLD * float(rms.max()) if len(rms) else 0.0
    rows = []
    for n, (start, end, text) in enumerate(cues):
        speech = speech_in(rms, start, end, threshold)
        after = cues[n + 1][0] if n + 1 < len(cues) else len(rms) * WINDOW
        spill = speech_in(rms, end, min(after + 0.3, end + 0.3), threshold) if speech else None
        rows.append({"start": start, "end": end, "text": text,
                     "speech": speech, "spill": spill is not None and n + 1 == len(cues)})
    with av.open(str(video)) as container:
        v = container.streams.video[0]
        video_seconds = float(v.duration * v.time_base) if v.duration else None
    return {"rows": rows, "rms": rms, "threshold": threshold,
            "audio_seconds": len(samples) / rate, "video_seconds": video_seconds}


def table(result: dict) -> str:
    out = [f"{'beat':>4} {'start':>7} {'end':>7} {'speech':>7} {'to':>7} {'lag':>6} "
           f"{'rest':>6}  sentence"]
    for n, row in enumerate(result["rows"], start=1):
        speech = row["speech"]
        if speech is None:
            out.append(f"{n:>4} {row['start']:7.2f} {row['end']:7.2f} {'-':>7} {'-':>7} "
                       f"{'-':>6} {'-':>6}  {row['text'][:48]}  (no speech)")
            continue
        lag, rest = speech[0] - row["start"], row["end"] - speech[1]
        out.append(f"{n:>4} {row['start']:7.2f} {row['end']:7.2f} {speech[0]:7.2f} "
                   f"{speech[1]:7.2f} {lag:6.2f} {rest:6.2f}  {row['text'][:48]}")
    lags = [r["speech"][0] - r["start"] for r in result["rows"] if r["speech"]]
    rests = [r["end"] - r["speech"][1] for r in result["rows"] if r["speech"]]
    silent = sum(1 for r in result["rows"] if r["speech"] is None)
    out.append(f"beats {len(result['rows'])}, without speech {silent}; lag mean "
               f"{np.mean(lags):.2f}s max {np.max(lags):.2f}s; rest after speech min "
               f"{np.min(rests):.2f}s mean {np.mean(rests):.2f}s")
    video = result["video_seconds"]
    out.append(f"audio {result['audio_seconds']:.2f}s, video "
               f"{video if video is None else round(video, 2)}s")
    return "\n".join(out)


def plot(result: dict, path: Path, width: int = 1600, height: int = 300) -> None:
    """RMS over time (grey), speech windows (green), beat boundaries (white lines)."""
    from PIL import Image, ImageDraw

    rms, rows = result["rms"], result["rows"]
    total = max(len(rms) * WINDOW, rows[-1]["end"] if rows else 0.0) or 1.0
    top = float(rms.max()) or 1.0
    image = Image.new("RGB", (width, height), (20, 20, 28))
    draw = ImageDraw.Draw(image)
    x_of = lambda t: int(t / total * (width - 1))   # noqa: E731
    for n, row in enumerate(rows):
        shade = (40, 40, 60) if n % 2 else (30, 30, 45)
        draw.rectangle([x_of(row["start"]), 0, x_of(row["end"]), height], fill=shade)
        if row["speech"]:
            draw.rectangle([x_of(row["speech"][0]), height - 12, x_of(row["speech"][1]),
                            height - 4], fill=(60, 200, 90))
        draw.line([x_of(row["start"]), 0, x_of(row["start"]), height], fill=(230, 230, 230))
        draw.text((x_of(row["start"]) + 3, 3), str(n + 1), fill=(230, 230, 230))
    for i, value in enumerate(rms):
        x = x_of(i * WINDOW)
        y = int((1 - value / top) * (height - 30)) + 15
        draw.line([x, height - 15, x, y], fill=(170, 170, 190))
    y = int((1 - result["threshold"] / top) * (height - 30)) + 15
    draw.line([0, y, width, y], fill=(220, 80, 80))
    image.save(path)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("video", type=Path)
    parser.add_argument("--srt", type=Path, help="subtitles (default: beside the video)")
    parser.add_argument("--plot", type=Path, help="write a PNG of speech energy and beats")
    args = parser.parse_args(argv)
    srt = args.srt or args.video.with_suffix(".srt")
    result = measure(args.video, srt)
    print(table(result))
    if args.plot:
        plot(result, args.plot)
        print(f"plot: {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
