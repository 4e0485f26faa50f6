"""The seed's real slips (tests/data/seed/README.md) as string-level tests of the repair
functions they concern, plus the text-joining rules decided from line-end facts."""

from __future__ import annotations

import pytest

from actionplan.normalise.characteristics import see_also, split_notes
from actionplan.normalise.ids import repair_id, repair_ids_in_text
from actionplan.normalise.scores import Palette, nearest_hue, palette_from_key, read_score_word, reconcile
from actionplan.normalise.text import Vocabulary, paragraph_text, strip_junk
from actionplan.schema.ids import looks_like_id
from actionplan.schema.records import Line, Paragraph, Word
from conftest import SEED

SCORES = ("DARK GREEN", "LIGHT GREEN", "YELLOW", "AMBER", "RED", "GREY")
HEATMAP_IDS = {f"{p}{n:03d}" for p, top in (("CI", 12), ("L", 11), ("G", 11), ("C", 11),
                                            ("R", 12), ("SD", 10), ("PCE", 7)) for n in range(1, top + 1)}


@pytest.mark.parametrize("printed,theme_prefix,expected_next,want", [
    ("C1002", "CI", "CI002", "CI002"),
    ("Cl002", "CI", "CI002", "CI002"),
    ("cl002", "CI", "CI002", "CI002"),
    ("cl005:", "CI", "CI005", "CI005"),
    ("cloos:", "CI", "CI008", "CI008"),
    ("C1004:", "CI", "CI004", "CI004"),
    ("C1008", "CI", "CI008", "CI008"),
    ("C1009", "CI", "CI009", "CI009"),
    ("$D001", "SD", "SD001", "SD001"),
    ("GO09", "G", "G009", "G009"),
    ("3009", "G", "G009", "G009"),
    ("C1002", "C", "C002", "C002"),  # the theme tells C0nn from CI0nn
    # Real slips of tesseract on the committed 2024 scan:
    ("LOOS:", "L", "L005", "L005"),
    ("ROQ11:", "R", "R011", "R011"),
    ("SDO005:", "SD", "SD005", "SD005"),
    ("PCEO03:", "PCE", "PCE003", "PCE003"),
    ("CIC09:", "CI", "CI009", "CI009"),
    ("S006:", "SD", "SD006", "SD006"),  # a letter of the prefix lost
    # Slips of the OCR reader on the scan sweep (tesserocr, 200 dpi):
    ("ROOS:", "R", "R009", "R009"),
    ("LOOS5:", "L", "L005", "L005"),  # a stray S inside the number
    ("ROOSY:", "R", "R009", "R009"),  # a 9 read as two characters  # S for 9: only the sequence tells 5, 8 and 9 apart
    ("C002:", "CI", "CI002", "CI002"),  # the I of CI merged into the C, under theme 1
])
def test_damaged_ids_are_repaired_with_theme_and_heatmap(printed, theme_prefix, expected_next, want):
    assert looks_like_id(printed)
    reading = repair_id(printed, theme_prefix, HEATMAP_IDS, expected_next)
    assert reading.element_id == want
    assert reading.rule == "ocr_id_confusion"


def test_an_id_glued_to_the_next_word_is_read_without_a_repair():
    # Tesseract on the 2024 scan: "SD003:.The authority ..." -- the id itself is intact.
    reading = repair_id("SD003:.The", "SD", HEATMAP_IDS, "SD003")
    assert (reading.element_id, reading.rule) == ("SD003", None)


@pytest.mark.parametrize("words,want", [
    (["_Darkgreen"], "DARK GREEN"),  # the key's label on a scan: a speck, the words run together
    (["LIGHTGREEN"], "LIGHT GREEN"),
    (["Dark", "green"], "DARK GREEN"),
    (["GREEN"], None),
])
def test_score_words_run_together_by_ocr_are_read(words, want):
    found = read_score_word(words, SCORES)
    assert (found[0] if found else None) == want


def test_a_clean_id_is_not_a_repair():
    reading = repair_id("CI001:", "CI", HEATMAP_IDS, "CI001")
    assert (reading.element_id, reading.rule) == ("CI001", None)


@pytest.mark.parametrize("word", ["Cool", "close", "Council", "CLT", "SLT", "Q2", "2024/25"])
def test_ordinary_words_are_not_ids(word):
    assert not repair_id(word, "CI", HEATMAP_IDS, "CI001").element_id or not looks_like_id(word)


def test_ids_inside_text_are_repaired():
    text, changes = repair_ids_in_text("See Cl001 and L002 as similar identified.", HEATMAP_IDS)
    assert text == "See CI001 and L002 as similar identified."
    assert changes == [("Cl001", "CI001")]


def test_words_that_only_look_like_ids_in_text_stay():
    text, changes = repair_ids_in_text("Cool, close the Council's SLT loop in Q2 2024.", HEATMAP_IDS)
    assert changes == [] and text.startswith("Cool, close")


def test_seed_slips_are_in_the_seed():
    seed = SEED.read_text(encoding="utf-8")
    for slip in ("C1002", "Cl002", "cl005", "cloos", "CH <sub>0</sub> HROD", "LICUT", "<b>"):
        assert slip in seed


@pytest.mark.parametrize("words,want", [
    (["1.", "Continuous", "Improvement", "LICUT", "GREEN"], "LIGHT GREEN"),
    (["LIGHT", "GREEN"], "LIGHT GREEN"),
    (["2.", "Leadership", "LIQUE", "LIGHT", "GREEN"], "LIGHT GREEN"),
    (["4.", "Culture", "yellow"], "YELLOW"),
    (["2.", "Leadership", "GREY"], "GREY"),
    (["7.", "Partnerships", "DARK", "GREEN"], "DARK GREEN"),
])
def test_score_words_in_any_case_wrapped_or_damaged(words, want):
    assert read_score_word(words, SCORES)[0] == want


def test_score_word_and_colour_disagreeing_is_an_issue_and_the_word_wins():
    palette = Palette({"YELLOW": (1.0, 1.0, 0.0), "DARK GREEN": (0.0, 0.69, 0.31)})
    reading = reconcile(["4.", "Culture", "YELLOW"], (0.0, 0.7, 0.3), palette, SCORES)
    assert reading.score == "YELLOW"
    assert "DARK GREEN" in reading.conflict and "kept the word" in reading.conflict


def test_score_from_colour_when_no_word():
    palette = Palette({"AMBER": (1.0, 0.75, 0.0)})
    assert reconcile(["1.", "Continuous"], (0.98, 0.76, 0.02), palette, SCORES).score == "AMBER"


@pytest.mark.parametrize("printed,tag", [
    ("<b>L002:</b> The authority's", "<b>"), ("CH <sub>0</sub> HROD", "<sub>"),
    ("<del>old</del> new", "<del>"), ("<u>I</u>", "<u>"),
])
def test_markup_is_removed_and_logged(printed, tag):
    text, edits = strip_junk(printed)
    assert "<" not in text
    assert any(e.before == tag and e.rule == "markup_removed" for e in edits)


# ---- joining lines, decided from the line-end facts extract/ keeps


def _line(text: str, x1: float, right_limit: float = 100.0, top: float = 0.0) -> Line:
    words = tuple(Word(t, 1, 0.0, top, x1, top + 9.0) for t in text.split())
    return Line(words, 1, 0.0, top, x1, top + 9.0, right_limit)


def _para(*lines: Line) -> Paragraph:
    return Paragraph(tuple(lines))


def test_wrapped_lines_join_with_one_space_and_no_repair():
    text, edits = paragraph_text(_para(_line("Service KPIs and", 60), _line("progress", 40, top=10)), Vocabulary([]))
    assert text == "Service KPIs and progress" and edits == []


def test_real_hyphen_at_line_end_stays():
    vocab = Vocabulary(["co-design", "services"])
    text, edits = paragraph_text(_para(_line("and co-", 99), _line("design of services", 80, top=10)), vocab)
    assert text == "and co-design of services" and edits == []
    text, _ = paragraph_text(_para(_line("day-", 99), _line("to-day work", 80, top=10)), Vocabulary([]))
    assert text == "day-to-day work"


def test_hyphen_inside_a_word_the_column_broke_is_removed():
    vocab = Vocabulary(["organisational", "culture"])
    text, edits = paragraph_text(_para(_line("the organisa-", 99), _line("tional culture", 80, top=10)), vocab)
    assert text == "the organisational culture"
    assert edits[0].rule == "line_end_hyphen_removed"


@pytest.mark.parametrize("hyphen", ["\u2010", "\u00ad"])
def test_a_typesetters_hyphen_at_a_line_end_is_always_a_break(hyphen):
    # Justified text with `hyphens: auto` breaks words the document never prints whole,
    # owner codes included: the vocabulary cannot vouch for them, the hyphen's kind does.
    text, edits = paragraph_text(_para(_line(f"continu{hyphen}", 99), _line("ous improvement", 80, top=10)),
                                 Vocabulary([]))
    assert text == "continuous improvement"
    assert [(e.before, e.after, e.rule) for e in edits] == [
        (f"continu{hyphen} ous", "continuous", "line_end_hyphen_removed")]
    text, _ = paragraph_text(_para(_line(f"ACE (S151), CHoH{hyphen}", 99), _line("ROD, com\u2010", 99, top=10),
                                   _line("plete.", 20, top=20)), Vocabulary([]))
    assert text == "ACE (S151), CHoHROD, complete."


def test_a_non_breaking_hyphen_at_a_line_end_is_the_typesetters_hyphenation_character():
    # No line may break at U+2011: where one ends a line, the typesetter chose it as its
    # hyphen (CSS hyphenate-character) -- unless the document prints the hyphenated word.
    text, edits = paragraph_text(_para(_line("continu\u2011", 99), _line("ous work", 80, top=10)), Vocabulary([]))
    assert text == "continuous work"
    assert [(e.before, e.after, e.rule) for e in edits] == [("continu\u2011 ous", "continuous", "line_end_hyphen_removed")]
    printed = Vocabulary(["day\u2011to\u2011day"])
    text, edits = paragraph_text(_para(_line("day\u2011to\u2011", 99), _line("day work", 80, top=10)), printed)
    assert text == "day\u2011to\u2011day work" and edits == []


def test_ligatures_read_as_their_letters_and_are_logged():
    text, edits = paragraph_text(_para(_line("e\ufb03cient \ufb01nancial", 60), _line("work\ufb02ow", 40, top=10)),
                                 Vocabulary([]))
    assert text == "efficient financial workflow"
    assert [(e.before, e.after, e.rule) for e in edits] == [
        ("e\ufb03cient", "efficient", "ligature_expanded"), ("\ufb01nancial", "financial", "ligature_expanded"),
        ("work\ufb02ow", "workflow", "ligature_expanded")]


def test_word_broken_without_hyphen_by_a_narrow_column_is_rejoined():
    # "Continu" fills the whole line on its own: the layout had to break it.
    vocab = Vocabulary(["Continuous", "Improvement"])
    text, edits = paragraph_text(_para(_line("Continu", 99.5), _line("ous Improvement", 90, top=10)), vocab)
    assert text == "Continuous Improvement"
    assert edits[0].rule == "narrow_column_word_rejoined"


def test_word_filling_a_narrow_column_keeps_its_full_stop_and_its_compound():
    """s45-docx (Word, narrow columns): "management" / "." (no word starts with a full
    stop) and "organisation" / "al-wide" (a compound whose first word was broken: the
    piece "al" is printed nowhere else)."""
    vocab = Vocabulary(["the", "approach", "management"])
    text, edits = paragraph_text(_para(_line("management", 99.5), _line(".", 5, top=10)), vocab)
    assert text == "management." and [e.rule for e in edits] == ["narrow_column_word_rejoined"]
    text, _ = paragraph_text(_para(_line("organisation", 99.5), _line("al-wide approach", 90, top=10)), vocab)
    assert text == "organisational-wide approach"


def test_word_filling_a_narrow_column_before_a_hyphen_or_capitals_is_rejoined():
    """s39-docx / s45-docx: "organisational" / "-wide" (no word starts with a hyphen) and
    "CIPFA/SOLA" / "CE" where the document prints "SOLACE" whole; capitals the document
    does not print joined are left as printed ("HoF" / "ACE")."""
    vocab = Vocabulary(["the", "approach", "Executives", "(SOLACE)", "ACE", "HoF"])
    text, _ = paragraph_text(_para(_line("organisational", 99.5), _line("-wide approach", 90, top=10)), vocab)
    assert text == "organisational-wide approach"
    text, _ = paragraph_text(_para(_line("CIPFA/SOLA", 99.5), _line("CE Good", 90, top=10)), vocab)
    assert text == "CIPFA/SOLACE Good"
    text, _ = paragraph_text(_para(_line("HoF", 99.5), _line("ACE (S151)", 90, top=10)), vocab)
    assert text == "HoF ACE (S151)"


def test_word_filling_a_narrow_column_before_a_piece_of_digits_joins_into_a_code():
    """seed-71 other-council columns: "ACE(S15" / "1)," in a narrow owner column; the
    joined token's bracket is a glossary code, so the digit joins. A number after a full
    line that makes no known token stays a word of its own ("Q" / "2 24/25")."""
    vocab = Vocabulary(["the", "approach", "ACE"], codes={"(S151)"})
    text, _ = paragraph_text(_para(_line("ACE(S15", 99.5), _line("1), Q2 24/25", 90, top=10)), vocab)
    assert text == "ACE(S151), Q2 24/25"
    text, _ = paragraph_text(_para(_line("by", 99.5), _line("2025 ongoing", 90, top=10)), vocab)
    assert text == "by 2025 ongoing"


def test_short_line_before_lowercase_is_not_a_broken_word():
    text, edits = paragraph_text(_para(_line("any", 20), _line("recommendations given", 90, top=10)), Vocabulary(["any"]))
    assert text == "any recommendations given" and edits == []


# ---- characteristic cells


@pytest.mark.parametrize("cell,description,notes", [
    ("There is some form of established transformation function or programme. (Merged with CI001 in Statutory guidance)",
     "There is some form of established transformation function or programme.",
     ("Merged with CI001 in Statutory guidance",)),
    ("The authority's scrutiny function is challenging (Previously G002 in the draft guidance)",
     "The authority's scrutiny function is challenging", ("Previously G002 in the draft guidance",)),
    ("Now in 1. Continuous Improvement theme (CI012) The authority's scrutiny function is challenging.",
     "The authority's scrutiny function is challenging.", ("Now in 1. Continuous Improvement theme (CI012)",)),
    ("The authority has moved to all-out elections.\n\nRemoved as a characteristic from statutory guidance.",
     "The authority has moved to all-out elections.", ("Removed as a characteristic from statutory guidance",)),
])
def test_status_notes_leave_the_description(cell, description, notes):
    split = split_notes(cell)
    assert (split.description, split.notes) == (description, notes)


def test_see_also_takes_ids_from_see_sentences_and_moved_notes_only():
    texts = ["See related characteristic R002: The workforce are managed.", "See CI001 and L002 as similar identified."]
    assert see_also(texts, (), "L006") == ("R002", "CI001", "L002")
    assert see_also([], ("Now in 1. Continuous Improvement theme (CI012)",), "G002") == ("CI012",)
    assert see_also([], ("Merged with CI001 in Statutory guidance",), "CI002") == ()


STANDARD = {"DARK GREEN": "#00B050", "LIGHT GREEN": "#92D050", "YELLOW": "#FFFF00", "AMBER": "#FFC000",
            "RED": "#FF0000", "GREY": "#A6A6A6"}


def test_a_key_without_colours_assumes_the_standard_ones_by_hue():
    from actionplan.schema.records import KeyEntry

    palette = palette_from_key([KeyEntry("Dark green", "strong", None), KeyEntry("Red", "none", None)],
                               SCORES, STANDARD)
    assert palette.assumed and "assumed" in palette.source
    # Darker and paler shades than Word's still read by their hue; white and black do not.
    assert palette.score_of((0.0, 0.39, 0.0)) == "DARK GREEN"
    assert palette.score_of((0.8, 0.1, 0.1)) == "RED"
    assert palette.score_of((0.55, 0.55, 0.55)) == "GREY"
    assert palette.score_of((1.0, 1.0, 1.0)) is None
    assert palette.score_of((0.0, 0.0, 0.0)) is None


def test_a_key_with_colours_uses_them_and_nothing_is_assumed():
    from actionplan.schema.records import KeyEntry

    palette = palette_from_key([KeyEntry("Amber", "x", (0.9, 0.6, 0.1))], SCORES, STANDARD)
    assert not palette.assumed and palette.colours == {"AMBER": (0.9, 0.6, 0.1)}


def test_nearest_hue_keeps_the_two_greens_apart():
    colours = {k: tuple(int(v[i:i + 2], 16) / 255 for i in (1, 3, 5)) for k, v in STANDARD.items()}
    assert nearest_hue((0.3, 0.75, 0.2), colours) == "LIGHT GREEN"
    assert nearest_hue((0.0, 0.6, 0.35), colours) == "DARK GREEN"
    assert nearest_hue((1.0, 0.65, 0.0), colours) == "AMBER"


def test_a_document_that_only_breaks_at_real_hyphens_keeps_a_line_end_hyphen():
    # Six line-end hyphens, all real compounds ("co-" / "produced"): the document does not
    # hyphenate, so "pre-" / "requisite" keeps its hyphen though "prerequisite" is printed.
    compounds = [("co-", "produced"), ("day-to-", "day"), ("long-", "term"), ("cross-", "cutting"),
                 ("follow-", "up"), ("well-", "being")]
    vocab = Vocabulary(["prerequisite", "requirements"], compounds)
    assert vocab.hyphenates_with_minus is False
    text, edits = paragraph_text(_para(_line("clarity on pre-", 99), _line("requisite requirements", 80, top=10)), vocab)
    assert text == "clarity on pre-requisite requirements" and edits == []


def test_a_document_that_breaks_words_with_hyphen_minus_joins_a_word_it_never_prints():
    # Most of its line-end pieces join into words printed whole elsewhere: it hyphenates
    # with "-", so "or-" / "ganisational-wide" is one word too, though never printed whole.
    breaks = [("continu-", "ous"), ("improve-", "ment"), ("estab-", "lished"), ("pro-", "gramme"),
              ("fre-", "quent"), ("co-", "produced")]
    vocab = Vocabulary(["continuous", "improvement", "established", "programme", "frequent"], breaks)
    assert vocab.hyphenates_with_minus is True
    text, edits = paragraph_text(_para(_line("An or-", 99), _line("ganisational-wide approach", 80, top=10)), vocab)
    assert text == "An organisational-wide approach"
    assert [(e.before, e.after, e.rule) for e in edits] == [
        ("or- ganisational-wide", "organisational-wide", "line_end_hyphen_removed")]


def _word_line(text: str, x1: float, right_limit: float, top: float, letter: float = 5.0) -> Line:
    """A line whose words are laid out left to right, `letter` points a character."""
    words, x = [], x1 - letter * len(text)
    for t in text.split():
        words.append(Word(t, 1, x, top, x + letter * len(t), top + 9.0))
        x += letter * (len(t) + 1)
    return Line(tuple(words), 1, words[0].x0, top, x1, top + 9.0, right_limit)


def test_a_narrow_column_does_not_join_a_word_to_a_word_the_document_prints():
    # "customer-focused" fills its line, but "outcomes" is a word printed elsewhere and
    # "customer-focusedoutcomes" is not: two words, the line wrapped at the space.
    vocab = Vocabulary(["outcomes", "approach", "better", "services"])
    text, edits = paragraph_text(_para(_word_line("customer-focused", 98.0, 100.0, 0),
                                       _word_line("outcomes.", 60.0, 100.0, 10)), vocab)
    assert text == "customer-focused outcomes." and edits == []


def test_a_narrow_column_word_ended_by_punctuation_is_whole():
    text, edits = paragraph_text(_para(_word_line("challenging,", 97.0, 100.0, 0),
                                       _word_line("robust and", 70.0, 100.0, 10)), Vocabulary([]))
    assert text == "challenging, robust and" and edits == []


def test_a_narrow_column_line_leaving_room_for_a_letter_was_not_broken_mid_word():
    # 4 points left, letters 3 points wide: "relationships" would have started on that line.
    text, edits = paragraph_text(_para(_word_line("constructive", 96.0, 100.0, 0),
                                       _word_line("relationships", 60.0, 100.0, 10, letter=3.0)), Vocabulary([]))
    assert text == "constructive relationships" and edits == []
    # 2 points left: no room for a 3-point letter, "Continu" / "ous" is one word.
    text, edits = paragraph_text(_para(_word_line("Continu", 98.0, 100.0, 0),
                                       _word_line("ous", 60.0, 100.0, 10, letter=3.0)), Vocabulary([]))
    assert text == "Continuous" and edits[0].rule == "narrow_column_word_rejoined"


def test_a_narrow_column_line_short_of_room_for_a_wide_m_was_broken_mid_word():
    """2025 seed-163 s21-docx (Liberation Serif, a narrow description column): "improve" /
    "ment" left 8.9 pt under letters of 6.2 pt on average, too little for an "m" (about 1.7
    mean letters) though room for most letters. Where the next piece starts with another
    letter, the same room was a plain wrap."""
    text, edits = paragraph_text(_para(_word_line("improve", 91.1, 100.0, 0, letter=6.2),
                                       _word_line("ment, driven", 80.0, 100.0, 10, letter=6.2)), Vocabulary([]))
    assert text == "improvement, driven" and edits[0].rule == "narrow_column_word_rejoined"
    # The same room had fitted a "d": "improved" would have been printed whole on the line.
    text, edits = paragraph_text(_para(_word_line("improve", 91.1, 100.0, 0, letter=6.2),
                                       _word_line("d by", 80.0, 100.0, 10, letter=6.2)), Vocabulary([]))
    assert text == "improve d by" and edits == []


def test_a_compounds_last_word_broken_in_a_narrow_column_is_joined():
    """"co-productio" / "n" (s21-docx): the compound is no English word of the list, its
    last word broken mid-word is."""
    text, edits = paragraph_text(_para(_word_line("co-productio", 99.0, 100.0, 0),
                                       _word_line("n of services.", 80.0, 100.0, 10)), Vocabulary([]))
    assert text == "co-production of services." and edits[0].rule == "narrow_column_word_rejoined"


def _minus_breaking_vocabulary(words):
    breaks = [("continu-", "ous"), ("improve-", "ment"), ("estab-", "lished"), ("pro-", "gramme"),
              ("fre-", "quent")]
    vocab = Vocabulary(["continuous", "improvement", "established", "programme", "frequent", *words], breaks)
    assert vocab.hyphenates_with_minus is True
    return vocab


def test_a_document_that_breaks_with_hyphen_minus_keeps_a_compound_of_two_words_it_prints():
    vocab = _minus_breaking_vocabulary(["organisational", "wide", "evidence", "based", "co-design", "produced"])
    for last, first, want in [("organisational-", "wide approach", "organisational-wide approach"),
                              ("evidence-", "based,", "evidence-based,"), ("co-", "produced with", "co-produced with")]:
        text, edits = paragraph_text(_para(_line(f"is {last}", 99), _line(first, 80, top=10)), vocab)
        assert (text, edits) == (f"is {want}", []), (last, first)


def test_a_document_that_breaks_with_hyphen_minus_joins_the_start_of_a_word_it_prints():
    # "per-" / "form": both words, but "perform" starts "performance", printed elsewhere.
    vocab = _minus_breaking_vocabulary(["per", "form", "performance"])
    text, edits = paragraph_text(_para(_line("to per-", 99), _line("form their role", 80, top=10)), vocab)
    assert text == "to perform their role"
    assert [(e.before, e.after, e.rule) for e in edits] == [("per- form", "perform", "line_end_hyphen_removed")]


def test_a_document_that_breaks_with_hyphen_minus_breaks_owner_codes_too():
    # An upper-case piece is no proof of a real hyphen where the typesetter breaks with "-".
    vocab = _minus_breaking_vocabulary(["ACE"])
    text, _ = paragraph_text(_para(_line("ACE (S151), CHo-", 99), _line("AR, Q2 2024.", 80, top=10)), vocab)
    assert text == "ACE (S151), CHoAR, Q2 2024."
    text, _ = paragraph_text(_para(_line("a 12-", 99), _line("month plan", 80, top=10)), vocab)
    assert text == "a 12-month plan"


# ---- a line-end hyphen-minus the document never prints whole: English decides


@pytest.mark.parametrize("last,first,want", [
    # the source's words (samples/appendix-a-2024/source.json), each broken where s17 broke it
    ("account-", "ability.", "accountability."),  # a word; the typesetter may break it there
    ("re-", "structure", "restructure"),
    ("medium-", "term", "medium-term"),  # "mediumterm" is no word: two words
    ("day-to-", "day", "day-to-day"),  # "today" is a word, but no typesetter breaks it "to-day"
    ("whistle-", "blowers", "whistle-blowers"),
    ("co-", "production", "co-production"),
    ("follow-", "up", "follow-up"),  # "followup" is listed; "fol-lowup" is where it breaks
    ("organisa-", "tional", "organisational"),  # "organisa" is no word: a break
    ("pro-", "actively", "proactively"),  # a listed word with an ending
    ("HoM-", "PR,", "HoMPR,"),  # a code no list knows: the typesetter's break
    ("HoD-", "S,", "HoDS,"),  # "hod" and "s" spell words, but "HoD" is written as a code
    ("repro-", "cured", "reprocured"),  # s37-docx: "re" + "procured", broken inside "procured"
    ("co-", "design", "co-design"),  # broken at the prefix itself: the compound's own hyphen
])
def test_a_hyphenating_document_judges_a_word_it_never_prints_by_english(last, first, want):
    vocab = _minus_breaking_vocabulary([])
    text, edits = paragraph_text(_para(_line(f"the {last}", 99), _line(f"{first} plan", 80, top=10)), vocab)
    assert text == f"the {want} plan"
    joined = want != last + first
    assert [(e.before, e.after, e.rule) for e in edits] == (
        [(f"{last} {first}", want, "line_end_hyphen_removed")] if joined else [])


def test_a_document_whose_broken_words_it_never_prints_whole_is_judged_hyphenating():
    # Narrow columns break most long words, so few are printed whole anywhere: the joins are
    # English words all the same (s25-html of the sweep was judged not hyphenating before).
    breaks = [("improve-", "ment"), ("recom-", "mendations"), ("per-", "formance"), ("gov-", "ernance"),
              ("stake-", "holders"), ("co-", "produced")]
    assert Vocabulary(["the", "council"], breaks).hyphenates_with_minus is True
    compounds = [("co-", "produced"), ("day-to-", "day"), ("long-", "term"), ("follow-", "up"),
                 ("medium-", "term"), ("whistle-", "blowers")]
    assert Vocabulary(["the", "council"], compounds).hyphenates_with_minus is False


def test_english_words_and_where_a_typesetter_may_break_them():
    from actionplan.normalise.english import is_english, may_break

    assert is_english("accountability") and is_english("organization") and is_english("organisation")
    assert is_english("Proactively") and is_english("council's")
    assert not is_english("mediumterm") and not is_english("organisa")
    assert may_break("accountability", len("account")) and may_break("restructure", len("re"))
    assert not may_break("today", len("to")) and not may_break("followup", len("follow"))


def test_the_word_list_is_searched_as_a_set_of_its_words_would_answer():
    """english._listed searches the stored list's bytes; a set of its words is the meaning."""
    from actionplan.normalise.english import _listed, _word_list

    words = _word_list().decode("utf-8").split()
    listed = frozenset(words)
    asked = [words[0], words[-1], "", " ", "a b", "zzzzzz", "\u00e9t\u00e9", "caf\u00e9", words[0][:-1] or "0"]
    for word in words[::37]:
        asked += [word, word[:-1], word + "a", word + "\n", word.upper(), word + "\u00a0"]
    assert any(w in listed for w in asked) and not all(w in listed for w in asked)
    for word in asked:
        assert _listed(word) == (word in listed), repr(word)


def test_an_owner_code_of_the_glossary_broken_at_a_line_end_is_joined():
    """s25-html: "Ho-" / "Democratic": both halves are words, so the words alone read a
    compound; a narrow owner column broke every "HoDemocratic" the document prints, so the
    document never shows it whole. The owner glossary (schema/owners.csv) knows the code."""
    breaks = [("continu-", "ous"), ("improve-", "ment"), ("estab-", "lished"), ("pro-", "gramme"),
              ("fre-", "quent"), ("co-", "produced")]
    words = ["continuous", "improvement", "established", "programme", "frequent", "ho", "democratic"]
    para = _para(_line("CHoLG, Ho-", 99), _line("Democratic Services, Q4 2024.", 80, top=10))
    text, _ = paragraph_text(para, Vocabulary(words, breaks))
    assert text == "CHoLG, Ho-Democratic Services, Q4 2024."
    text, edits = paragraph_text(para, Vocabulary(words, breaks, codes=["HoDemocratic", "Services"]))
    assert text == "CHoLG, HoDemocratic Services, Q4 2024."
    assert [(e.before, e.after, e.rule) for e in edits] == [("Ho- Democratic", "HoDemocratic", "line_end_hyphen_removed")]
    # A glossary word written as English is no code: "Services" does not join "Ser-" / "vices".
    assert not Vocabulary([], codes=["Services"]).is_code("Services")


def test_the_glossary_gives_the_words_of_its_codes():
    from actionplan.normalise.owners import load_glossary

    words = load_glossary().code_words()
    assert "HoDemocratic" in words and "CHoHROD" in words and "(S151)" in words


def test_a_word_broken_before_a_wide_letter_with_more_room_than_a_narrow_one_is_rejoined():
    """s44-docx of the 2025 plan (a narrow justified Word column): "procureme" / "nt and IT"
    leaves 5.7 pt of room under 9 pt lines -- more than 0.6 of a line's height, less than
    the "n" that did not fit (letters of 5.4 pt on average). Read as two words, 16
    descriptions printed "procureme nt", "developme nt", "constructiv e"."""
    lines = (_word_line("procureme", 94.3, 100.0, 0, letter=5.4), _word_line("nt and IT", 90.0, 100.0, 10, letter=5.4))
    text, edits = paragraph_text(_para(*lines), Vocabulary(["including", "and", "IT", "which"]))
    assert text == "procurement and IT"
    assert [(e.before, e.after, e.rule) for e in edits] == [("procureme nt", "procurement", "narrow_column_word_rejoined")]


def test_a_line_end_hyphen_set_apart_from_its_word_is_a_break_where_the_join_rule_says_so():
    """2025 seed-41 s13-docx: LibreOffice justifying a full-width theme intro set its
    hyphen a word gap from the word ("effect -" / "iveness)."): read as "effect- iveness"
    would be, not kept as " - ". A spaced dash between words stays."""
    vocab = _minus_breaking_vocabulary(["effectiveness", "update", "the"])
    text, edits = paragraph_text(_para(_line("and effect -", 99), _line("iveness).", 80, top=10)), vocab)
    assert text == "and effectiveness)."
    assert [(e.before, e.after, e.rule) for e in edits] == [
        ("effect - iveness).", "effectiveness).", "line_end_spaced_hyphen_removed")]
    text, edits = paragraph_text(_para(_line("Update -", 99), _line("the council agreed", 80, top=10)), vocab)
    assert (text, edits) == ("Update - the council agreed", [])


def test_a_hyphen_minus_break_is_named_a_guess_only_between_two_real_halves():
    """A line-end hyphen-minus removed on hyphenation points alone is named a guess where
    both halves are words: printed ones ("over", "achieved": "over-achieved" reads as well),
    or English words of six letters or more. The English lists' short words are as often
    fragments of the word: "pres" / "sures", "land" / "scape", "satis" / "fied" named eight
    guesses in seed-53 s14-docx, six of them noise."""
    from actionplan.normalise.text import guessed_minus_break

    vocab = _minus_breaking_vocabulary(["over", "achieved", "service", "levels"])
    assert guessed_minus_break("over-", "achieved", vocab)
    assert guessed_minus_break("depart-", "mental", vocab)  # neither printed, both long English words
    for last, first in [("pres-", "sures"), ("land-", "scape"), ("satis-", "fied")]:
        assert not guessed_minus_break(last, first, vocab), (last, first)


def test_a_hyphen_minus_joined_on_too_few_breaks_to_judge_is_named():
    """2024 seed-67 s14-docx (Word, no hyphenation): "pre-" / "requisite" broke at the
    word's own hyphen, and the document printed "prerequisite" closed elsewhere. With
    fewer than five line-end hyphens the document cannot say whether its typesetter
    hyphenates; the closed word printed elsewhere decides, silently until now."""
    from actionplan.normalise.text import joined_on_few_breaks

    vocab = Vocabulary(["a", "prerequisite", "for", "requirements", "policy"], [("pre-", "requisite")])
    assert vocab.hyphenates_with_minus is None
    text, _ = paragraph_text(_para(_line("clarity on pre-", 99), _line("requisite requirements.", 80, top=10)), vocab)
    assert text == "clarity on prerequisite requirements."
    assert joined_on_few_breaks("pre-", "requisite", vocab)
    # Kept as printed (nothing joined), a code of the glossary, or a document that judges: no doubt.
    assert not joined_on_few_breaks("co-", "design", vocab)
    assert not joined_on_few_breaks("Ho-", "Democratic", Vocabulary([], codes=["HoDemocratic"]))
    assert not joined_on_few_breaks("pre-", "requisite", _minus_breaking_vocabulary(["prerequisite"]))


def test_an_owner_code_broken_without_a_hyphen_in_a_narrow_column_is_joined():
    """2025 seed-97 s45-docx: a narrow owner column broke "HoDemocratic" as "HoDemocra" /
    "tic" with no hyphen, the piece alone filling its line. "tic" is an English word, so
    the words alone read two words; the glossary knows the code."""
    para = _para(_line("HoDemocra", 99.5), _line("tic Services,", 60, top=10))
    text, edits = paragraph_text(para, Vocabulary([], codes=["HoDemocratic", "Services"]))
    assert text == "HoDemocratic Services,"
    assert [e.rule for e in edits] == ["narrow_column_word_rejoined"]
    text, _ = paragraph_text(para, Vocabulary([], codes=["HoDS"]))
    assert text == "HoDemocra tic Services,"


def test_a_hyphen_kept_right_after_a_prefix_is_named():
    """2025 seed-97 s19-html: "re-" / "procured" in a document that breaks words with "-":
    kept (a break at a prefix is as likely the compound's own hyphen), but the source
    prints "reprocured": the page cannot tell, and the kept hyphen is named."""
    from actionplan.normalise.text import kept_at_a_prefix

    vocab = _minus_breaking_vocabulary(["the", "system"])
    assert kept_at_a_prefix("re-", "procured", vocab)
    assert not kept_at_a_prefix("re-", "port", vocab)  # too short a rest to be a word of its own
    assert not kept_at_a_prefix("medium-", "term", vocab)  # no prefix
    printed = _minus_breaking_vocabulary(["re-procured"])
    assert not kept_at_a_prefix("re-", "procured", printed)  # the document prints it hyphenated
