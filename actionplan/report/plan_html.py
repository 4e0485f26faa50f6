"""``report.html`` of an extract run: for checking the run against the PDF and for reading.

Sections: the heatmap as the plan draws it, with its key; scores per theme; every
characteristic with its actions (owners by name, timelines as dates, kind, status); the
overdue actions when ``--as-of`` was given; and for audit the run's checks, repairs and
issues with their pages. Read from the validated tables only, never the PDF, and nothing in
it depends on the day it was made.
"""

from __future__ import annotations

from datetime import date

from actionplan.overdue import is_overdue
from actionplan.report.html import (
    Markup, badge, day, esc, heatmap, page, paragraphs, score_chart, score_colours, score_key, table,
)
from actionplan.report.source import PlanTables
from actionplan.schema.records import Action, Characteristic

UNDATED_STATUS = {
    "ongoing": "ongoing", "recurring": "recurring", "event": "when an event happens",
    "none": "no timeline given", "complete": "complete",
}


def render_plan_report(plan: PlanTables) -> str:
    colours = score_colours(plan.manifest)
    as_of = _as_of(plan)
    title = f"Action plan {plan.label}"
    body = [
        f"<h1>{esc(title)}</h1>",
        _meta(plan, as_of),
        _nav(plan, as_of),
        _summary(plan, as_of),
        '<h2 id="heatmap">Heatmap</h2>',
        heatmap(plan.heatmap, plan.theme_names, colours),
        "<h3>Key</h3>", score_key(plan.manifest, colours),
        '<h2 id="scores">Scores per theme</h2>',
        score_chart(plan.heatmap, plan.theme_names, colours),
    ]
    if as_of is not None:
        body.append(overdue_section(plan.overdue, as_of))
    body.append('<h2 id="plan">Characteristics and actions</h2>')
    body += [_theme_section(plan, theme.theme_no, colours, as_of) for theme in plan.themes]
    body.append(_audit(plan))
    return page(title, "\n".join(body))


def _as_of(plan: PlanTables) -> date | None:
    text = plan.manifest.get("as_of")
    return date.fromisoformat(text) if text else None


def _meta(plan: PlanTables, as_of: date | None) -> str:
    source = plan.manifest.get("source") or {}
    parts = [f"Revision <b>{esc(plan.label)}</b>", f"from {esc(source.get('path', ''))}",
             f"{source.get('pages', '?')} pages"]
    if as_of is not None:
        parts.append(f"status as of <b>{esc(day(as_of))}</b>")
    return f'<p class="meta">{", ".join(parts)}.</p>'


def _nav(plan: PlanTables, as_of: date | None) -> str:
    links = [("heatmap", "Heatmap"), ("scores", "Scores"), ("plan", "Characteristics and actions")]
    if as_of is not None:
        links.insert(2, ("overdue", "Overdue"))
    links.append(("audit", "Checks, repairs, issues"))
    items = "".join(f'<li><a href="#{anchor}">{esc(text)}</a></li>' for anchor, text in links)
    return f'<nav aria-label="Contents"><ul>{items}</ul></nav>'


def _summary(plan: PlanTables, as_of: date | None) -> str:
    counts = [(len(plan.characteristics), "characteristics"), (len(plan.actions), "actions"),
              (len(plan.repairs), "repairs"), (len(plan.issues), "issues")]
    if as_of is not None:
        counts.append((len(plan.overdue), f"overdue on {day(as_of)}"))
    items = "".join(f"<li><b>{n}</b> {esc(what)}</li>" for n, what in counts)
    status = esc(plan.manifest.get("status", ""))
    return f'<ul class="summary">{items}<li>status <b>{status}</b></li></ul>'


# ------------------------------------------------------------------ the plan


def _theme_section(plan: PlanTables, theme_no: int, colours, as_of: date | None) -> str:
    theme = next(t for t in plan.themes if t.theme_no == theme_no)
    characteristics = [c for c in plan.characteristics if c.theme_no == theme_no]
    intro = (f"<details><summary>Theme introduction</summary>"
             f'<div class="intro">{paragraphs(theme.intro)}</div></details>') if theme.intro.strip() else ""
    cards = "".join(_characteristic(c, plan.actions_of(c.element_id), colours, as_of) for c in characteristics)
    return (f'<section class="theme" id="theme-{theme_no}"><h2>{theme_no}. {esc(theme.name)}</h2>'
            f"{intro}{cards}</section>")


def _characteristic(c: Characteristic, actions: tuple[Action, ...], colours, as_of: date | None) -> str:
    notes = "".join(f"<li>{esc(n)}</li>" for n in c.notes)
    see_also = (f'<p class="muted">See also: {", ".join(f"<a href=#{esc(e)}>{esc(e)}</a>" for e in c.see_also)}</p>'
                if c.see_also else "")
    pages = ", ".join(str(p) for p in c.pages)
    items = "".join(_action(a, as_of) for a in actions)
    return (
        f'<article class="char" id="{esc(c.element_id)}" data-element-id="{esc(c.element_id)}">'
        f"<header><h3>{esc(c.element_id)}</h3>{badge(c.score, colours)}"
        f'<span class="muted">page{"s" if len(c.pages) > 1 else ""} {pages}</span></header>'
        f"{paragraphs(c.description)}"
        f'{f"<ul class=notes>{notes}</ul>" if notes else ""}{see_also}'
        f'<ol class="actions">{items}</ol></article>'
    )


def _action(a: Action, as_of: date | None) -> str:
    rows = [("Opportunity", paragraphs(a.opportunity)), ("Recommendation", paragraphs(a.recommendation)),
            ("Owners", esc(owner_list(a)) or '<span class="muted">none named</span>'),
            ("Timeline", esc(timeline_text(a))), ("Kind", esc(a.timeline_kind)),
            ("Status", status_html(a, as_of))]
    items = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return f'<li class="action" value="{a.action_no}" data-action-no="{a.action_no}"><dl>{items}</dl></li>'


def owner_list(a: Action) -> str:
    """Names as the glossary expands them, each with the code the plan printed."""
    named = []
    for code, name in zip(a.owners, a.owner_names):
        named.append(name if name == code else f"{name} ({code})")
    return "; ".join(named)


def timeline_text(a: Action) -> str:
    if a.timeline_start and a.timeline_end:
        span = day(a.timeline_end) if a.timeline_start == a.timeline_end else \
            f"{day(a.timeline_start)} – {day(a.timeline_end)}"
        text = f"{a.timeline}: {span}" if a.timeline else span
    else:
        text = a.timeline or "—"
    return text + (" (reading uncertain)" if a.timeline_ambiguous else "")


def status_html(a: Action, as_of: date | None) -> str:
    if a.timeline_kind in UNDATED_STATUS:
        css = "complete" if a.timeline_kind == "complete" else "open"
        return f'<span class="status {css}">{esc(UNDATED_STATUS[a.timeline_kind])}</span>'
    if as_of is None:
        return f'<span class="status open">due by {esc(day(a.timeline_end))}</span>'
    if is_overdue(a, as_of):
        days = (as_of - a.timeline_end).days
        return f'<span class="status overdue">overdue by {days} day{"s" if days != 1 else ""}</span>'
    return f'<span class="status open">due by {esc(day(a.timeline_end))}</span>'


# ------------------------------------------------------------------ overdue and audit


def overdue_section(overdue, as_of: date) -> str:
    head = f'<h2 id="overdue">Overdue on {esc(day(as_of))}</h2>'
    if not overdue:
        return head + "<p>No action's timeline ended before that date without being complete.</p>"
    rows = [(Markup(f'<a href="#{esc(o.element_id)}">{esc(o.element_id)}</a>'), o.action_no,
             "; ".join(o.owner_names) or "; ".join(o.owners), o.timeline, day(o.timeline_end), o.days_overdue)
            for o in overdue]
    return (head + f"<p>{len(overdue)} action{'s' if len(overdue) != 1 else ''} ended before "
            f"{esc(day(as_of))} and {'are' if len(overdue) != 1 else 'is'} not marked complete.</p>"
            + table(("element", "action", "owners", "timeline", "ended", "days overdue"), rows,
                    numeric=("action", "days overdue")))


def _audit(plan: PlanTables) -> str:
    m = plan.manifest
    ledger = m.get("conservation") or {}
    source = m.get("source") or {}
    extractor = m.get("extractor") or {}
    checks = [
        ("status", m.get("status")),
        ("source", f"{source.get('path')} ({source.get('pages')} pages)"),
        ("sha256", source.get("sha256")),
        ("extractor", f"{extractor.get('backend')}, config: {extractor.get('config')}"),
        ("schema / package", f"{m.get('schema_version')} / {m.get('package_version')}"),
        ("characters read", ledger.get("characters_read")),
        ("in output fields", ledger.get("in_output_fields")),
        ("removed by repairs", ledger.get("removed_by_repairs")),
        ("counted drops", ", ".join(f"{k} {v}" for k, v in (ledger.get("counted_drops") or {}).items())),
        ("unaccounted characters", ledger.get("unaccounted")),
        ("header rows / furniture lines dropped",
         f"{(m.get('drops') or {}).get('header_rows')} / {(m.get('drops') or {}).get('page_furniture_lines')}"),
    ]
    repairs = [(r.element_id, r.action_no, r.page, r.field, r.before, r.after, r.rule) for r in plan.repairs]
    issues = [(i.element_id, i.action_no, i.page, i.field, i.message) for i in plan.issues]
    return (
        '<h2 id="audit">Checks, repairs and issues</h2>'
        + table(("check", "value"), checks)
        + f"<h3>Repairs ({len(repairs)})</h3>"
        + (table(("element", "action", "page", "field", "before", "after", "rule"), repairs,
                 numeric=("action", "page")) if repairs else "<p>None.</p>")
        + f"<h3>Issues ({len(issues)})</h3>"
        + (table(("element", "action", "page", "field", "message"), issues, numeric=("action", "page"))
           if issues else "<p>None.</p>")
    )
