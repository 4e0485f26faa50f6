"""The score of a row (or heatmap cell): the printed word and the cell's fill, reconciled."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from actionplan.extract.colour import nearest
from actionplan.schema.records import RGB, KeyEntry

WORD_SIMILARITY = 75
# Further than this (RGB distance, 0..1 per channel) from every key colour: not a score fill.
MAX_COLOUR_DISTANCE = 0.35


@dataclass(frozen=True)
class ScoreReading:
    score: str | None
    printed: str  # the words read as the score, as printed ("" when none)
    from_colour: str | None
    rest: str  # the cell's other words (the theme label)
    conflict: str | None  # a message when word and colour disagree


def palette_from_key(key: Sequence[KeyEntry], scores: Sequence[str]) -> dict[str, RGB]:
    palette = {}
    for entry in key:
        score = read_score_word(entry.label.split(), scores)
        if score and entry.fill is not None:
            palette[score[0]] = entry.fill
    return palette


def read_score_word(words: Sequence[str], scores: Sequence[str]) -> tuple[str, int, int] | None:
    """Best (score, start, end) window of words; tolerant of case, wrapping and OCR slips."""
    best = None
    for score in scores:
        size = len(score.split())
        for start in range(0, len(words) - size + 1):
            window = " ".join(words[start:start + size]).upper().strip(".,:;")
            similarity = fuzz.ratio(window, score)
            if similarity >= WORD_SIMILARITY and (best is None or similarity > best[0]):
                best = (similarity, score, start, start + size)
    return best[1:] if best else None


def colour_score(fill: RGB | None, palette: dict[str, RGB]) -> str | None:
    name = nearest(fill, palette)
    if name is None:
        return None
    distance = sum((a - b) ** 2 for a, b in zip(fill, palette[name])) ** 0.5
    return name if distance <= MAX_COLOUR_DISTANCE else None


def reconcile(words: Sequence[str], fill: RGB | None, palette: dict[str, RGB],
              scores: Sequence[str]) -> ScoreReading:
    found = read_score_word(words, scores)
    by_colour = colour_score(fill, palette)
    if found is None:
        return ScoreReading(by_colour, "", by_colour, " ".join(words), None)
    score, start, end = found
    printed = " ".join(words[start:end])
    rest = " ".join(list(words[:start]) + list(words[end:]))
    conflict = None
    if by_colour and by_colour != score:
        # The word is what the author wrote; a shading is easily left from an earlier draft.
        conflict = (f"score word {printed!r} reads {score} but the cell is shaded {by_colour}; "
                    f"kept the word {score}, as the author's own statement")
    return ScoreReading(score, printed, by_colour, rest, conflict)
