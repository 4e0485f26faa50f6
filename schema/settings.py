"""Validation shared by every settings file: unknown keys fail and name the closest valid one."""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from actionplan.errors import ConfigError


def check_keys(given: Iterable[str], valid: Iterable[str], where: str) -> None:
    valid = list(valid)
    for key in given:
        if key not in valid:
            close = difflib.get_close_matches(key, valid, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else f"; valid keys: {', '.join(valid)}"
            raise ConfigError(f"unknown key {key!r} in {where}{hint}")
