"""A row's action columns -> bands: the paragraphs of one action, side by side.

What the columns show together decides, not one coincidence of level lines:

- The owner/timeline column is the spine. Every action has its own owner entry, so a band
  starts where an owner paragraph starts level with a paragraph of another action column.
  Paragraphs of one action that happen to start level while the owner column says nothing
  new (L009's "Not in the control of Officers..." beside "Update: 10/9/24 - ...") stay in
  the band above; a timeline printed as its own paragraph under its owners (L001) starts no
  band, as no other column starts beside it.
- An officer lines bands up by hand with empty paragraphs, and a column may stop a line or
  two short of the band's line. Where every other action column (two or more) starts a
  paragraph level, between two owner entries of one band, the line starts a band though
  the owner column is a line off it (``_off_level_owner_starts``); a paragraph that
  starts no band is the next band's when it starts nearer that band's start than its own
  band's, runs on past its band's text in the other columns, and is the first its column
  prints in its band or is printed across the next band's start (``_stopped_short``).
- A band that prints an owner and another column but no opportunity (or no
  recommendation), under a band that prints two or more, takes the band above's last one
  (``_claimed_by_next``): Word failed to line the band up. The reading is named
  (``Band.unsure``, an issue row).
- The same where that band's paragraph runs on over a page break into the next band
  (``_cut_at_page_break_for_next``): the next page's part starts level with the next band's
  owner entry, after a sentence that ended on the page's full last line, and the next band
  prints nothing in the column: it is cut there and read as the next band's, named
  (``Band.cut_at_page_break``, an issue row).
- A rule drawn across two or more action columns between paragraphs is a band border.
- In a row with no owner text at all, there is no spine: a band starts where paragraphs of
  two or more action columns start level.

A band always starts at the top of the row; any other paragraph stays in the band it
starts in.

Limits: an owner paragraph that stopped short of its band's line, or a column pushed past
it, starts no band (the band is read into the one above) unless every other column starts
level between two of the band's owner entries; a row with one other action column (no
opportunities beside the recommendations) has no such line; an action printed with no owner
of its own, beside paragraphs of the action above, reads as part of that action; a
paragraph pushed past the start of the band it belongs to reads as the later band's (and
so may a later paragraph of its cell that reaches the next band's start); a paragraph that
stopped short of its band's start across a page break, or a cell's later paragraph that
stopped short without reaching the next band's start, stays where it starts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from actionplan.extract.geometry import Metrics, ends_sentence, opens_sentence
from actionplan.schema.records import Band, Paragraph

# The columns that name an action's owner (one column, or owner and timeline apart).
SPINE = ("owner_timeline", "owner", "timeline")

Start = tuple[int, float]  # (page, top)

# The columns nearly every action prints a paragraph in (not progress or status: many
# actions have no update yet, so a band with two updates over one with none is common).
EVERY_ACTIONS = ("opportunity", "recommendation")


@dataclass(frozen=True)
class BandRule:
    """A horizontal rule inside a row: where a border may separate two bands."""

    page: int
    x0: float
    top: float
    x1: float


def build_bands(columns: dict[str, list[Paragraph]], metrics: Metrics,
                rules: Sequence[BandRule] = ()) -> list[Band]:
    starts = sorted((p.page, p.top, name) for name, ps in columns.items() for p in ps)
    if not starts:
        return []
    spine = [k for k in columns if k in SPINE and columns[k]]
    boundaries = {(starts[0][0], starts[0][1])}
    if spine:
        boundaries |= _spine_starts(starts, spine, metrics)
        boundaries |= _off_level_owner_starts(starts, spine, sorted(boundaries), metrics)
    else:
        boundaries |= _level_starts(starts, metrics)
    boundaries |= _ruled_starts(starts, rules, columns, metrics)
    band_starts = _merge_close(sorted(boundaries), metrics)
    columns = {name: list(ps) for name, ps in columns.items()}  # (cut below: the caller's lists stay)
    placed = {name: _bands_of(name, columns, band_starts, metrics) for name in columns}
    unsure = _claimed_by_next(placed, len(band_starts))
    cut = _cut_at_page_break_for_next(columns, placed, band_starts, metrics)
    return [Band(cells={name: tuple(p for p, b in zip(columns[name], placed[name]) if b == i) for name in columns},
                 page=start[0], unsure=tuple(sorted(n for n, b in unsure if b == i)),
                 cut_at_page_break=tuple(sorted(n for n, b in cut if b == i)))
            for i, start in enumerate(band_starts)]


def _cut_at_page_break_for_next(columns: dict[str, list[Paragraph]], placed: dict[str, list[int]],
                                band_starts: list[Start], metrics: Metrics) -> set[tuple[str, int]]:
    """Cut a band's one paragraph of an opportunity or recommendation column at a page
    break where the next band prints nothing in the column: the next page's part goes to
    the next band when it starts level with that band's start (its owner entry, the spine)
    and the break is unmarked -- a sentence ends on the page's full last line and the next
    page opens another. Split apart there, that part would have started the next band by
    the spine's own rule; read as one paragraph (a full last line most often runs on), it
    left the next band's action without one ("No gaps identified." / "There is clear
    evidence...", level with the next action's owner on the next page: 2024 seed-167
    s12-html's CI008). (column, band) of each cut; the reading is named (``Band.cut_at_page_break``)."""
    cut = set()
    for name in EVERY_ACTIONS:
        if name not in columns:
            continue
        bands_of = placed[name]
        for i in range(len(band_starts) - 1):
            mine = [k for k, b in enumerate(bands_of) if b == i]
            if len(mine) != 1 or i + 1 in bands_of or not _prints_beside(placed, name, i + 1):
                continue
            paragraph = columns[name][mine[0]]
            at = _unmarked_break_at(paragraph, band_starts[i + 1], metrics)
            if at is None:
                continue
            columns[name][mine[0]:mine[0] + 1] = [Paragraph(paragraph.lines[:at]), Paragraph(paragraph.lines[at:])]
            bands_of[mine[0]:mine[0] + 1] = [i, i + 1]
            cut.add((name, i + 1))
    return cut


def _unmarked_break_at(paragraph: Paragraph, start: Start, metrics: Metrics) -> int | None:
    """The index of the paragraph's line that starts a page level with ``start``, after a
    line that ends a sentence, and opens one itself; None if no line does."""
    lines = paragraph.lines
    for at in range(1, len(lines)):
        before, line = lines[at - 1], lines[at]
        if (line.page != before.page and line.page == start[0] and abs(line.top - start[1]) <= metrics.level_tolerance
                and ends_sentence(before.text) and opens_sentence(line.text)):
            return at
    return None


def _claimed_by_next(placed: dict[str, list[int]], bands: int) -> set[tuple[str, int]]:
    """Move a band's last paragraph of an opportunity or recommendation column to the next
    band where that band prints nothing in the column and this one prints two or more;
    (column, band) of each move.

    Word lines bands up with empty paragraphs and can fail to: the next action's
    recommendation then starts a paragraph's spacing under the band above's, a page before
    its opportunity and owner (2024 seed-157 s20-docx's CI001 and G001, s23-docx's G008).
    Nothing on the page tells that from a second paragraph of the action above, but a band
    with an owner and no paragraph of the column of its own, under a band with two, is
    unlike the plans' own cells (none in the 2024 and 2025 plans' 246 band pairs), so the
    paragraph is read as the next band's and the reading is named (``Band.unsure``)."""
    moved = set()
    for name, bands_of in placed.items():
        if name not in EVERY_ACTIONS:
            continue
        for i in range(bands - 1):
            mine = [k for k, b in enumerate(bands_of) if b == i]
            if len(mine) < 2 or i + 1 in bands_of or not _prints_beside(placed, name, i + 1):
                continue
            bands_of[mine[-1]] = i + 1
            moved.add((name, i + 1))
    return moved


def _prints_beside(placed: dict[str, list[int]], name: str, band: int) -> bool:
    """Does band ``band`` print an owner, and a paragraph in another action column than ``name``?"""
    printed = {n for n, bands_of in placed.items() if band in bands_of}
    return bool(printed & set(SPINE)) and bool(printed - set(SPINE) - {name})


def _bands_of(name: str, columns: dict[str, list[Paragraph]], band_starts: list[Start],
              metrics: Metrics) -> list[int]:
    """The band of each paragraph of one column: the band it starts in, or the next one
    when it was pushed towards that band and stopped short of its start (``_stopped_short``)."""
    out: list[int] = []
    for p in columns[name]:
        # A column's paragraphs are in reading order: none goes to a band before the last one's.
        index = max(_band_index(p, band_starts, metrics), out[-1] if out else 0)
        first_of_column = not out or out[-1] < index
        if _stopped_short(p, index, first_of_column, name, columns, band_starts, metrics):
            index += 1
        out.append(index)
    return out


def _band_index(p: Paragraph, band_starts: list[Start], metrics: Metrics) -> int:
    return max(i for i, start in enumerate(band_starts) if _in_band(p, start, None, metrics))


def _stopped_short(p: Paragraph, index: int, first_of_column: bool, name: str,
                   columns: dict[str, list[Paragraph]], band_starts: list[Start], metrics: Metrics) -> bool:
    """Is this paragraph, which starts in band ``index``, the next band's? A Word cell's text
    sits at its top unless it was pushed down with empty paragraphs -- as an officer lines
    bands up by hand -- so a paragraph whose top is nearer the next band's start than its
    own band's (on one page), and that runs on past its band's text in the other columns,
    was pushed towards the next band and stopped short of its start, when

    - it is the first its column prints in its band (L006's "See related characteristic
      R002 ...": two lines above its band's recommendation and owner, beside the last line
      of the band above, which prints no opportunity), or
    - it is printed across the next band's start (its last line level with the next band's
      first lines or below): the band above's own paragraphs end before the next band
      starts, since the next band is lined up below them."""
    if index + 1 >= len(band_starts):
        return False
    (page, start), (next_page, next_start) = band_starts[index], band_starts[index + 1]
    if next_page != p.page:
        return False
    if page != p.page:  # the band began on an earlier page: on this one it starts at the row's top
        start = min(q.top for ps in columns.values() for q in ps if q.page == p.page)
    if next_start - p.top >= p.top - start:
        return False
    last = p.lines[-1]
    others_end = max((line.bottom for other, ps in columns.items() if other != name for q in ps
                      if _band_index(q, band_starts, metrics) == index for line in q.lines if line.page == p.page),
                     default=float("-inf"))
    if last.page == p.page and last.bottom <= others_end + metrics.level_tolerance:
        return False  # printed wholly beside its band's text
    across = last.page > p.page or last.top >= next_start - metrics.level_tolerance
    return first_of_column or across


def _spine_starts(starts, spine: Sequence[str], metrics: Metrics) -> set[Start]:
    """Owner paragraphs that start level with a paragraph of another action column."""
    found = set()
    for page, top, name in starts:
        if name not in spine:
            continue
        beside = [(pg, t) for pg, t, n in starts
                  if n not in spine and pg == page and abs(t - top) <= metrics.level_tolerance]
        if beside:
            found.add(min(beside + [(page, top)]))
    return found


def _off_level_owner_starts(starts, spine: Sequence[str], boundaries: list[Start],
                            metrics: Metrics) -> set[Start]:
    """Lines where every other action column starts a paragraph, inside a band whose owner
    column starts an entry both above and below that line. Word lines bands up by hand with
    empty paragraphs and can leave the owner column a line off its band; the other columns,
    starting together between two owner entries, still show where the next action begins
    (seed-31 s15-docx: CI001's opportunities were all read into its second action)."""
    others = {n for _, _, n in starts if n not in spine}
    if len(others) < 2:  # one column starting alone is any paragraph, not a band's line
        return set()
    owners = [(pg, t) for pg, t, n in starts if n in spine]
    found = set()
    for line in _level_lines(starts, others, metrics):
        if _near_any_start(line, owners, metrics):
            continue  # an owner level with it: _spine_starts decided this line
        band_start, band_end = _band_around(line, boundaries)
        above = any(band_start <= o < line for o in owners)
        below = any(line < o and (band_end is None or o < band_end) for o in owners)
        if above and below:
            found.add(line)
    return found


def _level_lines(starts, columns: set[str], metrics: Metrics) -> list[Start]:
    """Starts (page, top) where a paragraph of every one of ``columns`` begins level."""
    lines = []
    for page, top, name in starts:
        level = {n for pg, t, n in starts if pg == page and abs(t - top) <= metrics.level_tolerance}
        if columns <= level and not _near_any_start((page, top), lines, metrics):
            lines.append((page, top))
    return lines


def _near_any_start(start: Start, others: Sequence[Start], metrics: Metrics) -> bool:
    return any(pg == start[0] and abs(t - start[1]) <= metrics.level_tolerance for pg, t in others)


def _band_around(line: Start, boundaries: list[Start]) -> tuple[Start, Start | None]:
    """The band boundaries ``line`` lies between (the last one at or above it, the next below)."""
    # (the row's first start is a boundary: every line has one at or above it)
    above = [b for b in boundaries if b <= line]
    below = [b for b in boundaries if b > line]
    return above[-1], (below[0] if below else None)


def _level_starts(starts, metrics: Metrics) -> set[Start]:
    found = set()
    for page, top, name in starts:
        level = {n for pg, t, n in starts if pg == page and abs(t - top) <= metrics.level_tolerance}
        if len(level) >= 2:
            found.add(min((pg, t) for pg, t, n in starts if pg == page and abs(t - top) <= metrics.level_tolerance))
    return found


def _ruled_starts(starts, rules, columns, metrics: Metrics) -> set[Start]:
    """The first paragraph start below a rule drawn across two or more action columns."""
    if not rules:
        return set()
    spans = {name: (min(l.x0 for p in ps for l in p.lines), max(l.x1 for p in ps for l in p.lines))
             for name, ps in columns.items() if ps}
    found = set()
    for rule in rules:
        crossed = sum(rule.x0 <= (x0 + x1) / 2 <= rule.x1 for x0, x1 in spans.values())
        if crossed < 2:
            continue
        below = [(pg, t) for pg, t, _ in starts if pg == rule.page and t >= rule.top - 1.0]
        above = [(pg, t) for pg, t, _ in starts if pg == rule.page and t < rule.top - 1.0]
        if below and above:
            found.add(min(below))
    return found


def _merge_close(boundaries: list[Start], metrics: Metrics) -> list[Start]:
    merged: list[Start] = []
    for start in boundaries:
        if merged and merged[-1][0] == start[0] and abs(merged[-1][1] - start[1]) <= metrics.level_tolerance:
            continue
        merged.append(start)
    return merged


def _in_band(p: Paragraph, start, end, metrics: Metrics) -> bool:
    position = (p.page, p.top + metrics.level_tolerance)
    return position >= start and (end is None or position < end)
