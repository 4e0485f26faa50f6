"""The fill colour behind a group of words: from the PDF's own fill operations, or, on a
scanned page that has none, from the rendered page's pixels."""

from __future__ import annotations

from collections.abc import Sequence
from statistics import median

from actionplan.extract.pages import Fill, PageLayout, rotate_point
from actionplan.schema.records import RGB, Word

# A fill this close to white is the page, not a shading.
WHITE_ENOUGH = 0.94
SAMPLE_DPI = 40
# Pages larger than A0 (points squared) are not rendered for sampling: a page box of
# kilometres is a degenerate PDF, and its bitmap would not fit in memory.
MAX_SAMPLED_AREA = 2384 * 3370


class FillFinder:
    def __init__(self, layouts: Sequence[PageLayout], source: str | None = None,
                 password: str | None = None):
        self._pages = {p.number: p for p in layouts}
        self._source = source
        self._password = password
        self._images: dict[int, object] = {}
        self.sampled_pixels = False

    def fill_behind(self, words: Sequence[Word]) -> RGB | None:
        if not words:
            return None
        votes: dict[RGB, int] = {}
        for number in sorted({w.page for w in words}):  # a cell broken across pages
            page = self._pages[number]
            on_page = [w for w in words if w.page == number]
            if page.fills:
                for rgb in _vector_fills(page.fills, on_page):
                    votes[rgb] = votes.get(rgb, 0) + 1
            elif page.has_images and self._source:
                rgb = self._pixel_fill(page, on_page)
                if rgb is not None:
                    votes[rgb] = votes.get(rgb, 0) + len(on_page)
        return max(votes, key=votes.get) if votes else None

    def swatch_beside(self, words: Sequence[Word], line_height: float,
                      other_labels: Sequence[Sequence[Word]] = ()) -> RGB | None:
        """A key drawn as a colour swatch beside its label: the nearest filled box level with
        the label, holding no text. Its height says nothing (a swatch is as tall as its key
        row, and a row whose meaning wraps is several lines tall); what tells a swatch from a
        shaded panel is that it reaches no other key label above or below this one."""
        page = self._pages[words[0].page]
        top, bottom = min(w.top for w in words), max(w.bottom for w in words)
        x0, x1 = min(w.x0 for w in words), max(w.x1 for w in words)
        middle = (top + bottom) / 2
        others = [label for label in other_labels if label and label[0].page == page.number]
        candidates = []
        for fill in page.fills:
            if not fill.top - 1 <= middle <= fill.bottom + 1 or min(fill.rgb) >= WHITE_ENOUGH:
                continue
            if _reaches_another_label(fill, top, bottom, others):
                continue  # a strip or panel beside several rows, not this row's swatch
            if any(fill.x0 <= (w.x0 + w.x1) / 2 <= fill.x1 and fill.top <= (w.top + w.bottom) / 2 <= fill.bottom
                   for w in page.words):
                continue
            gap = fill.x0 - x1 if fill.x0 >= x1 else x0 - fill.x1 if fill.x1 <= x0 else 0.0
            if gap <= 4 * line_height:
                candidates.append((gap, fill.rgb))
        return min(candidates)[1] if candidates else None

    def border_between(self, left: Word, right: Word) -> bool:
        """A cell border between two words of a line: a vertical rule, or different fills."""
        page = self._pages[left.page]
        cy = (left.top + left.bottom) / 2
        for rule in page.rules:
            if rule.vertical and left.x1 <= rule.x0 <= right.x0 and rule.top <= cy <= rule.bottom:
                return True
        return _cell_fill(page.fills, left) != _cell_fill(page.fills, right)

    def _pixel_fill(self, page: PageLayout, words: Sequence[Word]) -> RGB | None:
        image = self._image_of(page)
        if image is None:
            return None
        self.sampled_pixels = True
        scale = SAMPLE_DPI / 72.0
        height = min(w.bottom - w.top for w in words)
        corners = [
            # Words were deskewed; the image was not: turn the box back onto the image.
            rotate_point(x, y, -page.skew, page.width / 2, page.height / 2)
            for x in (min(w.x0 for w in words) - height, max(w.x1 for w in words) + height)
            for y in (min(w.top for w in words) - 0.3 * height, max(w.bottom for w in words) + 0.3 * height)
        ]
        box = (
            int(min(x for x, _ in corners) * scale), int(min(y for _, y in corners) * scale),
            int(max(x for x, _ in corners) * scale), int(max(y for _, y in corners) * scale),
        )
        raw = image.crop(box).tobytes()  # RGB, three bytes a pixel
        pixels = [(raw[i] / 255, raw[i + 1] / 255, raw[i + 2] / 255) for i in range(0, len(raw), 3)]
        # Ink is dark in every channel; a dark green shading is bright in one.
        background = [px for px in pixels if max(px) > 0.45]
        if not background:
            return None
        rgb = tuple(median(px[i] for px in background) for i in range(3))
        return None if min(rgb) >= WHITE_ENOUGH - 0.06 else rgb  # scanned paper is greyish

    def _image_of(self, page: PageLayout):
        if page.number not in self._images:
            self._images[page.number] = _render(self._source, self._password, page.number)
        return self._images[page.number]


def _render(source: str, password: str | None, number: int):
    try:
        import pypdfium2 as pdfium
    except ImportError:
        return None
    pdf = pdfium.PdfDocument(source, password=password or None)
    try:
        width, height = pdf[number - 1].get_size()
        if not 0 < width * height <= MAX_SAMPLED_AREA:
            return None
        bitmap = pdf[number - 1].render(scale=SAMPLE_DPI / 72.0)
        return bitmap.to_pil().convert("RGB")
    finally:
        pdf.close()


def _reaches_another_label(fill: Fill, top: float, bottom: float,
                           other_labels: Sequence[Sequence[Word]]) -> bool:
    """Does the fill run up or down to the middle of another key label (on its page) -- one
    not level with this label (a key set in two columns has labels side by side)?"""
    for label in other_labels:
        middle = (min(w.top for w in label) + max(w.bottom for w in label)) / 2
        if not top <= middle <= bottom and fill.top <= middle <= fill.bottom:
            return True
    return False


def _cell_fill(fills: Sequence[Fill], word: Word) -> Fill | None:
    cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
    under = [f for f in fills if f.x0 <= cx <= f.x1 and f.top <= cy <= f.bottom]
    return min(under, key=lambda f: (f.x1 - f.x0) * (f.bottom - f.top)) if under else None


def _vector_fills(fills: Sequence[Fill], words: Sequence[Word]):
    """The shading under each word: the smallest filled rectangle holding its centre."""
    for word in words:
        cx, cy = (word.x0 + word.x1) / 2, (word.top + word.bottom) / 2
        under = [f for f in fills if f.x0 <= cx <= f.x1 and f.top <= cy <= f.bottom]
        if not under:
            continue
        # The smallest rectangle is the cell; larger ones are the page or the table.
        rgb = min(under, key=lambda f: (f.x1 - f.x0) * (f.bottom - f.top)).rgb
        if min(rgb) < WHITE_ENOUGH:
            yield rgb


def nearest(rgb: RGB | None, palette: dict[str, RGB]) -> str | None:
    if rgb is None or not palette:
        return None
    return min(palette, key=lambda name: sum((a - b) ** 2 for a, b in zip(rgb, palette[name])))
