"""benchmarks/layout_sweep.py reads the manifest the pipeline really writes.

Its pages column compared keys the manifest never had (``pages_used`` at the top level), so
it printed "n/a" for every rendering and a rendering whose pages were wrong still counted
as exact. These tests hold it to a real extraction of a committed sweep rendering, whose
pages come from how it was built (its ``.json``), not from the pipeline."""

from __future__ import annotations

import importlib.util
import json

from conftest import SAMPLES, ROOT

SWEEP = SAMPLES / "sweep"
RENDERING = "s38-docx"  # 8 pages, the plan on all of them (no pack): quick to extract


def _bench():
    spec = importlib.util.spec_from_file_location("layout_sweep", ROOT / "benchmarks" / "layout_sweep.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _manifest_and_expect(extracted):
    record = json.loads((SWEEP / f"{RENDERING}.json").read_text(encoding="utf-8"))
    manifest = json.loads((extracted(SWEEP / f"{RENDERING}.pdf") / "manifest.json").read_text())
    return manifest, record["expect"]


def test_pages_column_reads_the_manifests_pages(extracted):
    manifest, expect = _manifest_and_expect(extracted)
    assert _bench().pages_verdict(manifest, expect) == "ok"


def test_pages_column_says_wrong_when_the_pages_differ(extracted):
    manifest, expect = _manifest_and_expect(extracted)
    one_page_fewer = {**expect, "pages_used": expect["pages_used"][:-1]}
    assert _bench().pages_verdict(manifest, one_page_fewer) == "WRONG"
    skipped_too = {**expect, "pages_skipped": [*expect["pages_skipped"], expect["pages"] + 1]}
    assert _bench().pages_verdict(manifest, skipped_too) == "WRONG"
