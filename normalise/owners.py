"""Owners: split an "Allocated to and indicative timeline" cell into owners and timeline text.

The glossary (schema/owners.csv) lists every officer code and group the plan names; the OCR map
(schema/ocr_map.csv) lists the converter's slips that may be repaired inside an owner token.
A printed token is matched against the glossary only through those named repairs: two real
codes are never matched by edit distance (CHoS is not CHoCS). Anything that looks like a code
but is not in the glossary is kept as printed with ``known=False``; `suggest` ranks close codes
for the caller's message about it. Dates are not parsed here (see normalise/timelines.py).
"""

from __future__ import annotations

import csv
import io
import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from rapidfuzz import fuzz, process

from actionplan.errors import ConfigError

__all__ = [
    "OwnerEntry", "OwnerGlossary", "OwnerTimeline", "OwnerToken", "OcrRule",
    "load_glossary", "load_ocr_map", "resolve_owner", "read_owners", "owner_at",
    "split_owner_timeline", "split_pairs", "suggest", "timeline_text",
]

KINDS = ("officer", "group")
GLOSSARY_COLUMNS = ("code", "name", "aliases", "kind", "note")
OCR_MAP_COLUMNS = ("rule", "kind", "printed", "repaired", "note")
OCR_KINDS = ("strip", "spacing", "homoglyph", "confusion")

RULE_ALIAS = "owner_alias"
RULE_CASE = "owner_case"

# Past this many confusable characters the variants explode and a real code is unlikely anyway.
MAX_CONFUSABLE_POSITIONS = 8
# Glossary forms have at most three words ("Head of Procurement", "CH <sub>0</sub> HROD" once
# split); a few more leave room for a user's longer spelled-out rows.
MAX_OWNER_WORDS = 6


@dataclass(frozen=True)
class OwnerEntry:
    """One officer of the owner glossary: the code, the name and the aliases."""

    code: str
    name: str
    aliases: tuple[str, ...]
    kind: str
    note: str

    @property
    def is_guess(self) -> bool:
        """The expansion was not found in any source (note starts with "guess")."""
        return self.note.lower().startswith("guess")


@dataclass(frozen=True)
class OwnerToken:
    """One owner as printed and as read, with the repairs applied."""

    printed: str
    canonical: str
    name: str | None
    known: bool
    rule: str | None  # repairs applied, joined with "+" in the order applied; None when none

    @property
    def rules(self) -> tuple[str, ...]:
        return tuple(self.rule.split("+")) if self.rule else ()


@dataclass(frozen=True)
class OwnerTimeline:
    """An action's owner and timeline cell, split into owners and the timeline text."""

    text: str
    owners: tuple[OwnerToken, ...]
    timeline: str

    @property
    def owner_codes(self) -> tuple[str, ...]:
        return tuple(token.canonical for token in self.owners)

    @property
    def owner_names(self) -> tuple[str, ...]:
        return tuple(token.name or token.canonical for token in self.owners)

    @property
    def unknown(self) -> tuple[OwnerToken, ...]:
        return tuple(token for token in self.owners if not token.known)


@dataclass(frozen=True)
class OcrRule:
    """One rule of the OCR map (schema/ocr_map.csv): how an owner code misprinted by a
    converter or by OCR is repaired."""

    rule: str
    kind: str
    printed: str
    repaired: str


# --------------------------------------------------------------------------- loading


def _read_csv(source, columns: tuple[str, ...], required: tuple[str, ...]) -> list[dict]:
    """Rows of a CSV (a path or a packaged resource); a missing optional column reads as "".
    Each row also carries ``"line"``, the line it ends on, for messages. Every error names
    the CSV."""
    try:
        text = (source if hasattr(source, "read_text") else Path(source)).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{source}: not a UTF-8 CSV file") from None
    except OSError as exc:
        raise ConfigError(f"cannot read {source}: {exc.strerror or exc}") from exc
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    try:
        header = reader.fieldnames or []
        unknown = [name for name in header if name not in columns]
        missing = [name for name in required if name not in header]
        if unknown or missing:
            raise ConfigError(
                f"{source}: columns are {', '.join(columns)}, of which {', '.join(required)} are required "
                f"(got {', '.join(header) or 'none'})"
            )
        return [{**{key: (row.get(key) or "").strip() for key in columns}, "line": reader.line_num}
                for row in reader]
    except csv.Error as exc:
        raise ConfigError(f"{source}: line {reader.line_num}: not valid CSV ({exc})") from None


def _unique_codes(rows: list[dict], source) -> list[dict]:
    """A code may be defined once per file: a second row would silently win."""
    first_line: dict[str, int] = {}
    for row in rows:
        if row["code"] in first_line:
            raise ConfigError(f"{source}: code {row['code']!r} is defined twice, on line "
                              f"{first_line[row['code']]} and line {row['line']}")
        first_line[row["code"]] = row["line"]
    return rows


def _entry_from_row(row: dict, source: object) -> OwnerEntry:
    if not row["code"]:
        raise ConfigError(f"{source}: line {row['line']} has no code")
    kind = row["kind"] or "officer"
    if kind not in KINDS:
        raise ConfigError(f"{source}: line {row['line']}: {row['code']!r} has kind {kind!r}; "
                          f"kind is one of {', '.join(KINDS)}")
    aliases = tuple(alias.strip() for alias in row["aliases"].split(";") if alias.strip())
    return OwnerEntry(row["code"], row["name"] or row["code"], aliases, kind, row["note"])


def load_ocr_map(path: str | Path | None = None) -> tuple[OcrRule, ...]:
    source = path or resources.files("actionplan.schema").joinpath("ocr_map.csv")
    rules = []
    for row in _read_csv(source, OCR_MAP_COLUMNS, OCR_MAP_COLUMNS[:4]):
        if row["kind"] not in OCR_KINDS:
            raise ConfigError(f"{source}: kind {row['kind']!r} is not one of {', '.join(OCR_KINDS)}")
        rules.append(OcrRule(row["rule"], row["kind"], row["printed"], row["repaired"]))
    return tuple(rules)


def load_glossary(path: str | Path | None = None, extra_rows_csv: str | Path | None = None) -> OwnerGlossary:
    """The shipped glossary (or `path`), with a user's rows added or replacing rows by code."""
    source = path or resources.files("actionplan.schema").joinpath("owners.csv")
    entries = {entry.code: entry for entry in _entries(source)}
    if extra_rows_csv is not None:
        for entry in _entries(extra_rows_csv):
            entries[entry.code] = entry  # a user's row replaces the whole shipped row
    return OwnerGlossary(entries.values())


def _entries(source) -> Iterator[OwnerEntry]:  # source: a path or a packaged resource
    for row in _unique_codes(_read_csv(source, GLOSSARY_COLUMNS, ("code", "name")), source):
        yield _entry_from_row(row, source)


# --------------------------------------------------------------------------- glossary


def _collapse_ws(text: str) -> str:
    return " ".join(text.split())


@dataclass(frozen=True)
class _Form:
    """One spelling a glossary row answers to: its code or one of its aliases."""

    entry: OwnerEntry
    spelling: str
    is_alias: bool


class OwnerGlossary:
    """Codes and aliases indexed exactly, without whitespace, and case-folded."""

    def __init__(self, entries: Iterable[OwnerEntry], ocr_rules: Iterable[OcrRule] | None = None):
        self.entries: dict[str, OwnerEntry] = {entry.code: entry for entry in entries}
        self.ocr_rules = tuple(load_ocr_map() if ocr_rules is None else ocr_rules)
        self._exact: dict[str, _Form] = {}
        self._compact: dict[str, _Form] = {}
        self._folded: dict[str, list[_Form]] = {}
        self._names: dict[str, OwnerEntry] = {}
        self._spacing = self._ocr_pattern("spacing", r"\s+")
        self.spacing_rule = next((r.rule for r in self.ocr_rules if r.kind == "spacing"), "owner_ocr_spacing")
        self.confusions: dict[str, list[tuple[str, str]]] = {}  # printed char -> [(repaired, rule)]
        for rule in self.ocr_rules:
            if rule.kind == "confusion":
                self.confusions.setdefault(rule.printed, []).append((rule.repaired, rule.rule))
        for entry in self.entries.values():
            for form in [_Form(entry, entry.code, False), *(_Form(entry, a, True) for a in entry.aliases)]:
                self._index(form)
            self._names.setdefault(entry.name.casefold(), entry)


    def code_words(self) -> list[str]:
        """Every word of every code and alias ("HoDemocratic", "Services")."""
        return [word for entry in self.entries.values() for form in (entry.code, *entry.aliases)
                for word in form.split()]
    def __contains__(self, code: str) -> bool:
        return code in self.entries

    def __iter__(self) -> Iterator[OwnerEntry]:
        return iter(self.entries.values())

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, code: str) -> OwnerEntry | None:
        return self.entries.get(code)

    def spellings(self) -> dict[str, str]:
        """Every code and alias, mapped to its canonical code."""
        return {spelling: form.entry.code for spelling, form in self._exact.items()}

    def _index(self, form: _Form) -> None:
        # Two rows answering to the same spelling would make every match a guess: refuse the file.
        key = self.compact(form.spelling)
        clash = self._compact.get(key)
        if clash is not None and clash.entry.code != form.entry.code:
            raise ConfigError(
                f"owner glossary: {form.spelling!r} ({form.entry.code}) and {clash.spelling!r} "
                f"({clash.entry.code}) are the same code once spacing is ignored"
            )
        self._exact[form.spelling] = form
        self._compact[key] = form
        self._folded.setdefault(key.casefold(), []).append(form)

    def _ocr_pattern(self, kind: str, default: str) -> re.Pattern:
        patterns = [rule.printed for rule in self.ocr_rules if rule.kind == kind]
        return re.compile("|".join(f"(?:{p})" for p in patterns) if patterns else default)

    def compact(self, text: str) -> str:
        return self._spacing.sub("", text)

    # lookups used by resolve_owner -----------------------------------------------------

    def exact(self, spelling: str) -> _Form | None:
        return self._exact.get(spelling)

    def by_compact(self, key: str) -> _Form | None:
        return self._compact.get(key)

    def by_folded(self, key: str) -> _Form | None:
        forms = {form.entry.code: form for form in self._folded.get(key.casefold(), [])}
        return next(iter(forms.values())) if len(forms) == 1 else None  # ambiguous: no guess

    def by_name(self, phrase: str) -> OwnerEntry | None:
        return self._names.get(_collapse_ws(phrase).casefold())


# --------------------------------------------------------------------------- one token


def _strip_markup(text: str, glossary: OwnerGlossary) -> tuple[str, list[str]]:
    rules: list[str] = []
    for rule in glossary.ocr_rules:
        if rule.kind == "strip":
            stripped = re.sub(rule.printed, rule.repaired, text)
            if stripped != text:
                text = stripped
                rules.append(rule.rule)
    return _collapse_ws(text), rules


def _map_homoglyphs(text: str, glossary: OwnerGlossary) -> tuple[str, list[str]]:
    rules: list[str] = []
    for rule in glossary.ocr_rules:
        if rule.kind == "homoglyph" and rule.printed in text:
            text = text.replace(rule.printed, rule.repaired)
            if rule.rule not in rules:
                rules.append(rule.rule)
    return text, rules


def _confusion_variants(key: str, glossary: OwnerGlossary) -> Iterator[tuple[str, list[str]]]:
    """Spellings reachable by swapping confusable characters, with the rules each swap used."""
    options = glossary.confusions
    positions = [i for i, char in enumerate(key) if char in options]
    if not positions or len(positions) > MAX_CONFUSABLE_POSITIONS:
        return
    choices = [[(key[i], None), *options[key[i]]] for i in positions]
    for combo in itertools.product(*choices):
        if all(rule is None for _, rule in combo):
            continue
        chars = list(key)
        used: list[str] = []
        for i, (char, rule) in zip(positions, combo):
            chars[i] = char
            if rule is not None and rule not in used:
                used.append(rule)
        yield "".join(chars), used


def _via_confusions(key: str, glossary: OwnerGlossary) -> tuple[_Form, list[str]] | None:
    """The one glossary row a confusable spelling reaches; None when none or several do."""
    found: dict[str, tuple[_Form, list[str]]] = {}
    for variant, used in _confusion_variants(key, glossary):
        form = glossary.by_compact(variant)
        if form is not None:
            found.setdefault(form.entry.code, (form, used))
    return next(iter(found.values())) if len(found) == 1 else None


def _token(printed: str, form: _Form, rules: list[str]) -> OwnerToken:
    if form.is_alias:
        rules = [*rules, RULE_ALIAS]
    return OwnerToken(printed, form.entry.code, form.entry.name, True, "+".join(rules) or None)


def _word_lengths(text: str) -> list[int]:
    return [len(word) for word in text.split()]


def _spacing_if_needed(text: str, spelling: str, glossary: OwnerGlossary) -> list[str]:
    # Confusions swap one character for one, so the spacing was repaired iff the words differ in length.
    return [glossary.spacing_rule] if _word_lengths(text) != _word_lengths(spelling) else []


def _by_case(printed: str, text: str, form: _Form, rules: list[str], glossary: OwnerGlossary) -> OwnerToken:
    spacing = _spacing_if_needed(text, form.spelling, glossary)
    if form.entry.kind == "group" and not rules and not spacing:
        # Spelled-out groups are kept exactly as written ("all staff", "Members": SOURCE_FORMAT).
        return OwnerToken(printed, text, form.entry.name, True, None)
    return _token(printed, form, rules + spacing + [RULE_CASE])


def resolve_owner(printed: str, glossary: OwnerGlossary) -> OwnerToken | None:
    """The glossary row a printed owner token names, through named repairs only; else None."""
    text, rules = _strip_markup(_collapse_ws(printed), glossary)
    text, glyph_rules = _map_homoglyphs(text, glossary)
    rules += glyph_rules
    key = glossary.compact(text)
    if (form := glossary.exact(text)) is not None:
        return _token(printed, form, rules)
    if (form := glossary.by_compact(key)) is not None:
        return _token(printed, form, rules + [glossary.spacing_rule])
    if (hit := _via_confusions(key, glossary)) is not None:
        form, used = hit
        return _token(printed, form, rules + _spacing_if_needed(text, form.spelling, glossary) + used)
    if (form := glossary.by_folded(key)) is not None:
        return _by_case(printed, text, form, rules, glossary)
    return None


# --------------------------------------------------------------------------- owner lists

# "Head of Procurement", "Corporate Head of Housing and Community", "Monitoring Officer", ...
_ROLE_PHRASE = re.compile(
    r"(?:(?:Corporate|Deputy|Assistant|Interim)\s+)?(?:Head|Director|Manager)\s+of\s+(?:the\s+)?"
    r"[A-Z][\w'&-]*(?:\s+(?:(?:and|&|of|for|the)\s+)?[A-Z][\w'&-]*)*"
    r"|(?:[A-Z][a-z]+\s+)+(?:Managers|Officers|Officer|Team)\b"
)
# An abbreviation or CamelCase code with an optional bracketed qualifier: HoXYZ, DPO, ACE (X).
_CODE_LIKE = re.compile(r"[A-Z][A-Za-z0-9]*[A-Z][A-Za-z0-9]*(?:\s?\([A-Za-z0-9 ]+\))?(?=$|[\s,.;:])")
# Code-shaped words that begin a timeline, not an owner.
_TIMELINE_WORDS = frozenset({"BAU", "TBC", "TBA", "TBD", "ASAP", "N/A"})
_SEPARATORS = re.compile(r"[\s,;]*")
_JOINER = re.compile(r"(?:and\b|&|/)\s*", re.IGNORECASE)
_WORD = re.compile(r"[^\s,/]+")  # "CHoF/HoBPPP": a slash joins two owners


def _chunk_words(text: str, start: int) -> list[re.Match]:
    """The words from `start` up to the next comma: an owner code never holds a comma."""
    comma = text.find(",", start)
    end = len(text) if comma < 0 else comma
    return list(itertools.islice(_WORD.finditer(text, start, end), MAX_OWNER_WORDS))


def _trim_stop(text: str) -> str:
    # "CLT, SLT, Members." — the full stop ends the cell, it is not part of the owner.
    return text.rstrip(".;:")


def _glossary_owner_at(text: str, start: int, glossary: OwnerGlossary) -> tuple[OwnerToken, int] | None:
    words = _chunk_words(text, start)
    for count in range(len(words), 0, -1):  # longest first: "All CHoS" before "All"
        printed = _trim_stop(text[start:words[count - 1].end()])
        if printed and (token := resolve_owner(printed, glossary)) is not None:
            return token, start + len(printed)
    return None


def _role_phrase_at(text: str, start: int, glossary: OwnerGlossary) -> tuple[OwnerToken, int] | None:
    match = _ROLE_PHRASE.match(text, start)
    if match is None:
        return None
    written = _collapse_ws(match.group())
    entry = glossary.by_name(written)
    return OwnerToken(match.group(), written, entry.name if entry else None, entry is not None, None), match.end()


def _unknown_code_at(text: str, start: int) -> tuple[OwnerToken, int] | None:
    match = _CODE_LIKE.match(text, start)
    if match is None or match.group() in _TIMELINE_WORDS:
        return None
    return OwnerToken(match.group(), _collapse_ws(match.group()), None, False, None), match.end()


def owner_at(text: str, start: int, glossary: OwnerGlossary) -> tuple[OwnerToken, int] | None:
    """The owner token beginning at `start` and where it ends, or None where the timeline begins."""
    return (
        _glossary_owner_at(text, start, glossary)
        or _role_phrase_at(text, start, glossary)
        or _unknown_code_at(text, start)
    )


def read_owners(text: str, glossary: OwnerGlossary) -> tuple[list[OwnerToken], int]:
    """The leading owners of `text`, deduplicated in order, and the offset where they end."""
    owners: list[OwnerToken] = []
    end = 0
    while True:
        start = _SEPARATORS.match(text, end).end()
        found = owner_at(text, start, glossary)
        joiner = _JOINER.match(text, start) if found is None and owners else None
        if joiner is not None:  # "CLT and SLT", "CHoF/HoBPPP": only when an owner follows
            found = owner_at(text, joiner.end(), glossary)
        if found is None:
            return owners, end
        token, end = found
        if token.canonical not in {owner.canonical for owner in owners}:
            owners.append(token)


def timeline_text(rest: str, glossary: OwnerGlossary | None = None) -> str:
    """The text after the owners, without the separating comma/space and one trailing full stop."""
    rules = glossary.ocr_rules if glossary is not None else load_ocr_map()
    for rule in rules:
        if rule.kind == "strip":
            rest = re.sub(rule.printed, rule.repaired, rest)
    rest = _collapse_ws(rest).lstrip(" ,;").strip()
    return rest[:-1].rstrip() if rest.endswith(".") else rest


def split_owner_timeline(text: str, glossary: OwnerGlossary) -> OwnerTimeline:
    """One owner/timeline pair: "ACE (S151), HoBPPP by end Dec 2024" → owners, "by end Dec 2024"."""
    flat = _collapse_ws(text)
    owners, end = read_owners(flat, glossary)
    return OwnerTimeline(flat, tuple(owners), timeline_text(flat[end:], glossary))


# --------------------------------------------------------------------------- several pairs

# A sentence end or a paragraph break: the only places a second pair may start.
_BOUNDARY = re.compile(r"(?<=[.;])\s+|\s*\n\s*\n\s*")


def _starts_pair(piece: str, glossary: OwnerGlossary) -> bool:
    """A known owner that is set out like an owner list, not a sentence that names a group."""
    found = owner_at(piece, 0, glossary)
    if found is None or not found[0].known:
        return False
    token, end = found
    delimited = piece[end:end + 1] in ("", ",", ".", ";")
    return delimited or bool(_CODE_LIKE.fullmatch(token.canonical))


def split_pairs(text: str, glossary: OwnerGlossary) -> list[OwnerTimeline]:
    """Every owner/timeline pair of a cell; a new pair starts at a sentence end before an owner."""
    groups: list[list[str]] = []
    for piece in _BOUNDARY.split(text.strip()):
        piece = _collapse_ws(piece)
        if not piece:
            continue
        if groups and not _starts_pair(piece, glossary):
            groups[-1].append(piece)
        else:
            groups.append([piece])
    return [split_owner_timeline(" ".join(group), glossary) for group in groups]


# --------------------------------------------------------------------------- suggestions


def suggest(code: str, glossary: OwnerGlossary, limit: int = 3, cutoff: float = 60) -> list[str]:
    """Canonical codes close to an unknown one, best first — for the message, never a repair."""
    spellings = glossary.spellings()
    ranked = process.extract(
        # WRatio scores a prefix high too: "ACE" ranks "ACE (S151)" and "ACE (Place)" first.
        _collapse_ws(code), list(spellings), scorer=fuzz.WRatio, limit=None, score_cutoff=cutoff,
        processor=str.casefold,
    )
    codes: list[str] = []
    for spelling, _score, _index in ranked:
        canonical = spellings[spelling]
        if canonical not in codes:
            codes.append(canonical)
    return codes[:limit]
