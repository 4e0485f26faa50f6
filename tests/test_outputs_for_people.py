"""plan.xlsx read back with openpyxl; the dataset read by DuckDB, Polars and pyarrow.dataset
over two revisions (and the README's DuckDB example run as written); several PDFs in one
extract; integer columns that stay integers."""

from __future__ import annotations

import csv
import json
import re
from datetime import date, datetime

import duckdb
import openpyxl
import polars as pl
import pyarrow.dataset as ds
import pyarrow.parquet as pq
import pytest

import actionplan
from actionplan.cli import main
from actionplan.dataset import add_revisions, partition
from actionplan.schema.tables import SCORE_ORDER
from conftest import ROOT, SAMPLES
from expected import load_expected

SAMPLE_2024 = SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf"
SAMPLE_2025 = SAMPLES / "appendix-a-2025" / "appendix-a-2025.pdf"
# How many actions each revision's hand-written source holds.
EXPECTED_ACTIONS = {pdf.stem: len(load_expected(pdf.parent / "source.json").actions)
                    for pdf in (SAMPLE_2024, SAMPLE_2025)}
FIXTURE = SAMPLES / "fixtures" / "horizontal-rules-only" / "horizontal-rules-only.pdf"
OTHER_FIXTURE = SAMPLES / "fixtures" / "no-rules-at-all" / "no-rules-at-all.pdf"
# The sample's key colours as samples/README.md states them.
SAMPLE_COLOURS = {"DARK GREEN": "00B050", "LIGHT GREEN": "92D050", "YELLOW": "FFFF00",
                  "AMBER": "FFC000", "RED": "FF0000", "GREY": "A6A6A6"}


# ---------------------------------------------------------------- the workbook


def test_workbook_has_every_table_with_fills_dates_frozen_filtered_headers(extracted):
    folder = extracted(SAMPLE_2024)
    book = openpyxl.load_workbook(folder / "plan.xlsx")
    assert book.sheetnames == ["characteristics", "actions", "themes", "heatmap", "repairs", "issues", "dropped"]
    for name in book.sheetnames:
        sheet = book[name]
        table = pq.read_table(folder / f"{name}.parquet")
        assert [c.value for c in sheet[1]] == table.schema.names
        assert sheet.max_row == table.num_rows + 1
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{sheet.cell(1, len(table.schema.names)).column_letter}{table.num_rows + 1}"
    chars = book["characteristics"]
    header = [c.value for c in chars[1]]
    scores = json.loads((SAMPLES / "appendix-a-2024" / "source.json").read_text(encoding="utf-8"))
    expected = {row["element_id"]: row["score"] for theme in scores["themes"] for row in theme["rows"]}
    for row in chars.iter_rows(min_row=2):
        values = dict(zip(header, row))
        score = expected[values["element_id"].value]
        assert values["score"].value == score  # the word is still there
        if score:
            assert values["score"].fill.fgColor.rgb[-6:] == SAMPLE_COLOURS[score]
            assert values["score_rank"].value == SCORE_ORDER.index(score)
    actions = book["actions"]
    header = [c.value for c in actions[1]]
    first = dict(zip(header, (c.value for c in actions[2])))
    assert first["element_id"] == "CI001" and first["timeline"] == "Q2 2024"
    assert first["timeline_end"] == datetime(2024, 9, 30)  # a real date, not text
    assert actions.cell(2, header.index("timeline_end") + 1).number_format == "yyyy-mm-dd"
    assert first["owners"] == "CLT" and isinstance(first["action_no"], int)
    assert 40 <= column_width(actions, header.index("recommendation") + 1) <= 62  # capped, wrapped
    assert actions.cell(2, header.index("recommendation") + 1).alignment.wrap_text
    assert column_width(actions, header.index("page") + 1) < 10  # narrow columns stay narrow


def column_width(sheet, index: int) -> float:
    """openpyxl keeps one dimension for a run of equally wide columns."""
    return next(d.width for d in sheet.column_dimensions.values() if d.min <= index <= d.max)


# ---------------------------------------------------------------- the dataset


@pytest.fixture(scope="module")
def dataset(extracted, tmp_path_factory):
    folder = tmp_path_factory.mktemp("dataset") / "dataset"
    add_revisions(folder, [extracted(SAMPLE_2024), extracted(SAMPLE_2025)])
    return folder


def test_dataset_layout_and_three_readers(dataset):
    for table in ("characteristics", "actions", "themes", "heatmap", "repairs", "issues", "changes"):
        for label in ("appendix-a-2024", "appendix-a-2025"):
            assert (dataset / table / f"revision={label}" / "part-0.parquet").is_file()
    counts = dict(duckdb.sql(f"SELECT revision, count(*) FROM read_parquet('{dataset}/actions/*/*.parquet') "
                             "GROUP BY revision").fetchall())
    assert counts == EXPECTED_ACTIONS  # the samples' bands, no copies
    frame = pl.scan_parquet(str(dataset / "characteristics"), hive_partitioning=True).collect()
    assert frame.height == 148 and frame.schema["revision"] == pl.String
    table = ds.dataset(dataset / "heatmap", format="parquet", partitioning="hive").to_table()
    assert table.num_rows == 148 and set(table.column("revision").to_pylist()) == {"appendix-a-2024", "appendix-a-2025"}


def test_score_rank_sorts_scores_in_sql(dataset):
    ranks = duckdb.sql(f"SELECT DISTINCT score, score_rank FROM read_parquet('{dataset}/heatmap/*/*.parquet') "
                       "WHERE score IS NOT NULL ORDER BY score_rank").fetchall()
    assert [s for s, _ in ranks] == [s for s in SCORE_ORDER if s in {s for s, _ in ranks}]
    assert all(rank == SCORE_ORDER.index(score) for score, rank in ranks)  # GREY 0 ... DARK GREEN 5


def test_action_keys_follow_actions_across_revisions(dataset):
    """Keys of the 2025 actions are those of their 2024 matches, per the hand-written
    expected changes: a changed action keeps its key, an added one gets a new one."""
    expected = json.loads((SAMPLES / "appendix-a-2025" / "expected-changes.json").read_text(encoding="utf-8"))
    tables = actionplan.load_dataset(dataset)
    actions = tables["actions"]
    key = {(r.revision, r.element_id, r.action_no): r.action_key for r in actions.itertuples()}
    assert actions.groupby("revision")["action_key"].nunique().to_dict() == EXPECTED_ACTIONS
    for row in expected:
        if row["change"] == "action_changed":
            assert key[("appendix-a-2025", row["element_id"], row["action_no_new"])] == \
                key[("appendix-a-2024", row["element_id"], row["action_no_old"])]
        if row["change"] == "action_added":
            new = key[("appendix-a-2025", row["element_id"], row["action_no_new"])]
            assert new not in set(actions.query("revision == 'appendix-a-2024'")["action_key"])
    removed = {(r["element_id"], r["action_no_old"]) for r in expected if r["change"] == "action_removed"}
    kept = set(actions.query("revision == 'appendix-a-2025'")["action_key"])
    for (eid, no), k in ((k[1:], v) for k, v in key.items() if k[0] == "appendix-a-2024"):
        assert (k in kept) == ((eid, no) not in removed), (eid, no)
    assert len(tables["changes"]) == len(expected)  # the changes into 2025, as data


def test_readme_duckdb_example_runs(dataset, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(import duckdb\n.*?)```", readme, re.S).group(1)
    monkeypatch.chdir(dataset.parent)
    scope: dict = {}
    exec(compile(example, "README.md", "exec"), scope)
    slipped = scope["slipped"].fetchall()
    # The 2025 sample's slipped end dates, from expected-changes.json: six moved, five later.
    assert [(r[0], r[1]) for r in slipped] == [("L006", 2), ("L004", 1), ("G001", 2), ("CI001", 1), ("CI007", 1)]


def test_readding_a_revision_replaces_its_partitions(dataset, extracted):
    before = actionplan.load_dataset(dataset)["actions"]
    add_revisions(dataset, [extracted(SAMPLE_2024)])
    after = actionplan.load_dataset(dataset)["actions"]
    assert len(after) == len(before) and after["action_key"].tolist() == before["action_key"].tolist()
    assert not [p for p in dataset.iterdir() if p.name.startswith(".")]  # no staging left behind
    manifest = json.loads((dataset / "manifest.json").read_text(encoding="utf-8"))
    assert [r["revision"] for r in manifest["revisions"]] == ["appendix-a-2024", "appendix-a-2025"]


def test_labels_are_escaped_for_paths_and_read_back_as_written(tmp_path):
    from actionplan.config import load_config
    from actionplan.pipeline import run_extract

    label = "2025/26 draft"
    folder = tmp_path / "plan"
    run_extract(FIXTURE, folder, revision=label, config=load_config(None))
    add_revisions(tmp_path / "ds", [folder])
    assert partition(tmp_path / "ds", "actions", label).name == "revision=2025%2F26%20draft"
    got = duckdb.sql(f"SELECT DISTINCT revision FROM read_parquet('{tmp_path}/ds/actions/*/*.parquet', "
                     "hive_partitioning = true)").fetchall()
    assert got == [(label,)]


# ---------------------------------------------------------------- several PDFs, integers


def test_several_pdfs_one_folder_each_worst_exit_code(tmp_path, capsys):
    out = tmp_path / "outs"
    code = main(["extract", str(FIXTURE), str(tmp_path / "missing.pdf"), str(OTHER_FIXTURE), "--out", str(out),
                 "--quiet", "--dataset", str(tmp_path / "ds"), "--as-of", "2025-04-01"])
    captured = capsys.readouterr()
    assert code == 2  # the missing file's; the others were still extracted
    # Beside each folder is its hidden lock file, .NAME.actionplan-lock (README, --out).
    folders = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
    assert folders == ["horizontal-rules-only", "no-rules-at-all"]
    assert captured.err.count("\n") == 1 and "missing.pdf" in captured.err
    assert "overdue on 2025-04-01" in captured.out
    manifest = json.loads((tmp_path / "ds" / "manifest.json").read_text(encoding="utf-8"))
    assert [r["revision"] for r in manifest["revisions"]] == ["horizontal-rules-only", "no-rules-at-all"]


@pytest.mark.parametrize("argv, message", [
    (lambda t: [str(FIXTURE), str(t / "x" / FIXTURE.name)], "same file stem"),
    (lambda t: [str(FIXTURE), str(OTHER_FIXTURE), "--revision", "2025"], "--revision names one revision"),
    (lambda t: [str(FIXTURE), "--as-of", "tomorrow"], "not a date"),
])
def test_several_pdfs_refused_before_anything_is_read(tmp_path, capsys, argv, message):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / FIXTURE.name).write_bytes(FIXTURE.read_bytes())
    assert main(["extract", *argv(tmp_path), "--out", str(tmp_path / "outs")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err
    assert not (tmp_path / "outs").exists()


def test_integer_columns_stay_integers_with_nulls(extracted):
    folder = extracted(SAMPLE_2024)
    issues = actionplan.load(folder)["issues"]
    assert str(issues["action_no"].dtype) == "Int32" and issues["action_no"].isna().all()
    for name in ("issues", "repairs"):  # in the CSVs too: "3", never "3.0"; empty for null
        with (folder / f"{name}.csv").open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        assert rows and all(re.fullmatch(r"\d*", r["action_no"]) and re.fullmatch(r"\d+", r["page"]) for r in rows)
    assert pq.read_table(folder / "issues.parquet").schema.field("action_no").type == "int32"
    chars = actionplan.load(folder)["characteristics"]
    assert str(chars["score_rank"].dtype) == "Int32"
    assert date(2024, 9, 30) == actionplan.load(folder)["actions"]["timeline_end"].iloc[0].date()
