"""`actionplan diff`: each change kind on small hand-built revisions, the CLI's contract, and
the committed samples (2024 against itself, against its HTML rendering, and against 2025)."""

from __future__ import annotations

import dataclasses
import itertools
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import actionplan
from actionplan.cli import main
from actionplan.diff import (
    ACTION_MATCH_THRESHOLD,
    best_assignment,
    diff_revisions,
    read_revision,
    render_report,
    score_detail,
)
from actionplan.output import records_to_table, write_manifest, write_table
from actionplan.schema.records import Action, Characteristic, Theme
from conftest import SAMPLES

SAMPLE_2024 = SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf"
SAMPLE_2024_HTML = SAMPLES / "appendix-a-2024-html" / "appendix-a-2024-html.pdf"
SAMPLE_2025 = SAMPLES / "appendix-a-2025" / "appendix-a-2025.pdf"
EXPECTED_2025 = SAMPLES / "appendix-a-2025" / "expected-changes.json"
KEY = ("element_id", "change", "field", "action_no_old", "action_no_new")

# ---------------------------------------------------------------- building revisions by hand

THEMES = (
    Theme("r", 1, "Continuous Improvement", "Making arrangements to secure continuous improvement."),
    Theme("r", 2, "Leadership", "Effective political and administrative leaders."),
)
OPPORTUNITY = "Service KPIs and progress against planned activity is not consistently reported by all service areas."
RECOMMENDATION = "CLT to consider implementing service area reporting on KPI performance to the relevant Service Cttee."
OTHER_OPPORTUNITY = "The risk register is not reviewed by every management team in the same way."
OTHER_RECOMMENDATION = "Risk discussion to be a standard agenda item for Service area management team meetings."
THIRD_OPPORTUNITY = "Members have not received training on the new procurement rules since they came into force."
THIRD_RECOMMENDATION = "Arrange a briefing session for all Members with procurement responsibilities in the autumn."


def char(eid: str, score: str | None = "YELLOW", description: str | None = None, theme_no: int = 1,
         notes: tuple[str, ...] = ()) -> Characteristic:
    return Characteristic("r", eid, theme_no, THEMES[theme_no - 1].name, score,
                          description or f"The authority does what {eid} asks of it, fully and on time.",
                          notes, (), (1,))


def action(eid: str, no: int, opportunity: str = OPPORTUNITY, recommendation: str = RECOMMENDATION,
           owners: tuple[str, ...] = ("CLT",), timeline: str = "Q2 2024", kind: str = "quarter",
           start: date | None = date(2024, 7, 1), end: date | None = date(2024, 9, 30)) -> Action:
    owner_timeline = ", ".join(owners + ((timeline,) if timeline else ())) + "."
    return Action("r", eid, no, opportunity, recommendation, owner_timeline, owners, owners,
                  timeline, start, end, kind, False, 1)


def undated(a: Action, timeline: str, kind: str) -> Action:
    return dataclasses.replace(a, timeline=timeline, timeline_kind=kind, timeline_start=None, timeline_end=None)


def write_revision(folder: Path, characteristics, actions, themes=THEMES, label: str | None = None) -> Path:
    folder.mkdir(parents=True)
    tables = {"characteristics": characteristics, "actions": actions, "themes": themes,
              "heatmap": (), "repairs": (), "issues": ()}
    for name, records in tables.items():
        write_table(folder, name, records_to_table(name, records))
    write_manifest(folder, {"revision": label or folder.name, "schema_version": "1.0"})
    return folder


def base_chars():
    return [char("CI001", "LIGHT GREEN"), char("CI002", "AMBER"), char("L001", "RED", theme_no=2)]


def base_actions():
    return [
        action("CI001", 1),
        action("CI001", 2, OTHER_OPPORTUNITY, OTHER_RECOMMENDATION, ("CHoLG",), "Jan 2025", "month",
               date(2025, 1, 1), date(2025, 1, 31)),
        action("CI002", 1, THIRD_OPPORTUNITY, THIRD_RECOMMENDATION, ("HoBPPP",)),
        action("L001", 1),
    ]


def changes_between(tmp_path, old_chars, old_actions, new_chars, new_actions, old_themes=THEMES,
                    new_themes=THEMES) -> list[dict]:
    old = read_revision(write_revision(tmp_path / "old", old_chars, old_actions, old_themes))
    new = read_revision(write_revision(tmp_path / "new", new_chars, new_actions, new_themes))
    return [dataclasses.asdict(c) for c in diff_revisions(old, new)]


def keys(rows) -> list[tuple]:
    return [tuple(r[k] for k in KEY) for r in rows]


def replaced(rows, index, **changes):
    rows = list(rows)
    rows[index] = dataclasses.replace(rows[index], **changes)
    return rows


# ---------------------------------------------------------------- each change kind


def test_identical_revisions_give_no_changes(tmp_path):
    assert changes_between(tmp_path, base_chars(), base_actions(), base_chars(), base_actions()) == []


def test_reworded_action_is_one_action_changed(tmp_path):
    new = replaced(base_actions(), 0, recommendation=RECOMMENDATION + " Start with the two largest services.")
    rows = changes_between(tmp_path, base_chars(), base_actions(), base_chars(), new)
    assert keys(rows) == [("CI001", "action_changed", "recommendation", 1, 1)]
    assert ACTION_MATCH_THRESHOLD <= rows[0]["similarity"] < 1
    assert "{+Start with the two largest services.+}" in rows[0]["detail"]


def test_action_that_moved_position_is_no_change(tmp_path):
    old = base_actions()
    new = [dataclasses.replace(old[1], action_no=1), dataclasses.replace(old[0], action_no=2)] + old[2:]
    assert changes_between(tmp_path, base_chars(), old, base_chars(), new) == []


def test_moved_and_reworded_action_reports_both_numbers(tmp_path):
    old = base_actions()
    new = [dataclasses.replace(old[1], action_no=1),
           dataclasses.replace(old[0], action_no=2, opportunity=OPPORTUNITY + " Some still report annually.")] + old[2:]
    rows = changes_between(tmp_path, base_chars(), old, base_chars(), new)
    assert keys(rows) == [("CI001", "action_changed", "opportunity", 1, 2)]


def test_unrelated_replacement_is_a_removal_and_an_addition(tmp_path):
    new = replaced(base_actions(), 2, opportunity="Nothing in common whatsoever here.",
                   recommendation="Entirely different wording about parking enforcement.", owners=("CEX",))
    rows = changes_between(tmp_path, base_chars(), base_actions(), base_chars(), new)
    assert keys(rows) == [("CI002", "action_removed", None, 1, None), ("CI002", "action_added", None, None, 1)]


def test_added_and_removed_actions(tmp_path):
    old = base_actions()
    added = action("CI002", 2, OTHER_OPPORTUNITY, OTHER_RECOMMENDATION, ("CHoLG",))
    new = [old[0], dataclasses.replace(old[2]), added, old[3]]  # CI001 action 2 removed
    rows = changes_between(tmp_path, base_chars(), old, base_chars(), new)
    assert keys(rows) == [("CI001", "action_removed", None, 2, None), ("CI002", "action_added", None, None, 2)]
    assert rows[1]["after"].startswith(OTHER_OPPORTUNITY)


@pytest.mark.parametrize("before, after, detail", [
    ("AMBER", "LIGHT GREEN", "up 2 steps"),
    ("LIGHT GREEN", "YELLOW", "down 1 step"),
    ("RED", "DARK GREEN", "up 4 steps"),
    ("AMBER", "GREY", "to GREY"),
    ("GREY", "RED", "from GREY"),
    (None, "RED", "from no score"),
    ("YELLOW", None, "to no score"),
])
def test_score_detail_counts_steps_on_the_scale_only(before, after, detail):
    assert score_detail(before, after) == detail


def test_score_changes_are_rows_with_step_counts(tmp_path):
    new = [char("CI001", "DARK GREEN"), char("CI002", "GREY"), char("L001", "RED", theme_no=2)]
    rows = changes_between(tmp_path, base_chars(), base_actions(), new, base_actions())
    assert [(r["element_id"], r["change"], r["before"], r["after"], r["detail"]) for r in rows] == [
        ("CI001", "score_changed", "LIGHT GREEN", "DARK GREEN", "up 1 step"),
        ("CI002", "score_changed", "AMBER", "GREY", "to GREY"),
    ]
    assert all(r["similarity"] is None for r in rows)


@pytest.mark.parametrize("timeline, kind, start, end, detail", [
    ("Q4 2024/25", "quarter", date(2025, 1, 1), date(2025, 3, 31), "slipped 182 days"),
    ("July 24", "month", date(2024, 7, 1), date(2024, 7, 31), "brought forward 61 days"),
    ("by 1 Oct 2024", "month", date(2024, 10, 1), date(2024, 10, 1), "slipped 1 day"),
])
def test_timeline_moves_are_measured_on_timeline_end(tmp_path, timeline, kind, start, end, detail):
    new = replaced(base_actions(), 0, timeline=timeline, timeline_kind=kind, timeline_start=start, timeline_end=end)
    rows = changes_between(tmp_path, base_chars(), base_actions(), base_chars(), new)
    assert keys(rows) == [("CI001", "action_changed", "timeline", 1, 1)]
    assert (rows[0]["before"], rows[0]["after"], rows[0]["detail"]) == ("Q2 2024", timeline, detail)
    # The same move as data: signed days between the end dates, both dates beside it.
    assert rows[0]["days_moved"] == (end - date(2024, 9, 30)).days
    assert int(detail.split()[-2]) == abs(rows[0]["days_moved"])
    assert (rows[0]["timeline_end_old"], rows[0]["timeline_end_new"]) == (date(2024, 9, 30), end)


def test_timeline_marked_complete(tmp_path):
    new = list(base_actions())
    new[0] = undated(new[0], "complete", "complete")
    rows = changes_between(tmp_path, base_chars(), base_actions(), base_chars(), new)
    assert keys(rows) == [("CI001", "action_changed", "timeline", 1, 1)]
    assert rows[0]["detail"] == "marked complete"
    assert rows[0]["days_moved"] is None and rows[0]["timeline_end_new"] is None


def test_changed_owners_are_one_row_with_joined_lists(tmp_path):
    new = replaced(base_actions(), 2, owners=("HoBPPP", "HoMPR"))
    rows = changes_between(tmp_path, base_chars(), base_actions(), base_chars(), new)
    assert keys(rows) == [("CI002", "action_changed", "owners", 1, 1)]
    assert (rows[0]["before"], rows[0]["after"], rows[0]["detail"]) == ("HoBPPP", "HoBPPP; HoMPR", "added HoMPR")


def test_description_and_theme_intro_changes(tmp_path):
    new_chars = replaced(base_chars(), 1, description="The authority does what CI002 asks of it, fully.")
    new_themes = (dataclasses.replace(THEMES[0], intro=THEMES[0].intro + " It is reviewed yearly."), THEMES[1])
    rows = changes_between(tmp_path, base_chars(), base_actions(), new_chars, base_actions(), new_themes=new_themes)
    assert keys(rows) == [("theme 1", "theme_intro_changed", "intro", None, None),
                          ("CI002", "description_changed", "description", None, None)]
    assert rows[1]["detail"] == "… asks of it, [-fully and on time.-] {+fully.+}"


def test_renumbered_characteristic_is_moved_by_content(tmp_path):
    old_chars = base_chars() + [char("G002", None, "The authority's scrutiny function is challenging and robust.", 2)]
    old_actions = base_actions() + [action("G002", 1, THIRD_OPPORTUNITY, THIRD_RECOMMENDATION)]
    new_chars = base_chars() + [char("L010", "AMBER", "The authority's scrutiny function is challenging and robust.", 2)]
    new_actions = base_actions() + [action("L010", 1, THIRD_OPPORTUNITY, THIRD_RECOMMENDATION)]
    rows = changes_between(tmp_path, old_chars, old_actions, new_chars, new_actions)
    assert keys(rows) == [("L010", "characteristic_moved", "element_id", None, None),
                          ("L010", "score_changed", "score", None, None)]
    assert (rows[0]["before"], rows[0]["after"], rows[0]["similarity"]) == ("G002", "L010", 1.0)


def test_characteristic_moved_by_note_into_an_existing_one(tmp_path):
    """G002 says "Now in ... (CI012)" in OLD and is gone from NEW: moved, not removed."""
    old_chars = base_chars() + [
        char("CI012", description="The authority's scrutiny function is challenging.", notes=("Previously G002",)),
        char("G002", None, "The scrutiny function is robust.", 2, notes=("Now in 1. Continuous Improvement theme (CI012)",)),
    ]
    new_chars = old_chars[:-1]
    old_actions = base_actions() + [action("G002", 1, THIRD_OPPORTUNITY, THIRD_RECOMMENDATION)]
    rows = changes_between(tmp_path, old_chars, old_actions, new_chars, base_actions())
    assert keys(rows) == [("CI012", "characteristic_moved", "element_id", None, None)]
    assert rows[0]["detail"].startswith("G002 → CI012")


def test_characteristic_that_gains_a_moved_note_is_moved(tmp_path):
    new_chars = base_chars() + [char("CI012", description="A new characteristic about scrutiny.")]
    new_chars[2] = dataclasses.replace(new_chars[2], notes=("Now in 1. Continuous Improvement theme (CI012)",))
    rows = changes_between(tmp_path, base_chars(), base_actions(), new_chars, base_actions())
    assert keys(rows) == [("CI012", "characteristic_moved", "element_id", None, None)]
    assert (rows[0]["before"], rows[0]["after"]) == ("L001", "CI012")


def test_characteristics_added_and_removed(tmp_path):
    new_chars = base_chars()[:2] + [char("L002", "RED", "A wholly different statement about elections.", 2)]
    new_actions = base_actions()[:3] + [action("L002", 1)]
    rows = changes_between(tmp_path, base_chars(), base_actions(), new_chars, new_actions)
    assert keys(rows) == [("L001", "characteristic_removed", None, None, None),
                          ("L002", "characteristic_added", None, None, None)]
    assert rows[1]["detail"] == "1 action"


def test_layout_only_differences_are_no_change(tmp_path):
    """Line breaks, paragraph breaks, double spaces, a space a wrap put after a slash,
    curly quotes, ligatures and non-breaking spaces are layout, not content."""
    old_chars = replaced(base_chars(), 0, description="The authority's plan is refined by HR/Payroll.")
    new_chars = replaced(base_chars(), 0, description="The authority\u2019s plan\nis  re\ufb01ned by HR/ Payroll.")
    new_actions = replaced(base_actions(), 0, opportunity=OPPORTUNITY.replace(" is ", "\nis\u00a0"),
                           recommendation=RECOMMENDATION.replace(" on ", "\n\non "))
    new_themes = (dataclasses.replace(THEMES[0], intro=THEMES[0].intro.replace(" ", "\n", 2)), THEMES[1])
    rows = changes_between(tmp_path, old_chars, base_actions(), new_chars, new_actions, new_themes=new_themes)
    assert rows == []


def test_row_order_is_stable_whatever_the_input_order(tmp_path):
    new_chars = [char("CI001", "DARK GREEN"), char("CI002", "GREY"), char("L001", "AMBER", theme_no=2)]
    new_actions = replaced(base_actions(), 0, recommendation=RECOMMENDATION + " Quarterly.", owners=("CLT", "CEX"))
    new_actions.append(action("CI001", 3, THIRD_OPPORTUNITY, THIRD_RECOMMENDATION, ("CEX",)))
    first = changes_between(tmp_path / "a", base_chars(), base_actions(), new_chars, new_actions)
    second = changes_between(tmp_path / "b", base_chars()[::-1], base_actions()[::-1], new_chars[::-1],
                             new_actions[::-1], new_themes=THEMES[::-1], old_themes=THEMES[::-1])
    assert keys(first) == [
        ("CI001", "score_changed", "score", None, None),
        ("CI001", "action_changed", "recommendation", 1, 1),
        ("CI001", "action_changed", "owners", 1, 1),
        ("CI001", "action_added", None, None, 3),
        ("CI002", "score_changed", "score", None, None),
        ("L001", "score_changed", "score", None, None),
    ]
    assert keys(second) == [keys(first)[-1]] + keys(first)[:-1]  # theme order is NEW's themes table
    assert first == changes_between(tmp_path / "c", base_chars(), base_actions(), new_chars, new_actions)


# ---------------------------------------------------------------- assignment


def test_best_assignment_prefers_total_similarity_over_greed():
    # Greedy would take (0, 0) = 0.9 and leave row 1 with 0.1; the optimum pairs crosswise.
    assert best_assignment([[0.9, 0.8], [0.85, 0.1]]) == [(0, 1), (1, 0)]
    assert best_assignment([[0.2, 0.9, 0.1]]) == [(0, 1)]
    assert best_assignment([[0.2], [0.9], [0.1]]) == [(1, 0)]
    assert best_assignment([]) == []


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 5).flatmap(lambda rows: st.integers(1, 5).flatmap(lambda cols: st.lists(
    st.lists(st.floats(0, 1), min_size=cols, max_size=cols), min_size=rows, max_size=rows))))
def test_best_assignment_matches_exhaustive_search(weights):
    rows, cols = len(weights), len(weights[0])
    pairs = best_assignment(weights)
    assert len(pairs) == min(rows, cols)
    assert len({i for i, _ in pairs}) == len({j for _, j in pairs}) == len(pairs)
    if rows <= cols:
        best = max(sum(weights[i][p[i]] for i in range(rows)) for p in itertools.permutations(range(cols), rows))
    else:
        best = max(sum(weights[p[j]][j] for j in range(cols)) for p in itertools.permutations(range(rows), cols))
    assert sum(weights[i][j] for i, j in pairs) == pytest.approx(best)


# ---------------------------------------------------------------- the command


def _folders(tmp_path):
    old = write_revision(tmp_path / "plan-2024", base_chars(), base_actions())
    new_chars = [char("CI001", "DARK GREEN"), char("CI002", "AMBER"), char("L001", "RED", theme_no=2)]
    new_actions = replaced(base_actions(), 1, recommendation=OTHER_RECOMMENDATION + " Minutes to record it.")
    new = write_revision(tmp_path / "plan-2025", new_chars, new_actions)
    return old, new


def test_cli_writes_changes_and_report(tmp_path, capsys):
    old, new = _folders(tmp_path)
    out = tmp_path / "diff"
    assert main(["diff", str(old), str(new), "--out", str(out), "--as-of", "2025-02-15"]) == 0
    stdout = capsys.readouterr().out
    assert "plan-2024 → plan-2025: 2 changes (1 score_changed, 1 action_changed)." in stdout
    assert sorted(p.name for p in out.iterdir()) == [
        "changes.csv", "changes.parquet", "manifest.json", "overdue.csv", "overdue.parquet", "report.html",
        "report.md"]
    rows = pq.read_table(out / "changes.parquet").to_pylist()
    assert keys(rows) == [("CI001", "score_changed", "score", None, None),
                          ("CI001", "action_changed", "recommendation", 2, 2)]
    assert {(r["revision_old"], r["revision_new"], r["theme_no"]) for r in rows} == {("plan-2024", "plan-2025", 1)}
    assert (rows[1]["timeline_end_old"], rows[1]["timeline_end_new"]) == (date(2025, 1, 31), date(2025, 1, 31))
    # The folder is a diff's: its own manifest, loadable with actionplan.load.
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert (manifest["kind"], manifest["old"]["revision"], manifest["new"]["revision"], manifest["as_of"]) == (
        "diff", "plan-2024", "plan-2025", "2025-02-15")
    assert manifest["counts"] == {"changes": 2, "overdue": 4}
    tables = actionplan.load(out)
    assert sorted(tables) == ["changes", "overdue"]
    assert str(tables["changes"]["action_no_old"].dtype) == "Int32"  # integers with nulls stay integers
    overdue = tables["overdue"]
    assert overdue[["element_id", "action_no", "days_overdue"]].values.tolist() == [
        ["CI001", 1, 138], ["CI001", 2, 15], ["CI002", 1, 138], ["L001", 1, 138]]  # 2024-09-30 / 2025-01-31
    report = (out / "report.md").read_text(encoding="utf-8")
    assert "| CI001 | LIGHT GREEN | DARK GREEN | up 1 step |" in report  # heatmap before -> after
    assert "| 1. Continuous Improvement | 1 | 1 | 2 |" in report  # counts by kind and theme
    assert "**Minutes to record it.**" in report  # word-level diff
    # Overdue on 2025-02-15: the three Q2 2024 actions ended 2024-09-30; CI001/2 ended in January.
    overdue = report.split("## Overdue on 2025-02-15")[1]
    assert "4 actions ended before 2025-02-15" in overdue
    assert "| CI001 | 2 | CHoLG | Jan 2025 | 2025-01-31 | 15 |" in overdue


def test_cli_no_changes_exits_0_and_default_out(tmp_path, capsys, monkeypatch):
    old = write_revision(tmp_path / "a", base_chars(), base_actions())
    new = write_revision(tmp_path / "b", base_chars(), base_actions())
    monkeypatch.chdir(tmp_path)
    assert main(["diff", str(old), str(new)]) == 0
    assert "a → b: no changes." in capsys.readouterr().out
    out = tmp_path / "outputs" / "diff-a-b"
    assert pq.read_table(out / "changes.parquet").num_rows == 0
    assert "as-of" not in (out / "report.md").read_text() and "Overdue" not in (out / "report.md").read_text()


@pytest.mark.parametrize("make_args, message", [
    (lambda t, ok: [str(t / "missing.pdf"), str(ok)], "no such file or folder"),
    (lambda t, ok: [str(t / "empty"), str(ok)], "not a PDF or an output folder of actionplan extract"),
    (lambda t, ok: [str(t / "notes.txt"), str(ok)], "not a PDF or an output folder of actionplan extract"),
    (lambda t, ok: [str(ok), str(ok), "--as-of", "1/4/2025"], "not a date in the form YYYY-MM-DD"),
    (lambda t, ok: [str(ok), str(ok), "--as-of", "2025-02-30"], "not a date in the form YYYY-MM-DD"),
])
def test_bad_input_exits_2_with_one_line(tmp_path, capsys, make_args, message):
    ok = write_revision(tmp_path / "ok", base_chars(), base_actions())
    (tmp_path / "empty").mkdir()
    (tmp_path / "notes.txt").write_text("hello", encoding="utf-8")
    assert main(["diff", *make_args(tmp_path, ok), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert not (tmp_path / "out").exists()


# ---------------------------------------------------------------- the committed samples


def test_pdf_against_its_own_output_folder_gives_no_changes(tmp_path, extracted, capsys):
    out = tmp_path / "diff"
    assert main(["diff", str(SAMPLE_2024), str(extracted(SAMPLE_2024)), "--out", str(out), "--quiet"]) == 0
    assert pq.read_table(out / "changes.parquet").num_rows == 0
    assert (out / "old" / "manifest.json").is_file()  # the PDF was extracted into DIR/old/
    assert "no changes" in capsys.readouterr().out


@pytest.mark.skipif(not SAMPLE_2024_HTML.exists(), reason="HTML rendering of the 2024 sample not built")
def test_two_renderings_of_2024_give_no_changes(extracted):
    old, new = read_revision(extracted(SAMPLE_2024)), read_revision(extracted(SAMPLE_2024_HTML))
    assert [dataclasses.asdict(c) for c in diff_revisions(old, new)] == []


@pytest.mark.skipif(not EXPECTED_2025.exists(), reason="2025 sample not built")
def test_2024_to_2025_gives_exactly_the_intended_changes(extracted):
    """samples/appendix-a-2025/expected-changes.json, hand-written beside the edits. A
    theme-level row is listed there with element_id null and the theme in detail; the
    changes table keeps element_id non-null ("theme 6"), so that is how it is compared."""
    old, new = read_revision(extracted(SAMPLE_2024)), read_revision(extracted(SAMPLE_2025))
    got = [dataclasses.asdict(c) for c in diff_revisions(old, new)]
    expected = json.loads(EXPECTED_2025.read_text(encoding="utf-8"))
    for row in expected:
        if row["element_id"] is None and row["change"] == "theme_intro_changed":
            row["element_id"], row["detail"] = row["detail"], None
    assert keys(got) == keys(expected)  # none missed, none invented, same order
    for want, have in zip(expected, got):
        if want["detail"] is not None:
            assert have["detail"] == want["detail"], want
    report = render_report(old, new, diff_revisions(old, new), date(2025, 7, 1))
    assert "| R011 | YELLOW | DARK GREEN | up 2 steps |" in report
