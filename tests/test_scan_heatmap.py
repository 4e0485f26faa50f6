"""A scanned heatmap: shades side by side with no rule between them, and ids OCR damaged
beyond the confusion table, read against the row's own numbering (issue #13)."""

from __future__ import annotations

import numpy as np

from actionplan.config import load_config
from actionplan.extract.readers.grid import find_fills
from actionplan.normalise.pipeline import Settings, normalise
from actionplan.schema.ids import readings
from actionplan.schema.records import ExtractedPlan, HeatmapCell

TYPE_PX = 20.0


def _scan_of_two_shades(left: int, right: int, bold_type: bool) -> np.ndarray:
    """Paper with one shaded strip, 8 type heights tall, its left half at grey level
    ``left`` and its right half at ``right``, no rule between them; grain as a scan has."""
    rng = np.random.default_rng(0)
    page = np.full((400, 900), 244.0)
    page[100:260, 100:500] = left
    page[100:260, 500:900 - 50] = right
    if bold_type:
        for x0 in (150, 550):  # a bold word: 5-pixel strokes 3 apart, a type height tall
            for x in range(x0, x0 + 120, 8):
                page[170:190, x:x + 5] = 30.0
    page += rng.normal(0.0, 4.0, page.shape)
    grey = np.clip(page, 0, 255).astype(np.uint8)
    return np.repeat(grey[..., None], 3, axis=2)


def _levels(fills) -> list[tuple[int, int, int]]:
    return sorted((f.box.x0, f.box.x1, round(f.level)) for f in fills)


def test_two_shades_8_levels_apart_without_a_rule_are_two_fills_each_its_own_level():
    # A browser-drawn heatmap on a greyscale scan: light green (171) beside grey (163).
    # One region's median coloured both cells alike before.
    fills = find_fills(_scan_of_two_shades(171, 163, bold_type=False), np.zeros((400, 900), np.uint8), TYPE_PX)
    got = _levels(fills)
    assert len(got) == 2
    (l0, l1, left), (r0, r1, right) = got
    assert abs(l1 - 500) <= 4 and r0 == l1
    # Levels are read from the closed image (the scan's grain lifts them alike): the two
    # cells keep the key's 8 levels between them.
    assert 6 <= left - right <= 10


def test_bold_type_inside_one_shade_does_not_cut_it():
    # Key labels in bold ("Dark green") on their swatch: one shade, one fill each side.
    fills = find_fills(_scan_of_two_shades(171, 171, bold_type=True), np.zeros((400, 900), np.uint8), TYPE_PX)
    assert len(fills) == 1


def _normalised(cells: list[tuple[int, int, str]]):
    config = load_config(None)
    heatmap = tuple(HeatmapCell(theme, position, text, None, 1) for theme, position, text in cells)
    plan = ExtractedPlan("test.pdf", 1, "test", heatmap, (), (), (), (), 0)
    result, _ = normalise(plan, Settings("r", config.vocab, config.glossary, config.convention))
    return {(h.theme_no, h.position): (h.cell, h.element_id) for h in result.heatmap}, result.repairs


def test_a_damaged_heatmap_id_is_its_place_in_a_row_numbered_by_place():
    # Theme 2 (L) prints L001..L010 at places 1..10; place 11 reads "Lol." (L011 with a 1
    # lost), which the confusion table alone makes L001. Theme 5 (R): "ROC" at place 5
    # (R005 with its 5 lost) was made R000, which no plan numbers.
    cells = [(2, n, f"L{n:03d}") for n in range(1, 11)] + [(2, 11, "Lol.")]
    cells += [(5, n, f"R{n:03d}") for n in range(1, 5)] + [(5, 5, "ROC"), (5, 6, "R006")]
    cells += [(4, 1, "C001"), (4, 2, "C002"), (4, 3, "oe C003")]  # a speck's reading beside the id
    heat, repairs = _normalised(cells)
    assert heat[(2, 11)] == ("L011", "L011")
    assert heat[(5, 5)] == ("R005", "R005")
    assert heat[(4, 3)] == ("C003", "C003")
    logged = {(r.before, r.after, r.rule) for r in repairs}
    assert {("Lol.", "L011", "heatmap_sequence"), ("ROC", "R005", "heatmap_sequence"),
            ("oe C003", "C003", "heatmap_sequence")} <= logged


def test_the_row_numbering_does_not_overrule_an_exact_id_or_another_cell_text():
    # G008 printed cleanly at place 7 (a plan may skip a number) stays; "See CI012" (theme 3,
    # place 2 of the 2024 plan) is a word and another id, not G002; a row with no cell
    # printed at its place's id is not taken as numbered by place.
    cells = [(3, 1, "G001"), (3, 2, "See CI012"), (3, 3, "G003"), (3, 4, "G004"), (3, 5, "G005"),
             (3, 6, "G006"), (3, 7, "G008")]
    cells += [(6, 1, "SD004"), (6, 2, "SD005"), (6, 3, "SDOO")]
    heat, _ = _normalised(cells)
    assert heat[(3, 7)] == ("G008", "G008")
    assert heat[(3, 2)][0] == "See CI012"
    assert heat[(6, 3)][1] != "SD003"


def test_the_confusion_distance_counts_only_changes_ocr_does_not_explain():
    from actionplan.normalise.ids import confusion_distance

    assert confusion_distance("LOOa", "L004") == 1  # "a" for 4
    assert confusion_distance("RO0$", "R008") == 1  # "$" stands for S, not 8
    assert confusion_distance("Cl011", "CI011") == 0
    assert confusion_distance("See", "G002") == 4
    assert "R000" not in readings("ROC")  # ids count from 001


def _ocr_word(text: str, x0: int, top: int, x1: int, bottom: int, confidence: float):
    """A word as the tesseract binding gives it (its box twice: found and read)."""
    from actionplan.extract.readers.grid import PixelBox
    from actionplan.extract.readers.ocr import _OcrWord

    box = PixelBox(x0, top, x1, bottom)
    return _OcrWord(text, box, box, confidence)


class _FakeEngine:
    """Tesseract stood in for: a page-wide region's layout reading finds the long meanings
    but not the short label on its shaded box; the box read alone finds the label."""

    def read(self, image, box, psm, dpi, type_px, scale=1):
        from actionplan.extract.readers.ocr import PSM_AUTO

        def word(text, x0, top):
            return _ocr_word(text, x0, top, x0 + 12 * len(text), top + 20, 90.0)

        if psm == PSM_AUTO:
            return [word("Key:", 120, 110), word("NO", 700, 310), word("EVIDENCE", 760, 310)]
        return [word("Red", 130, 310)]


def test_a_short_label_on_a_shaded_box_inside_a_page_wide_region_is_read_from_the_box():
    # A key with no vertical rules: its rows run into the space beside it, one region read
    # as a page's layout; tesseract's layout reading there lost "Red" and "Grey" (a
    # greyscale 300 dpi HTML scan), and the key had no red or grey.
    from actionplan.extract.readers.grid import Grid, PixelBox, Shading
    from actionplan.extract.readers.ocr import read_regions

    prepared = np.full((600, 2000), 255, np.uint8)
    prepared[110:130, 120:170] = 0
    prepared[310:330, 130:170] = 0
    prepared[310:330, 700:860] = 0
    region = PixelBox(100, 100, 1900, 500)
    swatch = Shading(PixelBox(110, 290, 500, 350), (0.35, 0.35, 0.35), 88.0)
    grid = Grid(0.0, 20.0, (), (), (swatch,), (region,), PixelBox(100, 100, 1900, 500))
    words = read_regions(_FakeEngine(), grid, prepared, 300)
    assert sorted(w.text for w in words) == ["EVIDENCE", "Key:", "NO", "Red"]


def test_a_shading_s_edge_left_as_a_thin_stroke_is_not_given_to_tesseract():
    # Dark green beside light green, no rule: a two-pixel strip of the dark shade lies on
    # the light cell's side of the cut (blur) and came out as a dark stroke the cell's
    # height, read "|", "=" or garbage ahead of the next cell's id. A letter stays.
    from actionplan.extract.readers.grid import Grid, PixelBox, Shading
    from actionplan.extract.readers.ocr import prepare_for_ocr

    page = np.full((300, 900), 244, np.uint8)
    page[100:160, 100:500] = 120
    page[100:160, 500:800] = 175
    page[100:160, 500:502] = 90   # the dark shade's edge past the cut, darkened by blur
    page[20:40, 100:700] = 20     # a title: the page's ink level
    page[115:145, 300:306] = 20   # a letter on the dark cell ("l")
    page[115:145, 650:656] = 20   # and on the light one
    upright = np.repeat(page[..., None], 3, axis=2)
    fills = (Shading(PixelBox(100, 100, 500, 160), (0.47, 0.47, 0.47), 120.0),
             Shading(PixelBox(500, 100, 800, 160), (0.69, 0.69, 0.69), 175.0))
    grid = Grid(0.0, 20.0, (), (), fills, (), None)
    prepared = prepare_for_ocr(upright, grid, np.zeros((300, 900), np.uint8))
    assert prepared[100:160, 500:502].min() > 200  # the edge: white
    assert prepared[120:140, 300:306].max() < 100 and prepared[120:140, 650:656].max() < 100


class _TableEngine:
    """Tesseract stood in for: a whole table read as a page's layout also reads the strokes
    between two cells of a column (their rule lost) as one tall word, "{cro", its centre in
    the gap between them; each cell read alone gives its id."""

    def read(self, image, box, psm, dpi, type_px, scale=1):
        from actionplan.extract.readers.ocr import PSM_AUTO

        def word(text, x0, top, x1, bottom):
            return _ocr_word(text, x0, top, x1, bottom, 50.0)

        if psm == PSM_AUTO:
            return [word("{cro", 595, 104, 690, 166), word("Theme", 120, 300, 220, 320)]
        return [word("CI008" if box.top < 135 else "L008", 610, box.top + 6, 680, box.top + 26)]


def test_a_table_s_reading_of_ink_its_smaller_cells_read_themselves_is_dropped():
    # A Word heatmap scanned at a 1.7 degree tilt: the rule between CI008 and L008 was not
    # found, so the whole table's layout reading kept "{cro" (its centre in the gap between
    # the two cells, held by no smaller cell) and the heatmap read "cro CI008".
    from actionplan.extract.readers.grid import Grid, PixelBox
    from actionplan.extract.readers.ocr import read_regions

    prepared = np.full((500, 1200), 255, np.uint8)
    prepared[110:130, 610:680] = 0
    prepared[145:165, 610:680] = 0
    prepared[300:320, 120:220] = 0
    table = PixelBox(100, 100, 1100, 400)
    upper, lower = PixelBox(590, 104, 700, 134), PixelBox(590, 137, 700, 167)
    grid = Grid(0.0, 20.0, (), (), (), (table, upper, lower), table)
    words = read_regions(_TableEngine(), grid, prepared, 300)
    assert sorted(w.text for w in words) == ["CI008", "L008", "Theme"]


def _ruled_one_line_rows(row_height: int, shades, blur: float) -> tuple[np.ndarray, np.ndarray]:
    """A key's rows as a 200 dpi scan gives them: shaded rows ``row_height`` pixels tall
    between 2-pixel rules, on paper, with grain and ``blur`` (Gaussian sigma); and the
    rules' mask."""
    import cv2

    rng = np.random.default_rng(1)
    page = np.full((400, 600, 3), (242.0, 241.0, 236.0))
    rules = np.zeros((400, 600), np.uint8)
    top = 100
    for rgb in shades:
        page[top - 2:top, 100:500] = 20.0
        rules[top - 2:top, 100:500] = 255
        page[top:top + row_height, 100:500] = rgb
        top += row_height + 2
    page[top - 2:top, 100:500] = 20.0
    rules[top - 2:top, 100:500] = 255
    page += rng.normal(0.0, 3.0, page.shape)
    return cv2.GaussianBlur(np.clip(page, 0, 255).astype(np.uint8), (0, 0), blur), rules


def test_one_line_rows_between_blurred_rules_keep_their_fills():
    # A score key (and a heatmap row) at 200 dpi: one line of 16-pixel type in rows 1.6
    # type heights tall. Cut along blurred rules, the yellow row kept 23 pixels, under the
    # 1.5 type heights a fill had to be: the key lost Yellow, and every yellow cell of the
    # heatmap read Amber (blur 1.0 in the heatmap stress sweep).
    yellow, light_green, amber = (245, 242, 27), (153, 203, 94), (245, 190, 27)
    image, rules = _ruled_one_line_rows(26, [yellow, light_green, amber], blur=1.0)
    fills = sorted(find_fills(image, rules, 16.0), key=lambda f: f.box.top)
    assert len(fills) == 3
    for fill, want in zip(fills, (yellow, light_green, amber)):
        assert max(abs(c * 255 - w) for c, w in zip(fill.rgb, want)) < 12


def _one_shade_label_cell() -> np.ndarray:
    """A key's label cell as a blurred scan gives it: one shade (grey level 176) between
    rules, its top and bottom rows 6 levels darker (the rules' blur), and a word in its left
    half, type 16 pixels high; grain as a scan has."""
    rng = np.random.default_rng(2)
    page = np.full((200, 700), 242.0)
    page[60:90, 100:400] = 176.0
    page[60:63, 100:400] = page[87:90, 100:400] = 170.0  # beside the rules
    for x in range(110, 230, 5):  # the word: strokes a type height tall
        page[66:84, x:x + 3] = 30.0
    page += rng.normal(0.0, 1.5, page.shape)
    grey = np.clip(page, 0, 255).astype(np.uint8)
    return np.repeat(grey[..., None], 3, axis=2)


def test_a_one_shade_cell_is_not_cut_where_its_word_ends():
    # In the columns a word crosses, only the rows next to the rules are left of the shade,
    # and they are darker (blur): their median stepped at the word's end and the fill was
    # cut there, and the cut stood between "Light" and "green" of the key's label as a
    # cell border (the key lost Light green; 41 light green cells read Grey). The closed
    # image, what a piece's level is read from, has no step there.
    fills = find_fills(_one_shade_label_cell(), np.zeros((200, 700), np.uint8), 16.0)
    assert len(fills) == 1
    assert abs(fills[0].level - 176) <= 3


def test_a_blurred_rule_across_a_dark_shading_is_still_a_rule():
    """Heatmap stress sweep, blur 1.0 at 200 dpi: the rules round the key's dark green row
    stood 21-24 grey levels darker than the green (40 sharp). Measured against the ink
    contrast (25) they were not found, stayed on the page tesseract reads and became text
    ("_Darkgreen"). A rule is known by its length; half the ink's contrast is enough.
    Grain of a few levels, however long its run, is still no rule."""
    import cv2

    from actionplan.extract.readers.grid import INK_CONTRAST, RULE_CONTRAST, rule_masks, strokes

    type_px = 12.0
    grey = np.full((200, 600), 235, np.uint8)
    grey[40:160, 40:560] = 90  # a dark shading
    grey[99:102, 40:560] = 90 - 22  # a horizontal rule across it, 22 levels darker
    grey = cv2.GaussianBlur(grey, (3, 3), 0.6)
    assert RULE_CONTRAST < 22 < INK_CONTRAST
    horizontal, _ = rule_masks(grey, type_px)
    (rule,) = strokes(horizontal, type_px, vertical=False)
    assert rule.top <= 100 <= rule.bottom and rule.x1 - rule.x0 > 400
    grain = np.full((200, 600), 90, np.uint8)
    grain[99:102, 40:560] = 90 - 6
    horizontal, _ = rule_masks(grain, type_px)
    assert strokes(horizontal, type_px, vertical=False) == []
