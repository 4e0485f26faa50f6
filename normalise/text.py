"""Paragraph lines -> text: wrapped lines joined with single spaces, words broken by the
column put back together, markup junk removed. Every change to the words is a Repair."""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from actionplan.normalise.english import ENDINGS, MIN_STEM, is_english, may_break
from actionplan.schema.records import Line, Paragraph, Word

PARAGRAPH_BREAK = "\n\n"
MARKUP = re.compile(r"</?(?:b|i|u|s|sub|sup|del|ins|em|strong|span|br|p|li|ol|ul)\s*/?>", re.I)
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u200b\ufeff]")
WORD_CORE = re.compile(r"[^\w'-]+")
# Hyphens a typesetter writes when it breaks a word at a line end (U+2010 HYPHEN from CSS
# `hyphens: auto`, U+00AD SOFT HYPHEN): the word was whole. A hyphen-minus at a line end
# may be a real hyphen ("co-design") and is judged against the document's vocabulary.
# No line breaks at a U+2011 NON-BREAKING HYPHEN: at a line end it is a typesetter's
# hyphenation character (CSS `hyphenate-character`), unless the document prints that
# hyphenated word elsewhere.
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
    """The document's own words, so that a join is judged against the text itself -- and,
    for a word it never prints whole, English (normalise/english.py)."""

    def __init__(self, words: Iterable[str], minus_breaks: Iterable[tuple[str, str]] = (),
                 codes: Iterable[str] = ()):
        words = list(words)
        # The owner glossary's codes ("HoDemocratic"): a narrow owner column may break every
        # one the document prints, so the document alone never shows them whole.
        self._codes = {core(c) for c in codes if core(c)}
        self._counts = Counter(c for c in map(core, words) if c)  # (each word's core worked out once)
        # The parts of hyphenated words ("co", "design" of "co-design"): words too, to tell
        # a compound broken at its hyphen from a word broken by the typesetter.
        self._parts = Counter(part for w in self._counts for part in w.split("-") if part)
        self._sorted = sorted(self._counts)
        self._printed = {w.lower().strip(".,;:()") for w in words}
        self.hyphenates_with_minus = self._hyphenates(list(minus_breaks))

    def _hyphenates(self, breaks: list[tuple[str, str]]) -> bool | None:
        """Does the typesetter break words with a plain hyphen-minus? Judged on the whole
        document: most of its line-end "-" pieces join into a word ("organisa-" /
        "tional") it does not print hyphenated, where a document that only breaks at real
        hyphens ("co-" / "produced") has few such joins, whatever a single word says.
        None: too few breaks to judge."""
        if len(breaks) < MIN_BREAKS_TO_JUDGE:
            return None
        joins = sum(1 for last, first in breaks
                    if not self.has_word(last + first)
                    and (self.has_word(last[:-1] + first) or self.reads_as_a_break(last, first)))
        return joins > len(breaks) / 2

    def reads_as_a_break(self, last: str, first: str) -> bool:
        """Is "last-" / "first" a word broken by a typesetter rather than a compound broken
        at its hyphen, by the words alone? The piece the break would have cut -- the part
        of ``last`` after its own hyphens and of ``first`` before them ("to" + "day" of
        "day-to-" / "day") -- joined: a word (printed, or English) whose halves are not
        both words is a break ("organisa-" / "tion"); where the halves are words too
        ("account-" / "ability", "follow-" / "up") the typesetter's hyphenation points
        decide; a piece that is no word is a compound of two words ("medium-" / "term"),
        or a break of a name or code the lists do not know ("HoM-" / "PR")."""
        before, after = _break_halves(last, first)
        halves = self.knows(before) and self.knows(after)
        if self._joins_into_a_word(before, after):
            return not halves or may_break(before + after, len(before))
        return not halves

    def _joins_into_a_word(self, before: str, after: str) -> bool:
        piece = before + after
        return bool(piece) and (self.has_word(piece) or _english(piece) or _prefixed_english(piece, len(before)))

    def break_is_a_guess(self, last: str, first: str) -> bool:
        """``reads_as_a_break`` said "break" only from the typesetter's hyphenation points,
        where both halves are words the document prints (or English words of ``ENGLISH_HALF``
        letters or more: a piece after a line-end hyphen is not counted as printed) ("over", "achieved":
        "over-achieved" reads as well as "overachieved"; English lists' fragments such as
        "ar" / "ranges" or "fail" / "ing" are no such halves)."""
        before, after = _break_halves(last, first)
        halves = all(len(half) >= MIN_HALF and (self.has_word(half) or (len(half) >= ENGLISH_HALF and _english(half)))
                     for half in (before, after))
        return halves and self._joins_into_a_word(before, after) and may_break(before + after, len(before))

    def knows(self, word: str) -> bool:
        """A word of the document (whole or part of a hyphenated one), or of English."""
        return bool(core(word)) and (self.has_word_or_part(word) or word in self or _english(word))

    def has_word(self, word: str) -> bool:
        """Printed whole, or with an ending ("cttee" of "cttees" printed as "Cttee")."""
        key = core(word)
        return key in self or any(key.endswith(e) and len(key) - len(e) >= MIN_STEM and key[:-len(e)] in self
                                  and not key[:-len(e)].endswith("-") for e in ENDINGS)  # "includ-" is no word

    def __contains__(self, word: str) -> bool:
        return self._counts.get(core(word), 0) > 0

    def starts_a_word(self, word: str) -> bool:
        """Printed, or the start of a printed word ("inform" of "informed")."""
        key = core(word)
        i = bisect_left(self._sorted, key)
        return bool(key) and i < len(self._sorted) and self._sorted[i].startswith(key)

    def has_word_or_part(self, word: str) -> bool:
        """Printed as a word, or as a part of a hyphenated word."""
        return self._parts.get(core(word), 0) > 0

    def is_code(self, word: str) -> bool:
        """An officer's code of the owner glossary (as a code is written: capitals inside)."""
        return core(word) in self._codes and not _english(word)

    def printed_alone(self, token: str) -> bool:
        """Was this exact token (e.g. "CIPFA/") printed followed by a space somewhere?"""
        return token.lower().strip(".,;:()") in self._printed


# Prefixes that make a new word of any English word ("re" + "procured"); the lists do not
# hold every such word.
WORD_PREFIXES = ("re", "pre", "un", "non", "sub", "mis", "dis", "co")


def _prefixed_english(word: str, at: int) -> bool:
    """A prefix and an English word, broken inside the word ("repro-" / "cured"): a break at
    the prefix itself ("co-" / "design") is as likely the compound's own hyphen."""
    return any(word.lower().startswith(p) and at != len(p) and len(word) - len(p) >= MIN_STEM
               and _english(word[len(p):]) for p in WORD_PREFIXES)


def _english(word: str) -> bool:
    """An English word, written as words are: lower case, capitalised or in capitals. A
    token with a capital inside ("HoD", "CHoS") is an officer's code, whatever its letters
    spell."""
    letters = word.replace("'", "")
    written = letters.islower() or letters.isupper() or (letters[:1].isupper() and letters[1:].islower())
    return written and is_english(core(word))


def vocabulary_of(paragraphs: Iterable[Paragraph], codes: Iterable[str] = ()) -> Vocabulary:
    """Every word except the pieces at a forced line break, which may be fragments, and
    the line-end hyphen-minus breaks (to judge how the document was typeset); ``codes``:
    the owner glossary's codes, words of the document wherever it breaks them."""
    words = []
    minus_breaks: list[tuple[str, str]] = []
    for paragraph in paragraphs:
        lines = paragraph.lines
        for i, line in enumerate(lines):
            texts = [w.text for w in line.words]
            following = lines[i + 1].words[0] if i + 1 < len(lines) and lines[i + 1].words else None
            if _line_is_forced(line, following):
                continue
            if i > 0 and (_line_is_forced(lines[i - 1], line.words[0] if line.words else None)
                          or lines[i - 1].text.endswith(tuple(LINE_END_HYPHENS))):
                texts = texts[1:]
            if texts and texts[-1].endswith(tuple(LINE_END_HYPHENS) + ("/",)):
                if _minus_break(texts[-1]) and i + 1 < len(lines) and lines[i + 1].words:
                    minus_breaks.append((texts[-1], lines[i + 1].words[0].text))
                texts = texts[:-1]  # a line end: we cannot tell what followed it
            words.extend(texts)
    return Vocabulary(words, minus_breaks, codes)


# An English word this long or longer is a compound's half though the document does not print
# it; the lists' shorter words are as often fragments ("pres" / "sures", "land" / "scape",
# "satis" / "fied": a guess named for each of them was noise, seed-53 s14-docx).
ENGLISH_HALF = 6

# A compound's half is a word of at least this many letters ("over", "under"; not "co", "re").
MIN_HALF = 3


def guessed_minus_break(last: str, first: str, vocab: Vocabulary) -> bool:
    """A line-end hyphen-minus ``_minus_is_a_break`` removed on the words' evidence alone
    (``Vocabulary.break_is_a_guess``): the page cannot tell the compound from the word."""
    if not (_minus_break(last) and first[:1].isalpha()) or vocab.hyphenates_with_minus is not True:
        return False
    return (_minus_decided_by_document(last, first, vocab) is None and vocab.reads_as_a_break(last, first)
            and vocab.break_is_a_guess(last, first))


def kept_at_a_prefix(last: str, first: str, vocab: Vocabulary) -> bool:
    """A line-end hyphen-minus kept only because the break falls right after a prefix
    ("re-" / "procured": ``_prefixed_english`` does not join there), in a document whose
    typesetter breaks words with "-" at such a point: "re-procured" and "reprocured" read
    alike, and the page cannot tell the prefix's own hyphen from the line's (2025 seed-97
    s19-html, whose source prints "reprocured")."""
    if not (_minus_break(last) and first[:1].isalpha()) or vocab.hyphenates_with_minus is not True:
        return False
    if _minus_decided_by_document(last, first, vocab) is not None or vocab.reads_as_a_break(last, first):
        return False
    before, after = _break_halves(last, first)
    return (before.lower() in WORD_PREFIXES and len(after) >= MIN_STEM and _english(after)
            and may_break(before + after, len(before)))


def joined_on_few_breaks(last: str, first: str, vocab: Vocabulary) -> bool:
    """A line-end hyphen-minus removed, in a document with too few such breaks to tell
    whether its typesetter breaks words with "-", only because the word is printed closed
    elsewhere, where the hyphen's halves are words ("pre-" / "requisite"): such a document
    may well not hyphenate at all, and print both spellings."""
    if not (_minus_break(last) and first[:1].isalpha()) or vocab.hyphenates_with_minus is not None:
        return False
    before, after = _break_halves(last, first)
    return (_minus_decided_by_document(last, first, vocab) is True and len(before) >= 2
            and not vocab.is_code(last[:-1] + first) and vocab.knows(after))


def _break_halves(last: str, first: str) -> tuple[str, str]:
    """The pieces a line-end hyphen would have cut: ``last``'s part after its own hyphens and
    ``first``'s before them ("to", "day" of "day-to-" / "day")."""
    return WORD_CORE.sub("", last[:-1]).rsplit("-", 1)[-1], WORD_CORE.sub("", first).split("-", 1)[0]


def _minus_break(last: str) -> bool:
    return last.endswith("-") and len(last) > 1 and last[-2].isalpha()


# Fewer line-end hyphens than this say nothing about how the document was typeset.
MIN_BREAKS_TO_JUDGE = 5


# Room for a letter: a wide one ("m", "n" of a sans) takes this share of a word's mean letter
# more than the mean ("developme" / "nt" left 4.7 pt, "procureme" / "nt" 5.7 pt, under
# letters of 5.4 pt on average: s44-docx of the 2025 plan).
WIDE_LETTER = 1.3
# The widest lower-case letters, as a share of a word's mean letter: "m" is 1.6-1.8 times
# the mean in Times, Arial and DejaVu ("improve" / "ment" and "transfor" / "mation" left
# 8.9 and 9.6 pt under a mean of 6.2 and 5.7 pt: Liberation Serif, 2025 seed-163 s21-docx).
WIDEST_LETTERS = {"m": 1.8, "w": 1.6}


def _line_is_forced(line: Line, next_word: Word | None = None) -> bool:
    """One word filling the column: the layout had to break it mid-word. The room left is
    measured against the next line's first letter where it is known."""
    if len(line.words) != 1:
        return False
    room = line.right_limit - line.x1
    return room <= 0.6 * line.height or room < _letter_room(next_word) * _letter_width(line.words[0])


def _letter_room(next_word: Word | None) -> float:
    """The room the next piece's first letter needs, in mean letters."""
    first = next_word.text[:1] if next_word is not None else ""
    return max(WIDE_LETTER, WIDEST_LETTERS.get(first, 0.0))


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
            text, edit = _join(text, previous, line_text, vocab, line)
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


def _minus_is_a_break(last: str, first: str, vocab: Vocabulary) -> bool:
    """A line-end hyphen-minus: the hyphenated word printed elsewhere (with any ending:
    "whistle-blower" for "whistle-" / "blowers") keeps it. A
    document that does not break words with "-" has a real hyphen here ("pre-" /
    "requisite" stays so even where "prerequisite" is printed too); with too few breaks
    to judge, the joined word printed elsewhere decides (lower case only: "Ho-" / "DS"
    is read as printed). A document that does break words with "-" still prints real
    compounds: the joined word printed elsewhere (or the start of one: "per-" / "form"
    of "performance", or with another ending: "Ct-" / "tees" of "Cttee") is a break; otherwise the words decide (``reads_as_a_break``:
    "account-" / "ability" and "re-" / "structure" are breaks, "medium-" / "term" and
    "day-to-" / "day" compounds)."""
    decided = _minus_decided_by_document(last, first, vocab)
    return vocab.reads_as_a_break(last, first) if decided is None else decided


def _minus_decided_by_document(last: str, first: str, vocab: Vocabulary) -> bool | None:
    """``_minus_is_a_break`` where the document's own printing decides; None: only the words
    can (``reads_as_a_break``)."""
    if vocab.has_word(last + first):
        return False
    if vocab.is_code(last[:-1] + first):  # "Ho-" / "Democratic" of the glossary's "HoDemocratic"
        return True
    if vocab.hyphenates_with_minus is None:  # too few breaks to judge the document: the word decides
        return first[:1].islower() and (last[:-1] + first) in vocab
    if not vocab.hyphenates_with_minus:
        return False
    if vocab.starts_a_word(last[:-1] + first) or vocab.has_word(last[:-1] + first):
        return True
    return None


def _join(text: str, previous: Line, line_text: str, vocab: Vocabulary,
          next_line: Line | None = None) -> tuple[str, TextEdit | None]:
    head, _, last = text.rpartition(" ")
    first, _, tail = line_text.partition(" ")
    prefix = f"{head} " if head else ""
    suffix = f" {tail}" if tail else ""
    if last.endswith(tuple(BREAK_HYPHENS)) and len(last) > 1 and first[:1].isalnum():
        joined = last[:-1] + first
        return prefix + joined + suffix, TextEdit(f"{last} {first}", joined, "line_end_hyphen_removed")
    if last.endswith("\u2011") and len(last) > 1 and first[:1].isalnum():
        # No line may break at a non-breaking hyphen: one at a line end is the typesetter's
        # hyphenation character -- unless the document prints the hyphenated word whole.
        if vocab.printed_alone(last + first.rstrip(".,;:)")):
            return prefix + last + first + suffix, None
        joined = last[:-1] + first
        return prefix + joined + suffix, TextEdit(f"{last} {first}", joined, "line_end_hyphen_removed")
    if last.endswith("-") and len(last) > 1 and last[-2].isalpha() and first[:1].isalpha():
        joined_plain = last[:-1] + first
        if _minus_is_a_break(last, first, vocab):
            return prefix + joined_plain + suffix, TextEdit(f"{last} {first}", joined_plain,
                                                            "line_end_hyphen_removed")
        # A real hyphen ("co-design", "day-to-day"): keep it, close the gap.
        return prefix + last + first + suffix, None
    before, _, word = head.rpartition(" ")
    if last == "-" and _spaced_hyphen_is_a_break(word, first, vocab):
        joined = word + first
        return (f"{before} " if before else "") + joined + suffix, TextEdit(
            f"{word} - {first}", joined, "line_end_spaced_hyphen_removed")
    if last.endswith("-") and len(last) > 1 and last[-2].isdigit() and first[:1].isalnum():
        # A range or a measure broken after its hyphen ("2024-" / "2027", "12-" / "month"):
        # typesetters do not hyphenate numbers, the hyphen is the text's.
        return prefix + last + first + suffix, None
    if last.endswith("/") and len(last) > 1 and first[:1].isalnum() and not vocab.printed_alone(last):
        # Layouts break after a slash ("HR/" / "Payroll"); "X/ Y" with a space is rare.
        return prefix + last + first + suffix, None
    if next_line is not None and _broken_mid_word(previous, next_line, last, first, vocab):
        joined = last + first
        return prefix + joined + suffix, TextEdit(f"{last} {first}", joined, "narrow_column_word_rejoined")
    return f"{text} {line_text}", None


def _spaced_hyphen_is_a_break(word: str, first: str, vocab: Vocabulary) -> bool:
    """A line ending in a hyphen set apart from its word ("indi -" / "vidually": LibreOffice
    justifying a full-width theme intro, 2025 seed-41 s13-docx) is a line-end hyphen where
    the join rule says so without guessing; a spaced dash ("Update -" / "the ...") is not."""
    if not (word[-1:].isalpha() and first[:1].isalpha()):
        return False
    return _minus_is_a_break(word + "-", first, vocab) and not guessed_minus_break(word + "-", first, vocab)


# A word ends at these: a narrow column never breaks a word just after one.
WORD_END_PUNCTUATION = ",.;:!?)"


def _broken_mid_word(previous: Line, line: Line, last: str, first: str, vocab: Vocabulary) -> bool:
    """One word filling the column, then a lower-case piece: the layout broke the word
    for lack of room -- if the room left was less than the next piece's letters need (a
    normal wrap often leaves more), the word did not end in punctuation, and the document's
    words agree: the joined word is printed elsewhere or is a code of the owner glossary
    (a narrow owner column may break every "HoDemocratic" it prints), or neither piece is a word it
    prints ("organisational-wide" / "approach" is two words, "Continu" / "ous" one), and
    neither piece is an English word where the joined one is not."""
    # No word starts with a full stop, nor with a hyphen ("organisational" / "-wide").
    closing = (first.strip(WORD_END_PUNCTUATION) == "" and first[:1] in WORD_END_PUNCTUATION) or (
        first[:1] == "-" and first[1:2].isalpha())
    capitals = first[:1].isupper() and _printed_only_joined(last, first, vocab)
    digits = first[:1].isdigit() and _joins_into_a_code(last, first, vocab)
    if not (line.words and _line_is_forced(previous, line.words[0])
            and (first[:1].islower() or closing or capitals or digits)):
        return False
    if previous.right_limit - previous.x1 >= _letter_room(line.words[0]) * _letter_width(previous.words[-1], line.words[0]):
        return False
    if last.endswith(tuple(WORD_END_PUNCTUATION)):
        return False
    if closing or capitals or digits:
        return True  # "management" / ".", "organisational" / "-wide", "CIPFA/SOLA" / "CE", "ACE(S15" / "1)"
    if (last + first) in vocab or _english(last + first):
        return True
    if vocab.is_code(last + first):
        return True  # "HoDemocra" / "tic": a glossary code, though its pieces ("tic") are words
    # A compound's first word broken: "organisation" / "al-wide" is "organisational-wide".
    start = first.split("-", 1)[0]
    if start != first and _english(last + start) and start not in vocab:
        return True
    # Its last word broken: "co-productio" / "n" is "co-production" (2025 seed-163 s21-docx).
    tail = last.rsplit("-", 1)[-1]
    if tail != last and _english(tail + first) and not _english(tail):
        return True
    # Two words that make no word joined ("demonstrable" / "commitment", an overlong word
    # that filled its line) were two words.
    return not (vocab.knows(last) or vocab.knows(first))


def _joins_into_a_code(last: str, first: str, vocab: Vocabulary) -> bool:
    """"ACE(S15" / "1),": a piece of digits joins where the joined token is printed
    elsewhere, or its bracketed part is a code of the owner glossary ("(S151)")."""
    joined = (last + first).rstrip(WORD_END_PUNCTUATION.replace(")", ""))
    bracketed = "(" + joined.rsplit("(", 1)[-1] if "(" in joined else ""
    return vocab.has_word(joined) or (bool(bracketed) and vocab.is_code(bracketed))


def _printed_only_joined(last: str, first: str, vocab: Vocabulary) -> bool:
    """"CIPFA/SOLA" / "CE": an upper-case piece joins only where the document prints the
    joined word ("SOLACE") and not the line's piece as a word of its own (the next line's
    may be one: "SOL" / "ACE", an officer's code)."""
    tail = last.rsplit("/", 1)[-1]
    head = first.rstrip(WORD_END_PUNCTUATION)
    return bool(tail) and vocab.has_word(tail + head) and tail not in vocab


def _letter_width(*pieces: Word) -> float:
    """The pieces' mean letter width: about what the next letter would have needed. Taken
    over the whole broken word: a short piece's own mean is noise ("nt" of "developme" /
    "nt": 4.6 pt)."""
    return sum(w.x1 - w.x0 for w in pieces) / max(1, sum(len(w.text) for w in pieces))


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
