"""The repairs and issues a run logs are data too: after a full run of each clean sample
and fixture they equal the hand-checked rows of its expected-log.json (rule, field, before,
after; an issue by its id, field and what it says). A rule that stops firing, or fires
where it should not, fails here."""

from __future__ import annotations

import json

import pyarrow.parquet as pq
import pytest

from conftest import clean_samples

SAMPLES = clean_samples()


def expected_log(name):
    pdf, source = SAMPLES[name]
    path = source.parent / "expected-log.json"
    return json.loads(path.read_text(encoding="utf-8"))


def _repair_key(row):
    return (row["element_id"], row["action_no"], row["field"], row["before"], row["after"], row["rule"])


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_repairs_are_the_expected_ones(name, extracted):
    got = sorted((_repair_key(r) for r in pq.read_table(extracted(SAMPLES[name][0]) / "repairs.parquet").to_pylist()),
                 key=repr)
    want = sorted((_repair_key(r) for r in expected_log(name)["repairs"]), key=repr)
    assert got == want


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_issues_are_the_expected_ones(name, extracted):
    got = pq.read_table(extracted(SAMPLES[name][0]) / "issues.parquet").to_pylist()
    log = expected_log(name)
    # A rendering's own issues (the HTML rendering's page breaks fall elsewhere than Word's).
    want = log["issues"] + log.get("issues_of_rendering", {}).get(name, [])
    unmatched = list(got)
    for issue in want:
        match = next((g for g in unmatched if (g["element_id"], g["action_no"], g["field"]) ==
                      (issue["element_id"], issue["action_no"], issue["field"]) and issue["says"] in g["message"]), None)
        assert match is not None, f"expected issue not logged: {issue}"
        unmatched.remove(match)
    assert unmatched == [], "issues logged that nobody expected"
