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


def justified_line(page: int, top: float, right: float = 495.0) -> list[Word]:
    """Six words stretched from x 40 to ``right``."""
    step = (right - 40.0) / 6
    return [Word("word", page, 40.0 + i * step, top, 40.0 + (i + 1) * step - 8.0 if i < 5 else right,
                 top + METRICS.line_height) for i in range(6)]


def test_a_justified_intro_runs_on_over_a_page_break_at_its_own_edge():
    """2024 seed-191 s15-docx: intro lines stretched to 1140.2 pt, the table cells' text to
    1143.4; measured against the cells' edge, the intro's last line on a page was 3 pt short
    of it, more than justified text allows, and ended its paragraph mid-sentence."""
    from actionplan.extract.rows import _justified_intro_edges

    event = heading("5. USE OF RESOURCES:", 1, 100.0)
    words = [w for i in range(6) for w in justified_line(1, 120.0 + i * 12.0)]
    words += line_words("specialist expertise when needed.", 2, 60.0)
    provisional = _intro_lines(event, words, METRICS, 498.0)
    edges = _justified_intro_edges([event], [provisional], {1: 600.0, 2: 600.0}, METRICS)
    assert edges == {1: 496.5, 2: 496.5}  # the edge, and the slack of a stretched line
    lines = _intro_lines(event, words, METRICS, edges[1], widen=False)
    assert len(split_paragraphs(lines, METRICS, justified=True)) == 1
    assert len(split_paragraphs(provisional, METRICS, justified=True)) == 2  # at the cells' edge: split


def _intro_over_a_page_break(last_word: str, next_page: str):
    """An intro of six lines stretched to x 495, then, at the page's foot, a line of five
    words at plain spaces whose last (``last_word``) ends 1.7 pt short of that edge, and
    ``next_page`` at the next page's top: its lines, wrapping at the edge they are
    stretched to."""
    from actionplan.extract.rows import _justified_intro_edges

    event = heading("2. LEADERSHIP:", 1, 100.0)
    words = [w for i in range(6) for w in justified_line(1, 120.0 + i * 12.0)]
    last = [Word("wordy", 1, 40.0 + i * 91.0, 192.0, 40.0 + i * 91.0 + 86.0, 202.0) for i in range(5)]
    last[-1] = Word(last_word, 1, last[-1].x0, 192.0, 495.0 - 1.7, 202.0)
    words += last + line_words(next_page, 2, 60.0)
    provisional = _intro_lines(event, words, METRICS, 498.0)
    edges = _justified_intro_edges([event], [provisional], {1: 600.0, 2: 600.0}, METRICS)
    return _intro_lines(event, words, METRICS, edges[1], widen=False)


def test_a_justified_intros_last_line_a_little_short_of_its_edge_ends_its_paragraph_at_a_page_break():
    """2024 seed-157 s18-docx: "... this can signal a problem." ended 1.7 pt short of the
    edge the intro's lines are stretched to, at a page's foot, and "All-out ..." began the
    next page: a paragraph's last line, not a stretched one."""
    lines = _intro_over_a_page_break("problem.", "All-out elections can help.")
    assert [len(p.lines) for p in split_paragraphs(lines, METRICS, justified=True)] == [7, 1]
    assert [len(p.lines) for p in split_paragraphs(lines, METRICS, justified=True, runs_on_in_lower_case=True)] == [7, 1]


def test_a_justified_intro_line_a_little_short_mid_sentence_runs_on_in_lower_case_over_a_page_break():
    """2024 seed-199 s17-docx: "... (having regard to economy," ended a page 1.1 pt short of
    the intro's edge (its stretched lines end 1141.3-1142.7 pt) and the next page went on
    "efficiency and effectiveness)."; read as two paragraphs, silently. A line ending no
    sentence, with no room for the next word, before a page starting in lower case runs
    on. Prose and intros only (rows.py asks it of intros): an owner column's full line ends
    its entry with no full stop."""
    lines = _intro_over_a_page_break("economy,", "efficiency and effectiveness).")
    assert [len(p.lines) for p in split_paragraphs(lines, METRICS, justified=True, runs_on_in_lower_case=True)] == [8]
    assert [len(p.lines) for p in split_paragraphs(lines, METRICS, justified=True)] == [7, 1]
    assert [len(p.lines) for p in split_paragraphs(lines, METRICS, justified=True, prose=True)] == [8]  # prose too
