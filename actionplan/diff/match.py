"""Which characteristic of OLD is which of NEW, and which action is which (see the
package docstring for the rules)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from actionplan.diff.assign import match_by_similarity
from actionplan.diff.read import Revision
from actionplan.diff.text import action_text, same_content, similarity
from actionplan.normalise.characteristics import MOVED_NOTE
from actionplan.schema.ids import STRICT_ID
from actionplan.schema.records import Action

ACTION_MATCH_THRESHOLD = 0.4
# Word-level similarity of descriptions at or above which an id gone from OLD and an id new
# in NEW are one renumbered characteristic. Descriptions are statutory wording that changes
# little; distinct characteristics of the 2024 plan score at most 0.59 against each other
# (G002 and G010, both about scrutiny), so 0.8 leaves a wide margin on both sides.
CHARACTERISTIC_MATCH_THRESHOLD = 0.8
# Added to a pair's weight in the assignment, scaled by how close the two positions are, so


MOVED_FROM_NOTE = re.compile(r"^(?:Previously|Formerly)\b", re.I)



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

