"""Drawing the network: a deterministic layout and a self-contained pyvis page.

The layout is computed here, once, with igraph's Fruchterman-Reingold (about
half a second at 5,000 nodes where networkx's layouts take 45 s or more), and
the browser draws it with physics off: thousands of nodes draw in seconds
instead of minutes.

The HTML inlines vis-network (shipped inside the pyvis package) and every
node and edge, so the page works with no network at all. Every name, title
and note reaches the page as JSON data and is drawn as text: labels on the
canvas, tooltips and legend through ``textContent``. The drawing speaks the
current language (:mod:`analytics.i18n`): graph.js has no words of its own
and shows those :func:`drawing_words` gives it, and every label is drawn in
palette.FONT_FAMILY, which has Japanese glyphs wherever the reader's system does.
"""

from __future__ import annotations

import json
import math
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import igraph
import jinja2
import networkx as nx
import numpy as np
import pandas as pd
import pyvis
from markupsafe import Markup
from pyvis.network import Network

from analytics import i18n, palette
from analytics.data.countries import country_name, region_name
from analytics.i18n import N_, _, listed, ngettext
from analytics.network import metrics
from analytics.network.model import (
    LEVEL_NAMES,
    full_name,
    scope_name,
    short_name,
    tie_kind_names,
)
from analytics.privacy import Audience, made_for
from analytics.seeding import SEED, rng, seeded_igraph

VIS_JS = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2" / "vis-network.min.js"
TEMPLATE_DIR = Path(__file__).parent / "templates"
COLOR_BY = ("country", "program", "community", "cause", "sector")
SIZE_BY = ("degree", "betweenness", "eigenvector")
# The colouring and sizing choices (and LAYOUTS) as a reader sees them.
STYLE_NAMES = {"country": N_("Country"), "program": N_("Program"), "community": N_("Community"),
               "cause": N_("Cause"), "sector": N_("Organization type"),
               "degree": N_("Ties (degree)"), "betweenness": N_("Betweenness"),
               "eigenvector": N_("Eigenvector centrality"),
               "by country": N_("By country (Japan, the US, Asia)"),
               "force": N_("By ties (force layout)")}
# vis-network draws a node's radius from NODE_SIZES, in canvas units, by the size metric
# scaled to 0..1; labels scale the same way (see _label_scaling).
NODE_SIZES = (6, 34)
# Nodes that stand for groups (countries, communities), sized so their area follows their members.
GROUP_SIZES = (12, 70)
# A picture this small (a profile's direct ties) names every node; larger ones name their
# biggest nodes and show the rest as one zooms in.
NAME_ALL_LIMIT = 30
# Above this many nodes only the names are parted. A force layout's core can be denser than
# the drawn discs allow: on the synthetic networks, parting every node took 0.01 s at 959 and
# 2,009 nodes, but 0.9 s at 2,509 and, at 5,009, 3.5 s for 60 rounds with 25,000 overlaps left.
UNTANGLE_ALL_LIMIT = 1000


def layout(graph: nx.Graph, seed: int = SEED) -> dict:
    """Return a deterministic position ``(x, y)`` for every node.

    igraph's Fruchterman-Reingold runs from seeded starting points, so the
    same graph always gets the same picture. Coordinates are scaled so nodes
    spread over a disc whose radius grows with the square root of their number.

    Parameters
    ----------
    graph : networkx.Graph
    seed : int
        Seed of the starting points and of igraph's moves (``analytics.seeding``).

    Returns
    -------
    dict
        Node to ``(x, y)``.

    >>> pos = layout(nx.path_graph(4))
    >>> pos == layout(nx.path_graph(4)) and len(pos)
    4
    """
    nodes = list(graph.nodes)
    n = len(nodes)
    if n == 0:
        return {}
    index = {node: i for i, node in enumerate(nodes)}
    g = igraph.Graph(n=n, edges=[(index[s], index[t]) for s, t in graph.edges])
    # Start spread over about sqrt(n) units, as igraph's own random start is: packed
    # tighter, its grid puts every node in one cell and the layout takes 50x longer.
    half = math.sqrt(n) / 2
    start = rng(seed).uniform(-half, half, size=(n, 2)).tolist()
    with seeded_igraph(seed):  # igraph's moves are random too
        coords = np.asarray(g.layout_fruchterman_reingold(seed=start, niter=500).coords, float)
    coords -= coords.mean(axis=0)
    spread = np.abs(coords).max() or 1.0
    coords *= 45 * math.sqrt(n) / spread
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, coords, strict=True)}


LAYOUTS = ("by country", "force")
# Canvas units between neighbouring nodes inside a country's region.
REGION_SPACING = 26.0


def geographic_layout(graph: nx.Graph, nodes: pd.DataFrame) -> dict:
    """Return a position for every node, each country a region of the picture.

    Countries are placed as on a Pacific-centred map (Japan and the rest of
    Asia to the west, the United States to the east), each region a disc
    whose area grows with its nodes; regions are then moved apart until none
    overlaps. Inside a region nodes lie on a sunflower spiral, the best-tied
    at its centre, ties broken by id, so the picture is the same on every run.

    >>> g = nx.Graph([("j1", "u1"), ("j1", "j2")])
    >>> frame = pd.DataFrame({"country": ["JP", "JP", "US"]}, index=["j1", "j2", "u1"])
    >>> pos = geographic_layout(g, frame)
    >>> pos["j1"][0] < pos["u1"][0], pos["j1"] != pos["j2"]
    (True, True)
    """
    from analytics.data.places import country_centroids

    if graph.number_of_nodes() == 0:
        return {}
    country = nodes["country"].reindex(list(graph.nodes)).fillna("")
    centroids = country_centroids()
    members = {c: sorted(group, key=lambda n: (-graph.degree(n), str(n)))
               for c, group in country.groupby(country).groups.items()}
    radius = {c: REGION_SPACING * math.sqrt(len(m)) + REGION_SPACING for c, m in members.items()}
    # Canvas units per degree: regions of one node each (the countries level) sit closer, so the
    # picture is not a thin strip across the Pacific.
    scale = 3 + 9 * min(1.0, max(map(len, members.values())) / 30)
    anchors = {}
    for i, c in enumerate(sorted(members)):
        if c in centroids.index:
            lon, lat = float(centroids.at[c, "lon"]), float(centroids.at[c, "lat"])
            x = (lon - 160 + 540) % 360 - 180  # the Pacific in the middle
            anchors[c] = (x * scale, -lat * scale)
        else:  # a place without coordinates: a row below the map
            anchors[c] = (i * 200.0, 900.0)
    anchors = separate(anchors, radius, gap=3 * REGION_SPACING, rounds=200)
    golden = math.pi * (3 - math.sqrt(5))
    positions = {}
    for c, group in members.items():
        cx, cy = anchors[c]
        for i, node in enumerate(group):
            r = REGION_SPACING * math.sqrt(i)
            positions[node] = (cx + r * math.cos(i * golden), cy + r * math.sin(i * golden))
    return positions


def region_labels(positions: dict, nodes: pd.DataFrame, names: dict) -> list[dict]:
    """A title above each country's region, as text-only nodes the drawing keeps out of its
    counts and search (``decor``): the country's name and how many nodes it holds."""
    frame = pd.DataFrame(positions, index=["x", "y"]).T.join(nodes["country"])
    labels = []
    for code, group in frame.groupby("country"):
        labels.append({"id": f"region:{code}",
                       "label": _("{country} ({count})", country=names.get(code, code),
                                  count=i18n.number(len(group))),
                       "x": float(group["x"].mean()), "y": float(group["y"].min()) - 3 * REGION_SPACING,
                       "shape": "text", "font": {"size": 60, "strokeWidth": 6, "strokeColor": "#ffffff",
                                                 "face": palette.FONT_FAMILY},
                       "scaling": {"label": {"enabled": False}},
                       "decor": True, "year": None, "tooltip": [], "color": "#555555"})
    return labels


def separate(positions: dict, radii: dict, gap: float = 4.0, rounds: int = 60) -> dict:
    """Move nodes apart until no two discs overlap: ``|p_i - p_j| >= r_i + r_j + gap``.

    A force layout puts the best-tied nodes at the centre, on top of each
    other, where the biggest nodes and their names are drawn. Each round
    pushes every overlapping pair apart along the line between them, each
    node half the shortfall; pairs at one point part in a direction fixed by
    their order, so the result is deterministic. Stops when nothing overlaps
    or after ``rounds`` rounds.

    Parameters
    ----------
    positions : dict
        Node to ``(x, y)``.
    radii : dict
        Node to the radius it needs (its disc, or half its label's width).
    gap : float
        Room left between two discs.

    Returns
    -------
    dict
        Node to its new ``(x, y)``.

    >>> separate({"a": (0.0, 0.0), "b": (1.0, 0.0)}, {"a": 10, "b": 10}, gap=0)
    {'a': (-9.5, 0.0), 'b': (10.5, 0.0)}
    """
    from scipy.spatial import cKDTree  # scipy is installed for networkx's layouts anyway

    nodes = list(positions)
    if len(nodes) < 2:
        return dict(positions)
    points = np.array([positions[n] for n in nodes], dtype=float)
    radius = np.array([radii[n] for n in nodes], dtype=float)
    for _round in range(rounds):
        pairs = cKDTree(points).query_pairs(2 * radius.max() + gap, output_type="ndarray")
        if not len(pairs):
            break
        i, j = pairs[:, 0], pairs[:, 1]
        delta = points[j] - points[i]
        distance = np.hypot(delta[:, 0], delta[:, 1])
        short = radius[i] + radius[j] + gap - distance
        clash = short > 0.5  # half a canvas unit: closer than the eye can see
        if not clash.any():
            break
        i, j, delta, distance, short = i[clash], j[clash], delta[clash], distance[clash], short[clash]
        angle = (i * 2.399963 + j) % (2 * math.pi)  # golden angle: coincident pairs fan out
        fallback = np.column_stack([np.cos(angle), np.sin(angle)])
        unit = np.where(distance[:, None] > 1e-9, delta / np.maximum(distance, 1e-9)[:, None],
                        fallback)
        push = unit * (short / 2)[:, None]
        moves = np.zeros_like(points)
        np.add.at(moves, i, -push)
        np.add.at(moves, j, push)
        points += moves
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, points, strict=True)}


def _label_scaling(nodes: int) -> dict:
    """vis-network's label scaling for a picture of ``nodes`` nodes: the font grows from ``min``
    to ``max`` with the size metric and is drawn once it reaches ``drawThreshold`` pixels on
    screen, so small nodes' names appear as one zooms in."""
    if nodes <= NAME_ALL_LIMIT:  # every name shows, even zoomed out to fit
        return {"enabled": True, "min": 14, "max": 24, "drawThreshold": 8, "maxVisible": 26}
    return {"enabled": True, "min": 8, "max": 24, "drawThreshold": 13, "maxVisible": 26}


def _room_needed(labels: pd.Series, metric: pd.Series,
                 sizes: tuple = NODE_SIZES) -> tuple[pd.Series, pd.Series]:
    """Each node's radius as vis-network draws it, and half its label's width where the label
    shows (0 elsewhere)."""
    low, high = metric.min(), metric.max()
    scale = (metric - low) / (high - low) if high > low else pd.Series(0.5, index=metric.index)
    size = sizes[0] + scale * (sizes[1] - sizes[0])
    label = _label_scaling(len(labels))
    font = label["min"] + scale * (label["max"] - label["min"])
    half_label = (font * labels.map(_width_in_ems) / 2).where(font >= label["drawThreshold"], 0.0)
    return size, half_label


def _width_in_ems(text: str) -> float:
    """About how wide a label is drawn, in ems: 0.55 per Latin character of a sans-serif
    font, 1 per Japanese one (wide in Unicode's terms), of its first 28 characters (a long
    name may overlap a little).

    >>> _width_in_ems("Sato"), _width_in_ems("佐藤 遥")
    (2.2, 3.55)
    """
    return round(sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55
                     for c in str(text)[:28]), 2)


def _untangle(positions: dict, labels: pd.Series, metric: pd.Series,
              sizes: tuple = NODE_SIZES) -> dict:
    """Part the names that show from each other, then, up to UNTANGLE_ALL_LIMIT nodes, every
    node from every other.

    Names only need room from other names (a small node under a name reads
    fine), so the wide discs apply between named nodes alone, and the picture
    does not grow more than it must.
    """
    size, half_label = _room_needed(labels, metric, sizes)
    named = half_label[half_label > 0]
    positions = {**positions, **separate({n: positions[n] for n in named.index}, named.to_dict())}
    if len(positions) > UNTANGLE_ALL_LIMIT:
        return positions
    return separate(positions, size.to_dict())


@dataclass(frozen=True)
class Style:
    """How to colour and size the nodes."""

    color_by: str = "country"
    size_by: str = "degree"


def node_colors(nodes: pd.DataFrame, color_by: str, membership: pd.Series | None = None) -> pd.Series:
    """Each node's colour for a colouring choice (see COLOR_BY), from the shared palette."""
    if color_by == "community" and membership is not None:
        values = membership.reindex(nodes.index)
        return values.map(lambda v: palette.color("community", int(v)) if pd.notna(v) else palette.MISSING)
    if color_by == "cause":
        values = nodes["causes"].map(lambda c: c[0] if len(c) else "")
    elif color_by == "program":
        values = nodes["program"].where(nodes["kind"] == "alum", "organization")
    else:
        values = nodes[color_by]
    return values.map(lambda v: palette.color(color_by, v))


def legend(nodes: pd.DataFrame, colors: pd.Series, color_by: str,
           membership: pd.Series | None = None) -> list[dict]:
    """The colours in use, most frequent first: ``[{"label", "color", "count"}]``, named in
    the current language (countries by name, organization types translated; programs and
    causes as the data writes them).

    ``count`` is the number of alumni and organizations behind each colour: a
    node counts once, or, where nodes stand for groups (the community
    overview's ``members`` column), as its members.
    """
    if color_by == "community" and membership is not None:
        values = membership.reindex(nodes.index).map(
            lambda v: _("Community {number}", number=int(v) + 1))
    elif color_by == "cause":
        values = nodes["causes"].map(lambda c: c[0] if len(c) else _("no cause given"))
    elif color_by == "program":
        values = nodes["program"].where(nodes["kind"] == "alum", _("organization"))
    elif color_by == "country":
        values = nodes["country"].map(lambda c: country_name(c) if c else _("not given"))
    else:
        values = nodes[color_by].map(lambda v: _(v) if v else _("not given"))
    members = nodes["members"] if "members" in nodes else pd.Series(1, index=nodes.index)
    counts = (pd.DataFrame({"label": values, "color": colors, "count": members})
              .groupby(["label", "color"], as_index=False)["count"].sum()
              .sort_values(["count", "label"], ascending=[False, True]))
    return [{"label": str(r.label), "color": r.color, "count": int(r["count"])}
            for _, r in counts.head(12).iterrows()]


def node_facts(row: pd.Series, score: dict | None) -> list[str]:
    """What the drawing says of a node, its name first: the tooltip and the card beside the
    graph, in the current language.

    ``row`` is the node's row of an analysed view's node table; ``score`` its
    metrics, or None.
    """
    name = full_name(row)
    if row["kind"] == "community":  # one node for a whole community (the overview)
        return [name, _("{count} alumni and organizations", count=i18n.number(int(row["members"]))),
                _("Most common country: {country}", country=country_name(row["country"]))] + \
               ([_("Most common cause: {cause}", cause=row["causes"][0])] if len(row["causes"]) else [])
    if row["kind"] == "country":
        tied = int(score["degree"]) if score else 0
        return [name, ngettext("{count} alum", "{count} alumni", int(row["members"]),
                               count=i18n.number(int(row["members"]))),
                ngettext("Tied to {n} other country", "Tied to {n} other countries", tied)]
    lines = [name]
    if row["kind"] == "alum":
        # Translators: an alum's program and the year of their cohort ("SIFJ 2011").
        lines.append(_("{program} {year}", program=row["program"], year=row["cohort_year"])
                     if pd.notna(row["cohort_year"]) else str(row["program"]))
        if row["organization"]:
            lines.append(_("Organization: {name}", name=row["organization"]))
    else:
        sector = row["sector"]  # a key of the schema's ORG_TYPES, translated as shown
        lines.append(_("Organization ({type})", type=_(sector)) if sector else _("Organization"))
    country = country_name(row["country"])
    lines.append(_("Country: {country}, {region}", country=country,
                   region=region_name(row["country"], row["region"])) if row["region"]
                 else _("Country: {country}", country=country))
    if len(row["causes"]):
        lines.append(_("Causes: {causes}", causes=listed(row["causes"])))
    if score is not None:
        lines.append(_("Ties: {degree} · betweenness {betweenness} · eigenvector {eigenvector}",
                       degree=i18n.number(int(score["degree"])),
                       betweenness=f"{score['betweenness']:.3f}",
                       eigenvector=f"{score['eigenvector']:.3f}"))
    return lines


def build_network(graph: nx.Graph, nodes: pd.DataFrame, positions: dict, scores: pd.DataFrame,
                  style: Style, membership: pd.Series | None = None,
                  labelled: tuple = ()) -> tuple[Network, list[dict]]:
    """Fill a pyvis Network with positioned, coloured, sized nodes and edges.

    Nodes and edges are set on ``net.nodes``/``net.edges`` directly:
    ``Network.from_nx`` takes about 21 s at 5,000 nodes, this under 0.1 s.
    The positions are first moved apart (:func:`separate`) so that no node,
    and no name that shows, sits on another at the size this style draws it.
    Each node carries the ``year`` it joins the network (an alum's cohort
    year, or the year of its first tie, whichever comes first) and each edge
    the ``year`` its first tie began, so the drawing can grow year by year;
    edges carry ``cross`` (across a border). The nodes in ``labelled`` (the
    top brokers) have their names shown at every zoom.
    Returns the network and its legend.
    """
    nodes = nodes.loc[list(graph.nodes)]
    colors = node_colors(nodes, style.color_by, membership)
    # Nodes that stand for groups (countries, communities) are sized by their members.
    metric = nodes["members"].astype(float) ** 0.5 if "members" in nodes else \
        scores[style.size_by].reindex(nodes.index).fillna(0) if len(scores) else \
        pd.Series(0.0, index=nodes.index)
    sizes = GROUP_SIZES if "members" in nodes else NODE_SIZES
    names = pd.Series([short_name(row) for row in nodes.to_dict("records")], index=nodes.index,
                      dtype=object)
    positions = _untangle(positions, names, metric, sizes)
    heaviest = max((w for _, _, w in graph.edges(data="weight", default=1.0)), default=1.0)
    net = Network(height="100%", width="100%", cdn_resources="remote")
    kinds_shown = lru_cache(maxsize=None)(tie_kind_names)  # a few kinds, thousands of edges
    score_rows = scores.to_dict("index") if len(scores) else {}
    first_tie: dict = {}
    for s, t, year in graph.edges(data="start_year"):
        if year is not None and pd.notna(year):
            for end in (s, t):
                first_tie[end] = min(first_tie.get(end, year), year)
    labelled = set(labelled)
    net.nodes = [{
        "id": str(node), "label": names[node],
        "x": round(positions[node][0], 1), "y": round(positions[node][1], 1), "color": colors[node],
        "value": round(float(metric[node]), 4), **({"shape": "square"} if row["kind"] == "org" else {}),
        "tooltip": node_facts(row, score_rows.get(node)),
        "year": _first_year(row.get("cohort_year"), first_tie.get(node)),
        **(BROKER_LABEL if node in labelled else {}),
    } for node, row in nodes.iterrows()]
    net.edges = [{
        "from": str(s), "to": str(t),
        # Between groups a line is as wide as the ties it stands for; between people, gently.
        "width": round(1 + 15 * math.sqrt(d.get("weight", 1) / heaviest) if "members" in nodes
                       else 1 + math.log1p(d.get("weight", 1)), 2),
        "cross": bool(d.get("cross_border")),
        "year": _first_year(d.get("start_year"), None),
        "kinds": kinds_shown(d.get("kinds", "")), "ties": int(d.get("ties", 1)),
    } for s, t, d in graph.edges(data=True)]
    net.options = {
        "physics": {"enabled": False},
        "edges": {"smooth": False, "selectionWidth": 2, "font": {"face": palette.FONT_FAMILY}},
        # Node size follows the chosen metric; labels scale with it and small
        # nodes' labels appear only when zoomed in, so the picture stays readable.
        "nodes": {"shape": "dot", "font": {"size": 14, "strokeWidth": 3, "strokeColor": "#ffffff",
                                           "face": palette.FONT_FAMILY},
                  "borderWidth": 1,
                  "scaling": {"min": sizes[0], "max": sizes[1],
                              "label": _label_scaling(len(net.nodes))}},
        "interaction": {"hover": True, "tooltipDelay": 120, "navigationButtons": False,
                        "hideEdgesOnDrag": len(net.edges) > 2000,
                        "hideEdgesOnZoom": len(net.edges) > 2000},
    }
    return net, legend(nodes, colors, style.color_by, membership)


# A top broker's name shows at every zoom, larger than the rest.
BROKER_LABEL = {"font": {"size": 20, "strokeWidth": 4, "strokeColor": "#ffffff", "face": palette.FONT_FAMILY},
                "scaling": {"label": {"enabled": False}}}


def _first_year(*years) -> int | None:
    known = [int(y) for y in years if y is not None and pd.notna(y)]
    return min(known) if known else None


EDGE_FIELDS = ("from", "to", "width", "cross", "year", "kinds", "ties")


def drawing_words() -> dict:
    """Every word graph.js shows, in the current language (it has none of its own):
    sentences with ``{placeholders}`` it fills, counts of ties as ``[one, many]``, and the
    ``locale`` its numbers are written in."""
    ties = [ngettext("{count} tie", "{count} ties", n, count="{count}") for n in (1, 2)]
    return {
        "find": _("Find a person or organization"), "no_match": _("no match"),
        "play": _("Play"), "pause": _("Pause"),
        "play_growth": _("Play the growth"), "pause_growth": _("Pause the growth"),
        "year": _("Year"), "cross": _("Highlight cross-border ties"), "legend": _("Legend"),
        "graph": _("Network graph"), "ties": ties, "across": _("across a border"),
        "growth": _("{year} · {nodes} nodes · {ties} ties · {share} cross-border"),
        "locale": {"en": "en-US", "ja": "ja-JP"}[i18n.language()],
    }


def graph_data(net: Network, legend_items: list[dict], title: str,
               selected: str | None = None) -> dict:
    """What graph.js draws, as plain data: nodes, edges, options, legend, the span of ``years``
    the drawing grows over (None when nothing is dated), the ``selected`` node, and the words
    it shows (``labels``, :func:`drawing_words`)."""
    years = [item["year"] for item in (*net.nodes, *net.edges) if item["year"] is not None]
    # Edges go as rows of EDGE_FIELDS, their colour and tooltip made by graph.js: on the sample
    # this halves what a page run sends (756 ties: 124 KB as objects, 40 KB as rows).
    return {"nodes": net.nodes, "edge_fields": list(EDGE_FIELDS),
            "edges": [[edge[f] for f in EDGE_FIELDS] for edge in net.edges],
            "colors": {"cross": palette.CROSS_BORDER, "home": palette.DOMESTIC},
            "options": net.options,
            "legend": legend_items, "title": title, "selected": selected,
            "labels": drawing_words(),
            "years": [min(years), max(years)] if years else None,
            # A small picture (six countries) may be enlarged to fill the frame.
            "maxZoom": 4 if len(net.nodes) <= NAME_ALL_LIMIT else 1}


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    read = lambda path: path.read_text(encoding="utf-8")  # noqa: E731
    return {"vis_js": read(VIS_JS), "graph_js": read(TEMPLATE_DIR / "graph.js"),
            "graph_css": read(TEMPLATE_DIR / "graph.css")}


def graph_assets() -> dict[str, str]:
    """The drawing's own script and style (``graph_js``, ``graph_css``) and vis-network's
    script (``vis_js``), as text."""
    return _assets()


def json_for_script(value) -> str:
    """JSON that cannot close the <script> element it sits in."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def network_html(data: dict, subtitle: str = "", height: str = "720px", footer: str = "") -> str:
    """Return a self-contained HTML page drawing :func:`graph_data`: no request leaves the page.

    The page (graph.js) has a search box that highlights a node and its
    neighbours, a legend, a play control that grows the network year by
    year, a cross-border highlight, a panel with the clicked node's details,
    text-only tooltips, and ``footer`` (whom the file is for) at its foot.
    It is in the current language (``<html lang>``, its words) and palette.FONT_FAMILY.
    """
    assets = {name: Markup(text.replace("</script", "<\\/script").replace("</style", "<\\/style"))
              for name, text in _assets().items()}
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR),
                                     autoescape=True)
    return environment.get_template("network.html").render(
        title=data["title"], subtitle=subtitle, height=height, footer=footer, **assets,
        lang=i18n.language(), font=Markup(palette.FONT_FAMILY),
        data=Markup(json_for_script(data)))


def describe(analysis) -> str:
    """A one-line description of a view, in the current language: its level, countries, year
    and size."""
    selection = analysis.selection
    values = {"level": _(LEVEL_NAMES[analysis.level]), "scope": scope_name(selection.countries),
              "nodes": i18n.number(analysis.graph.number_of_nodes()),
              "ties": i18n.number(analysis.graph.number_of_edges())}
    if selection.as_of is None:
        return _("{level} · {scope} · {nodes} nodes, {ties} ties", **values)
    return _("{level} · {scope}, as of {year} · {nodes} nodes, {ties} ties", year=selection.as_of,
             **values)


def view_data(analysis, style: Style = Style(), title: str | None = None,
              positions: dict | None = None, geography: bool = False) -> dict:
    """What graph.js draws for an analysed view (see :func:`graph_data`), its top brokers named.

    Parameters
    ----------
    analysis : AnalysedView
    style : Style
        How nodes are coloured and sized.
    title : str, optional
        The drawing's name; "Kizuna collaboration network" in the current language by default.
    positions : dict, optional
        A layout computed before (the app caches one per view); computed here otherwise.
    geography : bool
        Whether the positions are :func:`geographic_layout`'s: each country's region then
        carries its name.
    """
    positions = layout(analysis.graph) if positions is None else positions
    net, items = build_network(analysis.graph, analysis.nodes, positions, analysis.scores, style,
                               analysis.membership, labelled=top_brokers(analysis))
    data = graph_data(net, items, title or _("Kizuna collaboration network"))
    if geography and analysis.nodes["country"].duplicated().any():  # regions of several nodes
        data["nodes"] += region_labels(positions, analysis.nodes, country_names(analysis.nodes))
    return data


def standalone_html(analysis, audience: Audience, style: Style = Style(),
                    title: str | None = None, positions: dict | None = None,
                    geography: bool = False, made_by: str | None = None) -> str:
    """The offline HTML page of an analysed view (see :mod:`analytics.network.analysis`),
    in the current language, saying at its foot which audience it was made for.

    Parameters
    ----------
    analysis : AnalysedView
        Built from tables redacted for ``audience``.
    audience : Audience
        Whom the file is for: named in its footer with the rules applied.
    style, title, positions, geography
        As for :func:`view_data`.
    made_by : str, optional
        The signed-in staff member who made it, named in the footer.
    """
    return network_html(view_data(analysis, style, title, positions, geography),
                        describe(analysis), footer=made_for(audience, made_by))


def country_names(nodes: pd.DataFrame) -> dict:
    """Each country of ``nodes`` by its name in the current language."""
    return {c: country_name(c) for c in set(nodes["country"]) if c}


LABELLED_BROKERS = 5


def top_brokers(analysis) -> tuple:
    """The LABELLED_BROKERS nodes a drawing names at every zoom: the top brokers across borders
    (:func:`analytics.network.metrics.brokers`), where the view has people and organizations."""
    if analysis.level not in ("people and organizations", "alumni"):
        return ()
    return tuple(metrics.brokers(analysis.graph, analysis.scores, top=LABELLED_BROKERS).index)

