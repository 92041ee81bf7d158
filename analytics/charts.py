"""Plotly figures built from analytics results: the same figure on a page and in a report.

Every figure has titled axes with units, uses the shared palette, and stays
readable on light and dark backgrounds (transparent paper, mid-tone colours).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from analytics import palette
from analytics.countries import country_name
from analytics.geo import country_centroids


def country_map(pairs: pd.DataFrame, title: str = "Ties between countries") -> go.Figure:
    """Arcs between countries, as wide as their ties, over a Pacific-centred map.

    Parameters
    ----------
    pairs : DataFrame
        ``country_a``, ``country_b``, ``edges``, as from
        :func:`analytics.network.country_level`; rows with the same country
        twice are domestic ties and size that country's marker.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    centroids = country_centroids()
    figure = go.Figure()
    cross = pairs[(pairs["country_a"] != pairs["country_b"])
                  & pairs["country_a"].isin(centroids.index) & pairs["country_b"].isin(centroids.index)]
    widest = cross["edges"].max() if len(cross) else 1
    for row in cross.itertuples(index=False):
        a, b = centroids.loc[row.country_a], centroids.loc[row.country_b]
        figure.add_trace(go.Scattergeo(
            lon=[a["lon"], b["lon"]], lat=[a["lat"], b["lat"]], mode="lines",
            line={"width": 1 + 9 * row.edges / widest, "color": palette.CROSS_BORDER},
            hoverinfo="text", showlegend=False,
            text=f"{country_name(row.country_a)} – {country_name(row.country_b)}: {row.edges} ties"))
    totals = pd.concat([
        pairs[["country_a", "edges"]].rename(columns={"country_a": "country"}),
        pairs.loc[pairs["country_a"] != pairs["country_b"], ["country_b", "edges"]]
        .rename(columns={"country_b": "country"}),
    ]).groupby("country")["edges"].sum()
    domestic = pairs[pairs["country_a"] == pairs["country_b"]].set_index("country_a")["edges"]
    shown = totals[totals.index.isin(centroids.index)]
    if len(shown):
        figure.add_trace(go.Scattergeo(
            lon=centroids.loc[shown.index, "lon"], lat=centroids.loc[shown.index, "lat"],
            mode="markers+text", text=list(shown.index), textposition="top center",
            marker={"size": 10 + 30 * np.sqrt(shown / shown.max()),
                    "color": [palette.color("country", c) for c in shown.index],
                    "line": {"width": 1, "color": "#ffffff"}},
            hovertext=[f"{country_name(c)}: {n} ties, {domestic.get(c, 0)} of them at home"
                       for c, n in shown.items()],
            hoverinfo="text", showlegend=False))
    missing = sorted(set(totals.index) - set(centroids.index))
    figure.update_geos(projection_type="natural earth", projection_rotation_lon=160,
                       showcountries=True, countrycolor="rgba(128,128,128,0.4)",
                       showland=True, landcolor="rgba(128,128,128,0.15)",
                       showocean=False, showframe=False, lataxis_range=[-45, 70],
                       lonaxis_range=[-120, 120], bgcolor="rgba(0,0,0,0)")
    figure.update_layout(title=title, height=520, margin={"l": 0, "r": 0, "t": 50, "b": 0},
                         paper_bgcolor="rgba(0,0,0,0)")
    if missing:
        figure.add_annotation(text="Not on the map (no coordinates): " + ", ".join(missing),
                              showarrow=False, x=0, y=0, xref="paper", yref="paper")
    return figure


def growth_chart(growth: pd.DataFrame) -> go.Figure:
    """Lines of edges and cross-border edges per year (cumulative), with countries reached."""
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=growth.index, y=growth["edges"], name="Ties", mode="lines+markers"))
    figure.add_trace(go.Scatter(x=growth.index, y=growth["cross_border"], name="Cross-border ties",
                                mode="lines+markers", line={"color": palette.CROSS_BORDER[:7]}))
    figure.add_trace(go.Bar(x=growth.index, y=growth["countries"], name="Countries reached",
                            yaxis="y2", opacity=0.35, marker_color=palette.MISSING))
    figure.update_layout(
        title="The network's growth", height=380, margin={"t": 50},
        xaxis={"title": "Year", "dtick": 1},
        yaxis={"title": "Ties (cumulative, count)"},
        yaxis2={"title": "Countries reached (count)", "overlaying": "y", "side": "right",
                "range": [0, (growth["countries"].max() if len(growth) else 0) + 1], "dtick": 1,
                "showgrid": False},
        legend={"orientation": "h", "y": -0.2})
    return figure
