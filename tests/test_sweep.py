"""Renderings the pipeline was not built with: the layout sweep's committed sample
(samples/sweep/, built by samples/build/sweep.py) and the fixtures and samples that carry
a rendering.json (issue #11's named failures; the column-set samples of issue #12).

Each must give its source's data field for field -- characteristics, actions, themes,
heatmap -- account for every character, and report where the plan is in the PDF
(manifest ``pages_used`` / ``pages_skipped``, 1-based).  The expected data is the
hand-checked source.json; the pages come from how the rendering was built (which PDFs were
bound before and after the plan), never from the pipeline.  The whole sweep (48
renderings) runs in benchmarks/layout_sweep.py.
"""

from __future__ import annotations

import ast
import json
import re
import unicodedata

import pdfplumber
import pyarrow.parquet as pq
import pytest

from compare import compare_all
from conftest import SAMPLES, known_wrong, unseen_renderings
from expected import load_expected

RENDERINGS = unseen_renderings()
# A sample that ships its own profile.toml needs it (tests/test_profiles.py reads it with it).
NAMES = sorted(n for n in RENDERINGS if not (RENDERINGS[n][1].parent / "profile.toml").exists())
# What a person saw failing on the sweep sample, per test (samples/sweep/known-wrong.json):
# each is expected to fail, strictly -- a fix that makes one pass fails the test until its
# entry is removed, so the list can only shrink honestly.
KNOWN_WRONG = known_wrong()


def names_for(test: str, names=NAMES) -> list:
    known = KNOWN_WRONG.get(test, {})
    return [pytest.param(n, marks=pytest.mark.xfail(strict=True, reason=known[n])) if n in known else n
            for n in names]
from actionplan.schema.records import DROP_REASONS


def _record(name: str) -> dict:
    return json.loads(RENDERINGS[name][2].read_text(encoding="utf-8"))


def test_the_sample_covers_every_axis_value_of_the_sweep():
    index = json.loads((SAMPLES / "sweep" / "sweep.json").read_text())
    records = [_record(n) for n in NAMES if RENDERINGS[n][2].parent == SAMPLES / "sweep"]
    # A covering sample (samples/build/sweep.py --commit-sample picks at most 12) and the
    # renderings kept as regressions of fixes; bounded so the tests stay within CI's time.
    assert 8 <= len(records) <= 16
    shown = {(r["engine"], axis, value) for r in records for axis, value in r["axes"].items() if value}
    engines = {r["engine"] for r in records}
    assert engines == {"html", "docx"}
    for axis in ("page", "orientation", "margins", "widths", "font", "size", "labels", "header_align",
                 "header_repeat", "justify", "hyphens", "ligatures", "rules", "key", "palette",
                 "running_header", "turned", "pack"):
        for engine in engines:
            assert len({v for e, a, v in shown if e == engine and a == axis}) >= 2, (engine, axis)
    assert {v for e, a, v in shown if a == "hyphen_char"} >= {"u2010", "u002d", "u2011", "u00ad"}
    assert {r["id"] for r in index["renderings"]} == {r["id"] for r in records}
    for test, renderings in KNOWN_WRONG.items():
        if test != "about":
            assert set(renderings) <= set(NAMES), (test, set(renderings) - set(NAMES))


@pytest.mark.parametrize("name", names_for("test_rendering_gives_the_source_data_field_for_field"))
def test_rendering_gives_the_source_data_field_for_field(name, extracted):
    pdf, source, _ = RENDERINGS[name]
    result = compare_all(extracted(pdf), load_expected(source))
    assert not result.wrong, "\n".join(result.examples[:15])


@pytest.mark.parametrize("name", NAMES)
def test_every_field_read_wrong_is_named_in_an_issue(name, extracted):
    """A run that cannot be sure says so: where a rendering is not read field for field
    (known-wrong.json), each wrong field has an issue row on its element, action and field
    (s21-html's paragraph break no page shows). Silence is the failure this catches."""
    pdf, source, _ = RENDERINGS[name]
    folder = extracted(pdf)
    result = compare_all(folder, load_expected(source))
    issues = {(i["element_id"], i["action_no"], i["field"])
              for i in pq.read_table(folder / "issues.parquet").to_pylist()}
    unnamed = [e for e in result.examples if _issue_key(e) not in issues]
    assert not unnamed, "\n".join(unnamed[:10])


def _issue_key(example: str):
    """compare's "actions ('R011', 1) recommendation: got ..." -> ("R011", 1, "recommendation")."""
    table, rest = example.split(" ", 1)
    key, field = re.match(r"(\(.*?\)|\S+) (\w+)", rest).groups()
    if table == "actions":
        element_id, action_no = ast.literal_eval(key)
        return element_id, action_no, field
    if table == "characteristics":
        return key, None, field
    if table == "themes":
        return None, None, field
    return key, None, field


@pytest.mark.parametrize("name", names_for("test_manifest_says_which_pages_hold_the_plan"))
def test_manifest_says_which_pages_hold_the_plan(name, extracted):
    pdf, _, _ = RENDERINGS[name]
    expect = _record(name)["expect"]
    pages = json.loads((extracted(pdf) / "manifest.json").read_text())["pages"]
    assert (pages["used"], [s["page"] for s in pages["skipped"]]) == \
        (expect["pages_used"], expect["pages_skipped"])


@pytest.mark.parametrize("name", names_for("test_every_character_is_accounted_for"))
def test_every_character_is_accounted_for(name, extracted):
    pdf, _, _ = RENDERINGS[name]
    ledger = json.loads((extracted(pdf) / "manifest.json").read_text())["conservation"]
    assert ledger["characters_read"] > 0
    assert ledger["unaccounted"] == 0, ledger
    assert set(ledger["dropped"]) <= set(DROP_REASONS)
    assert "unassigned" not in ledger["dropped"]


SWEEP_NAMES = [n for n in NAMES if RENDERINGS[n][2].parent == SAMPLES / "sweep"]


@pytest.mark.parametrize("name", names_for("test_the_score_key_gives_every_score_its_printed_colour", SWEEP_NAMES))
def test_the_score_key_gives_every_score_its_printed_colour(name, extracted):
    """Every label of the source's key is read, and where the key prints colours (a shaded
    label cell, a swatch beside it, the label's letters) each score has the colour the
    rendering gave it (its palette in samples/build/variants.py); a key without colours
    gives none, and the scores are then read by the standard colours' hue."""
    import sys

    sys.path.insert(0, str(SAMPLES.parent))
    from samples.build.variants import PALETTES

    pdf, source, record = RENDERINGS[name]
    options = _record(name)["options"]
    manifest = json.loads((extracted(pdf) / "manifest.json").read_text())
    want = json.loads(source.read_text(encoding="utf-8"))["key"]
    key = manifest["score_key"]
    assert [e["label"] for e in key] == [k["label"] for k in want]
    if options["key_style"] == "plain":
        assert all(e["colour"] is None for e in key) and manifest["score_colours"].startswith("assumed")
    else:
        palette = PALETTES[options["palette"]]
        assert [e["colour"] for e in key] == [f"#{palette[k['score']]}" for k in want]


# --------------------------------------------------------------------------- the samples themselves

LINE_END_HYPHENS = "\u2010\u2011\u00ad-"


def _source_words(source: dict) -> list[str]:
    texts = [source.get("title", ""), source.get("table_title", "")]
    texts += [cell for row in source.get("heatmap", []) for cell in row["cells"]]
    for theme in source["themes"]:
        texts += [theme["heading"], *theme["intro"]]
        for row in theme["rows"]:
            texts += [row["score"] or "", *row["characteristic"]]
            if any(c[0] == "element_id" for c in source.get("columns", [])):
                texts.append(row["element_id"])  # printed alone in its column, without the colon
            for band in row["bands"]:
                for column in ("opportunity", "recommendation", "owner_timeline", "owner", "timeline", "progress"):
                    texts += band.get(column, [])
    words = [unicodedata.normalize("NFKC", w) for text in texts for w in text.split()]
    if any(c[0] == "element_id" for c in source.get("columns", [])):  # "G004:" opens no cell there
        prefixes = {f"{r['element_id']}:" for t in source["themes"] for r in t["rows"]}
        words = [w for w in words if w not in prefixes]
    return words


# Each direction a page's text can run in (upright, upside down, turned either way): a
# turned page's words read whole only in its own direction, and reading every page in all
# four costs nothing but can only find words that are there.
READING_DIRECTIONS = (
    dict(line_dir="ttb", char_dir="ltr", line_dir_rotated="rtl", char_dir_rotated="ttb"),
    dict(line_dir="btt", char_dir="rtl", line_dir_rotated="ltr", char_dir_rotated="btt"),
    # In the order the stream draws them: a word too long for its cell, printed over the next
    # cell's text, reads whole only so ("Improvement" over "wide" sorts as "Improvemenwtide").
    dict(use_text_flow=True),
)


def _pdf_tokens(pdf) -> set[str]:
    """Words of the text layer read in every direction (NFKC: ligatures and presentation forms
    as letters); a word cut by a line-end hyphen also gives its part without the hyphen, so a
    source word printed across two lines is found as its two parts."""
    tokens: set[str] = set()
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for direction in READING_DIRECTIONS:
                words = [unicodedata.normalize("NFKC", w["text"]) for w in page.extract_words(**direction)]
                tokens.update(words)
                tokens.update(w[:-1] for w in words if len(w) > 1 and w[-1] in LINE_END_HYPHENS)
    return tokens


@pytest.mark.parametrize("name", names_for("test_every_source_word_is_in_the_text_layer"))
def test_every_source_word_is_in_the_text_layer(name):
    """The rendering holds what its source says (so a wrong field is the pipeline's)."""
    pdf, source_path, _ = RENDERINGS[name]
    source = json.loads(source_path.read_text(encoding="utf-8"))
    tokens = _pdf_tokens(pdf)
    missing = [w for w in _source_words(source) if not _in_pieces(w, tokens)]
    assert missing == []


# A word broken at two line ends ("or-" / "ganisational-" / "wide") is printed as three pieces.
MAX_PIECES = 3


def _in_pieces(word: str, tokens: set[str], pieces: int = MAX_PIECES) -> bool:
    """Is the word printed whole, or as up to `pieces` consecutive tokens?"""
    if word in tokens:
        return True
    return pieces > 1 and any(word[:i] in tokens and _in_pieces(word[i:], tokens, pieces - 1)
                              for i in range(1, len(word)))


def test_a_word_broken_at_two_line_ends_is_found_in_its_three_pieces():
    tokens = {"or-", "or", "ganisational-", "ganisational", "wide", "approach"}
    assert _in_pieces("organisational-wide", tokens)
    assert _in_pieces("approach", tokens)
    assert not _in_pieces("organisational-wider", tokens)
    assert not _in_pieces("organisational-wide", {"or", "ganisational-"})
