"""Write contract tables (Parquet + CSV) and the manifest into a folder, atomically."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from actionplan.schema.tables import DERIVED, SCHEMAS, validate

LIST_SEPARATOR = "; "


def records_to_table(table_name: str, records: Iterable[object]) -> pa.Table:
    """Typed records (dataclasses) -> a pyarrow table of the declared schema, validated."""
    schema = SCHEMAS[table_name]
    rows = [dataclasses.asdict(r) if dataclasses.is_dataclass(r) else dict(r) for r in records]
    for row in rows:
        row.update(derived_values(table_name, row))
    columns = {name: [_plain(row.get(name)) for row in rows] for name in schema.names}
    table = pa.table(columns, schema=schema)
    validate(table_name, table)
    return table


def derived_values(table_name: str, row: dict) -> dict:
    """The row's DERIVED columns (score_rank from score), computed, never taken from input."""
    return {column: mapping.get(row.get(source))
            for (name, column), (source, mapping) in DERIVED.items() if name == table_name}


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def write_table(folder: Path, table_name: str, table: pa.Table) -> None:
    pq.write_table(table, folder / f"{table_name}.parquet")
    pacsv.write_csv(_csv_friendly(table), folder / f"{table_name}.csv")


def _csv_friendly(table: pa.Table) -> pa.Table:
    """List columns joined with '; ', so the CSV stays one value per cell."""
    columns = []
    for fld, column in zip(table.schema, table.columns):
        if pa.types.is_list(fld.type):
            joined = [
                None if v is None else LIST_SEPARATOR.join(str(x) for x in v)
                for v in column.to_pylist()
            ]
            # An empty list is an empty cell, like a null: CSV cannot tell them apart.
            columns.append(pa.array([v or "" for v in joined], pa.string()))
        else:
            columns.append(column)
    return pa.table(columns, names=table.schema.names)


def write_manifest(folder: Path, manifest: dict) -> None:
    text = json.dumps(manifest, indent=2, sort_keys=True, default=str)
    (folder / "manifest.json").write_text(text + "\n", encoding="utf-8")


@contextlib.contextmanager
def atomic_folder(target: Path) -> Iterator[Path]:
    """Yield a temporary folder beside ``target``; on success it replaces ``target``.

    On any failure the temporary folder is removed and ``target`` is left as it was, so a
    reader never sees a half-written output.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace(staging, target)


def _replace(staging: Path, target: Path) -> None:
    if not target.exists():
        os.replace(staging, target)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{target.name}.old.", dir=target.parent))
    os.rmdir(retired)
    os.replace(target, retired)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)
