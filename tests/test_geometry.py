"""Lines -> paragraphs across a page break (extract/geometry.py split_paragraphs)."""

from __future__ import annotations

from actionplan.extract.geometry import Metrics, split_paragraphs
from actionplan.schema.records import Line, Word

METRICS = Metrics(line_height=8.5, line_pitch=10.4)


def _line(text: str, page: int, top: float, x1: float, right_limit: float = 186.0) -> Line:
    words, x = [], 100.0
    width = (x1 - 100.0) / max(1, len(text))
    for t in text.split():
        words.append(Word(t, page, x, top, x + width * len(t), top + 8.5))
        x += width * (len(t) + 1)
    return Line(tuple(words), page, 100.0, top, x1, top + 8.5, right_limit)


def _texts(paragraphs) -> list[str]:
    return [" ".join(line.text for line in p.lines) for p in paragraphs]


def test_a_column_starting_a_line_below_the_row_on_the_next_page_starts_a_paragraph():
    # The page ends on a full line closing a sentence; on the next page the row's other
    # column starts at 37.6 and this one at 48.0: the paragraph spacing went over the break.
    lines = [_line("and policies, including", 1, 774.4, 186.0), _line("procurement and the", 1, 784.8, 180.0),
             _line("This includes adequate", 2, 48.0, 181.0), _line("protections.", 2, 58.4, 150.0)]
    paragraphs = split_paragraphs(lines, METRICS, page_bottoms={1: 793.3, 2: 67.0}, page_tops={1: 700.0, 2: 37.6})
    assert _texts(paragraphs) == ["and policies, including procurement and the",
                                  "This includes adequate protections."]


def test_a_column_level_with_the_row_on_the_next_page_runs_on():
    lines = [_line("and policies, including", 1, 774.4, 186.0), _line("procurement and the", 1, 784.8, 180.0),
             _line("adequate protections", 2, 38.0, 181.0), _line("for all.", 2, 48.4, 150.0)]
    paragraphs = split_paragraphs(lines, METRICS, page_bottoms={1: 793.3, 2: 67.0}, page_tops={1: 700.0, 2: 37.6})
    assert _texts(paragraphs) == ["and policies, including procurement and the adequate protections for all."]


def test_paragraphs_spaced_a_little_apart_are_split_after_a_short_line():
    """s09-html's theme intro: one-line paragraphs 1.4 pitches apart (paragraph spacing, not
    a blank line), each ending with room to spare."""
    lines = [_line("Culture describes how the procedures are exercised.", 1, 100.0, 160.0),
             _line("The culture of a local authority is determined.", 1, 114.6, 150.0),
             _line("The organisation should act as one.", 1, 129.2, 140.0)]
    assert len(split_paragraphs(lines, METRICS)) == 3


def test_a_little_extra_space_after_a_full_line_or_a_short_line_alone_breaks_nothing():
    # A full line followed by a larger step (a scan's jitter), and a short line at the usual
    # pitch (a line broken by hand): each cue alone is no paragraph break.
    full = [_line("the council will review its", 1, 100.0, 186.0), _line("arrangements yearly.", 1, 114.6, 150.0)]
    short = [_line("Actions:", 1, 100.0, 130.0), _line("review the arrangements", 1, 110.4, 180.0)]
    assert len(split_paragraphs(full, METRICS)) == 1 and len(split_paragraphs(short, METRICS)) == 1


def _justified_block(last_x1: float) -> list[Line]:
    """Five justified lines ending at the edge (186), the page's last line ending at
    ``last_x1``, then the next page's text."""
    lines = [_line("the use of resources, and clear", 1, 700.0 + 10.4 * i, 186.0) for i in range(5)]
    lines.append(_line("using specialist expertise when needed.", 1, 752.0, last_x1))
    lines.append(_line("Authorities must comply with the", 2, 40.0, 186.0))
    return lines


def test_justified_text_ending_short_of_its_edge_at_a_page_end_ends_its_paragraph():
    """s25-html's theme 5 intro: the page's last line stops 9 pt short of the edge, too
    little room for the next page's first word -- but justified text stretches every line
    of a paragraph except its last, so a short line is a paragraph's end."""
    assert len(split_paragraphs(_justified_block(177.0), METRICS)) == 2


def test_justified_text_reaching_its_edge_at_a_page_end_runs_on():
    assert len(split_paragraphs(_justified_block(186.0), METRICS)) == 1


def test_ragged_text_ending_short_of_its_edge_without_room_for_the_next_word_runs_on():
    """The same short line in ragged text says nothing: the next word did not fit."""
    lines = _justified_block(177.0)
    ragged = [_line(line.text, line.page, line.top, x1) for line, x1 in zip(lines, (186.0, 170.0, 181.0, 160.0, 175.0))]
    assert len(split_paragraphs(ragged + lines[5:], METRICS)) == 1


def test_hyphenated_ragged_text_ending_near_its_edge_is_not_justified():
    """Seed-99 s14-html: a ragged cell with hyphenation on ends most lines within 2 pt of
    its edge (one word runs a point past it); justified lines end together to a fraction
    of a point. Taken for justified, "...posts, and" / "there is nothing" over a page break
    was split into two paragraphs."""
    lines = _justified_block(177.0)
    near = [_line(line.text, line.page, line.top, x1) for line, x1 in zip(lines, (184.5, 186.0, 187.0, 185.2, 184.1))]
    assert len(split_paragraphs(near + lines[5:], METRICS)) == 1


def test_a_justified_line_of_one_word_at_a_page_end_runs_on():
    """A line of one word has no space to stretch: it ends where the word ends."""
    lines = _justified_block(177.0)
    lines[5] = _line("different", 1, 752.0, 175.0)  # (s25-html's SD002: "...the needs of different")
    lines[6] = _line("groups within the community.", 2, 40.0, 186.0)
    assert len(split_paragraphs(lines, METRICS)) == 1


def _spaced(texts: list[str], page: int, top: float, x1: float, gap: float) -> Line:
    """A line of ``texts`` ending at ``x1``, ``gap`` between its words."""
    letters = sum(len(t) for t in texts)
    per_letter = (x1 - 100.0 - gap * (len(texts) - 1)) / letters
    words, x = [], 100.0
    for t in texts:
        words.append(Word(t, page, x, top, x + per_letter * len(t), top + 8.5))
        x += per_letter * len(t) + gap
    return Line(tuple(words), page, 100.0, top, x1, top + 8.5, 186.0)


def test_a_stretched_justified_line_runs_on_where_its_column_stopped_short_at_a_page_end():
    """Seed-7 s33-html, R002: "...when the HR Business / Partner supports the / CHoS in
    identifying" ends its column one line above the row's lowest line on the page (HTML's
    widows and orphans move lines of one cell over the break), which reads as a paragraph
    finished on the page -- but the line's spaces are stretched (13 pt under 8.5 pt text):
    justified text stretches no paragraph's last line."""
    lines = [_line("the use of resources, and clear", 1, 700.0 + 10.4 * i, 186.0) for i in range(4)]
    lines.append(_spaced(["CHoS", "in", "identifying"], 1, 741.6, 186.0, gap=13.0))
    lines.append(_line("skills and expertise required", 2, 40.0, 186.0))
    bottoms = {1: 752.0 + 8.5, 2: 60.0}  # another column ran a line lower on page 1
    assert len(split_paragraphs(lines, METRICS, page_bottoms=bottoms, justified=True)) == 1
    # Set with plain spaces, the same full line stays a paragraph's possible end.
    lines[4] = _spaced(["CHoS", "in", "identifying", "the", "skills"], 1, 741.6, 186.0, gap=2.5)
    assert len(split_paragraphs(lines, METRICS, page_bottoms=bottoms, justified=True)) == 2


def _stopped_short_at_a_page_end(last_line: str) -> list[Line]:
    """A column whose last line on page 1 is full (it reaches the column's edge) but one
    line above the row's lowest line there: the shape HTML's widows and orphans rule leaves."""
    return [_line("The authority can demonstrate and", 1, 741.6, 186.0),
            _line(last_line, 1, 752.0, 186.0),
            _line("Housing Regulator as examples.", 2, 40.0, 160.0)]


BOTTOMS = {1: 762.4 + 8.5, 2: 60.0}  # another column ran a line lower on page 1


def test_a_prose_columns_full_line_mid_sentence_runs_on_where_its_column_stopped_short():
    """Seed-97 s16-html CI004: "...the external auditor and the Social" / "Housing Regulator
    as examples..." came out as two paragraphs because the opportunity column stopped a line
    short of the row's lowest line on the page."""
    lines = _stopped_short_at_a_page_end("evidence with the auditor and the Social")
    assert _texts(split_paragraphs(lines, METRICS, page_bottoms=BOTTOMS, prose=True)) == [
        "The authority can demonstrate and evidence with the auditor and the Social Housing Regulator as examples."]


def test_an_owner_columns_full_line_where_its_column_stopped_short_ends_its_entry():
    # Owner codes end no sentence: there the stopped-short column still ends its paragraph.
    lines = _stopped_short_at_a_page_end("evidence with the auditor and the Social")
    assert len(split_paragraphs(lines, METRICS, page_bottoms=BOTTOMS, prose=False)) == 2


def test_a_prose_columns_full_line_closing_a_sentence_where_its_column_stopped_short_ends_it():
    lines = _stopped_short_at_a_page_end("evidence with the auditor and the Board.")
    assert len(split_paragraphs(lines, METRICS, page_bottoms=BOTTOMS, prose=True)) == 2


def test_a_prose_column_mid_sentence_still_breaks_level_with_another_columns_new_paragraph():
    # Another action column starts a paragraph level with the next line: a new band there.
    lines = _stopped_short_at_a_page_end("evidence with the auditor and the Social")
    paragraphs = split_paragraphs(lines, METRICS, page_bottoms=BOTTOMS, level_starts=[(2, 40.0)], prose=True)
    assert len(paragraphs) == 2


# A page break where a sentence ends on the page's full last line and the next page opens
# another: the row prints nothing lower on the page or higher on the next (page_bottoms and
# page_tops are this column's own lines), so only the document's run-on edges can tell.
ENDED_AT_BREAK = [_line("working with the Regulator as an", 1, 753.6, 186.0),
                  _line("example of how this is delivered.", 1, 764.0, 186.0),
                  _line("See related characteristic CI004:", 2, 48.0, 181.0),
                  _line("The authority works with others.", 2, 58.4, 170.0)]
ROW_BOTTOMS = {1: 772.5, 2: 66.9}
ROW_TOPS = {1: 753.6, 2: 48.0}


def test_sure_run_ons_measure_where_pages_end_and_resume_by_page_size():
    from actionplan.extract.geometry import measure_run_on_edges

    runs_on = [_line("the council will review its", 1, 774.4, 186.0), _line("arrangements yearly.", 2, 37.6, 150.0)]
    lower = [_line("the officers will report their", 3, 764.0, 186.0), _line("findings.", 4, 40.0, 130.0)]
    ends = [_line("the arrangements are reviewed.", 5, 790.0, 186.0), _line("The council", 6, 30.0, 130.0)]
    a4 = (595, 842)
    sizes = {1: a4, 2: a4, 3: a4, 4: a4, 5: a4, 6: a4, 7: (842, 595), 8: (595, 1191)}
    edges = measure_run_on_edges([runs_on, lower, ends], sizes, METRICS)
    # The lowest sure run-on's bottom and the highest resumption; a break after a closed
    # sentence going on in capitals is no sure run-on (790.0 and 30.0 are not counted).
    assert (edges[1].floor, edges[1].ceiling) == (774.4 + 8.5, 37.6)
    assert edges[6] == edges[1]
    # Pages of another width have their own margins: nothing measured there.
    assert (edges[7].floor, edges[7].ceiling) == (None, None)
    # Nor on pages as wide but taller (their foot is elsewhere).
    assert (edges[8].floor, edges[8].ceiling) == (None, None)


def test_a_full_line_ends_its_paragraph_where_both_sides_of_the_break_show_its_spacing():
    from actionplan.extract.geometry import RunOnEdges

    # Run-on text reaches 793.3 on page 1 and resumes at 37.6 on page 2: this page left a
    # line's room (bottom 772.5) and the next starts a line lower (48.0).
    edges = {1: RunOnEdges(793.3, 37.6), 2: RunOnEdges(793.3, 37.6)}
    assert len(split_paragraphs(ENDED_AT_BREAK, METRICS, ROW_BOTTOMS, page_tops=ROW_TOPS, prose=True)) == 1
    paragraphs = split_paragraphs(ENDED_AT_BREAK, METRICS, ROW_BOTTOMS, page_tops=ROW_TOPS, prose=True,
                                  run_on_edges=edges)
    assert _texts(paragraphs) == ["working with the Regulator as an example of how this is delivered.",
                                  "See related characteristic CI004: The authority works with others."]


def test_one_side_of_the_break_showing_room_is_no_paragraph_end():
    from actionplan.extract.geometry import RunOnEdges

    # Room left at the page's foot but the next page going on where run-ons resume (a widow
    # pulled over), or no room left but a lower start (another page's taller header): one
    # paragraph, as before (normalise names the unmarked break).
    room_below_only = {1: RunOnEdges(793.3, 48.0), 2: RunOnEdges(793.3, 48.0)}
    lower_start_only = {1: RunOnEdges(776.0, 37.6), 2: RunOnEdges(776.0, 37.6)}
    for edges in (room_below_only, lower_start_only):
        paragraphs = split_paragraphs(ENDED_AT_BREAK, METRICS, ROW_BOTTOMS, page_tops=ROW_TOPS, prose=True,
                                      run_on_edges=edges)
        assert len(paragraphs) == 1


# A sentence closed on a full line a line above where run-ons end the page (793.3), and the
# next page's text going on at the top (37.6, where run-ons resume) for four lines.
NO_WIDOW_KEPT = [_line("working with the Regulator as an", 1, 753.6, 186.0),
                 _line("example of how this is delivered.", 1, 764.0, 186.0),
                 _line("See related characteristic CI004:", 2, 37.6, 181.0),
                 _line("the authority works with others", 2, 48.0, 184.0),
                 _line("across the region and the nation", 2, 58.4, 183.0),
                 _line("on its housing.", 2, 68.8, 140.0)]


def test_a_full_line_with_a_lines_room_below_and_no_widow_kept_over_the_break_ends_its_paragraph():
    from actionplan.extract.geometry import RunOnEdges

    # Four lines went over: widow control carries two, so a paragraph going on would have
    # filled the room. The next page starts where run-ons resume (one side only).
    edges = {1: RunOnEdges(793.3, 37.6), 2: RunOnEdges(793.3, 37.6)}
    paragraphs = split_paragraphs(NO_WIDOW_KEPT, METRICS, run_on_edges=edges)
    assert _texts(paragraphs) == ["working with the Regulator as an example of how this is delivered.",
                                  "See related characteristic CI004: the authority works with others "
                                  "across the region and the nation on its housing."]


def test_a_lines_room_below_with_only_a_widows_two_lines_over_the_break_runs_on():
    from actionplan.extract.geometry import RunOnEdges

    # Two lines over (a widow kept may have left the room), or four but no room for a whole
    # line, or no sentence closed: one paragraph.
    edges = {1: RunOnEdges(793.3, 37.6), 2: RunOnEdges(793.3, 37.6)}
    assert len(split_paragraphs(NO_WIDOW_KEPT, METRICS, run_on_edges=edges)) == 2
    two_over = NO_WIDOW_KEPT[:3] + [_line("the authority works with others.", 2, 48.0, 170.0)]
    assert len(split_paragraphs(two_over, METRICS, run_on_edges=edges)) == 1
    full_page = {1: RunOnEdges(776.0, 37.6), 2: RunOnEdges(776.0, 37.6)}
    assert len(split_paragraphs(NO_WIDOW_KEPT, METRICS, run_on_edges=full_page)) == 1
    # Most of a line's room (8.5 pt), but a line 10.4 pt below would end past 781.0 (2024
    # seed-179 s16-html's owner column: 10.9 pt left under 12.2 pt lines, and it ran on).
    short_of_a_line = {1: RunOnEdges(781.0, 37.6), 2: RunOnEdges(781.0, 37.6)}
    assert len(split_paragraphs(NO_WIDOW_KEPT, METRICS, run_on_edges=short_of_a_line)) == 1
    mid_sentence = [NO_WIDOW_KEPT[0], _line("example of how this is delivered", 1, 764.0, 186.0)] + NO_WIDOW_KEPT[2:]
    assert len(split_paragraphs(mid_sentence, METRICS, run_on_edges=edges)) == 1


def test_a_line_fits_below_only_where_it_would_end_no_lower_than_run_on_text_ends_the_page():
    from actionplan.extract.geometry import RunOnEdges

    # The line after the last (bottom 772.5) would end at 782.9. Sure run-ons ending the page
    # at exactly 782.9 show there was room for it (2025 seed-97 s37-docx, G009: a new
    # paragraph); ending 0.7 pt higher, they show none (2024 seed-223 s44-docx, G007's
    # opportunity, never seen while the rule was built: it ran on, and a tenth of a line's
    # height of slack split it).
    exactly = {1: RunOnEdges(782.9, 37.6), 2: RunOnEdges(782.9, 37.6)}
    assert len(split_paragraphs(NO_WIDOW_KEPT, METRICS, run_on_edges=exactly)) == 2
    just_short = {1: RunOnEdges(782.2, 37.6), 2: RunOnEdges(782.2, 37.6)}
    assert len(split_paragraphs(NO_WIDOW_KEPT, METRICS, run_on_edges=just_short)) == 1


def test_paragraph_spacing_on_the_next_page_ends_the_lines_counted_over_the_break():
    from actionplan.extract.geometry import RunOnEdges

    # Two lines over, then a blank line's step: the paragraph that went over had two lines,
    # a widow's, so the break may be its widow kept. Without the step, four lines went over.
    edges = {1: RunOnEdges(793.3, 37.6), 2: RunOnEdges(793.3, 37.6)}
    assert _texts(split_paragraphs(NO_WIDOW_KEPT, METRICS, run_on_edges=edges))[0].endswith("delivered.")
    spaced = NO_WIDOW_KEPT[:4] + [_line("across the region and the nation", 2, 68.8, 183.0),
                                  _line("on its housing.", 2, 79.2, 140.0)]
    assert _texts(split_paragraphs(spaced, METRICS, run_on_edges=edges))[0].endswith("works with others")
