"""Repair element ids damaged by a text layer, against the grammar, the row's theme and the
heatmap's ids. The confusion table is data: schema/id_confusions.toml."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from actionplan.schema.ids import STRICT_ID, TOLERANT_ID, confusions, looks_like_id, profile_id, readings
IN_TEXT = re.compile(r"(?<![\w$])[A-Za-z$5361|!(€][\w$|!]{3,6}(?![\w])")


@dataclass(frozen=True)
class IdReading:
    """An element id as printed and as read, and whether the reading is certain."""

    printed: str
    element_id: str | None
    rule: str | None  # None when printed as is
    certain: bool


def repair_id(printed: str, theme_prefix: str | None, known: Collection[str],
              expected_next: str | None = None) -> IdReading:
    """The id a printed anchor stands for. ``known`` are the heatmap's ids."""
    own = profile_id(printed)
    if own:
        return IdReading(printed, own, None, True)
    match = TOLERANT_ID.match(printed.strip() + " ")
    clean = match.group(0) if match else printed.strip().rstrip(":;.,")
    strict = STRICT_ID.fullmatch(clean)
    if strict and (theme_prefix is None or _prefix_of(clean) == theme_prefix
                   or (clean in known and not _lost_letter_readings(clean, theme_prefix))):
        return IdReading(printed, clean, None, True)
    # "C002:" in theme 1: OCR merged the "I" of "CI" into the "C" -- the theme's own prefix
    # with a letter lost is a reading too, next to the printed one.
    candidates = {**_lost_letter_readings(clean, theme_prefix), **readings(clean)}
    if not candidates:
        return IdReading(printed, None, None, False)
    ranked = _rank(candidates, theme_prefix, known, expected_next)
    best = ranked[0]
    certain = len(ranked) == 1 or _key(best, candidates, theme_prefix, known, expected_next)[:2] != _key(
        ranked[1], candidates, theme_prefix, known, expected_next)[:2]
    rule = "ocr_id_confusion" if clean != best else None
    return IdReading(printed, best, rule, certain)


def _lost_letter_readings(clean: str, theme_prefix: str | None) -> dict[str, int]:
    """'S006' under theme 6: OCR dropped a letter of the theme's prefix ('SD')."""
    split = re.match(r"^(\D+)(\d.*)$", clean)
    if not split:
        return {}
    letters, number = split.groups()
    if not theme_prefix or not letters or not theme_prefix.upper().startswith(letters.upper()):
        return {}
    found = readings(theme_prefix + number)
    return {candidate: cost + 2 for candidate, cost in found.items()}


def _rank(candidates: dict[str, int], theme_prefix, known, expected_next) -> list[str]:
    return sorted(candidates, key=lambda c: _key(c, candidates, theme_prefix, known, expected_next))


def _key(candidate, candidates, theme_prefix, known, expected_next):
    # Theme, heatmap and sequence first; then the reading that changed fewest characters.
    return (-_score(candidate, theme_prefix, known, expected_next), candidates[candidate], candidate)


def _score(candidate, theme_prefix, known, expected_next) -> int:
    # The row sequence outranks the heatmap: on a scan the heatmap is read by OCR too, and
    # a misread heatmap cell ("R005" for R009) must not pull the row's anchor with it. Only
    # readings of the printed anchor compete, so a gap in the numbering is never filled.
    score = 0
    if theme_prefix and _prefix_of(candidate) == theme_prefix:
        score += 4
    if candidate == expected_next:
        score += 3
    if candidate in known:
        score += 2
    return score


def _prefix_of(element_id: str) -> str:
    return element_id.rstrip("0123456789")


def next_id(element_id: str | None) -> str | None:
    if not element_id or not STRICT_ID.fullmatch(element_id):
        return None
    prefix, number = _prefix_of(element_id), element_id[len(_prefix_of(element_id)):]
    return f"{prefix}{int(number) + 1:03d}"


def repair_ids_in_text(text: str, known: Collection[str]) -> tuple[str, list[tuple[str, str]]]:
    """'See Cl001 and L002' -> 'See CI001 and L002'. Only readings that are known ids count,
    so ordinary words are never touched."""
    changes: list[tuple[str, str]] = []

    def fix(match: re.Match) -> str:
        token = match.group(0)
        if STRICT_ID.fullmatch(token) or not looks_like_id(token):
            return token
        costs = {c: cost for c, cost in readings(token).items() if c in known}
        if not costs:
            return token
        cheapest = min(costs.values())
        hits = [c for c, cost in costs.items() if cost == cheapest]
        if len(hits) != 1:
            return token
        changes.append((token, hits[0]))
        return hits[0]

    return IN_TEXT.sub(fix, text), changes


def confusion_distance(printed: str, element_id: str) -> int:
    """Edits from a printed token to an id, where putting a character for one OCR confuses
    it with (schema/id_confusions.toml: "o" for 0, "$" for S) is free and any other change,
    insertion or deletion costs one: "ROC" is one edit from R005 (a 5 lost), "Lol." one
    from L011, "LOOa" one from L004."""
    token = printed.strip().rstrip(":;.,)")
    letters, digits = confusions()
    split = len(_prefix_of(element_id))

    def same(ch: str, at: int) -> bool:
        want = element_id[at]
        table = letters if at < split else digits
        return ch == want or ch.upper() == want or want in table.get(ch, ())

    previous = list(range(len(element_id) + 1))
    for i, ch in enumerate(token, 1):
        row = [i]
        for j in range(1, len(element_id) + 1):
            row.append(min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (not same(ch, j - 1))))
        previous = row
    return previous[-1]


# A heatmap cell's token this many edits (beyond OCR confusions) from the id its place in a
# confirmed sequence gives is that id: half an id's characters lost or misread, no more.
def sequence_reach(element_id: str) -> int:
    return len(element_id) // 2


def sequence_reading(text: str, element_id: str) -> str | None:
    """``element_id`` when the heatmap cell's text is a damaged reading of it: its tokens
    within reach of it (the id read twice, "Gos G008") or no more than two characters
    (specks, "oe" read off a rule), one at least within reach; else None. "See CI012" is
    left alone (a word, and another id)."""
    tokens = text.split()
    near = [confusion_distance(t, element_id) <= sequence_reach(element_id) for t in tokens]
    if not any(near) or any(len(t) > 2 and not ok for t, ok in zip(tokens, near)):
        return None
    return element_id
