"""Benchmark: `actionplan extract` end to end against bare pdfplumber and camelot.

    python benchmarks/extract.py [PDF] [--runs 5]

Runs, alternated, RUNS times each, every one a fresh process:
  actionplan   `actionplan extract PDF` (read, extract, normalise, validate, write)
  pdfplumber   `python -c` opening PDF and calling page.extract_tables() on every page
  camelot      `python -c` running camelot lattice on every page (skipped if not installed)
and prints a table of median wall seconds, the ratio to pdfplumber, and the peak resident
memory summed over the process and its children (sampled from /proc every 10 ms).
Goals (issue #4): actionplan <= 1.0 x pdfplumber, peak RSS < 300 MB.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PDF = ROOT / "samples" / "appendix-a-2024" / "appendix-a-2024.pdf"

PDFPLUMBER = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_tables()
        page.close()
"""
CAMELOT = """
import sys, warnings, logging
warnings.simplefilter("ignore"); logging.disable(logging.CRITICAL)
import camelot
camelot.read_pdf(sys.argv[1], pages="all", flavor="lattice")
"""


def commands(pdf: Path, out: Path) -> dict[str, list[str]]:
    found = {
        "actionplan": [sys.executable, "-m", "actionplan", "extract", str(pdf), "--out", str(out), "--quiet"],
        "pdfplumber": [sys.executable, "-c", PDFPLUMBER, str(pdf)],
    }
    try:
        import camelot  # noqa: F401
        found["camelot"] = [sys.executable, "-c", CAMELOT, str(pdf)]
    except ImportError:
        print("camelot not installed: its row is skipped (pip install 'actionplan[camelot]')")
    return found


# Every run gets the same environment, with Python's bytecode cache on: an installed
# package keeps its .pyc files; a sandbox's PYTHONDONTWRITEBYTECODE would otherwise make
# every run recompile every module it imports (pandas's above all).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run_once(argv: list[str]) -> tuple[float, int]:
    """Wall seconds and peak summed RSS (bytes) of a process tree."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=CHILD_ENV)
    peak = 0
    while process.poll() is None:
        peak = max(peak, tree_rss(process.pid))
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"failed ({process.returncode}): {' '.join(argv[:4])}\n{process.stderr.read().decode()}")
    return seconds, peak


def tree_rss(root: int) -> int:
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as fh:
                fields = fh.read().rsplit(")", 1)[1].split()
            ppid, pages = int(fields[1]), int(fields[21])
        except (OSError, IndexError, ValueError):
            continue
        children.setdefault(ppid, []).append(int(entry))
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        total += rss.get(pid, 0)
        stack.extend(children.get(pid, []))
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("pdf", nargs="?", type=Path, default=DEFAULT_PDF)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cmds = commands(args.pdf, Path(tmp) / "out")
        for argv in cmds.values():  # warm-up: fills the bytecode cache, not timed
            run_once(argv)
        times: dict[str, list[float]] = {name: [] for name in cmds}
        peaks: dict[str, list[int]] = {name: [] for name in cmds}
        for _ in range(args.runs):  # alternate, so drift in machine load hits all alike
            for name, argv in cmds.items():
                seconds, peak = run_once(argv)
                times[name].append(seconds)
                peaks[name].append(peak)
    base = statistics.median(times["pdfplumber"])
    print(f"\n{args.pdf.name}: median of {args.runs} runs each, alternated\n")
    print(f"| {'run':<11} | {'median s':>8} | {'x pdfplumber':>12} | {'peak RSS MB':>11} |")
    print(f"|{'-' * 13}|{'-' * 10}|{'-' * 14}|{'-' * 13}|")
    for name in cmds:
        median = statistics.median(times[name])
        print(f"| {name:<11} | {median:8.2f} | {median / base:12.2f} | {max(peaks[name]) / 2**20:11.0f} |")


if __name__ == "__main__":
    main()
