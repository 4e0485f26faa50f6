"""Page 1's score key (extract/front.py): labels and the colour each gives its score."""

from __future__ import annotations

from actionplan.extract.colour import FillFinder
from actionplan.extract.front import read_front_matter
from actionplan.extract.geometry import Metrics
from actionplan.extract.pages import Fill, PageLayout
from actionplan.schema.plan import load_vocabulary
from actionplan.schema.records import RGB, Word

METRICS = Metrics(line_height=10.0, line_pitch=12.0)
GREEN, PALE, RED = (0.0, 0.69, 0.31), (0.57, 0.82, 0.31), (1.0, 0.0, 0.0)


def _line(top: float, label: str, meaning: str, colour=None) -> list[Word]:
    """A key row's line: the label's words in a narrow cell at x 40, the meaning at x 120."""
    words, x = [], 40.0
    for text in label.split():
        words.append(Word(text, 1, x, top, x + 6 * len(text), top + 10, colour=colour))
        x += 6 * len(text) + 3
    x = 120.0
    for text in meaning.split():
        words.append(Word(text, 1, x, top, x + 6 * len(text), top + 10))
        x += 6 * len(text) + 3
    return words


def _key(words: list[Word]):
    page = PageLayout(1, 600, 800, tuple(words), (), ())
    return read_front_matter(words, METRICS, FillFinder([page]), load_vocabulary()).key


def test_a_key_label_wrapped_in_its_narrow_cell_is_one_label_with_its_colour():
    # "Dark" / "green" on two lines of the label cell, painted green; the meaning runs on beside.
    words = (_line(100, "Dark", "Strong evidence of", GREEN) + _line(112, "green", "success shown", GREEN)
             + _line(130, "Light", "Good evidence with", PALE) + _line(142, "green", "a few gaps", PALE)
             + _line(160, "Red", "No evidence", RED))
    key = _key(words)
    assert [(e.label, e.meaning, e.fill, e.colour_from) for e in key] == [
        ("Dark green", "Strong evidence of success shown", GREEN, "label_text"),
        ("Light green", "Good evidence with a few gaps", PALE, "label_text"),
        ("Red", "No evidence", RED, "label_text"),
    ]


def _words_at(top: float, x: float, text: str, colour=None) -> list[Word]:
    words = []
    for piece in text.split():
        words.append(Word(piece, 1, x, top, x + 6 * len(piece), top + 10, colour=colour))
        x += 6 * len(piece) + 3
    return words


def test_a_wrapped_label_centred_between_its_meaning_lines_is_one_label():
    """s26-html: the label's two lines sit half a line lower than the meaning's, so the
    lines read top to bottom alternate: meaning, "Dark", meaning, "green", meaning. The
    meaning's lines between the label's pieces start right of the label and are skipped;
    read as the next line down, they ended the label at "Dark", no score key was found for
    the greens and every green heatmap cell's score was lost."""
    words = (_words_at(100, 120, "Strong evidence to") + _words_at(106, 40, "Dark", GREEN)
             + _words_at(112, 120, "support a narrative") + _words_at(118, 40, "green", GREEN)
             + _words_at(124, 120, "that leaves no doubt")
             + _line(150, "Red", "No evidence", RED))
    key = _key(words)
    assert [(e.label, e.fill) for e in key] == [("Dark green", GREEN), ("Red", RED)]
    assert key[0].meaning == "Strong evidence to support a narrative that leaves no doubt"


def test_a_label_below_a_whole_one_is_not_joined_to_it_and_a_word_apart_is_no_label():
    # "Red" then "Grey" (two labels on consecutive lines) stay two; "Dark" with "green" far
    # to the right of the label cell (not under it) is no wrapped label.
    words = (_line(100, "Red", "No evidence", RED) + _line(112, "Grey", "Not in our control", (0.65,) * 3)
             + _line(140, "Dark", "meaning", GREEN) + [Word("green", 1, 300, 152, 330, 162)])
    assert [e.label for e in _key(words)] == ["Red", "Grey"]


YELLOW, AMBER = (1.0, 1.0, 0.0), (1.0, 0.75, 0.0)


def _swatch_key(rows: list[tuple[str, list[str], RGB | None]], panel: RGB | None = None):
    """A key drawn as swatches: each row's swatch (x 20-35) as tall as its row, whose meaning
    runs over as many lines as it has; the label on the row's first line (no swatch where
    the colour is None). `panel`: a band
    of colour down the left margin (x 5-15) beside the whole key, holding no text."""
    words, fills, top = [], [], 100.0
    for label, meaning_lines, colour in rows:
        row_top = top
        for n, meaning in enumerate(meaning_lines):
            words += _line(top, label if n == 0 else "", meaning)
            top += METRICS.line_pitch
        if colour is not None:
            fills.append(Fill(20, row_top - 2, 35, top, colour))
    if panel is not None:
        fills.append(Fill(5, 98, 15, top, panel))
    page = PageLayout(1, 600, 800, tuple(words), tuple(fills), ())
    return read_front_matter(words, METRICS, FillFinder([page]), load_vocabulary()).key


def test_a_swatch_is_as_tall_as_its_row_however_many_lines_its_meaning_wraps_to():
    # Yellow's and Amber's meanings wrap to five lines: their swatches are 6 line heights tall.
    five = ["Some evidence", "with gaps", "in narrative", "look to", "enhance"]
    key = _swatch_key([("Dark green", ["Strong evidence"], GREEN), ("Yellow", five, YELLOW),
                       ("Amber", five, AMBER), ("Red", ["No evidence"], RED)])
    assert [(e.label, e.fill, e.colour_from) for e in key] == [
        ("Dark green", GREEN, "swatch"), ("Yellow", YELLOW, "swatch"),
        ("Amber", AMBER, "swatch"), ("Red", RED, "swatch"),
    ]


def test_a_band_of_colour_beside_the_whole_key_is_no_swatch():
    # The band holds no text and is level with every label, but it runs past the other labels.
    key = _swatch_key([("Dark green", ["Strong evidence"], None), ("Red", ["No evidence"], None)],
                      panel=(0.2, 0.3, 0.6))
    assert [(e.label, e.fill) for e in key] == [("Dark green", None), ("Red", None)]


def _row(top: float, label: str, cells: list[str], height: float = 6.0) -> list[Word]:
    """A heatmap row's line: its theme label at x 40, its cells on a grid from x 150, 40 apart."""
    words, x = [], 40.0
    for text in label.split():
        words.append(Word(text, 1, x, top, x + 6 * len(text), top + height))
        x += 6 * len(text) + 3
    for n, text in enumerate(cells):
        if text:
            words.append(Word(text, 1, 150 + 40 * n, top, 150 + 40 * n + 4 * len(text), top + height))
    return words


def _heatmap(words: list[Word]) -> dict[tuple[int, int], str]:
    page = PageLayout(1, 600, 800, tuple(words), (), ())
    front = read_front_matter(words, METRICS, FillFinder([page]), load_vocabulary())
    return {(c.theme_no, c.position): c.text for c in front.heatmap}


def test_a_cell_wrapped_onto_a_line_as_near_the_next_row_continues_the_cell_above_it():
    # "See" / "CI012": its second line is a hair nearer the next row, but the cell under it
    # there prints its id whole; the row's theme label wrapped ("Continuous" / "Improvement")
    # stays with the nearer row.
    words = (_row(100, "1. Continuous", ["CI001", "CI002", "CI003", "CI004", "CI005", "CI006"])
             + [Word("Improvement", 1, 40, 112, 106, 118)]
             + _row(124.5, "3. Governance", ["G001", "See", "G003", "G004", "G005", "G006"])
             + [Word("CI012", 1, 190, 136.6, 210, 142.6)]
             + _row(148.5, "4. Culture", ["C001", "C002", "C003", "C004", "C005", "C006"]))
    cells = _heatmap(words)
    assert cells[(3, 2)] == "See CI012" and cells[(4, 2)] == "C002"
    assert [cells[(1, n)] for n in (1, 2, 3)] == ["CI001", "CI002", "CI003"]


def _word(text: str, x: float, top: float) -> Word:
    return Word(text, 1, x, top, x + 4 * len(text), top + 6)


def test_a_label_word_a_hair_below_the_next_is_still_read_first_on_its_line():
    # OCR puts "2." 0.2 pt below "Leadership": a rounded bucket edge between the two tops
    # (5-point buckets: 112.4 and 112.6 fall either side of 112.5) read "Leadership 2.", no
    # theme number. Half the row's cells are cross-references, so the ids cannot outvote it.
    words = ([_word("2.", 40, 112.6), _word("Leadership", 52, 112.4)]
             + _row(112.5, "", ["L001", "See", "L003", "See", "L005", "See"])
             + [_word("CI004", 190 + 14, 112.5), _word("G002", 270 + 14, 112.5), _word("C003", 350 + 14, 112.5)])
    cells = _heatmap(words)
    assert {position for theme, position in cells if theme == 2} == {1, 2, 3, 4, 5, 6}


def test_a_cell_s_words_on_one_line_read_left_to_right_whatever_their_jitter():
    # "CI012" 0.2 pt above "See" across a bucket edge (102.5): the cell reads "See CI012",
    # not "CI012 See".
    words = (_row(102.5, "3. Governance", ["G001", "", "G003", "G004", "G005", "G006"])
             + [_word("See", 190, 102.6), _word("CI012", 190 + 14, 102.4)])
    assert _heatmap(words)[(3, 2)] == "See CI012"


def test_a_row_without_its_number_takes_the_theme_every_reading_of_its_ids_shares():
    # The label lost its number; OCR read O for 0 in most ids ("LOO1"): as printed only
    # "L003" starts with a prefix and a digit, but every grammatical reading of "LOO1" is L001.
    words = _row(100, "Leadership", ["LOO1", "LOO2", "L003", "LOO4", "LOO5"])
    cells = _heatmap(words)
    assert [cells.get((2, n)) for n in range(1, 6)] == ["LOO1", "LOO2", "L003", "LOO4", "LOO5"]


def test_a_token_whose_readings_span_two_prefixes_votes_for_neither():
    # A guard on the rule above (main's code also passes it): "CIOO1" reads as C001
    # (Culture) or CI001 (Continuous Improvement), so it is no vote, and a row of such ids
    # with no number in its label is given no theme rather than a guessed one.
    words = _row(100, "Culture", ["CIOO1", "CIOO2", "CIOO3", "C004"])
    assert _heatmap(words) == {}


def test_lost_cells_doubling_most_steps_do_not_drift_the_grid():
    # Positions 3, 5, 7, 9 and 11 lost: most steps between the cells read are two cells wide,
    # and a grid at their median (80) put every other cell between positions.
    printed = ["R001", "R002", "", "R004", "", "R006", "", "R008", "", "R010", "", "R012"]
    cells = _heatmap(_row(100, "5. Resources", printed))
    assert {n: cells[(5, n)] for theme, n in cells if theme == 5} == {
        n: text for n, text in enumerate(printed, start=1) if text}


def test_cells_a_little_off_their_places_still_fit_one_grid_over_a_long_row():
    # The measured steps are 40 give or take OCR's jitter of a box's left edge (up to 4 pt);
    # a fit over the whole row keeps all twelve on their positions.
    jitter = [0, 3, -2, 4, -3, 1, -4, 2, 0, -1, 3, -2]
    words = [_word(f"G{n:03d}", 150 + 40 * (n - 1) + jitter[n - 1], 100) for n in range(1, 13)]
    words += [_word("3.", 40, 100), _word("Governance", 52, 100)]
    cells = _heatmap(words)
    assert [cells.get((3, n)) for n in range(1, 13)] == [f"G{n:03d}" for n in range(1, 13)]


def test_a_row_whose_first_id_is_unreadable_keeps_its_numbering_from_the_table_s_columns():
    # "ROOl" (R001, its last digit read as a letter) has no digit: no id. The row's other ids
    # start a column later, and counting from them numbered R002 position 1 and every
    # cell after it one place early. The rows above start their ids in the first column.
    words = (_row(100, "3. Governance", ["G001", "G002", "G003", "G004"])
             + _row(112, "4. Culture", ["C001", "C002", "C003", "C004"])
             + _row(124, "5. Resources", ["ROOl", "R002", "R003", "R004"]))
    cells = _heatmap(words)
    assert [cells.get((5, n)) for n in range(1, 5)] == ["ROOl", "R002", "R003", "R004"]
    assert cells[(4, 1)] == "C001"


def test_an_id_shaped_word_left_of_the_table_s_first_column_is_part_of_the_label():
    # "5." with a stray "R009" in its label cell, a column left of where the other rows
    # start their ids: the row's cells keep the table's numbering, R001 first.
    words = (_row(100, "3. Governance", ["G001", "G002", "G003", "G004"])
             + _row(112, "4. Culture", ["C001", "C002", "C003", "C004"])
             + [_word("R009", 110, 124)] + _row(124, "5.", ["R001", "R002", "R003", "R004"]))
    cells = _heatmap(words)
    assert [cells.get((5, n)) for n in range(0, 5)] == [None, "R001", "R002", "R003", "R004"]
    assert [cells.get((4, n)) for n in range(1, 5)] == ["C001", "C002", "C003", "C004"]


def test_marks_glued_to_a_heatmap_id_neither_move_its_cell_nor_stand_in_its_text():
    # A scan's shading edges read as "=" and "+=" right before two ids: the cells' left edges
    # moved a third of a step, the grid's step came out short and the row's later cells fell
    # a position late; the cells read "= SD008". Marks are no text of a cell.
    words = _row(100, "6. Service", ["SD001", "SD002", "SD003", "SD004", "SD005", "SD006", "SD007", "SD008"])
    words += [_word("=", 150 + 40 * 4 - 14, 100), _word("+=", 150 + 40 * 7 - 15, 100),
              _word("|", 150 + 40 * 6 - 12, 100)]
    cells = _heatmap(words)
    assert [cells.get((6, n)) for n in range(1, 10)] == [f"SD00{n}" for n in range(1, 9)] + [None]
