"""Read each page of a PDF once: its words, filled rectangles and ruling lines.

Pages are read in worker processes when there are enough of them to pay for a second
process; everything downstream works on the returned ``PageLayout`` records only.
"""

from __future__ import annotations

import logging
import math
import os
import statistics
import warnings
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from actionplan.errors import InputError
from actionplan.schema.records import RGB, Word

# Below this many pages a worker process costs more than it saves.
PAGES_PER_EXTRA_WORKER = 6
PDF_MAGIC = b"%PDF-"


@dataclass(frozen=True)
class Fill:
    """A filled rectangle (a shaded cell), colour as RGB in 0..1."""

    x0: float
    top: float
    x1: float
    bottom: float
    rgb: RGB


@dataclass(frozen=True)
class Rule:
    """A ruling line: vertical when x0 == x1 (within a point), else horizontal."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def vertical(self) -> bool:
        return (self.x1 - self.x0) < (self.bottom - self.top)


@dataclass(frozen=True)
class PageLayout:
    number: int
    width: float
    height: float
    words: tuple[Word, ...]
    fills: tuple[Fill, ...]
    rules: tuple[Rule, ...]
    has_images: bool
    skew: float = 0.0  # degrees the scanned page was turned (counter-clockwise); words are deskewed


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
        raise InputError(f"{path}: damaged or truncated PDF ({_describe(cause)})") from None


def _describe(cause) -> str:
    text = str(cause).strip() or type(cause).__name__
    return text.splitlines()[0][:120]


def read_pages(path: Path, password: str | None, workers: int | None = None,
               on_page=None) -> list[PageLayout]:
    """Every page's layout, in page order. ``on_page(done, total)`` follows the reading.
    A page the PDF parser cannot read makes the whole file a damaged-PDF error."""
    from pdfminer.psparser import PSException
    from pdfplumber.utils.exceptions import PdfminerException

    try:
        return _read_pages(path, password, workers, on_page)
    except (PSException, PdfminerException) as exc:
        raise InputError(f"{path}: damaged PDF, a page could not be read ({_describe(exc)})") from None


def _read_pages(path: Path, password: str | None, workers: int | None, on_page) -> list[PageLayout]:
    with open_pdf(path, password) as pdf:
        count = len(pdf.pages)
        if count == 0:
            raise InputError(f"{path}: the PDF has no pages")
        workers = _worker_count(count, workers)
        if workers == 1:
            layouts = []
            for page in pdf.pages:
                layouts.append(_layout_of(page))
                page.close()
                if on_page:
                    on_page(len(layouts), count)
            return layouts
    chunks = [list(range(i, count, workers)) for i in range(workers)]
    layouts: dict[int, PageLayout] = {}
    # This process reads the first chunk itself while the others read theirs.
    with ProcessPoolExecutor(max_workers=workers - 1) as pool:
        futures = [pool.submit(_read_chunk_quietly, str(path), password, chunk) for chunk in chunks[1:]]
        for layout in _read_chunk(str(path), password, chunks[0]):
            layouts[layout.number] = layout
            if on_page:
                on_page(len(layouts), count)
        for future in futures:
            for layout in future.result():
                layouts[layout.number] = layout
                if on_page:
                    on_page(len(layouts), count)
    return [layouts[n] for n in sorted(layouts)]


def _worker_count(pages: int, requested: int | None) -> int:
    if requested:
        return max(1, min(requested, pages))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, pages // PAGES_PER_EXTRA_WORKER))


def _read_chunk_quietly(path: str, password: str | None, numbers: list[int]) -> list[PageLayout]:
    quiet_libraries()  # a worker process: nothing of its library chatter reaches the user
    return _read_chunk(path, password, numbers)


def _read_chunk(path: str, password: str | None, numbers: list[int]) -> list[PageLayout]:
    import pdfplumber

    with pdfplumber.open(path, password=password or "") as pdf:
        out = []
        for index in numbers:
            page = pdf.pages[index]
            out.append(_layout_of(page))
            page.close()
        return out


def quiet_libraries() -> None:
    """pdfminer and friends log and warn about harmless quirks; users must not see it."""
    for name in ("pdfminer", "pdfplumber", "camelot", "PIL", "pypdfium2"):
        logging.getLogger(name).setLevel(logging.CRITICAL)
    warnings.filterwarnings("ignore")


def _layout_of(page) -> PageLayout:
    number = page.page_number
    chars = page.chars
    # Only a scan (page images under an OCR text layer) can be tilted.
    skew = _text_skew(chars) if page.images else 0.0
    if skew:
        chars = [_deskew_char(c, skew, page.width / 2, page.height / 2) for c in chars]
    from pdfplumber.utils import extract_words

    words = tuple(
        Word(w["text"], number, float(w["x0"]), float(w["top"]), float(w["x1"]), float(w["bottom"]))
        for w in extract_words(chars, keep_blank_chars=False, use_text_flow=False)
        if w["text"].strip()
    )
    fills = tuple(_fills(page))
    rules = tuple(_rules(page))
    return PageLayout(number, float(page.width), float(page.height), words, fills, rules,
                      bool(page.images), skew)


# An OCR text layer on a scan follows the paper's tilt: each line of glyphs is drawn along
# its baseline. Below this (degrees) a tilt is noise.
MIN_SKEW = 0.05


def _text_skew(chars) -> float:
    """The page's tilt, read from the text matrices of the glyphs that are drawn tilted."""
    angles = sorted(
        math.degrees(math.atan2(c["matrix"][1], c["matrix"][0]))
        for c in chars if c.get("matrix") and c["text"].strip()
    )
    tilted = [a for a in angles if MIN_SKEW < abs(a) < 5.0]
    if len(tilted) < max(10, 0.1 * len(angles)):
        return 0.0
    return statistics.median(tilted)


def rotate_point(x: float, top: float, degrees: float, cx: float, cy: float) -> tuple[float, float]:
    """Turn a point (top-left coordinates) clockwise by ``degrees`` about (cx, cy): undoes a
    counter-clockwise tilt of that size."""
    theta = math.radians(degrees)
    u, v = x - cx, cy - top  # y up
    u2 = u * math.cos(theta) + v * math.sin(theta)
    v2 = -u * math.sin(theta) + v * math.cos(theta)
    return cx + u2, cy - v2


def _deskew_char(char: dict, skew: float, cx: float, cy: float) -> dict:
    mid_x, mid_top = (char["x0"] + char["x1"]) / 2, (char["top"] + char["bottom"]) / 2
    new_x, new_top = rotate_point(mid_x, mid_top, skew, cx, cy)
    dx, dy = new_x - mid_x, new_top - mid_top
    moved = dict(char)
    moved.update(x0=char["x0"] + dx, x1=char["x1"] + dx, top=char["top"] + dy,
                 bottom=char["bottom"] + dy, doctop=char["doctop"] + dy, upright=True)
    return moved


def _fills(page):
    for rect in page.rects:
        if not rect.get("fill"):
            continue
        rgb = to_rgb(rect.get("non_stroking_color"))
        if rgb is None:
            continue
        yield Fill(float(rect["x0"]), float(rect["top"]), float(rect["x1"]), float(rect["bottom"]), rgb)


def _rules(page):
    # Thin rectangles are how Word and LibreOffice draw cell borders; lines are the rest.
    for rect in page.rects:
        w, h = rect["x1"] - rect["x0"], rect["bottom"] - rect["top"]
        if min(w, h) <= 2.0 and max(w, h) > 4.0:
            yield Rule(float(rect["x0"]), float(rect["top"]), float(rect["x1"]), float(rect["bottom"]))
    for line in page.lines:
        yield Rule(float(line["x0"]), float(line["top"]), float(line["x1"]), float(line["bottom"]))


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
