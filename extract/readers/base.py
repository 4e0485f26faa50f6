"""The page-reader interface: what a reader must give for one page, and nothing more.

A reader turns one page of a PDF into a ``PageContent``: glyphs with their boxes and text
matrices, filled rectangles, ruling lines and image boxes, in the page's *display* frame
(the page as a viewer shows it, after ``/Rotate``), PDF points, origin top-left, ``top``
growing downwards (schema/records.py). ``extract/layout.py`` then builds the same
``PageLayout`` from any reader's content: text turned upright, words grouped, scans
deskewed. Readers differ only in the library they ask; everything after them is shared,
so two readers of one PDF give one layout.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from actionplan.schema.records import RGB

# (a, b, c, d, e, f) of the glyph's text rendering matrix in the display frame, y up (as
# pdfminer reports it): the glyph's baseline runs along (a, b), its ascent along (c, d).
Matrix = tuple[float, float, float, float, float, float]
UPRIGHT: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


# Not frozen: a reader makes one per character drawn (64,000 for a 19-page plan), and a
# frozen dataclass's __init__ costs six times a plain one's (object.__setattr__ per field).
# Nothing changes a glyph once read; dataclasses.replace makes the turned and deskewed ones.
# Slots: made and read per character, a third cheaper to make and half the memory.
@dataclass(slots=True)
class Glyph:
    """One character as a reader drew it: its box, matrix, size and marked content."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    matrix: Matrix = UPRIGHT
    size: float = 0.0
    mcid: int | None = None  # marked-content id: the glyph's place in a tagged PDF's tree
    colour: RGB | None = None  # the fill colour the glyph is painted in
    tag: str | None = None  # the marked-content tag it is drawn in (P, Span, Artifact...)
    # Which font draws it: equal for glyphs of one font within one reader's page (PDFium's
    # font handle, pdfplumber's font name); no glyph equality across readers depends on it.
    font: object = field(default=None, compare=False)


@dataclass(frozen=True)
class Box:
    """A rectangle in the page's display frame (a stroke, an image's bounds)."""

    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class FilledBox:
    """A filled rectangle and its colour, as a reader found it."""

    x0: float
    top: float
    x1: float
    bottom: float
    rgb: RGB


@dataclass(frozen=True)
class PageContent:
    """One page as a reader found it, before any interpretation."""

    number: int  # 1-based
    width: float
    height: float
    glyphs: tuple[Glyph, ...]
    fills: tuple[FilledBox, ...]  # filled rectangles (shaded cells), colour RGB 0..1
    strokes: tuple[Box, ...]  # thin rectangles and lines: candidate ruling lines
    images: tuple[Box, ...]
    # A reader that found the page's tilt itself (the OCR reader, from the scan's rules)
    # reports everything already turned upright and says by how much (degrees, as
    # ``PageLayout.skew``); layout.py then does not deskew again.
    deskewed: float = 0.0
    ocr: object | None = None  # readers/ocr.py's OcrPage when the page was OCR'd


class PageUnreadable(Exception):
    """One page the reader could not read (a damaged content stream); the others may be fine."""


class PageReader(Protocol):
    """Open once per process; ``read`` any page in any order."""

    name: str

    def page_count(self) -> int: ...

    def read(self, number: int) -> PageContent:
        """Raises PageUnreadable for a page that cannot be read."""

    def close(self) -> None: ...


class ReaderFactory(Protocol):
    def __call__(self, path: Path, password: str | None) -> PageReader: ...
