"""Paragraph lines -> text: wrapped lines joined with single spaces, words broken by the
column put back together, markup junk removed. Every change to the words is a Repair."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from actionplan.schema.records import Line, Paragraph

PARAGRAPH_BREAK = "\n\n"
MARKUP = re.compile(r"</?(?:b|i|u|s|sub|sup|del|ins|em|strong|span|br|p|li|ol|ul)\s*/?>", re.I)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
WORD_CORE = re.compile(r"[^\w'-]+")
# Hyphens a typesetter writes when it breaks a word at a line end (U+2010 HYPHEN from CSS
# `hyphens: auto`, U+00AD SOFT HYPHEN): the word was whole. A hyphen-minus at a line end
# may be a real hyphen ("co-design") and is judged against the document's vocabulary;
# U+2011 NON-BREAKING HYPHEN is always a real one.
BREAK_HYPHENS = "\u2010\u00ad"
LINE_END_HYPHENS = BREAK_HYPHENS + "-\u2011"
# Typographic ligatures (U+FB00-FB06) stand for their letters.
LIGATURES = {"\ufb00": "ff", "\ufb01": "fi", "\ufb02": "fl", "\ufb03": "ffi", "\ufb04": "ffl",
             "\ufb05": "st", "\ufb06": "st"}
LIGATURE = re.compile("[" + "".join(LIGATURES) + "]")


@dataclass(frozen=True)
class TextEdit:
    """One change to the words of a text, before it is tied to an element and field."""

    before: str
    after: str
    rule: str


def core(word: str) -> str:
    return WORD_CORE.sub("", word).lower()


class Vocabulary:
    """The document's own words, so that a join is judged against the text itself."""

    def __init__(self, words: Iterable[str]):
        words = list(words)
        self._counts = Counter(core(w) for w in words if core(w))
        self._printed = {w.lower().strip(".,;:()") for w in words}

    def __contains__(self, word: str) -> bool:
        return self._counts.get(core(word), 0) > 0

    def printed_alone(self, token: str) -> bool:
        """Was this exact token (e.g. "CIPFA/") printed followed by a space somewhere?"""
        return token.lower().strip(".,;:()") in self._printed


def vocabulary_of(paragraphs: Iterable[Paragraph]) -> Vocabulary:
    """Every word except the pieces at a forced line break, which may be fragments."""
    words = []
    for paragraph in paragraphs:
        lines = paragraph.lines
        for i, line in enumerate(lines):
            texts = [w.text for w in line.words]
            if _line_is_forced(line):
                continue
            if i > 0 and (_line_is_forced(lines[i - 1]) or lines[i - 1].text.endswith(tuple(LINE_END_HYPHENS))):
                texts = texts[1:]
            if texts and texts[-1].endswith(tuple(LINE_END_HYPHENS) + ("/",)):
                texts = texts[:-1]  # a line end: we cannot tell what followed it
            words.extend(texts)
    return Vocabulary(words)


def _line_is_forced(line: Line) -> bool:
    """One word filling the column: the layout had to break it mid-word."""
    if len(line.words) != 1:
        return False
    return line.right_limit - line.x1 <= 0.6 * line.height


def paragraph_text(paragraph: Paragraph, vocab: Vocabulary) -> tuple[str, list[TextEdit]]:
    """Join a paragraph's lines; report every change to a word (ligatures expanded first,
    then the joins)."""
    edits: list[TextEdit] = []
    texts = []
    for line in paragraph.lines:
        text, found = expand_ligatures(line.text)
        texts.append(text)
        edits.extend(found)
    text = ""
    previous: Line | None = None
    for line, line_text in zip(paragraph.lines, texts):
        if previous is None:
            text = line_text
        else:
            text, edit = _join(text, previous, line_text, vocab)
            if edit:
                edits.append(edit)
        previous = line
    return text, edits


def expand_ligatures(text: str) -> tuple[str, list[TextEdit]]:
    """"ﬁnancial" -> "financial", each word changed logged."""
    if not LIGATURE.search(text):
        return text, []
    edits = []
    words = text.split(" ")
    for i, word in enumerate(words):
        if LIGATURE.search(word):
            plain = LIGATURE.sub(lambda m: LIGATURES[m.group(0)], word)
            edits.append(TextEdit(word, plain, "ligature_expanded"))
            words[i] = plain
    return " ".join(words), edits


def _join(text: str, previous: Line, line_text: str, vocab: Vocabulary) -> tuple[str, TextEdit | None]:
    head, _, last = text.rpartition(" ")
    first, _, tail = line_text.partition(" ")
    prefix = f"{head} " if head else ""
    suffix = f" {tail}" if tail else ""
    if last.endswith(tuple(BREAK_HYPHENS)) and len(last) > 1 and first[:1].isalnum():
        joined = last[:-1] + first
        return prefix + joined + suffix, TextEdit(f"{last} {first}", joined, "line_end_hyphen_removed")
    if last.endswith("\u2011") and len(last) > 1:
        return prefix + last + first + suffix, None  # a non-breaking hyphen is a real one
    if last.endswith("-") and len(last) > 1 and last[-2].isalnum() and first[:1].isalpha():
        joined_plain = last[:-1] + first
        if joined_plain in vocab and (last + first) not in vocab and first[:1].islower():
            return prefix + joined_plain + suffix, TextEdit(f"{last} {first}", joined_plain,
                                                            "line_end_hyphen_removed")
        # A real hyphen ("co-design", "day-to-day"): keep it, close the gap.
        return prefix + last + first + suffix, None
    if last.endswith("-") and len(last) > 1 and last[-2].isdigit() and first[:1].isdigit():
        # A range broken after its hyphen ("2024-" / "2027"): the hyphen is the range's.
        return prefix + last + first + suffix, None
    if last.endswith("/") and len(last) > 1 and first[:1].isalnum() and not vocab.printed_alone(last):
        # Layouts break after a slash ("HR/" / "Payroll"); "X/ Y" with a space is rare.
        return prefix + last + first + suffix, None
    if _line_is_forced(previous) and first[:1].islower():
        joined = last + first
        if joined in vocab or last not in vocab:
            return prefix + joined + suffix, TextEdit(f"{last} {first}", joined,
                                                      "narrow_column_word_rejoined")
    return f"{text} {line_text}", None


def cell_text(paragraphs: Sequence[Paragraph], vocab: Vocabulary) -> tuple[str, list[TextEdit]]:
    texts, edits = [], []
    for paragraph in paragraphs:
        text, found = paragraph_text(paragraph, vocab)
        texts.append(text)
        edits.extend(found)
    return PARAGRAPH_BREAK.join(texts), edits


def strip_junk(text: str) -> tuple[str, list[TextEdit]]:
    """Markup tags and control characters leaked from a text layer."""
    edits = []
    for pattern, rule in ((MARKUP, "markup_removed"), (CONTROL, "control_character_removed")):
        for match in pattern.finditer(text):
            edits.append(TextEdit(match.group(0), "", rule))
        text = pattern.sub("", text)
    if edits:
        text = re.sub(r"[ \t]{2,}", " ", text)
    return text, edits
