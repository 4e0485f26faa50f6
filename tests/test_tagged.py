"""Tagged PDFs (issue #16): rows, cells and paragraphs from the structure tree, cross-checked
with the layout reading.

The tagged samples (samples/tagged/, built by samples/build/tagged.py) are held to their
source field for field by tests/test_sweep.py; here: each is read ``tagged`` on every page
with no disagreement, its untagged twin (the same file with the structure tree removed)
gives the same tables, and damaged trees -- made with pikepdf from the tagged sample: a TD
moved to the wrong TR, a page whose marked content is stripped, two TRs swapped in the
tree -- are each caught (a note naming the problem, the pages concerned read from their
layout) while the tables stay right.
"""

from __future__ import annotations

import json

import pikepdf
import pyarrow.parquet as pq
import pytest

from actionplan.cli import main
from compare import compare_all
from conftest import SAMPLES
from expected import load_expected

TAGGED = SAMPLES / "tagged"
# samples/tagged/<name>/<name>.pdf, and the tagged twins of the column-set samples (#12):
# samples/<sample>/<sample>-tagged.pdf beside rendering-tagged.json.
TAGGED_PDFS = {p.name: p / f"{p.name}.pdf" for p in TAGGED.iterdir() if (p / "rendering.json").exists()}
TAGGED_PDFS |= {f"{r.parent.name}-tagged": r.parent / f"{r.parent.name}-tagged.pdf"
                for r in SAMPLES.glob("*/rendering-tagged.json")}
NAMES = sorted(TAGGED_PDFS)
# A small Word sample for damage: three rows over two pages, a row broken across the pages.
DAMAGE_SAMPLE = TAGGED / "portrait-narrow-tagged"
DAMAGE_PDF = DAMAGE_SAMPLE / "portrait-narrow-tagged.pdf"
TABLES = ("characteristics", "actions", "themes", "heatmap")


def extract(tmp_path, pdf, *options):
    out = tmp_path / f"out-{pdf.stem}-{len(list(tmp_path.iterdir()))}"
    code = main(["extract", str(pdf), "--out", str(out), "--quiet", *options])
    manifest = json.loads((out / "manifest.json").read_text())
    return code, out, manifest


def readings(manifest) -> dict[int, str]:
    return {p["page"]: p["reading"] for p in manifest["reading"]["pages"]}


def tables_of(out) -> dict[str, list[dict]]:
    return {name: pq.read_table(out / f"{name}.parquet").drop_columns(["revision"]).to_pylist()
            for name in TABLES}


@pytest.mark.parametrize("name", NAMES)
def test_tagged_sample_is_read_from_its_tree_on_every_page(name, tmp_path):
    pdf = TAGGED_PDFS[name]
    code, out, manifest = extract(tmp_path, pdf)
    assert manifest["reading"]["tree"] is True
    assert set(readings(manifest).values()) == {"tagged"}
    assert manifest["reading"]["notes"] == []
    assert not compare_all(out, load_expected(pdf.parent / "source.json")).wrong


def _untagged_twin(pdf, target):
    """The same PDF without its structure tree (the marks in the content stay, meaningless)."""
    with pikepdf.open(pdf) as document:
        del document.Root["/StructTreeRoot"]
        if "/MarkInfo" in document.Root:
            del document.Root["/MarkInfo"]
        document.save(target)
    return target


@pytest.mark.parametrize("name", ["html-2024-tagged", "portrait-narrow-tagged", "other-council-columns-tagged"])
def test_untagged_twin_gives_the_same_tables(name, tmp_path):
    pdf = TAGGED_PDFS[name]
    twin = _untagged_twin(pdf, tmp_path / f"{name}-untagged.pdf")
    _, tagged_out, tagged_manifest = extract(tmp_path, pdf)
    _, twin_out, twin_manifest = extract(tmp_path, twin)
    assert twin_manifest["reading"]["tree"] is False
    assert set(readings(twin_manifest).values()) == {"layout"}
    assert tables_of(tagged_out) == tables_of(twin_out)


def test_reading_layout_ignores_the_tree_and_tagged_refuses_an_untagged_pdf(tmp_path, capsys):
    _, _, manifest = extract(tmp_path, DAMAGE_PDF, "--reading", "layout")
    assert set(readings(manifest).values()) == {"layout"}
    twin = _untagged_twin(DAMAGE_PDF, tmp_path / "twin.pdf")
    code = main(["extract", str(twin), "--out", str(tmp_path / "refused"), "--quiet", "--reading", "tagged"])
    assert code == 2
    assert "not tagged" in capsys.readouterr().err


# --------------------------------------------------------------------------- damaged trees


def _plan_table(document):
    """The structure element of the table with the most rows, and its TR children."""
    best = None
    stack = [document.Root.StructTreeRoot]
    while stack:
        node = stack.pop()
        kids = node.get("/K")
        kids = list(kids) if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []
        if node.get("/S") == "/Table":
            rows = [k for k in kids if isinstance(k, pikepdf.Dictionary) and k.get("/S") == "/TR"]
            if best is None or len(rows) > len(best[1]):
                best = (node, rows)
        stack += [k for k in kids if isinstance(k, pikepdf.Dictionary) and "/S" in k]
    return best


def _cells(tr):
    return [k for k in tr.K if isinstance(k, pikepdf.Dictionary) and k.get("/S") in ("/TD", "/TH")]


def _body_rows(rows):
    """TRs of characteristic rows: five cells, not the header (TH)."""
    return [tr for tr in rows if len(_cells(tr)) == 5 and _cells(tr)[0].get("/S") == "/TD"]


def test_a_td_moved_to_the_wrong_tr_is_caught(tmp_path):
    damaged = tmp_path / "td-moved.pdf"
    with pikepdf.open(DAMAGE_PDF) as document:
        _, rows = _plan_table(document)
        first, second = _body_rows(rows)[:2]
        moved = _cells(first)[2]  # the opportunity cell of the first row goes to the second
        first.K = pikepdf.Array([k for k in first.K if k.objgen != moved.objgen])
        second.K = pikepdf.Array(list(second.K) + [moved])
        moved.P = second
        document.save(damaged)
    _, out, manifest = extract(tmp_path, damaged)
    notes = manifest["reading"]["notes"]
    assert any("spans 4 columns, the header 5" in n for n in notes), notes
    assert any("spans 6 columns, the header 5" in n for n in notes), notes
    assert "tagged" != readings(manifest)[1]  # page 1's rows fall back to their layout
    assert not compare_all(out, load_expected(DAMAGE_SAMPLE / "source.json")).wrong
    issues = pq.read_table(out / "issues.parquet").to_pylist()
    assert any(i["message"].startswith("reading: ") for i in issues)


def _strip_marks(document, page):
    """The page's content without marked-content operators: its text is no longer tagged."""
    ops = [(operands, op) for operands, op in pikepdf.parse_content_stream(page)
           if str(op) not in ("BDC", "BMC", "EMC")]
    page.Contents = document.make_stream(pikepdf.unparse_content_stream(ops))


def test_an_untagged_page_is_read_from_its_layout(tmp_path):
    damaged = tmp_path / "untagged-page.pdf"
    with pikepdf.open(DAMAGE_PDF) as document:
        _strip_marks(document, document.pages[1])
        document.save(damaged)
    _, out, manifest = extract(tmp_path, damaged)
    notes = manifest["reading"]["notes"]
    assert any(n.startswith("page 2 is not tagged") for n in notes), notes
    pages = readings(manifest)
    assert pages[2] == "layout" and pages[1] in ("tagged", "mixed")
    assert not compare_all(out, load_expected(DAMAGE_SAMPLE / "source.json")).wrong


def test_tags_out_of_reading_order_are_caught(tmp_path):
    damaged = tmp_path / "out-of-order.pdf"
    with pikepdf.open(DAMAGE_PDF) as document:
        table, rows = _plan_table(document)
        body = _body_rows(rows)
        a, b = body[0], body[1]
        kids = list(table.K)
        i, j = [n for n, k in enumerate(kids) if k.objgen in (a.objgen, b.objgen)]
        kids[i], kids[j] = kids[j], kids[i]
        table.K = pikepdf.Array(kids)
        document.save(damaged)
    _, out, manifest = extract(tmp_path, damaged)
    notes = manifest["reading"]["notes"]
    assert any("out of reading order" in n for n in notes), notes
    assert readings(manifest)[1] != "tagged"
    assert not compare_all(out, load_expected(DAMAGE_SAMPLE / "source.json")).wrong


def _mark_as_artifact(document, page, mcid):
    """The marked-content sequence ``mcid`` of the page re-marked as an Artifact: a wrong tag."""
    ops = []
    for operands, op in pikepdf.parse_content_stream(page):
        if str(op) == "BDC" and isinstance(operands[1], pikepdf.Dictionary) \
                and operands[1].get("/MCID") == mcid:
            operands = [pikepdf.Name.Artifact, pikepdf.Dictionary()]
        ops.append((operands, op))
    page.Contents = document.make_stream(pikepdf.unparse_content_stream(ops))


def test_cell_text_wrongly_marked_as_an_artifact_is_caught(tmp_path):
    import pdfplumber

    with pdfplumber.open(DAMAGE_PDF) as pdf:  # a word of a characteristic's description
        word = next(c for c in pdf.pages[0].chars if c["text"] == "d" and c.get("mcid") is not None
                    and c["top"] > pdf.pages[0].height / 3)
    damaged = tmp_path / "artifact.pdf"
    with pikepdf.open(DAMAGE_PDF) as document:
        _mark_as_artifact(document, document.pages[0], word["mcid"])
        document.save(damaged)
    _, out, manifest = extract(tmp_path, damaged)
    notes = manifest["reading"]["notes"]
    assert any("text marked Artifact inside a row" in n for n in notes), notes
    assert readings(manifest)[1] != "tagged"
    assert not compare_all(out, load_expected(DAMAGE_SAMPLE / "source.json")).wrong
