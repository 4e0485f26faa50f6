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
    """A theme/score cell read into its score, from the word or the colour."""

    score: str | None
    printed: str  # the words read as the score, as printed ("" when none)
    from_colour: str | None
    rest: str  # the cell's other words (the theme label)
    conflict: str | None  # a message when word and colour disagree


@dataclass(frozen=True)
class Palette:
    """Score -> colour, from the plan's key or, where the key prints none, assumed."""

    colours: dict[str, RGB]
    assumed: bool = False  # read by nearest hue against standard colours

    def score_of(self, fill: RGB | None) -> str | None:
        if fill is None or not self.colours:
            return None
        return nearest_hue(fill, self.colours) if self.assumed else colour_score(fill, self.colours)

    @property
    def source(self) -> str:
        if self.assumed:
            return ("assumed: the score key prints no colours, so each fill is read as the score "
                    "whose standard colour (schema/plan.toml score_colours) is nearest in hue")
        return "the score key" if self.colours else "none: the plan has no score key"


def palette_from_key(key: Sequence[KeyEntry], scores: Sequence[str],
                     standard: dict[str, str] | None = None) -> Palette:
    colours = {}
    for entry in key:
        score = read_score_word(entry.label.split(), scores)
        if score and entry.fill is not None:
            colours[score[0]] = entry.fill
    if colours or not key or not standard:
        return Palette(colours)
    return Palette({name: hex_to_rgb(code) for name, code in standard.items()}, assumed=True)


def hex_to_rgb(code: str) -> RGB:
    code = code.lstrip("#")
    return tuple(int(code[i:i + 2], 16) / 255 for i in (0, 2, 4))  # type: ignore[return-value]


# Fills paler or greyer than these are not a shade of any score colour.
MIN_SATURATION = 0.2
MAX_HUE_DISTANCE = 30.0  # degrees


def nearest_hue(fill: RGB, palette: dict[str, RGB]) -> str | None:
    """The score whose colour is nearest in hue (a grey fill: the grey score)."""
    import colorsys

    hue, saturation, value = colorsys.rgb_to_hsv(*fill)
    greys = [n for n, c in palette.items() if colorsys.rgb_to_hsv(*c)[1] < MIN_SATURATION]
    if saturation < MIN_SATURATION:
        return greys[0] if greys and 0.3 <= value <= 0.9 else None
    best, distance = None, 360.0
    for name, colour in palette.items():
        h, s, _ = colorsys.rgb_to_hsv(*colour)
        if s < MIN_SATURATION:
            continue
        d = abs(hue - h) * 360.0
        d = min(d, 360.0 - d)
        if d < distance:
            best, distance = name, d
    return best if distance <= MAX_HUE_DISTANCE else None


def read_score_word(words: Sequence[str], scores: Sequence[str]) -> tuple[str, int, int] | None:
    """Best (score, start, end) window of words; tolerant of case, wrapping and OCR slips."""
    best = None
    for score in scores:
        # OCR may run the words of a score together ("Darkgreen") and put a speck before it.
        for size in sorted({len(score.split()), 1}):
            for start in range(0, len(words) - size + 1):
                window = " ".join(words[start:start + size]).upper().strip(".,:;_-'‘’")
                similarity = max(fuzz.ratio(window, score),
                                 fuzz.ratio(window.replace(" ", ""), score.replace(" ", "")))
                if similarity >= WORD_SIMILARITY and (best is None or similarity > best[0]):
                    best = (similarity, score, start, start + size)
    return best[1:] if best else None


def colour_score(fill: RGB | None, palette: dict[str, RGB]) -> str | None:
    name = nearest(fill, palette)
    if name is None:
        return None
    distance = sum((a - b) ** 2 for a, b in zip(fill, palette[name])) ** 0.5
    return name if distance <= MAX_COLOUR_DISTANCE else None


def reconcile(words: Sequence[str], fill: RGB | None, palette: Palette,
              scores: Sequence[str]) -> ScoreReading:
    found = read_score_word(words, scores)
    by_colour = palette.score_of(fill)
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
