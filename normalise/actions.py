"""Bands -> actions: owners split from timelines, a cell of several owner/timeline pairs
split across the recommendations it sits beside, timelines read as dates."""

from __future__ import annotations

from dataclasses import dataclass

from actionplan.normalise.owners import OwnerGlossary, OwnerTimeline, split_owner_timeline, split_pairs, timeline_text
from actionplan.normalise.text import PARAGRAPH_BREAK


@dataclass(frozen=True)
class BandTexts:
    """One band of a row: the texts of its three action columns, as paragraphs."""

    opportunity: tuple[str, ...]  # paragraphs
    recommendation: tuple[str, ...]
    owner_timeline: tuple[str, ...]
    page: int
    timeline: tuple[str, ...] | None = None  # the date cell, where owner and date are two columns


@dataclass(frozen=True)
class ActionDraft:
    """An action read from a band, before it is numbered and typed."""

    opportunity: str
    recommendation: str
    owner: OwnerTimeline
    page: int


def band_actions(band: BandTexts, glossary: OwnerGlossary) -> list[ActionDraft]:
    """One action per band, unless one owner cell holds as many owner/timeline pairs as the
    band has recommendation paragraphs: then pair them up in order. The first action keeps
    the opportunity cell, unless it holds one paragraph per action: then one each, in order
    (as a band's progress and status cells are shared)."""
    owner_text = PARAGRAPH_BREAK.join(band.owner_timeline)
    if band.timeline is not None:
        return [ActionDraft(
            opportunity=PARAGRAPH_BREAK.join(band.opportunity),
            recommendation=PARAGRAPH_BREAK.join(band.recommendation),
            owner=_owner_and_date(owner_text, " ".join(band.timeline), glossary),
            page=band.page,
        )]
    pairs = split_pairs(owner_text, glossary) if owner_text else []
    recs = band.recommendation
    if len(pairs) >= 2 and len(pairs) == len(recs):
        return [
            ActionDraft(
                opportunity=share(i, len(pairs), band.opportunity),
                recommendation=rec,
                owner=pair,
                page=band.page,
            )
            for i, (rec, pair) in enumerate(zip(recs, pairs))
        ]
    return [ActionDraft(
        opportunity=PARAGRAPH_BREAK.join(band.opportunity),
        recommendation=PARAGRAPH_BREAK.join(recs),
        owner=_whole(owner_text, pairs, glossary),
        page=band.page,
    )]


def share(i: int, siblings: int, paragraphs: tuple[str, ...]) -> str:
    """Action ``i``'s part of a cell shared by a band's ``siblings`` actions: its own
    paragraph where there is one per action; otherwise the first action carries the cell."""
    if siblings > 1 and len(paragraphs) == siblings:
        return paragraphs[i]
    return PARAGRAPH_BREAK.join(paragraphs) if i == 0 else ""


def _owner_and_date(owner_text: str, date_text: str, glossary: OwnerGlossary) -> OwnerTimeline:
    """Owner and date printed in two columns: owners from the one, the timeline from the
    other (one trailing full stop removed, as for the timeline part of a combined cell)."""
    owners = split_owner_timeline(owner_text, glossary)
    return OwnerTimeline(owners.text, owners.owners, timeline_text(date_text, glossary))


def _whole(owner_text: str, pairs: list[OwnerTimeline], glossary: OwnerGlossary) -> OwnerTimeline:
    if len(pairs) <= 1:
        return pairs[0] if pairs else split_owner_timeline("", glossary)
    # Pairs that cannot be lined up with recommendations stay one action: every owner, in
    # order, and the first pair's timeline (the caller records an issue).
    owners = tuple({t.canonical: t for p in pairs for t in p.owners}.values())
    return OwnerTimeline(owner_text, owners, pairs[0].timeline)
