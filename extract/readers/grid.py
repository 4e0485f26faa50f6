"""A scanned page's table structure, found in its pixels: tilt, ruling lines, shaded cells.

OpenCV morphology (opencv-python-headless, already the camelot extra's dependency): an
opening with a long thin kernel keeps only strokes longer than the kernel, which text never
has. Every length is a multiple of the page's *type height* -- the median height of its
character blobs -- so 150 and 300 dpi scans, 9 and 12 pt type, are read by the same rules.

The steps, each a pure function of arrays (pixels, origin top-left, ``y`` down):

1. ``type_height``: the median height of small ink blobs;
2. ``find_skew``: the tilt of the long horizontal strokes (the table's rules);
3. ``deskew``: turn the image back so rules are axis-aligned;
4. ``find_rules``: horizontal and vertical strokes, as boxes;
5. ``find_fills``: shaded regions (text and rules closed away), split at rules, with their
   median colour;
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
# A shaded region is at least this many type heights on each side: the closing's own
# kernel (it takes away anything thinner standing on paper). A one-line row of a key or
# heatmap is 1.6-1.8 type heights between its rules, and the cut along a blurred rule takes
# a pixel or two off each side -- more off a light shade, whose edge against the rule is
# the steeper: a 200 dpi yellow row kept 1.44 (under the 1.5 this was, its fill lost).
FILL_MIN_SIDE = 1.2
# A piece of a region cut where its shade steps is at least this many type heights long.
FILL_MIN_PIECE = 1.5
# How far from the paper's colour (0..1, largest channel difference) a shading must be.
FILL_MIN_CONTRAST = 0.05
# How much darker than its neighbourhood (grey levels) a pixel must be to count as ink.
INK_CONTRAST = 25
# ... and to be part of a rule. A rule is known by its length (a text stroke or grain is
# never that long), and beside a dark shading it is measured against the shading: blurred,
# the rules round a 200 dpi key's dark green row stood 21-24 levels darker than the green
# (40 sharp), were not found, and stayed ink on the page tesseract reads ("_Darkgreen").
RULE_CONTRAST = 12
# Two shadings meeting without a rule differ at least this much (0..1, largest channel);
# specks and JPEG ringing left round closed-away text stay below it.
EDGE_CONTRAST = 0.1
# Two shades side by side differ at least this much (0..1, largest channel) in their
# median across a cell: a scan's grain and JPEG noise averaged over a cell's height stay
# well below it (about 1 level), a greyscale key's nearest shades are 8 levels apart.
FILL_STEP = 4 / 255
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
    level: float  # its grey level 0..255, for thresholding the words printed on it


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


def thin_dark(grey: np.ndarray, type_px: float, across: str, contrast: int = INK_CONTRAST) -> np.ndarray:
    """Pixels darker than what lies a little way either side of them, ``across`` ("rows"
    or "columns"): thin strokes -- text, rules -- on any background, never a shading
    however dark (a black-hat transform). ``rows``: strokes thin from top to bottom."""
    side = max(3, int(SOLID_SIDE * type_px) | 1)
    kernel = np.ones((side, 1) if across == "rows" else (1, side), np.uint8)
    darker = cv2.morphologyEx(grey, cv2.MORPH_BLACKHAT, kernel)
    return (darker > contrast).astype(np.uint8) * 255


def rule_masks(grey: np.ndarray, type_px: float) -> tuple[np.ndarray, np.ndarray]:
    """(horizontal, vertical) stroke masks of an upright page; small gaps (a faint scan)
    are bridged along the stroke."""
    h_len = max(8, int(HRULE_MIN_LENGTH * type_px))
    v_len = max(8, int(RULE_MIN_LENGTH * type_px))
    horizontal = cv2.morphologyEx(thin_dark(grey, type_px, "rows", RULE_CONTRAST), cv2.MORPH_OPEN,
                                  np.ones((1, h_len), np.uint8))
    # Where a horizontal rule crosses a vertical one, the vertical is not thin across (the
    # horizontal runs through it): the crossing is taken from the horizontal rules, or
    # every vertical rule of a table of one-line rows (a heatmap) falls apart into pieces
    # one row tall, each too short to keep.
    vertical = cv2.morphologyEx(thin_dark(grey, type_px, "columns", RULE_CONTRAST) | horizontal, cv2.MORPH_OPEN,
                                np.ones((v_len, 1), np.uint8))
    bridge = max(3, int(1.5 * type_px))
    horizontal = cv2.morphologyEx(horizontal, cv2.MORPH_CLOSE, np.ones((1, bridge), np.uint8))
    vertical = cv2.morphologyEx(vertical, cv2.MORPH_CLOSE, np.ones((bridge, 1), np.uint8))
    return horizontal, vertical


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


def channel_max(channels: list[np.ndarray]) -> np.ndarray:
    """The largest of the channels, pixel by pixel: ``image.max(axis=2)``, which numpy
    computes many times slower over a last axis of three (0.1 s a page)."""
    out = channels[0]
    for channel in channels[1:]:
        out = np.maximum(out, channel)
    return out


def uint8_percentile(values: np.ndarray, q: float) -> float:
    """``np.percentile(values, q)`` (linear) of uint8 values, from their histogram: the
    two order statistics either side of the percentile's place, mixed as numpy mixes them
    (``_lerp``). A page's 4 million pixels need no partitioning."""
    counts = np.bincount(values.ravel(), minlength=256)
    place = (q / 100.0) * (values.size - 1)
    below = int(math.floor(place))
    above = min(below + 1, values.size - 1)
    cumulative = np.cumsum(counts)
    a = float(np.searchsorted(cumulative, below, side="right"))
    b = float(np.searchsorted(cumulative, above, side="right"))
    t = place - below
    return b - (b - a) * (1 - t) if t >= 0.5 else a + (b - a) * t


def find_fills(rgb: np.ndarray, rules: np.ndarray, type_px: float) -> list[Shading]:
    """Shaded regions: text and rules closed away (they are thinner than the kernel),
    what differs from the paper kept, cut apart at the rules, one colour each."""
    size = max(3, int(FILL_MIN_SIDE * type_px) | 1)
    background = cv2.morphologyEx(rgb, cv2.MORPH_CLOSE, np.ones((size, size), np.uint8))
    channels = cv2.split(background)
    paper = [int(uint8_percentile(c, 90)) for c in channels]
    contrast = channel_max([cv2.absdiff(c, level) for c, level in zip(channels, paper)])
    shaded = (contrast > FILL_MIN_CONTRAST * 255).astype(np.uint8) * 255
    # Cut at the rules, and where the shading changes colour (two cells with no rule
    # between them, or a rule too faint to find).
    edges = channel_max(cv2.split(cv2.morphologyEx(background, cv2.MORPH_GRADIENT, np.ones((3, 3), np.uint8))))
    cut = cv2.dilate(rules, np.ones((3, 3), np.uint8))
    shaded[(cut > 0) | (edges > EDGE_CONTRAST * 255)] = 0
    shaded = cv2.morphologyEx(shaded, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
    count, labels, stats, _ = cv2.connectedComponentsWithStats(shaded, connectivity=4)
    grey = grey_of(background)
    found = []
    min_side = FILL_MIN_SIDE * type_px
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        if w < min_side or h < min_side or area < 0.6 * w * h:
            continue
        inside = labels[y:y + h, x:x + w] == label
        whole = PixelBox(x, y, x + w, y + h)
        for box in split_at_steps(rgb, inside, whole, type_px, grey):
            # Sampled away from a cut: blur and the closing carry the neighbour's shade
            # a few pixels across it (a region's own edges keep the old sampling).
            core = _away_from_cuts(box, whole, int(0.5 * type_px))
            part = inside[core.top - y:core.bottom - y, core.x0 - x:core.x1 - x]
            if not part.any():
                continue
            pixels = background[core.top:core.bottom, core.x0:core.x1][part]
            colour = np.median(pixels, axis=0) / 255.0
            level = float(np.median(grey[core.top:core.bottom, core.x0:core.x1][part]))
            found.append(Shading(box, tuple(float(c) for c in colour), level))
    return found


def _away_from_cuts(box: PixelBox, whole: PixelBox, by: int) -> PixelBox:
    """The piece less ``by`` pixels along each side that is a cut (not the region's own
    edge), never less than its middle half."""
    dx, dy = min(by, box.width // 4), min(by, box.height // 4)
    return PixelBox(box.x0 + (dx if box.x0 > whole.x0 else 0), box.top + (dy if box.top > whole.top else 0),
                    box.x1 - (dx if box.x1 < whole.x1 else 0), box.bottom - (dy if box.bottom < whole.bottom else 0))


def split_at_steps(rgb: np.ndarray, inside: np.ndarray, box: PixelBox,
                   type_px: float, closed_grey: np.ndarray | None = None) -> list[PixelBox]:
    """A shaded region cut where its shade steps: cells side by side with no rule between
    them and shades closer than EDGE_CONTRAST (a greyscale key's light green, grey and amber
    lie 8-12 levels apart) run together into one region, and one median would colour them
    all. The step is looked for in the scan's own grey levels, its type masked out (what a
    closing leaves of bold type is darker than the shade; JPEG smears colour, not
    lightness, round type): the median across each column (then each row) is flat within
    a shade and steps between two. Pieces are at least FILL_MIN_PIECE type heights long.
    ``closed_grey`` (the page's grey levels with type closed away, what a piece's level is
    read from): a cut stays only where the pieces either side differ in it by FILL_STEP."""
    grey = grey_of(rgb[box.top:box.bottom, box.x0:box.x1]).astype(np.float32)
    level = float(np.median(grey[inside]))
    ink = (grey < level - INK_CONTRAST).astype(np.uint8)
    ink = cv2.dilate(ink, np.ones((3, 3), np.uint8), iterations=max(1, int(0.15 * type_px)))
    grey[(~inside) | (ink > 0)] = np.nan
    shade = None
    if closed_grey is not None:
        shade = closed_grey[box.top:box.bottom, box.x0:box.x1].astype(np.float32)
        shade[~inside] = np.nan
    pieces = []
    for across in _cuts(grey, shade, box, type_px, vertical=False):
        columns = slice(across.x0 - box.x0, across.x1 - box.x0)
        pieces.extend(_cuts(grey[:, columns], None if shade is None else shade[:, columns], across,
                            type_px, vertical=True))
    return pieces


def _cuts(grey: np.ndarray, shade: np.ndarray | None, box: PixelBox, type_px: float,
          vertical: bool) -> list[PixelBox]:
    """``box`` cut across its length (x, or y when ``vertical``) where the shade in ``grey``
    (NaN: not the shade) steps by FILL_STEP or more, and by more than its noise could; and,
    given ``shade`` (the closed image's grey, NaN outside the region), where the pieces
    either side differ in it by FILL_STEP."""
    region = grey.T if vertical else grey
    length = region.shape[1]
    window = max(2, int(0.75 * type_px))
    min_piece = int(FILL_MIN_PIECE * type_px)
    if length < 2 * min_piece:
        return [box]
    steps = np.zeros(length)
    at = np.arange(min_piece, length - min_piece + 1)
    steps[at] = _steps_at(_window_stats(region, window), at, window)
    cuts: list[int] = []
    for at in np.argsort(-steps):
        if steps[at] < FILL_STEP * 255:
            break
        if all(abs(at - c) >= min_piece for c in cuts):
            cuts.append(int(at))
    cuts.sort()
    if shade is not None:
        cuts = _steps_between_pieces(shade.T if vertical else shade, cuts, int(0.5 * type_px))
    edges = [0, *cuts, length]
    if vertical:
        return [PixelBox(box.x0, box.top + a, box.x1, box.top + b) for a, b in zip(edges, edges[1:])]
    return [PixelBox(box.x0 + a, box.top, box.x0 + b, box.bottom) for a, b in zip(edges, edges[1:])]


def _steps_between_pieces(shade: np.ndarray, cuts: list[int], margin: int) -> list[int]:
    """The cuts between pieces whose shades differ by FILL_STEP or more: each piece's median
    in the closed image, ``margin`` pixels off its cuts (blur carries a shade across). A
    step found beside type is measured in the few pixels the type leaves, whose noise is
    not independent pixel to pixel (blur, JPEG blocks): on a 200 dpi scan a one-shade key
    label was cut at the end of "Light", and the cut stood between its words as a cell
    border. The weakest cut goes first, until every cut left is a step."""
    cuts = list(cuts)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # a piece all NaN
        while cuts:
            edges = [0, *cuts, shade.shape[1]]
            levels = [np.nanmedian(shade[:, a + (margin if k else 0):b - (margin if k < len(cuts) else 0)])
                      for k, (a, b) in enumerate(zip(edges, edges[1:]))]
            steps = [abs(float(b - a)) for a, b in zip(levels, levels[1:])]
            weakest = int(np.nanargmin(steps)) if not all(np.isnan(steps)) else 0
            if steps[weakest] >= FILL_STEP * 255:
                break
            del cuts[weakest]
    return cuts


def _step(before: np.ndarray, after: np.ndarray) -> float:
    """How far the shade steps between two strips: the difference of their medians, or 0
    where that is within four standard errors of their noise (a strip mostly type leaves
    a few pixels, whose median wanders). The definition ``_steps_at`` computes for every
    position at once (kept: the tests hold the two equal)."""
    a, b = before[~np.isnan(before)], after[~np.isnan(after)]
    if a.size < 8 or b.size < 8:
        return 0.0
    diff = abs(float(np.median(a)) - float(np.median(b)))
    spread = 1.4826 * max(float(np.median(np.abs(a - np.median(a)))), float(np.median(np.abs(b - np.median(b)))), 1.0)
    error = 1.25 * spread * (1.0 / a.size + 1.0 / b.size) ** 0.5
    return diff if diff > 4 * error else 0.0


@dataclass(frozen=True)
class _WindowStats:
    """Per window of ``window`` columns starting at each column: how many of its values are
    not NaN, their median and their median absolute deviation, as ``np.median`` gives them
    (float32 data: the two middle values' mean in float32)."""
    count: np.ndarray
    median: np.ndarray
    deviation: np.ndarray


# Values sorted at once by _window_stats: bounds its memory (a few of these arrays, float32).
_WINDOW_CHUNK = 1 << 21


def _window_stats(region: np.ndarray, window: int) -> _WindowStats:
    """``_WindowStats`` of every window of ``region`` (rows x length, NaN: not the shade).
    One sort per window instead of a median call per window and side: a page's shaded
    regions held tens of thousands of them (half of finding its grid)."""
    rows, length = region.shape
    starts = length - window + 1
    views = np.lib.stride_tricks.sliding_window_view(region.astype(np.float32, copy=False), window, axis=1)
    count = np.zeros(starts, np.int64)
    median = np.zeros(starts, np.float32)
    deviation = np.zeros(starts, np.float32)
    step = max(1, _WINDOW_CHUNK // max(1, rows * window))
    for first in range(0, starts, step):
        block = np.sort(views[:, first:first + step, :].transpose(1, 0, 2).reshape(-1, rows * window), axis=1)
        n = (~np.isnan(block)).sum(axis=1)  # NaN sorts last
        middle = _sorted_median(block, n)
        spread = np.sort(np.abs(block - middle[:, None]), axis=1)
        count[first:first + step], median[first:first + step] = n, middle
        deviation[first:first + step] = _sorted_median(spread, n)
    return _WindowStats(count, median, deviation)


def _sorted_median(rows_sorted: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Each row's median of its first ``n`` values (rows sorted, NaN last); rows of no
    value give NaN."""
    index = np.arange(len(rows_sorted))
    last = rows_sorted.shape[1] - 1
    low = rows_sorted[index, np.clip((n - 1) // 2, 0, last)]
    high = rows_sorted[index, np.clip(n // 2, 0, last)]
    return np.where(n > 0, (low + high) / np.float32(2), np.float32(np.nan))


def _steps_at(stats: _WindowStats, at: np.ndarray, window: int) -> np.ndarray:
    """``_step`` between the window ending at each of ``at`` and the one starting there."""
    before, after = at - window, at
    na, nb = stats.count[before], stats.count[after]
    diff = np.abs(stats.median[before].astype(np.float64) - stats.median[after].astype(np.float64))
    spread = 1.4826 * np.maximum(np.maximum(stats.deviation[before].astype(np.float64),
                                            stats.deviation[after].astype(np.float64)), 1.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        error = 1.25 * spread * (1.0 / na + 1.0 / nb) ** 0.5
        return np.where((na >= 8) & (nb >= 8) & (diff > 4 * error), diff, 0.0)


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
