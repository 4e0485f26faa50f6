"""Several PDFs in one run (actionplan/batch.py): one process per file across the cores,
results and summary lines in the order the files were given, each file's failure its own."""

from __future__ import annotations

import os

import pyarrow.parquet as pq

from actionplan.batch import run_each
from actionplan.config import load_config
from actionplan.pipeline import run_extract
from clirun import run
from conftest import SAMPLES

FIXTURES = ["horizontal-rules-only", "no-rules-at-all", "row-breaks-across-page"]
PDFS = [SAMPLES / "fixtures" / name / f"{name}.pdf" for name in FIXTURES]
NOT_A_PLAN = SAMPLES.parent / "tests" / "data" / "realworld" / "camelot--budget.pdf"


def _pid_of(job: int) -> tuple[int, int]:
    return job, os.getpid()


def test_jobs_run_in_other_processes_and_come_back_in_order():
    results = run_each(list(range(6)), _pid_of, processes=2)
    assert [job for job, _ in results] == list(range(6))
    assert os.getpid() not in {pid for _, pid in results}
    assert run_each([1, 2], _pid_of, processes=1) == [(1, os.getpid()), (2, os.getpid())]


def test_a_batch_writes_what_one_file_at_a_time_writes(tmp_path, capsys):
    code, out, err = run(capsys, "extract", *PDFS, NOT_A_PLAN, "--out", tmp_path / "batch")
    assert code == 2  # the worst of the files': one is not an action plan
    lines = out.strip().splitlines()
    assert [line.split(":")[0] for line in lines] == [str(tmp_path / "batch" / name) for name in FIXTURES]
    assert err.count("\n") == 1 and "camelot--budget.pdf" in err and "no action plan found" in err
    assert not (tmp_path / "batch" / NOT_A_PLAN.stem).exists()
    config = load_config(None)
    for name, pdf in zip(FIXTURES, PDFS):
        alone = tmp_path / "alone" / name
        run_extract(pdf, alone, revision=name, config=config)
        for table in ("characteristics", "actions", "repairs", "issues", "dropped"):
            assert pq.read_table(tmp_path / "batch" / name / f"{table}.parquet").equals(
                pq.read_table(alone / f"{table}.parquet")), (name, table)
