"""Reports for the people who read the plan: ``report.html`` (extract and diff) and
``plan.xlsx``. Each reads the validated contract tables, never the PDF."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyarrow as pa

WORKBOOK = "plan.xlsx"
HTML_REPORT = "report.html"


def write_plan_reports(folder: Path, tables: Mapping[str, pa.Table], manifest: Mapping) -> None:
    """report.html and plan.xlsx of an extract run, beside its tables."""
    from actionplan.report.html import score_colours
    from actionplan.report.plan_html import render_plan_report
    from actionplan.report.source import PlanTables
    from actionplan.report.xlsx import write_workbook

    plan = PlanTables.from_tables(tables, manifest)
    (folder / HTML_REPORT).write_text(render_plan_report(plan), encoding="utf-8")
    write_workbook(folder / WORKBOOK, tables, score_colours(manifest))
