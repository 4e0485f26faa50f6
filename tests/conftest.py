"""Shared paths and a once-per-session extraction of every committed sample."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent
SAMPLES = ROOT / "samples"
# Everything the tests read is in the repository: a bare clone runs them (tests/data/*/README.md).
DATA = TESTS / "data"
REALWORLD = DATA / "realworld"
SEED = DATA / "seed" / "appendix-a-2024.converter-excerpts.txt"

sys.path.insert(0, str(TESTS))  # expected.py / compare.py helpers


def clean_samples() -> dict[str, tuple[Path, Path]]:
    """name -> (pdf, source.json) for every clean (text-layer, not OCR) rendering.
    Folders with a rendering.json are renderings the pipeline was not built with: they are
    tested by test_sweep.py (``unseen_renderings``)."""
    found = {}
    for source in sorted(SAMPLES.glob("*/source.json")) + sorted(SAMPLES.glob("fixtures/*/source.json")):
        if (source.parent / "rendering.json").exists():
            continue
        for pdf in sorted(source.parent.glob("*.pdf")):
            found[pdf.stem] = (pdf, source)
    html = SAMPLES / "appendix-a-2024-html"
    for pdf in sorted(html.glob("*.pdf")):
        found[pdf.stem] = (pdf, SAMPLES / "appendix-a-2024" / "source.json")
    return found


def known_wrong() -> dict[str, dict[str, str]]:
    """samples/sweep/known-wrong.json: per test, the renderings a person saw read wrong, and
    what was seen (tests/test_sweep.py makes them strict xfails)."""
    path = SAMPLES / "sweep" / "known-wrong.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def unseen_renderings() -> dict[str, tuple[Path, Path, Path]]:
    """name -> (pdf, source.json, rendering.json) for the layout sweep's committed sample
    (samples/sweep/) and every sample or fixture folder with a rendering.json."""
    found = {}
    for record in sorted((SAMPLES / "sweep").glob("s*-*.json")):
        source = json.loads(record.read_text(encoding="utf-8"))["source"]
        found[record.stem] = (record.with_suffix(".pdf"), ROOT / source, record)
    for record in (sorted(SAMPLES.glob("*/rendering*.json")) + sorted(SAMPLES.glob("fixtures/*/rendering*.json"))
                   + sorted(SAMPLES.glob("tagged/*/rendering*.json"))):
        name = json.loads(record.read_text(encoding="utf-8"))["id"]
        found[name] = (record.parent / f"{name}.pdf", record.parent / "source.json", record)
    return found


@pytest.fixture(scope="session")
def extracted(tmp_path_factory):
    """Extract a sample once per session; returns its output folder."""
    from actionplan.config import load_config
    from actionplan.pipeline import run_extract

    cache: dict[Path, Path] = {}
    config = load_config(None)

    def run(pdf: Path) -> Path:
        if pdf not in cache:
            out = tmp_path_factory.mktemp("out") / pdf.stem
            run_extract(pdf, out, revision=pdf.stem, config=config)
            cache[pdf] = out
        return cache[pdf]

    return run


@pytest.fixture(scope="session")
def browser():
    from browser import Browser

    chromium = Browser()
    yield chromium
    chromium.close()
