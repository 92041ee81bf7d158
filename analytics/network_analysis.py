"""One view of the network, analysed: the bundle a page, an export or the CLI draws from.

>>> from analytics import synth
>>> import tempfile
>>> from analytics.loader import load_dataset
>>> folder = synth.write(synth.generate(), tempfile.mkdtemp())[0].parent
>>> result = analyze(load_dataset(folder).tables, View(scope="us-japan"))
>>> set(result.nodes["country"]) <= {"JP", "US"}
True
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from analytics import metrics
from analytics.countries import country_name
from analytics.network import (
    LEVELS,
    View,
    alumni_level,
    country_level,
    edge_table,
    node_table,
    select,
    tie_table,
    to_graph,
)


@dataclass
class NetworkAnalysis:
    """A view's nodes, ties, edges, graph and the metrics computed on it."""

    view: View
    level: str
    nodes: pd.DataFrame
    ties: pd.DataFrame
    edges: pd.DataFrame
    graph: nx.Graph
    scores: pd.DataFrame
    membership: pd.Series
    modularity: float

    def node_report(self) -> pd.DataFrame:
        """Nodes with their metrics and community, for tables and CSV export."""
        report = self.nodes.join(self.scores).assign(community=self.membership + 1)
        report["causes"] = report["causes"].map(lambda c: ";".join(c))
        return report.drop(columns=["label_local"], errors="ignore")


def analyze(tables: dict[str, pd.DataFrame], view: View | None = None,
            level: str = LEVELS[0]) -> NetworkAnalysis:
    """Select a view of the network at a level, build its graph and compute its metrics.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Loaded tables (``Dataset.tables``).
    view : View
        Scope, year and filters.
    level : str
        One of LEVELS: people and organizations, alumni only, or countries.
    """
    return analyze_model(node_table(tables), tie_table(tables), view or View(), level)


def analyze_model(all_nodes: pd.DataFrame, all_ties: pd.DataFrame, view: View,
                  level: str) -> NetworkAnalysis:
    """:func:`analyze` from an already built node and tie table (built once per dataset)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    nodes, ties = select(all_nodes, all_ties, view)
    if level == "alumni":
        nodes, ties = alumni_level(nodes, ties)
    edges = edge_table(nodes, ties)
    if level == "countries":
        nodes, edges = _countries_as_nodes(nodes, edges)
    graph = to_graph(nodes, edges)
    scores = metrics.centrality(graph)
    membership, modularity = metrics.communities(graph)
    return NetworkAnalysis(view, level, nodes, ties, edges, graph, scores, membership, modularity)


def _countries_as_nodes(nodes: pd.DataFrame, edges: pd.DataFrame):
    pairs = country_level(edges)
    codes = sorted(set(nodes["country"]))
    country_nodes = pd.DataFrame({
        "kind": "country", "label": [country_name(c) for c in codes], "label_local": "",
        "country": codes, "region": "", "program": "", "cohort_year": pd.NA,
        "causes": [[] for _ in codes], "organization": "", "sector": "",
    }, index=pd.Index(codes, name="node"))
    abroad = pairs[pairs["country_a"] != pairs["country_b"]]
    country_edges = pd.DataFrame({
        "source": abroad["country_a"], "target": abroad["country_b"], "weight": abroad["edges"],
        "ties": abroad["edges"], "kinds": "cross-border", "start_year": pd.NA, "end_year": pd.NA,
        "source_country": abroad["country_a"], "target_country": abroad["country_b"],
        "cross_border": True})
    return country_nodes, country_edges.reset_index(drop=True)
