"""The whole job: PDF -> extract -> normalise -> validated tables + manifest in a folder."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from actionplan import __version__
from actionplan.config import Config
from actionplan.extract import read_plan
from actionplan.extract.geometry import char_count
from actionplan.normalise.pipeline import Draft, Settings, normalise
from actionplan.output import atomic_folder, records_to_table, write_manifest, write_table
from actionplan.schema.records import ExtractedPlan, Issue, NormalisedPlan
from actionplan.schema.tables import SCHEMA_VERSION

TABLES = ("characteristics", "actions", "themes", "heatmap", "repairs", "issues")
# Text fields whose characters are the plan's own words (for the conservation ledger).
TEXT_FIELDS = {
    "characteristics": ("description", "notes"),
    "actions": ("opportunity", "recommendation", "owner_timeline"),
    "themes": ("intro",),
    "heatmap": ("cell",),
}


@dataclass
class RunResult:
    out: Path
    plan: NormalisedPlan
    manifest: dict
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def has_issues(self) -> bool:
        return bool(self.plan.issues)


def run_extract(pdf: Path, out: Path, revision: str, config: Config, password: str | None = None,
                backend: str = "pdfplumber", debug: bool = False,
                on_page: Callable[[int, int], None] | None = None) -> RunResult:
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    extracted = read_plan(pdf, config.vocab, password=password, backend=backend, on_page=on_page)
    seconds["extract"] = time.perf_counter() - started
    started = time.perf_counter()
    steps: list[tuple[str, dict]] = []
    on_step = (lambda name, draft: steps.append((name, _draft_snapshot(draft)))) if debug else None
    settings = Settings(revision, config.vocab, config.glossary, config.convention)
    plan, draft = normalise(extracted, settings, on_step=on_step)
    plan = _with_extract_warnings(plan, extracted, revision)
    seconds["normalise"] = time.perf_counter() - started
    started = time.perf_counter()
    tables = {name: records_to_table(name, getattr(plan, name)) for name in TABLES}
    ledger = conservation_ledger(extracted, plan, draft)
    manifest = _manifest(pdf, extracted, plan, config, backend, revision, ledger, seconds)
    with atomic_folder(out) as folder:
        for name, table in tables.items():
            write_table(folder, name, table)
        if debug:
            _write_debug(folder, extracted, steps)
        seconds["write"] = time.perf_counter() - started
        manifest["seconds"] = {k: round(v, 3) for k, v in seconds.items()}
        write_manifest(folder, manifest)
    return RunResult(out, plan, manifest, seconds)


def _with_extract_warnings(plan: NormalisedPlan, extracted: ExtractedPlan, revision: str) -> NormalisedPlan:
    extra = tuple(Issue(revision, None, None, None, "description", message) for message in extracted.warnings)
    return dataclasses.replace(plan, issues=plan.issues + extra) if extra else plan


def conservation_ledger(extracted: ExtractedPlan, plan: NormalisedPlan, draft: Draft) -> dict:
    """Every non-whitespace character read from the PDF, and where it went."""
    drops = extracted.drops
    output = 0
    for table, fields in TEXT_FIELDS.items():
        for record in getattr(plan, table):
            for name in fields:
                value = getattr(record, name)
                texts = value if isinstance(value, tuple) else (value,)
                output += sum(char_count(t or "") for t in texts)
    text_field_names = {f for fields in TEXT_FIELDS.values() for f in fields}
    repaired_away = sum(
        char_count(r.before) - char_count(r.after) for r in plan.repairs if r.field in text_field_names
    )
    counted_drops = {
        "header_rows": drops.header_chars,
        "page_furniture": drops.furniture_chars,
        "front_matter": drops.front_matter_chars,
        "unassigned": drops.unassigned_chars,
        **draft.set_aside,
    }
    accounted = output + repaired_away + sum(counted_drops.values())
    return {
        "characters_read": extracted.table_chars,
        "in_output_fields": output,
        "removed_by_repairs": repaired_away,
        "counted_drops": counted_drops,
        "unaccounted": extracted.table_chars - accounted,
    }


def _manifest(pdf, extracted, plan, config, backend, revision, ledger, seconds) -> dict:
    return {
        "source": {"path": str(pdf), "sha256": _sha256(pdf), "pages": extracted.page_count},
        "revision": revision,
        "package_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "extractor": {
            "backend": backend,
            "page_images_sampled_for_colour": extracted.page_images_sampled,
            "config": config.source or "packaged defaults",
        },
        "counts": {name: len(getattr(plan, name)) for name in TABLES},
        "drops": {
            "header_rows": extracted.drops.header_rows,
            "page_furniture_lines": extracted.drops.furniture_lines,
        },
        "score_key": [
            {"label": k.label, "meaning": k.meaning,
             "colour": None if k.fill is None else "#%02X%02X%02X" % tuple(round(c * 255) for c in k.fill)}
            for k in extracted.key
        ],
        "conservation": ledger,
        "status": "partial" if plan.issues else "ok",
    }


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _draft_snapshot(draft: Draft) -> dict:
    return {
        "heatmap": len(draft.heatmap), "row_ids": list(draft.row_ids),
        "characteristics": [dataclasses.asdict(c) for c in draft.characteristics],
        "actions": [dataclasses.asdict(a) for a in draft.actions],
        "themes": [dataclasses.asdict(t) for t in draft.themes],
        "repairs": len(draft.repairs), "issues": len(draft.issues),
    }


def _write_debug(folder: Path, extracted: ExtractedPlan, steps) -> None:
    debug = folder / "debug"
    debug.mkdir()
    (debug / "00-extract.json").write_text(
        json.dumps(dataclasses.asdict(extracted), default=str, indent=1), encoding="utf-8")
    for i, (name, snapshot) in enumerate(steps, start=1):
        (debug / f"{i:02d}-{name}.json").write_text(
            json.dumps(snapshot, default=str, indent=1), encoding="utf-8")
