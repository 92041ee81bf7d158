"""The staff pages that look after the data, under AppTest: versions, restore, read-only servers,
fixing rows in place, and duplicates."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from analytics.curation import changes
from analytics.data import store
from analytics.data.loader import load_dataset
from tests.conftest import ROOT, SAMPLE_DIR


@pytest.fixture
def folder(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR, data)
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(data))
    monkeypatch.setenv("KIZUNA_AUDIENCE", "staff")
    return data


def run(page: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=90)
    at.query_params.update(query)
    return at.run()


def add_alum(folder) -> None:
    text = (folder / "alumni.csv").read_text(encoding="utf-8")
    row = text.splitlines()[1].split(",")
    row[0] = "A9000"
    preview = changes.prepare(folder, {"alumni": (text + ",".join(row) + "\n").encode()},
                              action="import", description="One more")
    changes.apply(preview, "Aiko")


def test_versions_lists_each_change_and_restores_one(folder):
    before = len(load_dataset(folder).tables["alumni"])
    add_alum(folder)
    at = run("pages/versions.py")
    assert not at.exception
    history = at.dataframe[0].value
    assert history["Version"].tolist() == [2, 1]
    assert history["Changed by"].tolist() == ["Aiko", "-"]
    assert history["What changed"].iloc[0] == "One more: alumni 1 added"
    audit = at.dataframe[1].value
    assert audit[["Version", "Table", "Added, removed or changed", "Row ID"]].values.tolist() == [
        [2, "alumni", "added", "A9000"]]
    restore = next(b for b in at.button if b.label == "Restore version 1")
    restore.click().run()
    assert any("Version 1 is current again, as version 3" in s.value for s in at.success)
    assert len(load_dataset(folder).tables["alumni"]) == before
    assert [v.id for v in store.history(folder)] == [3, 2, 1]
    # Version 3 has version 1's content, loaded before: the page still says version 3.
    health = run("pages/data.py")
    assert any("version 3 ·" in c.value for c in health.caption), [c.value for c in health.caption]


def test_a_read_only_server_hides_every_control_and_says_why(folder, monkeypatch):
    monkeypatch.setenv("KIZUNA_READ_ONLY", "1")
    imports = run("pages/imports.py")
    assert not imports.exception
    assert any("read-only (KIZUNA_READ_ONLY=1)" in i.value for i in imports.info)
    assert not imports.get("file_uploader")
    data = run("pages/data.py")
    assert not data.get("data_editor") and not data.text_input
    dupes = run("pages/duplicates.py")
    assert not [b for b in dupes.button if b.label == "Not the same person"]


def test_not_the_same_person_is_remembered_as_a_version(folder):
    at = run("pages/duplicates.py")
    pairs = at.dataframe[0].value
    first, second = pairs.iloc[0]["first_id"], pairs.iloc[0]["second_id"]
    at = run("pages/duplicates.py", pair=f"{first}+{second}")
    next(b for b in at.button if b.label == "Not the same person").click().run()
    assert not at.exception, at.exception
    assert store.dismissed_pairs(folder) == ((first, second),)
    assert store.history(folder)[0].action == "not-duplicate"
    left = at.dataframe[0].value
    assert not ((left["first_id"] == first) & (left["second_id"] == second)).any()
    assert len(left) == len(pairs) - 1
    # The data itself did not change.
    assert load_dataset(folder).fingerprint == store.history(folder)[1].fingerprint


def test_merging_a_pair_rewrites_its_ties(folder):
    text = (folder / "alumni.csv").read_text(encoding="utf-8")
    first = text.splitlines()[1].split(",")
    twin = [*first]
    twin[0] = "A9999"
    (folder / "alumni.csv").write_text(text + ",".join(twin) + "\n", encoding="utf-8")
    ties = (folder / "partnerships.csv").read_text(encoding="utf-8")
    (folder / "partnerships.csv").write_text(ties + "P9999,A9999,ORG-ETIC,peer,2019,,,\n",
                                             encoding="utf-8")
    at = run("pages/duplicates.py", pair=f"{first[0]}+A9999")
    assert not at.exception
    merge = next(b for b in at.button if b.label == f"Merge A9999 into {first[0]}")
    merge.click().run()
    assert any("Applied as version 2" in s.value for s in at.success)
    data = load_dataset(folder)
    assert "A9999" not in set(data.tables["alumni"]["alum_id"])
    tie = data.tables["partnerships"].set_index("partnership_id").loc["P9999"]
    assert (tie["source_id"], tie["target_id"]) == (first[0], "ORG-ETIC")
