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


# The id column leftmost, as another council's "Ref": a risk register's "R01" under it sits
# in the plan's id column.
REF_FIRST = Columns(lefts=(40.0, 100.0, 300.0, 450.0, 600.0),
                    keys=("element_id", "characteristic", "opportunity", "recommendation", "owner"),
                    tolerance=5.0)


def _ref_row(page: int, top: float, anchor: str, lines: int) -> list[Line]:
    first = _line(page, top, {40.0: anchor, 100.0: "There is", 300.0: "No gaps", 450.0: "Keep going", 600.0: "CLT"})
    return [first] + [_line(page, top + 12.0 * i, {100.0: "a shared", 300.0: "in place", 450.0: "by the"})
                      for i in range(1, lines)]


def _ref_end(lines):
    return plan_end(lines, HEADERS, {p: REF_FIRST for p in (1, 2, 3, 4)}, METRICS, themes=[], theme_similarity=90)


def test_another_tables_numbering_in_the_plans_letters_does_not_hold_the_plan_open():
    """Other-council columns, seed-71 s06-html: the risk register after the plan numbers its
    rows "R01", "R02" ... under the same leftmost "Ref" column. Each is an id once repaired
    (R001), so the plan ran on to the last of them and read eight risks as characteristics.
    A run of three or more repaired-only anchors at the end is another table's numbering: the
    page without the header every plan page repeated ends the plan."""
    plan = _ref_row(1, 720.0, "G004", 2) + _ref_row(2, 60.0, "G005", 6) + _ref_row(3, 60.0, "R001", 8)
    register = [_line(4, 60.0 + 40.0 * i, {40.0: f"R0{i + 1}", 100.0: "Failure to", 300.0: "Capacity is"})
                for i in range(4)]
    assert _ref_end(plan + register) == ((4, float("-inf")), "page 4 lacks the header row every plan page before it repeats")
    # One damaged anchor at the end (a scan's "R0O2") is the plan's row: the plan goes on past it.
    damaged = _ref_row(4, 60.0, "R0O2:", 3)
    assert _ref_end(plan + damaged) == (None, "")


def test_a_justified_lines_wide_gaps_in_the_last_row_do_not_end_the_plan():
    """Other-council columns, seed-71 s08-docx: the last row's justified lines ("budget lines
    that report annual" / "underspends      could    release") had gaps wider than a cell
    gap, read as another table's cells (three, misaligned), and the plan ended there: the
    rest of the row was set aside as outside the plan. Gaps inside one of the plan's
    columns open no cells; one odd line with nothing like it after does not end the plan."""
    justified = [_line(3, 60.0 + 12.0 * 8 + 12.0 * i, {300.0: "underspends", 360.0: "could", 410.0: "release",
                                                        450.0: "planning process"}) for i in range(2)]
    assert _end(_plan(justified)) == (None, "")
