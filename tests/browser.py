"""A real headless Chromium (Debian's chromium + chromium-driver), driven by selenium, to
look at the HTML reports as a reader's browser lays them out. No skipping: CI installs
both packages, and a missing browser is a failing test."""

from __future__ import annotations

import base64
import io
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from PIL import Image
from selenium import webdriver
from selenium.webdriver.chrome.service import Service

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", "--no-first-run")

CELLS_JS = """
return [...document.querySelectorAll(arguments[0])].map(e => {
  const r = e.getBoundingClientRect();
  return {element_id: e.dataset.elementId || null, score: e.dataset.score, moved: e.dataset.moved || null,
          text: e.innerText, side: e.closest('[data-side]') ? e.closest('[data-side]').dataset.side : null,
          x: r.left + window.scrollX, y: r.top + window.scrollY, width: r.width, height: r.height};
});
"""


class Browser:
    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="actionplan-chromium-")
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS + (f"--user-data-dir={self.profile}",):
            options.add_argument(flag)
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)

    def open(self, path: Path, width: int, height: int = 900) -> None:
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
            "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600})
        # A full-page capture resizes the viewport; without a scrollbar to come and go, the
        # layout (and so every box measured before it) stays where it was.
        self.driver.execute_cdp_cmd("Emulation.setScrollbarsHidden", {"hidden": True})
        self.driver.get(Path(path).resolve().as_uri())

    def elements(self, selector: str) -> list[dict]:
        """Each matching element's data attributes, text and box in page coordinates."""
        return self.driver.execute_script(CELLS_JS, selector)

    def horizontal_overflow(self) -> int:
        """Pixels the page is wider than the viewport (0: no horizontal scrolling)."""
        return self.driver.execute_script(
            "return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - window.innerWidth")

    def screenshot(self, boxes: list[dict] | None = None) -> Image.Image:
        """The page from its top, beyond the viewport, at 1 CSS pixel per pixel: down to the
        lowest of ``boxes`` if given, else the whole page."""
        width, height = self.driver.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.scrollHeight]")
        if boxes:
            height = min(height, int(max(b["y"] + b["height"] for b in boxes)) + 2)
        shot = self.driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
        return Image.open(io.BytesIO(base64.b64decode(shot["data"]))).convert("RGB")

    def close(self) -> None:
        self.driver.quit()
        shutil.rmtree(self.profile, ignore_errors=True)


def background_at(image: Image.Image, box: dict, inset: int = 6) -> str:
    """The commonest colour of a small patch just inside a box's top-left corner (clear of
    its border, its outline and its centred text), as "#RRGGBB"."""
    x, y = int(box["x"]) + inset, int(box["y"]) + inset
    patch = [image.getpixel((x + dx, y + dy)) for dx in range(3) for dy in range(3)]
    r, g, b = Counter(patch).most_common(1)[0][0]
    return f"#{r:02X}{g:02X}{b:02X}"
