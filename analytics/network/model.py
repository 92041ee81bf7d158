"""The collaboration network: nodes, ties, views and graphs.

Alumni and organizations are the nodes. Ties come from three places:
partnerships, each alum's organization (affiliation) and each project's lead
tied to its partners. A *tie* here is one such record; an *edge* of the graph
joins two nodes once, however many ties they share, and sums their weights.

The pipeline is tables -> :func:`node_table` and :func:`tie_table` ->
:func:`in_selection` (a :class:`~analytics.selection.Selection`) -> :func:`edge_table`
-> :func:`to_graph`.
Everything counts from the edge table, so the page, the exports and the
metrics agree on what a tie is.

Example
-------
>>> import pandas as pd
>>> nodes = pd.DataFrame({"kind": ["alum", "org"], "country": ["JP", "US"]},
...                      index=pd.Index(["A1", "O1"], name="node"))
>>> ties = pd.DataFrame({"source": ["A1", "A1"], "target": ["O1", "O1"],
...                      "kind": ["mentorship", "affiliation"], "start_year": [2012, 2011],
...                      "end_year": [pd.NA, pd.NA], "weight": [2.0, 1.0]})
>>> edges = edge_table(nodes, ties)
>>> edges[["source", "target", "weight", "ties", "start_year", "cross_border"]].values.tolist()
[['A1', 'O1', 3.0, 2, 2011, True]]
"""

from __future__ import annotations

import networkx as nx
import pandas as pd

from analytics import i18n
from analytics.data.countries import country_name
from analytics.data.schema import PROGRAM_ORIGINS, TIE_ORIGINS
from analytics.i18n import N_, _, listed
from analytics.selection import US_JAPAN, Selection, isin, matches

ALUM, ORG = "alum", "org"
# What each kind of node is called where a reader sees it.
KIND_NAMES = {ALUM: N_("alum"), ORG: N_("organization"), "country": N_("country"),
              "community": N_("community")}
LEVELS = ("people and organizations", "alumni", "countries")
# Each level's name as shown (the page's choices, the drawing's description); a community
# overview (analytics.network.analysis) is a level of its own.
LEVEL_NAMES = {"people and organizations": N_("People and organizations"),
               "alumni": N_("Alumni only"), "countries": N_("Countries"),
               "communities": N_("Communities")}
# Kinds of tie the network makes itself, beside the partnership kinds the data records;
# shown translated, as the data's are (tie_kind_names).
AFFILIATION, PROJECT = N_("affiliation"), N_("project")
SHARED_ORGANIZATION, SHARED_PROJECT = N_("shared organization"), N_("shared project")
CROSS_BORDER_TIES, BETWEEN_COMMUNITIES = N_("cross-border"), N_("between communities")


def node_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Return one row per alum and organization, indexed by node id.

    Columns: ``kind`` (alum or org), ``label``, ``label_local``, ``country``,
    ``region``, ``program``, ``cohort_year``, ``causes`` (list),
    ``organization`` (an alum's organization name), ``sector`` (an
    organization's type; for an alum, their organization's type, or blank).
    """
    alumni, orgs = tables["alumni"], tables["organizations"]
    org_name = dict(zip(orgs["org_id"], orgs["name"], strict=True))
    org_type = dict(zip(orgs["org_id"], orgs["org_type"], strict=True))
    people = pd.DataFrame({
        "kind": ALUM, "label": alumni["name"], "label_local": alumni["name_local"],
        "country": alumni["country"], "region": alumni["region"], "program": alumni["program"],
        "cohort_year": alumni["cohort_year"], "causes": alumni["causes"],
        # As objects: with no organization named at all, map returns floats that "" cannot fill.
        "organization": alumni["organization_id"].map(org_name).astype(object).fillna(""),
        "sector": alumni["organization_id"].map(org_type).astype(object).fillna(""),
    }).set_axis(pd.Index(alumni["alum_id"], name="node"))
    institutions = pd.DataFrame({
        "kind": ORG, "label": orgs["name"], "label_local": "", "country": orgs["country"],
        "region": orgs["region"], "program": "", "cohort_year": pd.NA, "causes": orgs["causes"],
        "organization": "", "sector": orgs["org_type"],
    }).set_axis(pd.Index(orgs["org_id"], name="node"))
    nodes = pd.concat([people, institutions])
    nodes["cohort_year"] = nodes["cohort_year"].astype("Int64")
    nodes.index = nodes.index.astype(object)  # see tie_table: hash-table lookups
    return nodes


# Which ties a view shows by how they began: (label, the origins kept; none means all).
TIES_SHOWN = {
    "all": (N_("All ties"), ()),
    "program": (N_("Ties the program made"), PROGRAM_ORIGINS),
    "other": (N_("Ties begun otherwise, or not recorded"),
              tuple(o for o in TIE_ORIGINS if o not in PROGRAM_ORIGINS) + ("",)),
}


def tie_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Return every tie: partnerships, affiliations and project partner ties.

    Columns: ``source``, ``target``, ``kind`` (a partnership's kind,
    ``affiliation`` or ``project``), ``start_year``, ``end_year`` (NA while
    it lasts), ``weight``, ``project_id`` (blank unless a project tie) and
    ``origin`` (how a partnership began, blank when not recorded and for
    affiliations and project ties).
    An affiliation starts in the alum's cohort year; a project tie lasts as
    long as its project.
    """
    partnerships = tables["partnerships"]
    alumni = tables["alumni"]
    projects = tables["projects"]
    parts = [pd.DataFrame({
        "source": partnerships["source_id"], "target": partnerships["target_id"],
        "kind": partnerships["kind"].str.lower(), "start_year": partnerships["start_year"],
        "end_year": partnerships["end_year"], "weight": partnerships["weight"],
        "project_id": "",
        "origin": partnerships["origin"] if "origin" in partnerships else ""})]
    affiliated = alumni[alumni["organization_id"] != ""]
    parts.append(pd.DataFrame({
        "source": affiliated["alum_id"], "target": affiliated["organization_id"],
        "kind": AFFILIATION, "start_year": affiliated["cohort_year"], "end_year": pd.NA,
        "weight": 1.0, "project_id": "", "origin": ""}))
    partners = projects[["project_id", "lead_alum_id", "partner_ids", "start_year",
                         "end_year"]].explode("partner_ids").dropna(subset=["partner_ids"])
    parts.append(pd.DataFrame({
        "source": partners["lead_alum_id"], "target": partners["partner_ids"], "kind": PROJECT,
        "start_year": partners["start_year"], "end_year": partners["end_year"], "weight": 1.0,
        "project_id": partners["project_id"], "origin": ""}))
    ties = pd.concat(parts, ignore_index=True)
    ties = ties[ties["source"] != ties["target"]]
    # IDs as Python objects: isin and groupby then use pandas' hash tables, which at
    # 500,000 ties are ten times faster than on Arrow strings.
    return ties.astype({"source": object, "target": object, "kind": "str",
                        "start_year": "Int64", "end_year": "Int64", "weight": float,
                        "project_id": "str", "origin": "str"})


def in_selection(nodes: pd.DataFrame, ties: pd.DataFrame,
                 selection: Selection) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the nodes and ties of the network a selection keeps.

    Nodes outside the selection's ``countries`` or ``causes`` are left out
    (an organization matches causes too); alumni outside its programs or
    cohort ``years`` are left out with their ties; organizations stay only
    when a kept tie reaches them. Ties need both ends kept, and must have
    begun by ``as_of`` and be of the ``kinds`` chosen. Resolve a funder's
    programs first (:meth:`Selection.for_funding`).

    Parameters
    ----------
    nodes, ties : DataFrame
        From :func:`node_table` and :func:`tie_table`.
    selection : Selection

    Returns
    -------
    (DataFrame, DataFrame)
        The kept rows of ``nodes`` and of ``ties``.
    """
    alum = nodes["kind"] == ALUM
    keep = matches(nodes, selection, ["countries", "causes"])
    keep &= ~alum | matches(nodes, selection, ["programs", "years"], year_column="cohort_year")
    kept = nodes.index[keep]
    chosen = isin(ties["source"], kept) & isin(ties["target"], kept)
    if selection.as_of is not None:
        chosen &= (ties["start_year"] <= selection.as_of).fillna(False).astype(bool)
    chosen &= matches(ties, selection, ["kinds", "origins"])
    ties = ties[chosen]
    tied = pd.Index(ties["source"]).union(pd.Index(ties["target"]))
    on_view = keep & (alum | isin(nodes.index, tied))
    if selection.as_of is not None:
        on_view &= ~alum | (nodes["cohort_year"] <= selection.as_of).fillna(True)
    return nodes[on_view], ties[isin(ties["source"], nodes.index[on_view])
                               & isin(ties["target"], nodes.index[on_view])]


def scope_name(countries: tuple[str, ...]) -> str:
    """A selection's countries in words: Asia-Pacific (all), US-Japan, or their names.

    >>> scope_name(()), scope_name(("US", "JP")), scope_name(("KR", "TH"))
    ('Asia-Pacific', 'US-Japan', 'South Korea and Thailand')
    >>> with i18n.speaking("ja"):
    ...     scope_name(("KR", "TH"))
    '韓国、タイ'
    """
    if not countries:
        return _("Asia-Pacific")
    if sorted(countries) == sorted(US_JAPAN):
        return _("US-Japan")
    return listed(country_name(c) for c in countries)


def tie_kind_names(kinds: str) -> str:
    """An edge's ``kinds`` (``;``-joined keys) as a reader sees them, translated.

    >>> tie_kind_names("affiliation;mentorship")
    'affiliation, mentorship'
    """
    return listed((_(k) for k in kinds.split(";") if k), narrow=True)


def full_name(row) -> str:
    """A node's name as a reader sees it, in the current language: a person's name as
    :func:`analytics.i18n.person` puts it (the local name first in Japanese), a country's
    name, a community by its number (its ``label``) and size.

    >>> full_name({"kind": "country", "label": "", "country": "KR"})
    'South Korea'
    """
    kind = row["kind"]
    if kind == ALUM:
        return i18n.person(str(row["label"]), row.get("label_local") or "")
    if kind == "country":
        return country_name(row["country"])
    if kind == "community":
        return _("Community {number} ({members})", number=row["label"],
                 members=i18n.number(int(row["members"])))
    return str(row["label"])


def short_name(row) -> str:
    """The name a drawing writes beside a node: a person by one name, in Japanese the local
    one where the data has it (:func:`full_name`, with both, is the tooltip's); anything
    else as :func:`full_name`.

    >>> person = {"kind": "alum", "label": "Haruka Sato", "label_local": "佐藤 遥"}
    >>> short_name(person)
    'Haruka Sato'
    >>> with i18n.speaking("ja"):
    ...     short_name(person)
    '佐藤 遥'
    """
    if row["kind"] == ALUM:
        local = row.get("label_local") if i18n.language() == "ja" else None
        return str(local or row["label"])
    return full_name(row)


def edge_table(nodes: pd.DataFrame, ties: pd.DataFrame) -> pd.DataFrame:
    """Join ties between the same two nodes into one edge.

    Returns one row per node pair (``source`` < ``target``) with ``weight``
    (sum), ``ties`` (count), ``kinds`` (sorted, ``;``-joined), ``start_year``
    (first), ``end_year`` (last, NA if any tie lasts), the two ends'
    countries and ``cross_border`` (the countries differ).
    """
    if ties.empty:
        return pd.DataFrame({c: pd.Series(dtype=t) for c, t in (
            ("source", "str"), ("target", "str"), ("weight", float), ("ties", int),
            ("kinds", "str"), ("start_year", "Int64"), ("end_year", "Int64"),
            ("source_country", "str"), ("target_country", "str"), ("cross_border", bool))})
    a = ties["source"].where(ties["source"] < ties["target"], ties["target"])
    b = ties["target"].where(ties["source"] < ties["target"], ties["source"])
    frame = ties.assign(source=a, target=b, lasting=ties["end_year"].isna())
    grouped = frame.groupby(["source", "target"], sort=True)
    edges = grouped.agg(weight=("weight", "sum"), ties=("kind", "size"),
                        start_year=("start_year", "min"), end_year=("end_year", "max"),
                        lasting=("lasting", "any")).reset_index()
    # Each kind is a bit; OR-ing (summing distinct) bits per pair names its kinds without a
    # Python join per pair, which took 12 s at 500,000 ties.
    distinct = frame[["source", "target", "kind"]].drop_duplicates()
    codes, names = pd.factorize(distinct["kind"], sort=True)
    masks = (pd.Series(1 << codes.astype("int64"), index=distinct.index)
             .groupby([distinct["source"], distinct["target"]], sort=True).sum())
    spelled = {m: ";".join(n for i, n in enumerate(names) if m >> i & 1) for m in masks.unique()}
    edges["kinds"] = masks.map(spelled).to_numpy()
    edges["end_year"] = edges["end_year"].astype("Int64").mask(edges.pop("lasting"))
    # A float sum depends on the order of its terms in its last bits: rounded, a pair's weight is
    # the same however the rows were ordered.
    edges["weight"] = edges["weight"].round(9)
    country = nodes["country"]
    edges["source_country"] = edges["source"].map(country)
    edges["target_country"] = edges["target"].map(country)
    edges["cross_border"] = edges["source_country"] != edges["target_country"]
    return edges[["source", "target", "weight", "ties", "kinds", "start_year", "end_year",
                  "source_country", "target_country", "cross_border"]]


def to_graph(nodes: pd.DataFrame, edges: pd.DataFrame) -> nx.Graph:
    """Build an undirected networkx graph from nodes and an edge table.

    Node attributes are the node table's columns; edge attributes are
    ``weight``, ``ties``, ``kinds``, ``start_year`` and ``cross_border``.
    Nodes are added in the order of their IDs, not of the files' rows, so
    everything computed over the graph in its order (layouts, sampled
    betweenness) is the same however the rows were sorted.
    """
    nodes = nodes.loc[sorted(nodes.index, key=str)]
    graph = nx.Graph()
    graph.add_nodes_from(zip(nodes.index, nodes.to_dict("records"), strict=True))
    # Columns as Python lists first: zipping Arrow-backed columns asks Arrow for one value at a
    # time (5 s of the 9 s this took at 125,000 nodes).
    columns = ["source", "target", "weight", "ties", "kinds", "start_year", "cross_border"]
    graph.add_edges_from(
        (s, t, {"weight": w, "ties": n, "kinds": k, "start_year": y, "cross_border": c})
        for s, t, w, n, k, y, c in zip(*(edges[column].tolist() for column in columns),
                                       strict=True))
    return graph


def ordered_subgraph(graph: nx.Graph, nodes) -> nx.Graph:
    """The part of ``graph`` among ``nodes``, as a new graph in ``graph``'s own node order.

    networkx's ``subgraph`` lists nodes in set order, which changes from one
    process to the next, and the layout with it; in ``graph``'s order a
    picture is the same after a restart.

    >>> list(ordered_subgraph(nx.path_graph(["c", "b", "a", "d"]), {"d", "a", "c"}).edges)
    [('a', 'd')]
    >>> list(ordered_subgraph(nx.path_graph(["c", "b", "a", "d"]), {"d", "a", "c"}))
    ['c', 'a', 'd']
    """
    keep = set(nodes)
    rank = {n: i for i, n in enumerate(n for n in graph if n in keep)}
    part = nx.Graph()
    part.add_nodes_from((n, graph.nodes[n]) for n in rank)
    part.add_edges_from((u, v, data) for u in rank for v, data in graph.adj[u].items()
                        if rank.get(v, -1) > rank[u])
    return part


def alumni_level(nodes: pd.DataFrame, ties: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return alumni only, tied through shared organizations, projects or direct ties.

    Two alumni get one tie per organization they both belong to
    (affiliation), per project they both take part in (as lead or partner),
    and per direct partnership between them. The edge weight counts these.
    """
    alumni = nodes[nodes["kind"] == ALUM]
    ids = alumni.index
    direct = ties[isin(ties["source"], ids) & isin(ties["target"], ids)
                  & (ties["kind"] != PROJECT)][["source", "target", "kind", "start_year",
                                                 "end_year"]]
    aff = ties[(ties["kind"] == AFFILIATION) & isin(ties["source"], ids)]
    shared_org = _pairs(aff.rename(columns={"target": "group", "source": "member"}),
                        SHARED_ORGANIZATION)
    proj = ties[ties["kind"] == PROJECT]
    members = pd.concat([
        proj[["project_id", "source", "start_year", "end_year"]].rename(columns={"source": "member"}),
        proj[["project_id", "target", "start_year", "end_year"]].rename(columns={"target": "member"}),
    ]).drop_duplicates(["project_id", "member"])
    members = members[isin(members["member"], ids)].rename(columns={"project_id": "group"})
    shared_project = _pairs(members, SHARED_PROJECT)
    result = pd.concat([direct, shared_org, shared_project], ignore_index=True).assign(weight=1.0)
    return alumni, result.astype({"start_year": "Int64", "end_year": "Int64"})


def _pairs(members: pd.DataFrame, kind: str) -> pd.DataFrame:
    """Every pair of members of the same group, as ties of ``kind``."""
    pairs = members.merge(members, on="group", suffixes=("", "_other"))
    pairs = pairs[pairs["member"] < pairs["member_other"]]
    start = pairs[["start_year", "start_year_other"]].max(axis=1)
    return pd.DataFrame({"source": pairs["member"], "target": pairs["member_other"], "kind": kind,
                         "start_year": start, "end_year": pd.NA})


def country_level(edges: pd.DataFrame) -> pd.DataFrame:
    """Count edges between each pair of countries (a pair with itself counts domestic edges).

    Returns columns ``country_a`` <= ``country_b``, ``edges`` and ``weight``,
    most edges first.
    """
    a = edges["source_country"].where(edges["source_country"] <= edges["target_country"],
                                      edges["target_country"])
    b = edges["target_country"].where(edges["source_country"] <= edges["target_country"],
                                      edges["source_country"])
    counts = (edges.assign(country_a=a, country_b=b)
              .groupby(["country_a", "country_b"], as_index=False)
              .agg(edges=("source", "size"), weight=("weight", "sum")))
    return counts.sort_values(["edges", "country_a", "country_b"],
                              ascending=[False, True, True], ignore_index=True)
