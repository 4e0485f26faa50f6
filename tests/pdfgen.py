"""Small PDFs written byte by byte for the tests of hostile and degenerate input: forms that
draw each other (2^depth objects from a few KB), pages of millions of rectangles, zero font
sizes, a page box of 1e30 points. No library writes such files on purpose."""

from __future__ import annotations

import zlib

HEADER_LINE = "Theme/ Score given  Characteristic description  Opportunity for Improvement"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of ``objects`` (object 1 the catalog) with a correct cross-reference table."""
    out = bytearray(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def stream(data: bytes, entries: bytes = b"") -> bytes:
    packed = zlib.compress(data, 9)
    return b"<< /Length %d /Filter /FlateDecode%s >>\nstream\n" % (len(packed), entries) + packed + b"\nendstream"


def pages_pdf(contents: list[bytes], media_box: bytes = b"0 0 612 792", xobjects: list[bytes] = ()) -> bytes:
    """One page per content stream, Helvetica as /F1; ``xobjects`` are extra objects the
    pages name as /X0, /X1... (object numbers from 4 + 2 * pages)."""
    pages = len(contents)
    first_x = 4 + 2 * pages
    names = b" ".join(b"/X%d %d 0 R" % (i, first_x + i) for i in range(len(xobjects)))
    resources = b"<< /Font << /F1 3 0 R >> /XObject << %s >> >>" % names
    kids = b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i, content in enumerate(contents):
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [%s] /Contents %d 0 R /Resources %s >>"
                       % (media_box, 5 + 2 * i, resources))
        objects.append(stream(content))
    return pdf(objects + list(xobjects))


def text_lines(lines: list[str], size: float = 10, matrix: str | None = None) -> bytes:
    """Lines of text down the page, at font ``size`` (or through a text ``matrix`` "a b c d")."""
    ops = []
    for i, line in enumerate(lines):
        y = 740 - 14 * i
        place = f"{matrix} 72 {y} Tm" if matrix else f"72 {y} Td"
        ops.append(f"BT /F1 {size:g} Tf {place} ({line}) Tj ET")
    return "\n".join(ops).encode("latin-1")


def plan_like_lines() -> list[str]:
    return [HEADER_LINE, "Recommendations and action plan  Allocated to and indicative timeline",
            "1. CONTINUOUS IMPROVEMENT:", "CI001: The authority has a clear vision.",
            "Some gaps identified.  CLT to act.  CLT, Q2 2024."] * 3


def recursive_forms(depth: int, pages: int = 1, hostile_pages: set[int] | None = None) -> bytes:
    """Form k draws form k-1 twice: a page drawing form ``depth`` draws 2^depth rectangles.
    Every page has a few lines of text; the ``hostile_pages`` (1-based, default all) also
    draw the forms."""
    hostile = set(range(1, pages + 1)) if hostile_pages is None else hostile_pages
    first_form = 4 + 2 * pages
    form = b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]"
    forms = [stream(b"0 0 1 1 re f", form)]
    forms += [stream(b"/G Do /G Do", form + b" /Resources << /XObject << /G %d 0 R >> >>" % (first_form + k - 1))
              for k in range(1, depth)]
    text = text_lines(plan_like_lines())
    contents = [text + (b"\n/X%d Do" % (depth - 1) if n in hostile else b"") for n in range(1, pages + 1)]
    return pages_pdf(contents, xobjects=forms)


def many_rectangles(count: int) -> bytes:
    """One page drawing ``count`` one-point rectangles (compresses to a few KB)."""
    return pages_pdf([text_lines(plan_like_lines()) + b"\n" + b"0 0 1 1 re f\n" * count])


def big_number(exponent: int) -> bytes:
    """10**exponent as PDF writes numbers (no exponent notation)."""
    return b"1" + b"0" * exponent


# A ToUnicode CMap for a one-byte font: printable ASCII as itself, 0xAD the soft hyphen.
SOFT_HYPHEN_CMAP = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def
/CMapName /Adobe-Identity-UCS def /CMapType 2 def
1 begincodespacerange <00> <FF> endcodespacerange
1 beginbfrange <20> <7E> <0020> endbfrange
1 beginbfchar <AD> <00AD> endbfchar
endcmap CMapName currentdict /CMap defineresource pop end end"""


def hyphens_pdf(content: bytes, form: bytes | None = None) -> bytes:
    """One page whose font /F1 (Helvetica, WinAnsi) maps both "-" (0x2D) and the soft
    hyphen (0xAD) -- one glyph, one width, as a typesetter's hyphenation draws it -- with
    /F2 a second font and ``form`` (a content stream, fonts inherited) drawable as /X0."""
    font = b"<< /Type /Font /Subtype /Type1 /BaseFont /%s /Encoding /WinAnsiEncoding /ToUnicode 6 0 R >>"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [4 0 R] /Count 1 >>",
               font % b"Helvetica",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 5 0 R /Resources"
               b" << /Font << /F1 3 0 R /F2 7 0 R >> /XObject << /X0 8 0 R >> >> >>",
               stream(content), stream(SOFT_HYPHEN_CMAP), font % b"Times-Roman",
               stream(form or b"", b" /Type /XObject /Subtype /Form /BBox [0 0 612 792]")]
    return pdf(objects)
