"""Words -> lines -> paragraphs, with every threshold relative to the document's own type size."""

from __future__ import annotations

import math
import statistics
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property
from operator import attrgetter

from actionplan.errors import InputError
from actionplan.schema.records import Line, Paragraph, Word


PARAGRAPH_GAP = 1.45  # a step between lines this many pitches long breaks a paragraph


@dataclass(frozen=True)
class Metrics:
    """Typical sizes measured on the document itself, so no threshold is a fixed coordinate."""

    line_height: float  # median height of a word box
    line_pitch: float  # most common distance between the tops of consecutive lines

    # Worked out once each (cached_property writes the instance's dict, which a frozen
    # dataclass allows): asked about 90,000 times in a short plan, a property's call each.
    @cached_property
    def level_tolerance(self) -> float:
        # Two paragraphs "start level" when their first lines overlap by most of a line.
        return 0.5 * self.line_height

    @cached_property
    def cell_gap(self) -> float:
        # Between words of a line, a gap wider than a few spaces is a cell border.
        return 1.2 * self.line_height

    @cached_property
    def paragraph_gap(self) -> float:
        # A blank line, or paragraph spacing, makes the pitch clearly larger than usual.
        return PARAGRAPH_GAP * self.line_pitch


def measure(words: Sequence[Word]) -> Metrics:
    # Zero-size glyphs (a 0 font size, a flattened text matrix, a page box so large that
    # positions lose their precision) have no height to measure by.
    heights = [w.bottom - w.top for w in words if w.bottom - w.top > 0 and math.isfinite(w.bottom - w.top)]
    if not heights:
        raise InputError("the PDF's text has no measurable size (zero font sizes or zero-height lines, "
                         "or a page box too large for its coordinates); it cannot be laid out")
    height = statistics.median(heights)
    # Pitches within each page: a scan shifts every page a little, and tops pooled across
    # pages would interleave.
    tops_by_page: dict[int, set[float]] = {}
    for w in words:
        tops_by_page.setdefault(w.page, set()).add(round(w.top, 1))
    pitches = [
        round(b - a, 1)
        for tops in (sorted(t) for t in tops_by_page.values())
        for a, b in zip(tops, tops[1:]) if 0.8 * height < b - a < 2.5 * height
    ]
    pitch = statistics.mode(pitches) if pitches else 1.2 * height
    return Metrics(line_height=height, line_pitch=max(pitch, height))


def group_lines(words: Iterable[Word], right_limit: float, metrics: Metrics) -> list[Line]:
    """Cluster words sharing a baseline into lines, top to bottom, each read left to right."""
    ordered = sorted(words, key=lambda w: (w.page, w.top, w.x0))
    clusters: list[list[Word]] = []
    for word in ordered:
        current = clusters[-1] if clusters else None
        if current and current[0].page == word.page and _same_line(current, word, metrics):
            current.append(word)
        else:
            clusters.append([word])
    return [make_line(cluster, right_limit) for cluster in clusters]


def _same_line(cluster: list[Word], word: Word, metrics: Metrics) -> bool:
    top = cluster[0].top  # the cluster's words come top first (group_lines sorts them)
    return abs(word.top - top) <= 0.5 * metrics.line_height


def make_line(words: Sequence[Word], right_limit: float) -> Line:
    words = tuple(sorted(words, key=_x0))
    # lists, not generators: the same min and max at half the cost (a line is made for
    # every line of every cell, and again by each step that regroups them)
    return Line(
        words=words,
        page=words[0].page,
        x0=min([w.x0 for w in words]),
        top=min([w.top for w in words]),
        x1=max([w.x1 for w in words]),
        bottom=max([w.bottom for w in words]),
        right_limit=right_limit,
    )


_x0 = attrgetter("x0")


def split_paragraphs(lines: Sequence[Line], metrics: Metrics,
                     page_bottoms: dict[int, float] | None = None,
                     level_starts: Sequence[tuple[int, float]] = (),
                     page_tops: dict[int, float] | None = None,
                     justified: bool | None = None, prose: bool = False,
                     runs_on_in_lower_case: bool = False,
                     run_on_edges: dict[int, RunOnEdges] | None = None) -> list[Paragraph]:
    """Lines of one cell -> paragraphs, split where the vertical gap is larger than a line.

    Across a page break there is no gap to measure. A column whose text stopped short of
    the row's lowest line on the page (``page_bottoms``), whose text on the next page starts
    most of a line below the row's first line there (``page_tops``: a continuation would start
    level with it; the paragraph's spacing went over the break),
    or whose last line had room for the next word, had finished its paragraph. A full line
    runs on -- unless another column starts a new paragraph level with this one at the top
    of the page (``level_starts``) and the text closes a sentence there: then a new band
    starts in both. ``justified``: whether the document's text in this column is justified
    (then a line short of the edge ends its paragraph, across a page break too). ``prose``:
    the column holds sentences (a description, an opportunity, a recommendation; not an
    owner or a score): there a full last line that ends no sentence runs on over the break
    even where the column stopped short (``_runs_on_mid_sentence``). ``prose`` or
    ``runs_on_in_lower_case`` (a theme intro): a justified line short of its edge that ends
    no sentence runs on over a page break that goes on in lower case (``_sentence_runs_on``).
    ``run_on_edges``: where the document's text that surely runs on over a break ends its
    page and resumes on the next; a full line that left a line's room above the one and a
    next page starting a line below the other ended its paragraph (``_spaced_over_the_break``),
    and so did one that left a line's room where no widow was kept (``_room_left_for_no_widow``).
    """
    paragraphs: list[list[Line]] = []
    metrics = _with_own_pitch(lines, metrics)
    if justified is None:  # judged on this block alone (the caller knows no more)
        justified = is_justified(lines, metrics)
    for index, line in enumerate(lines):
        over_a_break = paragraphs and paragraphs[-1][-1].page != line.page
        # (counted only where the run-on edges can use it)
        going_on = _lines_going_on(lines, index, metrics) if over_a_break and run_on_edges else []
        if paragraphs and not _starts_paragraph(paragraphs[-1][-1], line, metrics, page_bottoms,
                                                level_starts, page_tops, justified, prose,
                                                prose or runs_on_in_lower_case, run_on_edges, going_on):
            paragraphs[-1].append(line)
        else:
            paragraphs.append([line])
    return [Paragraph(tuple(p)) for p in paragraphs]


# A block of text shows its own paragraph spacing once it has this many line-to-line steps,
# and the spacing is real when its steps jump by at least this share of a line's height.
OWN_SPACING_MIN_STEPS = 3
OWN_SPACING_MIN_JUMP = 0.3


def _with_own_pitch(lines: Sequence[Line], metrics: Metrics) -> Metrics:
    """A block whose line-to-line steps fall in two clear groups (12.2 pt between lines,
    17.2 pt between paragraphs spaced 5 pt apart) breaks its paragraphs at the jump between
    them, where that is tighter than the document's blank-line rule. A block of evenly
    jittered steps (a scan) shows no such jump and keeps the document's rule."""
    steps = sorted(b.top - a.top for a, b in zip(lines, lines[1:])
                   if a.page == b.page and 0.5 * metrics.line_height < b.top - a.top)
    if len(steps) < OWN_SPACING_MIN_STEPS:
        return metrics
    jump, at = max((b - a, i) for i, (a, b) in enumerate(zip(steps, steps[1:])))
    if jump < OWN_SPACING_MIN_JUMP * metrics.line_height:
        return metrics
    threshold = (steps[at] + steps[at + 1]) / 2
    if threshold >= metrics.paragraph_gap:
        return metrics
    return Metrics(line_height=metrics.line_height, line_pitch=threshold / PARAGRAPH_GAP)


# Justified text: the lines inside its paragraphs end together, within this share of a
# line's height of one another, this often (ragged text ends there only when a word happens
# to fit; hyphenated ragged text comes close, but not to a fraction of a point).
JUSTIFIED_EDGE = 0.25
JUSTIFIED_TOGETHER = 0.1
JUSTIFIED_SHARE = 0.8
JUSTIFIED_MIN_LINES = 5


def is_justified(lines: Sequence[Line], metrics: Metrics) -> bool:
    """Are the block's lines stretched to one right edge? Asked of the lines followed on the
    same page at a line's pitch (inside a paragraph: its last line ends where it ends)."""
    return justified_edge(lines, metrics) is not None


def justified_edge(lines: Sequence[Line], metrics: Metrics) -> float | None:
    """The right edge the block's lines are stretched to (``is_justified``), or None."""
    inner = [a.x1 for a, b in zip(lines, lines[1:])
             if a.page == b.page and len(a.words) > 1 and 0 < b.top - a.top <= SPACED_STEP * metrics.line_pitch]
    if len(inner) < JUSTIFIED_MIN_LINES:
        return None
    edge = statistics.median(inner)
    together = sum(abs(x1 - edge) <= JUSTIFIED_TOGETHER * metrics.line_height for x1 in inner)
    return edge if together >= JUSTIFIED_SHARE * len(inner) else None


# A justified line's spaces are stretched when even its narrowest is this share of a line's
# height: about twice a font's own space (a quarter to a third of its size), which a line
# set with plain spaces does not reach.
STRETCHED_SPACE = 0.5


def is_stretched(line: Line, metrics: Metrics) -> bool:
    """Are the line's spaces widened to fill its width (a justified paragraph's inner line)?"""
    gaps = [b.x0 - a.x1 for a, b in zip(line.words, line.words[1:])]
    return bool(gaps) and min(gaps) >= STRETCHED_SPACE * metrics.line_height


def page_top_starts(paragraphs: Sequence[Paragraph]) -> list[tuple[int, float]]:
    """Where paragraphs begin at the top of a page after a paragraph on an earlier page."""
    return [
        (p.page, p.top) for before, p in zip(paragraphs, paragraphs[1:])
        if before.lines[-1].page != p.page
    ]


def _starts_paragraph(previous: Line, line: Line, metrics: Metrics,
                      page_bottoms: dict[int, float] | None,
                      level_starts: Sequence[tuple[int, float]],
                      page_tops: dict[int, float] | None = None, justified: bool = False,
                      prose: bool = False, runs_on_in_lower_case: bool = False,
                      run_on_edges: dict[int, RunOnEdges] | None = None,
                      going_on: Sequence[Line] = ()) -> bool:
    if line.page != previous.page:
        # Justified text stretches every line of a paragraph but its last to the edge (a
        # line of one word has no space to stretch).
        if (justified and len(previous.words) > 1
                and previous.right_limit - previous.x1 > JUSTIFIED_EDGE * metrics.line_height):
            # ...but for prose whose sentence visibly runs on: a line that had no room for
            # the next word, ending mid-sentence, and a next page going on in lower case
            # ("...(having regard to economy," / "efficiency and effectiveness).", 2024
            # seed-199 s17-docx: a stretched line 1.1 pt short of its intro's edge).
            return not (runs_on_in_lower_case and _sentence_runs_on(previous, line, metrics))
        if justified and is_stretched(previous, metrics):
            # ...and only those: a stretched line is no paragraph's last, even where its
            # column stopped short of the row's lowest line (HTML's widows and orphans push
            # lines of one column over the break, seed-7 s33-html).
            return False
        if prose and _runs_on_mid_sentence(previous, line, metrics, level_starts):
            return False
        if _spaced_over_the_break(previous, line, metrics, run_on_edges or {}):
            return True
        if _room_left_for_no_widow(previous, line, metrics, run_on_edges or {}, going_on):
            return True
        bottom = (page_bottoms or {}).get(previous.page)
        if bottom is not None and previous.bottom < bottom - 0.8 * metrics.line_pitch:
            return True
        # A continuation starts level with the row's first line on the new page; a column
        # starting most of a line below it carries the paragraph spacing over the break.
        top = (page_tops or {}).get(line.page)
        if top is not None and line.top - top > 0.8 * metrics.line_pitch:
            return True
        if not was_wrapped(previous, line.words[0], metrics):
            return True
        level = any(page == line.page and abs(top - line.top) <= metrics.level_tolerance
                    for page, top in level_starts)
        # A full last line most often runs on: a paragraph rarely ends exactly at the margin.
        return level and ends_sentence(previous.text) and opens_sentence(line.text)
    step = line.top - previous.top
    if step > metrics.paragraph_gap:
        return True
    # Paragraphs spaced a little apart (5 pt under 12 pt lines): not a blank line's step, but
    # clearly more than a line's, after a line that had room for the next word -- each cue
    # alone happens inside a paragraph (a scan's jitter; a short line broken by hand).
    return step > SPACED_STEP * metrics.line_pitch and not was_wrapped(previous, line.words[0], metrics)


SPACED_STEP = 1.3


@dataclass(frozen=True)
class RunOnEdges:
    """Where the document's text that surely runs on over a page break (a full line ending
    mid-sentence, going on in lower case) ends a page and resumes on the next, on pages of
    one size: how low a page's last line reaches and how high the next page's first starts."""

    floor: float | None  # the lowest bottom of such a last line
    ceiling: float | None  # the highest top of such a first line


def _spaced_over_the_break(previous: Line, line: Line, metrics: Metrics,
                           run_on_edges: dict[int, RunOnEdges]) -> bool:
    """Did the paragraph end at this page break, though its last line was full? Text that
    runs on fills its page to the last line that fits and goes on at the next page's first
    line. Here the page had room for another line (its last line a line or more above where
    run-on text ends pages of its size) and the next page starts a line or more below where
    run-on text resumes: the paragraph spacing shows on both sides, the next paragraph's
    first lines did not fit with it (2024 seed-167 s14-html's SD009 "...how this is
    delivered." / "See related characteristic CI004: ...", 2025 seed-211 s13-html's C007).
    Either side alone may be a widow pulled over, or another page's header; both together
    are not."""
    floor = run_on_edges.get(previous.page, RunOnEdges(None, None)).floor
    ceiling = run_on_edges.get(line.page, RunOnEdges(None, None)).ceiling
    if floor is None or ceiling is None:
        return False
    return (floor - previous.bottom > 0.8 * metrics.line_pitch
            and line.top - ceiling > 0.8 * metrics.line_pitch)


# Widow control (Word's default, and CSS's ``widows: 2``) carries a paragraph's line over a
# page break with its last one, so that no paragraph ends alone at a page's top: the layout
# leaves a line's room at a foot only so, with this many lines of the paragraph going over.
WIDOW_KEPT_LINES = 2


def _room_left_for_no_widow(previous: Line, line: Line, metrics: Metrics,
                            run_on_edges: dict[int, RunOnEdges], going_on: Sequence[Line]) -> bool:
    """Did the paragraph end at this page break, though its last line was full? It closed a
    sentence with room below for one more line (that line, a step below at the pitch the text
    keeps on the next page, would end no lower than run-on text ends pages of its size), and
    the next page opens a sentence that goes on for more lines (``going_on``, up to where a
    paragraph visibly ends there) than widow control carries over: a paragraph going on would
    have filled that line (2024 seed-131 s18-docx's theme 6 intro "...efficiency and
    effectiveness)." / "Service plans should be ...", four lines). A new paragraph is pushed
    over by its spacing, or by orphan control (its first line alone at a page's foot). With
    two lines going over, a widow kept may have left the room; with less than a whole line's
    room, nothing shows a line would have fitted: one paragraph, as before."""
    floor = run_on_edges.get(previous.page, RunOnEdges(None, None)).floor
    if floor is None or len(going_on) <= WIDOW_KEPT_LINES:
        return False
    step = going_on[1].top - going_on[0].top
    fits = previous.bottom + step <= floor + LINE_FITS_SLACK
    return fits and ends_sentence(previous.text) and opens_sentence(line.text)


# A line fits where it would end no lower than sure run-on text ends pages of its size: a
# line past that, however little, the layout did not put there (2024 seed-223 s44-docx: 0.7 pt
# past it, G007's opportunity runs on). Points, for rounding only.
LINE_FITS_SLACK = 0.05


def _lines_going_on(lines: Sequence[Line], start: int, metrics: Metrics) -> list[Line]:
    """The lines the text from ``lines[start]`` keeps on its page at a line's pitch, up to
    the first one that visibly ends a paragraph (spacing after it, or room in it for the
    next word)."""
    going_on = [lines[start]]
    for before, after in zip(lines[start:], lines[start + 1:]):
        if (after.page != before.page or _starts_paragraph(before, after, metrics, None, ())
                or not was_wrapped(before, after.words[0], metrics)):
            break
        going_on.append(after)
    return going_on


def measure_run_on_edges(column_lines: Iterable[Sequence[Line]], page_sizes: dict[int, Hashable],
                         metrics: Metrics) -> dict[int, RunOnEdges]:
    """Each page's ``RunOnEdges``, measured over every column's lines (``column_lines``: one
    column of one row each) on the pages of its size (``page_sizes``: each page's size, as a
    key; pages of one size share margins -- width alone would let an A3 portrait page's foot
    stand for an A4 landscape page's, both 842 pt wide)."""
    floors: dict[Hashable, float] = {}
    ceilings: dict[Hashable, float] = {}
    for lines in column_lines:
        for before, after in zip(lines, lines[1:]):
            if before.page != after.page and _sentence_runs_on(before, after, metrics):
                size, next_size = page_sizes.get(before.page), page_sizes.get(after.page)
                floors[size] = max(floors.get(size, before.bottom), before.bottom)
                ceilings[next_size] = min(ceilings.get(next_size, after.top), after.top)
    return {page: RunOnEdges(floors.get(size), ceilings.get(size)) for page, size in page_sizes.items()}


def _runs_on_mid_sentence(previous: Line, line: Line, metrics: Metrics,
                          level_starts: Sequence[tuple[int, float]]) -> bool:
    """A prose column's last line on a page that was full and ends no sentence goes on over
    the break, though the column stopped short of the row's lowest line: HTML's widows and
    orphans rule pushes a paragraph's last lines to the next page, leaving its column short
    ("...the external auditor and the Social" / "Housing Regulator...", 2025 seed-97
    s16-html). Not where another column starts a paragraph level with the next line (a new
    band starts there), and not in owner or score columns: a full line of one owner code
    ends its entry without a full stop (tried on every column, it merged two actions'
    owners in narrow owner columns)."""
    if ends_sentence(previous.text) or not was_wrapped(previous, line.words[0], metrics):
        return False
    return not any(page == line.page and abs(top - line.top) <= metrics.level_tolerance
                   for page, top in level_starts)


def _sentence_runs_on(previous: Line, line: Line, metrics: Metrics) -> bool:
    """Does ``line`` go on with the sentence ``previous`` left open (``_runs_on_mid_sentence``),
    in lower case? Then whatever starts level beside it does not matter: no sentence starts so."""
    return line.text.lstrip()[:1].islower() and _runs_on_mid_sentence(previous, line, metrics, ())


def was_wrapped(previous: Line, next_word: Word, metrics: Metrics) -> bool:
    """Did the layout push ``next_word`` onto a new line? Only if it would not have fitted
    at the end of ``previous``: a short last line means its paragraph ended there."""
    space = 0.3 * metrics.line_height
    needed = space + (next_word.x1 - next_word.x0)
    return previous.x1 + needed > previous.right_limit - 0.25 * metrics.line_height


def ends_sentence(text: str) -> bool:
    return text.rstrip().endswith((".", "!", "?", ":", ".)", ".'"))


def opens_sentence(text: str) -> bool:
    first = text.lstrip()[:1]
    return bool(first) and (first.isupper() or first.isdigit())


def char_count(text: str) -> int:
    return len("".join(text.split()))  # str.split's whitespace is str.isspace's
