"""Where rows begin (extract/events.py): an element id opening a line of the
characteristic column is a row's anchor unless the line only carries on the sentence
above it -- on made-up pages, in a table of three columns (theme/score at x 40,
characteristic at x 100, opportunity at x 300)."""

from __future__ import annotations

from actionplan.extract.columns import Columns
from actionplan.extract.events import find_events
from actionplan.extract.geometry import Metrics
from actionplan.schema.plan import load_vocabulary
from actionplan.schema.records import Word

METRICS = Metrics(line_height=10.0, line_pitch=12.0)
COLUMNS = Columns((40.0, 100.0, 300.0), ("theme_score", "characteristic", "opportunity"), 5.0)


def _line(page: int, top: float, x: float, text: str) -> list[Word]:
    words = []
    for piece in text.split():
        words.append(Word(piece, page, x, top, x + 5 * len(piece), top + 10))
        x += 5 * len(piece) + 3
    return words


def _anchors(words: list[Word]) -> list[str]:
    vocab = load_vocabulary()
    events = find_events(words, [], {1: COLUMNS, 2: COLUMNS}, METRICS, vocab.themes, 80, {}, set(), {})
    return [e.line.words[0].text for e in events if e.kind == "anchor"]


def _row_ending_on_page_one(last_line: str) -> list[Word]:
    return (_line(1, 600, 40, "1. Continuous") + _line(1, 600, 100, "CI012: The authority")
            + _line(1, 612, 100, "contributes to the") + _line(1, 624, 100, last_line))


def test_a_bare_id_opening_a_page_after_a_sentence_stopped_mid_way_continues_it():
    """s19-html (seed 7): "...efficient delivery of services (Previously" ends page 5's
    description; page 6 opens with "G002 in the draft guidance)". Read as G002's row, CI012
    lost its second action and a row G002 appeared twice (the id check caught it)."""
    words = _row_ending_on_page_one("services (Previously") + _line(2, 50, 100, "G002 in the draft guidance)")
    assert _anchors(words) == ["CI012:"]


def test_an_id_opening_a_page_starts_a_row_after_a_closed_sentence_with_a_colon_or_its_theme():
    closed = _row_ending_on_page_one("services.") + _line(2, 50, 100, "CI013 The authority")
    assert _anchors(closed) == ["CI012:", "CI013"]
    colon = _row_ending_on_page_one("services (Previously") + _line(2, 50, 100, "CI013: The authority")
    assert _anchors(colon) == ["CI012:", "CI013:"]
    themed = (_row_ending_on_page_one("services (Previously") + _line(2, 50, 40, "1. Continuous")
              + _line(2, 50, 100, "CI013 The authority"))
    assert _anchors(themed) == ["CI012:", "CI013"]


def test_ids_in_a_column_of_their_own_each_start_a_row_over_a_page_break():
    """samples/other-council-columns: a "Ref" column holds only ids. Its last line on one
    page ("C003") closes no sentence, and the next page's "C007" has no colon: still a row."""
    columns = Columns((40.0, 100.0, 300.0), ("element_id", "characteristic", "opportunity"), 5.0)
    words = (_line(1, 600, 40, "C003") + _line(1, 600, 100, "Civil working relationships")
             + _line(2, 50, 40, "C007") + _line(2, 50, 100, "Appropriate processes are in place"))
    vocab = load_vocabulary()
    events = find_events(words, [], {1: columns, 2: columns}, METRICS, vocab.themes, 80, {}, set(), {})
    assert [e.line.words[0].text for e in events if e.kind == "anchor"] == ["C003", "C007"]


def test_an_id_whose_colon_ocr_read_as_a_semicolon_opens_a_row():
    """dev-word25-grey-200 (a 200 dpi grey scan) read "R003;" for "R003:": the row was not
    anchored, ran into R002's description, and R003 was lost with its score."""
    words = (_line(1, 100, 40, "5. Use") + _line(1, 100, 100, "R002: The workforce and fixed")
             + _line(1, 112, 100, "assets are managed well.") + _line(1, 124, 100, "R003; A robust system"))
    assert _anchors(words) == ["R002:", "R003;"]
