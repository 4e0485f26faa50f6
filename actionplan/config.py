"""A user's --config TOML: overrides for the plan vocabulary, the timeline convention, the
owner glossary and the per-page budget. The defaults ship inside the package (schema/), so
nobody edits site-packages.

    [timeline]            # any key of schema/timeline.toml
    fy_start_month = 4
    [plan]                # any key of schema/plan.toml's [plan]
    header_labels_required = 4
    [owners]
    csv = "my-owners.csv" # rows added to / overriding schema/owners.csv (path relative to this file)
    [limits]
    page_cpu_seconds = 30 # what reading one page may cost

Every key is declared once (``SECTIONS``: what it holds, what is allowed, what it means) and
every value is checked before the run; a bad one is a ConfigError naming the file, the
section, the key, the value and what is allowed.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from actionplan.errors import ConfigError, one_line
from actionplan.extract.scheduler import WALL_PER_CPU_SECOND, PageBudget
from actionplan.normalise.owners import OwnerGlossary, load_glossary
from actionplan.normalise.timelines import ConventionError, TimelineConvention, load_convention
from actionplan.schema.plan import PLAN_SETTINGS, PlanVocabulary, load_vocabulary
from actionplan.schema.profile import load_profile
from actionplan.schema.settings import Setting, check_keys, read_section, text, whole_number


def _timeline_setting(spec) -> Setting:
    """A [timeline] key, read by the convention's own reader (normalise/timelines.py)."""
    reader = spec.metadata["read"]

    def read(value):
        try:
            return reader(spec.name, value)
        except ConventionError as exc:
            raise ValueError(str(exc)) from None

    return Setting(spec.name, "as schema/timeline.toml describes", read, "see schema/timeline.toml")


_DEFAULT_BUDGET = PageBudget()
SECTIONS: dict[str, tuple[Setting, ...]] = {
    "plan": PLAN_SETTINGS,
    "timeline": tuple(_timeline_setting(spec) for spec in fields(TimelineConvention)),
    "owners": (
        text("csv", "a CSV of owner rows (code, name, aliases, kind, note) added to the glossary or "
                    "replacing its rows by code; a path relative to the config file"),
    ),
    "limits": (
        whole_number("page_cpu_seconds", 1, 86400,
                     f"CPU seconds reading one page may take (default {_DEFAULT_BUDGET.cpu_seconds}); "
                     f"a wall-clock limit of {WALL_PER_CPU_SECOND} times that applies everywhere"),
        whole_number("page_memory_mb", 16, 1048576,
                     f"megabytes of memory reading one page may add (default {_DEFAULT_BUDGET.memory_mb}; "
                     "enforced on Linux)"),
    ),
}


@dataclass(frozen=True)
class Config:
    """A run's configuration: vocabulary, timeline convention, owner glossary, page budget."""

    vocab: PlanVocabulary
    convention: TimelineConvention
    glossary: OwnerGlossary
    source: str | None  # the user's file, or None for the packaged defaults
    budget: PageBudget = _DEFAULT_BUDGET
    files: tuple[Path, ...] = ()  # the user's files it was read from (an output must not replace them)


def load_config(path: Path | None, profile: str | None = None) -> Config:
    """The packaged defaults, the profile (a built-in name or a user's file; default
    'default'), then the --config file's overrides."""
    data = _read(path) if path else {}
    check_keys(data, SECTIONS, f"{path}")
    values = {name: read_section(data.get(name, {}), settings, f"{path}: [{name}]")
              for name, settings in SECTIONS.items()}
    extra_csv = _owners_csv(path, values["owners"])
    try:
        convention = load_convention(overrides=data.get("timeline") or None)
    except ConventionError as exc:
        raise ConfigError(f"{path}: [timeline] {exc}") from None
    return Config(
        vocab=load_vocabulary(data.get("plan"), f"{path}: [plan]", profile=load_profile(profile)),
        convention=convention,
        glossary=load_glossary(extra_rows_csv=extra_csv),
        source=str(path) if path else None,
        budget=_budget(values["limits"]),
        files=tuple(p for p in (path, extra_csv, _profile_file(profile)) if p is not None),
    )


def _profile_file(profile: str | None) -> Path | None:
    return Path(profile) if profile and Path(profile).is_file() else None


def _budget(limits: dict) -> PageBudget:
    return PageBudget(cpu_seconds=limits.get("page_cpu_seconds", _DEFAULT_BUDGET.cpu_seconds),
                      memory_mb=limits.get("page_memory_mb", _DEFAULT_BUDGET.memory_mb))


def _owners_csv(path: Path | None, owners: dict) -> Path | None:
    if "csv" not in owners:
        return None
    csv = (path.parent / owners["csv"]).resolve()
    if not csv.is_file():
        raise ConfigError(f"{path}: [owners] csv file not found: {csv}")
    return csv


def _read(path: Path) -> dict:
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    try:
        content = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: not a UTF-8 text file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot be read ({exc.strerror or one_line(exc)})") from None
    try:
        return tomllib.loads(content.removeprefix("\ufeff"))  # Notepad's byte-order mark
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({one_line(exc)})") from None
