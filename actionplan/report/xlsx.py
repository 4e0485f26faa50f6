"""``plan.xlsx``: the contract tables as one Excel workbook, for people who work in Excel.

One sheet per table, in the CSVs' column order; the header row frozen and filtered; score
cells filled with the plan's colours (and still holding the word); dates as real Excel
dates; list columns joined with "; " as in the CSV; widths fitted to the content, long
texts wrapped. Written with XlsxWriter: write-only, no dependencies of its own, and its
output is what Excel itself writes (it is tested against files Excel saved).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path

import pyarrow as pa
import xlsxwriter

from actionplan.output import LIST_SEPARATOR
from actionplan.report.html import text_colour

DATE_FORMAT = "yyyy-mm-dd"
# Column widths in characters: at least the header, at most this; longer texts wrap.
MAX_WIDTH = 60
SCORE_COLUMNS = ("score", "before", "after")  # filled when the value is a score word


def write_workbook(path: Path, tables: Mapping[str, pa.Table], colours: Mapping[str, str]) -> None:
    # in memory: each sheet's XML goes straight into the zip, not through a temporary file
    # (5 ms of an 18-page plan's 45; the workbook of a 400-page plan is a few MB)
    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True})
    formats = _Formats(workbook, colours)
    for name, table in tables.items():
        _write_sheet(workbook.add_worksheet(name[:31]), table, formats)
    workbook.close()


class _Formats:
    """XlsxWriter formats, each made once (a workbook has a limit on distinct formats)."""

    def __init__(self, workbook, colours: Mapping[str, str]):
        self.header = workbook.add_format({"bold": True, "bg_color": "#EEEEEE", "border": 1})
        self.date = workbook.add_format({"num_format": DATE_FORMAT})
        self.wrap = workbook.add_format({"text_wrap": True, "valign": "top"})
        self.scores = {
            score: workbook.add_format({"bg_color": colour, "font_color": text_colour(colour), "border": 1})
            for score, colour in colours.items()
        }


def _write_sheet(sheet, table: pa.Table, formats: _Formats) -> None:
    names = table.schema.names
    for col, name in enumerate(names):
        sheet.write_string(0, col, name, formats.header)
    columns = [_cells(table.column(name).to_pylist()) for name in names]
    for col, (fld, values) in enumerate(zip(table.schema, columns)):
        wrap = any(isinstance(v, str) and len(v) > MAX_WIDTH for v in values)
        for row, value in enumerate(values, start=1):
            _write_cell(sheet, row, col, fld.name, value, formats, wrap)
        sheet.set_column(col, col, _width(fld.name, values), formats.wrap if wrap else None)
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(table.num_rows, 1), max(len(names) - 1, 0))


def _cells(values: list) -> list:
    return [LIST_SEPARATOR.join(str(x) for x in v) if isinstance(v, list) else v for v in values]


def _write_cell(sheet, row: int, col: int, column: str, value, formats: _Formats, wrap: bool) -> None:
    if value is None:
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float)):
        sheet.write_number(row, col, value)
    elif isinstance(value, date):
        sheet.write_datetime(row, col, value, formats.date)
    elif column in SCORE_COLUMNS and value in formats.scores:
        sheet.write_string(row, col, value, formats.scores[value])
    else:
        sheet.write_string(row, col, value, formats.wrap if wrap else None)


def _width(header: str, values: list) -> int:
    longest = max((len(_shown(v)) for v in values if v is not None), default=0)
    return min(max(len(header), longest) + 2, MAX_WIDTH)


def _shown(value) -> str:
    if isinstance(value, date):
        return "0000-00-00"
    return max(str(value).split("\n"), key=len) if isinstance(value, str) and value else str(value)
