"""``actionplan diff OLD NEW``: what changed between two revisions of an action plan.

Each input is a PDF or an output folder of ``actionplan extract`` (any mix). A PDF is first
extracted into ``DIR/old/`` or ``DIR/new/`` (a complete output folder, reusable as an input
next time); a folder is read as it is. ``DIR`` (default ``outputs/diff-<old stem>-<new stem>/``)
receives the ``changes`` table (Parquet + CSV) and ``report.md``, all written atomically.

The steps are pure functions over typed records:

    read_revision(folder) -> Revision                    (x2)
    diff_revisions(old, new) -> tuple[Change, ...]       matched, compared, sorted
    render_report(old, new, changes, as_of) -> str

Matching, stated once:

- Characteristics match by element id (ids are already repaired by ``extract``). An id gone
  from OLD is *moved* when a NEW characteristic's notes say "Previously <id>", when its own
  OLD notes said "Now in ... (<new id>)", or when its description matches a NEW id that is
  new (``CHARACTERISTIC_MATCH_THRESHOLD``). A kept characteristic that gained a "Now in ...
  (<id>)" note (left behind as a signpost), or that a NEW "Previously <id>" note names, is
  reported as moved too. Only a renumbering (gone id -> new id) has its contents compared.
- Actions match within a (matched) characteristic by content, never by position: word-level
  similarity of the band's three texts, an optimal one-to-one assignment (Hungarian method),
  pairs below ``ACTION_MATCH_THRESHOLD`` are a removal plus an addition. A matched pair whose
  fields are equal is no change, whatever its position.
- Layout is not content: texts are compared after Unicode (NFKC) and typographic-punctuation
  normalisation, ignoring whitespace, so line breaks, paragraph breaks, spaces a wrap put
  after "HR/", ligatures and curly quotes never make a change.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
from rapidfuzz.distance import Indel

from actionplan.errors import InputError
from actionplan.normalise.characteristics import MOVED_NOTE
from actionplan.output import LIST_SEPARATOR, atomic_folder, records_to_table, write_table
from actionplan.schema.ids import STRICT_ID
from actionplan.schema.records import Action, Characteristic, Theme
from actionplan.schema.tables import ContractViolation, validate
from actionplan.wordiff import escape_markdown, inline_diff, markdown_diff

# Word-level similarity (0..1) at or above which two actions of one characteristic are the
# same action (reworded) rather than a removal plus an addition. In the 2024 plan, different
# actions of the same characteristic score at most 0.28 against each other; the actions
# reworded in the 2025 sample (a sentence added or replaced) score 0.67 to 0.98.
ACTION_MATCH_THRESHOLD = 0.4
# Word-level similarity of descriptions at or above which an id gone from OLD and an id new
# in NEW are one renumbered characteristic. Descriptions are statutory wording that changes
# little; distinct characteristics of the 2024 plan score at most 0.59 against each other
# (G002 and G010, both about scrutiny), so 0.8 leaves a wide margin on both sides.
CHARACTERISTIC_MATCH_THRESHOLD = 0.8
# Added to a pair's weight in the assignment, scaled by how close the two positions are, so
# that equally similar candidates (repeated boilerplate such as "No gaps identified.") pair
# up in order. Far smaller than any real difference in similarity.
SAME_POSITION_TIE_BREAK = 1e-6

# Ascending; GREY ("not in officers' control") and no score are off the scale.
SCORE_SCALE = ("RED", "AMBER", "YELLOW", "LIGHT GREEN", "DARK GREEN")
MOVED_FROM_NOTE = re.compile(r"^(?:Previously|Formerly)\b", re.I)

# The order of these tuples is the order of rows within one element.
CHANGE_KINDS = (
    "theme_intro_changed", "characteristic_moved", "characteristic_added",
    "characteristic_removed", "score_changed", "description_changed",
    "action_removed", "action_added", "action_changed",
)
ACTION_FIELDS = ("opportunity", "recommendation", "owners", "timeline")
FIELD_ORDER = ("intro", "element_id", "score", "description") + ACTION_FIELDS
ACTION_TEXT_SEPARATOR = " | "
# Unchanged words shown around each change of a long text (theme intros) in report.md.
REPORT_CONTEXT_WORDS = 12
THEME_ELEMENT_PREFIX = "theme "  # element_id of a theme-level row: "theme 3"
DEFAULT_OUT = Path("outputs")
DATE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")
REQUIRED_TABLES = ("characteristics", "actions", "themes")


# ------------------------------------------------------------------------------ records


@dataclass(frozen=True)
class Revision:
    """One revision of the plan, as the diff needs it. Mappings keep document order."""

    label: str
    themes: Mapping[int, Theme]
    characteristics: Mapping[str, Characteristic]
    actions: Mapping[str, tuple[Action, ...]]  # element id -> its actions, in order

    def theme_of(self, element_id: str) -> int | None:
        found = self.characteristics.get(element_id)
        return found.theme_no if found else None


@dataclass(frozen=True)
class Change:
    """One row of the ``changes`` table, plus the theme it counts under (not written)."""

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


@dataclass(frozen=True)
class Move:
    old_id: str
    new_id: str
    similarity: float
    reason: str


@dataclass(frozen=True)
class CharacteristicPairs:
    """How OLD's characteristics map onto NEW's."""

    compared: tuple[tuple[str, str], ...]  # (old id, new id) whose contents are compared
    moves: tuple[Move, ...]
    added: tuple[str, ...]
    removed: tuple[str, ...]


# ------------------------------------------------------------------------------ reading


def read_revision(folder: Path) -> Revision:
    """An output folder of ``actionplan extract`` -> a Revision."""
    folder = Path(folder)
    manifest = _read_manifest(folder)
    rows = {name: _read_rows(folder, name) for name in REQUIRED_TABLES}
    actions: dict[str, list[Action]] = {}
    for row in rows["actions"]:
        action = Action(**_tuples(row))
        actions.setdefault(action.element_id, []).append(action)
    return Revision(
        label=str(manifest.get("revision") or folder.name),
        themes={t.theme_no: t for t in (Theme(**row) for row in rows["themes"])},
        characteristics={c.element_id: c for c in (Characteristic(**_tuples(r)) for r in rows["characteristics"])},
        actions={eid: tuple(sorted(group, key=lambda a: a.action_no)) for eid, group in actions.items()},
    )


def _read_manifest(folder: Path) -> dict:
    path = folder / "manifest.json"
    if not path.is_file():
        raise InputError(f"{folder}: not a PDF or an output folder of actionplan extract (no manifest.json)")
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not valid JSON ({exc})") from None


def _read_rows(folder: Path, name: str) -> list[dict]:
    path = folder / f"{name}.parquet"
    if not path.is_file():
        raise InputError(f"{folder}: incomplete output folder (no {name}.parquet)")
    try:
        table = pq.read_table(path)
        validate(name, table)
    except ContractViolation as exc:
        raise InputError(f"{path}: does not match the {name} schema ({exc.violations[0]})") from None
    except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
        raise InputError(f"{path}: unreadable ({exc})") from None
    return table.to_pylist()


def _tuples(row: dict) -> dict:
    return {k: tuple(v) if isinstance(v, list) else v for k, v in row.items()}


# ------------------------------------------------------------------------------ comparing text

_TYPOGRAPHIC = str.maketrans({
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"',
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2212": "-",
    "\u00ad": None, "\u200b": None, "\u200c": None, "\u200d": None, "\ufeff": None,
})


def comparable(text: str | None) -> str:
    """Text as content: NFKC (ligatures, non-breaking spaces), typographic quotes and dashes
    made plain, soft hyphens and zero-width characters dropped, whitespace runs (line and
    paragraph breaks included) made one space."""
    return " ".join(unicodedata.normalize("NFKC", text or "").translate(_TYPOGRAPHIC).split())


def same_content(a: str | None, b: str | None) -> bool:
    """Equal once every whitespace character is ignored. Wrapping decides whether a line
    break after "HR/" or a dash reads back as a space (the 2024 sample's Word and HTML
    renderings disagree on "HR/Payroll"), so spaces are layout, not content."""
    return _without_whitespace(a) == _without_whitespace(b)


def _without_whitespace(text: str | None) -> str:
    return "".join(comparable(text).split())


def words(text: str | None) -> list[str]:
    return re.findall(r"\w+", comparable(text).lower())


def similarity(a: str | None, b: str | None) -> float:
    """Word-level similarity in 0..1 (1 - normalised insert/delete distance over words)."""
    return float(Indel.normalized_similarity(words(a), words(b)))


def action_text(action: Action) -> str:
    return "\n".join((action.opportunity, action.recommendation, action.owner_timeline))


def action_summary(action: Action) -> str:
    """One line for an added or removed action: "opportunity | recommendation | owner_timeline"."""
    return ACTION_TEXT_SEPARATOR.join(
        _one_line(t) for t in (action.opportunity, action.recommendation, action.owner_timeline))


# ------------------------------------------------------------------------------ assignment


def best_assignment(weights: Sequence[Sequence[float]]) -> list[tuple[int, int]]:
    """Row/column pairs of maximum total weight, one-to-one (Hungarian method, O(n^2 m)).

    Rectangular matrices are fine; every row (or every column, if fewer) is paired.
    """
    if not weights or not weights[0]:
        return []
    rows, cols = len(weights), len(weights[0])
    if rows > cols:
        transposed = [[weights[i][j] for i in range(rows)] for j in range(cols)]
        return sorted((i, j) for j, i in best_assignment(transposed))
    top = max(max(row) for row in weights)
    cost = [[top - w for w in row] for row in weights]  # non-negative; minimise
    return _min_cost_assignment(cost)


def _min_cost_assignment(cost: list[list[float]]) -> list[tuple[int, int]]:
    """Kuhn-Munkres with potentials, for rows <= cols; 1-based internally."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u, v = [0.0] * (n + 1), [0.0] * (m + 1)
    owner = [0] * (m + 1)  # owner[j]: the row assigned to column j (0: none)
    way = [0] * (m + 1)
    for row in range(1, n + 1):
        owner[0] = row
        col0 = 0
        min_reduced = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[col0] = True
            row0, delta, col1 = owner[col0], inf, 0
            for col in range(1, m + 1):
                if used[col]:
                    continue
                reduced = cost[row0 - 1][col - 1] - u[row0] - v[col]
                if reduced < min_reduced[col]:
                    min_reduced[col], way[col] = reduced, col0
                if min_reduced[col] < delta:
                    delta, col1 = min_reduced[col], col
            for col in range(m + 1):
                if used[col]:
                    u[owner[col]] += delta
                    v[col] -= delta
                else:
                    min_reduced[col] -= delta
            col0 = col1
            if owner[col0] == 0:
                break
        while col0:
            col1 = way[col0]
            owner[col0] = owner[col1]
            col0 = col1
    return sorted((owner[col] - 1, col - 1) for col in range(1, m + 1) if owner[col])


def match_by_similarity(scores: Sequence[Sequence[float]], threshold: float) -> list[tuple[int, int, float]]:
    """Optimal one-to-one pairs whose similarity reaches ``threshold``: (row, col, similarity)."""
    if not scores or not scores[0]:
        return []
    size = max(len(scores), len(scores[0]))
    weights = [
        [(s if s >= threshold else 0.0) + SAME_POSITION_TIE_BREAK * (1 - abs(i - j) / size)
         for j, s in enumerate(row)]
        for i, row in enumerate(scores)
    ]
    return [(i, j, scores[i][j]) for i, j in best_assignment(weights) if scores[i][j] >= threshold]


# ------------------------------------------------------------------------------ matching


def pair_characteristics(old: Revision, new: Revision) -> CharacteristicPairs:
    common = [eid for eid in new.characteristics if eid in old.characteristics]
    gone = [eid for eid in old.characteristics if eid not in new.characteristics]
    fresh = [eid for eid in new.characteristics if eid not in old.characteristics]
    moves = _moves_by_notes(old, new, gone)
    moves += _moves_by_content(
        old, new,
        [eid for eid in gone if eid not in {m.old_id for m in moves}],
        [eid for eid in fresh if eid not in {m.new_id for m in moves}],
    )
    known = {(m.old_id, m.new_id) for m in moves}
    moves += [m for m in _signposts(old, new, gone) if (m.old_id, m.new_id) not in known]
    compared = [(eid, eid) for eid in common]
    for move in moves:  # a renumbering: compare the contents (the first OLD id only, if merged)
        if move.old_id in gone and move.new_id in fresh and move.new_id not in {n for _, n in compared}:
            compared.append((move.old_id, move.new_id))
    return CharacteristicPairs(
        compared=tuple(compared),
        moves=tuple(moves),
        added=tuple(eid for eid in fresh if eid not in {m.new_id for m in moves}),
        removed=tuple(eid for eid in gone if eid not in {m.old_id for m in moves}),
    )


def _moves_by_notes(old: Revision, new: Revision, gone: list[str]) -> list[Move]:
    """Ids gone from OLD that NEW says are "Previously <id>", or that said "Now in (<id>)"."""
    moves: list[Move] = []
    for old_id in gone:
        target = _noted_successor(old_id, old, new)
        if target:
            new_id, note = target
            moves.append(_move(old, old_id, new, new_id, f'note "{note}"'))
    return moves


def _noted_successor(old_id: str, old: Revision, new: Revision) -> tuple[str, str] | None:
    for characteristic in new.characteristics.values():
        for note in characteristic.notes:
            if MOVED_FROM_NOTE.match(note) and old_id in STRICT_ID.findall(note):
                return characteristic.element_id, note
    for note in old.characteristics[old_id].notes:
        if MOVED_NOTE.match(note):
            for new_id in STRICT_ID.findall(note):
                if new_id in new.characteristics:
                    return new_id, note
    return None


def _moves_by_content(old: Revision, new: Revision, gone: list[str], fresh: list[str]) -> list[Move]:
    scores = [[_description_similarity(old, o, new, n) for n in fresh] for o in gone]
    return [
        Move(gone[i], fresh[j], round(score, 4), "description")
        for i, j, score in match_by_similarity(scores, CHARACTERISTIC_MATCH_THRESHOLD)
    ]


def _signposts(old: Revision, new: Revision, gone: list[str]) -> list[Move]:
    """Moves announced by a note NEW gained while the OLD id stays: "Now in ... (<id>)" on a
    kept characteristic (left behind as a signpost), "Previously <id>" naming a kept one."""
    moves = []
    for eid, now in new.characteristics.items():
        was = old.characteristics.get(eid)
        already = was.notes if was else ()
        for note in now.notes:
            if any(same_content(note, n) for n in already):
                continue
            named = [i for i in dict.fromkeys(STRICT_ID.findall(note)) if i != eid]
            if MOVED_NOTE.match(note) and was is not None:
                moves += [_move(old, eid, new, i, f'note "{note}"') for i in named if i in new.characteristics]
            elif MOVED_FROM_NOTE.match(note):
                moves += [_move(old, i, new, eid, f'note "{note}"') for i in named
                          if i in old.characteristics and i not in gone]
    return moves


def _move(old: Revision, old_id: str, new: Revision, new_id: str, reason: str) -> Move:
    return Move(old_id, new_id, round(_description_similarity(old, old_id, new, new_id), 4), reason)


def _description_similarity(old: Revision, old_id: str, new: Revision, new_id: str) -> float:
    a, b = old.characteristics.get(old_id), new.characteristics.get(new_id)
    return similarity(a.description, b.description) if a and b else 0.0


def pair_actions(old: Sequence[Action], new: Sequence[Action]) -> list[tuple[Action, Action, float]]:
    scores = [[similarity(action_text(a), action_text(b)) for b in new] for a in old]
    return [(old[i], new[j], s) for i, j, s in match_by_similarity(scores, ACTION_MATCH_THRESHOLD)]


# ------------------------------------------------------------------------------ changes


def diff_revisions(old: Revision, new: Revision) -> tuple[Change, ...]:
    """Every change from OLD to NEW, in the stable order of ``_sort_key_for``."""
    pairs = pair_characteristics(old, new)
    changes: list[Change] = list(theme_changes(old, new))
    changes += [_moved(move, new) for move in pairs.moves]
    changes += [_added(new, eid) for eid in pairs.added]
    changes += [_removed(old, eid) for eid in pairs.removed]
    for old_id, new_id in pairs.compared:
        changes += characteristic_changes(old.characteristics[old_id], new.characteristics[new_id])
        changes += action_changes(
            old.actions.get(old_id, ()), new.actions.get(new_id, ()), new_id,
            new.characteristics[new_id].theme_no,
        )
    return tuple(sorted(changes, key=_sort_key_for(old, new)))


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
                  detail=_count(len(new.actions.get(eid, ())), "action"), theme_no=found.theme_no)


def _removed(old: Revision, eid: str) -> Change:
    found = old.characteristics[eid]
    return Change(element_id=eid, change="characteristic_removed", field=None, before=found.description,
                  detail=_count(len(old.actions.get(eid, ())), "action"), theme_no=found.theme_no)


def characteristic_changes(old: Characteristic, new: Characteristic) -> list[Change]:
    changes = []
    if old.score != new.score:
        changes.append(Change(
            element_id=new.element_id, change="score_changed", field="score", before=old.score,
            after=new.score, detail=score_detail(old.score, new.score), theme_no=new.theme_no,
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


def score_detail(before: str | None, after: str | None) -> str:
    """'up 2 steps' / 'down 1 step' on RED < AMBER < YELLOW < LIGHT GREEN < DARK GREEN;
    a move to or from GREY or no score has no step count."""
    if before in SCORE_SCALE and after in SCORE_SCALE:
        steps = SCORE_SCALE.index(after) - SCORE_SCALE.index(before)
        return f"{'up' if steps > 0 else 'down'} {_count(abs(steps), 'step')}"
    if after not in SCORE_SCALE:
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
               detail=_owners_and_timeline(a), action_no_old=a.action_no, theme_no=theme_no)
        for a in old if id(a) not in matched_old
    ]
    changes += [
        Change(element_id=element_id, change="action_added", after=action_summary(b),
               detail=_owners_and_timeline(b), action_no_new=b.action_no, theme_no=theme_no)
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
        else:
            detail = inline_diff(comparable(before), comparable(after))
        rows.append(Change(
            element_id=element_id, change="action_changed", field=name, before=before, after=after,
            similarity=score, detail=detail, action_no_old=old.action_no, action_no_new=new.action_no,
            theme_no=theme_no,
        ))
    return rows


def _field_text(action: Action, name: str) -> str:
    value = getattr(action, name)
    return LIST_SEPARATOR.join(value) if isinstance(value, tuple) else value


def timeline_detail(old: Action, new: Action) -> str:
    """Measured on timeline_end: 'slipped 92 days', 'brought forward 30 days', 'marked complete'."""
    if new.timeline_kind == "complete" and old.timeline_kind != "complete":
        return "marked complete"
    if old.timeline_kind == "complete":
        return f"no longer complete ({new.timeline_kind})"
    if old.timeline_end and new.timeline_end:
        days = (new.timeline_end - old.timeline_end).days
        if days > 0:
            return f"slipped {_count(days, 'day')}"
        if days < 0:
            return f"brought forward {_count(-days, 'day')}"
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
    return _one_line(action.owner_timeline) or None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# ------------------------------------------------------------------------------ order


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


# ------------------------------------------------------------------------------ report


def overdue_actions(revision: Revision, as_of: date) -> list[Action]:
    """Actions whose timeline ended before ``as_of`` and are not marked complete."""
    return [
        action for group in revision.actions.values() for action in group
        if action.timeline_end is not None and action.timeline_end < as_of
        and action.timeline_kind != "complete"
    ]


def summary_lines(old: Revision, new: Revision, changes: Sequence[Change]) -> list[str]:
    if not changes:
        return [f"{old.label} → {new.label}: no changes."]
    counts = Counter(c.change for c in changes)
    by_kind = ", ".join(f"{counts[k]} {k}" for k in CHANGE_KINDS if counts[k])
    return [f"{old.label} → {new.label}: {_count(len(changes), 'change')} ({by_kind})."]


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
            lines.append(f"- **{c.element_id}** {c.change.split('_')[1]} ({c.detail}): {escape_markdown(_one_line(text or ''))}")
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
    return [f"- {label}"] + [f"  - {name}: {escape_markdown(_one_line(text))}" for name, text in texts if text]


def _action_line(c: Change) -> str:
    if c.field in ("opportunity", "recommendation"):
        return f"- {c.field}: {markdown_diff(comparable(c.before), comparable(c.after))}"
    return (f"- {c.field}: {escape_markdown(c.before or '—')} → {escape_markdown(c.after or '—')}"
            f" ({escape_markdown(c.detail or '')})")


def _overdue_section(new: Revision, as_of: date) -> list[str]:
    overdue = overdue_actions(new, as_of)
    lines = ["", f"## Overdue on {as_of.isoformat()} in {escape_markdown(new.label)}", ""]
    if not overdue:
        return lines + ["No action's timeline ended before that date without being complete."]
    lines += [f"{_count(len(overdue), 'action')} ended before {as_of.isoformat()} and are not marked complete.",
              "", "| element | action | owners | timeline | ended | days overdue |",
              "|---|---:|---|---|---|---:|"]
    lines += [
        f"| {a.element_id} | {a.action_no} | {escape_markdown(LIST_SEPARATOR.join(a.owners))} | "
        f"{escape_markdown(a.timeline)} | {a.timeline_end.isoformat()} | {(as_of - a.timeline_end).days} |"
        for a in overdue
    ]
    return lines


# ------------------------------------------------------------------------------ command


def parse_as_of(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        if not DATE_FORMAT.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--as-of {text!r}: not a date in the form YYYY-MM-DD") from None


def input_kind(path: Path) -> str:
    """'pdf' or 'folder'; InputError for anything else."""
    if not path.exists():
        raise InputError(f"{path}: no such file or folder")
    if path.is_dir():
        if (path / "manifest.json").is_file():
            return "folder"
    elif path.suffix.lower() == ".pdf" or _starts_like_pdf(path):
        return "pdf"
    raise InputError(f"{path}: not a PDF or an output folder of actionplan extract")


def _starts_like_pdf(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"%PDF-"
    except OSError:
        return False


def default_out(old: Path, new: Path) -> Path:
    return DEFAULT_OUT / f"diff-{old.stem}-{new.stem}"


def run_diff(args) -> int:
    """The ``diff`` command: read (or extract) both revisions, write changes + report.md."""
    from actionplan.config import load_config

    kinds = {"old": input_kind(args.old), "new": input_kind(args.new)}
    as_of = parse_as_of(args.as_of)
    out = args.out or default_out(args.old, args.new)
    if Path(out).resolve() in (args.old.resolve(), args.new.resolve()):
        raise InputError(f"--out {out}: would replace one of the inputs; choose another folder")
    config = load_config(args.config)
    with atomic_folder(out) as folder:
        old = _revision_from_input(args.old, kinds["old"], folder / "old", config, args)
        new = _revision_from_input(args.new, kinds["new"], folder / "new", config, args)
        changes = diff_revisions(old, new)
        write_table(folder, "changes", records_to_table("changes", changes))
        (folder / "report.md").write_text(render_report(old, new, changes, as_of), encoding="utf-8")
        written = sorted(p.name + ("/" if p.is_dir() else "") for p in folder.iterdir())
    for line in summary_lines(old, new, changes):
        print(line)
    print(f"written to {out}/: {', '.join(written)}")
    return 0


def _revision_from_input(path: Path, kind: str, extract_to: Path, config, args) -> Revision:
    """A folder is read as it is; a PDF is extracted into ``extract_to`` first."""
    if kind == "folder":
        return read_revision(path)
    from actionplan.pipeline import run_extract

    run_extract(path, extract_to, revision=path.stem, config=config, password=args.password,
                backend=args.backend, debug=args.debug)
    return read_revision(extract_to)
