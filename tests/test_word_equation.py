"""Nothing lost, nothing moved: the word equation on every clean sample and fixture.

1. Every word of every page, as pdfplumber reads it (not through the pipeline), is in a line
   of a cell (a row's, a band's, a theme intro's, a heatmap cell's) or in a dropped line.
2. Per cell, in reading order, the characters the PDF prints there equal those of the
   output field -- every difference being a logged repair (before -> after) or a dropped
   line (the "CI001:" prefix) -- so a word swapped for another of the same length, or moved
   into the wrong cell, cannot hide behind a count.
3. Against the generator's source, the fields themselves are compared field by field in
   test_samples.py.
"""

from __future__ import annotations

import pdfplumber
import pytest

from actionplan.config import load_config
from actionplan.extract import read_plan
from actionplan.normalise.pipeline import Settings, normalise
from conftest import clean_samples

SAMPLES = clean_samples()


def chars(text: str) -> str:
    return "".join(ch for ch in text if not ch.isspace())


@pytest.fixture(scope="module")
def runs():
    config = load_config(None)
    cache = {}

    def run(name):
        if name not in cache:
            pdf = SAMPLES[name][0]
            extracted = read_plan(pdf, config.vocab)
            plan, _ = normalise(extracted, Settings(name, config.vocab, config.glossary, config.convention))
            cache[name] = (pdf, extracted, plan)
        return cache[name]

    return run


def _destinations(extracted, plan):
    """(page, x0, top, x1, bottom, text) of every place a word can have gone."""
    places = []
    for row in extracted.rows:
        cells = list(row.cells.values()) + [ps for band in row.bands for ps in band.cells.values()]
        places += [_line_place(line) for ps in cells for p in ps for line in p.lines]
    for theme in extracted.themes:
        places += [_line_place(line) for p in theme.intro for line in p.lines]
    places += [(d.page, d.x0, d.top, d.x1, d.bottom, d.text) for d in plan.dropped]
    return places


def _line_place(line):
    return (line.page, line.x0, line.top, line.x1, line.bottom, line.text)


def _heatmap_words(extracted):
    return {(cell.page, word) for cell in extracted.heatmap for word in cell.text.split()}


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_every_word_of_every_page_is_in_a_cell_or_dropped(name, runs):
    pdf, extracted, plan = runs(name)
    places = _destinations(extracted, plan)
    heatmap = _heatmap_words(extracted)
    lost = []
    with pdfplumber.open(pdf) as document:
        for page in document.pages:
            for word in page.extract_words(expand_ligatures=False):
                cx, cy = (word["x0"] + word["x1"]) / 2, (word["top"] + word["bottom"]) / 2
                if (page.page_number, word["text"]) in heatmap:
                    continue
                if not any(p == page.page_number and x0 - 1 <= cx <= x1 + 1 and top - 1 <= cy <= bottom + 1
                           and word["text"] in text for p, x0, top, x1, bottom, text in places):
                    lost.append((page.page_number, word["text"]))
    assert lost == []


def _apply_repairs(raw: str, repairs) -> str:
    """The raw characters with each logged repair made, in order: what the field must be."""
    text = raw
    for repair in repairs:
        before, after = chars(repair.before), chars(repair.after)
        assert before in text, f"repair {repair.rule}: {repair.before!r} is not in the cell's text"
        text = text.replace(before, after, 1)
    return text


def _repairs(plan, element_id, field):
    return [r for r in plan.repairs if r.element_id == element_id and r.field == field]


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_action_column_prints_exactly_its_fields(name, runs):
    _, extracted, plan = runs(name)
    ids = [c.element_id for c in plan.characteristics]
    for row, element_id in zip(extracted.rows, ids):
        actions = [a for a in plan.actions if a.element_id == element_id]
        for field in ("opportunity", "recommendation", "owner_timeline"):
            raw = "".join(chars(line.text) for band in row.bands for p in band.column(field) for line in p.lines)
            expected = _apply_repairs(raw, _repairs(plan, element_id, field))
            assert chars("".join(getattr(a, field) for a in actions)) == expected, (element_id, field)


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_characteristic_cell_prints_its_prefix_description_and_notes(name, runs):
    _, extracted, plan = runs(name)
    prefixes = [d for d in plan.dropped if d.reason == "id_prefix"]
    assert len(prefixes) == len(extracted.rows)
    for row, characteristic, prefix in zip(extracted.rows, plan.characteristics, prefixes):
        raw = "".join(chars(line.text) for p in row.column("characteristic") for line in p.lines)
        text = _apply_repairs(raw, _repairs(plan, characteristic.element_id, "description"))
        assert text.startswith(chars(prefix.text)), characteristic.element_id
        text = text[len(chars(prefix.text)):]
        enclosed = {r.after: r.before for r in _repairs(plan, characteristic.element_id, "notes")}
        for note in characteristic.notes:  # each note as printed, brackets and all
            printed = chars(enclosed.get(note, note))
            assert printed in text, (characteristic.element_id, note)
            text = text.replace(printed, "", 1)
        assert text == chars(characteristic.description), characteristic.element_id


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_theme_intro_prints_exactly_its_text(name, runs):
    _, extracted, plan = runs(name)
    intros = {t.theme_no: t.intro for t in plan.themes}
    for section in extracted.themes:
        raw = "".join(chars(line.text) for p in section.intro for line in p.lines)
        repairs = [r for r in plan.repairs if r.field == "intro" and r.page in section.pages]
        assert chars(intros[section.theme_no]) == _apply_repairs(raw, repairs)
