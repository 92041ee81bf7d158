"""Network metrics: centrality, communities, cross-border and cross-sector ties, structure.

Every function takes the graph or edge table of :mod:`analytics.network` and
returns plain numbers or DataFrames. ``docs/metrics.md`` defines each one.

Example
-------
>>> import networkx as nx
>>> g = nx.barbell_graph(3, 0)          # two triangles joined by one edge
>>> sorted(bridges(g)[["source", "target"]].itertuples(index=False, name=None))
[(2, 3)]
"""

from __future__ import annotations

import weakref
from collections import Counter

import igraph
import networkx as nx
import numpy as np
import pandas as pd
import scipy.sparse.linalg

from analytics.i18n import N_, _
from analytics.seeding import SEED, rng, seeded_igraph
from analytics.selection import active_between, isin

# Exact betweenness costs O(nodes x edges); above this many nodes it is
# estimated from BETWEENNESS_SAMPLE source nodes (seeded, so repeatable). EXPLANATIONS
# ["betweenness"] gives both numbers (a test holds it to them).
EXACT_BETWEENNESS_LIMIT = 2_500
BETWEENNESS_SAMPLE = 200
# The community search stops when a Leiden iteration raises modularity by less than this, a
# tenth of the two decimals the page shows. On the synthetic networks that is 4 iterations at
# 10,000 and 100,000 alumni; running on until nothing changes took 17 to 37 iterations at
# 10,000 alumni, and at 100,000 took 42 s instead of 3.4 s, for about 0.0014 more modularity.
COMMUNITY_TOLERANCE = 1e-3


def centrality(graph: nx.Graph, seed: int = SEED) -> pd.DataFrame:
    """Degree, betweenness and eigenvector centrality of every node.

    Parameters
    ----------
    graph : networkx.Graph
    seed : int
        Seed for the betweenness sample on large graphs.

    Returns
    -------
    DataFrame
        Indexed by node: ``degree`` (number of neighbours), ``betweenness``
        (normalized; exact up to EXACT_BETWEENNESS_LIMIT nodes, else estimated
        from BETWEENNESS_SAMPLE source nodes chosen with ``seed``),
        ``eigenvector`` (leading eigenvector of the weighted adjacency,
        non-negative, unit length; 0 without edges).

    Examples
    --------
    >>> c = centrality(nx.star_graph(3))
    >>> [round(v, 3) for v in c.loc[0]], float(c.loc[1, "betweenness"])
    ([3.0, 1.0, 0.707], 0.0)
    """
    nodes = list(graph.nodes)
    if not nodes:
        return pd.DataFrame(columns=["degree", "betweenness", "eigenvector"], dtype=float)
    betweenness = pd.Series(_betweenness(graph, nodes, seed), index=nodes)
    frame = pd.DataFrame({
        "degree": pd.Series(dict(graph.degree()), dtype=int),
        "betweenness": betweenness,
        "eigenvector": pd.Series(_eigenvector(graph, nodes), index=nodes, dtype=float),
    })
    return frame.loc[nodes]


_converted: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _igraph(graph: nx.Graph) -> igraph.Graph:
    """The same graph in igraph, vertices in ``graph.nodes`` order and edges in ``graph.edges``
    order, with edge weights. Made once per graph (and size, should it change): centrality,
    bridges and brokers all ask, and at 125,000 nodes each conversion took 1.5 s."""
    size = (graph.number_of_nodes(), graph.number_of_edges())
    kept = _converted.get(graph)
    if kept is not None and kept[0] == size:
        return kept[1]
    index = {node: i for i, node in enumerate(graph.nodes)}
    converted = igraph.Graph(n=len(index), edges=[(index[s], index[t]) for s, t in graph.edges])
    converted.es["weight"] = [d.get("weight", 1.0) for _, _, d in graph.edges(data=True)]
    _converted[graph] = (size, converted)
    return converted


def _betweenness(graph: nx.Graph, nodes: list, seed: int) -> np.ndarray:
    """Betweenness normalized as networkx does, computed by igraph in C (networkx's pure-Python
    version takes 4 s at 1,250 nodes). Exact up to EXACT_BETWEENNESS_LIMIT nodes; above, from
    BETWEENNESS_SAMPLE source nodes scaled up, as networkx's ``k`` estimate does."""
    n = len(nodes)
    if n <= 2:
        return np.zeros(n)
    converted = _igraph(graph)
    if n <= EXACT_BETWEENNESS_LIMIT:
        raw, scale = np.asarray(converted.betweenness(), float), 1.0
    else:
        sources = rng(seed).choice(n, size=min(BETWEENNESS_SAMPLE, n), replace=False)
        raw = np.asarray(converted.betweenness(sources=sources.tolist()), float)
        scale = n / len(sources)
    return raw * scale * 2 / ((n - 1) * (n - 2))


def _eigenvector(graph: nx.Graph, nodes: list) -> np.ndarray:
    """Leading eigenvector of the weighted adjacency matrix, non-negative, unit length."""
    if graph.number_of_edges() == 0:
        return np.zeros(len(nodes))
    # From igraph's copy (in C; networkx's builder took 3 s at 125,000 nodes): same order.
    adjacency = _igraph(graph).get_adjacency_sparse(attribute="weight").astype(float)
    if len(nodes) <= 500:  # dense is exact and fast here, and sparse solvers need N > 2
        values, vectors = np.linalg.eigh(adjacency.toarray())
        vector = vectors[:, np.argmax(values)]
    else:
        _, vectors = scipy.sparse.linalg.eigsh(adjacency, k=1, which="LA")
        vector = vectors[:, 0]
    vector = np.abs(vector)
    return vector / (np.linalg.norm(vector) or 1.0)


def communities(graph: nx.Graph, seed: int = SEED) -> tuple[pd.Series, float]:
    """Communities found by the Leiden algorithm for weighted modularity, and that modularity.

    The search sees the graph in a canonical order, nodes sorted by ``str`` of their id and
    edges by their two ends' places in it, and draws from ``seed``: the same nodes and edges
    give the same communities in whatever order the rows came. Leiden iterations (igraph, in C)
    repeat, each refining the last partition, until one raises modularity by less than
    COMMUNITY_TOLERANCE.

    Parameters
    ----------
    graph : networkx.Graph
        Edges may carry a ``weight``; 1 when absent.
    seed : int
        Seed of igraph's generator for the search.

    Returns
    -------
    (Series, float)
        Each node's community number, indexed by node in the graph's order: 0 for the largest
        community, equal sizes ordered by their smallest node id (by ``str``); and the
        partition's weighted modularity. Without edges each node is its own community and the
        modularity is 0.

    Examples
    --------
    >>> membership, modularity = communities(nx.barbell_graph(3, 0))  # two triangles, one link
    >>> membership.tolist(), round(modularity, 4)
    ([0, 0, 0, 1, 1, 1], 0.3571)
    """
    nodes = list(graph.nodes)
    # igraph's Leiden shuffles the vertices as numbered and scans neighbours in edge order: the
    # seed gives the same communities only if both orders come from the ids, not the rows.
    order = sorted(range(len(nodes)), key=lambda i: str(nodes[i]))
    if graph.number_of_edges() == 0:
        labels, modularity = np.arange(len(nodes)), 0.0
    else:
        search = _canonical_igraph(graph, [nodes[i] for i in order])
        with seeded_igraph(seed):
            labels, modularity = _leiden(search)
    membership = np.empty(len(nodes), dtype=int)
    membership[order] = _numbered_by_size(labels)
    return pd.Series(membership, index=nodes, dtype=int), modularity


def _canonical_igraph(graph: nx.Graph, canonical: list) -> igraph.Graph:
    """The graph in igraph with vertices in ``canonical`` order and edges sorted by their
    ends' places in it, each with its weight."""
    place = {node: i for i, node in enumerate(canonical)}
    ends = np.fromiter(((place[s], place[t], w)
                        for s, t, w in graph.edges(data="weight", default=1.0)),
                       dtype=[("s", np.int64), ("t", np.int64), ("w", float)],
                       count=graph.number_of_edges())
    low, high = np.minimum(ends["s"], ends["t"]), np.maximum(ends["s"], ends["t"])
    ranked = np.lexsort((high, low))
    # From lists: igraph reads a numpy edge array several times slower.
    search = igraph.Graph(n=len(canonical),
                          edges=list(zip(low[ranked].tolist(), high[ranked].tolist(), strict=True)))
    search.es["weight"] = ends["w"][ranked].tolist()
    return search


def _leiden(search: igraph.Graph) -> tuple[np.ndarray, float]:
    """Leiden iterations for modularity until one gains less than COMMUNITY_TOLERANCE; the
    best partition's labels (by vertex) and modularity."""
    membership, modularity = None, -np.inf
    while True:
        found = search.community_leiden(objective_function="modularity", weights="weight",
                                        n_iterations=1, initial_membership=membership).membership
        quality = search.modularity(found, weights="weight")
        gain = quality - modularity
        if gain > 0:
            membership, modularity = found, quality
        if gain < COMMUNITY_TOLERANCE:
            return np.asarray(membership), float(modularity)


def _numbered_by_size(labels: np.ndarray) -> np.ndarray:
    """Renumber communities 0, 1, ... from the largest; equal sizes by their first member.

    ``labels`` are by canonical place, so a community's first member is its smallest id.

    >>> _numbered_by_size(np.array([5, 9, 9, 5, 2])).tolist()
    [0, 1, 1, 0, 2]
    """
    _, first, labels, sizes = np.unique(labels, return_index=True, return_inverse=True,
                                        return_counts=True)
    ranked = np.lexsort((first, -sizes))
    numbers = np.empty_like(ranked)
    numbers[ranked] = np.arange(len(ranked))
    return numbers[labels]


def ei_index(external: int, internal: int) -> float:
    """Krackhardt's E-I index, (external - internal) / (external + internal).

    -1 when every edge stays inside a group, +1 when every edge crosses; NaN
    without edges.

    >>> ei_index(3, 2)
    0.2
    """
    total = external + internal
    return (external - internal) / total if total else float("nan")


def cross_border(edges: pd.DataFrame) -> pd.DataFrame:
    """Cross-border edges by country, with the E-I index.

    A country's external edges have one end in it and the other abroad;
    its internal edges have both ends in it.

    Returns
    -------
    DataFrame
        One row per country: ``external``, ``internal``, ``ei_index``, and
        ``share`` (external / all its edges); most external first.
    """
    ends = pd.concat([
        edges[["source_country", "cross_border"]].rename(columns={"source_country": "country"}),
        edges.loc[edges["cross_border"], ["target_country", "cross_border"]]
        .rename(columns={"target_country": "country"}),
    ])
    counts = ends.groupby("country")["cross_border"].agg(external="sum", total="size")
    counts["internal"] = counts["total"] - counts["external"]
    counts["ei_index"] = [ei_index(e, i) for e, i in zip(counts["external"], counts["internal"],
                                                         strict=True)]
    counts["share"] = counts["external"] / counts["total"]
    return (counts[["external", "internal", "ei_index", "share"]]
            .astype({"external": int, "internal": int})
            .sort_values(["external", "ei_index"], ascending=False))


def overall_cross_border(edges: pd.DataFrame) -> dict[str, float]:
    """Share of edges that cross a border, and the network's E-I index.

    >>> e = pd.DataFrame({"cross_border": [True, True, False, True, False]})
    >>> overall_cross_border(e)
    {'edges': 5, 'cross_border': 3, 'share': 0.6, 'ei_index': 0.2}
    """
    external = int(edges["cross_border"].sum())
    total = len(edges)
    return {"edges": total, "cross_border": external,
            "share": external / total if total else float("nan"),
            "ei_index": ei_index(external, total - external)}


def ei_by_year(edges: pd.DataFrame) -> pd.DataFrame:
    """The E-I index of the edges that began in each year (the year's new ties)."""
    by_year = edges.dropna(subset=["start_year"]).groupby("start_year")["cross_border"]
    frame = by_year.agg(external="sum", total="size")
    frame["internal"] = frame["total"] - frame["external"]
    frame["ei_index"] = [ei_index(e, i) for e, i in zip(frame["external"], frame["internal"],
                                                        strict=True)]
    return frame[["external", "internal", "ei_index"]].rename_axis("year")


def country_assortativity(graph: nx.Graph) -> float:
    """Newman's attribute assortativity by country: +1 all ties at home, -1 all abroad.

    NaN when it is undefined (no edges, or a single country).
    """
    if graph.number_of_edges() == 0:
        return float("nan")
    with np.errstate(divide="ignore", invalid="ignore"):
        value = nx.attribute_assortativity_coefficient(graph, "country")
    return float(value)


def assortativity_text(value: float) -> str:
    """:func:`country_assortativity` as a reader sees it: the signed value, or a dash and why.

    >>> assortativity_text(0.4123), assortativity_text(float("nan"))[0]
    ('+0.41', '–')
    """
    if pd.isna(value):
        return _("– (not defined here: it compares ties at home with ties abroad, and this view "
                 "has a single country or no ties).")
    return f"{value:+.2f}"


def cross_sector(edges: pd.DataFrame, sector: pd.Series) -> pd.DataFrame:
    """Share of edges that join different sectors (organization types), by country.

    Parameters
    ----------
    edges : DataFrame
        An edge table.
    sector : Series
        Each node's sector: an organization's type, or an alum's
        organization's type; blank when unknown.

    Returns
    -------
    DataFrame
        Per country (an edge counts for both ends' countries, once if they
        are the same): ``edges`` whose two sectors are known,
        ``cross_sector`` among them, and ``share``.
    """
    a = edges["source"].map(sector).fillna("")
    b = edges["target"].map(sector).fillna("")
    known = edges[(a != "") & (b != "")].assign(cross=(a != b)[(a != "") & (b != "")])
    ends = pd.concat([
        known[["source_country", "cross"]].rename(columns={"source_country": "country"}),
        known.loc[known["cross_border"], ["target_country", "cross"]]
        .rename(columns={"target_country": "country"}),
    ])
    frame = ends.groupby("country")["cross"].agg(edges="size", cross_sector="sum")
    frame["share"] = frame["cross_sector"] / frame["edges"]
    return frame.astype({"cross_sector": int}).sort_values("edges", ascending=False)


def bridges(graph: nx.Graph) -> pd.DataFrame:
    """Edges whose removal splits the network into more pieces.

    Returns ``source``, ``target`` and ``to_leaf`` (True when one end has no
    other tie: removing the edge only cuts that node off); the bridges
    between two larger parts come first.
    """
    # igraph finds them in C (networkx's took 7.5 s at 125,000 nodes), in the graph's edge order.
    edges = list(graph.edges)
    found = [edges[i] for i in sorted(_igraph(graph).bridges())] if edges else []
    frame = pd.DataFrame(found, columns=["source", "target"])
    frame["to_leaf"] = [min(graph.degree(s), graph.degree(t)) == 1 for s, t in found]
    return frame.sort_values("to_leaf", kind="stable", ignore_index=True)


def brokers(graph: nx.Graph, scores: pd.DataFrame, top: int = 20) -> pd.DataFrame:
    """The nodes that link otherwise separate parts across borders.

    Brokers are nodes with at least one cross-border edge, ranked by
    betweenness. Burt's constraint is added for them: low constraint means
    their contacts are not tied to each other, so the broker holds
    structural holes.

    Returns
    -------
    DataFrame
        Indexed by node: ``betweenness``, ``degree``, ``cross_border_ties``,
        ``constraint``.
    """
    counts = Counter()
    for s, t, crosses in graph.edges(data="cross_border"):
        if crosses:
            counts[s] += 1
            counts[t] += 1
    crossing = pd.Series([counts[n] for n in graph.nodes], index=list(graph.nodes), dtype=int)
    ranked = scores.assign(cross_border_ties=crossing)
    ranked = ranked[ranked["cross_border_ties"] > 0].sort_values(
        ["betweenness", "cross_border_ties"], ascending=False).head(top)
    # igraph's constraint is Burt's, as networkx's is, but in C: networkx took 28 s for
    # twenty brokers at 1,250 nodes, where hubs have hundreds of ties.
    position = {node: i for i, node in enumerate(graph.nodes)}
    values = _igraph(graph).constraint([position[n] for n in ranked.index],
                                       weights="weight") if len(ranked) else []
    ranked["constraint"] = pd.Series(values, index=ranked.index, dtype=float)
    return ranked[["betweenness", "degree", "cross_border_ties", "constraint"]]


def isolated_alumni(nodes: pd.DataFrame, ties: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """Alumni with no partnership or project tie active in the years first..last.

    Affiliations do not count: belonging to an organization is not activity.
    A tie is active in the window when it started by ``last`` and had not
    ended before ``first``.

    Returns the alumni rows of ``nodes`` that had no active tie, in node order.
    """
    active = ties[(ties["kind"] != "affiliation")
                  & active_between(ties["start_year"], ties["end_year"], first, last)]
    engaged = pd.Index(active["source"]).union(pd.Index(active["target"]))
    alumni = nodes[nodes["kind"] == "alum"]
    return alumni[~isin(alumni.index, engaged)]


def growth(nodes: pd.DataFrame, edges: pd.DataFrame) -> pd.DataFrame:
    """The network year by year: nodes, edges, cross-border edges and countries reached.

    Each year counts the edges that had begun by its end, the nodes they
    join and those nodes' countries.
    """
    dated = edges.dropna(subset=["start_year"]).sort_values("start_year")
    if dated.empty:
        return pd.DataFrame(columns=["nodes", "edges", "cross_border", "countries"])
    rows = []
    for year in range(int(dated["start_year"].min()), int(dated["start_year"].max()) + 1):
        upto = dated[dated["start_year"] <= year]
        ends = pd.Index(upto["source"]).append(pd.Index(upto["target"])).unique()
        rows.append({"year": year, "nodes": len(ends), "edges": len(upto),
                     "cross_border": int(upto["cross_border"].sum()),
                     "countries": nodes.loc[nodes.index.intersection(ends), "country"].nunique()})
    return pd.DataFrame(rows).set_index("year")


def community_summary(nodes: pd.DataFrame, membership: pd.Series) -> pd.DataFrame:
    """Each community's size, its most common country and cause, and its share of alumni.

    Returns one row per community number with ``members``, ``alumni``,
    ``top_country`` (and its ``country_share``) and ``top_cause``.
    """
    frame = nodes.loc[membership.index].assign(community=membership)

    def summarize(group: pd.DataFrame) -> pd.Series:
        countries = group["country"].value_counts()
        causes = group["causes"].explode().dropna().value_counts()
        return pd.Series({
            "members": len(group), "alumni": int((group["kind"] == "alum").sum()),
            "top_country": countries.index[0] if len(countries) else "",
            "country_share": countries.iloc[0] / len(group) if len(countries) else 0.0,
            "top_cause": causes.index[0] if len(causes) else "",
        })

    return frame.groupby("community").apply(summarize, include_groups=False)


# Plain-language explanations shown beside each metric; docs/metrics.md gives the formulas.
# Marked for the catalog: shown in the reader's language by explanation(key), or _(text).
EXPLANATIONS = {
    "degree": N_("How many others a person or organization is directly tied to."),
    "betweenness": N_(
        "How often someone lies on the shortest path between two others: high scores are the "
        "go-betweens the network would split without. Exact up to 2,500 nodes, estimated from "
        "200 sampled starting points above that."),
    "eigenvector": N_("How well connected someone's connections are: ties to central people "
                      "count more."),
    "communities": N_(
        "Groups that are tied more densely inside than to each other, found by the Leiden "
        "method. The groups depend only on who is tied to whom and how strongly, never on the "
        "order of rows in the files, so the same data always gives the same groups; Community 1 "
        "is the largest. Modularity above 0.3 means clear groups."),
    "cross_border": N_("The share of ties that join two different countries."),
    "ei_index": N_(
        "Krackhardt's E-I index: (ties abroad - ties at home) / all ties. -1 means every tie "
        "stays at home, +1 means every tie crosses a border."),
    "assortativity": N_(
        "Whether people tie to others from their own country (+1), at random (0), or mostly "
        "abroad (-1)."),
    "cross_sector": N_(
        "The share of ties between different kinds of organization (nonprofit, business, "
        "government, academic...): the Asian research network's question of whether sectors "
        "work together. An alum counts as their organization's sector."),
    "brokers": N_(
        "People and organizations with cross-border ties and high betweenness. Low constraint "
        "(Burt) means their contacts are not tied to each other: they bridge structural holes."),
    "bridges": N_("Ties whose removal would split the network into separate pieces."),
    "isolated": N_(
        "Alumni with no partnership or project tie active in the chosen years: a re-engagement "
        "list. Belonging to an organization does not count as activity."),
}


def explanation(key: str) -> str:
    """A metric's explanation (EXPLANATIONS) in the current language.

    >>> from analytics.i18n import speaking
    >>> with speaking("en"):
    ...     explanation("cross_border")
    'The share of ties that join two different countries.'
    """
    return _(EXPLANATIONS[key])
