"""The command's process ends without Python's teardown (actionplan/command.py), and loses
nothing by it: its output is flushed, its exit code kept, every exit handler run."""

from __future__ import annotations

import os
import subprocess
import sys

from clirun import run_process

SAMPLE = "samples/appendix-a-2024/appendix-a-2024.pdf"

# A module-level object is freed only by the interpreter's teardown: its finaliser shows
# whether the teardown ran.
MARKER = """
import atexit, sys

class Marker:
    def __del__(self):
        sys.stderr.write("torn down\\n")

marker = Marker()
"""
# main, as run() calls it, registers an exit handler as a library would once the command
# has started: it must still run.
THROUGH_RUN = """
import actionplan.cli as cli
real_main = cli.main

def main_that_registers_a_handler():
    atexit.register(lambda: sys.stderr.write("handler ran\\n"))
    return real_main()

cli.main = main_that_registers_a_handler
from actionplan.command import run
run()
"""
THROUGH_MAIN = """
from actionplan.cli import main
sys.exit(main())
"""


def _program(start: str, *argv: str) -> subprocess.CompletedProcess:
    program = MARKER + f"sys.argv = ['actionplan', *{list(argv)!r}]\n" + start
    # buffered, as a pipe's output is unless PYTHONUNBUFFERED says otherwise
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, timeout=300, env=env)


def test_the_command_skips_the_teardown_but_not_its_exit_handlers():
    ended = _program(THROUGH_RUN, "--version")
    assert ended.returncode == 0, ended.stderr
    assert ended.stdout.startswith("actionplan ")  # a pipe's buffered output still flushed
    assert "handler ran" in ended.stderr
    assert "torn down" not in ended.stderr


def test_main_alone_is_torn_down_as_usual():
    # The control: the marker does show a teardown where one happens.
    ended = _program(THROUGH_MAIN, "--version")
    assert (ended.returncode, "torn down" in ended.stderr) == (0, True)


def test_exit_codes_and_messages_survive_the_quick_end(tmp_path):
    refused = run_process("extract", tmp_path / "missing.pdf", "--out", tmp_path / "a")
    assert refused.returncode == 2
    assert refused.stderr.startswith("actionplan: ") and refused.stderr.count("\n") == 1

    done = run_process("extract", SAMPLE, "--out", tmp_path / "b")
    summary = done.stdout.strip().splitlines()
    assert done.returncode == 0 and summary and "characteristics" in summary[-1], done.stderr
    assert (tmp_path / "b" / "manifest.json").stat().st_size > 0
    assert (tmp_path / "b" / "plan.xlsx").stat().st_size > 0
