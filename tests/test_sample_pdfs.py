"""Each committed PDF matches its source: every element id and every word of the source is
in the PDF's text layer, compared after joining line ends (narrow columns break words)."""

from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest

from conftest import SAMPLES, clean_samples

SAMPLE_PDFS = clean_samples()


def source_words(source: dict) -> list[str]:
    texts: list[str] = [source.get("title", ""), source.get("heatmap_intro", ""), source.get("table_title", "")]
    texts += [cell for row in source.get("heatmap", []) for cell in row["cells"]]
    texts += [k["meaning"] for k in source.get("key", [])]
    for theme in source["themes"]:
        texts += [theme["heading"], *theme["intro"]]
        for row in theme["rows"]:
            texts += [row["theme_label"], row["score"] or "", *row["characteristic"]]
            for band in row["bands"]:
                texts += band["opportunity"] + band["recommendation"] + band["owner_timeline"]
    return [w for text in texts for w in text.split()]


def pdf_tokens(pdf: Path) -> set[str]:
    with pdfplumber.open(pdf) as document:
        return {w["text"] for page in document.pages for w in page.extract_words()}


def in_pdf(word: str, tokens: set[str]) -> bool:
    """Printed whole, or broken once at a line end ("wide-" / "ranging", "recommendatio" / "ns")."""
    if word in tokens:
        return True
    return any(word[:i] in tokens and word[i:] in tokens for i in range(1, len(word)))


def missing_words(pdf: Path, source: dict) -> tuple[list[str], int]:
    tokens = pdf_tokens(pdf)
    words = source_words(source)
    return [w for w in words if not in_pdf(w, tokens)], len(words)


@pytest.mark.parametrize("name", sorted(SAMPLE_PDFS))
def test_every_source_word_and_id_is_in_the_pdf(name):
    pdf, source_path = SAMPLE_PDFS[name]
    source = json.loads(source_path.read_text(encoding="utf-8"))
    missing, _ = missing_words(pdf, source)
    assert missing == []
    tokens = {t.rstrip(":") for t in pdf_tokens(pdf)}
    ids = [row["element_id"] for theme in source["themes"] for row in theme["rows"]]
    assert ids and all(i in tokens for i in ids)


# Measured on the committed scan (tesseract 5.3.0 through ocrmypdf 14): 0.974 (8677 of 8907).
OCR_WORD_FLOOR = 0.96


def test_ocr_text_layer_has_most_source_words(capsys):
    scan = SAMPLES / "appendix-a-2024-scan" / "appendix-a-2024-scan-ocr.pdf"
    source = json.loads((SAMPLES / "appendix-a-2024" / "source.json").read_text(encoding="utf-8"))
    missing, total = missing_words(scan, source)
    rate = 1 - len(missing) / total
    with capsys.disabled():
        print(f"\nOCR text layer: {total - len(missing)} of {total} source words found ({rate:.3f})")
    assert rate >= OCR_WORD_FLOOR
