"""Timeline parser: every shape in the 2024 seed plan, the convention file, and properties.

Expected dates below are written by hand from samples/SOURCE_FORMAT.md (UK financial year,
April-March); none is computed with the parser or its helpers.
"""

from __future__ import annotations

import calendar
import tomllib
from datetime import date
from functools import cache
from importlib import resources

import pytest
from hypothesis import given
from hypothesis import strategies as st

from actionplan.normalise.timelines import (
    CONVENTION_KEYS,
    KINDS,
    ConventionError,
    TimelineConvention,
    TimelineReading,
    load_convention,
    parse_timeline,
)

CONVENTION = load_convention()
DATED_KINDS = {"quarter", "month", "year", "range"}

# Every timeline in the owner column ("Allocated to and indicative timeline") of the
# converter text of the real 2024 plan (tests/data/seed/README.md), after its owners, as
# printed (trailing full stop kept). Repeats of one shape are listed once, under the first element using it.
# (element, printed timeline, kind, start, end, ambiguous)
SEED_TIMELINES = [
    ("CI001", "Q2 2024.", "quarter", "2024-07-01", "2024-09-30", False),
    ("CI001", "ongoing Qly basis", "recurring", None, None, False),
    ("CI001", "", "none", None, None, False),  # "Head of Procurement": owners only
    ("CI002", "during 2024/25 on approval of the Strategy.", "year", "2024-04-01", "2025-03-31", False),
    ("CI002", "this work is ongoing for 2024/25, 2025/26.", "range", "2024-04-01", "2026-03-31", False),
    ("CI003", "Q2 24/25 ahead of CPC in Oct 2024.", "quarter", "2024-07-01", "2024-09-30", False),
    ("CI003", "Q1 25/26", "quarter", "2025-04-01", "2025-06-30", False),
    ("CI005", "Phase 1 implementation complete", "complete", None, None, False),
    ("CI005", "Q3-Q4 24/25", "range", "2024-10-01", "2025-03-31", False),
    ("CI006", "Q4 2024/5", "quarter", "2025-01-01", "2025-03-31", False),
    ("CI007", "by Dec 2024", "month", "2024-12-01", "2024-12-31", False),
    ("CI007", "ongoing.", "ongoing", None, None, False),
    ("CI009", "Jan 2025", "month", "2025-01-01", "2025-01-31", False),
    ("CI010", "when advised by Oflog.", "event", None, None, False),
    ("CI011", "Q4 2024", "quarter", "2025-01-01", "2025-03-31", False),
    ("CI011", "by end March 2025.", "month", "2025-03-01", "2025-03-31", False),
    ("CI012", "by end Sept 2024 for Q2 progress data.", "month", "2024-09-01", "2024-09-30", False),
    ("L001", "ongoing in 24/25 and 25/26.", "range", "2024-04-01", "2026-03-31", False),
    (
        "L001",
        "Ongoing in 24/25 ahead of NS-BVN 12-month anniversary in Dec 2024.",
        "year",
        "2024-04-01",
        "2025-03-31",
        False,
    ),
    ("L004", "review Jan 2025.", "month", "2025-01-01", "2025-01-31", False),
    ("L004", "March 2025.", "month", "2025-03-01", "2025-03-31", False),
    ("L005", "24.", "year", "2024-04-01", "2025-03-31", True),
    ("L006", "complete.", "complete", None, None, False),
    ("L006", "end of Q4 24/25.", "quarter", "2025-01-01", "2025-03-31", False),
    ("G001", "Q4 2024/25.", "quarter", "2025-01-01", "2025-03-31", False),
    ("G002", "by end Q2 2024.", "quarter", "2024-07-01", "2024-09-30", False),
    (
        "G003",
        "complete. This has been addressed in the latest Cttee report template v4 issued in March 2024.",
        "complete",
        None,
        None,
        False,
    ),
    ("G003", "by end Dec 2024.", "month", "2024-12-01", "2024-12-31", False),
    ("G005", "by Sept 2024.", "month", "2024-09-01", "2024-09-30", False),
    ("G006", "Q4 2024. Update Q4 2026", "quarter", "2027-01-01", "2027-03-31", False),
    ("G008", "end of each Quarter.", "recurring", None, None, False),
    ("G009", "by Q1 2025/26.", "quarter", "2025-04-01", "2025-06-30", False),
    (
        "C002",
        "results in Q3 2024. Action plan and implementation Q4 2024/5 – 25/26.",
        "quarter",
        "2024-10-01",
        "2024-12-31",
        False,
    ),
    ("C003", "ongoing core activity.", "ongoing", None, None, False),
    ("C008", "by March 2025.", "month", "2025-03-01", "2025-03-31", False),
    ("C008", "Q2 and Q4 annually.", "recurring", None, None, False),
    ("C011", "Q4 24/25.", "quarter", "2025-01-01", "2025-03-31", False),
    ("R006", "review capacity Jan 2025.", "month", "2025-01-01", "2025-01-31", False),
    ("R008", "ongoing core activity (BAU).", "ongoing", None, None, False),
    ("R011", "July 24.", "month", "2024-07-01", "2024-07-31", False),
    ("SD001", "Q3 2024/25.", "quarter", "2024-10-01", "2024-12-31", False),
    ("SD003", "core activity (BAU).", "ongoing", None, None, False),
    ("SD004", "by Sept 2024 for Q1 report.", "month", "2024-09-01", "2024-09-30", False),
    ("PCE002", "by Sept 2024 for initial assessment outcome.", "month", "2024-09-01", "2024-09-30", False),
]

# Shapes named in SOURCE_FORMAT.md's convention table (or the plan's other columns) that
# the seed's owner column does not print in exactly this form.
CONVENTION_TABLE_TIMELINES = [
    ("Q1 24/25", "quarter", "2024-04-01", "2024-06-30", False),
    ("Q1 2024/25", "quarter", "2024-04-01", "2024-06-30", False),
    ("Q1 2024/5", "quarter", "2024-04-01", "2024-06-30", False),
    ("Q2 24/25", "quarter", "2024-07-01", "2024-09-30", False),
    ("Q3 24/25", "quarter", "2024-10-01", "2024-12-31", False),
    ("Sept 2024", "month", "2024-09-01", "2024-09-30", False),
    ("end Sept 2024", "month", "2024-09-01", "2024-09-30", False),
    ("2024/25", "year", "2024-04-01", "2025-03-31", False),
    ("in 24/25", "year", "2024-04-01", "2025-03-31", False),
    ("ongoing in 24/25", "year", "2024-04-01", "2025-03-31", False),
    ("Q4 2024/25 – 25/26", "range", "2025-01-01", "2026-03-31", False),
    ("Q4 2024/5 – 25/26", "range", "2025-01-01", "2026-03-31", False),
    ("Q4 2024/5 - 25/26", "range", "2025-01-01", "2026-03-31", False),
    ("Q4 2024/25 to 25/26", "range", "2025-01-01", "2026-03-31", False),
    ("Q4 2024/25 and 2025/26", "range", "2025-01-01", "2026-03-31", False),  # G001-era wording
    ("ongoing for 2024/25, 2025/26", "range", "2024-04-01", "2026-03-31", False),
    ("BAU", "ongoing", None, None, False),
    ("Qly basis", "recurring", None, None, False),
    ("on a QIy basis", "recurring", None, None, False),  # converter's misreading of "Qly"
    ("Q4 2024. Update: 10/9/24 - moved to Q1 25/26", "quarter", "2025-04-01", "2025-06-30", False),
    ("24", "year", "2024-04-01", "2025-03-31", True),
]


def _day(iso: str | None) -> date | None:
    return None if iso is None else date.fromisoformat(iso)


@pytest.mark.parametrize(
    "printed, kind, start, end, ambiguous",
    [pytest.param(*case[1:], id=f"{case[0]}:{case[1]}") for case in SEED_TIMELINES],
)
def test_seed_timeline_shapes(printed, kind, start, end, ambiguous):
    reading = parse_timeline(printed, CONVENTION)
    assert (reading.kind, reading.start, reading.end, reading.ambiguous) == (
        kind,
        _day(start),
        _day(end),
        ambiguous,
    )
    assert reading.text == printed


@pytest.mark.parametrize("printed, kind, start, end, ambiguous", CONVENTION_TABLE_TIMELINES)
def test_convention_table_shapes(printed, kind, start, end, ambiguous):
    reading = parse_timeline(printed, CONVENTION)
    assert (reading.kind, reading.start, reading.end, reading.ambiguous) == (
        kind,
        _day(start),
        _day(end),
        ambiguous,
    )


@pytest.mark.parametrize("printed", [case[1] for case in SEED_TIMELINES if case[1].endswith(".")])
def test_one_trailing_full_stop_changes_nothing(printed):
    # SOURCE_FORMAT's `timeline` field drops the full stop; the printed cell keeps it.
    with_stop = parse_timeline(printed, CONVENTION)
    without = parse_timeline(printed.removesuffix("."), CONVENTION)
    assert (with_stop.kind, with_stop.start, with_stop.end, with_stop.ambiguous, with_stop.rule) == (
        without.kind,
        without.start,
        without.end,
        without.ambiguous,
        without.rule,
    )


@pytest.mark.parametrize(
    "printed, rule",
    [
        ("", "empty"),
        ("  .  ", "empty"),
        ("Q2 2024", "quarter_single_year"),
        ("Q4 2024/5", "quarter_fy_label"),
        ("July 24", "month"),
        ("March 2024/25", "month_fy_label"),
        ("during 2024/25", "fy_label"),
        ("24.", "lone_year"),
        ("Q3-Q4 24/25", "range"),
        ("Q2 24/25 ahead of CPC in Oct 2024", "first_date/quarter_fy_label"),
        ("Q4 2024. Update Q4 2026", "update/quarter_single_year"),
        ("ongoing", "ongoing_word"),
        ("complete", "complete_word"),
        ("Qly basis", "recurring_word"),
        ("when advised by Oflog", "event_word"),
        ("survey to be reissued", "unparsed"),
    ],
)
def test_rule_names_say_which_rule_matched(printed, rule):
    assert parse_timeline(printed, CONVENTION).rule == rule


@pytest.mark.parametrize(
    "printed",
    [
        "survey to be reissued",
        "Head of Procurement",
        "by Q4",
        "Update: 10/9/24 - survey to be reissued.",
        "Q4 9999",  # outside the years a plan could mean (and past what `date` holds)
        "a £1000 budget",
    ],
)
def test_unreadable_text_is_kind_none_not_ambiguous(printed):
    reading = parse_timeline(printed, CONVENTION)
    assert reading == TimelineReading(printed, "none", None, None, False, "unparsed")


def test_update_without_a_date_keeps_the_original_reading():
    reading = parse_timeline("Q2 2024. Update: 10/9/24 - survey to be reissued", CONVENTION)
    assert (reading.kind, reading.start, reading.end) == ("quarter", date(2024, 7, 1), date(2024, 9, 30))


def test_later_update_beats_earlier_update():
    reading = parse_timeline("Q4 2024. Update Q4 2025. Update: complete", CONVENTION)
    assert (reading.kind, reading.rule) == ("complete", "update/complete_word")


def test_complete_gives_way_to_a_deadline_in_its_sentence():
    reading = parse_timeline("to be completed by March 2025", CONVENTION)
    assert (reading.kind, reading.start, reading.end) == ("month", date(2025, 3, 1), date(2025, 3, 31))


@pytest.mark.parametrize(
    "printed, start, end",
    [
        ("Nov - Feb 2025", "2024-11-01", "2025-02-28"),  # the partial month takes the year before
        ("Jan to March 2025", "2025-01-01", "2025-03-31"),
        ("Q1 - Q2 2025", "2025-04-01", "2025-09-30"),
        ("2024/25 - 2025/26", "2024-04-01", "2026-03-31"),
    ],
)
def test_ranges_lend_the_year_to_a_partial_start(printed, start, end):
    reading = parse_timeline(printed, CONVENTION)
    assert (reading.kind, reading.start, reading.end) == ("range", _day(start), _day(end))


def test_backwards_range_is_widened_and_flagged():
    reading = parse_timeline("Q4 25/26 - 24/25", CONVENTION)
    assert (reading.kind, reading.start, reading.end, reading.ambiguous) == (
        "range",
        date(2024, 4, 1),
        date(2026, 3, 31),
        True,
    )


# --- each entry of the convention file does what its comment says -------------------


@pytest.mark.parametrize("kind, key", [
    ("ongoing", "ongoing_words"),
    ("complete", "complete_words"),
    ("recurring", "recurring_words"),
    ("event", "event_words"),
])
def test_every_listed_word_gives_its_kind(kind, key):
    for word in getattr(CONVENTION, key):
        assert parse_timeline(f"SLT, {word}", CONVENTION).kind == kind, word
        assert parse_timeline(word.upper(), CONVENTION).kind == kind, word


def test_every_month_spelling_names_its_month():
    for spelling, month in CONVENTION.month_names:
        reading = parse_timeline(f"by {spelling} 2025", CONVENTION)
        last_day = calendar.monthrange(2025, month)[1]
        assert (reading.start, reading.end) == (date(2025, month, 1), date(2025, month, last_day)), spelling


def test_every_quarter_prefix_names_a_quarter():
    for prefix in CONVENTION.quarter_prefixes:
        reading = parse_timeline(f"{prefix} 3 24/25", CONVENTION)
        expected = ("quarter", date(2024, 10, 1), date(2024, 12, 31))
        assert (reading.kind, reading.start, reading.end) == expected, prefix


def test_every_dash_and_connector_joins_a_range():
    joins = [f"{dash}" for dash in CONVENTION.dashes] + [f" {c} " for c in CONVENTION.range_connectors]
    for join in joins:
        reading = parse_timeline(f"24/25{join}25/26", CONVENTION)
        expected = ("range", date(2024, 4, 1), date(2026, 3, 31))
        assert (reading.kind, reading.start, reading.end) == expected, join


def test_every_update_word_starts_a_revision():
    for word in CONVENTION.update_words:
        reading = parse_timeline(f"Q4 2024. {word}: Q1 25/26", CONVENTION)
        assert (reading.start, reading.rule) == (date(2025, 4, 1), "update/quarter_fy_label"), word


# --- the convention file and overrides ----------------------------------------------


def _packaged_toml() -> str:
    return resources.files("actionplan.schema").joinpath("timeline.toml").read_text(encoding="utf-8")


def test_packaged_file_holds_exactly_the_convention_keys():
    assert set(tomllib.loads(_packaged_toml())) == set(CONVENTION_KEYS)


def test_unknown_file_key_fails_with_the_closest_key(tmp_path):
    path = tmp_path / "timeline.toml"
    path.write_text(_packaged_toml().replace("fy_start_month =", "fy_start_mnth ="), encoding="utf-8")
    with pytest.raises(ConventionError, match=r"unknown .*'fy_start_mnth'; did you mean 'fy_start_month'\?"):
        load_convention(path)


def test_unknown_override_key_fails_with_the_closest_key():
    suggestion = r"overrides: .*'recuring_words'; did you mean 'recurring_words'\?"
    with pytest.raises(ConventionError, match=suggestion):
        load_convention(overrides={"recuring_words": ["weekly"]})


def test_unknown_key_with_no_close_match_lists_the_valid_keys():
    with pytest.raises(ConventionError, match="valid keys: fy_start_month"):
        load_convention(overrides={"zzz": 1})


def test_missing_key_fails(tmp_path):
    path = tmp_path / "timeline.toml"
    path.write_text(_packaged_toml().replace('single_year_means = "fy_start"', ""), encoding="utf-8")
    with pytest.raises(ConventionError, match="missing .*single_year_means"):
        load_convention(path)


@pytest.mark.parametrize(
    "overrides, message",
    [
        ({"fy_start_month": 13}, "fy_start_month must be a month number"),
        ({"fy_start_month": "April"}, "fy_start_month must be a month number"),
        ({"single_year_means": "financial"}, "single_year_means must be one of"),
        ({"two_digit_year_base": 1950}, "two_digit_year_base must be a whole century"),
        ({"ongoing_words": "ongoing"}, "ongoing_words must be a list"),
        ({"month_names": {"jan": 0}}, "month_names.jan must be a month number"),
    ],
)
def test_invalid_values_fail_loudly(overrides, message):
    with pytest.raises(ConventionError, match=message):
        load_convention(overrides=overrides)


def test_invalid_toml_names_the_file(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("fy_start_month = = 4\n", encoding="utf-8")
    with pytest.raises(ConventionError, match="broken.toml: not valid TOML"):
        load_convention(path)


def test_overrides_extend_the_vocabulary():
    convention = load_convention(overrides={"recurring_words": ["fortnightly"]})
    assert parse_timeline("fortnightly", convention).kind == "recurring"
    assert parse_timeline("Qly basis", convention).kind == "none"


# --- other conventions ---------------------------------------------------------------


def test_january_financial_year_shifts_quarters():
    convention = load_convention(overrides={"fy_start_month": 1})
    cases = {
        "Q1 2024": ("2024-01-01", "2024-03-31"),
        "Q2 2024": ("2024-04-01", "2024-06-30"),
        "Q4 2024": ("2024-10-01", "2024-12-31"),
        "Q4 24/25": ("2024-10-01", "2024-12-31"),  # a label names the year it starts in
        "2024/25": ("2024-01-01", "2024-12-31"),
    }
    for printed, (start, end) in cases.items():
        reading = parse_timeline(printed, convention)
        assert (reading.start, reading.end) == (_day(start), _day(end)), printed


@pytest.mark.parametrize(
    "means, printed, start, end",
    [
        ("calendar", "Q4 2024", "2024-10-01", "2024-12-31"),
        ("calendar", "24.", "2024-01-01", "2024-12-31"),
        ("fy_end", "Q4 2024", "2024-01-01", "2024-03-31"),
        ("fy_end", "Q1 2024", "2023-04-01", "2023-06-30"),
        ("fy_end", "2024", "2023-04-01", "2024-03-31"),
        ("calendar", "Q4 24/25", "2025-01-01", "2025-03-31"),  # a label is always a financial year
    ],
)
def test_single_year_readings(means, printed, start, end):
    reading = parse_timeline(printed, load_convention(overrides={"single_year_means": means}))
    assert (reading.start, reading.end) == (_day(start), _day(end))


# --- properties ------------------------------------------------------------------------


def _expected_quarter(fy_start_year: int, quarter: int, fy_start_month: int = 4) -> tuple[date, date]:
    """Quarter `quarter` of the financial year starting in month `fy_start_month` of
    `fy_start_year`, counted month by month from first principles."""
    first_index = (fy_start_month - 1) + 3 * (quarter - 1)  # months after January of that year
    last_index = first_index + 2
    start = date(fy_start_year + first_index // 12, first_index % 12 + 1, 1)
    last_year, last_month = fy_start_year + last_index // 12, last_index % 12 + 1
    return start, date(last_year, last_month, calendar.monthrange(last_year, last_month)[1])


def _quarter_texts(year: int, quarter: int) -> list[str]:
    following = year + 1
    return [
        f"Q{quarter} {year % 100:02d}/{following % 100:02d}",
        f"Q{quarter} {year}/{following % 100:02d}",
        f"Q{quarter} {year}",
    ]


years = st.integers(min_value=2000, max_value=2099)
quarters = st.integers(min_value=1, max_value=4)


@given(year=years, quarter=quarters)
def test_every_quarter_of_every_financial_year_round_trips(year, quarter):
    expected = _expected_quarter(year, quarter)
    for printed in _quarter_texts(year, quarter):
        reading = parse_timeline(printed, CONVENTION)
        read = (reading.kind, (reading.start, reading.end), reading.ambiguous)
        assert read == ("quarter", expected, False), printed


@given(year=years)
def test_q1_starts_in_april(year):
    for printed in _quarter_texts(year, 1):
        assert parse_timeline(printed, CONVENTION).start == date(year, 4, 1), printed


@given(fy_start_month=st.integers(min_value=1, max_value=12), year=years, quarter=quarters)
def test_changed_financial_year_start_shifts_every_quarter(fy_start_month, year, quarter):
    convention = _convention_starting_in(fy_start_month)
    expected = _expected_quarter(year, quarter, fy_start_month)
    for printed in _quarter_texts(year, quarter):
        reading = parse_timeline(printed, convention)
        assert (reading.start, reading.end) == expected, printed


@cache
def _convention_starting_in(month: int) -> TimelineConvention:
    return load_convention(overrides={"fy_start_month": month})


# Dated phrases built the way councils write them: a quarter, month or year label, alone
# or joined to another by a range connector, with words before and after.
_year_labels = years.flatmap(
    lambda y: st.sampled_from(
        [f"{y % 100:02d}/{(y + 1) % 100:02d}", f"{y}/{(y + 1) % 100:02d}", f"{y}/{(y + 1) % 10}"]
    )
)
_quarter_phrases = st.builds(lambda q, y: f"Q{q} {y}", quarters, st.one_of(_year_labels, years.map(str)))
_month_phrases = st.builds(
    lambda m, y: f"{m} {y}",
    st.sampled_from([name for name, _ in CONVENTION.month_names]),
    st.one_of(years.map(str), st.integers(min_value=0, max_value=99).map(lambda y: f"{y:02d}")),
)
_partials = st.sampled_from(["Q1", "Q3", "Jan", "Nov"])  # dated by what follows them
_dates = st.one_of(_quarter_phrases, _month_phrases, _year_labels, _partials)
_connectors = st.sampled_from(["-", " - ", " – ", " to ", " and ", ", "])
_dated_phrases = st.builds(
    lambda before, first, join, second, after: f"{before} {first}{join}{second} {after}",
    st.sampled_from(["", "by", "by end", "end of", "during", "ongoing in", "review"]),
    _dates,
    _connectors,
    st.one_of(_quarter_phrases, _month_phrases, _year_labels),
    st.sampled_from(["", ".", "ahead of CPC in Oct 2024", "for Q2 progress data"]),
)


@given(text=st.one_of(_dated_phrases, _quarter_phrases, _month_phrases, _year_labels))
def test_generated_dated_text_reads_as_a_date_with_start_before_end(text):
    reading = parse_timeline(text, CONVENTION)
    assert reading.kind in DATED_KINDS
    assert reading.start <= reading.end


# Timeline-like noise: the pieces councils write, in any order, with junk between.
_pieces = st.one_of(
    st.sampled_from(
        ["Q1", "Q2", "Q3", "Q4", "Quarter 2", "Jan", "Sept", "March", "Dec", "May", "24", "2024", "25/26",
         "2024/5", "2024/25", "2024-25", "10/9/24", "-", "–", "to", "and", ",", "by", "end of", "ongoing",
         "BAU", "complete", "Qly", "annually", "each quarter", "when advised", "Update:", ".", "for",
         "ahead of"]
    ),
    st.integers(min_value=0, max_value=9999).map(str),
    st.text(alphabet="Qq0123456789/-–., ", max_size=8),
)
_timeline_like = st.lists(_pieces, max_size=8).map(" ".join)


@given(text=st.one_of(_timeline_like, _dated_phrases, st.text(max_size=60)))
def test_any_text_gives_a_well_formed_reading(text):
    reading = parse_timeline(text, CONVENTION)
    assert reading.text == text
    assert reading.kind in KINDS
    if reading.kind in DATED_KINDS:
        assert reading.start is not None and reading.end is not None
        assert reading.start <= reading.end
    else:
        assert reading.start is None and reading.end is None
    if reading.kind == "none":
        assert reading.rule in ("empty", "unparsed") and not reading.ambiguous
    assert parse_timeline(text, CONVENTION) == reading  # pure: same text, same reading
