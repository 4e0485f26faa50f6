"""Typed records that the pipeline's stages hand to each other.

Coordinates, stated once for the whole project: PDF points (1/72 inch), origin at the
top-left corner of the page, ``top``/``bottom`` growing downwards -- pdfplumber's
convention. Backends that think bottom-left (camelot) convert at their boundary.
Pages are numbered from 1.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from operator import attrgetter
from datetime import date

RGB = tuple[float, float, float]

COLUMNS = ("theme_score", "characteristic", "opportunity", "recommendation", "owner_timeline")
ACTION_COLUMNS = ("opportunity", "recommendation", "owner_timeline")


# ---------------------------------------------------------------- extract/ records


# Not frozen, as Glyph is not (extract/readers/base.py): words are made by the page
# readers, made again by unpickling where the page workers send them, and made by the
# repairs -- tens of thousands a short plan -- and a frozen dataclass's __init__ costs seven
# times a plain one's (object.__setattr__ per field: 1.3 us against 0.18). Nothing changes
# a word once made (they are keys of sets and dicts everywhere); dataclasses.replace makes
# the changed ones. Slots: a long plan holds hundreds of thousands.
@dataclass(slots=True)
class Word:
    """A word as printed, its box in the upright page frame (extract/layout.py)."""

    text: str
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    direction: int = 0  # 0/90/180/270: drawn turned this far from the page's upright text
    mirrored: bool = False  # drawn mirror-wise: a reader cannot vouch for its text
    mcid: int | None = None  # marked-content id (tagged PDFs)
    colour: RGB | None = None  # the colour its letters are painted in
    tag: str | None = None  # marked-content tag (tagged PDFs: "Artifact" is page furniture)

    def __hash__(self) -> int:
        # Where a word is printed all but names it; equal words still hash alike. Words are
        # looked up in sets and dicts a million times in a long plan: the generated hash of
        # all eleven fields cost about a tenth of the extraction's CPU.
        return hash((self.x0, self.top, self.page))

    def __reduce__(self):
        # Pickled as its fields in order (the page workers send every word): the generated
        # frozen-slots state goes through dataclasses.fields() for each word, both ways.
        return (Word, _word_fields(self))


# Every field, in __init__'s order.
_word_fields = attrgetter(*(f.name for f in fields(Word)))


@dataclass(frozen=True, slots=True)  # slots: a long plan holds hundreds of thousands
class Line:
    """Words on one baseline within one column (or across the page, for full-width text).

    ``right_limit`` is the x where the column's text area ends: with ``x1`` it tells
    normalise/ whether the line was broken by lack of room (a wrapped word) or by the author.
    """

    words: tuple[Word, ...]
    page: int
    x0: float
    top: float
    x1: float
    bottom: float
    right_limit: float

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True)
class Paragraph:
    """Lines of one cell that read as one paragraph (extract/geometry.py)."""

    lines: tuple[Line, ...]

    @property
    def top(self) -> float:
        return self.lines[0].top

    @property
    def page(self) -> int:
        return self.lines[0].page


@dataclass(frozen=True)
class Band:
    """One action's paragraphs, side by side across the action columns (by field)."""

    cells: dict[str, tuple[Paragraph, ...]]
    page: int
    # The fill of a status cell that prints no words (a status given by colour alone).
    status_fill: RGB | None = None
    # Columns whose first paragraph here was read from the band above, where the layout does
    # not settle whose it is (extract/bands.py, ``_claimed_by_next``): each is an issue row.
    unsure: tuple[str, ...] = ()
    # Columns whose first paragraph here was cut from the band above's at an unmarked page
    # break (extract/bands.py, ``_cut_at_page_break_for_next``): each is an issue row.
    cut_at_page_break: tuple[str, ...] = ()

    def column(self, name: str) -> tuple[Paragraph, ...]:
        return self.cells.get(name, ())


@dataclass(frozen=True)
class RawRow:
    """One characteristic row of the action plan, stitched across pages. ``cells`` holds the
    characteristic's own columns by field (theme_score, characteristic, ...); ``bands`` the
    action columns'."""

    anchor: str  # the element id as printed at the start of its cell
    theme_no: int | None  # the theme section the row sits in
    cells: dict[str, tuple[Paragraph, ...]]
    bands: tuple[Band, ...]
    pages: tuple[int, ...]
    score_fill: RGB | None
    backend: str

    def column(self, name: str) -> tuple[Paragraph, ...]:
        return self.cells.get(name, ())


@dataclass(frozen=True)
class ThemeSection:
    """A theme's heading in the plan and the paragraphs that introduce it."""

    theme_no: int
    heading: Line
    intro: tuple[Paragraph, ...]
    pages: tuple[int, ...]


@dataclass(frozen=True)
class HeatmapCell:
    """One cell of the heatmap as printed: its text and its fill."""

    theme_no: int
    position: int  # 1-based within the theme row
    text: str
    fill: RGB | None
    page: int


@dataclass(frozen=True)
class KeyEntry:
    """One entry of the score key: the label, what it means, and its colour."""

    label: str
    meaning: str
    fill: RGB | None
    colour_from: str = ""  # where the colour was read: label_cell, swatch or label_text


# Why a line of the PDF is in no output field. Each is documented in the README.
DROP_REASONS = (
    "header_row",  # the plan table's header labels, where the header row is printed
    "running_header", "running_footer",  # page furniture repeated page after page
    "front_matter",  # page-1 text outside the tables: title, key, intro
    "id_prefix",  # the printed "CI001:" opening a characteristic, or the id in its own column (it is element_id)
    "theme_heading",  # "1. CONTINUOUS IMPROVEMENT:" (the theme is theme_no and name)
    "theme_score_cell",  # the Theme/Score cell: its words are theme and score
    "outside_plan",  # pages or text before or after the plan's table
    "unreadable",  # text drawn mirrored: no reading of it can be vouched for (an issue too)
    "unassigned",  # plan text no row or theme claims: always an issue as well
    "artifact",  # a tagged PDF's text marked Artifact (page furniture) that no reading placed
)


@dataclass(frozen=True)
class DroppedLine:
    """A line of text set aside, not read into the tables, and why (the dropped table)."""

    page: int
    reason: str
    text: str
    x0: float
    top: float
    x1: float
    bottom: float


@dataclass(frozen=True)
class PageFacts:
    """What one page gave the plan, for the run's self-checks."""

    number: int
    words: int  # words read on the page
    in_plan: bool  # inside the plan's table (from its first header to where it ends)
    anchors: int  # rows that start on the page
    claimed: int  # words that went to a row or a theme section
    rotation: int  # degrees the page was turned to read it upright
    unreadable: tuple[str, ...] = ()  # words drawn mirrored (set aside, not read)
    error: str | None = None  # why the reader could not read the page
    front: bool = False  # the plan's front matter (heatmap, key) before its table


@dataclass(frozen=True)
class ExtractedPlan:
    """Everything extract/ read of one PDF, for normalise/."""

    source: str
    page_count: int
    backend: str
    heatmap: tuple[HeatmapCell, ...]
    key: tuple[KeyEntry, ...]
    themes: tuple[ThemeSection, ...]
    rows: tuple[RawRow, ...]
    dropped: tuple[DroppedLine, ...]
    characters_read: int  # non-whitespace characters of every word on every page
    page_images_sampled: bool = False
    warnings: tuple[str, ...] = ()
    pages: tuple[PageFacts, ...] = ()
    end_reason: str = ""  # why the plan's table ends before the PDF does ("" when it does not)
    ocr_pages: tuple = ()  # extract/readers/ocr.py's OcrPage for every page read by OCR
    columns: tuple = ()  # how each printed column was matched (extract/steps.py column_matches)
    profile: str = ""  # the profile used: "builtin:default" or a user's file
    reading: str = "layout"  # how rows were read: layout, or auto/tagged on a tagged PDF
    page_readings: tuple[tuple[int, str], ...] = ()  # (page, tagged | layout | mixed)
    reading_notes: tuple[str, ...] = ()  # the structure tree's problems and the readings' disagreements


# ---------------------------------------------------------------- normalise/ records


@dataclass(frozen=True)
class Repair:
    """One change normalise/ made to the printed text: the field, before, after and rule."""

    revision: str
    element_id: str | None
    action_no: int | None
    page: int | None
    field: str
    before: str
    after: str
    rule: str


@dataclass(frozen=True)
class Issue:
    """Something a run could not be sure of, for a person to check."""

    revision: str
    element_id: str | None
    action_no: int | None
    page: int | None
    field: str
    message: str


@dataclass(frozen=True)
class Characteristic:
    """One characteristic of the plan: its id, theme, score and description (a table row)."""

    revision: str
    element_id: str
    theme_no: int | None
    theme: str | None
    score: str | None
    description: str
    notes: tuple[str, ...]
    see_also: tuple[str, ...]
    pages: tuple[int, ...]
    extra: str = "{}"  # JSON object: header label -> text, for columns the profile does not know


@dataclass(frozen=True)
class Action:
    """One action of a characteristic, with its owners and timeline read (a table row)."""

    revision: str
    element_id: str
    action_no: int
    opportunity: str
    recommendation: str
    owner_timeline: str
    owners: tuple[str, ...]
    owner_names: tuple[str, ...]
    timeline: str
    timeline_start: date | None
    timeline_end: date | None
    timeline_kind: str
    timeline_ambiguous: bool
    page: int
    progress: str = ""
    status: str = ""  # as printed
    status_kind: str | None = None  # complete | on_track | at_risk | delayed | not_started
    extra: str = "{}"  # JSON object: header label -> text, for columns the profile does not know
    date_column: bool = False  # not a contract column: the timeline was printed in its own column


@dataclass(frozen=True)
class Theme:
    """One of the plan's themes, with its introduction (a table row)."""

    revision: str
    theme_no: int
    name: str
    intro: str


@dataclass(frozen=True)
class HeatmapEntry:
    """One heatmap cell, read into its characteristic and score (a table row)."""

    revision: str
    theme_no: int
    position: int
    cell: str
    element_id: str | None
    score: str | None


@dataclass(frozen=True)
class NormalisedPlan:
    """The plan's tables as records, with the repairs made and the issues found."""

    characteristics: tuple[Characteristic, ...]
    actions: tuple[Action, ...]
    themes: tuple[Theme, ...]
    heatmap: tuple[HeatmapEntry, ...]
    repairs: tuple[Repair, ...] = field(default=())
    issues: tuple[Issue, ...] = field(default=())
    dropped: tuple[DroppedLine, ...] = field(default=())
