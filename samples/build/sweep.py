"""The layout sweep: the 2024 plan rendered many ways the pipeline was not built with.

Every rendering is the same ``samples/appendix-a-2024/source.json`` laid out by one of
the two generators (``html_render``: HTML/CSS + WeasyPrint; ``docx_render``: python-docx +
LibreOffice) with a value on every layout axis (``AXES``), then changed afterwards like
real PDFs are (``pdf_post``: pages turned, stored with ``/Rotate``, bound into a reports
pack).  So every rendering must give the source's data field for field.

The values are drawn from a seeded generator: each axis's values are repeated to the
number of renderings of an engine and shuffled, so every value of every axis appears
(about equally often) with both engines where the engine can do it.  The same seed gives
the same renderings (parameters always; bytes for the HTML engine).

    python samples/build/sweep.py --out /tmp/sweep            # build (or reuse) all
    python samples/build/sweep.py --out /tmp/sweep --only s03-html
    python samples/build/sweep.py --list                      # the renderings and axes
    python samples/build/sweep.py --out /tmp/sweep --commit-sample   # + copy the covering
                                                              #   sample to samples/sweep/

Each rendering writes ``<out>/<id>.pdf`` and ``<out>/<id>.json`` (axes, engine options,
post-processing, the pages the plan is on, facts measured on the PDF that show each axis
value is really there); ``<out>/sweep.json`` indexes them.  A rendering whose recipe is
unchanged is reused -- with a warning if the generators or the source changed since
(``--force`` rebuilds).  Word renderings level
their bands with LibreOffice (1-2 minutes each): at most ``-j`` (default 2) run at once,
under ``nice``.
"""
from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent
ROOT = SAMPLES.parent
SOURCE = SAMPLES / "appendix-a-2024" / "source.json"
SAMPLE_DIR = SAMPLES / "sweep"

if __package__ in (None, ""):          # run as a script: import the generators as `build.*`
    sys.path.insert(0, str(SAMPLES))
    __package__ = "build"

from . import docx_render, html_render, pdf_post  # noqa: E402
from .pack import render_pack_parts  # noqa: E402
from .probe import measure_pdf, verify  # noqa: E402
from .variants import Column, standard_columns  # noqa: E402

DEFAULT_SEED = 2024
DEFAULT_COUNTS = {"html": 36, "docx": 12}

# --------------------------------------------------------------------------- the axes


@dataclass(frozen=True)
class Axis:
    name: str
    values: tuple[str, ...]
    about: str
    engines: tuple[str, ...] = ("html", "docx")


AXES: tuple[Axis, ...] = (
    Axis("page", ("a4", "letter", "a3"), "paper size"),
    Axis("orientation", ("landscape", "portrait"), "page orientation"),
    Axis("margins", ("narrow", "wide"), "page margins: 1.27 cm / 2.54 cm"),
    Axis("widths", ("standard", "narrow-first", "wide-description"),
         "column widths: 11/19/25/27/18, 8/14/29/31/18, 10/28/22/24/16 %"),
    Axis("font", ("sans", "serif", "condensed"),
         "body font: DejaVu Sans / Serif / Sans Condensed (HTML); Liberation Sans / Serif / "
         "Sans Narrow, or the DejaVu ones where the ligatures axis wants glyphs (Word)"),
    Axis("size", ("small", "medium", "large"), "body size: 7.5/8.5/10 pt (HTML), 8/9/10.5 pt (Word)"),
    Axis("labels", ("standard", "reworded", "capitals"), "header wording (variants.LABEL_SETS)"),
    Axis("header_align", ("left", "center"), "header labels aligned left or centred"),
    Axis("header_repeat", ("yes", "no"), "header row repeated on every page or printed once"),
    Axis("justify", ("left", "justify"), "body text ragged right or justified"),
    Axis("hyphens", ("none", "auto"), "automatic hyphenation (WeasyPrint pyphen / LibreOffice hyphen-en-gb)"),
    Axis("hyphen_char", ("u2010", "u002d", "u2011", "u00ad"),
         "the line-end hyphen when hyphens=auto (Word: always U+002D); u00ad is drawn as "
         "U+2010 and mapped to SOFT HYPHEN in the font's ToUnicode", engines=("html",)),
    Axis("ligatures", ("glyphs", "none", "presentation"),
         "fi/fl ligature glyphs, none, or U+FB00-FB04 characters in the text"),
    Axis("rules", ("grid", "horizontal", "none", "thick", "coloured"), "table rules"),
    Axis("key", ("shaded", "swatch", "text", "plain"), "how the score key shows its colours"),
    Axis("palette", ("office", "muted"), "score fill colours"),
    Axis("bands", ("nested", "rowspan"), "bands as rows of a nested table, or as rows of the "
         "plan table under rowspan cells (rules between bands)", engines=("html",)),
    Axis("running_header", ("yes", "no"), "the title printed small at the top of every page"),
    Axis("turned", ("none", "some", "stored"),
         "pages as drawn: all upright; three pages drawn at 90/180/270 inside an upright "
         "document; every page stored turned with /Rotate 90"),
    Axis("pack", ("none", "before", "after", "both"),
         "bound into a reports pack: covering report before, risk register appendix after"),
)
AXIS = {a.name: a for a in AXES}

WIDTHS = {"standard": (11, 19, 25, 27, 18), "narrow-first": (8, 14, 29, 31, 18),
          "wide-description": (10, 28, 22, 24, 16)}
HTML_FONTS = {"sans": '"DejaVu Sans", sans-serif', "serif": '"DejaVu Serif", serif',
              "condensed": html_render.SANS_CONDENSED}
DOCX_FONTS = {"sans": "Arial", "serif": "Liberation Serif", "condensed": "Liberation Sans Narrow"}
DOCX_LIGATURE_FONTS = {"sans": "DejaVu Sans", "serif": "DejaVu Serif", "condensed": "DejaVu Sans Condensed"}
HTML_SIZES = {"small": 7.5, "medium": 8.5, "large": 10.0}
DOCX_SIZES = {"small": 8.0, "medium": 9.0, "large": 10.5}
HTML_MARGINS = {"narrow": (0.5, 0.5, 0.6, 0.5), "wide": (1.0, 1.0, 1.0, 1.0)}
DOCX_MARGINS = {"narrow": 1.27, "wide": 2.54}


def html_options(axes: dict[str, str]) -> html_render.HtmlOptions:
    return html_render.HtmlOptions(
        page=axes["page"], orientation=axes["orientation"], margins_in=HTML_MARGINS[axes["margins"]],
        columns=standard_columns(axes["labels"], WIDTHS[axes["widths"]]),
        body_font=HTML_FONTS[axes["font"]], font_size=HTML_SIZES[axes["size"]],
        header_align=axes["header_align"], header_repeat=axes["header_repeat"] == "yes",
        justify=axes["justify"] == "justify",
        hyphens="auto" if axes["hyphens"] == "auto" else "manual",
        hyphen_char=axes.get("hyphen_char") or "u2010",
        ligatures=axes["ligatures"], rules=axes["rules"], key_style=axes["key"],
        palette=axes["palette"], band_layout=axes["bands"],
        running_header=axes["running_header"] == "yes",
    )


def docx_options(axes: dict[str, str]) -> docx_render.RenderOptions:
    fonts = DOCX_LIGATURE_FONTS if axes["ligatures"] == "glyphs" else DOCX_FONTS
    return docx_render.RenderOptions(
        page=axes["page"], orientation=axes["orientation"], margin_cm=DOCX_MARGINS[axes["margins"]],
        col_widths=tuple(w / 100 for w in WIDTHS[axes["widths"]]), header_labels=axes["labels"],
        font=fonts[axes["font"]], font_size=DOCX_SIZES[axes["size"]],
        header_align=axes["header_align"], repeat_header=axes["header_repeat"] == "yes",
        justify=axes["justify"] == "justify", hyphenate=axes["hyphens"] == "auto",
        ligatures={"glyphs": "font", "none": "none", "presentation": "presentation"}[axes["ligatures"]],
        borders=axes["rules"], key_style=axes["key"], palette=axes["palette"],
        running_header=axes["running_header"] == "yes",
    )


# --------------------------------------------------------------------------- recipes


@dataclass(frozen=True)
class Post:
    """What happens to the rendered PDF afterwards (``pdf_post``)."""

    turned: str = "none"                    # none | some (3 pages at 90/180/270) | stored (/Rotate)
    turn_pages: tuple[tuple[int, int], ...] = ()   # explicit (0-based page, angle); else drawn
    soft_hyphens: bool = False              # U+2010 mapped to U+00AD in ToUnicode
    pack: str = "none"                      # none | before | after | both


@dataclass(frozen=True)
class Recipe:
    """One rendering: the engine, its options, the post-processing."""

    id: str
    engine: str                             # html | docx
    options: object                         # HtmlOptions | RenderOptions
    post: Post = Post()
    axes: dict = field(default_factory=dict, hash=False, compare=False)
    rows: tuple[str, ...] = ()              # element ids of a subset; () = every row

    def describe(self) -> dict:
        return {"id": self.id, "engine": self.engine, "axes": self.axes,
                "options": asdict(self.options), "post": asdict(self.post), "rows": list(self.rows)}


def _balanced(values: tuple[str, ...], n: int, rng: random.Random) -> list[str]:
    """``n`` values, each value as often as the others (give or take one), shuffled."""
    out = [values[i % len(values)] for i in range(n)]
    rng.shuffle(out)
    return out


def sweep_recipes(seed: int = DEFAULT_SEED, counts: dict[str, int] | None = None) -> list[Recipe]:
    counts = counts or DEFAULT_COUNTS
    recipes: list[Recipe] = []
    number = 0
    for engine, n in counts.items():
        rng = random.Random(f"{seed}:{engine}")
        columns = {a.name: _balanced(a.values, n, rng) for a in AXES
                   if engine in a.engines and a.name != "hyphen_char"}
        hyphenated = [i for i in range(n) if columns["hyphens"][i] == "auto"]
        chars = _balanced(AXIS["hyphen_char"].values, len(hyphenated), rng) if engine == "html" else []
        for i in range(n):
            number += 1
            axes = {name: vals[i] for name, vals in columns.items()}
            if engine == "html":
                axes["hyphen_char"] = chars[hyphenated.index(i)] if i in hyphenated else ""
            else:
                axes["hyphen_char"] = "u002d" if axes["hyphens"] == "auto" else ""
                axes["bands"] = "padded"
            rid = f"s{number:02d}-{engine}"
            options = html_options(axes) if engine == "html" else docx_options(axes)
            post = Post(turned=axes["turned"], soft_hyphens=axes["hyphen_char"] == "u00ad",
                        pack=axes["pack"])
            recipes.append(Recipe(rid, engine, options, post, axes))
    return recipes


# --------------------------------------------------------------------------- building


@dataclass
class Built:
    pdf: Path
    record: dict


def code_hash(source_path: Path = SOURCE) -> str:
    """Changes when a generator or the source changes.  A cached rendering whose recipe is
    the same is reused with a warning when this differs (--force rebuilds); after a change
    of probe.py it is only probed again."""
    digest = hashlib.sha256()
    for name in ("variants", "html_render", "docx_render", "pdf_post", "pack"):
        digest.update((HERE / f"{name}.py").read_bytes())
    digest.update(source_path.read_bytes())
    return digest.hexdigest()[:16]


def _drawn_turns(recipe: Recipe, pages: int) -> dict[int, int]:
    """Three pages of the plan (seeded by the rendering's id) drawn at 90, 180 and 270."""
    if recipe.post.turn_pages:
        return dict(recipe.post.turn_pages)
    rng = random.Random(f"turn:{recipe.id}")
    chosen = sorted(rng.sample(range(pages), min(3, pages)))
    angles = [90, 180, 270]
    rng.shuffle(angles)
    return dict(zip(chosen, angles))


def source_columns(source: dict, axes: dict[str, str]) -> tuple[Column, ...] | None:
    """A plan that names its own columns (another council's: "Ref", "Rating", "Lead
    officer", "Target date") is laid out in them, the widths and labels axes applied to
    them as to the standard five: "narrow-first" narrows the two leftmost columns by a
    third and gives it to the widest, "wide-description" widens the characteristic's by
    half, "capitals" prints every label in capitals ("reworded" has no rewording of another
    council's labels: they are printed as they are); no column is left narrower than
    ``MIN_COLUMN_SHARE``. None: the standard columns."""
    if not source.get("columns"):
        return None
    columns = [Column(f, label, float(width)) for f, label, width in source["columns"]]
    widths = [c.width for c in columns]
    if axes.get("widths") == "narrow-first":
        freed = sum(w / 3 for w in widths[:2])
        widths[:2] = [w * 2 / 3 for w in widths[:2]]
        widest = max(range(2, len(widths)), key=widths.__getitem__)
        widths[widest] += freed
    elif axes.get("widths") == "wide-description":
        widths = [w * 1.5 if c.field == "characteristic" else w for c, w in zip(columns, widths)]
    # No column narrower than an author would leave one: an id or a score word wrapped a
    # letter a line ("G" / "0" / "0" / "4") is a layout nobody publishes.
    floor = MIN_COLUMN_SHARE * sum(widths)
    widths = [max(w, floor) for w in widths]
    labels = [c.label.upper() if axes.get("labels") == "capitals" else c.label for c in columns]
    return tuple(Column(c.field, label, w) for c, label, w in zip(columns, labels, widths))


# The narrowest column of a source's own columns, as a share of the table.
MIN_COLUMN_SHARE = 0.09


def _options_for(recipe: Recipe, source: dict):
    columns = source_columns(source, recipe.axes)
    if columns is None:
        return recipe.options
    options = replace(recipe.options, columns=columns)
    if recipe.engine == "html" and not source.get("heatmap"):
        # No heatmap: page 1 would hold the title alone, before the table (as the
        # column samples, the table follows the title).
        options = replace(options, table_on_new_page=False)
    return options


def render_plan(recipe: Recipe, source: dict, work: Path, log=print) -> tuple[Path, dict]:
    """The plan's PDF from the engine, before any post-processing; and engine facts."""
    if recipe.engine == "html":
        _, pdf, pages = html_render.render_pdf(source, work, "plan", opts=recipe.options)
        return pdf, {"pages": pages}
    res = docx_render.render_levelled(source, work / "plan", recipe.options,
                                      log=lambda m: log(f"  [{recipe.id}] {m.strip()}"))
    if res.pdf is None:
        raise RuntimeError(f"{recipe.id}: LibreOffice produced no PDF")
    unlevel = res.unlevel()
    return res.pdf, {"pages": res.pages, "levelling_passes": res.iterations,
                     "padding_paragraphs": sum(res.padding.values()),
                     "max_band_start_residue_pt": None if res.max_residue in (None, float("inf")) else round(res.max_residue, 2),
                     "bands_not_level": [f"{b.element_id} band {b.band + 1}" for b in unlevel],
                     "notes": res.notes}


def post_process(recipe: Recipe, plan_pdf: Path, source: dict, work: Path) -> tuple[Path, dict]:
    """Apply the recipe's post-processing; returns the final PDF and where the plan is."""
    post = recipe.post
    current = plan_pdf
    facts: dict = {}
    if post.soft_hyphens:
        facts["soft_hyphen_cmap_entries"] = pdf_post.hyphen_as_soft_hyphen(current, work / "soft.pdf")
        current = work / "soft.pdf"
    import pikepdf
    with pikepdf.open(current) as pdf:
        plan_pages = len(pdf.pages)
    if post.turned == "some":
        turns = _drawn_turns(recipe, plan_pages)
        pdf_post.turn_pages(current, work / "turned.pdf", turns)
        current = work / "turned.pdf"
        facts["turned_pages"] = {str(p + 1): a for p, a in sorted(turns.items())}   # 1-based
    elif post.turned == "stored":
        pdf_post.store_rotated(current, work / "stored.pdf", 90)
        current = work / "stored.pdf"
        facts["stored_rotate"] = 90
    before = after = 0
    if post.pack != "none":
        parts = render_pack_parts(source, work / "pack")
        sequence = ([parts["before"]] if post.pack in ("before", "both") else []) + [current] + \
                   ([parts["after"]] if post.pack in ("after", "both") else [])
        counts = pdf_post.bind(sequence, work / "pack.pdf")
        before = counts[0] if post.pack in ("before", "both") else 0
        after = counts[-1] if post.pack in ("after", "both") else 0
        current = work / "pack.pdf"
    total = before + plan_pages + after
    facts["pages_used"] = list(range(before + 1, before + plan_pages + 1))
    facts["pages_skipped"] = [p for p in range(1, total + 1) if p not in facts["pages_used"]]
    return current, facts


def build(recipe: Recipe, out_dir: Path, source_path: Path = SOURCE, force: bool = False,
          log=print, record_name: str | None = None) -> Built:
    """Build (or reuse) one rendering: ``out_dir/<id>.pdf`` and ``<id>.json`` (or
    ``record_name``)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    pdf_out, json_out = out_dir / f"{recipe.id}.pdf", out_dir / (record_name or f"{recipe.id}.json")
    source = json.loads(source_path.read_text(encoding="utf-8"))
    recipe = replace(recipe, options=_options_for(recipe, source))
    described = recipe.describe()
    recipe_key = hashlib.sha256(json.dumps(described, sort_keys=True, default=str).encode()).hexdigest()[:16]
    if not force and pdf_out.exists() and json_out.exists():
        old = json.loads(json_out.read_text(encoding="utf-8"))
        if old.get("recipe_key") == recipe_key:
            if old.get("code") != code_hash(source_path):
                # Word renderings take minutes each: a generator edit does not rebuild the
                # cache by itself; say so, and let --force rebuild.
                log(f"  [{recipe.id}] reused, but built by other generator code or source (--force rebuilds)")
            if old.get("probe") != probe_hash():
                old = remeasure(recipe, out_dir, json_out)
            return Built(pdf_out, old)
    started = time.monotonic()
    if recipe.rows:
        source = docx_render.subset_source(source, list(recipe.rows))
    with tempfile.TemporaryDirectory(prefix=f"sweep-{recipe.id}-") as tmp:
        work = Path(tmp)
        plan_pdf, engine_facts = render_plan(recipe, source, work, log)
        final, placed = post_process(recipe, plan_pdf, source, work)
        measured = measure_pdf(final, recipe, plan_pages=placed["pages_used"])
        shutil.copyfile(final, pdf_out)
        if recipe.engine == "docx":
            shutil.copyfile(work / "plan.docx", out_dir / f"{recipe.id}.docx")
    problems = verify(recipe, measured, placed)
    record = {**described, "recipe_key": recipe_key, "code": code_hash(source_path), "probe": probe_hash(),
              "source": _relative(source_path),
              "expect": {"pages": len(placed["pages_used"]) + len(placed["pages_skipped"]),
                         "pages_used": placed["pages_used"], "pages_skipped": placed["pages_skipped"]},
              "post_facts": {k: v for k, v in placed.items() if k not in ("pages_used", "pages_skipped")},
              "engine_facts": engine_facts, "measured": measured, "problems": problems,
              "seconds": round(time.monotonic() - started, 1)}
    json_out.write_text(json.dumps(record, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return Built(pdf_out, record)


def _relative(path: Path) -> str:
    path = path.resolve()
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def probe_hash() -> str:
    return hashlib.sha256((HERE / "probe.py").read_bytes()).hexdigest()[:16]


def remeasure(recipe: Recipe, out_dir: Path, json_out: Path | None = None) -> dict:
    """Probe a cached rendering again (after a change of probe.py) without rebuilding it."""
    json_out = json_out or out_dir / f"{recipe.id}.json"
    record = json.loads(json_out.read_text(encoding="utf-8"))
    record["probe"] = probe_hash()
    placed = {**record["post_facts"], **record["expect"]}
    record["measured"] = measure_pdf(out_dir / f"{recipe.id}.pdf", recipe, plan_pages=placed["pages_used"])
    record["problems"] = verify(recipe, record["measured"], placed)
    json_out.write_text(json.dumps(record, indent=1, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    return record


def _build_one(args: tuple[Recipe, Path, bool, Path]) -> dict:
    recipe, out_dir, force, source_path = args
    try:
        os.nice(10)
    except OSError:
        pass
    built = build(recipe, out_dir, source_path, force=force, log=lambda m: print(m, flush=True))
    return built.record


def build_all(recipes: list[Recipe], out_dir: Path, jobs: int = 2, force: bool = False,
              seed: int = DEFAULT_SEED, source_path: Path = SOURCE) -> list[dict]:
    """Build every recipe, ``jobs`` at a time (Word renderings first: they take longest), of
    ``source_path`` (another plan's source.json sweeps the layouts over other content)."""
    order = sorted(recipes, key=lambda r: r.engine != "docx")
    records: dict[str, dict] = {}
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        for record in pool.map(_build_one, [(r, out_dir, force, source_path) for r in order]):
            records[record["id"]] = record
            flag = "" if not record["problems"] else "  PROBLEMS: " + "; ".join(record["problems"])
            print(f"{record['id']}: {record['expect']['pages']} pages, {record['seconds']}s{flag}", flush=True)
    ordered = [records[r.id] for r in recipes]
    index = {"seed": seed, "source": _relative(source_path),
             "renderings": [{"id": r["id"], "engine": r["engine"], "axes": r["axes"]} for r in ordered]}
    (out_dir / "sweep.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    return ordered


# --------------------------------------------------------------------------- the committed sample


def covering_sample(recipes: list[Recipe], limit: int = 12) -> list[Recipe]:
    """A few renderings that together show every value of every axis with each engine
    that has it (greedy set cover)."""
    def pairs(r: Recipe) -> set[tuple[str, str, str]]:
        return {(r.engine, k, v) for k, v in r.axes.items() if v}
    wanted = set().union(*(pairs(r) for r in recipes))
    chosen: list[Recipe] = []
    while wanted and len(chosen) < limit:
        best = max(recipes, key=lambda r: (len(pairs(r) & wanted), r.engine == "html", r.id))
        if not pairs(best) & wanted:
            break
        chosen.append(best)
        wanted -= pairs(best)
    if wanted:
        raise RuntimeError(f"no sample of {limit} covers {sorted(wanted)}")
    return sorted(chosen, key=lambda r: r.id)


def _problems(out_dir: Path, recipe: Recipe) -> list[str]:
    record = out_dir / f"{recipe.id}.json"
    return json.loads(record.read_text(encoding="utf-8")).get("problems", []) if record.exists() else []


def commit_sample(recipes: list[Recipe], out_dir: Path, seed: int, limit: int = 12) -> list[str]:
    """Copy the covering sample's PDFs and parameters into samples/sweep/. A rendering the
    probe found problems with (an axis value the PDF does not show) cannot stand for its
    axes: the cover is chosen without it, and every rendering it chooses must be built."""
    unusable = {r.id for r in recipes if _problems(out_dir, r)}
    chosen = covering_sample([r for r in recipes if r.id not in unusable], limit)
    unbuilt = [r.id for r in chosen if not (out_dir / f"{r.id}.pdf").exists()]
    if unbuilt:
        raise SystemExit("build these first (--only): " + " ".join(unbuilt))
    SAMPLE_DIR.mkdir(exist_ok=True)
    for old in list(SAMPLE_DIR.glob("s*-*.pdf")) + list(SAMPLE_DIR.glob("s*-*.json")):
        old.unlink()
    for r in chosen:
        for suffix in (".pdf", ".json"):
            shutil.copyfile(out_dir / f"{r.id}{suffix}", SAMPLE_DIR / f"{r.id}{suffix}")
    index = {"seed": seed, "source": str(SOURCE.relative_to(ROOT)),
             "about": "A sample of the layout sweep (samples/build/sweep.py) that together shows "
                      "every value of every axis; the whole sweep runs in benchmarks/layout_sweep.py.",
             "renderings": [{"id": r.id, "engine": r.engine, "axes": r.axes} for r in chosen],
             "left_out": {r: _problems(out_dir, next(x for x in recipes if x.id == r)) for r in sorted(unusable)}}
    (SAMPLE_DIR / "sweep.json").write_text(json.dumps(index, indent=1) + "\n", encoding="utf-8")
    return [r.id for r in chosen]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "actionplan-sweep")
    ap.add_argument("--seed", type=int, default=DEFAULT_SEED)
    ap.add_argument("--source", type=Path, default=SOURCE,
                    help="the plan laid out (a source.json; default the 2024 plan)")
    ap.add_argument("--html", type=int, default=DEFAULT_COUNTS["html"], help="HTML renderings")
    ap.add_argument("--docx", type=int, default=DEFAULT_COUNTS["docx"], help="Word renderings")
    ap.add_argument("--only", action="append", metavar="ID")
    ap.add_argument("-j", "--jobs", type=int, default=2)
    ap.add_argument("--force", action="store_true", help="rebuild even if cached")
    ap.add_argument("--list", action="store_true", help="print the renderings' axes and exit")
    ap.add_argument("--remeasure", action="store_true",
                    help="probe the cached renderings again (after a change of probe.py) and exit")
    ap.add_argument("--commit-sample", action="store_true",
                    help="also copy a covering sample into samples/sweep/")
    args = ap.parse_args(argv)
    recipes = sweep_recipes(args.seed, {"html": args.html, "docx": args.docx})
    if args.list:
        names = [a.name for a in AXES]
        print("id        " + " ".join(f"{n[:11]:11}" for n in names))
        for r in recipes:
            print(f"{r.id:9} " + " ".join(f"{(r.axes.get(n) or '-')[:11]:11}" for n in names))
        print("sample: " + ", ".join(r.id for r in covering_sample(recipes)))
        return 0
    todo = [r for r in recipes if not args.only or r.id in args.only]
    if args.remeasure:
        for r in todo:
            if (args.out / f"{r.id}.json").exists():
                problems = remeasure(r, args.out)["problems"]
                print(f"{r.id}: " + ("; ".join(problems) if problems else "ok"))
        return 0
    records = build_all(todo, args.out, args.jobs, args.force, args.seed, args.source)
    bad = [r["id"] for r in records if r["problems"]]
    if args.commit_sample:
        print("sample: " + ", ".join(commit_sample(recipes, args.out, args.seed)))
    print(f"{len(records)} renderings in {args.out}" + (f"; PROBLEMS in {', '.join(bad)}" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
