"""Reading output folders back: ``actionplan.load(DIR)`` (pandas DataFrames, for notebooks)
and ``read_manifest`` / ``read_table`` (pyarrow, for ``diff``).

A folder of any version with the same MAJOR schema version as this package is read: a
column it lacks (written before a minor bump added it) comes back as nulls. Another major
version is refused with one line.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pyarrow as pa

from actionplan.errors import InputError, one_line
from actionplan.schema.tables import SCHEMA_VERSION, SCHEMAS, ContractValues, ContractViolation, validate

TABLES = ("characteristics", "actions", "themes", "heatmap", "repairs", "issues", "dropped", "overdue", "changes")


def load(folder: str | Path) -> dict:
    """Read an output folder's Parquet tables (of ``extract`` or ``diff``) as pandas
    DataFrames. Dates are datetime64, integers pandas' nullable Int32 (an integer column with
    nulls stays integer), list columns Python lists of str, ``extra`` a dict (header label -> text), ``score`` an ordered categorical
    (GREY < RED < AMBER < YELLOW < LIGHT GREEN < DARK GREEN; GREY means "not in officers'
    control")."""
    folder = Path(folder)
    values = ContractValues.from_manifest(read_manifest(folder))
    return {name: frame_of(read_table(folder, name, keep_extra=True), name, values) for name in TABLES
            if (folder / f"{name}.parquet").is_file()}


def read_manifest(folder: Path) -> dict:
    """The folder's manifest.json, once its schema version is one this package reads."""
    path = Path(folder) / "manifest.json"
    if not path.is_file():
        raise InputError(f"{folder}: not an output folder of `actionplan extract` or `diff` (no manifest.json)")
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: not a readable manifest ({one_line(exc)})") from None
    if not isinstance(manifest, dict):
        raise InputError(f"{path}: not a readable manifest (not a JSON object)")
    _check_major(manifest.get("schema_version"), path)
    return manifest


def _check_major(version: object, path: Path) -> None:
    ours = SCHEMA_VERSION.split(".")[0]
    parts = version.split(".") if isinstance(version, str) else []
    if len(parts) != 2 or not all(p.isdigit() for p in parts):
        raise InputError(f"{path}: schema_version {version!r} is not MAJOR.MINOR")
    if parts[0] != ours:
        raise InputError(f"{path}: written with output schema {version}; this actionplan reads "
                         f"schema {ours}.x (output schema {SCHEMA_VERSION}): use a matching "
                         "actionplan, or extract the PDF again")


def read_table(folder: Path, name: str, keep_extra: bool = False) -> pa.Table:
    """``<name>.parquet`` of an output folder in the declared schema: columns it lacks are
    nulls, columns it has beyond the declaration are dropped unless ``keep_extra``. Values
    are checked against those the folder was written with (its manifest's ``contract``)."""
    import pyarrow.parquet as pq

    path = Path(folder) / f"{name}.parquet"
    if not path.is_file():
        raise InputError(f"{folder}: incomplete output folder (no {name}.parquet)")
    try:
        table = pq.read_table(path)
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise InputError(f"{path}: unreadable ({one_line(exc)})") from None
    declared = SCHEMAS[name]
    for field in declared:
        if field.name in table.schema.names and table.schema.field(field.name).type != field.type:
            raise InputError(f"{path}: does not match the {name} schema (column {field.name!r} is "
                             f"{table.schema.field(field.name).type}, expected {field.type})")
    absent = tuple(f.name for f in declared if f.name not in table.schema.names)
    columns = [table.column(f.name) if f.name not in absent else pa.nulls(len(table), f.type)
               for f in declared]
    conformed = pa.Table.from_arrays(columns, schema=declared)
    try:
        validate(name, conformed, absent, _folder_values(folder))
    except ContractViolation as exc:
        raise InputError(f"{path}: does not match the {name} schema ({exc.violations[0]})") from None
    if keep_extra:
        for column in table.schema.names:
            if column not in declared.names:
                conformed = conformed.append_column(table.schema.field(column), table.column(column))
    return conformed


def _folder_values(folder: Path) -> ContractValues:
    try:
        manifest = json.loads((Path(folder) / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = {}
    return ContractValues.from_manifest(manifest if isinstance(manifest, dict) else {})


def frame_of(table: pa.Table, name: str, values: ContractValues | None = None):
    """A contract table -> a DataFrame with the notebook dtypes described in ``load``."""
    import pandas as pd  # only notebooks pay for pandas

    # numpy integers cannot hold a null, so pandas would turn int columns with nulls into floats.
    integers = {pa.int32(): pd.Int32Dtype(), pa.int64(): pd.Int64Dtype()}
    frame = table.to_pandas(types_mapper=integers.get)
    for field in SCHEMAS[name]:
        column = field.name
        if pa.types.is_list(field.type):
            frame[column] = frame[column].map(lambda v: [] if v is None else [x for x in v])
        elif pa.types.is_date(field.type):
            frame[column] = pd.to_datetime(frame[column])
    if "extra" in frame.columns:  # JSON text in the files; a dict of header label -> text here
        frame["extra"] = frame["extra"].map(lambda v: {} if v is None else json.loads(v))
    if "score" in frame.columns:
        order = list((values or ContractValues()).score_order)
        frame["score"] = frame["score"].astype(pd.CategoricalDtype(categories=order, ordered=True))
    return frame


def record(kind: type, row: dict):
    """A table row -> its record type. List columns become tuples; columns the record does not
    hold (derived ones such as score_rank) are left out."""
    names = {f.name for f in dataclasses.fields(kind)}
    return kind(**{k: tuple(v) if isinstance(v, list) else v for k, v in row.items() if k in names})
