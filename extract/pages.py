"""The page layout record every extract step reads, and the cheap checks made before a PDF
is opened. Reading happens in ``extract/scheduler.py`` (which pages, which processes) through
a reader of ``extract/readers/`` and ``extract/layout.py`` (glyphs -> upright words)."""

from __future__ import annotations

import logging
import math
import re
import warnings
from dataclasses import dataclass
from pathlib import Path

from actionplan.errors import InputError
from actionplan.extract.readers.base import Box
from actionplan.schema.records import RGB, Word

PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True, slots=True)
class Fill:
    """A filled rectangle (a shaded cell), colour as RGB in 0..1."""

    x0: float
    top: float
    x1: float
    bottom: float
    rgb: RGB


@dataclass(frozen=True, slots=True)
class Rule:
    """A ruling line: vertical when it is taller than it is wide."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def vertical(self) -> bool:
        return (self.x1 - self.x0) < (self.bottom - self.top)


@dataclass(frozen=True)
class PageLayout:
    """One page, upright: ``width``/``height`` and every box are in the frame in which the
    page's text reads left to right (``rotation`` degrees clockwise from how it is drawn)."""

    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    fills: tuple[Fill, ...]
    rules: tuple[Rule, ...]
    images: tuple[Box, ...] = ()
    skew: float = 0.0  # degrees the scanned page was turned (counter-clockwise); words are deskewed
    rotation: int = 0  # 0, 90, 180 or 270: how far the page was turned to read it upright
    error: str | None = None  # why the page could not be read (it then holds nothing)
    ocr: object | None = None  # readers/ocr.py's OcrPage when the page's words came from OCR

    @property
    def has_images(self) -> bool:
        return bool(self.images)


@dataclass(frozen=True)
class PageSelection:
    """Pages to read, as ``--pages`` gives them: "5-25", "1,3,5-7", "3-end" (1-based, as
    camelot's and pdfplumber's users write them)."""

    text: str

    @classmethod
    def all(cls) -> "PageSelection":
        return cls("1-end")

    @classmethod
    def parse(cls, text: str) -> "PageSelection":
        selection = cls(text.strip())
        selection.ranges(10**9)  # the syntax is checked before any PDF is opened
        return selection

    def ranges(self, total: int) -> list[tuple[int, int]]:
        found = []
        for part in self.text.replace(" ", "").split(","):
            match = re.fullmatch(r"(\d+)(?:-(\d+|end)?)?", part)
            if not match:
                raise InputError(f"--pages {self.text!r}: {part!r} is not a page number or range "
                                 "(examples: 5-25, 1,3,5-7, 3-end)")
            first = int(match.group(1))
            last = first if match.group(2) is None and "-" not in part else (
                total if match.group(2) in (None, "end") else int(match.group(2)))
            if first < 1 or last < first:
                raise InputError(f"--pages {self.text!r}: {part!r} is not a range of pages from 1")
            found.append((first, last))
        return found

    def numbers(self, total: int, path: Path) -> list[int]:
        numbers = sorted({n for first, last in self.ranges(total) for n in range(first, min(last, total) + 1)})
        if not numbers:
            raise InputError(f"{path}: --pages {self.text} selects none of its {total} pages")
        return numbers


def check_is_pdf(path: Path) -> None:
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a PDF file")
    size = path.stat().st_size
    if size == 0:
        raise InputError(f"{path}: the file is empty")
    with path.open("rb") as fh:
        head = fh.read(1024)
    if PDF_MAGIC not in head:
        raise InputError(f"{path}: not a PDF (no '%PDF-' header)")


def quiet_libraries() -> None:
    """pdfminer and friends log and warn about harmless quirks; users must not see it."""
    for name in ("pdfminer", "pdfplumber", "camelot", "PIL", "pypdfium2"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore")


def rotate_point(x: float, top: float, degrees: float, cx: float, cy: float) -> tuple[float, float]:
    """Turn a point (top-left coordinates) clockwise by ``degrees`` about (cx, cy): undoes a
    counter-clockwise tilt of that size."""
    theta = math.radians(degrees)
    u, v = x - cx, cy - top  # y up
    u2 = u * math.cos(theta) + v * math.sin(theta)
    v2 = -u * math.sin(theta) + v * math.cos(theta)
    return cx + u2, cy - v2
