"""Field-by-field comparison of an output folder with a sample's expected data."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from expected import Expected


@dataclass
class Comparison:
    checked: Counter = field(default_factory=Counter)
    wrong: Counter = field(default_factory=Counter)
    examples: list[str] = field(default_factory=list)

    def record(self, table: str, key, name: str, got, want) -> None:
        self.checked[(table, name)] += 1
        if got != want:
            self.wrong[(table, name)] += 1
            if len(self.examples) < 400:
                self.examples.append(f"{table} {key} {name}: got {got!r} want {want!r}")

    def rate(self, table: str, name: str) -> float:
        checked = self.checked[(table, name)]
        return 1.0 - self.wrong[(table, name)] / checked if checked else 0.0

    def summary(self) -> str:
        return "\n".join(
            f"{t}.{n}: {self.checked[(t, n)] - self.wrong[(t, n)]}/{self.checked[(t, n)]}"
            for t, n in sorted(self.checked)
        )


def rows_of(folder: Path, table: str) -> list[dict]:
    return pq.read_table(Path(folder) / f"{table}.parquet").to_pylist()


def as_mapping(value):
    """An ``extra`` cell as a dict, however it is stored: a Parquet map (read back as a list
    of (key, value) pairs), JSON text, or a dict; None stays None."""
    if isinstance(value, str):
        return json.loads(value)
    if isinstance(value, list):
        return dict(value)
    return value


def compare(folder: Path, expected: Expected, action_fields=None, char_fields=None) -> Comparison:
    result = Comparison()
    got_chars = {r["element_id"]: r for r in rows_of(folder, "characteristics")}
    for want in expected.characteristics:
        got = got_chars.get(want["element_id"], {})
        for name in char_fields or ("score", "theme_no", "description", "notes", "see_also"):
            result.record("characteristics", want["element_id"], name, got.get(name), want[name])
    got_actions = {(r["element_id"], r["action_no"]): r for r in rows_of(folder, "actions")}
    for want in expected.actions:
        key = (want["element_id"], want["action_no"])
        got = got_actions.get(key, {})
        for name in action_fields or [k for k in want if k not in ("element_id", "action_no")]:
            value = as_mapping(got.get(name)) if name == "extra" else got.get(name)
            result.record("actions", key, name, value, want[name])
    result.record("actions", "*", "count", len(got_actions), len(expected.actions))
    result.record("characteristics", "*", "ids", sorted(got_chars), sorted(c["element_id"] for c in expected.characteristics))
    return result


def compare_all(folder: Path, expected: Expected) -> Comparison:
    """``compare`` plus the themes (name, intro) and the heatmap (cell, element id, score)."""
    result = compare(folder, expected)
    got_chars = {r["element_id"]: r for r in rows_of(folder, "characteristics")}
    for want in expected.characteristics:
        if "extra" in want:
            got = got_chars.get(want["element_id"], {})
            result.record("characteristics", want["element_id"], "extra", as_mapping(got.get("extra")), want["extra"])
    got_themes = {r["theme_no"]: r for r in rows_of(folder, "themes")}
    for want in expected.themes:
        got = got_themes.get(want["theme_no"], {})
        for name in ("name", "intro"):
            if name in want:
                result.record("themes", want["theme_no"], name, got.get(name), want[name])
    result.record("themes", "*", "count", len(got_themes), len(expected.themes))
    got_cells = {(r["theme_no"], r["position"]): r for r in rows_of(folder, "heatmap")}
    for want in expected.heatmap:
        key = (want["theme_no"], want["position"])
        got = got_cells.get(key, {})
        for name in ("cell", "element_id", "score"):
            if name in want:
                result.record("heatmap", key, name, got.get(name), want[name])
    result.record("heatmap", "*", "count", len(got_cells), len(expected.heatmap))
    return result


def wrong_by_table(result: Comparison) -> Counter:
    """Wrong fields per table."""
    out: Counter = Counter()
    for (table, _), n in result.wrong.items():
        out[table] += n
    return out
