"""The scan grid's vectorised helpers give what the slow definitions they replace give
(issue #13's timing): the shade step at every position of a region, the percentile of a
page's pixels, the largest channel."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from actionplan.extract.readers.grid import (
    _step, _steps_at, _window_stats, channel_max, uint8_percentile,
)


def _region(rng: np.random.Generator, rows: int, length: int) -> np.ndarray:
    """A shaded strip that steps once, with grain, and type (NaN) masked out in blobs."""
    region = np.full((rows, length), 200.0, np.float32)
    region[:, length // 2:] = 188.0
    region += rng.normal(0, 2.0, region.shape).astype(np.float32)
    region = np.round(region)
    for _ in range(length // 8):
        y, x = rng.integers(0, rows), rng.integers(0, length)
        region[max(0, y - 3):y + 3, max(0, x - 2):x + 2] = np.nan
    region[:, length // 5:length // 5 + 6] = np.nan  # a column all type
    return region


@pytest.mark.parametrize("seed", range(6))
def test_the_step_at_every_position_is_the_step_of_its_two_windows(seed):
    rng = np.random.default_rng(seed)
    rows, length, window = int(rng.integers(3, 40)), int(rng.integers(40, 200)), int(rng.integers(2, 12))
    region = _region(rng, rows, length)
    at = np.arange(window, length - window + 1)
    fast = _steps_at(_window_stats(region, window), at, window)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        slow = [_step(region[:, a - window:a], region[:, a:a + window]) for a in at]
    assert fast.tolist() == slow
    assert max(slow) > 0  # the strip's step is found, so the comparison is not all zeros


def test_window_stats_in_small_chunks_equal_one_chunk(monkeypatch):
    import actionplan.extract.readers.grid as grid

    region = _region(np.random.default_rng(9), 20, 150)
    whole = _window_stats(region, 7)
    monkeypatch.setattr(grid, "_WINDOW_CHUNK", 200)  # a handful of windows a chunk
    chunked = grid._window_stats(region, 7)
    assert whole.count.tolist() == chunked.count.tolist()
    assert np.array_equal(whole.median, chunked.median, equal_nan=True)
    assert np.array_equal(whole.deviation, chunked.deviation, equal_nan=True)


@pytest.mark.parametrize("q", [0, 0.5, 10, 50, 90, 99.5, 100])
def test_the_percentile_from_a_histogram_is_numpy_s(q):
    rng = np.random.default_rng(int(q * 10))
    for size in (1, 2, 7, 1000, 40_001):
        values = rng.integers(30, 256, size).astype(np.uint8)
        assert uint8_percentile(values, q) == np.percentile(values, q)


def test_channel_max_is_the_largest_channel():
    image = np.random.default_rng(4).integers(0, 256, (31, 17, 3)).astype(np.uint8)
    assert np.array_equal(channel_max([image[..., k] for k in range(3)]), image.max(axis=2))
