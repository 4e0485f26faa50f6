"""pdfminer's imports of charset_normalizer and of cryptography's ciphers are deferred to
their first use (extract/readers/deferred.py): a run of a PDF that is not AES-encrypted asks
for neither, and both still work when asked."""

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


# ------------------------------------------------------------------ cryptography (AES only)

PLAIN = "samples/fixtures/header-not-repeated/header-not-repeated.pdf"
AES = "tests/data/encrypted/header-not-repeated-aes256.pdf"

READ_A_PLAIN_PDF = f"""
import sys
from pathlib import Path
import actionplan.extract.readers
from actionplan.extract.readers import open_reader
from actionplan.extract.structure import read_tree
reader = open_reader("pdfium", Path({PLAIN!r}), None)
pages = [reader.read(n) for n in range(1, reader.page_count() + 1)]
read_tree({PLAIN!r}, None)
print(len(pages) > 0, "cryptography.hazmat.bindings._rust" in sys.modules)
"""


def test_reading_a_pdf_that_is_not_aes_encrypted_loads_no_cipher():
    out = subprocess.run([sys.executable, "-c", READ_A_PLAIN_PDF], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["True", "False"]


def test_an_aes_encrypted_pdf_reads_as_its_plain_original(tmp_path, capsys):
    from clirun import run

    tables = ("characteristics", "actions", "heatmap", "themes", "repairs", "issues", "dropped")
    read = {}
    for name, pdf, extra in (("plain", PLAIN, ()), ("aes", AES, ("--password", "aes"))):
        code, _, err = run(capsys, "extract", pdf, "--out", tmp_path / name, "--revision", "r", *extra)
        assert code == 0, err
        read[name] = {t: (tmp_path / name / f"{t}.csv").read_text(encoding="utf-8") for t in tables}
    assert read["aes"] == read["plain"]
    assert read["aes"]["actions"].count("\n") > 5  # the plan's actions, not an empty table


def test_a_deferred_name_is_the_real_one_once_used():
    probe = ("import sys\n"
             "import actionplan.extract.readers\n"
             "from pdfminer.pdfdocument import Cipher, algorithms, modes\n"
             "cipher = Cipher(algorithms.AES(bytes(16)), modes.CBC(bytes(16)))\n"
             "encryptor = cipher.encryptor()\n"
             "print(len(encryptor.update(bytes(16)) + encryptor.finalize()))\n"
             "import cryptography.hazmat.primitives.ciphers as ciphers\n"
             "print(ciphers.Cipher is type(cipher), sys.modules['cryptography.hazmat.primitives.ciphers'] is ciphers)")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["16", "True", "True"]
