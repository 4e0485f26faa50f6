"""The layout fixtures: small real subsets of the 2024 source, each rendered with one
render option that reproduces one problem an extractor has to survive.

Each fixture is written to ``samples/fixtures/<name>/`` as ``source.json`` (the rows,
copied from the merged 2024 source, in the source format), ``<name>.docx`` and
``<name>.pdf``.  Every fixture has a ``check`` that inspects the rendered PDF and fails
the build if the problem is NOT reproduced (e.g. the row no longer breaks because the
text changed), so a fixture can't silently stop testing what its name says.
"""
from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable

from .docx_render import COLUMNS, RenderOptions, RenderResult, subset_source

#: Fixtures show the table, not the first page: no heatmap intro, heatmap or key
#: (the fixture's source.json says so with empty values).  Title and table title stay.
BASE = RenderOptions(front_matter=False)

HEADER_PROBE = "Allocated to and"   # words of the header row's last cell


@dataclass
class Fixture:
    name: str
    rows: list[str]                     # element ids, copied from the 2024 source
    options: RenderOptions
    reproduces: str                     # one line: the problem
    check: Callable[["Fixture", dict, RenderResult], list[str]]   # -> problems (empty = ok)
    findings: list[str] = field(default_factory=list)             # filled by check


# --------------------------------------------------------------------------- PDF probes

def _pages_words(pdf_path: Path) -> list[list[dict]]:
    import pdfplumber
    with pdfplumber.open(pdf_path) as pdf:
        return [p.extract_words(keep_blank_chars=False) for p in pdf.pages]


def _page_text_lines(pdf_path: Path) -> list[str]:
    import pdfplumber
    with pdfplumber.open(pdf_path) as pdf:
        return [p.extract_text() or "" for p in pdf.pages]


def _header_on_page(text: str) -> bool:
    return HEADER_PROBE in text


def _rows_spanning_pages(res: RenderResult) -> dict[str, tuple[int, int]]:
    return {eid: span for eid, span in res.row_pages.items() if span[0] != span[1]}


# --------------------------------------------------------------------------- checks

def check_row_breaks(fx: Fixture, source: dict, res: RenderResult) -> list[str]:
    problems = []
    spanning = _rows_spanning_pages(res)
    if not spanning:
        problems.append("no row breaks across a page")
    texts = _page_text_lines(res.pdf)
    for eid, (a, b) in spanning.items():
        fx.findings.append(f"{eid} runs from page {a + 1} to page {b + 1}")
        for p in range(a + 1, b + 1):
            if not _header_on_page(texts[p]):
                problems.append(f"page {p + 1}: header row not repeated")
    return problems


def check_two_owner_pairs(fx: Fixture, source: dict, res: RenderResult) -> list[str]:
    problems = []
    for t in source["themes"]:
        for r in t["rows"]:
            shaped = [b for b in r["bands"]
                      if len(b.get("actions", [])) == 2 and len(b.get("owner_timeline", [])) == 1
                      and len(b.get("recommendation", [])) == 2]
            if shaped:
                fx.findings.append(f"{r['element_id']}: owner cell \"{shaped[0]['owner_timeline'][0]}\" "
                                   f"beside {len(shaped[0]['recommendation'])} recommendations")
            else:
                problems.append(f"{r['element_id']}: no band with one owner paragraph holding two pairs")
    return problems


def check_no_rules_at_all(fx: Fixture, source: dict, res: RenderResult) -> list[str]:
    import pdfplumber
    drawn = 0
    with pdfplumber.open(res.pdf) as pdf:
        for p in pdf.pages:
            drawn += len(p.lines) + sum(1 for r in p.rects if r.get("stroke"))
            # LibreOffice paints borders as thin filled rectangles; shading cells are large.
            drawn += sum(1 for r in p.rects if r.get("fill") and min(r["width"], r["height"]) <= 2)
    fx.findings.append(f"{drawn} rules drawn")
    return [f"{drawn} rules drawn"] if drawn else []


def check_horizontal_rules_only(fx: Fixture, source: dict, res: RenderResult) -> list[str]:
    import pdfplumber
    problems = []
    # drawn rules only: stroked lines and stroked rectangles.  The score cells' shading
    # is a filled rectangle whose sides pdfplumber also lists as (vertical) edges.
    v = h = shaded = 0
    with pdfplumber.open(res.pdf) as pdf:
        for p in pdf.pages:
            for ln in p.lines:
                if abs(ln["x1"] - ln["x0"]) < 0.5:
                    v += 1
                elif abs(ln["bottom"] - ln["top"]) < 0.5:
                    h += 1
            for r in p.rects:
                if r.get("stroke"):
                    v += 2
                    h += 2
                elif r.get("fill"):
                    shaded += 1
    if v:
        problems.append(f"{v} vertical rule segments drawn")
    if not h:
        problems.append("no horizontal rules drawn")
    fx.findings.append(f"{h} horizontal rules, {v} vertical; {shaded} filled (shading) rectangles, "
                       "whose sides pdfplumber lists among page.edges")
    problems += [p for p in check_row_breaks(fx, source, res)]
    return problems


def _source_tokens(source: dict) -> set[str]:
    texts = [source.get("title", ""), source.get("table_title", "")]
    texts += [text for _, text in COLUMNS]
    for t in source["themes"]:
        texts += [t.get("heading", "")] + list(t.get("intro", []))
        for r in t["rows"]:
            texts += [r.get("theme_label") or "", r.get("score") or ""] + list(r.get("characteristic", []))
            for b in r["bands"]:
                for col in ("opportunity", "recommendation", "owner_timeline"):
                    texts += b.get(col, [])
    tokens = set()
    for text in texts:
        for w in text.split():
            tokens.add(w)
            tokens.update(x for x in re.split(r"(?<=[-/])", w) if x)   # LO may break after - or /
    return tokens


def check_mid_word_breaks(fx: Fixture, source: dict, res: RenderResult) -> list[str]:
    tokens = _source_tokens(source)
    furniture = {"Page", "of"} | {str(i) for i in range(1, 100)}
    broken: dict[str, str] = {}
    for pi, words in enumerate(_pages_words(res.pdf)):
        for w in words:
            text = w["text"]
            if text in tokens or text in furniture or len(text) < 3 or text in broken:
                continue
            whole = [t for t in tokens if t.startswith(text) and len(t) > len(text)]
            if whole:
                broken[text] = f"'{text}' + '{sorted(whole, key=len)[0][len(text):]}' (page {pi + 1})"
    broken = list(broken.values())
    fx.findings.extend(broken[:12])
    if len(broken) > 12:
        fx.findings.append(f"... {len(broken) - 12} more")
    return [] if broken else ["no word was broken mid-word"]


def check_header_not_repeated(fx: Fixture, source: dict, res: RenderResult) -> list[str]:
    problems = []
    texts = _page_text_lines(res.pdf)
    if len(texts) < 2:
        problems.append("only one page")
    if not _header_on_page(texts[0]):
        problems.append("page 1: header row missing")
    for p, text in enumerate(texts[1:], start=2):
        if _header_on_page(text):
            problems.append(f"page {p}: header row repeated")
    spanning = _rows_spanning_pages(res)
    if not spanning:
        problems.append("no row breaks across a page")
    fx.findings += [f"{e} runs from page {a + 1} to page {b + 1}" for e, (a, b) in spanning.items()]
    fx.findings.append(f"header row on page 1 only of {len(texts)}")
    return problems


def check_theme_intro_between_tables(fx: Fixture, source: dict, res: RenderResult) -> list[str]:
    from docx import Document
    problems = []
    doc = Document(res.docx)
    body = doc.element.body
    kinds = []
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "tbl":
            kinds.append("table")
        elif tag == "p":
            text = "".join(t.text or "" for t in child.iter() if t.tag.endswith("}t"))
            if any(text == t["heading"] for t in source["themes"]):
                kinds.append("heading")
    expected = ["heading", "table"] * len(source["themes"])
    if kinds != expected:
        problems.append(f"body order {kinds}, expected {expected}")
    texts = "\n".join(_page_text_lines(res.pdf))
    headers = texts.count(HEADER_PROBE)
    fx.findings.append(f"{len(source['themes'])} themes -> {kinds.count('table')} tables, "
                       f"header row printed {headers} times over {res.pages} pages")
    return problems


FIXTURES: list[Fixture] = [
    Fixture("row-breaks-across-page", ["G001", "G003"], BASE,
            "a characteristic row too long for the page breaks across it; the header row "
            "is repeated above the continuation", check_row_breaks),
    Fixture("two-owner-pairs-in-one-cell", ["CI003", "G002"], BASE,
            "one owner/timeline paragraph holds two owner/timeline pairs for two "
            "recommendation paragraphs in the same band", check_two_owner_pairs),
    Fixture("horizontal-rules-only", ["G001", "G003"], replace(BASE, borders="horizontal"),
            "the table has rules between rows only, no vertical borders, so columns must be "
            "found from the text (same rows as row-breaks-across-page)", check_horizontal_rules_only),
    Fixture("no-rules-at-all", ["L001", "L002", "L003"], replace(BASE, borders="none"),
            "the table draws no rules at all, neither between rows nor between columns: rows "
            "must be found from the element ids and theme labels alone", check_no_rules_at_all),
    Fixture("portrait-narrow-columns", ["CI003", "CI004", "CI005"],
            replace(BASE, orientation="portrait", col_widths=(0.08, 0.14, 0.29, 0.31, 0.18)),
            "A4 portrait with narrow first columns: LibreOffice breaks words longer than the "
            "column mid-word (no hyphen)", check_mid_word_breaks),
    Fixture("header-not-repeated", ["L004", "L006"], replace(BASE, repeat_header=False),
            "the header row is printed on the first page only; continuation pages start "
            "straight with table rows", check_header_not_repeated),
    Fixture("theme-intro-between-tables", ["CI012", "L001"], replace(BASE, theme_intro="paragraphs"),
            "each theme's heading and intro are ordinary paragraphs between tables (one table "
            "per theme, each with its own header row), not a full-width row",
            check_theme_intro_between_tables),
]


def fixture_source(full_source: dict, fx: Fixture) -> dict:
    """The fixture's source.json: the named rows of the full source, and front matter
    as printed (no heatmap/key when the options leave the first page out)."""
    src = subset_source(full_source, fx.rows)
    if not fx.options.front_matter:
        src["heatmap_intro"] = ""
        src["heatmap"] = []
        src["key"] = []
    return src


# =========================================================================== issue #11
# Fixtures for the renderings the pipeline had never seen.  Each is built through the
# sweep's machinery (sweep.build: either engine, then pdf_post), written as
# fixtures/<name>/source.json + <name>.pdf (+ .docx for Word) + rendering.json (the
# recipe, the facts measured on the PDF, the pages the plan is on), and checked on the
# rendered PDF: the build fails if the problem is no longer there.


@dataclass
class RenderedFixture:
    name: str
    rows: list[str]
    engine: str                         # "html" | "docx"
    options: object                     # HtmlOptions | RenderOptions
    reproduces: str
    check: Callable[["RenderedFixture", dict, "object"], list[str]]   # (fx, source, Built)
    post: object = None                 # sweep.Post; None = no post-processing
    front: bool = False                 # print the heatmap (of these rows only) and the key
    edit: Callable[[dict], None] | None = None   # a change to the copied rows (documented)
    findings: list[str] = field(default_factory=list)


def restricted_front(full: dict, src: dict) -> None:
    """The heatmap of the fixture's own rows (the other cells left out) and the key."""
    from .variants import heatmap_ids
    wanted = {r["element_id"] for t in src["themes"] for r in t["rows"]}
    rows = []
    for h in full.get("heatmap", []):
        cells = [c for c, eid in zip(h["cells"], heatmap_ids(full, h)) if eid in wanted]
        if cells:
            rows.append({**h, "cells": cells})
    src["heatmap"] = rows


def rendered_fixture_source(full: dict, fx: RenderedFixture) -> dict:
    """The fixture's source.json: its rows (all of them when ``rows`` is empty), the front
    matter as printed."""
    src = subset_source(full, fx.rows) if fx.rows else copy.deepcopy(full)
    if fx.front:
        restricted_front(full, src)
    else:
        src.update(heatmap_intro="", heatmap=[], key=[])
    if fx.edit:
        fx.edit(src)
    return src


def _words(pdf_path: Path) -> list[list[dict]]:
    import pdfplumber
    with pdfplumber.open(pdf_path) as pdf:
        return [p.extract_words() for p in pdf.pages]


def _line_breaks(pages: list[list[dict]], first: str, rest: str) -> list[int]:
    """Pages (1-based) where a line ends with ``first`` and a later line of the same
    column starts with ``rest`` (a word broken at a line end)."""
    found = []
    for number, words in enumerate(pages, start=1):
        for w in words:
            if w["text"].endswith(first):
                below = [v for v in words if v["text"].startswith(rest) and abs(v["x0"] - w["x0"]) < 200
                         and 0 < v["top"] - w["top"] < 3 * (w["bottom"] - w["top"])]
                if below:
                    found.append(number)
    return found


def check_header_wraps_three_lines(fx, source, built) -> list[str]:
    lines = built.record["measured"]["header_label_lines"]
    fx.findings.append(f"header label lines {lines}")
    problems = [] if lines and lines[1] == 3 and max(lines[:1] + lines[2:]) < 3 else \
        [f"header label lines {lines}: not the characteristic's 3 above the others' fewer"]
    if len(built.record["measured"]["header_pages"]) < 2:
        problems.append("the header row is not repeated")
    pages = _words(built.pdf)
    guidance = [w for w in pages[0] if w["text"] == "guidance)"]
    label = [w for w in pages[0] if w["text"].startswith("Characteristic")]
    if not guidance or not label or guidance[0]["top"] - label[0]["top"] < 1.5 * (label[0]["bottom"] - label[0]["top"]):
        problems.append('"guidance)" is not on a line of its own below the label')
    for first, rest in (("organisational-", "wide"), ("CIPFA/", "SOLACE"), ("CIPFA/SOLA", "CE")):
        if _line_breaks(pages, first, rest):
            fx.findings.append(f'"{first}" + "{rest}" broken across lines')
    return problems


def check_typeset(fx, source, built) -> list[str]:
    pages = _words(built.pdf)
    problems = []
    for first, rest in (("CHoH\u2010", "ROD"), ("com\u2010", "plete")):
        where = _line_breaks(pages, first, rest)
        if where:
            fx.findings.append(f'"{first}" + "{rest}" (U+2010) on page {where[0]}')
        else:
            problems.append(f'no "{first}" / "{rest}" line break')
    measured = built.record["measured"]
    fx.findings.append(f"line-end hyphens {measured['line_end_hyphens']}, {measured['ligature_glyphs']} ligature glyphs")
    if not measured["ligature_glyphs"]:
        problems.append("no ligature glyphs")
    return problems


def check_turned_pages(fx, source, built) -> list[str]:
    turned = built.record["post_facts"].get("turned_pages", {})
    got = built.record["measured"]["text_direction"]
    fx.findings.append(f"pages drawn turned (1-based: degrees) {turned}; text directions read {got}")
    if sorted(set(turned.values())) != [90, 180, 270]:
        return ["not one page each at 90, 180 and 270 degrees"]
    return [f"page {p}: text at {got.get(p, 0)}, not {a}" for p, a in turned.items() if got.get(p, 0) != a]


def check_reports_pack(fx, source, built) -> list[str]:
    expect = built.record["expect"]
    pages = _words(built.pdf)
    fx.findings.append(f"{expect['pages']} pages: plan on {expect['pages_used']}, others {expect['pages_skipped']}")
    problems = []
    if not expect["pages_skipped"] or expect["pages_skipped"][0] != 1:
        problems.append("no covering report before the plan")
    after = [p for p in expect["pages_skipped"] if p > expect["pages_used"][-1]]
    if not after:
        problems.append("no appendix after the plan")
    else:
        texts = {w["text"] for w in pages[after[0] - 1]}
        if not {"Ref", "R01", "Mitigating"} <= texts:
            problems.append("the page after the plan does not start the risk register table")
    ids = [r["element_id"] for t in source["themes"] for r in t["rows"]]
    printed = [w["text"].rstrip(":") for p in expect["pages_used"] for w in pages[p - 1]
               if w["text"].rstrip(":") in ids]
    if not printed or printed[-1] != ids[-1]:
        problems.append(f"the plan's last row is not {ids[-1]}")
    else:
        fx.findings.append(f"the risk register follows {ids[-1]}, the plan's last row")
    return problems


def check_key_swatches(fx, source, built) -> list[str]:
    """Each key label sits beside a small shaded cell, on no fill of its own."""
    import pdfplumber
    problems = []
    with pdfplumber.open(built.pdf) as pdf:
        page = pdf.pages[0]
        fills = [r for r in page.rects if r.get("fill") and r.get("non_stroking_color") not in (None, (1, 1, 1), [1, 1, 1])]
        words = page.extract_words()
        for k in source["key"]:
            word = next((w for w in words if w["text"] == k["label"].split()[0]), None)
            if word is None:
                problems.append(f"key label {k['label']} not found")
                continue
            mid = (word["top"] + word["bottom"]) / 2
            under = [r for r in fills if r["x0"] <= word["x0"] <= r["x1"] and r["top"] <= mid <= r["bottom"]]
            beside = [r for r in fills if r["x1"] <= word["x0"] + 1 and r["top"] <= mid <= r["bottom"]]
            if under:
                problems.append(f"key label {k['label']} is on a fill")
            if not beside:
                problems.append(f"no swatch beside key label {k['label']}")
    fx.findings.append(f"{len(source['key'])} key rows, each a swatch cell left of an unshaded label")
    return problems


def _first_line_top(words: list[dict], text: str) -> float | None:
    """Top of the line where a paragraph starts: a word followed on its line, within its
    cell (no gap wider than two line heights), by the paragraph's next words."""
    tokens = text.split()
    for w in words:
        if w["text"] != tokens[0]:
            continue
        line = sorted((v for v in words if abs(v["top"] - w["top"]) < 1 and v["x0"] >= w["x0"]),
                      key=lambda v: v["x0"])
        run = [line[0]]
        for v in line[1:]:
            if v["x0"] - run[-1]["x1"] > 2 * (w["bottom"] - w["top"]):
                break
            run.append(v)
        texts = [v["text"] for v in run]
        if len(texts) >= min(3, len(tokens)) and texts == tokens[:len(texts)]:
            return w["top"]
    return None


def check_l009_paragraphs_level(fx, source, built) -> list[str]:
    """L009's band: the second opportunity and recommendation paragraphs start level."""
    row = next(r for t in source["themes"] for r in t["rows"] if r["element_id"] == "L009")
    band = row["bands"][0]
    pages = _words(built.pdf)
    for number, words in enumerate(pages, start=1):
        tops = [_first_line_top(words, band[c][1]) for c in ("opportunity", "recommendation")]
        if None not in tops:
            fx.findings.append(f"page {number}: second paragraphs start at {tops[0]:.1f} and {tops[1]:.1f} pt")
            return [] if abs(tops[0] - tops[1]) < 1 else ["the second paragraphs do not start level"]
    return ["L009's second paragraphs not found on one page"]


def _paragraph_start(pages: list[list[dict]], text: str) -> tuple[int, float] | None:
    for number, words in enumerate(pages, start=1):
        top = _first_line_top(words, text)
        if top is not None:
            return number, top
    return None


def check_ci011_owner_pair(fx, source, built) -> list[str]:
    """CI011's third band starts level in all three columns at the top of a page, below
    the second band's one-line owner/timeline pair on the page before."""
    row = next(r for t in source["themes"] for r in t["rows"] if r["element_id"] == "CI011")
    second, third = row["bands"][1], row["bands"][2]
    pages = _words(built.pdf)
    starts = {c: _paragraph_start(pages, third[c][0]) for c in ("opportunity", "recommendation", "owner_timeline")}
    above = _paragraph_start(pages, second["owner_timeline"][0])
    if None in starts.values() or above is None:
        return ["CI011's band starts not found"]
    fx.findings.append(f"band 2's owner pair on page {above[0]} at {above[1]:.1f} pt; band 3 starts "
                       + ", ".join(f"{c} page {p} {t:.1f} pt" for c, (p, t) in starts.items()))
    problems = []
    if len({(p, round(t)) for p, t in starts.values()}) != 1:
        problems.append("band 3's columns do not start level")
    if not all(p > above[0] for p, _ in starts.values()):
        problems.append("band 3 does not start on a later page than band 2's owner pair")
    page, top = starts["opportunity"]
    x = next(w["x0"] for w in pages[page - 1] if abs(w["top"] - top) < 1 and w["text"] == third["opportunity"][0].split()[0])
    carried = [w for w in pages[page - 1] if abs(w["x0"] - x) < 2 and w["top"] < top - 1]
    if not carried:
        problems.append("band 2's opportunity does not continue above band 3")
    return problems


def l009_one_action(src: dict) -> None:
    """L009 as the real plan prints it: one action whose opportunity and recommendation
    each have a second paragraph (the update note); the owner cell has one paragraph."""
    row = next(r for t in src["themes"] for r in t["rows"] if r["element_id"] == "L009")
    first, update = row["bands"]
    first["opportunity"] = first["opportunity"] + update["opportunity"]
    first["recommendation"] = first["recommendation"] + update["recommendation"]
    row["bands"] = [first]


def rendered_fixtures() -> list[RenderedFixture]:
    from .html_render import HtmlOptions
    from .sweep import Post
    from .variants import standard_columns
    return [
        RenderedFixture(
            "header-wraps-three-lines", ["CI001", "CI004", "CI006", "L004"], "docx",
            replace(BASE, orientation="portrait", col_widths=(0.12, 0.20, 0.22, 0.22, 0.24)),
            'portrait Word, narrow columns: "Characteristic description (statutory guidance)" '
            'wraps to three lines while every other label takes two, so "guidance)" is alone on '
            "the header's last line, on every page (the header row repeats; rows break across pages)",
            check_header_wraps_three_lines),
        RenderedFixture(
            "typeset-hyphens-ligatures", ["CI005", "L001", "L006", "G003", "PCE002"], "html",
            HtmlOptions(page="a4", columns=standard_columns(widths=(11, 20, 26, 29, 14)),
                        body_font='"DejaVu Serif", serif', font_size=8.5, justify=True,
                        hyphens="auto", ligatures="glyphs", table_on_new_page=False),
            "typeset: justified, hyphens: auto (U+2010 at line ends), ligature glyphs; an owner "
            'code split by a hyphen ("CHoH\u2010" / "ROD") and "com\u2010" / "plete"',
            check_typeset),
        RenderedFixture(
            "pages-turned-in-upright-document",
            [f"CI{n:03d}" for n in range(1, 13)] + ["L001", "L002", "L003", "L004"],
            "docx", BASE,
            "pages 2, 3 and 4 of an upright A4 landscape document drawn at 90 (reads upwards), "
            "180 (upside down) and 270 degrees (reads downwards) by a rotation in the content "
            "stream, their boxes swapped; no /Rotate", check_turned_pages,
            post=Post(turned="some", turn_pages=((1, 90), (2, 180), (3, 270)))),
        RenderedFixture(
            "reports-pack", ["PCE005", "PCE006", "PCE007"], "docx", RenderOptions(),
            "the plan (title, heatmap of its rows, key, table) bound as Appendix A between a "
            "covering report (before) and a corporate risk register table with its own header "
            "row and ids R01-R08 (after)", check_reports_pack, post=Post(pack="both"), front=True),
        RenderedFixture(
            "key-swatch-beside-label", [], "docx", replace(RenderOptions(), key_style="swatch"),
            "the whole 2024 Word plan with its score key drawn as a small shaded cell beside "
            "each unshaded label; the heatmap shaded as usual", check_key_swatches, front=True),
        RenderedFixture(
            "ci011-owner-pair-level-with-next-band", ["CI010", "CI011", "CI012"], "html",
            HtmlOptions(page="a4", columns=standard_columns(widths=(10, 28, 22, 24, 16)),
                        body_font='"DejaVu Sans", sans-serif', font_size=10.0, table_on_new_page=False),
            "horizontal rules only (HTML): CI011's second band breaks across the page -- its "
            'one-line owner/timeline pair "CHoCS, Q4 2024" at the foot of page 1, its opportunity '
            "and recommendation continuing on page 2 -- and the third band's three columns, with "
            'its pair "CHoHROD, HoBPPP by end March 2025.", start level below them on page 2',
            check_ci011_owner_pair),
        RenderedFixture(
            "l009-paragraphs-start-level", ["L008", "L009"], "docx", BASE,
            "L009 as one action whose opportunity and recommendation each have a second "
            "paragraph (the update note) that start level with each other, beside one owner "
            "paragraph", check_l009_paragraphs_level, edit=l009_one_action),
    ]


def build_rendered_fixture(full: dict, fx: RenderedFixture, fixtures_dir: Path, log=print):
    """Write the fixture's source.json, PDF and rendering.json; returns (Built, problems)."""
    import json

    from .sweep import Post, Recipe, build
    out = fixtures_dir / fx.name
    out.mkdir(parents=True, exist_ok=True)
    src = rendered_fixture_source(full, fx)
    (out / "source.json").write_text(json.dumps(src, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    recipe = Recipe(fx.name, fx.engine, fx.options, fx.post or Post())
    built = build(recipe, out, source_path=out / "source.json", log=log, record_name="rendering.json")
    fx.findings.clear()
    problems = fx.check(fx, src, built) + list(built.record["problems"])
    return built, problems
