"""Reading a revision: an output folder of ``actionplan extract`` -> a typed Revision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from actionplan.errors import InputError
from actionplan.loading import read_manifest, read_table, record
from actionplan.overdue import Overdue, overdue_actions
from actionplan.schema.records import Action, Characteristic, HeatmapEntry, Theme

REQUIRED_TABLES = ("characteristics", "actions", "themes")


@dataclass(frozen=True)
class Revision:
    """One revision of the plan, as the diff needs it. Mappings keep document order."""

    label: str
    themes: Mapping[int, Theme]
    characteristics: Mapping[str, Characteristic]
    actions: Mapping[str, tuple[Action, ...]]  # element id -> its actions, in order
    heatmap: tuple[HeatmapEntry, ...] = ()
    manifest: Mapping = field(default_factory=dict)  # the extract run's manifest.json

    def theme_of(self, element_id: str) -> int | None:
        found = self.characteristics.get(element_id)
        return found.theme_no if found else None

    def all_actions(self) -> tuple[Action, ...]:
        return tuple(a for group in self.actions.values() for a in group)

    def overdue(self, as_of: date) -> tuple[Overdue, ...]:
        themes = {eid: c.theme_no for eid, c in self.characteristics.items()}
        return overdue_actions(self.all_actions(), as_of, themes, self.label)


def read_revision(folder: Path) -> Revision:
    """An output folder of ``actionplan extract`` -> a Revision."""
    folder = Path(folder)
    manifest = _read_manifest(folder)
    if manifest.get("kind") == "diff" or manifest.get("command") == "diff":
        raise InputError(f"{folder}: an output folder of actionplan diff, not of actionplan extract")
    rows = {name: _read_rows(folder, name) for name in REQUIRED_TABLES}
    rows["heatmap"] = _read_rows(folder, "heatmap") if (folder / "heatmap.parquet").is_file() else []
    return revision_from_rows(str(manifest.get("revision") or folder.name), rows, manifest)


def revision_from_rows(label: str, rows: Mapping[str, list[dict]], manifest: Mapping) -> Revision:
    """Validated table rows (name -> rows as dicts) -> a Revision."""
    actions: dict[str, list[Action]] = {}
    for row in rows["actions"]:
        action = record(Action, row)
        actions.setdefault(action.element_id, []).append(action)
    return Revision(
        label=label,
        themes={t.theme_no: t for t in (record(Theme, row) for row in rows["themes"])},
        characteristics={c.element_id: c for c in (record(Characteristic, r) for r in rows["characteristics"])},
        actions={eid: tuple(sorted(group, key=lambda a: a.action_no)) for eid, group in actions.items()},
        heatmap=tuple(record(HeatmapEntry, row) for row in rows.get("heatmap", ())),
        manifest=manifest,
    )


def _read_manifest(folder: Path) -> dict:
    if not (folder / "manifest.json").is_file():
        raise InputError(f"{folder}: not a PDF or an output folder of actionplan extract (no manifest.json)")
    return read_manifest(folder)  # any folder of this major schema version


def _read_rows(folder: Path, name: str) -> list[dict]:
    return read_table(folder, name).to_pylist()  # columns an older minor version lacks are nulls


