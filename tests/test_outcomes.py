"""Outcomes, the five dimensions of impact, introductions, tie origins and comparisons.

Every expected value is worked out by hand in the comments, from the tiny tables below.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from analytics.impact import kpis as impact
from analytics.impact import outcomes, series
from analytics.impact.introductions import introduction_outcomes
from analytics.selection import Selection

NAN = float("nan")


def years(*values):
    return pd.array(values, dtype="Int64")


def frame(columns: list[str], rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=columns)


ALUMNI = ["alum_id", "program", "cohort", "cohort_year", "country", "causes", "organization_id"]
PROJECTS = ["project_id", "lead_alum_id", "cause", "country", "start_year", "end_year", "status",
            "beneficiaries", "funds_raised_usd", "partner_ids"]
TIES = ["source_id", "target_id", "start_year", "end_year", "origin"]
OUTCOMES = ["subject_id", "wave", "year", "indicator", "value", "unit", "iris_code"]
INTRODUCTIONS = ["first_id", "second_id", "year", "made_by", "suggested"]


def make_tables(alumni, projects=(), ties=(), outcome_rows=None, introductions=None,
                funding=(), targets=None, origin=True) -> dict[str, pd.DataFrame]:
    """Typed tables as the loader gives them; outcomes, introductions, targets and the
    partnerships' origin column only when given (today's data has none of them)."""
    tables = {
        "alumni": frame(ALUMNI, list(alumni)).astype({"cohort_year": "Int64"}),
        "organizations": frame(["org_id", "country"], [("O1", "JP"), ("O2", "US")]),
        "projects": frame(PROJECTS, list(projects)).astype(
            {"start_year": "Int64", "end_year": "Int64", "beneficiaries": float,
             "funds_raised_usd": float}),
        "partnerships": frame(TIES, list(ties)).astype({"start_year": "Int64", "end_year": "Int64"}),
        "funding": frame(["funder_id", "program", "year", "amount_usd"], list(funding)).astype(
            {"year": "Int64", "amount_usd": float}),
    }
    if not origin:
        tables["partnerships"] = tables["partnerships"].drop(columns="origin")
    if outcome_rows is not None:
        tables["outcomes"] = frame(OUTCOMES, list(outcome_rows)).astype(
            {"year": "Int64", "value": float})
    if introductions is not None:
        tables["introductions"] = frame(INTRODUCTIONS, list(introductions)).astype(
            {"year": "Int64", "suggested": bool})
    if targets is not None:
        tables["targets"] = frame(["metric", "year", "target"], list(targets)).astype(
            {"year": "Int64", "target": float})
    return tables


# SIFJ 2012: A1-A4 (4 alumni). iLEAP 2014: B1, B2.
RICH_ALUMNI = [
    ("A1", "SIFJ", "2012", 2012, "JP", ["aging", "education"], "O1"),
    ("A2", "SIFJ", "2012", 2012, "JP", ["aging"], ""),
    ("A3", "SIFJ", "2012", 2012, "JP", ["education"], ""),
    ("A4", "SIFJ", "2012", 2012, "US", ["energy"], ""),
    ("B1", "iLEAP", "2014", 2014, "US", ["aging"], ""),
    ("B2", "iLEAP", "2014", 2014, "KR", [], ""),
]
# X1, X2 are SIFJ 2012's (led by A1, A2); X3 is iLEAP 2014's and does not report its reach.
RICH_PROJECTS = [
    ("X1", "A1", "aging", "JP", 2013, None, "active", 100, 0, []),
    ("X2", "A2", "education", "US", 2013, None, "active", 50, 0, []),
    ("X3", "B1", "aging", "US", 2015, None, "active", NAN, 0, []),
]
RICH_TIES = [
    ("A1", "O2", 2012, None, "cohort"),              # P1: made by the program
    ("A2", "A3", 2013, None, "forum"),               # P2: made by the program
    ("A1", "A4", 2013, None, "other"),               # P3: another recorded origin
    ("A3", "O1", 2014, None, ""),                    # P4: not recorded
    ("B1", "A4", 2014, None, "staff introduction"),  # P5: made by the program
    ("A2", "O1", 2010, None, ""),                    # P6: not recorded; begun before I2
]
CONFIDENCE = ("confidence", "score", "OI1234")
REVENUE = ("revenue", "USD", "PI1775")
RICH_OUTCOMES = [
    # SIFJ 2012 confidence. Baseline: A1 2, A2 3, A3 4; A4 asked, no answer.
    ("A1", "baseline", 2012, CONFIDENCE[0], 2.0, *CONFIDENCE[1:]),
    ("A2", "baseline", 2012, CONFIDENCE[0], 3.0, *CONFIDENCE[1:]),
    ("A3", "baseline", 2012, CONFIDENCE[0], 4.0, *CONFIDENCE[1:]),
    ("A4", "baseline", 2012, CONFIDENCE[0], NAN, *CONFIDENCE[1:]),
    # Exit: A1 4 and A4 5 (A4 skipped baseline); A2 and A3 asked, no answer. A4 answered in 2013.
    ("A1", "exit", 2012, CONFIDENCE[0], 4.0, *CONFIDENCE[1:]),
    ("A4", "exit", 2013, CONFIDENCE[0], 5.0, *CONFIDENCE[1:]),
    ("A2", "exit", 2012, CONFIDENCE[0], NAN, *CONFIDENCE[1:]),
    ("A3", "exit", 2012, CONFIDENCE[0], NAN, *CONFIDENCE[1:]),
    # One year: A2 6 alone.
    ("A2", "one year", 2013, CONFIDENCE[0], 6.0, *CONFIDENCE[1:]),
    # SIFJ 2012 projects' revenue: X1 1000 and X2 3000 at baseline; X1 1600 a year on, X2 silent.
    ("X1", "baseline", 2013, REVENUE[0], 1000.0, *REVENUE[1:]),
    ("X2", "baseline", 2013, REVENUE[0], 3000.0, *REVENUE[1:]),
    ("X1", "one year", 2014, REVENUE[0], 1600.0, *REVENUE[1:]),
    ("X2", "one year", 2014, REVENUE[0], NAN, *REVENUE[1:]),
    # iLEAP 2014 confidence: B1 1 -> 2, B2 2 -> 2.
    ("B1", "baseline", 2014, CONFIDENCE[0], 1.0, *CONFIDENCE[1:]),
    ("B2", "baseline", 2014, CONFIDENCE[0], 2.0, *CONFIDENCE[1:]),
    ("B1", "exit", 2014, CONFIDENCE[0], 2.0, *CONFIDENCE[1:]),
    ("B2", "exit", 2014, CONFIDENCE[0], 2.0, *CONFIDENCE[1:]),
]
RICH_INTRODUCTIONS = [
    ("A4", "B1", 2013, "staff", False),  # I1: P5 (B1-A4) began in 2014, later: became a tie
    ("O1", "A2", 2012, "staff", False),  # I2: P6 (A2-O1) began in 2010, before: does not count
    ("A3", "O2", 2013, "staff", True),   # I3: no partnership between them
]


@pytest.fixture
def rich():
    return make_tables(RICH_ALUMNI, RICH_PROJECTS, RICH_TIES, RICH_OUTCOMES, RICH_INTRODUCTIONS)


def rows_of(table: pd.DataFrame, columns: list[str]) -> list[list]:
    return [[None if isinstance(v, float) and math.isnan(v) else v for v in row]
            for row in table[columns].astype(object).values.tolist()]


COLUMNS = ["program", "cohort", "subject_kind", "indicator", "wave", "year", "answered", "eligible",
           "response_rate", "mean", "change", "paired", "note", "caution"]


def test_outcomes_by_cohort_by_hand(rich):
    table = outcomes.outcomes_by_cohort(rich)
    assert rows_of(table, COLUMNS) == [
        # Baseline: 3 of the 4 answered; mean (2 + 3 + 4) / 3 = 3. No change on itself.
        ["SIFJ", "2012", "alum", "confidence", "baseline", 2012, 3, 4, 0.75, 3.0, None, 0,
         "3 of 4 answered (75%)", "few answered"],
        # Exit: A1 and A4 answered, mean (4 + 5) / 2 = 4.5. Only A1 answered baseline too:
        # change 4 - 2 = +2 on 1 person. (Means alone would say 4.5 - 3 = +1.5: A4's 5 set against
        # a baseline A4 never gave.) Its years are 2012 and 2013: the lower median is 2012.
        ["SIFJ", "2012", "alum", "confidence", "exit", 2012, 2, 4, 0.5, 4.5, 2.0, 1,
         "2 of 4 answered (50%)", "few answered"],
        # One year: A2 alone, 6; A2's baseline was 3: +3.
        ["SIFJ", "2012", "alum", "confidence", "one year", 2013, 1, 4, 0.25, 6.0, 3.0, 1,
         "1 of 4 answered (25%)", "few answered"],
        # Projects of the cohort: X1 and X2 (its leads are A1 and A2). Mean (1000 + 3000) / 2.
        ["SIFJ", "2012", "project", "revenue", "baseline", 2013, 2, 2, 1.0, 2000.0, None, 0,
         "2 of 2 answered (100%)", "few answered"],
        # X1 alone a year on: 1600 - 1000 = +600.
        ["SIFJ", "2012", "project", "revenue", "one year", 2014, 1, 2, 0.5, 1600.0, 600.0, 1,
         "1 of 2 answered (50%)", "few answered"],
        # iLEAP: (1 + 2) / 2 = 1.5 at baseline; at exit both 2, changes +1 and 0: +0.5 on 2.
        ["iLEAP", "2014", "alum", "confidence", "baseline", 2014, 2, 2, 1.0, 1.5, None, 0,
         "2 of 2 answered (100%)", "few answered"],
        ["iLEAP", "2014", "alum", "confidence", "exit", 2014, 2, 2, 1.0, 2.0, 0.5, 2,
         "2 of 2 answered (100%)", "few answered"],
    ]
    assert table["unit"].tolist()[:3] == ["score"] * 3 and table["iris_code"].iloc[3] == "PI1775"
    assert table["cohort_year"].tolist() == [2012] * 5 + [2014] * 2


def test_cautions_under_half_and_enough():
    # A cohort of 12: 5 answered at baseline (5/12 = 42%, under half); 6 at exit (50%: not under).
    alumni = [(f"C{i:02}", "P", "C", 2015, "JP", [], "") for i in range(12)]
    rows = [(f"C{i:02}", "baseline", 2015, "skill", 1.0, "", "") for i in range(5)]
    rows += [(f"C{i:02}", "exit", 2015, "skill", 2.0, "", "") for i in range(6)]
    table = outcomes.outcomes_by_cohort(make_tables(alumni, outcome_rows=rows))
    assert rows_of(table, ["wave", "note", "caution", "change", "paired"]) == [
        ["baseline", "5 of 12 answered (42%)", "under half answered", None, 0],
        ["exit", "6 of 12 answered (50%)", "", 1.0, 5]]  # C00-C04 answered both: 2 - 1 each
    assert outcomes.response_note(42, 60) == "42 of 60 answered (70%)"
    assert outcomes.response_caution(4, 4) == "few answered"


def test_selection_by_program_and_by_years(rich):
    iLEAP = outcomes.outcomes_by_cohort(rich, Selection(programs=("iLEAP",)))
    assert set(iLEAP["program"]) == {"iLEAP"} and len(iLEAP) == 2
    # 2013 alone: the waves whose year is 2013. The SIFJ exit wave's year is 2012 (lower median),
    # so A4's 2013 answer does not make a second, partial exit wave. The one-year change still
    # uses A2's 2012 baseline: +3. iLEAP (trained 2014) is not yet in the community.
    in_2013 = outcomes.outcomes_by_cohort(rich, Selection(years=(2013, 2013)))
    assert rows_of(in_2013, ["program", "indicator", "wave", "answered", "eligible", "change", "paired"]) == [
        ["SIFJ", "confidence", "one year", 1, 4, 3.0, 1],
        ["SIFJ", "revenue", "baseline", 2, 2, None, 0]]
    # Countries choose the people: A4 (US) alone of SIFJ; B1 (US) of iLEAP.
    us = outcomes.outcomes_by_cohort(rich, Selection(countries=("US",)))
    assert rows_of(us[us["indicator"] == "confidence"], ["program", "wave", "answered", "eligible"]) == [
        ["SIFJ", "baseline", 0, 1], ["SIFJ", "exit", 1, 1], ["iLEAP", "baseline", 1, 1],
        ["iLEAP", "exit", 1, 1]]
    # A cohort selected by name.
    assert set(outcomes.outcomes_by_cohort(rich, Selection(cohorts=("2014",)))["cohort"]) == {"2014"}


def test_funder_selects_the_programs_it_funded(rich):
    tables = {**rich, "funding": frame(["funder_id", "program", "year", "amount_usd"],
                                       [("O2", "iLEAP", 2014, 100.0)]).astype({"year": "Int64"})}
    assert set(outcomes.outcomes_by_cohort(tables, Selection(funder="O2"))["program"]) == {"iLEAP"}


def test_without_an_outcomes_table_it_is_empty():
    table = outcomes.outcomes_by_cohort(make_tables(RICH_ALUMNI))
    assert table.empty and "change" in table and "caution" in table


def test_wave_labels_order_and_case():
    alumni = [("A1", "P", "C", 2010, "JP", [], "")]
    rows = [("A1", "Five Years", 2015, "skill", 4.0, "", ""), ("A1", "midpoint", 2011, "skill", 3.0, "", ""),
            ("A1", "Baseline", 2010, "skill", 1.0, "", ""), ("A1", "three years", 2013, "skill", 2.0, "", "")]
    table = outcomes.outcomes_by_cohort(make_tables(alumni, outcome_rows=rows))
    # WAVE_ORDER first, then the others by their year; "Baseline" read as "baseline".
    assert table["wave"].tolist() == ["baseline", "three years", "midpoint", "five years"]
    assert table["change"].tolist()[1:] == [1.0, 2.0, 3.0]


def test_five_dimensions_on_a_rich_dataset(rich):
    dims = {d.name: d for d in outcomes.impact_dimensions(rich)}
    assert list(dims) == ["What", "Who", "How much", "Contribution", "Risk"]
    assert all(d.empty is None for d in dims.values())
    # What: confidence pooled over both cohorts; its latest wave with pairs is one year (A2: +3).
    # Revenue: X1 +600 a year on.
    assert dims["What"].rows == (
        ("confidence", "+3 score", "from baseline to one year, paired: 1 person answered both; IRIS+ OI1234"),
        ("revenue", "+600 USD", "from baseline to one year, paired: 1 project answered both; IRIS+ PI1775"))
    # Who: 6 alumni; JP A1-A3, US A4 and B1, KR B2; aging A1, A2, B1, education A1, A3, energy A4;
    # X1 reaches 100 in JP, X2 50 in US, X3 does not say.
    assert dims["Who"].rows == (
        ("Alumni", "6", "in 3 countries"),
        ("Countries", "Japan 3 · United States 2 · South Korea 1",
         "alumni living in each, the most first"),
        ("Causes", "aging 3 · education 2 · energy 1",
         "alumni working on each; an alum counts once for each of their causes"),
        ("People reached by projects", "Japan 100 · United States 50",
         "beneficiaries of 3 projects, by the country each runs in"))
    # How much: 100 + 50 reached; depth as What; the longest: revenue's one-year wave in 2014,
    # two years after SIFJ 2012 trained (confidence one year: 2013, one year after).
    assert dims["How much"].rows == (
        ("Scale", "150 people reached",
         "beneficiaries of 3 projects (IRIS+ PI4060); 1 of them does not report it"),
        ("Depth: confidence", "+3 score", "mean change per person from baseline to one year, n = 1"),
        ("Depth: revenue", "+600 USD", "mean change per project from baseline to one year, n = 1"),
        ("Duration", "2 years after training", "the latest answers: one year, in 2014, from SIFJ 2012"))
    # Contribution: origins recorded for P1-P3 and P5; the program made P1, P2, P5.
    # Introductions: I1-I3; I1 alone became a tie.
    assert dims["Contribution"].rows == (
        ("Ties the program made", "3 of 4 (75%)",
         "of the partnerships with a recorded origin, those from cohort, forum, staff introduction, "
         "and suggested introduction; by origin: cohort 1 · forum 1 · other 1 · staff introduction 1; "
         "2 more have no recorded origin"),
        ("Introductions made", "3", "1 of them suggested, with a selected alum as one of the two"),
        ("Introductions that became ties", "1 of 3 (33%)",
         "a partnership between the two began in the year of the introduction or later"))
    # Risk: the lowest is SIFJ's one-year confidence, 1 of 4; under half: that one of the 7 cohort
    # waves (50% is not under half); fewer than 5 answered: all 7; P4 and P6 have no origin: 2 of 6.
    label, value, note = dims["Risk"].rows[0]
    assert (label, value, note) == ("Lowest response", "1 of 4 answered (25%)",
                                    "SIFJ 2012: confidence, one year")
    assert [row[:2] for row in dims["Risk"].rows[1:]] == [
        ("Under half answered", "1 of 7 cohort waves"), ("Fewer than 5 answered", "7 of 7 cohort waves"),
        ("Ties with no recorded origin", "2 of 6 (33%)")]


def test_dimensions_follow_the_selection(rich):
    dims = {d.name: d for d in outcomes.impact_dimensions(rich, Selection(programs=("iLEAP",)))}
    # iLEAP: B1 and B2, both +1 and 0 at exit: +0.5 on 2; B1's P5 (staff introduction) and I1.
    assert dims["What"].rows == (
        ("confidence", "+0.5 score", "from baseline to exit, paired: 2 people answered both; IRIS+ OI1234"),)
    assert dims["Who"].rows[0] == ("Alumni", "2", "in 2 countries")
    assert dims["Contribution"].rows[0][:2] == ("Ties the program made", "1 of 1 (100%)")
    assert dims["Contribution"].rows[2][:2] == ("Introductions that became ties", "1 of 1 (100%)")
    # A cohort: iLEAP's 2014, the same people; the ties and introductions are theirs alone.
    cohort = {d.name: d for d in outcomes.impact_dimensions(rich, Selection(cohorts=("2014",)))}
    assert cohort["Who"].rows == dims["Who"].rows
    assert cohort["Contribution"].rows == dims["Contribution"].rows


def test_dimensions_without_outcomes_origins_or_introductions():
    # MINI-like: two alumni, one partnership with no origin column, one project reaching 120.
    tables = make_tables(
        [("A1", "SIFJ", "2011", 2011, "JP", ["aging"], "O1"), ("A2", "SIFJ", "2012", 2012, "JP", [], "")],
        [("X1", "A1", "energy", "JP", 2013, None, "active", 120, 5000, ["O2"])],
        [("A1", "O2", 2012, None, "")], origin=False)
    dims = {d.name: d for d in outcomes.impact_dimensions(tables)}
    assert dims["What"].rows == () and dims["What"].empty == outcomes.EMPTY["What"]
    assert dims["Contribution"].rows == () and dims["Contribution"].empty == outcomes.EMPTY["Contribution"]
    assert "outcomes table" in dims["What"].empty and "origin" in dims["Contribution"].empty
    assert dims["Who"].empty is None
    assert [row[:2] for row in dims["How much"].rows] == [
        ("Scale", "120 people reached"), ("Depth", "not measured"), ("Duration", "not measured")]
    assert dims["Risk"].rows == (("Ties with no recorded origin", "1 of 1 (100%)",
                                  "whether the program made these is not known"),)


def test_every_dimension_is_honestly_empty_without_data():
    dims = outcomes.impact_dimensions(make_tables([]))
    assert [(d.rows, d.empty) for d in dims] == [((), outcomes.EMPTY[d.name]) for d in dims]
    assert all(d.empty and d.question for d in dims)


def test_introductions_became_ties(rich):
    made = introduction_outcomes(rich["introductions"], rich["partnerships"])
    # I1: P5 began in 2014, after 2013. I2: P6 began in 2010, before 2012. I3: no tie.
    assert made["became_tie"].tolist() == [True, False, False]
    assert made["tie_year"].tolist() == [2014, pd.NA, pd.NA]


def test_introduction_kpis(rich):
    def figures(selection):
        return {k.key: (k.value, k.previous) for k in impact.kpis(rich, selection)}

    assert figures(Selection())["introductions"][0] == 3
    assert figures(Selection())["introductions_to_ties"][0] == 1
    # 2012-2013: all three were made then; the year before (2012 alone): I2, which did not become one.
    got = figures(Selection(years=(2012, 2013)))
    assert got["introductions"] == (3, 1) and got["introductions_to_ties"] == (1, 0)
    # An introduction counts when either end is a selected alum: iLEAP has B1, an end of I1.
    got = figures(Selection(programs=("iLEAP",)))
    assert got["introductions"][0] == 1 and got["introductions_to_ties"][0] == 1
    labels = {k: label for k, label, _, _ in impact.KPI_DEFINITIONS}
    assert labels["introductions"] == "Introductions made"
    assert labels["introductions_to_ties"] == "Introductions that became ties"


def test_introduction_kpis_without_the_table(rich):
    tables = {k: v for k, v in rich.items() if k != "introductions"}
    got = {k.key: k for k in impact.kpis(tables, Selection(years=(2012, 2013)))}
    assert got["introductions"].value == 0 and got["introductions"].previous is None
    assert got["introductions_to_ties"].change is None and got["introductions"].compared_with == ""
    assert "introductions" not in impact.comparable_figures(tables, 2013)
    assert {"introductions", "introductions_to_ties"} <= impact.comparable_figures(rich, 2013)
    # The partnerships reach 2014: an introduction made in 2015 could not have become a tie yet.
    assert "introductions_to_ties" not in impact.comparable_figures(rich, 2015)


def test_ties_by_origin(rich):
    ties = rich["partnerships"]
    # 2010: P6 (blank). 2011: none. 2012: P1 (cohort). 2013: P2 (forum), P3 (other).
    # 2014: P4 (blank), P5 (staff introduction).
    per_year = series.ties_by_origin(ties)
    assert per_year.columns.tolist() == ["program_made", "other_origin", "not_recorded", "total"]
    assert per_year.index.tolist() == [2010, 2011, 2012, 2013, 2014]
    assert per_year.values.tolist() == [[0, 0, 1, 1], [0, 0, 0, 0], [1, 0, 0, 1], [1, 1, 0, 2],
                                        [1, 0, 1, 2]]
    cumulative = series.ties_by_origin(ties, cumulative=True, years=(2012, 2016))
    assert cumulative.index.tolist() == [2012, 2013, 2014, 2015, 2016]
    # 2012 counts P6 from 2010 too: 1 made, 1 not recorded.
    assert cumulative.values.tolist() == [[1, 0, 1, 2], [2, 1, 1, 4], [3, 1, 2, 6], [3, 1, 2, 6],
                                          [3, 1, 2, 6]]
    # Without an origin column every tie is "not recorded"; without ties, nothing.
    assert series.ties_by_origin(ties.drop(columns="origin"))["not_recorded"].sum() == 6
    assert series.ties_by_origin(ties.iloc[:0]).empty


# Activity in 2012 (A1 trained), 2013 (A2 trained, X1 and T1 began) and 2016 (A3, A4, X2, T2):
# nothing in 2014 or 2015 but a grant, which is money, not activity.
GAPS = dict(
    alumni=[("A1", "P", "2012", 2012, "JP", [], ""), ("A2", "P", "2013", 2013, "JP", [], ""),
            ("A3", "P", "2016", 2016, "JP", [], ""), ("A4", "P", "2016", 2016, "JP", [], "")],
    projects=[("X1", "A1", "aging", "JP", 2013, None, "active", 10, 0, []),
              ("X2", "A3", "aging", "JP", 2016, None, "active", 30, 0, [])],
    ties=[("A1", "A2", 2013, None, ""), ("A3", "A1", 2016, None, "")],
    funding=[("O2", "P", 2015, 1000.0), ("O2", "P", 2016, 500.0)],
    targets=[("alumni", 2016, 3.0), ("projects_launched", 2016, 1.0), ("beneficiaries", 2015, 99.0)])


def test_compare_years_skips_years_without_activity():
    tables = make_tables(**GAPS)
    assert impact.activity_years(tables) == [2012, 2013, 2016]
    assert impact.compare_years(tables) == (2013, 2016)
    # An outcome answered in 2017 and an introduction in 2018 are activity too.
    later = {**tables, "outcomes": frame(OUTCOMES, [("A1", "exit", 2017, "skill", 1.0, "", "")]),
             "introductions": frame(INTRODUCTIONS, [("A1", "A4", 2018, "staff", False)])}
    assert impact.compare_years(later) == (2017, 2018)
    assert impact.compare_years(make_tables(GAPS["alumni"][:1])) is None


def test_kpis_compared_with_the_year_before_that_had_activity():
    tables = make_tables(**GAPS)
    got = {k.key: k for k in impact.kpis_compared(tables)}
    # 2012-2016 against 2012-2013: 4 alumni against 2 (A1, A2); projects 2 against 1 (X1);
    # reach 40 against 10; grants 1,500 against none by 2013.
    assert (got["alumni"].value, got["alumni"].previous, got["alumni"].change) == (4, 2, 2)
    assert got["alumni"].compared_with == "2013" and got["alumni"].period == "2012–2016"
    assert (got["projects_launched"].value, got["projects_launched"].previous) == (2, 1)
    assert got["beneficiaries"].change == 30
    assert got["program_funding"].change == 1500
    # No introductions table: no change, and nothing said to compare with.
    assert got["introductions"].change is None and got["introductions"].compared_with == ""
    # kpis() keeps comparing with the calendar year before: 2012-2015 has the 2015 grant.
    calendar = {k.key: k for k in impact.kpis(tables)}
    assert calendar["program_funding"].change == 500 and calendar["program_funding"].compared_with == "2015"
    assert calendar["alumni"].change == 2


def test_kpis_compared_with_a_chosen_year():
    tables = make_tables(**GAPS)
    got = {k.key: k for k in impact.kpis_compared(tables, against=2012)}
    # 2012 alone: A1; no project yet.
    assert (got["alumni"].previous, got["alumni"].change, got["alumni"].compared_with) == (1, 3, "2012")
    assert got["projects_launched"].change == 2
    # A year outside the period, or its last year, gives no change at all.
    for year in (2016, 2009):
        assert all(k.change is None and k.compared_with == ""
                   for k in impact.kpis_compared(tables, against=year))
    with pytest.raises(ValueError):
        impact.kpis_compared(tables, against="last year")


def test_kpis_compared_with_the_target():
    tables = make_tables(**GAPS)
    got = {k.key: k for k in impact.kpis_compared(tables, against="target")}
    # 2016 alone: A3 and A4 trained (target 3: -1); X2 launched (target 1: 0).
    assert (got["alumni"].value, got["alumni"].previous, got["alumni"].change) == (2, 3, -1)
    assert got["alumni"].compared_with == "target 2016" and got["alumni"].period == "2016"
    assert got["projects_launched"].change == 0
    # The beneficiaries' target is for 2015, not 2016: no change, nothing to compare with.
    assert got["beneficiaries"].value == 30 and got["beneficiaries"].change is None
    assert got["beneficiaries"].compared_with == ""
    # A period ending in a year without targets compares nothing.
    assert all(k.change is None for k in impact.kpis_compared(
        tables, Selection(years=(2012, 2013)), against="target"))


def test_what_says_why_no_change_was_measured():
    alumni = [("A1", "P", "C", 2015, "JP", [], ""), ("A2", "P", "C", 2015, "JP", [], "")]
    rows = [("A1", "exit", 2015, "skill", 3.0, "", ""), ("A2", "exit", 2015, "skill", 5.0, "", ""),
            # Asked at baseline, but A1 answered only then and A2 only at exit.
            ("A1", "baseline", 2015, "reach", 1.0, "people", ""),
            ("A2", "one year", 2016, "reach", 7.0, "people", "")]
    what = outcomes.impact_dimensions(make_tables(alumni, outcome_rows=rows))[0]
    assert what.rows == (
        ("reach", "7 people", "mean at one year of 1 person; no change measured: no one answered "
                              "both baseline and a later wave"),
        ("skill", "4", "mean at exit of 2 people; no change measured: it was not asked at baseline"))


def test_the_sample_against_plain_pandas():
    """The sample's pooled change for one indicator, recomputed from the raw CSV."""
    from analytics.data.loader import load_dataset
    from tests.conftest import SAMPLE_DIR

    raw = pd.read_csv(SAMPLE_DIR / "outcomes.csv")
    name = "Confidence leading cross-sector change"
    asked = raw[raw["indicator"] == name]
    wide = asked.pivot(index="subject_id", columns="wave", values="value")
    both = wide[["baseline", "three years"]].dropna()
    expected = (both["three years"] - both["baseline"]).mean()
    dataset = load_dataset(SAMPLE_DIR)
    table = outcomes.outcomes_by_cohort(dataset.tables)
    rows = table[(table["indicator"] == name) & (table["wave"] == "three years")]
    assert rows["paired"].sum() == len(both)
    assert (rows["change"] * rows["paired"]).sum() / rows["paired"].sum() == pytest.approx(expected)
    answered = asked[asked["wave"] == "baseline"]["value"].notna().sum()
    assert table[(table["indicator"] == name) & (table["wave"] == "baseline")]["answered"].sum() == answered
    what = next(d for d in outcomes.impact_dimensions(dataset.tables) if d.name == "What")
    assert (name, f"{expected:+.2f}".rstrip("0").rstrip(".") + " score 1-5",
            f"from baseline to three years, paired: {len(both)} people answered both") in what.rows
