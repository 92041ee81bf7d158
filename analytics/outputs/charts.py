"""Plotly figures built from analytics results: the same figure on a page and in a report.

Every figure has titled axes with units, uses the shared palette, and stays
readable on light and dark backgrounds (transparent paper, mid-tone colours).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go

from analytics import palette
from analytics.data.countries import country_name
from analytics.data.places import country_centroids, pacific_map


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
    pacific_map(figure)
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


def _colors(kind: str, values) -> dict:
    return {v: palette.color(kind, v) for v in pd.unique(pd.Series(list(values)))}


def _finish(figure: go.Figure, title: str, x: str, y: str, height: int = 380) -> go.Figure:
    figure.update_layout(title=title, height=height, margin={"t": 50, "b": 40},
                         xaxis_title=x, yaxis_title=y, legend_title_text="",
                         legend={"orientation": "h", "yanchor": "top", "y": -0.22, "x": 0},
                         paper_bgcolor="rgba(0,0,0,0)")
    return figure


def alumni_per_cohort_chart(per_cohort: pd.DataFrame) -> go.Figure:
    """Stacked bars: alumni per cohort, coloured by program, in training order."""
    frame = per_cohort
    figure = px.bar(frame, x="cohort", y="alumni", color="program",
                    color_discrete_map=_colors("program", frame["program"]),
                    category_orders={"cohort": list(dict.fromkeys(frame["cohort"]))},
                    hover_data=["cohort_year"])
    figure.update_xaxes(type="category")  # "2011" is a cohort's name here, not a number
    return _finish(figure, "Alumni per cohort", "Cohort", "Alumni (people)", height=420)


def cumulative_alumni_chart(cumulative: pd.DataFrame) -> go.Figure:
    """Stacked areas: alumni trained up to each year, by program."""
    figure = px.area(cumulative, x="cohort_year", y="alumni", color="program",
                     color_discrete_map=_colors("program", cumulative["program"]))
    figure.update_xaxes(dtick=1)
    return _finish(figure, "Alumni over time (cumulative)", "Year", "Alumni trained (people)")


def alumni_by_chart(frame: pd.DataFrame, column: str) -> go.Figure:
    """Stacked bars: alumni per cohort year by country or cause."""
    figure = px.bar(frame, x="cohort_year", y="alumni", color=column,
                    color_discrete_map=_colors(column, frame[column]))
    figure.update_xaxes(dtick=1)
    name = "Country" if column == "country" else "Cause"
    note = " (an alum counts once per cause)" if column == "cause" else ""
    return _finish(figure, f"Alumni by {name.lower()} across cohorts{note}", "Cohort year",
                   "Alumni (people)")


def projects_per_year_chart(per_year: pd.DataFrame) -> go.Figure:
    """Stacked bars: projects started per year, by cause."""
    figure = px.bar(per_year, x="start_year", y="projects", color="cause",
                    color_discrete_map=_colors("cause", per_year["cause"]))
    figure.update_xaxes(dtick=1)
    return _finish(figure, "Projects started per year, by cause", "Year started", "Projects (count)")


def reach_chart(reach: pd.DataFrame) -> go.Figure:
    """Beneficiaries (bars) and funds raised (line) of the projects started each year, cumulative."""
    figure = go.Figure()
    figure.add_trace(go.Bar(x=reach["start_year"], y=reach["beneficiaries_total"],
                            name="Beneficiaries (cumulative)", marker_color=palette.QUALITATIVE[4]))
    figure.add_trace(go.Scatter(x=reach["start_year"], y=reach["funds_total"], yaxis="y2",
                                name="Funds raised (cumulative, USD)", mode="lines+markers",
                                line={"color": palette.QUALITATIVE[1]}))
    figure.update_layout(yaxis2={"title": "Funds raised (USD)", "overlaying": "y", "side": "right",
                                 "showgrid": False, "rangemode": "tozero"},
                         legend={"orientation": "h", "y": -0.25})
    figure.update_xaxes(dtick=1)
    return _finish(figure, "Beneficiaries and funds over time", "Year the project started",
                   "Beneficiaries (people)")


def targets_chart(frame: pd.DataFrame) -> go.Figure:
    """Bars of actuals with target markers, one panel row per metric."""
    figure = go.Figure()
    for label, rows in frame.groupby("label", sort=False):
        figure.add_trace(go.Bar(x=rows["year"], y=rows["actual"], name=f"{label}: actual",
                                marker_color=palette.QUALITATIVE[0]))
        figure.add_trace(go.Scatter(x=rows["year"], y=rows["target"], name=f"{label}: target",
                                    mode="markers", marker={"symbol": "line-ew-open", "size": 28,
                                                            "line": {"width": 3},
                                                            "color": palette.QUALITATIVE[2]}))
    figure.update_xaxes(dtick=1)
    return _finish(figure, "Targets and actuals", "Year", "Value (the metric's unit)")


def projects_by_cause_status_chart(projects: pd.DataFrame) -> go.Figure:
    """Stacked bars: projects per cause, coloured by status."""
    counts = projects.groupby(["cause", "status"], as_index=False).size()
    status_colors = {"planned": palette.QUALITATIVE[9], "active": palette.QUALITATIVE[4],
                     "completed": palette.QUALITATIVE[0], "paused": palette.QUALITATIVE[5]}
    figure = px.bar(counts, x="size", y="cause", color="status", orientation="h",
                    color_discrete_map=status_colors,
                    category_orders={"status": list(status_colors)})
    return _finish(figure, "Projects by cause and status", "Projects (count)", "Cause")


def projects_map(projects: pd.DataFrame) -> go.Figure:
    """Bubbles where projects run, sized by how many, over a Pacific-centred map."""
    centroids = country_centroids()
    counts = projects.groupby("country").agg(projects=("project_id", "size"),
                                             beneficiaries=("beneficiaries", "sum"))
    counts = counts[counts.index.isin(centroids.index)]
    figure = go.Figure(go.Scattergeo(
        lon=centroids.loc[counts.index, "lon"], lat=centroids.loc[counts.index, "lat"],
        mode="markers+text", text=list(counts.index), textposition="top center",
        marker={"size": 12 + 36 * np.sqrt(counts["projects"] / max(counts["projects"].max(), 1)),
                "color": [palette.color("country", c) for c in counts.index],
                "line": {"width": 1, "color": "#ffffff"}},
        hovertext=[f"{country_name(c)}: {int(r.projects)} projects, {int(r.beneficiaries):,} "
                   "beneficiaries" for c, r in counts.iterrows()], hoverinfo="text"))
    pacific_map(figure)
    figure.update_layout(title="Where the projects run", height=460,
                         margin={"l": 0, "r": 0, "t": 50, "b": 0}, paper_bgcolor="rgba(0,0,0,0)")
    return figure


def alumni_map(by_region: pd.DataFrame) -> go.Figure:
    """Bubbles at each prefecture, state or country centroid, sized by alumni; zoomed to the data.

    Each point carries ``[country, region]`` as customdata, so a click can filter by place.
    """
    largest = max(int(by_region["alumni"].max()), 1) if len(by_region) else 1
    place = by_region["region"].where(by_region["region"] != "",
                                      by_region["country"].map(country_name))
    figure = go.Figure(go.Scattergeo(
        lon=by_region["lon"], lat=by_region["lat"], mode="markers",
        customdata=by_region[["country", "region"]].to_numpy(),
        marker={"size": 8 + 34 * np.sqrt(by_region["alumni"] / largest),
                "color": [palette.color("country", c) for c in by_region["country"]],
                "line": {"width": 1, "color": "#ffffff"}, "opacity": 0.85},
        hovertext=[f"{p}: {n} alumni" for p, n in zip(place, by_region["alumni"], strict=True)],
        hoverinfo="text"))
    # Zoomed to the bubbles, unlike the world maps: prefectures sit close together.
    figure.update_geos(fitbounds="locations", showcountries=True, showland=True,
                       landcolor="rgba(128,128,128,0.15)", countrycolor="rgba(128,128,128,0.4)",
                       showframe=False, bgcolor="rgba(0,0,0,0)", projection_type="mercator")
    figure.update_layout(title="Alumni by place (click a bubble to list its alumni)", height=460,
                         margin={"l": 0, "r": 0, "t": 50, "b": 0}, paper_bgcolor="rgba(0,0,0,0)")
    return figure
