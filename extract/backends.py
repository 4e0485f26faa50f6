"""Extractors behind one small interface: ``layouts_for(backend, pdf, password, progress, budget)``
returns one PageLayout per page. Words always come from pdfplumber's text layer; a backend
differs in where cell boxes (rules) come from.

- ``pdfplumber``: rules and fills from the PDF's own drawing operations.
- ``camelot``: cell boxes found by camelot's lattice parser, which detects ruling lines in
  the rendered page image -- what a scanned plan, with no vector rules, needs.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from actionplan.errors import InputError
from actionplan.extract.pages import PageLayout, Rule
from actionplan.extract.scheduler import PageBudget, read_pages
from actionplan.progress import Progress

BACKENDS = ("pdfplumber", "camelot")


def layouts_for(backend: str, pdf: Path, password: str | None, progress: Progress | None = None,
                budget: PageBudget | None = None, pages=None, ocr: str = "never") -> list[PageLayout]:
    if backend not in BACKENDS:
        raise InputError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")
    layouts = read_pages(pdf, password, progress=progress, budget=budget, pages=pages, ocr=ocr)
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
