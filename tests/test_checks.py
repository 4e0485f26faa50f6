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


def test_a_theme_cell_word_that_is_neither_theme_nor_score_is_named():
    """The Theme/Score cell is dropped as "theme and score"; a description's word glued to
    an overlong theme word would be lost behind that reason, so it is named in an issue."""
    from actionplan.normalise.pipeline import foreign_theme_cell_words
    from actionplan.schema.plan import load_vocabulary

    vocab = load_vocabulary()
    printed = "1. Continuousorganisational- Improvemenwtide LIGHT GREEN".split()
    assert foreign_theme_cell_words(printed, vocab) == ["Continuousorganisational-", "Improvemenwtide"]
    assert foreign_theme_cell_words("2. Governance AMBER".split(), vocab) == []
    # An OCR slip in a theme word is still the theme; a rule stroke read as "|" is nothing.
    assert foreign_theme_cell_words("1. Continuous Improvernent | DARK GREEN".split(), vocab) == []


def test_a_score_word_hyphenated_in_a_narrow_cell_is_rejoined_and_nothing_else_is():
    from actionplan.normalise.pipeline import score_words_rejoined

    scores = ("DARK GREEN", "LIGHT GREEN", "YELLOW", "AMBER", "RED")
    assert score_words_rejoined(["3.", "Leadership", "YEL-", "LOW"], scores) == (
        ["3.", "Leadership", "YELLOW"], [("YEL- LOW", "YELLOW")])
    assert score_words_rejoined(["Ho-", "DS"], scores) == (["Ho-", "DS"], [])


def test_a_score_word_broken_without_hyphens_in_a_narrow_cell_is_rejoined():
    """s45-docx: Word breaks "LIGHT GREEN" in a narrow cell as "LIG" / "HT" / "GRE" / "EN";
    "GRE" alone would read as GREY. A score printed whole is left as it is (no repair)."""
    from actionplan.normalise.pipeline import foreign_theme_cell_words, score_words_rejoined
    from actionplan.schema.plan import load_vocabulary

    vocab = load_vocabulary()
    pieces = "1. Conti nuous Impro veme nt LIG HT GRE EN".split()
    assert score_words_rejoined(pieces, vocab.scores) == (
        "1. Conti nuous Impro veme nt LIGHT GREEN".split()[:-2] + ["LIGHT GREEN"], [("LIG HT GRE EN", "LIGHT GREEN")])
    assert score_words_rejoined(["DARK", "GREEN"], vocab.scores) == (["DARK", "GREEN"], [])
    assert foreign_theme_cell_words(pieces, vocab) == []
    assert foreign_theme_cell_words("1. Conti nuous organis ation".split(), vocab) == ["organis", "ation"]
    # A foreign word after a theme word is not taken for a piece of it.
    assert foreign_theme_cell_words("1. Continuous Improvement the".split(), vocab) == ["the"]
    # A theme word broken at a line end and read with its hyphen kept (s25-html's theme 7
    # cells: seven issues naming "Com-munity"); a foreign word so broken is still named.
    assert foreign_theme_cell_words("7. Partnerships and Com-munity engagement".split(), vocab) == []
    assert foreign_theme_cell_words("7. Partnerships and organ-isation".split(), vocab) == ["organ-isation"]


def test_a_column_whose_header_label_was_not_read_is_an_issue():
    """Seed-7 s18-html: "Characteristic" ran past its narrow cell and its cell swallowed the
    next label ("Opportunity for Improvement"); the opportunity column was placed between
    its neighbours, two columns' words mixed, and the run said nothing (0 checks failed).
    A column placed so is now named; a column whose label was read is not."""
    from actionplan.config import load_config
    from actionplan.normalise.pipeline import Settings, normalise

    config = load_config(None)
    columns = ({"printed": "Characteristic", "field": "characteristic", "matched": "Characteristic",
                "score": 100.0, "how": "label"},
               {"printed": "", "field": "opportunity", "matched": "", "score": 0.0, "how": "inferred: label unreadable"})
    plan = ExtractedPlan("test.pdf", 1, "test", (), (), (), (_row("G001:", FORWARD_ROWS["G001:"]),), (), 0,
                         columns=columns)
    normalised, _ = normalise(plan, Settings("r", config.vocab, config.glossary, config.convention))
    named = [i for i in normalised.issues if "header label" in i.message]
    assert [(i.field, "opportunity column was not read" in i.message) for i in named] == [("opportunity", True)]


def _paragraph(text: str, top: float) -> Paragraph:
    return Paragraph((_line(text, top),))


def _paired_band_actions(opportunities: list[str]):
    """One band (one row of the action columns) whose owner cell holds two owner/timeline
    pairs beside two recommendation paragraphs, with ``opportunities`` beside them."""
    from actionplan.config import load_config
    from actionplan.normalise.pipeline import Settings, normalise
    from actionplan.schema.records import Band

    band = Band(cells={
        "opportunity": tuple(_paragraph(t, 100 + 24 * n) for n, t in enumerate(opportunities)),
        "recommendation": (_paragraph("Report KPIs to CLT quarterly", 100), _paragraph("Brief all contract managers", 124)),
        "owner_timeline": (_paragraph("CLT, Q2 2024. HoBPPP, ongoing.", 100),),
    }, page=1)
    row = RawRow("G001:", 1, {"characteristic": (_paragraph("The council publishes its evidence", 100),)},
                 (band,), (1,), None, "test")
    plan = ExtractedPlan("test.pdf", 1, "test", (), (), (), (row,), (), 0)
    config = load_config(None)
    normalised, _ = normalise(plan, Settings("r", config.vocab, config.glossary, config.convention))
    named = [i for i in normalised.issues if i.field == "opportunity" and "owner/timeline pairs" in i.message]
    return [a.opportunity for a in normalised.actions], named


def test_several_opportunities_beside_a_bands_paired_actions_are_an_issue():
    """2025 seed-41 s12-docx's CI001: two actions the columns did not line up, in one band
    split by its two owner/timeline pairs; both opportunity paragraphs went to the first
    action and nothing said so. One paragraph per action is read one each, and named."""
    opportunities, named = _paired_band_actions(["KPIs are not reported", "Trends are not used"])
    assert opportunities == ["KPIs are not reported", "Trends are not used"]
    assert len(named) == 1 and "one per action" in named[0].message


def test_one_opportunity_beside_a_bands_paired_actions_is_the_firsts_without_an_issue():
    """The plan's own convention (CI003, G002 of the 2024 plan): the first action keeps it."""
    opportunities, named = _paired_band_actions(["KPIs are not reported"])
    assert opportunities == ["KPIs are not reported", ""]
    assert named == []
