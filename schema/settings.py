"""Declared settings: every key of a settings section states once what it holds, what is
allowed and what it means. The loader checks each value against its declaration before a
run starts; the README's table of keys is generated from the same declarations
(``markdown_table``), so the two cannot drift apart.

A declaration's ``read`` turns the raw TOML value into the stored one, or raises
``ValueError`` with a message naming the key, what is allowed and the value given;
``read_section`` turns that into a ``ConfigError`` saying where.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from actionplan.errors import ConfigError, one_line


@dataclass(frozen=True)
class Setting:
    """One setting of a --config file: its name, what it allows and how it is read."""

    name: str
    allowed: str  # "a whole number from 1 to 5": for messages and the README
    read: Callable[[Any], Any]
    meaning: str


def check_keys(given: Iterable[str], valid: Iterable[str], where: str) -> None:
    valid = list(valid)
    for key in given:
        if key not in valid:
            close = difflib.get_close_matches(key, valid, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; valid keys: {', '.join(valid)}"
            raise ConfigError(f"unknown key {key!r} in {where}{hint}")


def read_section(values: Any, settings: Sequence[Setting], where: str) -> dict[str, Any]:
    """The section's values, each read through its declaration; unknown keys and values
    that are not allowed fail with a ConfigError naming ``where``, the key and the value."""
    if not isinstance(values, Mapping):
        raise ConfigError(f"{where} must be a table of keys (a [section] heading), got {shown(values)}")
    check_keys(values, [s.name for s in settings], where)
    read = {}
    for setting in settings:
        if setting.name in values:
            try:
                read[setting.name] = setting.read(values[setting.name])
            except ValueError as exc:
                raise ConfigError(f"{where} {exc}") from None
    return read


def shown(value: Any) -> str:
    """A user's value as it appears in an error message: quoted, on one line, not too long."""
    text = one_line(repr(value))
    return text if len(text) <= 80 else text[:79] + "…"


def not_allowed(name: str, allowed: str, value: Any) -> ValueError:
    return ValueError(f"{name} must be {allowed}, got {shown(value)}")


# ------------------------------------------------------------------------------ kinds of value


def whole_number(name: str, low: int, high: int, meaning: str) -> Setting:
    allowed = f"a whole number from {low} to {high}"

    def read(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise not_allowed(name, allowed, value)
        return value

    return Setting(name, allowed, read, meaning)


def text(name: str, meaning: str) -> Setting:
    allowed = "a non-empty string"

    def read(value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise not_allowed(name, allowed, value)
        return value

    return Setting(name, allowed, read, meaning)


def text_list(name: str, meaning: str, length: int | None = None,
              choices: Sequence[str] | None = None, capitals: bool = False) -> Setting:
    """A list of non-empty strings: exactly ``length`` of them, or at least one; each one
    of ``choices`` (no repeats) when given. ``capitals``: each word is kept in capitals
    with single spaces ("Light  green" -> "LIGHT GREEN"), no repeats."""
    count = f"exactly {length}" if length else "one or more"
    allowed = f"a list of {count} non-empty strings"
    if choices:
        allowed = f"a list of {count} of {', '.join(choices)} (no repeats)"
    elif capitals:
        allowed = f"a list of {count} non-empty strings (no repeats; kept in capitals)"

    def read(value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise not_allowed(name, allowed, value)
        if (length and len(value) != length) or not value:
            raise not_allowed(name, allowed, value)
        if choices and (any(v not in choices for v in value) or len(set(value)) != len(value)):
            raise not_allowed(name, allowed, value)
        if capitals:
            words = [" ".join(v.upper().split()) for v in value]
            if len(set(words)) != len(words):
                raise not_allowed(name, allowed, value)
            return tuple(words)
        return tuple(value)

    return Setting(name, allowed, read, meaning)


def colour_table(name: str, meaning: str, keys: Sequence[str] | None = None, keys_are: str = "") -> Setting:
    """A table of ``key = "#RRGGBB"``, each key one of ``keys`` (when given; else any key,
    described by ``keys_are`` and checked by the caller)."""
    allowed = f"a table of {', '.join(keys) if keys else keys_are} = \"#RRGGBB\" colours"

    def read(value: Any) -> dict[str, str]:
        if not isinstance(value, Mapping) or not value:
            raise not_allowed(name, allowed, value)
        for key, colour in value.items():
            if (keys and key not in keys) or not (isinstance(colour, str) and _HEX_COLOUR.fullmatch(colour)):
                raise not_allowed(name, allowed, value)
        return {" ".join(k.upper().split()) if not keys else k: c for k, c in value.items()}

    return Setting(name, allowed, read, meaning)


_HEX_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")


def markdown_table(section: str, settings: Sequence[Setting]) -> str:
    """The README's table of a section's keys."""
    rows = [f"| `[{section}]` key | allowed | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | {s.allowed} | {s.meaning} |" for s in settings]
    return "\n".join(rows)
