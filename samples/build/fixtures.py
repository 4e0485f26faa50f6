"""The layout fixtures: small real subsets of the 2024 source, each rendered with one
render option that reproduces one problem an extractor has to survive.

Each fixture is written to ``samples/fixtures/<name>/`` as ``source.json`` (the rows,
copied from the merged 2024 source, in the source format), ``<name>.docx`` and
``<name>.pdf``.  Every fixture has a ``check`` that inspects the rendered PDF and fails
the build if the problem is NOT reproduced (e.g. the row no longer breaks because the
text changed), so a fixture can't silently stop testing what its name says.
"""
from __future__ import annotations

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
