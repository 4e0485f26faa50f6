"""Page readers, by name. Each implements ``readers.base.PageReader``; ``extract/layout.py``
turns what any of them reads into the same ``PageLayout``.

- ``pdfium``: the PDF's own text layer and drawing, read by PDFium (readers/pdfium.py);
- ``pdfplumber``: the same, read by pdfminer.six through pdfplumber (readers/plumber.py);
- ``tesseract``: the rendered page, OCR'd, its grid found in the pixels (readers/ocr.py).
"""

from __future__ import annotations

from pathlib import Path

from actionplan.errors import InputError
from actionplan.extract.readers.base import PageReader
from actionplan.extract.readers.deferred import defer_unused_imports

defer_unused_imports()  # before any reader or the structure tree imports pdfminer

READERS = ("pdfium", "pdfplumber", "tesseract")
DEFAULT_READER = "pdfium"
OCR_READER = "tesseract"


def preload(name: str) -> None:
    """Import reader ``name``'s module and library in a process about to fork its page
    workers, so that they inherit it instead of each importing it (pypdfium2: about 0.03 s
    CPU a worker). Only the PDFium reader's: pdfplumber's and the OCR reader's libraries are
    heavy, and loaded only by a worker that reads a page with them."""
    if name == "pdfium":
        import pypdfium2  # noqa: F401

        import actionplan.extract.readers.pdfium  # noqa: F401


def open_reader(name: str, path: Path, password: str | None,
                reasons: dict[int, str] | None = None) -> PageReader:
    """``reasons``: for the OCR reader, why each page is OCR'd (recorded in the manifest)."""
    if name == "pdfium":
        from actionplan.extract.readers.pdfium import PdfiumReader

        return PdfiumReader(path, password)
    if name == "pdfplumber":
        from actionplan.extract.readers.plumber import PdfplumberReader

        return PdfplumberReader(path, password)
    if name == OCR_READER:
        from actionplan.extract.readers.ocr import OcrReader

        return OcrReader(path, password, reasons)
    raise InputError(f"unknown page reader {name!r}; choose one of {', '.join(READERS)}")
