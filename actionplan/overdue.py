"""Overdue actions on a stated date: ``--as-of DATE`` of ``extract`` and ``diff``.

The date is always the user's, recorded in the manifest, never the day of the run: the
same inputs give the same tables and reports whenever they are run.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from actionplan.errors import InputError
from actionplan.schema.records import Action

DATE_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class Overdue:
    """One row of the ``overdue`` table."""

    revision: str
    as_of: date
    theme_no: int | None
    element_id: str
    action_no: int
    owners: tuple[str, ...]
    owner_names: tuple[str, ...]
    timeline: str
    timeline_kind: str
    timeline_end: date
    days_overdue: int


def parse_as_of(text: str | None) -> date | None:
    """``--as-of``: YYYY-MM-DD, or None when not given."""
    if text is None:
        return None
    try:
        if not DATE_FORMAT.fullmatch(text):
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"--as-of {text!r}: not a date in the form YYYY-MM-DD") from None


def is_overdue(action: Action, as_of: date) -> bool:
    """The timeline ended before ``as_of`` and the action is not marked complete (by its
    timeline, or by its status: a complete action is never overdue)."""
    return (action.timeline_end is not None and action.timeline_end < as_of
            and action.timeline_kind != "complete" and getattr(action, "status_kind", None) != "complete")


def overdue_actions(actions: Iterable[Action], as_of: date, theme_of: Mapping[str, int | None],
                    revision: str) -> tuple[Overdue, ...]:
    """The overdue actions, in the order given (document order)."""
    return tuple(
        Overdue(revision=revision, as_of=as_of, theme_no=theme_of.get(a.element_id),
                element_id=a.element_id, action_no=a.action_no, owners=a.owners,
                owner_names=a.owner_names, timeline=a.timeline, timeline_kind=a.timeline_kind,
                timeline_end=a.timeline_end, days_overdue=(as_of - a.timeline_end).days)
        for a in actions if is_overdue(a, as_of)
    )
