#!/usr/bin/env python3
"""Write appendix-a-2025/source.json: the council's 2025 revision of the action plan.

The 2025 plan is the 2024 plan (../appendix-a-2024/source.json) edited by hand, the way an
officer updates last year's Word document.  This script applies the explicit edits listed in
EDITS below, nothing else: every new text, owner, timeline and date is written out here by
hand (the expected reading of each edited action follows samples/SOURCE_FORMAT.md).  Nothing
is parsed or computed.  Each edit names the text it replaces, so an edit whose target moved
in the 2024 source fails loudly instead of editing the wrong paragraph.

    python samples/appendix-a-2025/make_source.py          # writes source.json beside it
    python samples/appendix-a-2025/make_source.py --check  # exit 1 if source.json is stale

README.md lists the same changes in prose; expected-changes.json is the hand-written
expected output of `actionplan diff` for them.
"""
from __future__ import annotations

import copy
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE_2024 = HERE.parent / "appendix-a-2024" / "source.json"
OUT = HERE / "source.json"


def act(owners, timeline, kind, start=None, end=None, ambiguous=False, **texts) -> dict:
    """One hand-written expected action (texts: opportunity/recommendation/owner_timeline,
    only for a band holding two actions)."""
    out = dict(texts)
    out.update({"owners": list(owners), "timeline": timeline, "timeline_kind": kind,
                "timeline_start": start, "timeline_end": end, "timeline_ambiguous": ambiguous})
    return out


# --------------------------------------------------------------------------- the edits
#
# Edit kinds (band and paragraph indexes are 0-based positions in the 2024 row, or in the
# row as already edited by the earlier edits of the same element):
#   ("title", old, new)
#   ("intro", theme_no, paragraph, old, new)
#   ("score", element_id, old, new)
#   ("para", element_id, band, column, paragraph, old, new)   replace one paragraph
#   ("append", element_id, band, column, text)                 add a paragraph at the end
#   ("actions", element_id, band, [act(...), ...])             the band's expected actions
#   ("insert_band", element_id, at, band)                      a new band before band `at`
#   ("remove_band", element_id, at, first_text)                drop band `at` (first_text:
#                                                              its first paragraph, as a check)
#   ("remove_para", element_id, band, column, paragraph, old)  drop one paragraph

EDITS: list[tuple] = [
    ("title",
     "Appendix A: Action Plan arising from the self-assessment against the statutory Best Value Duty guidance.",
     "Appendix A: Action Plan arising from the self-assessment against the statutory Best Value Duty guidance. Updated July 2025."),

    # ---- 1. Continuous Improvement
    # CI001 action 1: quarterly service reporting slips from Q2 2024 to Q4 2024/25.
    ("para", "CI001", 0, "owner_timeline", 0, "CLT, Q2 2024.", "CLT, Q4 2024/25."),
    ("actions", "CI001", 0, [act(["CLT"], "Q4 2024/25", "quarter", "2025-01-01", "2025-03-31")]),
    # CI001 action 3 (contract management briefing) delivered and dropped from the plan.
    ("remove_band", "CI001", 2,
     "Whilst the contract management framework has been developed, this is not widely communicated or briefed to all contract managers (due to resource changes and pressures in the procurement team in 23/24)."),

    # CI003 action 1 (communications plan ahead of the CPC in Oct 2024) complete; the
    # second owner/timeline pair of the same cell is unchanged.
    ("para", "CI003", 0, "owner_timeline", 0,
     "HoBPPP, Q2 24/25 ahead of CPC in Oct 2024. HoBPP, Q1 25/26",
     "HoBPPP, complete. HoBPP, Q1 25/26"),
    ("actions", "CI003", 0, [
        act(["HoBPPP"], "complete", "complete",
            opportunity="Delay in reporting against the action plan to close-out the LGA CPC in 2019, although with valid reasons, was a reputational issue.",
            recommendation="Develop a communications plan that not only raises awareness and prepares for the CPC in 2024 but also covers communications of actions and outcomes as a result of the CPC.",
            owner_timeline="HoBPPP, complete."),
        act(["HoBPPP"], "Q1 25/26", "quarter", "2025-04-01", "2025-06-30",
            opportunity="",
            recommendation="Plan and prepare for follow-up CPC visit in Q2 2025/26.",
            owner_timeline="HoBPP, Q1 25/26"),
    ]),

    # CI007 action 1: risk roadshow slips from Dec 2024 to June 2025.
    ("para", "CI007", 0, "owner_timeline", 0,
     "ACE (S151), HoBPPP by Dec 2024", "ACE (S151), HoBPPP by June 2025"),
    ("actions", "CI007", 0, [act(["ACE (S151)", "HoBPPP"], "by June 2025", "month", "2025-06-01", "2025-06-30")]),
    # CI007 action 2: recommendation reworded (a sentence added).
    ("para", "CI007", 1, "recommendation", 0,
     "Improve availability of risk information that is captured in business cases and project charters, not only to the project teams but to end users and those impacted by the change. A communications plan should be developed and delivered for new projects that include the risk profile.",
     "Improve availability of risk information that is captured in business cases and project charters, not only to the project teams but to end users and those impacted by the change. A communications plan should be developed and delivered for new projects that include the risk profile. The project charter template now includes a risk profile section to support this."),

    # CI010: AMBER -> GREY (Oflog's webinars not taken forward: outside officers' control);
    # a second action added.
    ("score", "CI010", "AMBER", "GREY"),
    ("insert_band", "CI010", 1, {
        "opportunity": ["Oflog's programme of webinars has not been taken forward nationally, so participation is not in the control of Officers."],
        "recommendation": ["Monitor national announcements and take part in any replacement sector-led improvement and benchmarking activity."],
        "owner_timeline": ["CEX, HoBPPP, ongoing."],
        "actions": [act(["CEX", "HoBPPP"], "ongoing", "ongoing")],
    }),

    # CI012 action 1: an update note under the recommendation.
    ("append", "CI012", 0, "recommendation", "Update: 14/05/25 - first dashboards published."),

    # ---- 2. Leadership
    # L004: LIGHT GREEN -> YELLOW; action 1 moves from CHoF to ACE (S151) and slips.
    ("score", "L004", "LIGHT GREEN", "YELLOW"),
    ("para", "L004", 0, "owner_timeline", 0, "CHoF, review Jan 2025.", "ACE (S151), review Sept 2025."),
    ("actions", "L004", 0, [act(["ACE (S151)"], "review Sept 2025", "month", "2025-09-01", "2025-09-30")]),

    # L006 action 2 (My View Phase 2) slips from Q2 2024 to Q2 2025/26.
    ("para", "L006", 1, "owner_timeline", 0, "CHoHROD, Q2 2024.", "CHoHROD, Q2 2025/26."),
    ("actions", "L006", 1, [act(["CHoHROD"], "Q2 2025/26", "quarter", "2025-07-01", "2025-09-30")]),
    # L006 action 4: recommendation reworded.
    ("para", "L006", 3, "recommendation", 0,
     "Development of workforce planning is in the HR & OD SAP for delivery in 24/25.",
     "Development of workforce planning is in the HR & OD SAP for delivery in 24/25 and 25/26, starting with the service areas with the highest staff turnover."),

    # L009 action 1: a second update note.
    ("append", "L009", 0, "recommendation",
     "Update: 03/03/25 - survey reissued; results to be reported to Members in Q1 2025/26."),

    # ---- 3. Governance
    # G001 action 2 (staff code of conduct) slips from Q4 2024/25 to Q2 2025/26.
    ("para", "G001", 1, "owner_timeline", 0, "CHoHROD, CHoLG, Q4 2024/25.", "CHoHROD, CHoLG, Q2 2025/26."),
    ("actions", "G001", 1, [act(["CHoHROD", "CHoLG"], "Q2 2025/26", "quarter", "2025-07-01", "2025-09-30")]),

    # G003 action 2: recommendation reworded.
    ("para", "G003", 1, "recommendation", 0,
     "Risk discussion to be a standard agenda item for Service area management team meetings.",
     "Risk discussion to be a standard agenda item for Service area management team meetings, with each service risk register reviewed at least quarterly and escalations reported to SLT."),

    # G007: SPV governance review complete.
    ("para", "G007", 0, "owner_timeline", 0, "ACE (S151), CHoAR, Q2 2024.", "ACE (S151), CHoAR, complete."),
    ("actions", "G007", 0, [act(["ACE (S151)", "CHoAR"], "complete", "complete")]),

    # G009: "you said, we did" brought forward from Q1 2025/26 to Q4 2024/25.
    ("para", "G009", 0, "owner_timeline", 0,
     "ACE (Place), CHoCSDCS by Q1 2025/26.", "ACE (Place), CHoCSDCS by Q4 2024/25."),
    ("actions", "G009", 0, [act(["ACE (Place)", "CHoCSDCS"], "by Q4 2024/25", "quarter", "2025-01-01", "2025-03-31")]),

    # ---- 4. Culture
    # C007: a second action added (harassment case reporting).
    ("insert_band", "C007", 1, {
        "opportunity": ["The first annual workforce report will provide a baseline of harassment and bullying cases against which trends can be measured."],
        "recommendation": ["Report harassment and bullying case data to CLT twice a year and include the trends in the annual workforce report."],
        "owner_timeline": ["CHoHROD, Q2 and Q4 annually."],
        "actions": [act(["CHoHROD"], "Q2 and Q4 annually", "recurring")],
    }),

    # C008: YELLOW -> LIGHT GREEN; whistleblowing policy reviewed (action 1 complete).
    ("score", "C008", "YELLOW", "LIGHT GREEN"),
    ("para", "C008", 0, "owner_timeline", 0, "CHoHROD, CHoLG,by March 2025.", "CHoHROD, CHoLG, complete."),
    ("actions", "C008", 0, [act(["CHoHROD", "CHoLG"], "complete", "complete")]),

    # C010 action 1: recommendation reworded.
    ("para", "C010", 0, "recommendation", 0,
     "HR to consider adding this explicitly in appropriate HR policy.",
     "HR to set out the consequences of not completing mandatory or refresher training explicitly in the Learning and Development policy and the Probation policy."),

    # ---- 5. Use of Resources
    # R002 action 2: its second pair of paragraphs (a duplicate of L006's workforce
    # planning line) removed.
    ("remove_para", "R002", 1, "opportunity", 1,
     "Workforce plans are not in place for all service areas and this is recognised and is a planned activity for delivery in 2024/25."),
    ("remove_para", "R002", 1, "recommendation", 1,
     "Development of workforce planning is in the HR & OD SAP for delivery in 24/25."),

    # R009: a new action 2 inserted (Procurement Act 2023); the old action 2 becomes 3.
    ("insert_band", "R009", 1, {
        "opportunity": ["The Procurement Act 2023 came into force in February 2025 and the Contract Procedure Rules have not yet been updated to reflect it."],
        "recommendation": ["Revise the Contract Procedure Rules and officer guidance in line with the Procurement Act 2023 and brief all officers with procurement responsibility."],
        "owner_timeline": ["Head of Procurement, CHoLG, Q2 2025/26."],
        "actions": [act(["Head of Procurement", "CHoLG"], "Q2 2025/26", "quarter", "2025-07-01", "2025-09-30")],
    }),

    # R011: YELLOW -> DARK GREEN; SPV governance review reported (action complete).
    ("score", "R011", "YELLOW", "DARK GREEN"),
    ("para", "R011", 0, "owner_timeline", 0, "CHoAR, ACE (S151), July 24.", "CHoAR, ACE (S151), complete."),
    ("actions", "R011", 0, [act(["CHoAR", "ACE (S151)"], "complete", "complete")]),

    # ---- 6. Service Delivery
    ("intro", 6, 5,
     "Authorities should benchmark service provision with comparable authorities, for example by using the metrics available on Oflog's Local Authority Data Explorer.",
     "Authorities should benchmark service provision with comparable authorities, for example by using the metrics available on the Local Authority Data Explorer and LG Inform."),

    # SD003: YELLOW -> DARK GREEN (the 2025 self-assessment); an update note on action 1,
    # action 2 (Service Review monitoring) complete.
    ("score", "SD003", "YELLOW", "DARK GREEN"),
    ("append", "SD003", 0, "recommendation",
     "Update: 12/05/25 - the new complaints system has been live across all service areas since June 2024 and complaints performance is reported quarterly."),
    ("para", "SD003", 1, "owner_timeline", 0, "HoBPPP, ongoing.", "HoBPPP, complete."),
    ("actions", "SD003", 1, [act(["HoBPPP"], "complete", "complete")]),

    # SD004: CKPI reporting to CMC in place (complete, with context).
    ("para", "SD004", 0, "owner_timeline", 0,
     "HoBPPP, by Sept 2024 for Q1 report.",
     "HoBPPP, complete. CKPI performance has been reported to CMC quarterly since Sept 2024."),
    ("actions", "SD004", 0, [act(["HoBPPP"], "complete. CKPI performance has been reported to CMC quarterly since Sept 2024", "complete")]),

    # ---- 7. Partnerships and Community Engagement
    # PCE003: HoMPR joins SLT as owner.
    ("para", "PCE003", 0, "owner_timeline", 0, "SLT", "SLT, HoMPR"),
    ("actions", "PCE003", 0, [act(["SLT", "HoMPR"], "", "none")]),

    # PCE007: an update note.
    ("append", "PCE007", 0, "recommendation",
     "Update: 20/06/25 - pilot engagement process launched in March 2025; evaluation under way."),
]


# --------------------------------------------------------------------------- applying them

def _rows(source: dict) -> dict[str, dict]:
    return {r["element_id"]: r for t in source["themes"] for r in t["rows"]}


def _check(what: str, got, want) -> None:
    if got != want:
        raise SystemExit(f"edit {what}: expected {want!r}, found {got!r}")


def apply(source: dict, edits: list[tuple]) -> dict:
    out = copy.deepcopy(source)
    rows = _rows(out)
    themes = {t["theme_no"]: t for t in out["themes"]}
    for e in edits:
        kind = e[0]
        if kind == "title":
            _, old, new = e
            _check("title", out["title"], old)
            out["title"] = new
        elif kind == "intro":
            _, no, i, old, new = e
            _check(f"intro {no}/{i}", themes[no]["intro"][i], old)
            themes[no]["intro"][i] = new
        elif kind == "score":
            _, eid, old, new = e
            _check(f"score {eid}", rows[eid]["score"], old)
            rows[eid]["score"] = new
        elif kind == "para":
            _, eid, b, col, i, old, new = e
            _check(f"{eid} band {b} {col} {i}", rows[eid]["bands"][b][col][i], old)
            rows[eid]["bands"][b][col][i] = new
        elif kind == "append":
            _, eid, b, col, text = e
            rows[eid]["bands"][b][col].append(text)
        elif kind == "actions":
            _, eid, b, actions = e
            _check(f"{eid} band {b} action count", len(rows[eid]["bands"][b]["actions"]), len(actions))
            rows[eid]["bands"][b]["actions"] = copy.deepcopy(actions)
        elif kind == "insert_band":
            _, eid, at, band = e
            _check(f"{eid} insert at {at}", at <= len(rows[eid]["bands"]), True)
            rows[eid]["bands"].insert(at, copy.deepcopy(band))
        elif kind == "remove_para":
            _, eid, b, col, i, old = e
            _check(f"{eid} band {b} {col} {i}", rows[eid]["bands"][b][col][i], old)
            del rows[eid]["bands"][b][col][i]
        elif kind == "remove_band":
            _, eid, at, first = e
            band = rows[eid]["bands"][at]
            _check(f"{eid} remove band {at}",
                   (band["opportunity"] or band["recommendation"] or band["owner_timeline"])[0], first)
            del rows[eid]["bands"][at]
        else:
            raise SystemExit(f"unknown edit kind {kind!r}")
    return out


def main(argv: list[str]) -> int:
    source = json.loads(SOURCE_2024.read_text(encoding="utf-8"))
    text = json.dumps(apply(source, EDITS), indent=2, ensure_ascii=False) + "\n"
    if "--check" in argv:
        current = OUT.read_text(encoding="utf-8") if OUT.exists() else ""
        if current != text:
            print(f"{OUT} is stale: rerun {Path(__file__).name}")
            return 1
        return 0
    OUT.write_text(text, encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
