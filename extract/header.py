"""Find the action plan's header rows by their labels, whatever they wrap to, and read the
columns off them.

A header row is found where the labels of enough of the profile's columns are printed side
by side. Each label is gathered word by word in its own cell -- the words of one run of text
belong to one cell -- consuming the label's words in order: a label ends when its last word
has been read, at a rule drawn under it, or at a blank line. So a header that wraps to four
lines is read whole, and a body word below it that happens to look like a label word
("Guidance," under "(statutory guidance)") stays body text.
"""

from __future__ import annotations

import bisect
import re
import statistics
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz, process

from actionplan.extract.geometry import Metrics
from actionplan.extract.pages import PageLayout
from actionplan.schema.records import Word


@dataclass(frozen=True)
class ColumnSpec:
    """A column the profile knows: the field it feeds and the labels that name it."""

    field: str
    labels: tuple[str, ...]


@dataclass(frozen=True)
class HeaderSettings:
    """The columns a header row is looked for by, and how closely a label must match."""

    columns: tuple[ColumnSpec, ...]
    labels_required: int  # how many labels make a header row
    word_similarity: int  # rapidfuzz ratio a printed word needs against a label word
    layout: tuple[str, ...] = ()  # the usual fields left to right (missing labels are inferred in it)


# A column whose label fits several fields has the field "rating|status" until its cells decide.
AMBIGUOUS_SEPARATOR = "|"


@dataclass(frozen=True)
class HeaderCell:
    """One label of a header row: its field, the words printed and their extent."""

    field: str
    label: str  # as printed
    left: float  # where the label's first word starts
    right: float  # where its text ends
    words: tuple[Word, ...]
    matched: str = ""  # the profile label it was matched with ("" for an unknown column)
    score: float = 0.0  # how well the printed label reads as it (rapidfuzz, 0-100)


@dataclass(frozen=True)
class HeaderRow:
    """A table header row found on a page, its cells left to right."""

    page: int
    top: float
    bottom: float
    cells: tuple[HeaderCell, ...]  # left to right
    # labels centred in their cells: they do not start at the column; None when no label
    # wraps to say so either way (then the text below decides: extract/columns.py)
    centred: bool | None = False

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(w for cell in self.cells for w in cell.words)

    @property
    def column_lefts(self) -> tuple[float, ...]:
        return tuple(cell.left for cell in self.cells)

    @property
    def label_rights(self) -> tuple[float, ...]:
        return tuple(cell.right for cell in self.cells)

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(cell.field for cell in self.cells)


def tokens(text: str) -> list[str]:
    return list(_tokens(text))


@lru_cache(maxsize=65536)  # every word is tokenised once per label it is tried against
def _tokens(text: str) -> tuple[str, ...]:
    # NFKC: a label set with a ligature glyph ("Lead oﬃcer") reads as its letters.
    return tuple(t for t in re.split(r"[^a-z0-9]+", unicodedata.normalize("NFKC", text).lower()) if t)


@dataclass(frozen=True)
class _Label:
    """One label of one column, as tokens."""

    spec: int  # index into the settings' columns
    text: str
    tokens: tuple[str, ...]


def find_headers(page: PageLayout, settings: HeaderSettings, metrics: Metrics,
                 exclude: set[Word], rules=()) -> list[HeaderRow]:
    """Every header row on the page (a page may start a new table per theme)."""
    words = [w for w in page.words if w not in exclude and w.direction == 0]
    labels = [_Label(i, text, tuple(tokens(text))) for i, spec in enumerate(settings.columns)
              for text in spec.labels if tokens(text)]
    similarity = settings.word_similarity
    reach = LINE_CONTINUES * metrics.line_pitch
    by_top = sorted(words, key=lambda w: w.top)
    tops = [w.top for w in by_top]
    firsts = tuple(dict.fromkeys(label.tokens[0] for label in labels))
    # by id: every word here is one of this page's objects, and id() is a C call where a
    # word's own hash is a Python one (most of this function's hashing, one word at a time)
    starts_below: dict[int, Word | None] = {}

    def next_line_start(word: Word) -> Word | None:
        # asked by the seed test and again by the pairing below: found once a word
        key = id(word)
        if key not in starts_below:
            starts_below[key] = found = _next_line_start(word, by_top, tops, metrics)
            return found
        return starts_below[key]

    def may_seed(word: Word) -> bool:
        # The seed tests below, made before the costlier question whether the word opens a
        # cell (asked of every word, most of the page's time here): it reads as a label's
        # first word, or is one token whose cell's next line continues it into one.
        if _reads_as_a_first_word(word.text, firsts, similarity):
            return True
        if len(tokens(word.text)) != 1:
            return False
        below = _continuation(word, next_line_start(word), reach)
        return (below is not None and _reads_as_a_first_word(_joined_text(word.text, below), firsts, similarity)
                and any(_broken_label_word(word.text, below, label.tokens, similarity) for label in labels))

    openers = _cell_openers(words, metrics, may_seed)
    opening = [w for w in words if w in openers]  # in reading order, each hashed once
    # each opener with the piece its cell's next line may continue it with: looked up once,
    # not once per label (this pairing runs for every opener and label of every page)
    broken = [(w, _continuation(w, next_line_start(w), reach)) for w in opening]
    seeds = [(w, label) for label in labels for w, below in broken
             if _similar_text(w.text, label.tokens[0], similarity)
             or (below is not None and _broken_label_word(w.text, below, label.tokens, similarity))]
    horizontal = [r for r in rules if not r.vertical]
    headers: list[HeaderRow] = []
    used: set[int] = set()  # (ids of) words in a header row: a word is in one at most
    for seed, _ in sorted(seeds, key=lambda s: (s[0].top, s[0].x0)):
        if id(seed) in used or any(h.top - metrics.line_height <= seed.top <= h.bottom for h in headers):
            continue
        free = [w for w in words if id(w) not in used]
        free_seeds = [s for s in seeds if id(s[0]) not in used]
        header = _header_at(seed.top, free_seeds, free, settings, metrics, page.number, horizontal)
        if header:
            headers.append(header)
            used.update(map(id, header.words))
    return headers


# A line this many line pitches below another in the same cell continues it (the same
# reach _label_words gives a wrapped label).
LINE_CONTINUES = 1.6


def _cell_openers(words: Sequence[Word], metrics: Metrics, wanted=lambda word: True) -> set[Word]:
    """Words that can open a header cell: the first of a run of text on its line, with no
    line of text just above it (a label starts at its cell's first line; "indicative" on the
    second line of "Allocated to and / indicative timeline ..." opens nothing). Only the
    ``wanted`` words are asked about (the others are left out of the answer)."""
    openers = set()
    by_top = sorted(words, key=lambda w: w.top)
    tops = [w.top for w in by_top]
    reach = 1.25 * metrics.line_pitch
    for run in _runs(words, metrics):
        inside = [word for word in run[1:] if wanted(word)]
        for first in [run[0]] + (_aligned_starts(run, by_top, tops, metrics, inside) if inside else []):
            # only the words whose top lies within reach above: found by bisection, not a scan of the page
            nearby = by_top[bisect.bisect_left(tops, first.top - reach):bisect.bisect_left(tops, first.top)]
            above = any(0 < first.top - w.top <= reach and _over(w, first) for w in nearby)
            if not above and (first is not run[0] or wanted(first)):
                openers.add(first)
    return openers


def _aligned_starts(run: list[Word], by_top: list[Word], tops: list[float], metrics: Metrics,
                    among: Sequence[Word] | None = None) -> list[Word]:
    """Words inside a run that start a cell all the same: narrow cells leave less than a cell
    gap between their texts ("CHARACT OPPORTUNITY", 12.6 pt), but a cell's next line starts
    where it does ("IMPROVEMENT" under "OPPORTUNITY"), which running text rarely does; or the
    cell on the gap's left goes on to a next line that stops short of the gap, where the
    word's own label is one line ("CHARACTERISTI" / "C DESCRIPTION" beside "OPPORTUNITY FOR
    IMPROVEMENT", 12.2 pt: 2025 seed-151 s20-docx)."""
    asked = set(run[1:] if among is None else among)  # (``among``: only these words are asked about)
    starts = [word for before, word in zip(run, run[1:])
              if word in asked and _cell_edge_before(run[0], before, word, by_top, tops, metrics)]
    centred = _centred_tail_starts(run, by_top, tops, metrics)
    return starts + [word for word in centred if word in asked and word not in starts]


def _cell_edge_before(first: Word, before: Word, word: Word, by_top: list[Word], tops: list[float],
                      metrics: Metrics) -> bool:
    """Is the gap between ``before`` and ``word`` a cell's edge? A gap of half a cell gap
    or more is one when either cell shows it: ``word``'s next line starts where it does, or
    the text before wraps short of the gap. A narrower gap, no wider than a space, is one
    when both do and the next line leaves half a cell gap there: a label too wide for its
    narrow cell runs to a space's width of the next label ("(STATUTORY" 3.1 pt from
    "OPPORTUNITY"; "IMPROVEMENT" under it, 7.9 pt after "GUIDANCE)": 2024 seed-199
    s08-html). Running text under a header can show the first two by chance -- "providing"
    0.4 pt from under "IMPROVEMENT", "managers" before it ending just short (2025 seed-163
    s07-html) -- but with a space between them."""
    gap = word.x0 - before.x1
    if gap <= 0:
        return False
    below = _next_line_start(word, by_top, tops, metrics)
    if gap >= 0.5 * metrics.cell_gap:
        return below is not None or _left_cell_wraps_short(first, before, word, by_top, tops, metrics)
    return (below is not None and _gap_before(below, first, by_top, tops, metrics) >= 0.5 * metrics.cell_gap
            and _left_cell_wraps_short(first, before, word, by_top, tops, metrics))


def _gap_before(word: Word, first: Word, by_top: list[Word], tops: list[float], metrics: Metrics) -> float:
    """The space before ``word`` on its line, back to the nearest word ending before it and
    starting right of ``first`` (infinite if none does)."""
    line = by_top[bisect.bisect_left(tops, word.top - metrics.level_tolerance):
                  bisect.bisect_right(tops, word.top + metrics.level_tolerance)]
    ends = [w.x1 for w in line if w.x1 <= word.x0 and w.x0 >= first.x0 - metrics.level_tolerance]
    return word.x0 - max(ends) if ends else float("inf")


def _centred_tail_starts(run: list[Word], by_top: list[Word], tops: list[float], metrics: Metrics) -> list[Word]:
    """Words inside a run that start a centred cell's line, however close the text before
    them: a label too wide for its narrow cell runs up to the next label ("(STATUTORY"
    0.9 pt from "OPPORTUNITY FOR": 2024 seed-199 s12-html), but the next label's next line
    is a run of its own centred under the words from there to the run's end ("IMPROVEMENT").
    Running text shows no such thing: its next line is one run from the line's start."""
    if len(run) < 2:
        return []
    below = by_top[bisect.bisect_right(tops, run[0].top + metrics.level_tolerance):
                   bisect.bisect_right(tops, run[0].top + LINE_CONTINUES * metrics.line_pitch)]
    top = min((w.top for w in below if w.x1 > run[1].x0 and w.x0 < run[-1].x1), default=None)
    if top is None:
        return []
    nearest = [w for w in below if abs(w.top - top) <= metrics.level_tolerance]  # the next line, whole
    tolerance = CENTRED_WITHIN * metrics.line_height
    end = run[-1].x1
    found = []
    for under in _runs(nearest, metrics):
        centre = (under[0].x0 + under[-1].x1) / 2
        for word in run[1:]:
            if (word.x0 - tolerance <= under[0].x0 and under[-1].x1 <= end + tolerance
                    and abs((word.x0 + end) / 2 - centre) <= tolerance):
                found.append(word)
                break
    return found


def _left_cell_wraps_short(first: Word, before: Word, word: Word, by_top: list[Word], tops: list[float],
                           metrics: Metrics) -> bool:
    """Does the text from ``first`` to ``before`` go on to a next line (starting where
    ``first`` does) whose words all end before the gap between ``before`` and ``word``?
    Running text wraps across the gap; a cell's next line stays inside the cell. Every
    word printed under the text down to that line counts, not only that line's: a body
    row's first cell may go on lower than its neighbours ("2. Leadership" over a score
    set a little lower, "YELLOW"), whose own next lines run across the gap (2025 seed-197
    s13-html: "progress" mid-line in the body read as the "Progress" label)."""
    start = _next_line_start(first, by_top, tops, metrics)
    if start is None:
        return False
    under = [w for w in by_top[bisect.bisect_right(tops, first.top + metrics.level_tolerance):
                               bisect.bisect_right(tops, start.top + metrics.level_tolerance)]
             if w.x0 >= first.x0 - metrics.level_tolerance]
    ends = [w.x1 for w in under if w.x0 < word.x0]
    return bool(ends) and max(ends) < (before.x1 + word.x0) / 2


def _next_line_start(word: Word, by_top: list[Word], tops: list[float], metrics: Metrics) -> Word | None:
    """The word starting where ``word`` starts on a line just below it (its cell's next line);
    or, under a word broken at a line-end hyphen, centred under it ("Character-" / "istic" of
    a centred label too wide for its narrow cell). Only a broken word: any shorter word of a
    centred label's next line sits inside a longer word above it ("indicative" under
    "Allocated to and" of an OCR'd header is not "Allocated"'s continuation), and a centred
    label broken with no hyphen is not recognised this way."""
    below = by_top[bisect.bisect_right(tops, word.top + metrics.level_tolerance):
                   bisect.bisect_right(tops, word.top + LINE_CONTINUES * metrics.line_pitch)]
    near = 0.25 * metrics.line_height
    broken = _ends_in_break(word.text)
    # ``below`` runs top down (stably), so its first word that starts there is the nearest:
    # what min by top would pick, without reading on (this runs for most words of a page)
    found = next((w for w in below if abs(w.x0 - word.x0) <= near
                  or (broken and abs(w.x0 + w.x1 - word.x0 - word.x1) <= 2 * near and word.x0 < w.x0 and w.x1 < word.x1)),
                 None)
    if found is None and broken:
        found = _centred_run_under(word, below, metrics)
    return found


def _centred_run_under(word: Word, below: Sequence[Word], metrics: Metrics) -> Word | None:
    """The first word of a run of text centred under a word broken at a line-end hyphen,
    the run at least as wide as the word: a centred label's next line may hold more than
    the broken word's piece ("CHARACTER-" / "ISTIC DESCRIP-" of a label wrapped to five lines
    in a narrow cell, 2025 seed-97 s42-docx)."""
    centre = (word.x0 + word.x1) / 2
    tolerance = 0.5 * metrics.line_height
    for run in _runs(below, metrics):  # the nearest line first
        if abs((run[0].x0 + run[-1].x1) / 2 - centre) <= tolerance and run[0].x0 <= word.x0 and run[-1].x1 >= word.x1:
            return run[0]
    return None


def _over(upper: Word, lower: Word) -> bool:
    """Is ``upper`` printed over ``lower`` (by more than a word running a point or two past
    its narrow cell: "Theme/" under the next cell's "Characteristic" still opens its cell)?"""
    overlap = min(upper.x1, lower.x1) - max(upper.x0, lower.x0)
    return overlap > 0.2 * min(upper.x1 - upper.x0, lower.x1 - lower.x0)


def _continuation(word: Word, first: Word | None, reach: float) -> str | None:
    """The text of ``first``, the word starting ``word``'s cell's next line, where ``word``
    is one token and ``first`` lies within ``reach`` below it: the piece a label's first
    word broken across the cell's first lines ("CHARACT" / "ERISTIC") would continue in."""
    if first is None or len(tokens(word.text)) != 1 or not 0 < first.top - word.top <= reach:
        return None
    return first.text


def _joined_text(text: str, below: str) -> str:
    """A word and the piece its cell's next line starts with, as one word."""
    return (text[:-1] if _ends_in_break(text) else text) + below


@lru_cache(maxsize=65536)  # every page's openers are tried against every label
def _broken_label_word(text: str, below: str, label_tokens: tuple[str, ...], similarity: int) -> bool:
    """``text`` and ``below`` (``_continuation``) join into a word that reads as the label's
    first (``_piece_join``'s test). The joined text is the one ``_joined_label_word`` gives
    where it gives one; its likeness to the first word, the cheaper test, is asked first."""
    return (_similar_text(_joined_text(text, below), label_tokens[0], similarity)
            and _joined_label_word(text, below, label_tokens, similarity) is not None)


@lru_cache(maxsize=65536)  # one question a word of the page, not one a word and label
def _reads_as_a_first_word(text: str, firsts: tuple[str, ...], similarity: int) -> bool:
    """``_similar_text`` against any of ``firsts``, the labels' first words, in one pass."""
    got = tokens(text)
    return bool(got) and any(len(got[0]) >= 0.7 * len(token) for token, _, _ in
                             process.extract(got[0], firsts, scorer=fuzz.ratio, score_cutoff=similarity, limit=None))


@lru_cache(maxsize=65536)  # each page tries its words against every label's first word again
def _similar_text(text: str, token: str, similarity: int) -> bool:
    got = tokens(text)
    # "The" is 75% like "Theme": a label's first word must also be about as long as it.
    return bool(got) and len(got[0]) >= 0.7 * len(token) and fuzz.ratio(got[0], token) >= similarity


# Header cells may be top-, middle- or bottom-aligned: their first words can sit a few
# lines apart. A header cell rarely holds more lines than this.
HEADER_CELL_LINES = 5


# A seed word whose cell does not read as its label is replaced by the next nearest one,
# this many times at most (the seeds farthest out of line with the row first).
SEED_RETRIES = 5


@dataclass
class _Attempt:
    """One reading of a header row from one set of seeds."""

    starts: list[tuple[Word, _Label]]
    cell_words: dict[int, list[Word]]  # each seed's cell's words (their runs fall in it), in the page's order
    cells: list[HeaderCell]
    opened: dict[HeaderCell, tuple[int, Word, _Label]]  # each cell's seed index, seed and label
    failed: list[tuple[tuple[Word, str], bool]]  # (seed, label) pairs that did not read, and whether they had words

    @property
    def reach(self) -> tuple[int, int]:
        return len(self.cells), sum(len(c.words) for c in self.cells)


def _header_at(top, seeds, words, settings: HeaderSettings, metrics, page_no, rules) -> HeaderRow | None:
    rejected: set[tuple[Word, str]] = set()  # (seed, label) pairs whose cell did not read as the label
    best: _Attempt | None = None
    for _ in range(SEED_RETRIES):
        starts = _nearest_starts(top, [s for s in seeds if (s[0], s[1].text) not in rejected], settings, metrics,
                                 rules)
        if len(starts) < settings.labels_required:
            return None
        attempt = _attempt(starts, seeds, words, settings, metrics, rules)
        # Each retry drops seeds; a later attempt can read less than an earlier one (a label
        # Word broke mid-word moves its words to its neighbour once its seed is gone), so the
        # attempt that read the most labels, then the most of their words, is kept.
        if best is None or attempt.reach > best.reach:
            best = attempt
        # Seeds are looked for a few lines either side of the row; the row is where its
        # labels read, not where the first seed was (a title's "Gap" above the header), so
        # a label set lower in its cell (bottom-aligned) is looked for from there.
        centre = statistics.median(attempt.opened[c][1].top for c in attempt.cells) if attempt.cells else top
        moved = _lines_apart(centre, top, metrics) > 0
        if not attempt.failed and not moved:
            break
        rejected.update(_to_blame(attempt.failed, starts, metrics) if attempt.failed else ())
        top = centre
    if best is None or len(best.cells) < settings.labels_required:
        return None
    cells = _to_row_bottom(best.cells, best.opened, best.cell_words, settings, metrics, rules)
    cells = _with_missing_columns(cells, best.starts, settings)
    cells = sorted(cells + _unknown_columns(cells, words, metrics, rules), key=lambda c: c.left)
    header_words = [w for c in cells for w in c.words]
    return HeaderRow(
        page=page_no,
        top=min(w.top for w in header_words),
        bottom=max(w.bottom for w in header_words),
        cells=tuple(cells),
        centred=_labels_centred(cells, metrics),
    )


def _attempt(starts, seeds, words, settings: HeaderSettings, metrics, rules) -> _Attempt:
    """Each seed's cell read as its label; the cells that do not read as it, or overlap a
    cell of a longer label, failed."""
    lefts = [seed.x0 for seed, _ in starts]
    cell_words = _by_cell(words, _run_owners(words, lefts, metrics, [seed for seed, _ in starts]))
    cells, failed, opened = [], [], {}
    for index, (seed, label) in enumerate(starts):
        picked = _label_words(seed, label, cell_words.get(index, []), settings, metrics, rules)
        score = _reads_as(picked, label, settings)
        if score:
            label, score = _printed_whole(picked, seed, label, score, seeds, starts, settings)
            cells.append(_cell(settings.columns[label.spec].field, picked, seed, metrics, label.text, score))
            opened[cells[-1]] = (index, seed, label)
        else:
            failed.append(((seed, label.text), bool(picked)))
    overlapped = _overlapped(cells, metrics)
    failed += [((next(s for s, lb in starts if lb.text == c.matched and s.x0 == c.left), c.matched), True)
               for c in overlapped]
    cells = [c for c in cells if c not in overlapped]
    return _Attempt(starts, cell_words, cells, opened, failed)


def _to_row_bottom(cells, opened, cell_words, settings: HeaderSettings, metrics, rules) -> list[HeaderCell]:
    """The header is one row of the table: text printed in a cell level with another
    cell's label lines is header text, whatever its words ("Characteristic description /
    (from the / statutory guidance)": "(from the" is level with "given" and "timeline"
    beside it). Each cell is read again with the row's lowest label line, and after such a
    line it goes on while its lines carry the label's next words. A cell that then no
    longer reads as its label keeps its first reading."""
    out = cells
    for _ in range(len(cells)):  # a cell read further down may lower the row: read again
        bottom = max(w.top for c in out for w in c.words)
        again = []
        for cell in out:
            index, seed, label = opened[cell]
            picked = _label_words(seed, label, cell_words.get(index, []), settings, metrics, rules, bottom)
            score = _reads_as(picked, label, settings) if len(picked) > len(cell.words) else 0.0
            longer = _cell(cell.field, picked, seed, metrics, cell.matched, score) if score else cell
            opened[longer] = opened[cell]
            again.append(longer)
        if again == out:
            break
        out = again
    return out


def _to_blame(failed, starts, metrics) -> list[tuple[Word, str]]:
    """The (seed, label) pairs to reject after an attempt some cells failed. A label whose
    seed lost its words to another seed at the same place is not to blame: the labels that
    read as something else are, and only those if any did. Of these, the seeds out of line
    with the row are blamed first: a wrong seed (a title's "Gap" above the header) takes a
    column and moves its neighbours' words into the wrong cells, so the labels it made
    misread are retried without it before they are rejected too."""
    misread = [pair for pair, had_words in failed if had_words]
    suspects = misread or [pair for pair, _ in failed]
    row_top = statistics.median(seed.top for seed, _ in starts)
    distance = {pair: _lines_apart(pair[0].top, row_top, metrics) for pair in suspects}
    farthest = max(distance.values())
    return [pair for pair in suspects if distance[pair] == farthest]


def _lines_apart(top: float, other: float, metrics: Metrics) -> int:
    """How many lines apart two tops are (0: level)."""
    gap = abs(top - other)
    return 0 if gap <= metrics.level_tolerance else max(1, round(gap / metrics.line_pitch))


def _printed_whole(picked, seed, label: _Label, score: float, seeds, starts, settings: HeaderSettings
                   ) -> tuple[_Label, float]:
    """Of the labels starting at the cell's first word, the one it prints most of: a cell
    printing "RAG" is the label "RAG" (rating or status, its cells decide), not half of "RAG
    rating". Only a column no other cell of the row has taken; a tie keeps the label."""
    taken = {other.spec for _, other in starts}
    best, best_cover = label, _label_cover(picked, label, settings)
    for word, other in seeds:
        if word is not seed or other.spec in taken:
            continue
        cover = _label_cover(picked, other, settings)
        if cover > best_cover and _reads_as(picked, other, settings):
            best, best_cover = other, cover
    return (best, _reads_as(picked, best, settings)) if best is not label else (label, score)


def _label_cover(picked, label: _Label, settings: HeaderSettings) -> float:
    printed = tokens(" ".join(w.text for w in picked))
    return sum(any(fuzz.ratio(t, o) >= settings.word_similarity for o in printed)
               for t in label.tokens) / len(label.tokens)


def _overlapped(cells: list[HeaderCell], metrics: Metrics) -> list[HeaderCell]:
    """Header cells share no x: of two cells that overlap ("Gap Analysis and ..." in a title
    above "Theme/ Score given"), the one matched by the shorter label is not a header cell.
    A label word too long for its cell runs a few points into the next one ("CHARACTERISTIC"
    in a narrow column, 4 of the next cell's 90 points; "Theme/" 1.4 of 38): an overlap of a
    small share of the narrower cell does not count. A body word read as a one-word label
    ("power." for "Owner") reaches further into the cell it overlaps."""
    out = []
    for a in cells:
        if any(a is not b and _overlap(a, b, metrics) > SPILL_SHARE * min(a.right - a.left, b.right - b.left)
               and len(tokens(a.matched)) < len(tokens(b.matched)) for b in cells):
            out.append(a)
    return out


# How much of the narrower of two header cells a label word spilling past its cell's edge
# may cover (a letter or two of a long label over a cell's width).
SPILL_SHARE = 0.15


def _overlap(a: HeaderCell, b: HeaderCell, metrics: Metrics) -> float:
    return min(_core_right(a, metrics), _core_right(b, metrics)) - max(a.left, b.left)


def _core_right(cell: HeaderCell, metrics: Metrics) -> float:
    """Where a cell's label ends, but for its widest line when it has several: a label
    wider than its narrow cell ("Characteristic" over "description / (statutory /
    guidance)") runs over the next cell on that line alone (seed-7 s18-html: it cost the
    next column, whose label printed lower beside it). A one-line cell (a title, a body
    word) keeps its whole width."""
    rights = sorted(max(w.x1 for w in line) for line in _lines(cell.words, metrics))
    return rights[-2] if len(rights) > 1 else cell.right


def _nearest_starts(top, seeds, settings, metrics, rules=()) -> list[tuple[Word, _Label]]:
    """Per column, the seed word nearest ``top`` (a few lines either way), left to right.
    A word can start one label only, and none across a rule from the nearest: a rule drawn
    under the header ends it ("by" of the first body line under it, s23-html seed 7, is no
    "By when" label)."""
    reach = HEADER_CELL_LINES * metrics.line_pitch
    chosen: dict[int, tuple[Word, _Label]] = {}
    nearest = None
    # Nearest first; of labels starting at one word, the longest (most specific) first.
    for seed, label in sorted(seeds, key=lambda s: (abs(s[0].top - top), s[0].x0, -len(s[1].tokens))):
        if abs(seed.top - top) > reach or label.spec in chosen:
            continue
        if any(seed is other for other, _ in chosen.values()):
            continue
        if nearest is not None and _across_a_rule(rules, nearest, seed):
            continue
        chosen[label.spec] = (seed, label)
        nearest = nearest or seed
    return sorted(chosen.values(), key=lambda s: s[0].x0)


def _cell(field: str, picked: Sequence[Word], seed: Word, metrics: Metrics, matched: str = "",
          score: float = 0.0) -> HeaderCell:
    text = " ".join(w.text for line in _lines(picked, metrics) for w in line)
    return HeaderCell(field, text, seed.x0, max(w.x1 for w in picked), tuple(picked), matched, round(score, 1))


# How much of a label's text its header cell must show (rapidfuzz token_set_ratio).
LABEL_SIMILARITY = 80
# At least this share of the label's words the cell must print ("Characteristic" for
# "Characteristic description" is enough), and more than this share of the cell's words
# must be the label's: "Allocated to" is not "Allocated to and indicative timeline ...",
# and a body line "Update: 10/9/24 - the council ..." is not the label "Update".
LABEL_COVERAGE = 0.5


def _reads_as(picked: Sequence[Word], label: _Label, settings: HeaderSettings) -> float:
    """How well the cell reads as its whole label, not just its first word (0: it does not)."""
    text = " ".join(w.text for w in sorted(picked, key=lambda w: (w.top, w.x0)))
    rejoined = LABEL_BREAK.sub(r"\1", text)  # "Opportunities for Im- provement", as one word
    readings = {text, rejoined, _joined_pieces(picked, label, settings)}
    return max(_reads_text_as(t, label, settings) for t in readings)


# A hyphen at a label line's end, then the next line's word: a typesetter's break, or a
# compound's own hyphen ("Self-" / "assessment") -- both readings are tried.
LABEL_BREAK = re.compile(r"(\w)[-\u2010\u00ad] (?=\w)")


def _ends_in_break(text: str) -> bool:
    return len(text) > 1 and text[-1] in "-\u2010\u00ad" and text[-2].isalpha()


def _piece_join(text: str, below: Word, word: Word, label: _Label, settings: HeaderSettings,
                reach: float) -> str | None:
    """``text`` (a line's last word) joined with the first word of the line below, where the
    joined word is one of the label's and reads as it better than either piece: a label word
    broken for want of room, with a hyphen ("Im-" / "provement") or without (Word's "THE" /
    "ME/" in a narrow cell). None where the pieces are words of their own."""
    if not 0 < below.top - word.top <= reach:
        return None
    return _joined_label_word(text, below.text, label.tokens, settings.word_similarity)


@lru_cache(maxsize=65536)  # the same pieces are tried on every page a header repeats on
def _joined_label_word(text: str, below: str, label_tokens: tuple[str, ...], similarity: int) -> str | None:
    """``_piece_join`` once the pieces sit one under the other: the joined text, or None."""
    joined = _joined_text(text, below)
    ahead, behind, together = tokens(text), tokens(below), tokens(joined)
    if not ahead or not behind or len(together) != len(ahead) + len(behind) - 1:
        return None  # the pieces do not meet in one word ("ME/" / "SCO" stay two)
    merged = together[len(ahead) - 1]

    def best(token: str) -> float:
        return max(fuzz.ratio(token, t) for t in label_tokens)
    fit = best(merged)
    return joined if fit >= similarity and fit > max(best(ahead[-1]), best(behind[0])) else None


def _joined_pieces(picked: Sequence[Word], label: _Label, settings: HeaderSettings) -> str:
    """The cell's text with its broken label words joined (``_piece_join``)."""
    lines: list[list[Word]] = []
    for word in sorted(picked, key=lambda w: (w.top, w.x0)):
        if lines and word.top - lines[-1][0].top <= 0.5 * (word.bottom - word.top):
            lines[-1].append(word)
        else:
            lines.append([word])
    pitch = statistics.median([b[0].top - a[0].top for a, b in zip(lines, lines[1:])] or [1.0])
    texts = [[w.text for w in line] for line in lines]
    for n in range(len(lines) - 1):
        joined = _piece_join(texts[n][-1], lines[n + 1][0], lines[n][-1], label, settings, LINE_CONTINUES * pitch)
        if joined is not None:
            texts[n].pop()
            texts[n + 1][0] = joined
    return " ".join(t for line in texts for t in line)


def _reads_text_as(text: str, label: _Label, settings: HeaderSettings) -> float:
    printed = tokens(text)
    score = fuzz.token_set_ratio(" ".join(printed), " ".join(label.tokens))
    if score < LABEL_SIMILARITY or not printed:
        return 0.0
    # A bracketed qualifier is the label's own: "Progress update (September 2025)".
    unqualified = tokens(re.sub(r"\([^)]*\)?", " ", text)) or printed

    def share(these, among):
        return sum(any(fuzz.ratio(t, o) >= settings.word_similarity for o in among) for t in these) / len(these)
    if share(label.tokens, printed) < LABEL_COVERAGE or share(unqualified, label.tokens) <= LABEL_COVERAGE:
        return 0.0
    if not _prints_a_content_word(printed, label, settings):
        return 0.0
    return score


# Words that say nothing of which label a cell prints: "by" alone is not "By when".
FUNCTION_WORDS = frozenset({"a", "an", "and", "by", "for", "in", "of", "on", "or", "the", "to", "with"})


def _prints_a_content_word(printed: Sequence[str], label: _Label, settings: HeaderSettings) -> bool:
    """Does the cell print a word of its label other than a function word? A body line just
    under a tall header ("... CHoCSDCS by Q1", 2024 seed-179 s21-docx, no rules) offered
    "by" as the "By when" label: half its words, so it read as the label, and the row took
    the body's first line in (an extra column "we", the owner column cut to "Allocated to
    and", 51 characters lost)."""
    content = [t for t in label.tokens if t not in FUNCTION_WORDS]
    return not content or any(fuzz.ratio(t, o) >= settings.word_similarity for t in content for o in printed)


def _unknown_columns(cells: list[HeaderCell], words, metrics: Metrics, rules) -> list[HeaderCell]:
    """Header text beside the known labels that no label claimed: a column the profile does
    not know. Its words, grouped by the x-range they share, are its label."""
    if not cells:
        return []
    used = {w for c in cells for w in c.words}
    found = [c for c in cells if c.words]
    top = min(w.top for c in found for w in c.words) - metrics.level_tolerance
    bottom = max(w.top for c in found for w in c.words) + metrics.level_tolerance
    spans = [(min(w.x0 for w in c.words), max(w.x1 for w in c.words)) for c in found]
    loose = [w for w in words if w not in used and top <= w.top <= bottom
             and not any(x0 - metrics.cell_gap < (w.x0 + w.x1) / 2 < x1 + metrics.cell_gap for x0, x1 in spans)]
    groups: list[list[Word]] = []
    for run in _runs(loose, metrics):
        x0, x1 = run[0].x0, run[-1].x1
        home = next((g for g in groups if x0 < max(w.x1 for w in g) and x1 > min(w.x0 for w in g)), None)
        if home is None:
            groups.append(list(run))
        else:
            home.extend(run)
    out = []
    for group in groups:
        if not any(tokens(w.text) for w in group):
            continue
        left = min(w.x0 for w in group)
        seed = next(w for w in group if w.x0 == left)
        out.append(_cell("extra", group, seed, metrics))
    return out


def _with_missing_columns(cells: list[HeaderCell], starts, settings: HeaderSettings) -> list[HeaderCell]:
    """A label OCR destroyed beyond recognition, between labels found in the profile's own
    order: its column is still there, half-way between its neighbours (or just beside the
    last one). Labels printed in another order give no such hint."""
    layout = list(settings.layout)
    fields = [c.field for c in cells]
    if not layout or any(f not in layout for f in fields):
        return cells
    specs = [layout.index(f) for f in fields]
    if specs != sorted(specs):
        return cells
    by_spec = dict(zip(specs, cells))
    known = sorted(by_spec)
    out = []
    for spec in range(len(layout)):
        if spec in by_spec:
            out.append(by_spec[spec])
            continue
        before = [k for k in known if k < spec]
        after = [k for k in known if k > spec]
        if before and after:
            (i0, x0), (i1, x1) = (before[-1], by_spec[before[-1]].left), (after[0], by_spec[after[0]].left)
            left = x0 + (x1 - x0) * (spec - i0) / (i1 - i0)
        elif before:  # text right of the last label found is the missing column's
            left = by_spec[before[-1]].left + 1.0
        else:  # text left of the first label found is the missing column's
            left = by_spec[after[0]].left - 1.0
        out.append(HeaderCell(layout[spec], "", left, left, ()))
    return out


def label_ranges(lefts) -> list[tuple[float, float]]:
    """Where each label's words may start: half-way to its neighbours' first words. A
    centred label's longer lines start left of its first word."""
    cuts = [float("-inf")] + [(a + b) / 2 for a, b in zip(lefts, lefts[1:])] + [float("inf")]
    return list(zip(cuts, cuts[1:]))


def _labels_centred(cells: Sequence[HeaderCell], metrics: Metrics) -> bool | None:
    """A label wrapped over lines that start at different x but share a centre is centred;
    lines sharing their start are left-aligned. The majority of wrapped labels decides. Lines
    of nearly one length share both their start and their centre: such a label says neither.
    None: no label says either, or they are evenly split (labels printed on one line each)."""
    votes = 0
    for cell in cells:
        lines: dict[float, list[Word]] = {}
        for word in cell.words:
            key = next((t for t in lines if abs(t - word.top) <= metrics.level_tolerance), word.top)
            lines.setdefault(key, []).append(word)
        if len(lines) < 2:
            continue
        starts = [min(w.x0 for w in ws) for ws in lines.values()]
        centres = [(min(w.x0 for w in ws) + max(w.x1 for w in ws)) / 2 for ws in lines.values()]
        same_start = max(starts) - min(starts) <= metrics.level_tolerance
        same_centre = max(centres) - min(centres) <= 2 * metrics.level_tolerance
        if same_start and not same_centre:
            votes -= 1
        elif same_centre and not same_start:
            votes += 1
    return None if votes == 0 else votes > 0


def _run_owners(words, lefts, metrics, seeds: Sequence[Word] = ()) -> dict[Word, int]:
    """Which label's range each word's run of text falls in (by the run's start, else its
    centre): a run never straddles two header cells."""
    ranges = label_ranges(lefts)
    owners: dict[Word, int] = {}
    tolerance = metrics.level_tolerance
    pieces = [piece for whole in _runs(words, metrics) for piece in _split_at_lefts(whole, lefts, metrics)]
    centres = _seed_centres(pieces, seeds)
    pieces = [part for piece in pieces for part in _split_at_centres(piece, centres, ranges, metrics)]
    for run in pieces:
        index = next((i for i in range(len(ranges)) if abs(run[0].x0 - lefts[i]) <= tolerance), None)
        if index is None:
            centre = (run[0].x0 + run[-1].x1) / 2
            index = next(i for i, (low, high) in enumerate(ranges) if low <= centre < high)
        owners.update((w, index) for w in run)
    return owners


def _seed_centres(pieces: Sequence[list[Word]], seeds: Sequence[Word]) -> list[float | None]:
    """The centre of the text each seed opens on its line (None where the seed opens no
    piece of its own): where a centred label's next lines are centred."""
    opening = {piece[0]: piece for piece in pieces}
    return [(opening[seed][0].x0 + opening[seed][-1].x1) / 2 if seed in opening else None for seed in seeds]


def _split_at_centres(piece: list[Word], centres: Sequence[float | None], ranges, metrics) -> list[list[Word]]:
    """A centred label too wide for its narrow cell runs on to the next cell's line
    ("Theme /" 8.9 pt from "description (from", "Recommendations /" 1.1 pt from
    "indicative": 2024 seed-191 s05-html), closer than a cell gap and starting at no label's
    left. The words centred where a label's own first line is centred, starting in that
    label's range, are that label's line: they are cut from the run."""
    tolerance = CENTRED_WITHIN * metrics.line_height
    for k in range(1, len(piece)):
        for centre, (low, high) in zip(centres, ranges):
            if (centre is None or not low <= piece[k].x0 < high or low <= piece[0].x0
                    or centre <= piece[k - 1].x1):  # into the next label's range only
                continue
            for m in range(k, len(piece)):
                middle = (piece[k].x0 + piece[m].x1) / 2  # grows with m
                if middle > centre + tolerance:
                    break
                if middle >= centre - tolerance:
                    rest = _split_at_centres(piece[m + 1:], centres, ranges, metrics) if m + 1 < len(piece) else []
                    return [piece[:k], piece[k:m + 1]] + rest
    return [piece]


# A centred line's centre lies this share of a line's height from its cell's other lines'
# (the same nearness _next_line_start allows a line start).
CENTRED_WITHIN = 0.25


def _by_cell(words, owner: dict[Word, int]) -> dict[int, list[Word]]:
    """The words of each label's cell, in the order of ``words``: grouped once, so that
    reading a label looks at its own cell's words, not every word of the page."""
    by_cell: dict[int, list[Word]] = {}
    for word in words:
        by_cell.setdefault(owner[word], []).append(word)
    return by_cell


def _near_any(x: float, xs, tolerance: float) -> bool:
    """any(abs(x - other) <= tolerance for other in xs), written out."""
    for other in xs:
        if abs(other - x) <= tolerance:
            return True
    return False


def _split_at_lefts(run: list[Word], lefts, metrics) -> list[list[Word]]:
    """Narrow cells print their labels closer than a cell gap: a word starting where another
    label starts opens that label's cell, whatever the gap before it -- unless that gap is
    the line's own word spacing. A line of running text under the header (a full-width
    theme intro, justified) has a word that starts at a label's left by chance ("as" under
    "Allocated", seed-7 s25-html): its spaces before and after are all alike, while a
    cell's edge leaves a wider gap, or a narrower one where a label ran over it."""
    pieces: list[list[Word]] = []
    gaps = [b.x0 - a.x1 for a, b in zip(run, run[1:])]
    for i, word in enumerate(run):
        at_left = _near_any(word.x0, lefts, metrics.level_tolerance)
        if pieces and (not at_left or _word_spacing(gaps, i - 1, metrics)):
            pieces[-1].append(word)
        else:
            pieces.append([word])
    return pieces


# A run's word spacing shows once it has this many other gaps; a gap is one of them within
# this share of a line's height of their median (justified lines stretch all their spaces
# alike; a cell's edge differs by its two paddings at least).
SPACING_MIN_GAPS = 3
SPACING_LIKE = 0.2


def _word_spacing(gaps: list[float], at: int, metrics: Metrics) -> bool:
    """Is gap ``at`` of a run as wide as the run's other gaps (a space, not a cell's edge)?"""
    others = gaps[:at] + gaps[at + 1:]
    if len(others) < SPACING_MIN_GAPS:
        return False
    return abs(gaps[at] - statistics.median(others)) <= SPACING_LIKE * metrics.line_height


def _runs(words, metrics) -> list[list[Word]]:
    """Words on one line separated by no more than a few spaces."""
    # Lines first, by chained tops (rounding tops into bands would split a tilted line at a
    # band edge: "Opportunity for" / "Improvement" 0.6 pt higher), then runs along each line.
    # The gap before a word is from the line's furthest right so far, and the word goes on
    # that run: a glyph printed inside a word ("/" of a too-wide "Theme /" over the "(" of
    # the next cell's "(from", 2024 seed-7 s26-html) is a run of its own, and the word after
    # it still follows the word it sits on ("(from the").
    runs: list[list[Word]] = []
    for line in _lines(words, metrics):
        run: list[Word] | None = None  # a run never reaches back to the line above
        right = float("-inf")
        for word in line:
            if run is not None and 0 <= word.x0 - right <= metrics.cell_gap:
                run.append(word)
            else:
                runs.append([word])
                if word.x1 <= right:
                    continue  # inside the run before: that one still reaches furthest
                run = runs[-1]
            right = max(right, word.x1)
    return runs


def _label_words(seed, label: _Label, cell_words, settings: HeaderSettings, metrics,
                 rules, row_bottom: float = float("-inf")) -> list[Word]:
    """The words of one header cell: its lines from the label's first word down, while
    each line carries the label's next words, until the label is complete. Every word of a
    label line belongs to the header (a reworded label has words of its own), and so does
    every line down to ``row_bottom`` (the header row's lowest label line, when known).
    ``cell_words``: the words whose runs fall in the seed's cell (``_by_cell``)."""
    column = [w for w in cell_words if w.top >= seed.top - metrics.level_tolerance]
    picked: list[Word] = []
    remaining = list(label.tokens)
    last_line: list[Word] | None = None
    line_above: list[Word] | None = None  # the picked line before last_line
    lines = _lines(column, metrics)
    carried: str | None = None  # a word piece the line above ended with, joined to this line's first
    for n, line in enumerate(lines):
        if last_line is None:
            line = [w for w in line if w.x0 >= seed.x0 - metrics.level_tolerance] if seed in line else []
            if not line:
                continue
        elif (line[0].top - last_line[0].top > LINE_CONTINUES * metrics.line_pitch
              or _rule_between(rules, last_line[0], line[0])):
            break
        in_row = line[0].top <= row_bottom + metrics.level_tolerance
        if last_line is not None and not in_row and (not remaining or _past_own_pitch(line, last_line, line_above, metrics)):
            break
        line = _first_run(line, metrics)  # text a cell gap further right is another column's
        below = lines[n + 1][0] if n + 1 < len(lines) else None
        consumed, carries = 0, None
        for i, word in enumerate(line):
            text = carried if i == 0 and carried is not None and last_line is not None else word.text
            if i == len(line) - 1 and below is not None:
                # A label word broken across its lines ("Im-" / "provement", Word's "THE" /
                # "ME/" in a narrow cell) is read once, joined, on the line it ends on.
                carries = _piece_join(text, below, word, label, settings, LINE_CONTINUES * metrics.line_pitch)
                if carries is not None:
                    break
            consumed += _consume(tokens(text), remaining[consumed:], settings) or 0
        if (last_line is not None and consumed == 0 and carries is None and any(tokens(w.text) for w in line)
                and not in_row):
            break  # a line with none of the label's words below the row: the body has begun
        carried = carries
        del remaining[:consumed]
        picked.extend(line)
        line_above, last_line = last_line, line
    return picked


def _past_own_pitch(line: list[Word], last_line: list[Word], line_above: list[Word] | None,
                    metrics: Metrics) -> bool:
    """Is ``line`` further below the cell's last line than the cell's own lines are apart?
    A label's wrapped lines are set at one pitch; the body's first line is a cell padding
    lower (2025 seed-41 s04-html: "results in Q3 2024. Action" under a reworded "Allocated
    to / indicative timeline" read as header, and "'My" beside it as a column)."""
    if line_above is None:
        return False
    own_pitch = last_line[0].top - line_above[0].top
    return line[0].top - last_line[0].top > own_pitch + metrics.level_tolerance


def _first_run(line: list[Word], metrics: Metrics) -> list[Word]:
    """The line's words up to the first cell gap. The gap is from the furthest right any
    word before has reached: a glyph printed over a word ("/" of a too-wide "Theme /" over
    the "(" of the next cell's "(from", 2024 seed-7 s26-html) ends inside that word, and the
    space after the word is no wider for it."""
    right = line[0].x1
    for i in range(1, len(line)):
        if line[i].x0 - right > metrics.cell_gap:
            return line[:i]
        right = max(right, line[i].x1)
    return line


def _lines(words: Sequence[Word], metrics: Metrics) -> list[list[Word]]:
    """Words in reading order, as lines: tops chained within the level tolerance."""
    lines: list[list[Word]] = []
    tolerance = metrics.level_tolerance
    for word in sorted(words, key=lambda w: w.top):
        if lines and word.top - lines[-1][-1].top <= tolerance:
            lines[-1].append(word)
        else:
            lines.append([word])
    return [sorted(line, key=lambda w: w.x0) for line in lines]


def _consume(word_tokens: list[str], remaining: list[str], settings: HeaderSettings) -> int:
    """How many of the label's remaining tokens this word's tokens use up, matching in
    order (a label word or two may be left out); 0 for a word that is not the label's."""
    used = 0
    for token in word_tokens:
        hit = next((i for i, lt in enumerate(remaining[used:used + LABEL_WORDS_SKIPPED + 1])
                    if fuzz.ratio(token, lt) >= settings.word_similarity), None)
        if hit is not None:
            used += hit + 1
    return used


# A reworded label may leave out this many of the label's words between two it prints.
LABEL_WORDS_SKIPPED = 2


def _across_a_rule(rules, one: Word, other: Word) -> bool:
    """A horizontal rule between the two words' lines, under or over ``other``."""
    upper, lower = sorted((one, other), key=lambda w: w.top)
    return _rule_between(rules, upper, lower, at=other)


def _rule_between(rules, upper: Word, lower: Word, at: Word | None = None) -> bool:
    """A rule drawn between two header lines closes the header above it (a rule under
    ``at``'s x: the lower word's unless told)."""
    if lower.top - upper.top <= 0.5 * (upper.bottom - upper.top):
        return False
    x = (at or lower).x0
    return any(upper.bottom - 1.0 <= r.top <= lower.top + 1.0 and r.x0 <= x <= r.x1 for r in rules)
