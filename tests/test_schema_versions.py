"""Reading output folders back (``actionplan.load``, ``diff``): any folder of the same major
schema version, its missing columns as nulls; another major version, or a damaged table,
is one printable line."""

from __future__ import annotations

import json

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import actionplan
from actionplan.errors import InputError
from actionplan.schema.tables import SCHEMA_VERSION
from clirun import assert_one_line_error, run
from conftest import SAMPLES

SAMPLE = SAMPLES / "fixtures" / "two-owner-pairs-in-one-cell" / "two-owner-pairs-in-one-cell.pdf"


@pytest.fixture
def folders(tmp_path, capsys):
    """Two extract outputs of the same PDF: (old, new)."""
    old, new = tmp_path / "old", tmp_path / "new"
    for folder in (old, new):
        assert run(capsys, "extract", SAMPLE, "--out", folder)[0] == 0
    return old, new


def set_version(folder, version: str) -> None:
    manifest = json.loads((folder / "manifest.json").read_text())
    manifest["schema_version"] = version
    (folder / "manifest.json").write_text(json.dumps(manifest))


def test_the_schema_version_is_major_dot_minor():
    major, minor = SCHEMA_VERSION.split(".")
    assert major.isdigit() and minor.isdigit()


def test_a_folder_of_an_older_minor_version_reads_its_missing_column_as_nulls(folders, tmp_path, capsys):
    old, new = folders
    actions = pq.read_table(old / "actions.parquet")
    pq.write_table(actions.drop_columns(["timeline_ambiguous"]), old / "actions.parquet")
    set_version(old, SCHEMA_VERSION.split(".")[0] + ".0")
    frame = actionplan.load(old)["actions"]
    assert frame["timeline_ambiguous"].isna().all() and len(frame) == actions.num_rows
    code, out, err = run(capsys, "diff", old, new, "--out", tmp_path / "diff")
    assert code == 0, err
    assert "no changes" in out


def test_a_folder_of_a_later_minor_version_keeps_its_extra_column_for_analysts(folders, tmp_path, capsys):
    old, new = folders
    actions = pq.read_table(old / "actions.parquet")
    pq.write_table(actions.append_column("risk", pa.array(["high"] * actions.num_rows)), old / "actions.parquet")
    set_version(old, SCHEMA_VERSION.split(".")[0] + ".99")
    assert list(actionplan.load(old)["actions"]["risk"]) == ["high"] * actions.num_rows
    assert run(capsys, "diff", old, new, "--out", tmp_path / "diff")[0] == 0


@pytest.mark.parametrize("version", ["2.0", "0.9", "one", None])
def test_another_major_version_is_refused_in_one_line(folders, tmp_path, capsys, version):
    old, new = folders
    set_version(old, version)
    with pytest.raises(InputError, match="schema"):
        actionplan.load(old)
    code, _, err = run(capsys, "diff", old, new, "--out", tmp_path / "diff")
    assert_one_line_error(code, err, "schema_version" if version in ("one", None) else f"schema {version}")


def test_a_damaged_table_is_one_printable_line(folders, tmp_path, capsys):
    old, new = folders
    (old / "actions.parquet").write_bytes(b"PAR1\x00\x01\x02garbage\n\x1b[31mred\r\nPAR1")
    code, _, err = run(capsys, "diff", old, new, "--out", tmp_path / "diff")
    assert_one_line_error(code, err, "actions.parquet", "unreadable")
