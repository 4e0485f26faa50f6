"""The element-id grammar, strict and tolerant, shared by extract/ and normalise/.

The statutory guidance numbers its characteristics ``(CI|L|G|C|R|SD|PCE)\\d{3}``.
Text layers damage them: OCR reads ``I`` as ``l``/``1``, ``0`` as ``o``/``O``, ``S`` as
``$``/``5``, ``G`` as ``6``/``3``... The tolerant pattern finds such damaged anchors so that
extract/ can start a row there; normalise/ then repairs them (see normalise/ids.py).
"""

from __future__ import annotations

import contextlib
import itertools
import re
import tomllib
from collections.abc import Iterator
from functools import cache
from importlib import resources

PREFIXES = ("PCE", "SD", "CI", "L", "G", "C", "R")

STRICT_ID = re.compile(r"\b(?:PCE|SD|CI|L|G|C|R)\d{3}\b")

# Characters OCR and converters put where the grammar's letters or digits belong.
_LETTERISH = r"A-Za-z$5361|!"
_DIGITISH = r"0-9OoQDIl|!SsZzBgYy"

# One to four letter-ish characters, then three digit-ish ones, then a word end or ':'.
# "cloos" (CI008) has only two digit-ish characters after "cl": allow 2-4 and let
# normalise/ decide with the row's theme and the heatmap.
TOLERANT_ID = re.compile(
    rf"^[{_LETTERISH}]{{1,4}}[{_DIGITISH}]{{2,4}}(?=$|[:;.,\s)])"
)

# An id opening a characteristic cell, with the punctuation printed after it ("CI001: ").
ID_AT_START = re.compile(rf"[{_LETTERISH}]{{1,4}}[{_DIGITISH}]{{2,4}}[:;.,]*\s*")


# A profile's own element ids ("BV-01"), besides the guidance's: set for one run by
# profile_ids(). A module global, not a parameter: looks_like_id is called from deep inside
# extract/ (front, bounds, events, steps) and normalise/, which would all have to carry it.
_profile_ids: re.Pattern | None = None


@contextlib.contextmanager
def profile_ids(pattern: str | None) -> Iterator[None]:
    """Accept ids of the profile's pattern too, as printed (no OCR readings), inside the
    block; the grammar before it is restored after (a run with a profile leaves no trace)."""
    global _profile_ids
    before = _profile_ids
    _profile_ids = re.compile(pattern) if pattern else None
    try:
        yield
    finally:
        _profile_ids = before


def profile_id(token: str) -> str | None:
    """The token as a profile id ("BV-01:" -> "BV-01"), or None."""
    clean = token.strip().rstrip(":;.,")
    return clean if _profile_ids is not None and _profile_ids.fullmatch(clean) else None


def profile_ids_in(text: str) -> list[str]:
    return [m.group(0) for m in _profile_ids.finditer(text)] if _profile_ids is not None else []


def looks_like_id(token: str) -> bool:
    """True when a token could be an element id, damaged or not: it has the shape and at
    least one reading through the confusion table is grammatical ("LOOS:" -> L005)."""
    if profile_id(token):
        return True
    match = TOLERANT_ID.match(token.strip() + " ")
    if not match:
        return False
    core = match.group(0)
    if STRICT_ID.fullmatch(core):
        return True
    if not any(ch.isdigit() for ch in core) and not token.rstrip().endswith(":"):
        return False  # "Also", "Cool": a word of that shape needs the colon of an anchor
    return bool(readings(core)) or _lost_a_letter(core)


def _lost_a_letter(core: str) -> bool:
    """'S006' for SD006, 'PC007' for PCE007: a prefix missing a letter, then digits."""
    letters = core.rstrip("0123456789")
    digits = core[len(letters):]
    return (len(digits) == 3 and bool(letters)
            and any(p.startswith(letters.upper()) and p != letters.upper() for p in PREFIXES))


MAX_READINGS = 4096


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
        if candidate.endswith("000"):
            return  # the guidance numbers from 001: "ROC" is no reading of R000
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
                # One stray character in the number ("C1002" for C002, "LOOS5" for L005).
                for stray in range(4):
                    rest = tail[:stray] + tail[stray + 1:]
                    for number in _digit_options(rest, digits):
                        add(prefix + number, head_cost + 2 + _changes(rest, number))
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


