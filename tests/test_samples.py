"""Every clean sample and fixture extracts to its hand-checked expected data, field by field,
and every character read from the PDF is accounted for."""

from __future__ import annotations

import json

import pytest

from compare import compare
from conftest import clean_samples
from expected import load_expected

SAMPLES = clean_samples()


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_sample_matches_expected_data(name, extracted):
    pdf, source = SAMPLES[name]
    result = compare(extracted(pdf), load_expected(source))
    assert not result.wrong, "\n".join(result.examples[:15])


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_character_is_accounted_for(name, extracted):
    manifest = json.loads((extracted(SAMPLES[name][0]) / "manifest.json").read_text())
    ledger = manifest["conservation"]
    assert ledger["characters_read"] > 0
    assert ledger["unaccounted"] == 0, ledger
    # Dropped text is only ever of the documented kinds, and none of it is plan text
    # that nothing claimed.
    from actionplan.schema.records import DROP_REASONS

    assert set(ledger["dropped"]) <= set(DROP_REASONS)
    assert "unassigned" not in ledger["dropped"]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_theme_intros_match(name, extracted):
    import pyarrow.parquet as pq

    pdf, source = SAMPLES[name]
    got = {r["theme_no"]: r["intro"] for r in pq.read_table(extracted(pdf) / "themes.parquet").to_pylist()}
    for theme in load_expected(source).themes:
        assert got.get(theme["theme_no"]) == theme["intro"]


@pytest.mark.parametrize("name", ["appendix-a-2024", "appendix-a-2024-html", "appendix-a-2025"])
def test_heatmap_reads_every_cell_and_colour(extracted, name):
    import pyarrow.parquet as pq

    pdf, source = SAMPLES[name]
    expected = load_expected(source)
    folder = extracted(pdf)
    heatmap = pq.read_table(folder / "heatmap.parquet").to_pylist()
    assert [(h["theme_no"], h["position"], h["cell"]) for h in heatmap] == [
        (h["theme_no"], h["position"], h["cell"]) for h in expected.heatmap
    ]
    scores = {c["element_id"]: c["score"] for c in expected.characteristics}
    for cell in heatmap:
        if cell["element_id"]:
            assert cell["score"] == scores[cell["element_id"]], cell
    see = [h for h in heatmap if h["cell"] == "See CI012"]
    assert len(see) == 1 and see[0]["element_id"] is None


@pytest.mark.parametrize("name", ["appendix-a-2024", "horizontal-rules-only"])
def test_camelot_backend_gives_the_same_data(name, tmp_path):
    from actionplan.config import load_config
    from actionplan.pipeline import run_extract

    pdf, source = SAMPLES[name]
    out = tmp_path / "out"
    run_extract(pdf, out, revision=name, config=load_config(None), backend="camelot")
    result = compare(out, load_expected(source))
    assert not result.wrong, "\n".join(result.examples[:15])
    assert json.loads((out / "manifest.json").read_text())["extractor"]["backend"] == "camelot"


FULL_PLANS = ("appendix-a-2024", "appendix-a-2024-html", "appendix-a-2025")


@pytest.mark.parametrize("name", FULL_PLANS)
def test_every_check_passes_on_the_full_plans(name, extracted):
    checks = json.loads((extracted(SAMPLES[name][0]) / "manifest.json").read_text())["checks"]
    assert len(checks) >= 5
    assert [c for c in checks if not c["passed"]] == []


@pytest.mark.parametrize("name", sorted(set(SAMPLES) - set(FULL_PLANS)))
def test_excerpt_fixtures_fail_only_the_sequence_check_for_the_rows_they_leave_out(name, extracted):
    """Fixtures hold a few rows of the plan: the ids they skip are gaps the check must see."""
    pdf, source = SAMPLES[name]
    ids = [r["element_id"] for t in json.loads(source.read_text())["themes"] for r in t["rows"]]
    numbers = [(i.rstrip("0123456789"), int(i[len(i.rstrip("0123456789")):])) for i in ids]
    skips = any(n != 1 for p, n in numbers[:1]) or any(
        p == q and n != m + 1 for (q, m), (p, n) in zip(numbers, numbers[1:])) or any(
        p != q and n != 1 for (q, m), (p, n) in zip(numbers, numbers[1:]))
    checks = json.loads((extracted(pdf) / "manifest.json").read_text())["checks"]
    failed = {c["name"] for c in checks if not c["passed"]}
    assert failed == ({"ids_in_sequence"} if skips else set())
