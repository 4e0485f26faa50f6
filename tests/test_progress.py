"""The progress bar, seen as a person sees it: in a pseudo-terminal."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

from conftest import SAMPLES

PDF = SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf"  # 19 pages


def run_in_terminal(*argv) -> tuple[int, str]:
    """Run the CLI with stderr on a pseudo-terminal; return its exit code and what the
    terminal received."""
    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))  # 100 columns
    process = subprocess.Popen([sys.executable, "-m", "actionplan", *map(str, argv)],
                               stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=follower)
    os.close(follower)
    screen = read_all(leader)
    return process.wait(timeout=300), screen


def read_all(leader: int) -> str:
    """What the terminal received, until every writer has closed it."""
    received = bytearray()
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the other side is closed
            break
        if not chunk:
            break
        received += chunk
    os.close(leader)
    return received.decode("utf-8", "replace")


def test_the_bar_moves_page_by_page_then_shows_each_later_stage(tmp_path):
    code, screen = run_in_terminal("extract", PDF, "--out", tmp_path / "out")
    assert code == 0, screen
    counts = [int(n) for n in re.findall(r"reading pages:[^\r\n]*?\b(\d+)/19\b", screen)]
    assert counts[0] == 0 and counts[-1] == 19
    assert sorted(set(counts)) == list(range(20))  # every page, one at a time
    assert counts == sorted(counts)
    stages = [m.group(1) for m in re.finditer(r"(reading pages|normalising|writing):", screen)]
    assert [s for i, s in enumerate(stages) if i == 0 or stages[i - 1] != s] == [
        "reading pages", "normalising", "writing"]
    assert re.search(r"writing:[^\r\n]*\b(\d+)/\1\b", screen)  # every table, the reports, the manifest


def test_no_bar_when_quiet(tmp_path):
    code, screen = run_in_terminal("extract", PDF, "--out", tmp_path / "out", "--quiet")
    assert code == 0 and screen == ""


def test_a_terminal_that_reports_no_width_still_gets_a_bar():
    from actionplan.progress import TerminalProgress

    leader, follower = pty.openpty()  # a fresh pseudo-terminal reports 0 columns
    with os.fdopen(follower, "w", encoding="utf-8") as stream:
        bar = TerminalProgress(stream)
        bar.stage("reading pages", 3, unit="page")
        bar.advance()
        bar.close()
    received = read_all(leader)
    assert "reading pages" in received and "1/3" in received
