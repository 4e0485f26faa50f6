"""Page readers, by name. Each implements ``readers.base.PageReader``; ``extract/layout.py``
turns what any of them reads into the same ``PageLayout``."""

from __future__ import annotations

from pathlib import Path

from actionplan.errors import InputError
from actionplan.extract.readers.base import PageReader

READERS = ("pdfplumber",)
DEFAULT_READER = "pdfplumber"


def open_reader(name: str, path: Path, password: str | None) -> PageReader:
    if name == "pdfplumber":
        from actionplan.extract.readers.plumber import PdfplumberReader

        return PdfplumberReader(path, password)
    raise InputError(f"unknown page reader {name!r}; choose one of {', '.join(READERS)}")
