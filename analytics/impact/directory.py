"""The alumni directory: one row per alum, search that forgives how a name is typed, introductions.

>>> normalize("ｻﾄｳ") == normalize("さとう") == normalize("サトウ")
True
>>> normalize("SATO") == normalize("Sato") == normalize("ＳＡＴＯ")
True
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

import networkx as nx
import pandas as pd

from analytics.data import places as geo
from analytics.impact import kpis as impact
from analytics.network import drawing
from analytics.network.model import ordered_subgraph

# Katakana (ァ..ヶ) to hiragana: the same sounds, so a search need not care which was typed.
_KATA_TO_HIRA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def normalize(text: str) -> str:
    """Text as search compares it: NFKC (full and half width alike), case-folded, kana as hiragana."""
    return unicodedata.normalize("NFKC", str(text)).casefold().translate(_KATA_TO_HIRA)


def directory_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per alum with what the directory filters and shows.

    Columns beyond the alumni table's: ``organization``, ``org_type``,
    ``website``, ``projects`` (how many they lead), ``active`` (a partnership
    or project active in the data's last two years) and ``search`` (the
    normalized text that :func:`search` looks in: romanized and local name,
    organization, role and causes).
    """
    alumni = tables["alumni"]
    orgs = tables["organizations"].set_index("org_id")
    led = tables["projects"]["lead_alum_id"].value_counts()
    span = impact.data_years(tables)
    active = impact.active_alumni(tables, span[1] - impact.ACTIVE_WINDOW_YEARS + 1, span[1]) \
        if span else set()
    table = alumni.assign(
        organization=alumni["organization_id"].map(orgs["name"]).fillna(""),
        org_type=alumni["organization_id"].map(orgs["org_type"]).fillna(""),
        website=alumni["organization_id"].map(orgs["website"]).fillna(""),
        projects=alumni["alum_id"].map(led).fillna(0).astype(int),
        active=alumni["alum_id"].isin(active),
    )
    parts = [table[c].astype(str) for c in ("name", "name_local", "organization", "role")
             if c in table]
    parts.append(table["causes"].map(" ".join))
    text = parts[0].str.cat(parts[1:], sep=" | ")
    return table.assign(search=[normalize(t) for t in text])


def search(table: pd.DataFrame, query: str) -> pd.Series:
    """Rows whose search text holds every word of the query (normalized the same way)."""
    words = normalize(query).split()
    found = pd.Series(True, index=table.index)
    for word in words:
        found &= table["search"].str.contains(word, regex=False)
    return found


@dataclass(frozen=True)
class DirectoryFilter:
    """The directory's filters. Empty means all."""

    programs: tuple[str, ...] = ()
    cohorts: tuple[str, ...] = ()
    cohort_years: tuple[int, int] | None = None
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    has_projects: bool | None = None
    active: bool | None = None
    query: str = ""


def filter_directory(table: pd.DataFrame, wanted: DirectoryFilter) -> pd.DataFrame:
    """The rows of :func:`directory_table` that match every filter given."""
    keep = pd.Series(True, index=table.index)
    for column, values in (("program", wanted.programs), ("cohort", wanted.cohorts),
                           ("country", wanted.countries), ("region", wanted.regions),
                           ("org_type", wanted.org_types)):
        if values:
            keep &= table[column].isin(values)
    if wanted.cohort_years:
        keep &= table["cohort_year"].between(*wanted.cohort_years).fillna(False).astype(bool)
    if wanted.causes:
        chosen = set(wanted.causes)
        keep &= table["causes"].map(lambda c: not chosen.isdisjoint(c)).astype(bool)
    if wanted.has_projects is not None:
        keep &= (table["projects"] > 0) == wanted.has_projects
    if wanted.active is not None:
        keep &= table["active"] == wanted.active
    if wanted.query.strip():
        keep &= search(table, wanted.query)
    return table[keep]


def alumni_by_region(table: pd.DataFrame) -> pd.DataFrame:
    """Alumni counted per region, placed at its centroid (a country's, when the region is unknown).

    Returns ``country``, ``region`` (blank for the country as a whole),
    ``alumni``, ``lat`` and ``lon``; places without coordinates are left out.
    """
    regions = geo.region_centroids()
    counts = table.groupby(["country", "region"], as_index=False).size().rename(
        columns={"size": "alumni"})
    placed = counts.merge(regions, on=["country", "region"], how="left")
    unplaced = placed["lat"].isna()
    if unplaced.any():
        countries = geo.country_centroids().astype({"lat": float, "lon": float})
        placed.loc[unplaced, "region"] = ""
        placed.loc[unplaced, "lat"] = placed.loc[unplaced, "country"].map(countries["lat"])
        placed.loc[unplaced, "lon"] = placed.loc[unplaced, "country"].map(countries["lon"])
    placed = placed.groupby(["country", "region", "lat", "lon"], as_index=False)["alumni"].sum()
    return placed.dropna(subset=["lat", "lon"])[["country", "region", "alumni", "lat", "lon"]]


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
    return drawing.network_html(net, legend, title, height="380px")


def suggest_connections(graph: nx.Graph, nodes: pd.DataFrame, node, top: int = 8) -> pd.DataFrame:
    """Alumni and organizations worth introducing to ``node``, with the reason for each.

    Candidates share at least one cause with the node and are not yet tied
    to it. Each gets the Adamic-Adar index over the graph (common partners,
    each weighted by 1 / log of their number of ties, so a shared small
    partner counts more than a shared hub) plus the Jaccard overlap of their
    causes. Candidates across a border come first, then by score.

    Returns
    -------
    DataFrame
        Indexed by candidate: ``label``, ``kind``, ``country``, ``score``,
        ``cross_border`` and ``reason`` (plain words), best first.
    """
    if node not in nodes.index:
        return pd.DataFrame(columns=["label", "kind", "country", "score", "cross_border", "reason"])
    mine = set(nodes.at[node, "causes"])
    tied = set(graph.neighbors(node)) if node in graph else set()
    shared = nodes["causes"].map(lambda c: mine & set(c))
    candidates = nodes[(shared.map(len) > 0) & ~nodes.index.isin(tied | {node})]
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
        reason = [f"shares {', '.join(sorted(overlap))}"]
        if common:
            names = ", ".join(str(nodes.at[c, "label"]) for c in common[:3])
            more = f" and {len(common) - 3} more" if len(common) > 3 else ""
            reason.append(f"{len(common)} partner(s) in common: {names}{more}")
        if crossing:
            reason.append(f"across the border, in {row['country']}")
        rows.append({"node": candidate, "label": row["label"], "kind": row["kind"],
                     "country": row["country"], "score": adamic.get(candidate, 0.0) + jaccard,
                     "cross_border": crossing, "reason": "; ".join(reason)})
    ranked = pd.DataFrame(rows).set_index("node")
    return ranked.sort_values(["cross_border", "score"], ascending=False).head(top)
