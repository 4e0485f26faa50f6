"""Running headers and footers: text in the page margins that repeats page after page."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from actionplan.extract.geometry import Metrics, group_lines
from actionplan.extract.pages import PageLayout
from actionplan.schema.records import Line, Word

# Only text in the outer bands of a page can be a running header or footer.
MARGIN_FRACTION = 0.12
PAGE_NUMBER = re.compile(r"^\s*(page\s*)?\d+\s*((of|/)\s*\d+)?\s*$", re.IGNORECASE)


def find_furniture(pages: Sequence[PageLayout], metrics: Metrics,
                   table_words: set[Word]) -> tuple[set[Word], list[Line]]:
    """The words of running headers/footers, and their lines (to count what is dropped).
    ``table_words`` (the header rows) are never furniture."""
    margin_lines = {page.number: _margin_lines(page, metrics, table_words) for page in pages}
    seen_on = defaultdict(set)
    for number, lines in margin_lines.items():
        for line in lines:
            seen_on[_signature(line, metrics)].add(number)
    needed = max(2, (len(pages) + 1) // 2)
    groups = _similar_signatures(list(seen_on))
    pages_of = {sig: set().union(*(seen_on[s] for s in groups[sig])) for sig in seen_on}
    furniture_lines = [
        line
        for lines in margin_lines.values()
        for line in lines
        if len(pages_of[_signature(line, metrics)]) >= needed or PAGE_NUMBER.match(line.text)
    ]
    words = {word for line in furniture_lines for word in line.words}
    return words, furniture_lines


def _margin_lines(page: PageLayout, metrics: Metrics, table_words: set[Word]) -> list[Line]:
    band = MARGIN_FRACTION * page.height
    outer = [w for w in page.words if (w.bottom <= band or w.top >= page.height - band)
             and w not in table_words]
    return group_lines(outer, page.width, metrics)


# An OCR'd running header reads a little differently on each page ("arising" / "ansing"):
# lines this similar (rapidfuzz ratio) at the same coarse position are the same line.
SAME_LINE_SIMILARITY = 90


def _similar_signatures(signatures: list[tuple[str, int]]) -> dict[tuple[str, int], list]:
    """Each signature with those of similar text in the same or a neighbouring position
    band (a scan shifts the page by a few points)."""
    from rapidfuzz import fuzz

    return {
        sig: [other for other in signatures
              if abs(other[1] - sig[1]) <= 1 and (other == sig or (
                  min(len(sig[0]), len(other[0])) >= 12
                  and fuzz.ratio(sig[0], other[0]) >= SAME_LINE_SIMILARITY))]
        for sig in signatures
    }


def _signature(line: Line, metrics: Metrics) -> tuple[str, int]:
    # Page numbers change from page to page; the position is kept coarse on purpose.
    text = re.sub(r"\d+", "#", line.text.lower())
    return text, round(line.top / (2 * metrics.line_height))
