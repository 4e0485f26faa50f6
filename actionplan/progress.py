"""What a run tells the user while it works: stages (reading pages, normalising, writing),
each with a count that moves as the work is done.

The pipeline talks to a ``Progress``; the CLI gives it a ``TerminalProgress`` (a tqdm bar
on stderr) only when stderr is a terminal, and everything else gets ``NoProgress``.
"""

from __future__ import annotations

import os
import sys
from functools import cache
from typing import Protocol, TextIO


# Columns for the bar on a terminal that does not say how wide it is.
FALLBACK_WIDTH = 80


class Progress(Protocol):
    def stage(self, name: str, total: int, unit: str = "step") -> None:
        """A new stage of ``total`` units of work starts (the previous one is over)."""

    def advance(self, done: int = 1) -> None:
        """``done`` more units of the current stage are finished."""

    def close(self) -> None:
        """The run is over (or failed): leave the terminal clean."""


class NoProgress:
    def stage(self, name: str, total: int, unit: str = "step") -> None:
        pass

    def advance(self, done: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class TerminalProgress:
    """One tqdm bar per stage on ``stream``; each bar is redrawn on every advance, so it
    moves page by page even when pages come quickly."""

    def __init__(self, stream: TextIO | None = None):
        self._stream = stream or sys.stderr
        self._bar = None

    def stage(self, name: str, total: int, unit: str = "step") -> None:
        self.close()
        width = {"dynamic_ncols": True} if _reports_width(self._stream) else {"ncols": FALLBACK_WIDTH}
        self._bar = _bar_class()(total=total, desc=name, unit=f" {unit}", file=self._stream, leave=False,
                                 mininterval=0, miniters=1, ascii=_ascii_only(self._stream), **width)
        self._bar.refresh()  # shown at 0 before the first unit is done

    def advance(self, done: int = 1) -> None:
        if self._bar is not None:
            self._bar.update(done)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None


@cache
def _bar_class():
    from tqdm import tqdm  # imported when a bar is first shown: runs without a terminal never pay

    class Bar(tqdm):
        # No monitor thread: page readers are forked while the bar shows.
        monitor_interval = 0

    return Bar


def _reports_width(stream: TextIO) -> bool:
    """A terminal that reports no width (0 columns) would get no bar at all from tqdm."""
    try:
        return os.get_terminal_size(stream.fileno()).columns > 0
    except (OSError, ValueError, AttributeError):
        return False


def _ascii_only(stream: TextIO) -> bool:
    """Block characters only where the terminal's encoding has them (not on a cp1252 console)."""
    encoding = (getattr(stream, "encoding", None) or "ascii").lower()
    return "utf" not in encoding
