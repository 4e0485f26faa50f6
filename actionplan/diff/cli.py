"""The ``diff`` command: read (or extract) both revisions, write the changes and report."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from actionplan.diff.compare import diff_revisions
from actionplan.diff.read import Revision, read_revision
from actionplan.diff.report_md import render_report, summary_lines
from actionplan.errors import InputError
from actionplan.output import atomic_folder, records_to_table, write_table

DEFAULT_OUT = Path("outputs")
DATE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        if not DATE_FORMAT.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--as-of {text!r}: not a date in the form YYYY-MM-DD") from None


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
    if Path(out).resolve() in (args.old.resolve(), args.new.resolve()):
        raise InputError(f"--out {out}: would replace one of the inputs; choose another folder")
    config = load_config(args.config)
    with atomic_folder(out) as folder:
        old = _revision_from_input(args.old, kinds["old"], folder / "old", config, args)
        new = _revision_from_input(args.new, kinds["new"], folder / "new", config, args)
        changes = diff_revisions(old, new)
        write_table(folder, "changes", records_to_table("changes", changes))
        (folder / "report.md").write_text(render_report(old, new, changes, as_of), encoding="utf-8")
        written = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir())
    for line in summary_lines(old, new, changes):
        print(line)
    print(f"written to {out}/: {', '.join(written)}")
    return 0


def _revision_from_input(path: Path, kind: str, extract_to: Path, config, args) -> Revision:
    """A folder is read as it is; a PDF is extracted into ``extract_to`` first."""
    if kind == "folder":
        return read_revision(path)
    from actionplan.pipeline import run_extract

    run_extract(path, extract_to, revision=path.stem, config=config, password=args.password,
                backend=args.backend, debug=args.debug)
    return read_revision(extract_to)
