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


def test_an_id_a_cells_padding_after_a_long_theme_label_is_the_last_row_anchor():
    # The theme label runs up to its cell's edge ("5. Use of Re-"): the id in the next
    # column is a cell's padding from it, closer than a run gap, but opens that cell.
    from actionplan.extract.bounds import _last_anchor
    from actionplan.extract.columns import Columns
    from actionplan.extract.geometry import make_line
    from actionplan.schema.records import Word

    columns = Columns((40.0, 115.0, 250.0), ("theme_score", "characteristic", "opportunity"), 5.0)
    words = [Word("5.", 3, 42, 300, 50, 310), Word("Use", 3, 53, 300, 70, 310), Word("of", 3, 73, 300, 82, 310),
             Word("Re-", 3, 85, 300, 110, 310), Word("R001:", 3, 117, 300, 142, 310),
             Word("The", 3, 160, 300, 178, 310)]
    earlier = make_line([Word("L004", 2, 117, 90, 140, 100)], float("inf"))
    line = make_line(words, float("inf"))
    assert _last_anchor([earlier, line], {2: columns, 3: columns}) == (3, 300)
