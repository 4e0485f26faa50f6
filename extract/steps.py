"""Page layouts -> theme sections, characteristic rows and action bands, as one ordered list
of steps over an ``ExtractState`` (one slot per step's output; ``--debug`` dumps each):

    STEPS = measure -> headers -> furniture -> front matter -> columns -> events
            -> sections -> tags (a tagged PDF's structure tree) -> drops

1. measure the document's type (line height, line pitch);
2. find header rows by their labels;
3. running headers/footers: margin text repeating page after page (header rows excluded);
4. everything before the first header is front matter (heatmap, key);
5. the columns in force on each page, from the header (snapped to rules);
6. theme headings and element-id anchors, in reading order;
7. every body word to the heading or anchor before it; rows split into paragraphs and bands;
8. a tagged PDF: rows, cells and paragraphs from its structure tree where the tree can vouch
   for them, cross-checked with 7 (extract/tagged.py); each page says which reading it got;
9. every word that reached no section is recorded in ``dropped`` with its reason.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from itertools import chain
from pathlib import Path

from actionplan.errors import InputError, NotAnActionPlan
from actionplan.extract.backends import DEFAULT_BACKEND
from actionplan.extract.bounds import PlanBounds, plan_end, plan_start
from actionplan.extract.colour import FillFinder
from actionplan.extract.columns import Columns, columns_by_page, flowing_words, right_limits
from actionplan.extract.events import Event, find_events, theme_heading
from actionplan.extract.front import FrontMatter, read_front_matter
from actionplan.extract.furniture import find_furniture
from actionplan.extract.geometry import Metrics, char_count, group_lines, measure
from actionplan.extract.header import AMBIGUOUS_SEPARATOR, ColumnSpec, HeaderRow, HeaderSettings, find_headers
from actionplan.extract.pages import PageLayout
from actionplan.extract.rows import paragraphs_of, sections
from actionplan.extract.structure import StructureTree
from actionplan.extract.tagged import disagreements, read_tagged
from actionplan.schema.ids import looks_like_id
from actionplan.schema.plan import PlanVocabulary
from actionplan.schema.profile import load_profile
from actionplan.schema.records import (
    COLUMNS, DroppedLine, ExtractedPlan, Line, PageFacts, RawRow, ThemeSection, Word,
)


@dataclass
class ExtractState:
    """What the extract steps read and fill in, in order (--debug dumps each step's)."""

    source: Path
    layouts: Sequence[PageLayout]
    vocab: PlanVocabulary
    fills: FillFinder
    backend: str
    metrics: Metrics | None = None
    headers: dict[int, list[HeaderRow]] = field(default_factory=dict)
    furniture: set[Word] = field(default_factory=set)
    furniture_lines: list[Line] = field(default_factory=list)
    front_words: list[Word] = field(default_factory=list)
    front: FrontMatter | None = None
    body: list[Word] = field(default_factory=list)
    body_lines: list[Line] = field(default_factory=list)
    columns: dict[int, Columns] = field(default_factory=dict)
    flowing: set[Word] = field(default_factory=set)
    limits: dict[str, float] = field(default_factory=dict)
    events: list[Event] = field(default_factory=list)
    themes: list[ThemeSection] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    orphans: list[Word] = field(default_factory=list)
    dropped: list[DroppedLine] = field(default_factory=list)
    pages: list[PageFacts] = field(default_factory=list)
    start: tuple[int, float] = (1, float("-inf"))  # where the plan's own text begins
    bounds: PlanBounds | None = None
    outside: list[Word] = field(default_factory=list)  # text before or after the plan
    decided: dict[str, str] = field(default_factory=dict)  # ambiguous column -> the field its cells chose
    tree: StructureTree | None = None  # a tagged PDF's structure tree
    reading: str = "auto"  # auto | tagged | layout (--reading)
    page_readings: dict[int, str] = field(default_factory=dict)  # tagged | layout | mixed
    reading_notes: list[str] = field(default_factory=list)  # tree problems, disagreements
    artifacts: list[Word] = field(default_factory=list)  # body text marked Artifact

    @property
    def pages_with_body(self) -> set[int]:
        return {w.page for w in self.body}
    votes: dict[str, dict[str, int]] = field(default_factory=dict)  # ambiguous column -> cells per field, and all

    def drop(self, reason: str, words: Sequence[Word]) -> None:
        """Record words set aside for ``reason``, a line at a time."""
        assert self.metrics is not None
        for line in group_lines(words, float("inf"), self.metrics):
            self.dropped.append(DroppedLine(line.page, reason, line.text, line.x0, line.top,
                                            line.x1, line.bottom))


def header_settings(vocab: PlanVocabulary) -> HeaderSettings:
    """The profile's columns: each field with its labels, and each ambiguous label as a
    column of several fields ("rating|status") that its cells decide later."""
    profile = vocab.profile or load_profile()
    specs = [ColumnSpec(name, labels) for name, labels in vocab.column_specs()]
    specs += [ColumnSpec(AMBIGUOUS_SEPARATOR.join(fields), (label,)) for label, fields in profile.ambiguous]
    return HeaderSettings(
        columns=tuple(specs),
        labels_required=vocab.header_labels_required,
        word_similarity=vocab.header_word_similarity,
        layout=profile.layout,
    )


# ---------------------------------------------------------------------- the steps


def measure_type(state: ExtractState) -> None:
    words = [w for page in state.layouts for w in page.words]
    if not words:
        raise InputError(
            f"{state.source}: the PDF has no text layer (scanned pages?); it needs OCR first, "
            "e.g. `ocrmypdf in.pdf out.pdf`"
        )
    state.metrics = measure(words)


def find_header_rows(state: ExtractState) -> None:
    settings = header_settings(state.vocab)
    state.headers = {p.number: find_headers(p, settings, state.metrics, set(), p.rules)
                     for p in state.layouts}
    if not any(state.headers.values()):
        raise NotAnActionPlan(
            f"{state.source}: no action plan found: looked for a table header with the columns "
            + ", ".join(repr(label) for label in state.vocab.header_labels)
            + " (or the other labels of the profile in use)"
        )


def drop_furniture(state: ExtractState) -> None:
    # Headers first: a header row repeated on every page would otherwise look like furniture.
    header_words = _header_words(state)
    state.furniture, state.furniture_lines = find_furniture(state.layouts, state.metrics, header_words)


def find_plan_start(state: ExtractState) -> None:
    first_page = min(n for n, found in state.headers.items() if found)
    state.start = plan_start(state.layouts, first_page, state.metrics)


def read_front(state: ExtractState) -> None:
    first_page = min(n for n, found in state.headers.items() if found)
    first_header = state.headers[first_page][0]
    before_header = [
        w for page in state.layouts for w in page.words
        if w not in state.furniture and page.number >= state.start[0]
        and (page.number < first_header.page
             or (page.number == first_header.page and w.bottom <= first_header.top))
    ]
    body_start = _first_theme_heading(before_header, state)
    state.front_words = [w for w in before_header if body_start is None or (w.page, w.top) < body_start]
    state.front = read_front_matter(state.front_words, state.metrics, state.fills, state.vocab)


def lay_columns(state: ExtractState) -> None:
    excluded = state.furniture | _header_words(state) | set(state.front_words)
    state.body = [w for page in state.layouts for w in page.words
                  if w not in excluded and not w.mirrored]
    state.body_lines = group_lines(state.body, float("inf"), state.metrics)  # page-wide, grouped once
    state.columns = columns_by_page(state.layouts, state.headers, state.metrics, state.body_lines)


def decide_ambiguous_columns(state: ExtractState) -> None:
    """A label that fits several fields ("RAG": rating or status): its cells decide. Score
    words under it make it the rating, status words the status; a tie keeps the first."""
    profile = state.vocab.profile or load_profile()
    ambiguous = {k for cols in state.columns.values() for k in cols.keys if AMBIGUOUS_SEPARATOR in k}
    for key in sorted(ambiguous):
        # Body lines run across the page: each line's words in this column, as one text.
        lines = [text for line in state.body_lines
                 if (text := " ".join(w.text for w in line.words if state.columns[line.page].key_of(w) == key))]
        votes = {fld: 0 for fld in key.split(AMBIGUOUS_SEPARATOR)}
        for text in lines:
            upper = " ".join(text.upper().split())
            if "rating" in votes and any(upper.startswith(score) for score in state.vocab.scores):
                votes["rating"] += 1
            elif "status" in votes and profile.status_kind(text) is not None:
                votes["status"] += 1
        state.decided[key] = max(votes, key=lambda f: (votes[f], -list(votes).index(f)))
        state.votes[key] = {**votes, "cells": len(lines)}
    if state.decided:
        state.columns = {page: replace(cols, keys=tuple(state.decided.get(k, k) for k in cols.keys))
                         for page, cols in state.columns.items()}


def column_matches(state: ExtractState) -> tuple[dict, ...]:
    """How each printed column was matched, once per distinct label: the label as printed,
    the field, the profile label it read as and how well (0-100), and how it was decided."""
    seen: dict[tuple[str, str], dict] = {}
    for found in state.headers.values():
        for header in found:
            for cell in header.cells:
                fld = state.decided.get(cell.field, cell.field)
                how = ("unmatched: kept in extra" if cell.field == "extra"
                       else f"label fits {cell.field.replace(AMBIGUOUS_SEPARATOR, ' or ')}; the cells say {fld}"
                       f" ({_votes_said(state.votes.get(cell.field, {}), fld)})"
                       if cell.field in state.decided else "inferred: label unreadable" if not cell.words
                       else "label")
                seen.setdefault((cell.label, fld), {
                    "printed": cell.label, "field": fld if fld != "extra" else f"extra:{cell.label}",
                    "matched": cell.matched, "score": cell.score, "how": how})
    return tuple(seen.values())


def _votes_said(votes: dict[str, int], fld: str) -> str:
    words = "score words" if fld == "rating" else "status words"
    return f"{votes.get(fld, 0)} of its {votes.get('cells', 0)} lines are {words}"


def find_plan_end(state: ExtractState) -> None:
    """Text before the plan's front matter or after its table's end is not the plan's."""
    end, reason = plan_end(state.body_lines, state.headers, state.columns, state.metrics,
                           state.vocab.themes, state.vocab.theme_heading_similarity)
    state.bounds = PlanBounds(state.start, end, reason)
    state.outside = [w for w in state.body if not state.bounds.inside(w)]
    if state.outside:
        outside = set(state.outside)
        state.body = [w for w in state.body if w not in outside]
        state.body_lines = [line for line in state.body_lines if state.bounds.inside(line.words[0])]
    state.flowing = flowing_words(state.body_lines, state.columns, state.metrics)
    state.limits = right_limits([w for w in state.body if w not in state.flowing], state.columns)


def find_row_events(state: ExtractState) -> None:
    rules = {p.number: [r for r in p.rules if not r.vertical] for p in state.layouts}
    state.events = find_events(state.body, state.body_lines, state.columns, state.metrics,
                               state.vocab.themes, state.vocab.theme_heading_similarity,
                               state.limits, state.flowing, rules)
    if not any(e.kind == "anchor" for e in state.events):
        raise NotAnActionPlan(
            f"{state.source}: no action plan found: the header row is there but no row starts with "
            "an element id such as CI001 or L002"
        )


def build_sections(state: ExtractState) -> None:
    horizontal = {p.number: [r for r in p.rules if not r.vertical] for p in state.layouts}
    state.themes, state.rows, state.orphans = sections(
        state.events, state.body, state.columns, state.metrics, state.limits, state.fills, state.backend,
        horizontal, page_widths={p.number: p.width for p in state.layouts},
        page_heights={p.number: p.height for p in state.layouts})


def read_tags(state: ExtractState) -> None:
    """Rows from the structure tree where it vouches for them; the layout's elsewhere."""
    anchors = [i for i, e in enumerate(state.events) if e.kind == "anchor"]
    headings = [i for i, e in enumerate(state.events) if e.kind == "heading"]
    from_tree: set[int] = set()
    if state.tree is not None and state.reading != "layout":
        tagged = read_tagged(state.tree, state, force=state.reading == "tagged")
        layout_rows = dict(zip(anchors, state.rows))
        state.reading_notes = tagged.notes + disagreements(tagged.rows, layout_rows)
        state.rows = [tagged.rows.get(i, layout_rows[i]) for i in anchors]
        layout_themes = dict(zip(headings, state.themes))
        state.themes = [tagged.themes.get(i, layout_themes[i]) for i in headings]
        from_tree = set(tagged.rows) | set(tagged.themes)
        placed = {w for row in state.rows for p in paragraphs_of(row) for line in p.lines for w in line.words}
        placed |= {w for t in state.themes for p in t.intro for line in p.lines for w in line.words}
        state.artifacts = [w for w in tagged.artifacts if w not in placed]
        gone = tagged.claimed | set(state.artifacts)
        state.orphans = [w for w in state.orphans if w not in gone]
    pages_of = {i: set(r.pages) for i, r in zip(anchors, state.rows)}
    pages_of |= {i: set(t.pages) for i, t in zip(headings, state.themes)}
    seen: dict[int, set[str]] = {}
    for index, pages in pages_of.items():
        for page in pages:
            seen.setdefault(page, set()).add("tagged" if index in from_tree else "layout")
    state.page_readings = {page: kinds.pop() if len(kinds) == 1 else "mixed"
                           for page, kinds in sorted(seen.items())}


def record_drops(state: ExtractState) -> None:
    for header_list in state.headers.values():
        for header in header_list:
            state.drop("header_row", header.words)
    for line in state.furniture_lines:
        page = next(p for p in state.layouts if p.number == line.page)
        reason = "running_header" if line.top < page.height / 2 else "running_footer"
        state.dropped.append(DroppedLine(line.page, reason, line.text, line.x0, line.top, line.x1, line.bottom))
    state.drop("front_matter", [w for w in state.front_words if w not in state.front.used])
    state.drop("unassigned", state.orphans)
    state.drop("artifact", state.artifacts)
    state.drop("outside_plan", state.outside)
    excluded = state.furniture | _header_words(state) | set(state.front_words)
    state.drop("unreadable", [w for p in state.layouts for w in p.words if w.mirrored and w not in excluded])


def summarise_pages(state: ExtractState) -> None:
    claimed: dict[int, int] = {}
    orphans = set(state.orphans)
    for word in state.body:
        if word not in orphans:
            claimed[word.page] = claimed.get(word.page, 0) + 1
    anchors: dict[int, int] = {}
    for event in state.events:
        if event.kind == "anchor":
            anchors[event.page] = anchors.get(event.page, 0) + 1
    header_words = _header_words(state)  # once, not once a page
    for page in state.layouts:
        odd = tuple(w.text for w in page.words if w.mirrored)
        state.pages.append(PageFacts(page.number, len(page.words), _page_in_plan(page.number, state, header_words),
                                     anchors.get(page.number, 0), claimed.get(page.number, 0),
                                     page.rotation, odd, page.error, _page_in_front(page.number, state)))


@dataclass(frozen=True)
class Step:
    """One extract step: the function and the state slots it fills."""

    run: Callable[[ExtractState], None]
    fills: tuple[str, ...]  # the state's slots this step writes (what --debug dumps)

    @property
    def name(self) -> str:
        return self.run.__name__


STEPS: tuple[Step, ...] = (
    Step(measure_type, ("metrics",)),
    Step(find_header_rows, ("headers",)),
    Step(drop_furniture, ("furniture_lines",)),
    Step(find_plan_start, ("start",)),
    Step(read_front, ("front",)),
    Step(lay_columns, ("columns",)),
    Step(decide_ambiguous_columns, ("decided", "votes")),
    Step(find_plan_end, ("bounds", "limits")),
    Step(find_row_events, ("events",)),
    Step(build_sections, ("themes", "rows", "orphans")),
    Step(read_tags, ("rows", "themes", "page_readings", "reading_notes")),
    Step(record_drops, ("dropped",)),
    Step(summarise_pages, ("pages",)),
)


def extract_plan(source: Path, layouts: Sequence[PageLayout], vocab: PlanVocabulary,
                 backend: str = DEFAULT_BACKEND, fills: FillFinder | None = None,
                 on_step: Callable[[Step, ExtractState], None] | None = None,
                 page_count: int | None = None, tree: StructureTree | None = None,
                 reading: str = "auto") -> ExtractedPlan:
    state = ExtractState(source, layouts, vocab, fills or FillFinder(layouts), backend,
                         tree=tree, reading=reading)
    for step in STEPS:
        step.run(state)
        if on_step:
            on_step(step, state)
    return ExtractedPlan(
        source=str(source),
        page_count=page_count or len(layouts),
        backend=backend,
        heatmap=state.front.heatmap,
        key=state.front.key,
        themes=tuple(state.themes),
        rows=tuple(state.rows),
        dropped=tuple(state.dropped),
        characters_read=sum(char_count(w.text) for page in layouts for w in page.words),
        page_images_sampled=state.fills.sampled_pixels,
        warnings=tuple(_orphan_messages(state.orphans)),
        pages=tuple(state.pages),
        end_reason=state.bounds.end_reason,
        columns=column_matches(state),
        profile=(state.vocab.profile or load_profile()).source,
        reading=state.reading if state.tree is not None else "layout",
        page_readings=tuple(sorted(state.page_readings.items())),
        reading_notes=tuple(state.reading_notes),
    )


# ---------------------------------------------------------------------- helpers


def _page_in_front(number: int, state: ExtractState) -> bool:
    first = min(n for n, found in state.headers.items() if found)
    return state.start[0] <= number < first


def _page_in_plan(number: int, state: ExtractState, header_words: set[Word]) -> bool:
    first = min(n for n, found in state.headers.items() if found)
    bounds = state.bounds or PlanBounds(state.start, None)
    return bounds.holds_page(number, first, chain(state.body, header_words))


def _header_words(state: ExtractState) -> set[Word]:
    return {w for found in state.headers.values() for h in found for w in h.words}


def _first_theme_heading(words: list[Word], state: ExtractState) -> tuple[int, float] | None:
    """A theme heading printed above the first table (intro as text between tables) starts
    the body there; it must come after the heatmap, whose rows also name the themes."""
    lines = group_lines(words, float("inf"), state.metrics)
    heatmap_rows = [i for i, line in enumerate(lines)
                    if sum(looks_like_id(w.text) for w in line.words) >= 3]
    after = heatmap_rows[-1] + 1 if heatmap_rows else 0
    for line in lines[after:]:
        if theme_heading(line.text, state.vocab.themes, state.vocab.theme_heading_similarity):
            return (line.page, line.top - state.metrics.level_tolerance)
    return None


def _orphan_messages(orphans: list[Word]) -> list[str]:
    if not orphans:
        return []
    pages = sorted({w.page for w in orphans})
    sample = " ".join(w.text for w in orphans[:12])
    return [f"text before the first theme or row on page(s) {pages}: {sample!r}"]
