"""Repair element ids damaged by a text layer, against the grammar, the row's theme and the
heatmap's ids. The confusion table is data: schema/id_confusions.toml."""

from __future__ import annotations

import itertools
import re
import tomllib
from collections.abc import Collection
from dataclasses import dataclass
from functools import cache
from importlib import resources

from actionplan.schema.ids import PREFIXES, STRICT_ID, looks_like_id

MAX_READINGS = 4096
IN_TEXT = re.compile(r"(?<![\w$])[A-Za-z$5361|!(€][\w$|!]{3,6}(?![\w])")


@dataclass(frozen=True)
class IdReading:
    printed: str
    element_id: str | None
    rule: str | None  # None when printed as is
    certain: bool


@cache
def confusions() -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    text = resources.files("actionplan.schema").joinpath("id_confusions.toml").read_text("utf-8")
    data = tomllib.loads(text)
    return data["letters"], data["digits"]


def readings(token: str) -> dict[str, int]:
    """Every grammatical id the printed token could stand for, with the number of characters
    it had to change to get there (a dropped stray character costs two)."""
    token = token.strip().rstrip(":;.,)")
    letters, digits = confusions()
    found: dict[str, int] = {}

    def add(candidate: str, cost: int) -> None:
        found[candidate] = min(cost, found.get(candidate, cost))

    for prefix_len in range(1, min(4, len(token) - 1) + 1):
        head, tail = token[:prefix_len], token[prefix_len:]
        for prefix in _options(head, letters, upper=True):
            if prefix not in PREFIXES:
                continue
            head_cost = _changes(head, prefix)
            for number in _digit_options(tail, digits):
                add(prefix + number, head_cost + _changes(tail, number))
            if len(tail) == 4:
                # One stray character between prefix and number ("C1002" for C002 on a scan).
                for number in _digit_options(tail[1:], digits):
                    add(prefix + number, head_cost + 2 + _changes(tail[1:], number))
    return found


def _changes(printed: str, reading: str) -> int:
    if len(printed) != len(reading):
        return abs(len(printed) - len(reading)) + sum(a != b for a, b in zip(printed[::-1], reading[::-1]))
    return sum(a != b for a, b in zip(printed, reading))


def _options(text: str, table: dict[str, list[str]], upper: bool) -> list[str]:
    choices = [[ch.upper()] + table.get(ch, []) if upper else [ch] + table.get(ch, []) for ch in text]
    combos = itertools.islice(itertools.product(*choices), MAX_READINGS)
    return sorted({"".join(c) for c in combos})


def _digit_options(tail: str, table: dict[str, list[str]]) -> list[str]:
    options = [n for n in _options(tail, table, upper=False) if n.isdigit()]
    out = set()
    for n in options:
        if len(n) == 3:
            out.add(n)
        elif len(n) == 2:
            out.add("0" + n)  # a lost leading zero: "cloos" reads as "CI" + "0?s"
    return sorted(out)


def repair_id(printed: str, theme_prefix: str | None, known: Collection[str],
              expected_next: str | None = None) -> IdReading:
    """The id a printed anchor stands for. ``known`` are the heatmap's ids."""
    clean = printed.strip().rstrip(":;.,")
    if STRICT_ID.fullmatch(clean) and (not known or clean in known or theme_prefix is None
                                       or clean.startswith(theme_prefix)):
        return IdReading(printed, clean, None, True)
    candidates = readings(clean)
    if not candidates:
        return IdReading(printed, None, None, False)
    ranked = _rank(candidates, theme_prefix, known, expected_next)
    best = ranked[0]
    certain = len(ranked) == 1 or _key(best, candidates, theme_prefix, known, expected_next)[:2] != _key(
        ranked[1], candidates, theme_prefix, known, expected_next)[:2]
    rule = "ocr_id_confusion" if clean != best else None
    return IdReading(printed, best, rule, certain)


def _rank(candidates: dict[str, int], theme_prefix, known, expected_next) -> list[str]:
    return sorted(candidates, key=lambda c: _key(c, candidates, theme_prefix, known, expected_next))


def _key(candidate, candidates, theme_prefix, known, expected_next):
    # Theme, heatmap and sequence first; then the reading that changed fewest characters.
    return (-_score(candidate, theme_prefix, known, expected_next), candidates[candidate], candidate)


def _score(candidate, theme_prefix, known, expected_next) -> int:
    score = 0
    if theme_prefix and _prefix_of(candidate) == theme_prefix:
        score += 4
    if candidate in known:
        score += 2
    if candidate == expected_next:
        score += 1
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
