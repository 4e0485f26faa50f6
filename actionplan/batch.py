"""Several PDFs in one run: one process per file, as many at once as there are cores.

A plan's pages are read by worker processes (``extract/scheduler.py``); with one file, two
of them share the two cores. With many files, it pays more to give each file a process of
its own that reads its pages with one worker: no file waits for the next one's workers to
start, and the cores stay busy through each file's single-threaded steps (layout,
normalise, writing) too. Each file's output, summary line and errors are its own; the
results come back in the order the files were given.
"""

from __future__ import annotations

import multiprocessing
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

from actionplan.extract import scheduler

Job = TypeVar("Job")
Result = TypeVar("Result")


def run_each(jobs: Sequence[Job], run: Callable[[Job], Result], processes: int | None = None) -> list[Result]:
    """``run(job)`` for every job, in job order. ``run`` must be picklable (a module-level
    function or a functools.partial of one) when more than one process is used."""
    processes = min(processes or scheduler.cores(), len(jobs))
    if processes <= 1:
        return [run(job) for job in jobs]
    context = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
    with ProcessPoolExecutor(max_workers=processes, mp_context=context, initializer=_one_file_process) as pool:
        return list(pool.map(run, jobs))


def _one_file_process() -> None:
    """A file process: it dies with the run, and reads its file's pages with one worker
    (the other cores are the other files')."""
    scheduler.exit_with_parent()
    scheduler.limit_workers(1)
