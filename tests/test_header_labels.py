"""Header rows found by their labels (extract/header.py) on made-up pages: reworded labels
("/" for "and", words of their own, wrapped), a title above the header whose words look like
a label's, and text level with the header's lines that is the header's own."""

from __future__ import annotations

from actionplan.extract.geometry import Metrics
from actionplan.extract.header import find_headers
from actionplan.extract.pages import PageLayout
from actionplan.extract.steps import header_settings
from actionplan.schema.plan import load_vocabulary
from actionplan.schema.records import Word

METRICS = Metrics(line_height=10.0, line_pitch=12.0)
SPACE = 3.0  # between the words of a run
LETTER = 5.0  # a letter's width, roughly


def words_of(text: str, x0: float, line: int, top: float = 300.0) -> list[Word]:
    """``text``'s words on line ``line`` from ``top``, starting at ``x0``."""
    out, x = [], x0
    y = top + line * METRICS.line_pitch
    for token in text.split():
        out.append(Word(token, 1, x, y, x + LETTER * len(token), y + METRICS.line_height))
        x += LETTER * len(token) + SPACE
    return out


def header(cells: dict[float, list[str]], top: float = 300.0) -> list[Word]:
    """A header row: at each left, the label's lines, one pitch apart."""
    return [w for x0, lines in cells.items() for i, text in enumerate(lines) for w in words_of(text, x0, i, top)]


def read(words: list[Word]):
    settings = header_settings(load_vocabulary())
    page = PageLayout(1, 612.0, 792.0, tuple(words), (), ())
    return find_headers(page, settings, METRICS, set())


# s44-docx's header: the reworded labels of samples/build/variants.py in a portrait table.
REWORDED = {
    70.0: ["Theme /", "Score", "given"],
    120.0: ["Characteristic", "description", "(from the", "statutory", "guidance)"],
    210.0: ["Opportunities for", "Improvement"],
    330.0: ["Recommendations /", "action plan"],
    455.0: ["Allocated to /", "indicative", "timeline"],
}
TITLE = words_of("Gap Analysis and Action Plan as an outcome of the self-assessment", 70.0, -3)
BODY = words_of("1. CONTINUOUS IMPROVEMENT:", 70.0, 6) + words_of("Making arrangements to secure", 70.0, 8)


def test_reworded_labels_under_a_title_feed_their_fields():
    """The title's "Gap" (a label of the opportunity column) above the header must not cost
    the row its "Recommendations / action plan" column: the seed out of line with the row is
    the one blamed."""
    (row,) = read(TITLE + header(REWORDED) + BODY)
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    assert [c.label for c in row.cells][3:] == ["Recommendations / action plan", "Allocated to / indicative timeline"]


def test_a_labels_words_of_its_own_level_with_the_other_labels_are_the_headers():
    """"(from the" is printed level with "given" and "timeline": it is in the header row, and
    the label goes on to "statutory guidance)" below it."""
    (row,) = read(TITLE + header(REWORDED) + BODY)
    assert row.cells[1].label == "Characteristic description (from the statutory guidance)"
    assert row.bottom == max(w.bottom for w in header(REWORDED))
    assert not set(BODY) & set(row.words)


def test_the_body_right_under_a_header_stays_body_text():
    """No rule and a single line pitch between the header and the body: the body's first
    line in a cell whose label is complete starts no header text."""
    labels = {70.0: ["Theme/ Score", "given"], 120.0: ["Characteristic"], 210.0: ["Opportunity for", "Improvement"],
              330.0: ["Recommendations and", "action plan"], 455.0: ["Allocated to and", "indicative timeline"]}
    body = words_of("CI001: Making arrangements", 120.0, 2) + words_of("Some evidence", 210.0, 2)
    (row,) = read(header(labels) + body)
    assert row.cells[1].label == "Characteristic"
    assert not set(body) & set(row.words)


def bottom_aligned(cells: dict[float, list[str]], lines: int, top: float = 300.0) -> list[Word]:
    """A header row whose labels sit at the bottom of a cell ``lines`` lines high (HTML's
    table headers): a one-line label is printed on the row's last line."""
    return [w for x0, labels in cells.items() for i, text in enumerate(labels)
            for w in words_of(text, x0, lines - len(labels) + i, top)]


def test_a_label_at_the_bottom_of_a_tall_header_is_found_under_a_title():
    """s21-html: the title's "Gap" is the first seed, six lines above the one-line label
    "Recommendations / action plan" at the bottom of a three-line header; the row is looked
    for around its labels, not around the title, so that label is found."""
    labels = dict(REWORDED)
    labels[330.0] = ["Recommendations / action plan"]  # one line, 139 points wide
    labels[480.0] = labels.pop(455.0)  # so the next column starts after it
    (row,) = read(words_of("Gap Analysis and Action Plan", 70.0, -2) + bottom_aligned(labels, 5))
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    # Read by its label, not inferred from its place between two labels that were read.
    assert [c.matched for c in row.cells][3] == "Recommendations and action plan"


def test_a_label_word_too_long_for_its_cell_does_not_cost_the_next_cell():
    """s07-html: "CHARACTERISTIC" (14 letters, 70 points) runs 5 points past its column into
    the opportunity column's label cell: two cells that touch are two cells still."""
    labels = {70.0: ["THEME/", "SCORE", "GIVEN"], 120.0: ["CHARACTERISTIC", "DESCRIPTION", "(STATUTORY", "GUIDANCE)"],
              185.0: ["OPPORTUNITY FOR", "IMPROVEMENT"], 330.0: ["RECOMMENDATIONS AND", "ACTION PLAN"],
              455.0: ["ALLOCATED TO AND", "INDICATIVE", "TIMELINE TO", "DELIVER ACTION"]}
    (row,) = read(bottom_aligned(labels, 4))
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")


def test_a_label_running_a_point_under_the_next_cells_label_still_opens_its_cell():
    """s27-html: "Theme/" in a narrow first column ends 1.4 points inside the next column,
    under that column's first label line "Characteristic": it is no line of that label."""
    labels = {70.0: ["Theme/", "Score", "given"], 99.0: ["Characteristic", "description", "(statutory", "guidance)"],
              185.0: ["Opportunity for", "Improvement"], 330.0: ["Recommendations and", "action plan"],
              455.0: ["Allocated to and", "indicative", "timeline to", "deliver action"]}
    (row,) = read(bottom_aligned(labels, 4))
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    assert [c.label for c in row.cells][:2] == ["Theme/ Score given", "Characteristic description (statutory guidance)"]


def test_labels_hyphenated_across_their_lines_read_as_their_words():
    """s40-docx (Word, hyphenation on): "Opportunities for Im-" / "provement" and
    "Allocated to / in-" / "dicative timeline"; a compound's own hyphen at a line end
    ("Self-" / "assessment rating") still reads as the label it is."""
    labels = {70.0: ["Theme /", "Score", "given"],
              120.0: ["Characteristic de-", "scription", "(from the", "statutory", "guidance)"],
              230.0: ["Opportunities for Im-", "provement"], 350.0: ["Recommendations /", "action plan"],
              475.0: ["Allocated to / in-", "dicative timeline"]}
    (row,) = read(header(labels))
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    rated = {70.0: ["Element", "ID"], 120.0: ["Self-", "assessment", "rating"], 200.0: ["Characteristic"],
             330.0: ["Recommendations and", "action plan"], 455.0: ["Allocated to and", "indicative timeline"]}
    (row,) = read(header(rated))
    assert row.fields[:3] == ("element_id", "rating", "characteristic")


def test_labels_broken_mid_word_in_narrow_cells_are_found_and_read():
    """s45-docx (Word, narrow first columns): "THE" / "ME/" / "SCO" / "RE" / "GIV" / "EN" and
    "CHARACT" / "ERISTIC" / "DESCRIPT" / "ION", no hyphen; "CHARACT" ends 12 points before
    "OPPORTUNITY" (less than a cell gap), whose next line starts where it does."""
    labels = {70.0: ["THE", "ME/", "SCO", "RE", "GIV", "EN"],
              100.0: ["CHARACT", "ERISTIC", "DESCRIPT", "ION", "(STATUTO", "RY", "GUIDANC", "E)"],
              147.0: ["OPPORTUNITY FOR", "IMPROVEMENT"], 300.0: ["RECOMMENDATIONS", "AND ACTION PLAN"],
              420.0: ["ALLOCATED", "TO AND", "INDICATIVE", "TIMELINE TO", "DELIVER", "ACTION"]}
    (row,) = read(header(labels))
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    assert [c.label for c in row.cells][:2] == ["THE ME/ SCO RE GIV EN",
                                                "CHARACT ERISTIC DESCRIPT ION (STATUTO RY GUIDANC E)"]


def test_a_body_word_read_as_a_one_word_label_over_a_labels_start_is_no_cell():
    """s14-html of seed 99: "power." (fuzzily "Owner") printed on the header's first line,
    its last 6 of 30 points over the start of "Characteristic": not a header cell."""
    labels = {70.0: ["Theme/", "Score", "given"], 160.0: ["Characteristic", "description", "(statutory", "guidance)"],
              260.0: ["Opportunity for", "Improvement"], 360.0: ["Recommendations and", "action plan"],
              480.0: ["Allocated to and", "indicative", "timeline to", "deliver action"]}
    stray = words_of("power.", 136.0, 0)
    (row,) = read(header(labels) + stray)
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")


def read_ruled(words: list[Word], rules):
    settings = header_settings(load_vocabulary())
    page = PageLayout(1, 612.0, 792.0, tuple(words), (), tuple(rules))
    return find_headers(page, settings, METRICS, set(), page.rules)


def test_a_body_word_under_the_headers_rule_starts_no_label():
    """s23-html of seed 7, a page turned 180 degrees: the body's first line under the rule
    that closes the header holds "by" after a justified gap, a cell opener and the first
    word of the label "By when", starting under the centred "Characteristic" just right of
    "description". Taken as a header cell it cut "Characteristic description (statutory
    guidance)" to its first word; the rest was read into the first row."""
    from actionplan.extract.pages import Rule

    def centred(text: str, middle: float, line: int) -> list[Word]:
        return words_of(text, middle - (LETTER * len(text) + SPACE * text.count(" ")) / 2, line)

    labels = (centred("Theme/", 100, 1) + centred("Score", 100, 2) + centred("given", 100, 3)
              + centred("Characteristic", 169.5, 0) + centred("description", 169.5, 1)
              + centred("(statutory", 169.5, 2) + centred("guidance)", 169.5, 3)
              + centred("Opportunity for", 275, 2) + centred("Improvement", 275, 3)
              + centred("Recommendations and", 395, 2) + centred("action plan", 395, 3)
              + centred("Allocated to and", 520, 0) + centred("indicative", 520, 1)
              + centred("timeline to", 520, 2) + centred("deliver action", 520, 3))
    body = (words_of("leadership", 130.0, 4, 306.0) + words_of("by", 199.0, 4, 306.0)
            + words_of("with the Runnymede", 222.0, 4, 306.0) + words_of("refine the", 335.0, 4, 306.0)
            + words_of("25/26.", 462.0, 4, 306.0))
    rules = [Rule(x0, 353.0, x1, 353.5) for x0, x1 in ((68, 125), (125, 215), (215, 330), (330, 458), (458, 580))]
    (row,) = read_ruled(labels + body, rules)
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    assert row.cells[1].label == "Characteristic description (statutory guidance)"
    assert not set(body) & set(row.words)


def test_a_full_width_line_under_the_header_whose_word_starts_at_a_label_is_no_label_line():
    """Seed-7 s25-html, page 9: a theme's intro runs on over the page, justified across the
    whole table right under the header; its word "as" starts exactly where "Allocated"
    does. Split off there, "as to when there might be a" (with the label's word "to") was
    read as the next line of "Allocated to / indicative timeline ...", which then read as
    no label: the cell fell back to "Allocated to" (owner), and "timeline" went into the
    intro."""
    cells = {70.0: ["Theme /", "Score", "given"],
             120.0: ["Characteristic", "description (from", "the statutory", "guidance)"],
             210.0: ["", "", "", "Opportunities for Improvement"],
             330.0: ["", "", "", "Recommendations / action plan"],
             455.0: ["", "", "Allocated to / indicative", "timeline"]}
    tail = words_of("as to when there might be a", 455.0, 4.5)
    head_text = "Capacity constraints should be identified and key posts filled with a view"
    width = sum(LETTER * len(t) for t in head_text.split()) + SPACE * (len(head_text.split()) - 1)
    intro = words_of(head_text, 455.0 - SPACE - width, 4.5) + tail
    assert 70.0 < intro[0].x0 < 120.0 and intro[-len(tail)].x0 == 455.0  # the line the test is about
    (row,) = read(header(cells) + intro)
    assert row.fields[-1] == "owner_timeline"
    assert row.cells[-1].label == "Allocated to / indicative timeline"
    assert not set(intro) & set(row.words)


def test_a_body_line_a_cell_padding_below_a_wrapped_label_ends_it():
    """2025 seed-41 s04-html: the reworded "Allocated to / indicative timeline" wraps at one
    pitch; the body's first line, "results in Q3 2024. Action", is a cell padding lower and
    carries a word of the longer label ("... to deliver action"). It is the body's: read as
    header it lost its action's text and made "'My" beside it a column of its own."""
    labels = {70.0: ["", "Theme / Score", "given"], 120.0: ["Characteristic", "description (from the", "statutory guidance)"],
              230.0: ["", "Opportunities for", "Improvement"], 340.0: ["", "Recommendations /", "action plan"],
              455.0: ["", "Allocated to / indicative", "timeline"]}
    body_top = 300.0 + 2 * METRICS.line_pitch + 1.45 * METRICS.line_pitch
    body = (words_of("being delivered as part of", 120.0, 0, body_top) + words_of("'My View' which", 340.0, 0, body_top)
            + words_of("results in Q3 2024. Action", 455.0, 0, body_top))
    (row,) = read(header(labels) + body)
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    assert row.cells[4].label == "Allocated to / indicative timeline"
    assert not set(body) & set(row.words)


def test_a_centred_labels_word_broken_across_lines_reads_as_its_word():
    """seed-71 s07-docx (another council's seven columns, labels centred): "Characteristic"
    too wide for its narrow cell is printed "Character-" / "istic", the second piece centred
    under the first, not starting where it starts. Read as two words, the label matched no
    field and the characteristic column became an extra one. The words are the fixture's
    own (other-council-centred-wrapped-labels, page 1, read upright)."""
    metrics = Metrics(line_height=9.0, line_pitch=10.5)
    lines = {86.8: [("Ref", 44.6, 61.7), ("Character-", 81.8, 135.7), ("Rating", 147.6, 181.3),
                    ("Areas", 206.2, 234.5), ("for", 237.7, 252.2), ("im-", 255.4, 272.1),
                    ("Improvement", 314.3, 381.9), ("actions", 385.1, 421.5), ("Lead", 459.7, 483.9),
                    ("Target", 509.9, 543.3)],
             97.4: [("istic", 98.0, 119.5), ("provement", 212.2, 266.1), ("officer", 455.4, 488.1),
                    ("date", 515.6, 537.6)],
             108.5: [("3.", 36.1, 45.4), ("GOVERNANCE:", 48.6, 126.2)]}
    words = [Word(text, 1, x0, top, x1, top + 9.0) for top, run in lines.items() for text, x0, x1 in run]
    page = PageLayout(1, 595.0, 842.0, tuple(words), (), ())
    (row,) = find_headers(page, header_settings(load_vocabulary()), metrics, set())
    assert row.fields == ("element_id", "characteristic", "rating", "opportunity", "recommendation",
                          "owner", "timeline")


def test_a_centred_label_broken_over_a_wider_line_reads_as_its_word():
    """2025 seed-97 s42-docx (capitals, centred, a narrow second column): "CHARACTERISTIC
    DESCRIPTION (STATUTORY GUIDANCE)" wraps to five lines, "CHARACTER-" over "ISTIC
    DESCRIP-": the piece "ISTIC" starts left of the broken word, only its line is centred
    under it. "CHARACTER-" was then no label's first word, the cell became an extra
    column, the characteristic column an empty one beside it, and the run stopped: "no
    row starts with an element id". The words are the rendering's own (page 2)."""
    metrics = Metrics(line_height=10.5, line_pitch=12.1)
    lines = {429.3: [("THEME/", 72.8, 112.4), ("CHARACTER-", 128.9, 198.9), ("OPPORTUNITY", 225.4, 301.1),
                     ("FOR", 304.0, 326.2), ("IMPROVE-", 329.1, 381.1), ("RECOMMENDATIONS", 408.4, 517.9),
                     ("AND", 520.9, 543.6), ("ACTION", 546.5, 586.7), ("ALLOCATED", 615.3, 680.0), ("TO", 682.9, 697.5)],
             441.4: [("SCORE", 74.0, 111.3), ("ISTIC", 124.0, 150.8), ("DESCRIP-", 153.7, 203.9), ("MENT", 288.4, 318.1),
                     ("PLAN", 483.3, 511.9), ("AND", 613.8, 636.5), ("INDICATIVE", 639.4, 698.8)],
             453.5: [("GIVEN", 76.3, 109.0), ("TION", 132.7, 157.8), ("(STAT-", 160.7, 195.1), ("TIMELINE", 612.7, 661.7),
                     ("TO", 664.6, 679.1), ("DE-", 682.1, 700.2)],
             465.6: [("UTORY", 129.2, 165.9), ("GUID-", 168.8, 198.6), ("LIVER", 619.4, 650.3), ("ACTION", 653.2, 693.4)],
             477.7: [("ANCE)", 147.3, 180.5)],
             490.3: [("1.", 72.1, 80.8), ("CONTINUOUS", 83.8, 154.2), ("IMPROVEMENT:", 157.2, 238.8)]}
    words = [Word(text, 2, x0, top, x1, top + 10.5) for top, run in lines.items() for text, x0, x1 in run]
    page = PageLayout(2, 792.0, 612.0, tuple(words), (), ())
    (row,) = find_headers(page, header_settings(load_vocabulary()), metrics, set())
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    characteristic = row.cells[1]
    assert [w.text for w in characteristic.words][0] == "CHARACTER-" and "ANCE)" in [w.text for w in characteristic.words]
    assert not any(w.text in ("1.", "CONTINUOUS") for w in row.words)


def test_a_label_broken_without_a_hyphen_beside_a_one_line_label_leaves_both_their_cells():
    """Word breaks "CHARACTERISTIC" in a narrow cell with no hyphen ("CHARACTERISTI" / "C
    DESCRIPTION"): the cell gap to "OPPORTUNITY FOR IMPROVEMENT" is then under a cell gap,
    and the opportunity label, on one line, has no next line starting under it. The
    characteristic cell's next line stopping short of the gap is what shows the cell edge
    (2025 seed-151 s20-docx: no header found, the plan refused)."""
    left = 120.0 + LETTER * len("CHARACTERISTI") + 0.7 * METRICS.cell_gap  # a gap under a cell gap
    labels = {70.0: ["THEME/", "SCORE", "GIVEN"], 120.0: ["CHARACTERISTI", "C DESCRIPTION", "(STATUTORY", "GUIDANCE)"],
              left: ["OPPORTUNITY FOR IMPROVEMENT"], 400.0: ["RECOMMENDATIONS AND", "ACTION PLAN"],
              560.0: ["ALLOCATED TO AND", "INDICATIVE", "TIMELINE"]}
    (row,) = read(header(labels))
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    assert row.cells[2].left == left


def test_running_text_across_a_wide_gap_opens_no_cell_inside_it():
    """The same gap in running text whose next line runs on across it: one cell, so a label
    word after the gap ("Opportunity") opens nothing and the row is not a header."""
    line = words_of("Characteristic", 120.0, 0)
    gap = line[-1].x1 + 0.7 * METRICS.cell_gap
    words = (line + words_of("Opportunity for improvement", gap, 0)
             + words_of("running text goes on here across it and beyond", 120.0, 1))
    from actionplan.extract.header import _cell_openers
    assert [w.text for w in _cell_openers(words, METRICS)] == ["Characteristic"]



def test_a_cell_printing_only_a_labels_function_word_does_not_read_as_it():
    """2024 seed-179 s21-docx (no rules, centred labels four lines tall): the body's first
    line under the header printed "CHoCSDCS by Q1" in the owner column; "by", half of the
    "By when" label, read as that label, and the header took the body line in (an extra
    column "we", the owner label cut to "Allocated to and", 51 characters lost; the
    rendering is committed as samples/fixtures/function-word-under-tall-header/)."""
    from actionplan.extract.header import _Label, _reads_text_as, tokens

    settings = header_settings(load_vocabulary())
    by_when = _Label(0, "By when", tuple(tokens("By when")))
    assert _reads_text_as("by", by_when, settings) == 0.0
    assert _reads_text_as("By when", by_when, settings) > 0.0
    allocated = _Label(0, "Allocated to", tuple(tokens("Allocated to")))
    assert _reads_text_as("Allocated", allocated, settings) > 0.0  # half the label, a content word


def test_centred_labels_running_past_their_narrow_cells_keep_their_columns():
    """2024 seed-191 s05-html (A4 portrait, large serif, centred reworded labels): "Theme /"
    is too wide for its cell and runs to 8.9 pt of the next cell's "description (from", and
    "Recommendations /" to 1.1 pt of "indicative" -- closer than a cell gap, so each pair
    was one run. The theme label then read as "Theme / description (from Score given", no
    theme column was found, and 66 of 74 rows were lost. The line centred where the next
    label's first line is centred is that label's. The words are the rendering's own (page 3)."""
    metrics = Metrics(line_height=10.0, line_pitch=12.2)
    lines = {124.8: [("Characteristic", 140.4, 220.2), ("Allocated", 460.9, 513.5)],
             137.0: [("Theme", 77.0, 115.0), ("/", 118.5, 122.1), ("description", 131.0, 194.5), ("(from", 198.0, 229.6),
                     ("Opportunities", 254.1, 332.1), ("to", 478.0, 489.3), ("/", 492.7, 496.4)],
             149.2: [("Score", 78.8, 110.4), ("the", 143.9, 162.2), ("statutory", 165.7, 216.7), ("for", 285.0, 301.2),
                     ("Recommendations", 347.8, 451.4), ("/", 454.9, 458.6), ("indicative", 459.7, 514.7)],
             161.4: [("given", 79.4, 109.7), ("guidance)", 152.3, 208.3), ("Improvement", 255.5, 330.7),
                     ("action", 365.4, 400.4), ("plan", 403.9, 428.4), ("timeline", 463.9, 510.5)],
             185.6: [("1.", 77.0, 87.4), ("CONTINUOUS", 90.9, 171.4), ("IMPROVEMENT:", 174.8, 268.9)]}
    words = [Word(text, 3, x0, top, x1, top + 10.0) for top, run in lines.items() for text, x0, x1 in run]
    page = PageLayout(3, 595.0, 842.0, tuple(words), (), ())
    (row,) = find_headers(page, header_settings(load_vocabulary()), metrics, set())
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    printed = {cell.field: " ".join(w.text for w in sorted(cell.words, key=lambda w: (w.top, w.x0)))
               for cell in row.cells}
    assert printed["theme_score"] == "Theme / Score given"
    assert printed["characteristic"] == "Characteristic description (from the statutory guidance)"
    assert printed["owner_timeline"] == "Allocated to / indicative timeline"


def test_a_body_word_mid_line_under_a_short_first_cell_opens_no_label():
    """2025 seed-197 s13-html (no rules, justified, the header repeated on each page): the
    body's first line under the header is one run across its cells (gaps of 7-10 pt), and
    the theme cell's next line is "YELLOW", set lower than its neighbours' next line. That
    short line made every wide gap of the body line look like a cell edge, so "progress" of
    "Continue to monitor progress and" opened a cell and seeded the "Progress" label: its
    left cut "action plan" off "Recommendations /", the recommendation label failed, and two
    actions lost their words to an extra column. The words are the rendering's own (page 11)."""
    lines = {41.9: [("Characteristic", 144.2, 223.0)],
             54.1: [("Theme", 53.1, 91.0), ("/", 94.5, 98.1), ("description", 123.4, 187.0), ("(from", 190.5, 221.6),
                    ("the", 225.1, 243.8), ("Opportunities", 293.2, 371.2), ("for", 374.7, 390.8),
                    ("Allocated", 653.6, 706.5), ("to", 710.0, 721.6), ("/", 725.1, 728.8)],
             66.3: [("Score", 42.5, 74.2), ("given", 77.7, 108.7), ("statutory", 127.6, 180.1),
                    ("guidance)", 183.6, 239.6), ("Improvement", 304.2, 379.7), ("Recommendations", 440.5, 544.5),
                    ("/", 548.0, 551.7), ("action", 555.1, 590.0), ("plan", 593.5, 618.0), ("indicative", 638.7, 694.0),
                    ("timeline", 697.5, 743.7)],
             87.5: [("2.", 41.0, 50.5), ("Leadership", 53.7, 108.7), ("L008:", 120.2, 148.2), ("A", 159.5, 166.3),
                    ("demonstrable", 177.6, 247.0), ("Some", 257.0, 285.4), ("evidence", 290.3, 335.6),
                    ("already", 340.6, 377.9), ("in", 382.9, 392.0), ("place,", 396.9, 427.0),
                    ("Continue", 437.0, 482.0), ("to", 489.0, 499.1), ("monitor", 506.1, 545.3),
                    ("progress", 552.3, 595.5), ("and", 602.6, 621.4), ("CEX", 631.4, 651.5)],
             99.7: [("commitment", 120.2, 184.1), ("to", 193.2, 203.3), ("leader-", 212.4, 247.0), ("other", 257.0, 283.6),
                    ("evidence", 290.6, 335.9), ("will", 342.8, 359.3), ("follow", 366.2, 395.7), ("as", 402.6, 414.0),
                    ("a", 420.9, 427.0), ("benefits", 437.0, 477.4), ("realised", 485.3, 524.7), ("from", 532.6, 555.9),
                    ("delivery", 563.7, 603.9), ("of", 611.8, 621.4)],
             105.7: [("YELLOW", 41.0, 87.0)]}
    metrics = Metrics(line_height=10.0, line_pitch=12.2)
    words = [Word(text, 11, x0, top, x1, top + 10.0) for top, run in lines.items() for text, x0, x1 in run]
    from actionplan.extract.header import _cell_openers
    opened = {w.text for w in _cell_openers(words, metrics) if w.top == 87.5}
    assert {"2.", "L008:", "Some", "Continue", "CEX"} <= opened  # the cells' first words
    assert not opened & {"A", "demonstrable", "to", "monitor", "progress", "and"}
    page = PageLayout(11, 792.0, 612.0, tuple(words), (), ())
    (row,) = find_headers(page, header_settings(load_vocabulary()), metrics, set())
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")


# 2024 seed-199 (portrait, a narrow characteristic column, capitals, no rules): the label
# "CHARACTERISTIC DESCRIPTION (STATUTORY GUIDANCE)" is wider than its cell and its lines run
# up to the opportunity label's first line. The words are the renderings' own.
def _page(lines: dict[float, list[tuple[str, float, float]]], height: float) -> list[Word]:
    return [Word(text, 3, x0, top, x1, top + height) for top, run in lines.items() for text, x0, x1 in run]


def test_a_left_aligned_label_a_space_from_the_next_labels_first_line_keeps_both_cells():
    """s08-html (labels left-aligned): "(STATUTORY" ends 3.1 pt from "OPPORTUNITY", a
    space's width, not half a cell gap, so "OPPORTUNITY" opened no cell: the opportunity
    column was never found and 214 fields came out wrong. Both cells show the edge --
    "IMPROVEMENT" starts under "OPPORTUNITY", and "GUIDANCE)" under "(STATUTORY" stops short
    of it -- where running text's next line runs across."""
    metrics = Metrics(line_height=8.5, line_pitch=10.4)
    lines = {77.7: [("ALLOCATED", 460.8, 519.8)],
             88.0: [("TO", 460.8, 474.5), ("AND", 477.4, 499.2)],
             98.4: [("CHARACTERISTIC", 114.4, 203.3), ("INDICATIVE", 460.8, 520.1)],
             108.8: [("THEME/", 77.0, 116.8), ("DESCRIPTION", 114.4, 184.1), ("TIMELINE", 460.8, 511.1), ("TO", 514.1, 527.8)],
             119.2: [("SCORE", 77.0, 110.8), ("(STATUTORY", 114.4, 176.9), ("OPPORTUNITY", 180.0, 252.3), ("FOR", 255.3, 275.8),
                     ("RECOMMENDATIONS", 315.7, 421.6), ("AND", 424.5, 446.3), ("DELIVER", 460.8, 504.7)],
             129.5: [("GIVEN", 77.0, 109.1), ("GUIDANCE)", 114.4, 172.1), ("IMPROVEMENT", 180.0, 257.1), ("ACTION", 315.7, 354.5),
                     ("PLAN", 357.5, 384.2), ("ACTION", 460.8, 499.6)],
             144.9: [("framework.", 180.0, 229.6), ("This", 232.3, 250.6), ("is", 253.3, 260.3), ("not", 263.0, 277.1),
                     ("taken", 279.8, 303.9)]}
    page = PageLayout(3, 612.0, 792.0, tuple(_page(lines, 8.5)), (), ())
    (row,) = find_headers(page, header_settings(load_vocabulary()), metrics, set())
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    assert row.cells[2].left == 180.0


def test_a_centred_label_run_into_by_the_label_before_keeps_its_cell():
    """s12-html (labels centred): "(STATUTORY" ends 0.9 pt from "OPPORTUNITY", whose next
    line "IMPROVEMENT" is centred under "OPPORTUNITY FOR" (starting nowhere near it); no
    header was found and the plan was refused. A run of its own centred under the words
    from a word to the run's end shows where a centred cell's line starts."""
    metrics = Metrics(line_height=10.0, line_pitch=12.2)
    lines = {77.9: [("ALLOCATED", 450.2, 515.1)],
             90.1: [("TO", 461.1, 476.4), ("AND", 479.9, 504.3)],
             102.3: [("CHARACTERISTIC", 113.1, 209.5), ("INDICATIVE", 450.9, 514.4)],
             114.5: [("THEME/", 77.0, 119.4), ("DESCRIPTION", 113.1, 188.9), ("TIMELINE", 456.4, 509.0)],
             126.7: [("SCORE", 77.0, 114.6), ("(STATUTORY", 113.1, 182.6), ("OPPORTUNITY", 183.5, 263.5), ("FOR", 266.9, 290.0),
                     ("RECOMMENDATIONS", 314.4, 429.8), ("TO", 449.5, 464.8), ("DELIVER", 468.3, 515.8)],
             138.9: [("GIVEN", 77.0, 111.9), ("GUIDANCE)", 113.1, 176.3), ("IMPROVEMENT", 195.0, 278.5), ("AND", 320.3, 344.7),
                     ("ACTION", 348.2, 390.6), ("PLAN", 394.1, 423.9), ("ACTION", 461.4, 503.9)],
             156.1: [("the", 113.1, 129.5), ("cor‐", 132.7, 152.0)]}
    page = PageLayout(3, 595.3, 841.9, tuple(_page(lines, 10.0)), (), ())
    (row,) = find_headers(page, header_settings(load_vocabulary()), metrics, set())
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    opportunity = " ".join(w.text for w in sorted(row.cells[2].words, key=lambda w: (w.top, w.x0)))
    assert opportunity == "OPPORTUNITY FOR IMPROVEMENT"


def test_a_label_word_a_space_from_the_last_over_running_text_that_happens_to_align_opens_no_cell():
    """2025 seed-163 s07-html (one-line capitals labels): under "OPPORTUNITY FOR IMPROVEMENT"
    the body's first line has "providing" 0.4 pt from under "IMPROVEMENT", and "managers"
    before it ends just short of the gap -- both signs of a cell edge, by chance. With the
    narrow-gap rule taking them, "IMPROVEMENT" seeded the "Improvement actions" label and
    SD001's opportunity and recommendation were mixed. The body line has only a space
    there; a cell's next line leaves a wider gap. The words are the rendering's own (page 20)."""
    from actionplan.extract.header import _cell_openers

    lines = {95.7: [("OPPORTUNITY", 342.2, 396.1), ("FOR", 398.5, 414.0), ("IMPROVEMENT", 416.4, 472.7),
                    ("RECOMMENDATIONS", 495.7, 573.5)],
             109.9: [("down'", 342.2, 362.3), ("with", 364.4, 378.7), ("managers", 380.9, 414.7),
                     ("providing", 416.8, 448.4), ("evidence", 450.6, 481.2), ("organisational", 495.7, 543.7)]}
    metrics = Metrics(line_height=7.5, line_pitch=9.1)
    words = [Word(text, 20, x0, top, x1, top + 7.5) for top, run in lines.items() for text, x0, x1 in run]
    assert "IMPROVEMENT" not in {w.text for w in _cell_openers(words, metrics)}


def test_a_glyph_printed_inside_the_next_cells_word_leaves_the_words_after_it_in_their_cell():
    """2024 sweep s26-html (Letter portrait, large serif, centred reworded labels): the
    too-wide "Theme /" prints its "/" inside the next cell's "(from" (118.5-122.1 within
    115.6-147.1). The gap before "the" was measured from the "/" (28 pt, a cell gap), so
    "the" of "(from the" fell to the next label's range and was left out of the header:
    the ledger counted it as an unassigned drop. The gap is from the line's furthest right
    so far. The words are the rendering's own (page 3)."""
    metrics = Metrics(line_height=10.0, line_pitch=12.2)
    lines = {126.3: [("Characteristic", 114.4, 194.2)],
             138.5: [("description", 114.4, 177.9), ("Allocated", 471.6, 524.2)],
             150.7: [("Theme", 77.0, 115.0), ("(from", 115.6, 147.1), ("/", 118.5, 122.1), ("the", 150.6, 168.8),
                     ("to", 488.7, 500.0), ("/", 503.4, 507.1)],
             162.9: [("Score", 77.0, 108.6), ("statutory", 116.7, 167.7), ("Opportunities", 194.0, 272.0),
                     ("for", 275.4, 291.7), ("Recommendations", 327.8, 431.5), ("/", 435.0, 438.6),
                     ("indicative", 470.4, 525.4)],
             175.1: [("given", 77.0, 107.2), ("guidance)", 114.4, 170.4), ("Improvement", 205.2, 280.4),
                     ("action", 351.8, 386.7), ("plan", 390.2, 414.7), ("timeline", 474.6, 521.2)],
             209.0: [("1.", 77.0, 87.4), ("CONTINUOUS", 90.9, 171.4), ("IMPROVEMENT:", 174.8, 268.9)]}
    words = [Word(text, 3, x0, top, x1, top + 10.0) for top, run in lines.items() for text, x0, x1 in run]
    page = PageLayout(3, 612.0, 792.0, tuple(words), (), ())
    (row,) = find_headers(page, header_settings(load_vocabulary()), metrics, set())
    assert row.fields == ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
    in_header = {(w.text, w.x0) for w in row.words}
    assert ("the", 150.6) in in_header
    body = {(w.text, w.x0) for w in words if w.top > 200}
    assert not body & in_header
