"""Samples with other column sets (issue #12): the same plan content under columns added,
reordered, split, unknown or renamed, each rendered by one of the generators.

Every sample is ``samples/<name>/`` holding ``source.json`` (its rows, its ``columns`` and
the hand-written expected readings, see SOURCE_FORMAT.md), the PDF (and the .docx or
.html) and ``rendering.json`` (how it was built).  The content comes from the 2024 (or, for
the progress sample, the 2025) source; everything a sample adds or changes -- where an
owner/timeline cell is split into an owner and a date, the unknown column's texts, the
renamed ids -- is written out below by hand, never parsed from the cells.

    python samples/build.py --only column-samples [--sample NAME]
"""
from __future__ import annotations

import copy
import importlib.util
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from .docx_render import RenderOptions, subset_source
from .html_render import HtmlOptions
from .variants import Column

SAMPLES = Path(__file__).resolve().parent.parent
SOURCE_2024 = SAMPLES / "appendix-a-2024" / "source.json"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _rows(source: dict):
    for theme in source["themes"]:
        yield from theme["rows"]


def _no_front(source: dict) -> dict:
    source.update(heatmap_intro="", heatmap=[], key=[])
    return source


def columns_of(source: dict) -> tuple[Column, ...]:
    return tuple(Column(field, label, width) for field, label, width in source["columns"])


# --------------------------------------------------------------------------- owner and date apart

#: "<id>/<band>" -> (owner cell, date cell), as the officer would type them in two columns:
#: the owner/timeline cell's owners and its date, each as printed there.  An empty date
#: cell is "" (the action's timeline is then "", kind none, as in the 2024 source).
OWNER_DATE: dict[str, tuple[str, str]] = {
    "L001/0": ("CEX", "ongoing in 24/25 and 25/26."),
    "L001/1": ("CEX, CHoHROD, HoBPPP", "Ongoing in 24/25 ahead of NS-BVN 12-month anniversary in Dec 2024."),
    "L004/0": ("CHoF", "review Jan 2025."),
    "L004/1": ("CHoHROD", "ongoing."),
    "L004/2": ("CHoF", "March 2025."),
    "G003/0": ("HoBPPP", "complete. This has been addressed in the latest Cttee report template v4 issued in March 2024."),
    "G003/1": ("All CHoS", ""),
    "G003/2": ("ACE(S151), HoBPPP", "by end Dec 2024."),
    "G004/0": ("ACE(S151), CHoLG", ""),
    "G005/0": ("CEX HoBPPP", "by Sept 2024."),
    "C003/0": ("CEX", "ongoing core activity."),
    "C007/0": ("CHoHROD", "March 2025."),
    "C007/1": ("CHoHROD", "Q2 and Q4 annually."),
    "R001/0": ("CLT", ""),
    "R001/1": ("CHoF, HoBPPP", "Q1 25/26."),
    "R009/0": ("Head of Procurement", ""),
    "R009/1": ("Head of Procurement", ""),
    "R009/2": ("Head of Procurement", ""),
    "CI001/0": ("CLT", "Q2 2024."),
    "CI001/1": ("All CHoS", "ongoing Qly basis"),
    "CI001/2": ("Head of Procurement", ""),
    "CI001/3": ("Head of Procurement", ""),
    "CI001/4": ("Head of Procurement", ""),
    "CI002/0": ("CHoCSDCS", "during 2024/25 on approval of the Strategy."),
    "CI002/1": ("ACE (S151), CLT, SLT, all staff", "this work is ongoing for 2024/25, 2025/26."),
    "L002/0": ("CLT, SLT", "ongoing."),
}


def split_owner_date(source: dict) -> dict:
    """Each band's owner/timeline cell as two cells (OWNER_DATE), for two columns."""
    for row in _rows(source):
        for bi, band in enumerate(row["bands"]):
            if not band.get("owner_timeline"):
                band.pop("owner_timeline", None)
                band["owner"], band["timeline"] = [], []
                continue
            owner, date = OWNER_DATE[f"{row['element_id']}/{bi}"]
            del band["owner_timeline"]
            band["owner"] = [owner] if owner else []
            band["timeline"] = [date] if date else []
    return source


# --------------------------------------------------------------------------- the samples

def column_order_changed() -> dict:
    src = _no_front(subset_source(_load(SOURCE_2024), ["CI001", "CI003", "L004", "G001", "G002"]))
    src["columns"] = [
        ["theme_score", "Theme/ Score given", 10],
        ["characteristic", "Characteristic description (statutory guidance)", 19],
        ["owner_timeline", "Allocated to and indicative timeline to deliver action", 17],
        ["recommendation", "Recommendations and action plan", 28],
        ["opportunity", "Opportunity for Improvement", 26],
    ]
    return src


def owner_date_columns() -> dict:
    src = split_owner_date(_no_front(subset_source(_load(SOURCE_2024), ["L001", "L004", "G003", "C007", "R009"])))
    src["columns"] = [
        ["theme_score", "Theme/ Score given", 10],
        ["characteristic", "Characteristic description (statutory guidance)", 18],
        ["opportunity", "Opportunity for Improvement", 24],
        ["recommendation", "Recommendations and action plan", 26],
        ["owner", "Lead officer", 11],
        ["timeline", "Target date", 11],
    ]
    return src


#: "<id>/<band>" -> the "Budget implications" cell, written for this sample.
BUDGET: dict[str, str] = {
    "CI005/0": "Within existing HR budget.",
    "CI005/2": "£18,000 one-off for Phase 2 licences (2024/25), funded from the transformation reserve.",
    "L006/1": "None.",
    "L006/2": "Officer time only.",
    "C010/1": "Within existing budget.",
    "C010/2": "None.",
}


def unknown_column() -> dict:
    src = _no_front(subset_source(_load(SOURCE_2024), ["CI005", "L006", "C010"]))
    for row in _rows(src):
        for bi, band in enumerate(row["bands"]):
            text = BUDGET.get(f"{row['element_id']}/{bi}")
            band["extra"] = {"Budget implications": [text]} if text else {}
    src["columns"] = [
        ["theme_score", "Theme/ Score given", 9],
        ["characteristic", "Characteristic description (statutory guidance)", 17],
        ["opportunity", "Opportunity for Improvement", 22],
        ["recommendation", "Recommendations and action plan", 22],
        ["owner_timeline", "Allocated to and indicative timeline to deliver action", 15],
        ["extra:Budget implications", "Budget implications", 15],
    ]
    return src


def other_council_columns() -> dict:
    src = split_owner_date(_no_front(subset_source(_load(SOURCE_2024), ["G004", "G005", "C003", "C007", "R001"])))
    src["table_title"] = "Best Value self-assessment: improvement plan"
    src["columns"] = [
        ["element_id", "Ref", 6],
        ["characteristic", "Characteristic", 20],
        ["rating", "Rating", 9],
        ["opportunity", "Areas for improvement", 21],
        ["recommendation", "Improvement actions", 22],
        ["owner", "Lead officer", 11],
        ["timeline", "Target date", 11],
    ]
    return src


#: 2024 ids -> the ids this council prints (a user's profile says how to read them).
RENAMED = {"CI001": "BV-01", "CI002": "BV-02", "L002": "BV-03"}


def user_profile_who_when() -> dict:
    src = split_owner_date(_no_front(subset_source(_load(SOURCE_2024), list(RENAMED))))
    for row in _rows(src):
        old, new = row["element_id"], RENAMED[row["element_id"]]
        row["element_id"] = new
        row["characteristic"] = [re.sub(rf"^{old}:", f"{new}:", row["characteristic"][0])] + row["characteristic"][1:]
        row["expect"]["see_also"] = [RENAMED[s] for s in row["expect"]["see_also"]]
        for band in row["bands"]:
            for column in ("opportunity", "recommendation"):
                band[column] = [_rename_ids(p) for p in band[column]]
            for action in band["actions"]:
                for key in ("opportunity", "recommendation"):
                    if key in action:
                        action[key] = _rename_ids(action[key])
    src["columns"] = [
        ["theme_score", "Theme/ Score", 10],
        ["characteristic", "Characteristic", 22],
        ["opportunity", "Gap", 23],
        ["recommendation", "Action", 25],
        ["owner", "Who", 10],
        ["timeline", "When", 10],
    ]
    return src


def _rename_ids(text: str) -> str:
    for old, new in RENAMED.items():
        text = re.sub(rf"\b{old}\b", new, text)
    return text


#: "<id>/<band>" -> (status printed, status_kind) for the "RAG" column, written for this
#: sample: "" prints no word, the cell only painted in the kind's colour (variants.STATUS_FILLS).
RAG_STATUS: dict[str, tuple[str, str | None]] = {
    "CI006/0": ("", "complete"),
    "L004/0": ("On track", "on_track"),
    "L004/1": ("", "on_track"),
    "L004/2": ("", "delayed"),
    "G001/0": ("Complete", "complete"),
    "G001/1": ("", "at_risk"),
    "G001/2": ("", None),            # neither word nor colour: no status
}


def rag_status_colours() -> dict:
    src = _no_front(subset_source(_load(SOURCE_2024), ["CI006", "L004", "G001"]))
    seen = set()
    for row in _rows(src):
        for bi, band in enumerate(row["bands"]):
            key = f"{row['element_id']}/{bi}"
            status, kind = RAG_STATUS[key]
            if len(band["actions"]) != 1:
                raise SystemExit(f"{key}: written for a band of one action")
            band["status"], band["progress"] = status, []
            band["actions"][0]["status_kind"] = kind
            seen.add(key)
    if seen != set(RAG_STATUS):
        raise SystemExit(f"RAG_STATUS names bands the source does not have: {sorted(set(RAG_STATUS) - seen)}")
    src["columns"] = [
        ["theme_score", "Theme/ Score given", 9],
        ["characteristic", "Characteristic description (statutory guidance)", 18],
        ["opportunity", "Opportunity for Improvement", 23],
        ["recommendation", "Recommendations and action plan", 25],
        ["owner_timeline", "Allocated to and indicative timeline to deliver action", 16],
        ["status", "RAG", 9],
    ]
    return src


#: The score words this council prints, for the 2024 words (its profile.toml lists them).
SCORE_WORDS = {"DARK GREEN": "STRONG", "LIGHT GREEN": "GOOD", "YELLOW": "FAIR", "AMBER": "WEAK",
               "RED": "POOR", "GREY": "OUT OF SCOPE"}


def renamed_scores() -> dict:
    src = split_owner_date(_no_front(subset_source(_load(SOURCE_2024), ["G004", "G005", "C003", "C007", "R001"])))
    for row in _rows(src):
        row["score"] = SCORE_WORDS[row["score"]] if row["score"] else None
    src["table_title"] = "Best Value self-assessment: improvement plan"
    src["columns"] = [
        ["element_id", "Ref", 6],
        ["characteristic", "Characteristic", 20],
        ["rating", "RAG", 9],
        ["opportunity", "Areas for improvement", 21],
        ["recommendation", "Improvement actions", 22],
        ["owner", "Lead officer", 11],
        ["timeline", "Target date", 11],
    ]
    return src


def progress_2025() -> dict:
    path = SAMPLES / "appendix-a-2025-progress" / "make_source.py"
    spec = importlib.util.spec_from_file_location("make_source_2025_progress", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build()


@dataclass
class ColumnSample:
    name: str
    make: Callable[[], dict]
    engine: str                                  # "docx" | "html"
    options: Callable[[tuple[Column, ...]], object]
    about: str


WORD = RenderOptions(front_matter=False)

COLUMN_SAMPLES: list[ColumnSample] = [
    ColumnSample("appendix-a-2025-progress", progress_2025, "docx",
                 lambda cols: replace(RenderOptions(), columns=cols, font_size=8.0),
                 'the whole 2025 revision with "Progress update (September 2025)" and "RAG status" '
                 "columns added at the right (status words printed on their colour)"),
    ColumnSample("column-order-changed", column_order_changed, "html",
                 lambda cols: HtmlOptions(columns=cols, header_repeat=True, table_on_new_page=False),
                 "the five 2024 columns in another order: owner/timeline before recommendations, "
                 "opportunity last"),
    ColumnSample("owner-date-columns", owner_date_columns, "docx",
                 lambda cols: replace(WORD, columns=cols),
                 'owner and date in two columns, "Lead officer" and "Target date"'),
    ColumnSample("unknown-column", unknown_column, "html",
                 lambda cols: HtmlOptions(columns=cols, rules="grid", table_on_new_page=False),
                 'a sixth column no profile knows, "Budget implications"'),
    ColumnSample("other-council-columns", other_council_columns, "docx",
                 lambda cols: replace(WORD, columns=cols),
                 'another council\'s column set: "Ref" | "Characteristic" | "Rating" | "Areas for '
                 'improvement" | "Improvement actions" | "Lead officer" | "Target date"'),
    ColumnSample("rag-status-colours", rag_status_colours, "html",
                 lambda cols: HtmlOptions(columns=cols, rules="grid", table_on_new_page=False),
                 'a header-only "RAG" column of status words and cells painted in a status colour '
                 "with no word"),
    ColumnSample("renamed-scores", renamed_scores, "html",
                 lambda cols: HtmlOptions(columns=cols, rules="grid", table_on_new_page=False),
                 'a "RAG" rating column printing this council\'s own score words (STRONG, GOOD, FAIR, '
                 "WEAK, POOR, OUT OF SCOPE): read with its profile.toml"),
    ColumnSample("user-profile-who-when", user_profile_who_when, "html",
                 lambda cols: HtmlOptions(columns=cols, rules="grid", table_on_new_page=False),
                 'columns "Gap", "Action", "Who" and "When", ids BV-01..BV-03: a layout only a '
                 "user's profile describes"),
]


def build_column_sample(sample: ColumnSample, log=print, tagged: bool = False):
    """Write samples/<name>/source.json, the PDF and rendering.json; returns sweep.Built."""
    from .sweep import Recipe, build
    out = SAMPLES / sample.name
    out.mkdir(exist_ok=True)
    source = sample.make()
    (out / "source.json").write_text(json.dumps(source, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    options = sample.options(columns_of(source))
    recipe = Recipe(sample.name, sample.engine, options)
    return build(recipe, out, source_path=out / "source.json", log=log, record_name="rendering.json")


def tagged_twin(sample: ColumnSample):
    """The same sample exported as a tagged PDF, ``<name>-tagged.pdf`` beside it."""
    from .sweep import Recipe, build
    out = SAMPLES / sample.name
    options = replace(sample.options(columns_of(_load(out / "source.json"))), tagged=True)
    return build(Recipe(f"{sample.name}-tagged", sample.engine, options), out,
                 source_path=out / "source.json", record_name="rendering-tagged.json")
