"""Expected contract rows built from a sample's hand-checked source.json (samples/SOURCE_FORMAT.md).

Nothing here calls the project's parsers: owners and dates are the values a person wrote
into the source file.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

PARAGRAPH_BREAK = "\n\n"
#: A heatmap cell that prints an element id (the 2024 plan's ids: letters then three digits);
#: a cross-reference cell ("See CI012") stands for no element of its own.
ELEMENT_ID = re.compile(r"^[A-Z]{1,3}\d{3}$")


@dataclass(frozen=True)
class Expected:
    characteristics: list[dict]
    actions: list[dict]
    themes: list[dict]
    heatmap: list[dict]
    source: dict


def load_expected(source_path: Path) -> Expected:
    source = json.loads(Path(source_path).read_text(encoding="utf-8"))
    characteristics, actions = [], []
    columns = "columns" in source   # a sample with its own column set (progress, status, extra)
    for theme in source["themes"]:
        for row in theme["rows"]:
            characteristics.append(_characteristic(theme, row, columns))
            actions.extend(_actions(row, columns))
    themes = [
        {"theme_no": t["theme_no"], "name": t["name"], "intro": PARAGRAPH_BREAK.join(t["intro"])}
        for t in source["themes"]
    ]
    scores = {c["element_id"]: c["score"] for c in characteristics}
    heatmap = [
        {"theme_no": r["theme_no"], "position": i, "cell": cell,
         "element_id": cell if ELEMENT_ID.match(cell) else None,
         "score": scores.get(cell) if ELEMENT_ID.match(cell) else None}
        for r in source.get("heatmap", []) for i, cell in enumerate(r["cells"], start=1)
    ]
    return Expected(characteristics, actions, themes, heatmap, source)


def _characteristic(theme: dict, row: dict, columns: bool = False) -> dict:
    expect = row["expect"]
    out = {
        "element_id": row["element_id"],
        "theme_no": theme["theme_no"],
        "score": row["score"],
        "description": expect["description"],
        "notes": list(expect["notes"]),
        "see_also": list(expect["see_also"]),
    }
    if columns:
        out["extra"] = _joined_extra(row.get("extra"))
    return out


def _joined_extra(extra: dict | None) -> dict:
    """{header label: paragraphs} -> {header label: text} (paragraphs joined)."""
    return {label: PARAGRAPH_BREAK.join(paras) for label, paras in (extra or {}).items() if paras}


def _owner_cell(band: dict) -> list[str]:
    """The owner/timeline cell, or the owner cell where owner and date are two columns."""
    return band["owner_timeline"] if "owner_timeline" in band else band.get("owner", [])


def _actions(row: dict, columns: bool = False) -> list[dict]:
    out = []
    for band in row["bands"]:
        for action in band["actions"]:
            single = len(band["actions"]) == 1
            want = {
                "element_id": row["element_id"],
                "action_no": len(out) + 1,
                "opportunity": PARAGRAPH_BREAK.join(band["opportunity"]) if single else action["opportunity"],
                "recommendation": PARAGRAPH_BREAK.join(band["recommendation"]) if single else action["recommendation"],
                "owner_timeline": PARAGRAPH_BREAK.join(_owner_cell(band)) if single else action["owner_timeline"],
                "owners": list(action["owners"]),
                "timeline": action["timeline"],
                "timeline_kind": action["timeline_kind"],
                "timeline_start": _date(action["timeline_start"]),
                "timeline_end": _date(action["timeline_end"]),
                "timeline_ambiguous": bool(action["timeline_ambiguous"]),
            }
            if columns:
                want.update(
                    progress=PARAGRAPH_BREAK.join(band.get("progress", [])) if single else action.get("progress", ""),
                    status=band.get("status", "") if single else action.get("status", ""),
                    status_kind=action.get("status_kind"),
                    extra=_joined_extra(band.get("extra")) if single else _joined_extra(action.get("extra")),
                )
            out.append(want)
    return out


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
