"""The whole job: PDF -> extract -> normalise -> validated tables + manifest in a folder."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from actionplan import __version__
from actionplan.apart import run_apart
from actionplan.config import Config
from actionplan.extract import read_plan
from actionplan.extract.backends import DEFAULT_BACKEND
from actionplan.extract.pages import PageSelection, check_is_pdf
from actionplan.extract.geometry import char_count
from actionplan.normalise.checks import CheckInput, run_checks
from actionplan.normalise.pipeline import Draft, Settings, normalise
from actionplan.output import output_folder, records_to_table, write_manifest, write_table, write_text, writing
from actionplan.overdue import overdue_actions
from actionplan.progress import NoProgress, Progress
from actionplan.report import write_plan_reports
from actionplan.schema.records import ExtractedPlan, Issue, NormalisedPlan
from actionplan.schema.ids import profile_ids
from actionplan.schema.tables import SCHEMA_VERSION

TABLES = ("characteristics", "actions", "themes", "heatmap", "repairs", "issues", "dropped")
# Text fields whose characters are the plan's own words (for the conservation ledger).
TEXT_FIELDS = {
    "characteristics": ("description", "notes"),
    "actions": ("opportunity", "recommendation", "owner_timeline", "progress", "status"),
    "themes": ("intro",),
    "heatmap": ("cell",),
}


@dataclass
class RunResult:
    """What a run wrote and found: the folder, the plan and the manifest."""

    out: Path
    plan: NormalisedPlan
    manifest: dict
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def has_issues(self) -> bool:
        return bool(self.plan.issues) or bool(self.failed_checks)

    @property
    def failed_checks(self) -> list[str]:
        return [c["name"] for c in self.manifest.get("checks", []) if not c["passed"]]


def run_extract(pdf: Path, out: Path, revision: str, config: Config, password: str | None = None,
                backend: str = DEFAULT_BACKEND, debug: bool = False, progress: Progress | None = None,
                as_of: date | None = None, pages: PageSelection | None = None,
                ocr: str = "auto", reading: str = "auto") -> RunResult:
    """Extract ``pdf`` into the output folder ``out``, replacing an earlier extract output
    there (the rules are actionplan.output's ``output_folder``)."""
    check_is_pdf(pdf)  # a missing or empty input is refused before the output is touched
    with output_folder(out, "extract", inputs=(pdf, *config.files)) as folder:
        result = extract_into(folder, pdf, revision, config, password, backend, debug, progress, as_of,
                              pages, ocr, reading)
    return dataclasses.replace(result, out=Path(out))


def extract_into(folder: Path, pdf: Path, revision: str, config: Config, password: str | None = None,
                 backend: str = DEFAULT_BACKEND, debug: bool = False, progress: Progress | None = None,
                 as_of: date | None = None, pages: PageSelection | None = None,
                 ocr: str = "auto", reading: str = "auto") -> RunResult:
    """The whole job, written into ``folder`` (which exists and is empty): afterwards it is
    a complete output folder of ``actionplan extract``. The PDF is read and normalised in a
    child process (actionplan/apart.py: its memory goes back whole), the tables and reports
    are written here."""
    progress = progress or NoProgress()
    read = run_apart(read_and_normalise, pdf, revision, config, password, backend, debug, as_of, pages, ocr,
                     reading, progress=progress)
    plan, manifest, seconds = read.plan, read.manifest, read.seconds
    started = time.perf_counter()
    values = config.vocab.contract_values  # the profile's score words are the allowed ones
    tables = {name: records_to_table(name, _records(plan, name, revision), values) for name in TABLES}
    if as_of is not None:
        tables["overdue"] = overdue_table(plan, as_of, revision)
    progress.stage("writing", len(tables) + 2, unit="file")  # the tables, the reports, the manifest
    manifest["counts"] = {name: table.num_rows for name, table in tables.items()}
    for name, table in tables.items():
        write_table(folder, name, table)
        progress.advance()
    if debug:
        _write_debug(folder, read.extract_steps, read.normalise_steps)
    seconds["write"] = time.perf_counter() - started
    started = time.perf_counter()
    with writing(folder):
        write_plan_reports(folder, tables, manifest)
    progress.advance()
    seconds["reports"] = time.perf_counter() - started
    manifest["seconds"] = {k: round(v, 3) for k, v in seconds.items()}
    manifest = write_manifest(folder, manifest, "extract")
    progress.advance()
    return RunResult(folder, plan, manifest, seconds)


@dataclass
class PlanRead:
    """What reading and normalising a PDF hands the writing half of a run: the plan, the
    manifest so far (all it says of the PDF), the seconds spent, and with --debug each
    step's snapshot."""

    plan: NormalisedPlan
    manifest: dict
    seconds: dict[str, float]
    extract_steps: list[tuple[str, dict]] = field(default_factory=list)
    normalise_steps: list[tuple[str, dict]] = field(default_factory=list)


def read_and_normalise(pdf: Path, revision: str, config: Config, password: str | None, backend: str,
                       debug: bool, as_of: date | None, pages: PageSelection | None, ocr: str, reading: str,
                       progress: Progress) -> PlanRead:
    """The PDF read, normalised and checked: everything a run needs of it."""
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    extract_steps: list[tuple[str, dict]] = []
    on_extract_step = (lambda step, state: extract_steps.append((step.name, _state_snapshot(step, state)))
                       ) if debug else None
    steps: list[tuple[str, dict]] = []
    on_step = (lambda name, draft: steps.append((name, _draft_snapshot(draft)))) if debug else None
    with profile_ids(config.vocab.profile.id_pattern if config.vocab.profile else None):
        extracted = read_plan(pdf, config.vocab, password=password, backend=backend, progress=progress,
                              budget=config.budget, on_step=on_extract_step, pages=pages, ocr=ocr,
                              reading=reading)
        seconds["extract"] = time.perf_counter() - started
        started = time.perf_counter()
        progress.stage("normalising", 1)
        settings = Settings(revision, config.vocab, config.glossary, config.convention)
        plan, draft = normalise(extracted, settings, on_step=on_step)
    plan = _with_extract_warnings(plan, extracted, revision)
    ledger = conservation_ledger(extracted, plan)
    checks, check_issues = run_checks(CheckInput(revision, extracted, plan, ledger))
    plan = dataclasses.replace(plan, issues=plan.issues + check_issues)
    progress.advance()
    seconds["normalise"] = time.perf_counter() - started
    values = config.vocab.contract_values
    manifest = _manifest(pdf, extracted, plan, config, backend, revision, ledger, checks)
    manifest["score_colours"] = draft.palette.source
    manifest["contract"] = values.as_manifest()
    manifest["as_of"] = as_of.isoformat() if as_of else None
    manifest["extractor"]["ocr"] = {"mode": ocr, "pages": [_ocr_page(p) for p in extracted.ocr_pages]}
    manifest["reading"] = {"mode": reading, "tree": extracted.reading != "layout",
                           "pages": [{"page": page, "reading": how} for page, how in extracted.page_readings],
                           "notes": list(extracted.reading_notes)}
    return PlanRead(plan, manifest, seconds, extract_steps, steps)


def overdue_table(plan: NormalisedPlan, as_of: date, revision: str):
    themes = {c.element_id: c.theme_no for c in plan.characteristics}
    return records_to_table("overdue", overdue_actions(plan.actions, as_of, themes, revision))


def _with_extract_warnings(plan: NormalisedPlan, extracted: ExtractedPlan, revision: str) -> NormalisedPlan:
    extra = tuple(Issue(revision, None, None, None, "description", message) for message in extracted.warnings)
    # The structure tree's problems and the two readings' disagreements (extract/tagged.py).
    extra += tuple(Issue(revision, None, None, None, "element_id", f"reading: {note}")
                   for note in extracted.reading_notes)
    return dataclasses.replace(plan, issues=plan.issues + extra) if extra else plan


def _records(plan: NormalisedPlan, name: str, revision: str):
    records = getattr(plan, name)
    if name == "dropped":  # extract's records do not know the revision label
        return [{**dataclasses.asdict(r), "revision": revision} for r in records]
    return records


def conservation_ledger(extracted: ExtractedPlan, plan: NormalisedPlan) -> dict:
    """Every non-whitespace character read from the PDF, and where it went: an output text
    field, removed by a logged repair, or a dropped line (with its reason)."""
    output = 0
    for table, fields in TEXT_FIELDS.items():
        for record in getattr(plan, table):
            for name in fields:
                value = getattr(record, name)
                texts = value if isinstance(value, tuple) else (value,)
                output += sum(char_count(t or "") for t in texts)
            if table in ("characteristics", "actions"):  # unknown columns' texts (JSON: count the values)
                output += sum(char_count(t) for t in json.loads(record.extra).values())
    # A date printed in its own column is in no other field.
    output += sum(char_count(a.timeline) for a in plan.actions if a.date_column)
    text_field_names = {f for fields in TEXT_FIELDS.values() for f in fields} | {"timeline", "extra"}
    repaired_away = sum(
        char_count(r.before) - char_count(r.after) for r in plan.repairs if r.field in text_field_names
    )
    dropped: dict[str, int] = {}
    for line in plan.dropped:
        dropped[line.reason] = dropped.get(line.reason, 0) + char_count(line.text)
    accounted = output + repaired_away + sum(dropped.values())
    return {
        "characters_read": extracted.characters_read,
        "in_output_fields": output,
        "removed_by_repairs": repaired_away,
        "dropped": dict(sorted(dropped.items())),
        "unaccounted": extracted.characters_read - accounted,
    }


def _manifest(pdf, extracted, plan, config, backend, revision, ledger, checks) -> dict:
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
        "dropped_lines": _count_by(plan.dropped, "reason"),
        "score_key": [
            {"label": k.label, "meaning": k.meaning, "colour_from": k.colour_from or None,
             "colour": None if k.fill is None else "#%02X%02X%02X" % tuple(round(c * 255) for c in k.fill)}
            for k in extracted.key
        ],
        "profile": {"name": (config.vocab.profile.name if config.vocab.profile else "default"),
                    "source": extracted.profile or "builtin:default",
                    "columns": [dict(c) for c in extracted.columns]},
        "conservation": ledger,
        "checks": [dataclasses.asdict(c) for c in checks],
        "pages": _pages_summary(extracted),
        "status": "partial" if plan.issues or not all(c.passed for c in checks) else "ok",
    }


def _ocr_page(page) -> dict:
    """One OCR'd page for the manifest: how it was read, and what the reader dropped or
    re-read (rule strokes read as "|", element ids read again), with positions."""
    record = dataclasses.asdict(page)
    record["corrections"] = [
        {**c, **{k: round(c[k], 1) for k in ("x0", "top", "x1", "bottom")}} for c in record["corrections"]
    ]
    return record


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


def _pages_summary(extracted: ExtractedPlan) -> dict:
    """Which pages the plan was read from, and why the others were not."""
    read = {p.number: p for p in extracted.pages}
    skipped = []
    for number in range(1, extracted.page_count + 1):
        page = read.get(number)
        if page is None:
            skipped.append({"page": number, "reason": "not selected by --pages"})
        elif page.error:
            skipped.append({"page": number, "reason": f"could not be read: {page.error}"})
        elif not page.in_plan and not page.front and not page.claimed:
            skipped.append({"page": number, "reason": "outside the plan"})
    skipped_numbers = {s["page"] for s in skipped}
    return {
        "used": [n for n in sorted(read) if n not in skipped_numbers],
        "skipped": skipped,
        "plan_ends": extracted.end_reason or "at the end of the PDF",
    }


def _count_by(records, attribute: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for record in records:
        key = getattr(record, attribute)
        counts[key] = counts.get(key, 0) + 1
    return dict(sorted(counts.items()))


def _state_snapshot(step, state) -> dict:
    """What one extract step wrote, as JSON-ready data."""
    return {slot: _jsonable(getattr(state, slot)) for slot in step.fills}


def _jsonable(value):
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_jsonable(v) for v in value]
        return sorted(items, key=repr) if isinstance(value, (set, frozenset)) else items
    return value


def _write_debug(folder: Path, extract_steps, normalise_steps) -> None:
    debug = folder / "debug"
    with writing(debug):
        debug.mkdir()
    steps = [(f"extract-{name}", snapshot) for name, snapshot in extract_steps]
    steps += [(f"normalise-{name}", snapshot) for name, snapshot in normalise_steps]
    for i, (name, snapshot) in enumerate(steps, start=1):
        write_text(debug / f"{i:02d}-{name}.json", json.dumps(snapshot, default=str, indent=1))
