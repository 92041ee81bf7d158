"""The current graph for other tools: GEXF (Gephi), GraphML (Cytoscape), CSV of nodes and edges.

GEXF and GraphML name their attributes by the network's own keys (``country``,
``betweenness``), as tools read them; the CSV files are for people, opened in a
spreadsheet, so their headers are in the current language
(:data:`~analytics.network.analysis.COLUMN_NAMES`) and their values stay as the
data has them (country codes, keys), as in the other two.
"""

from __future__ import annotations

import io

import networkx as nx
import pandas as pd

from analytics.data.spreadsheets import to_safe_csv
from analytics.network.analysis import AnalysedView, with_headers


def _flat_graph(analysis: AnalysedView) -> nx.Graph:
    """A copy whose attributes are plain strings and numbers, as GEXF and GraphML need."""
    report = analysis.node_report()
    # A whole-number column with gaps (cohort_year of organizations) becomes float,
    # so every node carries the same attribute type.
    report = report.astype({c: float for c in report.columns if str(report[c].dtype) == "Int64"})
    graph = nx.Graph()
    for node, row in report.iterrows():
        graph.add_node(str(node), **{k: _scalar(v) for k, v in row.items()})
    for s, t, data in analysis.graph.edges(data=True):
        graph.add_edge(str(s), str(t), **{k: _scalar(v) for k, v in data.items()})
    return graph


def _scalar(value):
    """A value GEXF and GraphML can type: lists joined, missing numbers as NaN."""
    if isinstance(value, list | tuple | set):
        return ";".join(map(str, value))
    if value is None or value is pd.NA:
        return float("nan")
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def to_gexf(analysis: AnalysedView) -> bytes:
    """The graph as GEXF 1.2, with every node's attributes and metrics."""
    buffer = io.BytesIO()
    nx.write_gexf(_flat_graph(analysis), buffer)
    return buffer.getvalue()


def to_graphml(analysis: AnalysedView) -> bytes:
    """The graph as GraphML, with every node's attributes and metrics."""
    buffer = io.BytesIO()
    nx.write_graphml(_flat_graph(analysis), buffer)
    return buffer.getvalue()


def nodes_csv(analysis: AnalysedView) -> str:
    """Nodes with their attributes, metrics and community, as formula-safe CSV with headers in
    the current language."""
    return to_safe_csv(with_headers(analysis.node_report()).reset_index())


def edges_csv(analysis: AnalysedView) -> str:
    """Edges (one per node pair) as formula-safe CSV with headers in the current language."""
    return to_safe_csv(with_headers(analysis.edges))
