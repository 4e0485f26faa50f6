"""Body words -> theme sections and characteristic rows, and each row's action bands.

Every body word belongs to the event (theme heading or row anchor) that precedes it in
reading order. Inside a row, each column's lines are split into paragraphs; the row's own
columns (theme/score, id, rating, characteristic) keep theirs, the action columns' are
grouped into bands.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import replace

from actionplan.extract.bands import BandRule, build_bands
from actionplan.extract.columns import Columns
from actionplan.extract.events import Event, column_lines
from actionplan.extract.geometry import (JUSTIFIED_EDGE, JUSTIFIED_TOGETHER, Metrics, RunOnEdges, group_lines,
                                         is_justified, justified_edge, measure_run_on_edges, page_top_starts,
                                         split_paragraphs)
from actionplan.schema.records import Band, Line, Paragraph, RawRow, ThemeSection, Word

# The characteristic's own columns; every other column belongs to the action bands.
ROW_FIELDS = ("theme_score", "element_id", "rating", "characteristic")
# Where the row's score is printed, in order of preference.
SCORE_FIELDS = ("rating", "theme_score")
# The fields written in sentences (a paragraph there ends with one, most often).
PROSE_FIELDS = ("characteristic", "opportunity", "recommendation")


def is_action_column(key: str, columns: Columns) -> bool:
    """Action columns are the known action fields, and unknown columns right of the first one."""
    if key in ROW_FIELDS:
        return False
    if not key.startswith("extra:"):
        return True
    known = [i for i, k in enumerate(columns.keys) if k not in ROW_FIELDS and not k.startswith("extra:")]
    return bool(known) and columns.keys.index(key) > known[0]


def sections(events: Sequence[Event], body, columns: dict[int, Columns], metrics: Metrics,
             limits, fills, backend, rules: dict[int, list] | None = None,
             page_widths: dict[int, float] | None = None, page_heights: dict[int, float] | None = None
             ) -> tuple[list[ThemeSection], list[RawRow], list[Word]]:
    """Give every body word to the event (heading or anchor) that precedes it."""
    themes: list[ThemeSection] = []
    rows: list[RawRow] = []
    orphans: list[Word] = []
    owned: list[list[Word]] = [[] for _ in events]
    keys = [(e.page, e.top - metrics.level_tolerance) for e in events]
    for word in body:
        index = bisect.bisect_right(keys, (word.page, word.top)) - 1
        if index < 0:
            orphans.append(word)
        else:
            owned[index].append(word)
    # Whether text is justified is the document's typesetting, judged over each column's
    # lines in every row (a few lines of one cell can end together by chance).
    row_lines = [column_lines(words, columns, metrics, limits) if event.kind != "heading" else {}
                 for event, words in zip(events, owned)]
    table_right = max(limits.values(), default=0.0)
    intro_rights = _intro_rights(events, owned, page_widths or {})
    intros = [_intro_lines(event, words, metrics, max(table_right, intro_rights.get(event.page, 0.0)))
              if event.kind == "heading" else []
              for event, words in zip(events, owned)]
    justified = _justified_columns(row_lines, metrics)
    # Where run-on text ends and resumes pages is the document's layout, measured over every row.
    page_sizes = {page: (round(width), round((page_heights or {}).get(page, 0.0)))
                  for page, width in (page_widths or {}).items()}
    run_on = measure_run_on_edges((ls for lines in row_lines for ls in lines.values()), page_sizes, metrics)
    intro_justified = is_justified([line for lines in intros for line in lines], metrics)
    if intro_justified:
        # Justified intros wrap at the edge their lines are stretched to (on pages of one
        # size), not at the table cells' text edge: an intro's cell has padding of its own
        # (2024 seed-191 s15-docx: lines stretched to 1140.2 pt, the owner column's text to
        # 1143.4, and an intro line ending a page read as its paragraph's short last line).
        edges = _justified_intro_edges(events, intros, page_widths or {}, metrics)
        intros = [_intro_lines(event, words, metrics, edges[event.page], widen=False)
                  if event.kind == "heading" and event.page in edges else intro
                  for event, words, intro in zip(events, owned, intros)]
    theme_no = None
    for event, words, lines, intro in zip(events, owned, row_lines, intros):
        if event.kind == "heading":
            theme_no = event.theme_no
            themes.append(ThemeSection(
                theme_no=event.theme_no or 0,
                heading=event.line,
                intro=tuple(split_paragraphs(intro, metrics, justified=intro_justified,
                                             runs_on_in_lower_case=True, run_on_edges=run_on)),
                pages=tuple(sorted({event.page} | {w.page for w in words})),
            ))
        else:
            rows.append(_row(event, words, lines, theme_no, columns, metrics, fills, backend, rules or {},
                             justified, run_on))
    return themes, rows, orphans


def _justified_columns(row_lines: list[dict[str, list]], metrics: Metrics) -> dict[str, bool]:
    keys = {key for lines in row_lines for key in lines}
    return {key: is_justified([line for lines in row_lines for line in lines.get(key, [])], metrics)
            for key in keys}


def _intro_rights(events: Sequence[Event], owned: list[list[Word]], page_widths: dict[int, float]
                  ) -> dict[int, float]:
    """Each intro page's full-width text limit: the furthest any theme intro's line reaches
    on a page of that width (pages of one size share their margins). One intro of short
    paragraphs may not reach it: 2024 seed-179 s10-html's theme 4 intro, three one-line
    paragraphs a little more than a line's pitch apart, its longest line 30 pt short of the
    edge, set its own limit there, and "carry out their roles." / "The organisation ..."
    read as one paragraph."""
    furthest: dict[int, float] = {}
    for event, words in zip(events, owned):
        if event.kind != "heading":
            continue
        for word in words:
            if word not in event.line.words:
                width = round(page_widths.get(word.page, 0.0))
                furthest[width] = max(furthest.get(width, 0.0), word.x1)
    return {page: furthest.get(round(width), 0.0) for page, width in page_widths.items()}


def _justified_intro_edges(events: Sequence[Event], intros: list[list[Line]], page_widths: dict[int, float],
                           metrics: Metrics) -> dict[int, float]:
    """The edge justified intro lines are stretched to, for each page whose size shows one."""
    by_width: dict[int, list[Line]] = {}
    for event, lines in zip(events, intros):
        by_width.setdefault(round(page_widths.get(event.page, 0.0)), []).extend(lines)
    edges = {width: justified_edge(lines, metrics) for width, lines in by_width.items()}
    # The limit sits past the edge by the slack the page-break test allows a full line
    # (JUSTIFIED_EDGE), less what stretched lines really stray (JUSTIFIED_TOGETHER): with the
    # edge measured, a line ending 1.7 pt short of it is a paragraph's last, not a stretched
    # one (seed-157 s18-docx's theme 2 intro: "... signal a problem." / "All-out ...").
    slack = (JUSTIFIED_EDGE - JUSTIFIED_TOGETHER) * metrics.line_height
    return {page: edges[round(width)] + slack for page, width in page_widths.items()
            if edges.get(round(width)) is not None}


def _intro_lines(event: Event, words: list[Word], metrics: Metrics, table_right: float, widen: bool = True):
    """The intro's lines, wrapping at ``table_right`` -- or, ``widen``, as far right as its
    own longest line if that is further."""
    heading_words = set(event.line.words)
    intro_words = [w for w in words if w not in heading_words]
    # Full-width text runs as far right as its longest line, or as the table's text does
    # (an intro of one-line paragraphs may not reach it): that is where wrapping happens.
    right_limit = table_right
    if widen:
        right_limit = max(max((w.x1 for w in intro_words), default=float("inf")), table_right)
    return group_lines(intro_words, right_limit, metrics)


def _row(event, words, lines, theme_no, columns, metrics, fills, backend, rules,
         justified: dict[str, bool], edges: dict[int, RunOnEdges]) -> RawRow:
    page_columns = columns[event.page]
    page_bottoms: dict[int, float] = {}
    page_tops: dict[int, float] = {}
    for word in words:
        page_bottoms[word.page] = max(page_bottoms.get(word.page, 0.0), word.bottom)
        page_tops[word.page] = min(page_tops.get(word.page, word.top), word.top)
    action_keys = [k for k in page_columns.keys if is_action_column(k, page_columns)]
    first_pass = {key: split_paragraphs(ls, metrics, page_bottoms, page_tops=page_tops,
                                        justified=justified.get(key, False), prose=key in PROSE_FIELDS,
                                        run_on_edges=edges)
                  for key, ls in lines.items()}
    # Paragraphs some column surely starts at a page top may start a band in the others.
    level_starts = [s for k in action_keys for s in page_top_starts(first_pass.get(k, []))]
    paragraphs = {key: tuple(split_paragraphs(ls, metrics, page_bottoms, level_starts, page_tops,
                                              justified.get(key, False), key in PROSE_FIELDS,
                                              run_on_edges=edges))
                  for key, ls in lines.items()}
    row_cells = {k: paragraphs.get(k, ()) for k in page_columns.keys if k not in action_keys}
    bands = build_bands({k: list(paragraphs.get(k, ())) for k in action_keys}, metrics, _rules_in(words, rules))
    return RawRow(
        anchor=event.line.words[0].text,
        theme_no=theme_no,
        cells=row_cells,
        bands=tuple(_with_status_fill(b, columns, metrics, fills) for b in bands),
        pages=tuple(sorted({w.page for w in words})),
        score_fill=fills.fill_behind(_score_cell_words(lines, event, page_columns, metrics)),
        backend=backend,
    )


def _with_status_fill(band: Band, columns: dict[int, Columns], metrics: Metrics, fills) -> Band:
    """A band whose status cell prints nothing: the fill of that cell, level with the band's
    first line (a status painted as colour alone is read by the profile's status colours)."""
    if band.column("status"):
        return band
    lines = [p.lines[0] for ps in band.cells.values() for p in ps]
    if not lines:
        return band
    first = min(lines, key=lambda line: (line.page, line.top))
    page_columns = columns.get(first.page)
    if page_columns is None or "status" not in page_columns.keys:
        return band
    index = page_columns.index("status")
    fill = fills.fill_behind([_stand_in(page_columns, index, first, metrics)])
    if fill is None:
        return band
    # A shading the cells beside it share is the row's (a striped table), not a status.
    beside = [fills.fill_behind([_stand_in(page_columns, i, first, metrics)])
              for i in (index - 1, index + 1) if 0 <= i < len(page_columns.lefts)]
    return band if fill in beside else replace(band, status_fill=fill)


def _stand_in(columns: Columns, index: int, line, metrics: Metrics) -> Word:
    """A word-sized box across column ``index``'s width, level with ``line``, to read the
    cell's fill where the cell prints nothing."""
    left = columns.lefts[index]
    right = columns.lefts[index + 1] if index + 1 < len(columns.lefts) else left + 4 * metrics.line_height
    return Word("", line.page, left + metrics.line_height / 2, line.top,
                max(left + metrics.line_height, right - metrics.line_height / 2), line.bottom)


def _rules_in(words: list[Word], rules: dict[int, list]) -> list[BandRule]:
    """The horizontal rules drawn inside the row's text, page by page."""
    found = []
    for page in sorted({w.page for w in words}):
        on_page = [w for w in words if w.page == page]
        top, bottom = min(w.top for w in on_page), max(w.bottom for w in on_page)
        found += [BandRule(page, r.x0, r.top, r.x1) for r in rules.get(page, ()) if top < r.top < bottom]
    return found


def _score_cell_words(lines, event: Event, columns: Columns, metrics: Metrics) -> list[Word]:
    """The words of the cell the score is printed in; when OCR read none (dark shading), a
    stand-in box in that cell, level with the row's first line, so its colour can still be
    sampled."""
    key = next((k for k in SCORE_FIELDS if k in columns.keys), None)
    if key is None:
        return []
    words = [w for line in lines.get(key, []) for w in line.words]
    if words:
        return words
    index = columns.index(key)
    right = columns.lefts[index + 1] if index + 1 < len(columns.lefts) else columns.lefts[index] + 4 * metrics.line_height
    return [Word("", event.page, columns.lefts[index], event.line.top,
                 right - 2 * metrics.line_height, event.line.bottom)]


def paragraphs_of(row: RawRow) -> list[Paragraph]:
    """Every paragraph of a row, its own cells' and its bands'."""
    out = [p for ps in row.cells.values() for p in ps]
    out += [p for band in row.bands for ps in band.cells.values() for p in ps]
    return out
