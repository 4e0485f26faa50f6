"""Tagged samples (issue #16): the 2024 plan exported with its structure tree, by both
generators -- LibreOffice's ``UseTaggedPDF`` export filter option (``docx_render``) and
WeasyPrint's ``pdf_tags`` (``html_render``) -- including the layout the layout reading finds
hard (narrow portrait columns). The column-set samples of #12 (another council's columns, the
added progress column) have their tagged twins beside them: ``column_samples.tagged_twin``.

Each sample is ``samples/tagged/<name>/`` holding ``source.json`` (the rows it prints), the
PDF (and the .docx) and ``rendering.json`` (how it was built, the pages the plan is on), so
the sweep tests (tests/test_sweep.py) hold each to its source field for field, like the
fixtures of issue #11.

    python samples/build.py --only tagged [--fixture NAME]
"""
from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from .docx_render import RenderOptions, subset_source
from .html_render import HtmlOptions
from .variants import standard_columns

SAMPLES = Path(__file__).resolve().parent.parent
TAGGED_DIR = SAMPLES / "tagged"
SOURCE_2024 = SAMPLES / "appendix-a-2024" / "source.json"


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def _rows(ids: list[str]) -> Callable[[], dict]:
    def make() -> dict:
        src = subset_source(_load(SOURCE_2024), ids)
        src.update(heatmap_intro="", heatmap=[], key=[])
        return src
    return make


def _whole_plan() -> dict:
    return _load(SOURCE_2024)


@dataclass(frozen=True)
class TaggedSample:
    name: str
    engine: str                      # docx | html
    make: Callable[[], dict]         # the source.json it prints
    options: object                  # RenderOptions | HtmlOptions, tagged=True
    about: str


def _with_columns(options, source: dict):
    """A source with its own column set (issue #12) renders those columns."""
    if "columns" not in source:
        return options
    from .column_samples import columns_of
    return replace(options, columns=columns_of(source))


TAGGED_SAMPLES: list[TaggedSample] = [
    TaggedSample("word-2024-tagged", "docx", _whole_plan, RenderOptions(tagged=True),
                 "the whole 2024 Word plan (heatmap, key, 74 rows over 19 pages, rows broken across "
                 "pages, the header row repeated) exported by LibreOffice with UseTaggedPDF"),
    TaggedSample("html-2024-tagged", "html", _rows(["CI001", "CI004", "L004", "G001", "G003", "C006"]),
                 HtmlOptions(tagged=True, table_on_new_page=False),
                 "the HTML/WeasyPrint rendering (horizontal rules only, header printed once) of six "
                 "rows, written with WeasyPrint's pdf_tags"),
    TaggedSample("portrait-narrow-tagged", "docx", _rows(["CI003", "CI004", "CI005"]),
                 RenderOptions(tagged=True, front_matter=False, orientation="portrait",
                               col_widths=(0.08, 0.14, 0.29, 0.31, 0.18)),
                 "A4 portrait with narrow columns: words broken mid-word without a hyphen "
                 "(#9's portrait-narrow-columns), tagged"),
    TaggedSample("html-portrait-tagged", "html", _rows(["CI003", "CI005", "L006"]),
                 HtmlOptions(tagged=True, page="a4", orientation="portrait", table_on_new_page=False,
                             columns=standard_columns(widths=(11, 17, 25, 29, 18))),
                 "WeasyPrint, A4 portrait, narrow columns, tagged"),
]


def build_tagged_sample(sample: TaggedSample, log=print, force: bool = False):
    """Write samples/tagged/<name>/source.json, the PDF and rendering.json; returns sweep.Built."""
    from .sweep import Recipe, build
    out = TAGGED_DIR / sample.name
    out.mkdir(parents=True, exist_ok=True)
    source = sample.make()
    (out / "source.json").write_text(json.dumps(source, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    options = _with_columns(sample.options, source)
    return build(Recipe(sample.name, sample.engine, options), out, source_path=out / "source.json",
                 log=log, force=force, record_name="rendering.json")
