"""The OCR page reader: a scanned page rendered, its grid found in the pixels, its words read
by tesseract in-process (tesserocr), returned as an ordinary ``PageContent``.

For each page:
  1. render it with pypdfium2 at the scan's own resolution (at least ``MIN_DPI``);
  2. find the grid in the image (``grid.py``): tilt, ruling lines, shaded cells; the page is
     turned upright from the tilt of its rules, not of its text;
  3. prepare the image tesseract reads: every shaded cell stretched between its own ink and
     fill levels (a dark or grey shading would otherwise swallow the words printed on it),
     and the rules painted out (so they are not read as "|");
  4. read cell by cell where the grid is known (a cell's words never run into its
     neighbour's), the rest of the page as blocks of text;
  5. a cell's first word shaped like an element id but not one is read again with the id
     alphabet only; a lone "|", "l", "I" at a rule's position is dropped -- both reported
     in ``OcrPage.corrections``;
  6. words, rules and fills go out in page points, deskewed; glyphs carry whole words,
     separated by space glyphs, so ``layout.py`` groups them as tesseract did.

One tesseract API object per process serves every page (initialising one costs ~0.3 s).
"""

from __future__ import annotations

import glob
import os
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from actionplan.errors import InputError
from actionplan.extract.readers.base import Box, FilledBox, Glyph, PageContent, PageUnreadable
from actionplan.extract.readers.grid import Grid, PixelBox, find_grid
from actionplan.schema.ids import PREFIXES, STRICT_ID, TOLERANT_ID, readings

# Scans below this are rendered up to it: tesseract reads 9 pt type poorly under ~200 dpi.
MIN_DPI = 200
MAX_DPI = 400
DEFAULT_DPI = 300  # a page whose image resolution cannot be read
LANGUAGE = "eng"
OEM = 1  # LSTM only
PSM_BLOCK = 6  # a cell: one block of text
PSM_LINE = 7  # a cell one line high
PSM_AUTO = 3  # a page-wide region: tesseract finds its own columns
# White margin round every region read, in type heights.
MARGIN = 1.0
# One-line cells (element ids in the heatmap) are read enlarged this many times: ids have
# no dictionary to lean on, and tesseract tells 0 from O better when the glyphs are big.
LINE_SCALE = 3
# Characters a ruling line is read as: alone, or glued to the word beside it.
RULE_EDGE = "|[]{}"
RULE_READINGS = re.compile(r"^[|lI!\[\]1/()'‘’\",.:;]+$")
# The characters element ids are made of: an id re-read with only these allowed cannot
# come back as "Loos" or "sp002".
ID_ALPHABET = "".join(sorted(set("".join(PREFIXES)))) + "0123456789"


@dataclass(frozen=True)
class OcrCorrection:
    """A token the reader changed or dropped, where it was (page points, deskewed)."""

    x0: float
    top: float
    x1: float
    bottom: float
    before: str
    after: str
    rule: str  # "ocr_rule_stroke" (dropped) | "ocr_id_reread" | "ocr_unsure_reread" | ...


@dataclass(frozen=True)
class OcrPage:
    """How one page was OCR'd: for the manifest."""

    page: int
    reason: str  # why the page was OCR'd ("no text layer", "scan under an OCR layer", ...)
    engine: str
    engine_version: str
    language: str
    dpi: int
    oem: int
    psm: str
    skew: float  # degrees, found from the rules and undone
    mean_confidence: float | None  # tesseract's word confidence, 0..100
    words: int
    rules: int
    fills: int
    cells: int
    corrections: tuple[OcrCorrection, ...] = ()


@dataclass(frozen=True)
class _OcrWord:
    text: str
    box: PixelBox
    line: PixelBox
    confidence: float
    baseline: int | None = None  # y of its line's baseline below the word


def tessdata_path() -> str | None:
    """Where English traineddata is: TESSDATA_PREFIX, tesserocr's own default, or Debian's."""
    import tesserocr

    candidates = [os.environ.get("TESSDATA_PREFIX", "")]
    default_path, languages = tesserocr.get_languages()
    if LANGUAGE in languages:
        candidates.append(default_path)
    candidates += sorted(glob.glob("/usr/share/tesseract-ocr/*/tessdata"), reverse=True)
    candidates.append("/usr/share/tessdata")
    for path in candidates:
        if path and Path(path, f"{LANGUAGE}.traineddata").exists():
            return path
    return None


class Tesseract:
    """One tesserocr API, initialised once, reused for every page and cell."""

    def __init__(self):
        # Debian's libtesseract runs OpenMP threads per call; pages are already spread over
        # processes, and the threads only fight over the same cores (as ocrmypdf finds too).
        # Read when the library loads: set before the first import.
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")
        try:
            import tesserocr
        except ImportError:
            raise InputError(
                "scanned pages need OCR: pip install 'actionplan[ocr]' (tesserocr) with Debian's "
                "tesseract-ocr tesseract-ocr-eng, or pass --ocr never to refuse scans") from None
        path = tessdata_path()
        if path is None:
            raise InputError("scanned pages need OCR, but tesseract's English data was not found: "
                             "apt-get install tesseract-ocr-eng, or set TESSDATA_PREFIX")
        self._tesserocr = tesserocr
        self.api = tesserocr.PyTessBaseAPI(path=path, lang=LANGUAGE, oem=OEM)
        # Inverted (white on dark) text does not occur in a plan; trying it doubles the time
        # spent on every low-confidence line.
        self.api.SetVariable("tessedit_do_invert", "0")
        self.version = tesserocr.tesseract_version().split()[1]

    def read(self, image: np.ndarray, box: PixelBox, psm: int, dpi: int, type_px: float,
             scale: int = 1) -> list[_OcrWord]:
        """The words of ``box``: cut out, enlarged ``scale`` times, given a margin of white
        (tesseract misreads text that touches its rectangle's edge: "L008" as "Loos"), boxes
        mapped back to the page image's pixels."""
        import cv2

        crop = image[box.top:box.bottom, box.x0:box.x1]
        if scale > 1:
            crop = cv2.resize(crop, None, fx=scale, fy=scale, interpolation=cv2.INTER_CUBIC)
        pad = max(4, int(MARGIN * type_px * scale))
        crop = np.ascontiguousarray(cv2.copyMakeBorder(crop, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=255))
        # Raw bytes: tesserocr's PIL path re-encodes the image (and mangles an unsaved
        # 8-bit image's grey levels under Pillow 13).
        self.api.SetImageBytes(crop.tobytes(), crop.shape[1], crop.shape[0], 1, crop.shape[1])
        self.api.SetSourceResolution(dpi * scale)
        self.api.SetPageSegMode(psm)
        return [_OcrWord(w.text, _back(w.box, pad, scale, box), _back(w.line, pad, scale, box), w.confidence,
                         None if w.baseline is None else box.top + round((w.baseline - pad) / scale))
                for w in self._recognise()]

    def read_id(self, image: np.ndarray, box: PixelBox, dpi: int, type_px: float) -> list[_OcrWord]:
        """``box`` read as one line of element-id characters only (tessedit_char_whitelist)."""
        self.api.SetVariable("tessedit_char_whitelist", ID_ALPHABET)
        try:
            return self.read(image, box, PSM_LINE, dpi, type_px, LINE_SCALE)
        finally:
            self.api.SetVariable("tessedit_char_whitelist", "")

    def _recognise(self) -> list[_OcrWord]:
        tesserocr = self._tesserocr
        self.api.Recognize()
        words = []
        iterator = self.api.GetIterator()
        if iterator is None:
            return []
        level, line_level = tesserocr.RIL.WORD, tesserocr.RIL.TEXTLINE
        for item in tesserocr.iterate_level(iterator, level):
            if item.Empty(level):
                continue
            text = item.GetUTF8Text(level)
            if not text or not text.strip():
                continue
            word_box = item.BoundingBox(level)
            line_box = item.BoundingBox(line_level) or word_box
            if word_box is None:
                continue
            words.append(_OcrWord(text.strip(), PixelBox(*word_box), PixelBox(*line_box),
                                  float(item.Confidence(level)), _baseline_at(item.Baseline(line_level), word_box)))
        return words

    def close(self) -> None:
        self.api.End()


def _baseline_at(baseline, word_box) -> int | None:
    if not baseline:
        return None
    (x1, y1), (x2, y2) = baseline
    middle = (word_box[0] + word_box[2]) / 2
    return round(y1 if x2 == x1 else y1 + (y2 - y1) * (middle - x1) / (x2 - x1))


def _back(box: PixelBox, pad: int, scale: int, origin: PixelBox) -> PixelBox:
    def x(v: int) -> int:
        return origin.x0 + round((v - pad) / scale)

    def y(v: int) -> int:
        return origin.top + round((v - pad) / scale)

    return PixelBox(x(box.x0), y(box.top), x(box.x1), y(box.bottom))


class OcrReader:
    """Reads pages by OCR; ``reasons`` says, per page number, why (for the manifest)."""

    name = "tesseract"

    def __init__(self, path: Path, password: str | None, reasons: dict[int, str] | None = None):
        from actionplan.extract.readers.pdfium import open_document

        self._pdf = open_document(path, password)  # a wrong password or damage: one line
        self._reasons = reasons or {}
        self._engine: Tesseract | None = None

    def page_count(self) -> int:
        return len(self._pdf)

    def read(self, number: int) -> PageContent:
        import pypdfium2 as pdfium

        try:
            page = self._pdf[number - 1]
        except pdfium.PdfiumError as exc:
            raise PageUnreadable(f"page {number} could not be rendered for OCR ({exc})") from None
        try:
            width, height = _display_size(page)
            dpi = scan_dpi(page, width)
            rgb = page.render(scale=dpi / 72.0).to_numpy()[..., 2::-1].copy()
        finally:
            page.close()
        return self.read_image(number, rgb, dpi, width, height)

    def load_engine(self) -> None:
        """Load tesseract and OpenCV (the scheduler does so before a page's budget counts)."""
        if self._engine is None:
            import cv2  # noqa: F401  (the grid and cell reading need it; loaded with the engine)

            self._engine = Tesseract()

    def read_image(self, number: int, rgb: np.ndarray, dpi: int, width: float, height: float) -> PageContent:
        self.load_engine()
        grid, upright, rules = find_grid(rgb)
        prepared = prepare_for_ocr(upright, grid, rules)
        words = read_regions(self._engine, grid, prepared, dpi)
        words, corrections = _reread_ids(self._engine, words, grid, prepared, dpi)
        words, unsure = _reread_unsure_words(self._engine, words, grid, prepared, dpi)
        corrections += unsure
        words, dropped = drop_rule_strokes(words, grid)
        words, specks = drop_speck_readings(words, grid)
        dropped += specks
        words = even_lines(words)
        scale = 72.0 / dpi
        info = OcrPage(
            page=number, reason=self._reasons.get(number, "OCR requested"), engine="tesseract",
            engine_version=self._engine.version, language=LANGUAGE, dpi=dpi, oem=OEM,
            psm=f"{PSM_BLOCK} per cell ({PSM_LINE} one-line cells), {PSM_AUTO} page-wide regions",
            skew=round(grid.skew, 3),
            mean_confidence=round(float(np.mean([w.confidence for w in words])), 1) if words else None,
            words=len(words), rules=len(grid.horizontals) + len(grid.verticals),
            fills=len(grid.fills), cells=len(grid.cells),
            corrections=tuple(_to_points(c, scale) for c in corrections + dropped),
        )
        return PageContent(
            number=number, width=width, height=height,
            glyphs=tuple(_glyphs(words, scale)),
            fills=tuple(FilledBox(*_points(f.box, scale), f.rgb) for f in grid.fills),
            strokes=tuple(Box(*_points(b, scale)) for b in grid.horizontals + grid.verticals),
            images=(Box(0.0, 0.0, width, height),),
            deskewed=grid.skew,
            ocr=info,
        )

    def close(self) -> None:
        if self._engine is not None:
            self._engine.close()
        self._pdf.close()


def _display_size(page) -> tuple[float, float]:
    width, height = page.get_size()
    return (height, width) if page.get_rotation() in (90, 270) else (width, height)


def scan_dpi(page, width_pt: float) -> int:
    """The resolution of the page's largest image (the scan), clamped to MIN..MAX_DPI."""
    import pypdfium2.raw as pdfium_c

    best = None
    for obj in page.get_objects(max_depth=2):
        if obj.type != pdfium_c.FPDF_PAGEOBJ_IMAGE:
            continue
        x0, _, x1, _ = obj.get_bounds()
        pixels_wide, pixels_high = obj.get_px_size()
        if x1 - x0 > 0:
            dpi = max(pixels_wide, pixels_high) * 72.0 / max(x1 - x0, width_pt * 0.01)
            if best is None or (x1 - x0) > best[0]:
                best = (x1 - x0, dpi)
    dpi = best[1] if best else DEFAULT_DPI
    return int(round(min(MAX_DPI, max(MIN_DPI, dpi))))


# ---------------------------------------------------------------------- the image tesseract reads


def prepare_for_ocr(upright: np.ndarray, grid: Grid, rules: np.ndarray) -> np.ndarray:
    """What tesseract reads: ink on white. Each pixel is placed between the ink level and
    its own background -- the paper, or the shading of its cell -- so words on a dark
    or grey fill come out as dark as words on paper (a global threshold would lose them);
    what is not ink (grain, specks, the rules) is painted white."""
    import cv2

    grey = cv2.cvtColor(upright, cv2.COLOR_RGB2GRAY).astype(np.float32)
    background = np.full(grey.shape, float(np.percentile(grey, 90)), np.float32)
    for fill in grid.fills:
        b = fill.box
        background[b.top:b.bottom, b.x0:b.x1] = fill.level
    ink_level = float(np.percentile(grey, 0.5))
    lightness = np.clip((grey - ink_level) / np.maximum(background - ink_level, 1.0), 0.0, 1.0)
    ink = (lightness < INK_LIGHTNESS).astype(np.uint8) * 255
    ink[cv2.dilate(rules, np.ones((3, 3), np.uint8)) > 0] = 0
    ink = _without_specks(ink, grid.type_height)
    ink = _without_shade_edges(ink, grid)
    keep = cv2.dilate(ink, np.ones((3, 3), np.uint8)) > 0
    return np.where(keep, lightness * 255.0, 255.0).astype(np.uint8)


# A pixel this light between ink (0) and its background (1) is still ink.
INK_LIGHTNESS = 0.6
# Blobs smaller than this (in squared type heights) are dust, not a full stop.
SPECK_AREA = 0.015


def _without_shade_edges(ink: np.ndarray, grid: Grid) -> np.ndarray:
    """Ink that is only a shading's edge: where two shades meet with no rule, a pixel or two
    of one shade lie against the other's background and come out as a thin dark stroke
    along the edge, which tesseract reads as "|", "=" or worse ("TSC(ttCLO" over a
    heatmap row). A stroke along a fill's side -- within 0.6 of a type height of it and
    taller than any letter -- and a dash along its top or bottom are cleared."""
    import cv2

    if not grid.fills:
        return ink
    t = grid.type_height
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    thin = max(2, int(0.2 * t))
    clear = []
    for label in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[label])
        # Taller than any letter or bracket (the type height is the median blob's, about
        # a lower-case letter's: a capital "I" beside a cut is 1.4 of it and stays), "["
        # with the corners' hooks included.
        band = max(2, int(0.6 * t))
        if w <= band and h >= 2.0 * t:
            if any(f.box.top - band <= y and y + h <= f.box.bottom + band
                   and any(edge - band <= x and x + w <= edge + band for edge in (f.box.x0, f.box.x1))
                   for f in grid.fills):
                clear.append(label)
        elif h <= thin and w >= 0.15 * t:  # "_" and dashes along a top or bottom edge
            if any(f.box.x0 - thin <= x and x + w <= f.box.x1 + thin
                   and any(edge - thin <= y and y + h <= edge + thin for edge in (f.box.top, f.box.bottom))
                   for f in grid.fills):
                clear.append(label)
    if clear:
        ink = ink.copy()
        ink[np.isin(labels, clear)] = 0
    return ink


def _without_specks(ink: np.ndarray, type_px: float) -> np.ndarray:
    import cv2

    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    small = stats[:, cv2.CC_STAT_AREA] < SPECK_AREA * type_px * type_px
    small[0] = False
    ink = ink.copy()
    ink[small[labels]] = 0
    return ink


# ---------------------------------------------------------------------- reading regions


def read_regions(engine: Tesseract, grid: Grid, prepared: np.ndarray, dpi: int) -> list[_OcrWord]:
    """Every cell of the grid, then the text outside the tables (read from a copy with the
    tables painted out: a block's box may reach round them)."""
    words: list[_OcrWord] = []
    t = grid.type_height
    for cell in grid.cells:
        inner = _shrink(cell, 1)
        if not _has_ink(prepared, inner):
            continue
        psm = _cell_psm(cell, grid)
        scale = LINE_SCALE if psm == PSM_LINE else 1
        # A region that leaks through a gap in a rule has a box over its neighbours: each
        # word is kept by the smallest cell holding it only, and not where most of its box
        # lies in smaller cells (read on their own): the same ink read twice.
        found = [w for w in engine.read(prepared, inner, psm, dpi, t, scale)
                 if _smallest_cell(w.box, grid.cells) == cell
                 and not _mostly_in_smaller_cells(w.box, cell, grid.cells)]
        if psm == PSM_AUTO:
            found = _with_shaded_boxes_read_alone(engine, found, cell, grid, prepared, dpi)
        words.extend(found)
    outside = prepared
    if grid.outline is not None:
        o = grid.outline
        outside = prepared.copy()
        outside[o.top:o.bottom, o.x0:o.x1] = 255
    for block in _free_blocks(outside, grid):
        words.extend(engine.read(outside, block, PSM_BLOCK, dpi, t))
    return words


def _with_shaded_boxes_read_alone(engine: Tesseract, words: list[_OcrWord], region: PixelBox, grid: Grid,
                                  prepared: np.ndarray, dpi: int) -> list[_OcrWord]:
    """A region read as a whole page's layout (a key drawn without vertical rules runs
    into the space beside it) can lose the short labels printed on shaded boxes inside it
    ("Red", "Grey" of a key): a shaded box with ink where the region's reading found no
    word is read alone, as a cell of its own, though no rule encloses it. Where the
    region found words, they stand (a box's edges read alone give "_" and "|")."""
    t = grid.type_height
    for fill in grid.fills:
        box = fill.box
        if not _centre_in(box, region) or _smallest_cell(box, grid.cells) != region:
            continue  # a shading of another cell (the region's border cuts a swatch's edge)
        if any(_centre_in(w.box, box) for w in words):
            continue
        inner = _shrink(box, max(1, int(0.1 * t)))
        if not _has_ink(prepared, inner):
            continue
        psm = PSM_LINE if box.height < 2.6 * t else PSM_BLOCK
        alone = engine.read(prepared, inner, psm, dpi, t, LINE_SCALE if psm == PSM_LINE else 1)
        if not alone:
            continue
        words = words + [w for w in alone if _centre_in(w.box, box)]
    return words


def _centre_in(word: PixelBox, box: PixelBox) -> bool:
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    return box.x0 <= cx <= box.x1 and box.top <= cy <= box.bottom


def _smallest_cell(box: PixelBox, cells) -> PixelBox | None:
    cx, cy = (box.x0 + box.x1) / 2, (box.top + box.bottom) / 2
    holding = [c for c in cells if c.x0 <= cx <= c.x1 and c.top <= cy <= c.bottom]
    return min(holding, key=lambda c: c.width * c.height) if holding else None


def _mostly_in_smaller_cells(word: PixelBox, region: PixelBox, cells) -> bool:
    """Does more than half of ``word``'s box lie in cells smaller than ``region``? A word
    whose centre falls in the gap between two cells ("{cro" over a heatmap's CI008 and the
    L008 below it, read from strokes left between rows whose rule was not found) is the
    reading of their ink as a whole table's layout: those cells read it themselves."""
    width, height = max(1, word.x1 - word.x0), max(1, word.bottom - word.top)
    covered = np.zeros((height, width), bool)
    for c in cells:
        if c == region or c.width * c.height >= region.width * region.height:
            continue
        x0, x1 = max(c.x0, word.x0) - word.x0, min(c.x1, word.x1) - word.x0
        y0, y1 = max(c.top, word.top) - word.top, min(c.bottom, word.bottom) - word.top
        if x1 > x0 and y1 > y0:
            covered[y0:y1, x0:x1] = True
    return covered.mean() > 0.5


def _cell_psm(cell: PixelBox, grid: Grid) -> int:
    outline = grid.outline
    if cell.height < 2.6 * grid.type_height:
        return PSM_LINE
    if outline is not None and cell.width > 0.6 * outline.width:
        return PSM_AUTO  # a page-wide row: a theme intro, or a table with no vertical rules
    return PSM_BLOCK


def _shrink(box: PixelBox, by: int) -> PixelBox:
    return PixelBox(box.x0 + by, box.top + by, max(box.x0 + by + 1, box.x1 - by),
                    max(box.top + by + 1, box.bottom - by))


def _has_ink(grey: np.ndarray, box: PixelBox) -> bool:
    region = grey[box.top:box.bottom, box.x0:box.x1]
    return region.size > 0 and int((region < 128).sum()) > 0


def _free_blocks(prepared: np.ndarray, grid: Grid) -> list[PixelBox]:
    """Text outside the tables (title, running header and footer): blocks of ink, each
    read as one block."""
    import cv2

    ink = (prepared < 128).astype(np.uint8) * 255
    t = grid.type_height
    joined = cv2.dilate(ink, np.ones((max(1, int(0.8 * t)), max(1, int(3 * t))), np.uint8))
    count, _, stats, _ = cv2.connectedComponentsWithStats(joined, connectivity=8)
    blocks = []
    height, width = prepared.shape
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        if h < 0.6 * t or w < 0.6 * t:
            continue  # a speck
        pad = int(0.3 * t)
        blocks.append(PixelBox(max(0, x - pad), max(0, y - pad), min(width, x + w + pad),
                               min(height, y + h + pad)))
    return blocks


# ---------------------------------------------------------------------- corrections


def _reread_ids(engine: Tesseract, words: list[_OcrWord], grid: Grid, prepared: np.ndarray,
                dpi: int) -> tuple[list[_OcrWord], list]:
    """Words that should be element ids and are not: a cell's first word shaped like one,
    and the id-like words of a line of ids (a heatmap drawn without rules between its
    cells is one region, its row one line). Stray marks round them ("‘PCE002", "SD007-")
    are cut off, and each is read again alone and enlarged as a single word -- then, if
    that is still no id, with the id alphabet only ("sp002" -> "SD002")."""
    corrections = []
    out = list(words)
    first_in_cell = set(_first_words_of_cells(words, grid))
    in_id_rows = _id_row_words(words, grid.type_height)
    for index in sorted(first_in_cell | set(in_id_rows)):
        word = words[index]
        trimmed = _trim_marks(word.text)
        if trimmed != word.text and _id_shaped(trimmed):
            corrections.append(OcrCorrection(*_box_tuple(word.box), word.text, trimmed, "ocr_id_stray_mark"))
            word = out[index] = replace(word, text=trimmed)
        if _is_id(word.text):
            continue
        shaped = _id_shaped(word.text)
        if not shaped and index not in in_id_rows:
            continue  # an ordinary first word of a cell
        pad = int(0.25 * grid.type_height)
        top, bottom = in_id_rows.get(index, (word.box.top, word.box.bottom))
        box = _clip(PixelBox(word.box.x0 - pad, top - pad, word.box.x1 + pad, bottom + pad), prepared)
        again = engine.read(prepared, box, PSM_LINE, dpi, grid.type_height, LINE_SCALE) if shaped else []
        rule = "ocr_id_reread"
        if not _acceptable(again, word.text):
            again, rule = engine.read_id(prepared, box, dpi, grid.type_height), "ocr_id_reread_id_alphabet"
        if _acceptable(again, word.text):
            text = again[0].text
            out[index] = replace(word, text=text, confidence=again[0].confidence)
            corrections.append(OcrCorrection(*_box_tuple(word.box), word.text, text, rule))
    return out, corrections


# A word tesseract gave less confidence than this (0-100) is read again alone ...
UNSURE = 60
# ... and the second reading is taken only where tesseract is at least this sure of it.
SURE = 75


def _reread_unsure_words(engine: Tesseract, words: list[_OcrWord], grid: Grid, prepared: np.ndarray,
                         dpi: int) -> tuple[list[_OcrWord], list]:
    """Words tesseract was unsure of, read again alone and enlarged as one line: at 200 dpi
    a short word alone on its line of a region read as a page's layout comes back wrong
    and unsure ("cL" and "cir" for CLT, "Si" for SLT, "+CHoHROD"), and right and sure when
    read by itself. The second reading replaces the first only where it is one word and
    sure, or the same letters without the marks round them (tesseract is seldom sure of
    a mixed-case code: "+CHoHROD," came back "CHoHROD," at 40). Ids are left to
    ``_reread_ids`` (their second reading must also be the nearest grammatical one), and
    marks under half a type height are not enlarged into letters ("i" read "2")."""
    corrections = []
    out = list(words)
    t = grid.type_height
    for index, word in enumerate(words):
        if word.confidence >= UNSURE or word.box.height < 0.5 * t or _id_like(word.text):
            continue
        pad = int(0.25 * t)
        box = _clip(PixelBox(word.box.x0 - pad, word.box.top - pad, word.box.x1 + pad, word.box.bottom + pad),
                    prepared)
        again = engine.read(prepared, box, PSM_LINE, dpi, t, LINE_SCALE)
        if len(again) != 1 or again[0].text == word.text:
            continue
        if again[0].confidence < SURE and not _only_marks_dropped(word.text, again[0].text):
            continue
        out[index] = replace(word, text=again[0].text, confidence=again[0].confidence)
        corrections.append(OcrCorrection(*_box_tuple(word.box), word.text, again[0].text, "ocr_unsure_reread"))
    return out, corrections


def _only_marks_dropped(first: str, second: str) -> bool:
    """Is ``second`` ``first`` with only marks cut from its ends? A bracket is no mark: an
    owner's qualifier is printed in one ("ACE (S151)")."""
    at = first.find(second)
    if not second or at < 0:
        return False
    cut = first[:at] + first[at + len(second):]
    return not any(ch.isalnum() or ch in "()" for ch in cut)


def _acceptable(again: list[_OcrWord], first: str) -> bool:
    """May a second reading replace ``first``? It must be one word, an id; and where
    ``first`` has grammatical readings, one of the nearest of them: read again, tesseract
    drops a thin "I" ("Ci001" came back "C001", and "Cl005" "C005": Culture ids) rather
    than read it as one. Where it has none ("sp002", "RO0$"), any id."""
    if len(again) != 1 or not _is_id(again[0].text):
        return False
    allowed = {r: cost for r, cost in readings(_trim_marks(first)).items() if _is_id(r)}
    if not allowed:
        return True
    return allowed.get(again[0].text.rstrip(":;.,")) == min(allowed.values())


def _is_id(text: str) -> bool:
    """An element id as printed, punctuation after it aside. Numbers count from 001: "R000"
    is a misread ("R005" on the committed scan), read again like any other."""
    core = text.rstrip(":;.,")
    return bool(STRICT_ID.fullmatch(core)) and not core.endswith("000")


def _id_row_words(words: list[_OcrWord], type_px: float) -> dict[int, tuple[int, int]]:
    """On lines holding three or more id-like words (``_id_like``), the words that may be
    a damaged id -- all but plain words ("5.", "Use", "Resources" of the row's label) --
    each with its line's text band: the median bottom, and the height most of them have
    (marks a shading's edge left above or below a word reach its box, never shorten it)."""
    found: dict[int, tuple[int, int]] = {}
    order = sorted(range(len(words)), key=lambda i: _middle(words[i].box))
    line: list[int] = []
    for index in order + [None]:
        if index is not None and line and _middle(words[index].box) - _middle(words[line[0]].box) <= 0.5 * type_px:
            line.append(index)
            continue
        maybe = [i for i in line if _may_be_id(words[i].text)]
        if maybe and sum(_id_like(words[i].text) for i in line) >= 3:
            bottom = round(np.median([words[i].box.bottom for i in maybe]))
            band = (bottom - round(np.percentile([words[i].box.height for i in maybe], 25)), bottom)
            found.update((i, band) for i in maybe)
        line = [index] if index is not None else []
    return found


def _may_be_id(text: str) -> bool:
    """A token of an id's length that is not a plain word: a digit or another mark in it
    ("RO0$", "ROO]"), or a grammatical reading ("Loos")."""
    core = _trim_marks(text).rstrip(":;")
    return (3 <= len(core) <= 8
            and (any(ch.isdigit() for ch in core) or not core.isalpha() or bool(readings(core))))


def _middle(box: PixelBox) -> float:
    return (box.top + box.bottom) / 2


def _id_like(text: str) -> bool:
    """Could OCR have made this of an element id: an id, id-shaped, or a short token with
    two or more digits and a letter ("sp002", "$p001", "RO0$")?"""
    core = text.strip(STRAY_MARKS + ":;")
    if STRICT_ID.search(text) or _id_shaped(text):
        return True
    return (3 <= len(core) <= 10 and sum(ch.isdigit() for ch in core) >= 2
            and any(ch.isalpha() or ch == "$" for ch in core))


# Marks OCR puts before or after an id read from a small cell (a speck, a rule's end).
STRAY_MARKS = "‘’'\"`-—–~=_|.,"


def _trim_marks(text: str) -> str:
    body = text.lstrip(STRAY_MARKS)
    core = body.rstrip(STRAY_MARKS + ":")
    if not core:
        return text
    return core + ":" if ":" in body[len(core):] else core


def _clip(box: PixelBox, image: np.ndarray) -> PixelBox:
    height, width = image.shape[:2]
    return PixelBox(max(0, box.x0), max(0, box.top), min(width, box.x1), min(height, box.bottom))


def _id_shaped(text: str) -> bool:
    return bool(TOLERANT_ID.match(text.strip() + " ")) or bool(re.fullmatch(r"\S{4,7}[:;]", text))


def _first_words_of_cells(words: list[_OcrWord], grid: Grid) -> list[int]:
    firsts: dict[PixelBox, int] = {}
    for index, word in enumerate(words):
        cell = _smallest_cell(word.box, grid.cells)
        if cell is None:
            continue
        current = firsts.get(cell)
        if current is None or (word.line.top, word.box.x0) < (words[current].line.top, words[current].box.x0):
            firsts[cell] = index
    return sorted(firsts.values())


def even_lines(words: list[_OcrWord]) -> list[_OcrWord]:
    """Every line the same height about its baseline: tesseract's line boxes follow the
    letters (a line of lower-case words is shorter), and the gaps between lines are what
    tells one paragraph from the next."""
    measured = [w for w in words if w.baseline is not None]
    if not measured:
        return words
    ascent = float(np.median([w.baseline - w.line.top for w in measured]))
    descent = float(np.median([w.line.bottom - w.baseline for w in measured]))
    return [w if w.baseline is None else replace(
        w, line=PixelBox(w.line.x0, round(w.baseline - ascent), w.line.x1, round(w.baseline + descent)))
        for w in words]


def drop_rule_strokes(words: list[_OcrWord], grid: Grid) -> tuple[list[_OcrWord], list]:
    """A token made only of "|", "l", "I"... at the x of a vertical rule is the rule (a
    column's border runs down the whole table, also where a short stretch of it was not
    found)."""
    kept, dropped = [], []
    reach = 0.5 * grid.type_height

    def on_rule(x: float, word: _OcrWord) -> bool:
        # Also where two shadings meet with no rule drawn: the edge reads as one.
        y = _middle(word.box)
        return (any(rule.x0 - reach <= x <= rule.x1 + reach for rule in grid.verticals)
                or any(f.box.top - reach <= y <= f.box.bottom + reach
                       and (abs(x - f.box.x0) <= reach or abs(x - f.box.x1) <= reach) for f in grid.fills))

    for word in words:
        if on_rule((word.box.x0 + word.box.x1) / 2, word) and RULE_READINGS.match(word.text):
            dropped.append(OcrCorrection(*_box_tuple(word.box), word.text, "", "ocr_rule_stroke"))
            continue
        # "|G011": the rule read as the first (or last) character of the word beside it
        text = word.text
        if len(text) > 1 and text[0] in RULE_EDGE and on_rule(word.box.x0, word):
            text = text[1:]
        if len(text) > 1 and text[-1] in RULE_EDGE and on_rule(word.box.x1, word):
            text = text[:-1]
        if text != word.text:
            dropped.append(OcrCorrection(*_box_tuple(word.box), word.text, text, "ocr_rule_stroke"))
            word = replace(word, text=text)
        kept.append(word)
    return kept, dropped


def drop_speck_readings(words: list[_OcrWord], grid: Grid) -> tuple[list[_OcrWord], list]:
    """A word of no letter or digit, under a quarter of a type height each way, that
    tesseract was unsure of is a speck the clean-up kept (two pixels above "R012:" read
    "*" at 0 confidence: the row's anchor line then began with "*", and R012 ran into
    R011). Dropped, and reported as ``ocr_speck``."""
    kept, dropped = [], []
    small = 0.25 * grid.type_height
    for word in words:
        if (word.box.width < small and word.box.height < small and word.confidence < UNSURE
                and not any(ch.isalnum() for ch in word.text)):
            dropped.append(OcrCorrection(*_box_tuple(word.box), word.text, "", "ocr_speck"))
            continue
        kept.append(word)
    return kept, dropped


# ---------------------------------------------------------------------- to page points


def _box_tuple(box: PixelBox) -> tuple[int, int, int, int]:
    return box.x0, box.top, box.x1, box.bottom


def _points(box: PixelBox, scale: float) -> tuple[float, float, float, float]:
    return box.x0 * scale, box.top * scale, box.x1 * scale, box.bottom * scale


def _to_points(correction: OcrCorrection, scale: float) -> OcrCorrection:
    return OcrCorrection(correction.x0 * scale, correction.top * scale, correction.x1 * scale,
                         correction.bottom * scale, correction.before, correction.after, correction.rule)


def _glyphs(words: list[_OcrWord], scale: float):
    """One glyph per word, on its line's top and bottom (so ``layout.py`` puts a line's words
    on one line), each followed by a space glyph (so words never run together)."""
    for word in sorted(words, key=lambda w: (w.line.top, w.box.x0)):
        x0, x1 = word.box.x0 * scale, word.box.x1 * scale
        top, bottom = word.line.top * scale, word.line.bottom * scale
        size = bottom - top
        yield Glyph(word.text, x0, top, x1, bottom, size=size)
        yield Glyph(" ", x1, top, x1 + 0.01, bottom, size=size)
