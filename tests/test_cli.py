"""The CLI, run in-process: one line and exit code 2 for every kind of bad input, nothing
half-written, help and README in step with the options."""

from __future__ import annotations

import json
import re

import pytest

from actionplan import __version__
from actionplan.cli import build_parser, main
from actionplan.errors import InputError
from clirun import assert_one_line_error, run
from conftest import REALWORLD, ROOT, SAMPLES

SAMPLE = SAMPLES / "fixtures" / "horizontal-rules-only" / "horizontal-rules-only.pdf"


def test_missing_file(tmp_path, capsys):
    out = tmp_path / "out"
    code, _, err = run(capsys, "extract", tmp_path / "nope.pdf", "--out", out)
    assert_one_line_error(code, err, "no such file")
    assert not out.exists()


def test_not_a_pdf(tmp_path, capsys):
    text = tmp_path / "notes.pdf"
    text.write_text("just some text\n")
    code, _, err = run(capsys, "extract", text, "--out", tmp_path / "out")
    assert_one_line_error(code, err, "not a PDF")
    assert not (tmp_path / "out").exists()


def test_empty_file(tmp_path, capsys):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    code, _, err = run(capsys, "extract", empty, "--out", tmp_path / "out")
    assert_one_line_error(code, err, "empty")
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("keep", [0.02, 0.5])
def test_truncated_pdf(tmp_path, capsys, keep):
    data = SAMPLE.read_bytes()
    cut = tmp_path / "cut.pdf"
    cut.write_bytes(data[: int(len(data) * keep)])
    code, _, err = run(capsys, "extract", cut, "--out", tmp_path / "out")
    assert_one_line_error(code, err)
    assert re.search(r"damaged|truncated|no text layer|no action plan", err)
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name,password", [
    ("pdfplumber--password-example.pdf", "test"), ("camelot--health_protected.pdf", "userpass"),
])
def test_encrypted_pdf_needs_the_right_password(tmp_path, capsys, name, password):
    pdf = REALWORLD / name
    code, _, err = run(capsys, "extract", pdf, "--out", tmp_path / "out")
    assert_one_line_error(code, err, "encrypted", "--password")
    code, _, err = run(capsys, "extract", pdf, "--out", tmp_path / "out", "--password", "wrong")
    assert_one_line_error(code, err, "password given is wrong")
    # With the right password it opens, and is refused only because it is no action plan.
    code, _, err = run(capsys, "extract", pdf, "--out", tmp_path / "out", "--password", password)
    assert_one_line_error(code, err, "no action plan found")
    assert not (tmp_path / "out").exists()


def test_scanned_pdf_without_text_layer(tmp_path, capsys):
    code, _, err = run(capsys, "extract", REALWORLD / "camelot--image.pdf", "--out", tmp_path / "o",
                       "--ocr", "never")
    assert_one_line_error(code, err, "no text layer", "OCR")


def test_a_scanned_pdf_that_is_no_plan_is_ocrd_then_refused(tmp_path, capsys):
    code, _, err = run(capsys, "extract", REALWORLD / "camelot--image.pdf", "--out", tmp_path / "o")
    assert_one_line_error(code, err, "no action plan found")
    assert not (tmp_path / "o").exists()


NOT_PLANS = [
    "camelot--budget.pdf", "camelot--electoral_roll.pdf", "camelot--hybrid_multipage.pdf",
    "pdfplumber--ca-warn-report.pdf", "pdfplumber--federal-register-2020-17221.pdf",
    "pdfplumber--word365_structure.pdf", "pdfplumber--image_structure.pdf",
]


@pytest.mark.parametrize("name", NOT_PLANS)
def test_real_pdfs_that_are_not_action_plans_are_refused(tmp_path, capsys, name):
    code, _, err = run(capsys, "extract", REALWORLD / name, "--out", tmp_path / "out")
    assert_one_line_error(code, err, "no action plan found", "Opportunity for Improvement")
    assert not (tmp_path / "out").exists()


def test_malformed_pdf_gets_an_answer(tmp_path, capsys):
    code, _, err = run(capsys, "extract", REALWORLD / "pdfplumber--malformed-from-issue-932.pdf",
                       "--out", tmp_path / "out")
    assert_one_line_error(code, err)
    assert re.search(r"damaged|no action plan", err)


def test_bad_option_is_one_line(capsys):
    code, _, err = run(capsys, "extract", SAMPLE, "--no-such-option")
    assert_one_line_error(code, err, "unrecognized arguments")


def test_bad_config_names_the_closest_key(tmp_path, capsys):
    config = tmp_path / "c.toml"
    config.write_text("[timeline]\nfy_start_mont = 4\n")
    code, _, err = run(capsys, "extract", SAMPLE, "--config", config, "--out", tmp_path / "o")
    assert_one_line_error(code, err, "fy_start_month")
    config.write_text("[timelines]\n")
    code, _, err = run(capsys, "extract", SAMPLE, "--config", config, "--out", tmp_path / "o")
    assert_one_line_error(code, err, "'timeline'")


def test_extract_writes_every_table_and_reruns_in_place(tmp_path, capsys):
    out = tmp_path / "out"
    for _ in range(2):  # the second run replaces the first atomically
        code, stdout, err = run(capsys, "extract", SAMPLE, "--out", out, "--revision", "r1")
        assert code == 0, err
        assert err == ""  # no library chatter, no progress bar when not a terminal
    names = sorted(p.name for p in out.iterdir())
    for table in ("characteristics", "actions", "themes", "heatmap", "repairs", "issues"):
        assert f"{table}.parquet" in names and f"{table}.csv" in names
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["revision"] == "r1"
    assert manifest["schema_version"]
    assert manifest["source"]["pages"] >= 1 and len(manifest["source"]["sha256"]) == 64
    # No staging or retired folder is left; the lock file stays (see actionplan/output.py).
    assert [p.name for p in out.parent.iterdir() if p.name.startswith(".out")] == [".out.actionplan-lock"]
    assert "characteristics" in stdout


def test_default_out_is_outputs_stem_and_revision_is_stem(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "extract", SAMPLE, "--quiet")
    assert code == 0, err
    manifest = json.loads((tmp_path / "outputs" / SAMPLE.stem / "manifest.json").read_text())
    assert manifest["revision"] == SAMPLE.stem


def test_strict_exits_1_when_issues_were_recorded(tmp_path, capsys):
    # G002 in this fixture has no score word and no shading: the run records an issue.
    pdf = SAMPLES / "fixtures" / "two-owner-pairs-in-one-cell" / "two-owner-pairs-in-one-cell.pdf"
    code, stdout, _ = run(capsys, "extract", pdf, "--out", tmp_path / "o", "--strict")
    assert code == 1
    assert "partial" in stdout
    code, _, _ = run(capsys, "extract", pdf, "--out", tmp_path / "o")
    assert code == 0


def test_debug_writes_each_step(tmp_path, capsys):
    code, _, _ = run(capsys, "extract", SAMPLE, "--out", tmp_path / "o", "--debug")
    assert code == 0
    steps = sorted(p.name for p in (tmp_path / "o" / "debug").iterdir())
    from actionplan.extract.steps import STEPS

    # Every extract step, then every normalise step, each in its own numbered file.
    assert [s.split("-", 2)[2] for s in steps[:len(STEPS)]] == [f"{step.name}.json" for step in STEPS]
    assert all(s.split("-")[1] == "extract" for s in steps[:len(STEPS)])
    assert any("read_actions" in s for s in steps[len(STEPS):])
    rows = json.loads((tmp_path / "o" / "debug" / steps[STEPS.index(next(
        st for st in STEPS if st.name == "build_sections"))]).read_text())["rows"]
    assert rows and rows[0]["anchor"].startswith("G001")


def test_help_and_version(capsys):
    assert main(["--version"]) == 0
    assert "actionplan" in capsys.readouterr().out
    for command in ([], ["extract"], ["diff"]):
        assert main(command + ["--help"]) == 0
        assert "example:" in capsys.readouterr().out


def test_python_dash_m_actionplan_is_the_command():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "actionplan", "--version"], capture_output=True, text=True)
    assert (result.returncode, result.stdout.strip()) == (0, f"actionplan {__version__}")


def test_library_messages_reach_the_user_as_one_printable_line(capsys, monkeypatch):
    import actionplan.cli

    def extract_failing(args):  # a library's message: raw bytes, a line break, an escape
        raise InputError("plan.pdf: damaged (pdfminer: bad token b'\x00\x07'\nat \x1b[31moffset 3)")

    monkeypatch.setattr(actionplan.cli, "_extract", extract_failing)
    code, _, err = run(capsys, "extract", SAMPLE)
    assert_one_line_error(code, err, "plan.pdf: damaged", "at \\x1b[31moffset 3")


def test_readme_documents_every_command_and_option():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():
        assert f"actionplan {name}" in readme, name
        for action in sub._actions:
            for flag in action.option_strings:
                if flag.startswith("--") and flag != "--help":
                    assert flag in readme, f"{name} {flag} is not in the README"
    assert "--version" in readme


@pytest.mark.parametrize("seed", range(6))
def test_corrupted_bytes_get_a_one_line_answer(tmp_path, capsys, seed):
    import random

    rng = random.Random(seed)
    data = bytearray(SAMPLE.read_bytes())
    for _ in range(50):
        data[rng.randrange(len(data))] = rng.randrange(256)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(bytes(data))
    code, _, err = run(capsys, "extract", broken, "--out", tmp_path / "out")
    # Damaged beyond reading: a one-line refusal; readable after all: a clean run.
    if code != 0:
        assert_one_line_error(code, err)
        assert not (tmp_path / "out").exists()
