"""The sample generator: the programs it mirrors, determinism, and shape at scale."""

from __future__ import annotations

import pandas as pd
import pytest

from analytics.data import synth
from analytics.data.loader import load_dataset
from analytics.data.schema import TABLES, TIE_ORIGINS
from tests.conftest import SAMPLE_DIR


@pytest.fixture(scope="module")
def sample():
    return synth.generate()


def test_committed_sample_is_the_generators_default_output(sample):
    for name, frame in sample.items():
        committed = pd.read_csv(SAMPLE_DIR / f"{name}.csv", dtype=str, keep_default_na=False)
        expected = frame.astype(str).reset_index(drop=True)
        pd.testing.assert_frame_equal(committed, expected, check_dtype=False, obj=name)


def test_sample_mirrors_the_programs_cohorts(sample):
    alumni = sample["alumni"]
    sizes = alumni.groupby(["program", "cohort"]).size().to_dict()
    # TOMODACHI Microsoft iLEAP cohorts as the program's own accounts give them.
    assert sizes[(synth.ILEAP, "2016")] == 25
    assert sizes[(synth.ILEAP, "2017 Spring")] == 25
    assert sizes[(synth.ILEAP, "2017 Summer")] == 18
    assert sizes[(synth.ILEAP, "2018")] == 24
    # "Nearly forty" SIFJ leaders, 2011-2014.
    sifj = alumni[alumni["program"] == synth.SIFJ]
    assert 35 <= len(sifj) < 40 and set(sifj["cohort_year"]) == {"2011", "2012", "2013", "2014"}
    research = alumni[alumni["program"] == synth.ASIA]
    assert set(research["country"]) == {"CN", "JP", "SG", "KR", "TH"}


def test_sample_names_the_partner_institutions(sample):
    names = set(sample["organizations"]["name"])
    for expected in ("ETIC.", "Microsoft", "Toyota Foundation", "Keio University", "U.S.-Japan Council",
                     "Japan Foundation Center for Global Partnership"):
        assert expected in names


def test_no_real_person_from_the_source_texts_is_an_alum(sample):
    names = set(sample["alumni"]["name"])
    for real in ("Haruo Miyagi", "Ken Ito"):
        assert real not in names


def test_sample_has_a_mix_of_consents_and_cross_border_ties(sample):
    alumni = sample["alumni"]
    assert 0 < (alumni["consent_public"] == "yes").sum() < (alumni["consent_directory"] == "yes").sum()
    assert (alumni["consent_directory"] == "no").any()
    country = pd.concat([alumni.set_index("alum_id")["country"],
                         sample["organizations"].set_index("org_id")["country"]])
    ties = sample["partnerships"]
    crossing = ties["source_id"].map(country) != ties["target_id"].map(country)
    assert 0.1 < crossing.mean() < 0.6


def test_same_seed_same_data_other_seed_other_data():
    a, b, c = synth.generate(200, seed=1), synth.generate(200, seed=1), synth.generate(200, seed=2)
    for name in TABLES:
        pd.testing.assert_frame_equal(a[name], b[name])
    assert not a["alumni"].equals(c["alumni"])
    assert not a["outcomes"].equals(c["outcomes"])


def test_same_seed_writes_the_same_bytes(tmp_path):
    first = synth.write(synth.generate(300, seed=4), tmp_path / "a")
    second = synth.write(synth.generate(300, seed=4), tmp_path / "b")
    assert [p.name for p in first] == [f"{name}.csv" for name in TABLES]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_the_sample_loads_with_no_problems():
    ds = load_dataset(SAMPLE_DIR)
    assert ds.problems == []
    assert all(len(ds[name]) for name in TABLES), {n: len(ds[n]) for n in TABLES}


# --- outcomes, tie origins and introductions ----------------------------------------------------

def answered_by_wave(outcomes: pd.DataFrame) -> pd.Series:
    """Of the alumni asked in each wave, the share who answered anything."""
    alumni = outcomes[outcomes["subject_id"].str.startswith("A")]
    answered = (alumni.assign(given=alumni["value"] != "")
                .groupby(["subject_id", "wave"])["given"].any().reset_index())
    return answered.groupby("wave")["given"].mean().reindex(list(synth.WAVES))


def test_outcome_waves_follow_each_programs_rhythm(sample):
    outcomes, alumni = sample["outcomes"], sample["alumni"].set_index("alum_id")
    people = outcomes[outcomes["subject_id"].isin(alumni.index)]
    assert (people["year"].astype(int) <= synth.LAST_YEAR).all()
    waves = people.groupby(people["subject_id"].map(alumni["program"]))["wave"].unique()
    assert set(waves[synth.SIFJ]) == set(waves[synth.ILEAP]) == set(synth.WAVES)
    assert set(waves[synth.ASIA]) == {"baseline", "exit"}  # the network's two workshops
    # iLEAP 2017 Summer: Phase 1 in Japan in July 2017, final presentations in February 2018.
    summer = people[people["subject_id"].map(alumni["cohort"]) == "2017 Summer"]
    dates = summer.groupby("wave")["date"].unique()
    assert list(dates["baseline"]) == ["2017-07-10"] and list(dates["exit"]) == ["2018-02-16"]
    assert set(summer.loc[summer["wave"] == "three years", "year"]) == {"2021"}
    # Every alum asked gets a row per indicator, answered or blank.
    per_wave = people.groupby(["subject_id", "wave"])["indicator"].nunique()
    assert (per_wave == len(synth.INDICATORS)).all()
    assert not people.duplicated(["subject_id", "wave", "indicator"]).any()


def test_a_realistic_share_of_alumni_answer_fewer_as_time_passes(sample):
    for tables in (sample, synth.generate(3000, seed=9)):
        answered = answered_by_wave(tables["outcomes"])
        assert 0.75 <= answered["baseline"] <= 0.95, answered
        for wave in synth.WAVES[1:]:
            assert 0.55 <= answered[wave] <= 0.80, answered
        assert answered.is_monotonic_decreasing, answered


def test_outcomes_improve_from_baseline(sample):
    outcomes = sample["outcomes"]
    values = outcomes.assign(value=pd.to_numeric(outcomes["value"]))
    means = values.groupby(["indicator", "wave"])["value"].mean()
    for indicator, *_ in synth.INDICATORS:
        assert means[indicator, "exit"] > means[indicator, "baseline"], indicator
        assert means[indicator, "three years"] > means[indicator, "baseline"], indicator
    scores = values.loc[values["unit"] == "score 1-5", "value"].dropna()
    assert scores.between(1, 5).all()
    reach = values[values["iris_code"] == "PI4060"]
    assert (reach["value"].dropna() >= 0).all() and reach["unit"].eq("people").all()


def test_project_reach_by_year_adds_up_to_at_most_the_projects_beneficiaries(sample):
    outcomes, projects = sample["outcomes"], sample["projects"].set_index("project_id")
    reach = outcomes[outcomes["subject_id"].isin(projects.index)]
    assert 0 < reach["subject_id"].nunique() < len(projects)
    total = pd.to_numeric(reach["value"]).groupby(reach["subject_id"]).sum()
    assert (total <= projects.loc[total.index, "beneficiaries"].astype(int)).all()
    start = reach["subject_id"].map(projects["start_year"]).astype(int)
    assert (reach["year"].astype(int) >= start).all()
    assert (reach["year"].astype(int) < synth.LAST_YEAR).all()


def test_tie_origins_are_mostly_the_programs_with_some_not_recorded(sample):
    ties = sample["partnerships"]
    origins = ties["origin"].value_counts(normalize=True)
    assert set(origins.index) == {"", *TIE_ORIGINS}
    assert 0.08 <= origins[""] <= 0.25
    assert origins[["cohort", "forum"]].sum() > 0.4
    assert origins["suggested introduction"] < origins["staff introduction"]
    suggested = ties[ties["origin"] == "suggested introduction"]
    assert (suggested["start_year"].astype(int) >= synth.SUGGESTIONS_FROM).all()
    peers = ties[ties["kind"] == "peer"]
    assert (peers["origin"] == "cohort").mean() > 0.7


def test_introductions_some_of_which_became_ties(sample):
    intros, ties = sample["introductions"], sample["partnerships"]
    assert 20 <= len(intros) <= 40
    assert (intros["first_id"] != intros["second_id"]).all()
    year = intros["year"].astype(int)
    assert year.between(synth.INTRODUCTIONS_FROM, synth.LAST_YEAR).all()
    assert (year[intros["suggested"] == "yes"] >= synth.SUGGESTIONS_FROM).all()
    assert intros["date"].str[:4].eq(intros["year"]).all()

    def pair(a, b):
        return pd.Series([tuple(sorted(p)) for p in zip(a, b, strict=True)], index=a.index)

    began = dict(zip(pair(ties["source_id"], ties["target_id"]), ties["start_year"].astype(int),
                     strict=True))
    tie_year = pair(intros["first_id"], intros["second_id"]).map(began)
    became = tie_year >= year
    assert 10 <= became.sum() < len(intros)
    assert tie_year[~became].isna().all()  # the others are between two who were never tied
    # Every recent tie that began with an introduction has its introduction on record.
    recent = ties[ties["origin"].isin(["staff introduction", "suggested introduction"])
                  & (ties["start_year"].astype(int) >= synth.INTRODUCTIONS_FROM)]
    assert set(pair(recent["source_id"], recent["target_id"])) <= set(
        pair(intros["first_id"], intros["second_id"]))


def test_larger_sets_keep_the_shape(tmp_path):
    tables = synth.generate(2000, seed=5)
    synth.write(tables, tmp_path)
    ds = load_dataset(tmp_path)
    assert ds.errors == []
    assert len(ds["alumni"]) == 2000
    # About five ties per alum: partnerships, affiliations and project partners together.
    ties = (len(ds["partnerships"]) + (ds["alumni"]["organization_id"] != "").sum()
            + ds["projects"]["partner_ids"].map(len).sum())
    assert 4.5 <= ties / 2000 <= 6.0
