"""The layout vocabulary both generators share: page sizes, header wordings, colour
palettes, key and rule styles, and the column model.

``docx_render.py`` (python-docx + LibreOffice) and ``html_render.py`` (HTML/CSS +
WeasyPrint) each turn these names into their own engine's terms, so a sweep or a fixture
can ask both engines for "A3 portrait, reworded labels, swatch key, thick rules" the
same way.  Nothing here knows the pipeline: these are the ways a council officer or a
typesetter might lay out the same plan.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# --------------------------------------------------------------------------- pages

#: Paper sizes, portrait (width, height) in points.
PAGE_SIZES_PT: dict[str, tuple[float, float]] = {
    "a4": (595.276, 841.890),
    "letter": (612.0, 792.0),
    "a3": (841.890, 1190.551),
}


def page_size_pt(page: str, orientation: str) -> tuple[float, float]:
    short, long_ = PAGE_SIZES_PT[page]
    return (long_, short) if orientation == "landscape" else (short, long_)


def heatmap_font_size(cell_width_pt: float, wanted: float) -> float:
    """The heatmap's id size: the body size, made smaller (as an officer would) where an id
    of six capitals ("PCE007") would not fit its cell on one line."""
    return round(min(wanted, cell_width_pt / (6 * 0.7)), 1)


# --------------------------------------------------------------------------- header labels

#: The five standard columns' header labels, left to right, in several wordings.  The
#: rewordings stay close to the printed labels (what another officer would type), so a
#: fuzzy match of the standard labels should still find them.
LABEL_SETS: dict[str, tuple[str, str, str, str, str]] = {
    "standard": (
        "Theme/ Score given",
        "Characteristic description (statutory guidance)",
        "Opportunity for Improvement",
        "Recommendations and action plan",
        "Allocated to and indicative timeline to deliver action",
    ),
    "reworded": (
        "Theme / Score given",
        "Characteristic description (from the statutory guidance)",
        "Opportunities for Improvement",
        "Recommendations / action plan",
        "Allocated to / indicative timeline",
    ),
    "capitals": (
        "THEME/ SCORE GIVEN",
        "CHARACTERISTIC DESCRIPTION (STATUTORY GUIDANCE)",
        "OPPORTUNITY FOR IMPROVEMENT",
        "RECOMMENDATIONS AND ACTION PLAN",
        "ALLOCATED TO AND INDICATIVE TIMELINE TO DELIVER ACTION",
    ),
}

STANDARD_FIELDS = ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")

# --------------------------------------------------------------------------- colours

#: Score fills (hex RGB, no '#').  "office" is the officer's Word shading of the 2024 plan;
#: "muted" is another council's palette (darker green, paler yellow, orange amber).  Each
#: muted colour is nearest in hue to its own office colour, so a reader that falls back to
#: the standard RAG colours by nearest hue (a key without colours) still gets every score.
PALETTES: dict[str, dict[str, str]] = {
    "office": {
        "DARK GREEN": "00B050",
        "LIGHT GREEN": "92D050",
        "YELLOW": "FFFF00",
        "AMBER": "FFC000",
        "RED": "FF0000",
        "GREY": "A6A6A6",
    },
    "muted": {
        "DARK GREEN": "2E7D32",
        "LIGHT GREEN": "9CCC65",
        "YELLOW": "FFFF8D",
        "AMBER": "FFB300",
        "RED": "E53935",
        "GREY": "BDBDBD",
    },
}

#: How the score key shows its colours: the label cell shaded (the 2024 plan), a small
#: shaded swatch cell beside an unshaded label, the label's text coloured, or no colour.
KEY_STYLES = ("shaded", "swatch", "text", "plain")

#: Table rules: full grid, horizontal rules between rows only, none, a heavy grid, a
#: coloured grid.
RULE_STYLES = ("grid", "horizontal", "none", "thick", "coloured")
RULE_COLOUR = "2F5597"        # the coloured grid's blue
THICK_RULE_PT = 1.5
THIN_RULE_PT = 0.5

#: Status fills for a "RAG status" column, by status kind (profile data in the pipeline;
#: here only what a council paints).
STATUS_FILLS: dict[str, str] = {
    "complete": "5B9BD5",      # blue: done
    "on_track": "00B050",
    "at_risk": "FFC000",
    "delayed": "FF0000",
    "not_started": "D9D9D9",
}

# --------------------------------------------------------------------------- text

#: Latin ligatures as Unicode presentation forms (U+FB00-FB04), longest first.  Text that
#: was pasted from another PDF, or typed by software that "helpfully" composes them, holds
#: these characters instead of the letters.  (U+FB05/FB06, long-s t and st, never occur
#: in modern English prose and are not produced.)
PRESENTATION_FORMS: tuple[tuple[str, str], ...] = (
    ("ffi", "\ufb03"), ("ffl", "\ufb04"), ("ff", "\ufb00"), ("fi", "\ufb01"), ("fl", "\ufb02"),
)


def with_presentation_forms(text: str) -> str:
    for letters, form in PRESENTATION_FORMS:
        text = text.replace(letters, form)
    return text


#: Hyphen characters a typesetter may end a line with: a stylesheet's
#: ``hyphenate-character`` (WeasyPrint writes U+2010 by default), LibreOffice's U+002D.
HYPHEN_CHARS: dict[str, str] = {
    "u2010": "\u2010",
    "u002d": "-",
    "u2011": "\u2011",
    "u00ad": "\u00ad",   # drawn as U+2010, then mapped to SOFT HYPHEN in the font's ToUnicode
}

# --------------------------------------------------------------------------- columns

#: Fields a column can show.  Row fields have one cell per characteristic; band fields
#: one cell per action band (the bands are lined up across all band columns).
ROW_FIELDS = ("theme_score", "element_id", "rating", "characteristic")
BAND_FIELDS = ("opportunity", "recommendation", "owner_timeline", "owner", "timeline",
               "progress", "status")
EXTRA_PREFIX = "extra:"


@dataclass(frozen=True)
class Column:
    """One column of the plan table: the field it shows, its header label, its width
    (any unit: widths are shares of the table width)."""

    field: str
    label: str
    width: float

    @property
    def extra_label(self) -> str | None:
        return self.field[len(EXTRA_PREFIX):] if self.field.startswith(EXTRA_PREFIX) else None

    def __post_init__(self):
        if self.field not in ROW_FIELDS + BAND_FIELDS and not self.extra_label:
            raise ValueError(f"unknown column field {self.field!r}")


def standard_columns(labels: str | tuple[str, ...] = "standard",
                     widths: tuple[float, ...] = (0.11, 0.19, 0.25, 0.27, 0.18)) -> tuple[Column, ...]:
    """The 2024 plan's five columns with a label set (a name of LABEL_SETS or five labels)."""
    texts = LABEL_SETS[labels] if isinstance(labels, str) else labels
    return tuple(Column(f, t, w) for f, t, w in zip(STANDARD_FIELDS, texts, widths))


def row_extra_labels(source: dict) -> set[str]:
    """Labels of unknown columns whose text belongs to the characteristic (row ``extra``)."""
    return {label for t in source.get("themes", []) for r in t.get("rows", [])
            for label in (r.get("extra") or {})}


def is_band_column(col: Column, source: dict) -> bool:
    """Band fields, and ``extra:`` columns that the source fills per band, not per row."""
    if col.extra_label is not None:
        return col.extra_label not in row_extra_labels(source)
    return col.field in BAND_FIELDS


def band_cell(band: dict, col: Column) -> list[str]:
    """The paragraphs a band shows in a band column."""
    if col.extra_label is not None:
        return list((band.get("extra") or {}).get(col.extra_label, []))
    if col.field == "status":      # one word, or one per action of a two-action band
        status = band.get("status") or []
        return [status] if isinstance(status, str) else list(status)
    return list(band.get(col.field) or [])


def characteristic_paragraphs(row: dict, columns: tuple[Column, ...]) -> list[str]:
    """The characteristic cell; without its "CI001: " prefix when the id has its own column."""
    paras = list(row.get("characteristic") or [])
    if paras and any(c.field == "element_id" for c in columns):
        paras[0] = re.sub(rf"^{re.escape(row['element_id'])}:\s*", "", paras[0])
    return paras


def row_cell(row: dict, col: Column, columns: tuple[Column, ...]) -> list[tuple[str, bool]]:
    """A row column's paragraphs as (text, bold)."""
    if col.field == "theme_score":
        out = [(row.get("theme_label") or "", False)]
        if row.get("score"):
            out.append((row["score"], True))
        return out
    if col.field == "element_id":
        return [(row["element_id"], False)]
    if col.field == "rating":
        return [(row["score"], True)] if row.get("score") else []
    if col.field == "characteristic":
        return [(p, False) for p in characteristic_paragraphs(row, columns)]
    return [(p, False) for p in (row.get("extra") or {}).get(col.extra_label, [])]


def status_fills(band: dict) -> list[str | None]:
    """The fill of each status paragraph of a band, from the kind its action expects (the
    status printed in its colour)."""
    words = band.get("status") or []
    words = [words] if isinstance(words, str) else words
    kinds = [a.get("status_kind") for a in band.get("actions", [])]
    return [STATUS_FILLS.get(kinds[i] if i < len(kinds) else None) for i in range(len(words))]


def heatmap_ids(source: dict, heatmap_row: dict) -> list[str]:
    """The element id behind each heatmap cell of one heatmap row.

    A cell normally prints its id; a cross-reference cell ("See CI012", G002's cell) is
    looked up by its position in the theme's rows (so it is shaded by G002's own score --
    null, unshaded -- exactly as the Word rendering does)."""
    theme = next((t for t in source["themes"] if t["theme_no"] == heatmap_row.get("theme_no")), None)
    row_ids = [r["element_id"] for r in theme["rows"]] if theme else []
    return [row_ids[k] if cell.startswith("See ") and k < len(row_ids) else cell
            for k, cell in enumerate(heatmap_row["cells"])]
