"""Hostile and degenerate PDFs get an answer in bounded time and memory: the per-page budget
(extract/scheduler.py), page workers that die with the main process, and metrics that
cannot be measured (zero sizes, a page box of 1e30 points)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import pdfgen
from actionplan.errors import BudgetExceeded
from actionplan.extract.scheduler import PageBudget, read_pages
from clirun import assert_one_line_error, run
from conftest import SAMPLES

SAMPLE = SAMPLES / "fixtures" / "horizontal-rules-only" / "horizontal-rules-only.pdf"


def budget_config(tmp_path: Path, **limits) -> Path:
    config = tmp_path / "budget.toml"
    config.write_text("[limits]\n" + "".join(f"{k} = {v}\n" for k, v in limits.items()))
    return config


def test_forms_drawing_each_other_are_stopped_by_the_time_budget(tmp_path, capsys):
    pdf = tmp_path / "forms.pdf"
    pdf.write_bytes(pdfgen.recursive_forms(depth=40))  # 2^40 rectangles in 4 KB
    assert pdf.stat().st_size < 10_000
    config = budget_config(tmp_path, page_cpu_seconds=1)
    code, _, err = run(capsys, "extract", pdf, "--config", config, "--out", tmp_path / "out")
    # The CPU limit (1 s) or, on a busy machine, the wall clock (4 s) stops page 1.
    assert_one_line_error(code, err, "page 1 needs more than", "[limits] page_cpu_seconds")
    assert re.search(r"more than (1 s of CPU time|4 s \(wall clock)", err)
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the memory budget is enforced on Linux only")
def test_a_page_of_countless_rectangles_is_stopped_by_the_memory_budget(tmp_path, capsys):
    pdf = tmp_path / "many.pdf"
    pdf.write_bytes(pdfgen.many_rectangles(300_000))
    assert pdf.stat().st_size < 100_000
    config = budget_config(tmp_path, page_cpu_seconds=600, page_memory_mb=32)
    code, _, err = run(capsys, "extract", pdf, "--config", config, "--out", tmp_path / "out")
    assert_one_line_error(code, err, "page 1 needs more than 32 MB of memory", "[limits] page_memory_mb")


class Recorder:
    def __init__(self):
        self.events = []

    def stage(self, name, total, unit="step"):
        self.events.append(("stage", name, total))

    def advance(self, done=1):
        self.events.append(("advance", done))

    def close(self):
        pass


def test_pages_stream_back_one_by_one_and_the_bad_page_is_named(tmp_path):
    pdf = tmp_path / "last-page-hostile.pdf"
    pdf.write_bytes(pdfgen.recursive_forms(depth=40, pages=6, hostile_pages={6}))
    progress = Recorder()
    with pytest.raises(BudgetExceeded, match="page 6 needs more than"):
        read_pages(pdf, None, workers=1, progress=progress, budget=PageBudget(cpu_seconds=1))
    # Five pages were reported as each was read, before page 6 ran out of budget.
    assert progress.events == [("stage", "reading pages", 6)] + [("advance", 1)] * 5


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            fields = stat.rsplit(")", 1)[1].split()
            if int(fields[1]) == pid:
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        return (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_page_workers_die_with_the_main_process(tmp_path):
    pdf = tmp_path / "forms.pdf"
    pdf.write_bytes(pdfgen.recursive_forms(depth=40))  # keeps a worker busy for minutes
    main = subprocess.Popen([sys.executable, "-m", "actionplan", "extract", str(pdf), "--out", str(tmp_path / "o")],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    workers = []
    try:
        deadline = time.monotonic() + 60
        while not workers and time.monotonic() < deadline:
            workers = _children(main.pid)
            time.sleep(0.1)
        assert workers, "no page worker started"
        os.kill(main.pid, signal.SIGKILL)
        main.wait()
        deadline = time.monotonic() + 20
        while any(_alive(w) for w in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(w) for w in workers)
    finally:
        for worker in workers:
            if _alive(worker):
                os.kill(worker, signal.SIGKILL)


# ------------------------------------------------------------------------------ degenerate metrics

NO_SIZE = "no measurable size"


@pytest.mark.parametrize("name,content", [
    ("zero font size", pdfgen.text_lines(pdfgen.plan_like_lines(), size=0)),
    ("zero-height text matrix", pdfgen.text_lines(pdfgen.plan_like_lines(), matrix="1 0 0 0")),
])
def test_text_without_a_size_is_refused_in_one_line(tmp_path, capsys, name, content):
    pdf = tmp_path / "degenerate.pdf"
    pdf.write_bytes(pdfgen.pages_pdf([content]))
    code, _, err = run(capsys, "extract", pdf, "--out", tmp_path / "out")
    assert_one_line_error(code, err, NO_SIZE)


@pytest.mark.parametrize("box", [
    b"0 0 %s %s" % (pdfgen.big_number(30), pdfgen.big_number(30)),
    b"-%s -%s %s %s" % ((pdfgen.big_number(30),) * 4),
])
def test_a_page_box_of_1e30_points(tmp_path, capsys, box):
    pdf = tmp_path / "huge.pdf"
    pdf.write_bytes(pdfgen.pages_pdf([pdfgen.text_lines(pdfgen.plan_like_lines())], media_box=box))
    code, _, err = run(capsys, "extract", pdf, "--out", tmp_path / "out")
    assert_one_line_error(code, err, NO_SIZE)
    # The real plan with such a box: positions lose all precision; a one-line refusal too.
    sample = tmp_path / "sample-huge.pdf"
    sample.write_bytes(re.sub(rb"/MediaBox\s*\[[^\]]*\]", b"/MediaBox[" + box + b"]", SAMPLE.read_bytes()))
    code, _, err = run(capsys, "extract", sample, "--out", tmp_path / "out")
    assert_one_line_error(code, err, NO_SIZE)


def test_a_huge_page_is_not_rendered_for_colour_sampling(tmp_path):
    from actionplan.extract.colour import _render

    side = pdfgen.big_number(7)  # 10 million points: a bitmap of 10^13 pixels at 40 dpi
    pdf = tmp_path / "huge.pdf"
    pdf.write_bytes(pdfgen.pages_pdf([pdfgen.text_lines(["x"])], media_box=b"0 0 %s %s" % (side, side)))
    assert _render(str(pdf), None, 1) is None
    normal = tmp_path / "normal.pdf"
    normal.write_bytes(pdfgen.pages_pdf([pdfgen.text_lines(["x"])]))
    assert _render(str(normal), None, 1).size == (340, 440)  # 612 x 792 points at 40 dpi
