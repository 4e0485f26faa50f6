"""A user's --config TOML: overrides for the plan vocabulary, the timeline convention and the
owner glossary. The defaults ship inside the package (schema/), so nobody edits site-packages.

    [timeline]            # any key of schema/timeline.toml
    fy_start_month = 4
    [plan]                # any key of schema/plan.toml's [plan]
    header_labels_required = 4
    [owners]
    csv = "my-owners.csv" # rows added to / overriding schema/owners.csv (path relative to this file)
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from actionplan.errors import ConfigError
from actionplan.normalise.owners import OwnerGlossary, load_glossary
from actionplan.normalise.timelines import TimelineConvention, load_convention
from actionplan.schema.plan import PlanVocabulary, load_vocabulary
from actionplan.schema.settings import check_keys

SECTIONS = ("plan", "timeline", "owners")


@dataclass(frozen=True)
class Config:
    vocab: PlanVocabulary
    convention: TimelineConvention
    glossary: OwnerGlossary
    source: str | None  # the user's file, or None for the packaged defaults


def load_config(path: Path | None) -> Config:
    data = _read(path) if path else {}
    check_keys(data, SECTIONS, f"{path}")
    owners = data.get("owners", {})
    check_keys(owners, ("csv",), f"{path} [owners]")
    extra_csv = None
    if "csv" in owners:
        extra_csv = (path.parent / owners["csv"]).resolve()
        if not extra_csv.is_file():
            raise ConfigError(f"{path}: [owners] csv file not found: {extra_csv}")
    try:
        return Config(
            vocab=load_vocabulary(data.get("plan")),
            convention=load_convention(overrides=data.get("timeline") or None),
            glossary=load_glossary(extra_rows_csv=extra_csv),
            source=str(path) if path else None,
        )
    except ConfigError:
        raise
    except (ValueError, KeyError, TypeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None


def _read(path: Path) -> dict:
    if not path.is_file():
        raise ConfigError(f"{path}: config file not found")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from None
