"""The alumni directory: search that forgives how a name is typed, filters, places, introductions."""

from __future__ import annotations

import csv
import io

import networkx as nx
import openpyxl
import pandas as pd
import pytest

from analytics.data.loader import load_dataset
from analytics.data.spreadsheets import to_safe_csv, to_safe_xlsx
from analytics.impact import directory
from analytics.network import ego
from analytics.selection import Selection
from tests.conftest import MINI, write_folder


@pytest.mark.parametrize("a, b", [("ｻﾄｳ", "さとう"), ("さとう", "サトウ"), ("ｻﾄｳ", "サトウ"),
                                  ("SATO", "Sato"), ("ＳＡＴＯ", "sato"), ("ｶﾞｯｺｳ", "がっこう")])
def test_normalization_treats_these_as_the_same(a, b):
    assert directory.normalize(a) == directory.normalize(b)


def test_normalization_keeps_different_words_apart():
    assert directory.normalize("さとう") != directory.normalize("さいとう")
    assert directory.normalize("Sato") != directory.normalize("Saito")


def small_table():
    return pd.DataFrame({"search": [directory.normalize(t) for t in (
        "Haruka Sato | サトウ ハルカ | Tide Network | Founder | aging",
        "Kenta Saito | 斎藤 健太 | Cascadia Fund | Student | education",
        "Mei Kato | かとう めい |  | Coordinator | aging education")]})


@pytest.mark.parametrize("query, expected", [
    ("sato", [0]), ("SATO", [0]), ("ｻﾄｳ", [0]), ("さとう", [0]), ("サトウ", [0]),
    ("カトウ", [2]), ("aging", [0, 2]), ("aging education", [2]), ("tide founder", [0]),
    ("斎藤", [1]), ("nobody", []), ("", [0, 1, 2]),
])
def test_search(query, expected):
    table = small_table()
    assert list(table.index[directory.search(table, query)]) == expected


@pytest.fixture
def tables(tmp_path):
    organizations = MINI["organizations"] + "O3,Seoul Commons,KR,Seoul,social business,aging,\n"
    alumni = MINI["alumni"] + "A3,Ji-woo Kim,김지우,ASIA,2016,2016,KR,O3,yes,yes\n"
    return load_dataset(write_folder(tmp_path / "d", {**MINI, "organizations": organizations,
                                                       "alumni": alumni})).tables


def test_directory_table_and_filters(tables):
    table = directory.directory_table(tables)
    assert table.set_index("alum_id").loc["A1", ["organization", "org_type", "projects"]].tolist() \
        == ["Tide Network", "nonprofit", 1]
    f = Selection
    assert list(directory.filter_directory(table, f(countries=("KR",)))["alum_id"]) == ["A3"]
    assert list(directory.filter_directory(table, f(has_projects=True))["alum_id"]) == ["A1"]
    assert list(directory.filter_directory(table, f(org_types=("social business",)))["alum_id"]) \
        == ["A3"]
    assert list(directory.filter_directory(table, f(years=(2012, 2016)))["alum_id"]) == \
        ["A2", "A3"]
    assert list(directory.filter_directory(table, f(query="kim"))["alum_id"]) == ["A3"]


def test_alumni_by_region_falls_back_to_the_country(tables):
    table = directory.directory_table(tables)
    table.loc[table["alum_id"] == "A1", "region"] = "Miyagi"
    places = directory.alumni_by_region(table).set_index(["country", "region"])
    assert places.loc[("JP", "Miyagi"), ["alumni", "lat"]].tolist() == [1, 38.27]
    assert places.loc[("JP", ""), "alumni"] == 1  # A2 has no region: Japan's centroid
    assert places.loc[("KR", ""), "lon"] == 127.77


def test_suggestions_rank_across_the_border_first_and_say_why():
    nodes = pd.DataFrame({
        "label": ["Ana", "Ben", "Cho", "Dan", "Hub", "Org"],
        "kind": ["alum", "alum", "alum", "alum", "org", "org"],
        "country": ["JP", "US", "JP", "JP", "US", "JP"],
        "causes": [["aging", "education"], ["aging"], ["aging", "education"], ["energy"],
                   ["aging"], ["education"]]}, index=["A", "B", "C", "D", "H", "O"])
    graph = nx.Graph([("A", "H"), ("B", "H"), ("C", "H"), ("A", "O"), ("C", "O"), ("D", "O")])
    found = ego.suggest_connections(graph, nodes, "A")
    # D shares no cause; H and O are tied to A already. B is abroad; C shares more.
    assert list(found.index) == ["B", "C"]
    assert found.loc["B", "cross_border"]
    assert "across the border, in United States" in found.loc["B", "reason"]
    assert "2 partners in common" in found.loc["C", "reason"]
    assert "shares aging and education" in found.loc["C", "reason"]
    # C: Adamic-Adar 1/ln(3) (H has 3 ties) + 1/ln(3) (O has 3 ties), cause Jaccard 2/2.
    assert found.loc["C", "score"] == pytest.approx(2 / 1.0986122886681098 + 1.0)


def test_exports_cannot_run_formulas():
    frame = pd.DataFrame({"name": ['=HYPERLINK("http://x","y")', "+cmd", "-1+2", "@SUM(1)", "Ok"],
                          "causes": [["=a"], [], [], [], ["aging"]]})
    rows = list(csv.reader(io.StringIO(to_safe_csv(frame))))
    assert [r[0][0] for r in rows[1:5]] == ["'"] * 4 and rows[5][0] == "Ok"
    sheet = openpyxl.load_workbook(io.BytesIO(to_safe_xlsx(frame))).active
    cells = [sheet.cell(row=r, column=1) for r in range(2, 7)]
    assert all(c.data_type == "s" for c in cells), "no cell is a formula"
    assert cells[0].value == "'=HYPERLINK(\"http://x\",\"y\")" and cells[4].value == "Ok"
    assert sheet.cell(row=2, column=2).value == "'=a"
