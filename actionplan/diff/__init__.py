"""``actionplan diff OLD NEW``: what changed between two revisions of an action plan.

Each input is a PDF or an output folder of ``actionplan extract`` (any mix). A PDF is first
extracted into ``DIR/old/`` or ``DIR/new/`` (a complete output folder, reusable as an input
next time); a folder is read as it is. ``DIR`` (default ``outputs/diff-<old stem>-<new stem>/``)
receives the ``changes`` table (Parquet + CSV) and ``report.md``, all written atomically.

The steps are pure functions over typed records:

    read_revision(folder) -> Revision                    (x2)
    diff_revisions(old, new) -> tuple[Change, ...]       matched, compared, sorted
    render_report(old, new, changes, as_of) -> str

Matching, stated once:

- Characteristics match by element id (ids are already repaired by ``extract``). An id gone
  from OLD is *moved* when a NEW characteristic's notes say "Previously <id>", when its own
  OLD notes said "Now in ... (<new id>)", or when its description matches a NEW id that is
  new (``CHARACTERISTIC_MATCH_THRESHOLD``). A kept characteristic that gained a "Now in ...
  (<id>)" note (left behind as a signpost), or that a NEW "Previously <id>" note names, is
  reported as moved too. Only a renumbering (gone id -> new id) has its contents compared.
- Actions match within a (matched) characteristic by content, never by position: word-level
  similarity of the band's three texts, an optimal one-to-one assignment (Hungarian method),
  pairs below ``ACTION_MATCH_THRESHOLD`` are a removal plus an addition. A matched pair whose
  fields are equal is no change, whatever its position.
- Layout is not content: texts are compared after Unicode (NFKC) and typographic-punctuation
  normalisation, ignoring whitespace, so line breaks, paragraph breaks, spaces a wrap put
  after "HR/", ligatures and curly quotes never make a change.

The stage is laid out like the others: ``read`` (folder -> Revision), ``text`` (text as
content, word similarity), ``assign`` (the Hungarian method), ``match`` (which is which),
``compare`` (the changes rows), ``report_md`` (report.md) and ``cli`` (the command).
"""

from actionplan.diff.assign import best_assignment, match_by_similarity
from actionplan.diff.compare import Change, diff_revisions, score_detail, timeline_detail
from actionplan.diff.match import ACTION_MATCH_THRESHOLD, CHARACTERISTIC_MATCH_THRESHOLD, pair_actions
from actionplan.diff.read import Revision, read_revision
from actionplan.diff.report_md import render_report, summary_lines
from actionplan.diff.text import comparable, same_content, similarity

__all__ = [
    "ACTION_MATCH_THRESHOLD", "CHARACTERISTIC_MATCH_THRESHOLD", "Change", "Revision", "best_assignment",
    "comparable", "diff_revisions", "match_by_similarity", "pair_actions",
    "read_revision", "render_report", "same_content", "score_detail", "similarity", "summary_lines",
    "timeline_detail",
]
