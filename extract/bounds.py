"""Where the plan begins and ends inside a longer PDF (a committee pack: a covering report
before it, another appendix after it).

The plan begins at the first page of its front matter -- the first page, before its table's
first header row, that prints a heatmap row -- or at the header's page. It ends at the first
of these after its first header row:

- a page without the plan's header row, where every page of the plan before it repeated it
  (and the page holds no row anchor);
- a heading: one run of text, every word printed clearly larger than the body text, that
  is not a theme heading;
- a line of another table: three or more cells, most of them starting where no column of
  the plan starts its lines;
- a header row whose columns are mostly not the plan's (another table whose labels the
  profile partly knows: "Ref", "Risk owner", "Target date").

None of these counts before the last line whose first word in the plan's id column is an
element id: the plan holds at least every row it anchors (however tight the gap after a
wrapped theme label that fills its own column). What lies outside is never read into rows:
it is set aside as ``outside_plan``, and its pages are listed in the manifest as skipped --
the page the plan ends on too, when none of the plan's text is printed on it above the end
(an appendix whose heading opens its page).
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import islice

from actionplan.extract.columns import Columns, line_starts
from actionplan.extract.events import anchor_column, theme_heading
from actionplan.extract.geometry import Metrics
from actionplan.schema.ids import STRICT_ID, looks_like_id, profile_id
from actionplan.schema.records import Line, Word

Position = tuple[int, float]  # (page, top)

# A heading is printed at least this much larger than the body text, in a few words (one
# large word is more often a misread box than a heading). Word's built-in Heading 2 (13 pt)
# over its 11 pt body is 1.18 x; only lines after the last row anchor are asked.
HEADING_SIZE = 1.15
HEADING_MIN_WORDS = 2
# A line of another table has at least this many cells, and fewer than this share of them
# start where the plan's columns start their lines.
FOREIGN_TABLE_CELLS = 3
FOREIGN_ALIGNED_SHARE = 0.5
# ... and so do the lines with cells after it: this many in a row.
FOREIGN_LINES = 3
# How many lines must start at an x before it is a column's usual start.
MIN_LINES_AT_START = 3


@dataclass(frozen=True)
class PlanBounds:
    """Where the plan's text starts and ends in the PDF, and why it ends there."""

    start: Position  # where the plan's own text (front matter included) begins
    end: Position | None  # where text that is not the plan's begins; None: the PDF's end
    end_reason: str = ""

    def inside(self, word: Word) -> bool:
        position = (word.page, word.top)
        return position >= self.start and (self.end is None or position < self.end)

    def holds_page(self, number: int, first_header_page: int, plan_words: Iterable[Word]) -> bool:
        """The table's pages run from its first header's page to the page it ends on; that
        last page is the plan's only when some of the plan's own text (``plan_words``: the
        words read as the plan, header rows included) is printed on it above the end. An
        appendix whose heading opens its page, under the running header, takes the page."""
        if number < first_header_page or (self.end is not None and number > self.end[0]):
            return False
        if self.end is None or number < self.end[0]:
            return True
        return any(w.page == number and (w.page, w.top) < self.end for w in plan_words)


def plan_start(layouts, first_header_page: int, metrics: Metrics) -> Position:
    """The first page, from the header's page back, of an unbroken run of pages that lead to
    it and print a heatmap row."""
    start = first_header_page
    for page in sorted((p for p in layouts if p.number < first_header_page), key=lambda p: -p.number):
        if page.number == start - 1 and _prints_heatmap_row(page.words, metrics):
            start = page.number
        else:
            break
    return (start, float("-inf"))


def _prints_heatmap_row(words: Sequence[Word], metrics: Metrics) -> bool:
    from actionplan.extract.geometry import group_lines

    return any(sum(looks_like_id(w.text) for w in line.words) >= 3
               for line in group_lines(words, float("inf"), metrics))


def plan_end(body_lines: Sequence[Line], headers: dict, columns: dict[int, Columns], metrics: Metrics,
             themes, theme_similarity: int) -> tuple[Position | None, str]:
    """Where the plan's table ends (see the module's docstring), and why."""
    first_page = min(n for n, found in headers.items() if found)
    header_bottom = headers[first_page][0].bottom
    anchors = _plan_anchors(body_lines, columns)
    last_anchor = max(anchors, default=(0, float("-inf")))
    # Every line from the first header to the last row anchor is the plan's own: where its
    # columns start their lines (a first page with a few rows under its header shows too few).
    sample = [l for l in body_lines if (first_page, header_bottom) < (l.page, l.top) <= last_anchor]
    offsets = _usual_offsets(sample, columns, metrics)
    body_size = metrics.line_height
    # The pages up to the last anchor's are the plan's: whether they all repeat the header.
    pages_seen = {l.page for l in body_lines if first_page <= l.page <= last_anchor[0]}
    repeated = all(headers.get(page) for page in pages_seen)
    header_pages = sum(bool(headers.get(page)) for page in pages_seen)
    foreign = [_is_foreign_table_line(line, offsets, columns[line.page], metrics) for line in body_lines]
    other_header = _other_table_header(headers, first_page, max((first_page, header_bottom), last_anchor))
    for index, line in enumerate(body_lines):
        if (line.page, line.top) <= max((first_page, header_bottom), last_anchor):
            continue  # the plan goes on at least as far as its last row anchor
        if other_header and (line.page, line.top) >= other_header[0]:
            return other_header
        if line.page not in pages_seen:
            pages_seen.add(line.page)
            has_header = bool(headers.get(line.page))
            if (repeated and header_pages >= 2 and not has_header
                    and not any(page == line.page for page, _ in anchors)):
                return (line.page, float("-inf")), (
                    f"page {line.page} lacks the header row every plan page before it repeats")
            repeated = repeated and has_header
            header_pages += has_header
        if _is_heading(line, body_size, themes, theme_similarity, metrics):
            return (line.page, line.top), f"the heading {line.text!r} on page {line.page}"
        if foreign[index] and _foreign_from_here(index, body_lines, foreign, columns, metrics):
            return (line.page, line.top), f"another table's line {line.text[:60]!r} on page {line.page}"
    return None, ""


def _other_table_header(headers: dict, first_page: int, after: Position) -> tuple[Position, str] | None:
    """The first header row after ``after`` whose columns are mostly not the plan's: another
    table's ("Ref | Risk | ... | Risk owner | Target date", a risk register after the plan),
    read as a header because some of its labels are labels of the profile."""
    plan = set(headers[first_page][0].fields)
    for page in sorted(p for p in headers if p >= after[0]):
        for header in headers[page]:
            if (page, header.top) > after and len(plan & set(header.fields)) < 0.5 * len(plan):
                return (page, header.top), (f"a table header with other columns on page {page}: "
                                            + " | ".join(c.label for c in header.cells))
    return None


def _plan_anchors(body_lines: Sequence[Line], columns: dict[int, Columns]) -> list[Position]:
    """Where the lines opening with an element id in the plan's id column are: another
    document after the plan has no such rows, a damaged header or a scan's odd line before
    the last of them cannot end the plan. A run of ``OTHER_NUMBERING`` or more anchors at the
    end that are ids only once repaired is another table's numbering in the plan's letters
    (a risk register's "R01", "R02", ... under the plan's "Ref" column), not the plan's rows."""
    anchored = [(line.page, line.top, strict) for line in body_lines
                for strict in [_opens_with_id(line, columns[line.page])] if strict is not None]
    damaged_run = 0
    while damaged_run < len(anchored) and not anchored[-1 - damaged_run][2]:
        damaged_run += 1
    if OTHER_NUMBERING <= damaged_run < len(anchored):
        anchored = anchored[:-damaged_run]
    return [(page, top) for page, top, _ in anchored]


# This many anchors in a row, at the end, that are ids only once repaired are another
# table's numbering (a scan damages one anchor here and there, not every one to the end).
OTHER_NUMBERING = 3


def _opens_with_id(line: Line, columns: Columns) -> bool | None:
    """The line's first word in the id column is an element id: the id opens that column's
    cell, however close the cell before it (a wrapped theme label filling its column) ends.
    True: an id as the grammar writes it; False: one once repaired ("R01", "LOOS:"); None:
    no id."""
    key = anchor_column(columns)
    first = next((w for w in line.words if columns.key_of(w) == key), None)
    if first is None or not looks_like_id(first.text):
        return None
    return bool(STRICT_ID.match(first.text.strip()) or profile_id(first.text))


def _foreign_from_here(index: int, lines: Sequence[Line], foreign: Sequence[bool], columns: dict[int, Columns],
                       metrics: Metrics) -> bool:
    """Another table goes on: there are more lines with cells, and of the next of them
    every one is foreign too (a single odd line -- a scan's jitter, a cell's bullets, a
    justified line's wide gaps in the plan's last row: "underspends      could    release"
    -- does not end the plan)."""
    following = (i for i in range(index + 1, len(lines))
                 if len(_cell_starts(lines[i], columns[lines[i].page], metrics)) >= FOREIGN_TABLE_CELLS)
    nexts = list(islice(following, FOREIGN_LINES - 1))  # lazily: linear in lines
    return bool(nexts) and all(foreign[i] for i in nexts)


def _usual_offsets(lines: Sequence[Line], columns: dict[int, Columns], metrics: Metrics) -> dict[int, list[float]]:
    """Per column, how far right of the column's left edge (on its own page) several of the
    plan's lines start their text (a scan's pages are shifted: offsets travel, positions do not)."""
    by_column: dict[int, list[float]] = {}
    for line in lines:
        page_columns = columns[line.page]
        for x in line_starts([line], metrics):
            index = _column_at(x, page_columns)
            by_column.setdefault(index, []).append(x - page_columns.lefts[index])
    usual: dict[int, list[float]] = {}
    tolerance = metrics.level_tolerance
    for index, offsets in by_column.items():
        offsets.sort()  # then the offsets within tolerance of one are a slice: two bisections
        for offset in offsets:
            near = bisect_right(offsets, offset + tolerance) - bisect_left(offsets, offset - tolerance)
            if near >= MIN_LINES_AT_START:
                kept = usual.setdefault(index, [])
                if not kept or offset - kept[-1] > tolerance:
                    kept.append(offset)
    return usual


def _column_at(x: float, columns: Columns) -> int:
    return max((i for i, left in enumerate(columns.lefts) if x >= left - columns.tolerance), default=0)


def _is_heading(line: Line, body_size: float, themes, similarity: int, metrics: Metrics) -> bool:
    """One run of text (no cells), every word of it printed larger than the body."""
    size = min(w.bottom - w.top for w in line.words)
    return (size >= HEADING_SIZE * body_size and len(line.words) >= HEADING_MIN_WORDS
            and len(line_starts([line], metrics)) == 1
            and not theme_heading(line.text, themes, similarity))


def _cell_starts(line: Line, columns: Columns, metrics: Metrics) -> list[float]:
    """Where the line's runs of text start, the first in each of the plan's columns only: a
    justified line's wide word gaps ("underspends      could    release") open no cells
    inside its column."""
    firsts: dict[int, float] = {}
    for x in line_starts([line], metrics):
        firsts.setdefault(_column_at(x, columns), x)
    return list(firsts.values())


def _is_foreign_table_line(line: Line, offsets: dict[int, list[float]], columns: Columns,
                           metrics: Metrics) -> bool:
    cells = _cell_starts(line, columns, metrics)
    if len(cells) < FOREIGN_TABLE_CELLS or not offsets:
        return False
    aligned = 0
    for x in cells:
        index = _column_at(x, columns)
        if any(abs(x - columns.lefts[index] - o) <= metrics.level_tolerance for o in offsets.get(index, ())):
            aligned += 1
    return aligned < FOREIGN_ALIGNED_SHARE * len(cells)
