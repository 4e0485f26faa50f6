"""Facts read back from a rendered PDF (pdfplumber), to show that each layout axis a
rendering asks for is really in the PDF: the line-end hyphen characters, ligature glyphs
and presentation forms in the text layer, the direction text is drawn in on each page,
``/Rotate``, how many lines each header label wraps to, which pages carry the header row,
the fill colours on page 1.  ``verify`` turns a mismatch into a build problem, so a
rendering cannot silently stop testing what its axes say.
"""
from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

try:
    from .variants import PALETTES
except ImportError:  # run as a script
    from variants import PALETTES  # type: ignore[no-redef]

LINE_END_HYPHENS = ("\u2010", "\u2011", "\u00ad", "-")


def _hex(colour) -> str | None:
    if not colour:
        return None
    values = list(colour) if isinstance(colour, (list, tuple)) else [colour]
    if len(values) == 1:
        values = values * 3
    if len(values) != 3:
        return None
    return "".join(f"{round(float(v) * 255):02X}" for v in values)


def _direction(char: dict) -> int:
    """The angle (0/90/180/270, anticlockwise) a glyph's baseline runs at."""
    a, b = char["matrix"][0], char["matrix"][1]
    return round(math.degrees(math.atan2(b, a)) / 90) % 4 * 90


def column_ranges(recipe, pdf_width: float) -> list[tuple[float, float]]:
    """Each plan column's x range on an upright page, from the render options."""
    opts = recipe.options
    if recipe.engine == "docx":
        from .docx_render import column_x_ranges   # LibreOffice's table geometry
        xs = column_x_ranges(opts)
        return [xs[c.field] for c in opts.plan_columns]
    left = opts.margins_in[3] * 72
    width = pdf_width - (opts.margins_in[1] + opts.margins_in[3]) * 72
    total = sum(c.width for c in opts.columns)
    out, x = [], left
    for c in opts.columns:
        out.append((x, x + width * c.width / total))
        x += width * c.width / total
    return out


def _plan_labels(recipe) -> list[str]:
    opts = recipe.options
    cols = opts.plan_columns if recipe.engine == "docx" else opts.columns
    return [c.label for c in cols]


def _starts_token(text: str, token: str, shortest: int = 4) -> bool:
    """A word that is the token, or its first part (``shortest`` letters or more) where the
    engine broke it mid-word, with or without a hyphen."""
    piece = text.rstrip("".join(LINE_END_HYPHENS))
    return text == token or (len(piece) >= shortest and token.startswith(piece))


def _joined(text: str, more: str, token: str) -> str:
    """Two pieces of a word broken at a line end; a hyphen the engine added is dropped."""
    if text[-1:] in LINE_END_HYPHENS and token.startswith(text[:-1] + more[:1]) \
            and not token.startswith(text + more[:1]):
        return text[:-1] + more
    return text + more


def _label_lines(words: list[dict], label: str, x_range: tuple[float, float], top: float,
                 reach: float) -> int | None:
    """Lines a header label occupies: its words read in order inside its column (a word
    broken mid-word at a line end is read as its pieces)."""
    x0, x1 = x_range
    pool = sorted((w for w in words if x0 - 3 <= w["x0"] < x1 and top - 2 <= w["top"] <= top + reach),
                  key=lambda w: (round(w["top"]), w["x0"]))
    tops: list[float] = []
    i = 0
    for token in label.split():
        while i < len(pool):
            j, text = i, pool[i]["text"]
            while text != token and _starts_token(text, token, 1) and j + 1 < len(pool):
                j += 1
                text = _joined(text, pool[j]["text"], token)
            if text == token:
                tops.extend(w["top"] for w in pool[i:j + 1])
                i = j + 1
                break
            i += 1
        else:
            return None
    lines: list[float] = []
    for t in sorted(tops):
        if not lines or t - lines[-1] > 2:
            lines.append(t)
    return len(lines)


def header_facts(pdf, recipe, plan_pages: list[int] | None = None) -> dict:
    """Pages (1-based) that show the header row upright, and each label's line count where
    it first appears (pages drawn turned are not read)."""
    labels = _plan_labels(recipe)
    firsts = [label.split()[0] for label in labels]
    pages, lines = [], None
    for number, page in enumerate(pdf.pages, start=1):
        if plan_pages is not None and number not in plan_pages:
            continue
        words = page.extract_words()
        ranges = column_ranges(recipe, float(page.width))
        hits = [[w["top"] for w in words if _starts_token(w["text"], first) and x0 - 3 <= w["x0"] < x1]
                for first, (x0, x1) in zip(firsts, ranges)]
        reach = 6 * recipe.options.font_size
        rows = [[min(col, key=lambda t: abs(t - top)) for col in hits]
                for top in hits[0] if all(any(abs(t - top) <= reach for t in col) for col in hits)]
        if not rows:
            continue
        pages.append(number)
        if lines is None:
            top = min(rows[0])
            lines = [_label_lines(words, label, rng, top, 8 * recipe.options.font_size * 1.3)
                     for label, rng in zip(labels, ranges)]
    return {"header_pages": pages, "header_label_lines": lines}


def measure_pdf(pdf_path: Path, recipe, plan_pages: list[int] | None = None) -> dict:
    """Facts of the PDF; the text-layer counts (hyphens, ligatures) and the header only on
    ``plan_pages`` (1-based; default all), so a bound covering report or appendix does not
    count."""
    import pdfplumber

    with pdfplumber.open(pdf_path) as pdf:
        hyphens: Counter = Counter()
        ligatures = presentation = 0
        directions: dict[str, int] = {}
        rotate: dict[str, int] = {}
        for number, page in enumerate(pdf.pages, start=1):
            chars = page.chars
            turned = Counter(_direction(c) for c in chars if c["text"].strip())
            if turned:
                directions[str(number)] = turned.most_common(1)[0][0]
            if page.rotation:
                rotate[str(number)] = page.rotation
            if plan_pages is not None and number not in plan_pages:
                continue
            ligatures += sum(1 for c in chars if len(c["text"]) > 1)
            presentation += sum(1 for c in chars if any(0xFB00 <= ord(x) <= 0xFB06 for x in c["text"]))
            for w in page.extract_words():
                if w["text"][-1:] in LINE_END_HYPHENS and len(w["text"]) > 1:
                    hyphens[f"U+{ord(w['text'][-1]):04X}"] += 1
        first_fills = sorted({h for r in pdf.pages[0].rects if r.get("fill")
                              for h in [_hex(r.get("non_stroking_color"))] if h})
        return {
            **header_facts(pdf, recipe, plan_pages),
            "pages": len(pdf.pages),
            "line_end_hyphens": dict(sorted(hyphens.items())),
            "ligature_glyphs": ligatures,
            "presentation_forms": presentation,
            "text_direction": {p: d for p, d in directions.items() if d},   # pages not upright
            "rotate": rotate,
            "page1_fills": first_fills,
        }


def verify(recipe, measured: dict, placed: dict) -> list[str]:
    """Problems: axis values the PDF does not show."""
    axes = recipe.axes
    problems = []
    hy = measured["line_end_hyphens"]
    char = {"u2010": "U+2010", "u002d": "U+002D", "u2011": "U+2011", "u00ad": "U+00AD"}.get(axes.get("hyphen_char", ""))
    if axes.get("hyphens") == "auto" and not hy.get(char):
        problems.append(f"hyphens=auto but no line ends with {char} ({hy})")
    if axes.get("hyphens") == "none" and any(hy.get(c) for c in ("U+2010", "U+2011", "U+00AD")):
        problems.append(f"hyphens=none but typeset hyphens at line ends ({hy})")
    lig = axes.get("ligatures")
    if lig == "glyphs" and not measured["ligature_glyphs"]:
        problems.append("ligatures=glyphs but no ligature glyph in the text layer")
    if lig == "none" and (measured["ligature_glyphs"] or measured["presentation_forms"]):
        problems.append("ligatures=none but ligatures in the text layer")
    if lig == "presentation" and not measured["presentation_forms"]:
        problems.append("ligatures=presentation but no U+FB00-FB06 in the text layer")
    turned = placed.get("turned_pages", {})
    offset = placed["pages_used"][0] - 1
    for page, angle in turned.items():
        got = measured["text_direction"].get(str(int(page) + offset), 0)
        if got != angle:
            problems.append(f"page {page} should be drawn at {angle} degrees, text runs at {got}")
    if not turned and measured["text_direction"]:
        problems.append(f"pages drawn turned: {measured['text_direction']}")
    if axes.get("turned") == "stored":
        plan = [str(p) for p in placed["pages_used"]]
        if any(measured["rotate"].get(p) != 90 for p in plan):
            problems.append("turned=stored but not every plan page has /Rotate 90")
    lines = measured.get("header_label_lines")
    if not lines or None in lines:
        problems.append(f"header labels not found as printed ({lines})")
    header_pages = measured.get("header_pages", [])
    if axes.get("header_repeat") == "no" and len(header_pages) != 1:
        problems.append(f"header_repeat=no but the header is on pages {header_pages}")
    if axes.get("header_repeat") == "yes" and len(header_pages) < 2:
        problems.append(f"header_repeat=yes but the header is on pages {header_pages}")
    palette = axes.get("palette")
    if palette and placed["pages_used"][0] == 1:     # page 1 is the plan's heatmap page
        problem = _palette_problem(palette, set(measured["page1_fills"]))
        if problem:
            problems.append(f"palette={palette} but page 1 fills are {measured['page1_fills']}: {problem}")
    return problems


def _palette_problem(palette: str, fills: set[str]) -> str | None:
    """Whether page 1's fills show the palette: some of its colours and none of another's.
    Not a fixed pair of scores: a plan need not score AMBER (or DARK GREEN) on its first
    page (the 2025 plan does not)."""
    own = set(PALETTES[palette].values())
    others = {c for name, colours in PALETTES.items() if name != palette for c in colours.values()} - own
    if not fills & own:
        return "none of the palette's colours"
    if fills & others:
        return f"another palette's colours {sorted(fills & others)}"
    return None
