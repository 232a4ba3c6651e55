"""RGBA frames converted for the video encoder, converting only the rows that changed.

A frame of an explainer differs from the one before it in a band of rows (a pulse, a
number, a caption) more often than everywhere. `FrameConverter` compares each frame with
the previous one (about 0.5 ms at 1080p), converts the band of rows that changed, with a
few rows of context, and pastes it into a copy of the previous converted frame: about
1 ms instead of 6 for a small change, the same pixels as converting the whole frame
(tests/test_yuv.py checks that on random frames).
"""

from fractions import Fraction

import av
import numpy as np

CONVERT_THREADS = 1   # swscale threads: 1 is about 3 times as fast as its default here
PASTED_ROWS = 4    # rows pasted on each side of a change: it alters chroma 2 rows away
CONTEXT_ROWS = 8   # rows converted on each side, so that the pasted ones come out as in the
                   # whole frame (tests/test_yuv.py fails with under 2 pasted or 4 beyond them)
WHOLE_FRAME = 0.6     # a band taller than this share of the frame: convert the whole frame


def convert(pixels: np.ndarray, pix_fmt: str) -> av.VideoFrame:
    """The RGBA `pixels` as a frame of `pix_fmt`, converted with one swscale thread
    (`reformat(threads=...)`): a 1080p frame in about 6 ms here, the same pixels as PyAV's
    default conversion in about 17 ms."""
    return av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(
        format=pix_fmt, threads=CONVERT_THREADS)


def changed_rows(pixels: np.ndarray, previous: np.ndarray) -> tuple[int, int] | None:
    """The first and one past the last row where two frames differ; None if they do not."""
    height = pixels.shape[0]
    differ = np.flatnonzero((pixels.reshape(height, -1).view(np.uint64)
                             != previous.reshape(height, -1).view(np.uint64)).any(axis=1))
    return (int(differ[0]), int(differ[-1]) + 1) if len(differ) else None


def _rows(frame: av.VideoFrame, plane: int) -> np.ndarray:
    data = frame.planes[plane]
    return np.frombuffer(data, np.uint8).reshape(-1, data.line_size)


class FrameConverter:
    """Converts a sequence of RGBA frames (each a new array, as Manim hands them over)
    to `pix_fmt` frames with time base 1/`rate`; only yuv420p converts by bands."""

    def __init__(self, pix_fmt: str, rate: Fraction):
        self.pix_fmt, self.time_base = pix_fmt, Fraction(rate.denominator, rate.numerator)
        self.previous: tuple[np.ndarray, av.VideoFrame] | None = None

    def __call__(self, pixels: np.ndarray) -> av.VideoFrame:
        frame = self._banded(pixels) if self._can_band(pixels) else None
        if frame is None:
            frame = convert(pixels, self.pix_fmt)
        frame.time_base = self.time_base
        self.previous = pixels, frame
        return frame

    def _can_band(self, pixels: np.ndarray) -> bool:
        return (self.pix_fmt == "yuv420p" and self.previous is not None
                and self.previous[0].shape == pixels.shape
                and pixels.shape[0] % 2 == 0 and pixels.shape[1] % 2 == 0)

    def _banded(self, pixels: np.ndarray) -> av.VideoFrame | None:
        """The frame converted as the previous one plus the band that changed; None when
        the band is most of the frame."""
        old_pixels, old_frame = self.previous
        height = pixels.shape[0]
        rows = changed_rows(pixels, old_pixels)
        if rows is not None and rows[1] - rows[0] > WHOLE_FRAME * height:
            return None
        frame = av.VideoFrame(pixels.shape[1], height, self.pix_fmt)
        for plane in range(3):
            _rows(frame, plane)[:] = _rows(old_frame, plane)
        if rows is None:
            return frame
        start, stop = rows[0] - rows[0] % 2, rows[1] + rows[1] % 2   # whole chroma rows
        top, bottom = max(0, start - CONTEXT_ROWS), min(height, stop + CONTEXT_ROWS)
        first, last = max(top, start - PASTED_ROWS), min(bottom, stop + PASTED_ROWS)
        band = convert(np.ascontiguousarray(pixels[top:bottom]), self.pix_fmt)
        for plane, rows_per_row in ((0, 1), (1, 2), (2, 2)):
            lo, hi, offset = first // rows_per_row, last // rows_per_row, top // rows_per_row
            _rows(frame, plane)[lo:hi] = _rows(band, plane)[lo - offset:hi - offset]
        return frame
