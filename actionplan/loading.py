"""Notebook use: ``actionplan.load(DIR)`` -> the tables as pandas DataFrames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from actionplan.errors import InputError
from actionplan.schema.tables import SCHEMAS, SCORE_ORDER

SCORE_DTYPE = pd.CategoricalDtype(categories=list(SCORE_ORDER), ordered=True)
# numpy integers cannot hold a null, so pandas would turn int columns with nulls into floats.
INTEGER_DTYPES = {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}
TABLES = ("characteristics", "actions", "themes", "heatmap", "repairs", "issues", "dropped", "overdue", "changes")


def load(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read an output folder's Parquet tables (of ``extract`` or ``diff``). Dates are
    datetime64, integers pandas' nullable Int32 (an integer column with nulls stays integer),
    list columns Python lists of str, ``score`` an ordered categorical (GREY < RED < AMBER <
    YELLOW < LIGHT GREEN < DARK GREEN; GREY means "not in officers' control")."""
    folder = Path(folder)
    if not (folder / "manifest.json").is_file():
        raise InputError(f"{folder}: not an output folder of `actionplan extract` or `diff` (no manifest.json)")
    return {name: _frame(folder / f"{name}.parquet", name) for name in TABLES
            if (folder / f"{name}.parquet").is_file()}


def _frame(path: Path, name: str) -> pd.DataFrame:
    return frame_of(pq.read_table(path), name)


def frame_of(table: pa.Table, name: str) -> pd.DataFrame:
    """A contract table -> a DataFrame with the notebook dtypes described in ``load``."""
    frame = table.to_pandas(types_mapper=INTEGER_DTYPES.get)
    for field in SCHEMAS[name]:
        column = field.name
        if str(field.type).startswith("list"):
            frame[column] = frame[column].map(lambda v: [] if v is None else [x for x in v])
        elif str(field.type) == "date32[day]":
            frame[column] = pd.to_datetime(frame[column])
    if "score" in frame.columns:
        frame["score"] = frame["score"].astype(SCORE_DTYPE)
    return frame
