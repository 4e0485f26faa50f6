"""Make the README's screenshots of both reports: ``python docs/screenshots.py``.

Extracts the 2024 and 2025 samples (with --as-of), diffs them, opens each report.html in
headless Chromium and writes the top of the page as docs/report.png and
docs/diff-report.png (1100 px wide), and the extract report on a 390 px phone as
docs/report-phone.png. Not run by the tests, which write only to temporary folders.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

DOCS = Path(__file__).resolve().parent
ROOT = DOCS.parent
sys.path.insert(0, str(ROOT / "tests"))  # the tests' Browser: one way of driving Chromium

from browser import Browser  # noqa: E402

from actionplan.cli import main  # noqa: E402

SAMPLES = Path("samples")  # relative, so the reports name the samples as a reader would
SHOTS = (("report.png", "extract", 1100, 1500), ("report-phone.png", "extract", 390, 1400),
         ("diff-report.png", "diff", 1100, 1500))


def main_script() -> None:
    os.chdir(ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        old, new = work / "appendix-a-2024", work / "appendix-a-2025"
        for pdf, out in ((SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf", old),
                         (SAMPLES / "appendix-a-2025" / "appendix-a-2025.pdf", new)):
            assert main(["extract", str(pdf), "--out", str(out), "--as-of", "2025-07-01", "--quiet"]) in (0, 1)
        assert main(["diff", str(old), str(new), "--out", str(work / "diff"), "--as-of", "2025-07-01"]) == 0
        pages = {"extract": new / "report.html", "diff": work / "diff" / "report.html"}
        browser = Browser()
        try:
            for name, which, width, height in SHOTS:
                browser.open(pages[which], width)
                image = browser.screenshot()
                image.crop((0, 0, width, min(height, image.height))).save(DOCS / name, optimize=True)
                print(f"wrote {DOCS / name}")
        finally:
            browser.close()


if __name__ == "__main__":
    main_script()
