"""The other documents of a committee reports pack, bound before and after the plan.

A plan is often published inside an agenda pack: the officer's covering report comes
first (title, prose, a small summary table), the plan is its Appendix A, and another
appendix follows -- here an extract of a corporate risk register, a table with its own
header row, its own columns, shaded RAG ratings, officer codes, target dates and ids
(R01, R02 ...) that look like the plan's own (R001 ...).  None of it is plan content:
the pipeline must skip these pages and report them.

The wording is written for these samples (it is not any council's report); the score
counts in the covering report's table are counted from the plan's source, as an officer
would count them.  Both documents are rendered with WeasyPrint (``render_pack_parts``).
"""
from __future__ import annotations

import html
import os
from collections import Counter
from pathlib import Path

try:
    from .variants import PALETTES
except ImportError:  # run as a script
    from variants import PALETTES  # type: ignore[no-redef]

COVER_CSS = """
@page { size: A4 portrait; margin: 2cm 2cm 2.2cm 2cm;
  @bottom-right { content: counter(page); font-family: "Liberation Sans", sans-serif; font-size: 9pt; } }
html { font-family: "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.35; }
h1 { font-size: 15pt; margin: 0 0 4pt 0; }
p.meta { margin: 0 0 2pt 0; }
h2 { font-size: 12pt; margin: 14pt 0 4pt 0; }
p { margin: 0 0 7pt 0; }
table { border-collapse: collapse; margin: 6pt 0 10pt 0; }
td, th { border: 0.5pt solid #000; padding: 3pt 8pt; text-align: left; }
"""

RISK_CSS = """
@page { size: A4 landscape; margin: 1.5cm;
  @bottom-center { content: "Appendix B - page " counter(page); font-family: "DejaVu Sans", sans-serif; font-size: 8pt; } }
html { font-family: "DejaVu Sans", sans-serif; font-size: 8.5pt; line-height: 1.25; }
h1 { font-size: 13pt; margin: 0 0 8pt 0; }
p { margin: 0 0 6pt 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; }
th, td { border: 0.5pt solid #444; padding: 3pt 4pt; vertical-align: top; text-align: left; }
th { background: #D9E2F3; font-weight: bold; }
td p + p { margin-top: 4pt; }
"""

COVER_PARAGRAPHS = {
    "1. Purpose of the report": [
        "This report presents the Council's self-assessment against the statutory Best Value "
        "Duty guidance and the action plan that arises from it (Appendix A), together with an "
        "extract of the corporate risk register showing the risks that the action plan "
        "mitigates (Appendix B).",
    ],
    "2. Background": [
        "The statutory guidance describes the characteristics of a well-functioning authority "
        "under seven themes: continuous improvement, leadership, governance, culture, use of "
        "resources, service delivery, and partnerships and community engagement. Officers "
        "assessed the Council against each characteristic and gave it a score, from dark "
        "green (strong evidence) to red (no evidence), or grey where the matter is not in "
        "officers' control.",
        "The scores were moderated by an independent reviewer before the heatmap at the "
        "start of Appendix A was produced.",
    ],
    "3. Summary of the self-assessment": [
        "The table below counts the characteristics by the score they were given.",
    ],
    "4. Recommendations": [
        "The Committee is asked to note the self-assessment and to endorse the action plan "
        "at Appendix A, and to receive a progress update at its meeting in the spring.",
    ],
    "5. Financial and legal implications": [
        "There are no direct financial implications arising from this report. Actions that "
        "need resources will be brought forward through the service area plans. The Council "
        "has a statutory duty to make arrangements to secure continuous improvement.",
    ],
}


def _esc(text: str) -> str:
    return html.escape(text, quote=False)


def cover_report_html(source: dict) -> str:
    counts = Counter(r.get("score") or "Not scored" for t in source["themes"] for r in t["rows"])
    order = [s for s in PALETTES["office"] if s in counts] + (["Not scored"] if "Not scored" in counts else [])
    red = [r["element_id"] for t in source["themes"] for r in t["rows"] if r.get("score") == "RED"]
    out = ["<h1>Best Value Duty: self-assessment and action plan</h1>",
           "<p class='meta'>Report to: Standards and Audit Committee</p>",
           "<p class='meta'>Date of meeting: 25 July 2024</p>",
           "<p class='meta'>Report author: Corporate Head of Business Planning, Projects and Performance</p>",
           "<p class='meta'>Appendices: A - Action plan; B - Corporate risk register (extract)</p>"]
    for heading, paras in COVER_PARAGRAPHS.items():
        out.append(f"<h2>{_esc(heading)}</h2>")
        out.extend(f"<p>{_esc(p)}</p>" for p in paras)
        if heading.startswith("3."):
            out.append("<table><tr><th>Score</th><th>Characteristics</th></tr>")
            out.extend(f"<tr><td>{_esc(s.title())}</td><td>{counts[s]}</td></tr>" for s in order)
            out.append("</table>")
            if red:
                out.append(f"<p>Characteristics scored red (for example {_esc(red[0])}) have "
                           "actions with the earliest timelines in Appendix A.</p>")
    return (f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><style>{COVER_CSS}"
            f"</style></head><body>{''.join(out)}</body></html>")


#: The risk register extract: (ref, risk, cause and consequence, owner, score, mitigation, target).
RISKS = [
    ("R01", "Failure to deliver the Best Value action plan",
     "Capacity is stretched across services. The Council could fall short of the statutory "
     "guidance and attract intervention.", "ACE (S151)", "AMBER",
     ["Action plan monitored by CLT every quarter.", "Progress reported to this Committee."],
     "Q3 2024/25"),
    ("R02", "Workforce capacity and skills",
     "Recruitment and retention are difficult in key professions, so projects slip and "
     "knowledge is lost.", "CHoHROD", "RED",
     ["Workforce strategy refreshed.", "Apprenticeship and graduate schemes extended."],
     "Q4 2024/25"),
    ("R03", "Medium term financial sustainability",
     "Funding is uncertain beyond one year while demand and costs rise.", "ACE (S151)", "RED",
     ["Medium Term Financial Strategy updated twice a year.", "Savings programme agreed by Members."],
     "ongoing"),
    ("R04", "Governance of companies and partnerships",
     "The Council's interests in its companies and partnerships may not be protected if "
     "oversight is weak.", "CHoLG", "AMBER",
     ["Shareholder committee terms of reference reviewed.", "Annual company business plans scrutinised."],
     "by end March 2025"),
    ("R05", "Information governance and cyber security",
     "A cyber attack or data breach would disrupt services and could bring fines.", "HoICT",
     "AMBER", ["Cyber security training for all staff.", "Business continuity plans tested."],
     "Q2 2024/25"),
    ("R06", "Performance information is not used to drive improvement",
     "Without reliable data, decisions may not target the areas that need improvement.",
     "HoBPPP", "YELLOW", ["Performance framework and dashboard launched.",
                          "Service area plans include measures and targets."], "Jan 2025"),
    ("R07", "Engagement with residents and partners",
     "Services may not meet local needs if residents and partners are not involved in their "
     "design.", "CHoCS", "YELLOW", ["Citizens' panel pilot.", "Engagement framework adopted."],
     "Q4 2024"),
    ("R08", "Major projects and regeneration",
     "Cost inflation and market conditions put the viability of schemes at risk.", "ACE (Place)",
     "AMBER", ["Gateway reviews at each project stage.", "Independent cost assurance."],
     "2024/25"),
]

RISK_HEADER = ("Ref", "Risk", "Cause and consequence", "Risk owner", "Current score",
               "Mitigating actions", "Target date")
RISK_WIDTHS = (6, 17, 25, 11, 10, 21, 10)


def risk_register_html() -> str:
    fills = PALETTES["office"]
    cols = "".join(f"<col style='width: {w}%'>" for w in RISK_WIDTHS)
    head = "".join(f"<th>{_esc(h)}</th>" for h in RISK_HEADER)
    rows = []
    for ref, risk, cause, owner, score, actions, target in RISKS:
        mitigation = "".join(f"<p>{_esc(a)}</p>" for a in actions)
        rows.append(f"<tr><td>{ref}</td><td>{_esc(risk)}</td><td>{_esc(cause)}</td>"
                    f"<td>{_esc(owner)}</td><td style='background-color: #{fills[score]}'><b>{score}</b></td>"
                    f"<td>{mitigation}</td><td>{_esc(target)}</td></tr>")
    body = ("<h1>Appendix B: Corporate Risk Register (extract)</h1>"
            "<p>Risks that the Best Value action plan helps to mitigate, as reviewed by the "
            "Corporate Leadership Team in June 2024.</p>"
            f"<table><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead>"
            f"<tbody>{''.join(rows)}</tbody></table>")
    return (f"<!DOCTYPE html><html lang='en-GB'><head><meta charset='utf-8'><style>{RISK_CSS}"
            f"</style></head><body>{body}</body></html>")


def _write(html_text: str, pdf_path: Path) -> Path:
    from weasyprint import HTML
    os.environ.setdefault("SOURCE_DATE_EPOCH", "1727654400")
    doc = HTML(string=html_text).render()
    doc.metadata.created = doc.metadata.modified = "2024-09-30T00:00:00Z"
    doc.metadata.generator = "actionplan samples/build/pack.py (WeasyPrint)"
    doc.write_pdf(pdf_path)
    return pdf_path


def render_pack_parts(source: dict, out_dir: Path) -> dict[str, Path]:
    """``cover.pdf`` (the covering report) and ``risks.pdf`` (Appendix B) in ``out_dir``."""
    out_dir.mkdir(parents=True, exist_ok=True)
    return {"before": _write(cover_report_html(source), out_dir / "cover.pdf"),
            "after": _write(risk_register_html(), out_dir / "risks.pdf")}
