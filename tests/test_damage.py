"""Damaged copies of the 2024 plan, made as real PDFs with pikepdf: each damage must be
reported -- the ids of the rows lost and the pages concerned named in issues, a failed check,
status partial, and exit code 1 under --strict. Turned pages must read as the original.

Which ids a damage loses is worked out from the source (source.json) and the damaged PDF's
own text (pdfplumber), never from the pipeline's output on the clean file.
"""

from __future__ import annotations

import json
import re
import zlib

import pdfplumber
import pikepdf
import pyarrow.parquet as pq
import pytest

from actionplan.cli import main
from compare import compare
from conftest import SAMPLES
from expected import load_expected

PLAN = SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf"
SOURCE = SAMPLES / "appendix-a-2024" / "source.json"
ANCHOR = re.compile(r"^((?:PCE|SD|CI|L|G|C|R)\d{3}):$")
DAMAGED_PAGE = 12  # any page in the middle of the plan that starts rows


def source_ids() -> list[str]:
    source = json.loads(SOURCE.read_text(encoding="utf-8"))
    return [row["element_id"] for theme in source["themes"] for row in theme["rows"]]


def anchors_on(pdf, page_number: int) -> set[str]:
    """Ids printed as "CI001:" at the start of a line of the page, read by pdfplumber."""
    with pdfplumber.open(pdf) as document:
        lines = document.pages[page_number - 1].extract_text_lines()
    found = set()
    for line in lines:
        for token in line["text"].split():
            match = ANCHOR.match(token)
            if match:
                found.add(match.group(1))
    return found


def run_strict(capsys, pdf, out):
    code = main(["extract", str(pdf), "--out", str(out), "--strict", "--quiet"])
    capsys.readouterr()
    manifest = json.loads((out / "manifest.json").read_text())
    issues = pq.read_table(out / "issues.parquet").to_pylist()
    ids = {r["element_id"] for r in pq.read_table(out / "characteristics.parquet").to_pylist()}
    return code, manifest, issues, ids


def failed_checks(manifest) -> set[str]:
    return {c["name"] for c in manifest["checks"] if not c["passed"]}


def assert_lost_rows_reported(code, manifest, issues, got_ids):
    lost = [i for i in source_ids() if i not in got_ids]
    assert lost, "the damage should lose rows"
    messages = " ".join(i["message"] for i in issues)
    for element_id in lost:
        assert element_id in messages, f"{element_id} lost without an issue naming it"
    assert code == 1
    assert manifest["status"] == "partial"
    assert {"heatmap_has_every_row", "ids_in_sequence"} & failed_checks(manifest)
    return lost


def _edit(tmp_path, name, change) -> object:
    out = tmp_path / f"{name}.pdf"
    with pikepdf.open(PLAN) as pdf:
        change(pdf)
        pdf.save(out)
    return out


def test_a_missing_page_names_its_rows(tmp_path, capsys):
    on_page = anchors_on(PLAN, DAMAGED_PAGE)
    damaged = _edit(tmp_path, "page-removed", lambda pdf: pdf.pages.remove(p=DAMAGED_PAGE))
    code, manifest, issues, ids = run_strict(capsys, damaged, tmp_path / "out")
    lost = assert_lost_rows_reported(code, manifest, issues, ids)
    assert set(lost) == on_page


def _page_content(pdf, number) -> bytes:
    return pdf.pages[number - 1].Contents.read_bytes()


def _replace_content(pdf, number, data: bytes) -> None:
    page = pdf.pages[number - 1]
    page.Contents = pdf.make_stream(data)


def test_a_truncated_content_stream_names_its_rows(tmp_path, capsys):
    def truncate(pdf):
        data = _page_content(pdf, DAMAGED_PAGE)
        _replace_content(pdf, DAMAGED_PAGE, data[: len(data) // 3])

    damaged = _edit(tmp_path, "truncated", truncate)
    code, manifest, issues, ids = run_strict(capsys, damaged, tmp_path / "out")
    assert_lost_rows_reported(code, manifest, issues, ids)


def test_a_flipped_byte_in_a_compressed_stream_is_reported(tmp_path, capsys):
    def flip(pdf):
        data = zlib.compress(_page_content(pdf, DAMAGED_PAGE))
        middle = len(data) // 2
        broken = data[:middle] + bytes([data[middle] ^ 0xFF]) + data[middle + 1:]
        page = pdf.pages[DAMAGED_PAGE - 1]
        page.Contents = pikepdf.Stream(pdf, broken)
        page.Contents.Filter = pikepdf.Name.FlateDecode

    damaged = _edit(tmp_path, "flipped", flip)
    code, manifest, issues, ids = run_strict(capsys, damaged, tmp_path / "out")
    assert_lost_rows_reported(code, manifest, issues, ids)
    assert any(i["page"] == DAMAGED_PAGE or f"page {DAMAGED_PAGE}" in i["message"] for i in issues)


def _turn_page(pdf, number, matrix) -> None:
    """Draw the page's content through ``matrix`` (a cm operator) and fit the MediaBox."""
    page = pdf.pages[number - 1]
    x0, y0, x1, y1 = (float(v) for v in page.MediaBox)
    width, height = x1 - x0, y1 - y0
    a, b, c, d = matrix
    e = (width if a < 0 else 0) + (height if c < 0 else 0)
    f = (height if d < 0 else 0) + (width if b < 0 else 0)
    data = b"q %g %g %g %g %g %g cm\n" % (a, b, c, d, e, f) + _page_content(pdf, number) + b"\nQ"
    _replace_content(pdf, number, data)
    if b:  # a quarter turn swaps the page's sides
        page.MediaBox = [0, 0, height, width]


@pytest.mark.parametrize("name,matrix", [
    ("quarter-turn", (0, 1, -1, 0)), ("three-quarter-turn", (0, -1, 1, 0)), ("half-turn", (-1, 0, 0, -1)),
])
def test_a_page_drawn_turned_reads_as_the_original(tmp_path, capsys, name, matrix):
    damaged = _edit(tmp_path, name, lambda pdf: _turn_page(pdf, DAMAGED_PAGE, matrix))
    out = tmp_path / "out"
    code, manifest, issues, ids = run_strict(capsys, damaged, out)
    result = compare(out, load_expected(SOURCE))
    assert not result.wrong, "\n".join(result.examples[:10])
    assert not failed_checks(manifest)


def test_a_page_drawn_mirrored_is_reported(tmp_path, capsys):
    damaged = _edit(tmp_path, "mirrored", lambda pdf: _turn_page(pdf, DAMAGED_PAGE, (-1, 0, 0, 1)))
    code, manifest, issues, ids = run_strict(capsys, damaged, tmp_path / "out")
    assert code == 1
    assert "text_reads_upright" in failed_checks(manifest)
    assert any(i["page"] == DAMAGED_PAGE and "mirrored" in i["message"] for i in issues)
    assert_lost_rows_reported(code, manifest, issues, ids)


def _first_gap_below_header(pdf_path):
    """A page whose characteristic column is empty for two lines below the header row, and
    where that is: (page number, x, top). Read with pdfplumber."""
    with pdfplumber.open(pdf_path) as pdf:
        for page in pdf.pages[1:]:
            words = page.extract_words()
            label = next((w for w in words if w["text"] == "guidance)"), None)
            start = next((w for w in words if w["text"] == "Characteristic"), None)
            if not label or not start:
                continue
            top = label["bottom"] + 4
            column = (start["x0"] - 2, label["x1"] + 40)
            below = [w for w in words if column[0] <= w["x0"] <= column[1] and top - 2 <= w["top"] <= top + 22]
            if not below:
                return page.page_number, start["x0"], top
    raise AssertionError("no page with room under the header")


def test_a_body_word_under_the_header_stays_body_text(tmp_path, capsys):
    number, x, top = _first_gap_below_header(PLAN)

    def insert(pdf):
        page = pdf.pages[number - 1]
        height = float(page.MediaBox[3]) - float(page.MediaBox[1])
        font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                    BaseFont=pikepdf.Name.Helvetica))
        page.Resources.Font[pikepdf.Name("/FDamage")] = font
        text = b"BT /FDamage 9 Tf 1 0 0 1 %.2f %.2f Tm (Guidance,) Tj ET\n" % (x, height - top - 7)
        _replace_content(pdf, number, _page_content(pdf, number) + b"\n" + text)

    damaged = _edit(tmp_path, "guidance", insert)
    out = tmp_path / "out"
    main(["extract", str(damaged), "--out", str(out), "--quiet"])
    capsys.readouterr()
    descriptions = [r["description"] for r in pq.read_table(out / "characteristics.parquet").to_pylist()]
    printed = sum(c["description"].count("Guidance,") for c in load_expected(SOURCE).characteristics)
    assert sum(d.count("Guidance,") for d in descriptions) == printed + 1
    header_lines = [d["text"] for d in pq.read_table(out / "dropped.parquet").to_pylist()
                    if d["reason"] == "header_row" and d["page"] == number]
    assert header_lines and not any("Guidance," in t for t in header_lines)
    assert json.loads((out / "manifest.json").read_text())["conservation"]["unaccounted"] == 0
