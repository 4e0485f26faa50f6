"""The ``actionplan`` command's process: ``cli.main``, then an end without Python's teardown.

When the command's work is done, Python would still collect every cycle once more and
free each object and module one by one: about 0.05 s CPU of an 18-page run (a twentieth
of it), for memory that the system takes back whole when the process ends. So the process
ends (``os._exit``) as soon as every exit handler has run and the standard streams are
flushed. Nothing is left half-written: every file the command writes is closed by the
writer that opened it before ``main`` returns, and the page readers have been joined.

This module imports nothing of the project's before it registers the end: ``atexit`` runs
its handlers last-registered first, so every library's handler (logging's flush,
multiprocessing's joins, temporary folders' removal) runs before it. Only handlers that the
interpreter's start-up registered (site-packages' ``.pth`` files) come earlier, and are
skipped. ``main`` called in-process (the tests, a notebook) ends nothing.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys

# Python's own exit code for an exception that escapes: kept unless main returns one.
UNCAUGHT = 1


def run() -> None:
    """The console command (``actionplan``, ``python -m actionplan``)."""
    exit_code = [UNCAUGHT]
    atexit.register(_end_now, exit_code)  # registered before any library's: runs after them all
    from actionplan.cli import main

    exit_code[0] = main()
    sys.exit(exit_code[0])


def _end_now(exit_code: list[int]) -> None:
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):  # a closed or broken pipe: nothing left to say
            stream.flush()
    os._exit(exit_code[0])
