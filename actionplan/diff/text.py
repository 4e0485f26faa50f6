"""Text as content: the normalisation and word similarity every comparison uses."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz.distance import Indel

from actionplan.schema.records import Action

ACTION_TEXT_SEPARATOR = " | "


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
        one_line(t) for t in (action.opportunity, action.recommendation, action.owner_timeline))



def one_line(text: str) -> str:
    return " ".join(text.split())


def plural(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"

