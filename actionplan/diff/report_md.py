"""``report.md`` of a diff: counts, moved scores, word-level diffs, the overdue list."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from datetime import date

from actionplan.diff.compare import CHANGE_KINDS, Change
from actionplan.diff.read import Revision
from actionplan.diff.text import comparable, one_line, plural
from actionplan.output import LIST_SEPARATOR
from actionplan.schema.records import Action
from actionplan.wordiff import escape_markdown, markdown_diff

# Unchanged words shown around each change of a long text (theme intros) in report.md.
REPORT_CONTEXT_WORDS = 12


def summary_lines(old: Revision, new: Revision, changes: Sequence[Change]) -> list[str]:
    if not changes:
        return [f"{old.label} → {new.label}: no changes."]
    counts = Counter(c.change for c in changes)
    by_kind = ", ".join(f"{counts[k]} {k}" for k in CHANGE_KINDS if counts[k])
    return [f"{old.label} → {new.label}: {plural(len(changes), 'change')} ({by_kind})."]


def render_report(old: Revision, new: Revision, changes: Sequence[Change], as_of: date | None) -> str:
    lines = [f"# Changes from {escape_markdown(old.label)} to {escape_markdown(new.label)}", "",
             "## Summary", ""]
    lines += summary_lines(old, new, changes)
    lines += _counts_table(old, new, changes)
    lines += _heatmap_table(changes)
    lines += _characteristic_section(changes)
    lines += _action_section(old, new, changes)
    if as_of is not None:
        lines += _overdue_section(new, as_of)
    return "\n".join(lines).rstrip() + "\n"


def _theme_name(old: Revision, new: Revision, theme_no: int | None) -> str:
    theme = new.themes.get(theme_no) or old.themes.get(theme_no)
    return f"{theme_no}. {theme.name}" if theme else "(no theme)"


def _counts_table(old: Revision, new: Revision, changes: Sequence[Change]) -> list[str]:
    if not changes:
        return []
    kinds = [k for k in CHANGE_KINDS if any(c.change == k for c in changes)]
    themes = list(dict.fromkeys(c.theme_no for c in changes))
    lines = ["", "## Changes by kind and theme", "",
             "| theme | " + " | ".join(kinds) + " | total |",
             "|---|" + "---:|" * (len(kinds) + 1)]
    for theme in themes:
        counts = Counter(c.change for c in changes if c.theme_no == theme)
        cells = [str(counts[k]) if counts[k] else "" for k in kinds]
        lines.append(f"| {escape_markdown(_theme_name(old, new, theme))} | " + " | ".join(cells)
                     + f" | {sum(counts.values())} |")
    totals = Counter(c.change for c in changes)
    lines.append("| **total** | " + " | ".join(str(totals[k]) for k in kinds) + f" | {len(changes)} |")
    return lines


def _heatmap_table(changes: Sequence[Change]) -> list[str]:
    moved = [c for c in changes if c.change == "score_changed"]
    if not moved:
        return []
    lines = ["", "## Heatmap: scores that moved", "", "| element | before | after | move |", "|---|---|---|---|"]
    lines += [f"| {c.element_id} | {c.before or '—'} | {c.after or '—'} | {escape_markdown(c.detail or '')} |"
              for c in moved]
    return lines


def _characteristic_section(changes: Sequence[Change]) -> list[str]:
    kinds = ("theme_intro_changed", "characteristic_moved", "characteristic_added",
             "characteristic_removed", "description_changed")
    rows = [c for c in changes if c.change in kinds]
    if not rows:
        return []
    lines = ["", "## Themes and characteristics", ""]
    for c in rows:
        if c.change in ("theme_intro_changed", "description_changed"):
            context = REPORT_CONTEXT_WORDS if c.change == "theme_intro_changed" else None
            text = markdown_diff(comparable(c.before), comparable(c.after), context)
            lines.append(f"- **{c.element_id}** {c.change}: {text}")
        elif c.change == "characteristic_moved":
            lines.append(f"- **{c.element_id}** moved: {escape_markdown(c.detail or '')}")
        else:
            text = c.after if c.change == "characteristic_added" else c.before
            lines.append(f"- **{c.element_id}** {c.change.split('_')[1]} ({c.detail}): {escape_markdown(one_line(text or ''))}")
    return lines


def _action_section(old: Revision, new: Revision, changes: Sequence[Change]) -> list[str]:
    rows = [c for c in changes if c.change.startswith("action_")]
    if not rows:
        return []
    lines = ["", "## Actions", ""]
    groups: dict[tuple, list[Change]] = {}
    for c in rows:
        groups.setdefault((c.element_id, c.action_no_old, c.action_no_new, c.change), []).append(c)
    for (element_id, no_old, no_new, kind), group in groups.items():
        lines.append(f"### {element_id} {_action_label(no_old, no_new)}: {kind.split('_')[1]}")
        lines.append("")
        if kind == "action_added":
            lines += _action_texts(_find_action(new, element_id, no_new), "**added**")
        elif kind == "action_removed":
            lines += _action_texts(_find_action(old, element_id, no_old), "**removed**")
        else:
            lines += [_action_line(c) for c in group]
        lines.append("")
    return lines


def _action_label(no_old: int | None, no_new: int | None) -> str:
    if no_old is not None and no_new is not None and no_old != no_new:
        return f"action {no_old} (now {no_new})"
    return f"action {no_new if no_new is not None else no_old}"


def _find_action(revision: Revision, element_id: str, action_no: int | None) -> Action | None:
    return next((a for a in revision.actions.get(element_id, ()) if a.action_no == action_no), None)


def _action_texts(action: Action | None, label: str) -> list[str]:
    if action is None:
        return [f"- {label}"]
    texts = (("opportunity", action.opportunity), ("recommendation", action.recommendation),
             ("owner/timeline", action.owner_timeline))
    return [f"- {label}"] + [f"  - {name}: {escape_markdown(one_line(text))}" for name, text in texts if text]


def _action_line(c: Change) -> str:
    if c.field in ("opportunity", "recommendation"):
        return f"- {c.field}: {markdown_diff(comparable(c.before), comparable(c.after))}"
    return (f"- {c.field}: {escape_markdown(c.before or '—')} → {escape_markdown(c.after or '—')}"
            f" ({escape_markdown(c.detail or '')})")


def _overdue_section(new: Revision, as_of: date) -> list[str]:
    overdue = new.overdue(as_of)
    lines = ["", f"## Overdue on {as_of.isoformat()} in {escape_markdown(new.label)}", ""]
    if not overdue:
        return lines + ["No action's timeline ended before that date without being complete."]
    lines += [f"{plural(len(overdue), 'action')} ended before {as_of.isoformat()} and are not marked complete.",
              "", "| element | action | owners | timeline | ended | days overdue |",
              "|---|---:|---|---|---|---:|"]
    lines += [
        f"| {a.element_id} | {a.action_no} | {escape_markdown(LIST_SEPARATOR.join(a.owners))} | "
        f"{escape_markdown(a.timeline)} | {a.timeline_end.isoformat()} | {a.days_overdue} |"
        for a in overdue
    ]
    return lines

