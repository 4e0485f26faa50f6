"""Benchmark: the whole layout sweep, field for field against the source.

    python benchmarks/layout_sweep.py [--cache DIR] [--seed 2024] [--only ID] [-j 2] [--no-build]
                                      [--sample]   # only the committed samples/sweep/ PDFs
                                      [--keep DIR] # keep each output in DIR/<id>/

Builds (or reuses, from ``--cache``) every rendering of ``samples/build/sweep.py`` --
the 2024 plan (or ``--source``'s) through both generators on every layout axis -- runs
``actionplan extract`` on each in a fresh process, compares the output with the
source's expected data (``tests/expected.py``, ``tests/compare.py``: characteristics,
actions, themes, heatmap, field by field) and the manifest's pages with the rendering's
(``pages_used`` / ``pages_skipped``, when the manifest has them), and prints a table:

    rendering | axes that differ from the 2024 Word plan | ids found/expected (+ extra) |
    wrong fields per table | exit code and manifest status | failed checks | pages | seconds

and a summary line.  Building the sweep needs WeasyPrint, LibreOffice (+ hyphen-en-gb)
and pikepdf (samples/README.md); a cached sweep needs none of them.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "samples"))
sys.path.insert(0, str(ROOT / "tests"))

from compare import compare_all, wrong_by_table  # noqa: E402
from expected import load_expected  # noqa: E402

#: The axes' values of the 2024 Word plan; a rendering's table row names only the others.
BASELINE = {"page": "a4", "orientation": "landscape", "margins": "narrow", "widths": "standard",
            "font": "sans", "size": "medium", "labels": "standard", "header_align": "left",
            "header_repeat": "yes", "justify": "left", "hyphens": "none", "hyphen_char": "",
            "ligatures": "none", "rules": "grid", "key": "shaded", "palette": "office",
            "bands": "padded", "running_header": "yes", "turned": "none", "pack": "none"}
TABLES = ("characteristics", "actions", "themes", "heatmap")
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def axes_note(axes: dict) -> str:
    return " ".join(f"{k}={v}" for k, v in axes.items() if v and BASELINE.get(k) != v)


def extract(pdf: Path, out: Path) -> tuple[int, float, str]:
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "actionplan", "extract", str(pdf), "--out", str(out),
                           "--quiet"], capture_output=True, text=True, env=CHILD_ENV)
    seconds = time.perf_counter() - started
    last = proc.stderr.strip().splitlines()[-1:]
    return proc.returncode, seconds, last[0] if last else ""


def failed_checks(manifest: dict) -> str:
    """Names of the manifest's failed self-checks ("n/a" until the manifest has checks).
    Accepts {name: bool | {"passed": bool}} or [{"name": ..., "passed": bool}]."""
    checks = manifest.get("checks")
    if checks is None:
        return "n/a"
    if isinstance(checks, dict):
        items = list(checks.items())
    else:
        items = [(c.get("name", "?"), c) for c in checks]
    bad = [name for name, c in items
           if c is False or (isinstance(c, dict) and (c.get("passed") is False or c.get("ok") is False))]
    return ",".join(bad) or "-"


def pages_verdict(manifest: dict, expect: dict) -> str:
    """The manifest's pages against the rendering's: ``pages`` = {"used": [...], "skipped":
    [{"page": n, "reason": ...}]} (the manifest's form; tests/test_sweep.py reads it so)."""
    pages = manifest.get("pages")
    if not isinstance(pages, dict) or "used" not in pages:
        return "n/a"
    skipped = [s["page"] if isinstance(s, dict) else s for s in pages.get("skipped", [])]
    ok = pages["used"] == expect["pages_used"] and skipped == expect["pages_skipped"]
    return "ok" if ok else "WRONG"


def evaluate(record: dict, pdf: Path, work: Path) -> dict:
    out = work / record["id"]
    code, seconds, last_err = extract(pdf, out)
    row = {"id": record["id"], "axes": axes_note(record["axes"]), "exit": code, "seconds": seconds}
    expected = load_expected(ROOT / record["source"])
    want_ids = {c["element_id"] for c in expected.characteristics}
    if code not in (0, 1) or not (out / "characteristics.parquet").exists():
        row.update(ids=f"0/{len(want_ids)}", wrong={t: "-" for t in TABLES}, status=f"error: {last_err[:60]}",
                   checks="-", pages="-", total_wrong=None)
        return row
    result = compare_all(out, expected)
    import pyarrow.parquet as pq
    got_ids = set(pq.read_table(out / "characteristics.parquet").column("element_id").to_pylist())
    manifest = json.loads((out / "manifest.json").read_text())
    wrong = wrong_by_table(result)
    extra = len(got_ids - want_ids)
    row.update(ids=f"{len(got_ids & want_ids)}/{len(want_ids)}" + (f" +{extra}" if extra else ""),
               wrong={t: wrong.get(t, 0) for t in TABLES}, status=manifest.get("status", "?"),
               checks=failed_checks(manifest), pages=pages_verdict(manifest, record["expect"]),
               total_wrong=sum(wrong.values()), examples=result.examples[:3])
    return row


def print_table(rows: list[dict]) -> None:
    head = f"{'rendering':10} {'ids':>9} {'chars':>5} {'acts':>5} {'thms':>5} {'heat':>5} {'status':14} {'checks':8} {'pages':5} {'sec':>5}  axes"
    print(head)
    print("-" * len(head))
    for r in rows:
        w = r["wrong"]
        print(f"{r['id']:10} {r['ids']:>9} {w['characteristics']!s:>5} {w['actions']!s:>5} "
              f"{w['themes']!s:>5} {w['heatmap']!s:>5} {str(r['exit']) + ' ' + r['status']:14.14} "
              f"{r['checks']:8.8} {r['pages']:5} {r['seconds']:5.1f}  {r['axes']}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "actionplan-sweep",
                    help="where the sweep's renderings are built and reused")
    ap.add_argument("--seed", type=int, default=None)
    ap.add_argument("--source", type=Path, default=None, metavar="SOURCE_JSON",
                    help="lay out another plan (e.g. samples/appendix-a-2025/source.json; default "
                         "the 2024 plan); use its own --cache")
    ap.add_argument("--only", action="append", metavar="ID")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="renderings built at once")
    ap.add_argument("--sample", action="store_true", help="only the committed samples/sweep/ renderings")
    ap.add_argument("--no-build", action="store_true",
                    help="read the renderings already in --cache as they are (built by an older "
                         "generator, say) instead of building or rebuilding any")
    ap.add_argument("--examples", action="store_true", help="print a few wrong fields per rendering")
    ap.add_argument("--keep", type=Path, default=None, metavar="DIR",
                    help="write each rendering's output to DIR/<id>/ and keep it (to look at the "
                         "wrong fields without extracting again)")
    args = ap.parse_args(argv)

    if args.sample or args.no_build:
        folder = ROOT / "samples" / "sweep" if args.sample else args.cache
        records = [json.loads(p.read_text()) for p in sorted(folder.glob("s*-*.json"))]
        pdfs = {r["id"]: folder / f"{r['id']}.pdf" for r in records}
    else:
        from build import sweep
        recipes = sweep.sweep_recipes(args.seed or sweep.DEFAULT_SEED)
        recipes = [r for r in recipes if not args.only or r.id in args.only]
        print(f"building / reusing {len(recipes)} renderings in {args.cache} ...", flush=True)
        records = sweep.build_all(recipes, args.cache, args.jobs, seed=args.seed or sweep.DEFAULT_SEED,
                                  source_path=(args.source or sweep.SOURCE).resolve())
        pdfs = {r["id"]: args.cache / f"{r['id']}.pdf" for r in records}
    records = [r for r in records if not args.only or r["id"] in args.only]

    rows = []
    with tempfile.TemporaryDirectory(prefix="layout-sweep-") as tmp:
        work = args.keep or Path(tmp)
        for record in records:
            rows.append(evaluate(record, pdfs[record["id"]], work))
            print(f"  {rows[-1]['id']}: {rows[-1]['total_wrong']} wrong fields", file=sys.stderr, flush=True)
    print()
    print_table(rows)
    exact = [r for r in rows if r["total_wrong"] == 0 and r["pages"] in ("ok", "n/a")]
    crashed = [r for r in rows if r["total_wrong"] is None]
    print(f"\n{len(exact)} of {len(rows)} renderings exact; {len(crashed)} failed to extract; "
          f"{sum(r['total_wrong'] or 0 for r in rows)} wrong fields in all; "
          f"median {sorted(r['seconds'] for r in rows)[len(rows) // 2]:.1f}s per extraction")
    if args.examples:
        for r in rows:
            for e in r.get("examples", []):
                print(f"{r['id']}: {e}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
