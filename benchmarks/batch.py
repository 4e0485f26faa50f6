"""Many PDFs in one run: one process per file across the cores (actionplan/batch.py)
against the same files one after another, each with its own page workers.

    python benchmarks/batch.py [--runs 5]

Prints wall seconds (median and range of alternated whole-process runs), the throughput
ratio, and the CPU seconds (user + sys of every process of the run). The files are the
first 10 committed fixtures (10 plans).
"""
from __future__ import annotations

import argparse
import os
import resource
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


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # every process waited for so far
    return usage.ru_utime + usage.ru_stime


def one_run(pdfs: list[Path], together: bool) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of extracting ``pdfs``."""
    out = Path(tempfile.mkdtemp(prefix="actionplan-bench-"))
    try:
        cpu = _children_cpu()
        started = time.perf_counter()
        if together:
            commands = [[sys.executable, "-m", "actionplan", "extract", *map(str, pdfs), "--out", str(out / "b"), "--quiet"]]
        else:
            commands = [[sys.executable, "-m", "actionplan", "extract", str(p), "--out", str(out / p.stem), "--quiet"]
                        for p in pdfs]
        for command in commands:
            subprocess.run(command, check=False, capture_output=True)
        return time.perf_counter() - started, _children_cpu() - cpu
    finally:
        shutil.rmtree(out, ignore_errors=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    pdfs = plans()
    times: dict[str, list[float]] = {"one after another": [], "one process per file": []}
    cpu: dict[str, list[float]] = {name: [] for name in times}
    load = os.getloadavg()[0]
    for _ in range(args.runs):  # alternated, so load changes hit both alike
        for name, together in (("one after another", False), ("one process per file", True)):
            wall, seconds = one_run(pdfs, together=together)
            times[name].append(wall)
            cpu[name].append(seconds)
    base = statistics.median(times["one after another"])
    print(f"{len(pdfs)} plans, {args.runs} runs each; {os.cpu_count()} cores; load average {load:.1f} at start, "
          f"{os.getloadavg()[0]:.1f} at the end")
    print("| run | wall median s | min-max | throughput × | CPU median s | min-max |")
    print("|---|---|---|---|---|---|")
    for name, values in times.items():
        median = statistics.median(values)
        print(f"| {name} | {median:.2f} | {min(values):.2f}-{max(values):.2f} | {base / median:.2f} "
              f"| {statistics.median(cpu[name]):.2f} | {min(cpu[name]):.2f}-{max(cpu[name]):.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
