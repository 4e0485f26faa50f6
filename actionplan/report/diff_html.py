"""``report.html`` of a diff: what moved between two revisions, for committees and auditors.

The two heatmaps side by side with moved cells outlined and the direction printed; slipped
and brought-forward timelines as a chart; each changed action with a word-level diff;
added, removed and completed actions; characteristic and theme changes; the overdue list
when ``--as-of`` was given. Read from the revisions' validated tables and the changes rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from actionplan.diff.compare import CHANGE_KINDS, SCORE_SCALE, Change, score_scale
from actionplan.diff.read import Revision
from actionplan.diff.text import comparable
from actionplan.report.html import (
    CellMark, Markup, badge, day, esc, heatmap, page, score_colours, score_key, table,
)
from actionplan.report.plan_html import overdue_section
from actionplan.schema.records import HeatmapEntry
from actionplan.wordiff import html_diff

ARROWS = {"up": "▲", "down": "▼", "changed": "◆"}


def render_diff_report(old: Revision, new: Revision, changes: Sequence[Change], as_of: date | None) -> str:
    colours = score_colours(new.manifest)
    title = f"Changes from {old.label} to {new.label}"
    body = [f"<h1>{esc(title)}</h1>", _meta(old, new, as_of), _nav(as_of), _summary(changes),
            _heatmaps(old, new, changes, colours), _timeline_chart(changes),
            _changed_actions(changes), _added_removed_completed(old, new, changes),
            _characteristic_changes(changes)]
    if as_of is not None:
        body.append(overdue_section(new.overdue(as_of), as_of))
    return page(title, "\n".join(body))


def _meta(old: Revision, new: Revision, as_of: date | None) -> str:
    text = f"Old: <b>{esc(old.label)}</b>, new: <b>{esc(new.label)}</b>"
    if as_of is not None:
        text += f"; overdue as of <b>{esc(day(as_of))}</b>"
    return f'<p class="meta">{text}.</p>'


def _nav(as_of: date | None) -> str:
    links = [("heatmaps", "Heatmaps"), ("timelines", "Timelines moved"), ("changed", "Changed actions"),
             ("added", "Added, removed, completed"), ("characteristics", "Characteristics and themes")]
    if as_of is not None:
        links.append(("overdue", "Overdue"))
    items = "".join(f'<li><a href="#{a}">{esc(t)}</a></li>' for a, t in links)
    return f'<nav aria-label="Contents"><ul>{items}</ul></nav>'


def _summary(changes: Sequence[Change]) -> str:
    if not changes:
        return '<ul class="summary"><li><b>0</b> changes</li></ul>'
    counts = Counter(c.change for c in changes)
    items = "".join(f"<li><b>{counts[k]}</b> {esc(k.replace('_', ' '))}</li>" for k in CHANGE_KINDS if counts[k])
    return f'<ul class="summary"><li><b>{len(changes)}</b> changes</li>{items}</ul>'


# ------------------------------------------------------------------ heatmaps


def heatmap_of(revision: Revision) -> tuple[HeatmapEntry, ...]:
    """The revision's heatmap; a folder without one gets its characteristics in order."""
    if revision.heatmap:
        return revision.heatmap
    positions: Counter = Counter()
    entries = []
    for c in revision.characteristics.values():
        positions[c.theme_no] += 1
        entries.append(HeatmapEntry(revision.label, c.theme_no or 0, positions[c.theme_no], c.element_id,
                                    c.element_id, c.score))
    return tuple(entries)


def score_marks(changes: Sequence[Change], scale: Sequence[str] = SCORE_SCALE) -> dict[str, CellMark]:
    """element id -> how its score moved, printed in the cell (▲ up 2, ▼ down 1, ◆ to GREY)."""
    marks = {}
    for c in changes:
        if c.change != "score_changed":
            continue
        if c.before in scale and c.after in scale:
            direction = "up" if scale.index(c.after) > scale.index(c.before) else "down"
        else:
            direction = "changed"
        marks[c.element_id] = CellMark(direction, f"{ARROWS[direction]} {c.detail}")
    return marks


def _heatmaps(old: Revision, new: Revision, changes: Sequence[Change], colours) -> str:
    marks = score_marks(changes, score_scale(new.manifest))
    names = {n: t.name for n, t in {**old.themes, **new.themes}.items()}
    old_colours = score_colours(old.manifest)
    moved = [(c.element_id, Markup(badge(c.before, old_colours)), Markup(badge(c.after, colours)),
              f"{marks[c.element_id].text}") for c in changes if c.change == "score_changed"]
    moved_table = (table(("element", "before", "after", "move"), moved) if moved
                   else "<p>No score moved.</p>")
    return (
        '<h2 id="heatmaps">Heatmaps</h2><div class="pair">'
        f'<section data-side="old"><h3>{esc(old.label)} (old)</h3>'
        f'{heatmap(heatmap_of(old), names, old_colours, marks, f"Heatmap {old.label}", compact=True)}</section>'
        f'<section data-side="new"><h3>{esc(new.label)} (new)</h3>'
        f'{heatmap(heatmap_of(new), names, colours, marks, f"Heatmap {new.label}", compact=True)}</section>'
        f"</div><h3>Scores that moved</h3>{moved_table}<h3>Key</h3>{score_key(new.manifest, colours)}"
    )


# ------------------------------------------------------------------ timelines


def _timeline_chart(changes: Sequence[Change]) -> str:
    moved = [c for c in changes if c.field == "timeline" and c.days_moved]
    head = '<h2 id="timelines">Timelines moved</h2>'
    if not moved:
        return head + "<p>No timeline's end date moved.</p>"
    longest = max(abs(c.days_moved) for c in moved)
    slipped = sum(1 for c in moved if c.days_moved > 0)
    items = []
    for c in moved:
        width = 100 * abs(c.days_moved) / longest
        label = f"{c.element_id} action {c.action_no_new}"
        words = (f"slipped {c.days_moved} days" if c.days_moved > 0
                 else f"brought forward {-c.days_moved} days")
        bar = f'<span class="bar {"slipped" if c.days_moved > 0 else "forward"}" style="width:{width:.1f}%"></span>'
        left = f'<span class="left">{bar if c.days_moved < 0 else ""}</span>'
        right = f'<span class="right">{bar if c.days_moved > 0 else ""}</span>'
        items.append(f'<li data-element-id="{esc(c.element_id)}" data-days-moved="{c.days_moved}">'
                     f'<span class="label">{esc(label)}: <span class="days">{esc(words)}</span></span>'
                     f"{left}{right}</li>")
    return (head + f"<p>{slipped} slipped, {len(moved) - slipped} brought forward (end date, "
            f"in days; longest {longest}). Left of the line: brought forward; right: slipped.</p>"
            f'<ul class="bars">{"".join(items)}</ul>')


# ------------------------------------------------------------------ actions


def _changed_actions(changes: Sequence[Change]) -> str:
    groups: dict[tuple, list[Change]] = {}
    for c in changes:
        if c.change == "action_changed":
            groups.setdefault((c.element_id, c.action_no_old, c.action_no_new), []).append(c)
    head = '<h2 id="changed">Changed actions</h2>'
    if not groups:
        return head + "<p>No action changed.</p>"
    articles = []
    for (element_id, no_old, no_new), rows in groups.items():
        number = f"action {no_old} (now {no_new})" if no_old != no_new else f"action {no_new}"
        fields = "".join(f"<dt>{esc(c.field)}</dt><dd>{_field_change(c)}</dd>" for c in rows)
        articles.append(f'<article class="char action" data-element-id="{esc(element_id)}">'
                        f"<h3>{esc(element_id)} {esc(number)}</h3><dl>{fields}</dl></article>")
    return head + "".join(articles)


def _field_change(c: Change) -> str:
    if c.field in ("opportunity", "recommendation"):
        return html_diff(comparable(c.before), comparable(c.after))
    ends = ""
    if c.field == "timeline" and (c.timeline_end_old or c.timeline_end_new):
        ends = f" (end {esc(day(c.timeline_end_old) or '—')} → {esc(day(c.timeline_end_new) or '—')})"
    return f"<del>{esc(c.before or '—')}</del> → <ins>{esc(c.after or '—')}</ins>{ends}: {esc(c.detail)}"


def _added_removed_completed(old: Revision, new: Revision, changes: Sequence[Change]) -> str:
    def listing(kind: str, revision: Revision, number_of) -> str:
        rows = [c for c in changes if c.change == kind]
        if not rows:
            return "<p>None.</p>"
        found = {(a.element_id, a.action_no): a for a in revision.all_actions()}
        items = []
        for c in rows:
            action = found.get((c.element_id, number_of(c)))
            text = (f"<b>{esc(action.opportunity)}</b> {esc(action.recommendation)} "
                    f'<span class="muted">{esc(action.owner_timeline)}</span>') if action else esc(c.before or c.after)
            items.append(f'<li data-element-id="{esc(c.element_id)}"><b>{esc(c.element_id)} action '
                         f"{number_of(c)}</b>: {text}</li>")
        return f"<ul>{''.join(items)}</ul>"

    completed = [c for c in changes if c.field == "timeline" and c.detail == "marked complete"]
    done = "".join(f'<li data-element-id="{esc(c.element_id)}"><b>{esc(c.element_id)} action {c.action_no_new}</b>: '
                   f"{esc(c.before)} → {esc(c.after)}</li>" for c in completed)
    return ('<h2 id="added">Added, removed and completed actions</h2>'
            f"<h3>Added ({sum(c.change == 'action_added' for c in changes)})</h3>"
            + listing("action_added", new, lambda c: c.action_no_new)
            + f"<h3>Removed ({sum(c.change == 'action_removed' for c in changes)})</h3>"
            + listing("action_removed", old, lambda c: c.action_no_old)
            + f"<h3>Marked complete ({len(completed)})</h3>" + (f"<ul>{done}</ul>" if done else "<p>None.</p>"))


def _characteristic_changes(changes: Sequence[Change]) -> str:
    kinds = ("theme_intro_changed", "characteristic_moved", "characteristic_added",
             "characteristic_removed", "description_changed")
    rows = [c for c in changes if c.change in kinds]
    head = '<h2 id="characteristics">Characteristics and themes</h2>'
    if not rows:
        return head + "<p>No characteristic or theme text changed.</p>"
    items = []
    for c in rows:
        if c.change in ("theme_intro_changed", "description_changed"):
            text = html_diff(comparable(c.before), comparable(c.after))
        elif c.change == "characteristic_moved":
            text = esc(c.detail)
        else:
            text = f"{esc(c.detail)}: {esc(comparable(c.after or c.before))}"
        items.append(f'<li data-element-id="{esc(c.element_id)}"><b>{esc(c.element_id)}</b> '
                     f"{esc(c.change.replace('_', ' '))}: {text}</li>")
    return head + f"<ul>{''.join(items)}</ul>"
