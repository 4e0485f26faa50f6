"""The strings a page's content stream shows, one entry per text object PDFium makes of
them, in the order PDFium lists its page objects (forms entered where they are drawn).

Why: PDFium's text page reports a hyphen it takes for a line-end hyphen as U+0002,
whichever character the stream drew; a font that maps both "-" and the soft hyphen U+00AD
(WeasyPrint's `hyphens: auto` draws U+00AD with a glyph identical to "-": same width, same
outline) leaves nothing in PDFium's API to tell them apart but the character code, which
only the stream holds. This reads just that: operators and their string operands, with a
small tokenizer (pdfminer's would cost more than PDFium's whole page), fonts by their
resource entries. Decoding a code to Unicode is pdfminer's (the reader's own font parse).

PDFium's rules followed (CPDF_StreamContentParser): ``Tj``, ``'`` and ``"`` make a text
object of a non-empty string, ``TJ`` of an array with at least one non-empty string, and
only once a font is set (``Tf``; ``q``/``Q`` save and restore it, a form inherits it). The
caller checks the count against PDFium's text objects before trusting any entry."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

WHITESPACE = b"\x00\t\n\x0c\r "
_REGULAR = rb"[^\x00\t\n\x0c\r ()<>\[\]{}/%]"
_LITERAL = rb"\((?:[^()\\]|\\[\s\S])*\)"  # a literal string without nested parentheses
_HEX = rb"<[^<>]*>"
# One token. White space, comments and numbers are skipped in one match (no operand this
# reads is a number), and an array of strings and numbers (TJ's) is one match: a page is
# mostly those, and each token costs a step of Python.
TOKEN = re.compile(
    rb"(?:[\x00\t\n\x0c\r ]+|%[^\r\n]*|[+-]?(?:\d+\.?\d*|\.\d+)(?!" + _REGULAR + rb"))+"
    rb"|(\[(?:[^\[\]()<>]|" + _HEX + rb"|" + _LITERAL + rb")*\])"  # 1: an array of strings and numbers
    rb"|(" + _LITERAL + rb")"  # 2: a literal string
    rb"|(<(?!<)[^<>]*>)"  # 3: a hex string
    rb"|/(" + _REGULAR + rb"*)"  # 4: a name
    rb"|(" + _REGULAR + rb"+)"  # 5: an operator (or true, false, null)
    rb"|(\(|<<|>>|[\[\]{}])"  # 6: a literal with nested parentheses, a dictionary or array bracket
)
STRING = re.compile(_LITERAL + rb"|" + _HEX)
LITERAL_STOPS = re.compile(rb"[()\\]")
ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|[\s\S])")
ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\r\n": b"", b"\n": b"", b"\r": b""}
# An inline image's data ends at "EI" between white space and a delimiter (or the end).
INLINE_IMAGE_END = re.compile(rb"[\x00\t\n\x0c\r ]EI(?=[\x00\t\n\x0c\r /%\[<(]|$)")
# Keywords that are operands, not operators (in marked-content property dictionaries).
KEYWORD_VALUES = (b"true", b"false", b"null")
# PDFium's limit on forms drawn inside forms (kMaxFormLevel); deeper ones are not read.
MAX_FORM_DEPTH = 40


@dataclass(frozen=True)
class Shown:
    """One text object: the font resource in effect (as the resources hold it) and the
    non-empty strings it shows."""

    font: object
    strings: tuple[bytes, ...]  # as written: "(...)" or "<...>" (decoded when asked: most never are)

    def decoded(self) -> tuple[bytes, ...]:
        return tuple(_string(s) for s in self.strings)


class StreamUnreadable(ValueError):
    """The content stream could not be tokenized."""


# A form's content and resources, or None when the XObject is not a form.
FormReader = Callable[[object], "tuple[bytes, dict] | None"]


def shown_strings(content: bytes, resources: dict, read_form: FormReader) -> list[Shown]:
    """Every text object the stream's operators make, forms included (depth first)."""
    shown: list[Shown] = []
    _run(content, resources, read_form, shown, font=None, depth=0, active=set())
    return shown


def _run(content: bytes, resources: dict, read_form: FormReader, shown: list[Shown], font,
         depth: int, active: set) -> None:
    saved: list = []
    fonts = _entries(resources, "Font")
    operands: list = []
    for token in _objects(content):
        if not isinstance(token, _Operator):
            operands.append(token)
            continue
        op = token.name
        if op == b"q":
            saved.append(font)
        elif op == b"Q":
            font = saved.pop() if saved else font
        elif op == b"Tf" and operands and isinstance(operands[-1], _Name):  # (the size, a number, is left out)
            font = fonts.get(operands[-1].name, _MISSING)  # PDFium falls back to a stock font
        elif op in (b"Tj", b"'", b'"') and operands and isinstance(operands[-1], bytes):
            if font is not None and not _empty(operands[-1]):
                shown.append(Shown(font, (operands[-1],)))
        elif op == b"TJ" and operands and isinstance(operands[-1], list):
            strings = tuple(s for s in operands[-1] if isinstance(s, bytes) and not _empty(s))
            if font is not None and strings:
                shown.append(Shown(font, strings))
        elif op == b"Do" and operands and isinstance(operands[-1], _Name) and depth < MAX_FORM_DEPTH:
            xobject = _entries(resources, "XObject").get(operands[-1].name)
            form = read_form(xobject) if xobject is not None and id(xobject) not in active else None
            if form is not None:
                active.add(id(xobject))
                _run(form[0], form[1] if form[1] is not None else resources, read_form, shown, font,
                     depth + 1, active)
                active.discard(id(xobject))
        operands = []


# Tf naming a font the resources do not hold: PDFium still makes text objects (stock font).
_MISSING = object()


def _entries(resources: dict, kind: str) -> dict[str, object]:
    """Resource names of one kind -> their entries (names without the slash)."""
    from pdfminer.pdftypes import resolve1

    table = resolve1((resources or {}).get(kind)) if isinstance(resources, dict) else None
    return {str(k): v for k, v in table.items()} if isinstance(table, dict) else {}


@dataclass(frozen=True)
class _Name:
    name: str


@dataclass(frozen=True)
class _Operator:
    name: bytes


def _objects(data: bytes):
    """Operands (strings as bytes, names, arrays as lists; numbers left out) and operators,
    in order. A dictionary (inline image, marked-content properties) is one opaque operand."""
    stack: list[list] = []
    out: list = []
    pos, end = 0, len(data)
    while pos < end:
        match = TOKEN.match(data, pos)
        if match is None:
            raise StreamUnreadable(f"unexpected byte at {pos}")
        pos = match.end()
        kind = match.lastindex
        if kind is None:
            continue  # white space, comments, numbers
        token = match.group(kind)
        if kind == 1:
            value = STRING.findall(token)
        elif kind in (2, 3):
            value = token
        elif kind == 4:
            value = _Name(token.decode("latin-1"))
        elif kind == 5 and token not in KEYWORD_VALUES:
            if stack:  # an operator inside an array: the array was never closed; drop it
                stack, out = [], []
            if token == b"ID":
                pos = _skip_inline_image(data, pos)
                continue
            yield from out
            out = []
            yield _Operator(token)
            continue
        elif kind == 5:
            value = None  # true, false, null: no operand this reads
        elif token == b"(":
            value, pos = _literal(data, pos)
        elif token in (b"[", b"<<", b"{"):
            stack.append(out)
            out = []
            continue
        else:  # "]", ">>", "}"
            value = out if token == b"]" else ()
            out = stack.pop() if stack else []
        out.append(value)


def _string(token: bytes) -> bytes:
    """A string token's bytes (literal or hex)."""
    return _unescape(token[1:-1]) if token[:1] == b"(" else _hex(token)


def _empty(token: bytes) -> bool:
    """A string token that holds no byte: "()", "<>" (white space aside)."""
    return len(token) == 2 or (token[:1] == b"<" and not token[1:-1].strip(WHITESPACE))


def _literal(data: bytes, pos: int) -> tuple[bytes, int]:
    """A literal string with nested parentheses, as written, from just after its "(" to
    just after its ")"."""
    depth, start = 1, pos - 1
    while True:
        match = LITERAL_STOPS.search(data, pos)
        if match is None:
            return data[start:] + b")", len(data)
        char, pos = match.group(), match.end()
        if char == b"\\":
            pos += 1
        elif char == b"(":
            depth += 1
        else:
            depth -= 1
            if depth == 0:
                return data[start:pos], pos


def _unescape(raw: bytes) -> bytes:
    if b"\\" not in raw:
        return raw

    def one(match: re.Match) -> bytes:
        code = match.group(1)
        if code[:1].isdigit() and code[:1] in b"01234567":
            return bytes([int(code, 8) & 0xFF])
        return ESCAPES.get(code, code)

    return ESCAPE.sub(one, raw)


def _hex(token: bytes) -> bytes:
    digits = bytes(c for c in token[1:-1] if c not in WHITESPACE)
    if len(digits) % 2:
        digits += b"0"
    try:
        return bytes.fromhex(digits.decode("ascii"))
    except ValueError as exc:
        raise StreamUnreadable(str(exc)) from None


def _skip_inline_image(data: bytes, pos: int) -> int:
    match = INLINE_IMAGE_END.search(data, pos)
    return match.end() if match else len(data)
