"""How close an output folder of `actionplan extract` is to a sample's hand-written
source.json: the measures of the scan sweep (benchmarks/scan_sweep.py), usable alone:

    python benchmarks/scan_score.py OUTPUT_DIR samples/appendix-a-2024/source.json

- ids: element ids found, of those in the source;
- score errors: characteristics whose score is not the source's (a missing row counts);
- heatmap cells right: cell text and score both as in the source;
- owners right: actions (by element id and number) whose owner list is the source's;
- text F1: token F1 of the actions' three texts, pooled over all actions (micro).
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from expected import load_expected  # noqa: E402  (tests/expected.py: source.json -> rows)

TOKEN = re.compile(r"\w+|[^\w\s]")


@dataclass(frozen=True)
class Score:
    ids_found: int
    ids_expected: int
    score_errors: int
    heatmap_right: int
    heatmap_cells: int
    owners_right: int
    actions_expected: int
    text_f1: float
    spurious_rows: int


def _rows(folder: Path, table: str) -> list[dict]:
    return pq.read_table(folder / f"{table}.parquet").to_pylist()


def score(folder: Path, source: Path) -> Score:
    expected = load_expected(source)
    chars = {r["element_id"]: r for r in _rows(folder, "characteristics")}
    want_ids = [c["element_id"] for c in expected.characteristics]
    scores = {c["element_id"]: c["score"] for c in expected.characteristics}
    score_errors = sum(chars.get(i, {}).get("score", "missing") != scores[i] for i in want_ids)
    heat = {(h["theme_no"], h["position"]): h for h in _rows(folder, "heatmap")}
    heat_right = 0
    for cell in expected.heatmap:
        got = heat.get((cell["theme_no"], cell["position"]))
        want_score = scores.get(cell["cell"])
        heat_right += bool(got) and got["cell"] == cell["cell"] and got["score"] == want_score
    actions = {(a["element_id"], a["action_no"]): a for a in _rows(folder, "actions")}
    owners_right = sum(actions.get((a["element_id"], a["action_no"]), {}).get("owners") == a["owners"]
                       for a in expected.actions)
    return Score(
        ids_found=sum(i in chars for i in want_ids), ids_expected=len(want_ids),
        score_errors=score_errors, heatmap_right=heat_right, heatmap_cells=len(expected.heatmap),
        owners_right=owners_right, actions_expected=len(expected.actions),
        text_f1=_text_f1(expected.actions, list(actions.values())),
        spurious_rows=sum(i not in scores for i in chars),
    )


def _tokens(action: dict) -> Counter:
    text = " ".join(action.get(k) or "" for k in ("opportunity", "recommendation", "owner_timeline"))
    return Counter(TOKEN.findall(text))


def _text_f1(want: list[dict], got: list[dict]) -> float:
    """Token F1 pooled over the plan, per characteristic (an action split or merged
    differently from the source still has its words in the right row)."""
    def by_row(actions):
        rows: dict[str, Counter] = {}
        for action in actions:
            rows.setdefault(action["element_id"], Counter()).update(_tokens(action))
        return rows

    want_rows, got_rows = by_row(want), by_row(got)
    common = sum(sum((want_rows[i] & got_rows.get(i, Counter())).values()) for i in want_rows)
    n_want = sum(sum(c.values()) for c in want_rows.values())
    n_got = sum(sum(c.values()) for c in got_rows.values())
    if not n_want or not n_got:
        return 0.0
    precision, recall = common / n_got, common / n_want
    return 2 * precision * recall / (precision + recall) if common else 0.0


def main(argv: list[str]) -> int:
    result = score(Path(argv[0]), Path(argv[1]))
    print(json.dumps(result.__dict__, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
