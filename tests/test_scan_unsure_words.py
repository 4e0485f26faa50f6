"""Words tesseract was unsure of in a region's reading are read again alone, enlarged
(issue #13: a 200 dpi greyscale HTML scan read CLT as "cL" and "cir", SLT as "Si", and
"+CHoHROD," for CHoHROD, each alone on its line of an owner column)."""

from __future__ import annotations

import numpy as np

from actionplan.extract.readers.grid import Grid, PixelBox
from actionplan.extract.readers.ocr import _OcrWord, _reread_unsure_words

TYPE_PX = 20.0


def _word(text: str, x0: int, top: int, confidence: float, height: int = 20) -> _OcrWord:
    box = PixelBox(x0, top, x0 + 15 * max(1, len(text)), top + height)
    return _OcrWord(text, box, box, confidence)


class _AloneEngine:
    """Tesseract stood in for: what each word's ink reads as alone, by the line it is on."""

    def __init__(self, alone: dict[int, tuple[str, float]]):
        self.alone = alone
        self.boxes: list[PixelBox] = []

    def read(self, image, box, psm, dpi, type_px, scale=1):
        self.boxes.append(box)
        text, confidence = self.alone[box.top + 5]  # the word's top, less the pad
        return [_OcrWord(text, box, box, confidence)]


def _reread(words, alone):
    grid = Grid(0.0, TYPE_PX, (), (), (), (), None)
    engine = _AloneEngine(alone)
    out, corrections = _reread_unsure_words(engine, words, grid, np.full((1000, 800), 255, np.uint8), 200)
    return [w.text for w in out], {(c.before, c.after, c.rule) for c in corrections}, engine


def test_an_unsure_word_read_again_alone_and_sure_replaces_the_first_reading():
    words = [_word("cL", 100, 100, 13), _word("Si", 100, 200, 1), _word("through", 100, 300, 96)]
    texts, logged, engine = _reread(words, {100: ("CLT", 96), 200: ("SLT", 94), 300: ("thorough", 99)})
    assert texts == ["CLT", "SLT", "through"]  # a sure first reading is not read again
    assert logged == {("cL", "CLT", "ocr_unsure_reread"), ("Si", "SLT", "ocr_unsure_reread")}
    assert len(engine.boxes) == 2


def test_an_unsure_second_reading_is_taken_only_where_it_drops_marks_and_no_bracket():
    words = [_word("+CHoHROD,", 100, 100, 0), _word("tost", 100, 200, 30), _word("(CLT", 100, 300, 20)]
    texts, _, _ = _reread(words, {100: ("CHoHROD,", 40), 200: ("test", 50), 300: ("CLT", 50)})
    assert texts == ["CHoHROD,", "tost", "(CLT"]


def test_ids_and_specks_are_not_read_again_here():
    # Ids have their own second reading (held to the nearest grammatical reading); a speck
    # enlarged is read as a letter ("i" three pixels high came back "2").
    words = [_word("Cl006:", 100, 100, 26), _word("i", 100, 200, 43, height=3)]
    texts, logged, engine = _reread(words, {100: ("Ccl006:", 90), 200: ("2", 92)})
    assert texts == ["Cl006:", "i"] and not logged and not engine.boxes


def test_a_speck_tesseract_read_as_a_mark_is_dropped_and_reported():
    # dev-word24-colour-210-q70-tilt: a 2-pixel speck above "R012:" read "*" at 0
    # confidence began the anchor's line, and R012's row ran into R011's description.
    from actionplan.extract.readers.ocr import drop_speck_readings

    grid = Grid(0.0, TYPE_PX, (), (), (), (), None)
    speck = _OcrWord("*", PixelBox(321, 996, 323, 998), PixelBox(321, 996, 323, 998), 0.0)
    stop = _OcrWord(".", PixelBox(500, 1010, 504, 1014), PixelBox(500, 1010, 504, 1014), 91.0)
    dot_i = _OcrWord("i", PixelBox(600, 1000, 603, 1004), PixelBox(600, 1000, 603, 1004), 20.0)
    words = [speck, _word("R012:", 349, 996, 46), stop, dot_i]
    kept, dropped = drop_speck_readings(words, grid)
    assert [w.text for w in kept] == ["R012:", ".", "i"]  # a sure mark and a letter stay
    assert [(d.before, d.after, d.rule) for d in dropped] == [("*", "", "ocr_speck")]
