"""The output contract: declared schemas, validation reporting every violation at once, the
CSV form, and the notebook loader with its dtypes (and the README's example)."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv
import pytest

import actionplan
from actionplan.output import records_to_table, write_table
from actionplan.schema.records import Action
from actionplan.schema.tables import SCHEMAS, ContractViolation, validate
from conftest import ROOT, SAMPLES


def _action(**changes) -> Action:
    values = dict(
        revision="r", element_id="CI001", action_no=1, opportunity="o", recommendation="r",
        owner_timeline="CLT, Q2 2024.", owners=("CLT", "SLT"), owner_names=("Corporate Leadership Team", "Senior Leadership Team"),
        timeline="Q2 2024", timeline_start=date(2024, 7, 1), timeline_end=date(2024, 9, 30),
        timeline_kind="quarter", timeline_ambiguous=False, page=1,
    )
    values.update(changes)
    return Action(**values)


def test_validation_reports_every_violation_at_once():
    bad = [
        _action(timeline_kind="soon"),
        _action(timeline_kind="ongoing"),  # dates must be null for ongoing
        _action(timeline_start=date(2025, 1, 1), timeline_end=date(2024, 1, 1)),
    ]
    with pytest.raises(ContractViolation) as error:
        records_to_table("actions", bad)
    messages = error.value.violations
    assert any("'soon'" in m for m in messages)
    assert any("must have null dates" in m for m in messages)
    assert any("after timeline_end" in m for m in messages)


def test_schema_mismatch_names_each_column():
    table = pa.table({"revision": ["r"], "element_id": [1]})
    with pytest.raises(ContractViolation) as error:
        validate("themes", table)
    text = str(error.value)
    assert "missing column 'theme_no'" in text and "unexpected column 'element_id'" in text


def test_csv_joins_lists_and_writes_iso_dates(tmp_path):
    write_table(tmp_path, "actions", records_to_table("actions", [_action()]))
    row = pacsv.read_csv(tmp_path / "actions.csv").to_pylist()[0]
    assert row["owners"] == "CLT; SLT"
    assert str(row["timeline_start"]) == "2024-07-01"


def test_every_table_has_a_declared_schema():
    for name in ("characteristics", "actions", "themes", "heatmap", "repairs", "issues", "changes"):
        assert isinstance(SCHEMAS[name], pa.Schema)


def test_load_gives_notebook_dtypes(extracted):
    folder = extracted(SAMPLES / "fixtures" / "row-breaks-across-page" / "row-breaks-across-page.pdf")
    tables = actionplan.load(folder)
    actions, chars = tables["actions"], tables["characteristics"]
    assert pd.api.types.is_datetime64_any_dtype(actions["timeline_end"])
    assert all(isinstance(v, list) for v in actions["owners"])
    assert all(isinstance(x, str) for v in actions["owners"] for x in v)
    assert isinstance(chars["score"].dtype, pd.CategoricalDtype) and chars["score"].dtype.ordered
    assert list(chars["score"].cat.categories) == ["GREY", "RED", "AMBER", "YELLOW", "LIGHT GREEN", "DARK GREEN"]


def test_load_refuses_a_folder_that_is_not_an_output(tmp_path):
    with pytest.raises(actionplan.errors.InputError):
        actionplan.load(tmp_path)


def test_readme_notebook_example_runs(extracted, tmp_path, monkeypatch):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    example = re.search(r"```python\n(import actionplan.*?)```", readme, re.S).group(1)
    folder = extracted(SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf")
    (tmp_path / "outputs").mkdir()
    (tmp_path / "outputs" / "appendix-a-2024").symlink_to(folder)
    monkeypatch.chdir(tmp_path)
    namespace: dict = {}
    exec(example, namespace)  # noqa: S102 - the README's own example
    due = namespace["due"]
    assert len(due) > 0 and (due["timeline_end"] < "2025-01-01").all()
    assert "complete" not in set(due["timeline_kind"])


def test_every_profile_column_names_a_contract_field_for_its_issues():
    # An issue about a column (its label not read, say) points at the output field holding its
    # text; the profile's own column names ('characteristic', 'theme_score') are none
    # (seed-7 s43-docx ended in an internal error, exit 3, on 'characteristic').
    from actionplan.extract.columns import EXTRA_PREFIX
    from actionplan.normalise.pipeline import output_field
    from actionplan.schema.profile import FIELDS
    from actionplan.schema.tables import _contract_fields
    for column in FIELDS + (EXTRA_PREFIX + "Ward",):
        assert output_field(column) in _contract_fields(), column
