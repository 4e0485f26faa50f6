"""Reading a revision: an output folder of ``actionplan extract`` -> a typed Revision."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

from actionplan.errors import InputError
from actionplan.schema.records import Action, Characteristic, Theme
from actionplan.schema.tables import ContractViolation, validate

REQUIRED_TABLES = ("characteristics", "actions", "themes")


@dataclass(frozen=True)
class Revision:
    """One revision of the plan, as the diff needs it. Mappings keep document order."""

    label: str
    themes: Mapping[int, Theme]
    characteristics: Mapping[str, Characteristic]
    actions: Mapping[str, tuple[Action, ...]]  # element id -> its actions, in order

    def theme_of(self, element_id: str) -> int | None:
        found = self.characteristics.get(element_id)
        return found.theme_no if found else None



def read_revision(folder: Path) -> Revision:
    """An output folder of ``actionplan extract`` -> a Revision."""
    folder = Path(folder)
    manifest = _read_manifest(folder)
    rows = {name: _read_rows(folder, name) for name in REQUIRED_TABLES}
    actions: dict[str, list[Action]] = {}
    for row in rows["actions"]:
        action = Action(**_tuples(row))
        actions.setdefault(action.element_id, []).append(action)
    return Revision(
        label=str(manifest.get("revision") or folder.name),
        themes={t.theme_no: t for t in (Theme(**row) for row in rows["themes"])},
        characteristics={c.element_id: c for c in (Characteristic(**_tuples(r)) for r in rows["characteristics"])},
        actions={eid: tuple(sorted(group, key=lambda a: a.action_no)) for eid, group in actions.items()},
    )


def _read_manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise InputError(f"{folder}: not a PDF or an output folder of actionplan extract (no manifest.json)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None


def _read_rows(folder: Path, name: str) -> list[dict]:
    path = folder / f"{name}.parquet"
    if not path.is_file():
        raise InputError(f"{folder}: incomplete output folder (no {name}.parquet)")
    try:
        table = pq.read_table(path)
        validate(name, table)
    except ContractViolation as exc:
        raise InputError(f"{path}: does not match the {name} schema ({exc.violations[0]})") from None
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise InputError(f"{path}: unreadable ({exc})") from None
    return table.to_pylist()


def _tuples(row: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}

