"""Run one call in a child process and take back only its result.

Reading a plan holds every word of the PDF as Python objects; once the tables' records are
made, none of it is needed, but a process that has held it keeps most of that memory (the
allocator cannot hand back arenas that a few survivors still pin), and writing the tables
then imports pyarrow on top. So a run reads and normalises its PDF in a child process and
writes in this one: the run's peak is the larger of the two halves, not their sum, and the
reading half's memory goes back to the system whole when the child exits.

``run_apart`` forks (where the system forks; elsewhere it calls in this process). The
child's progress calls are relayed to this process's ``Progress``; its exception, if any,
is raised here; it dies with this process (and its page workers with it).
"""

from __future__ import annotations

import contextlib
import multiprocessing
import signal
import sys
import traceback
from collections.abc import Callable
from typing import TypeVar

from actionplan.progress import NoProgress, Progress

Result = TypeVar("Result")


def can_fork() -> bool:
    # macOS and Windows do not fork safely (and spawning would re-import everything).
    return "fork" in multiprocessing.get_all_start_methods() and sys.platform.startswith("linux")


def run_apart(call: Callable[..., Result], *args, progress: Progress | None = None, **kwargs) -> Result:
    """``call(*args, progress=..., **kwargs)`` in a forked child: its result, or its
    exception raised here."""
    progress = progress or NoProgress()
    if not can_fork():
        return call(*args, progress=progress, **kwargs)
    context = multiprocessing.get_context("fork")
    for stream in (sys.stdout, sys.stderr):  # else the child would write out this process's buffer too
        with contextlib.suppress(Exception):
            stream.flush()
    parent_end, child_end = context.Pipe(duplex=False)
    # Not a daemon: the child starts page workers of its own.
    child = context.Process(target=_child, args=(child_end, call, args, kwargs), name="actionplan reader")
    child.start()
    child_end.close()
    try:
        return _answer(parent_end, child, progress)
    finally:
        parent_end.close()
        if child.is_alive():  # an interrupt, or an error here: the child's work is void
            child.kill()
        child.join()


def _answer(conn, child, progress: Progress):
    while True:
        try:
            kind, value = conn.recv()
        except EOFError:
            child.join()
            raise RuntimeError(f"the reading process stopped (exit code {child.exitcode}) without an answer") from None
        if kind == "progress":
            name, args = value
            getattr(progress, name)(*args)
        elif kind == "result":
            return value
        else:  # "error"
            raise value


class _Relay:
    """The child's Progress: each call sent to the parent, which shows it."""

    def __init__(self, conn):
        self._conn = conn

    def stage(self, name: str, total: int, unit: str = "step") -> None:
        self._conn.send(("progress", ("stage", (name, total, unit))))

    def advance(self, done: int = 1) -> None:
        self._conn.send(("progress", ("advance", (done,))))

    def close(self) -> None:
        pass  # the parent closes its own


def _child(conn, call, args, kwargs) -> None:
    from actionplan.extract.scheduler import collect_rarely, exit_with_parent

    exit_with_parent()
    collect_rarely()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's: it stops this process
    try:
        result = call(*args, progress=_Relay(conn), **kwargs)
    except BaseException as exc:  # noqa: BLE001 -- every failure is the parent's to raise
        conn.send(("error", _picklable(exc)))
    else:
        conn.send(("result", result))
    finally:
        conn.close()


def _picklable(exc: BaseException) -> BaseException:
    """``exc`` itself when it survives pickling, else a RuntimeError carrying its traceback;
    either way with the child's traceback as a note (``--debug`` prints it)."""
    import pickle

    note = "in the reading process:\n" + "".join(traceback.format_exception(exc))
    with contextlib.suppress(Exception):
        exc.add_note(note)
        pickle.loads(pickle.dumps(exc))
        return exc
    stand_in = RuntimeError(f"{type(exc).__name__}: {exc}")
    stand_in.add_note(note)
    return stand_in
