"""Page 1's front matter: the heatmap (theme rows of element-id cells) and the score key."""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from actionplan.extract.colour import FillFinder
from actionplan.extract.geometry import Metrics, group_lines
from actionplan.schema.ids import looks_like_id, readings
from actionplan.schema.plan import PlanVocabulary
from actionplan.schema.records import HeatmapCell, KeyEntry, Line, Word

# "1. Continuous Improvement", also after a heading word wrapped into the label cell.
THEME_NUMBER = re.compile(r"(?<![\w.])([1-9])\s*[.,]?\s+[A-Za-z]")


@dataclass(frozen=True)
class FrontMatter:
    """What the text before the plan's table gives: the heatmap and the score key."""

    heatmap: tuple[HeatmapCell, ...]
    key: tuple[KeyEntry, ...]
    used: frozenset[Word]  # the heatmap cells' words; the rest of the front matter is dropped


def read_front_matter(words: Sequence[Word], metrics: Metrics, fills: FillFinder,
                      vocab: PlanVocabulary) -> FrontMatter:
    lines = group_lines(words, float("inf"), metrics)
    rows = {i: _without_marks(cells) for i, line in enumerate(lines)
            for cells in [_cells(line, metrics, fills)] if _id_cell_count(cells) >= 3}
    wrapped, absorbed = _wrapped_words(lines, rows, metrics)
    wrapped = {i: [w for w in row if not _is_mark(w)] for i, row in wrapped.items()}
    first_column = _first_column(rows.values())
    heatmap: list[HeatmapCell] = []
    used: set[Word] = set()
    for i, cells in rows.items():
        heat, id_cells = _heatmap_row(cells, wrapped.get(i, []), metrics, fills, vocab.theme_prefixes,
                                      first_column)
        heatmap.extend(heat)
        used.update(w for cell in id_cells for w in cell)
    rest = [line for i, line in enumerate(lines) if i not in absorbed and i not in rows]
    key = _key(rest, metrics, fills, vocab)  # reported in the manifest; its characters are front matter
    return FrontMatter(tuple(heatmap), tuple(key), frozenset(used))


def _without_marks(cells) -> list[list[Word]]:
    """A heatmap row's cells without words that are only marks ("=", "|", "__": a scan's
    shading edges and rules read as text): glued to an id they moved its cell's left edge
    off the grid and stood in its text ("= SD008"). They stay front matter, dropped."""
    kept = [[w for w in cell if not _is_mark(w)] for cell in cells]
    return [cell for cell in kept if cell]


def _is_mark(word: Word) -> bool:
    return not any(ch.isalnum() for ch in word.text)


def _id_cell_count(cells) -> int:
    return sum(any(looks_like_id(w.text) for w in cell) for cell in cells)


def _wrapped_words(lines: Sequence[Line], rows: dict[int, list], metrics: Metrics):
    """The words of the lines just above and below heatmap rows that belong to their cells:
    text a taller cell wrapped ("See" / "CI012", a theme label on two lines), about a line
    pitch from the row's line. A word goes to the nearer row -- unless only the other row
    has a cell for it to continue: a cell of the nearer row under it already prints its id
    whole (a table's rows can be barely further apart than a cell's own lines).
    Returns the words by row, and the lines taken."""
    reach = metrics.line_pitch + metrics.level_tolerance  # measured pitches are rounded
    by_row: dict[int, list[Word]] = {}
    absorbed: set[int] = set()
    for j, line in enumerate(lines):
        if j in rows:
            continue
        beside = sorted((k for k in (j - 1, j + 1) if k in rows and lines[k].page == line.page
                         and abs(line.top - lines[k].top) <= reach),
                        key=lambda k: abs(line.top - lines[k].top))
        if not beside:
            continue
        absorbed.add(j)
        for word in line.words:
            row = next((k for k in beside if _continues(word, rows[k])), beside[0])
            by_row.setdefault(row, []).append(word)
    return by_row, absorbed


def _continues(word: Word, cells) -> bool:
    """Is there a cell above or below the word, overlapping it across, that it can carry on
    (one not already printing an id)?"""
    return any(word.x0 <= max(w.x1 for w in cell) and word.x1 >= min(w.x0 for w in cell)
               and not any(looks_like_id(w.text) for w in cell) for cell in cells)


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


def _first_column(rows) -> float | None:
    """Where the heatmap's first id column starts: the leftmost x at which two rows' first
    id cells start together (the rows share the table's columns). A row whose first id was
    lost ("ROOl" read for R001, no id) starts a column later; a stray id-shaped word in one
    row's label is not confirmed by another row. None when no two rows agree."""
    starts = []
    for cells in rows:
        grid = _Grid.of([c for c in cells if any(looks_like_id(w.text) for w in c)])
        if grid.step != float("inf"):
            starts.append((grid.first, grid))
    starts.sort(key=lambda s: s[0])
    for x, grid in starts:
        if any(other is not grid and other.slot(x) == 0 for _, other in starts):
            return x
    return None


def _heatmap_row(cells: list[list[Word]], wrapped: Sequence[Word], metrics: Metrics, fills: FillFinder,
                 prefixes, first_column: float | None = None) -> tuple[list[HeatmapCell], list]:
    """A line of three or more id cells, with the words its cells wrapped onto the lines
    beside it. The id cells stand on a regular grid; a cell on that grid is an id cell even
    where its id is damaged past recognition ("D001"), and words beside the row join it only
    where the grid has room for a cell ("See" / "CI012" under an empty position). Its theme
    is the number its label cell holds, or the theme whose prefix most of its ids carry.
    Positions count from the table's first id column (``first_column``) where this row's
    grid has it: a row whose first id is damaged past recognition keeps its numbering."""
    cells = [list(c) for c in cells]
    grid = _Grid.of([c for c in cells if any(looks_like_id(w.text) for w in c)])
    start = grid.slot(first_column) if first_column is not None else None
    if start is None:
        start, first_column = 0, None
    for word in wrapped:
        _place(word, cells, grid)
    cells = [_reading_order(c, metrics)
             for whole in sorted(cells, key=lambda c: min(w.x0 for w in c)) for c in grid.split(whole)]
    label_cells = [c for c in cells if not grid.holds(c, start) or THEME_NUMBER.search(_text(c))]
    id_cells = [c for c in cells if not any(c is l for l in label_cells)]
    match = THEME_NUMBER.search(" ".join(_text(c) for c in label_cells))
    theme_no = int(match.group(1)) if match else _theme_of_ids(id_cells, prefixes)
    if theme_no is None or not id_cells:
        return [], []
    # Positions are grid positions: a cell whose text was lost leaves its place empty.
    first = start if first_column is not None else min(grid.slot(min(w.x0 for w in c)) for c in id_cells)
    heat = [
        HeatmapCell(theme_no, grid.slot(min(w.x0 for w in cell)) - first + 1, _text(cell),
                    fills.fill_behind(cell), cell[0].page)
        for cell in id_cells
    ]
    return heat, id_cells


def _text(cell) -> str:
    return " ".join(w.text for w in cell)


def _reading_order(cell, metrics: Metrics) -> list[Word]:
    """A cell's words line by line, each line left to right. Lines are clusters of tops
    within the level tolerance, not rounded buckets: OCR puts "2." a fraction of a point
    below "Leadership", and a bucket edge between them read the label "Leadership 2."."""
    lines: list[list[Word]] = []
    for word in sorted(cell, key=lambda w: w.top):
        if lines and word.top - lines[-1][0].top <= metrics.level_tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [w for line in lines for w in sorted(line, key=lambda w: w.x0)]


@dataclass(frozen=True)
class _Grid:
    """The x positions of a heatmap row's cells: a first cell's x and a regular step."""

    first: float
    step: float

    @classmethod
    def of(cls, id_cells) -> "_Grid":
        xs = sorted(min(w.x0 for w in c) for c in id_cells)
        steps = [b - a for a, b in zip(xs, xs[1:])]
        if not steps:
            return cls(xs[0], float("inf"))
        # A lost cell doubles a step, so the plain median drifts off the grid: the step is
        # the median of the steps one cell wide (within half a step of the shortest), then
        # fitted over the whole row (an x off by a misread mark averages out).
        shortest = min(steps)
        step = statistics.median(s for s in steps if s <= 1.5 * shortest)
        slots = [round((x - xs[0]) / step) for x in xs]
        if slots[-1] > 0:
            mean_slot, mean_x = statistics.fmean(slots), statistics.fmean(xs)
            spread = sum((k - mean_slot) ** 2 for k in slots)
            step = sum((k - mean_slot) * (x - mean_x) for k, x in zip(slots, xs)) / spread
            return cls(mean_x - step * mean_slot, step)
        return cls(xs[0], step)

    def slot(self, x: float) -> int | None:
        """The grid position of a cell starting at ``x`` (negative left of the first id)."""
        position = (x - self.first) / self.step
        return round(position) if abs(position - round(position)) <= GRID_TOLERANCE else None

    def holds(self, cell, start: int = 0) -> bool:
        """Is the cell on the grid, at or right of slot ``start`` (the table's first id
        column)? Left of it is the theme's label ("7. Partnerships and" wrapped above the
        row can land a word a step left of it)."""
        slot = self.slot(min(w.x0 for w in cell))
        return slot is not None and slot >= start

    def split(self, cell) -> list[list[Word]]:
        """A cell holding two ids on two grid positions (read as one) is two cells."""
        if sum(looks_like_id(w.text) for w in cell) < 2:
            return [cell]
        pieces: list[list[Word]] = []
        for word in sorted(cell, key=lambda w: w.x0):
            slot = self.slot(word.x0)
            if pieces and (slot is None or slot == self.slot(pieces[-1][0].x0)):
                pieces[-1].append(word)
            else:
                pieces.append([word])
        return pieces


# How far (in grid steps) a cell may start from its grid position.
GRID_TOLERANCE = 0.3


def _place(word: Word, cells: list[list[Word]], grid: _Grid) -> None:
    """A word from a line beside the row: into a cell whose words overlap it across (not one
    whose id the row's line already prints whole -- "Element ID" above the first row is a
    table heading), else a new cell where the grid has an empty position."""
    for cell in cells:
        if word.x0 <= max(w.x1 for w in cell) and word.x1 >= min(w.x0 for w in cell):
            if not any(looks_like_id(w.text) for w in cell) or grid.slot(min(w.x0 for w in cell)) is None:
                cell.append(word)
            return
    slot = grid.slot(word.x0)
    taken = {grid.slot(min(w.x0 for w in c)) for c in cells}
    if slot is None or slot < 0 or slot not in taken:
        cells.append([word])


def _theme_of_ids(cells, prefixes) -> int | None:
    """The theme (1-based) whose id prefix most of the cells start with."""
    votes: dict[int, int] = {}
    for cell in cells:
        number = _theme_of_id(cell[0].text, prefixes)
        if number is not None:
            votes[number] = votes.get(number, 0) + 1
    if not votes:
        return None
    best = max(votes, key=votes.get)
    return best if votes[best] * 2 > len(cells) else None


def _theme_of_id(text: str, prefixes) -> int | None:
    """The theme whose prefix the cell's id carries: as printed, else the one prefix all of
    its grammatical readings share (OCR's "LOO1" reads only as L001: theme L)."""
    text = text.upper()
    # Longest prefix first: "C" must not claim "CI001".
    for number, prefix in sorted(enumerate(prefixes, start=1), key=lambda p: -len(p[1])):
        if text.startswith(prefix.upper()) and text[len(prefix):len(prefix) + 1].isdigit():
            return number
    found = {reading.rstrip("0123456789") for reading in readings(text)}
    upper = [p.upper() for p in prefixes]
    if len(found) == 1 and (prefix := found.pop()) in upper:
        return upper.index(prefix) + 1
    return None


def _key(lines: Sequence[Line], metrics: Metrics, fills: FillFinder, vocab) -> list[KeyEntry]:
    """The score key: lines whose first cell is a score word ("Dark green"), each with the
    meaning printed right of it -- on its line, or wrapped above and below a label centred in
    a taller row: the lines nearer this label than the labels before and after it."""
    labels = _key_labels(lines, metrics, fills, vocab)
    entries, painted = [], []
    for index, label in enumerate(labels):
        centre = label.centre
        before = labels[index - 1].centre if index else None
        after = labels[index + 1].centre if index + 1 < len(labels) else None
        reach = (after - centre if after else centre - before if before else 3 * metrics.line_pitch) / 2
        upper = (before + centre) / 2 if before is not None else centre - reach
        lower = (centre + after) / 2 if after is not None else centre + reach
        right = max(w.x1 for w in label.words)
        meaning = [w for other in lines if other.page == label.page and upper < (other.top + other.bottom) / 2 <= lower
                   for w in other.words if w.x0 > right]
        if not meaning:
            continue
        others = [other.words for other in labels if other is not label]
        fill, colour_from = _key_colour(label.words, others, fills, metrics)
        entries.append(KeyEntry(" ".join(w.text for w in label.words), " ".join(w.text for w in meaning),
                                fill, colour_from))
        painted.append(label.words)
    return _grey_labels_of_a_painted_key(entries, painted)


@dataclass(frozen=True)
class _KeyLabel:
    """A score key's label, as the words of its cell."""

    words: tuple[Word, ...]  # top to bottom: a label wrapped in its narrow cell has two lines

    @property
    def page(self) -> int:
        return self.words[0].page

    @property
    def centre(self) -> float:
        return (min(w.top for w in self.words) + max(w.bottom for w in self.words)) / 2


def _key_labels(lines: Sequence[Line], metrics: Metrics, fills: FillFinder, vocab) -> list[_KeyLabel]:
    """Each line's first cell that is a score word -- or that becomes one with the first
    cells of the lines just below it, overlapping it across: a label wrapped in its narrow
    cell ("Dark" / "green"), the meaning beside it running on."""
    firsts = [_cells(line, metrics, fills)[0] for line in lines]
    most_lines = max(len(s.split()) for s in vocab.scores)
    labels, taken = [], set()
    for i, first in enumerate(firsts):
        if i in taken:
            continue
        words, pieces = list(first), [i]
        for j in range(i + 1, len(lines)):
            if _is_score_label(words, vocab) or len(pieces) == most_lines:
                break
            if _beside(firsts[j], words) and _next_line_down(lines[j - 1], lines[j], metrics):
                continue  # the meaning's line, printed between the label's lines ("Dark" / "green")
            if not _continues_label(words, lines[j - 1], lines[j], firsts[j], metrics):
                break
            if _is_score_label(firsts[j], vocab):
                break  # the next label, not a wrapped piece of this one
            words.extend(firsts[j])
            pieces.append(j)
        if _is_score_label(words, vocab):
            taken.update(pieces)
            labels.append(_KeyLabel(tuple(words)))
    return labels


def _beside(cell, words) -> bool:
    """A cell that starts right of where the label's words end."""
    return min(w.x0 for w in cell) >= max(w.x1 for w in words)


def _next_line_down(above: Line, line: Line, metrics: Metrics) -> bool:
    return line.page == above.page and line.top - above.top <= metrics.paragraph_gap


def _continues_label(words, above: Line, line: Line, first, metrics: Metrics) -> bool:
    """The next line's first cell carries on a label cell: same page, the next line down
    (no paragraph gap between), and overlapping the label across."""
    if not _next_line_down(above, line, metrics):
        return False
    return min(w.x0 for w in first) < max(w.x1 for w in words) and max(w.x1 for w in first) > min(w.x0 for w in words)


def _grey_labels_of_a_painted_key(entries: list[KeyEntry], labels) -> list[KeyEntry]:
    """Where a key paints its labels in their colours, a label painted grey is the grey
    score's colour, not plain text."""
    if sum(e.colour_from == "label_text" for e in entries) * 2 < len(entries):
        return entries
    out = []
    for entry, words in zip(entries, labels):
        colours = [w.colour for w in words if w.colour is not None]
        colour = max(set(colours), key=colours.count) if colours else None
        if entry.fill is None and colour is not None and max(colour) > PLAIN_TEXT:
            entry = KeyEntry(entry.label, entry.meaning, colour, "label_text")
        out.append(entry)
    return out


def _is_score_label(words, vocab) -> bool:
    label = " ".join(w.text for w in words)
    return max(fuzz.ratio(s.lower(), label.lower()) for s in vocab.scores) >= 80


# A label's letters painted darker than this in every channel, or this grey, are plain text.
PLAIN_TEXT = 0.25
GREYISH = 0.08


def _key_colour(label_words, other_labels, fills: FillFinder, metrics: Metrics):
    """The colour a key gives a score: its label's cell shading, a swatch beside the label,
    or the label's own letters painted in it."""
    behind = fills.fill_behind(label_words)
    if behind is not None:
        return behind, "label_cell"
    swatch = fills.swatch_beside(label_words, metrics.line_height, other_labels)
    if swatch is not None:
        return swatch, "swatch"
    colours = [w.colour for w in label_words if w.colour is not None]
    if colours:
        colour = max(set(colours), key=colours.count)
        if max(colour) > PLAIN_TEXT and max(colour) - min(colour) > GREYISH:
            return colour, "label_text"
    return None, ""
