"""Which pages are the plan's: --pages, and the manifest's account of pages used and skipped."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from actionplan.cli import main
from conftest import SAMPLES
from test_damage import anchors_on

PLAN = SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf"


def test_pages_option_reads_only_the_pages_selected(tmp_path, capsys):
    out = tmp_path / "out"
    code = main(["extract", str(PLAN), "--out", str(out), "--pages", "3-4", "--quiet"])
    capsys.readouterr()
    assert code == 0
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["pages"]["used"] == [3, 4]
    skipped = {s["page"]: s["reason"] for s in manifest["pages"]["skipped"]}
    assert set(skipped) == set(range(1, 20)) - {3, 4}
    assert all("--pages" in reason for reason in skipped.values())
    ids = {r["element_id"] for r in pq.read_table(out / "characteristics.parquet").to_pylist()}
    assert ids == anchors_on(PLAN, 3) | anchors_on(PLAN, 4)


@pytest.mark.parametrize("text", ["3-x", "0-2", "5-3", "a"])
def test_a_bad_page_selection_is_one_line_and_exit_2(tmp_path, capsys, text):
    code = main(["extract", str(PLAN), "--out", str(tmp_path / "out"), "--pages", text])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "--pages" in err
    assert not (tmp_path / "out").exists()


def test_a_selection_past_the_last_page_is_refused(tmp_path, capsys):
    code = main(["extract", str(PLAN), "--out", str(tmp_path / "out"), "--pages", "40-50"])
    err = capsys.readouterr().err
    assert code == 2 and "selects none of its 19 pages" in err


def test_every_page_of_a_whole_plan_is_used(tmp_path, capsys):
    out = tmp_path / "out"
    main(["extract", str(PLAN), "--out", str(out), "--quiet"])
    capsys.readouterr()
    pages = json.loads((out / "manifest.json").read_text())["pages"]
    assert pages == {"used": list(range(1, 20)), "skipped": [], "plan_ends": "at the end of the PDF"}


# --------------------------------------------------------------------------- the rules, on made-up lines

from actionplan.extract.bounds import PlanBounds, plan_end  # noqa: E402
from actionplan.extract.columns import Columns, _snap_to_rules  # noqa: E402
from actionplan.extract.geometry import Metrics, group_lines  # noqa: E402
from actionplan.extract.header import HeaderCell, HeaderRow  # noqa: E402
from actionplan.extract.pages import PageLayout, Rule  # noqa: E402
from actionplan.schema.records import Word  # noqa: E402

METRICS = Metrics(line_height=9.0, line_pitch=10.3)
KEYS = ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
LEFTS = (36.0, 113.0, 329.0, 498.0, 683.0)
COLUMNS = Columns(LEFTS, KEYS, METRICS.level_tolerance)
SPACE, CHAR = 2.5, 4.5  # a space and a letter of 9 pt type


def _words(page: int, top: float, x0: float, text: str) -> list[Word]:
    """``text``'s words set from ``x0`` on one line, a letter and a space as wide as 9 pt type's."""
    words, x = [], x0
    for token in text.split():
        words.append(Word(token, page, x, top, x + CHAR * len(token), top + 9.0))
        x += CHAR * len(token) + SPACE
    return words


def _row(page: int, top: float, *cells: tuple[int, str]) -> list[Word]:
    return [w for column, text in cells for w in _words(page, top, LEFTS[column], text)]


def _header(page: int) -> HeaderRow:
    cells = tuple(HeaderCell(key, key, left, left + 40, ()) for key, left in zip(KEYS, LEFTS))
    return HeaderRow(page, 40.0, 60.0, cells)


def _plan_end(words: list[Word], pages: int):
    lines = group_lines(words, float("inf"), METRICS)
    headers = {n: [_header(n)] for n in range(1, pages + 1)}
    columns = {n: COLUMNS for n in range(1, pages + 1)}
    return plan_end(lines, headers, columns, METRICS, ("Use of Resources",), 80)


def _plan_pages(pages: int) -> list[Word]:
    """Rows whose cells start at their columns' left edges, one row per 40 pt."""
    words = []
    for page in range(1, pages + 1):
        for i in range(12):
            words += _row(page, 80.0 + 40 * i, (1, f"G{page}{i:02d}: The authority acts"),
                          (2, "No gap identified"), (3, "Continue as now"), (4, "CLT, Q2 2024"))
    return words


def _odd_lines(page: int, top: float) -> list[Word]:
    """Three lines whose cells start well inside the plan's columns (another table's shape)."""
    return [w for i in range(3) for x in (70.0, 250.0, 420.0, 600.0)
            for w in _words(page, top + 12 * i, x, "Risk owner AMBER")]


def test_odd_lines_end_the_plan_when_no_row_anchor_follows():
    words = _plan_pages(2) + _odd_lines(3, 100.0)
    end, reason = _plan_end(words, 3)
    assert end == (3, 100.0) and "another table" in reason


def test_an_id_right_after_a_full_theme_label_is_a_row_anchor_the_plan_reaches():
    """'5. Use of' fills the theme column up to one cell margin short of the id column: the id
    still opens its cell there, so odd lines before that row cannot end the plan."""
    label = _words(3, 300.0, LEFTS[0], "5. Use of")
    shift = LEFTS[1] - 11.0 - label[-1].x1  # the label ends one cell margin (2 x 5.5 pt) short
    label = [Word(w.text, w.page, w.x0 + shift, w.top, w.x1 + shift, w.bottom) for w in label]
    assert LEFTS[1] - label[-1].x1 < METRICS.cell_gap + 1.0  # tighter than a wide gap
    anchor_row = label + _row(3, 300.0, (1, "R009: Sustainable corporate functions"), (3, "Continue"))
    words = _plan_pages(2) + _odd_lines(3, 100.0) + anchor_row
    assert _plan_end(words, 3) == (None, "")


def test_an_id_inside_a_cell_is_not_a_row_anchor():
    """'... (Previously CI001 in ...)' wraps in the id column: the line opens with 'services'."""
    reference = _row(3, 300.0, (1, "services (Previously CI001 in the draft)"))
    words = _plan_pages(2) + _odd_lines(3, 100.0) + reference
    end, _ = _plan_end(words, 3)
    assert end == (3, 100.0)


def _word_at(page: int, top: float) -> Word:
    return Word("text", page, 100.0, top, 120.0, top + 9.0)


def test_the_page_an_appendix_opens_is_not_the_plans():
    bounds = PlanBounds((1, float("-inf")), (30, 60.0), "a heading")
    plan_words = [_word_at(29, 500.0), _word_at(30, 70.0)]  # nothing of the plan above 60 on page 30
    assert [n for n in range(1, 32) if bounds.holds_page(n, 2, plan_words)] == list(range(2, 30))


def test_the_page_the_plan_ends_on_midway_is_the_plans():
    bounds = PlanBounds((1, float("-inf")), (30, 400.0), "a heading")
    plan_words = [_word_at(29, 500.0), _word_at(30, 80.0)]
    assert bounds.holds_page(30, 2, plan_words) and not bounds.holds_page(31, 2, plan_words)


def test_a_plan_running_to_the_end_of_the_pdf_holds_every_page_from_its_header():
    bounds = PlanBounds((1, float("-inf")), None)
    assert [n for n in range(1, 6) if bounds.holds_page(n, 2, [])] == [2, 3, 4, 5]


def _page_with_rules(rules: list[Rule]) -> PageLayout:
    return PageLayout(1, 842.0, 1191.0, (), (), tuple(rules))


def test_columns_snap_to_the_tables_own_borders():
    header = HeaderRow(1, 400.0, 420.0, _header(1).cells)
    borders = [Rule(x - 5.0, 395.0, x - 4.5, 1100.0) for x in LEFTS[1:]]
    assert _snap_to_rules(LEFTS, _page_with_rules(borders), header) == (LEFTS[0], *(x - 5.0 for x in LEFTS[1:]))


def test_a_heatmap_grid_above_the_header_does_not_move_the_columns():
    """The heatmap's cell borders, printed above the header on the same page, fall between
    the plan's labels; the table below has no vertical borders of its own."""
    header = HeaderRow(1, 400.0, 420.0, _header(1).cells)
    heatmap = [Rule(x, 100.0, x + 0.5, 380.0) for x in (300.0, 450.0, 650.0)]
    assert _snap_to_rules(LEFTS, _page_with_rules(heatmap), header) == LEFTS


def test_an_id_a_cells_padding_after_a_long_theme_label_is_the_last_row_anchor():
    # The theme label runs up to its cell's edge ("5. Use of Re-"): the id in the next
    # column is a cell's padding from it, closer than a run gap, but opens that cell.
    from actionplan.extract.bounds import _plan_anchors
    from actionplan.extract.columns import Columns
    from actionplan.extract.geometry import make_line
    from actionplan.schema.records import Word

    columns = Columns((40.0, 115.0, 250.0), ("theme_score", "characteristic", "opportunity"), 5.0)
    words = [Word("5.", 3, 42, 300, 50, 310), Word("Use", 3, 53, 300, 70, 310), Word("of", 3, 73, 300, 82, 310),
             Word("Re-", 3, 85, 300, 110, 310), Word("R001:", 3, 117, 300, 142, 310),
             Word("The", 3, 160, 300, 178, 310)]
    earlier = make_line([Word("L004", 2, 117, 90, 140, 100)], float("inf"))
    line = make_line(words, float("inf"))
    assert max(_plan_anchors([earlier, line], {2: columns, 3: columns})) == (3, 300)
