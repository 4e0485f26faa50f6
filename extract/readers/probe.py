"""What each page of a PDF is made of, read cheaply (no rendering, no text extraction):
does it have text, is that text invisible, is the page one image. ``extract/scheduler.py``
chooses each page's reader from it (``--ocr``)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


# An image covering this share of the page is the page (a scan), not a picture on it.
PAGE_SIZED = 0.85
INVISIBLE = 3  # PDF text rendering mode 3: neither fill nor stroke (an OCR layer)


@dataclass(frozen=True)
class PageMakeup:
    """What a page is made of, for choosing its reader: text objects and images."""

    number: int
    text_objects: int
    invisible_text_objects: int
    image_cover: float  # the share of the page covered by its largest image

    @property
    def has_text(self) -> bool:
        return self.text_objects > 0

    @property
    def is_scan(self) -> bool:
        return self.image_cover >= PAGE_SIZED

    @property
    def text_is_ocr_layer(self) -> bool:
        """Someone else's OCR: all its text invisible, over a page-sized image."""
        return self.is_scan and self.has_text and self.invisible_text_objects == self.text_objects


class PageProber:
    """Opens the PDF with pdfium once and tells each page's makeup on demand, so the
    per-page budget of the worker that asks covers it (a page whose forms draw each other
    must not exhaust the machine before any budget applies)."""

    def __init__(self, path: Path, password: str | None):
        import pypdfium2 as pdfium

        self._pdfium = pdfium
        try:
            self._pdf = pdfium.PdfDocument(str(path), password=password or None)
        except pdfium.PdfiumError:
            self._pdf = None  # the text-layer reader reads it or reports the damage

    def makeup(self, number: int) -> PageMakeup:
        """A page pdfium cannot load is not a scan to it: it is left to the text-layer
        reader, which reads it or reports the damage (as with ``--ocr never``)."""
        import pypdfium2.raw as pdfium_c

        if self._pdf is None or number > len(self._pdf):
            return PageMakeup(number, 0, 0, 0.0)
        try:
            page = self._pdf[number - 1]
        except self._pdfium.PdfiumError:
            return PageMakeup(number, 0, 0, 0.0)
        try:
            return _makeup(number, page, pdfium_c)
        finally:
            page.close()

    def close(self) -> None:
        if self._pdf is not None:
            self._pdf.close()


def page_makeup(path: Path, password: str | None, numbers: list[int]) -> list[PageMakeup]:
    """The makeup of each page of ``numbers``, in this process (tests, tools)."""
    prober = PageProber(path, password)
    try:
        return [prober.makeup(n) for n in numbers]
    finally:
        prober.close()


def _makeup(number: int, page, pdfium_c) -> PageMakeup:
    width, height = page.get_size()
    texts = invisible = 0
    cover = 0.0
    for obj in page.get_objects(max_depth=3):
        if obj.type == pdfium_c.FPDF_PAGEOBJ_TEXT:
            texts += 1
            invisible += pdfium_c.FPDFTextObj_GetTextRenderMode(obj.raw) == INVISIBLE
        elif obj.type == pdfium_c.FPDF_PAGEOBJ_IMAGE:
            cover = max(cover, image_cover(obj.get_bounds(), width, height))
    return PageMakeup(number, texts, invisible, cover)


def image_cover(box: tuple[float, float, float, float], width: float, height: float) -> float:
    """The share of a ``width`` x ``height`` page that an image box (x0, y0, x1, y1, in
    either y direction) covers, the part off the page not counted."""
    x0, y0, x1, y1 = box
    inside = max(0.0, min(x1, width) - max(x0, 0.0)) * max(0.0, min(y1, height) - max(y0, 0.0))
    return inside / max(width * height, 1.0)
