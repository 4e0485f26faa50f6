"""Page layouts -> theme sections, characteristic rows and action bands, in one pass.

The steps, in order:
  1. measure the document's type (line height, line pitch);
  2. drop running headers/footers (repeating margin text);
  3. find header rows by their labels; columns come from where the labels start;
  4. everything before the first header is front matter (heatmap, key);
  5. walk the body in reading order: a theme heading opens a section, an element-id anchor at
     the start of the characteristic column opens a row; text up to the next event is theirs;
  6. inside a row, split each column into paragraphs and group them into bands.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from actionplan.errors import InputError, NotAnActionPlan
from actionplan.extract.colour import FillFinder
from actionplan.extract.front import read_front_matter
from actionplan.extract.furniture import find_furniture
from actionplan.extract.geometry import (
    Metrics, char_count, ends_sentence, group_lines, measure, page_top_starts, split_paragraphs,
)
from actionplan.extract.header import HeaderRow, find_headers
from actionplan.extract.pages import PageLayout
from actionplan.schema.ids import looks_like_id
from actionplan.schema.plan import PlanVocabulary
from actionplan.schema.records import (
    ACTION_COLUMNS, COLUMNS, Band, Drops, ExtractedPlan, Line, Paragraph, RawRow, ThemeSection,
    Word,
)

THEME_HEADING = re.compile(r"^\W*([1-9])\s*[.,]?\s*(.+?)\s*[:;.]?\W*$")


@dataclass(frozen=True)
class Columns:
    """Column boundaries in force on a page: a word belongs to the last column it starts in."""

    lefts: tuple[float, ...]
    tolerance: float

    def index_of(self, word: Word) -> int:
        index = 0
        for i, left in enumerate(self.lefts):
            if word.x0 >= left - self.tolerance:
                index = i
        return index


@dataclass(frozen=True)
class Event:
    kind: str  # "heading" | "anchor"
    page: int
    top: float
    line: Line
    theme_no: int | None = None


def extract_plan(source: Path, layouts: Sequence[PageLayout], vocab: PlanVocabulary,
                 backend: str = "pdfplumber", fills: FillFinder | None = None) -> ExtractedPlan:
    all_words = [w for page in layouts for w in page.words]
    if not all_words:
        raise InputError(
            f"{source}: the PDF has no text layer (scanned pages?); it needs OCR first, "
            "e.g. `ocrmypdf in.pdf out.pdf`"
        )
    metrics = measure(all_words)
    # Headers first: a header row repeated on every page would otherwise look like furniture.
    headers = {p.number: find_headers(p, vocab, metrics, set()) for p in layouts}
    header_words = {w for found in headers.values() for h in found for w in h.words}
    furniture, furniture_lines = find_furniture(layouts, metrics, header_words)
    if not any(headers.values()):
        raise NotAnActionPlan(
            f"{source}: no action plan found: looked for a table header with the columns "
            + ", ".join(repr(label) for label in vocab.header_labels)
        )
    fills = fills or FillFinder(layouts)
    first_page = min(n for n, found in headers.items() if found)
    first_header = headers[first_page][0]
    before_header = _front_words(layouts, first_header, furniture)
    body_start = _first_theme_heading(before_header, metrics, vocab)
    front_words = [w for w in before_header if body_start is None or (w.page, w.top) < body_start]
    front = read_front_matter(front_words, metrics, fills, vocab)
    body = _body_words(layouts, furniture | header_words | set(front_words))
    body_lines = group_lines(body, float("inf"), metrics)  # page-wide, grouped once
    columns = _columns_by_page(layouts, headers, metrics, body_lines)
    flowing = _flowing_words(body_lines, columns, metrics)
    right_limits = _right_limits([w for w in body if w not in flowing], columns)
    rules = {p.number: [r for r in p.rules if not r.vertical] for p in layouts}
    events = _events(body, body_lines, columns, metrics, vocab, right_limits, flowing, rules)
    if not any(e.kind == "anchor" for e in events):
        raise NotAnActionPlan(
            f"{source}: no action plan found: the header row is there but no row starts with "
            "an element id such as CI001 or L002"
        )
    themes, rows, orphans = _sections(events, body, columns, metrics, right_limits, fills, backend)
    drops = Drops(
        header_rows=sum(len(found) for found in headers.values()),
        header_chars=sum(char_count(w.text) for w in header_words),
        furniture_lines=len(furniture_lines),
        furniture_chars=sum(char_count(w.text) for w in furniture),
        front_matter_chars=front.unused_chars,
        unassigned_chars=sum(char_count(w.text) for w in orphans),
    )
    return ExtractedPlan(
        source=str(source),
        page_count=len(layouts),
        backend=backend,
        heatmap=front.heatmap,
        key=front.key,
        themes=tuple(themes),
        rows=tuple(rows),
        drops=drops,
        table_chars=sum(char_count(w.text) for w in all_words),
        page_images_sampled=fills.sampled_pixels,
        warnings=tuple(_orphan_messages(orphans)),
    )


def _front_words(layouts, first_header: HeaderRow, furniture) -> list[Word]:
    return [
        w for page in layouts for w in page.words
        if w not in furniture
        and (page.number < first_header.page
             or (page.number == first_header.page and w.bottom <= first_header.top))
    ]


def _body_words(layouts, excluded: set[Word]) -> list[Word]:
    return [w for page in layouts for w in page.words if w not in excluded]


def _first_theme_heading(words: list[Word], metrics: Metrics, vocab) -> tuple[int, float] | None:
    """A theme heading printed above the first table (intro as text between tables) starts
    the body there; it must come after the heatmap, whose rows also name the themes."""
    lines = group_lines(words, float("inf"), metrics)
    heatmap_rows = [i for i, line in enumerate(lines)
                    if sum(looks_like_id(w.text) for w in line.words) >= 3]
    after = heatmap_rows[-1] + 1 if heatmap_rows else 0
    for line in lines[after:]:
        if _theme_heading(line.text, vocab):
            return (line.page, line.top - metrics.level_tolerance)
    return None


def _columns_by_page(layouts, headers, metrics: Metrics, body_lines: list[Line]) -> dict[int, Columns]:
    """The columns of the last header seen apply until the next one (header not repeated)."""
    by_page: dict[int, Columns] = {}
    current: Columns | None = None
    for page in layouts:
        found = headers.get(page.number) or []
        if found:
            lefts = found[0].column_lefts
            if found[0].centred:
                lefts = _lefts_from_text(found[0], body_lines, metrics)
            current = Columns(_snap_to_rules(lefts, page), metrics.level_tolerance)
        if current is not None:
            by_page[page.number] = current
    # Text above the first table (a theme intro between tables) is read with its columns.
    first = next(iter(by_page.values()))
    return {page.number: by_page.get(page.number, first) for page in layouts}


# How many lines must start at an x before it counts as a column's left edge.
MIN_LINES_AT_EDGE = 3


def _lefts_from_text(header: HeaderRow, body_lines: list[Line], metrics: Metrics) -> tuple[float, ...]:
    """Centred labels start right of their column: the column starts where the text lines
    below start -- the leftmost x, between the previous label's end and this label's start,
    at which several lines begin."""
    starts = _line_starts(body_lines, metrics)
    tolerance = metrics.level_tolerance
    lefts = [header.column_lefts[0]]
    for index in range(1, len(header.column_lefts)):
        low, high = header.label_rights[index - 1] + tolerance, header.column_lefts[index] + tolerance
        candidates = sorted(x for x in starts if low < x <= high)
        edge = next((x for x in candidates
                     if sum(abs(y - x) <= tolerance for y in candidates) >= MIN_LINES_AT_EDGE), None)
        lefts.append(edge if edge is not None else header.column_lefts[index])
    return tuple(lefts)


def _line_starts(body_lines: list[Line], metrics: Metrics) -> list[float]:
    """x of every word that opens a run of text on its line (a cell's line start)."""
    starts = []
    for line in body_lines:
        previous = None
        for word in line.words:
            if previous is None or word.x0 - previous.x1 > metrics.cell_gap:
                starts.append(word.x0)
            previous = word
    return starts


def _snap_to_rules(lefts: tuple[float, ...], page: PageLayout) -> tuple[float, ...]:
    """With vertical cell borders, a column starts just right of its border, not at its label."""
    verticals = sorted({round(r.x0, 1) for r in page.rules if r.vertical})
    snapped = [lefts[0]]
    for previous, left in zip(lefts, lefts[1:]):
        between = [x for x in verticals if previous < x <= left]
        snapped.append(between[-1] if between else left)
    return tuple(snapped)


def _right_limits(body: list[Word], columns: dict[int, Columns]) -> dict[int, float]:
    """How far text runs in each column: the right edge a full line reaches."""
    ends: dict[int, list[float]] = {}
    for word in body:
        ends.setdefault(columns[word.page].index_of(word), []).append(word.x1)
    return {i: sorted(xs)[int(0.98 * (len(xs) - 1))] for i, xs in ends.items()}


def _events(body, body_lines, columns, metrics, vocab, right_limits, flowing, rules) -> list[Event]:
    """Theme headings and row anchors, in reading order."""
    events: list[Event] = []
    characteristic = COLUMNS.index("characteristic")
    by_column_lines = _column_lines(body, columns, metrics, right_limits)
    lines = by_column_lines[characteristic]
    theme_labels = [line for line in by_column_lines[0] if line.text[:1].isdigit()]
    anchors = [
        line for i, line in enumerate(lines)
        if looks_like_id(line.words[0].text) and _anchor_shaped(line)
        and (_level_with_any(line, theme_labels, metrics)
             or not _continues(lines[i - 1] if i else None, line, metrics, flowing, rules))
    ]
    for line in body_lines:
        theme_no = _theme_heading(line.text, vocab)
        if theme_no and not _near_anchor(line, anchors, metrics):
            events.append(Event("heading", line.page, line.top, line, theme_no))
    events.extend(Event("anchor", a.page, a.top, a) for a in anchors)
    return sorted(events, key=lambda e: (e.page, e.top))


def _flowing_words(body_lines: list[Line], columns, metrics: Metrics) -> set[Word]:
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


def _continues(previous: Line | None, line: Line, metrics: Metrics, flowing: set[Word],
               rules: dict) -> bool:
    """An id at the start of a wrapped line inside a sentence ("(Previously / G002 in the
    draft guidance)") is a reference, not the start of a row."""
    if previous is None or previous.page != line.page:
        return False
    if previous.words[-1] in flowing or _rule_between(rules.get(line.page, ()), previous, line):
        return False
    close = line.top - previous.top <= metrics.paragraph_gap
    same_cell = abs(line.x0 - previous.x0) <= metrics.level_tolerance
    return close and same_cell and not ends_sentence(previous.text)


def _level_with_any(line: Line, others: list[Line], metrics: Metrics) -> bool:
    """A theme label ("7. Partnerships") starting level with the id opens a new row."""
    return any(o.page == line.page and abs(o.top - line.top) <= metrics.level_tolerance for o in others)


def _rule_between(horizontal_rules, upper: Line, lower: Line) -> bool:
    """A row border drawn between two lines of the column: they are in different rows."""
    return any(
        upper.bottom - 1.0 <= r.top <= lower.top + 1.0 and r.x0 <= upper.x0 <= r.x1
        for r in horizontal_rules
    )


def _anchor_shaped(line: Line) -> bool:
    """'CI001: The authority...' -- the id opens the cell, usually with a colon after it."""
    first = line.words[0].text
    return first.rstrip().endswith(":") or len(line.words) == 1 or first[-1:].isalnum()


def _near_anchor(line: Line, anchors: list[Line], metrics: Metrics) -> bool:
    return any(a.page == line.page and abs(a.top - line.top) <= metrics.level_tolerance
               for a in anchors)


def _theme_heading(text: str, vocab: PlanVocabulary) -> int | None:
    match = THEME_HEADING.match(text)
    if not match:
        return None
    number, name = int(match.group(1)), match.group(2)
    if not 1 <= number <= len(vocab.themes):
        return None
    expected = vocab.themes[number - 1]
    if fuzz.ratio(name.lower(), expected.lower()) >= vocab.theme_heading_similarity:
        return number
    return None


def _column_lines(words, columns, metrics, right_limits) -> dict[int, list[Line]]:
    per_column: dict[int, list[Word]] = {i: [] for i in range(len(COLUMNS))}
    for word in words:
        per_column[columns[word.page].index_of(word)].append(word)
    return {
        i: group_lines(ws, right_limits.get(i, float("inf")), metrics)
        for i, ws in per_column.items()
    }


def _sections(events, body, columns, metrics, right_limits, fills, backend):
    """Give every body word to the event (heading or anchor) that precedes it."""
    themes: list[ThemeSection] = []
    rows: list[RawRow] = []
    orphans: list[Word] = []
    owned: list[list[Word]] = [[] for _ in events]
    keys = [(e.page, e.top - metrics.level_tolerance) for e in events]
    for word in body:
        index = _owner_index(keys, (word.page, word.top))
        if index is None:
            orphans.append(word)
            continue
        owned[index].append(word)
    theme_no = None
    for event, words in zip(events, owned):
        if event.kind == "heading":
            theme_no = event.theme_no
            themes.append(_theme_section(event, words, metrics))
        else:
            rows.append(_row(event, words, theme_no, columns, metrics, right_limits, fills, backend))
    return themes, rows, orphans


def _orphan_messages(orphans: list[Word]) -> list[str]:
    pages = sorted({w.page for w in orphans})
    if not orphans:
        return []
    sample = " ".join(w.text for w in orphans[:12])
    return [f"text before the first theme or row on page(s) {pages}: {sample!r}"]


def _owner_index(keys, position) -> int | None:
    index = None
    for i, key in enumerate(keys):
        if key <= position:
            index = i
        else:
            break
    return index


def _theme_section(event: Event, words: list[Word], metrics: Metrics) -> ThemeSection:
    heading_words = set(event.line.words)
    intro_words = [w for w in words if w not in heading_words]
    # Full-width text runs as far right as its longest line: that is where wrapping happens.
    right_limit = max((w.x1 for w in intro_words), default=float("inf"))
    intro_lines = group_lines(intro_words, right_limit, metrics)
    return ThemeSection(
        theme_no=event.theme_no or 0,
        heading=event.line,
        intro=tuple(split_paragraphs(intro_lines, metrics)),
        pages=tuple(sorted({event.page} | {w.page for w in words})),
    )


def _row(event, words, theme_no, columns, metrics, right_limits, fills, backend) -> RawRow:
    lines = _column_lines(words, columns, metrics, right_limits)
    page_bottoms: dict[int, float] = {}
    for word in words:
        page_bottoms[word.page] = max(page_bottoms.get(word.page, 0.0), word.bottom)
    first_pass = {name: split_paragraphs(lines[i], metrics, page_bottoms)
                  for i, name in enumerate(COLUMNS)}
    # Paragraphs some column surely starts at a page top may start a band in the others.
    level_starts = [s for c in ACTION_COLUMNS for s in page_top_starts(first_pass[c])]
    paragraphs = {name: split_paragraphs(lines[i], metrics, page_bottoms, level_starts)
                  for i, name in enumerate(COLUMNS)}
    return RawRow(
        anchor=event.line.words[0].text,
        theme_no=theme_no,
        theme_score=tuple(paragraphs["theme_score"]),
        characteristic=tuple(paragraphs["characteristic"]),
        bands=tuple(build_bands({c: paragraphs[c] for c in ACTION_COLUMNS}, metrics)),
        pages=tuple(sorted({w.page for w in words})),
        score_fill=fills.fill_behind(_score_cell_words(lines[0], event, columns, metrics)),
        backend=backend,
    )


def _score_cell_words(theme_score_lines, event: Event, columns, metrics: Metrics) -> list[Word]:
    """The words of the Theme/Score cell; when OCR read none (dark shading), a stand-in box
    in that cell, level with the row's first line, so its colour can still be sampled."""
    words = [w for line in theme_score_lines for w in line.words]
    if words:
        return words
    lefts = columns[event.page].lefts
    return [Word("", event.page, lefts[0], event.line.top,
                 lefts[1] - 2 * metrics.line_height, event.line.bottom)]


def build_bands(columns: dict[str, list[Paragraph]], metrics: Metrics) -> list[Band]:
    """Group paragraphs into bands: a band starts at the top of the row and wherever
    paragraphs of two or more columns start level; a paragraph starting alone stays in the
    band it sits in."""
    starts = sorted(
        ((p.page, p.top, name) for name, ps in columns.items() for p in ps),
    )
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
        bands.append(Band(page=start[0], **members))
    return bands


def _same_start(a, b, metrics: Metrics) -> bool:
    return a[0] == b[0] and abs(a[1] - b[1]) <= metrics.level_tolerance


def _in_band(p: Paragraph, start, end, metrics: Metrics) -> bool:
    position = (p.page, p.top + metrics.level_tolerance)
    return position >= start and (end is None or position < end)
