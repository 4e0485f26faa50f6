#!/usr/bin/env python3
"""Build schema/english-words.txt.gz, the English words the line-end hyphen-minus rule
consults (normalise/english.py), from SCOWL's size-70 British and American lists as
Debian packages them:

    apt-get install wbritish-large wamerican-large
    python scripts/english-words.py

Both spellings ("organisation", "organization"), lower case, one a line, sorted; the
possessive entries ("council's") are left out (the rule strips a possessive itself).
SCOWL's copyright and permission notice (it must go with every copy) is copied beside it
as schema/english-words.copyright."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

LISTS = (Path("/usr/share/dict/british-english-large"), Path("/usr/share/dict/american-english-large"))
NOTICE = Path("/usr/share/doc/wbritish-large/copyright")
SCHEMA = Path(__file__).resolve().parent.parent / "schema"


def main() -> None:
    words = set()
    for path in LISTS:
        words.update(w.strip().lower() for w in path.read_text(encoding="utf-8").splitlines()
                     if w.strip() and not w.strip().endswith("'s"))
    # mtime=0: the same lists give the same bytes
    with gzip.GzipFile(SCHEMA / "english-words.txt.gz", "wb", compresslevel=9, mtime=0) as out:
        out.write(("\n".join(sorted(words)) + "\n").encode("utf-8"))
    shutil.copyfile(NOTICE, SCHEMA / "english-words.copyright")
    print(f"{len(words)} words -> {SCHEMA / 'english-words.txt.gz'}")


if __name__ == "__main__":
    main()
