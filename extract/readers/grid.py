"""A scanned page's table structure, found in its pixels: tilt, ruling lines, shaded cells.

OpenCV morphology (opencv-python-headless, already the camelot extra's dependency): an
opening with a long thin kernel keeps only strokes longer than the kernel, which text never
has. Every length is a multiple of the page's *type height* -- the median height of its
character blobs -- so 150 and 300 dpi scans, 9 and 12 pt type, are read by the same rules.

The steps, each a pure function of arrays (pixels, origin top-left, ``y`` down):

1. ``type_height``: the median height of small ink blobs;
2. ``find_skew``: the tilt of the long horizontal strokes (the table's rules);
3. ``deskew``: turn the image back so rules are axis-aligned;
4. ``rule_masks`` / ``strokes``: horizontal and vertical strokes, as boxes, each carried
   on along its row through the stretches where it fades;
5. ``find_fills``: shaded regions (text and rules closed away), split at rules and where
   their colour changes, with their median colour;
6. ``find_cells``: the regions the rules enclose, inside the table's outline.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import cv2
import numpy as np

# A blob this many type heights long in one direction and thin in the other is a stroke.
RULE_MIN_LENGTH = 2.5  # vertical rules of a one-line row are ~2.5 type heights tall
HRULE_MIN_LENGTH = 5.0  # horizontal runs: dashes and underscored letters stay shorter
RULE_MAX_THICKNESS = 0.5
# A shaded region is at least this many type heights on each side.
FILL_MIN_SIDE = 1.5
# How far from the paper's colour (0..1, largest channel difference) a shading must be.
FILL_MIN_CONTRAST = 0.05
# How much darker than its neighbourhood (grey levels) a pixel must be to count as ink.
INK_CONTRAST = 25
# Two shadings meeting without a rule differ at least this much (0..1, largest channel:
# from pixel to pixel, or between the median colours either side of a gentler change).
EDGE_CONTRAST = 0.1
# Ink thicker than this (type heights) is a solid area, not a stroke.
SOLID_SIDE = 0.6
# Tilts beyond this are not a scanner's (a rotated page is turned by /Rotate or layout.py).
MAX_SKEW = 5.0


@dataclass(frozen=True)
class PixelBox:
    x0: int
    top: int
    x1: int
    bottom: int

    @property
    def width(self) -> int:
        return self.x1 - self.x0

    @property
    def height(self) -> int:
        return self.bottom - self.top


@dataclass(frozen=True)
class Shading:
    box: PixelBox
    rgb: tuple[float, float, float]  # 0..1, after flattening the lighting


@dataclass(frozen=True)
class Grid:
    skew: float  # degrees counter-clockwise the page was tilted (and has been turned back)
    type_height: float  # pixels
    horizontals: tuple[PixelBox, ...]
    verticals: tuple[PixelBox, ...]
    fills: tuple[Shading, ...]
    cells: tuple[PixelBox, ...]  # regions enclosed by rules (inside the tables' outline)
    outline: PixelBox | None  # the union of the tables on the page


def grey_of(rgb: np.ndarray) -> np.ndarray:
    return cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)


def ink_mask(grey: np.ndarray, block: int) -> np.ndarray:
    """Dark strokes against their surroundings (local threshold): text and rules, also on
    shaded cells, whose fill a global threshold would turn to ink."""
    block = max(3, block | 1)
    return cv2.adaptiveThreshold(grey, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                 block, INK_CONTRAST)


def type_height(ink: np.ndarray) -> float:
    """The median height of character-sized blobs: the unit of every length here."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    heights = stats[1:, cv2.CC_STAT_HEIGHT]
    widths = stats[1:, cv2.CC_STAT_WIDTH]
    page = max(ink.shape)
    plausible = heights[(heights >= 4) & (heights < page / 40) & (widths < page / 40)]
    return float(np.median(plausible)) if len(plausible) else page / 120.0


def flatten_lighting(rgb: np.ndarray, type_px: float) -> np.ndarray:
    """Divide out slow changes of the paper's brightness (lamp fall-off, a shadowed edge).
    The paper level is the brightest value within a window larger than any block of shaded
    cells (a heatmap is a block of them): a quarter of the page."""
    grey = grey_of(rgb).astype(np.float32)
    scale = 8
    small = cv2.resize(grey, (max(1, grey.shape[1] // scale), max(1, grey.shape[0] // scale)),
                       interpolation=cv2.INTER_AREA)
    window = max(3, int(max(12 * type_px, min(grey.shape) / 4) / scale) | 1)
    paper = cv2.dilate(small, np.ones((window, window), np.uint8))
    paper = cv2.GaussianBlur(paper, (0, 0), window / 2)
    paper = cv2.resize(paper, (grey.shape[1], grey.shape[0]), interpolation=cv2.INTER_LINEAR)
    white = float(np.percentile(paper, 90))
    gain = np.clip(white / np.maximum(paper, 1.0), 0.5, 2.0)
    return np.clip(rgb.astype(np.float32) * gain[..., None], 0, 255).astype(np.uint8)


def find_skew(ink: np.ndarray, type_px: float) -> float:
    """The tilt of the page in degrees, counter-clockwise positive, from its long horizontal
    strokes: each is fitted with a line; the length-weighted median of their angles wins."""
    thick = max(3, int(2 * type_px * math.tan(math.radians(MAX_SKEW))) | 1)
    # Thickening strokes vertically keeps a tilted rule's horizontal runs long.
    grown = cv2.dilate(ink, np.ones((thick, 1), np.uint8))
    run = max(8, int(HRULE_MIN_LENGTH * type_px))
    long_runs = cv2.morphologyEx(grown, cv2.MORPH_OPEN, np.ones((1, run), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(long_runs, connectivity=8)
    angles, weights = [], []
    min_length = ink.shape[1] / 6
    for label in range(1, count):
        x, y, w, h = stats[label, :4]
        if w < min_length:
            continue
        ys, xs = np.nonzero(ink[y:y + h, x:x + w] & (labels[y:y + h, x:x + w] == label).astype(np.uint8) * 255)
        if len(xs) < w / 2:
            continue
        slope = np.polyfit(xs.astype(np.float64), ys.astype(np.float64), 1)[0]
        angles.append(-math.degrees(math.atan(slope)))
        weights.append(w)
    if not angles:
        return 0.0
    order = np.argsort(angles)
    cumulative = np.cumsum(np.array(weights)[order])
    angle = float(np.array(angles)[order][np.searchsorted(cumulative, cumulative[-1] / 2)])
    return angle if abs(angle) <= MAX_SKEW else 0.0


def deskew(rgb: np.ndarray, skew: float) -> np.ndarray:
    """Turn the image clockwise by ``skew`` degrees about its centre (undoing a
    counter-clockwise tilt); uncovered corners take the nearest paper."""
    if abs(skew) < 0.01:
        return rgb
    height, width = rgb.shape[:2]
    matrix = cv2.getRotationMatrix2D((width / 2, height / 2), -skew, 1.0)
    return cv2.warpAffine(rgb, matrix, (width, height), flags=cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REPLICATE)


def thin_dark(grey: np.ndarray, type_px: float, across: str) -> np.ndarray:
    """Pixels darker than what lies a little way either side of them, ``across`` ("rows"
    or "columns"): thin strokes -- text, rules -- on any background, never a shading
    however dark (a black-hat transform). ``rows``: strokes thin from top to bottom."""
    side = max(3, int(SOLID_SIDE * type_px) | 1)
    kernel = np.ones((side, 1) if across == "rows" else (1, side), np.uint8)
    contrast = cv2.morphologyEx(grey, cv2.MORPH_BLACKHAT, kernel)
    return (contrast > INK_CONTRAST).astype(np.uint8) * 255


def rule_masks(grey: np.ndarray, type_px: float) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) stroke masks of an upright page: runs of thin dark pixels
    longer than any letter, each carried on along its own row (column) through noise and
    fainter stretches; small gaps (a faint scan) are bridged along the stroke."""
    h_len = max(8, int(HRULE_MIN_LENGTH * type_px))
    v_len = max(8, int(RULE_MIN_LENGTH * type_px))
    rows, columns = thin_dark(grey, type_px, "rows"), thin_dark(grey, type_px, "columns")
    horizontal = _carried_on(cv2.morphologyEx(rows, cv2.MORPH_OPEN, np.ones((1, h_len), np.uint8)),
                             rows, type_px)
    vertical = _carried_on(cv2.morphologyEx(columns, cv2.MORPH_OPEN, np.ones((v_len, 1), np.uint8)).T,
                           columns.T, type_px).T
    bridge = max(3, int(1.5 * type_px))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, np.ones((1, bridge), np.uint8))
    vertical = cv2.morphologyEx(np.ascontiguousarray(vertical), cv2.MORPH_CLOSE, np.ones((bridge, 1), np.uint8))
    return horizontal, vertical


# Gaps this long (type heights) in one row of a rule's pixels are noise, not its end.
RULE_GAP = 0.25


def _carried_on(found: np.ndarray, thin: np.ndarray, type_px: float) -> np.ndarray:
    """A rule found where it runs unbroken, carried on along each of its rows through the
    thin dark pixels that continue it: over a dark shading, or in a blurred or JPEG-damaged
    scan, a rule's contrast dips below the threshold here and there and the opening loses
    that stretch (the strip left between two shadings was read as "_" or "|"). Only runs
    that touch the found rule on its own row are kept, so a letter beside a rule stays a
    letter."""
    gap = max(1, int(RULE_GAP * type_px))
    run = cv2.morphologyEx(thin, cv2.MORPH_CLOSE, np.ones((1, gap + 1), np.uint8)) > 0
    run |= found > 0
    opens = run & ~np.pad(run, ((0, 0), (1, 0)))[:, :-1]
    ids = np.cumsum(opens.ravel()).reshape(run.shape) * run
    touched = np.zeros(int(ids.max()) + 1, bool)
    touched[ids[found > 0]] = True
    touched[0] = False
    return touched[ids].astype(np.uint8) * 255


def strokes(mask: np.ndarray, type_px: float, vertical: bool) -> list[PixelBox]:
    """The strokes of a rule mask as boxes: long, and thin on average (a rule touched by a
    speck or a letter is still a rule)."""
    count, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    found = []
    max_thickness = max(2.0, RULE_MAX_THICKNESS * type_px)
    min_length = (RULE_MIN_LENGTH if vertical else HRULE_MIN_LENGTH) * type_px
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        length = h if vertical else w
        if length >= min_length and area / length <= max_thickness:
            found.append(PixelBox(x, y, x + w, y + h))
    return found


# Strokes thinner than this (type heights) -- text, rules -- are closed away to leave the
# background they are printed on; a shaded cell is much larger than it.
BACKGROUND_KERNEL = 1.2


def background_of(image: np.ndarray, type_px: float) -> np.ndarray:
    """What each pixel is printed on -- the paper or its cell's shading -- with text and rules
    closed away (a closing: they are darker and thinner than the kernel). Works on grey or
    colour images."""
    size = max(3, int(BACKGROUND_KERNEL * type_px) | 1)
    return cv2.morphologyEx(image, cv2.MORPH_CLOSE, np.ones((size, size), np.uint8))


def find_fills(rgb: np.ndarray, rules: np.ndarray, type_px: float) -> list[Shading]:
    """Shaded regions: text and rules closed away (they are thinner than the kernel),
    what differs from the paper kept, cut apart at the rules and where the colour changes,
    one colour each."""
    background = background_of(rgb, type_px)
    paper = np.percentile(background.reshape(-1, 3), 90, axis=0)
    contrast = np.abs(background.astype(np.int16) - paper.astype(np.int16)).max(axis=2)
    shaded = (contrast > FILL_MIN_CONTRAST * 255).astype(np.uint8) * 255
    # Cut at the rules, and where the shading changes colour sharply (two cells with no
    # rule between them, or a rule too faint to find); a gentler change is found below,
    # from each region's colours.
    edges = cv2.morphologyEx(background, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8)).max(axis=2)
    cut = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    shaded[(cut > 0) | (edges > EDGE_CONTRAST * 255)] = 0
    shaded = cv2.morphologyEx(shaded, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(shaded, connectivity=4)
    paper_pixels = _paper_pixels(rgb, grey_of(background), type_px)
    found = []
    for label in range(1, count):
        x, y, w, h, _ = (int(v) for v in stats[label])
        region = PixelBox(x, y, x + w, y + h)
        inside = labels[y:y + h, x:x + w] == label
        for piece, mask in _one_colour_pieces(region, inside, paper_pixels, type_px):
            shading = _shading(piece, mask, background, type_px)
            if shading is not None:
                found.append(shading)
    return found


def _shading(box: PixelBox, inside: np.ndarray, background: np.ndarray, type_px: float) -> Shading | None:
    """A region's colour, if it is large and solid enough to be a shaded cell."""
    min_side = FILL_MIN_SIDE * type_px
    if box.width < min_side or box.height < min_side or inside.sum() < 0.6 * box.width * box.height:
        return None
    window = (slice(box.top, box.bottom), slice(box.x0, box.x1))
    colour = np.median(background[window][inside], axis=0) / 255.0
    return Shading(box, tuple(float(c) for c in colour))


def _paper_pixels(rgb: np.ndarray, background_grey: np.ndarray, type_px: float) -> np.ndarray:
    """The image's pixels as floats, NaN on and round ink: the colour a shading is printed
    in, without its words, their blur and JPEG's ringing round them."""
    ink = (background_grey.astype(np.int16) - grey_of(rgb).astype(np.int16)) > INK_CONTRAST
    reach = 2 * int(INK_REACH * type_px) + 1
    ink = cv2.dilate(ink.astype(np.uint8), np.ones((reach, reach), np.uint8)) > 0
    pixels = rgb.astype(np.float32)
    pixels[ink] = np.nan
    return pixels


# Colour changes are looked for between windows this wide (type heights) either side.
CHANGE_WINDOW = 1.0
# A letter's blur and JPEG's ringing round it reach this far (type heights).
INK_REACH = 0.4


def _one_colour_pieces(box: PixelBox, inside: np.ndarray, pixels: np.ndarray, type_px: float):
    """A shaded region cut where its colour changes, strongest change first, across or down,
    until each piece is one colour: blur and JPEG's half-resolution colour spread the change
    between two cells that meet without a rule (or with one too faint to find) over
    several pixels, too gently for the pixel-to-pixel edge (C002's light green and C003's
    grey were one region, their median neither). Each column's (row's) colour is the median
    of its paper pixels, so words and JPEG's ringing round them do not count."""
    window = max(2, int(CHANGE_WINDOW * type_px))
    changes = [(*_strongest_change(_profile(pixels, box, inside, axis), window), axis) for axis in (0, 1)]
    strength, at, axis = max(changes)
    if strength <= EDGE_CONTRAST * 255:
        yield box, inside
        return
    if axis == 0:  # a change from column to column: cut across
        halves = [(PixelBox(box.x0, box.top, box.x0 + at, box.bottom), inside[:, :at]),
                  (PixelBox(box.x0 + at, box.top, box.x1, box.bottom), inside[:, at:])]
    else:
        halves = [(PixelBox(box.x0, box.top, box.x1, box.top + at), inside[:at]),
                  (PixelBox(box.x0, box.top + at, box.x1, box.bottom), inside[at:])]
    for half, mask in halves:
        yield from _one_colour_pieces(half, mask, pixels, type_px)


def _profile(pixels: np.ndarray, box: PixelBox, inside: np.ndarray, axis: int) -> np.ndarray:
    """The median colour of each column (axis 0) or row (axis 1) of the region, (n, 3);
    NaN where it has no paper pixels."""
    region = pixels[box.top:box.bottom, box.x0:box.x1].copy()
    region[~inside] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # an all-NaN column
        return np.nanmedian(region, axis=axis)


def _strongest_change(profile: np.ndarray, window: int) -> tuple[float, int]:
    """(how much, where): the largest difference between the median colours of the
    ``window`` entries either side of a position of the profile, and that position. Entries
    without paper pixels (a word's columns) do not count; a side needs a few that do."""
    if len(profile) < 2 * window:
        return 0.0, 0
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a window of words only
        medians = np.nanmedian(np.lib.stride_tricks.sliding_window_view(profile, window, axis=0), axis=-1)
    counted = np.convolve(~np.isnan(profile).any(axis=1), np.ones(window, int), mode="valid")
    difference = np.abs(medians[:-window] - medians[window:]).max(axis=1)  # a cut at window + i
    difference[(counted[:-window] < MIN_COUNTED) | (counted[window:] < MIN_COUNTED)] = 0.0
    difference = np.nan_to_num(difference)
    i = int(np.argmax(difference))
    return float(difference[i]), window + i


# Columns (rows) with paper pixels that each side of a change needs.
MIN_COUNTED = 3


def table_outline(horizontals: list[PixelBox], verticals: list[PixelBox]) -> PixelBox | None:
    """The box round the page's ruled tables: from the first to the last horizontal rule,
    across the widest extent the rules share. None when there are fewer than two rules."""
    if len(horizontals) < 2:
        return None
    return PixelBox(min(r.x0 for r in horizontals + verticals), min(r.top for r in horizontals),
                    max(r.x1 for r in horizontals + verticals), max(r.bottom for r in horizontals))


def find_cells(rules: np.ndarray, outline: PixelBox | None, type_px: float) -> list[PixelBox]:
    """The regions the rules enclose inside the outline (its border drawn in): a cell per
    region, merged cells and page-wide theme rows included."""
    if outline is None:
        return []
    grid = np.zeros_like(rules)
    o = outline
    grid[o.top:o.bottom, o.x0:o.x1] = rules[o.top:o.bottom, o.x0:o.x1]
    cv2.rectangle(grid, (o.x0, o.top), (o.x1 - 1, o.bottom - 1), 255, max(1, int(0.2 * type_px)))
    walls = cv2.dilate(grid, np.ones((3, 3), np.uint8))
    free = np.zeros_like(rules)
    free[o.top:o.bottom, o.x0:o.x1] = 255 - walls[o.top:o.bottom, o.x0:o.x1]
    count, _, stats, _ = cv2.connectedComponentsWithStats(free, connectivity=4)
    cells = []
    for label in range(1, count):
        x, y, w, h = (int(v) for v in stats[label, :4])
        if w >= type_px and h >= type_px:
            cells.append(PixelBox(x, y, x + w, y + h))
    return sorted(cells, key=lambda c: (c.top, c.x0))


def find_grid(rgb: np.ndarray) -> tuple[Grid, np.ndarray]:
    """The page's grid, and the deskewed, lighting-flattened image it was found in."""
    grey = grey_of(rgb)
    first_ink = ink_mask(grey, int(max(grey.shape) / 60))
    type_px = type_height(first_ink)
    skew = find_skew(thin_dark(grey, type_px, "rows"), type_px)
    upright = flatten_lighting(deskew(rgb, skew), type_px)
    horizontal, vertical = rule_masks(grey_of(upright), type_px)
    horizontals = strokes(horizontal, type_px, vertical=False)
    verticals = strokes(vertical, type_px, vertical=True)
    rules = np.zeros_like(horizontal)
    for box in horizontals + verticals:
        rules[box.top:box.bottom, box.x0:box.x1] = 255
    rules &= horizontal | vertical
    outline = table_outline(horizontals, verticals)
    grid = Grid(
        skew=skew,
        type_height=type_px,
        horizontals=tuple(horizontals),
        verticals=tuple(verticals),
        fills=tuple(find_fills(upright, rules, type_px)),
        cells=tuple(find_cells(rules, outline, type_px)),
        outline=outline,
    )
    return grid, upright, rules
