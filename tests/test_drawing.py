"""The network drawing and its exports: deterministic, offline, and safe with hostile names."""

from __future__ import annotations

import itertools
import json
import math
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analytics.data.loader import load_dataset
from analytics.network import drawing, ego
from analytics.network import export as graph_export
from analytics.network.analysis import analyze
from analytics.privacy import Audience
from analytics.selection import US_JAPAN, Selection
from tests.conftest import MINI, ROOT, SAMPLE_DIR, write_folder

HOSTILE = "<img src=x onerror=alert(1)>"


def hostile_folder(tmp_path):
    alumni = MINI["alumni"].replace("A2,Kenta Abe,", f"A2,{HOSTILE},")
    organizations = MINI["organizations"].replace("Cascadia Fund", "</script><script>alert(2)</script>")
    return write_folder(tmp_path / "hostile", {**MINI, "alumni": alumni,
                                               "organizations": organizations})


def embedded_data(html: str) -> dict:
    return json.loads(re.search(r"const DATA = (\{.*?\});\n", html, re.S).group(1))


def test_layout_is_deterministic_and_finite():
    graph = nx.connected_watts_strogatz_graph(400, 4, 0.2, seed=3)
    first, second = drawing.layout(graph), drawing.layout(graph)
    assert first == second and len(first) == 400
    assert all(abs(x) < 1e6 and abs(y) < 1e6 for x, y in first.values())


def test_html_is_self_contained():
    html = drawing.standalone_html(analyze(load_dataset(SAMPLE_DIR).tables), Audience.STAFF)
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html), "no external resource"
    assert "vis.Network" in html
    data = embedded_data(html)
    assert len(data["nodes"]) > 100 and data["options"]["physics"]["enabled"] is False
    assert all("x" in n and "y" in n for n in data["nodes"])


def test_hostile_names_stay_data_in_the_html(tmp_path):
    html = drawing.standalone_html(analyze(load_dataset(hostile_folder(tmp_path)).tables),
                                   Audience.STAFF)
    assert HOSTILE not in html and "<script>alert(2)" not in html  # escaped where they sit
    names = {n["label"] for n in embedded_data(html)["nodes"]}
    assert HOSTILE in names and "</script><script>alert(2)</script>" in names  # kept as text


def test_gexf_and_graphml_carry_nodes_edges_and_metrics(tmp_path):
    analysis = analyze(load_dataset(SAMPLE_DIR).tables, Selection(countries=US_JAPAN))
    path = tmp_path / "g.gexf"
    path.write_bytes(graph_export.to_gexf(analysis))
    graph = nx.read_gexf(path)
    assert graph.number_of_nodes() == analysis.graph.number_of_nodes()
    assert graph.number_of_edges() == analysis.graph.number_of_edges()
    some = next(iter(graph.nodes(data=True)))[1]
    assert {"country", "betweenness", "community"} <= set(some)
    root = ET.fromstring(graph_export.to_graphml(analysis))
    assert root.tag.endswith("graphml")


def test_export_graph_command(tmp_path):
    out = tmp_path / "net.html"
    result = subprocess.run([sys.executable, "-m", "analytics", "export-graph", str(SAMPLE_DIR),
                             "--out", str(out), "--scope", "us-japan", "--as-of", "2015"],
                            cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    nodes = embedded_data(out.read_text(encoding="utf-8"))["nodes"]
    tables = load_dataset(SAMPLE_DIR).tables
    countries = dict(zip(tables["alumni"]["alum_id"], tables["alumni"]["country"], strict=True))
    countries |= dict(zip(tables["organizations"]["org_id"], tables["organizations"]["country"],
                          strict=True))
    assert nodes and {countries[n["id"]] for n in nodes} <= {"JP", "US"}
    years = dict(zip(tables["alumni"]["alum_id"], tables["alumni"]["cohort_year"], strict=True))
    assert all(years[n["id"]] <= 2015 for n in nodes if n["id"] in years)


def test_separate_parts_overlapping_discs_by_the_least_it_must():
    # Two discs of radius 5 on one point end 10 apart; a third, far away, does not move.
    moved = drawing.separate({"a": (0.0, 0.0), "b": (0.0, 0.0), "c": (100.0, 0.0)},
                             {"a": 5, "b": 5, "c": 5}, gap=0)
    (ax, ay), (bx, by) = moved["a"], moved["b"]
    assert math.hypot(ax - bx, ay - by) == pytest.approx(10)
    assert (ax + bx, ay + by) == pytest.approx((0, 0))  # each moved half the way
    assert moved["c"] == (100.0, 0.0)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-50, 50), st.floats(-50, 50), st.floats(1, 20)),
                min_size=2, max_size=25))
def test_separate_leaves_no_two_discs_overlapping(discs):
    positions = {i: (x, y) for i, (x, y, _) in enumerate(discs)}
    radii = {i: r for i, (_, _, r) in enumerate(discs)}
    moved = drawing.separate(positions, radii, gap=2, rounds=2000)
    for i, j in itertools.combinations(moved, 2):
        distance = math.hypot(moved[i][0] - moved[j][0], moved[i][1] - moved[j][1])
        assert distance >= radii[i] + radii[j] + 2 - 0.5


def test_drawn_nodes_do_not_sit_on_each_other():
    # A star drawn with every node on one point: the hub and the leaves are drawn apart.
    graph = nx.star_graph(6)
    nodes = pd.DataFrame({"kind": "alum", "label": [f"Person {n}" for n in graph],
                          "label_local": "", "program": "SIF", "cohort_year": 2012,
                          "organization": "", "sector": "", "country": "JP", "region": "",
                          "causes": [[]] * 7}, index=list(graph))
    scores = pd.DataFrame({"degree": dict(graph.degree()), "betweenness": 0.0,
                           "eigenvector": 0.0}, dtype=float)
    net, _ = drawing.build_network(graph, nodes, {n: (0.0, 0.0) for n in graph}, scores,
                                   drawing.Style())
    drawn = {n["id"]: (n["x"], n["y"]) for n in net.nodes}
    # vis draws the hub (degree 6) at radius 34 and each leaf (degree 1) at 6.
    for leaf in map(str, range(1, 7)):
        distance = math.hypot(drawn["0"][0] - drawn[leaf][0], drawn["0"][1] - drawn[leaf][1])
        assert distance >= 34 + 6


PICTURES = """
from analytics.data.loader import load_dataset
from analytics.network import drawing, ego
from analytics.network.analysis import analyze, community_members
analysis = analyze(load_dataset({sample!r}).tables)
around = ego.ego_graph(analysis.graph, "A0001", hops=2)
part = community_members(analysis, 0).graph
print(sorted(drawing.layout(around).items()), sorted(drawing.layout(part).items()))
"""


def test_a_profile_and_a_community_look_the_same_after_a_restart():
    # Python salts string hashes per process, and with them set order: two processes with
    # different salts must draw the same pictures.
    script = PICTURES.format(sample=str(SAMPLE_DIR))
    drawn = [subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                            text=True, check=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
             for seed in ("1", "2")]
    assert drawn[0] == drawn[1] and len(drawn[0]) > 100


def test_a_profile_picture_puts_the_person_first_and_is_none_without_ties():

    analysis = analyze(load_dataset(SAMPLE_DIR).tables)
    graph = analysis.graph
    # The least-tied alum with two ties: its partners are better tied in the whole network.
    tied = min((n for n in graph if str(n).startswith("A") and graph.degree(n) >= 2),
               key=lambda n: (graph.degree(n), str(n)))
    nodes = embedded_data(ego.ego_picture(analysis, tied, 1, "Ties"))["nodes"]
    assert len(nodes) == graph.degree(tied) + 1
    assert max(nodes, key=lambda n: n["value"])["id"] == str(tied)  # the least-tied alum, yet largest
    analysis.graph.add_node("nobody")
    assert ego.ego_picture(analysis, "nobody", 2, "Ties") is None
