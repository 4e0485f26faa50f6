"""pdfminer's import of charset_normalizer is deferred to its first use
(extract/readers/deferred.py): a run never asks for it, and it still works when asked."""

from __future__ import annotations

import subprocess
import sys

PROBE = """
import sys
import actionplan.extract.readers
import pdfminer.pdfdocument, pdfminer.utils
print("loaded before use:", "charset_normalizer.api" in sys.modules)
print(pdfminer.utils.make_compat_str("caf\\u00e9 au lait, d\\u00e9j\\u00e0 vu".encode("utf-8")))
print("loaded after use:", "charset_normalizer.api" in sys.modules)
import charset_normalizer
print(charset_normalizer.from_bytes(b"plain words").best() is not None)
"""

BEFORE_USE = """
import importlib.util, sys
import actionplan.extract.readers
import pdfminer.utils
print(importlib.util.find_spec("charset_normalizer").name, "charset_normalizer.api" in sys.modules)
"""


def test_the_stand_in_answers_find_spec_without_loading():
    out = subprocess.run([sys.executable, "-c", BEFORE_USE], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["charset_normalizer", "False"]


def test_pdfminer_loads_without_charset_normalizer_and_still_decodes_with_it():
    out = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["loaded before use: False", "caf\u00e9 au lait, d\u00e9j\u00e0 vu", "loaded after use: True", "True"]


def test_a_module_loaded_already_is_left_alone():
    probe = ("import sys, charset_normalizer; real = charset_normalizer\n"
             "import actionplan.extract.readers\n"
             "print(sys.modules['charset_normalizer'] is real)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "True"
