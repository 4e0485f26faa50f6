"""Page 1's front matter: the heatmap (theme rows of element-id cells) and the score key."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from actionplan.extract.colour import FillFinder
from actionplan.extract.geometry import Metrics, group_lines
from actionplan.schema.ids import looks_like_id
from actionplan.schema.plan import PlanVocabulary
from actionplan.schema.records import HeatmapCell, KeyEntry, Line, Word

LEADING_THEME_NUMBER = re.compile(r"^\W*([1-9])\b")


@dataclass(frozen=True)
class FrontMatter:
    heatmap: tuple[HeatmapCell, ...]
    key: tuple[KeyEntry, ...]
    used: frozenset[Word]  # the heatmap cells' words; the rest of the front matter is dropped


def read_front_matter(words: Sequence[Word], metrics: Metrics, fills: FillFinder,
                      vocab: PlanVocabulary) -> FrontMatter:
    lines = group_lines(words, float("inf"), metrics)
    heatmap = []
    key = []
    used: set[Word] = set()
    lines_iter = iter(range(len(lines)))
    for i in lines_iter:
        line = lines[i]
        cells = _cells(line, metrics, fills)
        heat = _heatmap_row(cells, fills)
        if heat:
            heatmap.extend(heat)
            used.update(w for cell in cells[1:] for w in cell)
            continue
        entry = _key_entry(line, lines[i + 1:], cells, fills, metrics, vocab)
        if entry:
            key.append(entry[0])  # reported in the manifest; its characters count as front matter
    return FrontMatter(tuple(heatmap), tuple(key), frozenset(used))


def _cells(line: Line, metrics: Metrics, fills: FillFinder) -> list[list[Word]]:
    """Split a line at cell borders: a drawn border or shading change, else a gap wider
    than a word space."""
    cells: list[list[Word]] = []
    for word in line.words:
        if (cells and word.x0 - cells[-1][-1].x1 < metrics.cell_gap
                and not fills.border_between(cells[-1][-1], word)):
            cells[-1].append(word)
        else:
            cells.append([word])
    return cells


def _heatmap_row(cells: list[list[Word]], fills: FillFinder) -> list[HeatmapCell]:
    id_cells = [c for c in cells[1:] if any(looks_like_id(w.text) for w in c)]
    match = LEADING_THEME_NUMBER.match(" ".join(w.text for w in cells[0])) if cells else None
    if len(id_cells) < 3 or not match:
        return []
    theme_no = int(match.group(1))
    return [
        HeatmapCell(theme_no, position, " ".join(w.text for w in cell), fills.fill_behind(cell),
                    cell[0].page)
        for position, cell in enumerate(cells[1:], start=1)
    ]


def _key_entry(line, following, cells, fills, metrics, vocab):
    label_words = cells[0]
    label = " ".join(w.text for w in label_words)
    best = max(vocab.scores, key=lambda s: fuzz.ratio(s.lower(), label.lower()))
    if fuzz.ratio(best.lower(), label.lower()) < 80 or len(cells) < 2:
        return None
    meaning_words = [w for cell in cells[1:] for w in cell]
    meaning_x0 = meaning_words[0].x0
    for nxt in following:
        if nxt.top - line.bottom > 3 * metrics.line_pitch or abs(nxt.x0 - meaning_x0) > metrics.line_height:
            break
        meaning_words.extend(nxt.words)
    meaning = " ".join(w.text for w in meaning_words)
    return KeyEntry(label, meaning, fills.fill_behind(label_words)), label_words + meaning_words
