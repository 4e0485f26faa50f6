"""Pieces every HTML report shares: the page shell and its CSS, score colours, the heatmap.

Reports are single self-contained files: inline CSS and SVG, no script, no font or image
fetched from anywhere, so they open offline, mail as one attachment and print. The layout
is one column that reflows down to a 390 px phone without horizontal scrolling; tables turn
into stacked label/value rows on narrow screens. Colour is never the only signal: every
coloured cell or badge prints its score word.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from actionplan.schema.records import HeatmapEntry
from actionplan.schema.tables import SCORES

# The plan's key gives the colours; these stand in for a score the key did not colour
# (the Office palette the councils' Word templates use, as in the samples).
FALLBACK_COLOURS = {
    "DARK GREEN": "#00B050", "LIGHT GREEN": "#92D050", "YELLOW": "#FFFF00",
    "AMBER": "#FFC000", "RED": "#FF0000", "GREY": "#A6A6A6",
}
NO_SCORE_COLOUR = "#FFFFFF"
NO_SCORE_WORD = "no score"

CSS = """
*{box-sizing:border-box}
html{-webkit-text-size-adjust:100%}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;
 color:#1b1b1b;background:#fff;overflow-wrap:anywhere}
main{max-width:72rem;margin:0 auto;padding:1rem}
h1{font-size:1.5rem;margin:.2rem 0 .6rem}
h2{font-size:1.25rem;margin:2rem 0 .6rem;border-bottom:2px solid #1b1b1b;padding-bottom:.2rem}
h3{font-size:1.05rem;margin:0}
p{margin:.35rem 0}
nav ul{list-style:none;padding:0;margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.3rem .9rem}
.meta{color:#4a4a4a;font-size:.9rem}
.summary{display:flex;flex-wrap:wrap;gap:.5rem;margin:.6rem 0;padding:0;list-style:none}
.summary li{border:1px solid #bbb;border-radius:.3rem;padding:.3rem .6rem}
.summary b{font-size:1.15rem}
.heatmap{border:1px solid #1b1b1b;margin:.5rem 0}
.hm-row{display:grid;grid-template-columns:minmax(7rem,12rem) 1fr;border-top:1px solid #1b1b1b}
.hm-row:first-child{border-top:0}
.hm-theme{padding:.35rem .5rem;font-weight:600;font-size:.9rem;border-right:1px solid #1b1b1b}
.hm-cells{list-style:none;margin:0;padding:0;display:grid;grid-template-columns:repeat(var(--cols,12),minmax(0,1fr))}
.heatmap.compact .hm-cells{grid-template-columns:repeat(auto-fill,minmax(4.7rem,1fr))}
.hm-cell{border-right:1px solid #1b1b1b;border-bottom:1px solid #1b1b1b;padding:.3rem .25rem;min-height:3.1rem;
 display:flex;flex-direction:column;justify-content:center;text-align:center;line-height:1.15;position:relative}
.hm-cell .id{font-weight:700;font-size:.85rem}
.hm-cell .word{font-size:.66rem;letter-spacing:.02em}
.hm-cell .mark{font-size:.7rem;font-weight:700}
.hm-cell.moved{outline:3px solid #1b1b1b;outline-offset:-3px}
.key{list-style:none;padding:0;margin:.5rem 0;display:grid;gap:.25rem}
.key li{display:grid;grid-template-columns:7.5rem 1fr;gap:.5rem;align-items:start}
.swatch,.badge{display:inline-block;padding:.1rem .4rem;border:1px solid #1b1b1b;border-radius:.2rem;
 font-size:.75rem;font-weight:700;text-align:center;white-space:nowrap}
.chart{list-style:none;padding:0;margin:.5rem 0;display:grid;gap:.35rem}
.chart li{display:grid;grid-template-columns:minmax(6rem,14rem) 1fr;gap:.5rem;align-items:center}
.chart svg{width:100%;height:1.4rem;display:block;border:1px solid #1b1b1b}
.chart .counts{grid-column:2;font-size:.8rem;color:#333}
.theme{margin-top:1.5rem}
.intro{color:#333}
details summary{cursor:pointer;color:#0b4f9c}
.char{border:1px solid #999;border-radius:.35rem;margin:.7rem 0;padding:.6rem .7rem;break-inside:avoid}
.char header{display:flex;flex-wrap:wrap;gap:.5rem;align-items:center;margin-bottom:.3rem}
.notes{margin:.2rem 0;padding-left:1.1rem;color:#444;font-size:.9rem}
.actions{margin:.5rem 0 0;padding-left:1.3rem}
.action{margin:.5rem 0;padding:.3rem 0;border-top:1px dashed #bbb}
.action dl{display:grid;grid-template-columns:10rem 1fr;gap:.15rem .6rem;margin:0}
.action dt{font-weight:600;color:#333;overflow-wrap:normal}
.action dd{margin:0}
.action dd p{margin:0 0 .3rem}
.status{font-weight:700}
.status.overdue{color:#a10000}
.status.complete{color:#0a6b2d}
table{border-collapse:collapse;width:100%;margin:.5rem 0;font-size:.88rem}
th,td{border:1px solid #999;padding:.25rem .4rem;text-align:left;vertical-align:top}
th{background:#eee}
td.num{text-align:right}
del{background:#ffd7d5;text-decoration:line-through}
ins{background:#d2f5d6;text-decoration:none;font-weight:600}
.pair{display:grid;grid-template-columns:1fr 1fr;gap:1rem}
.bars{list-style:none;padding:0;margin:.5rem 0}
.bars li{display:grid;grid-template-columns:minmax(5rem,9rem) 1fr 1fr;align-items:center;gap:0;margin:.2rem 0;font-size:.85rem}
.bars .left,.bars .right{display:flex;height:1.1rem}
.bars .left{justify-content:flex-end;border-right:2px solid #1b1b1b}
.bars .bar{display:block;height:1.1rem;min-width:2px}
.bars .bar.slipped{background:#c0392b}
.bars .bar.forward{background:#2e7d32}
.bars .days{padding:0 .3rem;white-space:nowrap}
.muted{color:#666}
@media (max-width:640px){
 main{padding:.6rem}
 .hm-row{grid-template-columns:1fr}
 .hm-cells{grid-template-columns:repeat(auto-fill,minmax(4.7rem,1fr))}
 .hm-theme{border-right:0;border-bottom:1px solid #1b1b1b}
 .pair{grid-template-columns:1fr}
 .chart li{grid-template-columns:1fr}
 .chart .counts{grid-column:1}
 .key li{grid-template-columns:1fr}
 .action dl{grid-template-columns:1fr}
 .action dt{margin-top:.2rem}
 table.stack thead{display:none}
 table.stack,table.stack tbody,table.stack tr,table.stack td{display:block;width:100%}
 table.stack tr{border:1px solid #999;margin:.4rem 0}
 table.stack td{border:0;border-top:1px solid #ddd;display:grid;grid-template-columns:6.5rem 1fr;gap:.4rem}
 table.stack td::before{content:attr(data-label);font-weight:600;overflow-wrap:normal}
 table.stack td.num{text-align:left}
 .bars li{grid-template-columns:1fr 1fr}
 .bars .label{grid-column:1/3}
}
@media print{
 *{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 body{font-size:10pt}
 nav{display:none}
 main{max-width:none;padding:0}
 details>*{display:block}
 h2{break-after:avoid}
 .hm-row,.char,tr,.action{break-inside:avoid}
}
"""


def esc(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def page(title: str, body: str) -> str:
    """A complete HTML document. No script, no external resource."""
    return (
        "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
        f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    )


# ------------------------------------------------------------------ colours


def contract_scores(manifest: Mapping) -> tuple[str, ...]:
    """The score words the run allowed (its profile's; the defaults when the manifest names none)."""
    scores = (manifest.get("contract") or {}).get("scores")
    return tuple(scores) if isinstance(scores, list) and scores else SCORES


def score_colours(manifest: Mapping) -> dict[str, str]:
    """score -> "#RRGGBB": the plan's own key (manifest ``score_key``), else the fallback."""
    colours = dict(FALLBACK_COLOURS)
    scores = contract_scores(manifest)
    for entry in manifest.get("score_key") or ():
        label = " ".join(str(entry.get("label", "")).upper().split())
        if label in scores and entry.get("colour"):
            colours[label] = entry["colour"]
    return colours


def text_colour(background: str) -> str:
    """Black or white, whichever contrasts more with ``background`` (WCAG luminance)."""
    def channel(hex_pair: str) -> float:
        c = int(hex_pair, 16) / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(background[i:i + 2]) for i in (1, 3, 5))
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "#000000" if (luminance + 0.05) / 0.05 >= 1.05 / (luminance + 0.05) else "#FFFFFF"


def fill_style(score: str | None, colours: Mapping[str, str]) -> str:
    background = colours.get(score, NO_SCORE_COLOUR) if score else NO_SCORE_COLOUR
    return f"background:{background};color:{text_colour(background)}"


def badge(score: str | None, colours: Mapping[str, str]) -> str:
    return (f'<span class="badge" style="{fill_style(score, colours)}">'
            f"{esc(score or NO_SCORE_WORD)}</span>")


# ------------------------------------------------------------------ heatmap


@dataclass(frozen=True)
class CellMark:
    """A mark on a heatmap cell (a diff's moved score): shown as text, not only as an outline."""

    direction: str  # "up", "down" or "changed"
    text: str  # e.g. "▲ 2" or "was AMBER"


def heatmap(entries: Sequence[HeatmapEntry], theme_names: Mapping[int, str], colours: Mapping[str, str],
            marks: Mapping[str, CellMark] | None = None, label: str = "Heatmap", compact: bool = False) -> str:
    """The heatmap as the plan draws it: one row per theme, its cells in order, each filled
    with its score's colour and printing its id and score word. Each cell carries
    ``data-element-id`` (when the cell names a characteristic) and ``data-score``. As wide
    as the widest theme row; ``compact`` (and a phone) lets rows wrap instead."""
    marks = marks or {}
    rows = []
    for theme_no in dict.fromkeys(e.theme_no for e in entries):
        cells = "".join(_heatmap_cell(e, colours, marks.get(e.element_id or ""))
                        for e in sorted((e for e in entries if e.theme_no == theme_no), key=lambda e: e.position))
        name = theme_names.get(theme_no, "")
        rows.append(f'<div class="hm-row" data-theme-no="{theme_no}"><div class="hm-theme">'
                    f"{theme_no}. {esc(name)}</div><ol class=\"hm-cells\">{cells}</ol></div>")
    widest = max((e.position for e in entries), default=1)
    return (f'<div class="heatmap{" compact" if compact else ""}" style="--cols:{widest}" role="group" '
            f'aria-label="{esc(label)}">{"".join(rows)}</div>')


def _heatmap_cell(entry: HeatmapEntry, colours: Mapping[str, str], mark: CellMark | None) -> str:
    attributes = f' data-score="{esc(entry.score or "")}" data-position="{entry.position}"'
    if entry.element_id:
        attributes = f' data-element-id="{esc(entry.element_id)}"' + attributes
    classes = "hm-cell"
    mark_html = ""
    if mark is not None:
        classes += f" moved {mark.direction}"
        attributes += f' data-moved="{esc(mark.direction)}"'
        mark_html = f'<span class="mark">{esc(mark.text)}</span>'
    word = entry.score or (NO_SCORE_WORD if entry.element_id else "")
    return (f'<li class="{classes}"{attributes} style="{fill_style(entry.score, colours)}">'
            f'<span class="id">{esc(entry.cell)}</span><span class="word">{esc(word)}</span>{mark_html}</li>')


def score_key(manifest: Mapping, colours: Mapping[str, str]) -> str:
    """The plan's key: each score's colour and word, and what it means."""
    scores = contract_scores(manifest)
    entries = manifest.get("score_key") or [{"label": s, "meaning": ""} for s in scores]
    items = []
    for entry in entries:
        score = " ".join(str(entry.get("label", "")).upper().split())
        items.append(f'<li><span class="swatch" style="{fill_style(score if score in scores else None, colours)}">'
                     f'{esc(score)}</span><span>{esc(entry.get("meaning", ""))}</span></li>')
    return f'<ul class="key" aria-label="Key">{"".join(items)}</ul>'


def score_chart(entries: Sequence[HeatmapEntry], theme_names: Mapping[int, str],
                colours: Mapping[str, str]) -> str:
    """Scores per theme: a stacked bar per theme (SVG), with the counts also written out."""
    # The default words in their order, then any a profile gave, as they come.
    order = tuple(dict.fromkeys([*SCORES, *(e.score for e in entries if e.score)])) + (None,)
    items = []
    for theme_no in dict.fromkeys(e.theme_no for e in entries):
        scored = [e.score for e in entries if e.theme_no == theme_no and (e.element_id or e.score)]
        counts = [(s, scored.count(s)) for s in order if scored.count(s)]
        total = max(len(scored), 1)
        x, rects = 0.0, []
        for score, n in counts:
            width = 100 * n / total
            rects.append(f'<rect x="{x:.2f}" y="0" width="{width:.2f}" height="10" '
                         f'fill="{colours.get(score, NO_SCORE_COLOUR) if score else NO_SCORE_COLOUR}">'
                         f"<title>{esc(score or NO_SCORE_WORD)}: {n}</title></rect>")
            x += width
        words = ", ".join(f"{esc(s or NO_SCORE_WORD)} {n}" for s, n in counts)
        items.append(
            f'<li data-theme-no="{theme_no}"><span>{theme_no}. {esc(theme_names.get(theme_no, ""))}</span>'
            f'<svg viewBox="0 0 100 10" preserveAspectRatio="none" role="img" aria-label="{words}">'
            f'{"".join(rects)}</svg><span class="counts">{words}</span></li>')
    return f'<ul class="chart">{"".join(items)}</ul>'


# ------------------------------------------------------------------ small pieces


def paragraphs(text: str | None) -> str:
    """Multi-paragraph text (paragraphs separated by a blank line) as <p> elements."""
    parts = [p for p in (text or "").split("\n\n") if p.strip()]
    return "".join(f"<p>{esc(' '.join(p.split()))}</p>" for p in parts)


def day(value: date | None) -> str:
    """A date as people write it: 1 Jul 2024."""
    return f"{value.day} {value:%b %Y}" if value else ""


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: Iterable[str] = (),
          caption: str | None = None) -> str:
    """A table whose rows stack into label/value pairs on a phone. Cells are plain text
    unless given as ``Markup``."""
    numeric = set(numeric)
    head = "".join(f"<th>{esc(h)}</th>" for h in headers)
    body = []
    for row in rows:
        cells = "".join(
            f'<td data-label="{esc(h)}"{" class=num" if h in numeric else ""}>{_cell(v)}</td>'
            for h, v in zip(headers, row))
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return f'<table class="stack">{cap}<thead><tr>{head}</tr></thead><tbody>{"".join(body)}</tbody></table>'


class Markup(str):
    """HTML already escaped, to go into a table cell as it is."""


def _cell(value: object) -> str:
    return value if isinstance(value, Markup) else esc(value)
