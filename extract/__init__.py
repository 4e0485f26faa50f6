"""PDF -> positioned cells: theme sections, characteristic rows and action bands.

``read_plan`` is the one entry point; backends supply the page layouts (words, fills,
rules). PDFium (pypdfium2) is the default reader, pdfplumber the reference one; camelot is
optional (``pip install 'actionplan[camelot]'``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from actionplan.extract.backends import BACKENDS, DEFAULT_BACKEND, layouts_for
from actionplan.extract.colour import FillFinder
from actionplan.extract.pages import check_is_pdf
from actionplan.extract.scheduler import PageBudget, count_pages
from actionplan.extract.steps import extract_plan
from actionplan.extract.structure import read_tree
from actionplan.errors import InputError
from actionplan.progress import Progress
from actionplan.schema.plan import PlanVocabulary
from actionplan.schema.records import ExtractedPlan


def read_plan(pdf: Path, vocab: PlanVocabulary, password: str | None = None,
              backend: str = DEFAULT_BACKEND, progress: Progress | None = None,
              budget: PageBudget | None = None, on_step=None, pages=None,
              ocr: str = "never", reading: str = "auto") -> ExtractedPlan:
    """``ocr``: auto | always | never (extract/scheduler.py); ``reading``: auto | tagged |
    layout (extract/tagged.py)."""
    check_is_pdf(pdf)
    tree = None if reading == "layout" else read_tree(pdf, password)
    if reading == "tagged" and tree is None:
        raise InputError(f"{pdf}: --reading tagged: the PDF is not tagged (it has no structure tree)")
    layouts = layouts_for(backend, pdf, password, progress, budget, pages, ocr=ocr)
    fills = FillFinder(layouts, str(pdf), password)
    total = count_pages(pdf, password) if pages else len(layouts)
    plan = extract_plan(pdf, layouts, vocab, backend=backend, fills=fills, on_step=on_step, page_count=total,
                        tree=tree, reading=reading)
    return replace(plan, ocr_pages=tuple(p.ocr for p in layouts if p.ocr is not None))


__all__ = ["BACKENDS", "PageBudget", "read_plan"]
