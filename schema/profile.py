"""Profiles (schema/profiles/*.toml): which printed header labels feed which contract field,
which fields are the characteristic's and which each action band's, the status words.

A profile is named (a built-in under schema/profiles/) or a user's file. A user's file
extends the default profile: every key it gives replaces the default's (a ``[columns]``
entry replaces that field's labels), so it says only what differs. Its ``[plan]`` section
(themes, prefixes, score words...) overrides schema/plan.toml, and a ``--config [plan]``
overrides both.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from actionplan.errors import ConfigError, one_line
from actionplan.schema.tables import STATUS_KINDS

# Every field a column may feed. Row fields are the characteristic's; band fields each action's.
FIELDS = ("theme_score", "element_id", "rating", "characteristic", "opportunity", "recommendation",
          "owner_timeline", "owner", "timeline", "progress", "status")
_KEYS = {"name", "about", "columns", "ambiguous", "fields", "status", "plan", "ids"}


@dataclass(frozen=True)
class Profile:
    """A column profile: each field with the header labels that name it."""

    name: str
    source: str  # "builtin:<name>" or the user's file
    columns: tuple[tuple[str, tuple[str, ...]], ...]  # (field, labels), in the profile's order
    ambiguous: tuple[tuple[str, tuple[str, ...]], ...]  # (label, fields it may feed)
    row_fields: tuple[str, ...]
    layout: tuple[str, ...]
    status_words: dict[str, str]  # printed words (normalised) -> status_kind
    status_colours: dict[str, str]  # status_kind -> "#RRGGBB"
    plan: dict  # [plan] overrides the profile makes
    id_pattern: str | None = None  # [ids] pattern: the plan's own element ids ("BV-\\d{2}"), besides the guidance's

    def labels_of(self, field: str) -> tuple[str, ...]:
        return next((labels for f, labels in self.columns if f == field), ())

    def status_kind(self, printed: str) -> str | None:
        return self.status_words.get(normalise_status(printed))


def normalise_status(printed: str) -> str:
    return " ".join(printed.casefold().replace("-", " ").strip(" .;:").split())


def builtin_names() -> list[str]:
    folder = resources.files("actionplan.schema").joinpath("profiles")
    return sorted(p.name.removesuffix(".toml") for p in folder.iterdir() if p.name.endswith(".toml"))


def load_profile(spec: str | Path | None = None) -> Profile:
    """The default profile, a built-in by name, or a user's file (which extends the default)."""
    default = _builtin("default")
    if spec is None or str(spec) == "default":
        return _profile(default, {}, "builtin:default")
    name = str(spec)
    if name in builtin_names():
        return _profile(default, _builtin(name), f"builtin:{name}")
    path = Path(spec)
    if not path.is_file():
        raise ConfigError(f"{spec}: no such profile file, and not a built-in profile "
                          f"({', '.join(builtin_names())})")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8").removeprefix("\ufeff"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError, OSError) as exc:
        raise ConfigError(f"{path}: not a readable TOML profile ({one_line(exc)})") from None
    return _profile(default, data, str(path))


def _builtin(name: str) -> dict:
    text = resources.files("actionplan.schema").joinpath("profiles", f"{name}.toml").read_text("utf-8")
    return tomllib.loads(text)


def _profile(default: dict, user: dict, source: str) -> Profile:
    where = source.removeprefix("builtin:")
    unknown = set(user) - _KEYS
    if unknown:
        raise ConfigError(f"{where}: unknown profile key(s) {', '.join(sorted(unknown))} "
                          f"(allowed: {', '.join(sorted(_KEYS))})")
    columns = dict(default["columns"])
    for fld, labels in (user.get("columns") or {}).items():
        if fld not in FIELDS:
            raise ConfigError(f"{where}: [columns] {fld!r} is not a field (allowed: {', '.join(FIELDS)})")
        if isinstance(labels, str):
            labels = [labels]
        if not isinstance(labels, list) or not all(isinstance(x, str) and x.strip() for x in labels):
            raise ConfigError(f"{where}: [columns] {fld} must be a list of labels, got {labels!r}")
        columns[fld] = labels
    ambiguous = {**default.get("ambiguous", {}), **(user.get("ambiguous") or {})}
    for label, fields in ambiguous.items():
        if not isinstance(fields, list) or len(fields) < 2 or any(f not in FIELDS for f in fields):
            raise ConfigError(f"{where}: [ambiguous] {label!r} must name two or more fields, got {fields!r}")
    fields = {**default["fields"], **(user.get("fields") or {})}
    status = {**default["status"], **(user.get("status") or {})}
    words = {}
    for printed, kind in status["words"].items():
        if kind not in STATUS_KINDS:
            raise ConfigError(f"{where}: [status] words {printed!r} = {kind!r} is not one of {', '.join(STATUS_KINDS)}")
        words[normalise_status(printed)] = kind
    for key in ("row", "layout"):
        if any(f not in FIELDS for f in fields.get(key, [])):
            raise ConfigError(f"{where}: [fields] {key} names a field that does not exist: {fields[key]!r}")
    return Profile(
        name=str(user.get("name") or default["name"]) if user else default["name"],
        source=source,
        columns=tuple((f, tuple(labels)) for f, labels in columns.items() if labels),
        ambiguous=tuple((label, tuple(fs)) for label, fs in ambiguous.items()),
        row_fields=tuple(fields["row"]),
        layout=tuple(fields["layout"]),
        status_words=words,
        status_colours=dict(status["colours"]),
        plan=dict(user.get("plan") or {}),
        id_pattern=_id_pattern(user.get("ids") or default.get("ids") or {}, where),
    )


def _id_pattern(ids: dict, where: str) -> str | None:
    pattern = ids.get("pattern")
    if pattern is None:
        return None
    try:
        re.compile(pattern)
    except (re.error, TypeError) as exc:
        raise ConfigError(f"{where}: [ids] pattern {pattern!r} is not a regular expression ({exc})") from None
    return pattern
