"""Render a sample's ``source.json`` as HTML+CSS and print it to PDF with WeasyPrint.

This is the *second producer* of the 2024 sample: the same content as the Word/LibreOffice
rendering (``docx_render.py``) laid out by a different engine, so the extractor cannot lean
on one producer's habits.  Deliberate differences from the Word rendering:

* engine: WeasyPrint (HTML+CSS, pango/harfbuzz text), not LibreOffice;
* page: US Letter landscape (11 x 8.5 in), not A4 landscape;
* fonts: DejaVu Sans Condensed for the table body, DejaVu Serif for titles and headings;
* column widths: 11% / 19% / 26% / 27% / 17% of the table width;
* rules: horizontal rules only -- no vertical borders, no cell boxes;
* the table header row is printed ONCE (a plain ``<tr>`` in ``<tbody>``, not ``<thead>``),
  so later pages start straight into the body rows;
* theme headings and intros are full-width rows (``colspan=5``);
* page 1: title, heatmap (each id cell shaded in its characteristic's score colour) and key;
* running footer "Page N of M" from ``@page`` margin boxes.

Bands: a characteristic row holds its action bands as a nested table that spans the three
action columns (opportunity / recommendation / owner-timeline).  Each band is one row of the
nested table, so within a band the three columns start level; there is no visible border
between bands, only vertical space.  The nested table's columns have the same widths as the
outer table's last three columns, so its text lines up under the header.  (A CSS grid was
the other candidate; WeasyPrint does not fragment grid items across pages reliably, while
table rows split cleanly.)  Paragraphs inside a band are separated by a blank line's space.

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
from pathlib import Path

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent
DEFAULT_SOURCE = SAMPLES / "appendix-a-2024" / "source.json"
DEFAULT_OUT = SAMPLES / "appendix-a-2024-html"
DEFAULT_STEM = "appendix-a-2024-html"

SCORE_FILL = {
    "DARK GREEN": "#00B050",
    "LIGHT GREEN": "#92D050",
    "YELLOW": "#FFFF00",
    "AMBER": "#FFC000",
    "RED": "#FF0000",
    "GREY": "#A6A6A6",
}

HEADER = [
    "Theme/ Score given",
    "Characteristic description (statutory guidance)",
    "Opportunity for Improvement",
    "Recommendations and action plan",
    "Allocated to and indicative timeline to deliver action",
]

# Outer column widths in percent of the table width.  The last three are the action columns;
# the nested band table re-uses them, scaled to its own 100%.
COL_WIDTHS = [11.0, 19.0, 26.0, 27.0, 17.0]

CSS = """
@page {
  size: letter landscape;
  margin: 0.55in 0.5in 0.6in 0.5in;
  @bottom-center {
    content: "Page " counter(page) " of " counter(pages);
    font-family: "DejaVu Serif", serif;
    font-size: 8pt;
  }
}
html { font-family: "DejaVu Sans Condensed", "DejaVu Sans", sans-serif; font-size: 8.5pt;
       line-height: 1.22; color: #000; }
body { margin: 0; }
h1 { font-family: "DejaVu Serif", serif; font-size: 13pt; font-weight: bold; margin: 0 0 10pt 0; }
h2 { font-family: "DejaVu Serif", serif; font-size: 11pt; font-weight: bold; margin: 14pt 0 6pt 0; }
p { margin: 0; }
.intro { margin: 0 0 8pt 0; }

/* page 1: heatmap and key */
table.heatmap { border-collapse: collapse; width: 100%; margin: 0 0 12pt 0; table-layout: fixed; }
table.heatmap td, table.heatmap th { border-top: 0.6pt solid #000; border-bottom: 0.6pt solid #000;
  padding: 3pt 2pt; text-align: center; vertical-align: middle; font-size: 8pt; }
table.heatmap th { font-weight: bold; }
table.heatmap .theme { text-align: left; width: 17%; font-weight: bold; }
table.key { border-collapse: collapse; width: 80%; margin: 0; }
table.key td { border-top: 0.6pt solid #000; border-bottom: 0.6pt solid #000; padding: 4pt 6pt;
  vertical-align: middle; }
table.key td.swatch { width: 16%; font-weight: bold; }

/* the action plan table */
.table-title { page-break-before: always; }
table.plan { border-collapse: collapse; width: 100%; table-layout: fixed; }
/* Let every cell break after any line (no orphan/widow pull-back), so that a row split
   across pages starts with the first lines of ALL its cells, not a sliver of one cell. */
table.plan p { orphans: 1; widows: 1; }
table.plan > tbody > tr > td { border-top: 0.75pt solid #000; padding: 4pt 5pt 5pt 5pt;
  vertical-align: top; text-align: left; }
table.plan > tbody > tr.last > td { border-bottom: 0.75pt solid #000; }
table.plan tr.header > td { font-weight: bold; border-top: 1.5pt solid #000;
  border-bottom: 1.5pt solid #000; vertical-align: bottom; }
table.plan tr.theme > td { padding: 7pt 5pt 6pt 5pt; }
table.plan tr.theme p.heading { font-family: "DejaVu Serif", serif; font-weight: bold;
  font-size: 10pt; margin: 0 0 5pt 0; }
table.plan tr.theme p.intro-para { margin: 0 0 5pt 0; }
table.plan td.score { font-weight: normal; }
table.plan td.score p.score-word { font-weight: bold; margin-top: 6pt; }
table.plan td.bands { padding: 0; }
table.plan td p + p { margin-top: 1.22em; }      /* a blank line between paragraphs */

table.bands { border-collapse: collapse; width: 100%; table-layout: fixed; }
table.bands td { border: none; padding: 4pt 5pt 5pt 5pt; vertical-align: top; text-align: left; }
table.bands tr + tr > td { padding-top: 8pt; }     /* space, no rule, between bands */
table.bands td p + p { margin-top: 1.22em; }
"""


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


def esc(text: str) -> str:
    return html.escape(text, quote=False)


def paras(items: list[str], cls: str | None = None) -> str:
    attr = f' class="{cls}"' if cls else ""
    return "".join(f"<p{attr}>{esc(t)}</p>" for t in items)


def score_style(score: str | None) -> str:
    fill = SCORE_FILL.get(score or "")
    return f' style="background-color: {fill}"' if fill else ""


def id_scores(src: dict) -> dict[str, str | None]:
    return {r["element_id"]: r.get("score") for t in src["themes"] for r in t["rows"]}


def heatmap_cell_ids(src: dict, hrow: dict) -> list[str]:
    """The element id behind each heatmap cell of one heatmap row.

    A cell normally prints its id; a cross-reference cell ("See CI012", G002's cell) is
    looked up by its position in the theme's rows (so it is shaded by G002's own score --
    null, unshaded -- exactly as the Word rendering does)."""
    theme = next((t for t in src["themes"] if t["theme_no"] == hrow.get("theme_no")), None)
    row_ids = [r["element_id"] for r in theme["rows"]] if theme else []
    out = []
    for k, cell in enumerate(hrow["cells"]):
        if cell.startswith("See ") and k < len(row_ids):
            out.append(row_ids[k])
        else:
            out.append(cell)
    return out


def render_front(src: dict) -> str:
    if not src.get("heatmap"):  # a fixture: title only, no heatmap or key
        return f"<h1>{esc(src['title'])}</h1>"
    scores = id_scores(src)
    width = max(len(r["cells"]) for r in src["heatmap"])
    out = [f"<h1>{esc(src['title'])}</h1>"]
    if src.get("heatmap_intro"):
        out.append(f'<p class="intro">{esc(src["heatmap_intro"])}</p>')
    out.append('<table class="heatmap"><tbody>')
    out.append(f'<tr><th class="theme">Theme</th><th colspan="{width}">Element ID</th></tr>')
    for row in src["heatmap"]:
        cells = []
        for c, eid in zip(row["cells"], heatmap_cell_ids(src, row)):
            cells.append(f"<td{score_style(scores.get(eid))}>{esc(c)}</td>")
        cells += ["<td></td>"] * (width - len(row["cells"]))
        out.append(f'<tr><td class="theme">{esc(row["label"])}</td>{"".join(cells)}</tr>')
    out.append("</tbody></table>")
    out.append("<h2>Key:</h2>")
    out.append('<table class="key"><tbody>')
    for k in src["key"]:
        out.append(
            f'<tr><td class="swatch"{score_style(k["score"])}>{esc(k["label"])}</td>'
            f'<td>{esc(k["meaning"])}</td></tr>'
        )
    out.append("</tbody></table>")
    return "\n".join(out)


def render_bands(bands: list[dict]) -> str:
    total = sum(COL_WIDTHS[2:])
    cols = "".join(f'<col style="width: {w / total * 100:.4f}%">' for w in COL_WIDTHS[2:])
    rows = []
    for b in bands:
        rows.append(
            "<tr>"
            f"<td>{paras(b.get('opportunity', []))}</td>"
            f"<td>{paras(b.get('recommendation', []))}</td>"
            f"<td>{paras(b.get('owner_timeline', []))}</td>"
            "</tr>"
        )
    return f'<table class="bands"><colgroup>{cols}</colgroup><tbody>{"".join(rows)}</tbody></table>'


def render_plan(src: dict) -> str:
    cols = "".join(f'<col style="width: {w}%">' for w in COL_WIDTHS)
    out = [f'<h2 class="table-title">{esc(src["table_title"])}</h2>']
    out.append(f'<table class="plan"><colgroup>{cols}</colgroup><tbody>')
    # The header row is a plain body row: printed once, never repeated on later pages.
    out.append('<tr class="header">' + "".join(f"<td>{esc(h)}</td>" for h in HEADER) + "</tr>")
    rows_html = []
    for theme in src["themes"]:
        rows_html.append(
            '<tr class="theme"><td colspan="5">'
            f'<p class="heading">{esc(theme["heading"])}</p>'
            f'{paras(theme.get("intro", []), "intro-para")}'
            "</td></tr>"
        )
        for row in theme["rows"]:
            score = row.get("score")
            score_cell = f"<p>{esc(row['theme_label'])}</p>"
            if score:
                score_cell += f'<p class="score-word">{esc(score)}</p>'
            rows_html.append(
                '<tr class="char">'
                f'<td class="score"{score_style(score)}>{score_cell}</td>'
                f'<td class="characteristic">{paras(row["characteristic"])}</td>'
                f'<td class="bands" colspan="3">{render_bands(row["bands"])}</td>'
                "</tr>"
            )
    if rows_html:
        rows_html[-1] = rows_html[-1].replace("<tr class=\"", "<tr class=\"last ", 1)
    out.extend(rows_html)
    out.append("</tbody></table>")
    return "\n".join(out)


def render_html(src: dict, extra_css: str = "") -> str:
    """``extra_css`` is appended to the stylesheet: how a fixture changes one thing."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
        f"<title>{esc(src['title'])}</title><style>{CSS}{extra_css}</style></head><body>\n"
        f"{render_front(src)}\n{render_plan(src)}\n</body></html>\n"
    )


def render_pdf(src: dict, out_dir: Path, stem: str = DEFAULT_STEM,
               extra_css: str = "") -> tuple[Path, Path, int]:
    """Write ``<stem>.html`` and ``<stem>.pdf`` into ``out_dir``; returns paths and page count."""
    from weasyprint import HTML  # imported late so --help works without it

    # fontTools stamps subset fonts with "now" unless SOURCE_DATE_EPOCH is set; pin it so
    # rebuilding from the same source gives the same bytes (2024-09-30T00:00:00Z).
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1727654400")
    out_dir.mkdir(parents=True, exist_ok=True)
    html_path = out_dir / f"{stem}.html"
    pdf_path = out_dir / f"{stem}.pdf"
    text = render_html(src, extra_css)
    html_path.write_text(text, encoding="utf-8")
    doc = HTML(string=text, base_url=str(out_dir)).render()
    # Fixed metadata so rebuilding from the same source gives the same bytes.
    doc.metadata.title = src["title"]
    doc.metadata.authors = []
    doc.metadata.created = "2024-09-30T00:00:00Z"
    doc.metadata.modified = "2024-09-30T00:00:00Z"
    doc.metadata.generator = "actionplan samples/build/html_render.py (WeasyPrint)"
    doc.write_pdf(pdf_path)
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
