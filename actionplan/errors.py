"""Errors the CLI turns into one line on stderr and exit code 2, and the one function that
makes any message (ours or a library's) fit on that line."""

from __future__ import annotations

import re

# Longest message the CLI prints; a library's message can be a whole page (pyarrow's are).
MAX_MESSAGE = 400
_UNPRINTABLE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")


class InputError(Exception):
    """The input cannot be read as an action plan; the message is one line for the user."""


class NotAnActionPlan(InputError):
    """A readable PDF that holds no action plan."""


class ConfigError(InputError):
    """A user's configuration file is invalid."""


class OutputError(InputError):
    """The output folder cannot be used: refused (it holds other files, it is an input) or
    unwritable (no permission, read-only, full disk)."""


class BudgetExceeded(InputError):
    """A page needed more time or memory than the per-page budget allows."""


def one_line(message: object) -> str:
    """A message as one printable line: control characters and line breaks become single
    spaces (raw bytes from a corrupt file show as an escape), whitespace runs collapse,
    and a very long message is cut with an ellipsis."""
    text = _UNPRINTABLE.sub(_visible, str(message))
    text = " ".join(text.split())
    if len(text) > MAX_MESSAGE:
        text = text[: MAX_MESSAGE - 1].rstrip() + "…"
    return text


def _visible(match: re.Match) -> str:
    run = match.group(0)
    if run.isspace():
        return " "
    return "".join(" " if ch.isspace() else f"\\x{ord(ch):02x}" for ch in run)
