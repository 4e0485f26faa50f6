"""The plan's rows read from a tagged PDF's structure tree, cross-checked with the layout.

The tree (extract/structure.py) says which words form a row (``TR``, whatever pages it
spans), a cell (``TD``) and a paragraph (``P``). The layout reading still says what each
cell *means* -- its column, from the header labels -- where the rows' anchors and theme
headings are, and where the bands start within a row's action cells (unless the cell holds
its bands as a nested table, as HTML exports do).

The tree is trusted only for what it can vouch for. A unit (the TRs of one plan row or one
theme row) is *not* vouched for -- and the layout's reading of it is kept -- when:

- a TR spans another number of columns than the header row (a cell moved to another row);
- a TR holds two rows' anchors, or text of no row the layout found;
- its TRs are out of reading order (a TR that starts above the one before it);
- text marked Artifact lies inside the row as the layout reads it (a wrong tag);
- it lies on a page the tree does not reach (an untagged page) or on a page with body text
  outside every TD (text the tree does not place).

Text marked ``Artifact`` is page furniture: counted in ``dropped``. Every problem and every
difference between the two readings (a row one reading has and the other lacks, a cell whose
text differs) is a note, reported as an issue.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from actionplan.extract.bands import build_bands
from actionplan.extract.events import Event
from actionplan.extract.geometry import Metrics, group_lines
from actionplan.extract.rows import _rules_in, _score_cell_words, is_action_column, paragraphs_of
from actionplan.extract.structure import MarkedRef, StructureTree, TagCell, TagRow
from actionplan.schema.records import Band, Paragraph, RawRow, ThemeSection, Word

READINGS = ("auto", "tagged", "layout")


@dataclass
class Unit:
    """The TRs of one plan row (or theme row), in the tree's order."""

    kind: str  # row | theme | stray
    event: int | None  # index into the layout's events
    rows: list[TagRow] = field(default_factory=list)
    tables: list[int] = field(default_factory=list)  # which plan table each TR is in
    words: list[Word] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def pages(self) -> set[int]:
        return {w.page for w in self.words}

    @property
    def tree_pages(self) -> set[int]:
        """The pages the unit's TRs point at (its text may have lost its marks there)."""
        return {r.page for row in self.rows for r in row.refs}

    @property
    def start(self) -> tuple[int, float]:
        return min((w.page, w.top) for w in self.words)


@dataclass
class TaggedReading:
    """The plan's rows as a tagged PDF's tree gives them, with what it vouches for."""

    rows: dict[int, RawRow]  # event index -> the row as the tree has it (vouched for)
    themes: dict[int, ThemeSection]
    claimed: set[Word]  # body words the vouched units hold
    artifacts: list[Word]  # body text marked Artifact: page furniture
    notes: list[str]  # problems and disagreements, one line each
    unvouched_pages: set[int]


def read_tagged(tree: StructureTree, state, force: bool = False) -> TaggedReading:
    """``state`` is the layout reading's ExtractState. ``force`` (``--reading tagged``) takes
    every unit the tree has, problems or not (the problems are still notes)."""
    by_ref: dict[MarkedRef, list[Word]] = {}
    for word in state.body:
        if word.mcid is not None:
            by_ref.setdefault(MarkedRef(word.page, word.mcid), []).append(word)
    events: list[Event] = state.events
    first_words = {e.line.words[0]: i for i, e in enumerate(events) if e.kind == "anchor"}
    heading_words = {w: i for i, e in enumerate(events) if e.kind == "heading" for w in e.line.words}
    plan_tables = [t for t in tree.tables
                   if any(w in first_words for r in t.refs for w in by_ref.get(r, ()))]
    notes: list[str] = []
    if not plan_tables:
        return TaggedReading({}, {}, set(), [], ["the structure tree holds no table with the plan's rows"],
                             set(state.pages_with_body))
    width = _header_width(plan_tables)
    units = _units(plan_tables, by_ref, first_words, heading_words, width, events)
    _check_order(units)
    in_tables = {w for u in units for w in u.words}
    artifacts = [w for w in state.body if w not in in_tables and w.tag == "Artifact"]
    _check_artifacts(units, artifacts, state)
    unvouched = _unvouched_pages(tree, state, in_tables, notes)
    together = _layout_paragraphs(state)
    rows: dict[int, RawRow] = {}
    themes: dict[int, ThemeSection] = {}
    claimed: set[Word] = set()
    for unit in units:
        notes += unit.problems
        bad = (unit.problems or (unit.pages | unit.tree_pages) & unvouched) and not force
        if bad or unit.kind == "stray":
            continue
        if unit.kind == "row":
            rows[unit.event] = _raw_row(unit, events[unit.event], state, together)
        else:
            themes[unit.event] = _theme(unit, events[unit.event], state.metrics, together)
        claimed.update(unit.words)
    return TaggedReading(rows, themes, claimed, artifacts, notes, unvouched)


def _header_width(tables) -> int:
    first = tables[0].rows[0] if tables[0].rows else None
    header = next((r for t in tables for r in t.rows if r.is_header), first)
    return header.width if header else 0


def _units(tables, by_ref, first_words, heading_words, width: int, events) -> list[Unit]:
    units: list[Unit] = []
    for t_index, table in enumerate(tables):
        for r_index, row in enumerate(table.rows):
            words = [w for ref in row.refs for w in by_ref.get(ref, ())]
            if row.is_header or not words:
                continue  # header rows (their words are the header's) and empty rows
            label = _describe(words)
            anchors = sorted({first_words[w] for w in words if w in first_words})
            headings = sorted({heading_words[w] for w in words if w in heading_words})
            problems = []
            if width and row.width != width:
                problems.append(f"tagged row {label} spans {row.width} columns, the header {width}")
            if len(anchors) + len(headings) > 1:
                problems.append(f"tagged row {label} holds {len(anchors) + len(headings)} of the "
                                "layout's rows")
            if anchors or headings:
                kind, event = ("row", anchors[0]) if anchors else ("theme", headings[0])
                units.append(Unit(kind, event, [row], [t_index], words, problems))
            elif units and r_index == _first_body_row(table) and t_index > units[-1].tables[-1] \
                    and min(w.page for w in words) > max(units[-1].pages):
                # a row broken across pages, written as one TR per page (WeasyPrint): the
                # continuation opens the next page's table and starts no row of its own
                units[-1].rows.append(row)
                units[-1].tables.append(t_index)
                units[-1].words += words
                units[-1].problems += problems
            else:
                units.append(Unit("stray", None, [row], [t_index], words,
                                  problems + [f"tagged row {label} holds no row the layout found"]))
    return units


def _first_body_row(table) -> int:
    return next((i for i, r in enumerate(table.rows) if not r.is_header), 0)


def _check_order(units: list[Unit]) -> None:
    """Each unit must start below the one before it: tags out of reading order are not vouched for."""
    for before, unit in zip(units, units[1:]):
        if unit.start < before.start:
            note = (f"tagged rows out of reading order: {_describe(unit.words)} comes after "
                    f"{_describe(before.words)} in the tree")
            unit.problems.append(note)
            before.problems.append(note)


def _check_artifacts(units: list[Unit], artifacts: list[Word], state) -> None:
    """Text marked Artifact that the layout reads inside a row is a wrong tag (exporters
    write them): the tree cannot vouch for that row."""
    owner: dict[Word, int] = {}
    anchors = [i for i, e in enumerate(state.events) if e.kind == "anchor"]
    headings = [i for i, e in enumerate(state.events) if e.kind == "heading"]
    for index, row in zip(anchors, state.rows):
        owner.update({w: index for p in paragraphs_of(row) for line in p.lines for w in line.words})
    for index, theme in zip(headings, state.themes):
        owner.update({w: index for p in theme.intro for line in p.lines for w in line.words})
    inside: dict[int, list[Word]] = {}
    for word in artifacts:
        if word in owner:
            inside.setdefault(owner[word], []).append(word)
    for unit in units:
        if unit.event in inside:
            unit.problems.append(f"text marked Artifact inside a row {_describe(inside[unit.event])}: "
                                 "read from its layout")


def _unvouched_pages(tree: StructureTree, state, in_tables: set[Word], notes: list[str]) -> set[int]:
    pages = set()
    marked = {w.page for w in state.body if w.mcid is not None}
    for page in sorted(state.pages_with_body):
        # the tree may still point at a page whose content lost its marks: both must hold
        if page not in tree.tagged_pages or page not in marked:
            notes.append(f"page {page} is not tagged: read from its layout")
            pages.add(page)
    loose: dict[int, list[Word]] = {}
    for word in state.body:
        if word not in in_tables and word.tag != "Artifact" and word.page not in pages:
            loose.setdefault(word.page, []).append(word)
    for page, words in sorted(loose.items()):
        notes.append(f"page {page}: text outside the table's tagged cells ({_describe(words)}): "
                     "read from its layout")
        pages.add(page)
    return pages


def _describe(words: Sequence[Word]) -> str:
    ordered = sorted(words, key=lambda w: (w.page, w.top, w.x0))
    text = " ".join(w.text for w in ordered[:6])
    return f"on page {ordered[0].page} ({text!r})" if ordered else "(empty)"


# ---------------------------------------------------------------------- building rows


@dataclass(frozen=True)
class _Leaf:
    """A cell holding text (not a table): the field it feeds and its paragraphs' words."""

    key: str
    paragraphs: tuple[tuple[Word, ...], ...]
    band: int | None  # the nested row it sits in (a band written as a table row), or None


def _leaves(unit: Unit, by_word_ref, state) -> list[_Leaf]:
    leaves = []
    band = 0
    for row in unit.rows:
        for cell in row.cells:
            if cell.tables:
                for table in cell.tables:
                    for nested in table.rows:
                        for inner in nested.cells:
                            leaf = _leaf(inner, by_word_ref, state, band)
                            if leaf:
                                leaves.append(leaf)
                        band += 1
            else:
                leaf = _leaf(cell, by_word_ref, state, None)
                if leaf:
                    leaves.append(leaf)
    return leaves


def _leaf(cell: TagCell, by_word_ref, state, band) -> _Leaf | None:
    paragraphs = tuple(tuple(w for ref in p for w in by_word_ref.get(ref, ())) for p in cell.paragraphs)
    paragraphs = tuple(p for p in paragraphs if p)
    words = [w for p in paragraphs for w in p]
    if not words:
        return None
    votes: dict[str, int] = {}
    for w in words:
        key = state.columns[w.page].key_of(w)
        votes[key] = votes.get(key, 0) + len(w.text)
    return _Leaf(max(votes, key=votes.get), paragraphs, band)


def _paragraph(words: Sequence[Word], limit: float, metrics: Metrics) -> Paragraph:
    return Paragraph(tuple(group_lines(words, limit, metrics)))


def _layout_paragraphs(state) -> dict[Word, int]:
    """Which layout paragraph each word is in (a paragraph's number)."""
    found: dict[Word, int] = {}
    paragraphs = [p for row in state.rows for p in paragraphs_of(row)]
    paragraphs += [p for theme in state.themes for p in theme.intro]
    for number, paragraph in enumerate(paragraphs):
        for line in paragraph.lines:
            for word in line.words:
                found[word] = number
    return found


def _joined_across_pages(paragraphs: list[Paragraph], together: dict[Word, int]) -> list[Paragraph]:
    """A paragraph broken across pages may be written as two (one per page's TR, as
    WeasyPrint does); where the layout reads them as one paragraph, so does this."""
    out: list[Paragraph] = []
    for paragraph in paragraphs:
        if out and out[-1].lines[-1].page < paragraph.page:
            last, first = out[-1].lines[-1].words[-1], paragraph.lines[0].words[0]
            if together.get(last) is not None and together.get(last) == together.get(first):
                out[-1] = Paragraph(out[-1].lines + paragraph.lines)
                continue
        out.append(paragraph)
    return out


def _raw_row(unit: Unit, event: Event, state, together: dict[Word, int]) -> RawRow:
    metrics = state.metrics
    mine = set(unit.words)
    by_ref: dict[MarkedRef, list[Word]] = {}
    for w in unit.words:
        by_ref.setdefault(MarkedRef(w.page, w.mcid), []).append(w)
    leaves = _leaves(unit, by_ref, state)
    page_columns = state.columns[event.page]
    action_keys = [k for k in page_columns.keys if is_action_column(k, page_columns)]
    paragraphs: dict[str, list[Paragraph]] = {}
    for leaf in leaves:
        limit = state.limits.get(leaf.key, float("inf"))
        paragraphs.setdefault(leaf.key, []).extend(_paragraph(p, limit, metrics) for p in leaf.paragraphs)
    if len(unit.rows) > 1:
        paragraphs = {k: _joined_across_pages(ps, together) for k, ps in paragraphs.items()}
    nested = [leaf for leaf in leaves if leaf.band is not None]
    if nested and len({w.page for w in unit.words}) == 1:
        bands = _nested_bands(nested, state)
    else:
        horizontal = {p.number: [r for r in p.rules if not r.vertical] for p in state.layouts}
        bands = build_bands({k: paragraphs.get(k, []) for k in action_keys}, metrics,
                            _rules_in(unit.words, horizontal))
    lines = {k: [line for p in ps for line in p.lines] for k, ps in paragraphs.items()}
    assert mine  # a unit always holds words
    return RawRow(
        anchor=event.line.words[0].text,
        theme_no=_theme_no(state, event),
        cells={k: tuple(paragraphs.get(k, ())) for k in page_columns.keys if k not in action_keys},
        bands=tuple(bands),
        pages=tuple(sorted(unit.pages)),
        score_fill=state.fills.fill_behind(_score_cell_words(lines, event, page_columns, metrics)),
        backend=state.backend,
    )


def _nested_bands(leaves: list[_Leaf], state) -> list[Band]:
    bands: dict[int, dict[str, list[Paragraph]]] = {}
    pages: dict[int, int] = {}
    for leaf in leaves:
        limit = state.limits.get(leaf.key, float("inf"))
        cells = bands.setdefault(leaf.band, {})
        cells.setdefault(leaf.key, []).extend(_paragraph(p, limit, state.metrics) for p in leaf.paragraphs)
        pages.setdefault(leaf.band, min(w.page for p in leaf.paragraphs for w in p))
    return [Band({k: tuple(v) for k, v in bands[b].items()}, pages[b]) for b in sorted(bands)]


def _theme_no(state, event: Event) -> int | None:
    theme_no = None
    for e in state.events:
        if e is event:
            return theme_no
        if e.kind == "heading":
            theme_no = e.theme_no
    return theme_no


def _theme(unit: Unit, event: Event, metrics: Metrics, together: dict[Word, int]) -> ThemeSection:
    heading = set(event.line.words)
    by_ref: dict[MarkedRef, list[Word]] = {}
    for w in unit.words:
        by_ref.setdefault(MarkedRef(w.page, w.mcid), []).append(w)
    intro_words = [w for w in unit.words if w not in heading]
    right_limit = max((w.x1 for w in intro_words), default=float("inf"))
    intro = []
    for row in unit.rows:
        for cell in row.cells:
            for p in cell.paragraphs:
                words = [w for ref in p for w in by_ref.get(ref, ()) if w not in heading]
                if words:
                    intro.append(_paragraph(words, right_limit, metrics))
    return ThemeSection(event.theme_no or 0, event.line, tuple(_joined_across_pages(intro, together)),
                        tuple(sorted({event.page} | unit.pages)))


# ---------------------------------------------------------------------- cross-check


def field_texts(row: RawRow) -> dict[str, str]:
    """Each field's words, in reading order, as one string (for comparing two readings)."""
    texts: dict[str, list[str]] = {}
    for key, ps in row.cells.items():
        texts.setdefault(key, []).extend(line.text for p in ps for line in p.lines)
    for band in row.bands:
        for key, ps in band.cells.items():
            texts.setdefault(key, []).extend(line.text for p in ps for line in p.lines)
    return {k: " ".join(" ".join(v).split()) for k, v in texts.items() if " ".join(v).strip()}


def disagreements(tagged: dict[int, RawRow], layout: dict[int, RawRow]) -> list[str]:
    notes = []
    for index, row in sorted(tagged.items()):
        other = layout.get(index)
        if other is None:
            notes.append(f"row {row.anchor}: the tree has it, the layout reading does not")
            continue
        mine, theirs = field_texts(row), field_texts(other)
        for key in sorted(set(mine) | set(theirs)):
            if mine.get(key, "") != theirs.get(key, ""):
                notes.append(f"row {row.anchor} {key}: the tree reads {_short(mine.get(key, ''))}, "
                             f"the layout {_short(theirs.get(key, ''))}")
        if len(row.bands) != len(other.bands):
            notes.append(f"row {row.anchor}: the tree gives {len(row.bands)} action(s), "
                         f"the layout {len(other.bands)}")
    return notes


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[:limit] + "...")


__all__ = ["READINGS", "TaggedReading", "disagreements", "field_texts", "paragraphs_of", "read_tagged"]
