"""A row's action columns -> bands: the paragraphs of one action, side by side."""

from __future__ import annotations

from actionplan.extract.geometry import Metrics
from actionplan.schema.records import Band, Paragraph


def build_bands(columns: dict[str, list[Paragraph]], metrics: Metrics) -> list[Band]:
    """Group paragraphs into bands: a band starts at the top of the row and wherever
    paragraphs of two or more columns start level; a paragraph starting alone stays in the
    band it sits in."""
    starts = sorted((p.page, p.top, name) for name, ps in columns.items() for p in ps)
    if not starts:
        return []
    band_starts = [(starts[0][0], starts[0][1])]
    for page, top, name in starts:
        level = {n for pg, t, n in starts if pg == page and abs(t - top) <= metrics.level_tolerance}
        if len(level) >= 2 and not _same_start(band_starts[-1], (page, top), metrics):
            if (page, top) > band_starts[-1]:
                band_starts.append((page, top))
    bands = []
    for i, start in enumerate(band_starts):
        end = band_starts[i + 1] if i + 1 < len(band_starts) else None
        members = {
            name: tuple(p for p in ps if _in_band(p, start, end, metrics))
            for name, ps in columns.items()
        }
        bands.append(Band(cells=members, page=start[0]))
    return bands


def _same_start(a, b, metrics: Metrics) -> bool:
    return a[0] == b[0] and abs(a[1] - b[1]) <= metrics.level_tolerance


def _in_band(p: Paragraph, start, end, metrics: Metrics) -> bool:
    position = (p.page, p.top + metrics.level_tolerance)
    return position >= start and (end is None or position < end)
