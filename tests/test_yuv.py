"""Converting only the changed rows gives the same frames as converting whole frames."""

from fractions import Fraction

import av
import numpy as np
import pytest

from scenes.kit import yuv


def planes(frame):
    return [np.frombuffer(p, np.uint8).reshape(-1, p.line_size)[:, :p.width].copy()
            for p in frame.planes]


def whole(pixels):
    return av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(format="yuv420p")


@pytest.mark.parametrize("size", [(1080, 1920), (480, 854), (64, 48)])
def test_banded_frames_equal_whole_conversions(size):
    rng = np.random.default_rng(sum(size))
    height, width = size
    frames = [rng.integers(0, 256, (height, width, 4), dtype=np.uint8)]
    bands = [(0, 1), (height - 1, height), (height // 3, height // 3 + 5), (7, 8), None,
             (2, height // 2), (0, height)]
    for band in bands:   # each frame the last with one band of rows changed (or none)
        frame = frames[-1].copy()
        if band:
            frame[band[0]:band[1]] = rng.integers(0, 256, (band[1] - band[0], width, 4))
        frames.append(frame)
    converter = yuv.FrameConverter("yuv420p", Fraction(60))
    for pixels in frames:
        got = converter(pixels)
        assert got.time_base == Fraction(1, 60)
        for ours, theirs in zip(planes(got), planes(whole(pixels))):
            np.testing.assert_array_equal(ours, theirs)


def test_changed_rows():
    a = np.zeros((10, 4, 4), np.uint8)
    b = a.copy()
    assert yuv.changed_rows(b, a) is None
    b[3, 1, 2] = 1
    b[6, 0, 0] = 9
    assert yuv.changed_rows(b, a) == (3, 7)


def test_other_formats_convert_whole_frames():
    pixels = np.random.default_rng(2).integers(0, 256, (16, 16, 4), dtype=np.uint8)
    converter = yuv.FrameConverter("yuv444p", Fraction(30))
    for _ in range(2):
        got = converter(pixels)
        assert got.format.name == "yuv444p" and got.time_base == Fraction(1, 30)
