"""The ``actionplan`` command. Thin: parse options, call the library, turn errors into one
line on stderr. Exit codes: 0 clean run, 1 issues recorded under --strict, 2 bad input,
3 an internal error (a bug: please report it)."""

from __future__ import annotations

import argparse
import functools
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path

from actionplan import __version__
from actionplan.errors import InputError, one_line
from actionplan.extract.backends import BACKENDS, DEFAULT_BACKEND

EXIT_OK, EXIT_ISSUES, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3  # worse is higher
DEFAULT_OUT = Path("outputs")

EXTRACT_EXAMPLE = """example:
  actionplan extract samples/appendix-a-2024/appendix-a-2024.pdf
  actionplan extract plan.pdf --out outputs/plan-2025 --revision 2025 --strict --as-of 2025-04-01
  actionplan extract plan-2024.pdf plan-2025.pdf --out outputs --dataset outputs/dataset
"""
DIFF_EXAMPLE = """example:
  actionplan diff outputs/appendix-a-2024 samples/appendix-a-2025/appendix-a-2025.pdf --as-of 2025-04-01
"""


class _Parser(argparse.ArgumentParser):
    """argparse prints usage and exits 2 on a bad option; keep that to one line."""

    def error(self, message: str):  # noqa: D401 - argparse's signature
        self.exit(EXIT_BAD_INPUT, f"actionplan: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="actionplan",
        description="Turn a council's Best Value Duty action plan PDF into clean, typed tables.",
        epilog=EXTRACT_EXAMPLE,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"actionplan {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    _add_extract(commands)
    _add_diff(commands)
    return parser


def _page_selection(text: str):
    from actionplan.errors import InputError
    from actionplan.extract.pages import PageSelection

    try:
        return PageSelection.parse(text)
    except InputError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _common(parser: argparse.ArgumentParser) -> None:
    """Options every command shares, declared once."""
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="TOML overriding the owner glossary, timeline convention or plan vocabulary")
    parser.add_argument("--profile", metavar="FILE|NAME",
                        help="the plan's columns and vocabulary: a profile TOML of your own (it extends "
                             "the default), or a built-in by name (default: 'default')")
    parser.add_argument("--password", metavar="PW", help="password of an encrypted PDF")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--debug", action="store_true",
                        help="write each pipeline step's output too, and show library messages")
    parser.add_argument("--backend", choices=BACKENDS, default=DEFAULT_BACKEND,
                        help=f"how text-layer pages are read: pdfium, pdfplumber (slower), or camelot (cell "
                             f"boxes from the page image; needs the extra); default {DEFAULT_BACKEND}")
    parser.add_argument("--pages", metavar="PAGES", type=_page_selection,
                        help="read only these pages of a PDF (1-based: 5-25, 1,3,5-7, 3-end)")
    parser.add_argument("--as-of", metavar="DATE",
                        help="list actions whose timeline ended before DATE (YYYY-MM-DD) and are not "
                             "complete (the overdue table); recorded in the manifest")
    parser.add_argument("--ocr", choices=("auto", "always", "never"), default="auto",
                        help="OCR scanned pages: auto (pages with no text layer, and scans under an "
                             "OCR layer; default), always (every page), never (refuse scans)")
    parser.add_argument("--reading", choices=("auto", "tagged", "layout"), default="auto",
                        help="a tagged PDF's rows: auto (from its structure tree where the tree vouches "
                             "for them, cross-checked with the layout; default), tagged (the tree "
                             "wherever it has them; refuses an untagged PDF), layout (ignore the tree)")


def _add_extract(commands) -> None:
    extract = commands.add_parser(
        "extract", help="read an action plan PDF into tables",
        description="Read an action plan PDF and write its tables (Parquet + CSV) and manifest.json.",
        epilog=EXTRACT_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument("pdfs", type=Path, nargs="+", metavar="PDF")
    extract.add_argument("--out", type=Path, metavar="DIR",
                         help="output folder (default: outputs/<pdf stem>/), replaced atomically; with "
                              "several PDFs the parent folder of one folder per PDF stem (default: outputs/)")
    extract.add_argument("--revision", metavar="LABEL",
                         help="revision label (default: the file stem); one PDF only")
    extract.add_argument("--dataset", type=Path, metavar="DIR",
                         help="also add each revision to a hive-partitioned Parquet dataset in DIR "
                              "(its partition replaced if the revision is there already)")
    extract.add_argument("--strict", action="store_true",
                         help="exit 1 when the run recorded issues (unknown owners, unparsed timelines...)")
    _common(extract)


def _add_diff(commands) -> None:
    diff = commands.add_parser(
        "diff", help="what changed between two revisions of a plan",
        description="Compare two revisions (each a PDF or an output folder of `actionplan extract`).",
        epilog=DIFF_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.add_argument("--out", type=Path, metavar="DIR",
                      help="output folder for changes + report.md (default: outputs/diff-<old>-<new>/)")
    _common(diff)


def main(argv: list[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exit_:  # --help, --version, or a one-line usage error
        return exit_.code if isinstance(exit_.code, int) else EXIT_BAD_INPUT
    if not args.debug:
        from actionplan.extract.pages import quiet_libraries
        quiet_libraries()
    try:
        if args.command == "extract":
            return _extract(args)
        return _diff(args)
    except InputError as exc:
        print(f"actionplan: {one_line(exc)}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("actionplan: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line for users, the traceback with --debug
        if args.debug:
            traceback.print_exc()
        print(f"actionplan: internal error: {type(exc).__name__}: {one_line(exc)} "
              "(rerun with --debug for details)", file=sys.stderr)
        return EXIT_BUG


def _extract(args) -> int:
    """One PDF: errors are the command's. Several: each file's error is one line and the
    others go on; the exit code is the worst of the files'."""
    from actionplan.config import load_config
    from actionplan.output import pyarrow_without_numpy
    from actionplan.overdue import parse_as_of

    jobs = extract_jobs(args.pdfs, args.out, args.revision)
    as_of = parse_as_of(args.as_of)
    if not args.dataset:  # adding to a dataset reads it with pandas, which needs numpy in pyarrow
        pyarrow_without_numpy()
    config = load_config(args.config, profile=args.profile)
    if len(jobs) == 1:
        results = [_extract_one(jobs[0], config, as_of, args)]
    else:
        results = []
        for code, result, out_line, err_line in extract_each(
                jobs, functools.partial(_extract_one_of_many, config=config, as_of=as_of, args=_quiet(args))):
            for line, stream in ((out_line, sys.stdout), (err_line, sys.stderr)):
                if line:
                    print(line, file=stream)
            results.append((code, result))
    codes = [code for code, _ in results]
    done = [(job, result) for job, (_, result) in zip(jobs, results) if result is not None]
    if args.dataset and done:
        from actionplan.dataset import add_revisions

        add_revisions(args.dataset, [result.out for _, result in done])
        print(f"dataset {args.dataset}: {', '.join(job.revision for job, _ in done)} added")
    return max(codes)


@dataclass(frozen=True)
class ExtractJob:
    """One PDF to extract: where from, where to, under which revision."""

    pdf: Path
    out: Path
    revision: str


def extract_jobs(pdfs: list[Path], out: Path | None, revision: str | None) -> list[ExtractJob]:
    """Where each PDF goes. With several PDFs, ``out`` is the parent folder and the stems
    name the folders and revisions, so two PDFs of one stem, or one --revision for all, are
    refused before anything is read."""
    if len(pdfs) == 1:
        return [ExtractJob(pdfs[0], out or DEFAULT_OUT / pdfs[0].stem, revision or pdfs[0].stem)]
    if revision is not None:
        raise InputError("--revision names one revision: give one PDF, or let each PDF's file stem name it")
    by_stem: dict[str, Path] = {}
    for pdf in pdfs:
        if pdf.stem in by_stem:
            raise InputError(f"{by_stem[pdf.stem]} and {pdf}: the same file stem {pdf.stem!r} "
                             "would write the same output folder; rename one")
        by_stem[pdf.stem] = pdf
    parent = out or DEFAULT_OUT
    return [ExtractJob(pdf, parent / pdf.stem, pdf.stem) for pdf in pdfs]


def extract_each(jobs, run):
    """Run every job; results in job order. The one place that decides how files are
    scheduled: one process per file across the cores (actionplan/batch.py)."""
    from actionplan.batch import run_each

    return run_each(jobs, run)


def _quiet(args):
    """Several files at once share the terminal: no progress bars, only summary lines."""
    return argparse.Namespace(**{**vars(args), "quiet": True})


def _extract_one_of_many(job: ExtractJob, config, as_of, args):
    """(exit code, RunResult or None, summary line, error line) of one PDF of several: the
    lines are printed by the process that started the run, in file order."""
    try:
        code, result = _run_one(job, config, as_of, args)
    except InputError as exc:
        return EXIT_BAD_INPUT, None, "", f"actionplan: {one_line(exc)}"
    return code, result, summary_line(job.out, result), ""


def _extract_one(job: ExtractJob, config, as_of, args):
    """(exit code, RunResult) of one PDF, its summary printed; InputError for bad input."""
    code, result = _run_one(job, config, as_of, args)
    print(summary_line(job.out, result))
    return code, result


def _run_one(job: ExtractJob, config, as_of, args):
    from actionplan.pipeline import run_extract

    progress = _progress(args)
    try:
        result = run_extract(
            job.pdf, job.out, revision=job.revision, config=config, password=args.password,
            backend=args.backend, debug=args.debug, progress=progress, as_of=as_of,
            pages=args.pages, ocr=args.ocr, reading=args.reading,
        )
    finally:
        progress.close()
    return (EXIT_ISSUES if args.strict and result.has_issues else EXIT_OK), result


def summary_line(out: Path, result) -> str:
    manifest = result.manifest
    counts = manifest["counts"]
    line = (f"{out}: {counts['characteristics']} characteristics, {counts['actions']} actions, "
            f"{counts['repairs']} repairs, {counts['issues']} issues, "
            f"{len(result.failed_checks)} of {len(manifest['checks'])} checks failed")
    if manifest.get("as_of"):
        line += f", {counts['overdue']} overdue on {manifest['as_of']}"
    return f"{line} ({manifest['status']})"


def _diff(args) -> int:
    from actionplan.diff.cli import run_diff

    return run_diff(args)


def _progress(args):
    """A progress bar only for a person watching: stderr is a terminal and no --quiet."""
    from actionplan.progress import NoProgress, TerminalProgress

    return TerminalProgress(sys.stderr) if not args.quiet and sys.stderr.isatty() else NoProgress()


if __name__ == "__main__":  # python -m actionplan.cli: the command, as python -m actionplan runs it
    from actionplan.command import run

    run()
