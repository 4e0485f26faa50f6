"""How glyphs become words (extract/layout.py), on made-up glyph streams: a word too long
for its cell, printed on over or up to the next cell's text, must not be glued to that text
(HTML renderings with a narrow Theme/Score column print "Improvement" across the
characteristic's first word; sorted by x the glyphs read "Improvemenwtide")."""

from __future__ import annotations

from actionplan.extract.layout import build_layout
from actionplan.extract.readers.base import Glyph, PageContent

ADVANCE = 6.0  # every made-up glyph is this wide


def run(text: str, x0: float, top: float, advance: float = ADVANCE) -> list[Glyph]:
    """``text`` drawn forwards from ``x0`` on the line at ``top``, as a content stream draws it."""
    return [Glyph(ch, x0 + i * advance, top, x0 + (i + 1) * advance, top + 10.0, size=10.0)
            for i, ch in enumerate(text)]


def words_of(*runs: list[Glyph]) -> list[str]:
    glyphs = tuple(g for r in runs for g in r)
    layout = build_layout(PageContent(1, 600.0, 800.0, glyphs, (), (), ()))
    return [w.text for w in sorted(layout.words, key=lambda w: (round(w.top), w.x0))]


# The theme cell's two lines are drawn first, then the description's: the description
# column starts at x=100, and "Improvement" (11 glyphs from x=41) runs on to x=107.
THEME = run("Continuous", 41.0, 100.0) + run("Improvement", 41.0, 112.0)


def test_a_word_printed_over_the_next_cells_text_is_read_apart_from_it():
    description = run("organisational-", 101.0, 100.0) + run("wide approach", 100.0, 112.0)
    assert words_of(THEME, description) == ["Continuous", "organisational-", "Improvement", "wide", "approach"]


def test_a_word_printed_up_to_the_next_cells_text_is_read_apart_from_it():
    # "Continuous" ends at x=101 and the description's word starts there: no gap at all.
    description = run("organisational-", 101.0, 100.0)
    assert words_of(run("Continuous", 41.0, 100.0), run("Improvement", 41.0, 112.0), description)[:2] == [
        "Continuous", "organisational-"]


def test_a_word_drawn_in_one_piece_stays_one_word_however_tight_its_glyphs():
    # Kerned glyphs overlap a little (here 1 of 6 points each): still one word.
    assert words_of(run("Wavy", 50.0, 100.0, advance=5.0)) == ["Wavy"]
    tight = [Glyph(g.text, g.x0, g.top, g.x1 + 1.0, g.bottom, size=10.0) for g in run("AVAWAY", 50.0, 100.0)]
    assert words_of(tight) == ["AVAWAY"]


def test_a_word_drawn_in_two_pieces_one_after_the_other_stays_one_word():
    # Two text objects drawn in a row (a change of font mid-word): nothing between them.
    assert words_of(run("Improve", 50.0, 100.0), run("ment", 92.0, 100.0)) == ["Improvement"]


def test_an_accent_drawn_over_its_letter_is_no_overprint():
    base = run("cafe", 50.0, 100.0)
    accent = [Glyph("\u00b4", base[3].x0, 100.0, base[3].x1, 110.0, size=10.0)]
    assert words_of(base, accent) == ["cafe\u00b4"]


def test_two_cells_on_one_line_drawn_right_column_first_are_two_words_each():
    right, left = run("owner", 300.0, 100.0), run("action", 50.0, 100.0)
    assert words_of(right, left) == ["action", "owner"]


def in_font(glyphs: list[Glyph], font: str) -> list[Glyph]:
    return [Glyph(g.text, g.x0, g.top, g.x1, g.bottom, size=g.size, font=font) for g in glyphs]


def test_a_bold_word_run_past_its_shaded_cell_up_to_the_next_cells_text_is_read_apart():
    """2025 seed-41 s05-html: "GREEN", bold, in a narrow theme cell shaded to x=108, runs on
    to 112 and the next cell's "transformation" starts 1 pt further, on the same line; read
    as "GREENtransformation", the description lost the word. The font changes across a gap
    with the shading's edge inside the word: two texts."""
    from actionplan.extract.readers.base import FilledBox

    green = in_font(run("GREEN", 77.0, 127.0, advance=7.0), "Serif-Bold")  # to x=112
    description = in_font(run("transformation", 113.0, 127.0, advance=5.0), "Serif")
    shading = FilledBox(72.0, 120.0, 108.0, 380.0, (0.6, 0.8, 0.4))

    def words(fills):
        layout = build_layout(PageContent(1, 600.0, 800.0, tuple(green + description), fills, (), ()))
        return [w.text for w in sorted(layout.words, key=lambda w: w.x0)]

    assert words((shading,)) == ["GREEN", "transformation"]
    # With no cell edge inside it, a font change across a small gap is one word still (a
    # ligature from another font in justified text: "e" / "ffective").
    assert words(()) == ["GREENtransformation"]


def test_an_id_run_over_a_drawn_column_rule_is_read_apart_in_the_same_font():
    """seed-71 s05-html (other-council columns): "C003" too wide for a narrow "Ref" column
    ran over its vertical rule to 1.8 pt from the characteristic's first word, both in one
    font; read as "C003Civil", the row lost its anchor. A drawn rule between two runs is a
    cell border whatever the font; a shading's side still needs a change of font."""
    from actionplan.extract.readers.base import Box, FilledBox

    ref = in_font(run("C003", 60.0, 127.0, advance=7.0), "Serif")  # to x=88
    description = in_font(run("Civil", 90.0, 127.0, advance=5.0), "Serif")
    rule = Box(86.0, 110.0, 86.5, 380.0)
    shading = FilledBox(40.0, 110.0, 86.0, 380.0, (0.6, 0.8, 0.4))

    def words(fills, strokes):
        layout = build_layout(PageContent(1, 600.0, 800.0, tuple(ref + description), fills, strokes, ()))
        return [w.text for w in sorted(layout.words, key=lambda w: w.x0)]

    assert words((), (rule,)) == ["C003", "Civil"]
    assert words((shading,), ()) == ["C003Civil"]


def test_a_word_run_past_an_unshaded_cell_to_the_next_columns_text_edge_is_read_apart():
    """2025 seed-173 s07-html: an unscored theme cell (no shading, no vertical rules) prints
    "Governance" 3 pt past its edge, 1.5 pt from "Improvement", the description's first
    word on the row's continued line, in the same font: one word by the gap alone. The
    description's other lines start at that x: a column's text edge, where a gap inside a
    word marks the next cell's text."""
    theme = run("Governance", 41.0, 100.0)  # ends at 101.0
    description = (run("Improvement", 102.5, 100.0) + run("theme", 102.5, 112.0) + run("The", 102.5, 124.0)
                   + run("delivery", 102.5, 136.0))
    assert words_of(theme, description)[:2] == ["Governance", "Improvement"]


def test_a_gap_inside_a_word_away_from_any_text_edge_keeps_the_word():
    """The same 1.5 pt gap where no other run of text starts (a ligature from another
    font in justified text, say): one word, as before."""
    theme = run("Governance", 41.0, 100.0)
    description = run("Improvement", 102.5, 100.0) + run("theme", 110.0, 112.0) + run("The", 120.0, 124.0)
    assert words_of(theme, description)[0] == "GovernanceImprovement"


def test_a_bold_word_run_over_the_next_columns_text_edge_is_read_apart():
    """2024 seed-199 s12-html (no rules, score shown by a swatch in the key, not by shading):
    "GREEN", bold, too wide for its narrow theme cell, ends 1.8 pt past where the next
    cell's "exists," starts, so there is no gap at all; read "GREENexists,", the word was
    dropped with the score cell. Its first letter starts at the description's text edge,
    in another font: the next column's text. In one font the same overlap stays one word."""
    green = in_font(run("GREEN", 77.0, 100.0, advance=7.6), "Sans-Bold")  # to x=115
    exists = in_font(run("exists,", 113.1, 100.0), "Sans")
    column = [in_font(run(text, 113.1, 112.0 + 12.0 * i), "Sans") for i, text in enumerate(("which", "provide", "clear"))]
    assert words_of(green, exists, *column)[:2] == ["GREEN", "exists,"]
    same_font = in_font(run("GREEN", 77.0, 100.0, advance=7.6), "Sans")
    assert words_of(same_font, exists, *column)[0] == "GREENexists,"


def test_a_ligature_from_another_font_ending_on_a_text_edge_keeps_its_word():
    """2024 seed-199 s23-docx: "offi" (its "fi" a ligature glyph of another font) ends
    exactly where "cers" begins, and that x happens to be a column's text edge: one word
    ("officers"), as ligatures are -- only a glyph drawn over the one before, in a font the
    word has not used yet, is the next column's."""
    ligature = in_font(run("of", 100.0, 100.0), "Serif") + in_font(run("\ufb01", 112.0, 100.0), "Serif-Ligatures")
    rest = in_font(run("cers", 118.0, 100.0), "Serif")
    column = [in_font(run(text, 118.0, 112.0 + 12.0 * i), "Serif") for i, text in enumerate(("which", "provide", "clear"))]
    assert words_of(ligature, rest, *column)[0] in ("of\ufb01cers", "officers")
    # seed-167 s17-docx: the ligature glyph's box runs 0.85 pt over the "c" after it
    over = in_font(run("o", 100.0, 100.0), "Serif") + [Glyph("\ufb03", 106.0, 100.0, 118.85, 110.0, size=10.0,
                                                              font="Serif-Ligatures")]
    assert words_of(over, rest, *column)[0] in ("o\ufb03cers", "officers")


def test_a_bold_word_touching_the_next_columns_first_letter_is_read_apart():
    """2025 seed-211 s09-html: the same, "GREEN" only 0.5 pt over "legislation," -- under
    the gap a word's own letters may close up by, so a threshold on the overlap missed it
    (three descriptions lost a word). The change to a font the word has not used decides."""
    green = in_font(run("GREEN", 77.0, 100.0, advance=7.5), "Sans-Bold")  # to x=114.5
    word = in_font(run("legislation,", 114.0, 100.0), "Sans")
    column = [in_font(run(text, 114.0, 112.0 + 12.0 * i), "Sans") for i, text in enumerate(("which", "provide", "clear"))]
    assert words_of(green, word, *column)[:2] == ["GREEN", "legislation,"]


def test_a_word_starting_with_a_ligature_from_another_font_goes_on_after_it():
    """"ﬁnance" whose ligature glyph is another font's, its "n" starting on a text edge by
    chance: one word."""
    ligature = [Glyph("\ufb01", 108.0, 100.0, 114.0, 110.0, size=10.0, font="Serif-Ligatures")]
    rest = in_font(run("nance", 114.0, 100.0), "Serif")
    column = [in_font(run(text, 114.0, 112.0 + 12.0 * i), "Serif") for i, text in enumerate(("which", "provide", "clear"))]
    assert words_of(ligature, rest, *column)[0] in ("\ufb01nance", "finance")


def test_a_ligature_glyph_from_another_font_starting_on_a_text_edge_keeps_its_word():
    """2025 seed-113 s17-docx: "o" then "ﬀ" (another font's glyph) of "offer" in a theme
    intro, the ligature starting on a column's text edge by chance: read "o ﬀer" by the
    first version of the font-change cut."""
    first = in_font(run("o", 108.0, 100.0), "Serif")
    ligature = [Glyph("\ufb00", 114.0, 100.0, 120.0, 110.0, size=10.0, font="Serif-Ligatures")]
    rest = in_font(run("er", 120.0, 100.0), "Serif")
    column = [in_font(run(text, 114.0, 112.0 + 12.0 * i), "Serif") for i, text in enumerate(("which", "provide", "clear"))]
    assert words_of(first, ligature, rest, *column)[0] in ("o\ufb00er", "offer")
