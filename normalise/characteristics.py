"""The characteristic cell: id prefix, description, status notes and cross-references."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from actionplan.schema.ids import ID_AT_START as ID_PREFIX, STRICT_ID, profile_ids_in

# Status remarks authors attach to a characteristic; kept verbatim (without brackets) in
# notes and taken out of the description. The patterns are phrasing, not positions.
BRACKETED_NOTE = re.compile(
    r"\(\s*((?:Merged|Previously|Removed|Now in|Moved|Formerly|Replaced|Renamed)\b[^()]*(?:\([^()]*\)[^()]*)*)\)",
    re.I,
)
SENTENCE_NOTE = re.compile(
    r"((?:Removed as a characteristic|Removed from (?:the )?statutory guidance|Now in \d\.\s[^()]*?\(\s*\w+\s*\))[^.]*?)(?:\.(?=\s|$)|(?=\s[A-Z])|$)"
)
SEE_SENTENCE = re.compile(r"\bSee\b[^.]*", re.I)


@dataclass(frozen=True)
class CharacteristicText:
    """A characteristic cell split into its id, description and notes."""

    prefix: str  # "CI001:" as printed
    description: str
    notes: tuple[str, ...]
    removed: tuple[str, ...]  # the exact substrings taken out for notes (for accounting)


def split_prefix(text: str) -> tuple[str, str]:
    """'CI001: An organisational...' -> ('CI001:', 'An organisational...'); an OCR'd
    'SD003:.The authority' -> ('SD003:.', 'The authority')."""
    match = ID_PREFIX.match(text)
    if not match:
        head, _, rest = text.partition(" ")
        return head, rest.lstrip()
    return match.group(0).rstrip(), text[match.end():].lstrip()


def split_notes(description: str) -> CharacteristicText:
    notes: list[str] = []
    removed: list[str] = []
    for pattern in (BRACKETED_NOTE, SENTENCE_NOTE):
        for match in pattern.finditer(description):
            notes.append(match.group(1).strip())
            removed.append(match.group(0))
        description = pattern.sub(" ", description)
    description = _tidy(description)
    return CharacteristicText("", description, tuple(notes), tuple(removed))


def _tidy(text: str) -> str:
    paragraphs = [re.sub(r"[ \t]+", " ", p).strip() for p in text.split("\n\n")]
    return "\n\n".join(p for p in paragraphs if p)


MOVED_NOTE = re.compile(r"^(?:Now in|Moved to)\b", re.I)


def see_also(texts: Collection[str], notes: Collection[str], own_id: str) -> tuple[str, ...]:
    """Ids named by 'See ...' sentences and by 'Now in ...' notes (where the characteristic
    went), in order, without the row's own. 'Merged with'/'Previously' notes are history,
    not references."""
    found: list[str] = []
    for text in texts:
        for sentence in SEE_SENTENCE.findall(text):
            found.extend(STRICT_ID.findall(sentence) + profile_ids_in(sentence))
    for note in notes:
        if MOVED_NOTE.match(note):
            found.extend(STRICT_ID.findall(note) + profile_ids_in(note))
    return tuple(dict.fromkeys(i for i in found if i != own_id))
