"""Which process reads which page: every page is read once, by a reader of
``extract/readers/`` and ``extract/layout.py``, into a ``PageLayout``.

Pages are read in worker processes when there are enough of them to pay for a second
process; everything downstream works on the returned ``PageLayout`` records only.
"""

from __future__ import annotations

import os
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from actionplan.errors import InputError
from actionplan.extract.layout import build_layout
from actionplan.extract.pages import PageLayout, PageSelection, quiet_libraries
from actionplan.extract.readers import DEFAULT_READER, open_reader
from actionplan.extract.readers.base import PageUnreadable

# Below this many pages a worker process costs more than it saves.
PAGES_PER_EXTRA_WORKER = 6


def read_pages(path: Path, password: str | None, reader: str = DEFAULT_READER,
               workers: int | None = None, on_page=None, pages: PageSelection | None = None
               ) -> list[PageLayout]:
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
        workers = _worker_count(count, workers)
        if workers == 1:
            layouts = []
            for number in numbers:
                layouts.append(_read_one(document, number))
                if on_page:
                    on_page(len(layouts), count)
            return _all_unreadable_is_damage(path, layouts)
    finally:
        document.close()
    chunks = [numbers[i::workers] for i in range(workers)]
    layouts_by_number: dict[int, PageLayout] = {}
    # This process reads the first chunk itself while the others read theirs.
    with ProcessPoolExecutor(max_workers=workers - 1) as pool:
        futures = [pool.submit(_read_chunk_quietly, reader, str(path), password, chunk)
                   for chunk in chunks[1:]]
        for layout in _read_chunk(reader, str(path), password, chunks[0]):
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


def _worker_count(pages: int, requested: int | None) -> int:
    if requested:
        return max(1, min(requested, pages))
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(cores, pages // PAGES_PER_EXTRA_WORKER))


def _read_chunk_quietly(reader: str, path: str, password: str | None, numbers: list[int]) -> list[PageLayout]:
    quiet_libraries()  # a worker process: nothing of its library chatter reaches the user
    return _read_chunk(reader, path, password, numbers)


def _read_chunk(reader: str, path: str, password: str | None, numbers: list[int]) -> list[PageLayout]:
    document = open_reader(reader, Path(path), password)
    try:
        return [_read_one(document, number) for number in numbers]
    finally:
        document.close()
