"""The run's self-checks: could anything have been lost without a word?

Each check gives a ``Check`` (name, passed, detail) for the manifest and, when it fails, an
``Issue`` naming the ids and pages concerned, so that a damaged PDF -- a page missing, a
page left blank by a broken content stream, text drawn mirrored, a header that swallowed
body text -- can never pass as a clean run.

    CHECKS = heatmap_has_every_row -> ids_in_sequence -> every_plan_page_used
             -> text_reads_upright -> every_character_accounted
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from actionplan.schema.ids import STRICT_ID
from actionplan.schema.records import ExtractedPlan, Issue, NormalisedPlan


@dataclass(frozen=True)
class Check:
    """The outcome of one self-check, as the manifest records it."""

    name: str
    passed: bool
    detail: str


@dataclass(frozen=True)
class CheckInput:
    """What the self-checks look at: the extraction, the plan and the character ledger."""

    revision: str
    extracted: ExtractedPlan
    plan: NormalisedPlan
    ledger: dict


@dataclass(frozen=True)
class Finding:
    """A self-check's outcome and the issues it raised."""

    check: Check
    issues: tuple[Issue, ...] = ()


def _ok(name: str, detail: str) -> Finding:
    return Finding(Check(name, True, detail))


def _failed(name: str, detail: str, issues: Sequence[Issue]) -> Finding:
    return Finding(Check(name, False, detail), tuple(issues))


def heatmap_has_every_row(data: CheckInput) -> Finding:
    """Every id of the heatmap has a row, and every row's id is in the heatmap."""
    name = "heatmap_has_every_row"
    heatmap_ids = _heatmap_ids(data.plan.heatmap)
    if not heatmap_ids:
        return _ok(name, "the plan has no heatmap to check the rows against")
    rows = {c.element_id: c for c in data.plan.characteristics}
    issues = []
    missing = [i for i in heatmap_ids if i not in rows]
    for element_id in missing:
        pages = _pages_between(element_id, heatmap_ids, rows)
        issues.append(Issue(data.revision, element_id, None, None, "element_id",
                            f"{element_id} is in the heatmap but no row of the plan has it "
                            f"(it should be on page {pages})"))
    extra = [i for i in rows if i not in set(heatmap_ids)]
    for element_id in extra:
        issues.append(Issue(data.revision, element_id, None, rows[element_id].pages[0], "element_id",
                            f"row {element_id} is not in the heatmap"))
    if not issues:
        return _ok(name, f"all {len(heatmap_ids)} heatmap ids have a row")
    return _failed(name, f"{len(missing)} heatmap id(s) without a row, {len(extra)} row(s) not in the heatmap",
                   issues)


def _heatmap_ids(heatmap) -> list[str]:
    """The ids the heatmap stands for, in order. A cell printed without an id ("See CI012")
    stands for the id of its position, where the theme row's ids are numbered by position."""
    ids = []
    for entry in heatmap:
        if entry.element_id:
            ids.append(entry.element_id)
            continue
        row = [h for h in heatmap if h.theme_no == entry.theme_no and h.element_id]
        parts = [ID_PARTS.match(h.element_id) for h in row]
        prefixes = {p.group(1) for p in parts if p}
        by_position = all(p and int(p.group(2)) == h.position for p, h in zip(parts, row))
        if row and len(prefixes) == 1 and by_position:
            ids.append(f"{prefixes.pop()}{entry.position:03d}")
    return ids


def _pages_between(element_id: str, order: Sequence[str], rows) -> str:
    """Where a missing row should have been: from its found predecessor's last page to its
    found successor's first."""
    index = order.index(element_id)
    before = next((rows[i].pages[-1] for i in reversed(order[:index]) if i in rows), None)
    after = next((rows[i].pages[0] for i in order[index + 1:] if i in rows), None)
    if before is None and after is None:
        return "unknown"
    if before is None or after is None or before == after:
        return str(before or after)
    return f"{before}-{after}"


ID_PARTS = re.compile(r"^(\D+)(\d+)$")


def ids_in_sequence(data: CheckInput) -> Finding:
    """Within a theme, ids run 001, 002, ...: a gap means rows were lost."""
    name = "ids_in_sequence"
    issues = []
    previous: dict[str, tuple[int, int | None]] = {}
    for c in data.plan.characteristics:
        parts = ID_PARTS.match(c.element_id) if STRICT_ID.fullmatch(c.element_id) else None
        if not parts:
            continue
        prefix, number = parts.group(1), int(parts.group(2))
        last, last_page = previous.get(prefix, (0, None))
        if number > last + 1:
            gap = ", ".join(f"{prefix}{n:03d}" for n in range(last + 1, number))
            where = (f"pages {last_page}-{c.pages[0]}" if last_page and last_page != c.pages[0]
                     else f"page {c.pages[0]}")
            issues.append(Issue(data.revision, c.element_id, None, c.pages[0], "element_id",
                                f"ids jump to {c.element_id}: no row for {gap} ({where})"))
        previous[prefix] = (max(number, last), c.pages[-1])
    if not issues:
        return _ok(name, "ids run in sequence within every theme")
    return _failed(name, f"{len(issues)} gap(s) in the id sequence", issues)


def every_plan_page_used(data: CheckInput) -> Finding:
    """A page inside the plan gives a row or a continuation; a page without text between
    pages with text is a page the reader lost."""
    name = "every_plan_page_used"
    pages = [p for p in data.extracted.pages if p.in_plan]
    last_used = max((p.number for p in pages if p.claimed), default=0)
    issues = []
    for page in data.extracted.pages:
        if page.error:
            issues.append(Issue(data.revision, None, None, page.number, "description",
                                f"page {page.number} could not be read ({page.error}): its rows are missing"))
    for page in pages:
        if page.error or page.number > last_used or page.claimed:
            continue
        why = "has no text at all" if not page.words else "gives no row and no continuation"
        issues.append(Issue(data.revision, None, None, page.number, "description",
                            f"page {page.number} of the plan {why}: rows may be missing"))
    if not issues:
        return _ok(name, f"all {len(pages)} plan pages give rows or continuations")
    return _failed(name, f"{len(issues)} plan page(s) gave nothing", issues)


def text_reads_upright(data: CheckInput) -> Finding:
    """Text drawn mirrored, or whose lines read far better backwards, was not read right."""
    name = "text_reads_upright"
    issues = []
    for page in data.extracted.pages:
        if page.unreadable:
            sample = " ".join(page.unreadable[:8])
            issues.append(Issue(data.revision, None, None, page.number, "description",
                                f"page {page.number}: {len(page.unreadable)} word(s) drawn mirrored, "
                                f"set aside unread: {sample!r}"))
    issues += _backwards_lines(data)
    if not issues:
        return _ok(name, "all text reads upright and forwards")
    return _failed(name, f"{len(issues)} page(s) or line(s) of text not read upright", issues)


# A line reads backwards when most of its reversed words are the document's own words and
# few of its words as printed are (_reads_backwards) -- judged on words whose reversal says something: words of
# MIN_LETTERS letters or more, not palindromes ("non", "terpret"), not the pieces of a word
# broken at a line end ("sense of col-": "col" is half a word, its reversal means nothing); and at least
# BACKWARDS_MIN_WORDS of them reversed must be known, so that one coincidence is no finding.
BACKWARDS_MIN_WORDS = 2
MIN_LETTERS = 3
LINE_END_HYPHENS = "-\u00ad\u2010\u2011"


def _backwards_lines(data: CheckInput) -> list[Issue]:
    lines = [(row.anchor, line, cut_before) for row in data.extracted.rows
             for ps in list(row.cells.values()) + [ps for b in row.bands for ps in b.cells.values()]
             for p in ps for line, cut_before in _lines_with_cuts(p)]
    cores = [[_word_core(w.text) for w in line.words] for _, line, _ in lines]  # each word once
    vocabulary = Counter(core for line_cores in cores for core in line_cores)
    issues = []
    for (anchor, line, cut_before), line_cores in zip(lines, cores):
        if _reads_backwards(_telling_words(line, line_cores, cut_before), vocabulary):
            issues.append(Issue(data.revision, None, None, line.page, "description",
                                f"page {line.page}: a line of row {anchor} reads backwards: {line.text!r}"))
    return issues


def _lines_with_cuts(paragraph):
    """Each line of a paragraph, and whether the line above ended in a hyphen (its first
    word is then perhaps the second piece of a broken word)."""
    cut = False
    for line in paragraph.lines:
        yield line, cut
        cut = bool(line.words) and line.words[-1].text[-1:] in LINE_END_HYPHENS


def _telling_words(line, line_cores: list[str], cut_before: bool) -> list[str]:
    """The line's words whose reversal tells which way the line reads."""
    last = len(line.words) - 1
    telling = []
    for i, (word, core) in enumerate(zip(line.words, line_cores)):
        if len(core) < MIN_LETTERS or core == core[::-1]:
            continue
        if (i == 0 and cut_before) or (i == last and word.text[-1:] in LINE_END_HYPHENS):
            continue  # a piece of a broken word, not a word
        telling.append(core)
    return telling


def _reads_backwards(words: list[str], vocabulary: Counter) -> bool:
    """Most words' reversals are printed elsewhere more often than the words themselves (a
    row drawn backwards repeats its own reversed words: "eht" is then printed, if less often
    than "the"), and hardly any word is printed elsewhere more often than its reversal."""
    if len(words) < BACKWARDS_MIN_WORDS:
        return False
    elsewhere = [(vocabulary[w] - 1, vocabulary[w[::-1]]) for w in words]  # (as printed, reversed)
    known_forwards = sum(forwards > backwards for forwards, backwards in elsewhere)
    known_backwards = sum(backwards > forwards for forwards, backwards in elsewhere)
    return (known_backwards >= max(BACKWARDS_MIN_WORDS, 0.5 * len(words))
            and known_forwards <= 0.1 * len(words))


_NOT_WORD = re.compile(r"[^\w]")


def _word_core(text: str) -> str:
    return _NOT_WORD.sub("", text).lower()


def every_character_accounted(data: CheckInput) -> Finding:
    name = "every_character_accounted"
    unaccounted = data.ledger["unaccounted"]
    if unaccounted == 0:
        return _ok(name, f"{data.ledger['characters_read']} characters read, all accounted for")
    detail = (f"{unaccounted} of {data.ledger['characters_read']} characters unaccounted for "
              f"(in output fields {data.ledger['in_output_fields']}, removed by repairs "
              f"{data.ledger['removed_by_repairs']}, dropped {sum(data.ledger['dropped'].values())})")
    return _failed(name, detail, [Issue(data.revision, None, None, None, "description", detail)])


CHECKS: tuple[Callable[[CheckInput], Finding], ...] = (
    heatmap_has_every_row, ids_in_sequence, every_plan_page_used, text_reads_upright,
    every_character_accounted,
)


def run_checks(data: CheckInput) -> tuple[tuple[Check, ...], tuple[Issue, ...]]:
    findings = [check(data) for check in CHECKS]
    return tuple(f.check for f in findings), tuple(i for f in findings for i in f.issues)
