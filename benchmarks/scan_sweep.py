"""Benchmark: the scan sweep (samples/build/scan_sweep.py) through `actionplan extract`.

    python benchmarks/scan_sweep.py [--work /tmp/sweep] [--held-out | --dev] [--ocrmypdf]
                                    [--timing NAME] [--runs 1]

For every scan of the sweep (built first if missing): `actionplan extract` in a fresh
process (default `--ocr auto`), then the output compared with the scan's source.json
(benchmarks/scan_score.py). Prints one row per scan: ids found (of 74), score errors,
heatmap cells right, owners right, action-text token F1, seconds per page (wall, and CPU
of the process tree). `--ocrmypdf` also runs each scan's ocrmypdf copy (an OCR'd scan as
users get it).

`--timing NAME`: the whole-process time of `actionplan extract` against `ocrmypdf
--force-ocr --jobs 2 --optimize 0 --output-type pdf` on the same image-only scan with the
same tesseract, alternated side by side, `--runs` times each; median (min-max) and the
ratio of the medians (goal: <= 1.2 x).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from scan_score import score  # noqa: E402


def _load_sweep():
    """samples/build/scan_sweep.py (same file name as this one: loaded by path)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("sweep_build", ROOT / "samples" / "build" / "scan_sweep.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["sweep_build"] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


sweep = _load_sweep()

CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the process and its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(cmd, check=True, env=CHILD_ENV, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def extract_cmd(pdf: Path, out: Path, ocr: str = "auto") -> list[str]:
    return [sys.executable, "-m", "actionplan", "extract", str(pdf), "--out", str(out),
            "--quiet", "--ocr", ocr]


def ensure_built(scan, work: Path, ocrmypdf: bool) -> dict:
    image = work / f"{scan.name}-image-only.pdf"
    meta = work / f"{scan.name}.json"
    if not image.exists() or not meta.exists():
        meta.write_text(json.dumps(sweep.build(scan, work)))
    if ocrmypdf and not (work / f"{scan.name}-ocrmypdf.pdf").exists():
        sweep.ocrmypdf_copy(image, work / f"{scan.name}-ocrmypdf.pdf")
    return json.loads(meta.read_text())


def run_one(pdf: Path, source: Path, pages: int, work: Path) -> dict:
    out = work / f"out-{pdf.stem}"
    wall, cpu = timed(extract_cmd(pdf, out))
    result = score(out, source)
    return {"result": result, "wall_per_page": wall / pages, "cpu_per_page": cpu / pages}


HEADER = ("scan", "dpi", "colour", "q", "ids", "score err", "heatmap", "owners", "text F1",
          "s/page", "cpu s/page")


def row(name: str, meta: dict, measured: dict) -> tuple:
    r, s = measured["result"], meta["settings"]
    return (name, s["dpi"], "grey" if s["grey"] else "colour", s["quality"],
            f"{r.ids_found}/{r.ids_expected}", r.score_errors,
            f"{r.heatmap_right}/{r.heatmap_cells}", f"{r.owners_right}/{r.actions_expected}",
            f"{r.text_f1:.3f}", f"{measured['wall_per_page']:.2f}", f"{measured['cpu_per_page']:.2f}")


def print_table(rows: list[tuple]) -> None:
    print("| " + " | ".join(HEADER) + " |")
    print("|" + "---|" * len(HEADER))
    for r in rows:
        print("| " + " | ".join(str(v) for v in r) + " |")


def timing(scan, work: Path, runs: int) -> None:
    meta = ensure_built(scan, work, ocrmypdf=False)
    image = work / f"{scan.name}-image-only.pdf"
    results: dict[str, list[tuple[float, float]]] = {"actionplan": [], "ocrmypdf": []}
    with tempfile.TemporaryDirectory() as tmp:
        commands = {
            "actionplan": extract_cmd(image, Path(tmp) / "out"),
            "ocrmypdf": ["ocrmypdf", "-q", "--force-ocr", "--jobs", "2", "--optimize", "0",
                         "--output-type", "pdf", str(image), str(Path(tmp) / "ocr.pdf")],
        }
        for _ in range(runs):
            for name, cmd in commands.items():
                results[name].append(timed(cmd))
    print(f"\nwhole-process time, {scan.name} ({meta['pages']} pages, {meta['settings']['dpi']} dpi), "
          f"{runs} alternated run(s) each:")
    print("| run | wall s, median (min-max) | CPU s, median (min-max) | wall x ocrmypdf | CPU x ocrmypdf |")
    print("|---|---|---|---|---|")
    base_wall = statistics.median(w for w, _ in results["ocrmypdf"])
    base_cpu = statistics.median(c for _, c in results["ocrmypdf"])
    for name, values in results.items():
        walls, cpus = sorted(w for w, _ in values), sorted(c for _, c in values)
        wall, cpu = statistics.median(walls), statistics.median(cpus)
        print(f"| {name} | {wall:.1f} ({walls[0]:.1f}-{walls[-1]:.1f}) | {cpu:.1f} ({cpus[0]:.1f}-{cpus[-1]:.1f}) "
              f"| {wall / base_wall:.2f} | {cpu / base_cpu:.2f} |")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path(tempfile.gettempdir()) / "actionplan-sweep")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--held-out", action="store_true", help="only the held-out scans")
    which.add_argument("--dev", action="store_true", help="only the development scans")
    parser.add_argument("--only", action="append", help="a scan's name (repeatable)")
    parser.add_argument("--ocrmypdf", action="store_true", help="also the ocrmypdf copies")
    parser.add_argument("--timing", metavar="NAME", help="time this scan against ocrmypdf")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args(argv)
    args.work.mkdir(parents=True, exist_ok=True)
    if args.timing:
        timing(next(s for s in sweep.SWEEP if s.name == args.timing), args.work, args.runs)
        return 0
    rows = []
    for scan in sweep.SWEEP:
        if (args.held_out and not scan.held_out) or (args.dev and scan.held_out):
            continue
        if args.only and scan.name not in args.only:
            continue
        meta = ensure_built(scan, args.work, args.ocrmypdf)
        image = args.work / f"{scan.name}-image-only.pdf"
        rows.append(row(scan.name, meta, run_one(image, scan.source, meta["pages"], args.work)))
        if args.ocrmypdf:
            copy = args.work / f"{scan.name}-ocrmypdf.pdf"
            rows.append(row(scan.name + " (ocrmypdf copy)", meta,
                            run_one(copy, scan.source, meta["pages"], args.work)))
        print_table(rows[-1:])  # progress, one row at a time
    print()
    print_table(rows)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
