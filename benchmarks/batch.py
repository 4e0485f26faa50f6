"""Many PDFs in one run: one process per file across the cores (actionplan/batch.py)
against the same files one after another, each with its own page workers.

    python benchmarks/batch.py [--runs 3]

Prints wall seconds (median and range of alternated whole-process runs) and the
throughput ratio. The files are the committed fixtures and clean samples (10 plans).
"""
from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def plans(count: int = 10) -> list[Path]:
    pdfs = sorted(SAMPLES.glob("fixtures/*/*.pdf")) + sorted(SAMPLES.glob("appendix-a-202?/*.pdf"))
    return pdfs[:count]


def one_run(pdfs: list[Path], together: bool) -> float:
    out = Path(tempfile.mkdtemp(prefix="actionplan-bench-"))
    try:
        started = time.perf_counter()
        if together:
            commands = [[sys.executable, "-m", "actionplan", "extract", *map(str, pdfs), "--out", str(out / "b"), "--quiet"]]
        else:
            commands = [[sys.executable, "-m", "actionplan", "extract", str(p), "--out", str(out / p.stem), "--quiet"]
                        for p in pdfs]
        for command in commands:
            subprocess.run(command, check=False, capture_output=True)
        return time.perf_counter() - started
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=3)
    args = ap.parse_args()
    pdfs = plans()
    times: dict[str, list[float]] = {"one after another": [], "one process per file": []}
    for _ in range(args.runs):  # alternated, so load changes hit both alike
        times["one after another"].append(one_run(pdfs, together=False))
        times["one process per file"].append(one_run(pdfs, together=True))
    base = statistics.median(times["one after another"])
    print(f"{len(pdfs)} plans, {args.runs} runs each, wall seconds")
    print("| run | median s | min-max | throughput × |")
    print("|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.2f} | {min(values):.2f}-{max(values):.2f} | {base / median:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
