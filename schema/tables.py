"""The output contract: one declared, versioned pyarrow schema per table.

SCHEMA_VERSION is "MAJOR.MINOR". Adding a column is a minor bump: folders of the same major
version stay readable (``actionplan.load`` and ``diff`` read the new column as nulls from
older folders). Removing, renaming or retyping a column is a major bump.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from actionplan.schema.records import DROP_REASONS

SCHEMA_VERSION = "1.2"  # 1.1: score_rank; changes columns; overdue table. 1.2: progress, status, extra

SCORES = ("DARK GREEN", "LIGHT GREEN", "YELLOW", "AMBER", "RED", "GREY")
# Ordered for analysts: GREY means "not in officers' control", so it sits below RED.
SCORE_ORDER = ("GREY", "RED", "AMBER", "YELLOW", "LIGHT GREEN", "DARK GREEN")
TIMELINE_KINDS = (
    "quarter", "month", "year", "range", "ongoing", "complete", "recurring", "event", "none",
)
STATUS_KINDS = ("complete", "on_track", "at_risk", "delayed", "not_started")
UNDATED_KINDS = ("ongoing", "complete", "recurring", "event", "none")
# score_rank: a number to sort and compare scores by (SQL's ORDER BY score is alphabetical).
SCORE_RANK = {score: rank for rank, score in enumerate(SCORE_ORDER)}  # GREY 0 ... DARK GREEN 5


def __getattr__(name: str):
    """``SCHEMAS`` and ``CONTRACT_FIELDS``, built on first use: pyarrow (about 40 MB with
    numpy) is imported only when a table is built or read, not while a PDF is being read."""
    if name == "SCHEMAS":
        return _schemas()
    if name == "CONTRACT_FIELDS":
        return _contract_fields()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


@cache
def _schemas() -> dict[str, pa.Schema]:
    import pyarrow as pa

    _str = pa.string()
    _int = pa.int32()
    _list = pa.list_(pa.string())
    return {
        "characteristics": pa.schema([
            ("revision", _str), ("element_id", _str), ("theme_no", _int), ("theme", _str),
            ("score", _str), ("score_rank", _int), ("description", _str), ("notes", _list),
            ("see_also", _list), ("pages", pa.list_(_int)), ("extra", _str),
        ]),
        "actions": pa.schema([
            ("revision", _str), ("element_id", _str), ("action_no", _int), ("opportunity", _str),
            ("recommendation", _str), ("owner_timeline", _str), ("owners", _list),
            ("owner_names", _list), ("timeline", _str), ("timeline_start", pa.date32()),
            ("timeline_end", pa.date32()), ("timeline_kind", _str), ("timeline_ambiguous", pa.bool_()),
            ("page", _int), ("progress", _str), ("status", _str), ("status_kind", _str), ("extra", _str),
        ]),
        "themes": pa.schema([
            ("revision", _str), ("theme_no", _int), ("name", _str), ("intro", _str),
        ]),
        "heatmap": pa.schema([
            ("revision", _str), ("theme_no", _int), ("position", _int), ("cell", _str),
            ("element_id", _str), ("score", _str), ("score_rank", _int),
        ]),
        "repairs": pa.schema([
            ("revision", _str), ("element_id", _str), ("action_no", _int), ("page", _int),
            ("field", _str), ("before", _str), ("after", _str), ("rule", _str),
        ]),
        "issues": pa.schema([
            ("revision", _str), ("element_id", _str), ("action_no", _int), ("page", _int),
            ("field", _str), ("message", _str),
        ]),
        "dropped": pa.schema([
            ("revision", _str), ("page", _int), ("reason", _str), ("text", _str),
            ("x0", pa.float64()), ("top", pa.float64()), ("x1", pa.float64()), ("bottom", pa.float64()),
        ]),
        "changes": pa.schema([
            ("revision_old", _str), ("revision_new", _str), ("theme_no", _int), ("element_id", _str),
            ("action_no_old", _int), ("action_no_new", _int), ("change", _str), ("field", _str),
            ("before", _str), ("after", _str), ("similarity", pa.float64()), ("detail", _str),
            ("days_moved", _int), ("timeline_end_old", pa.date32()), ("timeline_end_new", pa.date32()),
        ]),
        "overdue": pa.schema([
            ("revision", _str), ("as_of", pa.date32()), ("theme_no", _int), ("element_id", _str),
            ("action_no", _int), ("owners", _list), ("owner_names", _list), ("timeline", _str),
            ("timeline_kind", _str), ("timeline_end", pa.date32()), ("days_overdue", _int),
        ]),
    }


NOT_NULL: dict[str, tuple[str, ...]] = {
    "characteristics": ("revision", "element_id", "description", "notes", "see_also", "pages", "extra"),
    "actions": ("revision", "element_id", "action_no", "opportunity", "recommendation",
                "owner_timeline", "owners", "owner_names", "timeline", "timeline_kind",
                "timeline_ambiguous", "page", "progress", "status", "extra"),
    "themes": ("revision", "theme_no", "name", "intro"),
    "heatmap": ("revision", "theme_no", "position", "cell"),
    "repairs": ("revision", "field", "before", "after", "rule"),
    "issues": ("revision", "field", "message"),
    "dropped": ("revision", "page", "reason", "text", "x0", "top", "x1", "bottom"),
    "changes": ("revision_old", "revision_new", "element_id", "change"),
    "overdue": ("revision", "as_of", "element_id", "action_no", "owners", "owner_names", "timeline",
                "timeline_kind", "timeline_end", "days_overdue"),
}



@dataclass(frozen=True)
class ContractValues:
    """The values a run's tables may hold where the plan's vocabulary decides them: the
    score words come from the profile in use (``[plan] scores``, best first), so a profile
    that renames them validates. ``score_rank`` counts up from the last (the lowest) word:
    the default's GREY 0, RED 1 ... DARK GREEN 5. Timeline kinds are the timeline reader's
    own (normalise/timelines.py), status kinds the contract's."""

    scores: tuple[str, ...] = SCORES
    timeline_kinds: tuple[str, ...] = TIMELINE_KINDS
    status_kinds: tuple[str, ...] = STATUS_KINDS

    @property
    def score_rank(self) -> dict[str, int]:
        return {score: len(self.scores) - 1 - i for i, score in enumerate(self.scores)}

    @property
    def score_order(self) -> tuple[str, ...]:
        """Lowest first, for sorting (an ordered categorical in ``load``)."""
        return tuple(reversed(self.scores))

    def allowed(self) -> dict[tuple[str, str], tuple[str | None, ...]]:
        return {
            ("characteristics", "score"): self.scores + (None,),
            ("heatmap", "score"): self.scores + (None,),
            ("actions", "timeline_kind"): self.timeline_kinds,
            ("actions", "status_kind"): self.status_kinds + (None,),
            ("dropped", "reason"): DROP_REASONS,
        }

    def derived(self) -> dict[tuple[str, str], tuple[str, dict]]:
        """Columns computed from another column of the same row when a table is built:
        (table, column) -> (source column, mapping). Not null where the source is not null."""
        return {
            ("characteristics", "score_rank"): ("score", self.score_rank),
            ("heatmap", "score_rank"): ("score", self.score_rank),
        }

    def as_manifest(self) -> dict:
        return {"scores": list(self.scores), "score_rank": self.score_rank}

    @classmethod
    def from_manifest(cls, manifest: dict) -> "ContractValues":
        """The values a folder was written with (``contract`` in its manifest; a manifest
        without one was written with the defaults)."""
        scores = (manifest.get("contract") or {}).get("scores")
        if isinstance(scores, list) and scores and all(isinstance(s, str) for s in scores):
            return cls(scores=tuple(scores))
        return cls()


DEFAULT_VALUES = ContractValues()

@cache
def _contract_fields() -> frozenset[str]:
    """Field names a repair or an issue may point at: any contract column."""
    return frozenset(name for table in ("characteristics", "actions", "themes", "heatmap")
                     for name in _schemas()[table].names)


class ContractViolation(ValueError):
    """Raised with every violation of a table at once, one per line."""

    def __init__(self, violations: list[str]):
        self.violations = violations
        super().__init__("\n".join(violations))


def validate(table_name: str, table: pa.Table, absent: tuple[str, ...] = (),
             values: ContractValues = DEFAULT_VALUES) -> None:
    """Check a table against its declared schema; report all violations together.
    ``absent`` columns were not in the folder read (an older minor version): their nulls
    are allowed. ``values``: the run's allowed values (its profile's score words)."""
    violations = list(_schema_violations(table_name, table))
    if not violations:
        violations = list(_value_violations(table_name, table, absent, values))
    if violations:
        raise ContractViolation([f"{table_name}: {v}" for v in violations])


def _schema_violations(table_name: str, table: pa.Table):
    expected = _schemas()[table_name]
    for fld in expected:
        if fld.name not in table.schema.names:
            yield f"missing column {fld.name!r}"
        elif table.schema.field(fld.name).type != fld.type:
            yield f"column {fld.name!r} is {table.schema.field(fld.name).type}, expected {fld.type}"
    for name in table.schema.names:
        if name not in expected.names:
            yield f"unexpected column {name!r}"


def _value_violations(table_name: str, table: pa.Table, absent: tuple[str, ...], values: ContractValues):
    for column in NOT_NULL.get(table_name, ()):
        nulls = table.column(column).null_count
        if nulls and column not in absent:
            yield f"column {column!r} has {nulls} null value(s)"
    for (tname, column), allowed in values.allowed().items():
        if tname != table_name or column in absent:
            continue
        for row, value in enumerate(table.column(column).to_pylist()):
            if value not in allowed:
                yield f"row {row}: {column}={value!r} is not one of {allowed}"
    for (tname, column), (source, mapping) in values.derived().items():
        if tname == table_name and column not in absent:
            yield from _derived_mismatches(table, column, source, mapping)
    if table_name == "actions" and not {"timeline_kind", "timeline_start", "timeline_end"} & set(absent):
        yield from _undated_kinds_have_no_dates(table)
    if table_name in ("repairs", "issues") and "field" not in absent:
        for row, value in enumerate(table.column("field").to_pylist()):
            if value not in _contract_fields():
                yield f"row {row}: field={value!r} is not a contract column"


def _derived_mismatches(table: pa.Table, column: str, source: str, mapping: dict):
    for row, (value, origin) in enumerate(zip(table.column(column).to_pylist(), table.column(source).to_pylist())):
        if value != mapping.get(origin):
            yield f"row {row}: {column}={value!r} does not follow from {source}={origin!r}"


def _undated_kinds_have_no_dates(table: pa.Table):
    kinds = table.column("timeline_kind").to_pylist()
    starts = table.column("timeline_start").to_pylist()
    ends = table.column("timeline_end").to_pylist()
    for row, (kind, start, end) in enumerate(zip(kinds, starts, ends)):
        if kind in UNDATED_KINDS and (start is not None or end is not None):
            yield f"row {row}: timeline_kind={kind!r} must have null dates"
        if kind not in UNDATED_KINDS and (start is None or end is None):
            yield f"row {row}: timeline_kind={kind!r} needs both dates"
        if start is not None and end is not None and start > end:
            yield f"row {row}: timeline_start {start} is after timeline_end {end}"
