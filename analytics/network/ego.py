"""A person's place in the network: the ties around them, and whom to introduce them to."""

from __future__ import annotations

import networkx as nx
import pandas as pd

from analytics import i18n
from analytics.data.countries import country_name
from analytics.i18n import _, listed, ngettext
from analytics.network import drawing
from analytics.network.model import full_name, ordered_subgraph
from analytics.selection import isin


def ego_graph(graph: nx.Graph, node, hops: int = 1, limit: int = 300) -> nx.Graph:
    """The node, everyone within ``hops`` ties of it (the ``limit`` best-tied at most, so two
    steps from a hub stays a picture), and the ties among them.

    >>> len(ego_graph(nx.star_graph(500), 1, hops=2, limit=10))
    10
    """
    if node not in graph:
        return nx.Graph()
    kept = list(nx.single_source_shortest_path_length(graph, node, cutoff=hops))
    if len(kept) > limit:
        others = sorted((n for n in kept if n != node), key=lambda n: (-graph.degree(n), str(n)))
        kept = [node, *others[:limit - 1]]
    return ordered_subgraph(graph, kept)


def ego_picture(analysis, node, hops: int, title: str) -> str | None:
    """The offline page drawing ``node`` and everyone within ``hops`` ties of it.

    Nodes are sized by their ties within the picture, so the person is the
    largest node and named; tooltips keep each node's ties in the whole
    network (``analysis.scores``). None when the node has no tie.
    """
    ego = ego_graph(analysis.graph, node, hops)
    if ego.number_of_nodes() <= 1:
        return None
    scores = analysis.scores.loc[list(ego.nodes)].assign(ties_here=pd.Series(dict(ego.degree())))
    net, legend = drawing.build_network(ego, analysis.nodes, drawing.layout(ego), scores,
                                        drawing.Style("country", "ties_here"))
    return drawing.network_html(drawing.graph_data(net, legend, title), height="380px")


def suggest_connections(graph: nx.Graph, nodes: pd.DataFrame, node, top: int = 8) -> pd.DataFrame:
    """Alumni and organizations worth introducing to ``node``, with the reason for each, in
    the current language.

    Candidates share at least one cause with the node and are not yet tied
    to it. Each gets the Adamic-Adar index over the graph (common partners,
    each weighted by 1 / log of their number of ties, so a shared small
    partner counts more than a shared hub) plus the Jaccard overlap of their
    causes. Candidates across a border come first, then by score.

    Returns
    -------
    DataFrame
        Indexed by candidate: ``label`` (the name as the language writes it,
        :func:`~analytics.network.model.full_name`), ``kind``, ``country``, ``score``,
        ``cross_border`` and ``reason`` (plain words), best first.
    """
    if node not in nodes.index:
        return pd.DataFrame(columns=["label", "kind", "country", "score", "cross_border", "reason"])
    mine = set(nodes.at[node, "causes"])
    tied = set(graph.neighbors(node)) if node in graph else set()
    shared = nodes["causes"].map(lambda c: mine & set(c))
    candidates = nodes[(shared.map(len) > 0) & ~isin(nodes.index, tied | {node})]
    if candidates.empty:
        return pd.DataFrame(columns=["label", "kind", "country", "score", "cross_border", "reason"])
    in_graph = [c for c in candidates.index if c in graph and node in graph]
    adamic = {v: s for _, v, s in nx.adamic_adar_index(graph, [(node, c) for c in in_graph])}
    rows = []
    for candidate, row in candidates.iterrows():
        common = sorted(nx.common_neighbors(graph, node, candidate)) \
            if candidate in graph and node in graph else []
        overlap = shared[candidate]
        jaccard = len(overlap) / len(mine | set(row["causes"]))
        crossing = row["country"] != nodes.at[node, "country"]
        reason = [_("shares {causes}", causes=listed(sorted(overlap)))]
        if common:
            names = [full_name(nodes.loc[c]) for c in common[:3]]
            if len(common) > 3:
                names.append(_("{count} more", count=i18n.number(len(common) - 3)))
            reason.append(ngettext("{n} partner in common: {names}",
                                   "{n} partners in common: {names}", len(common),
                                   names=listed(names)))
        if crossing:
            reason.append(_("across the border, in {country}", country=country_name(row["country"])))
        rows.append({"node": candidate, "label": full_name(row), "kind": row["kind"],
                     "country": row["country"], "score": adamic.get(candidate, 0.0) + jaccard,
                     # Translators: what goes between the reasons for an introduction.
                     "cross_border": crossing, "reason": _("; ").join(reason)})
    ranked = pd.DataFrame(rows).set_index("node")
    return ranked.sort_values(["cross_border", "score"], ascending=False).head(top)


def node_card(analysis, node: str) -> dict | None:
    """Who or what a node of an analysed view is, for the card beside the graph.

    Returns ``{"kind", "title", "facts"}``: the node's kind (alum, org,
    country, community), its name as the view's audience may see it, and the
    drawing's facts about it (:func:`analytics.network.drawing.node_facts`)
    with its ties across a border, in the current language; None when the
    node is not in the view.
    """
    if node not in analysis.nodes.index:
        return None
    row = analysis.nodes.loc[node]
    score = analysis.scores.loc[node].to_dict() if node in analysis.scores.index else None
    facts = drawing.node_facts(row, score)
    if row["kind"] in ("alum", "org") and node in analysis.graph:
        crossing = sum(1 for _, _, across in analysis.graph.edges(node, data="cross_border") if across)
        facts.append(ngettext("{crossing} of its {n} tie crosses a border",
                              "{crossing} of its {n} ties cross a border",
                              analysis.graph.degree(node), crossing=crossing))
    return {"kind": row["kind"], "title": facts[0], "facts": facts[1:]}

