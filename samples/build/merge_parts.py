"""Merge the transcribed parts of a sample's source into one ``source.json``.

A sample whose transcription was split between people keeps the pieces in
``<sample>/parts/part-*.json``.  Each part is a JSON object in the source format
(see ``samples/SOURCE_FORMAT.md``) holding any subset of the top-level keys:
the front matter (``title``, ``heatmap_intro``, ``heatmap``, ``key``,
``table_title``) and/or ``themes``.

Merging is deliberately dumb and tolerant:

* parts are read in file-name order (``part-a``, ``part-b``, ...); a part that is
  missing, empty or not yet valid JSON is skipped with a warning;
* a front-matter key is taken from the first part that has it (a later part
  giving a different value is reported, not merged);
* themes are concatenated and sorted by ``theme_no``; a theme number seen twice
  is reported and the later copy dropped;
* any other top-level key is kept from the first part that has it.

Usage::

    python samples/build/merge_parts.py samples/appendix-a-2024           # writes source.json
    python samples/build/merge_parts.py samples/appendix-a-2024 --check   # report only
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

FRONT_MATTER = ("title", "heatmap_intro", "heatmap", "key", "table_title")
KEY_ORDER = FRONT_MATTER + ("themes",)


def _warn(msg: str) -> None:
    print(f"merge_parts: {msg}", file=sys.stderr)


def load_parts(parts_dir: Path) -> list[tuple[str, dict]]:
    """Every readable part in ``parts_dir`` as (file name, object), in name order."""
    out = []
    if not parts_dir.is_dir():
        _warn(f"no parts folder {parts_dir}")
        return out
    for path in sorted(parts_dir.glob("*.json")):
        try:
            text = path.read_text(encoding="utf-8")
            if not text.strip():
                _warn(f"{path.name} is empty, skipped")
                continue
            obj = json.loads(text)
        except (OSError, json.JSONDecodeError) as exc:  # a part still being written
            _warn(f"{path.name} unreadable ({exc}), skipped")
            continue
        if not isinstance(obj, dict):
            _warn(f"{path.name} is not a JSON object, skipped")
            continue
        out.append((path.name, obj))
    return out


def merge(parts: list[tuple[str, dict]]) -> dict:
    merged: dict = {}
    themes: dict[int, dict] = {}
    for name, obj in parts:
        for key, value in obj.items():
            if key == "themes":
                for theme in value or []:
                    no = theme.get("theme_no")
                    if no in themes:
                        _warn(f"{name}: theme {no} already given by an earlier part, dropped")
                        continue
                    themes[no] = theme
            elif key not in merged:
                merged[key] = value
            elif merged[key] != value:
                _warn(f"{name}: '{key}' differs from an earlier part, kept the earlier one")
    missing = [k for k in FRONT_MATTER if k not in merged]
    if missing:
        _warn("front matter missing: " + ", ".join(missing))
    merged["themes"] = [themes[k] for k in sorted(themes, key=lambda n: (n is None, n))]
    ordered = {k: merged[k] for k in KEY_ORDER if k in merged}
    ordered.update({k: v for k, v in merged.items() if k not in ordered})
    return ordered


def merge_sample(sample_dir: Path) -> dict:
    """The merged source of ``sample_dir`` (from ``sample_dir/parts``), not written."""
    return merge(load_parts(Path(sample_dir) / "parts"))


def summary(source: dict) -> str:
    themes = source.get("themes", [])
    rows = sum(len(t.get("rows", [])) for t in themes)
    nos = [t.get("theme_no") for t in themes]
    return f"themes {nos}, {rows} rows"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("sample_dir", type=Path, help="e.g. samples/appendix-a-2024")
    ap.add_argument("-o", "--output", type=Path, help="default: <sample_dir>/source.json")
    ap.add_argument("--check", action="store_true", help="report, do not write")
    args = ap.parse_args(argv)
    source = merge_sample(args.sample_dir)
    print(f"merge_parts: {summary(source)}")
    if not args.check:
        out = args.output or args.sample_dir / "source.json"
        out.write_text(json.dumps(source, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"merge_parts: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
