"""The HTML reports, opened in a real headless Chromium: heatmap cells show the right
colours where the page says they are, print their score words, and a 390 px phone needs no
horizontal scroll. Expected scores and colours come from the samples' hand-written
source.json files and the colours their README states, never from the pipeline."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest

from actionplan.cli import main
from actionplan.config import load_config
from actionplan.pipeline import run_extract
from actionplan.report.html import text_colour
from actionplan.report.plan_html import render_plan_report
from actionplan.report.source import PlanTables
from actionplan.schema.records import Action, Characteristic, HeatmapEntry, Issue, Repair, Theme
from browser import background_at
from conftest import SAMPLES

SAMPLE_2024 = SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf"
SAMPLE_2025 = SAMPLES / "appendix-a-2025" / "appendix-a-2025.pdf"
FIXTURE = SAMPLES / "fixtures" / "horizontal-rules-only" / "horizontal-rules-only.pdf"
# The samples' key colours, as samples/README.md states them (docx_render.py's SCORE_COLOURS).
SAMPLE_COLOURS = {"DARK GREEN": "#00B050", "LIGHT GREEN": "#92D050", "YELLOW": "#FFFF00",
                  "AMBER": "#FFC000", "RED": "#FF0000", "GREY": "#A6A6A6", None: "#FFFFFF"}
PHONE, DESKTOP = 390, 1280


def source_scores(name: str) -> dict[str, str | None]:
    source = json.loads((SAMPLES / name / "source.json").read_text(encoding="utf-8"))
    return {row["element_id"]: row["score"] for theme in source["themes"] for row in theme["rows"]}


def source_heatmap(name: str) -> list[tuple[int, int, str]]:
    source = json.loads((SAMPLES / name / "source.json").read_text(encoding="utf-8"))
    return [(row["theme_no"], i, cell) for row in source["heatmap"] for i, cell in enumerate(row["cells"], 1)]


# ---------------------------------------------------------------- a plan built by hand

# A key with colours of its own: the report must draw the plan's colours, not a palette.
KEY = [{"label": "Dark green", "meaning": "Strong evidence", "colour": "#006633"},
       {"label": "Light green", "meaning": "Evidence with gaps", "colour": "#99CC66"},
       {"label": "Yellow", "meaning": "Some evidence", "colour": "#FFEE55"},
       {"label": "Amber", "meaning": "Narrative only", "colour": "#FF9900"},
       {"label": "Red", "meaning": "No evidence", "colour": "#CC0000"},
       {"label": "Grey", "meaning": "Not in officers' control", "colour": "#888888"}]
CELLS = [(1, "CI001", "LIGHT GREEN"), (1, "CI002", "AMBER"), (1, "CI003", None), (1, "See CI012", None),
         (2, "L001", "RED"), (2, "L002", "GREY"), (2, "L003", "DARK GREEN"), (2, "L004", "YELLOW")]
HAND_COLOURS = {"LIGHT GREEN": "#99CC66", "AMBER": "#FF9900", "RED": "#CC0000", "GREY": "#888888",
                "DARK GREEN": "#006633", "YELLOW": "#FFEE55", None: "#FFFFFF"}


def hand_built_plan(as_of: str | None = "2025-04-01") -> PlanTables:
    themes = (Theme("r", 1, "Continuous Improvement", "Intro one.\n\nSecond paragraph."),
              Theme("r", 2, "Leadership", "Intro two."))
    positions = {1: 0, 2: 0}
    heatmap = []
    for theme_no, cell, score in CELLS:
        positions[theme_no] += 1
        element = None if cell.startswith("See") else cell
        heatmap.append(HeatmapEntry("r", theme_no, positions[theme_no], cell, element, score))
    characteristics = tuple(
        Characteristic("r", e.element_id, e.theme_no, themes[e.theme_no - 1].name, e.score,
                       f"What {e.element_id} asks.", (), (), (1,))
        for e in heatmap if e.element_id)
    actions = (
        Action("r", "CI001", 1, "KPIs are not reported.", "Report KPIs quarterly.", "CLT, Q2 2024.", ("CLT",),
               ("Corporate Leadership Team",), "Q2 2024", date(2024, 7, 1), date(2024, 9, 30), "quarter", False, 1),
        Action("r", "CI001", 2, "Training.", "Train staff.", "HoP, complete.", ("HoP",), ("Head of Procurement",),
               "complete", None, None, "complete", False, 1),
    )
    manifest = {"revision": "r", "score_key": KEY, "status": "partial", "as_of": as_of,
                "source": {"path": "plan.pdf", "pages": 3, "sha256": "0" * 64}}
    from actionplan.overdue import overdue_actions

    overdue = overdue_actions(actions, date.fromisoformat(as_of), {"CI001": 1}, "r") if as_of else ()
    return PlanTables(
        manifest=manifest, themes=themes, characteristics=characteristics, actions=actions,
        heatmap=tuple(heatmap), overdue=overdue,
        repairs=(Repair("r", "CI001", 1, 1, "owners", "HoBPP", "HoBPPP", "owner_alias"),),
        issues=(Issue("r", "CI003", None, 2, "score", "no score word and no score colour found"),),
        theme_names={1: "Continuous Improvement", 2: "Leadership"},
    )


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_hand_built_heatmap_cells_show_the_keys_colours_and_words(tmp_path, browser, width):
    page = tmp_path / "report.html"
    page.write_text(render_plan_report(hand_built_plan()), encoding="utf-8")
    browser.open(page, width)
    assert browser.horizontal_overflow() == 0
    cells = browser.elements(".heatmap .hm-cell")
    image = browser.screenshot(cells)
    assert [c["text"].split("\n")[0] for c in cells] == [cell for _, cell, _ in CELLS]
    for (theme_no, cell, score), box in zip(CELLS, cells):
        assert box["element_id"] == (None if cell.startswith("See") else cell)
        assert box["score"] == (score or "")
        assert background_at(image, box) == HAND_COLOURS[score], cell
        if box["element_id"]:  # colour is never the only signal
            assert (score or "no score") in box["text"]
    # Reading order as the plan draws it: theme 2's row starts below the whole of theme 1's.
    first_row = [c for c, (t, _, _) in zip(cells, CELLS) if t == 1]
    second_row = [c for c, (t, _, _) in zip(cells, CELLS) if t == 2]
    assert min(c["y"] for c in second_row) >= max(c["y"] + c["height"] for c in first_row) - 1
    if width == DESKTOP:  # the plan's layout: one line of cells per theme
        assert len({round(c["y"]) for c in first_row}) == 1
        assert [c["x"] for c in first_row] == sorted(c["x"] for c in first_row)


def test_hand_built_report_lists_actions_overdue_and_audit(tmp_path, browser):
    html = render_plan_report(hand_built_plan())
    assert "Corporate Leadership Team (CLT)" in html  # owner names, with the printed code
    assert "Q2 2024: 1 Jul 2024 – 30 Sep 2024" in html  # timeline as dates
    assert "overdue by 183 days" in html and 'class="status complete">complete' in html
    assert re.search(r'<h2 id="overdue">Overdue on 1 Apr 2025</h2><p>1 action ended', html)
    assert "owner_alias" in html and "no score word and no score colour found" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html  # self-contained
    without = render_plan_report(hand_built_plan(as_of=None))
    assert 'id="overdue"' not in without and "overdue by" not in without
    assert "due by 30 Sep 2024" in without  # without --as-of, nothing is judged against a date
    page = tmp_path / "report.html"
    page.write_text(html, encoding="utf-8")
    browser.open(page, PHONE)
    assert browser.horizontal_overflow() == 0  # stacked tables and action lists fit a phone


def test_text_on_each_fill_is_the_more_legible_of_black_and_white():
    assert text_colour("#FFFF00") == "#000000" and text_colour("#006633") == "#FFFFFF"
    assert text_colour("#FFFFFF") == "#000000" and text_colour("#000000") == "#FFFFFF"


# ---------------------------------------------------------------- the committed samples


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_sample_report_draws_the_plans_heatmap(extracted, browser, width):
    folder = extracted(SAMPLE_2024)
    scores = source_scores("appendix-a-2024")
    browser.open(folder / "report.html", width)
    assert browser.horizontal_overflow() == 0
    cells = browser.elements(".heatmap .hm-cell")
    image = browser.screenshot(cells)
    expected = source_heatmap("appendix-a-2024")
    assert [c["text"].split("\n")[0] for c in cells] == [cell for _, _, cell in expected]
    for (_, _, cell), box in zip(expected, cells):
        if cell.startswith("See"):
            assert box["element_id"] is None
            continue
        score = scores[cell]
        assert (box["element_id"], box["score"]) == (cell, score or "")
        assert background_at(image, box) == SAMPLE_COLOURS[score], cell
        assert (score or "no score") in box["text"]


def test_report_records_as_of_and_never_the_day_it_ran(tmp_path):
    config = load_config(None)
    first = run_extract(FIXTURE, tmp_path / "a", revision="fixture", config=config, as_of=date(2025, 4, 1))
    run_extract(FIXTURE, tmp_path / "b", revision="fixture", config=config, as_of=date(2025, 4, 1))
    assert first.manifest["as_of"] == "2025-04-01"
    html = (tmp_path / "a" / "report.html").read_text(encoding="utf-8")
    assert html == (tmp_path / "b" / "report.html").read_text(encoding="utf-8")
    assert date.today().isoformat() not in html and "Overdue on 1 Apr 2025" in html
    assert (tmp_path / "a" / "overdue.parquet").is_file()


# ---------------------------------------------------------------- the diff's report


@pytest.fixture(scope="module")
def diff_2024_2025(extracted, tmp_path_factory):
    out = tmp_path_factory.mktemp("diff") / "d"
    code = main(["diff", str(extracted(SAMPLE_2024)), str(extracted(SAMPLE_2025)), "--out", str(out),
                 "--as-of", "2025-07-01", "--quiet"])
    assert code == 0
    return out


@pytest.mark.parametrize("width", [DESKTOP, PHONE])
def test_diff_report_heatmaps_side_by_side_with_moves_marked(diff_2024_2025, browser, width):
    before, after = source_scores("appendix-a-2024"), source_scores("appendix-a-2025")
    expected = json.loads((SAMPLES / "appendix-a-2025" / "expected-changes.json").read_text(encoding="utf-8"))
    moved = {r["element_id"]: r["detail"] for r in expected if r["change"] == "score_changed"}
    browser.open(diff_2024_2025 / "report.html", width)
    assert browser.horizontal_overflow() == 0
    cells = [c for c in browser.elements(".heatmap .hm-cell") if c["element_id"]]
    image = browser.screenshot(cells)
    for side, scores in (("old", before), ("new", after)):
        mine = [c for c in cells if c["side"] == side]
        assert len(mine) == len(source_heatmap("appendix-a-2024")) - 1  # all but "See CI012"
        for box in mine:
            score = scores[box["element_id"]]
            assert box["score"] == (score or "")
            assert background_at(image, box) == SAMPLE_COLOURS[score], (side, box["element_id"])
            if box["element_id"] in moved:
                direction = moved[box["element_id"]].split()[0]  # up / down / to
                assert box["moved"] == {"up": "up", "down": "down"}.get(direction, "changed")
                assert moved[box["element_id"]] in box["text"]  # the move is printed, not only drawn
            else:
                assert box["moved"] is None
    old, new = ([c for c in cells if c["side"] == s] for s in ("old", "new"))
    if width == DESKTOP:  # side by side
        assert min(c["x"] for c in new) > max(c["x"] + c["width"] for c in old)
    else:  # one above the other
        assert min(c["y"] for c in new) > max(c["y"] + c["height"] for c in old)


def test_diff_report_charts_slips_and_shows_word_level_changes(diff_2024_2025, browser):
    expected = json.loads((SAMPLES / "appendix-a-2025" / "expected-changes.json").read_text(encoding="utf-8"))
    moves = [r for r in expected if r["field"] == "timeline" and re.match(r"(slipped|brought forward) \d+", r["detail"])]
    browser.open(diff_2024_2025 / "report.html", DESKTOP)
    bars = browser.elements(".bars li")
    assert [b["element_id"] for b in bars] == [r["element_id"] for r in moves]
    assert [b["text"].split(": ", 1)[1] for b in bars] == [f"{r['detail']}" for r in moves]
    html = (diff_2024_2025 / "report.html").read_text(encoding="utf-8")
    changed = {(r["element_id"], r["action_no_old"], r["action_no_new"]) for r in expected if r["change"] == "action_changed"}
    assert html.count('<article class="char action"') == len(changed)
    completed = [r for r in expected if r["detail"] == "marked complete"]
    assert f"Marked complete ({len(completed)})" in html
    assert "<ins>" in html and "<del>" in html and 'id="overdue"' in html
