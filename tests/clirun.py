"""Running the CLI in tests: in-process (``run``) or as a real process (``run_process``),
and the check every refusal must pass (``assert_one_line_error``)."""

from __future__ import annotations

import os
import subprocess
import sys

from actionplan.cli import main


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_process(*argv, env: dict | None = None, timeout: float = 300, prefix: tuple = (), **kwargs):
    """``python -m actionplan ARGV`` in a fresh process (optionally under ``prefix``, such
    as unshare or setpriv); returns the CompletedProcess with text output."""
    return subprocess.run([*prefix, sys.executable, "-m", "actionplan", *map(str, argv)],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, **(env or {})}, **kwargs)


def assert_one_line_error(code, err, *phrases):
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("actionplan: ")
    assert "Traceback" not in err
    assert lines[0].isprintable(), repr(lines[0])
    for phrase in phrases:
        assert phrase in lines[0], (phrase, lines[0])
