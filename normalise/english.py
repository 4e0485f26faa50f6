"""English, for the line-end hyphen-minus the document cannot judge by itself (a word it
never prints whole): which strings are English words, and where a typesetter may break one.

- Words: SCOWL's size-70 British and American lists (Debian's wbritish-large and
  wamerican-large; scripts/english-words.py builds schema/english-words.txt.gz, with
  SCOWL's notice beside it), lower case, both spellings. A form the list lacks counts when
  it is a listed word plus a common ending ("proactively", "resourced").
- Breaks: the British English hyphenation patterns (Liang's, from TeX's ukhyphen, as
  LibreOffice ships them) through pyphen, the library WeasyPrint hyphenates with. They
  say where a typesetter may break a word: "account-ability" is one of them, "to-day" and
  "follow-up" of "today" and "followup" are not.
"""

from __future__ import annotations

import functools
import gzip
from importlib import resources

# The plans are English councils': British English patterns.
HYPHENATION_LANGUAGE = "en_GB"
# Endings a listed word takes that the list may not spell out, longest first.
ENDINGS = ("ing", "es", "ed", "ly", "s", "d")
# A stem shorter than this is no evidence ("bed" is not "b" + "ed").
MIN_STEM = 3


@functools.cache
def _word_list() -> bytes:
    """The list as stored: one word a line, sorted by code point (UTF-8's byte order), a
    line break after each word; here with one before the first too."""
    with resources.files("actionplan.schema").joinpath("english-words.txt.gz").open("rb") as raw:
        return b"\n" + gzip.decompress(raw.read())


def _listed(word: str) -> bool:
    """Is ``word`` a line of the list? A binary search of its bytes: a set of its 134,000
    words cost about 0.05 s and 10 MB a run, for the few dozen words a plan asks about."""
    if not word or word.split() != [word]:  # no line is empty or holds a space
        return False
    key, data = word.encode("utf-8"), _word_list()
    lo, hi = 0, len(data) - 1  # the lines starting (at their "\n") in [lo, hi) may hold it
    while lo < hi:
        start = data.rfind(b"\n", lo, (lo + hi) // 2 + 1)  # a line start, lo <= start < hi
        end = data.index(b"\n", start + 1)
        line = data[start + 1:end]
        if line == key:
            return True
        if line < key:
            lo = end
        else:
            hi = start
    return False


def is_english(word: str) -> bool:
    """A listed word (lower case, no possessive), or one with a common ending."""
    word = word.lower()
    if word.endswith("'s"):
        word = word[:-2]
    if _listed(word):
        return True
    return any(word.endswith(e) and len(word) - len(e) >= MIN_STEM and _listed(word[:-len(e)]) for e in ENDINGS)


@functools.cache
def _hyphenator():
    import pyphen

    return pyphen.Pyphen(lang=HYPHENATION_LANGUAGE)


def may_break(word: str, at: int) -> bool:
    """May a typesetter hyphenate ``word`` after its first ``at`` letters?"""
    return at in _hyphenator().positions(word.lower())
