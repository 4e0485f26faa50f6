"""What a report reads: the validated contract tables of one run, as typed records."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import pyarrow as pa

from actionplan.loading import record  # not via actionplan.diff: an extract run needs none of it
from actionplan.overdue import Overdue
from actionplan.schema.records import Action, Characteristic, HeatmapEntry, Issue, Repair, Theme

RECORD_TYPES = {
    "themes": Theme, "characteristics": Characteristic, "actions": Action, "heatmap": HeatmapEntry,
    "repairs": Repair, "issues": Issue, "overdue": Overdue,
}


@dataclass(frozen=True)
class PlanTables:
    """An extract run's tables, read back as records, for the reports."""

    manifest: Mapping
    themes: tuple[Theme, ...] = ()
    characteristics: tuple[Characteristic, ...] = ()
    actions: tuple[Action, ...] = ()
    heatmap: tuple[HeatmapEntry, ...] = ()
    repairs: tuple[Repair, ...] = ()
    issues: tuple[Issue, ...] = ()
    overdue: tuple[Overdue, ...] = ()
    theme_names: Mapping[int, str] = field(default_factory=dict)

    @classmethod
    def from_tables(cls, tables: Mapping[str, pa.Table], manifest: Mapping) -> PlanTables:
        """Contract tables (already validated by the pipeline) -> records."""
        records = {name: tuple(record(kind, row) for row in tables[name].to_pylist())
                   for name, kind in RECORD_TYPES.items() if name in tables}
        names = {t.theme_no: t.name for t in records.get("themes", ())}
        return cls(manifest=manifest, theme_names=names, **records)

    @property
    def label(self) -> str:
        return str(self.manifest.get("revision", ""))

    def actions_of(self, element_id: str) -> tuple[Action, ...]:
        return tuple(a for a in self.actions if a.element_id == element_id)
