"""ExtractedPlan -> NormalisedPlan, as one ordered list of small steps.

    STEPS = heatmap -> row ids -> characteristics -> actions -> themes

Each step reads the plan and what earlier steps produced (a ``Draft``), adds its own
records, and records every change to the words as a Repair and everything it could not
resolve as an Issue. ``--debug`` dumps the draft after every step.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from rapidfuzz import fuzz, process

from actionplan.normalise.actions import BandTexts, band_actions, share
from actionplan.normalise.characteristics import see_also, split_notes, split_prefix
from actionplan.schema.ids import STRICT_ID
from actionplan.normalise.ids import next_id, repair_id, repair_ids_in_text, sequence_reading
from actionplan.normalise.owners import OwnerGlossary, suggest
from actionplan.extract.colour import WHITE_ENOUGH
from actionplan.extract.columns import EXTRA_PREFIX
from actionplan.normalise.scores import Palette, colour_score, hex_to_rgb, palette_from_key, reconcile
from actionplan.normalise.text import (
    LINE_END_HYPHENS, PARAGRAPH_BREAK, TextEdit, Vocabulary, _minus_break, cell_text, guessed_minus_break, joined_on_few_breaks,
    kept_at_a_prefix,
    strip_junk,
    vocabulary_of,
)
from actionplan.normalise.timelines import TimelineConvention, parse_timeline
from actionplan.schema.plan import PlanVocabulary
from actionplan.schema.records import (
    RGB, Action, Characteristic, DroppedLine, ExtractedPlan, HeatmapEntry, Issue, NormalisedPlan, RawRow,
    Repair, Theme,
)
from actionplan.extract.geometry import char_count, ends_sentence, opens_sentence


@dataclass
class Settings:
    """What normalising needs: the revision and the run's configuration."""

    revision: str
    vocab: PlanVocabulary
    glossary: OwnerGlossary
    convention: TimelineConvention


@dataclass
class Draft:
    """What the steps have produced so far, plus the accounts they keep."""

    plan: ExtractedPlan
    settings: Settings
    vocabulary: Vocabulary
    palette: Palette  # score -> the key's colour for it
    heatmap: list[HeatmapEntry] = field(default_factory=list)
    row_ids: list[str] = field(default_factory=list)
    characteristics: list[Characteristic] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    themes: list[Theme] = field(default_factory=list)
    repairs: list[Repair] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    # Text read but deliberately not carried into a text field, with its reason.
    dropped: list[DroppedLine] = field(default_factory=list)

    @property
    def known_ids(self) -> set[str]:
        return {h.element_id for h in self.heatmap if h.element_id}

    def repair(self, element_id, action_no, page, fld, edit: TextEdit) -> None:
        self.repairs.append(Repair(self.settings.revision, element_id, action_no, page, fld, edit.before, edit.after, edit.rule))

    def issue(self, element_id, action_no, page, fld, message) -> None:
        self.issues.append(Issue(self.settings.revision, element_id, action_no, page, fld, message))

    def drop_lines(self, reason: str, lines) -> None:
        for line in lines:
            self.dropped.append(DroppedLine(line.page, reason, line.text, line.x0, line.top,
                                            line.x1, line.bottom))

    def drop_text(self, reason: str, text: str, words) -> None:
        """Part of a line set aside: ``text`` (as it stands in the cell) printed in ``words``."""
        if not char_count(text):
            return
        first, last = words[0], words[-1]
        self.dropped.append(DroppedLine(first.page, reason, text, first.x0, min(w.top for w in words),
                                        last.x1, max(w.bottom for w in words)))


Step = Callable[[Draft], None]


def read_heatmap(draft: Draft) -> None:
    prefixes = draft.settings.vocab.theme_prefixes
    confirmed = _numbered_in_order(draft.plan.heatmap, prefixes)
    printed = Counter((c.theme_no, c.text.strip()) for c in draft.plan.heatmap)
    for cell in draft.plan.heatmap:
        prefix = prefixes[cell.theme_no - 1] if 0 < cell.theme_no <= len(prefixes) else None
        text, element_id = cell.text, None
        tokens = cell.text.split()
        by_place = f"{prefix}{cell.position:03d}" if prefix and cell.theme_no in confirmed else None
        # An exact id the row prints once stays as printed (a plan may skip a number).
        exact_once = STRICT_ID.fullmatch(text.strip()) and printed[(cell.theme_no, text.strip())] == 1
        if by_place and text != by_place and not exact_once and sequence_reading(text, by_place):
            # The row's clean ids say cell n is prefix + n: a damaged reading of this
            # place's id is it ("Lol." at place 11 is L011, not L001; "ROC" is R005).
            element_id = text = by_place
            draft.repair(element_id, None, cell.page, "cell",
                         TextEdit(cell.text, element_id, "heatmap_sequence"))
        elif len(tokens) == 1:
            # Heatmap rows number their cells in order: the position suggests the id.
            by_position = {f"{prefix}{cell.position:03d}"} if prefix else set()
            reading = repair_id(tokens[0], prefix, by_position, None)
            element_id = reading.element_id
            if reading.rule and element_id:
                draft.repair(element_id, None, cell.page, "cell",
                             TextEdit(cell.text, element_id, reading.rule))
                text = element_id
        else:
            text, changes = repair_ids_in_text(cell.text, _all_plausible_ids(prefixes))
            for before, after in changes:
                draft.repair(None, None, cell.page, "cell", TextEdit(before, after, "ocr_id_confusion"))
        score = reconcile([], cell.fill, draft.palette, draft.settings.vocab.scores).score
        if score is None and _shaded(cell.fill) and draft.palette.colours:
            draft.issue(element_id, None, cell.page, "score",
                        f"heatmap cell {cell.text!r} is shaded {_hex(cell.fill)}, which matches no "
                        "colour of the score key")
        draft.heatmap.append(HeatmapEntry(draft.settings.revision, cell.theme_no, cell.position,
                                          text, element_id, score))


def _numbered_in_order(heatmap, prefixes) -> set[int]:
    """The themes whose heatmap row is numbered by place: at least two cells print their
    place's id exactly (prefix + position), and no more than a third as many print another
    id of the theme."""
    agree: dict[int, int] = {}
    disagree: dict[int, int] = {}
    for cell in heatmap:
        if not 0 < cell.theme_no <= len(prefixes):
            continue
        prefix, text = prefixes[cell.theme_no - 1], cell.text.strip()
        if text == f"{prefix}{cell.position:03d}":
            agree[cell.theme_no] = agree.get(cell.theme_no, 0) + 1
        elif STRICT_ID.fullmatch(text) and text.startswith(prefix) and text[len(prefix)].isdigit():
            disagree[cell.theme_no] = disagree.get(cell.theme_no, 0) + 1
    return {t for t, n in agree.items() if n >= 2 and n >= 3 * disagree.get(t, 0)}


def _shaded(fill) -> bool:
    return fill is not None and min(fill) < WHITE_ENOUGH


def _hex(rgb) -> str:
    return "#%02X%02X%02X" % tuple(round(c * 255) for c in rgb)


def _all_plausible_ids(prefixes) -> set[str]:
    return {f"{p}{n:03d}" for p in prefixes for n in range(1, 100)}


def identify_rows(draft: Draft) -> None:
    """Each row's anchor -> a canonical element id, using the theme and the heatmap."""
    prefixes = draft.settings.vocab.theme_prefixes
    previous: str | None = None
    for row in draft.plan.rows:
        prefix = prefixes[row.theme_no - 1] if row.theme_no and row.theme_no <= len(prefixes) else None
        expected = next_id(previous) if previous and prefix and previous.startswith(prefix) else (
            f"{prefix}001" if prefix else None)
        reading = repair_id(row.anchor, prefix, draft.known_ids, expected)
        element_id = reading.element_id or row.anchor.rstrip(":")
        page = row.pages[0]
        if reading.rule:
            draft.repair(element_id, None, page, "element_id",
                         TextEdit(row.anchor.rstrip(":;.,"), element_id, reading.rule))
        if not reading.element_id:
            draft.issue(element_id, None, page, "element_id",
                        f"row anchor {row.anchor!r} is not an element id; kept as printed")
        elif not reading.certain:
            draft.issue(element_id, None, page, "element_id",
                        f"anchor {row.anchor!r} read as {element_id}, but other readings fit too")
        draft.row_ids.append(element_id)
        previous = element_id


def read_characteristics(draft: Draft) -> None:
    themes = draft.settings.vocab.themes
    for row, element_id in zip(draft.plan.rows, draft.row_ids):
        page = row.pages[0]
        cell = row.column("characteristic")
        text = _clean_text(draft, cell, element_id, None, page, "description")
        id_cell = row.column("element_id")
        if id_cell:  # the id has its own column ("Ref"): the characteristic prints no prefix
            prefix, body = "", text
            draft.drop_lines("id_prefix", [line for p in id_cell for line in p.lines])
        else:
            prefix, body = split_prefix(text)
        draft.drop_text("id_prefix", prefix, _leading_words(cell, prefix))
        split = split_notes(body)
        for removed, note in zip(split.removed, split.notes):
            if removed.strip() != note:
                rule = ("status_note_brackets_removed" if removed.strip().startswith("(")
                        else "status_note_full_stop_removed")
                draft.repair(element_id, None, page, "notes", TextEdit(removed.strip(), note, rule))
        score = _score(draft, row, element_id)
        extra = _extra_texts(draft, row.cells, element_id, None, page)
        texts = [body] + [_band_text(b) for b in row.bands]
        refs = see_also(texts, split.notes, element_id)
        draft.characteristics.append(Characteristic(
            revision=draft.settings.revision,
            element_id=element_id,
            theme_no=row.theme_no,
            theme=themes[row.theme_no - 1] if row.theme_no else None,
            score=score,
            description=split.description,
            notes=split.notes,
            see_also=refs,
            pages=row.pages,
            extra=json.dumps(extra, ensure_ascii=False),
        ))


def _extra_texts(draft: Draft, cells, element_id, action_no, page) -> dict[str, str]:
    """Columns no profile field fits: {header label as printed: text}, empty cells left out."""
    out = {}
    for key, paragraphs in cells.items():
        if key.startswith(EXTRA_PREFIX) and paragraphs:
            text = PARAGRAPH_BREAK.join(_paragraph_texts(draft, paragraphs, element_id, action_no, page, "extra"))
            if text:
                out[key[len(EXTRA_PREFIX):]] = text
    return out


def _leading_words(paragraphs, prefix: str) -> list:
    """The first words of a cell, as many as print ``prefix``."""
    words, needed = [], char_count(prefix)
    for word in (w for p in paragraphs for line in p.lines for w in line.words):
        if needed <= 0:
            break
        words.append(word)
        needed -= char_count(word.text)
    return words


def _band_text(band) -> str:
    return " ".join(line.text for ps in band.cells.values() for p in ps for line in p.lines)


def _score(draft: Draft, row: RawRow, element_id: str) -> str | None:
    # The score is printed in its own rating column, or under the theme in the first column.
    cell = row.column("rating") + row.column("theme_score")
    text, _ = cell_text(cell, draft.vocabulary)  # rejoins "GREE" / "N" in a narrow cell
    words, joined = score_words_rejoined(text.split(), draft.settings.vocab.scores)
    for before, after in joined:
        draft.repair(element_id, None, row.pages[0], "score", TextEdit(before, after, "score_word_rejoined"))
    reading = reconcile(words, row.score_fill, draft.palette, draft.settings.vocab.scores)
    draft.drop_lines("theme_score_cell", [line for p in cell for line in p.lines])
    page = row.pages[0]
    foreign = foreign_theme_cell_words(words, draft.settings.vocab)
    if foreign:
        # The cell's words are dropped as "theme and score": anything else in it would be
        # lost behind that reason (a description's word glued to an overlong theme word).
        draft.issue(element_id, None, page, "score",
                    "the theme/score cell holds words that are neither theme nor score, dropped with it: "
                    + " ".join(foreign))
    if reading.printed and reading.score and reading.printed.upper() != reading.score:
        draft.repair(element_id, None, page, "score",
                     TextEdit(reading.printed, reading.score, "score_word_repaired"))
    if reading.conflict:
        draft.issue(element_id, None, page, "score", reading.conflict)
    if reading.from_colour is None and _shaded(row.score_fill) and draft.palette.colours:
        draft.issue(element_id, None, page, "score",
                    f"the score cell is shaded {_hex(row.score_fill)}, which matches no colour of the score key")
    if reading.score is None:
        draft.issue(element_id, None, page, "score", "no score word and no score colour found")
    elif not reading.printed:
        draft.issue(element_id, None, page, "score",
                    f"no score word printed; read {reading.score} from the cell's shading")
    return reading.score


def score_words_rejoined(words: list[str], scores: tuple[str, ...]) -> tuple[list[str], list[tuple[str, str]]]:
    """A narrow cell breaks its score word, with a hyphen ("YEL-" / "LOW") or without (Word's
    "LIG" / "HT" / "GRE" / "EN"); capitals are otherwise read as printed (an officer code
    "Ho-" / "DS"), but pieces that together spell a score word are that word."""
    spelled = {_spelling(score): score for score in scores}
    out, joined, i = [], [], 0
    while i < len(words):
        span = next((j for j in range(min(len(words), i + MAX_SCORE_PIECES), i + 1, -1)
                     if _spelling("".join(w.rstrip(LINE_END_HYPHENS) for w in words[i:j])) in spelled), None)
        printed = " ".join(words[i:span]) if span else ""
        if span and printed.upper() != spelled[_spelling(printed)]:
            joined.append((printed, spelled[_spelling(printed)]))
            out.append(spelled[_spelling(printed)])
            i = span
        else:
            out.append(words[i])
            i += 1
    return out, joined


# A score word of two words, each broken in two: "LIG" / "HT" / "GRE" / "EN".
MAX_SCORE_PIECES = 4


def _spelling(text: str) -> str:
    return "".join(c for c in text.upper() if c.isalpha())


def foreign_theme_cell_words(words: list[str], vocab: PlanVocabulary) -> list[str]:
    """The words of a Theme/Score cell that are no theme name, score word or theme number
    (each matched fuzzily, as theme headings are, so an OCR slip is not foreign), alone or
    as pieces of one broken across lines ("Conti" / "nuous")."""
    known = {w for name in vocab.themes + vocab.scores + ("theme", "score", "rating")
             for w in _letters_only(name).split()}

    def is_known(text: str) -> bool:
        return all(process.extractOne(part, known, scorer=fuzz.ratio, score_cutoff=vocab.theme_heading_similarity)
                   for part in _letters_only(text).split())
    foreign, i = [], 0
    while i < len(words):
        # Pieces of one word ("Impro" / "veme" / "nt") spell it exactly: matched fuzzily, a
        # foreign word glued on ("Improvement" + "the") could pass for the theme word.
        span = next((j for j in range(min(len(words), i + MAX_SCORE_PIECES), i + 1, -1)
                     if _letters_only("".join(w.rstrip(LINE_END_HYPHENS) for w in words[i:j])).strip() in known), None)
        if span is not None:
            i = span
            continue
        # A word broken at a line end and read with its hyphen kept ("Com-munity").
        unbroken = _letters_only("".join(words[i].split("-"))).strip()
        if len(_letters_only(words[i]).replace(" ", "")) >= 3 and unbroken not in known and not is_known(words[i]):
            foreign.append(words[i])  # (shorter: "1.", "&", a rule stroke read as "|")
        i += 1
    return foreign


def unmarked_page_break_joins(paragraphs) -> list[tuple]:
    """Lines of one paragraph on two pages where a sentence ends on the page's full last
    line and the next page's line opens a sentence. Extract joined them (a full last line
    most often runs on), but a paragraph that ended there looks the same: HTML drops a
    paragraph's spacing at a page break, and Word's spacing after falls below the page."""
    return [(before, after) for paragraph in paragraphs
            for before, after in zip(paragraph.lines, paragraph.lines[1:])
            if before.page != after.page and ends_sentence(before.text) and opens_sentence(after.text)]


def _spelled_both_ways(last: str, first: str, vocab: Vocabulary) -> bool:
    """A line-end hyphen-minus whose word the document prints hyphenated elsewhere
    ("pre-requisite") and that is a word closed too (printed, or English: "prerequisite")."""
    return (_minus_break(last) and first[:1].isalpha()
            and vocab.has_word(last + first) and vocab.knows(last[:-1] + first))


# Line-end hyphens the page cannot decide: the test of the line's last and the next line's
# first word, why the join is unsure, and the reading chosen (from last and first).
UNSURE_HYPHENS = (
    (_spelled_both_ways, "the document prints it hyphenated elsewhere and it is a word closed too",
     lambda last, first: "the hyphenated spelling"),
    (joined_on_few_breaks, "the document breaks too few lines at a hyphen to tell whether its typesetter "
     "hyphenates, and prints the word closed elsewhere", lambda last, first: repr(last[:-1] + first)),
    (guessed_minus_break, "both halves are words and the document prints neither spelling elsewhere",
     lambda last, first: repr(last[:-1] + first)),
    (kept_at_a_prefix, "the line breaks right after a prefix, where the document's typesetter also breaks "
     "words, and the document prints neither spelling elsewhere", lambda last, first: repr(last + first)),
)


def unsure_hyphens(paragraphs, vocab) -> list[tuple]:
    """(next line, last word, first word, why, reading) of each line-end hyphen in
    ``UNSURE_HYPHENS``: kind by kind, each in the paragraphs' order."""
    ends = [(after, before.words[-1].text, after.words[0].text) for paragraph in paragraphs
            for before, after in zip(paragraph.lines, paragraph.lines[1:]) if before.words and after.words]
    return [(after, last, first, why, reading(last, first))
            for test, why, reading in UNSURE_HYPHENS for after, last, first in ends if test(last, first, vocab)]


def _letters_only(text: str) -> str:
    return "".join(c if c.isalpha() else " " for c in text.lower())


def _clean_text(draft: Draft, paragraphs, element_id, action_no, page, fld) -> str:
    for before, after in unmarked_page_break_joins(paragraphs):
        draft.issue(element_id, action_no, after.page, fld,
                    f"a paragraph may end at the page break between {before.text[-40:]!r} and "
                    f"{after.text[:40]!r}: one sentence ends on a full last line and the next page "
                    "starts another, and nothing on either page shows whether the paragraph ended; "
                    "read as one paragraph")
    for after, last, first, why, reading in unsure_hyphens(paragraphs, draft.vocabulary):
        draft.issue(element_id, action_no, after.page, fld,
                    f"the line-end hyphen of {last!r} / {first!r} may be the word's own or the line's: "
                    f"{why}; read as {reading}")
    text, edits = cell_text(paragraphs, draft.vocabulary)
    text, junk = strip_junk(text)
    text, id_changes = repair_ids_in_text(text, draft.known_ids | set(draft.row_ids))
    for edit in edits + junk + [TextEdit(b, a, "ocr_id_confusion") for b, a in id_changes]:
        draft.repair(element_id, action_no, page, fld, edit)
    return text


def read_actions(draft: Draft) -> None:
    for row, element_id in zip(draft.plan.rows, draft.row_ids):
        action_no = 0
        for band in row.bands:
            def texts_of(fld, into=None):
                return _paragraph_texts(draft, band.column(fld), element_id, action_no + 1, band.page, into or fld)
            texts = BandTexts(
                opportunity=texts_of("opportunity"),
                recommendation=texts_of("recommendation"),
                # Owner and date in two columns: the owner cell is the owner_timeline text.
                owner_timeline=texts_of("owner_timeline") + texts_of("owner", "owner_timeline"),
                page=band.page,
                timeline=texts_of("timeline") if "timeline" in band.cells else None,
            )
            drafts = band_actions(texts, draft.settings.glossary)
            _flag_shared_opportunities(draft, element_id, action_no + 1, texts, len(drafts))
            _flag_claimed_paragraphs(draft, element_id, action_no + 1, band)
            progress = texts_of("progress")
            status = texts_of("status")
            extra = _extra_texts(draft, band.cells, element_id, action_no + 1, band.page)
            for i, action in enumerate(drafts):
                action_no += 1
                mine = share(i, len(drafts), progress), share(i, len(drafts), status)
                draft.actions.append(_action(draft, element_id, action_no, action, texts, len(drafts),
                                             *mine, extra if i == 0 else {},
                                             status_fill=band.status_fill if i == 0 else None))


def _flag_claimed_paragraphs(draft: Draft, element_id, action_no, band) -> None:
    """A paragraph read from the band above into this one (extract/bands.py,
    ``_claimed_by_next`` and ``_cut_at_page_break_for_next``): the layout does not show
    whose it is."""
    for key in band.unsure:
        paragraph = band.column(key)[0]
        start = " ".join(w.text for line in paragraph.lines[:2] for w in line.words)[:40]
        draft.issue(element_id, action_no, paragraph.page, "extra" if key.startswith(EXTRA_PREFIX) else key,
                    f"the paragraph {start!r} starts beside no other column, under the action above's; this "
                    f"action prints no other {key} and the one above two or more, so it is read as this "
                    "action's (it may be the second paragraph of the one above)")
    for key in band.cut_at_page_break:
        paragraph = band.column(key)[0]
        start = " ".join(w.text for line in paragraph.lines[:2] for w in line.words)[:40]
        draft.issue(element_id, action_no, paragraph.page, "extra" if key.startswith(EXTRA_PREFIX) else key,
                    f"the {key} {start!r} opens the page level with this action's owner, after the action "
                    "above's sentence ended on the full last line of the page before; this action prints no "
                    f"other {key}, so it is read as this action's (it may be the end of the paragraph above)")


def _flag_shared_opportunities(draft: Draft, element_id, first_action_no, texts: BandTexts,
                               siblings: int) -> None:
    """A band split into actions by its owner/timeline pairs has one opportunity cell: the
    layout does not show which of its paragraphs is whose. One paragraph is the first
    action's (the plan's own convention); several may be one per action (a band the
    columns did not line up, 2025 seed-41 s12-docx's CI001) or all the first's, so the
    reading is uncertain and says so."""
    paragraphs = len(texts.opportunity)
    if siblings < 2 or paragraphs < 2:
        return
    reading = ("read as one per action, in order" if paragraphs == siblings
               else f"all given to action {first_action_no}")
    draft.issue(element_id, first_action_no, texts.page, "opportunity",
                f"{paragraphs} opportunity paragraphs beside {siblings} actions told apart only by their "
                f"owner/timeline pairs: {reading}; which paragraph is whose is not shown by the layout")


def _paragraph_texts(draft, paragraphs, element_id, action_no, page, fld) -> tuple[str, ...]:
    return tuple(_clean_text(draft, (p,), element_id, action_no, page, fld) for p in paragraphs)


def _action(draft: Draft, element_id, action_no, action, texts: BandTexts, siblings: int,
            progress: str = "", status: str = "", extra: dict | None = None,
            status_fill: RGB | None = None) -> Action:
    owner = action.owner
    owner_text = PARAGRAPH_BREAK.join(texts.owner_timeline) if siblings == 1 else owner.text
    for token in owner.owners:
        if token.rule:
            for rule in token.rules:
                draft.repair(element_id, action_no, action.page, "owners",
                             TextEdit(token.printed, token.canonical, rule))
        if not token.known:
            hints = suggest(token.printed, draft.settings.glossary)
            hint = f"; did you mean {', '.join(hints)}?" if hints else ""
            draft.issue(element_id, action_no, action.page, "owners",
                        f"unknown owner code {token.printed!r}, kept as printed{hint}")
    date_column = texts.timeline is not None
    if date_column:
        printed = " ".join(texts.timeline)
        if char_count(printed) != char_count(owner.timeline):
            draft.repair(element_id, action_no, action.page, "timeline",
                         TextEdit(printed, owner.timeline, "timeline_full_stop_removed"))
    reading = parse_timeline(owner.timeline, draft.settings.convention)
    profile = draft.settings.vocab.profile
    status_kind = profile.status_kind(status) if status and profile else None
    if not status and status_fill is not None and profile:
        status_kind = _status_of_colour(draft, element_id, action_no, action.page, status_fill, profile)
    if status and status_kind is None:
        draft.issue(element_id, action_no, action.page, "status",
                    f"status {status!r} is not a status word of the profile; status_kind left empty")
    if owner.timeline and reading.rule == "unparsed":
        draft.issue(element_id, action_no, action.page, "timeline",
                    f"timeline {owner.timeline!r} not understood; kept as printed, dates left empty")
    return Action(
        revision=draft.settings.revision,
        element_id=element_id,
        action_no=action_no,
        opportunity=action.opportunity,
        recommendation=action.recommendation,
        owner_timeline=owner_text,
        owners=owner.owner_codes,
        owner_names=owner.owner_names,
        timeline=owner.timeline,
        timeline_start=reading.start,
        timeline_end=reading.end,
        timeline_kind=reading.kind,
        timeline_ambiguous=reading.ambiguous,
        page=action.page,
        progress=progress,
        status=status,
        status_kind=status_kind,
        extra=json.dumps(extra or {}, ensure_ascii=False),
        date_column=date_column,
    )


def _status_of_colour(draft: Draft, element_id, action_no, page, fill: RGB, profile) -> str | None:
    """A status cell printing no word, only a colour: the status whose profile colour
    (``[status] colours``) the fill is; a fill near none of them is an issue."""
    colours = {kind: hex_to_rgb(code) for kind, code in profile.status_colours.items()}
    kind = colour_score(fill, colours)
    shown = "#%02X%02X%02X" % tuple(round(c * 255) for c in fill)
    if kind is None:
        draft.issue(element_id, action_no, page, "status_kind",
                    f"status cell prints no word and its colour {shown} is none of the profile's "
                    "status colours; status_kind left empty")
    return kind


def read_themes(draft: Draft) -> None:
    names = draft.settings.vocab.themes
    for section in draft.plan.themes:
        intro = _clean_text(draft, section.intro, None, None, section.pages[0], "intro")
        draft.drop_lines("theme_heading", [section.heading])
        draft.themes.append(Theme(draft.settings.revision, section.theme_no,
                                  names[section.theme_no - 1], intro))


STEPS: tuple[Step, ...] = (read_heatmap, identify_rows, read_characteristics, read_actions, read_themes)


def normalise(plan: ExtractedPlan, settings: Settings, on_step=None) -> tuple[NormalisedPlan, Draft]:
    all_paragraphs = [p for row in plan.rows for band in row.bands
                      for col in ("opportunity", "recommendation", "owner_timeline", "owner", "progress")
                      for p in band.column(col)]
    all_paragraphs += [p for row in plan.rows for p in row.column("characteristic")]
    all_paragraphs += [p for theme in plan.themes for p in theme.intro]
    draft = Draft(plan=plan, settings=settings, vocabulary=vocabulary_of(all_paragraphs, settings.glossary.code_words()),
                  palette=palette_from_key(plan.key, settings.vocab.scores, settings.vocab.score_colours))
    for step in STEPS:
        step(draft)
        if on_step:
            on_step(step.__name__, draft)
    _check_duplicates(draft)
    for column in plan.columns:
        if column.get("how", "").startswith("inferred"):
            # Its edge is a guess: a label swallowed by its neighbour's cell (a label wider
            # than its cell, seed-7 s18-html) mixes two columns' words with no other sign.
            draft.issue(None, None, None, output_field(column["field"]),
                        f"the header label of the {column['field']} column was not read; the column was "
                        "placed between its neighbours' labels, and its edges may be wrong")
        if column["field"].startswith(EXTRA_PREFIX):
            draft.issue(None, None, None, "extra",
                        f"column {column['printed']!r} matches no field of the profile; its text is kept "
                        "in extra under that label")
    result = NormalisedPlan(
        characteristics=tuple(draft.characteristics),
        actions=tuple(draft.actions),
        themes=tuple(draft.themes),
        heatmap=tuple(draft.heatmap),
        repairs=tuple(draft.repairs),
        issues=tuple(draft.issues),
        dropped=plan.dropped + tuple(draft.dropped),
    )
    return result, draft


# The output field a column's text ends up in, where the column's name is not one: an issue
# or repair must point at a contract column (the issues table's contract checks it).
_OUTPUT_FIELD_OF_COLUMN = {"theme_score": "score", "rating": "score", "characteristic": "description",
                           "owner": "owner_timeline"}


def output_field(column_field: str) -> str:
    """The contract field that holds a profile column's text (``extra`` for an unknown column)."""
    if column_field.startswith(EXTRA_PREFIX):
        return "extra"
    return _OUTPUT_FIELD_OF_COLUMN.get(column_field, column_field)


def _check_duplicates(draft: Draft) -> None:
    seen: set[str] = set()
    for c in draft.characteristics:
        if c.element_id in seen:
            draft.issue(c.element_id, None, c.pages[0], "element_id",
                        f"element id {c.element_id} appears on more than one row")
        seen.add(c.element_id)
