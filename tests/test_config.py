"""--config: every key declared once and checked before the run. A bad value is one line
naming the file, the key, the value and what is allowed; the owners CSV's own errors name
the CSV; the README's key tables come from the declarations."""

from __future__ import annotations

import json

import pytest

from actionplan.config import SECTIONS, load_config
from actionplan.schema.settings import markdown_table
from clirun import assert_one_line_error, run
from conftest import ROOT, SAMPLES

SAMPLE = SAMPLES / "fixtures" / "horizontal-rules-only" / "horizontal-rules-only.pdf"

# One bad value for every declared key, and the words the message must quote for it.
BAD_VALUES = {
    ("plan", "header_labels"): ("Theme/ Score given", "got 'Theme/ Score given'"),  # a string, not a list
    ("plan", "header_labels_required"): (0, "got 0"),
    ("plan", "header_word_similarity"): (101, "got 101"),
    ("plan", "themes"): ([], "got []"),
    ("plan", "theme_heading_similarity"): (85.5, "got 85.5"),
    ("plan", "theme_prefixes"): (["CI", "L", "G", "C", "R", "SD", "XY"], "'XY'"),
    ("plan", "scores"): (["DARK GREEN", "Dark green"], "'Dark green'"),  # any words, but no repeats
    ("plan", "score_colours"): ({"RED": "red"}, "got {'RED': 'red'}"),
    ("timeline", "fy_start_month"): (13, "got 13"),
    ("timeline", "single_year_means"): ("sometimes", "got 'sometimes'"),
    ("timeline", "two_digit_year_base"): (2024, "got 2024"),
    ("timeline", "quarter_prefixes"): ("Q", "got 'Q'"),
    ("timeline", "dashes"): ([""], "got ['']"),
    ("timeline", "range_connectors"): ([1], "got [1]"),
    ("timeline", "ongoing_words"): ("ongoing", "got 'ongoing'"),
    ("timeline", "complete_words"): ([True], "got [True]"),
    ("timeline", "recurring_words"): ({"a": 1}, "got {'a': 1}"),
    ("timeline", "event_words"): (5, "got 5"),
    ("timeline", "update_words"): ([" "], "got [' ']"),
    ("timeline", "month_names"): ({"jan": 13}, "got 13"),
    ("owners", "csv"): (5, "got 5"),
    ("limits", "page_cpu_seconds"): (0, "got 0"),
    ("limits", "page_memory_mb"): ("lots", "got 'lots'"),
}


def toml_value(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"


def test_every_declared_key_has_a_bad_value_below():
    assert set(BAD_VALUES) == {(section, s.name) for section, settings in SECTIONS.items() for s in settings}


@pytest.mark.parametrize("section,key", sorted(BAD_VALUES))
def test_a_bad_value_names_the_key_the_value_and_what_is_allowed(tmp_path, capsys, section, key):
    value, quoted = BAD_VALUES[section, key]
    config = tmp_path / "settings.toml"
    config.write_text(f"[{section}]\n{key} = {toml_value(value)}\n", encoding="utf-8")
    code, _, err = run(capsys, "extract", SAMPLE, "--config", config, "--out", tmp_path / "out")
    assert_one_line_error(code, err, str(config), f"[{section}] {key}", "must be", quoted)
    assert not (tmp_path / "out").exists()


def test_theme_prefixes_must_match_the_themes(tmp_path, capsys):
    config = tmp_path / "c.toml"
    config.write_text('[plan]\nthemes = ["Leadership", "Governance"]\n')
    code, _, err = run(capsys, "extract", SAMPLE, "--config", config)
    assert_one_line_error(code, err, "[plan] theme_prefixes must have one prefix per theme (2)")


def test_a_section_must_be_a_table(tmp_path, capsys):
    config = tmp_path / "c.toml"
    config.write_text("limits = 5\n")
    code, _, err = run(capsys, "extract", SAMPLE, "--config", config)
    assert_one_line_error(code, err, "[limits] must be a table")


def test_a_byte_order_mark_is_accepted(tmp_path):
    config = tmp_path / "notepad.toml"
    config.write_bytes("\ufeff[timeline]\nfy_start_month = 1\n[limits]\npage_cpu_seconds = 5\n".encode("utf-8"))
    loaded = load_config(config)
    assert loaded.convention.fy_start_month == 1 and loaded.budget.cpu_seconds == 5


HEADER = "code,name,aliases,kind,note\n"


@pytest.mark.parametrize("content,phrases", [
    (HEADER + "HoX,Head of X,,officer,\nHoY,Head of Y,,,\nHoX,Head of Ex,,officer,\n",
     ["code 'HoX' is defined twice, on line 2 and line 4"]),
    ((HEADER + "HoX,Head of X,,officer,\n").encode("utf-8") + "HoÿY,Ÿ,,,\n".encode("cp1252"),
     ["not a UTF-8 CSV file"]),
    (HEADER + "HoX,Head of X,,boss,\n", ["line 2", "kind 'boss'"]),
    ("code;name\nHoX;Head of X\n", ["columns are code, name"]),
])
def test_owners_csv_errors_name_the_csv(tmp_path, capsys, content, phrases):
    csv = tmp_path / "my-owners.csv"
    csv.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    config = tmp_path / "settings.toml"
    config.write_text('[owners]\ncsv = "my-owners.csv"\n')
    code, _, err = run(capsys, "extract", SAMPLE, "--config", config, "--out", tmp_path / "out")
    assert_one_line_error(code, err, f"{csv}:", *phrases)
    assert "settings.toml" not in err


@pytest.mark.parametrize("section", ["plan", "owners", "limits"])
def test_the_readme_lists_each_key_as_declared(section):
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table(section, SECTIONS[section]) in readme
