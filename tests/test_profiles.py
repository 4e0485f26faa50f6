"""Issue #12: columns by profile. The column samples without settings are in test_sweep.py;
here a user's profile file, the manifest's record of how columns were matched, the new
action fields, and the profile's own checks."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from clirun import assert_one_line_error, run
from compare import compare_all
from conftest import SAMPLES
from expected import load_expected
from actionplan.config import load_config
from actionplan.errors import ConfigError
from actionplan.overdue import is_overdue
from actionplan.pipeline import run_extract
from actionplan.schema.profile import load_profile
from actionplan.schema.records import Action

WHO_WHEN = SAMPLES / "user-profile-who-when"
PROGRESS = SAMPLES / "appendix-a-2025-progress"


@pytest.fixture(scope="module")
def who_when(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("who") / "out"
    config = load_config(None, profile=str(WHO_WHEN / "profile.toml"))
    run_extract(WHO_WHEN / "user-profile-who-when.pdf", out, revision="user-profile-who-when", config=config)
    return out


def test_a_user_profile_reads_who_and_when_columns_and_bv_ids_field_for_field(who_when):
    result = compare_all(who_when, load_expected(WHO_WHEN / "source.json"))
    assert not result.wrong, "\n".join(result.examples[:15])


def test_the_manifest_names_the_user_profile_and_its_columns(who_when):
    profile = json.loads((who_when / "manifest.json").read_text())["profile"]
    assert profile["name"] == "who-when"
    assert profile["source"].endswith("profile.toml")
    fields = {c["printed"]: c["field"] for c in profile["columns"]}
    assert fields["Who"] == "owner" and fields["When"] == "timeline"
    assert fields["Gap"] == "opportunity" and fields["Action"] == "recommendation"


def test_without_the_profile_the_layout_is_not_read(tmp_path, capsys):
    code, _, err = run(capsys, "extract", WHO_WHEN / "user-profile-who-when.pdf", "--out", tmp_path / "o")
    assert_one_line_error(code, err, "no row starts with an element id")


def test_the_manifest_records_how_each_column_of_the_progress_sample_was_matched(extracted):
    manifest = json.loads((extracted(PROGRESS / "appendix-a-2025-progress.pdf") / "manifest.json").read_text())
    columns = {c["printed"]: c for c in manifest["profile"]["columns"]}
    assert columns["Progress update (September 2025)"]["field"] == "progress"
    assert columns["Progress update (September 2025)"]["matched"] == "Progress update"
    assert columns["RAG status"]["field"] == "status"
    assert manifest["profile"]["source"] == "builtin:default"
    assert manifest["schema_version"] == "1.2"


def test_an_unknown_column_is_kept_in_extra_and_named_once_in_the_issues(extracted):
    import actionplan
    tables = actionplan.load(extracted(SAMPLES / "unknown-column" / "unknown-column.pdf"))
    actions = tables["actions"].set_index(["element_id", "action_no"])
    # CI005's first band in the source: "Within existing HR budget." (samples/build/column_samples.py BUDGET)
    assert actions.loc[("CI005", 1), "extra"] == {"Budget implications": "Within existing HR budget."}
    assert actions.loc[("CI005", 2), "extra"] == {}
    issues = tables["issues"]
    named = issues[issues["message"].str.contains("'Budget implications'")]
    assert len(named) == 1


def _action(**kw) -> Action:
    base = dict(revision="r", element_id="CI001", action_no=1, opportunity="", recommendation="",
                owner_timeline="", owners=(), owner_names=(), timeline="Q1 24/25",
                timeline_start=date(2024, 4, 1), timeline_end=date(2024, 6, 30), timeline_kind="quarter",
                timeline_ambiguous=False, page=1)
    return Action(**{**base, **kw})


def test_an_action_whose_status_is_complete_is_never_overdue():
    assert is_overdue(_action(), date(2025, 1, 1))
    assert not is_overdue(_action(status="Complete", status_kind="complete"), date(2025, 1, 1))
    assert is_overdue(_action(status="Delayed", status_kind="delayed"), date(2025, 1, 1))


def test_status_words_map_to_kinds_from_the_profile():
    profile = load_profile()
    assert profile.status_kind("On track") == "on_track"
    assert profile.status_kind("NOT STARTED.") == "not_started"
    assert profile.status_kind("Purple") is None


def test_a_profile_naming_an_unknown_field_is_refused_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[columns]\nwho = ["Who"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="'who' is not a field"):
        load_profile(str(bad))
    code, _, err = run(capsys, "extract", WHO_WHEN / "user-profile-who-when.pdf", "--profile", bad,
                       "--out", tmp_path / "o")
    assert_one_line_error(code, err, "'who' is not a field")


def test_a_missing_profile_is_refused(tmp_path, capsys):
    code, _, err = run(capsys, "extract", WHO_WHEN / "user-profile-who-when.pdf", "--profile", "nope",
                       "--out", tmp_path / "o")
    assert_one_line_error(code, err, "not a built-in profile")


# --------------------------------------------------------------------------- the profile's own contract values

RENAMED = SAMPLES / "renamed-scores"
RAG_STATUS = SAMPLES / "rag-status-colours"
# The council's words, best first (samples/renamed-scores/profile.toml), written out here.
COUNCIL_SCORES = ["STRONG", "GOOD", "FAIR", "WEAK", "POOR", "OUT OF SCOPE"]


@pytest.fixture(scope="module")
def renamed(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("renamed") / "out"
    config = load_config(None, profile=str(RENAMED / "profile.toml"))
    run_extract(RENAMED / "renamed-scores.pdf", out, revision="renamed-scores", config=config)
    return out


def test_a_profile_that_renames_the_score_words_validates_and_reads_field_for_field(renamed):
    result = compare_all(renamed, load_expected(RENAMED / "source.json"))
    assert not result.wrong, "\n".join(result.examples[:15])
    manifest = json.loads((renamed / "manifest.json").read_text())
    assert manifest["contract"]["scores"] == COUNCIL_SCORES


def test_renamed_scores_rank_from_the_profiles_order_and_load_as_its_categorical(renamed):
    import actionplan
    characteristics = actionplan.load(renamed)["characteristics"].set_index("element_id")
    # The source's C003 is GREY in 2024, printed "OUT OF SCOPE" here; G004 LIGHT GREEN, "GOOD".
    assert characteristics.loc["C003", "score"] == "OUT OF SCOPE"
    assert characteristics.loc["C003", "score_rank"] == 0
    assert characteristics.loc["G004", "score"] == "GOOD"
    assert characteristics.loc["G004", "score_rank"] == 4
    assert list(characteristics["score"].cat.categories) == COUNCIL_SCORES[::-1]


def test_a_folder_with_renamed_scores_diffs_and_joins_a_dataset(renamed, tmp_path, capsys):
    code, _, err = run(capsys, "diff", renamed, renamed, "--out", tmp_path / "d")
    assert code == 0, err
    import actionplan
    from actionplan.dataset import add_revision
    add_revision(tmp_path / "ds", renamed)
    frames = actionplan.load_dataset(tmp_path / "ds")
    assert set(frames["characteristics"]["score"].dropna()) == {"GOOD", "OUT OF SCOPE"}


def test_the_default_contract_refuses_a_score_word_the_profile_did_not_give():
    from actionplan.output import records_to_table
    from actionplan.schema.tables import ContractValues, ContractViolation
    row = dict(revision="r", element_id="CI001", theme_no=1, theme="t", score="GOOD", description="d",
               notes=(), see_also=(), pages=(1,), extra="{}")
    with pytest.raises(ContractViolation, match="score='GOOD' is not one of"):
        records_to_table("characteristics", [row])
    table = records_to_table("characteristics", [row], ContractValues(scores=("GOOD", "BAD")))
    assert table.column("score_rank").to_pylist() == [1]


def test_score_colours_for_a_word_that_is_not_a_score_are_refused_in_one_line(tmp_path, capsys):
    bad = tmp_path / "bad.toml"
    bad.write_text('[plan]\nscores = ["GOOD", "BAD"]\nscore_colours = { "GOOD" = "#00FF00", "AMBER" = "#FFC000" }\n',
                   encoding="utf-8")
    code, _, err = run(capsys, "extract", RENAMED / "renamed-scores.pdf", "--profile", bad, "--out", tmp_path / "o")
    assert_one_line_error(code, err, "score_colours names 'AMBER'", "GOOD, BAD")


def test_a_header_only_rag_column_is_decided_by_its_cells(renamed, extracted):
    """"RAG" fits rating and status: score words under it make it the rating (renamed-scores,
    its profile's words), status words the status (rag-status-colours)."""
    def rag(folder):
        columns = json.loads((folder / "manifest.json").read_text())["profile"]["columns"]
        return next(c for c in columns if c["printed"] == "RAG")
    rating, status = rag(renamed), rag(extracted(RAG_STATUS / "rag-status-colours.pdf"))
    assert (rating["field"], rating["matched"]) == ("rating", "RAG")
    assert "the cells say rating" in rating["how"] and not rating["how"].startswith("label fits rating or status; the cells say rating (0 ")
    assert (status["field"], status["matched"]) == ("status", "RAG")
    assert "the cells say status (2 of" in status["how"]  # "On track" and "Complete" are printed


def test_a_status_printed_as_colour_alone_gets_its_kind_from_the_profiles_colours(extracted):
    import actionplan
    actions = actionplan.load(extracted(RAG_STATUS / "rag-status-colours.pdf"))["actions"]
    got = {(a.element_id, a.action_no): (a.status, a.status_kind if isinstance(a.status_kind, str) else None)
           for a in actions.itertuples()}
    # samples/build/column_samples.py RAG_STATUS: "" is a cell painted in the kind's colour.
    assert got == {
        ("CI006", 1): ("", "complete"),
        ("L004", 1): ("On track", "on_track"), ("L004", 2): ("", "on_track"), ("L004", 3): ("", "delayed"),
        ("G001", 1): ("Complete", "complete"), ("G001", 2): ("", "at_risk"), ("G001", 3): ("", None),
    }


def test_a_profiles_id_pattern_holds_for_its_run_only():
    from actionplan.schema.ids import looks_like_id, profile_ids
    assert not looks_like_id("BV-01:")
    with profile_ids(r"BV-\d{2}"):
        assert looks_like_id("BV-01:") and looks_like_id("CI001:")
    assert not looks_like_id("BV-01:")


class _Shading:
    """Fills by x: ``spans`` is [(x0, x1, rgb)], the shading behind a word's centre."""

    def __init__(self, spans):
        self.spans = spans

    def fill_behind(self, words):
        cx = (words[0].x0 + words[0].x1) / 2
        return next((rgb for x0, x1, rgb in self.spans if x0 <= cx <= x1), None)


def _band_beside_status():
    from actionplan.extract.columns import Columns
    from actionplan.extract.geometry import Metrics
    from actionplan.schema.records import Band, Line, Paragraph, Word
    word = Word("Do", 1, 10, 100, 20, 110)
    line = Line((word,), 1, 10, 100, 20, 110, 90)
    columns = {1: Columns((0.0, 100.0, 200.0), ("recommendation", "status", "progress"), 2.0)}
    return Band({"recommendation": (Paragraph((line,)),)}, 1), columns, Metrics(10.0, 12.0)


def test_an_empty_status_cell_takes_its_own_fill_but_not_a_row_stripe():
    from actionplan.extract.rows import _with_status_fill
    band, columns, metrics = _band_beside_status()
    red, grey = (1.0, 0.0, 0.0), (0.85, 0.85, 0.85)
    painted = _with_status_fill(band, columns, metrics, _Shading([(100, 200, red)]))
    assert painted.status_fill == red
    striped = _with_status_fill(band, columns, metrics, _Shading([(0, 300, grey)]))
    assert striped.status_fill is None  # the whole row is shaded: not a status colour


def test_the_diff_counts_score_steps_on_the_profiles_own_words():
    from actionplan.diff.compare import score_detail, score_scale
    council = score_scale({"contract": {"scores": COUNCIL_SCORES}})
    assert score_detail("GOOD", "WEAK", council) == "down 2 steps"
    assert score_detail("POOR", "STRONG", council) == "up 4 steps"
    default = score_scale({})  # a manifest without a contract: the default words, GREY apart
    assert score_detail("RED", "AMBER", default) == "up 1 step"
    assert score_detail("RED", "GREY", default) == "to GREY"
