"""Render a sample ``source.json`` as a Word document, the way a council officer builds it.

The officer's document (see ``samples/SOURCE_FORMAT.md`` and the seed README) is an A4
landscape Word file: a first page with the title, the heatmap of element ids shaded in
their score colours and the score key, then ONE five-column table (header row repeated
on every page) with a full-width row per theme and a row per characteristic.  Inside a
characteristic row the "action bands" are lined up by hand: the officer pads the shorter
columns with empty paragraphs so each band's opportunity, recommendation and
owner/timeline start on the same line.  There are no extra rows or borders per band.

We do the same.  Line counts depend on wrapping, so the padding is found by iterating:

1. write the .docx with the current padding and a Word bookmark at the start of every
   band's first paragraph (and at the end of every band's last paragraph) in each
   action column;
2. convert with LibreOffice, exporting the bookmarks as PDF named destinations, which
   gives (page, y) of every band start;
3. per band, compute how many lines each column is short of the lowest start and
   adjust the padding; repeat until every band start is level or nothing changes.

The final .docx/.pdf are then written WITHOUT the bookmarks (they are zero-width, so the
layout is the same; ``render_levelled`` checks this by comparing the word positions).

Render options (``RenderOptions``) produce the fixtures' variants of the same document
(portrait, horizontal rules only, header not repeated, theme intros between tables...).

Only ``python-docx`` is needed to write the .docx; LibreOffice (``soffice``) and
``pdfplumber`` are needed to level the bands and to produce the PDF.
"""
from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field, replace
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Emu, Pt

# --------------------------------------------------------------------------- constants

#: The score colours, as the officer's Word shading (hex RGB, no '#').
SCORE_COLOURS: dict[str, str] = {
    "DARK GREEN": "00B050",
    "LIGHT GREEN": "92D050",
    "YELLOW": "FFFF00",
    "AMBER": "FFC000",
    "RED": "FF0000",
    "GREY": "A6A6A6",
}

#: The action plan table's columns: (key, header text).
COLUMNS: tuple[tuple[str, str], ...] = (
    ("theme_score", "Theme/ Score given"),
    ("characteristic", "Characteristic description (statutory guidance)"),
    ("opportunity", "Opportunity for Improvement"),
    ("recommendation", "Recommendations and action plan"),
    ("owner_timeline", "Allocated to and indicative timeline to deliver action"),
)
ACTION_COLUMNS: tuple[str, ...] = ("opportunity", "recommendation", "owner_timeline")

A4_SHORT_CM = 21.0
A4_LONG_CM = 29.7
PT_PER_CM = 72 / 2.54
TWIPS_PER_PT = 20

#: LibreOffice's line height for Liberation Sans at single spacing is 1.15 x the size
#: (ascent + descent + line gap = 2355/2048 em); measured, see ``level_bands``.
LINE_HEIGHT_FACTOR = 1.15


@dataclass(frozen=True)
class RenderOptions:
    """How to lay the source out.  The defaults are the officer's 2024 document."""

    orientation: str = "landscape"          # "landscape" | "portrait"
    font: str = "Arial"                     # LibreOffice substitutes Liberation Sans
    font_size: float = 9.0                  # body text, pt
    title_size: float = 12.0
    furniture_size: float = 7.0             # running header / footer, pt
    margin_cm: float = 1.27                 # "narrow" margins, all four sides
    header_distance_cm: float = 0.6         # page edge to running header/footer
    col_widths: tuple[float, ...] = (0.11, 0.19, 0.25, 0.27, 0.18)  # fractions of the table
    table_width: float = 1.0                # fraction of the text width
    cell_margin_pt: float = 5.4             # left/right cell padding (Word's 0.19 cm)
    borders: str = "grid"                   # "grid" | "horizontal" (rules between rows only) | "none"
    repeat_header: bool = True              # w:tblHeader on the header row
    theme_intro: str = "row"                # "row" (full-width merged row) | "paragraphs"
                                            # (heading + intro between tables, one table per theme)
    front_matter: bool = True               # heatmap intro, heatmap and key on page 1
    running_header: bool = True             # small title at the top of every page
    running_footer: bool = True             # "Page X of Y"
    level_bands: bool = True                # pad with empty paragraphs so bands line up

    @property
    def page_size_cm(self) -> tuple[float, float]:
        if self.orientation == "landscape":
            return A4_LONG_CM, A4_SHORT_CM
        return A4_SHORT_CM, A4_LONG_CM

    @property
    def text_width_pt(self) -> float:
        return (self.page_size_cm[0] - 2 * self.margin_cm) * PT_PER_CM

    @property
    def line_height(self) -> float:
        return self.font_size * LINE_HEIGHT_FACTOR


#: padding[(row_key, band_index, column)] = extra empty paragraphs before that band's
#: first paragraph in that column (on top of the one blank line that separates bands).
Padding = dict[tuple[str, int, str], int]


# --------------------------------------------------------------------------- XML helpers

def _el(tag: str, **attrs: str) -> OxmlElement:
    el = OxmlElement(tag)
    for k, v in attrs.items():
        el.set(qn(k if ":" in k else f"w:{k}"), str(v))
    return el


def _twips(pt: float) -> int:
    return int(round(pt * TWIPS_PER_PT))


def _set_cell_width(cell, width_pt: float) -> None:
    tcPr = cell._tc.get_or_add_tcPr()
    for old in tcPr.findall(qn("w:tcW")):
        tcPr.remove(old)
    tcPr.insert(0, _el("w:tcW", w=_twips(width_pt), type="dxa"))


def _shade(cell, fill: str | None) -> None:
    if not fill:
        return
    tcPr = cell._tc.get_or_add_tcPr()
    for old in tcPr.findall(qn("w:shd")):
        tcPr.remove(old)
    tcPr.append(_el("w:shd", val="clear", color="auto", fill=fill))


def _table_borders(table, style: str) -> None:
    """Explicit table borders: a full grid, horizontal rules only, or none at all."""
    tblPr = table._tbl.tblPr
    for old in tblPr.findall(qn("w:tblBorders")):
        tblPr.remove(old)
    borders = _el("w:tblBorders")
    rule = dict(val="single", sz="4", space="0", color="000000")
    none = dict(val="nil")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        vertical = side in ("left", "right", "insideV")
        attrs = none if (style == "none" or (vertical and style == "horizontal")) else rule
        borders.append(_el(f"w:{side}", **attrs))
    tblPr.append(borders)


_TBLPR_ORDER = ["tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize",
                "tblStyleColBandSize", "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders",
                "shd", "tblLayout", "tblCellMar", "tblLook", "tblCaption", "tblDescription"]


def _order_tblPr(table) -> None:
    """Put w:tblPr's children in schema order (Word rejects some out-of-order files)."""
    tblPr = table._tbl.tblPr
    rank = {qn(f"w:{n}"): i for i, n in enumerate(_TBLPR_ORDER)}
    kids = sorted(list(tblPr), key=lambda el: rank.get(el.tag, len(rank)))
    for el in kids:
        tblPr.remove(el)
        tblPr.append(el)


def _table_layout(table, widths_pt: list[float], cell_margin_pt: float) -> None:
    """Fixed layout, explicit grid and cell widths, so Word and LibreOffice agree."""
    tbl = table._tbl
    tblPr = tbl.tblPr
    for tag in ("w:tblW", "w:tblLayout", "w:tblCellMar", "w:tblInd", "w:tblLook"):
        for old in tblPr.findall(qn(tag)):
            tblPr.remove(old)
    tblPr.append(_el("w:tblW", w=_twips(sum(widths_pt)), type="dxa"))
    tblPr.append(_el("w:tblLayout", type="fixed"))
    mar = _el("w:tblCellMar")
    for side, val in (("top", 0), ("left", cell_margin_pt), ("bottom", 0), ("right", cell_margin_pt)):
        mar.append(_el(f"w:{side}", w=_twips(val), type="dxa"))
    tblPr.append(mar)
    grid = tbl.tblGrid
    for gc, w in zip(grid.findall(qn("w:gridCol")), widths_pt):
        gc.set(qn("w:w"), str(_twips(w)))
    for row in table.rows:
        for cell, w in zip(row.cells, widths_pt):
            _set_cell_width(cell, w)
    _order_tblPr(table)


def _mark_header_row(row) -> None:
    trPr = row._tr.get_or_add_trPr()
    trPr.append(_el("w:tblHeader"))


def _add_field(paragraph, instr: str, placeholder: str, size: float) -> None:
    """A complex field (PAGE, NUMPAGES): begin / instrText / separate / result / end."""
    def run_with(child):
        r = paragraph.add_run()
        r.font.size = Pt(size)
        r._r.append(child)
        return r
    run_with(_el("w:fldChar", fldCharType="begin"))
    it = _el("w:instrText")
    it.set(qn("xml:space"), "preserve")
    it.text = f" {instr} "
    run_with(it)
    run_with(_el("w:fldChar", fldCharType="separate"))
    r = paragraph.add_run(placeholder)
    r.font.size = Pt(size)
    run_with(_el("w:fldChar", fldCharType="end"))


# --------------------------------------------------------------------------- cell content

@dataclass
class Para:
    """One paragraph to write into a cell: text (None = empty), bold, bookmarks."""

    text: str | None = None
    bold: bool = False
    start_mark: str | None = None   # bookmark before the text
    end_mark: str | None = None     # bookmark after the text


BLANK = Para()


class _Bookmarks:
    """Hands out bookmark names and remembers what each marks."""

    def __init__(self, enabled: bool):
        self.enabled = enabled
        self.marks: dict[str, tuple] = {}

    def new(self, *what) -> str | None:
        if not self.enabled:
            return None
        name = f"M{len(self.marks):05d}"   # letters and digits only: survive PDF export as-is
        self.marks[name] = what
        return name

    def place(self, p_el, name: str | None, at_end: bool) -> None:
        if not name:
            return
        bid = str(int(name[1:]))
        start = _el("w:bookmarkStart", id=bid, name=name)
        end = _el("w:bookmarkEnd", id=bid)
        if at_end:
            p_el.append(start)
            p_el.append(end)
        else:
            ppr = p_el.find(qn("w:pPr"))
            idx = 0 if ppr is None else list(p_el).index(ppr) + 1
            p_el.insert(idx, start)
            p_el.insert(idx + 1, end)


def _write_paragraph(paragraph, para: Para, marks: _Bookmarks) -> None:
    if para.text:
        run = paragraph.add_run(para.text)
        run.bold = para.bold or None
    marks.place(paragraph._p, para.start_mark, at_end=False)
    marks.place(paragraph._p, para.end_mark, at_end=True)


def _fill_cell(cell, paras: list[Para], marks: _Bookmarks) -> None:
    paras = paras or [BLANK]
    first = cell.paragraphs[0]
    _write_paragraph(first, paras[0], marks)
    for para in paras[1:]:
        _write_paragraph(cell.add_paragraph(), para, marks)


def _with_blanks(texts: list[str], bold: bool = False) -> list[Para]:
    """Paragraphs separated by one empty paragraph, as the authors type them."""
    out: list[Para] = []
    for i, t in enumerate(texts):
        if i:
            out.append(BLANK)
        out.append(Para(t, bold=bold))
    return out


def row_key(theme_index: int, row_index: int) -> str:
    return f"t{theme_index}r{row_index}"


def action_column_paras(row: dict, key: str, col: str, padding: Padding,
                        marks: _Bookmarks) -> list[Para]:
    """The paragraphs of one action column of a row: the bands' paragraphs, top to bottom.

    Bands are separated by one empty paragraph plus the levelling padding; paragraphs of
    the same band by one empty paragraph.
    """
    out: list[Para] = []
    had_content = False
    for bi, band in enumerate(row.get("bands", [])):
        texts = band.get(col) or []
        if not texts:
            continue
        if had_content:
            out.append(BLANK)
        out.extend([BLANK] * padding.get((key, bi, col), 0))
        paras = _with_blanks(texts)
        paras[0].start_mark = marks.new("start", key, bi, col)
        paras[-1].end_mark = marks.new("end", key, bi, col)
        out.extend(paras)
        had_content = True
    return out


# --------------------------------------------------------------------------- document

def score_index(source: dict) -> dict[str, str | None]:
    return {r["element_id"]: r.get("score")
            for t in source.get("themes", []) for r in t.get("rows", [])}


_ID_RE = re.compile(r"^([A-Z]+)(\d+)$")


def heatmap_cell_id(cells: list[str], i: int) -> str | None:
    """The element id a heatmap cell stands for: its text, or (for "See CI012" in
    G002's place) the id its position implies from its neighbours' ids."""
    text = (cells[i] or "").strip()
    if _ID_RE.match(text):
        return text
    for j, other in enumerate(cells):
        m = _ID_RE.match((other or "").strip())
        if m:
            prefix, digits = m.groups()
            return f"{prefix}{int(digits) - j + i:0{len(digits)}d}"
    return None


def _setup_document(source: dict, opts: RenderOptions) -> Document:
    doc = Document()
    normal = doc.styles["Normal"]
    normal.font.name = opts.font
    normal.font.size = Pt(opts.font_size)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), opts.font)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    pf.widow_control = False   # keeps every line on the common line grid of a row
    lang = _el("w:lang", val="en-GB")
    rpr.append(lang)

    section = doc.sections[0]
    w_cm, h_cm = opts.page_size_cm
    section.orientation = WD_ORIENT.LANDSCAPE if opts.orientation == "landscape" else WD_ORIENT.PORTRAIT
    section.page_width = Cm(w_cm)
    section.page_height = Cm(h_cm)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(opts.margin_cm))
    section.header_distance = Cm(opts.header_distance_cm)
    section.footer_distance = Cm(opts.header_distance_cm)

    title = source.get("title") or ""
    if opts.running_header:
        hp = section.header.paragraphs[0]
        hp.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        r = hp.add_run(title)
        r.font.size = Pt(opts.furniture_size)
    if opts.running_footer:
        fp = section.footer.paragraphs[0]
        fp.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for piece in ("Page ", ("PAGE", "1"), " of ", ("NUMPAGES", "1")):
            if isinstance(piece, tuple):
                _add_field(fp, piece[0], piece[1], opts.furniture_size)
            else:
                fp.add_run(piece).font.size = Pt(opts.furniture_size)
    return doc


def _add_front_matter(doc, source: dict, opts: RenderOptions, marks: _Bookmarks) -> None:
    p = doc.add_paragraph()
    r = p.add_run(source.get("title") or "")
    r.bold = True
    r.font.size = Pt(opts.title_size)
    p.paragraph_format.space_after = Pt(6)
    if not opts.front_matter:
        return
    if source.get("heatmap_intro"):
        p = doc.add_paragraph(source["heatmap_intro"])
        p.paragraph_format.space_after = Pt(6)

    heatmap = source.get("heatmap") or []
    if heatmap:
        scores = score_index(source)
        n_ids = max(12, max(len(h.get("cells", [])) for h in heatmap))
        tw = opts.text_width_pt * opts.table_width
        label_w = tw * 0.22
        widths = [label_w] + [(tw - label_w) / n_ids] * n_ids
        table = doc.add_table(rows=1 + len(heatmap), cols=1 + n_ids)
        _table_borders(table, "grid")
        _table_layout(table, widths, opts.cell_margin_pt / 2)
        hdr = table.rows[0].cells
        _fill_cell(hdr[0], [Para("Theme", bold=True)], marks)
        merged = hdr[1].merge(hdr[n_ids])
        _fill_cell(merged, [Para("Element ID", bold=True)], marks)
        for ri, h in enumerate(heatmap, start=1):
            cells = table.rows[ri].cells
            _fill_cell(cells[0], [Para(h.get("label", ""))], marks)
            ids = h.get("cells", [])
            for ci in range(n_ids):
                text = ids[ci] if ci < len(ids) else ""
                _fill_cell(cells[ci + 1], [Para(text or None)], marks)
                if text:
                    eid = heatmap_cell_id(ids, ci)
                    _shade(cells[ci + 1], SCORE_COLOURS.get(scores.get(eid) or ""))

    key = source.get("key") or []
    if key:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(8)
        p.paragraph_format.space_after = Pt(4)
        p.add_run("Key:").bold = True
        tw = opts.text_width_pt * opts.table_width
        widths = [tw * 0.12, tw * 0.88]
        table = doc.add_table(rows=len(key), cols=2)
        _table_borders(table, "grid")
        _table_layout(table, widths, opts.cell_margin_pt)
        for ri, k in enumerate(key):
            cells = table.rows[ri].cells
            _fill_cell(cells[0], [Para(k.get("label", ""))], marks)
            _shade(cells[0], SCORE_COLOURS.get(k.get("score") or ""))
            _fill_cell(cells[1], [Para(k.get("meaning", ""))], marks)


def _new_plan_table(doc, opts: RenderOptions, widths: list[float]):
    table = doc.add_table(rows=1, cols=len(COLUMNS))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _table_borders(table, opts.borders)
    _table_layout(table, widths, opts.cell_margin_pt)   # also puts tblPr in schema order
    hdr = table.rows[0]
    for cell, (_, text) in zip(hdr.cells, COLUMNS):
        _fill_cell(cell, [Para(text, bold=True)], marks=_Bookmarks(False))
    if opts.repeat_header:
        _mark_header_row(hdr)
    return table


def _add_row(table, widths: list[float]):
    row = table.add_row()
    for cell, w in zip(row.cells, widths):
        _set_cell_width(cell, w)
    return row


def build_document(source: dict, opts: RenderOptions = RenderOptions(),
                   padding: Padding | None = None, bookmarks: bool = False):
    """The python-docx Document for ``source``; with ``bookmarks`` also the marks
    ({bookmark name: ("start"|"end", row_key, band, column) or ("row", row_key)})."""
    padding = padding or {}
    marks = _Bookmarks(bookmarks)
    doc = _setup_document(source, opts)
    _add_front_matter(doc, source, opts, marks)

    if source.get("table_title"):
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(8)
        p.paragraph_format.space_after = Pt(4)
        p.add_run(source["table_title"]).bold = True

    tw = opts.text_width_pt * opts.table_width
    total = sum(opts.col_widths)
    widths = [tw * f / total for f in opts.col_widths]

    table = None
    for ti, theme in enumerate(source.get("themes", [])):
        heading = Para(theme.get("heading", ""), bold=True)
        intro = _with_blanks(theme.get("intro") or [])
        if opts.theme_intro == "paragraphs":
            p = doc.add_paragraph()
            p.paragraph_format.space_before = Pt(8)
            p.add_run(heading.text).bold = True
            for para in intro:
                doc.add_paragraph(para.text or "")
            p = doc.add_paragraph()   # the blank line an officer leaves above a table
            table = _new_plan_table(doc, opts, widths)
        else:
            if table is None:
                table = _new_plan_table(doc, opts, widths)
            row = _add_row(table, widths)
            cell = row.cells[0].merge(row.cells[-1])
            _fill_cell(cell, [heading, BLANK] + intro if intro else [heading], marks)

        for ri, r in enumerate(theme.get("rows", [])):
            key = row_key(ti, ri)
            row = _add_row(table, widths)
            cells = row.cells
            ts = [Para(r.get("theme_label") or None)]
            if r.get("score"):
                ts.append(Para(r["score"], bold=True))
            _fill_cell(cells[0], ts, marks)
            _shade(cells[0], SCORE_COLOURS.get(r.get("score") or ""))
            chars = _with_blanks(r.get("characteristic") or [])
            if chars:
                chars[0].start_mark = marks.new("row", key)
                chars[-1].end_mark = marks.new("rowend", key)
            _fill_cell(cells[1], chars, marks)
            for cell, col in zip(cells[2:], ACTION_COLUMNS):
                _fill_cell(cell, action_column_paras(r, key, col, padding, marks), marks)
    return doc, marks.marks


# --------------------------------------------------------------------------- LibreOffice

def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx_path: Path, out_dir: Path, destinations: bool = False,
                timeout: float = 300) -> Path:
    """Convert with LibreOffice in a private profile (parallel runs don't clash).

    ``destinations`` exports Word bookmarks as PDF named destinations (used to measure).
    """
    soffice = soffice_path()
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) not found; install the Debian package libreoffice-writer")
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.gettempdir()) / f"actionplan-lo-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    target = "pdf"
    if destinations:
        target = ('pdf:writer_pdf_Export:{"ExportBookmarksToPDFDestination":'
                  '{"type":"boolean","value":"true"}}')
    cmd = [soffice, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
           "--convert-to", target, "--outdir", str(out_dir), str(docx_path)]
    try:
        res = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    pdf = out_dir / (Path(docx_path).stem + ".pdf")
    if res.returncode != 0 or not pdf.exists():
        raise RuntimeError(f"soffice failed ({res.returncode}): {res.stderr.strip() or res.stdout.strip()}")
    return pdf


# --------------------------------------------------------------------------- measuring

@dataclass
class Mark:
    page: int      # 0-based
    y: float       # top of the line, points from the top of the page


def read_destinations(pdf_path: Path) -> dict[str, Mark]:
    """Named destinations of a LibreOffice PDF: name -> (page, y from the top)."""
    import pdfplumber
    from pdfminer.pdftypes import resolve1
    from pdfminer.psparser import PSLiteral

    out: dict[str, Mark] = {}
    with pdfplumber.open(pdf_path) as pdf:
        page_of = {p.page_obj.pageid: (i, p.height) for i, p in enumerate(pdf.pages)}
        cat = pdf.doc.catalog
        dests = resolve1(cat.get("Dests")) or {}
        if not dests and cat.get("Names"):
            names = resolve1(resolve1(cat["Names"]).get("Dests"))
            dests = {}
            stack = [names] if names else []
            while stack:
                node = resolve1(stack.pop())
                arr = node.get("Names") or []
                for k, v in zip(arr[::2], arr[1::2]):
                    dests[k.decode() if isinstance(k, bytes) else k] = v
                stack.extend(node.get("Kids") or [])
        for name, value in dests.items():
            value = resolve1(value)
            if isinstance(value, dict):
                value = resolve1(value.get("D"))
            ref, kind = value[0], value[1]
            if not (isinstance(kind, PSLiteral) and kind.name == "XYZ"):
                continue
            pageno, height = page_of[ref.objid]
            y = value[3]
            key = name.decode() if isinstance(name, bytes) else name
            out[key] = Mark(pageno, height - float(y))
    return out


@dataclass
class PageGeometry:
    top: float      # where a continued row's first line starts (below a repeated header)
    bottom: float   # the lowest full-width rule (the bottom of the last row part)


def page_geometry(pdf_path: Path, opts: RenderOptions) -> list[PageGeometry]:
    """Per page, the table's content top (for continued rows) and bottom, from its rules."""
    import pdfplumber

    tw = opts.text_width_pt * opts.table_width
    out = []
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages:
            spans: dict[float, float] = {}
            for e in page.edges:
                if e["orientation"] != "h":
                    continue
                y = round(e["top"], 0)
                spans[y] = spans.get(y, 0) + (e["x1"] - e["x0"])
            full = sorted(y for y, w in spans.items() if w >= 0.9 * tw)
            if not full:
                out.append(PageGeometry(top=opts.margin_cm * PT_PER_CM, bottom=page.height))
                continue
            top = full[1] if (opts.repeat_header and len(full) > 1) else full[0]
            out.append(PageGeometry(top=top + 0.5, bottom=full[-1]))
    return out


@dataclass
class BandReport:
    row: str
    element_id: str
    band: int
    starts: dict[str, Mark]           # column -> where its first line starts
    spread: float | None              # max - min baseline of the columns' first lines
                                      # (None: not all on one page, or not found)
    clear: bool = True                # starts a blank line below every column's previous band

    @property
    def level(self) -> bool:
        return self.spread is not None and self.spread <= 2.0


def _row_index(source: dict) -> dict[str, dict]:
    return {row_key(ti, ri): r for ti, t in enumerate(source.get("themes", []))
            for ri, r in enumerate(t.get("rows", []))}


def column_x_ranges(opts: RenderOptions) -> dict[str, tuple[float, float]]:
    """Each column's x range on the page (LibreOffice, like Word, pulls the table left
    by the cell margin so the text lines up with the page margin)."""
    x = opts.margin_cm * PT_PER_CM - opts.cell_margin_pt
    tw = opts.text_width_pt * opts.table_width
    total = sum(opts.col_widths)
    out = {}
    for (col, _), f in zip(COLUMNS, opts.col_widths):
        out[col] = (x, x + tw * f / total)
        x += tw * f / total
    return out


def _line_position(mark: Mark, row_start: Mark, geo: list[PageGeometry], lh: float) -> float:
    """Lines from the row's first line to ``mark``, counting the line slots of the pages
    the row crosses (every cell of a row part shares one line grid)."""
    if mark.page == row_start.page:
        return (mark.y - row_start.y) / lh
    lines = 0.0
    origin = row_start.y
    for p in range(row_start.page, mark.page):
        lines += int((geo[p].bottom - origin) / lh + 0.05)
        origin = geo[p + 1].top
    return lines + (mark.y - origin) / lh


def measure(source: dict, marks: dict[str, tuple], pdf_path: Path, opts: RenderOptions,
            padding: Padding) -> tuple[Padding, list[BandReport], dict[str, tuple[int, int]]]:
    """From a rendered PDF: the padding that would level the bands, the reports of every
    band that has to line up with something, and each row's first and last page."""
    import pdfplumber

    dests = read_destinations(pdf_path)
    geo = page_geometry(pdf_path, opts)
    with pdfplumber.open(pdf_path) as pdf:
        page_chars = [(p.height, p.chars) for p in pdf.pages]
    col_x = column_x_ranges(opts)

    def baseline(m: Mark, col: str) -> tuple[float, str] | None:
        """Baseline and text of the line that starts at ``m`` in column ``col``."""
        height, chars = page_chars[m.page]
        x0, x1 = col_x[col]
        line = sorted((c for c in chars if x0 <= c["x0"] < x1
                       and m.y - 1 <= c["top"] < m.y + opts.line_height - 1), key=lambda c: c["x0"])
        if not line:
            return None
        return height - line[0]["matrix"][5], "".join(c["text"] for c in line)

    lh = opts.line_height
    rows = _row_index(source)
    where: dict[tuple, Mark] = {}
    for name, what in marks.items():
        if name in dests:
            where[what] = dests[name]
    new_padding: Padding = dict(padding)
    reports: list[BandReport] = []
    row_pages: dict[str, tuple[int, int]] = {}
    for what, m in where.items():
        rk = what[1]
        eid = rows[rk].get("element_id", rk)
        a, b = row_pages.get(eid, (m.page, m.page))
        row_pages[eid] = (min(a, m.page), max(b, m.page))
    for key, row in rows.items():
        row_start = where.get(("row", key))
        if row_start is None:
            continue
        last_end: dict[str, Mark] = {}
        for bi, band in enumerate(row.get("bands", [])):
            cols = [c for c in ACTION_COLUMNS if band.get(c)]
            starts = {c: where[("start", key, bi, c)] for c in cols if ("start", key, bi, c) in where}
            if starts:
                pos = {c: _line_position(m, row_start, geo, lh) for c, m in starts.items()}
                natural = {c: pos[c] - padding.get((key, bi, c), 0) for c in pos}
                # a column that is empty in this band still occupies the lines down to its
                # previous band's end: the band starts a blank line below that.
                floor = [_line_position(last_end[c], row_start, geo, lh) + 2
                         for c in ACTION_COLUMNS if c not in starts and c in last_end]
                target = max(list(natural.values()) + floor)
                for c in pos:
                    new_padding[(key, bi, c)] = max(0, int(round(target - natural[c])))
                # level = the first lines' baselines (read from the glyphs) agree
                pages = {m.page for m in starts.values()}
                spread = None
                if len(pages) == 1:
                    ys = []
                    for c, m in starts.items():
                        bl = baseline(m, c)
                        want = band[c][0].replace(" ", "")
                        if bl is None or not want.startswith(bl[1].replace(" ", "")[:12]):
                            ys = None   # the bookmark does not sit on the band's first line
                            break
                        ys.append(bl[0])
                    spread = (max(ys) - min(ys)) if ys else None
                clear = all(p >= max(floor) - 0.25 for p in pos.values()) if floor else True
                if len(starts) > 1 or floor:
                    reports.append(BandReport(key, row.get("element_id", ""), bi, starts, spread, clear))
            for c in cols:
                if ("end", key, bi, c) in where:
                    last_end[c] = where[("end", key, bi, c)]
    new_padding = {k: v for k, v in new_padding.items() if v}
    return new_padding, reports, row_pages


# --------------------------------------------------------------------------- the loop

@dataclass
class RenderResult:
    docx: Path
    pdf: Path | None
    pages: int | None = None
    iterations: int = 0
    padding: Padding = field(default_factory=dict)
    reports: list[BandReport] = field(default_factory=list)
    row_pages: dict[str, tuple[int, int]] = field(default_factory=dict)   # 0-based
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    @property
    def max_residue(self) -> float | None:
        spreads = [r.spread for r in self.reports if len(r.starts) > 1]
        if any(s is None for s in spreads):
            return float("inf")
        return max(spreads, default=0.0)

    def unlevel(self) -> list[BandReport]:
        return [r for r in self.reports if (len(r.starts) > 1 and not r.level) or not r.clear]


def _word_layout(pdf_path: Path) -> list[list[tuple]]:
    import pdfplumber
    with pdfplumber.open(pdf_path) as pdf:
        return [[(w["text"], round(w["x0"], 1), round(w["top"], 1)) for w in p.extract_words()]
                for p in pdf.pages]


def _page_count(pdf_path: Path) -> int:
    import pdfplumber
    with pdfplumber.open(pdf_path) as pdf:
        return len(pdf.pages)


def render_levelled(source: dict, out_stem: Path, opts: RenderOptions = RenderOptions(),
                    max_iterations: int = 12, log=print) -> RenderResult:
    """Write ``out_stem``.docx and (with LibreOffice) ``out_stem``.pdf, bands levelled."""
    t0 = time.monotonic()
    out_stem = Path(out_stem)
    out_stem.parent.mkdir(parents=True, exist_ok=True)
    docx_path = out_stem.with_suffix(".docx")
    result = RenderResult(docx=docx_path, pdf=None)
    have_lo = soffice_path() is not None
    padding: Padding = {}
    with tempfile.TemporaryDirectory(prefix="actionplan-measure-") as tmp:
        tmp = Path(tmp)
        measured_pdf = None
        if opts.level_bands and have_lo:
            seen: list[Padding] = []
            for it in range(1, max_iterations + 1):
                doc, marks = build_document(source, opts, padding, bookmarks=True)
                mdocx = tmp / f"measure{it}.docx"
                doc.save(mdocx)
                measured_pdf = docx_to_pdf(mdocx, tmp / f"m{it}", destinations=True)
                new_padding, reports, row_pages = measure(source, marks, measured_pdf, opts, padding)
                result.iterations, result.reports, result.row_pages = it, reports, row_pages
                bad = result.unlevel()
                log(f"  iteration {it}: {len(reports)} multi-column bands, {len(bad)} not level, "
                    f"{sum(padding.values())} padding paragraphs")
                if not bad and new_padding == padding:
                    break
                if new_padding == padding or new_padding in seen:
                    result.notes.append(f"levelling stopped at iteration {it} (no progress)")
                    break
                seen.append(padding)
                padding = new_padding
        elif opts.level_bands:
            result.notes.append("LibreOffice missing: bands not levelled, no PDF")
        result.padding = padding
        doc, _ = build_document(source, opts, padding, bookmarks=False)
        doc.save(docx_path)
        if have_lo:
            pdf = docx_to_pdf(docx_path, out_stem.parent)
            if pdf != out_stem.with_suffix(".pdf"):
                pdf.replace(out_stem.with_suffix(".pdf"))
                pdf = out_stem.with_suffix(".pdf")
            result.pdf = pdf
            result.pages = _page_count(pdf)
            if measured_pdf is not None and _word_layout(measured_pdf) != _word_layout(pdf):
                result.notes.append("final PDF's words differ from the measured one")
    result.seconds = time.monotonic() - t0
    return result


def subset_source(source: dict, element_ids: list[str]) -> dict:
    """A copy of ``source`` with only the named rows (themes without rows dropped)."""
    wanted = set(element_ids)
    out = {k: copy.deepcopy(v) for k, v in source.items() if k != "themes"}
    out["themes"] = []
    for t in source.get("themes", []):
        rows = [copy.deepcopy(r) for r in t.get("rows", []) if r.get("element_id") in wanted]
        if rows:
            t2 = {k: copy.deepcopy(v) for k, v in t.items() if k != "rows"}
            t2["rows"] = rows
            out["themes"].append(t2)
    found = {r["element_id"] for t in out["themes"] for r in t["rows"]}
    missing = [e for e in element_ids if e not in found]
    if missing:
        raise KeyError(f"rows not in the source: {', '.join(missing)}")
    return out


def main(argv: list[str] | None = None) -> int:
    import argparse
    ap = argparse.ArgumentParser(description="Render a source.json as .docx + .pdf")
    ap.add_argument("source", type=Path)
    ap.add_argument("out_stem", type=Path, help="output path without suffix")
    ap.add_argument("--no-level", action="store_true")
    args = ap.parse_args(argv)
    source = json.loads(args.source.read_text(encoding="utf-8"))
    opts = RenderOptions(level_bands=not args.no_level)
    res = render_levelled(source, args.out_stem, opts)
    print(f"{res.docx} {res.pdf} pages={res.pages} residue={res.max_residue} "
          f"iterations={res.iterations} {res.seconds:.1f}s {res.notes}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
