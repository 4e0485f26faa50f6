"""Changes made to a rendered PDF afterwards, the way other software changes real ones
(pikepdf): pages drawn sideways or upside down, a landscape document stored on portrait
paper with ``/Rotate`` (as print-to-PDF drivers write it), documents bound into one
committee pack, and a font whose line-end hyphen is mapped to SOFT HYPHEN.

Coordinates: PDF user space (points, origin bottom-left), as in the content streams.
"""
from __future__ import annotations

import re
from pathlib import Path

import pikepdf

#: Rotations of a page's drawing, counter-clockwise degrees: (a, b, c, d) of the ``cm``
#: matrix; the translation follows from the page size (``_rotation_matrix``).
_TURNS = {90: (0, 1, -1, 0), 180: (-1, 0, 0, -1), 270: (0, -1, 1, 0)}


def _rotation_matrix(angle: int, width: float, height: float) -> tuple[float, ...]:
    """``cm`` operands that turn a width x height drawing by ``angle`` (counter-clockwise)
    and move it back onto the page (its box swapped for 90/270)."""
    a, b, c, d = _TURNS[angle]
    e, f = {90: (height, 0), 180: (width, height), 270: (0, width)}[angle]
    return a, b, c, d, e, f


def _turn_page(pdf: pikepdf.Pdf, page: pikepdf.Page, angle: int) -> None:
    """Draw the page's content turned by ``angle`` on a page whose box is swapped for a
    quarter turn.  The content stream itself is untouched inside ``q ... cm ... Q``."""
    x0, y0, x1, y1 = (float(v) for v in page.mediabox)
    width, height = x1 - x0, y1 - y0
    a, b, c, d, e, f = _rotation_matrix(angle, width, height)
    prefix = f"q {a} {b} {c} {d} {e:.4f} {f:.4f} cm 1 0 0 1 {-x0:.4f} {-y0:.4f} cm\n"
    page.contents_add(pdf.make_stream(prefix.encode()), prepend=True)
    page.contents_add(pdf.make_stream(b"\nQ\n"))
    new_w, new_h = (height, width) if angle in (90, 270) else (width, height)
    page.mediabox = pikepdf.Array([0, 0, new_w, new_h])
    for box in ("/CropBox", "/TrimBox", "/BleedBox", "/ArtBox"):
        if box in page.obj:
            del page.obj[box]
    if "/Annots" in page.obj:     # link rectangles would point at the old positions
        del page.obj["/Annots"]


def turn_pages(pdf_in: Path, pdf_out: Path, angles: dict[int, int]) -> None:
    """Pages (0-based) drawn sideways (90: text reads upwards, 270: downwards) or upside
    down (180) inside an otherwise upright document; no ``/Rotate`` is set, so a viewer
    shows them turned, as a page scanned or exported the wrong way round."""
    with pikepdf.open(pdf_in) as pdf:
        for index, angle in angles.items():
            _turn_page(pdf, pdf.pages[index], angle)
        pdf.save(pdf_out, deterministic_id=True)


def store_rotated(pdf_in: Path, pdf_out: Path, rotate: int = 90) -> None:
    """Every page stored turned the other way and shown upright by ``/Rotate``: a
    landscape page becomes portrait paper with ``/Rotate 90`` (print-to-PDF drivers)."""
    with pikepdf.open(pdf_in) as pdf:
        for page in pdf.pages:
            _turn_page(pdf, page, rotate)   # drawn a quarter turn anticlockwise, shown turned back clockwise
            page.obj["/Rotate"] = rotate
        pdf.save(pdf_out, deterministic_id=True)


def bind(parts: list[Path], pdf_out: Path) -> list[int]:
    """Documents bound one after another into one PDF (a committee's reports pack);
    returns each part's page count."""
    counts = []
    with pikepdf.new() as pack:
        for part in parts:
            with pikepdf.open(part) as doc:
                pack.pages.extend(doc.pages)
                counts.append(len(doc.pages))
        pack.save(pdf_out, deterministic_id=True)
    return counts


_HYPHEN_TARGET = re.compile(rb"(<[0-9a-fA-F]+>\s*)<2010>")


def hyphen_as_soft_hyphen(pdf_in: Path, pdf_out: Path) -> int:
    """Map the U+2010 glyph of every font's ToUnicode CMap to U+00AD: a text layer whose
    line-end hyphens read as SOFT HYPHEN (what some producers write for a discretionary
    hyphen).  Returns the number of CMap entries changed."""
    changed = 0
    with pikepdf.open(pdf_in) as pdf:
        seen: set[tuple[int, int]] = set()
        for page in pdf.pages:
            fonts = page.obj.get("/Resources", {}).get("/Font", {})
            for _, font in fonts.items():
                cmap = font.get("/ToUnicode")
                if cmap is None or cmap.objgen in seen:
                    continue
                seen.add(cmap.objgen)
                data, n = _HYPHEN_TARGET.subn(rb"\1<00ad>", cmap.read_bytes())
                if n:
                    cmap.write(data)
                    changed += n
        pdf.save(pdf_out, deterministic_id=True)
    return changed
