"""The ``actionplan`` command. Thin: parse options, call the library, turn errors into one
line on stderr. Exit codes: 0 clean run, 1 issues recorded under --strict, 2 bad input,
3 an internal error (a bug: please report it)."""

from __future__ import annotations

import argparse
import sys
import traceback
from pathlib import Path

from actionplan import __version__
from actionplan.errors import InputError

EXIT_OK, EXIT_ISSUES, EXIT_BAD_INPUT, EXIT_BUG = 0, 1, 2, 3

EXTRACT_EXAMPLE = """example:
  actionplan extract samples/appendix-a-2024/appendix-a-2024.pdf
  actionplan extract plan.pdf --out outputs/plan-2025 --revision 2025 --strict
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


def _common(parser: argparse.ArgumentParser) -> None:
    """Options every command shares, declared once."""
    parser.add_argument("--config", type=Path, metavar="FILE",
                        help="TOML overriding the owner glossary, timeline convention or plan vocabulary")
    parser.add_argument("--password", metavar="PW", help="password of an encrypted PDF")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    parser.add_argument("--debug", action="store_true",
                        help="write each pipeline step's output too, and show library messages")
    parser.add_argument("--backend", choices=("pdfplumber", "camelot"), default="pdfplumber",
                        help="where cell boxes come from (default: pdfplumber; camelot needs the extra)")


def _add_extract(commands) -> None:
    extract = commands.add_parser(
        "extract", help="read an action plan PDF into tables",
        description="Read an action plan PDF and write its tables (Parquet + CSV) and manifest.json.",
        epilog=EXTRACT_EXAMPLE, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    extract.add_argument("pdf", type=Path, metavar="PDF")
    extract.add_argument("--out", type=Path, metavar="DIR",
                         help="output folder (default: outputs/<pdf stem>/), replaced atomically")
    extract.add_argument("--revision", metavar="LABEL", help="revision label (default: the file stem)")
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
    diff.add_argument("--as-of", metavar="DATE",
                      help="list actions whose timeline ended before DATE (YYYY-MM-DD) and are not complete")
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
        print(f"actionplan: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("actionplan: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug: one line for users, the traceback with --debug
        if args.debug:
            traceback.print_exc()
        print(f"actionplan: internal error: {type(exc).__name__}: {exc} "
              "(rerun with --debug for details)", file=sys.stderr)
        return EXIT_BUG


def _extract(args) -> int:
    from actionplan.config import load_config
    from actionplan.pipeline import run_extract

    config = load_config(args.config)
    out = args.out or Path("outputs") / args.pdf.stem
    progress = Progress(enabled=not args.quiet and sys.stderr.isatty())
    result = run_extract(
        args.pdf, out, revision=args.revision or args.pdf.stem, config=config,
        password=args.password, backend=args.backend, debug=args.debug, on_page=progress.page,
    )
    progress.done()
    counts = result.manifest["counts"]
    failed = len(result.failed_checks)
    checks = len(result.manifest["checks"])
    print(f"{out}: {counts['characteristics']} characteristics, {counts['actions']} actions, "
          f"{counts['repairs']} repairs, {counts['issues']} issues, "
          f"{failed} of {checks} checks failed ({result.manifest['status']})")
    return EXIT_ISSUES if args.strict and result.has_issues else EXIT_OK


def _diff(args) -> int:
    from actionplan.diff.cli import run_diff

    return run_diff(args)


class Progress:
    """A one-line page counter on stderr, only when stderr is a terminal."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.count = 0

    def page(self, done: int, total: int) -> None:
        self.count = done
        if self.enabled:
            width = 30
            filled = width * done // max(total, 1)
            sys.stderr.write(f"\rreading pages [{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
            sys.stderr.flush()

    def done(self) -> None:
        if self.enabled and self.count:
            sys.stderr.write("\n")


if __name__ == "__main__":
    sys.exit(main())
