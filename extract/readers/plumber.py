"""The pdfplumber (pdfminer.six) page reader."""

from __future__ import annotations

from pathlib import Path

from actionplan.errors import InputError
from actionplan.extract.readers.base import Box, FilledBox, Glyph, PageContent, PageUnreadable
from actionplan.schema.records import RGB


class PdfplumberReader:
    name = "pdfplumber"

    def __init__(self, path: Path, password: str | None):
        self._pdf = open_pdf(path, password)

    def page_count(self) -> int:
        return len(self._pdf.pages)

    def read(self, number: int) -> PageContent:
        from pdfminer.psparser import PSException
        from pdfplumber.utils.exceptions import PdfminerException

        try:
            return self._read(number)
        except (PSException, PdfminerException) as exc:
            raise PageUnreadable(describe(exc)) from None

    def _read(self, number: int) -> PageContent:
        page = self._pdf.pages[number - 1]
        try:
            return PageContent(
                number=number,
                width=float(page.width),
                height=float(page.height),
                glyphs=tuple(_glyph(c) for c in page.chars),
                fills=tuple(_fills(page)),
                strokes=tuple(_strokes(page)),
                images=tuple(Box(float(i["x0"]), float(i["top"]), float(i["x1"]), float(i["bottom"]))
                             for i in page.images),
            )
        finally:
            page.close()

    def close(self) -> None:
        self._pdf.close()


def open_pdf(path: Path, password: str | None):
    """pdfplumber.open with the failures a user can cause turned into one-line errors."""
    import pdfplumber
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    try:
        pdf = pdfplumber.open(path, password=password or "")
        _ = pdf.pages  # forces the page tree: damaged files fail here, not later
        return pdf
    except Exception as exc:  # pdfplumber wraps pdfminer's errors in its own type
        cause = exc.__cause__ or (exc.args[0] if exc.args else exc)
        if isinstance(cause, PDFPasswordIncorrect) or isinstance(exc, PDFPasswordIncorrect):
            if password:
                raise InputError(f"{path}: encrypted PDF and the --password given is wrong") from None
            raise InputError(f"{path}: encrypted PDF: pass its password with --password PW") from None
        raise InputError(f"{path}: damaged or truncated PDF ({describe(cause)})") from None


def describe(cause) -> str:
    text = str(cause).strip() or type(cause).__name__
    return text.splitlines()[0][:120]


def _glyph(char: dict) -> Glyph:
    matrix = char.get("matrix") or (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return Glyph(
        text=char["text"],
        x0=float(char["x0"]), top=float(char["top"]), x1=float(char["x1"]), bottom=float(char["bottom"]),
        matrix=tuple(float(v) for v in matrix),
        size=float(char.get("size") or 0.0),
        mcid=char.get("mcid"),
        tag=char.get("tag"),
        colour=to_rgb(char.get("non_stroking_color")),
        font=char.get("fontname"),
    )


def _fills(page):
    for rect in page.rects:
        if not rect.get("fill"):
            continue
        rgb = to_rgb(rect.get("non_stroking_color"))
        if rgb is None:
            continue
        yield FilledBox(float(rect["x0"]), float(rect["top"]), float(rect["x1"]), float(rect["bottom"]), rgb)


def _strokes(page):
    for obj in list(page.rects) + list(page.lines):
        yield Box(float(obj["x0"]), float(obj["top"]), float(obj["x1"]), float(obj["bottom"]))


def to_rgb(colour) -> RGB | None:
    """pdfplumber colours are grey (1 value), RGB (3) or CMYK (4); patterns are strings."""
    if colour is None or isinstance(colour, str):
        return None
    values = tuple(float(v) for v in colour) if isinstance(colour, (tuple, list)) else (float(colour),)
    if any(not 0.0 <= v <= 1.0 for v in values):
        return None
    if len(values) == 1:
        return (values[0],) * 3
    if len(values) == 3:
        return values  # type: ignore[return-value]
    if len(values) == 4:
        c, m, y, k = values
        return ((1 - c) * (1 - k), (1 - m) * (1 - k), (1 - y) * (1 - k))
    return None
