"""An auditor re-runs a revision and compares: the same PDF and settings write the same
table bytes, Parquet and CSV (the manifests differ only in run times), and writing tables
needs no pandas."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from conftest import SAMPLES

PDF = SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf"
SMALL = SAMPLES / "fixtures" / "two-owner-pairs-in-one-cell" / "two-owner-pairs-in-one-cell.pdf"


def extract_in_a_fresh_process(pdf, out, hash_seed: str) -> None:
    # Different hash seeds: set and dict iteration over strings must not leak into the output.
    env = {**os.environ, "PYTHONHASHSEED": hash_seed}
    result = subprocess.run([sys.executable, "-m", "actionplan", "extract", str(pdf), "--out", str(out)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0, result.stderr


def test_two_runs_write_identical_tables(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    extract_in_a_fresh_process(PDF, first, "1")
    extract_in_a_fresh_process(PDF, second, "2")
    names = sorted(p.name for p in first.iterdir())
    assert names == sorted(p.name for p in second.iterdir())
    tables = [name for name in names if name.endswith((".parquet", ".csv"))]
    assert len(tables) >= 14  # every table, in both formats
    for name in tables:
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    manifests = [json.loads((folder / "manifest.json").read_text()) for folder in (first, second)]
    for manifest in manifests:
        assert set(manifest.pop("seconds")) == {"extract", "normalise", "write", "reports"}
    assert manifests[0] == manifests[1]


def test_the_command_writes_its_tables_without_numpy(tmp_path):
    """The command's own process imports pyarrow without numpy (half its import) and
    without cloudpickle; numpy still imports afterwards."""
    script = ("import sys; from actionplan.cli import main; "
              f"code = main(['extract', {str(SMALL)!r}, '--out', {str(tmp_path / 'out')!r}]); "
              "print(code, 'pyarrow' in sys.modules, 'numpy' in sys.modules, 'cloudpickle' in sys.modules); "
              "import numpy; print('numpy imports')")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.stdout.splitlines()[-2:] == ["0 True False False", "numpy imports"], result.stderr


def test_tables_written_without_numpy_are_a_library_runs_bytes(tmp_path):
    """A library caller's run keeps numpy in pyarrow (its ``to_pandas`` needs it), and the
    command's run without it writes the same bytes."""
    library, command = tmp_path / "library", tmp_path / "command"
    script = ("import sys; from pathlib import Path; from actionplan.config import load_config; "
              "from actionplan.pipeline import run_extract; "
              f"run_extract(Path({str(SMALL)!r}), Path({str(library)!r}), {SMALL.stem!r}, load_config(None)); "
              "print('numpy' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.stdout.split()[-1:] == ["True"], result.stderr
    extract_in_a_fresh_process(SMALL, command, "1")
    names = sorted(p.name for p in library.iterdir() if p.suffix in (".parquet", ".csv", ".html"))
    assert len(names) >= 15 and names == sorted(p.name for p in command.iterdir() if p.suffix in (".parquet", ".csv", ".html"))
    for name in names:
        assert (library / name).read_bytes() == (command / name).read_bytes(), name


def test_an_extract_run_never_imports_pandas(tmp_path):
    script = ("import sys; from actionplan.cli import main; "
              f"code = main(['extract', {str(SMALL)!r}, '--out', {str(tmp_path / 'out')!r}]); "
              "print(code, 'pandas' in sys.modules)")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    assert result.stdout.split()[-2:] == ["0", "False"], result.stderr
