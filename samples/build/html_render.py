"""Render a sample's ``source.json`` as HTML+CSS and print it to PDF with WeasyPrint.

This is the *second producer* of the 2024 sample: the same content as the Word/LibreOffice
rendering (``docx_render.py``) laid out by a different engine, so the extractor cannot lean
on one producer's habits.  The defaults (``HtmlOptions()``) are the committed
``appendix-a-2024-html`` sample; its deliberate differences from the Word rendering:

* engine: WeasyPrint (HTML+CSS, pango/harfbuzz text), not LibreOffice;
* page: US Letter landscape (11 x 8.5 in), not A4 landscape;
* fonts: DejaVu Sans Condensed for the table body, DejaVu Serif for titles and headings;
* column widths: 11% / 19% / 26% / 27% / 17% of the table width;
* rules: horizontal rules only -- no vertical borders, no cell boxes;
* the table header row is printed ONCE (a plain row in ``<tbody>``, not ``<thead>``),
  so later pages start straight into the body rows;
* theme headings and intros are full-width rows (``colspan`` over every column);
* page 1: title, heatmap (each id cell shaded in its characteristic's score colour) and key;
* running footer "Page N of M" from ``@page`` margin boxes.

Every other layout of the sweep (``sweep.py``) is an ``HtmlOptions``: page size and
orientation, margins, columns (field, label, width -- any order, any number, see
``variants.Column``), fonts and sizes, header labels centred or not and repeated or not,
justification, hyphenation and the hyphen character, ligatures, rule style, key style,
palette, band layout, a running header, tagged PDF.

Bands: with ``band_layout="nested"`` (the default) a characteristic row holds its action
bands as a nested borderless table spanning the band columns, one row per band, so within
a band the columns start level by construction; bands are separated by vertical space
only.  The nested table's columns have the outer columns' widths, so its text lines up
under the header.  (A CSS grid was the other candidate; WeasyPrint does not fragment grid
items across pages reliably, while table rows split cleanly.)  With
``band_layout="rowspan"`` every band is a row of the outer table and the row cells
(theme/score, characteristic) span them (``rowspan``): the table's rules then run
between bands too, as in plans built in a spreadsheet.

Usage::

    python samples/build/html_render.py [--source samples/appendix-a-2024/source.json]
                                        [--out-dir samples/appendix-a-2024-html]
                                        [--stem appendix-a-2024-html]

If ``source.json`` does not exist yet, the parts in ``<sample>/parts/part-*.json`` are merged
in memory (development only; the committed build reads ``source.json``).
"""

from __future__ import annotations

import argparse
import html
import json
import os
import sys
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent
DEFAULT_SOURCE = SAMPLES / "appendix-a-2024" / "source.json"
DEFAULT_OUT = SAMPLES / "appendix-a-2024-html"
DEFAULT_STEM = "appendix-a-2024-html"

try:
    from .variants import (
        HYPHEN_CHARS, PALETTES, RULE_COLOUR, THICK_RULE_PT, THIN_RULE_PT, Column, band_cell,
        heatmap_font_size, heatmap_ids, is_band_column, page_size_pt, row_cell,
        STATUS_FILLS, standard_columns, status_fills, with_presentation_forms,
    )
except ImportError:  # run as a script: samples/build/ is not a package then
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from variants import (  # type: ignore[no-redef]
        HYPHEN_CHARS, PALETTES, RULE_COLOUR, THICK_RULE_PT, THIN_RULE_PT, Column, band_cell,
        heatmap_font_size, heatmap_ids, is_band_column, page_size_pt, row_cell,
        STATUS_FILLS, standard_columns, status_fills, with_presentation_forms,
    )

SCORE_FILL = {score: f"#{hexrgb}" for score, hexrgb in PALETTES["office"].items()}

#: The default columns: the 2024 plan's five, at this rendering's widths (percent).
DEFAULT_COLUMNS = standard_columns(widths=(11.0, 19.0, 26.0, 27.0, 17.0))
HEADER = [c.label for c in DEFAULT_COLUMNS]
COL_WIDTHS = [c.width for c in DEFAULT_COLUMNS]

SANS_CONDENSED = '"DejaVu Sans Condensed", "DejaVu Sans", sans-serif'
SERIF = '"DejaVu Serif", serif'


@dataclass(frozen=True)
class HtmlOptions:
    """How to lay the source out in HTML.  The defaults are ``appendix-a-2024-html``."""

    page: str = "letter"                    # a4 | letter | a3
    orientation: str = "landscape"          # landscape | portrait
    margins_in: tuple[float, float, float, float] = (0.55, 0.5, 0.6, 0.5)   # top right bottom left
    columns: tuple[Column, ...] = DEFAULT_COLUMNS
    body_font: str = SANS_CONDENSED
    heading_font: str = SERIF
    font_size: float = 8.5                  # table body, pt
    line_height: float = 1.22
    header_align: str = "left"              # left | center (the header labels)
    header_repeat: bool = False             # <thead>: repeated on every page
    justify: bool = False                   # text-align: justify in the table and intros
    hyphens: str = "manual"                 # manual | auto (pyphen, lang en-GB)
    hyphen_char: str = "u2010"              # a key of variants.HYPHEN_CHARS (the line-end hyphen)
    ligatures: str = "glyphs"               # glyphs (the font's fi/fl ligatures) | none |
                                            # presentation (text holds U+FB00-FB04)
    rules: str = "horizontal"               # a variants.RULE_STYLES value
    key_style: str = "shaded"               # a variants.KEY_STYLES value
    palette: str = "office"                 # a variants.PALETTES key
    band_layout: str = "nested"             # nested | rowspan
    table_on_new_page: bool = True          # page 1 holds only the front matter
    running_header: bool = False            # the title, small, top right of every page
    footer: bool = True                     # "Page N of M"
    tagged: bool = False                    # a tagged PDF (structure tree), WeasyPrint pdf_tags
    extra_css: str = ""                     # appended to the stylesheet


# --------------------------------------------------------------------------- CSS

BASE_CSS = """
@page {{
  size: {page_size};
  margin: {margins};{running_header}{footer}
}}
html {{ font-family: {body_font}; font-size: {font_size}pt;
       line-height: {line_height}; color: #000;{ligatures} }}
body {{ margin: 0; }}
h1 {{ font-family: {heading_font}; font-size: 13pt; font-weight: bold; margin: 0 0 10pt 0; }}
h2 {{ font-family: {heading_font}; font-size: 11pt; font-weight: bold; margin: 14pt 0 6pt 0; }}
p {{ margin: 0; }}
.intro {{ margin: 0 0 8pt 0; }}

/* page 1: heatmap and key */
table.heatmap {{ border-collapse: collapse; width: 100%; margin: 0 0 12pt 0; table-layout: fixed; }}
table.heatmap td, table.heatmap th {{ border-top: 0.6pt solid #000; border-bottom: 0.6pt solid #000;
  padding: 3pt 2pt; text-align: center; vertical-align: middle; font-size: {heatmap_size}pt; }}
table.heatmap th {{ font-weight: bold; }}
table.heatmap .theme {{ text-align: left; width: 17%; font-weight: bold; }}
table.key {{ border-collapse: collapse; width: 80%; margin: 0; }}
table.key td {{ border-top: 0.6pt solid #000; border-bottom: 0.6pt solid #000; padding: 4pt 6pt;
  vertical-align: middle; }}
table.key td.swatch {{ width: 16%; font-weight: bold; }}
table.key td.chip {{ width: 4%; }}
table.key td.label {{ width: 12%; font-weight: bold; }}

/* the action plan table */
.table-title {{ {table_break} }}
table.plan {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
/* Let every cell break after any line (no orphan/widow pull-back), so that a row split
   across pages starts with the first lines of ALL its cells, not a sliver of one cell. */
table.plan p {{ orphans: 1; widows: 1; }}
table.plan td.cell, table.plan th.cell {{ padding: 4pt 5pt 5pt 5pt;
  vertical-align: top; text-align: {text_align}; }}
table.plan tr.header > th {{ font-weight: bold; vertical-align: bottom; text-align: {header_align}; }}
table.plan tr.theme > td {{ padding: 7pt 5pt 6pt 5pt; }}
table.plan tr.theme p.heading {{ font-family: {heading_font}; font-weight: bold;
  font-size: 10pt; margin: 0 0 5pt 0; text-align: left; }}
table.plan tr.theme p.intro-para {{ margin: 0 0 5pt 0; }}
table.plan td.score {{ font-weight: normal; }}
table.plan td.score p.score-word {{ font-weight: bold; margin-top: 6pt; }}
table.plan td.rating {{ font-weight: bold; }}
table.plan td.bands {{ padding: 0; }}
table.plan td p + p {{ margin-top: {line_height}em; }}      /* a blank line between paragraphs */
{hyphenation}
table.bands {{ border-collapse: collapse; width: 100%; table-layout: fixed; }}
table.bands td {{ border: none; padding: 4pt 5pt 5pt 5pt; vertical-align: top; text-align: {text_align}; }}
table.bands tr + tr > td {{ padding-top: 8pt; }}     /* space, no rule, between bands */
table.bands td p + p {{ margin-top: {line_height}em; }}
"""

HORIZONTAL_RULES_CSS = """
table.plan td.cell, table.plan th.cell { border-top: 0.75pt solid #000; }
table.plan tr.last > td { border-bottom: 0.75pt solid #000; }
table.plan tr.header > th { border-top: 1.5pt solid #000; border-bottom: 1.5pt solid #000; }
"""

GRID_RULES_CSS = """
table.plan th.cell, table.plan td.cell {{ border: {w}pt solid {c}; }}
table.bands td + td {{ border-left: {w}pt solid {c}; }}
"""


def _page_css(opts: HtmlOptions, title: str) -> dict[str, str]:
    size = {"a4": "A4", "letter": "letter", "a3": "A3"}[opts.page]
    running = ""
    if opts.running_header:
        running = ("\n  @top-right { content: \"" + _css_string(title) + "\";"
                   f" font-family: {opts.heading_font}; font-size: 7pt; }}")
    footer = ""
    if opts.footer:
        footer = ("\n  @bottom-center {\n    content: \"Page \" counter(page) \" of \" counter(pages);\n"
                  f"    font-family: {opts.heading_font};\n    font-size: 8pt;\n  }}")
    return {"page_size": f"{size} {opts.orientation}",
            "margins": " ".join(f"{m:g}in" for m in opts.margins_in),
            "running_header": running, "footer": footer}


def _css_string(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def _heatmap_size(opts: HtmlOptions, cells: int) -> float:
    width, _ = page_size_pt(opts.page, opts.orientation)
    content = width - (opts.margins_in[1] + opts.margins_in[3]) * 72
    return heatmap_font_size(content * 0.83 / max(cells, 1) - 4, 8.0)


def stylesheet(opts: HtmlOptions, title: str = "", heatmap_cells: int = 12) -> str:
    hyphenation = ""
    if opts.hyphens == "auto":
        char = HYPHEN_CHARS[opts.hyphen_char]
        if opts.hyphen_char == "u00ad":
            char = HYPHEN_CHARS["u2010"]   # drawn as U+2010; pdf_post maps it to U+00AD
        hyphenation = ("table.plan p, .intro { hyphens: auto; hyphenate-character: \""
                       + "\\" + f"{ord(char):04X}" + "\"; }\n")
    css = BASE_CSS.format(
        **_page_css(opts, title),
        body_font=opts.body_font, heading_font=opts.heading_font, font_size=f"{opts.font_size:g}",
        line_height=f"{opts.line_height:g}",
        ligatures=" font-variant-ligatures: none;" if opts.ligatures == "none" else "",
        table_break="page-break-before: always;" if opts.table_on_new_page else "",
        text_align="justify" if opts.justify else "left",
        header_align=opts.header_align, hyphenation=hyphenation,
        heatmap_size=f"{_heatmap_size(opts, heatmap_cells):g}",
    )
    if opts.rules == "horizontal":
        css += HORIZONTAL_RULES_CSS
    elif opts.rules != "none":
        width = {"grid": THIN_RULE_PT, "thick": THICK_RULE_PT, "coloured": 0.75}[opts.rules]
        colour = f"#{RULE_COLOUR}" if opts.rules == "coloured" else "#000"
        css += GRID_RULES_CSS.format(w=f"{width:g}", c=colour)
    return css + opts.extra_css


# --------------------------------------------------------------------------- HTML

def load_source(path: Path) -> dict:
    """Read ``source.json``; if it is missing, merge ``parts/part-*.json`` in memory (dev only)."""
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    sys.path.insert(0, str(HERE))
    from merge_parts import merge_sample  # samples/build/merge_parts.py

    print(f"warning: {path} missing; merging {path.parent / 'parts'} in memory", file=sys.stderr)
    src = merge_sample(path.parent)
    if not src.get("themes"):
        sys.exit(f"no {path} and no parts to merge")
    return src


@dataclass
class _Writer:
    """Escapes and (for the presentation-forms variant) rewrites every printed text."""

    opts: HtmlOptions
    fills: dict[str, str] = field(default_factory=dict)

    def __post_init__(self):
        self.fills = {s: f"#{c}" for s, c in PALETTES[self.opts.palette].items()}

    def t(self, text: str) -> str:
        if self.opts.ligatures == "presentation":
            text = with_presentation_forms(text)
        return html.escape(text, quote=False)

    def paras(self, items: list[str], cls: str | None = None) -> str:
        attr = f' class="{cls}"' if cls else ""
        return "".join(f"<p{attr}>{self.t(t)}</p>" for t in items)

    def bg(self, score: str | None) -> str:
        fill = self.fills.get(score or "")
        return f' style="background-color: {fill}"' if fill else ""


def id_scores(src: dict) -> dict[str, str | None]:
    return {r["element_id"]: r.get("score") for t in src["themes"] for r in t["rows"]}


def render_front(src: dict, w: _Writer) -> str:
    if not src.get("heatmap"):  # a fixture: title only, no heatmap or key
        return f"<h1>{w.t(src['title'])}</h1>"
    scores = id_scores(src)
    width = max(len(r["cells"]) for r in src["heatmap"])
    out = [f"<h1>{w.t(src['title'])}</h1>"]
    if src.get("heatmap_intro"):
        out.append(f'<p class="intro">{w.t(src["heatmap_intro"])}</p>')
    out.append('<table class="heatmap"><tbody>')
    out.append(f'<tr><th class="theme">Theme</th><th colspan="{width}">Element ID</th></tr>')
    for row in src["heatmap"]:
        cells = [f"<td{w.bg(scores.get(eid))}>{w.t(c)}</td>"
                 for c, eid in zip(row["cells"], heatmap_ids(src, row))]
        cells += ["<td></td>"] * (width - len(row["cells"]))
        out.append(f'<tr><td class="theme">{w.t(row["label"])}</td>{"".join(cells)}</tr>')
    out.append("</tbody></table>")
    out.append("<h2>Key:</h2>")
    out.append('<table class="key"><tbody>')
    for k in src["key"]:
        out.append(f"<tr>{_key_cells(k, w)}<td>{w.t(k['meaning'])}</td></tr>")
    out.append("</tbody></table>")
    return "\n".join(out)


def _key_cells(k: dict, w: _Writer) -> str:
    """The key row's colour and label cells, in the option's key style."""
    style = w.opts.key_style
    label = w.t(k["label"])
    if style == "shaded":
        return f'<td class="swatch"{w.bg(k["score"])}>{label}</td>'
    if style == "swatch":
        return f'<td class="chip"{w.bg(k["score"])}></td><td class="label">{label}</td>'
    if style == "text":
        colour = w.fills.get(k["score"], "#000")
        return f'<td class="label" style="color: {colour}">{label}</td>'
    return f'<td class="label">{label}</td>'


def _band_runs(columns: tuple[Column, ...], src: dict) -> list[tuple[bool, list[Column]]]:
    """The columns in order, grouped into runs of row columns and of band columns."""
    runs: list[tuple[bool, list[Column]]] = []
    for col in columns:
        band = is_band_column(col, src)
        if runs and runs[-1][0] == band:
            runs[-1][1].append(col)
        else:
            runs.append((band, [col]))
    return runs


def _row_td(row: dict, col: Column, w: _Writer, rowspan: int = 1) -> str:
    cols = w.opts.columns
    span = f' rowspan="{rowspan}"' if rowspan > 1 else ""
    if col.field == "theme_score":
        paras = row_cell(row, col, cols)
        inner = f"<p>{w.t(paras[0][0])}</p>" + "".join(
            f'<p class="score-word">{w.t(t)}</p>' for t, _ in paras[1:])
        return f'<td class="cell score"{span}{w.bg(row.get("score"))}>{inner}</td>'
    if col.field == "rating":
        inner = "".join(f"<p>{w.t(t)}</p>" for t, _ in row_cell(row, col, cols))
        return f'<td class="cell rating"{span}{w.bg(row.get("score"))}>{inner}</td>'
    inner = w.paras([t for t, _ in row_cell(row, col, cols)])
    return f'<td class="cell {col.field.replace(":", "-")}"{span}>{inner}</td>'


def _band_td(band: dict, col: Column, w: _Writer, cls: str = "") -> str:
    texts = band_cell(band, col)
    if col.field != "status":
        return f'<td{cls}>{w.paras(texts)}</td>'
    fills = status_fills(band)
    if not texts:                        # no word: the status is the cell's colour alone
        kind = next((a.get("status_kind") for a in band.get("actions", [])), None)
        fill = STATUS_FILLS.get(kind)
        return f'<td{cls} style="background-color: #{fill}"></td>' if fill else f"<td{cls}></td>"
    if len(texts) == 1 and fills[0]:     # a status cell painted in its colour
        return f'<td{cls} style="background-color: #{fills[0]}">{w.paras(texts)}</td>'
    paras = "".join(f'<p style="background-color: #{f}">{w.t(t)}</p>' if f else f"<p>{w.t(t)}</p>"
                    for t, f in zip(texts, fills))
    return f'<td{cls}>{paras}</td>'


def render_bands(bands: list[dict], band_cols: list[Column], w: _Writer) -> str:
    total = sum(c.width for c in band_cols)
    cols = "".join(f'<col style="width: {c.width / total * 100:.4f}%">' for c in band_cols)
    rows = ["<tr>" + "".join(_band_td(b, c, w) for c in band_cols) + "</tr>" for b in bands]
    return f'<table class="bands"><colgroup>{cols}</colgroup><tbody>{"".join(rows)}</tbody></table>'


def _characteristic_rows(row: dict, src: dict, w: _Writer) -> list[str]:
    runs = _band_runs(w.opts.columns, src)
    if w.opts.band_layout == "nested":
        if sum(1 for band, _ in runs if band) > 1:
            raise ValueError("nested bands need the band columns side by side; use band_layout='rowspan'")
        cells = []
        for band, cols in runs:
            if band:
                cells.append(f'<td class="cell bands" colspan="{len(cols)}">'
                             f'{render_bands(row["bands"], cols, w)}</td>')
            else:
                cells.extend(_row_td(row, c, w) for c in cols)
        return ['<tr class="char">' + "".join(cells) + "</tr>"]
    bands = row["bands"] or [{}]
    out = []
    for bi, band in enumerate(bands):
        cells = []
        for is_band, cols in runs:
            for c in cols:
                if is_band:
                    cells.append(_band_td(band, c, w, ' class="cell"'))
                elif bi == 0:
                    cells.append(_row_td(row, c, w, rowspan=len(bands)))
        out.append(f'<tr class="{"char" if bi == 0 else "band"}">' + "".join(cells) + "</tr>")
    return out


def render_plan(src: dict, w: _Writer) -> str:
    columns = w.opts.columns
    total = sum(c.width for c in columns)
    cols = "".join(f'<col style="width: {c.width / total * 100:g}%">' for c in columns)
    out = [f'<h2 class="table-title">{w.t(src["table_title"])}</h2>']
    out.append(f'<table class="plan"><colgroup>{cols}</colgroup>')
    header = '<tr class="header">' + "".join(f'<th class="cell">{w.t(c.label)}</th>' for c in columns) + "</tr>"
    if w.opts.header_repeat:
        out.append(f"<thead>{header}</thead><tbody>")
    else:
        # The header row is a plain body row: printed once, never repeated on later pages.
        out.append(f"<tbody>{header}")
    rows_html = []
    for theme in src["themes"]:
        rows_html.append(
            f'<tr class="theme"><td class="cell" colspan="{len(columns)}">'
            f'<p class="heading">{w.t(theme["heading"])}</p>'
            f'{w.paras(theme.get("intro", []), "intro-para")}'
            "</td></tr>"
        )
        for row in theme["rows"]:
            rows_html.extend(_characteristic_rows(row, src, w))
    if rows_html:
        rows_html[-1] = rows_html[-1].replace("<tr class=\"", "<tr class=\"last ", 1)
    out.extend(rows_html)
    out.append("</tbody></table>")
    return "\n".join(out)


def render_html(src: dict, opts: HtmlOptions | str = HtmlOptions(), extra_css: str = "") -> str:
    """The HTML document.  (A string as the second argument is extra CSS, as before options.)"""
    if isinstance(opts, str):
        opts, extra_css = HtmlOptions(), opts
    w = _Writer(opts)
    cells = max((len(r["cells"]) for r in src.get("heatmap") or []), default=12)
    css = stylesheet(opts, src.get("title", ""), cells) + extra_css
    return (
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
        f"<title>{w.t(src['title'])}</title><style>{css}</style></head><body>\n"
        f"{render_front(src, w)}\n{render_plan(src, w)}\n</body></html>\n"
    )


def render_pdf(src: dict, out_dir: Path, stem: str = DEFAULT_STEM,
               extra_css: str = "", opts: HtmlOptions = HtmlOptions()) -> tuple[Path, Path, int]:
    """Write ``<stem>.html`` and ``<stem>.pdf`` into ``out_dir``; returns paths and page count."""
    from weasyprint import HTML  # imported late so --help works without it

    # fontTools stamps subset fonts with "now" unless SOURCE_DATE_EPOCH is set; pin it so
    # rebuilding from the same source gives the same bytes (2024-09-30T00:00:00Z).
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1727654400")
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / f"{stem}.html"
    pdf_path = out_dir / f"{stem}.pdf"
    text = render_html(src, opts, extra_css)
    html_path.write_text(text, encoding="utf-8")
    doc = HTML(string=text, base_url=str(out_dir)).render(pdf_tags=opts.tagged)
    # Fixed metadata so rebuilding from the same source gives the same bytes.
    doc.metadata.title = src["title"]
    doc.metadata.authors = []
    doc.metadata.created = "2024-09-30T00:00:00Z"
    doc.metadata.modified = "2024-09-30T00:00:00Z"
    doc.metadata.generator = "actionplan samples/build/html_render.py (WeasyPrint)"
    doc.metadata.lang = "en-GB"
    doc.write_pdf(pdf_path, pdf_tags=opts.tagged)
    return html_path, pdf_path, len(doc.pages)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--stem", default=DEFAULT_STEM)
    args = ap.parse_args(argv)
    html_path, pdf_path, pages = render_pdf(load_source(args.source), args.out_dir, args.stem)
    print(f"wrote {html_path} and {pdf_path} ({pages} pages)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
