"""Extractors behind one small interface: ``layouts_for(backend, pdf, password, progress, budget)``
returns one PageLayout per page. A backend names the page reader of text-layer pages
(extract/readers/) and where cell boxes (rules) come from.

- ``pdfium``: words, rules and fills from the PDF's own text and drawing, read by PDFium.
- ``pdfplumber``: the same read by pdfplumber (pdfminer.six): slower, the reference the
  PDFium reader is tested against (tests/test_readers.py).
- ``camelot``: cell boxes found by camelot's lattice parser, which detects ruling lines in
  the rendered page image -- what a scanned plan, with no vector rules, needs.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from actionplan.errors import InputError
from actionplan.extract.pages import PageLayout, Rule
from actionplan.extract.readers import DEFAULT_READER
from actionplan.extract.scheduler import PageBudget, read_pages
from actionplan.progress import Progress

BACKENDS = ("pdfium", "pdfplumber", "camelot")
DEFAULT_BACKEND = "pdfium"
# The page reader of text-layer pages for each backend; camelot replaces only the rules.
BACKEND_READERS = {"pdfium": "pdfium", "pdfplumber": "pdfplumber", "camelot": DEFAULT_READER}


def layouts_for(backend: str, pdf: Path, password: str | None, progress: Progress | None = None,
                budget: PageBudget | None = None, pages=None, ocr: str = "never") -> list[PageLayout]:
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    layouts = read_pages(pdf, password, reader=BACKEND_READERS[backend], progress=progress, budget=budget,
                         pages=pages, ocr=ocr)
    if backend == "camelot":
        # An OCR'd page's rules already come from its image (readers/grid.py).
        layouts = [p if p.ocr else replace(p, rules=tuple(_camelot_rules(pdf, password, p)))
                   for p in layouts]
    return layouts


def _camelot_rules(pdf: Path, password: str | None, page: PageLayout) -> list[Rule]:
    camelot = _import_camelot()
    tables = camelot.read_pdf(str(pdf), pages=str(page.number), flavor="lattice",
                              password=password or None)
    rules = []
    for table in tables:
        for row in table.cells:
            for cell in row:
                # camelot's origin is bottom-left; ours is top-left (schema/records.py).
                top, bottom = page.height - cell.y2, page.height - cell.y1
                if cell.left:
                    rules.append(Rule(cell.x1, top, cell.x1, bottom))
                if cell.top:
                    rules.append(Rule(cell.x1, top, cell.x2, top))
    return rules


def _import_camelot():
    try:
        import camelot  # imported lazily: an optional extra with heavy dependencies
    except ImportError:
        raise InputError(
            "the camelot backend needs the 'camelot' extra: pip install 'actionplan[camelot]'"
        ) from None
    return camelot
