"""Whether a header's labels are centred in their cells: the wrapped labels vote."""

from __future__ import annotations

from actionplan.extract.geometry import Metrics
from actionplan.extract.header import HeaderCell, _labels_centred
from actionplan.schema.records import Word

METRICS = Metrics(line_height=7.5, line_pitch=9.2)


def _label(lines: list[tuple[float, float]]) -> HeaderCell:
    """A label wrapped over ``lines``, each (x0, x1), one line pitch apart."""
    words = tuple(Word("LABEL", 1, x0, 100.0 + 9.2 * i, x1, 107.5 + 9.2 * i) for i, (x0, x1) in enumerate(lines))
    return HeaderCell("f", "LABEL", min(x0 for x0, _ in lines), max(x1 for _, x1 in lines), words)


CENTRED = _label([(215.3, 357.8), (232.2, 340.9)])  # 'CHARACTERISTIC DESCRIPTION / (STATUTORY GUIDANCE)'
LEFT = _label([(215.3, 357.8), (215.3, 300.0)])
EVEN = _label([(952.6, 1096.2), (955.6, 1093.1)])  # two lines of nearly one length


def test_a_centred_wrapped_label_makes_the_header_centred():
    assert _labels_centred([CENTRED], METRICS)


def test_a_left_aligned_wrapped_label_makes_it_left_aligned():
    assert not _labels_centred([LEFT], METRICS)
    assert not _labels_centred([CENTRED, LEFT, LEFT], METRICS)


def test_a_label_whose_lines_are_nearly_one_length_does_not_vote():
    """Its lines share their start and their centre: it says nothing of how the header is set
    (it outvoted the one centred label of the sweep's s34-html, whose columns were then read
    from the labels' starts and every row id fell into the theme column)."""
    assert _labels_centred([CENTRED, EVEN], METRICS)
    assert not _labels_centred([LEFT, EVEN], METRICS)
    assert not _labels_centred([EVEN], METRICS)
