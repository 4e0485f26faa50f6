"""The plan vocabulary (schema/plan.toml): header labels, themes, score words."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, fields
from importlib import resources

from actionplan.errors import ConfigError
from actionplan.schema.settings import check_keys


@dataclass(frozen=True)
class PlanVocabulary:
    header_labels: tuple[str, ...]
    header_labels_required: int
    header_word_similarity: int
    themes: tuple[str, ...]
    theme_heading_similarity: int
    theme_prefixes: tuple[str, ...]
    scores: tuple[str, ...]
    score_colours: dict[str, str]  # score -> "#RRGGBB", assumed when a key prints no colours


def load_vocabulary(overrides: dict | None = None) -> PlanVocabulary:
    text = resources.files("actionplan.schema").joinpath("plan.toml").read_text("utf-8")
    values = dict(tomllib.loads(text)["plan"])
    if overrides:
        check_keys(overrides, [f.name for f in fields(PlanVocabulary)], "[plan]")
        values.update(overrides)
    vocab = PlanVocabulary(**{k: tuple(v) if isinstance(v, list) else v for k, v in values.items()})
    if len(vocab.header_labels) != 5:
        raise ConfigError("[plan] header_labels must list exactly five column labels")
    if len(vocab.theme_prefixes) != len(vocab.themes):
        raise ConfigError("[plan] theme_prefixes needs one prefix per theme")
    return vocab
