#!/usr/bin/env python3
"""Rebuild every generated sample file:  python samples/build.py

Needs python-docx (``pip install -e .[samples]``), pdfplumber, and LibreOffice from the
Debian packages (``apt-get install libreoffice-writer fonts-liberation``) for the PDFs.
Tests never need this: they read the committed files.

The build is a list of STEPS, run in order.  Each step names the tools it needs and is
skipped with a message when one is missing, so a machine without LibreOffice (or
without another step's tool) still runs what it can.  To add a step, write a function
``f(ctx) -> None`` and append ``Step(name, f, needs=[...])`` to ``STEPS`` below.

    python samples/build.py                 # everything
    python samples/build.py --list          # the steps
    python samples/build.py --only fixtures # one step (repeatable)
    python samples/build.py --merge         # first (re)write appendix-a-2024/source.json from parts/
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

SAMPLES = Path(__file__).resolve().parent
sys.path.insert(0, str(SAMPLES))          # so `build` is the samples/build/ package

from build import merge_parts  # noqa: E402

SAMPLE_2024 = SAMPLES / "appendix-a-2024"
FIXTURES_DIR = SAMPLES / "fixtures"


# --------------------------------------------------------------------------- machinery

@dataclass
class Context:
    args: argparse.Namespace
    source_2024: dict | None = None
    summary: list[str] = field(default_factory=list)   # lines for the final report
    failed: list[str] = field(default_factory=list)

    def source(self) -> dict:
        """The 2024 source: source.json, or (until the lead merges) the parts merged in memory."""
        if self.source_2024 is None:
            path = SAMPLE_2024 / "source.json"
            if path.exists():
                self.source_2024 = json.loads(path.read_text(encoding="utf-8"))
            else:
                print(f"  {path.relative_to(SAMPLES.parent)} missing: merging parts/ in memory")
                self.source_2024 = merge_parts.merge_sample(SAMPLE_2024)
        return self.source_2024


@dataclass
class Step:
    name: str
    run: Callable[[Context], None]
    needs: list[str] = field(default_factory=list)   # executables, or "py:module"
    about: str = ""

    def missing(self) -> list[str]:
        out = []
        for need in self.needs:
            if need.startswith("py:"):
                if importlib.util.find_spec(need[3:]) is None:
                    out.append(f"python module {need[3:]}")
            elif not shutil.which(need):
                out.append(need)
        return out


def _level_line(res) -> str:
    residue = res.max_residue
    unlevel = res.unlevel()
    r = "n/a" if residue is None else ("unmeasurable" if residue == float("inf") else f"{residue:.1f} pt")
    return (f"{res.pages} pages, {res.iterations} levelling passes, "
            f"{sum(res.padding.values())} padding paragraphs, max band-start residue {r}, "
            f"{len(unlevel)} bands not level, {res.seconds:.0f}s")


# --------------------------------------------------------------------------- steps

def step_merge(ctx: Context) -> None:
    merge_parts.main([str(SAMPLE_2024)])
    ctx.source_2024 = None


def step_docx_2024(ctx: Context) -> None:
    from build import docx_render
    res = docx_render.render_levelled(ctx.source(), SAMPLE_2024 / "appendix-a-2024",
                                      docx_render.RenderOptions(), log=lambda m: print(m))
    line = f"appendix-a-2024: {_level_line(res)}"
    for b in res.unlevel():
        line += f"\n    not level: {b.element_id} band {b.band} " + ", ".join(
            f"{c} p{m.page + 1} y{m.y:.1f}" for c, m in b.starts.items())
    for n in res.notes:
        line += f"\n    note: {n}"
    ctx.summary.append(line)


def step_fixtures(ctx: Context) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from build import docx_render, fixtures
    full = ctx.source()
    wanted = set(ctx.args.fixture or [])
    todo = [fx for fx in fixtures.FIXTURES if not wanted or fx.name in wanted]

    def one(fx) -> tuple[str, bool]:
        out = FIXTURES_DIR / fx.name
        out.mkdir(parents=True, exist_ok=True)
        src = fixtures.fixture_source(full, fx)
        (out / "source.json").write_text(json.dumps(src, indent=2, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
        res = docx_render.render_levelled(src, out / fx.name, fx.options,
                                          log=lambda m: print(f"  [{fx.name}] {m.strip()}"))
        fx.findings.clear()
        problems = fx.check(fx, src, res) if res.pdf else ["no PDF"]
        line = f"fixture {fx.name}: {_level_line(res)}"
        for f in fx.findings:
            line += f"\n    {f}"
        for b in res.unlevel():
            line += f"\n    not level: {b.element_id} band {b.band}"
        for n in res.notes:
            line += f"\n    note: {n}"
        for p in problems:
            line += f"\n    PROBLEM NOT REPRODUCED: {p}"
        return line, not problems

    # each LibreOffice run has its own profile, so fixtures can render side by side
    with ThreadPoolExecutor(max_workers=max(1, ctx.args.jobs)) as pool:
        for fx, (line, ok) in zip(todo, pool.map(one, todo)):
            ctx.summary.append(line)
            if not ok:
                ctx.failed.append(f"fixture {fx.name}")


# NOTE (docx helper): the two step functions below were restored by the docx helper after
# an edit of build.py raced with the html/scan helpers' edits and dropped their versions;
# they call the modules' public functions with the modules' own defaults.  Owners of
# html_render.py / scan.py: replace freely.
def step_html_2024(ctx: Context) -> None:
    from build import html_render
    html_path, pdf_path, pages = html_render.render_pdf(ctx.source(), html_render.DEFAULT_OUT,
                                                        html_render.DEFAULT_STEM)
    ctx.summary.append(f"{html_render.DEFAULT_STEM}: {pages} pages "
                       f"({html_path.name}, {pdf_path.name})")


# HTML fixtures: (name, rows, HtmlOptions changes, the problem it reproduces).
HTML_FIXTURES = [
    ("header-labels-centred", ["G001", "G003"], {"header_align": "center"},
     "header labels centred in their cells (as HTML <th> prints them) over a table with "
     "horizontal rules only: a label does not start where its column's text starts"),
]


def step_html_fixtures(ctx: Context) -> None:
    from build import docx_render, html_render
    for name, rows, changes, _problem in HTML_FIXTURES:
        source = docx_render.subset_source(ctx.source(), rows)
        source.update(heatmap_intro="", heatmap=[], key=[])
        out = FIXTURES_DIR / name
        out.mkdir(parents=True, exist_ok=True)
        (out / "source.json").write_text(json.dumps(source, indent=1, ensure_ascii=False) + "\n",
                                         encoding="utf-8")
        _, pdf_path, pages = html_render.render_pdf(source, out, name,
                                                    opts=html_render.HtmlOptions(**changes))
        ctx.summary.append(f"html fixture {name}: {pages} pages ({pdf_path.name})")


def step_unseen_fixtures(ctx: Context) -> None:
    """The fixtures of issue #11 (renderings the pipeline had never seen), both engines."""
    from concurrent.futures import ThreadPoolExecutor

    from build import fixtures
    wanted = set(ctx.args.fixture or [])
    todo = [fx for fx in fixtures.rendered_fixtures() if not wanted or fx.name in wanted]

    def one(fx):
        try:
            built, problems = fixtures.build_rendered_fixture(ctx.source(), fx, FIXTURES_DIR, log=print)
        except Exception as exc:  # report it and let the other fixtures finish
            import traceback
            traceback.print_exc()
            return f"fixture {fx.name}: FAILED {exc}", False
        line = f"fixture {fx.name}: {built.record['expect']['pages']} pages, {built.record['seconds']}s"
        for f in fx.findings:
            line += f"\n    {f}"
        for p in problems:
            line += f"\n    PROBLEM NOT REPRODUCED: {p}"
        return line, not problems

    with ThreadPoolExecutor(max_workers=max(1, ctx.args.jobs)) as pool:
        for fx, (line, ok) in zip(todo, pool.map(one, todo)):
            ctx.summary.append(line)
            if not ok:
                ctx.failed.append(f"fixture {fx.name}")


def step_sweep_sample(ctx: Context) -> None:
    """The layout sweep (cached outside the repository) and its covering sample in sweep/."""
    from build import sweep
    recipes = sweep.sweep_recipes(sweep.DEFAULT_SEED)
    records = sweep.build_all(recipes, ctx.args.sweep_cache, ctx.args.jobs)
    bad = [r["id"] for r in records if r["problems"]]
    chosen = sweep.commit_sample(recipes, ctx.args.sweep_cache, sweep.DEFAULT_SEED)
    ctx.summary.append(f"sweep: {len(records)} renderings in {ctx.args.sweep_cache}; "
                       f"sample {', '.join(chosen)} copied to samples/sweep/")
    if bad:
        ctx.failed.append(f"sweep renderings with problems: {', '.join(bad)}")


def _report_built(ctx: Context, label: str, name: str, record: dict) -> None:
    """One summary line per built sample, its probe's problems under it (and a failure)."""
    line = f"{label}: {record['expect']['pages']} pages, {record['seconds']}s"
    for problem in record["problems"]:
        line += f"\n    PROBLEM: {problem}"
    ctx.summary.append(line)
    if record["problems"]:
        ctx.failed.append(name)


def step_tagged(ctx: Context) -> None:
    """Tagged PDFs of issue #16 (samples/tagged/), both generators."""
    from build import tagged
    wanted = set(ctx.args.fixture or [])
    for sample in tagged.TAGGED_SAMPLES:
        if wanted and sample.name not in wanted:
            continue
        _report_built(ctx, f"tagged {sample.name}", sample.name, tagged.build_tagged_sample(sample, log=print).record)


def step_column_samples(ctx: Context) -> None:
    """Issue #12's samples: the same content under other column sets (build/column_samples.py)."""
    from build import column_samples
    wanted = set(ctx.args.sample or [])
    for sample in column_samples.COLUMN_SAMPLES:
        if wanted and sample.name not in wanted:
            continue
        _report_built(ctx, sample.name, sample.name, column_samples.build_column_sample(sample, log=print).record)


def step_scan_2024(ctx: Context) -> None:
    from build import scan
    record = scan.build_scan(scan.DEFAULT_PDF, scan.DEFAULT_OUT, ocr=True, log=lambda m: print(f"  {m}"))
    line = f"appendix-a-2024-scan: {record.get('input_pages')} pages"
    rep = record.get("ocr_id_report")
    if rep:
        line += (f", OCR ids {rep['exact']} exact / {rep['damaged_confusable']} damaged / "
                 f"{rep['lost']} lost of {rep['id_occurrences_in_original']}")
    ctx.summary.append(line)


def step_docx_2025(ctx: Context) -> None:
    """The 2025 revision: source.json rewritten from make_source.py's hand edits, then
    rendered like the 2024 plan."""
    from build import docx_render
    sample = SAMPLES / "appendix-a-2025"
    spec = importlib.util.spec_from_file_location("make_source_2025", sample / "make_source.py")
    make_source = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_source)
    make_source.main([])
    source = json.loads((sample / "source.json").read_text(encoding="utf-8"))
    res = docx_render.render_levelled(source, sample / "appendix-a-2025",
                                      docx_render.RenderOptions(), log=lambda m: print(m))
    line = f"appendix-a-2025: {_level_line(res)}"
    for b in res.unlevel():
        line += f"\n    not level: {b.element_id} band {b.band}"
    for n in res.notes:
        line += f"\n    note: {n}"
    ctx.summary.append(line)


STEPS: list[Step] = [
    Step("docx-2024", step_docx_2024, needs=["soffice", "py:docx", "py:pdfplumber"],
         about="appendix-a-2024/appendix-a-2024.docx + .pdf, bands levelled"),
    Step("fixtures", step_fixtures, needs=["soffice", "py:docx", "py:pdfplumber"],
         about="fixtures/<name>/source.json + <name>.docx + <name>.pdf"),
    Step("html-2024", step_html_2024, needs=["py:weasyprint"],
         about="appendix-a-2024-html/appendix-a-2024-html.html + .pdf (WeasyPrint, second producer)"),
    Step("html-fixtures", step_html_fixtures, needs=["py:weasyprint"],
         about="fixtures/header-labels-centred/ (WeasyPrint, centred header labels)"),
    Step("unseen-fixtures", step_unseen_fixtures,
         needs=["soffice", "py:docx", "py:pdfplumber", "py:weasyprint", "py:pikepdf"],
         about="fixtures/<name>/ of issue #11: wrapped header, typeset text, turned pages, "
               "reports pack, swatch key, L009 paragraphs (rendering.json beside each)"),
    Step("sweep-sample", step_sweep_sample,
         needs=["soffice", "py:docx", "py:pdfplumber", "py:weasyprint", "py:pikepdf"],
         about="the layout sweep (build/sweep.py, cached in --sweep-cache) and its covering "
               "sample in sweep/"),
    Step("column-samples", step_column_samples,
         needs=["soffice", "py:docx", "py:pdfplumber", "py:weasyprint", "py:pikepdf"],
         about="<name>/ of issue #12: progress and status columns, column order, owner and date "
               "apart, an unknown column, another council's columns, a user-profile layout"),
    Step("tagged", step_tagged,
         needs=["soffice", "py:docx", "py:pdfplumber", "py:weasyprint", "py:pikepdf"],
         about="tagged/<name>/ of issue #16: tagged PDFs from both generators (structure tree)"),
    # after docx-2024: scans its PDF
    Step("scan-2024", step_scan_2024,
         needs=["ocrmypdf", "tesseract", "pdftotext", "py:pypdfium2", "py:img2pdf", "py:numpy", "py:PIL"],
         about="appendix-a-2024-scan/ image-only + OCR PDFs of appendix-a-2024.pdf"),
    Step("docx-2025", step_docx_2025, needs=["soffice", "py:docx", "py:pdfplumber"],
         about="appendix-a-2025/source.json (from make_source.py) + .docx + .pdf, bands levelled"),
]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Rebuild the generated sample files.")
    ap.add_argument("--list", action="store_true", help="list the steps and exit")
    ap.add_argument("--only", action="append", metavar="STEP", help="run only this step (repeatable)")
    ap.add_argument("--fixture", action="append", metavar="NAME", help="only this fixture (repeatable)")
    ap.add_argument("--sample", action="append", metavar="NAME", help="only this column sample (repeatable)")
    ap.add_argument("-j", "--jobs", type=int, default=2, help="fixtures rendered in parallel (default 2)")
    ap.add_argument("--sweep-cache", type=Path, default=Path(tempfile.gettempdir()) / "actionplan-sweep",
                    help="where the sweep step builds and reuses its renderings")
    ap.add_argument("--merge", action="store_true",
                    help="first write appendix-a-2024/source.json from appendix-a-2024/parts/")
    args = ap.parse_args(argv)

    if args.list:
        for s in STEPS:
            miss = s.missing()
            print(f"{s.name:12} {s.about}" + (f"  [missing: {', '.join(miss)}]" if miss else ""))
        return 0
    unknown = set(args.only or []) - {s.name for s in STEPS}
    if unknown:
        ap.error(f"unknown step(s): {', '.join(sorted(unknown))}")

    ctx = Context(args)
    t0 = time.monotonic()
    if args.merge:
        step_merge(ctx)
    for s in STEPS:
        if args.only and s.name not in args.only:
            continue
        miss = s.missing()
        if miss:
            msg = f"SKIPPED {s.name}: missing {', '.join(miss)}"
            print(msg)
            ctx.summary.append(msg)
            continue
        print(f"== {s.name}")
        t = time.monotonic()
        try:
            s.run(ctx)
        except Exception as exc:  # report and go on with the other steps
            import traceback
            traceback.print_exc()
            ctx.failed.append(f"{s.name}: {exc}")
        print(f"   {s.name} took {time.monotonic() - t:.0f}s")
    print("\n== summary")
    for line in ctx.summary:
        print(line)
    print(f"total {time.monotonic() - t0:.0f}s")
    if ctx.failed:
        print("FAILED: " + "; ".join(ctx.failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
