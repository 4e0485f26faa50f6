"""Where sections and rows begin: theme headings and element-id anchors, in reading order.

An anchor is an element id opening a line of the id's column (its own "Ref" column, else
the characteristic column) -- unless that line only continues the sentence above it, as a
wrapped "(Previously / G002 in the draft guidance)" does. A theme label starting level with
the id ("7. Partnerships" in the Theme/Score column) always opens a row.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from actionplan.extract.columns import Columns
from actionplan.extract.geometry import Metrics, ends_sentence, group_lines
from actionplan.schema.ids import looks_like_id
from actionplan.schema.records import Line, Word

THEME_HEADING = re.compile(r"^\W*([1-9])\s*[.,]?\s*(.+?)\s*[:;.]?\W*$")


@dataclass(frozen=True)
class Event:
    """A theme heading or a row's anchor (its id), where it starts on its page."""

    kind: str  # "heading" | "anchor"
    page: int
    top: float
    line: Line
    theme_no: int | None = None


def anchor_column(columns: Columns) -> str:
    return "element_id" if "element_id" in columns.keys else "characteristic"


def column_lines(words, columns: dict[int, Columns], metrics: Metrics,
                 limits: dict[str, float]) -> dict[str, list[Line]]:
    """Each column's words as lines, by column key."""
    per_column: dict[str, list[Word]] = {}
    for word in words:
        per_column.setdefault(columns[word.page].key_of(word), []).append(word)
    return {key: group_lines(ws, limits.get(key, float("inf")), metrics) for key, ws in per_column.items()}


def find_events(body, body_lines, columns: dict[int, Columns], metrics: Metrics, themes, similarity,
                limits, flowing: set[Word], rules) -> list[Event]:
    """Theme headings and row anchors, in reading order."""
    by_column = column_lines(body, columns, metrics, limits)
    first = next(iter(columns.values()))
    column = anchor_column(first)
    lines = by_column.get(column, [])
    theme_labels = [line for line in by_column.get("theme_score", []) if line.text[:1].isdigit()]
    anchors = [
        line for i, line in enumerate(lines)
        if looks_like_id(line.words[0].text) and _anchor_shaped(line)
        and (_level_with_any(line, theme_labels, metrics)
             or not _continues(lines[i - 1] if i else None, line, metrics, flowing, rules,
                               in_text=column == "characteristic"))
    ]
    events = [Event("anchor", a.page, a.top, a) for a in anchors]
    for line in body_lines:
        theme_no = theme_heading(line.text, themes, similarity)
        if theme_no and not _level_with_any(line, anchors, metrics):
            events.append(Event("heading", line.page, line.top, line, theme_no))
    return sorted(events, key=lambda e: (e.page, e.top))


def theme_heading(text: str, themes, similarity: int) -> int | None:
    """The theme number of a heading "N. THEME NAME", or None."""
    match = THEME_HEADING.match(text)
    if not match:
        return None
    number, name = int(match.group(1)), match.group(2)
    if not 1 <= number <= len(themes):
        return None
    if fuzz.ratio(name.lower(), themes[number - 1].lower()) >= similarity:
        return number
    return None


def _continues(previous: Line | None, line: Line, metrics: Metrics, flowing: set[Word],
               rules: dict, in_text: bool = True) -> bool:
    """An id at the start of a wrapped line inside a sentence ("(Previously / G002 in the
    draft guidance)") is a reference, not the start of a row."""
    if previous is None:
        return False
    if previous.page != line.page:
        if not in_text:
            return False  # ids in a column of their own ("Ref") are each a row's
        # Over a page break nothing is measured: a column's last line on one page that stops
        # mid-sentence, then a bare id (no colon) opening the next page's, is the sentence
        # running on ("(Previously" / "G002 in the draft guidance)", s19-html seed 7). A row
        # that starts there has its theme label level with it, or its id's colon.
        return (not ends_sentence(previous.text) and previous.words[-1] not in flowing
                and not _ends_with_colon(line.words[0].text))
    if previous.words[-1] in flowing or _rule_between(rules.get(line.page, ()), previous, line):
        return False
    close = line.top - previous.top <= metrics.paragraph_gap
    same_cell = abs(line.x0 - previous.x0) <= metrics.level_tolerance
    return close and same_cell and not ends_sentence(previous.text)


def _level_with_any(line: Line, others: list[Line], metrics: Metrics) -> bool:
    return any(o.page == line.page and abs(o.top - line.top) <= metrics.level_tolerance for o in others)


def _rule_between(horizontal_rules, upper: Line, lower: Line) -> bool:
    """A row border drawn between two lines of the column: they are in different rows."""
    return any(
        upper.bottom - 1.0 <= r.top <= lower.top + 1.0 and r.x0 <= upper.x0 <= r.x1
        for r in horizontal_rules
    )


def _anchor_shaped(line: Line) -> bool:
    """'CI001: The authority...' -- the id opens the cell, usually with a colon after it."""
    first = line.words[0].text
    return _ends_with_colon(first) or len(line.words) == 1 or first[-1:].isalnum()


def _ends_with_colon(text: str) -> bool:
    # A scan's colon after an id is read as a semicolon too ("R003;"): its dots are all
    # OCR sees, and the ids' grammar already takes either (schema/ids.py).
    return text.rstrip().endswith((":", ";"))
