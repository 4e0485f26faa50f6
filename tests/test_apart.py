"""actionplan/apart.py: a run reads its PDF in a child process and takes back only the plan."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from actionplan.apart import can_fork, run_apart
from actionplan.errors import NotAnActionPlan

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "fixtures" / "row-breaks-across-page" / "row-breaks-across-page.pdf"

pytestmark = pytest.mark.skipif(not can_fork(), reason="the reading half runs apart only where the system forks")


class Recorder:
    def __init__(self):
        self.calls = []

    def stage(self, name, total, unit="step"):
        self.calls.append(("stage", name, total, unit))

    def advance(self, done=1):
        self.calls.append(("advance", done))

    def close(self):
        self.calls.append(("close",))


def _pid_and_sum(a, b, progress):
    progress.stage("adding", 2, unit="number")
    progress.advance()
    progress.advance(1)
    return os.getpid(), a + b


def _refuses(progress):
    raise NotAnActionPlan("no action plan found in this PDF")


def _raises_unpicklable(progress):
    error = ValueError("a lock in the way")
    error.lock = threading.Lock()  # cannot be pickled
    raise error


def test_the_call_runs_in_another_process_and_its_result_comes_back():
    pid, total = run_apart(_pid_and_sum, 2, 3, progress=Recorder())
    assert total == 5
    assert pid != os.getpid()


def test_progress_calls_reach_this_process_in_order():
    recorder = Recorder()
    run_apart(_pid_and_sum, 1, 1, progress=recorder)
    assert recorder.calls == [("stage", "adding", 2, "number"), ("advance", 1), ("advance", 1)]


def test_the_childs_error_is_raised_here_with_its_type_and_message():
    with pytest.raises(NotAnActionPlan, match="no action plan found"):
        run_apart(_refuses)


def test_an_error_that_cannot_travel_is_a_runtime_error_naming_it():
    with pytest.raises(RuntimeError, match="a lock in the way"):
        run_apart(_raises_unpicklable)


def test_an_extract_run_never_reads_the_pdf_in_its_own_process(tmp_path):
    """The page readers (pypdfium2, pdfminer) are imported only in the reading process and
    its page workers: the run's own process holds the tables, never the PDF's words."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from actionplan.config import load_config\n"
        "from actionplan.pipeline import run_extract\n"
        f"result = run_extract(Path({str(SAMPLE)!r}), Path({str(tmp_path / 'out')!r}), 'r', load_config(None))\n"
        "print(len(result.plan.characteristics), 'pypdfium2' in sys.modules, 'pdfminer' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, check=True)
    characteristics, pdfium, pdfminer = done.stdout.split()
    assert int(characteristics) > 0
    assert (pdfium, pdfminer) == ("False", "False")


def test_the_reading_process_loads_pdfium_once_for_its_page_workers(tmp_path):
    """pypdfium2 is imported by the process that starts the page workers, before they fork,
    so that each inherits it; the pdfplumber reader's library stays in its workers."""
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from actionplan.extract.scheduler import read_pages\n"
        f"pages = read_pages(Path({str(SAMPLE)!r}), None, reader=sys.argv[1], workers=2)\n"
        "print(len(pages), 'pypdfium2' in sys.modules, 'pdfplumber' in sys.modules)\n"
    )
    answers = {}
    for reader in ("pdfium", "pdfplumber"):
        done = subprocess.run([sys.executable, "-c", script, reader], capture_output=True, text=True,
                              cwd=tmp_path, check=True)
        answers[reader] = done.stdout.split()
    assert answers["pdfium"][1:] == ["True", "False"] and int(answers["pdfium"][0]) > 1
    assert answers["pdfplumber"][1:] == ["False", "False"] and answers["pdfplumber"][0] == answers["pdfium"][0]
