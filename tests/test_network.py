"""The network model and its metrics, on graphs small enough to work out on paper."""

from __future__ import annotations

import math

import networkx as nx
import pandas as pd
import pytest

from analytics.data.loader import load_dataset
from analytics.network import metrics
from analytics.network import model as network
from analytics.network.analysis import analyze
from analytics.selection import US_JAPAN, Selection
from tests.conftest import SAMPLE_DIR


def graph_of(countries: dict[str, str], pairs: list[tuple[str, str]]):
    """A node table, edge table and graph from countries per node and a list of ties."""
    nodes = pd.DataFrame({"kind": "alum", "country": pd.Series(countries)}).rename_axis("node")
    ties = pd.DataFrame(pairs, columns=["source", "target"]).assign(
        kind="peer", start_year=pd.array([2015] * len(pairs), dtype="Int64"),
        end_year=pd.array([pd.NA] * len(pairs), dtype="Int64"), weight=1.0)
    edges = network.edge_table(nodes, ties)
    return nodes, edges, network.to_graph(nodes, edges)


# a, b in Japan; c, d in the US; e in Korea. Ties: a-b, a-c, b-c, c-d, d-e.
PAPER = graph_of({"a": "JP", "b": "JP", "c": "US", "d": "US", "e": "KR"},
                 [("a", "b"), ("a", "c"), ("b", "c"), ("c", "d"), ("d", "e")])


def test_ei_index_worked_on_paper():
    _, edges, _ = PAPER
    # Overall: 3 ties cross a border (a-c, b-c, d-e), 2 stay home (a-b, c-d): (3-2)/5.
    assert metrics.overall_cross_border(edges) == {
        "edges": 5, "cross_border": 3, "share": 0.6, "ei_index": pytest.approx(0.2)}
    by_country = metrics.cross_border(edges)
    # Japan: external a-c, b-c; internal a-b: (2-1)/3.
    assert by_country.loc["JP", ["external", "internal"]].tolist() == [2, 1]
    assert by_country.loc["JP", "ei_index"] == pytest.approx(1 / 3)
    # US: external a-c, b-c, d-e; internal c-d: (3-1)/4.
    assert by_country.loc["US", "ei_index"] == pytest.approx(0.5)
    # Korea: its one tie goes abroad.
    assert by_country.loc["KR", "ei_index"] == 1.0


def test_ei_index_per_year_counts_the_years_new_ties():
    nodes, _, _ = PAPER
    ties = pd.DataFrame({"source": ["a", "a", "c"], "target": ["b", "c", "d"], "kind": "peer",
                         "start_year": pd.array([2014, 2014, 2016], dtype="Int64"),
                         "end_year": pd.array([pd.NA] * 3, dtype="Int64"), "weight": 1.0})
    by_year = metrics.ei_by_year(network.edge_table(nodes, ties))
    assert by_year.loc[2014, "ei_index"] == 0.0  # one at home, one abroad
    assert by_year.loc[2016, "ei_index"] == -1.0  # c-d: both in the US


def test_country_assortativity_extremes():
    _, _, home = graph_of({"a": "JP", "b": "JP", "c": "US", "d": "US"}, [("a", "b"), ("c", "d")])
    _, _, abroad = graph_of({"a": "JP", "b": "US", "c": "JP", "d": "US"}, [("a", "b"), ("c", "d")])
    assert metrics.country_assortativity(home) == pytest.approx(1.0)
    assert metrics.country_assortativity(abroad) == pytest.approx(-1.0)


def test_bridge_in_a_barbell_comes_before_a_leaf_bridge():
    graph = nx.barbell_graph(4, 0)  # cliques {0..3} and {4..7}, joined by 3-4
    graph.add_edge(0, 99)
    found = metrics.bridges(graph)
    assert [tuple(sorted(p)) for p in zip(found["source"], found["target"], strict=True)] == [
        (3, 4), (0, 99)]
    assert found["to_leaf"].tolist() == [False, True]


def test_communities_are_the_two_cliques_with_known_modularity():
    graph = nx.barbell_graph(4, 0)
    membership, modularity = metrics.communities(graph)
    assert membership[[0, 1, 2, 3]].nunique() == 1 and membership[[4, 5, 6, 7]].nunique() == 1
    assert membership[0] != membership[4]
    # m = 13 edges; each clique has 6 inside and degree sum 13: Q = 2 * (6/13 - (13/26)^2).
    assert modularity == pytest.approx(2 * (6 / 13 - 0.25))


def test_communities_are_the_same_on_every_run():
    tables = load_dataset(SAMPLE_DIR).tables
    first, second = analyze(tables), analyze(tables)
    pd.testing.assert_series_equal(first.membership, second.membership)
    assert first.modularity == second.modularity


def test_centrality_on_a_star_and_a_triangle():
    star = metrics.centrality(nx.star_graph(4))
    assert star.loc[0, "betweenness"] == 1.0 and star.loc[1, "betweenness"] == 0.0
    assert star.loc[0, "degree"] == 4
    triangle = metrics.centrality(nx.complete_graph(3))
    assert triangle["eigenvector"].tolist() == pytest.approx([1 / math.sqrt(3)] * 3)
    pair = metrics.centrality(nx.path_graph(2))  # small enough to trip sparse solvers
    assert pair["eigenvector"].tolist() == pytest.approx([1 / math.sqrt(2)] * 2)


def test_betweenness_is_sampled_above_the_limit_and_repeatable(monkeypatch):
    graph = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=1)
    exact = metrics.centrality(graph)["betweenness"]
    monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_LIMIT", 100)
    monkeypatch.setattr(metrics, "BETWEENNESS_SAMPLE", 150)
    sampled = metrics.centrality(graph)["betweenness"]
    pd.testing.assert_series_equal(sampled, metrics.centrality(graph)["betweenness"])
    assert not sampled.equals(exact)
    assert sampled.corr(exact) > 0.9  # an estimate, close to the truth


def test_brokers_need_a_cross_border_tie():
    _, _, graph = PAPER
    scores = metrics.centrality(graph)
    found = metrics.brokers(graph, scores)
    # c sits between Japan and d, e: the highest betweenness, with two ties abroad.
    assert found.index[0] == "c" and found.loc["c", "cross_border_ties"] == 2
    assert "b" in found.index and set(found.index) <= {"a", "b", "c", "d", "e"}
    assert found["constraint"].notna().all()


# --- the model built from tables (the MINI fixture: see tests/conftest.py) ---------------------

def test_ties_come_from_partnerships_affiliations_and_projects(mini_dir):
    tables = load_dataset(mini_dir).tables
    ties = network.tie_table(tables)
    assert sorted(zip(ties["source"], ties["target"], ties["kind"], strict=True)) == sorted([
        ("A1", "O2", "mentorship"), ("A1", "A2", "peer"), ("A1", "O1", "affiliation"),
        ("A1", "O2", "project"), ("A1", "A2", "project")])
    nodes = network.node_table(tables)
    edges = network.edge_table(nodes, ties).set_index(["source", "target"])
    # A1-A2: the peer tie (weight 2) and the shared project (1).
    assert edges.loc[("A1", "A2"), ["weight", "ties", "start_year"]].tolist() == [3.0, 2, 2013]
    assert edges.loc[("A1", "O2"), "cross_border"] and not edges.loc[("A1", "O1"), "cross_border"]
    assert nodes.loc["A1", "sector"] == "nonprofit"  # O1's type


def test_alumni_level_ties_through_shared_projects(mini_dir):
    tables = load_dataset(mini_dir).tables
    nodes, ties = network.alumni_level(network.node_table(tables), network.tie_table(tables))
    assert set(nodes.index) == {"A1", "A2"}
    assert sorted(ties["kind"]) == ["peer", "shared project"]


def test_growth_year_by_year(mini_dir):
    tables = load_dataset(mini_dir).tables
    nodes = network.node_table(tables)
    edges = network.edge_table(nodes, network.tie_table(tables))
    growth = metrics.growth(nodes, edges)
    # 2011: A1-O1 (affiliation). 2012: + A1-O2 (mentorship, across the Pacific). 2013: + A1-A2.
    assert growth.to_dict("index") == {
        2011: {"nodes": 2, "edges": 1, "cross_border": 0, "countries": 1},
        2012: {"nodes": 3, "edges": 2, "cross_border": 1, "countries": 2},
        2013: {"nodes": 4, "edges": 3, "cross_border": 1, "countries": 2}}


def test_isolated_alumni_ignore_affiliations_and_ended_ties():
    nodes = pd.DataFrame({"kind": ["alum", "alum", "alum", "org"]},
                         index=pd.Index(["A1", "A2", "A3", "O1"], name="node"))
    ties = pd.DataFrame({
        "source": ["A1", "A2", "A3"], "target": ["O1", "O1", "O1"],
        "kind": ["affiliation", "peer", "mentorship"],
        "start_year": pd.array([2011, 2012, 2019], dtype="Int64"),
        "end_year": pd.array([pd.NA, 2014, pd.NA], dtype="Int64")})
    assert list(metrics.isolated_alumni(nodes, ties, 2020, 2021).index) == ["A1", "A2"]
    assert list(metrics.isolated_alumni(nodes, ties, 2013, 2014).index) == ["A1", "A3"]


def test_views_keep_scope_year_and_filters():
    tables = load_dataset(SAMPLE_DIR).tables
    nodes, ties = network.node_table(tables), network.tie_table(tables)
    kept, kept_ties = network.in_selection(nodes, ties, Selection(countries=US_JAPAN, as_of=2014))
    assert set(kept["country"]) <= {"JP", "US"}
    assert (kept_ties["start_year"] <= 2014).all()
    assert (kept.loc[kept["kind"] == "alum", "cohort_year"] <= 2014).all()
    chosen, _ = network.in_selection(nodes, ties, Selection(countries=("KR", "TH")))
    assert set(chosen["country"]) == {"KR", "TH"}
    sifj, _ = network.in_selection(nodes, ties, Selection(programs=("Social Innovation Forum: Japan",)))
    assert set(sifj.loc[sifj["kind"] == "alum", "program"]) == {"Social Innovation Forum: Japan"}


def test_country_level_counts_pairs(mini_dir):
    tables = load_dataset(mini_dir).tables
    nodes = network.node_table(tables)
    pairs = network.country_level(network.edge_table(nodes, network.tie_table(tables)))
    assert pairs[["country_a", "country_b", "edges"]].values.tolist() == [["JP", "JP", 2],
                                                                           ["JP", "US", 1]]


def test_large_graph_path_matches_networkx_when_it_samples_every_source(monkeypatch):
    graph = nx.connected_watts_strogatz_graph(300, 6, 0.1, seed=2)
    exact = metrics.centrality(graph)
    monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_LIMIT", 100)
    monkeypatch.setattr(metrics, "BETWEENNESS_SAMPLE", 300)  # every node a source: no estimate
    via_igraph = metrics.centrality(graph)
    assert via_igraph["betweenness"].tolist() == pytest.approx(exact["betweenness"].tolist())
    assert via_igraph["eigenvector"].tolist() == pytest.approx(exact["eigenvector"].tolist(), abs=1e-6)


def test_large_graph_communities_are_repeatable_and_right(monkeypatch):
    monkeypatch.setattr(metrics, "EXACT_BETWEENNESS_LIMIT", 4)
    graph = nx.barbell_graph(4, 0)
    first, q1 = metrics.communities(graph)
    second, q2 = metrics.communities(graph)
    pd.testing.assert_series_equal(first, second)
    assert first[[0, 1, 2, 3]].nunique() == 1 and first[0] != first[4]
    assert q1 == q2 == pytest.approx(2 * (6 / 13 - 0.25))


def test_community_overview_joins_each_community_into_one_node():
    from analytics.network.analysis import AnalysedView, community_members, community_overview

    # Two cliques of six in Japan and the US, joined by two ties.
    left = {f"j{i}": "JP" for i in range(6)}
    right = {f"u{i}": "US" for i in range(6)}
    pairs = [(a, b) for group in (list(left), list(right)) for i, a in enumerate(group)
             for b in group[i + 1:]] + [("j0", "u0"), ("j1", "u1")]
    nodes, edges, graph = graph_of({**left, **right}, pairs)
    nodes = nodes.assign(label=nodes.index, label_local="", region="", program="",
                         cohort_year=pd.NA, causes=[["aging"]] * 12, organization="", sector="")
    membership, modularity = metrics.communities(graph)
    analysis = AnalysedView(Selection(), "people and organizations", nodes, pd.DataFrame(), edges,
                               graph, metrics.centrality(graph), membership, modularity)
    overview = community_overview(analysis)
    assert sorted(overview.nodes["country"]) == ["JP", "US"]
    assert overview.graph.number_of_edges() == 1
    assert overview.edges["weight"].tolist() == [2.0]  # the two ties between them
    assert overview.scores["degree"].tolist() == [6, 6]  # sized by members
    # Its legend and tooltips speak of the people and organizations, not of the two dots.
    from analytics.network import drawing

    net, legend = drawing.build_network(overview.graph, overview.nodes,
                                        drawing.layout(overview.graph), overview.scores,
                                        drawing.Style(color_by="country"))
    assert [(item["label"], item["count"]) for item in legend] == [("Japan", 6),
                                                                   ("United States", 6)]
    tooltips = {node["id"]: node["tooltip"] for node in net.nodes}
    names = {"JP": "Japan", "US": "United States"}
    assert all(tip == [f"Community {number} (6)", "6 alumni and organizations",
                       f"Most common country: {names[country]}", "Most common cause: aging"]
               for tip, number, country in zip(tooltips.values(), (1, 2),
                                               overview.nodes["country"], strict=True))
    one = community_members(analysis, 0, limit=4)
    assert one.graph.number_of_nodes() == 4 and set(one.nodes["country"]) in ({"JP"}, {"US"})


def test_betweenness_and_constraint_equal_networkx_on_a_weighted_graph():
    import random

    graph = nx.connected_watts_strogatz_graph(60, 6, 0.2, seed=3)
    rng = random.Random(1)
    for u, v in graph.edges:
        graph[u][v]["weight"] = rng.choice([1, 2, 3])
        graph[u][v]["cross_border"] = True
    scores = metrics.centrality(graph)
    expected = nx.betweenness_centrality(graph, normalized=True)
    assert scores["betweenness"].tolist() == pytest.approx([expected[n] for n in graph.nodes])
    found = metrics.brokers(graph, scores, top=10)
    reference = nx.constraint(graph, nodes=list(found.index), weight="weight")
    assert found["constraint"].tolist() == pytest.approx([reference[n] for n in found.index])
