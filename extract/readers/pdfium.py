"""The PDFium (pypdfium2) page reader: the same ``PageContent`` as readers/plumber.py, at a
fraction of pdfminer's cost.

What it matches, and how (pdfminer's conventions, since the pipeline was built on them):

- glyphs: PDFium's text page, without the spaces and line breaks PDFium *generates*
  between words (pdfminer reports only characters the content stream draws), and with the
  text page's own edits undone: its glyphs put back in stream order (it sorts the text
  objects of a line by x), a drawn space it drops after a generated one put back, the
  ligatures it decomposes (U+FB00-FB06) recomposed where the font maps them, the hyphen it
  replaces at a line end read from the font or, where the font maps both "-" and U+00AD,
  from the content stream (readers/shown.py), text of font size 0 (which it leaves out)
  reported without size, and a font without a declared descent given none. A glyph's box
  is pdfminer's: the advance along the baseline (from PDFium's loose box, which spans
  origin to origin + advance) by the font size across it, from the font's descent, both
  turned by the glyph's matrix. (PDFium's tight box hugs the ink, so "a" and "T" would
  not share a top.)
- matrix: PDFium's character matrix with the glyph's origin; it includes the horizontal
  scaling (Tz) that pdfminer leaves out, which changes no direction, mirroring or tilt.
- rules and fills: path objects split into subpaths; a subpath of two points is a line, one
  of four corners on the axes a rectangle (pdfminer's test), curves are left out (the
  plumber reader ignores them too). Points, not PDFium's bounds, which add the line width.
- colours: PDFium converts every colour space to RGB 0..255 itself (CMYK through its own
  table, not pdfplumber's naive formula); patterns have no colour.
- coordinates: PDF user space relative to the media box, turned by ``/Rotate`` as pdfminer
  turns it, then flipped to top-left.
"""

from __future__ import annotations

import ctypes
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from actionplan.errors import InputError
from actionplan.extract.readers.base import Box, FilledBox, Glyph, Matrix, PageContent, PageUnreadable
from actionplan.schema.records import RGB

# Coordinates equal within this (points) are equal: PDFium keeps path points as float32.
SAME_POINT = 1e-3
# PDFium reports a hyphen that ends a line as this code point, whatever the stream drew.
PDFIUM_HYPHEN = 0x02
# ... which the page's text, taken in one call (FPDFText_GetText), spells as this.
TEXT_HYPHEN = 0xFFFE
# The only characters PDFium's text page generates (CPDF_TextPage: a space where it infers a
# word break, CR and LF where it infers a line break): any other is drawn, and is not asked.
GENERATED_CODES = frozenset((0x20, 0x0D, 0x0A))


class PdfiumReader:
    name = "pdfium"

    def __init__(self, path: Path, password: str | None):
        self._pdf = open_document(path, password)
        self._pdfminer = _Pdfminer(path, password)

    def page_count(self) -> int:
        return len(self._pdf)

    def read(self, number: int) -> PageContent:
        import pypdfium2 as pdfium

        try:
            page = self._pdf[number - 1]
        except pdfium.PdfiumError as exc:
            raise PageUnreadable(str(exc).splitlines()[0][:120] or "PDFium could not load the page") from None
        try:
            return _read_page(number, page, self._pdfminer.without_descent(number), self._pdfminer)
        finally:
            page.close()

    def close(self) -> None:
        self._pdf.close()


def open_document(path: Path, password: str | None):
    """pdfium.PdfDocument with the failures a user can cause turned into one-line errors."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    try:
        return pdfium.PdfDocument(str(path), password=password or None)
    except pdfium.PdfiumError as exc:
        if getattr(exc, "err_code", None) == raw.FPDF_ERR_PASSWORD:
            if password:
                raise InputError(f"{path}: encrypted PDF and the --password given is wrong") from None
            raise InputError(f"{path}: encrypted PDF: pass its password with --password PW") from None
        raise InputError(f"{path}: damaged or truncated PDF ({str(exc).splitlines()[0][:120]})") from None


# ---------------------------------------------------------------------- the page frame


class _Frame:
    """PDF user space -> the display frame, top-left origin (pdfminer's CTM for /Rotate)."""

    def __init__(self, page):
        x0, y0, x1, y1 = page.get_mediabox()
        rotation = page.get_rotation() % 360
        if rotation == 90:
            self.ctm = (0.0, -1.0, 1.0, 0.0, -y0, x1)
        elif rotation == 180:
            self.ctm = (-1.0, 0.0, 0.0, -1.0, x1, y1)
        elif rotation == 270:
            self.ctm = (0.0, 1.0, -1.0, 0.0, y1, -x0)
        else:
            self.ctm = (1.0, 0.0, 0.0, 1.0, -x0, -y0)
        w, h = abs(x1 - x0), abs(y1 - y0)  # pdfminer's: an upside-down /MediaBox [0 842 631 0] has a size
        # PDFium reads a page box it cannot hold (1e30 points: beyond a 32-bit float) as
        # empty; pdfminer's positions on such a page lose all precision. Neither measures.
        self.degenerate = not (w > 0 and h > 0)
        if self.degenerate:
            w, h = page.get_size()
        self.width, self.height = (h, w) if rotation in (90, 270) else (w, h)

    def point(self, x: float, y: float) -> tuple[float, float]:
        """(x, y up) in the display frame."""
        a, b, c, d, e, f = self.ctm
        return a * x + c * y + e, b * x + d * y + f

    def turn(self, m: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
        """A matrix's linear part in the display frame."""
        a, b, c, d = m
        p, q, r, s = self.ctm[:4]
        return a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s

    def box(self, points) -> Box:
        """The top-left box around user-space points."""
        turned = [self.point(x, y) for x, y in points]
        xs, ys = [p[0] for p in turned], [p[1] for p in turned]
        return Box(min(xs), self.height - max(ys), max(xs), self.height - min(ys))


class _Pdfminer:
    """pdfminer's parse of the document, for what PDFium does not show; parsed once, when
    first asked, each page's part only when needed.

    - Which fonts of a page declare no descent (/Descent 0 in their descriptor, as
      LibreOffice writes). pdfminer then puts the glyph's box on the baseline; PDFium makes
      a descent up from one of the font's glyphs, which shifts a font's boxes against the
      others'. PDFium does not show a font's dictionary: page dictionaries and font
      resources only, no content stream.
    - The character a line-end hyphen draws, where PDFium hides it (see _hyphen): the
      page's content stream, read for its strings only (readers/shown.py), decoded by
      pdfminer's fonts -- so the character is the one pdfplumber reads."""

    def __init__(self, path: Path, password: str | None):
        self._path, self._password = path, password
        self._pages: list | None = None
        self._fonts: dict[int, frozenset[str]] = {}
        self._shown: dict[int, list | None] = {}
        self._resources = None  # pdfminer's PDFResourceManager: each font decoded once

    def without_descent(self, number: int) -> frozenset[str]:
        """Base font names (subset tag removed) on page ``number`` whose every descriptor
        declares a zero descent."""
        if number not in self._fonts:
            try:
                self._fonts[number] = self._read_descents(number)
            except Exception:  # noqa: BLE001 -- pdfminer cannot parse what PDFium did: keep PDFium's metrics
                self._fonts[number] = frozenset()
        return self._fonts[number]

    def shown(self, number: int) -> list | None:
        """Page ``number``'s text objects as its content stream draws them (readers/shown.py),
        or None where pdfminer cannot read the page."""
        if number not in self._shown:
            try:
                self._shown[number] = self._read_shown(number)
            except Exception:  # noqa: BLE001 -- a stream pdfminer cannot read: PDFium's reading stands
                self._shown[number] = None
        return self._shown[number]

    def last_drawn(self, shown) -> str | None:
        """The last character other than a space that a text object (a ``Shown``) draws,
        as pdfminer maps its code to Unicode; None where it maps none."""
        font = self._font(shown.font)
        if font is None:
            return None
        for string in reversed(shown.decoded()):
            for cid in reversed(list(font.decode(string))):
                try:
                    char = font.to_unichr(cid)
                except Exception:  # noqa: BLE001 -- pdfminer's PDFUnicodeNotDefined and kin: no character
                    return None
                if char.strip():
                    return char
        return None

    def _font(self, entry):
        from pdfminer.pdfinterp import PDFResourceManager
        from pdfminer.pdftypes import PDFObjRef, resolve1

        spec = resolve1(entry)
        if not isinstance(spec, dict):
            return None
        if self._resources is None:
            self._resources = PDFResourceManager(caching=True)
        try:
            return self._resources.get_font(entry.objid if isinstance(entry, PDFObjRef) else None, spec)
        except Exception:  # noqa: BLE001 -- a font pdfminer cannot build decodes nothing
            return None

    def _page(self, number: int):
        if self._pages is None:
            self._pages = self._page_list()
        return self._pages[number - 1]

    def _read_descents(self, number: int) -> frozenset[str]:
        from pdfminer.pdftypes import resolve1

        fonts = resolve1((resolve1(self._page(number).resources) or {}).get("Font")) or {}
        descents: dict[str, set[float]] = {}
        for font in fonts.values():
            font = resolve1(font) or {}
            descriptor = resolve1(font.get("FontDescriptor"))
            if descriptor is None and font.get("DescendantFonts"):
                descriptor = resolve1((resolve1(resolve1(font["DescendantFonts"])[0]) or {}).get("FontDescriptor"))
            name = getattr(resolve1(font.get("BaseFont")), "name", None)
            if descriptor is None or not isinstance(name, str):
                continue  # a standard font: both libraries use its built-in metrics
            descents.setdefault(name.split("+", 1)[-1], set()).add(float(resolve1(descriptor.get("Descent", 0)) or 0))
        return frozenset(name for name, values in descents.items() if values == {0.0})

    def _read_shown(self, number: int) -> list:
        from pdfminer.pdftypes import resolve1

        from actionplan.extract.readers.shown import shown_strings

        page = self._page(number)
        content = b"\n".join(resolve1(stream).get_data() for stream in page.contents)
        return shown_strings(content, resolve1(page.resources) or {}, _form)

    def _page_list(self) -> list:
        import io

        from pdfminer.pdfdocument import PDFDocument
        from pdfminer.pdfpage import PDFPage
        from pdfminer.pdfparser import PDFParser

        with open(self._path, "rb") as handle:
            data = handle.read()
        document = PDFDocument(PDFParser(io.BytesIO(data)), password=self._password or "")
        return list(PDFPage.create_pages(document))


def _form(entry) -> tuple[bytes, dict | None] | None:
    """A form XObject's content and resources (None: its own are missing); None for any
    other XObject."""
    from pdfminer.pdftypes import PDFStream, resolve1

    stream = resolve1(entry)
    if not isinstance(stream, PDFStream) or getattr(resolve1(stream.get("Subtype")), "name", None) != "Form":
        return None
    return stream.get_data(), resolve1(stream.get("Resources"))


def _read_page(number: int, page, without_descent: frozenset[str] = frozenset(),
               pdfminer: _Pdfminer | None = None) -> PageContent:
    import pypdfium2 as pdfium

    frame = _Frame(page)
    rects, lines, images, order = _drawing(page, frame)
    sizeless = _sized_for_the_text_page(order)
    try:
        textpage = page.get_textpage()
    except pdfium.PdfiumError as exc:
        raise PageUnreadable(str(exc).splitlines()[0][:120]) from None
    try:
        hyphens = _StreamHyphens(pdfminer, number, order)
        drawn: list = []
        _glyphs(textpage.raw, frame, without_descent, hyphens, drawn.append)
    finally:
        textpage.close()
    glyphs = _in_stream_order(drawn, order, sizeless, frame.degenerate)
    return PageContent(
        number=number,
        width=frame.width,
        height=frame.height,
        glyphs=glyphs,
        fills=tuple(FilledBox(b.x0, b.top, b.x1, b.bottom, rgb) for b, rgb in rects if rgb is not None),
        strokes=tuple(b for b, _ in rects) + tuple(lines),
        images=tuple(images),
    )


# ---------------------------------------------------------------------- glyphs


_UNREAD = object()  # a width not asked of the font yet


class _TextObject:
    """What one text object's characters share, read once per object: its handle (address),
    font, size, matrix, descent, colour and marked content; and the terms of a glyph's box
    that depend on none of its characters (the matrix turned into the display frame, the
    vectors to the descent and to the top), so each character pays only for its origin and
    advance."""

    __slots__ = ("address", "font", "font_id", "size", "descent", "colour", "mcid", "tag", "widths", "basis",
                 "edge", "axis", "along", "on_axes")

    def __init__(self, address: int, font, size: float, linear, descent: float, colour: RGB | None,
                 mcid: int, tag: str | None, frame: _Frame, widths: dict, font_id: int | None = None):
        self.address, self.font, self.size, self.descent = address, font, size, descent
        self.font_id = font_id  # the font handle's address: one per font of the document
        self.colour, self.tag = colour, tag
        self.mcid = mcid if mcid >= 0 else None
        self.widths = widths  # character code -> the font's advance at this size (shared by the font's objects)
        a, b, c, d = linear
        p, q, r, s, e, f = frame.ctm
        ta, tb, tc, td = a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s
        # the frame, the matrix turned into it, the vectors to the descent and to the top
        self.basis = (p, q, r, s, e, f, frame.height, ta, tb, tc, td,
                      tc * descent, td * descent, tc * (descent + size), td * (descent + size))
        # A character's advance (text space) runs from its origin to this edge of its loose
        # box, along the baseline's axis (the loose box may also hold ink that overhangs it).
        if abs(a) >= abs(b):
            self.edge, self.axis, self.along = ("right" if a > 0 else "left"), 0, a
        else:
            self.edge, self.axis, self.along = ("top" if b > 0 else "bottom"), 1, b
        # Most text is drawn upright or turned by a right angle (no shear, no tilt): then
        # a box's corners need no four-way min and max (see glyph).
        self.on_axes = tb == 0.0 and tc == 0.0 and self.basis[11] == 0.0 and self.basis[13] == 0.0

    def glyph(self, char: str, origin: tuple[float, float], advance: float) -> Glyph:
        """pdfminer's box: the rectangle (0, descent)..(advance, descent + size) in text space
        (font size applied), through the glyph's matrix, from its origin. (Written out: this
        runs for every character.)"""
        p, q, r, s, e, f, height, ta, tb, tc, td, vx0, vy0, vx1, vy1 = self.basis
        ox, oy = origin
        x = p * ox + r * oy + e
        y = q * ox + s * oy + f
        if self.on_axes:
            # No b and c terms: the four corners' xs are two values twice (origin, origin +
            # advance; the descent terms are zeros), their ys two (descent, top; the advance
            # term is a zero). The min and max of the four are then one of the first two,
            # the same float as below bit for bit: min and max keep the first of equal
            # values and pass over a NaN after the first, as these comparisons do.
            near, far = x + vx0, x + ta * advance + vx0
            low, high = y + vy0, y + vy1
            top = height - (high if high > low else low)
            bottom = height - (high if high < low else low)
            return Glyph(char, far if far < near else near, top, far if far > near else near, bottom,
                         (ta, tb, tc, td, x, y), bottom - top, self.mcid, self.colour, self.tag, self.font_id)
        ux, uy = ta * advance, tb * advance
        xs = (x + vx0, x + vx1, x + ux + vx0, x + ux + vx1)
        ys = (y + vy0, y + vy1, y + uy + vy0, y + uy + vy1)
        top, bottom = height - max(ys), height - min(ys)
        # positional: keywords cost a Glyph twice the time
        return Glyph(char, min(xs), top, max(xs), bottom, (ta, tb, tc, td, x, y), bottom - top,
                     self.mcid, self.colour, self.tag, self.font_id)


def _glyphs(text, frame: _Frame, without_descent: frozenset[str], hyphens: _StreamHyphens, add) -> None:
    """The characters the content stream draws, as PDFium's text page reports them, each
    passed to ``add((glyph, its text object, origin, advance))`` (a callback, not a generator:
    this runs for every character, and each generator a character passes costs). A space
    it generates from a kerning gap just before a drawn space makes it drop the drawn one
    (it keeps the first of two spaces in a row): the drawn space comes back where it stood,
    the generated one's origin."""
    import pypdfium2.raw as raw

    calls = _per_character_calls()
    handle = ctypes.c_void_p(ctypes.cast(text, ctypes.c_void_p).value)  # passed as it is (see _per_character_calls)
    loose = raw.FS_RECTF()
    m = raw.FS_MATRIX()
    ox, oy = ctypes.c_double(), ctypes.c_double()
    to_ox, to_oy, to_loose = ctypes.byref(ox), ctypes.byref(oy), ctypes.byref(loose)
    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    descent, glyph_width = ctypes.c_float(), ctypes.c_float()
    fonts: dict[tuple[int, float], float] = {}  # (font handle, size) -> descent in points
    generated: tuple[int, float, float] | None = None  # (object, origin) of a generated space
    widths: dict[tuple[int, float], dict[int, float | None]] = {}  # (font, size) -> code -> advance
    current = None  # the text object of the character before
    source: _TextObject | None = None
    # the per-character calls as locals (this loop runs for every character)
    unicode, is_generated, char_origin = calls.unicode, calls.is_generated, calls.origin
    loose_box, object_address = calls.loose_box, calls.object_address
    count = raw.FPDFText_CountChars(text)
    codes = _codes_in_one_call(text, count) or [unicode(handle, index) for index in range(count)]
    for index, code in enumerate(codes):
        if code in GENERATED_CODES and is_generated(handle, index) == 1:
            # a space or line break PDFium inferred; the stream never drew it
            generated = None
            if code == 0x20:
                char_origin(handle, index, to_ox, to_oy)
                owner = object_address(handle, index)
                generated = (owner, ox.value, oy.value) if owner else None
            continue
        if not code:
            continue
        char_origin(handle, index, to_ox, to_oy)
        loose_box(handle, index, to_loose)
        address = object_address(handle, index) or 0
        if address != current or not address:
            # size, matrix, font, colour and marked content belong to the text object
            current = address
            obj = raw.FPDFText_GetTextObject(text, index)
            size = raw.FPDFText_GetFontSize(text, index)
            raw.FPDFText_GetMatrix(text, index, m)
            linear = (m.a, m.b, m.c, m.d)
            font = raw.FPDFTextObj_GetFont(obj)
            key = (ctypes.cast(font, ctypes.c_void_p).value or 0, size)
            if key not in fonts:
                ok = font and raw.FPDFFont_GetDescent(font, ctypes.c_float(size), descent)
                fonts[key] = min(descent.value, 0.0) if ok and not _named(font, without_descent) else 0.0
            colour = None
            if raw.FPDFText_GetFillColor(text, index, r, g, b, a):
                colour = (r.value / 255.0, g.value / 255.0, b.value / 255.0)
            mcid = raw.FPDFPageObj_GetMarkedContentID(obj) if obj else -1
            tag = _mark_tag(raw, obj) if obj else None
            source = _TextObject(address, font, size, linear, fonts[key], colour, mcid, tag, frame,
                                 widths.setdefault(key, {}), key[0] or None)
            edge, axis, along, known = source.edge, source.axis, source.along, source.widths
        origin = (ox.value, oy.value)
        if generated is not None and generated[0] == address and not _same(generated[1:], origin):
            # the drawn space PDFium dropped: at the generated one's origin, in this object
            width = _glyph_width(font, 0x20, size, glyph_width)
            if width is not None:
                add((source.glyph(" ", generated[1:], width), source, generated[1:], width))
        generated = None
        if code == PDFIUM_HYPHEN:
            char = _hyphen(font, size, lambda: hyphens.ending(address))
        else:
            char = chr(code) if code < 0x110000 else "\ufffd"  # _char, written out
        # the advance: from the origin to the loose box's far edge along the baseline
        advance = (getattr(loose, edge) - origin[axis]) / along
        if 0.0 > advance:  # max(advance, 0.0), written out (a NaN stays, as there)
            advance = 0.0
        width = known.get(code, _UNREAD)
        if width is _UNREAD:
            width = known[code] = _glyph_width(font, code, size, glyph_width)
        fitting = width if width is not None and width <= advance + SAME_POINT else advance
        add((source.glyph(char, origin, fitting), source, origin, advance))


def _codes_in_one_call(text, count: int) -> list[int] | None:
    """Each character's code, as ``FPDFText_GetUnicode`` gives it, from the page's text in
    one call (a call a character was a quarter of the reader's calls into PDFium). The text
    is one UTF-16 unit a character -- PDFium keeps a character beyond the Basic Multilingual
    Plane as two, its surrogates, and GetUnicode gives those too -- with a line-end hyphen
    spelt U+FFFE where GetUnicode gives U+0002 (a drawn U+FFFE is a noncharacter). Identical
    on the 8,570 pages of the samples, fixtures, test PDFs and sweep caches, and on a page of
    mathematical letters. None where the text is not one unit a character: the caller then
    asks character by character."""
    import pypdfium2.raw as raw

    if count <= 0:
        return []
    units = (ctypes.c_ushort * (2 * count + 1))()  # room for a pair a character, whatever PDFium writes
    if raw.FPDFText_GetText(text, 0, count, units) != count + 1:  # (the count includes a closing NUL)
        return None
    codes = units[:count]
    return [PDFIUM_HYPHEN if code == TEXT_HYPHEN else code for code in codes] if TEXT_HYPHEN in codes else codes


@lru_cache(maxsize=1)
def _per_character_calls():
    """The text page calls made for every character, as prototypes without argument types,
    called with arguments already of their C types: the text page as a ``c_void_p``, the
    index as an int (a C int), the outputs as ``byref`` of their buffers. Checking
    pypdfium2's typed pointer cost about as much as the call itself, and converting each
    argument through declared types (``from_param``) almost half of what was left. The
    text object comes back as its address, an int the loop compares (ctypes.cast of the
    typed pointer, once per character, cost as much as all PDFium's own calls together)."""
    import types

    import pypdfium2.raw as raw

    def prototype(function, restype):
        address = ctypes.cast(function, ctypes.c_void_p).value
        call = ctypes.CFUNCTYPE(restype)(address)
        call.argtypes = None  # no conversion: the caller passes C types
        return call

    return types.SimpleNamespace(
        unicode=prototype(raw.FPDFText_GetUnicode, ctypes.c_uint),  # (text page, index)
        is_generated=prototype(raw.FPDFText_IsGenerated, ctypes.c_int),  # (text page, index)
        origin=prototype(raw.FPDFText_GetCharOrigin, ctypes.c_int),  # (page, index, &x, &y)
        loose_box=prototype(raw.FPDFText_GetLooseCharBox, ctypes.c_int),  # (page, index, &FS_RECTF)
        object_address=prototype(raw.FPDFText_GetTextObject, ctypes.c_void_p),  # (page, index)
    )


def _named(font, names: frozenset[str]) -> bool:
    import pypdfium2.raw as raw

    if not names:
        return False
    buffer = ctypes.create_string_buffer(256)
    length = raw.FPDFFont_GetBaseFontName(font, buffer, len(buffer))
    name = buffer.raw[: max(length - 1, 0)].decode("latin-1", errors="replace") if length else ""
    return name.split("+", 1)[-1] in names


def _glyph_width(font, code: int, size: float, out) -> float | None:
    """The advance PDFium's font gives the character (text space, points), or None."""
    import pypdfium2.raw as raw

    if not font or not raw.FPDFFont_GetGlyphWidth(font, code, ctypes.c_float(size), out):
        return None
    return out.value if out.value > 0 else None


# A ligature PDFium's text page spells as its letters (it decomposes U+FB00-FB06 itself).
LIGATURES = {"ff": "\ufb00", "fi": "\ufb01", "fl": "\ufb02", "ffi": "\ufb03", "ffl": "\ufb04", "st": "\ufb06"}


def _in_stream_order(drawn: list, order: dict[int, int], sizeless: set[int], degenerate: bool) -> tuple[Glyph, ...]:
    """A page's characters as PDFium's text page reports them (``drawn``: a (glyph, its text
    object, origin, advance) for each, from ``_glyphs``), made what pdfminer reports:

    - One drawn glyph whose Unicode is several characters (a ligature "ffi") PDFium spells as
      several characters at one origin; pdfminer keeps it one glyph: so do we, with the loose
      box's advance (the font's width of its first character is not the ligature's). Where
      PDFium decomposed a ligature character the font maps (U+FB01 and kin), the glyph gets
      that character back: the font's width of it is the drawn glyph's advance.
    - pdfminer reports glyphs in the order the content stream draws them; PDFium's text page
      sorts the text objects of one line by their x. Objects go back in stream order (each
      object's own characters keep their order).

    Then collapsed (``_sizeless``) on a degenerate page or where their object is in
    ``sizeless``. One pass, holding back one character (the next may be more of its glyph);
    written out with locals, as one loop over the page's list, where a method call per
    character cost a tenth of the reader's time."""
    unknown = len(order)
    # (rank, address, glyphs): runs of one rank (an object's characters come together).
    # Sorting them stably is sorting the characters stably by rank, one key a run.
    runs: list[tuple[int, int, list[Glyph]]] = []
    run: list[Glyph] = []
    run_source = run_rank = None
    held = held_source = held_origin = None  # the character held back, with its object and origin
    held_advance, merged = 0.0, False  # its advance; whether it has taken in more characters
    # (the end: no character, at no origin, which releases the last one held back)
    for glyph, source, origin, advance in itertools.chain(drawn, ((None, None, None, 0.0),)):
        if held is not None:
            if origin == held_origin and source.address == held_source.address:
                held = held_source.glyph(held.text + glyph.text, held_origin, held_advance)
                merged = True
                continue
            # the held-back character is whole: into its object's run
            if merged:
                held = _ligature(held, held_source, held_origin, held_advance)
                merged = False
            if held_source is not run_source:
                run_source = held_source
                rank = order.get(held_source.address, unknown)
                if rank != run_rank:
                    run_rank, run = rank, []
                    runs.append((rank, held_source.address, run))
            run.append(held)
        held, held_source, held_origin, held_advance = glyph, source, origin, advance
    runs.sort(key=lambda r: r[0])  # stable: runs of one rank keep their order
    if not degenerate and not sizeless:
        return tuple(glyph for _, _, run in runs for glyph in run)
    # (a known rank is one object's, so the run's address is each glyph's; no object
    # of unknown rank is in sizeless, which holds objects of the page's stream)
    return tuple(_sizeless(glyph) if degenerate or (rank != unknown and address in sizeless) else glyph
                 for rank, address, run in runs for glyph in run)


def _ligature(glyph: Glyph, source: _TextObject, origin: tuple[float, float], advance: float) -> Glyph:
    ligature = LIGATURES.get(glyph.text)
    font, size = source.font, source.size
    if ligature is None or not _maps(font, ord(ligature), size):
        return glyph  # the font maps nothing to the ligature: its Unicode was the letters
    width = _glyph_width(font, ord(ligature), size, ctypes.c_float())
    if width is None or width > advance + SAME_POINT:
        return glyph
    return source.glyph(ligature, origin, width)


# A code point no font maps: what PDFium's font gives for a character it has no code for.
UNMAPPED = 0xFFFF


def _maps(font, code: int, size: float) -> bool:
    """Whether the font maps a character code to Unicode ``code`` (PDFium gives a character
    it has no code for the font's default width)."""
    if not font:
        return False
    out = ctypes.c_float()
    width = _glyph_width(font, code, size, out)
    missing = _glyph_width(font, UNMAPPED, size, out)
    return width is not None and (missing is None or abs(width - missing) > SAME_POINT)


def _sized_for_the_text_page(order: dict[int, int]) -> set[int]:
    """PDFium's text page leaves out a text object of font size 0 (its box has no width),
    where pdfminer reports its glyphs with boxes of no size. Such objects get size 1 for the
    text page (in memory; the PDF is never saved), and their glyphs are then reported
    without size: what the layout refuses as text with no measurable size."""
    import pypdfium2.raw as raw

    found = set()
    size = ctypes.c_float()
    for address in order:
        obj = ctypes.cast(address, raw.FPDF_PAGEOBJECT)
        if raw.FPDFTextObj_GetFontSize(obj, size) and size.value == 0.0:
            raw.FPDFTextObj_SetFontSize(obj, ctypes.c_float(1.0))
            raw.FPDFPageObj_Transform(obj, 1.0, 0.0, 0.0, 1.0, 0.0, 0.0)  # makes PDFium measure it again
            found.add(address)
    return found


def _sizeless(glyph: Glyph) -> Glyph:
    """The glyph collapsed to its box's top-left corner, size 0."""
    return replace(glyph, x1=glyph.x0, bottom=glyph.top, size=0.0)


def _hyphen(font, size: float, drawn) -> str:
    """The hyphen PDFium marked as a line-end hyphen (it reports U+0002 for any "-" or soft
    hyphen it takes for one): the one the font maps when it maps only one of the two, else
    the one the content stream draws there (``drawn()``: the two are often one glyph, so
    nothing else tells them apart), else "-"."""
    mapped = [h for h in "-\u00ad" if _maps(font, ord(h), size)]
    if len(mapped) == 1:
        return mapped[0]
    return drawn() or "-"


class _StreamHyphens:
    """The hyphen each text object of a page ends with, as its content stream draws it:
    read once the page has a hyphen that needs it (pdfminer's page parse). Trusted only
    where the stream's text objects are PDFium's, one for one (the same count)."""

    def __init__(self, pdfminer: _Pdfminer | None, number: int, order: dict[int, int]):
        self._pdfminer, self._number, self._order = pdfminer, number, order

    def ending(self, address: int) -> str | None:
        """"-" or U+00AD, or None where the stream does not say."""
        shown = self._pdfminer.shown(self._number) if self._pdfminer is not None else None
        rank = self._order.get(address)
        if shown is None or len(shown) != len(self._order) or rank is None:
            return None
        char = self._pdfminer.last_drawn(shown[rank])
        return char if char in ("-", "\u00ad") else None


def _char(code: int) -> str:
    try:
        return chr(code)
    except (ValueError, OverflowError):
        return "\ufffd"


def _mark_tag(raw, obj) -> str | None:
    """The marked-content tag the object is drawn in: "Artifact" when any enclosing mark is
    one (page furniture in a tagged PDF), else the innermost mark's (P, Span, ...)."""
    count = raw.FPDFPageObj_CountMarks(obj)
    if count <= 0:  # most objects of an untagged PDF: no buffers to make
        return None
    names = []
    buffer = (ctypes.c_ushort * 64)()  # UTF-16LE, with its terminating NUL
    length = ctypes.c_ulong()
    for index in range(count):
        mark = raw.FPDFPageObj_GetMark(obj, index)
        if mark and raw.FPDFPageObjMark_GetName(mark, buffer, ctypes.sizeof(buffer), ctypes.byref(length)):
            units = max(length.value // 2 - 1, 0)
            names.append(bytes(buffer)[:2 * units].decode("utf-16-le", "replace"))
    if "Artifact" in names:
        return "Artifact"
    return names[-1] if names else None


# ---------------------------------------------------------------------- drawing


def _drawing(page, frame: _Frame):
    """(rectangles with their fill colour or None, lines, images, text objects' stream order:
    handle -> rank) of the page, forms included."""
    import pypdfium2.raw as raw

    rects: list[tuple[Box, RGB | None]] = []
    lines: list[Box] = []
    images: list[Box] = []
    order: dict[int, int] = {}
    identity = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    pending = [(raw.FPDFPage_GetObject(page.raw, i), identity) for i in range(raw.FPDFPage_CountObjects(page.raw))]
    pending.reverse()
    m = raw.FS_MATRIX()
    while pending:
        obj, parent = pending.pop()
        kind = raw.FPDFPageObj_GetType(obj)
        own = _matrix(obj, m)
        if kind == raw.FPDF_PAGEOBJ_FORM:
            matrix = _compose(own, parent)
            children = [(raw.FPDFFormObj_GetObject(obj, i), matrix) for i in range(raw.FPDFFormObj_CountObjects(obj))]
            pending.extend(reversed(children))
        elif kind == raw.FPDF_PAGEOBJ_PATH:
            _path(obj, _compose(own, parent), frame, rects, lines)
        elif kind == raw.FPDF_PAGEOBJ_IMAGE:
            matrix = _compose(own, parent)
            images.append(frame.box([_apply(matrix, x, y) for x in (0.0, 1.0) for y in (0.0, 1.0)]))
        elif kind == raw.FPDF_PAGEOBJ_TEXT:
            order[ctypes.cast(obj, ctypes.c_void_p).value or 0] = len(order)
    return rects, lines, images, order


def _matrix(obj, m) -> tuple[float, ...]:
    import pypdfium2.raw as raw

    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _compose(inner, outer) -> tuple[float, ...]:
    """``inner`` then ``outer`` (PDF row-vector convention: inner x outer)."""
    a, b, c, d, e, f = inner
    p, q, r, s, t, u = outer
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _apply(matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = matrix
    return a * x + c * y + e, b * x + d * y + f


def _path(obj, matrix, frame: _Frame, rects, lines) -> None:
    import pypdfium2.raw as raw

    fill_mode, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill_mode, stroke):
        return
    filled = fill_mode.value != raw.FPDF_FILLMODE_NONE
    if not filled and not stroke.value:
        return  # a clipping path: pdfminer paints nothing for "n"
    colour = _fill_colour(obj) if filled else None
    for points in _subpaths(obj, matrix):
        if len(points) == 2:
            lines.append(frame.box(points))
        elif len(points) == 4 and _axis_rectangle(points):
            rects.append((frame.box(points), colour))


def _subpaths(obj, matrix) -> Iterator[list[tuple[float, float]]]:
    """Each subpath's points in user space; None for one with curves (not a line or box)."""
    import pypdfium2.raw as raw

    x, y = ctypes.c_float(), ctypes.c_float()
    points: list[tuple[float, float]] = []
    curved = False
    for index in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, index)
        kind = raw.FPDFPathSegment_GetType(segment)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            if points and not curved:
                yield _closed(points)
            points, curved = [], False
        curved = curved or kind == raw.FPDF_SEGMENT_BEZIERTO
        points.append(_apply(matrix, x.value, y.value))
    if points and not curved:
        yield _closed(points)


def _closed(points: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """A subpath that returns to its start, without the repeated point."""
    if len(points) > 2 and _same(points[0], points[-1]):
        return points[:-1]
    return points


def _same(p, q) -> bool:
    return abs(p[0] - q[0]) <= SAME_POINT and abs(p[1] - q[1]) <= SAME_POINT


def _axis_rectangle(points) -> bool:
    """pdfminer's test: four corners whose sides run along the axes."""
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points
    eq = lambda u, v: abs(u - v) <= SAME_POINT  # noqa: E731
    return ((eq(x0, x1) and eq(y1, y2) and eq(x2, x3) and eq(y3, y0))
            or (eq(y0, y1) and eq(x1, x2) and eq(y2, y3) and eq(x3, x0)))


def _fill_colour(obj) -> RGB | None:
    import pypdfium2.raw as raw

    r, g, b, a = ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint(), ctypes.c_uint()
    if not raw.FPDFPageObj_GetFillColor(obj, r, g, b, a):
        return None
    return (r.value / 255.0, g.value / 255.0, b.value / 255.0)
