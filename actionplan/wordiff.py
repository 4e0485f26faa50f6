"""Word-level differences between two texts, for people reading a change.

Texts are compared as sequences of whitespace-separated words, so a re-wrapped paragraph is
not a change. Three renderings are offered: an inline one for a CSV cell
(``... to demonstrate [-delivery.-] {+delivery and progress.+}``, the ``wdiff`` convention)
and a Markdown one for report.md (``~~deleted~~`` and ``**inserted**``), and an HTML one
(``<del>``, ``<ins>``) for report.html.
"""

from __future__ import annotations

import difflib
import html
import re
from dataclasses import dataclass

EQUAL, DELETE, INSERT = "equal", "delete", "insert"
# Words of unchanged text kept on each side of a change in the inline rendering: enough to
# find the spot in the document, short enough for one CSV cell.
INLINE_CONTEXT_WORDS = 3
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_~\[\]<>|#])")


@dataclass(frozen=True)
class Chunk:
    op: str  # EQUAL, DELETE or INSERT
    words: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(self.words)


def word_diff(before: str, after: str) -> tuple[Chunk, ...]:
    """The edit from ``before`` to ``after`` as runs of equal, deleted and inserted words."""
    old, new = tuple((before or "").split()), tuple((after or "").split())
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    chunks: list[Chunk] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            chunks.append(Chunk(EQUAL, old[i1:i2]))
            continue
        if i2 > i1:
            chunks.append(Chunk(DELETE, old[i1:i2]))
        if j2 > j1:
            chunks.append(Chunk(INSERT, new[j1:j2]))
    return tuple(chunks)


def inline_diff(before: str, after: str, context: int = INLINE_CONTEXT_WORDS) -> str:
    """Only the changed places, each with a few words around it, joined by " … "."""
    chunks = word_diff(before, after)
    pieces: list[str] = []
    for index, chunk in enumerate(chunks):
        if chunk.op == DELETE:
            pieces.append(f"[-{chunk.text}-]")
        elif chunk.op == INSERT:
            pieces.append(f"{{+{chunk.text}+}}")
        else:
            pieces.append(_trimmed_context(chunk.words, context, index == 0, index == len(chunks) - 1))
    return " ".join(p for p in pieces if p)


def _trimmed_context(words: tuple[str, ...], context: int, first: bool, last: bool) -> str:
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(words) <= keep_head + keep_tail:
        return " ".join(words)
    head = " ".join(words[:keep_head])
    tail = " ".join(words[len(words) - keep_tail:]) if keep_tail else ""
    return " ".join(p for p in (head, "…", tail) if p)


def markdown_diff(before: str, after: str, context: int | None = None) -> str:
    """Deletions struck through, insertions in bold; the whole text, or with ``context``
    only that many unchanged words around each change."""
    chunks = word_diff(before, after)
    pieces = []
    for index, chunk in enumerate(chunks):
        if chunk.op == DELETE:
            pieces.append(f"~~{escape_markdown(chunk.text)}~~")
        elif chunk.op == INSERT:
            pieces.append(f"**{escape_markdown(chunk.text)}**")
        elif context is None:
            pieces.append(escape_markdown(chunk.text))
        else:
            pieces.append(escape_markdown(
                _trimmed_context(chunk.words, context, index == 0, index == len(chunks) - 1)))
    return " ".join(p for p in pieces if p)


def escape_markdown(text: str) -> str:
    """Plain text that Markdown shows as written (also safe inside a table cell)."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def html_diff(before: str, after: str) -> str:
    """The whole text with deletions in <del> and insertions in <ins> (HTML-escaped)."""
    pieces = []
    for chunk in word_diff(before, after):
        text = html.escape(chunk.text, quote=False)
        pieces.append(f"<del>{text}</del>" if chunk.op == DELETE else f"<ins>{text}</ins>" if chunk.op == INSERT else text)
    return " ".join(pieces)
