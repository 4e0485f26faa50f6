"""The self-check that text reads upright and forwards (normalise/checks.py)."""

from __future__ import annotations

from actionplan.normalise.checks import CheckInput, text_reads_upright
from actionplan.schema.records import ExtractedPlan, Line, Paragraph, RawRow, Word

# Rows of a plan as printed, a cell's lines each; the plan's own words, which a line read
# backwards reverses.
FORWARD_ROWS = {
    "G001:": ["The council will publish the evidence", "gathered by officers each quarter"],
    "G002:": ["Officers review the evidence with members", "and publish a summary for residents"],
    "G003:": ["Support from the loc-", "al partners will be sought", "by the council to publish"],
}


def _line(text: str, top: float) -> Line:
    words, x = [], 40.0
    for piece in text.split():
        words.append(Word(piece, 1, x, top, x + 5 * len(piece), top + 10))
        x += 5 * len(piece) + 3
    return Line(tuple(words), 1, 40.0, top, x, top + 10, 300.0)


def _row(anchor: str, lines: list[str]) -> RawRow:
    paragraph = Paragraph(tuple(_line(text, 100 + 12 * n) for n, text in enumerate(lines)))
    return RawRow(anchor, 1, {"characteristic": (paragraph,)}, (), (1,), None, "test")


def _reported(rows: dict[str, list[str]]) -> list[str]:
    plan = ExtractedPlan("test.pdf", 1, "test", (), (), (), tuple(_row(a, ls) for a, ls in rows.items()), (), 0)
    finding = text_reads_upright(CheckInput("r", plan, None, {}))
    return [i.message for i in finding.issues]


def _drawn_backwards(text: str) -> str:
    """A line whose glyphs were read in reverse order: its letters right to left."""
    return text[::-1]


def test_lines_read_backwards_are_reported_each():
    backwards = [_drawn_backwards("The council will publish"), _drawn_backwards("officers review the evidence"),
                 _drawn_backwards("the council")]
    reported = _reported({**FORWARD_ROWS, "G004:": backwards})
    assert len(reported) == 3
    assert all("row G004:" in m for m in reported)
    assert [m.split("reads backwards: ")[1] for m in reported] == [repr(t) for t in backwards]


def test_text_printed_forwards_passes():
    assert _reported(FORWARD_ROWS) == []


def test_pieces_of_hyphenated_words_and_palindromes_do_not_read_backwards():
    # Lines from the layout sweep (s10, s17, s20) that were reported: a line-end piece
    # ("col-", "Sus-", "non-"), the piece after a break ("terpret"), palindromes ("non",
    # "sus", "terpret") -- and one telling word on the line, printed nowhere else.
    fragments = {
        "CI008:": ["in line with a", "sense of col-", "lective responsibility"],
        "R009:": ["R009: Sus-", "tainable finances"],
        "SD010:": ["helping people to in-", "terpret it, to inform de\u2010", "cisions"],
        "G007:": ["appointment of a non-", "executive director"],
    }
    assert _reported({**FORWARD_ROWS, **fragments}) == []
