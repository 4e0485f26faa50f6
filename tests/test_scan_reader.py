"""The OCR reader's parts on synthetic page images (grid, fills, rule strokes, the image
tesseract reads), the per-page reader choice on the committed PDFs, and a few pages of the
committed scans read end to end under the default ``--ocr auto``."""

from __future__ import annotations

import json
import math

import cv2
import numpy as np
import pytest

from actionplan.extract.readers.grid import PixelBox, find_grid
from actionplan.extract.readers.ocr import _OcrWord, drop_rule_strokes, prepare_for_ocr
from actionplan.extract.readers.probe import page_makeup
from actionplan.extract.scheduler import AUTO_READER, OCR_READER, choose_readers, reader_for
from conftest import SAMPLES

CLEAN = SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf"
IMAGE_ONLY = SAMPLES / "appendix-a-2024-scan" / "appendix-a-2024-scan-image-only.pdf"
OCR_LAYER = SAMPLES / "appendix-a-2024-scan" / "appendix-a-2024-scan-ocr.pdf"

PAPER = (245, 243, 238)
DARK_GREEN = (0, 176, 80)
YELLOW = (255, 255, 0)


def synthetic_page(skew: float = 0.0, grey: bool = False) -> np.ndarray:
    """A 200 dpi landscape page: a 4 x 3 ruled table, two cells shaded, words in every cell
    (including the shaded ones), turned ``skew`` degrees counter-clockwise."""
    height, width = 1650, 2330
    page = np.full((height, width, 3), PAPER, np.uint8)
    xs, ys = [100, 600, 1200, 1800, 2200], [200, 500, 800, 1100]
    cv2.rectangle(page, (xs[0], ys[1]), (xs[1], ys[2]), DARK_GREEN, -1)
    cv2.rectangle(page, (xs[2], ys[2]), (xs[3], ys[3]), YELLOW, -1)
    for x in xs:
        cv2.line(page, (x, ys[0]), (x, ys[-1]), (20, 20, 20), 3)
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), (20, 20, 20), 3)
    for left in xs[:-1]:
        for top in ys[:-1]:
            for line in range(3):
                cv2.putText(page, "Whilst the plan", (left + 20, top + 50 + 40 * line),
                            cv2.FONT_HERSHEY_SIMPLEX, 0.9, (20, 20, 20), 2)
    if skew:
        matrix = cv2.getRotationMatrix2D((width / 2, height / 2), skew, 1.0)
        page = cv2.warpAffine(page, matrix, (width, height), borderValue=PAPER)
    if grey:
        page = cv2.cvtColor(cv2.cvtColor(page, cv2.COLOR_RGB2GRAY), cv2.COLOR_GRAY2RGB)
    return page


@pytest.mark.parametrize("skew", [-2.0, -0.7, 0.0, 1.3, 2.0])
def test_grid_finds_the_tilt_from_the_rules_and_every_rule(skew):
    grid, upright, _ = find_grid(synthetic_page(skew))
    assert abs(grid.skew - skew) < 0.08
    long_verticals = [r for r in grid.verticals if r.height > 800]
    long_horizontals = [r for r in grid.horizontals if r.width > 1800]
    assert len(long_verticals) == 5 and len(long_horizontals) == 4
    # turned upright: each rule is straight again (a few pixels thick, not a slanted band)
    assert all(r.width <= 8 for r in long_verticals) and all(r.height <= 8 for r in long_horizontals)
    assert len(grid.cells) == 12


@pytest.mark.parametrize("grey", [False, True])
def test_shaded_cells_are_found_with_their_colour_and_nothing_else_is(grey):
    grid, _, _ = find_grid(synthetic_page(0.8, grey=grey))
    big = sorted((f for f in grid.fills if f.box.width > 300), key=lambda f: f.box.top)
    assert len(big) == 2
    green, yellow = (np.array(f.rgb) * 255 for f in big)
    want_green, want_yellow = np.array(DARK_GREEN, float), np.array(YELLOW, float)
    if grey:
        want_green = want_yellow * 0 + (0.299 * 0 + 0.587 * 176 + 0.114 * 80)
        want_yellow = want_yellow * 0 + (0.299 * 255 + 0.587 * 255)
    assert np.abs(green - want_green).max() < 25 and np.abs(yellow - want_yellow).max() < 25
    # the shading is one cell, cut at its rules
    assert 450 < big[0].box.width < 520 and 250 < big[0].box.height < 310


def test_words_on_a_dark_shading_come_out_as_dark_as_words_on_paper():
    grid, upright, rules = find_grid(synthetic_page())
    prepared = prepare_for_ocr(upright, grid, rules)
    shaded = prepared[510:790, 110:590]  # the dark green cell
    plain = prepared[210:490, 110:590]
    assert np.percentile(shaded, 50) > 250  # the fill is paper now
    assert (shaded < 100).mean() == pytest.approx((plain < 100).mean(), rel=0.35)  # ink kept
    assert prepared[ys_between(200, 500), 600].min() == 255  # the vertical rule is painted out


def ys_between(a: int, b: int) -> slice:
    return slice(a + 20, b - 20)


def _word(text: str, x0: int, top: int = 300) -> _OcrWord:
    box = PixelBox(x0, top, x0 + max(4, 12 * len(text)), top + 20)
    return _OcrWord(text, box, box, 90.0)


def test_rule_strokes_read_as_letters_are_dropped_and_reported():
    grid, _, _ = find_grid(synthetic_page())
    words = [_word("|", 597), _word("l", 1198), _word("I", 1797, top=900), _word("I", 900),
             _word("Il", 1400), _word("CI001:", 604), _word("'", 2198)]
    kept, dropped = drop_rule_strokes(words, grid)
    assert [w.text for w in kept] == ["I", "Il", "CI001:"]  # a pronoun and words away from rules
    assert [(d.before, d.after, d.rule) for d in dropped] == [
        ("|", "", "ocr_rule_stroke"), ("l", "", "ocr_rule_stroke"), ("I", "", "ocr_rule_stroke"),
        ("'", "", "ocr_rule_stroke")]


@pytest.mark.parametrize("pdf,mode,reader,reason", [
    (CLEAN, "auto", "pdfplumber", ""),
    (IMAGE_ONLY, "auto", OCR_READER, "no text layer"),
    (OCR_LAYER, "auto", OCR_READER, "scan under an invisible OCR layer"),
    (IMAGE_ONLY, "never", "pdfplumber", ""),
    (CLEAN, "always", OCR_READER, "--ocr always"),
])
def test_the_reader_is_chosen_per_page(pdf, mode, reader, reason):
    jobs = choose_readers(19, "pdfplumber", mode)
    makeup = {page.number: page for page in page_makeup(pdf, None, list(range(1, 20)))}
    jobs = [reader_for(makeup[j.number], "pdfplumber") if j.reader == AUTO_READER else j for j in jobs]
    assert [(j.reader, j.reason) for j in jobs] == [(reader, reason)] * 19


# ---------------------------------------------------------------------- end to end

PAGES = (1, 2, 3)


@pytest.fixture(scope="module")
def clean_pages(tmp_path_factory):
    """Which rows and heatmap cells pages 1-3 of the 2024 plan hold, from the clean PDF."""
    from actionplan.config import load_config
    from actionplan.pipeline import run_extract

    import pyarrow.parquet as pq

    out = tmp_path_factory.mktemp("clean") / "o"
    run_extract(CLEAN, out, "clean", load_config(None), ocr="never")
    rows = pq.read_table(out / "characteristics.parquet").to_pylist()
    return {r["element_id"] for r in rows if set(r["pages"]) <= set(PAGES)}


def first_pages(pdf, target):
    import pypdfium2 as pdfium

    source = pdfium.PdfDocument(str(pdf))
    part = pdfium.PdfDocument.new()
    part.import_pages(source, [p - 1 for p in PAGES])
    part.save(str(target))
    return target


# Floors: measured on these three pages, rounded down (README, "Scanned plans").
FLOORS = {"ids": 1.0, "scores": 1.0, "heatmap": 0.98, "owners": 0.95}  # measured 1, 1, 1, 1


@pytest.mark.parametrize("scan", [IMAGE_ONLY, OCR_LAYER], ids=["image-only", "ocrmypdf-layer"])
def test_a_scan_is_read_by_ocr_under_auto(scan, clean_pages, tmp_path, capsys):
    from actionplan.config import load_config
    from actionplan.pipeline import run_extract
    from expected import load_expected

    import pyarrow.parquet as pq

    pdf = first_pages(scan, tmp_path / "part.pdf")
    out = tmp_path / "out"
    run_extract(pdf, out, "scan", load_config(None))
    expected = load_expected(SAMPLES / "appendix-a-2024" / "source.json")
    chars = {r["element_id"]: r for r in pq.read_table(out / "characteristics.parquet").to_pylist()}
    want = [c for c in expected.characteristics if c["element_id"] in clean_pages]
    actions = {(a["element_id"], a["action_no"]): a for a in pq.read_table(out / "actions.parquet").to_pylist()}
    want_actions = [a for a in expected.actions if a["element_id"] in clean_pages]
    heat = {(h["theme_no"], h["position"]): h for h in pq.read_table(out / "heatmap.parquet").to_pylist()}
    scores = {c["element_id"]: c["score"] for c in expected.characteristics}
    rates = {
        "ids": sum(c["element_id"] in chars for c in want) / len(want),
        "scores": sum(chars.get(c["element_id"], {}).get("score") == c["score"] for c in want) / len(want),
        "heatmap": sum(
            (got := heat.get((h["theme_no"], h["position"]))) is not None
            and got["cell"] == h["cell"] and got["score"] == scores.get(h["cell"])
            for h in expected.heatmap) / len(expected.heatmap),
        "owners": sum(actions.get((a["element_id"], a["action_no"]), {}).get("owners") == a["owners"]
                      for a in want_actions) / len(want_actions),
    }
    with capsys.disabled():
        print(f"\n{scan.name} pages 1-3 under --ocr auto:", ", ".join(f"{k} {v:.3f}" for k, v in rates.items()))
    for name, floor in FLOORS.items():
        assert rates[name] >= floor, (name, rates[name])
    manifest = json.loads((out / "manifest.json").read_text())
    ocr = manifest["extractor"]["ocr"]
    assert ocr["mode"] == "auto" and [p["page"] for p in ocr["pages"]] == [1, 2, 3]
    for page in ocr["pages"]:
        assert page["engine"] == "tesseract" and page["language"] == "eng" and page["oem"] == 1
        assert page["dpi"] >= 200 and 60 < page["mean_confidence"] <= 100
        assert math.isfinite(page["skew"]) and abs(page["skew"]) < 1.0  # the sample: 0.4-0.8 deg
    assert manifest["conservation"]["unaccounted"] == 0


def test_never_keeps_refusing_a_scan_without_a_text_layer(tmp_path, capsys):
    from actionplan.cli import main

    pdf = first_pages(IMAGE_ONLY, tmp_path / "part.pdf")
    code = main(["extract", str(pdf), "--out", str(tmp_path / "o"), "--ocr", "never"])
    err = capsys.readouterr().err
    assert code == 2 and "no text layer" in err and "OCR" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists()


def test_a_rule_glued_to_a_word_is_cut_off_it():
    grid, _, _ = find_grid(synthetic_page())
    words = [_word("|G011", 600), _word("C011]", 1140), _word("a|b", 1300)]
    kept, dropped = drop_rule_strokes(words, grid)
    assert [w.text for w in kept] == ["G011", "C011", "a|b"]
    assert [(d.before, d.after) for d in dropped] == [("|G011", "G011"), ("C011]", "C011")]


@pytest.mark.parametrize("printed,want", [
    ("‘PCEO02", "PCEO02"), ("SDO07-", "SDO07"), ("C1001:.", "C1001:"), ("CI001:", "CI001:"), ("—", "—"),
])
def test_stray_marks_round_an_id_are_cut_off(printed, want):
    from actionplan.extract.readers.ocr import _trim_marks

    assert _trim_marks(printed) == want


def heatmap_page(row_height: int = 44) -> np.ndarray:
    """A 200 dpi page holding a heatmap: 5 one-line rows (about two type heights tall) of
    8 ruled cells, neighbours shaded in greys 7 to 50 levels apart, an id in every cell;
    a paragraph of text below it."""
    height, width = 1650, 2330
    page = np.full((height, width, 3), PAPER, np.uint8)
    xs = [300 + 200 * i for i in range(9)]
    ys = [200 + row_height * i for i in range(6)]
    levels = [174, 186, 167, 216, 120, 174, 186, 167]
    for r, top in enumerate(ys[:-1]):
        for c, left in enumerate(xs[:-1]):
            level = levels[(c + r) % len(levels)]
            cv2.rectangle(page, (left, top), (xs[c + 1], ys[r + 1]), (level,) * 3, -1)
            cv2.putText(page, f"L{r}{c:02d}", (left + 20, top + row_height - 12),
                        cv2.FONT_HERSHEY_SIMPLEX, 0.9, (20, 20, 20), 2)
    for x in xs:
        cv2.line(page, (x, ys[0]), (x, ys[-1]), (60, 60, 60), 2)
    for y in ys:
        cv2.line(page, (xs[0], y), (xs[-1], y), (60, 60, 60), 2)
    for line in range(12):
        cv2.putText(page, "Whilst the plan sets out the actions", (100, 600 + 40 * line),
                    cv2.FONT_HERSHEY_SIMPLEX, 0.9, (20, 20, 20), 2)
    return page, levels


def test_the_vertical_rules_of_one_line_rows_are_found_through_the_rules_crossing_them():
    # Each row's piece of a vertical rule is shorter than a rule's minimum length; the
    # horizontal rules crossing it cut it into such pieces (they are not thin across). Lost,
    # the cells of a row ran together, and so did their fills: a grey-scan heatmap cell
    # took the median shade of three.
    grid, _, _ = find_grid(heatmap_page()[0])
    inner = [r for r in grid.verticals if 400 < r.x0 < 1850]
    assert len(inner) == 7 and all(r.top <= 202 and r.bottom >= 418 for r in inner)
    assert len([c for c in grid.cells if c.top < 420]) == 40
    levels = heatmap_page()[1]
    fills = sorted(grid.fills, key=lambda f: (f.box.top, f.box.x0))
    assert len(fills) == 40 and all(f.box.width < 200 for f in fills)
    assert [round(f.level) for f in fills[:8]] == levels


def test_text_lines_touching_no_rule_give_no_vertical_rule():
    # The crossing rule adds only a rule's thickness: stacked letters of the paragraph
    # below (x 100-800, never crossed by a rule) stay text.
    grid, _, _ = find_grid(heatmap_page()[0])
    assert not [r for r in grid.verticals if r.top > 440]


def _id_word(text: str, x0: int, top: int = 300, height: int = 20) -> _OcrWord:
    box = PixelBox(x0, top, x0 + 12 * len(text), top + height)
    return _OcrWord(text, box, box, 50.0)


def test_the_words_of_a_line_of_ids_are_read_again_but_not_its_label_or_body_text():
    from actionplan.extract.readers.ocr import _id_row_words

    # A heatmap row read as one line (no rules between its cells): "ROO]" and "RO0$" have
    # no grammatical reading at all, "sp002" is no id either; the label "5. Use of
    # Resources" is no candidate. A body line with two years and a quarter is no id row.
    row = [_id_word(t, 100 + 80 * n) for n, t in enumerate(
        ["5.", "Use", "of", "Resources", "ROO]", "R002", "RO0$", "sp002", "R005"])]
    body = [_id_word(t, 100 + 80 * n, top=600) for n, t in enumerate(["CLT,", "Q2", "2024", "and", "2025."])]
    found = _id_row_words(row + body, type_px=20)
    assert sorted(row[i].text if i < len(row) else body[i - len(row)].text for i in found) == sorted(
        ["ROO]", "R002", "RO0$", "sp002", "R005"])


def test_a_word_s_box_reaching_marks_above_it_is_read_again_within_its_row_s_text_band():
    from actionplan.extract.readers.ocr import _id_row_words

    # "spo04" took in the marks a shading's edge left 10 px above the row: re-read within the
    # band the row's other ids share (their bottom, and the height most of them have).
    words = [_id_word("SD003", 100), _id_word("spo04", 180, top=290, height=30), _id_word("SD005", 260),
             _id_word("SD006", 340)]
    bands = _id_row_words(words, type_px=20)
    assert set(bands.values()) == {(300, 320)}


@pytest.mark.parametrize("again,first,ok", [
    (["SD002"], "sp002", True),     # no grammatical reading at first: any id will do
    (["R001"], "ROO]", True),
    (["L008"], "Loos", True),       # one of L005 / L008 / L009, all as near
    (["C001"], "Ci001", False),     # the thin "I" dropped: a Culture id, not CI001
    (["C005"], "Cl005", False),
    (["CI001"], "Ci001", True),
    (["R000"], "R0O0", False),      # ids count from 001
    (["SD002", "|"], "sp002", False),
])
def test_a_second_reading_replaces_the_first_only_as_its_nearest_grammatical_reading(again, first, ok):
    from actionplan.extract.readers.ocr import _acceptable

    assert _acceptable([_id_word(t, 100) for t in again], first) is ok


def test_a_shading_s_edge_read_as_a_rule_is_dropped_where_no_rule_is_drawn():
    from actionplan.extract.readers.grid import Grid, Shading

    # Two cells shaded side by side with no rule between them (a heatmap drawn by a
    # browser): the edge at x 600 reads "|"; a "|" in the middle of a cell stays.
    fills = (Shading(PixelBox(100, 280, 600, 330), (0.1, 0.7, 0.3), 120.0),
             Shading(PixelBox(600, 280, 1100, 330), (1.0, 1.0, 0.1), 220.0))
    grid = Grid(0.0, 20.0, (), (), fills, (), None)
    kept, dropped = drop_rule_strokes([_word("|", 598), _word("|", 850), _word("SD002", 620)], grid)
    assert [w.text for w in kept] == ["|", "SD002"]
    assert [(d.before, d.rule) for d in dropped] == [("|", "ocr_rule_stroke")]
