"""The columns in force on each page: where each starts, which field it feeds, how far its
text runs; and the full-width text (theme intros) that belongs to no column."""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from functools import cached_property

from actionplan.extract.geometry import Metrics
from actionplan.extract.header import HeaderRow
from actionplan.extract.pages import PageLayout
from actionplan.schema.records import Line, Word

# A column no profile field fits is keyed by its printed label: "extra:Budget implications".
EXTRA_PREFIX = "extra:"


@dataclass(frozen=True)
class Columns:
    """Column boundaries in force on a page: a word belongs to the last column it starts in.
    ``keys`` name each column: a contract field, or ``extra:<label>`` for a column no field's
    labels fit."""

    lefts: tuple[float, ...]
    keys: tuple[str, ...]
    tolerance: float

    def index_of(self, word: Word) -> int:
        x, edges = word.x0, self._edges
        if self._edges_ascend and x == x:  # (a NaN starts in no column: the first, as below)
            return max(bisect.bisect_right(edges, x) - 1, 0)  # the same, by bisection (asked per word)
        index = 0
        for i, edge in enumerate(edges):
            if x >= edge:
                index = i
        return index

    @cached_property
    def _edges(self) -> tuple[float, ...]:
        """Where each column's words may start (its left less the tolerance)."""
        return tuple(left - self.tolerance for left in self.lefts)

    @cached_property
    def _edges_ascend(self) -> bool:
        return all(a <= b for a, b in zip(self._edges, self._edges[1:]))

    def key_of(self, word: Word) -> str:
        return self.keys[self.index_of(word)]

    def index(self, key: str) -> int | None:
        return self.keys.index(key) if key in self.keys else None


def columns_by_page(layouts, headers: dict[int, list[HeaderRow]], metrics: Metrics,
                    body_lines: list[Line]) -> dict[int, Columns]:
    """The columns of the last header seen apply until the next one (header not repeated)."""
    by_page: dict[int, Columns] = {}
    current: Columns | None = None
    table_width = max((row.cells[-1].right - row.cells[0].left for rows in headers.values() for row in rows[:1]),
                      default=float("inf"))
    text = _TextEdges([l for l in body_lines if not _flows_across_the_table(l, table_width, metrics)], metrics)
    for page in layouts:
        found = headers.get(page.number) or []
        if found:
            header = found[0]
            lefts = header.column_lefts
            if header.centred:
                lefts = text.lefts(header)
            elif header.centred is None:  # no label wraps: the text below says where columns start
                from_text = text.lefts(header)
                if _centred_between(header, from_text, metrics):
                    lefts = from_text
            current = Columns(_snap_to_rules(lefts, page, header), _keys(header), metrics.level_tolerance)
        if current is not None:
            by_page[page.number] = current
    # Text above the first table (a theme intro between tables) is read with its columns.
    first = next(iter(by_page.values()))
    return {page.number: by_page.get(page.number, first) for page in layouts}


def _flows_across_the_table(line: Line, table_width: float, metrics: Metrics) -> bool:
    """One run of text wider than half the table is no cell's (no column is that wide): a
    theme intro or a heading printed across the table. Its words run across every column's
    edge, and where the plan has few rows and long intros (another council's five rows
    under three themes) they outnumber the lines that show the edges."""
    return len(line_starts([line], metrics)) == 1 and line.x1 - line.x0 > table_width / 2


def _keys(header: HeaderRow) -> tuple[str, ...]:
    return tuple(cell.field if cell.field != "extra" else f"{EXTRA_PREFIX}{cell.label}" for cell in header.cells)


# How many lines must start at an x before it counts as a column's left edge, and how many
# times more words must start there than run across it.
MIN_LINES_AT_EDGE = 3
EDGE_CLEARANCE = 2


class _TextEdges:
    """Where the text below a header starts its columns, worked out once for the body: a
    header repeated on every page asks it again on every page."""

    def __init__(self, body_lines: list[Line], metrics: Metrics):
        self.body_lines, self.metrics = body_lines, metrics
        self._lefts: dict[tuple, tuple[float, ...]] = {}

    @cached_property
    def starts(self) -> list[float]:
        return line_starts(self.body_lines, self.metrics)

    @cached_property
    def spread(self) -> _WordSpread:
        return _WordSpread([w for line in self.body_lines for w in line.words], self.metrics.level_tolerance)

    def lefts(self, header: HeaderRow) -> tuple[float, ...]:
        key = (header.column_lefts, header.label_rights)
        if key not in self._lefts:
            self._lefts[key] = _lefts_from_text(header, self.starts, self.spread, self.metrics)
        return self._lefts[key]


def _lefts_from_text(header: HeaderRow, starts: list[float], spread: _WordSpread,
                     metrics: Metrics) -> tuple[float, ...]:
    """Centred labels start right of their column: the column starts where the text lines
    below start -- the leftmost x, between the previous label's end and this label's start,
    at which several lines begin (``starts``: where runs of text begin). A label wider than
    its cell runs past the cell's edge (HTML lets a long word overflow: "Characteristic"
    over a narrow column) and hides the next column's start under it: where nothing between
    the labels is an edge, the edge is looked for back to the previous label's centre (a
    centred label spills as far past its cell's left edge as past its right, so its cell
    ends right of its centre), and the rightmost one there is taken -- the ones further left
    would be inside the previous cell."""
    tolerance = metrics.level_tolerance
    lefts = [header.column_lefts[0]]
    for index in range(1, len(header.column_lefts)):
        low, high = header.label_rights[index - 1] + tolerance, header.column_lefts[index] + tolerance
        edge = next((x for x in _candidates(starts, low, high) if spread.is_edge(x)), None)
        if edge is None:
            previous = header.cells[index - 1]
            centre = (previous.left + previous.right) / 2
            edge = next((x for x in reversed(_candidates(starts, max(centre, lefts[-1]) + tolerance, low))
                         if spread.is_edge(x)), None)
        lefts.append(edge if edge is not None else header.column_lefts[index])
    return tuple(lefts)


def _candidates(starts: list[float], low: float, high: float) -> list[float]:
    return sorted(x for x in starts if low < x <= high)


def _centred_between(header: HeaderRow, lefts: tuple[float, ...], metrics: Metrics) -> bool:
    """Labels printed on one line each say nothing of their alignment by themselves; the
    columns the text below starts say it: a label that starts right of its column's text,
    its centre nearer the middle between its column's edge and the next one than its start
    is to its column's edge, is centred; one that starts at the edge is left-aligned. The
    majority decides. Only a column with a next column has a middle to measure."""
    votes = 0
    for index in range(1, len(header.cells) - 1):
        cell, following = header.cells[index], header.cells[index + 1]
        if not cell.words or not following.words:
            continue  # a column placed between its neighbours has no label to measure
        from_edge = cell.left - lefts[index]
        from_middle = abs((cell.left + cell.right) / 2 - (lefts[index] + lefts[index + 1]) / 2)
        if from_edge > metrics.level_tolerance and from_middle < from_edge:
            votes += 1
        elif from_edge <= metrics.level_tolerance and from_middle > from_edge:
            votes -= 1
    return votes > 0


class _WordSpread:
    """Where the body's words start and end along x, to ask of an x how many words start
    at it and how many run across it (by bisection: a page-wide count per candidate edge
    would be quadratic in the words)."""

    def __init__(self, words: list[Word], tolerance: float):
        self.tolerance = tolerance
        self.by_x0 = sorted(words, key=lambda w: w.x0)
        self.x0s = [w.x0 for w in self.by_x0]
        self.x1s = sorted(w.x1 for w in words)

    def starting(self, x: float) -> int:
        return bisect.bisect_right(self.x0s, x + self.tolerance) - bisect.bisect_left(self.x0s, x - self.tolerance)

    def across(self, x: float) -> int:
        """Words starting left of ``x`` by more than the tolerance and ending right of it.
        By bisection: the words that start that far left, less those of them that end left
        of ``x`` -- every word ending left of it, but for those that start within the
        tolerance left of it."""
        low = x - self.tolerance
        start_left = bisect.bisect_left(self.x0s, low)
        end_left = bisect.bisect_right(self.x1s, x)
        inside = self.by_x0[start_left:bisect.bisect_right(self.x0s, x)]
        return start_left - (end_left - sum(w.x1 <= x for w in inside))

    def is_edge(self, x: float) -> bool:
        """Several words start at ``x`` and fewer run across it: a column's edge is a gap
        down the page. Every word starting there counts, not only those after a cell gap:
        justified text runs to its cell's edge, so the next cell's first word on such a
        line follows it at less than a cell gap (the sweep's s06, s20). A word counts as
        running across once it ends right of ``x``, however little: the short last words
        of justified lines start flush right together ("to", "an", "or") a little left
        of their column's edge, and the longer last words of the other lines run across
        their starts only up to that edge.

        At most half as many as start there may run across: inside a column of dense
        justified text, about as many words start within the tolerance of any x as run
        across it, and another table's column edge on a page after the plan tipped such
        an x inside the opportunity column into an edge (2025 seed-163 s18-docx: 109
        starting, 104 across, against 259 and 19 at the recommendation column's own edge;
        158 fields wrong)."""
        starting = self.starting(x)
        return starting >= MIN_LINES_AT_EDGE and EDGE_CLEARANCE * self.across(x) < starting


def line_starts(body_lines: list[Line], metrics: Metrics) -> list[float]:
    """x of every word that opens a run of text on its line (a cell's line start)."""
    starts = []
    for line in body_lines:
        previous = None
        for word in line.words:
            if previous is None or word.x0 - previous.x1 > metrics.cell_gap:
                starts.append(word.x0)
            previous = word
    return starts


def _snap_to_rules(lefts: tuple[float, ...], page: PageLayout, header: HeaderRow) -> tuple[float, ...]:
    """With vertical cell borders, a column starts just right of its border, not at its label.
    Only the table's own borders count: rules that reach down past the header's top (a
    heatmap's grid printed above the header on the same page borders other columns)."""
    verticals = sorted({round(r.x0, 1) for r in page.rules if r.vertical and r.bottom > header.top})
    snapped = [lefts[0]]
    for previous, left in zip(lefts, lefts[1:]):
        between = [x for x in verticals if previous < x <= left]
        snapped.append(between[-1] if between else left)
    return tuple(snapped)


def right_limits(body: list[Word], columns: dict[int, Columns]) -> dict[str, float]:
    """How far text runs in each column: the right edge a full line reaches. A word alone on
    its line is left out where the column has other lines: a word too long for the column
    runs on past its edge (HTML lets it overflow), and would set the edge too far right."""
    cells: dict[tuple[str, int], list[Word]] = {}
    for word in body:
        cells.setdefault((columns[word.page].key_of(word), word.page), []).append(word)
    ends: dict[str, list[float]] = {}
    alone: dict[str, list[float]] = {}
    for (key, _), words in cells.items():
        for line in _lines_by_top(words):
            (ends if len(line) > 1 else alone).setdefault(key, []).extend(w.x1 for w in line)
    return {key: _percentile(ends.get(key) or xs, 0.98) for key, xs in {**alone, **ends}.items()}


def _lines_by_top(words: list[Word]) -> list[list[Word]]:
    """Words of one column on one page as lines: tops chained within half a word's height
    (not rounded into bands, which would split a scan's jittered line in two)."""
    lines: list[list[Word]] = []
    for word in sorted(words, key=lambda w: w.top):
        if lines and word.top - lines[-1][-1].top <= 0.5 * (word.bottom - word.top):
            lines[-1].append(word)
        else:
            lines.append([word])
    return lines


def _percentile(xs: list[float], share: float) -> float:
    return sorted(xs)[int(share * (len(xs) - 1))]


def flowing_words(body_lines: list[Line], columns: dict[int, Columns], metrics: Metrics) -> set[Word]:
    """Words of full-width text (theme intros): lines whose words run on at a word space
    across a column boundary. Cell text never runs into the next cell."""
    flowing: set[Word] = set()
    for line in body_lines:
        index_of = columns[line.page].index_of
        crosses = any(
            right.x0 - left.x1 <= 0.6 * metrics.line_height and index_of(left) != index_of(right)
            for left, right in zip(line.words, line.words[1:])
        )
        if crosses:
            flowing.update(line.words)
    return flowing
