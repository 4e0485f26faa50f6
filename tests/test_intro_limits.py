"""How far a theme intro's full-width text runs (extract/rows.py): where its lines wrap,
which decides whether a line that ends a sentence short of it ended its paragraph."""

from __future__ import annotations

from actionplan.extract.events import Event
from actionplan.extract.geometry import Metrics, make_line, split_paragraphs
from actionplan.extract.rows import _intro_lines, _intro_rights
from actionplan.schema.records import Word

METRICS = Metrics(line_height=10.0, line_pitch=12.0)
LETTER = 5.0


def line_words(text: str, page: int, top: float, x0: float = 40.0) -> list[Word]:
    out, x = [], x0
    for token in text.split():
        out.append(Word(token, page, x, top, x + LETTER * len(token), top + METRICS.line_height))
        x += LETTER * (len(token) + 1)
    return out


def heading(title: str, page: int, top: float) -> Event:
    return Event("heading", page, top, make_line(line_words(title, page, top), float("inf")))


# Theme 1's intro wraps: its first line runs to x 500, where the table's text area ends.
LONG = line_words("x" * 91, 1, 120.0)  # one 91-letter "word" from x 40 to 495
LONG += line_words("wraps here and goes on.", 1, 132.0)
# Theme 4's intro: one-line paragraphs 1.4 pitches apart (under the document's blank-line
# step), the second ending 30 pt short of the edge: room for "The".
SHORT = (line_words("Culture describes the rest.", 2, 120.0)
         + line_words("The culture of a local authority is determined by values and roles here ok.", 2, 137.0)
         + line_words("The organisation should act as one.", 2, 154.0))


def test_an_intro_of_short_paragraphs_wraps_where_the_other_intros_do():
    events = [heading("1. CONTINUOUS IMPROVEMENT:", 1, 100.0), heading("4. CULTURE:", 2, 100.0)]
    rights = _intro_rights(events, [LONG, SHORT], {1: 600.0, 2: 600.0})
    assert rights == {1: 495.0, 2: 495.0}
    lines = _intro_lines(events[1], SHORT, METRICS, max(0.0, rights[2]))
    paragraphs = split_paragraphs(lines, METRICS)
    assert [len(p.lines) for p in paragraphs] == [1, 1, 1]
    # On its own limit the second line looks full, and the last two paragraphs run together.
    alone = _intro_lines(events[1], SHORT, METRICS, 0.0)
    assert [len(p.lines) for p in split_paragraphs(alone, METRICS)] == [1, 2]


def test_pages_of_another_size_keep_their_own_limit():
    events = [heading("1. CONTINUOUS IMPROVEMENT:", 1, 100.0), heading("4. CULTURE:", 2, 100.0)]
    rights = _intro_rights(events, [LONG, SHORT], {1: 842.0, 2: 595.0})
    assert rights[1] == 495.0 and rights[2] == max(w.x1 for w in SHORT)
