"""The funder's figures on a tiny dataset, every value worked out by hand."""

from __future__ import annotations

import pytest

from analytics.data.loader import load_dataset
from analytics.impact import kpis as impact
from analytics.impact import projects as project_tables
from analytics.selection import Selection, funded_programs
from tests.conftest import MINI, write_folder

# MINI (tests/conftest.py) plus two grants from O2 to SIFJ and a target.
FUNDING = "funder_id,program,year,amount_usd\nO2,SIFJ,2011,10000\nO2,SIFJ,2012,5000\n"
TARGETS = "metric,year,target\nalumni,2011,2\nprojects_launched,2013,1\n"


@pytest.fixture
def tables(tmp_path):
    folder = write_folder(tmp_path / "impact", {**MINI, "funding": FUNDING, "targets": TARGETS})
    dataset = load_dataset(folder)
    assert dataset.problems == []
    return dataset.tables


def figures(tables, selection):
    return {k.key: (k.value, k.previous) for k in impact.kpis(tables, selection)}


def test_every_kpi_by_hand(tables):
    got = figures(tables, Selection(years=(2011, 2013)))
    # (2011-2013, and 2011-2012 for "the year before"). The alumni and the grants end in 2012,
    # so the figures counted from them have no change for 2013: None, not a change of 0.
    expected = {
        "alumni": (2, None),                   # A1 (2011), A2 (2012)
        "organizations": (2, None),            # O1 (A1's own), O2 (P1; X1's partner)
        "countries": (2, None),                # JP, and US through O2
        "projects_launched": (1, 0),           # X1 began in 2013
        "projects_active": (1, 0),             # X1, active in 2013
        "beneficiaries": (120, 0),
        "funds_raised": (5000, 0),
        "program_funding": (15000, None),      # both grants fall in 2011-2012
        "leverage": (5000 / 15000, None),
        "cross_border": (1, 1),                # P1: A1 (JP) - O2 (US); P2 is JP-JP
        "cross_border_share": (0.5, 1.0),      # 1 of P1, P2; then 1 of P1
        "active_alumni": (2, 1),               # 2012-13: P1, P2, X1 reach A1, A2; 2011-12: P1, A1
    }
    for key, (value, previous) in expected.items():
        assert got[key][0] == pytest.approx(value), key
        assert got[key][1] == (None if previous is None else pytest.approx(previous)), key


def test_a_change_is_given_only_where_the_data_reaches_the_last_year(tables):
    # 2011-2012: every table has rows dated 2012 or later, so every change is known.
    got = figures(tables, Selection(years=(2011, 2012)))
    assert got["alumni"] == (2, 1)  # A2 trained in 2012; A1 in 2011
    assert got["program_funding"] == (15000, 10000)  # O2's 2012 grant of 5,000
    # ...every table but introductions, which MINI has none of: those figures have no change.
    introductions = {"introductions", "introductions_to_ties"}
    assert all(previous is not None for key, (_, previous) in got.items() if key not in introductions)
    assert all(got[key] == (0, None) for key in introductions)
    # One year alone has no year before it.
    assert all(p is None for _, p in figures(tables, Selection(years=(2012, 2012))).values())


def test_change_is_this_year_against_the_year_before(tables):
    kpi = {k.key: k for k in impact.kpis(tables, Selection(years=(2011, 2013)))}
    assert kpi["projects_launched"].change == 1
    assert kpi["cross_border_share"].change == pytest.approx(-0.5)
    assert impact.format_value(kpi["cross_border_share"].change, "share", change=True) == "-50 pts"


def test_a_funder_sees_the_programs_it_funded_and_its_own_grants(tables):
    assert funded_programs(tables["funding"], "O2") == ["SIFJ"]
    got = figures(tables, Selection(funder="O2", years=(2011, 2013)))
    assert got["alumni"][0] == 2 and got["program_funding"][0] == 15000
    nobody = figures(tables, Selection(funder="O1", years=(2011, 2013)))  # O1 funded nothing
    assert nobody["alumni"][0] == 0 and nobody["program_funding"][0] == 0


def test_country_and_cause_filters(tables):
    assert figures(tables, Selection(countries=("US",)))["alumni"][0] == 0
    assert figures(tables, Selection(causes=("renewable energy",)))["projects_launched"][0] == 1
    assert figures(tables, Selection(causes=("aging",)))["projects_launched"][0] == 0


def test_targets_beside_actuals(tables):
    frame = impact.targets_vs_actuals(tables)
    assert frame[["metric", "year", "target", "actual"]].values.tolist() == [
        ["alumni", 2011, 2.0, 1], ["projects_launched", 2013, 1.0, 1]]


def test_project_table_filters_and_stories(tables):
    projects = project_tables.project_table(tables["projects"], tables["alumni"],
                                            tables["organizations"])
    x1 = projects.iloc[0]
    assert (x1["lead"], x1["program"], x1["cohort"]) == ("Haruka Sato", "SIFJ", "2011")
    assert x1["partners"] == ["Cascadia Fund", "Kenta Abe"] and x1["partner_countries"] == ["JP", "US"]
    assert len(project_tables.filter_projects(projects, Selection(statuses=("active",)))) == 1
    assert project_tables.filter_projects(projects, Selection(years=(2014, 2020))).empty
    stories = project_tables.highlighted_projects(projects)
    # X1 runs in Japan with a partner in the US: it is a cross-border story.
    assert list(stories["Across borders"]["project_id"]) == ["X1"]
    assert project_tables.project_totals(projects) == {"projects": 1, "beneficiaries": 120.0,
                                               "funds_raised": 5000.0}


def test_format_value():
    assert impact.format_value(1234, "count") == "1,234"
    assert impact.format_value(2_195_400, "usd") == "$2.2M"
    assert impact.format_value(45_000, "usd") == "$45K"
    assert impact.format_value(2_500, "usd") == "$2,500"
    assert impact.format_value(1.114, "ratio") == "1.11x"
    assert impact.format_value(float("nan"), "ratio") == "–"
