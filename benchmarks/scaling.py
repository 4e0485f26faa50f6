"""Benchmark: how the cost grows with the page count.

    python benchmarks/scaling.py [--pages 21 105 420] [--runs 5]

Builds long plans from the 2024 sample's source (samples/appendix-a-2024/source.json):
its rows repeated and renumbered into distinct characteristics (CI001..CI0nn per theme),
rendered by the Word/LibreOffice generator (samples/build/docx_render.py), cached in
benchmarks/.cache/; a plan of more than one copy has at least the pages asked for (the
table prints the pages rendered). Then, alternated, RUNS fresh processes each:

  actionplan     `actionplan extract PDF` (PDFium reader, the default)
  plumber-ap     `actionplan extract PDF --backend pdfplumber`
  extract_tables `page.extract_tables()` on every page with bare pdfplumber
  pdfium-text    pypdfium2 reading every page's text: the floor

and prints the median CPU seconds (user + sys of the process and every worker it waited
for, from wait4) with the spread (min-max), the median wall seconds, the ratio of the CPU
medians to extract_tables', and the peak resident memory of the largest process of the
tree (ru_maxrss from wait4: the largest of the process and the children it waited for).
CPU, not wall, is the measure: the machine may be shared.
"""

from __future__ import annotations

import argparse
import copy
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "samples" / "appendix-a-2024" / "source.json"
CACHE = Path(__file__).resolve().parent / ".cache"
BASE_PAGES = 18  # the 2024 source rendered once by docx_render (the committed sample is 19)
# Measured renderings of n copies: 95 pages (6), 355 (23), 431 (28): the front matter once,
# then about this many pages a copy.
FRONT_PAGES, PAGES_PER_COPY = 3.4, 15.27

EXTRACT_TABLES = """
import sys, pdfplumber
with pdfplumber.open(sys.argv[1]) as pdf:
    for page in pdf.pages:
        page.extract_tables()
        page.close()
"""
PDFIUM_TEXT = """
import sys, pypdfium2 as pdfium
pdf = pdfium.PdfDocument(sys.argv[1])
for page in pdf:
    page.get_textpage().get_text_range()
"""


def long_source(copies: int) -> dict:
    """The 2024 source with each theme's rows repeated ``copies`` times, renumbered."""
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    for theme in source["themes"]:
        rows = theme["rows"]
        prefix = "".join(ch for ch in rows[0]["element_id"] if ch.isalpha())
        grown = []
        for k in range(copies):
            for row in rows:
                new = copy.deepcopy(row)
                new_id = f"{prefix}{len(grown) + 1:03d}"
                new["characteristic"] = [t.replace(row["element_id"], new_id, 1) for t in row["characteristic"]]
                new["element_id"] = new_id
                grown.append(new)
        theme["rows"] = grown
    return source


def copies_for(pages: int) -> int:
    """One copy up to the base rendering's size (and a little over), else enough copies to
    give at least ``pages``."""
    if pages <= BASE_PAGES + FRONT_PAGES:
        return 1
    return math.ceil((pages - FRONT_PAGES) / PAGES_PER_COPY)


def plan_pdf(pages: int) -> Path:
    copies = copies_for(pages)
    target = CACHE / f"plan-x{copies}.pdf"
    if target.exists():
        return target
    sys.path.insert(0, str(ROOT))
    from samples.build.docx_render import build_document, docx_to_pdf

    CACHE.mkdir(exist_ok=True)
    docx = CACHE / f"plan-x{copies}.docx"
    document, _marks = build_document(long_source(copies))
    document.save(str(docx))
    docx_to_pdf(docx, CACHE, timeout=1800)
    docx.unlink()
    return target


def page_count(pdf: Path) -> int:
    import pypdfium2 as pdfium

    return len(pdfium.PdfDocument(str(pdf)))


def commands(pdf: Path, out: Path) -> dict[str, list[str]]:
    actionplan = [sys.executable, "-m", "actionplan", "extract", str(pdf), "--out", str(out), "--quiet"]
    return {
        "actionplan": actionplan,
        "plumber-ap": actionplan + ["--backend", "pdfplumber"],
        "extract_tables": [sys.executable, "-c", EXTRACT_TABLES, str(pdf)],
        "pdfium-text": [sys.executable, "-c", PDFIUM_TEXT, str(pdf)],
    }


def measure(cmd: list[str]) -> tuple[float, float, float]:
    """(CPU seconds, wall seconds, peak RSS MB) of one fresh process and the workers it
    waited for."""
    started = time.perf_counter()
    process = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        raise RuntimeError(f"{cmd[:4]} failed ({process.returncode}): {process.stderr.read().decode()[-400:]}")
    return usage.ru_utime + usage.ru_stime, wall, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=int, nargs="+", default=[21, 105, 420])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip", nargs="*", default=[], help="runs to leave out (e.g. plumber-ap)")
    args = parser.parse_args()
    env_note = f"{os.cpu_count()} cores; CPU = user+sys of process and workers; median (min-max) of {args.runs}"
    print(env_note, f"; load average at start {os.getloadavg()[0]:.1f}")
    print("| pages | run | CPU s | × extract_tables | CPU s / page | wall s | peak RSS MB |")
    print("|---|---|---|---|---|---|---|")
    for wanted in args.pages:
        pdf = plan_pdf(wanted)
        pages = page_count(pdf)
        with tempfile.TemporaryDirectory() as tmp:
            runs = {k: v for k, v in commands(pdf, Path(tmp) / "out").items() if k not in args.skip}
            cpu = {k: [] for k in runs}
            wall = {k: [] for k in runs}
            rss = {k: [] for k in runs}
            for _ in range(args.runs):
                for name, cmd in runs.items():
                    seconds, elapsed, mb = measure(cmd)
                    cpu[name].append(seconds)
                    wall[name].append(elapsed)
                    rss[name].append(mb)
        floor = statistics.median(cpu["extract_tables"]) if "extract_tables" in cpu else None
        for name in runs:
            median = statistics.median(cpu[name])
            ratio = f"{median / floor:.2f}" if floor else ""
            print(f"| {pages} | {name} | {median:.2f} ({min(cpu[name]):.2f}-{max(cpu[name]):.2f}) | {ratio} "
                  f"| {median / pages:.3f} | {statistics.median(wall[name]):.1f} | {max(rss[name]):.0f} |",
                  flush=True)


if __name__ == "__main__":
    main()
