"""Libraries that pdfminer imports for work this project never asks of it, loaded only if
something does ask.

pdfminer.six imports charset_normalizer when any of its modules loads (``pdfminer.utils``),
to guess the encoding of byte strings it turns into text for its XML and HTML converters
and its tag device -- none of which a run uses. The import costs about 16 ms CPU a run
(measured 2026-12-07, 18 pages). A stand-in module takes its place in ``sys.modules``: its
``import`` succeeds at once, and the first attribute asked of it (``detect``) imports the
real module and answers from it. (``importlib.util.LazyLoader`` does not serve: an
``import`` statement of a module already in ``sys.modules`` reads its ``__spec__``, which
loads a lazy module there and then.)

pdfminer.pdfdocument takes ``Cipher``, ``algorithms``, ``modes`` and ``default_backend``
from the cryptography package, for AES-encrypted PDFs only: about 8-12 ms CPU a run
(cryptography's Rust bindings), for a cipher almost no plan needs. ``from X import name``
asks the module for the name at once, so these stand-ins hand out a stand-in for each such
name (``_Later``): calling it, or asking it for an attribute (``algorithms.AES``), imports
the real module and answers from the real name. A stand-in name is not the real class:
``isinstance`` against it, or a subclass of it, would fail. No code that a run loads does
either (pdfminer only calls them); any other name asked of such a module loads the real one.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

DEFERRED = ("charset_normalizer",)
# Modules whose names pdfminer takes with ``from X import name``, and those names.
DEFERRED_NAMES = {
    "cryptography.hazmat.backends": ("default_backend",),
    "cryptography.hazmat.primitives.ciphers": ("Cipher", "algorithms", "modes"),
}


def defer_unused_imports() -> None:
    """Put a stand-in for each deferred module that is not loaded yet."""
    for name in (*DEFERRED, *DEFERRED_NAMES):
        spec = None if name in sys.modules else _find_spec(name)
        if spec is None:
            continue  # loaded already, or not installed (pdfminer's own import will say so)
        stand_in = sys.modules[name] = _stand_in(name, spec)
        if name in DEFERRED_NAMES:
            for attribute in DEFERRED_NAMES[name]:
                setattr(stand_in, attribute, _Later(stand_in, attribute))
            if spec.submodule_search_locations is not None:
                # ``from package import name`` asks a package for names it lacks as its
                # submodules, and first asks it whether it is one: answered without loading
                stand_in.__path__ = list(spec.submodule_search_locations)


def _find_spec(name: str):
    # A submodule's spec is found through its parent package, which find_spec imports: only
    # the top package's own __init__ (cryptography's is small), never the submodule.
    try:
        return importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None


def _stand_in(name: str, spec) -> types.ModuleType:
    stand_in = types.ModuleType(name, f"stands in for {name} until first used")
    stand_in.__spec__ = spec  # the real one: importlib.util.find_spec(name) still answers

    def load(attribute: str):
        if sys.modules.get(name) is stand_in:
            del sys.modules[name]
        real = importlib.import_module(name)
        stand_in.__dict__.update({k: v for k, v in vars(real).items() if k not in ("__name__", "__doc__")})
        return getattr(real, attribute)

    stand_in.__getattr__ = load  # PEP 562: asked only for what the module does not hold
    return stand_in


class _Later:
    """A name taken from a deferred module before its first use: the real name once used
    (asked of the stand-in, which loads the real module in its place and then holds the
    real names, so later ``from`` imports get them)."""

    __slots__ = ("_stand_in", "_name", "_real_name")

    def __init__(self, stand_in: types.ModuleType, name: str):
        self._stand_in, self._name, self._real_name = stand_in, name, None

    def _real(self):
        if self._real_name is None:
            self._real_name = self._stand_in.__getattr__(self._name)
        return self._real_name

    def __call__(self, *args, **kwargs):
        return self._real()(*args, **kwargs)

    def __getattr__(self, attribute: str):
        return getattr(self._real(), attribute)

    def __repr__(self) -> str:
        return f"<deferred {self._stand_in.__name__}.{self._name}>"
