"""Where columns start under a header whose labels do not start them (extract/columns.py):
the text below says, on made-up pages. Three columns whose text starts at x 40, 190 and
350, each 10 pt right of the previous column's text area (a cell's padding: less than a
cell gap at this size), under labels centred over them."""

from __future__ import annotations

from actionplan.extract.columns import _centred_between, columns_by_page
from actionplan.extract.geometry import Metrics, group_lines
from actionplan.extract.header import HeaderCell, HeaderRow, _labels_centred
from actionplan.extract.pages import PageLayout
from actionplan.schema.records import Word

METRICS = Metrics(line_height=10.0, line_pitch=12.0)  # cell gap 12, level tolerance 5
TEXT_LEFTS = (40.0, 190.0, 350.0)  # where each column's text starts
RIGHTS = (180.0, 340.0, 480.0)  # where each column's text area ends
FIELDS = ("characteristic", "recommendation", "owner_timeline")
CENTRED_LABELS = ((70.0, 150.0), (225.0, 305.0), (375.0, 455.0))  # centred between text left and right
LEFT_LABELS = ((40.0, 120.0), (190.0, 270.0), (350.0, 430.0))


def header(labels, centred: bool | None) -> HeaderRow:
    cells = tuple(HeaderCell(field, field, x0, x1, (Word(field, 1, x0, 50.0, x1, 60.0),))
                  for field, (x0, x1) in zip(FIELDS, labels))
    return HeaderRow(1, 50.0, 60.0, cells, centred=centred)


def line(number: int, *spans: tuple[float, float]) -> list[Word]:
    top = 100.0 + number * METRICS.line_pitch
    return [Word(f"w{number}-{i}", 1, x0, top, x1, top + METRICS.line_height) for i, (x0, x1) in enumerate(spans)]


def lefts_read(words: list[Word], head: HeaderRow) -> tuple[float, ...]:
    """Where the second and third columns start (the first takes all text left of the
    second, wherever its label starts)."""
    page = PageLayout(1, 600.0, 800.0, tuple(words), (), ())
    body_lines = group_lines(words, float("inf"), METRICS)
    return columns_by_page([page], {1: [head]}, METRICS, body_lines)[1].lefts[1:]


JUSTIFIED = {  # each column's words on a full (justified) line: the last ends at the column's right
    0: ((40.0, 95.0), (100.0, 135.0), (140.0, 180.0)),
    1: ((190.0, 250.0), (255.0, 290.0), (295.0, 340.0)),
    2: ((350.0, 400.0), (405.0, 440.0)),
}


def justified_page() -> list[Word]:
    """Twenty lines printed in all three columns: justified text runs to its column's right
    edge, so the next column's first word follows it at 10 pt, less than a cell gap. Only
    the last line of a paragraph is short: then the next column's word stands alone."""
    words: list[Word] = []
    for number in range(20):
        first = JUSTIFIED[0][:1] if number in (5, 12) else JUSTIFIED[0]  # paragraph ends
        second = JUSTIFIED[1][:1] if number == 8 else JUSTIFIED[1]
        words += line(number, *first, *second, *JUSTIFIED[2])
    return words


def test_a_column_starts_where_its_text_starts_beside_justified_text():
    """s06-html, s20-html, s39-docx: the owner column's text follows the recommendations'
    at less than a cell gap on most lines. The words that start there, beside justified
    text or not, make its edge; read from the label, each band's first owner was a
    recommendation's last word."""
    assert lefts_read(justified_page(), header(CENTRED_LABELS, centred=True)) == TEXT_LEFTS[1:]


def test_flush_right_short_words_of_justified_text_make_no_edge():
    """A justified line's short last word ("to", "a") starts just left of its column's
    right edge, on several lines; one after a gap wider than a cell gap starts a run of
    its own. The longer last words of the other lines run across their start only up to
    that edge (s06-html's recommendation column began at its left neighbour's "a")."""
    words = justified_page()
    for number in range(20, 25):
        words += line(number, *JUSTIFIED[0], (190.0, 250.0), (255.0, 326.0), (331.0, 340.0), *JUSTIFIED[2])
    words += line(25, *JUSTIFIED[0], (190.0, 250.0), (255.0, 320.0), (336.0, 340.0), *JUSTIFIED[2])
    assert lefts_read(words, header(CENTRED_LABELS, centred=True)) == TEXT_LEFTS[1:]


def ragged_page() -> list[Word]:
    """Left-aligned text in each column, lines of varying length."""
    words: list[Word] = []
    for number in range(12):
        short = 20.0 * (number % 3)
        words += line(number, (40.0, 120.0 - short), (190.0, 300.0 - short), (350.0, 430.0 - short))
    return words


def test_labels_on_one_line_each_say_nothing_of_their_alignment():
    cells = header(CENTRED_LABELS, centred=None).cells
    assert _labels_centred(cells, METRICS) is None


def test_one_line_labels_centred_over_their_columns_start_no_column():
    """s29-html: every label fits on one line, so none shows by its lines that it is
    centred; the columns were read from the labels' starts, every element id fell in the
    wrong column and no plan was found. The text below starts each column left of its
    label, which sits in the middle of the column."""
    assert lefts_read(ragged_page(), header(CENTRED_LABELS, centred=None)) == TEXT_LEFTS[1:]


def test_one_line_labels_starting_their_columns_keep_their_starts():
    labels = ((40.0, 120.0), (192.0, 272.0), (351.0, 431.0))  # a point or two off the text's start
    assert lefts_read(ragged_page(), header(labels, centred=None)) == (192.0, 351.0)


def test_a_one_line_label_votes_by_where_it_sits_between_the_text_edges():
    """Centred: its start well right of its column's edge, its centre near the middle
    between that edge and the next. Left-aligned: its start at the edge. A label as wide as
    its column sits at both, and is no vote for centred labels."""
    assert _centred_between(header(CENTRED_LABELS, None), TEXT_LEFTS, METRICS)
    assert not _centred_between(header(LEFT_LABELS, None), TEXT_LEFTS, METRICS)
    filling = ((40.0, 120.0), (191.0, 339.0), (350.0, 430.0))
    assert not _centred_between(header(filling, None), TEXT_LEFTS, METRICS)


def test_a_label_wider_than_its_cell_does_not_hide_the_next_column_edge():
    """s25-html, s26-html: "Characteristic" over a narrow column is wider than its cell and
    is printed across the next column's edge (centred, it spills past both edges). Between
    its end and the next label's start no text starts: the edge is under the label, right of
    its centre. Read from between the labels, the description and opportunity columns were
    one, and every description was interleaved with its opportunity text."""
    wide = ((30.0, 200.0), (225.0, 305.0), (375.0, 455.0))  # the first runs past x 190
    assert lefts_read(justified_page(), header(wide, centred=True)) == TEXT_LEFTS[1:]


def test_text_inside_the_previous_cell_is_not_taken_for_the_hidden_edge():
    """The edge under a spilled label is the rightmost one between its centre and its end:
    a column's own paragraphs that all start at an indent left of it are not it."""
    words = justified_page()
    for number in range(20, 46):  # more lines of the first column start at x 130 than run across it
        words += line(number, (130.0, 150.0), (155.0, 180.0), *JUSTIFIED[1], *JUSTIFIED[2])
    wide = ((30.0, 200.0), (225.0, 305.0), (375.0, 455.0))
    assert lefts_read(words, header(wide, centred=True)) == TEXT_LEFTS[1:]


def test_theme_intros_across_the_table_do_not_outvote_a_short_plans_edges():
    """seed-71 other-council: five rows under three themes, each theme opened by an intro
    printed across the whole table. The intros' words run over every column's edge, and
    there were more of their lines than of the rows': the owner column's edge was lost. A
    single run wider than half the table is no cell's text."""
    words = ragged_page()[: 3 * 6]  # six lines of rows
    for number in range(12, 40):  # 28 lines of intro text, one run from the first column to the last
        words += line(number, *((x, x + 35.0) for x in range(40, 440, 40)))
    assert lefts_read(words, header(CENTRED_LABELS, centred=None)) == TEXT_LEFTS[1:]


def test_an_x_inside_dense_justified_text_is_no_edge_though_as_many_words_start_there_as_cross_it():
    """2025 seed-163 s18-docx: inside a column of dense justified text about as many words
    start within the tolerance of any x as run across it; another table's column after the
    plan started five lines there too, and the x between the labels passed for the next
    column's edge (every line end of the column went to the next one: 158 fields)."""
    words: list[Word] = []
    for number in range(20):
        first = ((40.0, 95.0), (100.0, 155.0), (160.0, 180.0)) if number % 2 else ((40.0, 95.0), (100.0, 180.0))
        if number % 5 == 4:
            first = ((40.0, 95.0),)  # a paragraph's last line
        words += line(number, *first, (190.0, 250.0), (255.0, 300.0), *JUSTIFIED[2])
    for number in range(20, 24):  # another table's column, on a page after the plan
        words += line(number, (160.0, 185.0))
    assert lefts_read(words, header(CENTRED_LABELS, centred=True)) == TEXT_LEFTS[1:]
