"""Where the plan's table ends (extract/bounds.py plan_end), on made-up pages: what the
plan's own lines look like is learned from all of them, and the pages before the last row
anchor count when asking whether every plan page repeats the header row."""

from __future__ import annotations

from types import SimpleNamespace

from actionplan.extract.bounds import plan_end
from actionplan.extract.columns import Columns
from actionplan.extract.geometry import Metrics
from actionplan.schema.records import Line, Word

METRICS = Metrics(line_height=9.0, line_pitch=12.0)
COLUMNS = Columns(lefts=(40.0, 100.0, 300.0, 450.0, 600.0),
                  keys=("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline"),
                  tolerance=5.0)


def _line(page: int, top: float, cells: dict[float, str]) -> Line:
    """Cells by the x their text starts at, each word 20 points wide."""
    words = []
    for x, text in cells.items():
        for i, t in enumerate(text.split()):
            words.append(Word(t, page, x + 24.0 * i, top, x + 24.0 * i + 20.0, top + 9.0))
    return Line(tuple(words), page, words[0].x0, top, words[-1].x1, top + 9.0, 700.0)


def _row(page: int, top: float, anchor: str, lines: int) -> list[Line]:
    first = _line(page, top, {100.0: f"{anchor}: There", 300.0: "No gaps", 450.0: "Keep going", 600.0: "CLT"})
    rest = [_line(page, top + 12.0 * i, {100.0: "is a shared", 300.0: "in place", 450.0: "by the"})
            for i in range(1, lines)]
    return [first, *rest]


def _plan(after: list[Line]) -> list[Line]:
    # Page 1: the header sits low, one short row under it -- too few lines to learn from.
    lines = _row(1, 720.0, "CI001", 2)
    lines += _row(2, 60.0, "CI002", 6) + _row(2, 150.0, "CI003", 6)
    lines += _row(3, 60.0, "CI004", 8)  # the last row: its lines run on below its anchor
    return lines + after


def _header(top: float, fields=COLUMNS.keys, labels=()) -> SimpleNamespace:
    return SimpleNamespace(top=top, bottom=top + 20.0, fields=tuple(fields),
                           cells=tuple(SimpleNamespace(label=label) for label in labels))


HEADERS = {p: [_header(30.0 if p > 1 else 680.0)] for p in (1, 2, 3)}


def _end(lines, headers=HEADERS):
    return plan_end(lines, headers, {p: COLUMNS for p in (1, 2, 3, 4)}, METRICS, themes=[], theme_similarity=90)


def test_the_last_rows_lines_are_the_plans_though_the_first_page_shows_few_lines():
    other_table = [_line(4, 60.0 + 12.0 * i, {45.0: "R01 Risk", 190.0: "Cause and", 520.0: "Owner"})
                   for i in range(4)]
    end, reason = _end(_plan(other_table))
    assert end is not None and end[0] == 4, reason


def test_a_page_without_the_header_every_plan_page_repeated_ends_the_plan():
    # Page 4 opens with a line in body type (no heading) before its own table.
    after = [_line(4, 40.0, {45.0: "Appendix B: Corporate Risk Register"})]
    after += [_line(4, 60.0 + 12.0 * i, {45.0: "R01 Risk", 190.0: "Cause and", 520.0: "Owner"}) for i in range(4)]
    end, reason = _end(_plan(after))
    assert end == (4, float("-inf")), reason


def test_a_heading_a_fifth_larger_than_the_body_ends_the_plan():
    """s39-docx: "Appendix B: Corporate Risk Register (extract)" in 13 pt over 10.5 pt text
    (1.24 x; Word's Heading 2 over its body text is 1.18 x), on a page without the header."""
    heading = _line(4, 40.0, {45.0: "Appendix B: Corporate Risk Register"})
    heading = Line(tuple(Word(w.text, 4, w.x0, 40.0, w.x1, 40.0 + 1.2 * 9.0) for w in heading.words), 4,
                   heading.x0, 40.0, heading.x1, 40.0 + 1.2 * 9.0, 700.0)
    once = {1: HEADERS[1], 2: [], 3: []}  # printed once: the page-without-header rule cannot tell
    end, reason = _end(_plan([heading]), once)
    assert end == (4, 40.0), reason


def test_another_tables_header_row_ends_the_plan():
    """A risk register after the plan: its header ("Ref | Risk | Risk owner | Target date")
    has labels the profile knows, so it is read as a header row -- of other columns."""
    after = [_line(4, 60.0 + 12.0 * i, {45.0: "R01 Risk", 300.0: "Cause and", 450.0: "Owner"}) for i in range(4)]
    headers = dict(HEADERS)
    headers[4] = [_header(40.0, ("element_id", "extra:Risk", "owner", "recommendation", "timeline"),
                          ("Ref", "Risk", "Risk owner", "Mitigating actions", "Target date"))]
    end, reason = _end(_plan(after), headers)
    assert end == (4, 40.0) and "other columns" in reason, reason
