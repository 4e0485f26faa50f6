"""Owners and the owner/timeline split (normalise/owners.py).

The seed cases below are every text of the last column of the 2024 plan (the converter
text of the real plan, tests/data/seed/README.md), one per action band, with the expected
owners and timeline written by reading the cell, per samples/SOURCE_FORMAT.md.
"""

from __future__ import annotations

import csv
from importlib import resources

import pytest

from actionplan.errors import ConfigError
from actionplan.normalise.owners import (
    OwnerGlossary,
    OwnerTimeline,
    OwnerToken,
    load_glossary,
    resolve_owner,
    split_owner_timeline,
    split_pairs,
    suggest,
)


@pytest.fixture(scope="module")
def glossary() -> OwnerGlossary:
    return load_glossary()


def _pairs(text: str, glossary: OwnerGlossary) -> list[tuple[list[str], str]]:
    return [(list(pair.owner_codes), pair.timeline) for pair in split_pairs(text, glossary)]


# (element id, cell text as printed, [(owners, timeline), ...]) — written by hand.
SEED_CELLS = [
    ("CI001a", "CLT, Q2 2024.", [(["CLT"], "Q2 2024")]),
    ("CI001b", "All CHoS, ongoing Qly basis", [(["All CHoS"], "ongoing Qly basis")]),
    ("CI001c", "Head of Procurement", [(["Head of Procurement"], "")]),
    ("CI001d", "Head of Procurement", [(["Head of Procurement"], "")]),
    ("CI001e", "Head of Procurement", [(["Head of Procurement"], "")]),
    ("CI002a", "CHoCSDCS, during 2024/25 on approval of the Strategy.",
     [(["CHoCSDCS"], "during 2024/25 on approval of the Strategy")]),
    ("CI002b", "ACE (S151), CLT, SLT, all staff, this work is ongoing for 2024/25, 2025/26.",
     [(["ACE (S151)", "CLT", "SLT", "all staff"], "this work is ongoing for 2024/25, 2025/26")]),
    ("CI003", "HoBPPP, Q2 24/25 ahead of CPC in Oct 2024. HoBPP, Q1 25/26",
     [(["HoBPPP"], "Q2 24/25 ahead of CPC in Oct 2024"), (["HoBPPP"], "Q1 25/26")]),
    ("CI005a", "CHoHROD, Phase 1 implementation complete", [(["CHoHROD"], "Phase 1 implementation complete")]),
    ("CI005b", "CH <sub>0</sub> HROD", [(["CHoHROD"], "")]),
    ("CI005c", "CHoHROD, Q3-Q4 24/25", [(["CHoHROD"], "Q3-Q4 24/25")]),
    ("CI006", "ACE (S151), Q4 2024/5", [(["ACE (S151)"], "Q4 2024/5")]),
    ("CI007a", "ACE (S151), HoBPPP by Dec 2024", [(["ACE (S151)", "HoBPPP"], "by Dec 2024")]),
    ("CI007b", "SLT, Project Managers, ongoing.", [(["SLT", "Project Managers"], "ongoing")]),
    ("CI008", "CHoHROD", [(["CHoHROD"], "")]),
    ("CI009", "ACE(S151), CHoF, HoBPPP, Jan 2025", [(["ACE (S151)", "CHoF", "HoBPPP"], "Jan 2025")]),
    ("CI010", "CEX, when advised by Oflog.", [(["CEX"], "when advised by Oflog")]),
    ("CI011a", "ACE(Place), CHoCS", [(["ACE (Place)", "CHoCS"], "")]),
    ("CI011b", "CHoCS, Q4 2024", [(["CHoCS"], "Q4 2024")]),
    ("CI011c", "CHoHROD, HoBPPP by end March 2025.", [(["CHoHROD", "HoBPPP"], "by end March 2025")]),
    ("CI012a", "HoBPPP, by end Sept 2024 for Q2 progress data.",
     [(["HoBPPP"], "by end Sept 2024 for Q2 progress data")]),
    ("CI012b", "CLT", [(["CLT"], "")]),
    ("L001a", "CEX, ongoing in 24/25 and 25/26.", [(["CEX"], "ongoing in 24/25 and 25/26")]),
    ("L001b", "CEX, CHoHROD, HoBPPP Ongoing in 24/25 ahead of NS-BVN 12-month anniversary in Dec 2024.",
     [(["CEX", "CHoHROD", "HoBPPP"], "Ongoing in 24/25 ahead of NS-BVN 12-month anniversary in Dec 2024")]),
    ("L002", "CLT, SLT, ongoing.", [(["CLT", "SLT"], "ongoing")]),
    ("L003", "CEX, CHoLG", [(["CEX", "CHoLG"], "")]),
    ("L004a", "CHoF, review Jan 2025.", [(["CHoF"], "review Jan 2025")]),
    ("L004b", "CHoHROD, ongoing.", [(["CHoHROD"], "ongoing")]),
    ("L004c", "CHoF, March 2025.", [(["CHoF"], "March 2025")]),
    ("L005", "ACE (S151), HoBPPP, SLT, 24.", [(["ACE (S151)", "HoBPPP", "SLT"], "24")]),
    ("L006a", "CHoHROD, complete.", [(["CHoHROD"], "complete")]),
    ("L006b", "CHoHROD, Q2 2024.", [(["CHoHROD"], "Q2 2024")]),
    ("L006c", "CHoHROD, end of Q4 24/25.", [(["CHoHROD"], "end of Q4 24/25")]),
    ("L006d", "CHoHROD, ongoing.", [(["CHoHROD"], "ongoing")]),
    ("L008", "CEX", [(["CEX"], "")]),
    ("L009", "CHoLG, Q2 2024.", [(["CHoLG"], "Q2 2024")]),
    ("G001a", "CHoLG, HoDemocatic Services, Q4 2024/25.", [(["CHoLG", "HoDemocratic Services"], "Q4 2024/25")]),
    ("G001b", "CHoHROD, CHoLG, Q4 2024/25.", [(["CHoHROD", "CHoLG"], "Q4 2024/25")]),
    ("G001c", "CHoHROD, Q4 2024/25.", [(["CHoHROD"], "Q4 2024/25")]),
    ("G002", "HoBPPP, by end Q2 2024. CLT, ongoing.", [(["HoBPPP"], "by end Q2 2024"), (["CLT"], "ongoing")]),
    ("G003a", "HoBPPP, complete. This has been addressed in the latest Cttee report template v4 issued in March 2024.",
     [(["HoBPPP"], "complete. This has been addressed in the latest Cttee report template v4 issued in March 2024")]),
    ("G003b", "All CHoS", [(["All CHoS"], "")]),
    ("G003c", "ACE(S151), HoBPPP by end Dec 2024.", [(["ACE (S151)", "HoBPPP"], "by end Dec 2024")]),
    ("G004", "ACE(S151), CHoLG", [(["ACE (S151)", "CHoLG"], "")]),
    ("G005", "CEX HoBPPP, by Sept 2024.", [(["CEX", "HoBPPP"], "by Sept 2024")]),
    ("G006a", "CHoLG, HoDemocratic Services, Q4 2024.", [(["CHoLG", "HoDemocratic Services"], "Q4 2024")]),
    ("G006b", "CHoLG, HoDemocratic Services, Q4 2024. Update Q4 2026",
     [(["CHoLG", "HoDemocratic Services"], "Q4 2024. Update Q4 2026")]),
    ("G006c", "CHoLG, HoDemocratic Services, Q4 2024.", [(["CHoLG", "HoDemocratic Services"], "Q4 2024")]),
    ("G007", "ACE (S151), CHoAR, Q2 2024.", [(["ACE (S151)", "CHoAR"], "Q2 2024")]),
    ("G008a", "CLT", [(["CLT"], "")]),
    ("G008b", "СНоҒ", [(["CHoF"], "")]),  # Cyrillic letters in the converter's text
    ("G008c", "HoBPPP, by Sept 2024.", [(["HoBPPP"], "by Sept 2024")]),
    ("G008d", "SLT, end of each Quarter.", [(["SLT"], "end of each Quarter")]),
    ("G009", "ACE (Place), CHoCSDCS by Q1 2025/26.", [(["ACE (Place)", "CHoCSDCS"], "by Q1 2025/26")]),
    ("C002", "ACE(Place), CHoHROD, results in Q3 2024. Action plan and implementation Q4 2024/5 – 25/26.",
     [(["ACE (Place)", "CHoHROD"], "results in Q3 2024. Action plan and implementation Q4 2024/5 – 25/26")]),
    ("C003", "CEX, ongoing core activity.", [(["CEX"], "ongoing core activity")]),
    ("C007", "CHoHROD, March 2025.", [(["CHoHROD"], "March 2025")]),
    ("C008a", "CHoHROD, CHoLG,by March 2025.", [(["CHoHROD", "CHoLG"], "by March 2025")]),
    ("C008b", "CHoHROD, Q2 and Q4 annually.", [(["CHoHROD"], "Q2 and Q4 annually")]),
    ("C009", "CHoHROD, HoMPR, ongoing.", [(["CHoHROD", "HoMPR"], "ongoing")]),
    ("C010a", "CHoHROD", [(["CHoHROD"], "")]),
    ("C010b", "CHoHROD, end of Q4 24/25.", [(["CHoHROD"], "end of Q4 24/25")]),
    ("C010c", "ACE (S151), Head of Procurement.", [(["ACE (S151)", "Head of Procurement"], "")]),
    ("C011", "CHoHROD, Q4 24/25.", [(["CHoHROD"], "Q4 24/25")]),
    ("R001a", "CLT", [(["CLT"], "")]),
    ("R001b", "CHoF, HoBPPP, Q1 25/26.", [(["CHoF", "HoBPPP"], "Q1 25/26")]),
    ("R002", "CHoHROD, end of Q4 24/25.", [(["CHoHROD"], "end of Q4 24/25")]),
    ("R006", "CHoF, review capacity Jan 2025.", [(["CHoF"], "review capacity Jan 2025")]),
    ("R008", "ACE(S151), HoBPPP, ongoing core activity (BAU).",
     [(["ACE (S151)", "HoBPPP"], "ongoing core activity (BAU)")]),
    ("R009a", "Head of Procurement", [(["Head of Procurement"], "")]),
    ("R009b", "Head of Procurement", [(["Head of Procurement"], "")]),
    ("R011", "CHoAR, ACE (S151), July 24.", [(["CHoAR", "ACE (S151)"], "July 24")]),
    ("SD001", "CHoHROD, Q3 2024/25.", [(["CHoHROD"], "Q3 2024/25")]),
    ("SD002", "CLT, SLT, Members.", [(["CLT", "SLT", "Members"], "")]),
    ("SD003a", "CHoCSDCS, complete.", [(["CHoCSDCS"], "complete")]),
    ("SD003b", "HoBPPP, ongoing.", [(["HoBPPP"], "ongoing")]),
    ("SD003c", "CHoLG, HoDemocratic Services, core activity (BAU).",
     [(["CHoLG", "HoDemocratic Services"], "core activity (BAU)")]),
    ("SD004", "HoBPPP, by Sept 2024 for Q1 report.", [(["HoBPPP"], "by Sept 2024 for Q1 report")]),
    ("SD005", "Head of Procurement", [(["Head of Procurement"], "")]),
    ("SD007", "CLT, SLT", [(["CLT", "SLT"], "")]),
    ("SD008a", "HoBPPP, Q2 2024.", [(["HoBPPP"], "Q2 2024")]),
    ("SD008b", "ACE (Place), CHoCSDCS by Q1 2025/26.", [(["ACE (Place)", "CHoCSDCS"], "by Q1 2025/26")]),
    ("PCE002", "ACE(Place), CHoHROD by Sept 2024 for initial assessment outcome.",
     [(["ACE (Place)", "CHoHROD"], "by Sept 2024 for initial assessment outcome")]),
    ("PCE003", "SLT", [(["SLT"], "")]),
    ("PCE004", "ACE(Place), CHoCS.", [(["ACE (Place)", "CHoCS"], "")]),
    ("PCE005", "ACE(Place), CHoCS, ongoing.", [(["ACE (Place)", "CHoCS"], "ongoing")]),
    ("PCE006", "Head of Procurement", [(["Head of Procurement"], "")]),
    ("PCE007", "CHoCS, Q4 2024", [(["CHoCS"], "Q4 2024")]),
]


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in SEED_CELLS])
def test_seed_cell(glossary, text, expected):
    assert _pairs(text, glossary) == expected


@pytest.mark.parametrize(("text", "expected"), [pytest.param(t, e, id=i) for i, t, e in SEED_CELLS if len(e) == 1])
def test_seed_single_pair_agrees_with_split_owner_timeline(glossary, text, expected):
    pair = split_owner_timeline(text, glossary)
    assert (list(pair.owner_codes), pair.timeline) == expected[0]
    assert all(token.known for token in pair.owners)


def test_seed_owners_are_all_known_and_named(glossary):
    for _id, text, _expected in SEED_CELLS:
        for pair in split_pairs(text, glossary):
            assert not pair.unknown, (text, pair.unknown)
            assert all(token.name for token in pair.owners)


# --------------------------------------------------------------------------- the seed's slips


@pytest.mark.parametrize(
    ("printed", "canonical", "rules"),
    [
        pytest.param("CH <sub>0</sub> HROD", "CHoHROD",
                     ("owner_ocr_markup", "owner_ocr_spacing", "owner_ocr_digit_for_letter"), id="sub-zero"),
        pytest.param("HoBPP", "HoBPPP", ("owner_alias",), id="HoBPP"),
        pytest.param("HoDemocatic Services", "HoDemocratic Services", ("owner_alias",), id="HoDemocatic"),
        pytest.param("ACE(S151)", "ACE (S151)", ("owner_ocr_spacing",), id="ACE(S151)"),
        pytest.param("ACE(Place)", "ACE (Place)", ("owner_ocr_spacing",), id="ACE(Place)"),
        pytest.param("СНоҒ", "CHoF", ("owner_ocr_homoglyph",), id="cyrillic-CHoF"),
    ],
)
def test_seed_slip_is_repaired_with_its_rule(glossary, printed, canonical, rules):
    token = resolve_owner(printed, glossary)
    assert token == OwnerToken(printed, canonical, glossary.get(canonical).name, True, "+".join(rules))
    assert token.rules == rules


@pytest.mark.parametrize(
    ("printed", "canonical", "rules"),
    [
        pytest.param("CH0HROD", "CHoHROD", ("owner_ocr_digit_for_letter",), id="zero-for-o"),
        pytest.param("CH 0 HROD", "CHoHROD", ("owner_ocr_spacing", "owner_ocr_digit_for_letter"), id="spaced-zero"),
        pytest.param("H0BPPP", "HoBPPP", ("owner_ocr_digit_for_letter",), id="H0BPPP"),
        pytest.param("H0BPP", "HoBPPP", ("owner_ocr_digit_for_letter", "owner_alias"), id="zero-in-alias"),
        pytest.param("Ho BPPP", "HoBPPP", ("owner_ocr_spacing",), id="space-inside"),
        pytest.param("ACE (Sl5l)", "ACE (S151)", ("owner_ocr_letter_for_digit",), id="l-for-1"),
        pytest.param("ACE(SI5I)", "ACE (S151)", ("owner_ocr_spacing", "owner_ocr_letter_for_digit"), id="I-for-1"),
        pytest.param("AII CHoS", "All CHoS", ("owner_ocr_letter_confusion",), id="I-for-l"),
        pytest.param("ACE ($151)", "ACE (S151)", ("owner_ocr_symbol_for_letter",), id="dollar-for-S"),
        pytest.param("a1l staff", "all staff", ("owner_ocr_digit_for_letter",), id="1-for-l"),
        pytest.param("CHOHROD", "CHoHROD", ("owner_case",), id="case"),
        pytest.param("<b>CLT</b>", "CLT", ("owner_ocr_markup",), id="bold"),
    ],
)
def test_ocr_repairs(glossary, printed, canonical, rules):
    token = resolve_owner(printed, glossary)
    assert (token.canonical, token.rules, token.known, token.printed) == (canonical, rules, True, printed)


def test_repaired_owner_keeps_what_was_printed(glossary):
    pair = split_owner_timeline("CH <sub>0</sub> HROD, HoBPP, Q2 2024.", glossary)
    assert [token.printed for token in pair.owners] == ["CH <sub>0</sub> HROD", "HoBPP"]
    assert pair.owner_codes == ("CHoHROD", "HoBPPP")
    assert pair.timeline == "Q2 2024"


def test_spelled_out_groups_stay_as_written(glossary):
    pair = split_owner_timeline("members, All staff, Q2 2024", glossary)
    assert [(t.canonical, t.known, t.rule) for t in pair.owners] == [
        ("members", True, None),
        ("All staff", True, None),
    ]
    assert pair.owner_names == ("Elected Members (councillors)", "All staff")


def test_duplicates_after_repair_are_dropped_keeping_the_first(glossary):
    pair = split_owner_timeline("HoBPPP, HoBPP, CLT, CLT, Q2 2024", glossary)
    assert pair.owner_codes == ("HoBPPP", "CLT")
    assert pair.owners[0].rule is None


# --------------------------------------------------------------------------- CHoS is not CHoCS


def test_chos_and_chocs_are_never_confused(glossary):
    assert resolve_owner("CHoS", glossary).canonical == "CHoS"
    assert resolve_owner("CHoCS", glossary).canonical == "CHoCS"
    assert resolve_owner("CHoCSDCS", glossary).canonical == "CHoCSDCS"
    assert split_owner_timeline("CHoCS, CHoS, All CHoS", glossary).owner_codes == ("CHoCS", "CHoS", "All CHoS")
    for near_miss in ("CHoC", "CHoSS", "CHoCSS", "CHoCSD"):
        assert resolve_owner(near_miss, glossary) is None, near_miss


def test_no_code_is_an_ocr_variant_of_another(glossary):
    for entry in glossary:
        for spelling in (entry.code, *entry.aliases):
            token = resolve_owner(spelling, glossary)
            assert token.canonical == entry.code and token.rule in (None, "owner_alias")


# --------------------------------------------------------------------------- unknown codes


def test_unknown_code_is_kept_flagged_and_suggested(glossary):
    pair = split_owner_timeline("CLT, HoBPPPP, SLT, Q2 2024", glossary)
    assert pair.owner_codes == ("CLT", "HoBPPPP", "SLT")
    assert pair.unknown == (OwnerToken("HoBPPPP", "HoBPPPP", None, False, None),)
    assert pair.timeline == "Q2 2024"
    assert suggest("HoBPPPP", glossary)[0] == "HoBPPP"


@pytest.mark.parametrize(
    ("code", "first"),
    [("CHoHRD", "CHoHROD"), ("CHoC", "CHoCSDCS"), ("HoDemocrat", "HoDemocratic Services")],
)
def test_suggest_ranks_close_codes(glossary, code, first):
    assert suggest(code, glossary)[0] == first


def test_suggest_names_canonical_codes_once(glossary):
    assert set(suggest("ACE", glossary)[:2]) == {"ACE (S151)", "ACE (Place)"}
    hobpp = suggest("HoBPPQ", glossary)
    assert hobpp.count("HoBPPP") == 1 and "HoBPP" not in hobpp
    assert suggest("XYZ", glossary) == []


def test_bare_ace_is_unknown_not_guessed(glossary):
    pair = split_owner_timeline("ACE, CHoF, Q2 2024", glossary)
    assert [(t.canonical, t.known) for t in pair.owners] == [("ACE", False), ("CHoF", True)]


def test_unknown_spelled_out_role_is_kept_as_written(glossary):
    pair = split_owner_timeline("Head of Housing and Regeneration, by end Q3 2024.", glossary)
    assert pair.owners == (OwnerToken("Head of Housing and Regeneration", "Head of Housing and Regeneration",
                                      None, False, None),)
    assert pair.timeline == "by end Q3 2024"


def test_spelled_out_title_of_a_known_officer_is_kept_as_written(glossary):
    pair = split_owner_timeline("Corporate Head of Law and Governance, Q2 2024", glossary)
    assert [(t.canonical, t.name, t.known) for t in pair.owners] == [
        ("Corporate Head of Law and Governance", "Corporate Head of Law and Governance", True)
    ]


@pytest.mark.parametrize("timeline", ["BAU", "TBC"])
def test_code_shaped_timeline_words_are_not_owners(glossary, timeline):
    pair = split_owner_timeline(f"CLT, {timeline}.", glossary)
    assert (pair.owner_codes, pair.timeline) == (("CLT",), timeline)


# --------------------------------------------------------------------------- where owners end


@pytest.mark.parametrize(
    ("text", "owners", "timeline"),
    [
        ("CLT and SLT, ongoing", ("CLT", "SLT"), "ongoing"),
        ("CHoF/HoBPPP, Q1 25/26", ("CHoF", "HoBPPP"), "Q1 25/26"),
        ("CLT and all service areas", ("CLT",), "and all service areas"),
        ("CLT, ongoing..", ("CLT",), "ongoing."),  # only one trailing full stop goes
        ("CLT, <b>Q2</b> 2024", ("CLT",), "Q2 2024"),
        ("CHoLG,\nHoDemocratic\nServices, Q4\n2024/25.", ("CHoLG", "HoDemocratic Services"), "Q4 2024/25"),
        ("ongoing", (), "ongoing"),
        ("", (), ""),
    ],
)
def test_owner_list_end(glossary, text, owners, timeline):
    pair = split_owner_timeline(text, glossary)
    assert (pair.owner_codes, pair.timeline) == (owners, timeline)


def test_pair_text_is_whitespace_collapsed(glossary):
    assert split_owner_timeline("  CLT,\n Q2 2024. ", glossary) == OwnerTimeline(
        "CLT, Q2 2024.", (OwnerToken("CLT", "CLT", "Corporate Leadership Team", True, None),), "Q2 2024"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CHoLG, Q2 2024. Members will be consulted.", [(["CHoLG"], "Q2 2024. Members will be consulted")]),
        ("CHoLG, HoDemocratic Services, Q4 2024.\n\nUpdate Q4 2026",
         [(["CHoLG", "HoDemocratic Services"], "Q4 2024. Update Q4 2026")]),
        ("CHoF, Q1 2025.\n\nCLT", [(["CHoF"], "Q1 2025"), (["CLT"], "")]),
        ("CHoF, Q1 2025. CH0HROD, Q2 2025. All CHoS, ongoing.",
         [(["CHoF"], "Q1 2025"), (["CHoHROD"], "Q2 2025"), (["All CHoS"], "ongoing")]),
        ("", []),
    ],
)
def test_split_pairs_boundaries(glossary, text, expected):
    assert _pairs(text, glossary) == expected


# --------------------------------------------------------------------------- the glossary


def _shipped_rows() -> list[dict]:
    text = resources.files("actionplan.schema").joinpath("owners.csv").read_text("utf-8")
    return list(csv.DictReader(text.splitlines()))


SPELLINGS = [
    (spelling, row["code"], spelling != row["code"])
    for row in _shipped_rows()
    for spelling in [row["code"], *filter(None, (a.strip() for a in row["aliases"].split(";")))]
]


@pytest.mark.parametrize(("spelling", "code", "is_alias"), SPELLINGS, ids=[s for s, _, _ in SPELLINGS])
def test_every_code_and_alias_maps_to_its_canonical_code(glossary, spelling, code, is_alias):
    token = resolve_owner(spelling, glossary)
    assert (token.canonical, token.rule) == (code, "owner_alias" if is_alias else None)
    pair = split_owner_timeline(f"{spelling}, Q2 2024.", glossary)
    assert (pair.owner_codes, pair.timeline) == ((code,), "Q2 2024")


def test_glossary_rows_are_well_formed():
    rows = _shipped_rows()
    codes = [row["code"] for row in rows]
    assert len(codes) == len(set(codes))
    assert all(row["kind"] in ("officer", "group") and row["name"] for row in rows)


def test_guesses_are_marked(glossary):
    assert {entry.code for entry in glossary if entry.is_guess} == {"CHoAR", "HoBPPP", "HoMPR"}


def test_user_csv_adds_and_overrides_rows_by_code(glossary, tmp_path):
    extra = tmp_path / "owners.csv"
    extra.write_text(
        "code,name,aliases,kind,note\n"
        "HoBPPP,Head of Business Planning and Performance,HoBPP;HoBP,officer,confirmed by the council\n"
        "DPO,Data Protection Officer,,officer,\n",
        encoding="utf-8",
    )
    mine = load_glossary(extra_rows_csv=extra)
    assert mine.get("HoBPPP").name == "Head of Business Planning and Performance"
    assert not mine.get("HoBPPP").is_guess
    assert resolve_owner("HoBP", mine).canonical == "HoBPPP"
    assert split_owner_timeline("DPO, CHoLG, Q2 2024", mine).owner_codes == ("DPO", "CHoLG")
    assert all(token.known for token in split_owner_timeline("DPO, CHoLG", mine).owners)
    assert len(mine) == len(glossary) + 1
    # the shipped glossary is untouched
    assert load_glossary().get("HoBPPP").name == "Head of Business Planning, Projects and Performance"
    assert resolve_owner("HoBP", load_glossary()) is None


def test_user_csv_may_leave_out_optional_columns(tmp_path):
    extra = tmp_path / "owners.csv"
    extra.write_text("code,name\nDPO,Data Protection Officer\n", encoding="utf-8")
    entry = load_glossary(extra_rows_csv=extra).get("DPO")
    assert (entry.kind, entry.aliases, entry.note) == ("officer", (), "")


@pytest.mark.parametrize(
    "body",
    [
        "code,name,kind\nDPO,Data Protection Officer,person\n",  # unknown kind
        "code,name,aliases\nDPO,Data Protection Officer,CH oS\n",  # an alias that is CHoS once spaced
        "code,title\nDPO,Data Protection Officer\n",  # unknown column
        "name\nData Protection Officer\n",  # no code column
    ],
)
def test_bad_user_csv_is_a_config_error(tmp_path, body):
    extra = tmp_path / "owners.csv"
    extra.write_text(body, encoding="utf-8")
    with pytest.raises(ConfigError):
        load_glossary(extra_rows_csv=extra)


def test_missing_user_csv_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError):
        load_glossary(extra_rows_csv=tmp_path / "nope.csv")
