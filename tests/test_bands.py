"""Which band (action) each paragraph of a row's action columns belongs to (extract/bands.py),
on made-up rows: a band starts where an owner paragraph starts level with another column's,
and a paragraph starting between band starts is placed by what the columns show together."""

from __future__ import annotations

from actionplan.extract.bands import build_bands
from actionplan.extract.geometry import Metrics
from actionplan.schema.records import Line, Paragraph, Word

METRICS = Metrics(line_height=10.0, line_pitch=12.0)
TOP = 100.0  # where the row's first line is printed
LEFTS = {"opportunity": 300.0, "recommendation": 450.0, "owner_timeline": 600.0}


def para(column: str, first_line: int, lines: int, page: int = 1, text: str = "") -> Paragraph:
    """A paragraph of ``lines`` lines in ``column``, its first on line ``first_line`` of the row."""
    x0 = LEFTS[column]
    out = []
    for i in range(first_line, first_line + lines):
        top = TOP + i * METRICS.line_pitch
        word = Word(text or f"{column}-{first_line}", page, x0, top, x0 + 100.0, top + METRICS.line_height)
        out.append(Line((word,), page, x0, top, x0 + 100.0, top + METRICS.line_height, x0 + 140.0))
    return Paragraph(tuple(out))


def bands_of(columns: dict[str, list[Paragraph]]) -> list[dict[str, list[str]]]:
    """Each band as {column: the first word of each of its paragraphs}."""
    return [{name: [p.lines[0].words[0].text for p in ps] for name, ps in band.cells.items() if ps}
            for band in build_bands(columns, METRICS)]


def two_actions(opportunity: list[Paragraph]) -> dict[str, list[Paragraph]]:
    """Two actions whose recommendation and owner start level (lines 0 and 14); the first's
    recommendation runs 12 lines, to line 11."""
    return {
        "opportunity": opportunity,
        "recommendation": [para("recommendation", 0, 12, text="rec-1"), para("recommendation", 14, 6, text="rec-2")],
        "owner_timeline": [para("owner_timeline", 0, 1, text="own-1"), para("owner_timeline", 14, 2, text="own-2")],
    }


def test_a_paragraph_stopped_short_of_its_bands_start_is_that_bands():
    """s48-docx's L006: the second action prints no opportunity; the third's ("See related
    characteristic R002 ...") starts two lines above its recommendation and owner, beside the
    last line of the action above, and runs on beside its own band."""
    bands = bands_of(two_actions([para("opportunity", 11, 4, text="see-related")]))
    assert bands == [{"recommendation": ["rec-1"], "owner_timeline": ["own-1"]},
                     {"opportunity": ["see-related"], "recommendation": ["rec-2"], "owner_timeline": ["own-2"]}]


def test_a_paragraph_in_the_blank_line_above_a_band_is_that_bands():
    bands = bands_of(two_actions([para("opportunity", 13, 1, text="one-line")]))
    assert bands[1]["opportunity"] == ["one-line"] and "opportunity" not in bands[0]


def test_a_paragraph_after_its_columns_own_paragraph_in_the_band_stays_there():
    """The band's opportunity cell holds two paragraphs: the second continues it, however
    near the next band it ends, as long as it ends before the next band starts (the next
    band is lined up below the band above's text)."""
    columns = two_actions([para("opportunity", 0, 3, text="first"), para("opportunity", 11, 2, text="second"),
                           para("opportunity", 14, 2, text="own")])
    bands = bands_of(columns)
    assert bands[0]["opportunity"] == ["first", "second"] and bands[1]["opportunity"] == ["own"]


def test_a_bands_second_paragraph_is_the_next_bands_where_that_band_prints_none():
    """Word failed to line the next action up (2024 seed-157 s20-docx's CI001): its
    recommendation starts under the band above's, a page before its opportunity and owner.
    A band with an owner and an opportunity but no recommendation, under one with two, is
    read as one each, and the reading is named (``Band.unsure``)."""
    columns = two_actions([para("opportunity", 0, 3, text="opp-1"), para("opportunity", 14, 2, text="opp-2")])
    columns["recommendation"] = [para("recommendation", 0, 4, text="rec-1"), para("recommendation", 5, 3, text="rec-2")]
    built = build_bands(columns, METRICS)
    assert bands_of(columns) == [
        {"opportunity": ["opp-1"], "recommendation": ["rec-1"], "owner_timeline": ["own-1"]},
        {"opportunity": ["opp-2"], "recommendation": ["rec-2"], "owner_timeline": ["own-2"]}]
    assert [b.unsure for b in built] == [(), ("recommendation",)]


def test_progress_updates_are_not_claimed_by_a_band_without_one():
    """Many actions have no progress update yet: two updates over a band with none stay put."""
    columns = two_actions([para("opportunity", 0, 3, text="opp-1"), para("opportunity", 14, 2, text="opp-2")])
    LEFTS["progress"] = 750.0
    columns["progress"] = [para("progress", 0, 2, text="upd-1"), para("progress", 3, 2, text="upd-2")]
    built = build_bands(columns, METRICS)
    assert [p.lines[0].words[0].text for p in built[0].column("progress")] == ["upd-1", "upd-2"]
    assert not built[1].column("progress") and [b.unsure for b in built] == [(), ()]


def test_a_second_paragraph_printed_across_the_next_bands_start_is_that_bands():
    """The next band's opportunity stopped a line short of its start, after the band above's
    own opportunity: it runs on beside the next band's first lines."""
    bands = bands_of(two_actions([para("opportunity", 0, 3, text="first"), para("opportunity", 13, 3, text="next")]))
    assert bands[0]["opportunity"] == ["first"] and bands[1]["opportunity"] == ["next"]


def test_a_paragraph_starting_nearer_its_own_bands_start_stays_in_it():
    """One blank line above it, then it runs past the band's other text: still the first band's."""
    bands = bands_of(two_actions([para("opportunity", 1, 15, text="long")]))
    assert bands[0]["opportunity"] == ["long"] and "opportunity" not in bands[1]


def test_a_paragraph_printed_wholly_beside_its_bands_text_stays_in_it():
    """It starts nearer the next band's start, but ends beside the band's recommendation: it
    is printed beside that band only."""
    bands = bands_of(two_actions([para("opportunity", 8, 3, text="beside")]))
    assert bands[0]["opportunity"] == ["beside"] and "opportunity" not in bands[1]


def test_the_last_band_keeps_what_starts_in_it():
    bands = bands_of(two_actions([para("opportunity", 18, 4, text="late")]))
    assert len(bands) == 2 and bands[1]["opportunity"] == ["late"]


def test_a_columns_paragraphs_stay_in_reading_order():
    """Two short paragraphs in the blank lines above the second band: the first is pushed
    to it, and the one below follows it there."""
    columns = two_actions([para("opportunity", 12, 1, text="upper"), para("opportunity", 13, 1, text="lower")])
    columns["recommendation"][0] = para("recommendation", 0, 11, text="rec-1")
    bands = bands_of(columns)
    assert bands[1]["opportunity"] == ["upper", "lower"]


def test_paragraphs_level_with_each_other_but_not_with_an_owner_start_no_band():
    """The owner column says nothing new beside them: one action (L009's note beside its
    update)."""
    columns = {
        "opportunity": [para("opportunity", 0, 2, text="opp"), para("opportunity", 4, 2, text="note")],
        "recommendation": [para("recommendation", 0, 2, text="rec"), para("recommendation", 4, 2, text="update")],
        "owner_timeline": [para("owner_timeline", 0, 1, text="own")],
    }
    assert bands_of(columns) == [{"opportunity": ["opp", "note"], "recommendation": ["rec", "update"],
                                  "owner_timeline": ["own"]}]


def test_other_columns_starting_level_between_two_owner_entries_start_a_band():
    """seed-31 s15-docx's CI001: Word's padding left the second action's owner a line above
    the line where its opportunity and recommendation start together, and the third's a
    line below; each action is still its own band."""
    columns = {
        "opportunity": [para("opportunity", 0, 3, text="opp-1"), para("opportunity", 5, 3, text="opp-2")],
        "recommendation": [para("recommendation", 0, 3, text="rec-1"), para("recommendation", 5, 3, text="rec-2")],
        "owner_timeline": [para("owner_timeline", 0, 1, text="own-1"), para("owner_timeline", 4, 1, text="own-1b"),
                           para("owner_timeline", 6, 1, text="own-2")],
    }
    assert bands_of(columns) == [
        {"opportunity": ["opp-1"], "recommendation": ["rec-1"], "owner_timeline": ["own-1", "own-1b"]},
        {"opportunity": ["opp-2"], "recommendation": ["rec-2"], "owner_timeline": ["own-2"]}]


def test_other_columns_starting_level_below_a_bands_only_owner_entry_start_no_band():
    """One owner entry above the level line and none below it: the owner column says
    nothing new there, so it is one action (as L009's note beside its update)."""
    columns = {
        "opportunity": [para("opportunity", 0, 2, text="opp"), para("opportunity", 4, 2, text="note")],
        "recommendation": [para("recommendation", 0, 2, text="rec"), para("recommendation", 4, 2, text="update")],
        "owner_timeline": [para("owner_timeline", 0, 1, text="own"), para("owner_timeline", 2, 1, text="when")],
    }
    assert len(bands_of(columns)) == 1


def _line(column: str, page: int, top: float, text: str) -> Line:
    x0 = LEFTS[column]
    words = tuple(Word(t, page, x0 + 20.0 * i, top, x0 + 20.0 * i + 18.0, top + METRICS.line_height)
                  for i, t in enumerate(text.split()))
    return Line(words, page, x0, top, words[-1].x1, top + METRICS.line_height, x0 + 140.0)


def across_a_page_break(next_page_opens: str = "There is clear", page_ends: str = "No gaps identified.",
                        next_page_top: float = 80.0) -> dict[str, list[Paragraph]]:
    """An action's opportunity at the foot of page 1 (no recommendation, no owner), run on
    into page 2 as one paragraph; the next action's recommendation and owner open page 2."""
    return {
        "opportunity": [Paragraph((_line("opportunity", 1, 700.0, page_ends),
                                   _line("opportunity", 2, next_page_top, next_page_opens),
                                   _line("opportunity", 2, next_page_top + 12.0, "evidence of links.")))],
        "recommendation": [Paragraph((_line("recommendation", 2, 80.0, "This is ongoing"),))],
        "owner_timeline": [Paragraph((_line("owner_timeline", 2, 80.0, "CHoHROD"),))],
    }


def test_a_paragraph_run_on_over_an_unmarked_page_break_is_cut_for_the_next_band():
    """2024 seed-167 s12-html's CI008: the next page's part opens level with the next
    action's owner, after a sentence that ended the page; that action prints no opportunity."""
    bands = build_bands(across_a_page_break(), METRICS)
    assert [[" ".join(line.text for line in p.lines) for p in b.column("opportunity")] for b in bands] == [
        ["No gaps identified."], ["There is clear evidence of links."]]
    assert [b.cut_at_page_break for b in bands] == [(), ("opportunity",)]


def test_a_paragraph_run_on_mid_sentence_or_not_level_with_the_next_band_stays_whole():
    for columns in (across_a_page_break(page_ends="No gaps were"),  # the sentence runs on
                    across_a_page_break(next_page_opens="there is clear"),  # no new sentence
                    across_a_page_break(next_page_top=104.0)):  # two lines below the next band's start
        bands = build_bands(columns, METRICS)
        assert [len(b.column("opportunity")) for b in bands] == [1, 0]
        assert all(not b.cut_at_page_break for b in bands)
