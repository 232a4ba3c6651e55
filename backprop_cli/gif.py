"""Compact GIFs from a rendered MP4.

Manim's own GIF dithers every frame differently, so even a still picture changes from
frame to frame and the file grows about 25 times larger than needed. Here every frame is
mapped onto one shared palette without dithering: what does not move stays identical,
and the GIF stores only what changes.
"""

from pathlib import Path

import av
from PIL import Image

PALETTE_SAMPLES = 8  # frames, spread over the clip, that choose the shared palette
COLORS = 255


def _frames(video: Path):
    with av.open(str(video)) as container:
        for frame in container.decode(video=0):
            yield frame.to_image()


def _palette(video: Path) -> Image.Image:
    with av.open(str(video)) as container:
        total = container.streams.video[0].frames or 1
    step = max(1, total // PALETTE_SAMPLES)
    picks = [image for n, image in enumerate(_frames(video)) if n % step == 0]
    sample = Image.new("RGB", (picks[0].width, picks[0].height * len(picks)))
    for k, image in enumerate(picks):
        sample.paste(image, (0, k * image.height))
    return sample.quantize(colors=COLORS, dither=Image.Dither.NONE)


def mp4_to_gif(video: Path, gif: Path, fps: float) -> Path:
    """Write `video` as a looping GIF at `fps` frames per second."""
    palette = _palette(video)
    frames = (image.quantize(palette=palette, dither=Image.Dither.NONE)
              for image in _frames(video))
    first = next(frames)
    first.save(gif, format="GIF", save_all=True, append_images=frames,
               duration=round(1000 / fps), loop=0)
    return gif
