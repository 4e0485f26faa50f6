#!/usr/bin/env python3
"""The 2025 revision (../appendix-a-2025/source.json) as the council updates it in September
2025: the same table with two columns added at the right, "Progress update (September 2025)"
and "RAG status" (issue #12).

Every progress text and status below is written here by hand, keyed by "<element id>/<band>"
with the first words of the band's owner/timeline cell, so an entry whose band moved in the
2025 source fails loudly.  Bands not listed have an empty progress cell and no status.  The
status_kind of each action is written beside its status (samples/SOURCE_FORMAT.md); nothing is
parsed or computed.  Used by samples/build/column_samples.py (``build()``).
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE_2025 = HERE.parent / "appendix-a-2025" / "source.json"

COLUMNS = [
    ["theme_score", "Theme/ Score given", 8],
    ["characteristic", "Characteristic description (statutory guidance)", 15],
    ["opportunity", "Opportunity for Improvement", 17],
    ["recommendation", "Recommendations and action plan", 19],
    ["owner_timeline", "Allocated to and indicative timeline to deliver action", 12],
    ["progress", "Progress update (September 2025)", 20],
    ["status", "RAG status", 9],
]

#: "<id>/<band>" -> (owner cell starts with, progress paragraphs, status printed, status_kind)
PROGRESS: dict[str, tuple[str, list[str], str, str]] = {
    "CI001/2": ("Head of Procurement", ["On track. Scoping work began in May 2025."], "On track", "on_track"),
    "CI002/1": ("ACE (S151)", ["Savings of £1.2m identified for 2025/26; the remaining gap is being worked on."],
                "At risk", "at_risk"),
    "CI005/2": ("CHoHROD", ["Phase 2 delayed by the supplier; now expected in Q3 2025/26."], "Delayed", "delayed"),
    "CI007/1": ("SLT", ["Risk registers reviewed by SLT in June 2025."], "On track", "on_track"),
    "CI010/0": ("CEX", ["No further webinars announced by Oflog."], "Not started", "not_started"),
    "CI011/1": ("CHoCS", ["Pilot launched in January 2025.", "Evaluation report to CMC in October 2025."],
                "Complete", "complete"),
    "L002/0": ("CLT", ["Quarterly KPI reports to CLT since April 2025."], "On track", "on_track"),
    "L004/1": ("CHoHROD", ["Refresher sessions booked for November 2025."], "On track", "on_track"),
    "L006/0": ("CHoHROD", ["My View in use by all staff."], "Complete", "complete"),
    "G001/0": ("CHoLG", ["Member training on the Code held in March 2025."], "Complete", "complete"),
    "G004/0": ("ACE(S151)", ["Review date not yet set."], "Not started", "not_started"),
    "G008/3": ("SLT", ["Reported each quarter to SLT."], "On track", "on_track"),
    "C003/0": ("CEX", ["Monitored through the staff survey of July 2025."], "On track", "on_track"),
    "C010/0": ("CHoHROD", ["Consequences drafted; consultation with unions delayed to Q4 2025/26."],
               "Delayed", "delayed"),
    "C011/0": ("CHoHROD", ["Completed in March 2025."], "Complete", "complete"),
    "R002/1": ("CHoHROD", ["Four of nine departmental plans drafted by August 2025."], "At risk", "at_risk"),
    "R009/0": ("Head of Procurement", ["On track. Contract register published in June 2025."],
               "On track", "on_track"),
    "SD004/0": ("HoBPPP", ["Reporting continues quarterly."], "Complete", "complete"),
    "SD008/0": ("HoBPPP", ["Slipped to Q3 2025/26 while the new system is procured."], "Delayed", "delayed"),
    "PCE003/0": ("SLT", ["Two case studies written; three more planned."], "On track", "on_track"),
    "PCE006/0": ("Head of Procurement", ["Not started."], "Not started", "not_started"),
}


def build() -> dict:
    source = json.loads(SOURCE_2025.read_text(encoding="utf-8"))
    out = copy.deepcopy(source)
    out["columns"] = copy.deepcopy(COLUMNS)
    seen = set()
    for theme in out["themes"]:
        for row in theme["rows"]:
            for bi, band in enumerate(row["bands"]):
                key = f"{row['element_id']}/{bi}"
                band["progress"], band["status"] = [], ""
                for action in band["actions"]:
                    action["status_kind"] = None
                if key not in PROGRESS:
                    continue
                owner_start, progress, status, kind = PROGRESS[key]
                cell = band.get("owner_timeline") or [""]
                if not cell[0].startswith(owner_start) or len(band["actions"]) != 1:
                    raise SystemExit(f"{key}: owner cell {cell!r} is not the band this entry was written for")
                band["progress"], band["status"] = list(progress), status
                band["actions"][0]["status_kind"] = kind
                seen.add(key)
    missing = set(PROGRESS) - seen
    if missing:
        raise SystemExit(f"entries for bands the 2025 source does not have: {sorted(missing)}")
    return out


if __name__ == "__main__":
    print(json.dumps(build(), indent=1, ensure_ascii=False)[:2000])
