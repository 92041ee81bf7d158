"""One view of the network, analysed: the bundle a page, an export or the CLI draws from.

>>> from analytics.data import synth
>>> import tempfile
>>> from analytics.data.loader import load_dataset
>>> folder = synth.write(synth.generate(), tempfile.mkdtemp())[0].parent
>>> from analytics.selection import US_JAPAN, Selection
>>> result = analyze(load_dataset(folder).tables, Selection(countries=US_JAPAN))
>>> set(result.nodes["country"]) <= {"JP", "US"}
True
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx
import pandas as pd

from analytics import i18n
from analytics.data.countries import country_name
from analytics.i18n import N_, _
from analytics.network import metrics
from analytics.network.model import (
    BETWEEN_COMMUNITIES,
    CROSS_BORDER_TIES,
    LEVELS,
    alumni_level,
    country_level,
    edge_table,
    full_name,
    in_selection,
    node_table,
    ordered_subgraph,
    tie_table,
    to_graph,
)
from analytics.selection import Selection, isin


@dataclass
class AnalysedView:
    """One view of the network (a selection at a level): its nodes, ties, edges, graph, and
    the metrics computed on it."""

    selection: Selection
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


def analyze(tables: dict[str, pd.DataFrame], selection: Selection | None = None,
            level: str = LEVELS[0]) -> AnalysedView:
    """Select part of the network at a level, build its graph and compute its metrics.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Loaded tables (``Dataset.tables``).
    selection : Selection, optional
        Countries, programs, cohort years, causes, a funder, ``as_of`` and
        tie kinds; everything by default.
    level : str
        One of LEVELS: people and organizations, alumni only, or countries.

    Returns
    -------
    AnalysedView
    """
    selection = (selection or Selection()).for_funding(tables["funding"])
    return analyze_model(node_table(tables), tie_table(tables), selection, level)


def selected_network(all_nodes: pd.DataFrame, all_ties: pd.DataFrame,
                     selection: Selection) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The nodes and ties a selection (funder resolved) keeps, and their edge table
    (:func:`~analytics.network.model.edge_table`): what the network's analysis, its growth
    and the map of ties between countries all start from."""
    nodes, ties = in_selection(all_nodes, all_ties, selection)
    return nodes, ties, edge_table(nodes, ties)


def analyze_model(all_nodes: pd.DataFrame, all_ties: pd.DataFrame, selection: Selection,
                  level: str, selected: tuple | None = None) -> AnalysedView:
    """:func:`analyze` from the node and tie tables (built once per dataset), for a selection
    whose funder is already resolved (:meth:`Selection.for_funding`); ``selected`` is its
    :func:`selected_network` when already made."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}")
    nodes, ties, edges = selected or selected_network(all_nodes, all_ties, selection)
    if level == "alumni":
        nodes, ties = alumni_level(nodes, ties)
        edges = edge_table(nodes, ties)
    if level == "countries":
        nodes, edges = _countries_as_nodes(nodes, edges)
    graph = to_graph(nodes, edges)
    scores = metrics.centrality(graph)
    membership, modularity = metrics.communities(graph)
    return AnalysedView(selection, level, nodes, ties, edges, graph, scores, membership, modularity)


def _countries_as_nodes(nodes: pd.DataFrame, edges: pd.DataFrame):
    pairs = country_level(edges)
    codes = sorted(set(nodes["country"]))
    people = nodes[nodes["kind"] == "alum"]["country"].value_counts()
    # An analysed view is kept once for both languages: its label is the English name, and
    # what a reader sees is the name in their language (model.full_name).
    with i18n.speaking("en"):
        labels = [country_name(c) for c in codes]
    country_nodes = pd.DataFrame({
        "kind": "country", "label": labels, "label_local": "",
        "country": codes, "region": "", "program": "", "cohort_year": pd.NA,
        "causes": [[] for _ in codes], "organization": "", "sector": "",
        "members": [int(people.get(c, 0)) for c in codes],  # its alumni: what sizes it
    }, index=pd.Index(codes, name="node"))
    abroad = pairs[pairs["country_a"] != pairs["country_b"]]
    country_edges = pd.DataFrame({
        "source": abroad["country_a"], "target": abroad["country_b"], "weight": abroad["edges"],
        "ties": abroad["edges"], "kinds": CROSS_BORDER_TIES, "start_year": pd.NA, "end_year": pd.NA,
        "source_country": abroad["country_a"], "target_country": abroad["country_b"],
        "cross_border": True})
    return country_nodes, country_edges.reset_index(drop=True)


def headline_figures(analysis: AnalysedView) -> list[tuple[str, str, str]]:
    """The figures worth a card for a view, as ``(label, value, what it means)``, in the
    current language.

    Between countries every tie crosses a border and communities of six
    countries mean nothing, so that level shows its countries, alumni and
    ties instead of shares, E-I, communities and modularity.
    """
    graph = analysis.graph
    explained = metrics.explanation
    if analysis.level == "countries":
        people = int(analysis.nodes["members"].sum())
        ties = int(analysis.edges["ties"].sum()) if len(analysis.edges) else 0
        return [(_("Countries"), i18n.number(graph.number_of_nodes()),
                 _("Countries with alumni or partners in view.")),
                (_("Alumni"), i18n.number(people),
                 _("Alumni in view; each country is drawn as large as its alumni.")),
                (_("Ties across borders"), i18n.number(ties),
                 _("Pairs tied across a border; each line is as wide as the ties between two "
                   "countries."))]
    crossing = metrics.overall_cross_border(analysis.edges)
    return [
        (_("Nodes"), i18n.number(graph.number_of_nodes()),
         _("People, organizations or countries in this view.")),
        (_("Ties"), i18n.number(graph.number_of_edges()),
         _("Pairs tied at least once; several ties count once.")),
        (_("Cross-border"), i18n.percent(crossing["share"]) if crossing["edges"] else "–",
         explained("cross_border")),
        (_("E-I index"), f"{crossing['ei_index']:+.2f}" if crossing["edges"] else "–",
         explained("ei_index")),
        (_("Communities"), i18n.number(analysis.membership.nunique()),
         explained("communities")),
        (_("Modularity"), f"{analysis.modularity:.2f}", explained("communities")),
    ]


# Above this many nodes a browser draws slowly and a person reads nothing: the page
# shows communities as nodes instead, and opens one community at a time.
DRAW_LIMIT = 2_500
OVERVIEW_MIN_MEMBERS = 5
OVERVIEW_LINKS = 3


def community_overview(analysis: AnalysedView) -> AnalysedView:
    """The network with each community as one node, tied by the edges between communities.

    Communities of at least OVERVIEW_MIN_MEMBERS are drawn, each labelled
    with its number (shown with its size: :func:`~analytics.network.model.full_name`)
    and carrying its most common country and cause;
    each keeps its OVERVIEW_LINKS strongest links to others, weighted by the
    edges between them.
    """
    membership = analysis.membership
    summary = metrics.community_summary(analysis.nodes, membership)
    # Groups of a few (often people with no tie yet) would crowd the picture: they are
    # counted in the caption, not drawn.
    summary = summary[summary["members"] >= OVERVIEW_MIN_MEMBERS]
    ids = [f"C{c + 1}" for c in summary.index]
    nodes = pd.DataFrame({
        "kind": "community",
        "label": [str(c + 1) for c in summary.index],
        "label_local": "", "country": summary["top_country"].to_numpy(), "region": "",
        "program": "", "cohort_year": pd.NA,
        "causes": [[cause] if cause else [] for cause in summary["top_cause"]],
        "organization": "", "sector": "", "members": summary["members"].to_numpy(),
    }, index=pd.Index(ids, name="node"))
    edges = analysis.edges
    a = edges["source"].map(membership)
    b = edges["target"].map(membership)
    between = edges.assign(a=a.where(a <= b, b), b=b.where(a <= b, a))
    between = between[(between["a"] != between["b"]) & isin(between["a"], summary.index)
                      & isin(between["b"], summary.index)]
    pairs = between.groupby(["a", "b"], as_index=False).agg(
        weight=("ties", "sum"), ties=("ties", "sum"), crossing=("cross_border", "mean"))
    pairs["cross_border"] = pairs.pop("crossing") > 0.5  # mostly across a border
    # Most communities touch most others; each keeps its strongest few links (a backbone),
    # so the layout can spread them out.
    ranked = pd.concat([pairs.assign(end=pairs["a"]), pairs.assign(end=pairs["b"])])
    strongest = ranked.sort_values("weight", ascending=False).groupby("end").head(OVERVIEW_LINKS)
    pairs = pairs.loc[sorted(set(strongest.index))]
    community_edges = pd.DataFrame({
        "source": [f"C{x + 1}" for x in pairs["a"]], "target": [f"C{x + 1}" for x in pairs["b"]],
        "weight": pairs["weight"].astype(float), "ties": pairs["ties"],
        "kinds": BETWEEN_COMMUNITIES, "start_year": pd.NA, "end_year": pd.NA,
        "source_country": "", "target_country": "", "cross_border": pairs["cross_border"]})
    graph = to_graph(nodes, community_edges)
    scores = metrics.centrality(graph)
    scores["degree"] = summary["members"].to_numpy()  # size communities by their members
    return AnalysedView(analysis.selection, "communities", nodes, analysis.ties.iloc[0:0],
                           community_edges, graph, scores,
                           pd.Series(range(len(ids)), index=ids, dtype=int), analysis.modularity)


def community_members(analysis: AnalysedView, community: int,
                      limit: int = DRAW_LIMIT) -> AnalysedView:
    """One community of a large view, drawn on its own: its best-tied ``limit`` members at most."""
    members = analysis.membership[analysis.membership == community].index
    if len(members) > limit:
        members = analysis.scores.loc[members, "degree"].nlargest(limit).index
    graph = ordered_subgraph(analysis.graph, members)
    kept = list(graph.nodes)
    return AnalysedView(analysis.selection, analysis.level, analysis.nodes.loc[kept],
                           analysis.ties.iloc[0:0], edge_table_of(graph, analysis.edges), graph,
                           analysis.scores.loc[kept], analysis.membership.loc[kept],
                           analysis.modularity)


def edge_table_of(graph: nx.Graph, edges: pd.DataFrame) -> pd.DataFrame:
    """The rows of an edge table whose two ends are both in ``graph``."""
    return edges[isin(edges["source"], graph.nodes) & isin(edges["target"], graph.nodes)]


def summary_tables(analysis: AnalysedView) -> dict[str, pd.DataFrame | float]:
    """The network page's tables for a view, computed together so they can be cached together.

    Their columns are keys (:func:`headers` names them for a reader); the
    names of brokers and of the ends of bridges are as the current language writes them.
    """
    bridges = metrics.bridges(analysis.graph)
    brokers = metrics.brokers(analysis.graph, analysis.scores)
    named = names_of(analysis.nodes, pd.Index(brokers.index).union(
        pd.Index(bridges["source"])).union(pd.Index(bridges["target"])))
    return {
        "brokers": brokers.assign(label=named.reindex(brokers.index),
                                  country=analysis.nodes["country"].reindex(brokers.index))
        .rename_axis("node"),
        "bridges": bridges.assign(source_name=bridges["source"].map(named),
                                  target_name=bridges["target"].map(named)),
        "communities": metrics.community_summary(analysis.nodes, analysis.membership),
        "cross_border": metrics.cross_border(analysis.edges),
        "ei_by_year": metrics.ei_by_year(analysis.edges),
        "cross_sector": metrics.cross_sector(analysis.edges, analysis.nodes["sector"]),
        "growth": metrics.growth(analysis.nodes, analysis.edges),
        "assortativity": metrics.country_assortativity(analysis.graph),
        "countries": country_level(analysis.edges),
    }


def country_ties(tables: dict[str, pd.DataFrame], selection: Selection) -> pd.DataFrame:
    """Edges between each pair of countries in a selection's network (see
    :func:`~analytics.network.model.country_level`), without building the graph."""
    _, _, edges = selected_network(node_table(tables), tie_table(tables),
                                   selection.for_funding(tables["funding"]))
    return country_level(edges)


def names_of(nodes: pd.DataFrame, ids) -> pd.Series:
    """The names of some nodes as the current language writes them (model.full_name)."""
    chosen = nodes.loc[nodes.index.intersection(ids)]
    return pd.Series([full_name(row) for row in chosen.to_dict("records")], index=chosen.index,
                     dtype=object)


# What the network's columns are called where a reader sees them (tables, CSV downloads).
COLUMN_NAMES = {
    "node": N_("ID"), "kind": N_("Kind"), "label": N_("Name"), "country": N_("Country"),
    "region": N_("Region"), "program": N_("Program"), "cohort_year": N_("Cohort"),
    "causes": N_("Causes"), "organization": N_("Organization"),
    "sector": N_("Organization type"), "members": N_("Members"), "alumni": N_("Alumni"),
    "degree": N_("Ties (degree)"), "betweenness": N_("Betweenness"),
    "eigenvector": N_("Eigenvector centrality"), "community": N_("Community"),
    "cross_border_ties": N_("Cross-border ties"), "constraint": N_("Constraint"),
    "source": N_("One end (ID)"), "target": N_("Other end (ID)"),
    "source_name": N_("One end"), "target_name": N_("Other end"),
    "to_leaf": N_("Cuts off a single node"), "top_country": N_("Most common country"),
    "country_share": N_("Share of that country"), "top_cause": N_("Most common cause"),
    "external": N_("Ties abroad"), "internal": N_("Ties at home"), "ei_index": N_("E-I index"),
    "share": N_("Share"), "edges": N_("Ties"), "cross_sector": N_("Across sectors"),
    "year": N_("Year"), "weight": N_("Weight"), "ties": N_("Ties"),
    "kinds": N_("Kinds of tie"), "start_year": N_("First year"), "end_year": N_("Last year"),
    "source_country": N_("One end's country"), "target_country": N_("Other end's country"),
    "cross_border": N_("Across a border"), "nodes": N_("Nodes"), "countries": N_("Countries"),
}


def headers(columns, **names: str) -> dict[str, str]:
    """The headers of a network table's columns (its keys) in the current language:
    COLUMN_NAMES, or ``names`` for a column whose meaning a table narrows (marked with ``N_``).

    >>> headers(["country", "share", "extra"], share=N_("Share abroad"))
    {'country': 'Country', 'share': 'Share abroad'}
    """
    heading = {**COLUMN_NAMES, **names}
    return {c: _(heading[c]) for c in columns if c in heading}


def with_headers(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with its columns and index headed in the current language (:func:`headers`),
    for a file a person opens; the values stay as the data has them."""
    named = frame.rename(columns=headers(frame.columns))
    if frame.index.name in COLUMN_NAMES:
        named.index.name = _(COLUMN_NAMES[frame.index.name])
    return named
