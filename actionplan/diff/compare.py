"""Matched revisions -> the rows of the ``changes`` table, in a stable order."""

from __future__ import annotations

from collections.abc import Sequence
import dataclasses
from dataclasses import dataclass
from datetime import date

from actionplan.diff.match import Move, pair_actions, pair_characteristics
from actionplan.diff.read import Revision
from actionplan.diff.text import action_summary, comparable, one_line, plural, same_content, similarity
from actionplan.output import LIST_SEPARATOR
from actionplan.schema.records import Action, Characteristic
from actionplan.schema.tables import SCORES, ContractValues
from actionplan.wordiff import inline_diff

# Ascending; GREY ("not in officers' control") and no score are off the scale.
SCORE_SCALE = ("RED", "AMBER", "YELLOW", "LIGHT GREEN", "DARK GREEN")
# The order of these tuples is the order of rows within one element.
CHANGE_KINDS = (
    "theme_intro_changed", "characteristic_moved", "characteristic_added",
    "characteristic_removed", "score_changed", "description_changed",
    "action_removed", "action_added", "action_changed",
)
ACTION_FIELDS = ("opportunity", "recommendation", "owners", "timeline", "progress", "status")
FIELD_ORDER = ("intro", "element_id", "score", "description") + ACTION_FIELDS
THEME_ELEMENT_PREFIX = "theme "  # element_id of a theme-level row: "theme 3"


@dataclass(frozen=True)
class Change:
    """One row of the ``changes`` table. Action rows carry both ends' timeline_end;
    ``days_moved`` is set on a timeline change between two dated timelines (+ slipped,
    - brought forward). The revision labels are filled in by ``diff_revisions``."""

    element_id: str
    change: str
    field: str | None = None
    before: str | None = None
    after: str | None = None
    similarity: float | None = None
    detail: str | None = None
    action_no_old: int | None = None
    action_no_new: int | None = None
    theme_no: int | None = None
    days_moved: int | None = None
    timeline_end_old: date | None = None
    timeline_end_new: date | None = None
    revision_old: str | None = None
    revision_new: str | None = None



def diff_revisions(old: Revision, new: Revision) -> tuple[Change, ...]:
    """Every change from OLD to NEW, in the stable order of ``_sort_key_for``."""
    pairs = pair_characteristics(old, new)
    changes: list[Change] = list(theme_changes(old, new))
    changes += [_moved(move, new) for move in pairs.moves]
    changes += [_added(new, eid) for eid in pairs.added]
    changes += [_removed(old, eid) for eid in pairs.removed]
    scale = score_scale(new.manifest)
    for old_id, new_id in pairs.compared:
        changes += characteristic_changes(old.characteristics[old_id], new.characteristics[new_id], scale)
        changes += action_changes(
            old.actions.get(old_id, ()), new.actions.get(new_id, ()), new_id,
            new.characteristics[new_id].theme_no,
        )
    labelled = (dataclasses.replace(c, revision_old=old.label, revision_new=new.label) for c in changes)
    return tuple(sorted(labelled, key=_sort_key_for(old, new)))


def theme_changes(old: Revision, new: Revision):
    for theme_no, theme in new.themes.items():
        before = old.themes.get(theme_no)
        if before is None or same_content(before.intro, theme.intro):
            continue
        yield Change(
            element_id=f"{THEME_ELEMENT_PREFIX}{theme_no}", change="theme_intro_changed", field="intro",
            before=before.intro, after=theme.intro, similarity=round(similarity(before.intro, theme.intro), 4),
            detail=inline_diff(comparable(before.intro), comparable(theme.intro)), theme_no=theme_no,
        )


def _moved(move: Move, new: Revision) -> Change:
    theme = new.theme_of(move.new_id)
    return Change(
        element_id=move.new_id, change="characteristic_moved", field="element_id",
        before=move.old_id, after=move.new_id, similarity=move.similarity,
        detail=f"{move.old_id} → {move.new_id} (matched by {move.reason})", theme_no=theme,
    )


def _added(new: Revision, eid: str) -> Change:
    found = new.characteristics[eid]
    return Change(element_id=eid, change="characteristic_added", field=None, after=found.description,
                  detail=plural(len(new.actions.get(eid, ())), "action"), theme_no=found.theme_no)


def _removed(old: Revision, eid: str) -> Change:
    found = old.characteristics[eid]
    return Change(element_id=eid, change="characteristic_removed", field=None, before=found.description,
                  detail=plural(len(old.actions.get(eid, ())), "action"), theme_no=found.theme_no)


def score_scale(manifest) -> tuple[str, ...]:
    """The steps a score moves on, lowest first: the default words without GREY (not in
    officers' control), or a profile's own words (its manifest's ``contract``), every one."""
    values = ContractValues.from_manifest(dict(manifest or {}))
    return SCORE_SCALE if values.scores == SCORES else values.score_order


def characteristic_changes(old: Characteristic, new: Characteristic,
                           scale: Sequence[str] = SCORE_SCALE) -> list[Change]:
    changes = []
    if old.score != new.score:
        changes.append(Change(
            element_id=new.element_id, change="score_changed", field="score", before=old.score,
            after=new.score, detail=score_detail(old.score, new.score, scale), theme_no=new.theme_no,
        ))
    if not same_content(old.description, new.description):
        changes.append(Change(
            element_id=new.element_id, change="description_changed", field="description",
            before=old.description, after=new.description,
            similarity=round(similarity(old.description, new.description), 4),
            detail=inline_diff(comparable(old.description), comparable(new.description)),
            theme_no=new.theme_no,
        ))
    return changes


def score_detail(before: str | None, after: str | None, scale: Sequence[str] = SCORE_SCALE) -> str:
    """'up 2 steps' / 'down 1 step' on RED < AMBER < YELLOW < LIGHT GREEN < DARK GREEN (or
    a profile's words); a move to or from GREY or no score has no step count."""
    if before in scale and after in scale:
        steps = scale.index(after) - scale.index(before)
        return f"{'up' if steps > 0 else 'down'} {plural(abs(steps), 'step')}"
    if after not in scale:
        return f"to {after or 'no score'}"
    return f"from {before or 'no score'}"


def action_changes(old: Sequence[Action], new: Sequence[Action], element_id: str,
                   theme_no: int | None) -> list[Change]:
    changes: list[Change] = []
    pairs = pair_actions(old, new)
    for before, after, score in pairs:
        changes += changed_fields(before, after, round(score, 4), element_id, theme_no)
    matched_old = {id(a) for a, _, _ in pairs}
    matched_new = {id(b) for _, b, _ in pairs}
    changes += [
        Change(element_id=element_id, change="action_removed", before=action_summary(a),
               detail=_owners_and_timeline(a), action_no_old=a.action_no, theme_no=theme_no,
               timeline_end_old=a.timeline_end)
        for a in old if id(a) not in matched_old
    ]
    changes += [
        Change(element_id=element_id, change="action_added", after=action_summary(b),
               detail=_owners_and_timeline(b), action_no_new=b.action_no, theme_no=theme_no,
               timeline_end_new=b.timeline_end)
        for b in new if id(b) not in matched_new
    ]
    return changes


def changed_fields(old: Action, new: Action, score: float, element_id: str,
                   theme_no: int | None) -> list[Change]:
    """One action_changed row per field that differs in content (position is not content)."""
    rows = []
    for name in ACTION_FIELDS:
        before, after = _field_text(old, name), _field_text(new, name)
        if same_content(before, after):
            continue
        if name == "timeline":
            detail = timeline_detail(old, new)
        elif name == "owners":
            detail = owners_detail(old.owners, new.owners)
        elif name == "status":
            detail = f"status changed {_status_words(old) or 'none'} → {_status_words(new) or 'none'}"
        else:
            detail = inline_diff(comparable(before), comparable(after))
        rows.append(Change(
            element_id=element_id, change="action_changed", field=name, before=before, after=after,
            similarity=score, detail=detail, action_no_old=old.action_no, action_no_new=new.action_no,
            theme_no=theme_no, days_moved=days_moved(old, new) if name == "timeline" else None,
            timeline_end_old=old.timeline_end, timeline_end_new=new.timeline_end,
        ))
    return rows


def _status_words(action: Action) -> str:
    """"on track" from status_kind on_track; the printed status where it has no kind."""
    kind = getattr(action, "status_kind", None)
    return kind.replace("_", " ") if kind else (action.status or "")


def _field_text(action: Action, name: str) -> str:
    value = getattr(action, name, "") or ""  # a folder older than schema 1.2 has no progress/status
    return LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value


def days_moved(old: Action, new: Action) -> int | None:
    """Days timeline_end moved (+ later, - earlier), when both timelines have an end date."""
    if old.timeline_end is None or new.timeline_end is None:
        return None
    return (new.timeline_end - old.timeline_end).days


def timeline_detail(old: Action, new: Action) -> str:
    """Measured on timeline_end: 'slipped 92 days', 'brought forward 30 days', 'marked complete'."""
    if new.timeline_kind == "complete" and old.timeline_kind != "complete":
        return "marked complete"
    if old.timeline_kind == "complete":
        return f"no longer complete ({new.timeline_kind})"
    if old.timeline_end and new.timeline_end:
        days = (new.timeline_end - old.timeline_end).days
        if days > 0:
            return f"slipped {plural(days, 'day')}"
        if days < 0:
            return f"brought forward {plural(-days, 'day')}"
        return "same end date"
    if new.timeline_end:
        return f"now ends {new.timeline_end.isoformat()} (was {old.timeline_kind})"
    if old.timeline_end:
        return f"no end date now ({new.timeline_kind}; was {old.timeline_end.isoformat()})"
    return f"no end date ({old.timeline_kind} → {new.timeline_kind})"


def owners_detail(before: Sequence[str], after: Sequence[str]) -> str:
    added = [o for o in after if o not in before]
    removed = [o for o in before if o not in after]
    parts = ([f"added {LIST_SEPARATOR.join(added)}"] if added else []) + (
        [f"removed {LIST_SEPARATOR.join(removed)}"] if removed else [])
    return ", ".join(parts) or "reordered"


def _owners_and_timeline(action: Action) -> str | None:
    return one_line(action.owner_timeline) or None



def _sort_key_for(old: Revision, new: Revision):
    """Theme order of NEW (then OLD for a theme only OLD has), element id, action numbers
    (element-level rows first), change kind, field."""
    theme_order = list(new.themes) + [t for t in old.themes if t not in new.themes]

    def key(change: Change):
        theme = theme_order.index(change.theme_no) if change.theme_no in theme_order else len(theme_order)
        is_theme_row = change.change == "theme_intro_changed"
        numbers = (change.action_no_new, change.action_no_old)
        has_action = any(n is not None for n in numbers)
        position = next((n for n in numbers if n is not None), 0)  # NEW's number, else OLD's
        field = FIELD_ORDER.index(change.field) if change.field in FIELD_ORDER else len(FIELD_ORDER)
        return (theme, not is_theme_row, change.element_id, has_action, position,
                CHANGE_KINDS.index(change.change), field, change.action_no_old or 0, change.action_no_new or 0)

    return key

