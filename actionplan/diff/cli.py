"""The ``diff`` command: read (or extract) both revisions, write the changes and report."""

from __future__ import annotations

from pathlib import Path

from actionplan.diff.compare import diff_revisions
from actionplan.diff.read import Revision, read_revision
from actionplan.diff.report_md import render_report, summary_lines
from actionplan.errors import InputError
from actionplan.overdue import parse_as_of
from actionplan import __version__
from actionplan.diff.match import ACTION_MATCH_THRESHOLD, CHARACTERISTIC_MATCH_THRESHOLD
from actionplan.output import output_folder, records_to_table, write_manifest, write_table, write_text, writing
from actionplan.schema.tables import SCHEMA_VERSION

DEFAULT_OUT = Path("outputs")


def input_kind(path: Path) -> str:
    """'pdf' or 'folder'; InputError for anything else."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        if (path / "manifest.json").is_file():
            return "folder"
    elif path.suffix.lower() == ".pdf" or _starts_like_pdf(path):
        return "pdf"
    raise InputError(f"{path}: not a PDF or an output folder of actionplan extract")


def _starts_like_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return False


def default_out(old: Path, new: Path) -> Path:
    return DEFAULT_OUT / f"diff-{old.stem}-{new.stem}"


def run_diff(args) -> int:
    """The ``diff`` command: read (or extract) both revisions, write changes + report.md."""
    from actionplan.config import load_config

    kinds = {"old": input_kind(args.old), "new": input_kind(args.new)}
    as_of = parse_as_of(args.as_of)
    out = args.out or default_out(args.old, args.new)
    config = load_config(args.config, profile=getattr(args, "profile", None))
    with output_folder(out, "diff", inputs=(args.old, args.new, *config.files)) as folder:
        old = _revision_from_input(args.old, kinds["old"], folder / "old", config, args)
        new = _revision_from_input(args.new, kinds["new"], folder / "new", config, args)
        changes = diff_revisions(old, new)
        tables = {"changes": records_to_table("changes", changes)}
        if as_of is not None:
            tables["overdue"] = records_to_table("overdue", new.overdue(as_of))
        for name, table in tables.items():
            write_table(folder, name, table)
        write_text(folder / "report.md", render_report(old, new, changes, as_of))
        write_diff_reports(folder, old, new, changes, as_of)
        write_manifest(folder, diff_manifest(old, new, args, as_of, tables), "diff")
        written = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir())
    for line in summary_lines(old, new, changes):
        print(line)
    print(f"written to {out}/: {', '.join(written)}")
    return 0


def diff_manifest(old: Revision, new: Revision, args, as_of, tables) -> dict:
    """What was compared, how, and what came of it: the diff folder's provenance."""
    def side(revision: Revision, path: Path) -> dict:
        return {"revision": revision.label, "input": str(path), "source": revision.manifest.get("source")}

    return {
        "kind": "diff",
        "old": side(old, args.old),
        "new": side(new, args.new),
        "as_of": as_of.isoformat() if as_of else None,
        "package_version": __version__,
        "schema_version": SCHEMA_VERSION,
        "matching": {"action_threshold": ACTION_MATCH_THRESHOLD,
                     "characteristic_threshold": CHARACTERISTIC_MATCH_THRESHOLD},
        "counts": {name: table.num_rows for name, table in tables.items()},
        "status": "ok",
    }


def write_diff_reports(folder: Path, old: Revision, new: Revision, changes, as_of) -> None:
    from actionplan.report.diff_html import render_diff_report

    write_text(folder / "report.html", render_diff_report(old, new, changes, as_of))


def _revision_from_input(path: Path, kind: str, extract_to: Path, config, args) -> Revision:
    """A folder is read as it is; a PDF is extracted into ``extract_to`` first."""
    if kind == "folder":
        return read_revision(path)
    from actionplan.pipeline import extract_into

    with writing(extract_to):
        extract_to.mkdir()
    extract_into(extract_to, path, revision=path.stem, config=config, password=args.password,
                 backend=args.backend, debug=args.debug, pages=args.pages, ocr=args.ocr,
                 reading=args.reading)
    return read_revision(extract_to)
