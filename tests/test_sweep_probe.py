"""The sweep generator's own check of what a rendering shows (samples/build/probe.py): a
false "problem" there hides real ones among the noise."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from samples.build.probe import _palette_problem  # noqa: E402
from samples.build.variants import PALETTES  # noqa: E402


def test_a_first_page_without_amber_still_shows_its_palette():
    # The 2025 plan's first heatmap page scores no AMBER and no RED: office colours only.
    office = {PALETTES["office"][s] for s in ("DARK GREEN", "LIGHT GREEN", "GREY", "YELLOW")}
    assert _palette_problem("office", office) is None


def test_another_palettes_colours_are_a_problem():
    assert "another palette" in _palette_problem("office", {PALETTES["office"]["GREY"], PALETTES["muted"]["DARK GREEN"]})


def test_no_colour_of_the_palette_is_a_problem():
    assert _palette_problem("muted", {"FFFFFF"}) == "none of the palette's colours"
