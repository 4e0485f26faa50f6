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
        heat, id_cells = _heatmap_row(cells, fills, vocab.theme_prefixes)
        if heat:
            heatmap.extend(heat)
            used.update(w for cell in id_cells for w in cell)
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


def _heatmap_row(cells: list[list[Word]], fills: FillFinder, prefixes) -> tuple[list[HeatmapCell], list]:
    """A line of three or more id cells is a heatmap row. Its theme is the number its label
    cell starts with -- or, where the label wrapped onto other lines than the ids (a label
    centred in a taller row), the theme whose prefix the ids carry."""
    match = LEADING_THEME_NUMBER.match(" ".join(w.text for w in cells[0])) if cells else None
    id_cells = cells[1:] if match else cells
    if sum(any(looks_like_id(w.text) for w in c) for c in id_cells) < 3:
        return [], []
    theme_no = int(match.group(1)) if match else _theme_of_ids(id_cells, prefixes)
    if theme_no is None:
        return [], []
    heat = [
        HeatmapCell(theme_no, position, " ".join(w.text for w in cell), fills.fill_behind(cell),
                    cell[0].page)
        for position, cell in enumerate(id_cells, start=1)
    ]
    return heat, id_cells


def _theme_of_ids(cells, prefixes) -> int | None:
    """The theme (1-based) whose id prefix most of the cells start with."""
    votes: dict[int, int] = {}
    for cell in cells:
        text = cell[0].text.upper()
        # Longest prefix first: "C" must not claim "CI001".
        for number, prefix in sorted(enumerate(prefixes, start=1), key=lambda p: -len(p[1])):
            if text.startswith(prefix.upper()) and text[len(prefix):len(prefix) + 1].isdigit():
                votes[number] = votes.get(number, 0) + 1
                break
    if not votes:
        return None
    best = max(votes, key=votes.get)
    return best if votes[best] * 2 > len(cells) else None


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
