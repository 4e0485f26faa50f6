"""Both text-layer readers give one output: for every committed sample and fixture PDF,
the PDFium reader (readers/pdfium.py) and the pdfplumber reader (readers/plumber.py) are
run through the whole pipeline and every table they write is compared, row for row and
column for column. The word equation (tests/test_word_equation.py) runs on both readers
too; here the manifest's character ledger must balance for each reader."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from actionplan.config import load_config
from actionplan.errors import InputError
from actionplan.extract.readers.pdfium import PdfiumReader
from actionplan.extract.readers.plumber import PdfplumberReader
from actionplan.pipeline import run_extract
from conftest import SAMPLES, clean_samples, known_wrong, unseen_renderings
from pdfgen import hyphens_pdf

# The committed scan's invisible OCR layer, read as a text layer (--ocr never): rotated,
# horizontally scaled glyphs of a font with no glyphs -- the readers' hardest text layer.
OCR_LAYER = SAMPLES / "appendix-a-2024-scan" / "appendix-a-2024-scan-ocr.pdf"


def _pdfs() -> dict[str, Path]:
    pdfs = {name: pdf for name, (pdf, _) in clean_samples().items()}
    # The layout sweep's renderings too (justified text, ligatures, soft hyphens, turned pages).
    pdfs.update({name: pdf for name, (pdf, _, _) in unseen_renderings().items()
                 if pdf.exists() and not (pdf.parent / "profile.toml").exists()})  # read with its own profile elsewhere
    return pdfs


PDFS = _pdfs()
# Renderings whose ledger is known not to balance, on either reader: strict xfails in tests/test_sweep.py.
LEDGER_KNOWN_WRONG = set(known_wrong().get("test_every_character_is_accounted_for", {}))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    config = load_config(None)
    cache: dict[tuple[str, str], Path] = {}

    def run(name: str, backend: str) -> Path | str:
        """The output folder, or the one-line refusal of a PDF the pipeline cannot read."""
        if (name, backend) not in cache:
            pdf = PDFS.get(name, OCR_LAYER)
            out = tmp_path_factory.mktemp(backend) / name
            ocr = "never" if pdf == OCR_LAYER else "auto"
            try:
                run_extract(pdf, out, revision=name, config=config, backend=backend, ocr=ocr)
            except InputError as exc:  # a sweep rendering known to be read wrong (samples/sweep/known-wrong.json)
                out = str(exc)
            cache[(name, backend)] = out
        return cache[(name, backend)]

    return run


def _tables(folder: Path) -> dict[str, list[dict]]:
    return {p.stem: pq.read_table(p).to_pylist() for p in sorted(folder.glob("*.parquet"))}


def test_every_sample_and_fixture_is_compared():
    assert len(PDFS) >= 15  # the clean samples, the fixtures and the unseen renderings
    assert OCR_LAYER.exists()


@pytest.mark.parametrize("name", sorted(PDFS) + [OCR_LAYER.stem])
def test_both_readers_write_identical_tables(name, outputs):
    if isinstance(outputs(name, "pdfplumber"), str):  # refused: by both readers, in the same words
        assert outputs(name, "pdfium") == outputs(name, "pdfplumber")
        return
    pdfium, plumber = _tables(outputs(name, "pdfium")), _tables(outputs(name, "pdfplumber"))
    assert sorted(pdfium) == sorted(plumber)
    assert "characteristics" in pdfium and pdfium["characteristics"]
    for table in plumber:
        assert len(pdfium[table]) == len(plumber[table]), table
        for row, (got, want) in enumerate(zip(pdfium[table], plumber[table])):
            assert _same_row(got, want), f"{table} row {row}: {got} != {want}"


# PDFium keeps coordinates as 32-bit floats, pdfminer as 64-bit ones: a position (the only
# float columns: where a dropped line was) may differ in its fifth decimal. Every other
# value -- text, ids, dates, pages, lists -- must be equal.
POSITION_TOLERANCE = 0.01  # points


def _same_row(got: dict, want: dict) -> bool:
    if got.keys() != want.keys():
        return False
    for key, value in want.items():
        if isinstance(value, float) and isinstance(got[key], float):
            if abs(value - got[key]) > POSITION_TOLERANCE:
                return False
        elif got[key] != value:
            return False
    return True


@pytest.mark.parametrize("backend", ["pdfium", "pdfplumber"])
@pytest.mark.parametrize("name", sorted(set(PDFS) - LEDGER_KNOWN_WRONG))  # those are strict xfails in test_sweep
def test_the_character_ledger_balances_on_each_reader(name, backend, outputs):
    manifest = json.loads((outputs(name, backend) / "manifest.json").read_text(encoding="utf-8"))
    ledger = manifest["conservation"]
    assert ledger["characters_read"] > 0
    assert ledger["unaccounted"] == 0, ledger


# Pages where PDFium's text page differs most from the content stream: justified text with
# kerning gaps before drawn spaces and ligatures (s01 page 4), a ligature in a font whose
# descriptor declares no descent (s40 page 1), line-end soft hyphens and hyphen-minus in a
# font that maps both (s34 page 2), an upside-down /MediaBox (the real-world one).
GLYPH_PAGES = [
    (SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf", 2),
    (SAMPLES / "sweep" / "s01-html.pdf", 4),
    (SAMPLES / "sweep" / "s34-html.pdf", 2),
    (SAMPLES / "sweep" / "s40-docx.pdf", 1),
    (Path(__file__).parent / "data" / "realworld" / "pdfplumber--malformed-from-issue-932.pdf", 1),
]


@pytest.mark.parametrize("pdf,number", GLYPH_PAGES, ids=lambda v: getattr(v, "stem", str(v)))
def test_the_readers_agree_glyph_by_glyph_on_a_page(pdf, number):
    """Below the tables: the same characters in the same order, boxes within a tenth of a
    point (PDFium's loose box may add an overhanging stroke to a glyph's right edge), the
    same sizes."""
    mine, theirs = PdfiumReader(pdf, None), PdfplumberReader(pdf, None)
    try:
        assert mine.page_count() == theirs.page_count()
        got, want = mine.read(number), theirs.read(number)
    finally:
        mine.close()
        theirs.close()
    assert (round(got.width, 2), round(got.height, 2)) == (round(want.width, 2), round(want.height, 2))
    assert "".join(g.text for g in got.glyphs) == "".join(g.text for g in want.glyphs)
    assert [g.text for g in got.glyphs] == [g.text for g in want.glyphs]
    for a, b in zip(got.glyphs, want.glyphs):
        assert abs(a.x0 - b.x0) < 0.01 and abs(a.top - b.top) < 0.01 and abs(a.bottom - b.bottom) < 0.01, (a, b)
        assert abs(a.x1 - b.x1) < 0.1 and abs(a.size - b.size) < 0.01, (a, b)
        assert a.mcid == b.mcid
    assert len(got.fills) == len(want.fills) and len(got.strokes) == len(want.strokes)


@pytest.mark.parametrize("pdf", sorted({pdf for pdf, _ in GLYPH_PAGES}), ids=lambda v: v.stem)
def test_pdfium_generates_only_the_characters_the_reader_asks_about(pdf):
    """The reader asks PDFium whether a character was generated only for a space, CR or LF
    (GENERATED_CODES): on every page, each character PDFium generates is one of them."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from actionplan.extract.readers.pdfium import GENERATED_CODES

    document = pdfium.PdfDocument(str(pdf))
    generated = set()
    try:
        for page in document:
            text = page.get_textpage()
            generated |= {raw.FPDFText_GetUnicode(text.raw, i) for i in range(raw.FPDFText_CountChars(text.raw))
                          if raw.FPDFText_IsGenerated(text.raw, i) == 1}
            text.close()
            page.close()
    finally:
        document.close()
    assert generated and generated <= GENERATED_CODES, sorted(generated)


ONE_CALL_PAGES = sorted({pdf for pdf, _ in GLYPH_PAGES}) + [
    Path(__file__).parent / "data" / "text" / "letters-beyond-the-bmp.pdf",
    SAMPLES / "appendix-a-2024-html" / "appendix-a-2024-html.pdf",  # soft hyphens at line ends
]


@pytest.mark.parametrize("pdf", ONE_CALL_PAGES, ids=lambda v: v.stem)
def test_the_page_text_in_one_call_is_each_characters_code(pdf):
    """The PDFium reader takes a page's character codes from its text in one call: on every
    page, code for code what PDFium gives character by character (surrogates of letters
    beyond the BMP, U+0002 for a line-end hyphen, the spaces it generates)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    from actionplan.extract.readers.pdfium import PDFIUM_HYPHEN, _codes_in_one_call

    document = pdfium.PdfDocument(str(pdf))
    seen = set()
    try:
        for page in document:
            text = page.get_textpage()
            count = raw.FPDFText_CountChars(text.raw)
            each = [raw.FPDFText_GetUnicode(text.raw, i) for i in range(count)]
            assert _codes_in_one_call(text.raw, count) == each, page
            seen.update(each)
            text.close()
            page.close()
    finally:
        document.close()
    if pdf.stem == "letters-beyond-the-bmp":
        assert {0xD835, 0xDC00, PDFIUM_HYPHEN} <= seen
    if pdf.stem == "appendix-a-2024-html":
        assert PDFIUM_HYPHEN in seen


# ---- a line-end hyphen PDFium hides: its text page reports U+0002 for a "-" or U+00AD that
# ends a line; where the font maps both, the reader reads the character from the stream.


def _line(y: int, text: bytes, font: bytes = b"/F1") -> bytes:
    return b"BT %s 10 Tf 72 %d Td (%s) Tj ET\n" % (font, y, text)


# Line ends with a soft hyphen (0xAD) and with a real one, in the page and in a form, among
# what a content stream may hold that makes no text object or must be read past: empty
# strings, a string with nested parentheses and escapes, an inline image whose data looks
# like operators, a font set inside q/Q, numbers and names in a TJ array.
HYPHEN_PAGE = (_line(740, b"the continu\xad") + _line(726, b"ous work of co-") + _line(712, b"designed plans")
               + b"BT /F1 10 Tf 72 698 Td () Tj [()] TJ [(a \\(nested\\) \\050b\\051 and (c) im\xad)] TJ ET\n"
               + _line(684, b"provement (here)")
               + b"q BI /W 2 /H 1 /BPC 8 /CS /G ID \x28\x29 EI Q\n"
               + b"q " + _line(670, b"set in q: re-", b"/F2") + b"Q " + _line(656, b"solved, then ad\xad")
               + b"BT 72 642 Td (ministered) Tj ET\n"
               + b"BT /F1 10 Tf 72 628 Td [(long) -250 (-) 30 (term and man\xad)] TJ ET\n" + _line(614, b"aged")
               + b"/X0 Do\n" + _line(560, b"after the form"))
HYPHEN_FORM = _line(600, b"in a form: sus\xad") + _line(586, b"tained and well-") + _line(572, b"being")


def test_the_pdfium_reader_reads_which_hyphen_ends_a_line_where_the_font_maps_both(tmp_path):
    pdf = tmp_path / "hyphens.pdf"
    pdf.write_bytes(hyphens_pdf(HYPHEN_PAGE, HYPHEN_FORM))
    mine, theirs = PdfiumReader(pdf, None), PdfplumberReader(pdf, None)
    try:
        got, want = mine.read(1), theirs.read(1)
    finally:
        mine.close()
        theirs.close()
    text = "".join(g.text for g in got.glyphs)
    for printed in ("continu\u00ad", "co-", "im\u00ad", "re-", "ad\u00ad", "man\u00ad", "sus\u00ad", "well-"):
        assert printed in text, printed
    assert text == "".join(g.text for g in want.glyphs)
