"""Which process reads which page, with which reader, and what reading one page may cost.

The reader is chosen per page by ``--ocr`` (``choose_readers``):

- ``never``: every page from its text layer (a scan without one is refused later);
- ``auto`` (default): a page without a text layer is OCR'd, and so is a scan under someone
  else's invisible OCR layer (a page-sized image, all its text invisible): its table grid
  must come from the image, and that layer was placed by a tool that did not know the
  table (measured in benchmarks/scan_sweep.py: re-reading beats keeping it);
- ``always``: every page is OCR'd, whatever text layer it has.

Every page is read once, by a reader of ``extract/readers/`` and ``extract/layout.py``,
into a ``PageLayout``, always in a worker process that this process can stop: a hostile
PDF (forms drawing each other, millions of objects on a page) must not hang or exhaust the
machine. The first worker opens the PDF and counts its pages; more workers start when the
PDF has enough pages to pay for them; each is handed one page at a time and sends each
layout back as soon as it is read, so progress moves page by page.

The per-page budget (``PageBudget``, defaults below, ``[limits]`` in a --config):

- CPU seconds: the kernel stops a worker that spends more on one page (RLIMIT_CPU, where
  the system has it);
- memory: the worker cannot grow by more than this while reading one page (RLIMIT_AS,
  on Linux);
- wall-clock: everywhere, this process kills a worker whose page takes more than four
  times the CPU budget (Windows and macOS have only this).

Opening the PDF and counting its pages is held to the same budget. A page over budget
stops the run with one line naming the page and the limit (``BudgetExceeded``, exit 2):
skipping it would lose its rows silently. Workers never outlive this process: each dies
with its parent (PR_SET_PDEATHSIG on Linux, a watcher thread everywhere).
"""

from __future__ import annotations

import contextlib
import gc
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from multiprocessing.connection import wait
from pathlib import Path

from actionplan.errors import BudgetExceeded, InputError
from actionplan.extract.layout import build_layout
from actionplan.extract.pages import PageLayout, PageSelection, quiet_libraries
from actionplan.extract.readers import DEFAULT_READER, OCR_READER, open_reader, preload
from actionplan.extract.readers.base import PageUnreadable
from actionplan.extract.readers.probe import PAGE_SIZED, PageMakeup, PageProber, image_cover
from actionplan.progress import NoProgress, Progress

try:
    import resource
except ImportError:  # Windows: only the wall-clock watchdog
    resource = None

OCR_MODES = ("auto", "always", "never")
DEFAULT_OCR = "auto"
# An OCR'd page costs about as much as this many text-layer pages.
OCR_PAGE_WEIGHT = 30


@dataclass(frozen=True)
class PageJob:
    """One page to read, with the reader chosen for it."""

    number: int
    reader: str
    reason: str = ""  # why this reader (recorded for OCR'd pages)


# Under --ocr auto the reader is chosen in the worker, from the page itself.
AUTO_READER = "auto"


def choose_readers(count: int, reader: str, ocr: str, numbers: list[int] | None = None) -> list[PageJob]:
    """A job for each of ``numbers`` (default: every page of ``count``); under ``auto`` the
    worker looks at each page before choosing (``reader_for``)."""
    if ocr not in OCR_MODES:
        raise InputError(f"unknown --ocr mode {ocr!r}; choose one of {', '.join(OCR_MODES)}")
    numbers = numbers if numbers is not None else list(range(1, count + 1))
    if ocr == "never":
        return [PageJob(n, reader) for n in numbers]
    if ocr == "always":
        return [PageJob(n, OCR_READER, "--ocr always") for n in numbers]
    return [PageJob(n, AUTO_READER) for n in numbers]


def reader_for(page: PageMakeup, reader: str) -> PageJob:
    """The reader ``--ocr auto`` gives a page of this makeup (``reader`` for text)."""
    if not page.has_text and page.is_scan:
        return PageJob(page.number, OCR_READER, "no text layer")
    if page.text_is_ocr_layer:
        return PageJob(page.number, OCR_READER, "scan under an invisible OCR layer")
    return PageJob(page.number, reader)


# Below this many pages a second worker process costs more than it saves.
PAGES_PER_EXTRA_WORKER = 6
# The wall-clock watchdog allows this many times the CPU budget: room for a busy machine.
WALL_PER_CPU_SECOND = 4
# How long a finished worker may take to exit before it is killed.
EXIT_GRACE_SECONDS = 2.0


@dataclass(frozen=True)
class PageBudget:
    """What reading one page (or opening the PDF) may cost."""

    cpu_seconds: int = 30
    memory_mb: int = 1024

    @property
    def wall_seconds(self) -> float:
        return WALL_PER_CPU_SECOND * self.cpu_seconds


def read_pages(path: Path, password: str | None, reader: str = DEFAULT_READER,
               workers: int | None = None, progress: Progress | None = None,
               budget: PageBudget | None = None, pages: PageSelection | None = None,
               ocr: str = "never") -> list[PageLayout]:
    """The layout of every page (or of the ``pages`` selected), in page order. A page the
    reader cannot read is an empty layout saying why (the run's checks report it); when no
    page at all can be read, the file is a damaged PDF. A page over ``budget`` is a
    ``BudgetExceeded``."""
    progress = progress or NoProgress()
    if _start_method() == "fork":
        preload(reader)
    with _PagePool(reader, Path(path), password, budget or PageBudget()) as pool:
        total = pool.open()
        if total == 0:
            raise InputError(f"{path}: the PDF has no pages")
        numbers = (pages or PageSelection.all()).numbers(total, path)
        jobs = choose_readers(total, reader, ocr, numbers)
        pool.grow(_worker_count(jobs, workers))
        progress.stage("reading pages", len(numbers), unit="page")
        layouts: dict[int, PageLayout] = {}
        grown = False
        for layout in pool.read(jobs):
            if layout.ocr is not None and not grown:
                # --ocr auto found a scan: the rest is likely scanned too, and worth more workers
                pool.grow(_worker_count([PageJob(n, OCR_READER) for n in numbers], workers))
                grown = True
            layouts[layout.number] = layout
            progress.advance()
    return _all_unreadable_is_damage(path, [layouts[n] for n in sorted(layouts)])


def _all_unreadable_is_damage(path: Path, layouts: list[PageLayout]) -> list[PageLayout]:
    errors = [p.error for p in layouts if p.error]
    if errors and len(errors) == len(layouts):
        raise InputError(f"{path}: damaged PDF, no page could be read ({errors[0]})")
    return layouts


def count_pages(path: Path, password: str | None, reader: str = DEFAULT_READER) -> int:
    document = open_reader(reader, path, password)
    try:
        return document.page_count()
    finally:
        document.close()


def _weight(job: PageJob) -> int:
    return OCR_PAGE_WEIGHT if job.reader == OCR_READER else 1


# Set in a process that is one of several reading files at once (actionplan/batch.py):
# its pages get at most this many workers.
_WORKER_LIMIT: int | None = None


def limit_workers(count: int) -> None:
    global _WORKER_LIMIT
    _WORKER_LIMIT = count


def _worker_count(jobs: list[PageJob], requested: int | None) -> int:
    requested = requested or _WORKER_LIMIT
    if requested:
        return max(1, min(requested, len(jobs)))
    work = sum(_weight(j) for j in jobs)
    return max(1, min(cores(), len(jobs), work // PAGES_PER_EXTRA_WORKER))


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


# ------------------------------------------------------------------------------ this process


@dataclass
class _Worker:
    """A page-reading process, what it is doing and since when."""

    process: multiprocessing.Process
    conn: object  # the parent's end of a duplex multiprocessing Pipe
    task: str = "opening the PDF"
    started: float = 0.0
    busy: bool = True


class _PagePool:
    """Worker processes reading pages of one PDF, watched against the budget."""

    def __init__(self, reader: str, path: Path, password: str | None, budget: PageBudget):
        self._args = (reader, str(path), password, budget)
        self._path = path
        self._budget = budget
        self._context = multiprocessing.get_context(_start_method())
        self._workers: list[_Worker] = []

    def __enter__(self) -> _PagePool:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        self._stop(grace=EXIT_GRACE_SECONDS if exc_type is None else 0.0)

    def open(self) -> int:
        """Start the first worker; it opens the PDF and answers with its page count."""
        worker = self._start()
        for kind, value in self._messages():
            if kind == "count":
                worker.busy = False
                return value
        raise AssertionError("unreachable: _messages raises when a worker stops")

    def grow(self, total: int) -> None:
        while len(self._workers) < total:
            self._start()

    def read(self, jobs) -> Iterator[PageLayout]:
        pending = deque(jobs)
        remaining = len(pending)
        self._hand_out(pending)
        for kind, value in self._messages():
            if kind == "page":
                remaining -= 1
                yield value
            if remaining == 0:
                return
            self._hand_out(pending)

    def _start(self) -> _Worker:
        parent_end, child_end = self._context.Pipe(duplex=True)
        process = self._context.Process(target=_serve, args=(*self._args, child_end),
                                        name="actionplan page reader", daemon=True)
        process.start()
        child_end.close()
        worker = _Worker(process, parent_end, started=time.monotonic())
        self._workers.append(worker)
        return worker

    def _hand_out(self, pending: deque) -> None:
        for worker in self._workers:
            if not worker.busy and pending:
                job = pending.popleft()
                worker.conn.send(job)
                worker.task, worker.started, worker.busy = f"page {job.number}", time.monotonic(), True

    def _messages(self) -> Iterator[tuple[str, object]]:
        """("count", n) and ("page", layout) as workers send them; a worker's error, death
        or overrun raises here."""
        while True:
            busy = [w for w in self._workers if w.busy]
            deadline = min(w.started for w in busy) + self._budget.wall_seconds
            ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy],
                         timeout=max(0.0, deadline - time.monotonic()))
            for worker in busy:
                if worker.conn in ready:
                    yield self._receive(worker)
                elif worker.process.sentinel in ready:
                    raise self._died(worker)
            self._watch_the_clock()

    def _receive(self, worker: _Worker) -> tuple[str, object]:
        try:
            kind, value = worker.conn.recv()
        except (EOFError, OSError):
            raise self._died(worker) from None
        if kind in ("count", "page"):
            worker.busy = False
            return kind, value
        if kind == "input":
            raise InputError(value)
        if kind == "memory":
            raise self._over(worker, f"more than {self._budget.memory_mb} MB of memory", "page_memory_mb")
        raise RuntimeError(f"the page reader failed on {worker.task}: {value}")

    def _watch_the_clock(self) -> None:
        now = time.monotonic()
        for worker in self._workers:
            if worker.busy and now - worker.started > self._budget.wall_seconds:
                worker.process.kill()
                raise self._over(worker, f"more than {self._budget.wall_seconds:g} s (wall clock, "
                                         f"{WALL_PER_CPU_SECOND} times the CPU budget)", "page_cpu_seconds")

    def _died(self, worker: _Worker) -> InputError:
        worker.process.join(EXIT_GRACE_SECONDS)  # its sentinel fires a moment before it can be reaped
        code = worker.process.exitcode
        if resource is not None and code == -signal.SIGXCPU:
            return self._over(worker, f"more than {self._budget.cpu_seconds} s of CPU time", "page_cpu_seconds")
        if code == -signal.SIGABRT and _memory_is_limited():
            # PDFium does not report memory it is refused (RLIMIT_AS): it aborts the process.
            return self._over(worker, f"more than {self._budget.memory_mb} MB of memory", "page_memory_mb")
        how = f"signal {signal.Signals(-code).name}" if code and code < 0 else f"exit code {code}"
        return InputError(f"{self._path}: the page reader stopped ({how}) on {worker.task}: a damaged PDF, "
                          f"or more than the {self._budget.memory_mb} MB memory budget for one page")

    def _over(self, worker: _Worker, limit: str, key: str) -> BudgetExceeded:
        return BudgetExceeded(
            f"{self._path}: {worker.task} needs {limit} (the budget for one page; a hostile or "
            f"degenerate PDF?); to allow more, set [limits] {key} in a --config file")

    def _stop(self, grace: float) -> None:
        """Ask every worker to finish, then kill whatever has not exited within ``grace``."""
        for worker in self._workers:
            with contextlib.suppress(OSError):
                worker.conn.send(None)
        deadline = time.monotonic() + grace
        for worker in self._workers:
            worker.process.join(max(0.0, deadline - time.monotonic()))
            if worker.process.is_alive():
                worker.process.kill()
                worker.process.join()
            worker.conn.close()
        self._workers.clear()


def _start_method() -> str:
    # fork inherits this process's imports (cheap); macOS and Windows must spawn.
    methods = multiprocessing.get_all_start_methods()
    return "fork" if "fork" in methods and sys.platform != "darwin" else "spawn"


# ------------------------------------------------------------------------------ a worker


def _serve(reader: str, path: str, password: str | None, budget: PageBudget, conn) -> None:
    """A worker: open the PDF, send its page count, then read each page it is sent and
    send its layout back, until it is sent None."""
    _exit_with_parent()
    collect_rarely()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    quiet_libraries()  # nothing of a library's chatter reaches the user
    limits = _Limits(budget)
    documents = {}
    reasons: dict[int, str] = {}  # why each page is OCR'd, for the OCR reader's records
    try:
        with limits.for_one_page():
            documents[reader] = open_reader(reader, Path(path), password)
            count = documents[reader].page_count()
        conn.send(("count", count))
        while (job := conn.recv()) is not None:
            with limits.for_one_page():
                layout = None
                if job.reader == AUTO_READER:
                    job, layout = _auto(job.number, reader, documents, Path(path), password, limits)
                reasons[job.number] = job.reason
                if layout is None:
                    document = _document(job.reader, documents, Path(path), password, reasons, limits)
                    layout = _read_one(document, job.number)
            conn.send(("page", layout))
    except (EOFError, BrokenPipeError):
        return  # the parent is gone or done
    except Exception as exc:
        if _out_of_memory(exc):
            conn.send(("memory", None))
        elif isinstance(exc, InputError):
            conn.send(("input", str(exc)))
        else:  # a bug in a reader: the parent reports it as an internal error
            conn.send(("bug", traceback.format_exc(limit=-3)))


def _document(reader: str, documents: dict, path: Path, password: str | None, reasons: dict[int, str],
              limits: "_Limits | None" = None):
    if reader not in documents:  # a reader is opened once for all its pages
        documents[reader] = open_reader(reader, path, password, reasons)
        # The OCR reader's libraries (OpenCV, tesseract: several hundred MB of address space)
        # load once for all pages: the page budget is then counted from after them.
        load = getattr(documents[reader], "load_engine", None)
        if load is not None:
            load()
            if limits is not None:
                limits.recount_memory()
    return documents[reader]


def _auto(number: int, reader: str, documents: dict, path: Path, password: str | None,
          limits: "_Limits | None" = None):
    """--ocr auto: the page's text layer is read first; only a page that is one image is
    looked at closer (pdfium's page objects: is there text, is it all invisible) to decide
    whether to OCR it. Text pages are read once, and a hostile page meets the text
    reader's budget before anything else touches it."""
    layout = _read_one(_document(reader, documents, path, password, {}, limits), number)
    if not _page_sized_image(layout):
        return PageJob(number, reader), layout
    if "probe" not in documents:
        documents["probe"] = PageProber(path, password)
    job = reader_for(documents["probe"].makeup(number), reader)
    return job, (layout if job.reader == reader else None)


# Images are read off the text layer a little differently from pdfium's object bounds:
# any image near the page's size is looked at closer.
SCAN_GATE = 0.9 * PAGE_SIZED


def _page_sized_image(layout: PageLayout) -> bool:
    return any(image_cover((b.x0, b.top, b.x1, b.bottom), layout.width, layout.height) >= SCAN_GATE
               for b in layout.images)


def _read_one(document, number: int) -> PageLayout:
    try:
        return build_layout(document.read(number))
    except PageUnreadable as exc:
        if _out_of_memory(exc):
            raise
        return PageLayout(number, 0.0, 0.0, (), (), (), error=str(exc))


def _out_of_memory(exc: BaseException) -> bool:
    """Was memory refused (RLIMIT_AS) somewhere down this exception's chain? A library may
    wrap the MemoryError (pdfplumber's PdfminerException, then our damaged-PDF error), and C
    code that is refused memory can report a SystemError instead."""
    seen = set()
    pending = [exc]
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if isinstance(current, (MemoryError, SystemError)):
            return True
        pending += [e for e in (current.__cause__, current.__context__, *current.args)
                    if isinstance(e, BaseException)]
    return False


def _memory_is_limited() -> bool:
    """Whether workers read their pages under the memory budget (RLIMIT_AS, on Linux)."""
    return resource is not None and hasattr(resource, "RLIMIT_AS") and _address_space() is not None


class _Limits:
    """RLIMIT_CPU and RLIMIT_AS set afresh for each page, where the system has them."""

    def __init__(self, budget: PageBudget):
        self._budget = budget
        self._saved: dict[int, tuple[int, int]] = {}
        if resource is not None:
            resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # SIGXCPU would dump core
            for limit in (resource.RLIMIT_CPU, getattr(resource, "RLIMIT_AS", None)):
                if limit is not None:
                    self._saved[limit] = resource.getrlimit(limit)

    @contextlib.contextmanager
    def for_one_page(self) -> Iterator[None]:
        if resource is None:
            yield
            return
        cpu = resource.getrusage(resource.RUSAGE_SELF)
        used = int(cpu.ru_utime + cpu.ru_stime) + 1
        self._lower(resource.RLIMIT_CPU, used + self._budget.cpu_seconds)
        size = _address_space()
        if size is not None and resource.RLIMIT_AS in self._saved:
            self._lower(resource.RLIMIT_AS, size + self._budget.memory_mb * 2**20)
        try:
            yield
        finally:
            for limit, (soft, hard) in self._saved.items():
                resource.setrlimit(limit, (soft, hard))

    def recount_memory(self) -> None:
        """Inside a page: the memory budget counted afresh from the process's size now."""
        size = _address_space()
        if resource is not None and size is not None and resource.RLIMIT_AS in self._saved:
            self._lower(resource.RLIMIT_AS, size + self._budget.memory_mb * 2**20)

    def _lower(self, limit: int, soft: int) -> None:
        _, hard = self._saved[limit]
        if hard != resource.RLIM_INFINITY:
            soft = min(soft, hard)
        resource.setrlimit(limit, (soft, hard))


def _address_space() -> int | None:
    """This process's virtual size in bytes (Linux); None where it cannot be read."""
    try:
        with open("/proc/self/statm", "rb") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return None


def exit_with_parent() -> None:
    """This process dies when the one that started it does (any kill, -9 included)."""
    _exit_with_parent()


# Objects allocated between two runs of Python's cycle collector (its default is 700).
COLLECT_EVERY = 50_000


def collect_rarely() -> None:
    """For a process that reads pages: its hundreds of thousands of glyphs, words and lines
    are freed by reference counting alone (no cycles among them), and at the default the
    collector walked them over and over for nothing -- about a tenth of a run's CPU at 110
    pages. Cycles are still collected, only less often."""
    gc.set_threshold(COLLECT_EVERY, *gc.get_threshold()[1:])


def _exit_with_parent() -> None:
    if sys.platform.startswith("linux"):
        _linux_parent_death_signal()
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_exit_when_gone, args=(parent.sentinel,), daemon=True,
                         name="exit with parent").start()


def _exit_when_gone(sentinel) -> None:
    wait([sentinel])
    os._exit(1)


def _linux_parent_death_signal() -> None:
    import ctypes

    pr_set_pdeathsig = 1
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, int(signal.SIGKILL), 0, 0, 0)
