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
import unicodedata
import uuid
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

# --------------------------------------------------------------------------- constants

try:
    from .variants import (
        PALETTES, RULE_COLOUR, Column, band_cell, heatmap_font_size, is_band_column,
        page_size_pt, row_cell, standard_columns, status_fills, with_presentation_forms,
    )
except ImportError:  # run as a script: samples/build/ is not a package then
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from variants import (  # type: ignore[no-redef]
        PALETTES, RULE_COLOUR, Column, band_cell, heatmap_font_size, is_band_column,
        page_size_pt, row_cell, standard_columns, status_fills, with_presentation_forms,
    )

#: The score colours, as the officer's Word shading (hex RGB, no '#').
SCORE_COLOURS: dict[str, str] = PALETTES["office"]

#: The 2024 plan's columns: (key, header text).
COLUMNS: tuple[tuple[str, str], ...] = tuple((c.field, c.label) for c in standard_columns())
ACTION_COLUMNS: tuple[str, ...] = ("opportunity", "recommendation", "owner_timeline")

PT_PER_CM = 72 / 2.54
TWIPS_PER_PT = 20

#: LibreOffice's line height for Liberation Sans at single spacing is 1.15 x the size
#: (ascent + descent + line gap = 2355/2048 em).  Only a first guess: the levelling
#: measures the line pitch of each rendering (other fonts, other metrics).
LINE_HEIGHT_FACTOR = 1.15

#: Word border widths (eighths of a point) and colours of the rule styles.
RULES = {
    "grid": ("4", "000000"),
    "horizontal": ("4", "000000"),
    "thick": ("12", "000000"),
    "coloured": ("6", RULE_COLOUR),
}


@dataclass(frozen=True)
class RenderOptions:
    """How to lay the source out.  The defaults are the officer's 2024 document."""

    orientation: str = "landscape"          # "landscape" | "portrait"
    page: str = "a4"                        # "a4" | "letter" | "a3"
    font: str = "Arial"                     # LibreOffice substitutes Liberation Sans
    font_size: float = 9.0                  # body text, pt
    title_size: float = 12.0
    furniture_size: float = 7.0             # running header / footer, pt
    margin_cm: float = 1.27                 # "narrow" margins, all four sides
    header_distance_cm: float = 0.6         # page edge to running header/footer
    col_widths: tuple[float, ...] = (0.11, 0.19, 0.25, 0.27, 0.18)  # fractions of the table
    header_labels: str = "standard"         # a variants.LABEL_SETS key (the five standard columns)
    columns: tuple[Column, ...] | None = None   # any columns (field, label, width); None: the
                                            # five standard ones with col_widths and header_labels
    table_width: float = 1.0                # fraction of the text width
    cell_margin_pt: float = 5.4             # left/right cell padding (Word's 0.19 cm)
    borders: str = "grid"                   # a variants.RULE_STYLES value: "grid" | "horizontal"
                                            # (rules between rows only) | "none" | "thick" | "coloured"
    header_align: str = "left"              # "left" | "center": the header labels
    justify: bool = False                   # body paragraphs justified
    hyphenate: bool = False                 # LibreOffice automatic hyphenation (w:autoHyphenation;
                                            # needs Debian's hyphen-en-gb); line ends get U+002D
    ligatures: str = "font"                 # "font": whatever the font does (DejaVu: fi/fl glyphs,
                                            # Liberation: none) | "none": the font with ":-liga" |
                                            # "presentation": the text holds U+FB00-FB04
    key_style: str = "shaded"               # a variants.KEY_STYLES value
    palette: str = "office"                 # a variants.PALETTES key
    repeat_header: bool = True              # w:tblHeader on the header row
    theme_intro: str = "row"                # "row" (full-width merged row) | "paragraphs"
                                            # (heading + intro between tables, one table per theme)
    front_matter: bool = True               # heatmap intro, heatmap and key on page 1
    running_header: bool = True             # small title at the top of every page
    running_footer: bool = True             # "Page X of Y"
    level_bands: bool = True                # pad with empty paragraphs so bands line up
    tagged: bool = False                    # tagged PDF (LibreOffice UseTaggedPDF)

    @property
    def page_size_cm(self) -> tuple[float, float]:
        w, h = page_size_pt(self.page, self.orientation)
        return w / PT_PER_CM, h / PT_PER_CM

    @property
    def text_width_pt(self) -> float:
        return (self.page_size_cm[0] - 2 * self.margin_cm) * PT_PER_CM

    @property
    def line_height(self) -> float:
        return self.font_size * LINE_HEIGHT_FACTOR

    @property
    def plan_columns(self) -> tuple[Column, ...]:
        return self.columns or standard_columns(self.header_labels, self.col_widths)

    @property
    def font_name(self) -> str:
        """The font as written into the .docx (LibreOffice reads OpenType feature
        switches after a colon)."""
        return f"{self.font}:-liga" if self.ligatures == "none" else self.font

    def text(self, text: str) -> str:
        return with_presentation_forms(text) if self.ligatures == "presentation" else text


def band_columns(opts: RenderOptions, source: dict) -> tuple[Column, ...]:
    """The columns lined up band by band (opportunity, recommendation, owner/timeline ...)."""
    return tuple(c for c in opts.plan_columns if is_band_column(c, source))


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
    """Explicit table borders: a full grid (thin, thick or coloured), horizontal rules
    only, or none at all."""
    tblPr = table._tbl.tblPr
    for old in tblPr.findall(qn("w:tblBorders")):
        tblPr.remove(old)
    borders = _el("w:tblBorders")
    size, colour = RULES.get(style, RULES["grid"])
    rule = dict(val="single", sz=size, space="0", color=colour)
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
    """One paragraph to write into a cell: text (None = empty), bold, bookmarks, shading,
    colour, alignment."""

    text: str | None = None
    bold: bool = False
    start_mark: str | None = None   # bookmark before the text
    end_mark: str | None = None     # bookmark after the text
    fill: str | None = None         # paragraph shading (hex RGB): a status painted in its colour
    colour: str | None = None       # text colour (hex RGB)
    align: str | None = None        # "left" | "center" | None (the style's)


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


_ALIGN = {"left": WD_ALIGN_PARAGRAPH.LEFT, "center": WD_ALIGN_PARAGRAPH.CENTER}


def _write_paragraph(paragraph, para: Para, marks: _Bookmarks) -> None:
    if para.text:
        run = paragraph.add_run(para.text)
        run.bold = para.bold or None
        if para.colour:
            run.font.color.rgb = RGBColor.from_string(para.colour)
    if para.align:
        paragraph.alignment = _ALIGN[para.align]
    if para.fill:
        paragraph._p.get_or_add_pPr().append(_el("w:shd", val="clear", color="auto", fill=para.fill))
    marks.place(paragraph._p, para.start_mark, at_end=False)
    marks.place(paragraph._p, para.end_mark, at_end=True)


def _fill_cell(cell, paras: list[Para], marks: _Bookmarks) -> None:
    paras = paras or [BLANK]
    first = cell.paragraphs[0]
    _write_paragraph(first, paras[0], marks)
    for para in paras[1:]:
        _write_paragraph(cell.add_paragraph(), para, marks)


def _with_blanks(texts: list[str], bold: bool = False, fill: str | None = None) -> list[Para]:
    """Paragraphs separated by one empty paragraph, as the authors type them."""
    out: list[Para] = []
    for i, t in enumerate(texts):
        if i:
            out.append(BLANK)
        out.append(Para(t, bold=bold, fill=fill))
    return out


def row_key(theme_index: int, row_index: int) -> str:
    return f"t{theme_index}r{row_index}"


def action_column_paras(row: dict, key: str, col: Column, padding: Padding,
                        marks: _Bookmarks, opts: RenderOptions) -> list[Para]:
    """The paragraphs of one band column of a row: the bands' paragraphs, top to bottom.

    Bands are separated by one empty paragraph plus the levelling padding; paragraphs of
    the same band by one empty paragraph.  A status is shaded in its colour.
    """
    out: list[Para] = []
    had_content = False
    for bi, band in enumerate(row.get("bands", [])):
        texts = [opts.text(t) for t in band_cell(band, col)]
        if not texts:
            continue
        if had_content:
            out.append(BLANK)
        out.extend([BLANK] * padding.get((key, bi, col.field), 0))
        paras = _with_blanks(texts)
        if col.field == "status":
            for para, fill in zip([q for q in paras if q.text], status_fills(band)):
                para.fill = fill
        paras[0].start_mark = marks.new("start", key, bi, col.field)
        paras[-1].end_mark = marks.new("end", key, bi, col.field)
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
    normal.font.name = opts.font_name
    normal.font.size = Pt(opts.font_size)
    rpr = normal.element.get_or_add_rPr()
    rfonts = rpr.find(qn("w:rFonts"))
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), opts.font_name)
    pf = normal.paragraph_format
    pf.space_before = Pt(0)
    pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    pf.widow_control = False   # keeps every line on the common line grid of a row
    if opts.justify:
        pf.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    lang = _el("w:lang", val="en-GB")
    rpr.append(lang)
    if opts.hyphenate:
        _auto_hyphenation(doc)

    section = doc.sections[0]
    w_cm, h_cm = opts.page_size_cm
    section.orientation = WD_ORIENT.LANDSCAPE if opts.orientation == "landscape" else WD_ORIENT.PORTRAIT
    section.page_width = Cm(w_cm)
    section.page_height = Cm(h_cm)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(opts.margin_cm))
    section.header_distance = Cm(opts.header_distance_cm)
    section.footer_distance = Cm(opts.header_distance_cm)

    title = opts.text(source.get("title") or "")
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


def _auto_hyphenation(doc) -> None:
    """Word's "Automatically hyphenate document" (w:autoHyphenation in settings.xml),
    which LibreOffice honours with a hyphenation dictionary for the text's language."""
    settings = doc.settings.element
    after = settings.find(qn("w:defaultTabStop"))
    flag = _el("w:autoHyphenation")
    if after is not None:
        after.addnext(flag)
    else:
        settings.append(flag)


def _key_table(doc, key: list[dict], opts: RenderOptions, marks: _Bookmarks) -> None:
    """The score key in the option's style: the label cell shaded, a swatch cell beside
    the label, the label's text coloured, or no colour at all."""
    fills = PALETTES[opts.palette]
    tw = opts.text_width_pt * opts.table_width
    swatch = opts.key_style == "swatch"
    widths = [tw * 0.04, tw * 0.10, tw * 0.86] if swatch else [tw * 0.12, tw * 0.88]
    table = doc.add_table(rows=len(key), cols=len(widths))
    _table_borders(table, "grid")
    _table_layout(table, widths, opts.cell_margin_pt)
    for ri, k in enumerate(key):
        cells = table.rows[ri].cells
        fill = fills.get(k.get("score") or "")
        label = Para(opts.text(k.get("label", "")))
        if swatch:
            _fill_cell(cells[0], [BLANK], marks)
            _shade(cells[0], fill)
            cells = cells[1:]
        elif opts.key_style == "shaded":
            _shade(cells[0], fill)
        elif opts.key_style == "text":
            label.colour, label.bold = fill, True
        _fill_cell(cells[0], [label], marks)
        _fill_cell(cells[1], [Para(opts.text(k.get("meaning", "")))], marks)


def _add_front_matter(doc, source: dict, opts: RenderOptions, marks: _Bookmarks) -> None:
    p = doc.add_paragraph()
    r = p.add_run(opts.text(source.get("title") or ""))
    r.bold = True
    r.font.size = Pt(opts.title_size)
    p.paragraph_format.space_after = Pt(6)
    if not opts.front_matter:
        return
    if source.get("heatmap_intro"):
        p = doc.add_paragraph(opts.text(source["heatmap_intro"]))
        p.paragraph_format.space_after = Pt(6)

    heatmap = source.get("heatmap") or []
    fills = PALETTES[opts.palette]
    if heatmap:
        scores = score_index(source)
        n_ids = max(12, max(len(h.get("cells", [])) for h in heatmap))
        tw = opts.text_width_pt * opts.table_width
        label_w = tw * 0.22
        widths = [label_w] + [(tw - label_w) / n_ids] * n_ids
        id_size = heatmap_font_size(widths[1] - opts.cell_margin_pt, opts.font_size)
        table = doc.add_table(rows=1 + len(heatmap), cols=1 + n_ids)
        _table_borders(table, "grid")
        _table_layout(table, widths, opts.cell_margin_pt / 2)
        hdr = table.rows[0].cells
        _fill_cell(hdr[0], [Para("Theme", bold=True)], marks)
        merged = hdr[1].merge(hdr[n_ids])
        _fill_cell(merged, [Para("Element ID", bold=True)], marks)
        for ri, h in enumerate(heatmap, start=1):
            cells = table.rows[ri].cells
            _fill_cell(cells[0], [Para(opts.text(h.get("label", "")))], marks)
            ids = h.get("cells", [])
            for ci in range(n_ids):
                text = ids[ci] if ci < len(ids) else ""
                _fill_cell(cells[ci + 1], [Para(text or None)], marks)
                if text and id_size < opts.font_size:
                    for run in cells[ci + 1].paragraphs[0].runs:
                        run.font.size = Pt(id_size)
                if text:
                    eid = heatmap_cell_id(ids, ci)
                    _shade(cells[ci + 1], fills.get(scores.get(eid) or ""))

    key = source.get("key") or []
    if key:
        p = doc.add_paragraph()
        p.paragraph_format.space_before = Pt(8)
        p.paragraph_format.space_after = Pt(4)
        p.add_run("Key:").bold = True
        _key_table(doc, key, opts, marks)


def _new_plan_table(doc, opts: RenderOptions, widths: list[float]):
    columns = opts.plan_columns
    table = doc.add_table(rows=1, cols=len(columns))
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    _table_borders(table, opts.borders)
    _table_layout(table, widths, opts.cell_margin_pt)   # also puts tblPr in schema order
    hdr = table.rows[0]
    for cell, col in zip(hdr.cells, columns):
        _fill_cell(cell, [Para(opts.text(col.label), bold=True, align=opts.header_align)],
                   marks=_Bookmarks(False))
    if opts.repeat_header:
        _mark_header_row(hdr)
    return table


def _add_row(table, widths: list[float]):
    row = table.add_row()
    for cell, w in zip(row.cells, widths):
        _set_cell_width(cell, w)
    return row


def _row_column_paras(r: dict, col: Column, opts: RenderOptions) -> list[Para]:
    """A row column's cell (theme/score, id, rating, characteristic, a row-level extra)."""
    paras = [(opts.text(t), bold) for t, bold in row_cell(r, col, opts.plan_columns)]
    if col.field == "theme_score":   # label, then the score word: no blank line between
        return [Para(t or None, bold=b) for t, b in paras] or [BLANK]
    out: list[Para] = []
    for i, (t, b) in enumerate(paras):
        if i:
            out.append(BLANK)
        out.append(Para(t, bold=b))
    return out


def _fill_plan_row(row, r: dict, key: str, opts: RenderOptions, padding: Padding,
                   marks: _Bookmarks, source: dict) -> None:
    fills = PALETTES[opts.palette]
    for cell, col in zip(row.cells, opts.plan_columns):
        if is_band_column(col, source):
            _fill_cell(cell, action_column_paras(r, key, col, padding, marks, opts), marks)
            continue
        paras = _row_column_paras(r, col, opts)
        if col.field == "characteristic" and paras:
            paras[0].start_mark = marks.new("row", key)
            paras[-1].end_mark = marks.new("rowend", key)
        _fill_cell(cell, paras, marks)
        if col.field in ("theme_score", "rating"):
            _shade(cell, fills.get(r.get("score") or ""))


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
        p.add_run(opts.text(source["table_title"])).bold = True

    tw = opts.text_width_pt * opts.table_width
    columns = opts.plan_columns
    total = sum(c.width for c in columns)
    widths = [tw * c.width / total for c in columns]

    table = None
    for ti, theme in enumerate(source.get("themes", [])):
        heading = Para(opts.text(theme.get("heading", "")), bold=True, align="left")
        intro = _with_blanks([opts.text(t) for t in theme.get("intro") or []])
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
            _fill_plan_row(_add_row(table, widths), r, row_key(ti, ri), opts, padding, marks, source)
    return doc, marks.marks


# --------------------------------------------------------------------------- LibreOffice

def soffice_path() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx_path: Path, out_dir: Path, destinations: bool = False,
                timeout: float = 300, tagged: bool = False) -> Path:
    """Convert with LibreOffice in a private profile (parallel runs don't clash).

    ``destinations`` exports Word bookmarks as PDF named destinations (used to measure);
    ``tagged`` writes a tagged PDF (structure tree, UseTaggedPDF).
    """
    soffice = soffice_path()
    if not soffice:
        raise RuntimeError("LibreOffice (soffice) not found; install the Debian package libreoffice-writer")
    out_dir.mkdir(parents=True, exist_ok=True)
    profile = Path(tempfile.gettempdir()) / f"actionplan-lo-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    target = "pdf"
    flags = [name for name, on in (("ExportBookmarksToPDFDestination", destinations),
                                   ("UseTaggedPDF", tagged)) if on]
    if flags:
        target = "pdf:writer_pdf_Export:" + json.dumps(
            {name: {"type": "boolean", "value": "true"} for name in flags}, separators=(",", ":"))
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
    columns = opts.plan_columns
    total = sum(c.width for c in columns)
    out = {}
    for col in columns:
        out[col.field] = (x, x + tw * col.width / total)
        x += tw * col.width / total
    return out


def measured_line_pitch(page_chars: list[tuple[float, list[dict]]], font_size: float) -> float | None:
    """The body text's line pitch: the commonest baseline step between consecutive lines
    that start at the same x (lines of one cell), in body-size characters."""
    steps: Counter = Counter()
    for height, chars in page_chars:
        lines: dict[float, float] = {}      # baseline -> left x
        for c in chars:
            if abs(c["size"] - font_size) > 0.3 or not c["upright"]:
                continue
            base = round(height - c["matrix"][5], 1)
            lines[base] = min(lines.get(base, c["x0"]), c["x0"])
        by_left: dict[int, list[float]] = {}
        for base, left in lines.items():
            by_left.setdefault(round(left), []).append(base)
        for bases in by_left.values():
            bases.sort()
            steps.update(round(b - a, 1) for a, b in zip(bases, bases[1:])
                         if 1.0 * font_size <= b - a <= 1.4 * font_size)
    return steps.most_common(1)[0][0] if steps else None


def _comparable(text: str) -> str:
    """Text as a line-start check compares it: NFKC (ligatures), no spaces, no line-end hyphen."""
    return unicodedata.normalize("NFKC", text).replace(" ", "").rstrip("-\u2010\u2011\u00ad")


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
                       and m.y - 1 <= c["top"] < m.y + lh - 1), key=lambda c: c["x0"])
        if not line:
            return None
        return height - line[0]["matrix"][5], "".join(c["text"] for c in line)

    lh = measured_line_pitch(page_chars, opts.font_size) or opts.line_height
    rows = _row_index(source)
    band_cols = {c.field: c for c in band_columns(opts, source)}
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
            cols = [f for f, c in band_cols.items() if band_cell(band, c)]
            starts = {c: where[("start", key, bi, c)] for c in cols if ("start", key, bi, c) in where}
            if starts:
                pos = {c: _line_position(m, row_start, geo, lh) for c, m in starts.items()}
                natural = {c: pos[c] - padding.get((key, bi, c), 0) for c in pos}
                # a column that is empty in this band still occupies the lines down to its
                # previous band's end: the band starts a blank line below that.
                floor = [_line_position(last_end[c], row_start, geo, lh) + 2
                         for c in band_cols if c not in starts and c in last_end]
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
                        want = _comparable(opts.text(band_cell(band, band_cols[c])[0]))
                        if bl is None or not want.startswith(_comparable(bl[1])[:12]):
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
                measured_pdf = docx_to_pdf(mdocx, tmp / f"m{it}", destinations=True, tagged=opts.tagged)
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
            pdf = docx_to_pdf(docx_path, out_stem.parent, tagged=opts.tagged)
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
