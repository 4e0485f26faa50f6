"""A dataset of every revision: hive-partitioned Parquet that DuckDB, Polars and
pyarrow.dataset read as it is.

Layout::

    DIR/manifest.json                                   the revisions, in the order added
    DIR/<table>/revision=<label>/part-0.parquet         one partition per table and revision

``<label>`` is the revision label percent-escaped (``2025/26 draft`` ->
``2025%2F26%20draft``), which the three readers decode. Each file also keeps the contract's
own ``revision`` column, so a reader that ignores the folder names (or types a numeric
label as a number) still has the label as text. Tables: the extract contract's, plus
``changes`` from the previous revision (empty for the first), and ``overdue`` when the run
had ``--as-of``.

``action_key`` (in ``actions`` only) follows an action across revisions: when a revision is
added, its actions are matched to the previous revision's with the diff's matching
(characteristics by id or renumbering, actions by content) and inherit their keys; an
action with no match gets a new key, ``<element id>.<action no>`` as first printed (with
``@<revision>`` added if another action already had that key). Re-adding a revision
replaces its partitions and re-keys the revisions after it.

Replacing a revision: every table's new partition is written into a staging folder inside
DIR first; then each partition is swapped in by rename, and the manifest last. A reader
never sees a half-written file; during the swap it may see some tables of the new run and
some of the old (the renames are separate).
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from urllib.parse import quote

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from actionplan import __version__
from actionplan.diff.compare import diff_revisions
from actionplan.diff.match import pair_actions, pair_characteristics
from actionplan.diff.read import Revision, read_revision, revision_from_rows
from actionplan.errors import InputError
from actionplan.output import records_to_table
from actionplan.schema.tables import SCHEMA_VERSION, ContractValues, validate

MANIFEST = "manifest.json"
PART = "part-0.parquet"
EXTRACT_TABLES = ("characteristics", "actions", "themes", "heatmap", "repairs", "issues")
OPTIONAL_TABLES = ("dropped", "overdue")  # dropped: folders of schema 1.0 lack it
ACTION_KEY = pa.field("action_key", pa.string(), nullable=False)
KEY_TABLES = ("characteristics", "actions", "themes", "heatmap")  # what keying a revision reads


def partition(dataset: Path, table: str, label: str) -> Path:
    return Path(dataset) / table / f"revision={quote(label, safe='')}"


# ------------------------------------------------------------------ adding revisions


def add_revisions(dataset: Path, folders: Sequence[Path]) -> None:
    """Add (or replace) each extract output folder's revision, in the order given."""
    for folder in folders:
        add_revision(dataset, folder)


def add_revision(dataset: Path, folder: Path) -> str:
    """Add one extract output folder to the dataset; returns its revision label."""
    dataset = Path(dataset)
    manifest = read_manifest(dataset)
    revision = read_revision(folder)
    labels = [entry["revision"] for entry in manifest["revisions"]]
    entry = {"revision": revision.label, "source": revision.manifest.get("source"),
             "as_of": revision.manifest.get("as_of"),
             "contract": ContractValues.from_manifest(revision.manifest).as_manifest()}
    if revision.label in labels:
        index = labels.index(revision.label)
        manifest["revisions"][index] = entry
    else:
        index = len(labels)
        manifest["revisions"].append(entry)
        labels.append(revision.label)
    previous = _stored_revision(dataset, labels[index - 1]) if index else None
    tables = {name: pq.read_table(Path(folder) / f"{name}.parquet") for name in EXTRACT_TABLES + OPTIONAL_TABLES
              if (Path(folder) / f"{name}.parquet").is_file()}
    tables.update(_keyed_tables(dataset, revision, previous, tables["actions"]))
    replace_partitions(dataset, revision.label, tables)
    for later in labels[index + 1:]:  # their keys were inherited through this revision
        stored, _ = _stored_revision(dataset, later)
        before = _stored_revision(dataset, labels[labels.index(later) - 1])
        plain = pq.read_table(partition(dataset, "actions", later) / PART).drop_columns([ACTION_KEY.name])
        replace_partitions(dataset, later, _keyed_tables(dataset, stored, before, plain))
    _write_manifest(dataset, manifest)
    return revision.label


def _keyed_tables(dataset: Path, revision: Revision, previous: tuple[Revision, dict] | None,
                  actions: pa.Table) -> dict[str, pa.Table]:
    """``actions`` with its action_key column, and ``changes`` from the previous revision."""
    if previous is None:
        keys = new_keys(revision, {}, set())
        changes = records_to_table("changes", ())
    else:
        before, before_keys = previous
        used = _keys_in(dataset, exclude=revision.label)
        keys = new_keys(revision, inherited_keys(before, revision, before_keys), used)
        changes = records_to_table("changes", diff_revisions(before, revision))
    column = [keys[(row["element_id"], row["action_no"])]
              for row in actions.select(["element_id", "action_no"]).to_pylist()]
    return {"actions": actions.append_column(ACTION_KEY, pa.array(column, pa.string())), "changes": changes}


def inherited_keys(before: Revision, after: Revision, before_keys: Mapping[tuple[str, int], str]
                   ) -> dict[tuple[str, int], str]:
    """(element id, action no) of ``after`` -> the key of its match in ``before``."""
    keys = {}
    for old_id, new_id in pair_characteristics(before, after).compared:
        for old, new, _ in pair_actions(before.actions.get(old_id, ()), after.actions.get(new_id, ())):
            key = before_keys.get((old.element_id, old.action_no))
            if key is not None:
                keys[(new.element_id, new.action_no)] = key
    return keys


def new_keys(revision: Revision, inherited: Mapping[tuple[str, int], str], used: set[str]
             ) -> dict[tuple[str, int], str]:
    """Every action's key: inherited where matched, else a new one (never one in ``used``)."""
    keys = dict(inherited)
    taken = set(used) | set(inherited.values())
    for action in revision.all_actions():
        where = (action.element_id, action.action_no)
        if where in keys:
            continue
        key = f"{action.element_id}.{action.action_no}"
        if key in taken:
            key = f"{key}@{revision.label}"
        keys[where] = key
        taken.add(key)
    return keys


def _stored_revision(dataset: Path, label: str) -> tuple[Revision, dict[tuple[str, int], str]]:
    """A revision read back from the dataset, and its actions' keys."""
    tables = {name: pq.read_table(partition(dataset, name, label) / PART) for name in KEY_TABLES}
    keys = {(r["element_id"], r["action_no"]): r[ACTION_KEY.name]
            for r in tables["actions"].select(["element_id", "action_no", ACTION_KEY.name]).to_pylist()}
    tables["actions"] = tables["actions"].drop_columns([ACTION_KEY.name])
    rows = {name: table.to_pylist() for name, table in tables.items()}
    return revision_from_rows(label, rows, {}), keys


def _keys_in(dataset: Path, exclude: str) -> set[str]:
    root = Path(dataset) / "actions"
    keys: set[str] = set()
    for part in root.glob(f"revision=*/{PART}") if root.is_dir() else ():
        if part.parent.name != f"revision={quote(exclude, safe='')}":
            keys.update(pq.read_table(part, columns=[ACTION_KEY.name]).column(0).to_pylist())
    return keys


# ------------------------------------------------------------------ writing safely


def replace_partitions(dataset: Path, label: str, tables: Mapping[str, pa.Table]) -> None:
    """Write every table's partition for ``label`` into a staging folder, then swap each in."""
    dataset.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".staging-", dir=dataset))
    try:
        for name, table in tables.items():
            folder = staging / "new" / name
            folder.mkdir(parents=True)
            pq.write_table(table, folder / PART)
        for name in tables:
            target = partition(dataset, name, label)
            target.parent.mkdir(parents=True, exist_ok=True)
            if target.exists():
                os.replace(target, staging / f"old-{name}")
            os.replace(staging / "new" / name, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def read_manifest(dataset: Path) -> dict:
    path = Path(dataset) / MANIFEST
    if not path.exists():
        if Path(dataset).exists() and any(Path(dataset).iterdir()):
            raise InputError(f"--dataset {dataset}: a folder that is not an actionplan dataset (no {MANIFEST})")
        return {"kind": "dataset", "revisions": []}
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None
    if manifest.get("kind") != "dataset":
        raise InputError(f"--dataset {dataset}: not an actionplan dataset (its {MANIFEST} is another kind)")
    return manifest


def _write_manifest(dataset: Path, manifest: dict) -> None:
    manifest.update(schema_version=SCHEMA_VERSION, package_version=__version__)
    staged = Path(dataset) / f".{MANIFEST}.tmp"
    staged.write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(staged, Path(dataset) / MANIFEST)


# ------------------------------------------------------------------ reading


def load_dataset(dataset: str | Path) -> dict[str, pd.DataFrame]:
    """Every table of a dataset as one DataFrame over all revisions, in the order they were
    added, with ``actionplan.load``'s dtypes (and ``action_key`` in ``actions``)."""
    from actionplan.loading import frame_of

    dataset = Path(dataset)
    if not (dataset / MANIFEST).is_file():
        raise InputError(f"{dataset}: not an actionplan dataset (no {MANIFEST})")
    entries = read_manifest(dataset)["revisions"]
    values = {e["revision"]: ContractValues.from_manifest(e) for e in entries}
    # Every revision's score words, for one categorical over all of them.
    every = ContractValues(scores=tuple(dict.fromkeys(s for v in values.values() for s in v.scores)))
    frames = {}
    for name in EXTRACT_TABLES + OPTIONAL_TABLES + ("changes",):
        parts = [pq.read_table(partition(dataset, name, label) / PART) for label in values
                 if (partition(dataset, name, label) / PART).is_file()]
        if parts:
            table = pa.concat_tables(parts, promote_options="default")
            core = table.drop_columns([ACTION_KEY.name]) if ACTION_KEY.name in table.schema.names else table
            validate(name, core, values=every)
            frames[name] = frame_of(table, name, every)
    return frames
