"""Read an action's "indicative timeline" text as a kind and a date span.

Councils write timelines by hand: "Q2 24/25", "by end March 2025", "ongoing in 24/25 and
25/26", "when advised by Oflog", "24.". `parse_timeline` reads one such text under a
`TimelineConvention` (schema/timeline.toml) and names the rule it used, so an analyst can
audit every date we derive. Text it cannot read comes back as kind "none", rule
"unparsed", null dates; recording that as an issue is the caller's job.

How a text is read:
1. Tidy it: dashes become "-", runs of whitespace one space, one trailing full stop goes.
   Nothing left: kind "none", rule "empty".
2. An update word ("Update Q4 2026", "Update: 10/9/24 - ... Q1 25/26") starts a revision;
   the last revision that can be read wins, else the original text is read.
3. Within a revision the first thing that commits to a time governs: a date, together
   with any dates joined to it by range connectors ("Q3-Q4 24/25", "24/25 and 25/26"), or a
   complete, recurring or event word. Later dates are context ("Q2 24/25 ahead of CPC in
   Oct 2024"). A complete word gives way to a date later in its own sentence, because
   "completed by March 2025" is a deadline. A bare year ("24." alone, or "2025" within a
   sentence) is read as `single_year_means` says and flagged ambiguous.
4. No date and none of those words, but an ongoing word ("ongoing core activity (BAU)"):
   kind "ongoing".

Rules carry a path: "update/..." when a revision won, "first_date/..." when later dates
in the text were set aside as context.
"""

from __future__ import annotations

import calendar
import difflib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from datetime import date, timedelta
from functools import cache
from importlib import resources
from os import PathLike
from typing import Any

KINDS = ("quarter", "month", "year", "range", "ongoing", "complete", "recurring", "event", "none")
SINGLE_YEAR_READINGS = ("fy_start", "fy_end", "calendar")


class ConventionError(ValueError):
    """A timeline convention (file or overrides) has a missing, unknown or invalid key."""


# Readers for convention values: each checks one raw TOML value and returns the value
# stored on TimelineConvention (lists become tuples so a convention can be hashed and
# its compiled patterns cached).


def _read_month_number(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 12:
        raise ConventionError(f"{key} must be a month number 1-12, got {value!r}")
    return value


def _read_single_year_reading(key: str, value: Any) -> str:
    if value not in SINGLE_YEAR_READINGS:
        raise ConventionError(f"{key} must be one of {', '.join(SINGLE_YEAR_READINGS)}, got {value!r}")
    return value


def _read_century(key: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value <= 0 or value % 100:
        raise ConventionError(f"{key} must be a whole century such as 2000, got {value!r}")
    return value


def _read_phrases(key: str, value: Any) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ConventionError(f"{key} must be a list of non-empty strings, got {value!r}")
    return tuple(v.strip() for v in value)


def _spelling_key(spelling: str) -> str:
    """A month spelling as the table keys it: lower case, single spaces (as tidied text)."""
    return " ".join(spelling.lower().split())


def _read_month_table(key: str, value: Any) -> tuple[tuple[str, int], ...]:
    if not isinstance(value, dict) or not value:
        raise ConventionError(f"{key} must be a table of spelling = month number, got {value!r}")
    spellings = ((_spelling_key(name), _read_month_number(f"{key}.{name}", n)) for name, n in value.items())
    return tuple(sorted(spellings))


@dataclass(frozen=True)
class TimelineConvention:
    """How a plan writes its timelines. Build it with `load_convention`, which checks every
    value; schema/timeline.toml documents each field."""

    fy_start_month: int = field(metadata={"read": _read_month_number})
    single_year_means: str = field(metadata={"read": _read_single_year_reading})
    two_digit_year_base: int = field(metadata={"read": _read_century})
    quarter_prefixes: tuple[str, ...] = field(metadata={"read": _read_phrases})
    dashes: tuple[str, ...] = field(metadata={"read": _read_phrases})
    range_connectors: tuple[str, ...] = field(metadata={"read": _read_phrases})
    ongoing_words: tuple[str, ...] = field(metadata={"read": _read_phrases})
    complete_words: tuple[str, ...] = field(metadata={"read": _read_phrases})
    recurring_words: tuple[str, ...] = field(metadata={"read": _read_phrases})
    event_words: tuple[str, ...] = field(metadata={"read": _read_phrases})
    update_words: tuple[str, ...] = field(metadata={"read": _read_phrases})
    month_names: tuple[tuple[str, int], ...] = field(metadata={"read": _read_month_table})


CONVENTION_KEYS = tuple(f.name for f in fields(TimelineConvention))


@dataclass(frozen=True)
class TimelineReading:
    """What one timeline text means. `start`/`end` are inclusive and set only for the kinds
    quarter, month, year and range; `rule` names the rule that produced the reading."""

    text: str
    kind: str  # quarter|month|year|range|ongoing|complete|recurring|event|none
    start: date | None
    end: date | None
    ambiguous: bool
    rule: str


# --- loading the convention --------------------------------------------------------


def load_convention(
    path: str | PathLike[str] | None = None, overrides: Mapping[str, Any] | None = None
) -> TimelineConvention:
    """Load the convention from `path` (default: the packaged schema/timeline.toml), with
    `overrides` (same keys as the file) replacing file values. Raises ConventionError for a
    missing, unknown (with the closest valid key suggested) or invalid key."""
    overrides = dict(overrides or {})
    source, settings = _read_convention_file(path)
    _reject_unknown_keys(settings, source)
    _reject_unknown_keys(overrides, "overrides")
    merged = settings | overrides
    missing = [key for key in CONVENTION_KEYS if key not in merged]
    if missing:
        raise ConventionError(f"{source}: missing timeline convention key(s): {', '.join(missing)}")
    values = {}
    for spec in fields(TimelineConvention):
        try:
            values[spec.name] = spec.metadata["read"](spec.name, merged[spec.name])
        except ConventionError as err:
            origin = "overrides" if spec.name in overrides else source
            raise ConventionError(f"{origin}: {err}") from None
    return TimelineConvention(**values)


def _read_convention_file(path: str | PathLike[str] | None) -> tuple[str, dict[str, Any]]:
    if path is None:
        source = resources.files("actionplan.schema").joinpath("timeline.toml")
        name, text = "actionplan.schema/timeline.toml", source.read_text(encoding="utf-8")
    else:
        with open(path, encoding="utf-8") as handle:
            name, text = str(path), handle.read()
    try:
        return name, tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConventionError(f"{name}: not valid TOML: {err}") from None


def _reject_unknown_keys(settings: Mapping[str, Any], source: str) -> None:
    for key in settings:
        if key in CONVENTION_KEYS:
            continue
        closest = difflib.get_close_matches(key, CONVENTION_KEYS, n=1, cutoff=0.5)
        hint = f"did you mean {closest[0]!r}?" if closest else f"valid keys: {', '.join(CONVENTION_KEYS)}"
        raise ConventionError(f"{source}: unknown timeline convention key {key!r}; {hint}")


# --- the calendar arithmetic -------------------------------------------------------


def _first_of_month(year: int, month: int, months_later: int = 0) -> date:
    index = year * 12 + (month - 1) + months_later
    return date(index // 12, index % 12 + 1, 1)


def _month_bounds(year: int, month: int) -> tuple[date, date]:
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _quarter_bounds(year_start: date, quarter: int) -> tuple[date, date]:
    """Quarter 1-4 of the (financial or calendar) year beginning on `year_start`."""
    first = _first_of_month(year_start.year, year_start.month, 3 * (quarter - 1))
    return first, _first_of_month(first.year, first.month, 3) - timedelta(days=1)


def _year_bounds(year_start: date) -> tuple[date, date]:
    return year_start, _first_of_month(year_start.year, year_start.month, 12) - timedelta(days=1)


def _financial_year_start(start_year: int, conv: TimelineConvention) -> date:
    return date(start_year, conv.fy_start_month, 1)


def _single_year_start(year: int, conv: TimelineConvention) -> date:
    """First day of the year a lone "2024" names, under `single_year_means`."""
    if conv.single_year_means == "calendar":
        return date(year, 1, 1)
    if conv.single_year_means == "fy_end" and conv.fy_start_month > 1:
        return _financial_year_start(year - 1, conv)
    return _financial_year_start(year, conv)


def _full_year(digits: str, conv: TimelineConvention) -> int:
    return conv.two_digit_year_base + int(digits) if len(digits) <= 2 else int(digits)


def _is_plausible_year(year: int, conv: TimelineConvention) -> bool:
    """Years a plan could mean: the century before `two_digit_year_base` to the one after
    it. Keeps "£1000" or "Q4 9999" from being read as dates (or overflowing `date`)."""
    return conv.two_digit_year_base - 100 <= year < conv.two_digit_year_base + 200


def _financial_year_label(first: str, second: str, conv: TimelineConvention) -> int | None:
    """Start year of a label like "24/25", "2024/5", "2024/2025", or None when the second
    part is not the year after the first (so "24/26" or "10/9" are not financial years)."""
    start = _full_year(first, conv)
    return start if (start + 1) % 10 ** len(second) == int(second) else None


# --- the convention compiled -------------------------------------------------------


@dataclass(frozen=True)
class _Patterns:
    """The convention compiled once into the regular expressions the reader uses."""

    dash_table: dict[int, str]
    atom: re.Pattern[str]
    connector: re.Pattern[str]
    ongoing: re.Pattern[str]
    complete: re.Pattern[str]
    recurring: re.Pattern[str]
    event: re.Pattern[str]
    update: re.Pattern[str]
    sentence_end: re.Pattern[str]


def _alternation(phrases: tuple[str, ...]) -> str:
    """Phrases as a regex alternation, longest first so "september" beats "sep"; a space
    inside a phrase matches any whitespace. An empty list matches nothing."""
    if not phrases:
        return "(?!)"
    spelled = (r"\s+".join(re.escape(word) for word in phrase.split()) for phrase in phrases)
    return "|".join(sorted(spelled, key=len, reverse=True))


def _whole_phrase(phrases: tuple[str, ...]) -> re.Pattern[str]:
    # (?<!\w)/(?!\w) rather than \b so entries that start or end with punctuation still work.
    return re.compile(rf"(?<!\w)(?:{_alternation(phrases)})(?!\w)", re.IGNORECASE)


@cache
def _patterns(conv: TimelineConvention) -> _Patterns:
    months = _alternation(tuple(name for name, _ in conv.month_names))
    quarters = _alternation(conv.quarter_prefixes)
    # Alternatives tried in order at each position: a dd/mm/yy stamp is consumed first so
    # "10/9/24" is never read as a year label; digits next to "/" or other digits are not
    # years ("£100,000", "S151").
    atom = re.compile(
        rf"""
          (?P<stamp>(?<![\d/])\d{{1,2}}/\d{{1,2}}/\d{{2,4}}(?![\d/]))
        | (?P<fy>(?<![\d/])(?P<fy_first>\d{{4}}|\d{{2}})[/-](?P<fy_second>\d{{4}}|\d{{2}}|\d)(?![\d/]))
        | (?P<number>(?<![\d/])(?:\d{{4}}|\d{{2}})(?![\d/]))
        | (?P<quarter>(?<!\w)(?:{quarters})\s*(?P<quarter_no>[1-4])(?!\w))
        | (?P<month>(?<!\w)(?P<month_name>{months})\.?(?!\w))
        """,
        re.IGNORECASE | re.VERBOSE,
    )
    return _Patterns(
        dash_table=str.maketrans({dash: "-" for dash in conv.dashes}),
        atom=atom,
        connector=re.compile(rf"\s*(?:{_alternation(conv.range_connectors)})\s*", re.IGNORECASE),
        ongoing=_whole_phrase(conv.ongoing_words),
        complete=_whole_phrase(conv.complete_words),
        recurring=_whole_phrase(conv.recurring_words),
        event=_whole_phrase(conv.event_words),
        update=_whole_phrase(conv.update_words),
        sentence_end=re.compile(r"[.;!?](?:\s|$)"),
    )


# --- finding dates in a text -------------------------------------------------------


@dataclass(frozen=True)
class _Atom:
    """One date word: a quarter "Q3", a month "Sept", a year label "24/25" or a number."""

    kind: str  # quarter | month | fy | number
    at: int
    to: int
    value: int  # quarter 1-4, month 1-12, start year of the label, or the full year


@dataclass(frozen=True)
class _Span:
    """A date expression. `year_start` is the first day of the year a quarter or year
    expression counts quarters from. A partial ("Q3" in "Q3-Q4 24/25") has no dates
    until the expression after it lends it its year."""

    kind: str  # quarter | month | year
    at: int
    to: int
    rule: str
    first: date | None = None
    last: date | None = None
    year_start: date | None = None
    ambiguous: bool = False
    number: int = 0  # the quarter or month a partial names


def _atoms(text: str, conv: TimelineConvention, pats: _Patterns) -> list[_Atom]:
    months = dict(conv.month_names)
    atoms = []
    for m in pats.atom.finditer(text):
        if m["quarter"]:
            atoms.append(_Atom("quarter", m.start(), m.end(), int(m["quarter_no"])))
        elif m["month"]:
            atoms.append(_Atom("month", m.start(), m.end(), months[_spelling_key(m["month_name"])]))
        elif m["fy"]:
            start_year = _financial_year_label(m["fy_first"], m["fy_second"], conv)
            if start_year is not None and _is_plausible_year(start_year, conv):
                atoms.append(_Atom("fy", m.start(), m.end(), start_year))
        elif m["number"] and _is_plausible_year(_full_year(m["number"], conv), conv):
            atoms.append(_Atom("number", m.start(), m.end(), _full_year(m["number"], conv)))
    return atoms


def _quarter_span(quarter: _Atom, year: _Atom, conv: TimelineConvention) -> _Span:
    if year.kind == "fy":
        year_start, rule = _financial_year_start(year.value, conv), "quarter_fy_label"
    else:
        year_start, rule = _single_year_start(year.value, conv), "quarter_single_year"
    first, last = _quarter_bounds(year_start, quarter.value)
    return _Span("quarter", quarter.at, year.to, rule, first, last, year_start)


def _month_span(month: _Atom, year: _Atom, conv: TimelineConvention) -> _Span:
    if year.kind == "fy":
        # A month inside a year label ("March 2024/25") falls in whichever calendar year
        # of that financial year holds it.
        label_start = _financial_year_start(year.value, conv)
        calendar_year = label_start.year + (month.value < label_start.month)
        rule = "month_fy_label"
    else:
        calendar_year, rule = year.value, "month"
    first, last = _month_bounds(calendar_year, month.value)
    return _Span("month", month.at, year.to, rule, first, last)


def _year_span(atom: _Atom, conv: TimelineConvention) -> _Span:
    if atom.kind == "fy":
        year_start, rule, ambiguous = _financial_year_start(atom.value, conv), "fy_label", False
    else:
        # A bare year could be calendar or financial; the convention picks, we flag it.
        year_start, rule, ambiguous = _single_year_start(atom.value, conv), "lone_year", True
    first, last = _year_bounds(year_start)
    return _Span("year", atom.at, atom.to, rule, first, last, year_start, ambiguous)


def _is_lone_year(atom: _Atom, text: str) -> bool:
    """Four digits read as a year anywhere; two digits ("24.") only when they are the
    whole text, since "12-month" is not a year."""
    written = text[atom.at : atom.to]
    return len(written) == 4 or text.strip() == written


def _date_spans(text: str, conv: TimelineConvention, pats: _Patterns) -> list[_Span]:
    """Date expressions in text order: a quarter or month takes the year written right
    after it; one without a year stays partial."""
    atoms = _atoms(text, conv, pats)
    spans: list[_Span] = []
    i = 0
    while i < len(atoms):
        atom = atoms[i]
        year = atoms[i + 1] if i + 1 < len(atoms) else None
        has_year = year is not None and year.kind in ("fy", "number") and text[atom.to : year.at].isspace()
        if atom.kind in ("quarter", "month") and has_year:
            build = _quarter_span if atom.kind == "quarter" else _month_span
            spans.append(build(atom, year, conv))
            i += 2
            continue
        if atom.kind in ("quarter", "month"):
            spans.append(_Span(atom.kind, atom.at, atom.to, "partial", number=atom.value))
        elif atom.kind == "fy" or _is_lone_year(atom, text):
            spans.append(_year_span(atom, conv))
        i += 1
    return spans


def _lend_year(partial: _Span, following: _Span) -> _Span:
    """Date a partial from the expression after it: "Q3" in "Q3-Q4 24/25" takes 24/25;
    "Nov" in "Nov - Feb 2025" takes the year before Feb 2025."""
    if following.first is None:
        return partial
    if partial.kind == "quarter" and following.year_start is not None:
        first, last = _quarter_bounds(following.year_start, partial.number)
        return replace(partial, first=first, last=last, year_start=following.year_start, rule=following.rule)
    if partial.kind == "month" and following.kind == "month":
        year = following.first.year - (partial.number > following.first.month)
        first, last = _month_bounds(year, partial.number)
        return replace(partial, first=first, last=last, rule=following.rule)
    return partial


def _joined_run(text: str, spans: list[_Span], begin: int, pats: _Patterns) -> list[_Span]:
    """Spans from `begin` onwards that range connectors join, partials dated by their
    neighbour."""
    run = [spans[begin]]
    for following in spans[begin + 1 :]:
        if not pats.connector.fullmatch(text[run[-1].to : following.at]):
            break
        run.append(following)
    for k in range(len(run) - 2, -1, -1):
        if run[k].first is None:
            run[k] = _lend_year(run[k], run[k + 1])
    return run


def _run_reading(text: str, run: list[_Span]) -> TimelineReading:
    if len(run) == 1:
        span = run[0]
        return TimelineReading(text, span.kind, span.first, span.last, span.ambiguous, span.rule)
    start, end = run[0].first, run[-1].last
    backwards = start > end
    if backwards:  # "Q4 25/26 - 24/25": keep the whole span but say we were unsure
        start, end = min(s.first for s in run), max(s.last for s in run)
    ambiguous = backwards or any(s.ambiguous for s in run)
    return TimelineReading(text, "range", start, end, ambiguous, "range")


def _governing_dates(
    text: str, conv: TimelineConvention, pats: _Patterns
) -> tuple[int, TimelineReading] | None:
    """The first dated run of expressions and where it starts, or None."""
    spans = _date_spans(text, conv, pats)
    for begin in range(len(spans)):
        run = [span for span in _joined_run(text, spans, begin, pats) if span.first is not None]
        if not run:
            continue
        reading = _run_reading(text, run)
        if any(span.first is not None and span.at >= run[-1].to for span in spans):
            reading = replace(reading, rule=f"first_date/{reading.rule}")
        return run[0].at, reading
    return None


# --- words that say something other than a date ------------------------------------


def _first_status_word(text: str, pats: _Patterns) -> tuple[int, str] | None:
    """Earliest complete, recurring or event word as (offset, kind)."""
    found = []
    for kind, pattern in (("complete", pats.complete), ("recurring", pats.recurring), ("event", pats.event)):
        match = pattern.search(text)
        if match:
            found.append((match.start(), kind))
    return min(found, default=None)


def _read_revision(text: str, conv: TimelineConvention, pats: _Patterns) -> TimelineReading | None:
    """Read one revision of a timeline; None when nothing in it could be read."""
    dates = _governing_dates(text, conv, pats)
    status = _first_status_word(text, pats)
    if status is not None:
        at, kind = status
        date_first = dates is not None and dates[0] < at
        # "completed by March 2025": the date in the same sentence is the deadline.
        completed_by = (
            kind == "complete" and dates is not None and not pats.sentence_end.search(text, at, dates[0])
        )
        if not date_first and not completed_by:
            return TimelineReading(text, kind, None, None, False, f"{kind}_word")
    if dates is not None:
        return dates[1]
    if pats.ongoing.search(text):
        return TimelineReading(text, "ongoing", None, None, False, "ongoing_word")
    return None


def _tidy(text: str, pats: _Patterns) -> str:
    return " ".join(text.translate(pats.dash_table).split()).removesuffix(".").strip()


def _revisions(text: str, pats: _Patterns) -> list[str]:
    """The original timeline, then each revision an update word starts, in order."""
    parts, begin = [], 0
    for match in pats.update.finditer(text):
        parts.append(text[begin : match.start()])
        begin = match.end()
    parts.append(text[begin:])
    return parts


def parse_timeline(text: str, convention: TimelineConvention) -> TimelineReading:
    """Read one timeline text (the owner/timeline cell without its owners). Pure: the same
    text and convention always give the same reading; it never raises on odd text."""
    pats = _patterns(convention)
    tidy = _tidy(text, pats)
    if not tidy:
        return TimelineReading(text, "none", None, None, False, "empty")
    revisions = _revisions(tidy, pats)
    for index in range(len(revisions) - 1, -1, -1):
        reading = _read_revision(revisions[index].strip(), convention, pats)
        if reading is not None:
            rule = f"update/{reading.rule}" if index else reading.rule
            return replace(reading, text=text, rule=rule)
    return TimelineReading(text, "none", None, None, False, "unparsed")
