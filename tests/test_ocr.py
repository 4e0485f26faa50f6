"""The OCR'd scan of the 2024 plan read from its own OCR layer (``--ocr never``: the text
layer ocrmypdf placed), held to rates measured on it (README, "OCR'd copy"). Under the
default ``--ocr auto`` such a scan is OCR'd again (tests/test_scan_reader.py).

The scan's parameters are fixed in samples/appendix-a-2024-scan/README.md and are never
weakened to pass these tests; when the rules improve, raise the floors."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest
from rapidfuzz import fuzz

from conftest import SAMPLES
from expected import load_expected

SCAN = SAMPLES / "appendix-a-2024-scan" / "appendix-a-2024-scan-ocr.pdf"
IMAGE_ONLY = SAMPLES / "appendix-a-2024-scan" / "appendix-a-2024-scan-image-only.pdf"
SOURCE = SAMPLES / "appendix-a-2024" / "source.json"

# Floors: the measured rate on this scan, rounded down (see README).
FLOORS = {
    "score": 0.92,  # measured 0.932
    "owners": 0.92,  # measured 0.932
    "timeline_kind": 0.96,  # measured 0.975
    "timeline_end": 0.96,  # measured 0.975
    "text_similarity": 0.99,  # measured 0.997
}


@pytest.fixture(scope="module")
def scan_tables(tmp_path_factory):
    from actionplan.config import load_config
    from actionplan.pipeline import run_extract

    folder = tmp_path_factory.mktemp("ocr-layer") / "out"
    run_extract(SCAN, folder, revision=SCAN.stem, config=load_config(None), ocr="never")
    chars = {r["element_id"]: r for r in pq.read_table(folder / "characteristics.parquet").to_pylist()}
    actions = {(r["element_id"], r["action_no"]): r for r in pq.read_table(folder / "actions.parquet").to_pylist()}
    return chars, actions, folder


def _rate(pairs) -> float:
    pairs = list(pairs)
    return sum(got == want for got, want in pairs) / len(pairs)


def test_scan_gives_every_element_id_of_the_clean_sample(scan_tables):
    chars, _, _ = scan_tables
    expected = [c["element_id"] for c in load_expected(SOURCE).characteristics]
    assert sorted(chars) == sorted(expected)


def test_scan_rates(scan_tables, capsys):
    chars, actions, folder = scan_tables
    expected = load_expected(SOURCE)
    rates = {
        "score": _rate((chars.get(c["element_id"], {}).get("score"), c["score"]) for c in expected.characteristics),
        "owners": _rate((actions.get((a["element_id"], a["action_no"]), {}).get("owners"), a["owners"]) for a in expected.actions),
        "timeline_kind": _rate((actions.get((a["element_id"], a["action_no"]), {}).get("timeline_kind"), a["timeline_kind"]) for a in expected.actions),
        "timeline_end": _rate((actions.get((a["element_id"], a["action_no"]), {}).get("timeline_end"), a["timeline_end"]) for a in expected.actions),
        "text_similarity": _text_similarity(chars, expected),
    }
    with capsys.disabled():
        print("\nOCR'd 2024 scan:", ", ".join(f"{k} {v:.3f}" for k, v in rates.items()))
    for name, floor in FLOORS.items():
        assert rates[name] >= floor, (name, rates[name])
    ledger = json.loads((folder / "manifest.json").read_text())["conservation"]
    assert ledger["unaccounted"] == 0


def _text_similarity(chars, expected) -> float:
    """Mean character-level similarity of descriptions: OCR slips lower it a little each."""
    scores = [fuzz.ratio(chars.get(c["element_id"], {}).get("description") or "", c["description"]) / 100
              for c in expected.characteristics]
    return sum(scores) / len(scores)


def test_image_only_scan_is_refused_with_ocr_advice_under_ocr_never(tmp_path, capsys):
    from actionplan.cli import main

    code = main(["extract", str(IMAGE_ONLY), "--out", str(tmp_path / "o"), "--ocr", "never"])
    err = capsys.readouterr().err
    assert code == 2 and "no text layer" in err and "OCR" in err
    assert not (tmp_path / "o").exists()
