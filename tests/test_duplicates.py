"""Likely duplicate people and merging them: known answers worked out by hand."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analytics.curation.duplicates import (
    COLUMNS,
    Merge,
    find_duplicates,
    fold_name,
    fold_romaji,
    merge_people,
    romaji_words,
)
from analytics.data import synth
from analytics.data.loader import load_dataset
from tests.conftest import SAMPLE_DIR

FIELDS = ["alum_id", "name", "name_local", "program", "cohort", "city", "organization_id", "email"]


def alumni(*rows: dict[str, str]) -> pd.DataFrame:
    """A text frame of the alumni table, every cell a str, indexed by spreadsheet row."""
    frame = pd.DataFrame([{f: row.get(f, "") for f in FIELDS} for row in rows], columns=FIELDS)
    frame.index = range(2, len(frame) + 2)
    return frame


def reasons_as_text(found: pd.DataFrame) -> pd.DataFrame:
    """The pairs with their reasons as English text (they are messages, translated when shown)."""
    return found.assign(reasons=[str(reasons) for reasons in found["reasons"]])


def pairs_of(frame: pd.DataFrame, **kwargs) -> list[tuple[str, str]]:
    found = find_duplicates(frame, **kwargs)
    return list(zip(found["first_id"], found["second_id"], strict=True))


# --- folding ---------------------------------------------------------------------------------

def test_long_vowels_fold_equal():
    assert {fold_romaji(t) for t in ("Satoh", "Satō", "Sato", "Satou", "SATO")} == {"sato"}
    assert fold_romaji("Yūko") == fold_romaji("Yuuko") == "yuko"
    assert romaji_words("Haruka Satoh") == romaji_words("Haruka Satō") == ("haruka", "sato")


def test_names_fold_width_case_kana_and_punctuation():
    assert fold_name("ＳＡＴＯ Ｈａｒｕｋａ") == fold_name("sato  haruka") == "sato haruka"
    assert fold_name("サトウ・ハルカ") == fold_name("ｻﾄｳ ﾊﾙｶ") == fold_name("さとう はるか")
    assert fold_name("Sato, Haruka.") == "sato haruka"
    assert fold_name("") == ""


def test_japanese_names_romanize_and_others_do_not():
    assert romaji_words("佐藤 遥") == ("sato", "haruka")
    assert romaji_words("サトウ ハルカ") == romaji_words("さとう はるか") == ("sato", "haruka")
    assert romaji_words("佐藤遥") == ("satoharuka",)  # typed without a space: one word
    assert romaji_words("김 지우") is None  # Hangul has no Hepburn reading
    assert romaji_words("陈 静") is None  # 陈 (simplified) is outside the dictionary


# --- finding pairs ---------------------------------------------------------------------------

def test_same_email_in_another_case_is_a_pair():
    frame = alumni({"alum_id": "A2", "name": "Kenta Abe", "email": "Kenta.Abe@Example.org"},
                   {"alum_id": "A1", "name": "K. Abe", "email": " kenta.abe@example.org "})
    found = reasons_as_text(find_duplicates(frame))
    assert list(found.columns) == COLUMNS
    assert found.to_dict("records") == [{
        "first_id": "A1", "second_id": "A2", "first_name": "K. Abe", "second_name": "Kenta Abe",
        "score": 0.9, "reasons": "same email kenta.abe@example.org"}]


def test_reordered_romaji_with_the_same_organization_is_a_pair():
    frame = alumni({"alum_id": "A1", "name": "Sato Haruka", "organization_id": "ORG-ETIC"},
                   {"alum_id": "A2", "name": "Haruka Sato", "organization_id": "org-etic"})
    found = find_duplicates(frame)
    assert found[["first_id", "second_id", "score"]].values.tolist() == [["A1", "A2", 0.65]]
    assert str(found["reasons"][0]) == ("same name in another order: Sato Haruka / Haruka Sato; "
                                        "same organization ORG-ETIC")


def test_kanji_name_and_its_romaji_in_the_same_city_is_a_pair():
    frame = alumni({"alum_id": "A0001", "name": "佐藤 遥", "city": "Ishinomaki"},
                   {"alum_id": "A0203", "name": "Haruka Sato", "city": "ISHINOMAKI"})
    found = find_duplicates(frame)
    assert found[["first_id", "second_id", "score"]].values.tolist() == [["A0001", "A0203", 0.6]]
    assert str(found["reasons"][0]) == "romanized 佐藤 遥 reads as Haruka Sato; same city Ishinomaki"


def test_kanji_name_in_name_local_is_found_too():
    frame = alumni({"alum_id": "A1", "name": "", "name_local": "佐藤 遥", "organization_id": "O1"},
                   {"alum_id": "A2", "name": "Sato Haruka", "organization_id": "O1"})
    found = find_duplicates(frame)
    assert found["score"].tolist() == [0.65]
    assert found["first_name"].tolist() == ["佐藤 遥"]  # no Latin name: the local one is shown
    assert str(found["reasons"][0]).startswith("romanized 佐藤 遥 reads as Sato Haruka")


def test_kanji_name_and_romaji_with_nothing_else_in_common_is_not_a_pair():
    frame = alumni({"alum_id": "A1", "name": "佐藤 遥", "city": "Ishinomaki", "organization_id": "O1"},
                   {"alum_id": "A2", "name": "Haruka Sato", "city": "Sendai", "organization_id": "O2"})
    assert find_duplicates(frame).empty
    reordered = alumni({"alum_id": "A1", "name": "Sato Haruka"}, {"alum_id": "A2", "name": "Haruka Sato"})
    assert find_duplicates(reordered).empty


def test_full_width_and_case_fold_to_the_same_name():
    frame = alumni({"alum_id": "A1", "name": "ＳＡＴＯ Ｈａｒｕｋａ"},
                   {"alum_id": "A2", "name": "sato haruka"})
    found = find_duplicates(frame)
    assert found["score"].tolist() == [0.6]
    assert str(found["reasons"][0]) == ("same name after folding width, case and kana: "
                                        "ＳＡＴＯ Ｈａｒｕｋａ / sato haruka")


def test_hiragana_and_katakana_are_the_same_name():
    frame = alumni({"alum_id": "A1", "name_local": "さとう はるか", "name": "Haruka Sato"},
                   {"alum_id": "A2", "name_local": "サトウ ハルカ", "name": "H. Sato"})
    found = find_duplicates(frame)
    assert found["score"].tolist() == [0.6]
    assert str(found["reasons"][0]) == ("same name after folding width, case and kana: "
                                        "さとう はるか / サトウ ハルカ")


def test_long_vowel_spellings_pair_when_corroborated():
    frame = alumni({"alum_id": "A1", "name": "Haruka Satoh", "organization_id": "O1"},
                   {"alum_id": "A2", "name": "Haruka Satō", "organization_id": "O1"},
                   {"alum_id": "A3", "name": "Haruka Sato", "organization_id": "O1"})
    found = find_duplicates(frame)
    assert pairs_of(frame) == [("A1", "A2"), ("A1", "A3"), ("A2", "A3")]
    assert found["score"].tolist() == [0.65, 0.65, 0.65]
    assert str(found["reasons"][0]) == ("same name once romaji long vowels are folded: "
                                        "Haruka Satoh / Haruka Satō; same organization O1")


def test_unrelated_people_and_blank_emails_never_pair():
    frame = alumni({"alum_id": "A1", "name": "Haruka Sato", "email": "", "city": "Sendai"},
                   {"alum_id": "A2", "name": "Kenta Abe", "email": "", "city": "Sendai"},
                   {"alum_id": "A3", "name": "Yui Chiba", "email": "  ", "city": "Sendai"},
                   {"alum_id": "A4", "name": "Riku Endo", "email": "n/a", "city": "Sendai"},
                   {"alum_id": "A5", "name": "Sora Saito", "email": "N/A", "city": "Sendai"})
    found = find_duplicates(frame)
    assert found.empty
    assert list(found.columns) == COLUMNS


def test_a_row_never_pairs_with_itself():
    frame = alumni({"alum_id": "A1", "name": "Haruka Sato"}, {"alum_id": "A1", "name": "Haruka Sato"},
                   {"alum_id": "", "name": "Haruka Sato"})
    assert find_duplicates(frame).empty


def test_dismissed_pairs_are_left_out_in_either_order():
    frame = alumni({"alum_id": "A1", "name": "Haruka Sato"}, {"alum_id": "A2", "name": "Haruka Sato"},
                   {"alum_id": "A3", "name": "Haruka Sato"})
    assert pairs_of(frame) == [("A1", "A2"), ("A1", "A3"), ("A2", "A3")]
    assert pairs_of(frame, dismissed=[("A2", "A1")]) == [("A1", "A3"), ("A2", "A3")]
    assert pairs_of(frame, dismissed={("A1", "A2"), ("A3", "A2")}) == [("A1", "A3")]


def test_scores_order_the_pairs():
    frame = alumni(
        # A1 and A2: a name only, in the same order -> 0.6
        {"alum_id": "A1", "name": "Kenta Abe"}, {"alum_id": "A2", "name": "Kenta Abe"},
        # A3 and A4: email and organization, different names -> 0.9 + 0.15, capped at 1.0
        {"alum_id": "A3", "name": "Yui Chiba", "email": "yui@example.org", "organization_id": "O1"},
        {"alum_id": "A4", "name": "Y. Chiba", "email": "YUI@example.org", "organization_id": "O1"},
        # A5 and A6: a name and a city -> 0.6 + 0.1
        {"alum_id": "A5", "name": "Riku Endo", "city": "Sendai"},
        {"alum_id": "A6", "name": "Riku Endo", "city": "Sendai"},
        # A7 and A8: email and a name -> 0.9 + 0.1
        {"alum_id": "A7", "name": "Sora Saito", "email": "sora@example.org"},
        {"alum_id": "A8", "name": "Saito Sora", "email": "sora@example.org"},
    )
    found = find_duplicates(frame)
    assert found[["first_id", "second_id", "score"]].values.tolist() == [
        ["A3", "A4", 1.0], ["A7", "A8", 1.0], ["A5", "A6", 0.7], ["A1", "A2", 0.6]]
    assert [str(reasons) for reasons in found["reasons"]] == [
        "same email yui@example.org; same organization O1",
        "same email sora@example.org; same name in another order: Sora Saito / Saito Sora",
        "same name Riku Endo; same city Sendai",
        "same name Kenta Abe"]


def test_missing_columns_count_as_blank_and_empty_input_gives_empty_frame():
    frame = pd.DataFrame({"alum_id": ["A1", "A2"], "name": ["Haruka Sato", "haruka sato"]})
    assert find_duplicates(frame)["score"].tolist() == [0.6]
    for empty in (pd.DataFrame(), alumni()):
        found = find_duplicates(empty)
        assert found.empty and list(found.columns) == COLUMNS


def test_row_order_does_not_matter():
    frame = alumni(
        {"alum_id": "A1", "name": "佐藤 遥", "city": "Ishinomaki", "email": "h@example.org"},
        {"alum_id": "A2", "name": "Haruka Sato", "city": "Ishinomaki"},
        {"alum_id": "A3", "name": "Sato Haruka", "email": "H@example.org"},
        {"alum_id": "A4", "name": "さとう はるか", "city": "Ishinomaki"},
        {"alum_id": "A5", "name": "Kenta Abe"}, {"alum_id": "A6", "name": "Kenta Abe"})
    expected = find_duplicates(frame)
    # A2-A3 and A3-A4 are the same romaji reordered, with nothing else in common: no pair.
    assert expected[["first_id", "second_id", "score"]].values.tolist() == [
        ["A1", "A3", 1.0], ["A1", "A2", 0.6], ["A1", "A4", 0.6], ["A2", "A4", 0.6], ["A5", "A6", 0.6]]
    assert str(expected["reasons"][2]) == ("romanized 佐藤 遥 and さとう はるか both read as sato haruka; "
                                           "same city Ishinomaki")
    assert str(expected["reasons"][3]) == "romanized さとう はるか reads as Haruka Sato; same city Ishinomaki"
    for seed in range(3):
        shuffled = frame.sample(frac=1, random_state=seed)
        pd.testing.assert_frame_equal(find_duplicates(shuffled), expected)


def test_synthetic_set_pairs_keep_the_contract():
    frame = synth.generate(1500)["alumni"].astype(str)
    found = find_duplicates(frame)
    assert list(found.columns) == COLUMNS
    assert (found["first_id"] < found["second_id"]).all()
    assert found["score"].between(0, 1).all()
    assert not found.duplicated(["first_id", "second_id"]).any()
    ordered = found.sort_values(["score", "first_id", "second_id"], ascending=[False, True, True])
    pd.testing.assert_frame_equal(ordered.reset_index(drop=True), found)


# --- merging ---------------------------------------------------------------------------------

@pytest.fixture
def tables() -> dict[str, pd.DataFrame]:
    people = pd.DataFrame({
        "alum_id": ["A1", "A2", "A3"],
        "name": ["佐藤 遥", "Haruka Sato", "Kenta Abe"],
        "name_local": ["", "佐藤 遥", "阿部 健太"],
        "city": ["Ishinomaki", "Sendai", ""],
        "role": ["Founder", "", ""],
        "email": ["", "haruka@example.org", ""],
        "notes": ["", "met in Seattle", ""],  # a column the schema does not know
    }, index=[2, 3, 4])
    ties = pd.DataFrame({
        "partnership_id": ["P1", "P2", "P3", "P4"],
        "source_id": ["A2", "A1", "A3", "A3"],
        "target_id": ["ORG-ETIC", "A2", "A2", "ORG-ETIC"],
        "kind": ["advisory", "peer", "peer", "mentorship"],
    }, index=[2, 3, 4, 5])
    projects = pd.DataFrame({
        "project_id": ["X1", "X2", "X3"],
        "lead_alum_id": ["A2", "A3", "A1"],
        "partner_ids": ["A1;ORG-ETIC", "A2;A1;A2", "ORG-ETIC"],
    }, index=[2, 3, 4])
    orgs = pd.DataFrame({"org_id": ["ORG-ETIC"], "name": ["ETIC."]}, index=[2])
    return {"alumni": people, "partnerships": ties, "projects": projects, "organizations": orgs}


def test_merge_rewrites_every_reference(tables):
    before = {name: frame.copy() for name, frame in tables.items()}
    merged = merge_people(tables, keep="A1", drop="A2")
    assert isinstance(merged, Merge)
    # References to A2: P1 source, P2 target, P3 target, X1 lead, X2 partners twice = 6.
    assert merged.rewritten == 6
    assert merged.removed_ties == 1  # P2 (A1 -> A2) would join A1 to itself
    assert str(merged.summary) == ("Merged A2 (Haruka Sato / 佐藤 遥) into A1 (佐藤 遥): "
                                   "6 references rewritten, 1 tie to itself removed, "
                                   "3 blank fields filled (name_local, email, notes).")

    ties = merged.tables["partnerships"]
    assert ties.index.tolist() == [2, 4, 5]
    assert ties[["partnership_id", "source_id", "target_id"]].values.tolist() == [
        ["P1", "A1", "ORG-ETIC"], ["P3", "A3", "A1"], ["P4", "A3", "ORG-ETIC"]]

    projects = merged.tables["projects"]
    assert projects["lead_alum_id"].tolist() == ["A1", "A3", "A1"]
    # X1: A1 now leads it, so it is not its own partner; X2: A2;A1;A2 -> A1 once.
    assert projects["partner_ids"].tolist() == ["ORG-ETIC", "A1", "ORG-ETIC"]

    people = merged.tables["alumni"]
    assert people.index.tolist() == [2, 4]
    assert people.loc[2].to_dict() == {
        "alum_id": "A1", "name": "佐藤 遥", "name_local": "佐藤 遥", "city": "Ishinomaki",
        "role": "Founder", "email": "haruka@example.org", "notes": "met in Seattle"}

    assert merged.tables["organizations"] is tables["organizations"]
    for name, frame in before.items():  # the input is never changed in place
        pd.testing.assert_frame_equal(tables[name], frame)


def test_merge_without_references_leaves_the_other_tables_alone(tables):
    merged = merge_people(tables, keep="A2", drop="A3")
    # A3 is the source of P3 and P4 and leads X2.
    assert (merged.rewritten, merged.removed_ties) == (3, 1)  # P3 (A3 -> A2) becomes A2 -> A2
    assert merged.tables["projects"]["partner_ids"].tolist() == ["A1;ORG-ETIC", "A1", "ORG-ETIC"]
    assert merged.tables["alumni"].set_index("alum_id").loc["A2", "name_local"] == "佐藤 遥"

    alone = {"alumni": tables["alumni"], "organizations": tables["organizations"]}
    merged = merge_people(alone, keep="A3", drop="A1")
    assert (merged.rewritten, merged.removed_ties) == (0, 0)
    assert str(merged.summary) == ("Merged A1 (佐藤 遥) into A3 (Kenta Abe / 阿部 健太): "
                                   "0 references rewritten, 2 blank fields filled (city, role).")
    assert set(merged.tables) == {"alumni", "organizations"}


@pytest.mark.parametrize(("keep", "drop", "message"), [
    ("A1", "A1", "into itself"),
    ("A9", "A1", "No alum with ID 'A9' (to keep)"),
    ("A1", "A9", "No alum with ID 'A9' (to drop)"),
])
def test_merge_refuses_bad_ids(tables, keep, drop, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        merge_people(tables, keep=keep, drop=drop)


def test_merged_sample_still_loads(tmp_path):
    tables = {path.stem: pd.read_csv(path, dtype=str, keep_default_na=False)
              for path in SAMPLE_DIR.glob("*.csv")}
    ties = tables["partnerships"]
    alum_to_alum = ties[ties["source_id"].str.startswith("A") & ties["target_id"].str.startswith("A")]
    keep, drop = alum_to_alum.iloc[0][["source_id", "target_id"]]
    merged = merge_people(tables, keep=keep, drop=drop)
    assert merged.removed_ties >= 1
    for name, frame in merged.tables.items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    dataset = load_dataset(tmp_path)
    assert dataset.errors == []
    assert len(dataset.tables["alumni"]) == len(tables["alumni"]) - 1
    assert len(dataset.tables["partnerships"]) == len(ties) - merged.removed_ties
    # Both had answered the same surveys: the kept alum's answers stay, the other's go.
    outcomes = tables["outcomes"]
    kept, dropped = (outcomes[outcomes["subject_id"] == who] for who in (keep, drop))
    both = kept.merge(dropped, on=["wave", "indicator"])
    assert merged.removed_rows == len(both)
    after = dataset.tables["outcomes"]
    assert drop not in set(after["subject_id"])
    assert len(after[after["subject_id"] == keep]) == len(kept) + len(dropped) - len(both)
