"""Which process reads which page, and with which reader: every page is read once, by a
reader of ``extract/readers/`` and ``extract/layout.py``, into a ``PageLayout``.

The reader is chosen per page by ``--ocr`` (``choose_readers``):

- ``never``: every page from its text layer (a scan without one is refused later);
- ``auto`` (default): a page without a text layer is OCR'd, and so is a scan under someone
  else's invisible OCR layer (a page-sized image, all its text invisible): its table grid
  must come from the image, and that layer was placed by a tool that did not know the
  table (measured in benchmarks/scan_sweep.py: re-reading beats keeping it);
- ``always``: every page is OCR'd, whatever text layer it has.

Pages are read in worker processes when there are enough of them to pay for a second
process; everything downstream works on the returned ``PageLayout`` records only.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from actionplan.errors import InputError
from actionplan.extract.layout import build_layout
from actionplan.extract.pages import PageLayout, PageSelection, quiet_libraries
from actionplan.extract.readers import DEFAULT_READER, OCR_READER, open_reader
from actionplan.extract.readers.base import PageUnreadable

OCR_MODES = ("auto", "always", "never")
DEFAULT_OCR = "auto"
# Below this many pages a worker process costs more than it saves.
PAGES_PER_EXTRA_WORKER = 6
# An OCR'd page costs about as much as this many text-layer pages.
OCR_PAGE_WEIGHT = 30


@dataclass(frozen=True)
class PageJob:
    number: int
    reader: str
    reason: str = ""  # why this reader (recorded for OCR'd pages)


def choose_readers(path: Path, password: str | None, count: int, reader: str, ocr: str,
                   numbers: list[int] | None = None) -> list[PageJob]:
    """A reader for each of ``numbers`` (default: every page of ``count``)."""
    if ocr not in OCR_MODES:
        raise InputError(f"unknown --ocr mode {ocr!r}; choose one of {', '.join(OCR_MODES)}")
    numbers = numbers if numbers is not None else list(range(1, count + 1))
    if ocr == "never":
        return [PageJob(n, reader) for n in numbers]
    if ocr == "always":
        return [PageJob(n, OCR_READER, "--ocr always") for n in numbers]
    from actionplan.extract.readers.probe import page_makeup

    # A damaged file may list a different number of pages to pdfium: the text-layer
    # reader's count rules, and a page pdfium does not list is left to that reader.
    makeup = {page.number: page for page in page_makeup(path, password)}
    jobs = []
    for number in numbers:
        page = makeup.get(number)
        if page is None:
            jobs.append(PageJob(number, reader))
        elif not page.has_text and page.is_scan:
            jobs.append(PageJob(page.number, OCR_READER, "no text layer"))
        elif page.text_is_ocr_layer:
            jobs.append(PageJob(page.number, OCR_READER, "scan under an invisible OCR layer"))
        else:
            jobs.append(PageJob(page.number, reader))
    return jobs


def read_pages(path: Path, password: str | None, reader: str = DEFAULT_READER,
               workers: int | None = None, on_page=None, pages: PageSelection | None = None,
               ocr: str = "never") -> list[PageLayout]:
    """The layout of every page (or of the ``pages`` selected), in page order.
    ``on_page(done, total)`` follows the reading. A page the reader cannot read is an empty
    layout saying why (the run's checks report it); when no page at all can be read, the
    file is a damaged PDF."""
    document = open_reader(reader, path, password)
    try:
        total = document.page_count()
        if total == 0:
            raise InputError(f"{path}: the PDF has no pages")
        numbers = (pages or PageSelection.all()).numbers(total, path)
        count = len(numbers)
        jobs = choose_readers(path, password, total, reader, ocr, numbers)
        workers = _worker_count(jobs, workers)
        if workers == 1:
            layouts = []
            for layout in _read_jobs(str(path), password, jobs, {reader: document}):
                layouts.append(layout)
                if on_page:
                    on_page(len(layouts), count)
            return _all_unreadable_is_damage(path, layouts)
    finally:
        document.close()
    chunks = _chunks(jobs, workers)
    layouts_by_number: dict[int, PageLayout] = {}
    # This process reads the first chunk itself while the others read theirs.
    with ProcessPoolExecutor(max_workers=workers - 1) as pool:
        futures = [pool.submit(_read_chunk_quietly, str(path), password, chunk) for chunk in chunks[1:]]
        for layout in _read_jobs(str(path), password, chunks[0]):
            layouts_by_number[layout.number] = layout
            if on_page:
                on_page(len(layouts_by_number), count)
        for future in futures:
            for layout in future.result():
                layouts_by_number[layout.number] = layout
                if on_page:
                    on_page(len(layouts_by_number), count)
    return _all_unreadable_is_damage(path, [layouts_by_number[n] for n in sorted(layouts_by_number)])


def _read_one(document, number: int) -> PageLayout:
    try:
        return build_layout(document.read(number))
    except PageUnreadable as exc:
        return PageLayout(number, 0.0, 0.0, (), (), (), error=str(exc))


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


def _worker_count(jobs: list[PageJob], requested: int | None) -> int:
    if requested:
        return max(1, min(requested, len(jobs)))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    work = sum(_weight(j) for j in jobs)
    return max(1, min(cores, len(jobs), work // PAGES_PER_EXTRA_WORKER))


def _chunks(jobs: list[PageJob], workers: int) -> list[list[PageJob]]:
    """Pages dealt out so each worker gets about the same work (OCR'd pages weigh more)."""
    chunks: list[list[PageJob]] = [[] for _ in range(workers)]
    loads = [0] * workers
    for job in jobs:
        lightest = loads.index(min(loads))
        chunks[lightest].append(job)
        loads[lightest] += _weight(job)
    return chunks


def _read_chunk_quietly(path: str, password: str | None, jobs: list[PageJob]) -> list[PageLayout]:
    quiet_libraries()  # a worker process: nothing of its library chatter reaches the user
    return list(_read_jobs(path, password, jobs))


def _read_jobs(path: str, password: str | None, jobs: list[PageJob], opened: dict | None = None):
    """Each job's page, read by its reader; a reader is opened once for all its pages."""
    documents = {}
    reasons = {j.number: j.reason for j in jobs if j.reader == OCR_READER}
    try:
        for job in jobs:
            if job.reader not in documents:
                documents[job.reader] = (opened or {}).get(job.reader) or open_reader(
                    job.reader, Path(path), password, reasons)
            yield _read_one(documents[job.reader], job.number)
    finally:
        for name, document in documents.items():
            if document is not (opened or {}).get(name):
                document.close()
