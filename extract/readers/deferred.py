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
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types

DEFERRED = ("charset_normalizer",)


def defer_unused_imports() -> None:
    """Put a stand-in for each DEFERRED module that is not loaded yet."""
    for name in DEFERRED:
        spec = None if name in sys.modules else importlib.util.find_spec(name)
        if spec is None:
            continue  # loaded already, or not installed (pdfminer's own import will say so)
        sys.modules[name] = _stand_in(name, spec)


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
