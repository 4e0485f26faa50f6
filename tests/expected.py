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
    for theme in source["themes"]:
        for row in theme["rows"]:
            characteristics.append(_characteristic(theme, row))
            actions.extend(_actions(row))
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


def _characteristic(theme: dict, row: dict) -> dict:
    expect = row["expect"]
    return {
        "element_id": row["element_id"],
        "theme_no": theme["theme_no"],
        "score": row["score"],
        "description": expect["description"],
        "notes": list(expect["notes"]),
        "see_also": list(expect["see_also"]),
    }


def _actions(row: dict) -> list[dict]:
    out = []
    for band in row["bands"]:
        for action in band["actions"]:
            single = len(band["actions"]) == 1
            out.append({
                "element_id": row["element_id"],
                "action_no": len(out) + 1,
                "opportunity": PARAGRAPH_BREAK.join(band["opportunity"]) if single else action["opportunity"],
                "recommendation": PARAGRAPH_BREAK.join(band["recommendation"]) if single else action["recommendation"],
                "owner_timeline": PARAGRAPH_BREAK.join(band["owner_timeline"]) if single else action["owner_timeline"],
                "owners": list(action["owners"]),
                "timeline": action["timeline"],
                "timeline_kind": action["timeline_kind"],
                "timeline_start": _date(action["timeline_start"]),
                "timeline_end": _date(action["timeline_end"]),
                "timeline_ambiguous": bool(action["timeline_ambiguous"]),
            })
    return out


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None
