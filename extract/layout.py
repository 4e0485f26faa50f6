"""PageContent (any reader) -> PageLayout: text turned upright, words grouped, scans deskewed.

Every reader's glyphs go through this one module, so the readers cannot drift apart in how
they make words, and every later step sees upright text:

1. each glyph's direction is read from its matrix: 0, 90, 180 or 270 degrees
   counter-clockwise, and whether it is mirrored (a negative determinant);
2. the page is turned so that the direction most of its glyphs share reads upright (a page
   drawn sideways or upside down inside an upright document, or a landscape page stored
   portrait by its content rather than by ``/Rotate``): words, fills, rules and images alike;
3. a scan's OCR layer, drawn along the paper's tilt, is deskewed;
4. glyphs are grouped into lines and words -- pdfplumber's rule (a line is a chain of tops
   within ``LINE_TOLERANCE``; a word breaks at a space, a gap wider than ``WORD_GAP`` or a
   step backwards) -- separately for each direction, so a sideways label in an upright page
   is read along its own baseline. A word never spans two marked-content ids.
"""

from __future__ import annotations

import bisect
import math
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache
from operator import attrgetter

from actionplan.extract.pages import Fill, PageLayout, Rule, rotate_point
from actionplan.extract.readers.base import Box, Glyph, PageContent
from actionplan.schema.records import Word

# pdfplumber's word-grouping defaults (x_tolerance, y_tolerance), in points.
WORD_GAP = 3.0
LINE_TOLERANCE = 3.0
# A stroke this thin and at least this long is a ruling line (how Word and LibreOffice
# draw cell borders); anything else is a drawn box.
RULE_MAX_THICKNESS = 2.0
RULE_MIN_LENGTH = 4.0
# An OCR text layer on a scan follows the paper's tilt; below this (degrees) a tilt is noise,
# above the upper bound it is not a tilt but rotated text.
MIN_SKEW = 0.05
MAX_SKEW = 5.0


def glyph_direction(glyph: Glyph) -> tuple[int, bool]:
    """(quadrant, mirrored): the baseline's angle rounded to 0/90/180/270 degrees
    counter-clockwise, and whether the glyph is drawn mirror-wise."""
    return _direction(*glyph.matrix[:4])


def _directions(glyphs: Sequence[Glyph]) -> list[tuple[int, bool]]:
    """``glyph_direction`` of each glyph. A text object's glyphs come together and share
    their matrix's linear part: a glyph whose part equals the one before takes its
    direction (equal terms give equal directions) without the cache's lookup."""
    directions = []
    last, direction = None, None
    for glyph in glyphs:
        linear = glyph.matrix[:4]
        if linear != last:
            last, direction = linear, _direction(*linear)
        directions.append(direction)
    return directions


@lru_cache(maxsize=4096)  # a text object's glyphs share one matrix: worked out once per matrix
def _direction(a: float, b: float, c: float, d: float) -> tuple[int, bool]:
    angle = math.degrees(math.atan2(b, a)) % 360.0
    quadrant = int(((angle + 45.0) % 360.0) // 90.0) * 90
    return quadrant, (a * d - b * c) < 0


def build_layout(content: PageContent) -> PageLayout:
    glyphs = [g for g in content.glyphs if g.text]
    directions = _directions(glyphs)
    turn = _dominant_quadrant(glyphs, directions)
    width, height = (content.height, content.width) if turn in (90, 270) else (content.width, content.height)
    if turn:  # (an upright page, most of them, keeps its glyphs and directions as they are)
        glyphs = [_turn_glyph(g, turn, content.width, content.height) for g in glyphs]
        directions = [((q - turn) % 360, m) for q, m in directions]
    images = tuple(_turn_box(b, turn, content.width, content.height) for b in content.images)
    skew = content.deskewed
    if not skew and images:
        skew = _text_skew(glyphs, directions)
        if skew:
            glyphs = [_deskew(g, skew, width / 2, height / 2) for g in glyphs]
    fills = tuple(
        Fill(*_box_tuple(_turn_box(f, turn, content.width, content.height)), f.rgb) for f in content.fills
    )
    rules = tuple(
        Rule(*_box_tuple(b)) for b in (_turn_box(s, turn, content.width, content.height) for s in content.strokes)
        if _is_rule(b)
    )
    words = tuple(_words(glyphs, directions, content.number, width, height, _cell_edges(fills, rules)))
    return PageLayout(content.number, width, height, words, fills, rules, images, skew, turn, ocr=content.ocr)


def _dominant_quadrant(glyphs: Sequence[Glyph], directions) -> int:
    if len(set(directions)) == 1:  # one direction, most pages: it wins if any glyph is not a space
        quadrant = directions[0][0]
        return quadrant if any(not g.text.isspace() for g in glyphs) else 0
    votes: dict[int, int] = {}
    for glyph, (quadrant, _) in zip(glyphs, directions):
        if not glyph.text.isspace():
            votes[quadrant] = votes.get(quadrant, 0) + 1
    return max(votes, key=lambda q: (votes[q], q == 0)) if votes else 0


# ---------------------------------------------------------------------- turning the page


def turn_point(x: float, top: float, quadrant: int, width: float, height: float) -> tuple[float, float]:
    """Where a point of a ``width`` x ``height`` page lands when the page is turned clockwise
    by ``quadrant`` degrees (undoing text drawn ``quadrant`` degrees counter-clockwise)."""
    if quadrant == 90:
        return height - top, x
    if quadrant == 180:
        return width - x, height - top
    if quadrant == 270:
        return top, width - x
    return x, top


def unturn_point(x: float, top: float, quadrant: int, width: float, height: float) -> tuple[float, float]:
    """The inverse of ``turn_point``: ``width`` and ``height`` are the unturned page's."""
    if quadrant == 90:
        return top, height - x
    if quadrant == 180:
        return width - x, height - top
    if quadrant == 270:
        return width - top, x
    return x, top


def _turn_box(box, quadrant: int, width: float, height: float) -> Box:
    if quadrant == 0:
        return Box(box.x0, box.top, box.x1, box.bottom)
    corners = [turn_point(x, y, quadrant, width, height) for x in (box.x0, box.x1) for y in (box.top, box.bottom)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return Box(min(xs), min(ys), max(xs), max(ys))


def _turn_glyph(glyph: Glyph, quadrant: int, width: float, height: float) -> Glyph:
    if quadrant == 0:
        return glyph
    box = _turn_box(glyph, quadrant, width, height)
    return replace(glyph, x0=box.x0, top=box.top, x1=box.x1, bottom=box.bottom,
                   matrix=_rotate_matrix(glyph.matrix, -quadrant))


def _rotate_matrix(matrix, degrees: int):
    """The matrix of a glyph after the page turned by ``degrees`` (counter-clockwise > 0)."""
    a, b, c, d, e, f = matrix
    cos, sin = round(math.cos(math.radians(degrees))), round(math.sin(math.radians(degrees)))
    return (a * cos - b * sin, a * sin + b * cos, c * cos - d * sin, c * sin + d * cos, e, f)


def _box_tuple(box) -> tuple[float, float, float, float]:
    return box.x0, box.top, box.x1, box.bottom


def _is_rule(box: Box) -> bool:
    w, h = box.x1 - box.x0, box.bottom - box.top
    return min(w, h) <= RULE_MAX_THICKNESS and max(w, h) > RULE_MIN_LENGTH


# ---------------------------------------------------------------------- scans


def _text_skew(glyphs: Sequence[Glyph], directions) -> float:
    """The page's tilt, read from the text matrices of the upright glyphs drawn tilted."""
    angles = sorted(
        math.degrees(math.atan2(g.matrix[1], g.matrix[0]))
        for g, (q, mirrored) in zip(glyphs, directions) if q == 0 and not mirrored and g.text.strip()
    )
    tilted = [a for a in angles if MIN_SKEW < abs(a) < MAX_SKEW]
    if len(tilted) < max(10, 0.1 * len(angles)):
        return 0.0
    return statistics.median(tilted)


def _deskew(glyph: Glyph, skew: float, cx: float, cy: float) -> Glyph:
    mid_x, mid_top = (glyph.x0 + glyph.x1) / 2, (glyph.top + glyph.bottom) / 2
    new_x, new_top = rotate_point(mid_x, mid_top, skew, cx, cy)
    dx, dy = new_x - mid_x, new_top - mid_top
    return replace(glyph, x0=glyph.x0 + dx, x1=glyph.x1 + dx, top=glyph.top + dy, bottom=glyph.bottom + dy)


# ---------------------------------------------------------------------- words


def _cell_edges(fills, rules) -> tuple[tuple[float, float, float, bool], ...]:
    """(x, top, bottom, drawn) of every vertical edge a cell may have on the page: a shaded
    box's sides, and the vertical rules (``drawn``)."""
    edges = [(x, f.top, f.bottom, False) for f in fills for x in (f.x0, f.x1)]
    edges += [((r.x0 + r.x1) / 2, r.top, r.bottom, True) for r in rules if r.bottom - r.top > r.x1 - r.x0]
    return tuple(edges)


def _words(glyphs: Sequence[Glyph], directions, page: int, width: float, height: float,
           cell_edges: Sequence[tuple[float, float, float, bool]] = ()) -> Iterable[Word]:
    groups: dict[tuple[int, bool], list[Glyph]] = {}
    for glyph, direction in zip(glyphs, directions):
        groups.setdefault(direction, []).append(glyph)
    for (quadrant, mirrored), members in sorted(groups.items()):
        # Read each direction along its own baseline: turn it upright, group, turn back.
        upright = [_turn_glyph(g, quadrant, width, height) for g in members] if quadrant else members
        edges = cell_edges if not quadrant else ()  # (upright text: the edges are in its frame)
        grouped = list(_group_words(upright, marked=any(g.mcid is not None for g in upright), cell_edges=edges))
        for word_glyphs in _split_at_text_edges(grouped):
            text = "".join([g.text for g in word_glyphs])
            if mirrored and word_glyphs[0].matrix[0] < 0:
                text = text[::-1]  # a mirrored glyph run advances right to left
            x0, top, x1, bottom = _unturn_box(word_glyphs, quadrant, width, height)
            first = word_glyphs[0]
            # positional, in Word's field order: keywords cost a Word half as much again
            yield Word(text, page, x0, top, x1, bottom, quadrant, mirrored, first.mcid, first.colour, first.tag)


# A column's text edge: at least this many runs of text start within EDGE_NEAR of one x.
EDGE_RUNS = 3
EDGE_NEAR = 0.5
# A run of text starts after a gap of this share of the type size (a cell gap, not a space).
RUN_GAP = 1.2


def _split_at_text_edges(words: list[list[Glyph]]) -> list[list[Glyph]]:
    """Words cut where one of their glyphs starts, after a gap, at the left edge of a column
    of text that starts further right than the word: a word run on past its narrow cell
    with no shading and no rule to stop it ("Governance" of an unscored theme cell, 1.5 pt
    from "Improvement" of the next cell, in the same font: read "GovernanceImprovement",
    2025 seed-173 s07-html). The edge is where several other runs of text on the page start
    (within half a point: a column's lines start at one x); a word's own glyphs sit edge to
    edge, so a gap inside a word that falls exactly there is the next cell's text."""
    edges = _text_edges(words)
    if not edges:
        return words
    out: list[list[Glyph]] = []
    for word in words:
        # Only a word with an edge inside it can be cut (by bisection: most words hold none).
        inside = bisect.bisect_left(edges, word[0].x0 + EDGE_NEAR) < bisect.bisect_right(edges, word[-1].x1 + EDGE_NEAR)
        out.extend(_cut_at_edges(word, edges) if len(word) > 1 and inside else [word])
    return out


def _text_edges(words: list[list[Glyph]]) -> list[float]:
    """x where EDGE_RUNS or more runs of text start: a word first on its line, or after a gap
    wider than RUN_GAP type sizes."""
    word_of = {id(w[0]): w for w in words}
    starts: list[float] = []
    for firsts, _ in _lines([w[0] for w in words]):  # the lines as words are grouped into them
        previous: list[Glyph] | None = None
        for word in sorted((word_of[id(g)] for g in firsts), key=lambda w: w[0].x0):
            if previous is None or word[0].x0 - previous[-1].x1 > RUN_GAP * max(word[0].size, 1.0):
                starts.append(word[0].x0)
            previous = word
    starts.sort()
    edges, i = [], 0
    while i < len(starts):
        j = i
        while j + 1 < len(starts) and starts[j + 1] - starts[i] <= 2 * EDGE_NEAR:
            j += 1
        if j - i + 1 >= EDGE_RUNS:
            edges.append(statistics.median(starts[i:j + 1]))
        i = j + 1
    return edges


def _cut_at_edges(word: list[Glyph], edges: list[float]) -> list[list[Glyph]]:
    """The word cut before each glyph that starts at an edge after a gap, or touching or
    over the glyph before in a font none of the piece before it is in: a bold score word too
    wide for its theme cell runs to or over the next cell's first letter ("GREENexists,"
    1.8 pt over, 2024 seed-199 s12-html; "GREENlegislation," 0.5 pt over, 2025 seed-211
    s09-html). Not a font change alone: a ligature glyph drawn from another font sits edge
    to edge with the next letter, or over it ("oﬃ" / "cers", 0.85 pt, 2024 seed-167
    s17-docx), and its word goes on in the font it began in; a word that starts with a
    ligature ("ﬁnance") goes on after it, and a ligature glyph itself may start on a text
    edge by chance ("o" / "ﬀer", 2025 seed-113 s17-docx; "cers", seed-199 s23-docx).
    A next column whose first letters are a ligature from another font is not cut off."""
    pieces, piece = [], [word[0]]
    for last, glyph in zip(word, word[1:]):
        gap = glyph.x0 - last.x1
        apart = FONT_CHANGE_GAP * max(glyph.size, last.size)
        if ((gap > apart or (not _ligature(last) and not _ligature(glyph)
                             and all(g.font != glyph.font for g in piece)))
                and any(abs(glyph.x0 - x) <= EDGE_NEAR and piece[0].x0 < x - EDGE_NEAR for x in edges)):
            pieces.append(piece)
            piece = []
        piece.append(glyph)
    pieces.append(piece)
    return pieces


def _ligature(glyph: Glyph) -> bool:
    """A glyph that draws several letters (U+FB00-FB06, or text of more than one letter)."""
    return len(glyph.text) > 1 or "\ufb00" <= glyph.text <= "\ufb06"


def _unturn_box(glyphs: Sequence[Glyph], quadrant: int, width: float, height: float
                ) -> tuple[float, float, float, float]:
    """(x0, top, x1, bottom) around the glyphs, in the page's own frame (a tuple: one per word)."""
    if len(glyphs) == 1:  # (a word of one glyph: its own box)
        g = glyphs[0]
        x0, top, x1, bottom = g.x0, g.top, g.x1, g.bottom
    else:  # lists, not generators: the same min and max at half the cost
        x0, top = min([g.x0 for g in glyphs]), min([g.top for g in glyphs])
        x1, bottom = max([g.x1 for g in glyphs]), max([g.bottom for g in glyphs])
    if quadrant == 0:
        return x0, top, x1, bottom
    corners = [unturn_point(x, y, quadrant, width, height) for x in (x0, x1) for y in (top, bottom)]
    xs, ys = [c[0] for c in corners], [c[1] for c in corners]
    return min(xs), min(ys), max(xs), max(ys)


def _group_words(glyphs: Sequence[Glyph], marked: bool = True,
                 cell_edges: Sequence[tuple[float, float, float, bool]] = ()) -> Iterable[list[Glyph]]:
    """``marked``: whether any glyph has a marked-content id (else no line is split by them);
    ``cell_edges``: (x, top, bottom, drawn) of the page's cell edges (``_cell_edges``)."""
    for line, stream_at in _lines(glyphs):
        # Another line's glyphs drawn between two of this line's: they are pieces of two
        # texts (a word run on past its cell's edge up to the next cell's text), not one
        # word, however close they sit. A line's glyphs come in stream order, so two of them
        # have another line's drawn between them exactly when their stream positions less
        # their places in the line differ; a line drawn in one stretch has none.
        if stream_at[-1] - stream_at[0] == len(line) - 1:
            drawn_apart = None
        else:
            gap_before = {id(g): at - k for k, (g, at) in enumerate(zip(line, stream_at))}

            def drawn_apart(a: Glyph, b: Glyph) -> bool:
                return gap_before[id(a)] != gap_before[id(b)]

        for run in (s for r in (_marked_runs(line) if marked else [line]) for s in overprinted_strands(r)):
            word: list[Glyph] = []
            for glyph in sorted(run, key=_x0):
                if glyph.text.isspace():
                    if word:
                        yield word
                    word = []
                elif not word:
                    word = [glyph]
                else:
                    last = word[-1]
                    # A new word where x steps back, after a gap over WORD_GAP, off the line,
                    # in other marked content, drawn apart, or in another font after a gap
                    # (written out: runs per glyph; the gap test, _runs_on_past_its_cell's
                    # first, is asked here before the call: most glyphs have no gap)
                    if (glyph.x0 < last.x0 or glyph.x0 > last.x1 + WORD_GAP
                            or abs(glyph.top - last.top) > LINE_TOLERANCE or glyph.mcid != last.mcid
                            or (drawn_apart is not None and drawn_apart(last, glyph))
                            or (cell_edges and glyph.x0 - last.x1 > FONT_CHANGE_GAP * max(glyph.size, last.size)
                                and _runs_on_past_its_cell(word[0], last, glyph, cell_edges))):
                        yield word
                        word = [glyph]
                    else:
                        word.append(glyph)
            if word:
                yield word


_x0 = attrgetter("x0")

# Glyphs of one word sit edge to edge (their boxes are their advances; kerning only closes
# them up): a gap of this share of the type size is no gap inside a word's own letters.
FONT_CHANGE_GAP = 0.06


def _runs_on_past_its_cell(first: Glyph, last: Glyph, glyph: Glyph, cell_edges) -> bool:
    """Is ``glyph`` another cell's text that a word run on past its own cell's edge reached?
    A bold score word in a narrow cell ("GREEN", 2025 seed-41 s05-html) ran 4 pt past its
    shading to 1 pt from the next cell's "transformation", one word by the gap alone. It is
    another text where the font changes across a gap and a cell edge (a shading's side, a
    vertical rule) lies between the word's start and the glyph. A ligature from another
    font in justified text ("e" / "ffective") has no cell edge inside it; a word in two
    fonts ("CI002" bold, ":") has no gap. A vertical rule drawn between them needs no change
    of font: an id too wide for a narrow "Ref" column ran over its rule to 1.8 pt from the
    characteristic's first word ("C003Civil", other-council columns, seed-71 s05-html), and
    a word's own glyphs never sit apart across a drawn cell border."""
    if glyph.x0 - last.x1 <= FONT_CHANGE_GAP * max(glyph.size, last.size):
        return False
    same_font = glyph.font == last.font
    return any(first.x0 < x < glyph.x0 and top <= glyph.top and glyph.bottom <= bottom and (drawn or not same_font)
               for x, top, bottom, drawn in cell_edges)


def _marked_runs(line: Sequence[Glyph]) -> list[list[Glyph]]:
    """A tagged PDF says which glyphs belong together (one marked-content id each): text
    overflowing its cell into the next one is then not read into its neighbour's words."""
    runs: dict[int | None, list[Glyph]] = {}
    for glyph in line:
        runs.setdefault(glyph.mcid, []).append(glyph)
    return list(runs.values())


def overprinted_strands(run: Sequence[Glyph]) -> list[list[Glyph]]:
    """Split a line's glyphs (in stream order) where two pieces of text are printed over each
    other: a word too long for its cell runs on over the next cell's text ("Improvement"
    across "wide" reads "Improvemenwtide" when sorted by x). The stream draws each piece
    forwards, so it is cut into segments where x steps back; segments whose glyphs overlap
    are kept apart, each read as its own words. Where nothing overlaps -- all ordinary text --
    the run comes back whole."""
    xs = [g.x0 for g in run]
    if xs == sorted(xs):  # x never steps back (sorted() of sorted floats is one pass in C)
        return [list(run)]
    segments = _forward_segments(run)
    if len(segments) < 2:
        return [list(run)]
    strands: list[list[list[Glyph]]] = []
    for segment in segments:
        for strand in strands:
            if not any(_segments_overprint(segment, other) for other in strand):
                strand.append(segment)
                break
        else:
            strands.append([segment])
    return [[g for segment in strand for g in segment] for strand in strands]


def _forward_segments(run: Sequence[Glyph]) -> list[list[Glyph]]:
    segments: list[list[Glyph]] = []
    for glyph in run:
        if segments and glyph.x0 >= segments[-1][-1].x0:
            segments[-1].append(glyph)
        else:
            segments.append([glyph])
    return segments


def _segments_overprint(a: Sequence[Glyph], b: Sequence[Glyph]) -> bool:
    """Two glyphs overlapping by more than half the narrower one: no typesetter kerns so
    tightly. Marks (accents drawn over their letter) and spaces are not evidence."""
    lo, hi = max(a[0].x0, b[0].x0), min(max(g.x1 for g in a), max(g.x1 for g in b))
    if hi <= lo:
        return False
    inked_b = [h for h in b if h.x1 > lo and h.x0 < hi and _inked_letter(h)]
    for g in a:
        if g.x1 <= lo or g.x0 >= hi or not _inked_letter(g):
            continue
        for h in inked_b:
            overlap = min(g.x1, h.x1) - max(g.x0, h.x0)
            if overlap > 0.5 * min(g.x1 - g.x0, h.x1 - h.x0) > 0:
                return True
    return False


def _inked_letter(glyph: Glyph) -> bool:
    return not glyph.text.isspace() and unicodedata.category(glyph.text[0]) not in ("Mn", "Me", "Sk", "Lm")


def _lines(glyphs: Sequence[Glyph]) -> list[tuple[list[Glyph], list[int]]]:
    """Chains of tops no more than LINE_TOLERANCE apart, top to bottom, each in stream order,
    with each glyph's position in the stream."""
    tops = sorted({g.top for g in glyphs})
    cluster_of: dict[float, int] = {}
    cluster = -1
    last = None
    for top in tops:
        if last is None or top > last + LINE_TOLERANCE:
            cluster += 1
        cluster_of[top] = cluster
        last = top
    lines: list[tuple[list[Glyph], list[int]]] = [([], []) for _ in range(cluster + 1)]
    for at, glyph in enumerate(glyphs):
        line, stream_at = lines[cluster_of[glyph.top]]
        line.append(glyph)
        stream_at.append(at)
    return lines
