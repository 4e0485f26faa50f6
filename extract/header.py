"""Find the action plan's header row by its labels and read the five columns off it."""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from actionplan.extract.geometry import Metrics
from actionplan.extract.pages import PageLayout
from actionplan.schema.plan import PlanVocabulary
from actionplan.schema.records import Word


@dataclass(frozen=True)
class HeaderRow:
    page: int
    top: float
    bottom: float
    column_lefts: tuple[float, ...]  # where each column's label starts, left to right
    words: tuple[Word, ...]
    labels_found: int
    label_rights: tuple[float, ...] = ()  # where each label's text ends
    centred: bool = False  # labels centred in their cells: they do not start at the column


def tokens(text: str) -> list[str]:
    return [t for t in re.split(r"[^a-z0-9]+", text.lower()) if t]


def find_headers(page: PageLayout, vocab: PlanVocabulary, metrics: Metrics,
                 exclude: set[Word]) -> list[HeaderRow]:
    """Every header row on the page (a page may start a new table per theme)."""
    words = [w for w in page.words if w not in exclude]
    label_tokens = [tokens(label) for label in vocab.header_labels]
    firsts = [
        [w for w in words if _similar(w.text, label[0], vocab)] for label in label_tokens
    ]
    headers = []
    for seed in sorted((w for group in firsts for w in group), key=lambda w: w.top):
        if any(h.top - metrics.line_height <= seed.top <= h.bottom for h in headers):
            continue
        header = _header_at(seed.top, firsts, words, label_tokens, vocab, metrics, page.number)
        if header:
            headers.append(header)
    return headers


def _similar(text: str, token: str, vocab: PlanVocabulary) -> bool:
    got = tokens(text)
    # "The" is 75% like "Theme": a label's first word must also be about as long as it.
    return (bool(got) and len(got[0]) >= 0.7 * len(token)
            and fuzz.ratio(got[0], token) >= vocab.header_word_similarity)


# Header cells may be top-, middle- or bottom-aligned: their first words can sit a few
# lines apart. A header cell rarely holds more lines than this.
HEADER_CELL_LINES = 5


def _header_at(top, firsts, words, label_tokens, vocab, metrics, page_no) -> HeaderRow | None:
    reach = HEADER_CELL_LINES * metrics.line_pitch
    starts: list[Word | None] = []
    for group in firsts:
        near = [w for w in group if abs(w.top - top) <= reach]
        starts.append(min(near, key=lambda w: (abs(w.top - top), w.x0)) if near else None)
    found = [s for s in starts if s is not None]
    xs = [s.x0 for s in found]
    if len(found) < vocab.header_labels_required or xs != sorted(xs):
        return None
    lefts = _fill_missing_lefts([s.x0 if s else None for s in starts])
    tops = [s.top if s else top for s in starts]
    header_words = _label_words(tops, lefts, words, label_tokens, vocab, metrics)
    if _labels_read(header_words, lefts, label_tokens, metrics) < vocab.header_labels_required:
        return None
    return HeaderRow(
        page=page_no,
        top=min(w.top for w in header_words),
        bottom=max(w.bottom for w in header_words),
        column_lefts=tuple(lefts),
        words=tuple(header_words),
        labels_found=len(found),
        label_rights=tuple(_label_rights(header_words, lefts, metrics)),
        centred=_labels_centred(header_words, lefts, metrics),
    )


def label_ranges(lefts) -> list[tuple[float, float]]:
    """Where each label's words may start: half-way to its neighbours' first words. A
    centred label's longer lines start left of its first word."""
    cuts = [float("-inf")] + [(a + b) / 2 for a, b in zip(lefts, lefts[1:])] + [float("inf")]
    return list(zip(cuts, cuts[1:]))


def _label_cells(header_words, lefts, metrics) -> list[list[Word]]:
    return [[w for w in header_words if low <= w.x0 < high] for low, high in label_ranges(lefts)]


def _label_rights(header_words, lefts, metrics) -> list[float]:
    return [max((w.x1 for w in cell), default=left)
            for cell, left in zip(_label_cells(header_words, lefts, metrics), lefts)]


def _labels_centred(header_words, lefts, metrics) -> bool:
    """A label wrapped over lines that start at different x but share a centre is centred;
    lines sharing their start are left-aligned. The majority of wrapped labels decides."""
    votes = 0
    for cell in _label_cells(header_words, lefts, metrics):
        lines: dict[float, list[Word]] = {}
        for word in cell:
            key = next((t for t in lines if abs(t - word.top) <= metrics.level_tolerance), word.top)
            lines.setdefault(key, []).append(word)
        if len(lines) < 2:
            continue
        starts = [min(w.x0 for w in ws) for ws in lines.values()]
        centres = [(min(w.x0 for w in ws) + max(w.x1 for w in ws)) / 2 for ws in lines.values()]
        if max(starts) - min(starts) <= metrics.level_tolerance:
            votes -= 1
        elif max(centres) - min(centres) <= 2 * metrics.level_tolerance:
            votes += 1
    return votes > 0


# How much of a label's text its header cell must show (rapidfuzz token_set_ratio).
LABEL_SIMILARITY = 80


def _labels_read(header_words, lefts, label_tokens, metrics) -> int:
    """How many header cells read as their whole label, not just its first word."""
    read = 0
    for label, cell in zip(label_tokens, _label_cells(header_words, lefts, metrics)):
        text = " ".join(t for w in sorted(cell, key=lambda w: (w.top, w.x0)) for t in tokens(w.text))
        if fuzz.token_set_ratio(text, " ".join(label)) >= LABEL_SIMILARITY:
            read += 1
    return read


def _fill_missing_lefts(lefts: list[float | None]) -> list[float]:
    # A label OCR destroyed beyond recognition: put its column half-way between neighbours.
    known = [(i, x) for i, x in enumerate(lefts) if x is not None]
    filled = []
    for i, x in enumerate(lefts):
        if x is not None:
            filled.append(x)
            continue
        before = [k for k in known if k[0] < i]
        after = [k for k in known if k[0] > i]
        if before and after:
            (i0, x0), (i1, x1) = before[-1], after[0]
            filled.append(x0 + (x1 - x0) * (i - i0) / (i1 - i0))
        elif before:
            filled.append(before[-1][1] + 1.0)
        else:
            filled.append(after[0][1] - 1.0)
    return filled


def _run_owners(words, lefts, metrics) -> dict[Word, int]:
    """Which label's range each word's run of text falls in (by the run's start, else its
    centre): a run never straddles two header cells."""
    ranges = label_ranges(lefts)
    owners: dict[Word, int] = {}
    for run in _runs(words, metrics):
        start_hits = [i for i, (low, high) in enumerate(ranges)
                      if any(abs(w.x0 - lefts[i]) <= metrics.level_tolerance for w in run)]
        centre = (run[0].x0 + run[-1].x1) / 2
        index = start_hits[0] if start_hits else next(
            i for i, (low, high) in enumerate(ranges) if low <= centre < high)
        owners.update((w, index) for w in run)
    return owners


def _runs(words, metrics) -> list[list[Word]]:
    """Words on one line separated by no more than a few spaces."""
    runs: list[list[Word]] = []
    for word in sorted(words, key=lambda w: (round(w.top / metrics.level_tolerance), w.x0)):
        last = runs[-1][-1] if runs else None
        if (last is not None and abs(word.top - last.top) <= metrics.level_tolerance
                and 0 <= word.x0 - last.x1 <= metrics.cell_gap):
            runs[-1].append(word)
        else:
            runs.append([word])
    return runs


def _label_words(tops, lefts, words, label_tokens, vocab, metrics) -> list[Word]:
    """The words of each header cell: stacked lines of label words below the first one.
    A run of words printed together belongs to one cell: to the label whose first word it
    holds, else to the label whose range holds its centre (centred labels wander)."""
    tolerance = metrics.level_tolerance
    owner = _run_owners(words, lefts, metrics)
    picked: list[Word] = []
    for index, label in enumerate(label_tokens):
        top = tops[index]
        column = sorted(
            (w for w in words if owner[w] == index and w.top >= top - tolerance),
            key=lambda w: (w.top, w.x0),
        )
        last_top = top
        for word in column:
            if word.top - last_top > 1.6 * metrics.line_pitch:
                break
            word_tokens = tokens(word.text)  # a lone "/" has none: it belongs to the label
            if word_tokens and not any(fuzz.ratio(t, lt) >= vocab.header_word_similarity
                                       for t in word_tokens for lt in label):
                if abs(word.top - last_top) <= tolerance:
                    continue  # a stray word on a label line; not part of the label
                break
            picked.append(word)
            last_top = word.top
    return picked
