"""Make a "scanned" copy of the 2024 sample PDF, then OCR it.

Two outputs, both from ``samples/appendix-a-2024/appendix-a-2024.pdf``:

1. ``appendix-a-2024-scan-image-only.pdf`` -- every page rasterised, skewed, blurred and
   noised like a colour office scanner, saved as JPEG and assembled into a PDF with no
   text layer at all;
2. ``appendix-a-2024-scan-ocr.pdf`` -- that PDF run through OCRmyPDF (Tesseract, English),
   which adds an invisible OCR text layer over the unchanged page images.

THE PARAMETERS BELOW ARE PART OF THE SAMPLE.  They were chosen to look like a real scan
and must never be weakened (less skew, less noise, higher dpi, deskew/clean turned on, ...)
to make a test pass.  If the pipeline cannot read the scan, fix the pipeline or mark the
test as a known limitation.  Any deliberate change must be recorded in
``samples/appendix-a-2024-scan/README.md`` together with the new OCR id-survival counts.

Everything random is drawn from one seeded generator, page by page, so a rebuild with the
same inputs and tool versions gives the same images (the OCR layer depends on the
Tesseract version, which the README records).

Usage::

    python samples/build/scan.py [--pdf samples/appendix-a-2024/appendix-a-2024.pdf]
                                 [--out-dir samples/appendix-a-2024-scan]
                                 [--skip-ocr]
"""

from __future__ import annotations

import argparse
import io
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

HERE = Path(__file__).resolve().parent
SAMPLES = HERE.parent
DEFAULT_PDF = SAMPLES / "appendix-a-2024" / "appendix-a-2024.pdf"
DEFAULT_OUT = SAMPLES / "appendix-a-2024-scan"
STEM = "appendix-a-2024-scan"

# ---- the scan parameters (never weaken these; see the module docstring) -----------------
SEED = 20240930            # numpy.random.default_rng(SEED); one generator for the whole run
DPI = 180                  # rasterisation resolution (pypdfium2), also the image dpi in the PDF
SKEW_MIN_DEG = 0.4         # |skew| per page drawn uniformly from [SKEW_MIN_DEG, SKEW_MAX_DEG]
SKEW_MAX_DEG = 0.8         # with a random sign; rotation about the page centre, bicubic
SHIFT_MAX_PX = 6           # page offset on the platen: dx, dy uniform integers in [-6, 6] px
BLUR_RADIUS = 0.6          # PIL GaussianBlur radius (px) -- scanner optics
PAPER_RGB = (246, 244, 238)  # white maps to this slightly warm off-white (paper + lamp)
INK_LIFT = 18              # black maps to this grey level (toner/scan contrast), per channel
GRAIN_SIGMA = 5.0          # gaussian grain before the blur, std dev in 0..255 units, same on
                           # all channels (luminance)
CHROMA_SIGMA = 1.5         # ... plus independent per-channel grain (colour noise), before blur
SENSOR_SIGMA = 1.5         # gaussian luminance noise after the blur (sharp sensor noise)
SALT_PEPPER = 0.0004       # fraction of pixels set to dark specks (dust) ...
SALT_FRACTION = 0.35       # ... of which this share are white instead (dropouts)
JPEG_QUALITY = 75          # Pillow JPEG, 4:2:0 chroma subsampling, optimize=True, progressive
# OCR: OCRmyPDF with Tesseract English; no deskew, no clean, no rotation -> the skew and the
# noise stay in the images that the text layer sits on.
OCR_ARGS = [
    "--language", "eng",
    "--output-type", "pdf",     # plain PDF; no PDF/A ghostscript pass that would re-encode
    "--optimize", "0",          # keep our JPEGs byte for byte
    "--tesseract-pagesegmode", "3",   # Tesseract default: fully automatic page segmentation
    "--tesseract-oem", "1",     # LSTM engine only
    # Sauvola (local) binarisation.  With the default global Otsu ("auto"), Tesseract turns
    # the mid-tone score fills (light green, yellow, amber ...) black and every word printed
    # on them -- theme labels, score words, heatmap ids -- vanishes from the text layer
    # (measured on this sample: 0 of 72 score words, 50 of 161 id occurrences exact).
    # Sauvola keeps them (72 -> 58 score words; DARK GREEN still fails).
    "--tesseract-thresholding", "sauvola",
    "--jobs", "1",
]
# -------------------------------------------------------------------------------------------


def rasterise(pdf: Path, dpi: int) -> list[Image.Image]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    pages = []
    for page in doc:
        bitmap = page.render(scale=dpi / 72.0, draw_annots=True)
        pages.append(bitmap.to_pil().convert("RGB"))
    doc.close()
    return pages


def scan_page(img: Image.Image, rng: np.random.Generator) -> tuple[Image.Image, dict]:
    """Apply one page's scanner defects; returns the page and the parameters drawn."""
    angle = float(rng.uniform(SKEW_MIN_DEG, SKEW_MAX_DEG) * rng.choice([-1.0, 1.0]))
    dx, dy = (int(v) for v in rng.integers(-SHIFT_MAX_PX, SHIFT_MAX_PX + 1, size=2))
    white = (255, 255, 255)
    img = img.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=white,
                     translate=(dx, dy))
    h, w = img.height, img.width
    # grain (paper texture + sensor) before the optics blur, so it is soft like a real scan
    a = np.asarray(img, dtype=np.float32)
    a = a + rng.normal(0.0, GRAIN_SIGMA, size=(h, w, 1)).astype(np.float32)
    a = a + rng.normal(0.0, CHROMA_SIGMA, size=(h, w, 3)).astype(np.float32)
    img = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    img = img.filter(ImageFilter.GaussianBlur(BLUR_RADIUS))
    a = np.asarray(img, dtype=np.float32)
    # tone: map [0, 255] -> [INK_LIFT, paper] per channel
    paper = np.array(PAPER_RGB, dtype=np.float32)
    a = INK_LIFT + a / 255.0 * (paper - INK_LIFT)
    # a little sharp sensor noise after the blur
    a = a + rng.normal(0.0, SENSOR_SIGMA, size=(h, w, 1)).astype(np.float32)
    # dust specks and dropouts
    specks = rng.random((h, w)) < SALT_PEPPER
    salt = rng.random((h, w)) < SALT_FRACTION
    dark = specks & ~salt
    a[dark] = rng.uniform(10, 70, size=(int(dark.sum()), 1))
    a[specks & salt] = 250
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "RGB")
    return out, {"skew_deg": round(angle, 4), "shift_px": [dx, dy]}


def build_image_pdf(pdf: Path, out_pdf: Path) -> list[dict]:
    import img2pdf

    rng = np.random.default_rng(SEED)
    jpegs, params = [], []
    for n, page in enumerate(rasterise(pdf, DPI), start=1):
        scanned, p = scan_page(page, rng)
        buf = io.BytesIO()
        scanned.save(buf, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True,
                     subsampling=2, dpi=(DPI, DPI))
        jpegs.append(buf.getvalue())
        params.append({"page": n, **p})
    layout = img2pdf.get_fixed_dpi_layout_fun((DPI, DPI))
    # img2pdf's internal engine writes no random /ID (the pikepdf engine does), so the
    # image-only PDF is byte-reproducible.
    out_pdf.write_bytes(img2pdf.convert(jpegs, layout_fun=layout, nodate=True,
                                        engine=img2pdf.Engine.internal,
                                        producer="actionplan samples/build/scan.py (img2pdf)"))
    return params


def run_ocr(image_pdf: Path, ocr_pdf: Path) -> list[str]:
    exe = shutil.which("ocrmypdf")
    if not exe:
        sys.exit("ocrmypdf not found (Debian: apt-get install ocrmypdf tesseract-ocr-eng)")
    cmd = [exe, *OCR_ARGS, str(image_pdf), str(ocr_pdf)]
    print("+", " ".join(cmd))
    subprocess.run(cmd, check=True)
    return cmd


ID_RE = re.compile(r"\b(?:CI|SD|PCE|L|G|C|R)\d{3}\b")
TOKEN_RE = re.compile(r"[A-Za-z0-9|!()]{3,8}")
# characters OCR confuses with each character of an id
CONFUSABLE = {"I": "Il1|!ij", "1": "1Il|!ij", "0": "0OoDQ", "C": "Cc(", "L": "Ll1I|",
              "S": "S5s$", "D": "D0O", "G": "G6", "8": "8B", "5": "5S", "2": "2Z", "6": "6G",
              "P": "Pp", "E": "E", "R": "R", "3": "3", "4": "4", "7": "7", "9": "9"}


def pdf_text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def _damaged_match(tok: str, pats: dict[str, re.Pattern]) -> str | None:
    """The id ``tok`` is an OCR misreading of: same length up to confusions, else one extra
    character (e.g. "SDO006" for SD006); None when it is an exact id or no match."""
    if ID_RE.search(tok):          # an exact id (perhaps with a rule read as "|") is exact
        return None
    for i, pat in pats.items():
        if len(tok) == len(i) and pat.fullmatch(tok):
            return i
    if not any(ch.isdigit() for ch in tok):   # "CHOoS" is an owner code, not C005 + junk
        return None
    for k in range(len(tok)):
        v = tok[:k] + tok[k + 1:]
        for i, pat in pats.items():
            if len(v) == len(i) and pat.fullmatch(v):
                return i
    return None


def ocr_id_report(original_pdf: Path, ocr_pdf: Path) -> dict:
    """How many element-id occurrences of the original text layer survive OCR exactly.

    Ids are counted as a multiset: an id printed twice (heatmap cell + characteristic cell)
    must be read twice.  An OCR token that is not an id but matches an id character by
    character up to OCR confusions (I/l/1/|, 0/O, ...), possibly with one extra character,
    counts as a *damaged* reading of it;
    whatever is neither exact nor damaged is *lost* (dropped, merged into other text or
    mangled beyond recognition).  Informative only; nothing is asserted here.
    """
    from collections import Counter

    want = Counter(ID_RE.findall(pdf_text(original_pdf)))
    ocr_text = pdf_text(ocr_pdf)
    got = Counter(ID_RE.findall(ocr_text))
    exact = {i: min(n, got[i]) for i, n in want.items()}
    pats = {i: re.compile("".join(f"[{re.escape(CONFUSABLE.get(ch, ch))}]" for ch in i))
            for i in want}
    damaged: Counter = Counter()
    readings: dict[str, Counter] = {}
    for tok in TOKEN_RE.findall(ocr_text):
        hit = _damaged_match(tok, pats)
        if hit:
            damaged[hit] += 1
            readings.setdefault(hit, Counter())[tok] += 1
    # the id that opens each characteristic cell ("CI001: ..."), which the extractor keys on
    prefix_want = Counter(re.findall(r"\b((?:CI|SD|PCE|L|G|C|R)\d{3}):", pdf_text(original_pdf)))
    prefix_got = Counter(re.findall(r"\b((?:CI|SD|PCE|L|G|C|R)\d{3})[:;.]", ocr_text))
    prefix_exact = {i for i in prefix_want if prefix_got[i] > 0}
    prefix_damaged = set()
    todo = {i: pats[i] for i in prefix_want if i not in prefix_exact}
    for tok in re.findall(r"(\S{3,8})[:;.]", ocr_text):
        hit = _damaged_match(tok, todo)
        if hit:
            prefix_damaged.add(hit)
    n_want = sum(want.values())
    n_exact = sum(exact.values())
    n_damaged = sum(min(damaged[i], want[i] - exact[i]) for i in want)
    return {
        "id_occurrences_in_original": n_want,
        "distinct_ids_in_original": len(want),
        "exact": n_exact,
        "damaged_confusable": n_damaged,
        "lost": n_want - n_exact - n_damaged,
        "row_prefix_ids": len(prefix_want),
        "row_prefix_exact": len(prefix_exact),
        "row_prefix_damaged": sorted(prefix_damaged),
        "row_prefix_lost": sorted(set(prefix_want) - prefix_exact - prefix_damaged),
        "distinct_ids_read_exactly_at_least_once": sum(1 for i in want if got[i] > 0),
        "distinct_ids_never_read_exactly": sorted(i for i in want if got[i] == 0),
        "damaged_readings": {i: dict(c.most_common()) for i, c in sorted(readings.items())},
        "spurious_ids_in_ocr": {i: n - want[i] for i, n in sorted(got.items()) if n > want[i]},
    }


def tool_versions() -> dict:
    def first_line(cmd: list[str]) -> str:
        try:
            r = subprocess.run(cmd, capture_output=True, text=True)
            return (r.stdout or r.stderr).strip().splitlines()[0]
        except (OSError, IndexError):
            return "unavailable"

    import img2pdf
    import PIL
    import pypdfium2.version

    return {
        "ocrmypdf": first_line(["ocrmypdf", "--version"]),
        "tesseract": first_line(["tesseract", "--version"]),
        "pypdfium2": str(pypdfium2.version.PYPDFIUM_INFO),
        "pdfium": str(pypdfium2.version.PDFIUM_INFO),
        "Pillow": PIL.__version__,
        "numpy": np.__version__,
        "img2pdf": getattr(img2pdf, "__version__", "?"),
    }


def build_scan(pdf: Path, out_dir: Path, ocr: bool = True, log=print) -> dict:
    """Write the image-only PDF (and, with ``ocr``, the OCR PDF) and scan-params.json."""
    if not pdf.exists():
        raise FileNotFoundError(f"{pdf} does not exist; build the Word rendering first")
    out_dir.mkdir(parents=True, exist_ok=True)
    image_pdf = out_dir / f"{STEM}-image-only.pdf"
    ocr_pdf = out_dir / f"{STEM}-ocr.pdf"
    pages = build_image_pdf(pdf, image_pdf)
    log(f"wrote {image_pdf} ({len(pages)} pages, {image_pdf.stat().st_size} bytes)")
    root = SAMPLES.parent
    record = {
        "input": str(pdf.resolve().relative_to(root)) if pdf.resolve().is_relative_to(root) else str(pdf),
        "input_pages": len(pages),
        "seed": SEED, "dpi": DPI,
        "skew_deg_abs_range": [SKEW_MIN_DEG, SKEW_MAX_DEG], "shift_max_px": SHIFT_MAX_PX,
        "blur_radius_px": BLUR_RADIUS, "paper_rgb": list(PAPER_RGB), "ink_lift": INK_LIFT,
        "grain_sigma": GRAIN_SIGMA, "chroma_sigma": CHROMA_SIGMA, "sensor_sigma": SENSOR_SIGMA,
        "salt_pepper": SALT_PEPPER, "salt_fraction": SALT_FRACTION,
        "jpeg_quality": JPEG_QUALITY, "pages": pages,
        "image_only_bytes": image_pdf.stat().st_size,
    }
    if ocr:
        cmd = run_ocr(image_pdf, ocr_pdf)
        record["ocr_command"] = ["ocrmypdf", *cmd[1:-2], f"{STEM}-image-only.pdf", f"{STEM}-ocr.pdf"]
        record["ocr_bytes"] = ocr_pdf.stat().st_size
        log(f"wrote {ocr_pdf} ({ocr_pdf.stat().st_size} bytes)")
        rep = ocr_id_report(pdf, ocr_pdf)
        record["ocr_id_report"] = rep
        log(f"OCR ids: of {rep['id_occurrences_in_original']} id occurrences, {rep['exact']} "
            f"exact, {rep['damaged_confusable']} damaged, {rep['lost']} lost; row-opening ids "
            f"'XX000:' {rep['row_prefix_exact']} of {rep['row_prefix_ids']} exact, "
            f"{len(rep['row_prefix_damaged'])} damaged, {len(rep['row_prefix_lost'])} lost")
    record["versions"] = tool_versions()
    (out_dir / "scan-params.json").write_text(json.dumps(record, indent=2) + "\n")
    return record


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pdf", type=Path, default=DEFAULT_PDF)
    ap.add_argument("--out-dir", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--skip-ocr", action="store_true")
    ap.add_argument("--report-only", action="store_true",
                    help="recompute the OCR id report of existing outputs into scan-params.json")
    args = ap.parse_args(argv)
    if args.report_only:
        params = args.out_dir / "scan-params.json"
        record = json.loads(params.read_text())
        record["ocr_id_report"] = ocr_id_report(args.pdf, args.out_dir / f"{STEM}-ocr.pdf")
        params.write_text(json.dumps(record, indent=2) + "\n")
        print(json.dumps({k: v for k, v in record["ocr_id_report"].items()
                          if not isinstance(v, (dict, list))}))
        return 0
    try:
        build_scan(args.pdf, args.out_dir, ocr=not args.skip_ocr)
    except FileNotFoundError as exc:
        sys.exit(str(exc))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
