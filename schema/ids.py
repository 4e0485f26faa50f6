"""The element-id grammar, strict and tolerant, shared by extract/ and normalise/.

The statutory guidance numbers its characteristics ``(CI|L|G|C|R|SD|PCE)\\d{3}``.
Text layers damage them: OCR reads ``I`` as ``l``/``1``, ``0`` as ``o``/``O``, ``S`` as
``$``/``5``, ``G`` as ``6``/``3``... The tolerant pattern finds such damaged anchors so that
extract/ can start a row there; normalise/ then repairs them (see normalise/ids.py).
"""

from __future__ import annotations

import re

PREFIXES = ("PCE", "SD", "CI", "L", "G", "C", "R")

STRICT_ID = re.compile(r"\b(?:PCE|SD|CI|L|G|C|R)\d{3}\b")

# Characters OCR and converters put where the grammar's letters or digits belong.
_LETTERISH = r"A-Za-z$5361|!"
_DIGITISH = r"0-9OoQDIl|!SsZzBg"

# One to four letter-ish characters, then three digit-ish ones, then a word end or ':'.
# "cloos" (CI008) has only two digit-ish characters after "cl": allow 2-4 and let
# normalise/ decide with the row's theme and the heatmap.
TOLERANT_ID = re.compile(
    rf"^[{_LETTERISH}]{{1,4}}[{_DIGITISH}]{{2,4}}(?=$|[:;.,\s)])"
)


def looks_like_id(token: str) -> bool:
    """True when a token could be an element id, damaged or not."""
    token = token.strip().rstrip(":;.,")
    if STRICT_ID.fullmatch(token):
        return True
    if not TOLERANT_ID.match(token + " "):
        return False
    # A real word of the same shape ("Cool", "Sold") has too few digit-like characters.
    digits = sum(ch.isdigit() for ch in token)
    return digits >= 1 or token.lower().startswith(("cl", "ci", "c1"))


def is_strict_id(token: str) -> bool:
    return bool(STRICT_ID.fullmatch(token))
