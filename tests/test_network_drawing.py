"""The presenter's network: the geographic layout, the card beside the graph, growth data, bytes."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import load_dataset
from analytics.network import drawing, ego
from analytics.network.analysis import analyze
from analytics.selection import Selection
from tests.conftest import MINI, ROOT, SAMPLE_DIR, write_folder
from tests.test_privacy import sent_to_browser

PAGE = str(ROOT / "pages/network.py")


def test_the_geographic_layout_puts_japan_west_of_the_us_and_keeps_regions_apart():
    graph = nx.Graph()
    countries = {f"j{i}": "JP" for i in range(40)} | {f"u{i}": "US" for i in range(10)} | \
        {f"k{i}": "KR" for i in range(5)}
    graph.add_nodes_from(countries)
    graph.add_edges_from([("j0", "u0"), ("j1", "k0"), ("j0", "j1")])
    nodes = pd.DataFrame({"country": countries})
    positions = drawing.geographic_layout(graph, nodes)
    frame = pd.DataFrame(positions, index=["x", "y"]).T.join(nodes)
    box = frame.groupby("country").agg(left=("x", "min"), right=("x", "max"),
                                       top=("y", "min"), bottom=("y", "max"))
    # On a Pacific-centred map Korea lies west of Japan, the United States far to the east.
    assert box.at["KR", "right"] < box.at["JP", "left"] < box.at["JP", "right"] < box.at["US", "left"]
    # The best-tied node is at its region's centre (the first place on the spiral).
    centre = frame[frame["country"] == "JP"][["x", "y"]].mean()
    assert math.dist(positions["j0"], centre) < 2 * drawing.REGION_SPACING
    assert drawing.geographic_layout(graph, nodes) == positions, "the same on every run"


def test_a_node_card_says_who_as_the_audience_may_see_and_its_ties_abroad(tmp_path):
    analysis = analyze(load_dataset(write_folder(tmp_path / "mini", MINI)).tables)
    card = ego.node_card(analysis, "A1")
    # MINI: A1 (Haruka Sato, JP, SIFJ 2011) is tied to O1 (JP, her organization), O2 (US) and A2 (JP).
    assert card["kind"] == "alum" and card["title"] == "Haruka Sato (佐藤 遥)"
    assert "SIFJ 2011" in card["facts"] and "Organization: Tide Network" in card["facts"]
    assert card["facts"][-1] == "1 of its 3 ties cross a border"
    assert ego.node_card(analysis, "O2")["facts"][0] == "Organization (foundation)"
    assert ego.node_card(analysis, "nobody") is None
    countries = analyze(load_dataset(tmp_path / "mini").tables, level="countries")
    assert ego.node_card(countries, "JP") == {"kind": "country", "title": "Japan",
                                              "facts": ["2 alumni", "Tied to 1 other country"]}


def test_nodes_and_ties_carry_the_year_they_join_the_picture(tmp_path):
    analysis = analyze(load_dataset(write_folder(tmp_path / "mini", MINI)).tables)
    data = drawing.view_data(analysis)
    year = {n["id"]: n["year"] for n in data["nodes"]}
    # A1 trained in 2011; O2's first tie (P1, A1's mentorship) began in 2012; A2 trained in 2012.
    assert (year["A1"], year["O2"], year["A2"], year["O1"]) == (2011, 2012, 2012, 2011)
    edges = [dict(zip(data["edge_fields"], row, strict=True)) for row in data["edges"]]
    ties = {(e["from"], e["to"]): (e["year"], e["cross"]) for e in edges}
    assert ties[("A1", "O2")] == (2012, True) and ties[("A1", "A2")] == (2013, False)
    assert data["years"] == [2011, 2013]


def test_the_top_brokers_are_named_at_every_zoom():
    analysis = analyze(load_dataset(SAMPLE_DIR).tables)
    named = [n["id"] for n in drawing.view_data(analysis)["nodes"] if n.get("scaling")]
    assert len(named) == drawing.LABELLED_BROKERS
    crossing = {n for s, t, c in analysis.graph.edges(data="cross_border") if c for n in (s, t)}
    ranked = analysis.scores.loc[sorted(crossing, key=str)].sort_values(
        ["betweenness"], ascending=False, kind="stable")
    assert set(named) == set(ranked.index[:drawing.LABELLED_BROKERS].astype(str))


def test_the_app_serves_the_same_vis_network_file_pyvis_ships():
    served = (ROOT / "static" / "vis-network" / "vis-network.min.js").read_bytes()
    assert served == drawing.VIS_JS.read_bytes()


@pytest.mark.parametrize("params", [{}, {"layout": "force"}, {"level": "countries"}])
def test_a_network_page_run_sends_at_most_150_kb_and_no_library(params, monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    monkeypatch.setenv("KIZUNA_AUDIENCE", "staff")
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception
    wire = sent_to_browser(at)
    print(f"network page run {params}: {len(wire) / 1024:.0f} KB")
    assert len(wire) <= 150 * 1024
    assert b"@license" not in wire and b"Almende" not in wire, "vis-network is served once, not sent"


def test_a_link_with_a_node_opens_the_card_beside_the_graph(monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    monkeypatch.setenv("KIZUNA_AUDIENCE", "funder")
    alumni = pd.read_csv(SAMPLE_DIR / "alumni.csv", dtype=str, keep_default_na=False)
    named = alumni[alumni["consent_directory"] == "yes"].iloc[0]
    hidden = alumni[alumni["consent_directory"] != "yes"].iloc[0]
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["node"] = named["alum_id"]
    at.run()
    texts = [m.value for m in at.main.markdown]
    assert f"**{named['name']}" in "\n".join(texts)
    assert any(link.proto.label == "Full profile" for link in at.main.get("page_link"))
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params["node"] = hidden["alum_id"]
    at.run()
    card = "\n".join(m.value for m in at.main.markdown)
    assert hidden["name"] not in card and "Alum " in card, "the card names no one who did not consent"


def test_a_programs_alumni_join_the_drawing_in_their_cohort_years():
    analysis = analyze(load_dataset(SAMPLE_DIR).tables,
                       Selection(programs=("TOMODACHI Microsoft iLEAP",)))
    data = drawing.view_data(analysis)
    alumni = [n for n in data["nodes"] if "shape" not in n]  # dots: organizations are squares
    assert alumni and all(n["year"] >= 2016 for n in alumni)  # iLEAP cohorts began in 2016
