"""The plan vocabulary (schema/plan.toml): header labels, themes, score words. Each key is
declared once in ``PLAN_SETTINGS``; the packaged file and a user's ``[plan]`` overrides are
read through the same declarations."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources

from actionplan.errors import ConfigError
from actionplan.schema.ids import PREFIXES
from actionplan.schema.profile import Profile, load_profile
from actionplan.schema.settings import colour_table, read_section, shown, text_list, whole_number
from actionplan.schema.tables import ContractValues

HEADER_COLUMNS = 5

PLAN_SETTINGS = (
    text_list("header_labels", "the column header labels, left to right (matched fuzzily)",
              length=HEADER_COLUMNS),
    whole_number("header_labels_required", 1, 20,
                 "how many of the labels must be found for a line block to be the header row"),
    whole_number("header_word_similarity", 0, 100,
                 "fuzzy score (rapidfuzz, 0-100) a printed header word needs against a label word"),
    text_list("themes", "the statutory guidance's themes, in its numbering"),
    whole_number("theme_heading_similarity", 0, 100,
                 "fuzzy score a printed theme heading needs against \"N. THEME NAME\""),
    text_list("theme_prefixes", "element-id prefix of each theme, one per theme", choices=PREFIXES),
    text_list("scores", "score words as printed on the plan and its key, best first (the contract's "
              "allowed scores; `score_rank` counts up from the last)", capitals=True),
    colour_table("score_colours", "the colour each score is assumed to have when a plan's key prints no "
                 "colours (each fill is read as the score nearest in hue)", keys_are="score words of `scores`"),
)


@dataclass(frozen=True)
class PlanVocabulary:
    """The words a plan is read by: header labels, themes, scores and their tolerances."""

    header_labels: tuple[str, ...]
    header_labels_required: int
    header_word_similarity: int
    themes: tuple[str, ...]
    theme_heading_similarity: int
    theme_prefixes: tuple[str, ...]
    scores: tuple[str, ...]
    score_colours: dict[str, str]  # score -> "#RRGGBB", assumed when a key prints no colours
    profile: Profile | None = None

    @property
    def contract_values(self) -> ContractValues:
        """The values the run's tables may hold: this vocabulary's score words."""
        return ContractValues(scores=self.scores)

    def column_specs(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        """(field, labels) of every column the profile knows; ``header_labels`` (the usual
        layout's labels, a [plan] override) come first for their fields."""
        profile = self.profile or load_profile()
        given = dict(zip(profile.layout, self.header_labels))
        out = []
        for fld, labels in profile.columns:
            first = (given[fld],) if fld in given else ()
            out.append((fld, first + tuple(x for x in labels if x not in first)))
        return tuple(out)


def load_vocabulary(overrides: dict | None = None, where: str = "[plan]",
                    profile: Profile | None = None) -> PlanVocabulary:
    """The packaged vocabulary, then the profile's ``[plan]`` values, then a user's
    ``[plan]`` values (checked, named ``where`` in errors), each replacing the one before."""
    profile = profile or load_profile()
    text = resources.files("actionplan.schema").joinpath("plan.toml").read_text("utf-8")
    values = read_section(tomllib.loads(text)["plan"], PLAN_SETTINGS, "actionplan.schema/plan.toml [plan]")
    values.update(read_section(profile.plan, PLAN_SETTINGS, f"{profile.source} [plan]"))
    values.update(read_section(overrides or {}, PLAN_SETTINGS, where))
    values["score_colours"] = _colours_of_scores(values, profile, overrides or {}, where)
    vocab = PlanVocabulary(**values, profile=profile)
    if len(vocab.theme_prefixes) != len(vocab.themes):
        raise ConfigError(f"{where} theme_prefixes must have one prefix per theme "
                          f"({len(vocab.themes)}), got {shown(list(vocab.theme_prefixes))}")
    return vocab


def _colours_of_scores(values: dict, profile: Profile, overrides: dict, where: str) -> dict[str, str]:
    """The assumed colours of the score words in use: a colour given for a word that is not
    a score is refused; the packaged colours of words a profile renamed away are left out."""
    given = "score_colours" in overrides or "score_colours" in profile.plan
    unknown = [k for k in values["score_colours"] if k not in values["scores"]]
    if given and unknown:
        named = where if "score_colours" in overrides else f"{profile.source} [plan]"
        raise ConfigError(f"{named} score_colours names {', '.join(map(repr, unknown))}, which is not one "
                          f"of the scores ({', '.join(values['scores'])})")
    return {k: c for k, c in values["score_colours"].items() if k in values["scores"]}
