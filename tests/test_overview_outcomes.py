"""The funder's first screen and the outcomes views under AppTest, against independent pandas
code on the sample; honest empty states on a folder without outcomes, origins or introductions."""

from __future__ import annotations

import base64

import numpy as np
import pandas as pd
import plotly.io
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import MINI, ROOT, SAMPLE_DIR, write_folder


@pytest.fixture(autouse=True)
def staff(monkeypatch):
    monkeypatch.setenv("KIZUNA_AUDIENCE", "staff")


def run(page: str, folder, monkeypatch, **query) -> AppTest:
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / page), default_timeout=120)
    at.query_params.update(query)
    return at.run()


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE_DIR / f"{name}.csv", dtype=str, keep_default_na=False)


def charts(at: AppTest) -> list:
    """The page's plotly figures."""
    return [plotly.io.from_json(c.proto.spec) for c in at.get("plotly_chart")]


def values(array) -> list:
    """A trace's values: plotly sends numbers as typed binary arrays ({dtype, bdata})."""
    if isinstance(array, dict) and "bdata" in array:
        return np.frombuffer(base64.b64decode(array["bdata"]), dtype=array["dtype"]).tolist()
    return list(array)


def test_the_overview_draws_cohort_growth_beside_the_cards(monkeypatch):
    at = run("pages/overview.py", SAMPLE_DIR, monkeypatch)
    assert not at.exception
    growth = next(c for c in charts(at) if "Alumni over time" in c.layout.title.text)
    # Independently: alumni trained up to each year, by program.
    alumni = read("alumni").astype({"cohort_year": int})
    assert {t.name for t in growth.data} == set(alumni["program"])
    for trace in growth.data:
        program = trace.name
        mine = alumni[alumni["program"] == program]
        for year, shown in zip(values(trace.x), values(trace.y), strict=True):
            assert shown == (mine["cohort_year"] <= int(year)).sum(), (program, year)
    assert any("Ties between countries" in c.layout.title.text for c in charts(at))
    assert {link.proto.page for link in at.main.get("page_link")} >= {"cohorts", "network"}


def test_the_overview_outcomes_table_matches_pandas(monkeypatch):
    at = run("pages/overview.py", SAMPLE_DIR, monkeypatch)
    table = next(d.value for d in at.dataframe if "indicator" in d.value.columns)
    alumni, outcomes = read("alumni"), read("outcomes")
    answers = outcomes[outcomes["value"] != ""].merge(
        alumni[["alum_id", "program", "cohort"]], left_on="subject_id", right_on="alum_id")
    for row in table[table["subject_kind"] == "alum"].itertuples():
        cohort = alumni[(alumni["program"] == row.program) & (alumni["cohort"] == row.cohort)]
        wave = answers[(answers["program"] == row.program) & (answers["cohort"] == row.cohort)
                       & (answers["indicator"] == row.indicator) & (answers["wave"] == row.wave)]
        assert row.answered == wave["subject_id"].nunique()
        assert row.eligible == len(cohort)
        assert row.note.startswith(f"{row.answered} of {len(cohort)} answered")
        expected = wave.groupby("subject_id")["value"].apply(lambda v: v.astype(float).mean())
        if row.answered:  # shown to two decimals
            assert float(row.mean.replace(",", "")) == pytest.approx(expected.mean(), abs=0.005)
        else:
            assert row.mean == "–"


def test_comparing_with_a_chosen_year(monkeypatch):
    at = run("pages/overview.py", SAMPLE_DIR, monkeypatch, compare="2016")
    assert not at.exception
    assert any("change on 2016" in c.value for c in at.caption)


def test_a_folder_without_outcomes_origins_or_introductions_says_so(tmp_path, monkeypatch):
    folder = write_folder(tmp_path / "mini", MINI)
    overview = run("pages/overview.py", folder, monkeypatch)
    assert not overview.exception
    assert any("No outcomes in the data" in c.value for c in overview.caption)
    cohorts = run("pages/cohorts.py", folder, monkeypatch, show="Outcomes")
    assert not cohorts.exception and any("No outcomes" in i.value for i in cohorts.info)
    growth = run("pages/cohorts.py", folder, monkeypatch, show="Network growth")
    assert not growth.exception
    by_origin = next(c for c in charts(growth) if "by origin" in c.layout.title.text)
    recorded = [t for t in by_origin.data if t.name != "Origin not recorded" and any(values(t.y))]
    assert not recorded  # no tie of MINI records how it began
    network = run("pages/network.py", folder, monkeypatch, ties="program")
    assert not network.exception
    ties = next(m.value for m in network.metric if m.label == "Ties")
    assert ties == "0"  # the people are shown, with none of the ties: none was made by the program


def test_staff_record_an_introduction_from_a_profile(tmp_path, monkeypatch):
    import shutil

    from analytics.data import store
    from analytics.data.loader import load_dataset

    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR, folder)
    before = load_dataset(folder).tables["introductions"]
    at = run("pages/alumni.py", folder, monkeypatch, profile="A0001")
    assert not at.exception
    button = next(b for b in at.button if b.label == "I introduced them")
    other = button.key.removeprefix("introduce-A0001-")
    button.click().run()
    assert any("Recorded as version 2" in s.value for s in at.success)
    after = load_dataset(folder).tables["introductions"]
    assert len(after) == len(before) + 1
    made = after.iloc[-1]
    assert (made["first_id"], made["second_id"], bool(made["suggested"])) == ("A0001", other, True)
    assert store.history(folder)[0].action == "introduction"
    # The profile now lists it, with no tie yet.
    again = run("pages/alumni.py", folder, monkeypatch, profile="A0001")
    assert any("no tie yet" in m.value for m in again.markdown)
