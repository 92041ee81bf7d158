"""Plotly figures built from analytics results: the same figure on a page and in a report.

Every figure has titled axes with units, uses the shared palette and fonts, and
stays readable on light and dark backgrounds (transparent paper, mid-tone colours).
Its words (titles, axes, legends, hover text) are in the current language
(:mod:`analytics.i18n`), countries and places by name: a figure is made once per
language (``ui.cached.derived`` keys it by the language). Each figure carries a
language-free file name in ``layout.meta["name"]`` for the forum pack.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from analytics import i18n, palette
from analytics.data.countries import country_name, region_name
from analytics.data.places import country_centroids, pacific_map
from analytics.i18n import N_, _, listed, ngettext
from analytics.impact.outcomes import BASELINE, wave_name, wave_order
from analytics.selection import isin

# A horizontal legend at the foot of the figure, below the x axis's title whatever the
# figure's width: placed against the whole figure ("container"), it pushes the bottom margin
# by as many rows as its names take, where a legend placed at a fraction of the plot's height
# ran over the axis title once long names ("TOMODACHI Microsoft iLEAP") wrapped or the
# ticks were turned.
LEGEND_BELOW = {"orientation": "h", "yref": "container", "y": 0, "yanchor": "bottom",
                "x": 0, "xanchor": "left", "title_text": ""}


def _named(figure: go.Figure, name: str) -> go.Figure:
    """A figure in the shared fonts (Japanese among them), with its file name for exports."""
    figure.update_layout(font_family=palette.FONT_FAMILY, meta={"name": name})
    return figure


def country_map(pairs: pd.DataFrame, title: str | None = None, height: int = 520) -> go.Figure:
    """Arcs between countries, as wide as their ties, over a Pacific-centred map.

    Parameters
    ----------
    pairs : DataFrame
        ``country_a``, ``country_b``, ``edges``, as from
        :func:`analytics.network.country_level`; rows with the same country
        twice are domestic ties and size that country's marker.
    title : str, optional
        In the current language; "Ties between countries" by default.

    Returns
    -------
    plotly.graph_objects.Figure
    """
    centroids = country_centroids()
    figure = go.Figure()
    cross = pairs[(pairs["country_a"] != pairs["country_b"])
                  & isin(pairs["country_a"], centroids.index) & isin(pairs["country_b"], centroids.index)]
    widest = cross["edges"].max() if len(cross) else 1
    for row in cross.itertuples(index=False):
        a, b = centroids.loc[row.country_a], centroids.loc[row.country_b]
        figure.add_trace(go.Scattergeo(
            lon=[a["lon"], b["lon"]], lat=[a["lat"], b["lat"]], mode="lines",
            line={"width": 1 + 9 * row.edges / widest, "color": palette.CROSS_BORDER},
            hoverinfo="text", showlegend=False,
            text=ngettext("{first} – {second}: {count} tie", "{first} – {second}: {count} ties",
                          int(row.edges), first=country_name(row.country_a),
                          second=country_name(row.country_b), count=i18n.number(row.edges))))
    totals = pd.concat([
        pairs[["country_a", "edges"]].rename(columns={"country_a": "country"}),
        pairs.loc[pairs["country_a"] != pairs["country_b"], ["country_b", "edges"]]
        .rename(columns={"country_b": "country"}),
    ]).groupby("country")["edges"].sum()
    domestic = pairs[pairs["country_a"] == pairs["country_b"]].set_index("country_a")["edges"]
    shown = totals[isin(totals.index, centroids.index)]
    if len(shown):
        figure.add_trace(go.Scattergeo(
            lon=centroids.loc[shown.index, "lon"], lat=centroids.loc[shown.index, "lat"],
            mode="markers+text", text=[country_name(c) for c in shown.index],
            textposition="top center",
            marker={"size": 10 + 30 * np.sqrt(shown / shown.max()),
                    "color": [palette.color("country", c) for c in shown.index],
                    "line": {"width": 1, "color": "#ffffff"}},
            hovertext=[ngettext("{country}: {count} tie, {home} of them at home",
                                "{country}: {count} ties, {home} of them at home", int(n),
                                country=country_name(c), count=i18n.number(n),
                                home=i18n.number(domestic.get(c, 0)))
                       for c, n in shown.items()],
            hoverinfo="text", showlegend=False))
    missing = sorted(set(totals.index) - set(centroids.index))
    pacific_map(figure)
    figure.update_layout(title=title or _("Ties between countries"), height=height,
                         margin={"l": 0, "r": 0, "t": 50, "b": 0}, paper_bgcolor="rgba(0,0,0,0)")
    if missing:
        figure.add_annotation(text=_("Not on the map (no coordinates): {countries}",
                                     countries=listed(map(country_name, missing))),
                              showarrow=False, x=0, y=0, xref="paper", yref="paper")
    return _named(figure, "ties-between-countries")


def growth_chart(growth: pd.DataFrame) -> go.Figure:
    """Lines of edges and cross-border edges per year (cumulative), with countries reached."""
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=growth.index, y=growth["edges"], name=_("Ties"),
                                mode="lines+markers"))
    figure.add_trace(go.Scatter(x=growth.index, y=growth["cross_border"],
                                name=_("Cross-border ties"), mode="lines+markers",
                                line={"color": palette.CROSS_BORDER[:7]}))
    figure.add_trace(go.Bar(x=growth.index, y=growth["countries"], name=_("Countries reached"),
                            yaxis="y2", opacity=0.35, marker_color=palette.MISSING))
    figure.update_layout(
        title=_("The network's growth"), height=380, margin={"t": 50},
        xaxis={"title": _("Year"), "dtick": 1},
        yaxis={"title": _("Ties (cumulative, count)")},
        yaxis2={"title": _("Countries reached (count)"), "overlaying": "y", "side": "right",
                "range": [0, (growth["countries"].max() if len(growth) else 0) + 1], "dtick": 1,
                "showgrid": False},
        legend=LEGEND_BELOW)
    return _named(figure, "network-growth")


def _colors(kind: str, values) -> dict:
    return {v: palette.color(kind, v) for v in pd.unique(pd.Series(list(values)))}


def _finish(figure: go.Figure, name: str, title: str, x: str, y: str,
            height: int = 380) -> go.Figure:
    figure.update_layout(title=title, height=height, margin={"t": 50, "b": 10, "r": 20},
                         xaxis_title=x, yaxis_title=y, legend=LEGEND_BELOW,
                         paper_bgcolor="rgba(0,0,0,0)")
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return _named(figure, name)


# A word of Latin script, a unit in brackets (half or full width), or one character of a script
# written without spaces (Japanese), with the punctuation that may not begin a line glued to it.
_PIECES = re.compile(r"\([^)]*\)|（[^）]*）|[^\s(（\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]+"
                     r"|[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef][、。，．）」』ー・ぁぃぅぇぉっゃゅょァィゥェォッャュョ]*")


def _wrap(text: str, width: int = 34) -> str:
    """Text broken into lines of about ``width`` columns with <br>, for an axis title; a unit
    in brackets stays on one line. Japanese breaks between characters (each two columns wide),
    Latin words at spaces.

    >>> _wrap("Confidence leading cross-sector change (score 1-5)", 30)
    'Confidence leading<br>cross-sector change<br>(score 1-5)'
    >>> _wrap("越境の協働につながった紹介の数（件）", 20)
    '越境の協働につながっ<br>た紹介の数（件）'
    """
    text = str(text)
    lines: list[str] = []
    end = 0
    for piece in _PIECES.finditer(text):
        word, spaced = piece.group(), bool(text[end:piece.start()].strip() == ""
                                           and piece.start() > end)
        end = piece.end()
        joint = " " if spaced else ""
        if lines and i18n.text_width(lines[-1]) + i18n.text_width(joint + word) <= width:
            lines[-1] += joint + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _labels(**columns: str) -> dict[str, str]:
    """Column names as a chart's hover text shows them, in the current language."""
    return {column: _(label) for column, label in columns.items()}


def alumni_per_cohort_chart(per_cohort: pd.DataFrame) -> go.Figure:
    """Stacked bars: alumni per cohort, coloured by program, in training order."""
    frame = per_cohort
    figure = px.bar(frame, x="cohort", y="alumni", color="program",
                    color_discrete_map=_colors("program", frame["program"]),
                    category_orders={"cohort": list(dict.fromkeys(frame["cohort"]))},
                    hover_data=["cohort_year"],
                    labels=_labels(cohort=N_("Cohort"), alumni=N_("Alumni"),
                                   program=N_("Program"), cohort_year=N_("Cohort year")))
    figure.update_xaxes(type="category")  # "2011" is a cohort's name here, not a number
    return _finish(figure, "alumni-per-cohort", _("Alumni per cohort"), _("Cohort"),
                   _("Alumni (people)"), height=420)


def cumulative_alumni_chart(cumulative: pd.DataFrame, height: int = 380) -> go.Figure:
    """Stacked areas: alumni trained up to each year, by program."""
    figure = px.area(cumulative, x="cohort_year", y="alumni", color="program",
                     color_discrete_map=_colors("program", cumulative["program"]),
                     labels=_labels(cohort_year=N_("Year"), alumni=N_("Alumni trained"),
                                    program=N_("Program")))
    figure.update_xaxes(dtick=1 if height >= 380 else 2)
    return _finish(figure, "alumni-over-time", _("Alumni over time (cumulative)"), _("Year"),
                   _("Alumni trained (people)"), height=height)


def alumni_by_chart(frame: pd.DataFrame, column: str) -> go.Figure:
    """Stacked bars: alumni per cohort year by country (named) or cause."""
    colors = _colors(column, frame[column])
    if column == "country":  # each country keeps its code's colour under its name
        colors = {country_name(code): color for code, color in colors.items()}
        frame = frame.assign(country=frame["country"].map(country_name))
    figure = px.bar(frame, x="cohort_year", y="alumni", color=column, color_discrete_map=colors,
                    labels=_labels(cohort_year=N_("Cohort year"), alumni=N_("Alumni"),
                                   country=N_("Country"), cause=N_("Cause")))
    figure.update_xaxes(dtick=1)
    title = (_("Alumni by country across cohorts") if column == "country" else
             _("Alumni by cause across cohorts (an alum counts once per cause)"))
    return _finish(figure, f"alumni-by-{column}", title, _("Cohort year"), _("Alumni (people)"))


def projects_per_year_chart(per_year: pd.DataFrame) -> go.Figure:
    """Stacked bars: projects started per year, by cause."""
    figure = px.bar(per_year, x="start_year", y="projects", color="cause",
                    color_discrete_map=_colors("cause", per_year["cause"]),
                    labels=_labels(start_year=N_("Year started"), projects=N_("Projects"),
                                   cause=N_("Cause")))
    figure.update_xaxes(dtick=1)
    return _finish(figure, "projects-per-year", _("Projects started per year, by cause"),
                   _("Year started"), _("Projects (count)"))


def reach_chart(reach: pd.DataFrame) -> go.Figure:
    """Beneficiaries (bars) and funds raised (line) of the projects started each year, cumulative.

    Funds are in the data's currency (US dollars), never converted."""
    figure = go.Figure()
    figure.add_trace(go.Bar(x=reach["start_year"], y=reach["beneficiaries_total"],
                            name=_("Beneficiaries (cumulative)"),
                            marker_color=palette.QUALITATIVE[4]))
    figure.add_trace(go.Scatter(x=reach["start_year"], y=reach["funds_total"], yaxis="y2",
                                name=_("Funds raised (cumulative, US dollars)"),
                                mode="lines+markers", line={"color": palette.QUALITATIVE[1]}))
    figure.update_layout(yaxis2={"title": _("Funds raised (US dollars)"), "overlaying": "y",
                                 "side": "right", "showgrid": False, "rangemode": "tozero",
                                 "tickmode": "auto", "tickprefix": "$", "tickformat": "~s",
                                 "automargin": True})
    figure.update_xaxes(dtick=1)
    return _finish(figure, "beneficiaries-and-funds", _("Beneficiaries and funds over time"),
                   _("Year the project started"), _("Beneficiaries (people)"))


# What a target's figure counts, in words, for its axis (KPI_DEFINITIONS' keys), in English:
# shown with _().
METRIC_UNITS = {
    "alumni": N_("people"), "organizations": N_("organizations"), "countries": N_("countries"),
    "projects_launched": N_("projects"), "projects_active": N_("projects"),
    "beneficiaries": N_("people"), "funds_raised": N_("US dollars"),
    "program_funding": N_("US dollars"), "leverage": N_("dollars raised per dollar of funding"),
    "cross_border": N_("partnerships"), "cross_border_share": N_("% of partnerships"),
    "active_alumni": N_("people"), "introductions": N_("introductions"),
    "introductions_to_ties": N_("introductions"),
}


def targets_chart(frame: pd.DataFrame) -> go.Figure:
    """Bars of actuals with target markers, one panel per metric, each axis in its own unit.

    ``frame`` is :func:`analytics.impact.kpis.targets_vs_actuals`: ``metric``,
    ``label`` (in the current language), ``year``, ``target``, ``actual``.
    """
    metrics = list(dict.fromkeys(frame["metric"]))
    figure = make_subplots(rows=max(len(metrics), 1), cols=1, shared_xaxes=True,
                           vertical_spacing=0.08)
    for row, metric in enumerate(metrics, start=1):
        rows = frame[frame["metric"] == metric]
        label = rows["label"].iloc[0]
        first = row == 1
        # Plotly fills in the year and the value where the hover text names them.
        point = {"label": label, "year": "%{x}", "value": "%{y:,}"}
        figure.add_trace(go.Bar(x=rows["year"], y=rows["actual"], name=_("Actual"),
                                legendgroup="actual", showlegend=first,
                                marker_color=palette.QUALITATIVE[0],
                                hovertemplate=_("{label}, {year}: {value} actual", **point)
                                + "<extra></extra>"),
                         row=row, col=1)
        figure.add_trace(go.Scatter(x=rows["year"], y=rows["target"], name=_("Target"),
                                    legendgroup="target", showlegend=first, mode="markers",
                                    marker={"symbol": "line-ew-open", "size": 28,
                                            "line": {"width": 3}, "color": palette.QUALITATIVE[2]},
                                    hovertemplate=_("{label}, {year}: {value} target", **point)
                                    + "<extra></extra>"),
                         row=row, col=1)
        unit = METRIC_UNITS.get(metric, "")
        figure.update_yaxes(title_text=_wrap(_("{label} ({unit})", label=label, unit=_(unit))
                                             if unit else label, 28),
                            row=row, col=1, rangemode="tozero",
                            tickformat=".0%" if metric == "cross_border_share" else None)
    figure.update_xaxes(dtick=1)
    figure.update_xaxes(title_text=_("Year"), row=len(metrics) or 1, col=1)
    height = 300 + 180 * max(len(metrics) - 1, 0)
    figure.update_layout(title=_("Targets and actuals"), height=height, margin={"t": 50, "b": 10},
                         legend=LEGEND_BELOW, paper_bgcolor="rgba(0,0,0,0)", bargap=0.3)
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    return _named(figure, "targets-and-actuals")


STATUS_COLORS = {"planned": palette.QUALITATIVE[9], "active": palette.QUALITATIVE[4],
                 "completed": palette.QUALITATIVE[0], "paused": palette.QUALITATIVE[5]}


def projects_by_cause_status_chart(projects: pd.DataFrame) -> go.Figure:
    """Stacked bars: projects per cause, coloured by status (its word in the current language)."""
    counts = projects.groupby(["cause", "status"], as_index=False).size()
    counts = counts.assign(status=counts["status"].map(_))
    figure = px.bar(counts, x="size", y="cause", color="status", orientation="h",
                    color_discrete_map={_(s): c for s, c in STATUS_COLORS.items()},
                    category_orders={"status": [_(s) for s in STATUS_COLORS]},
                    labels=_labels(size=N_("Projects"), cause=N_("Cause"), status=N_("Status")))
    return _finish(figure, "projects-by-cause-and-status", _("Projects by cause and status"),
                   _("Projects (count)"), _("Cause"))


def projects_map(projects: pd.DataFrame, height: int = 460) -> go.Figure:
    """Bubbles where projects run, sized by how many, over a Pacific-centred map."""
    centroids = country_centroids()
    counts = projects.groupby("country").agg(projects=("project_id", "size"),
                                             beneficiaries=("beneficiaries", "sum"))
    counts = counts[isin(counts.index, centroids.index)]
    figure = go.Figure(go.Scattergeo(
        lon=centroids.loc[counts.index, "lon"], lat=centroids.loc[counts.index, "lat"],
        mode="markers+text", text=[country_name(c) for c in counts.index],
        textposition="top center",
        marker={"size": 12 + 36 * np.sqrt(counts["projects"] / max(counts["projects"].max(), 1)),
                "color": [palette.color("country", c) for c in counts.index],
                "line": {"width": 1, "color": "#ffffff"}},
        hovertext=[ngettext("{country}: {count} project, {reach} beneficiaries",
                            "{country}: {count} projects, {reach} beneficiaries", int(r.projects),
                            country=country_name(c), count=i18n.number(r.projects),
                            reach=i18n.number(r.beneficiaries))
                   for c, r in counts.iterrows()], hoverinfo="text"))
    pacific_map(figure)
    figure.update_layout(title=_("Where the projects run"), height=height,
                         margin={"l": 0, "r": 0, "t": 50, "b": 0}, paper_bgcolor="rgba(0,0,0,0)")
    return _named(figure, "where-the-projects-run")


def alumni_map(by_region: pd.DataFrame) -> go.Figure:
    """Bubbles at each prefecture, state or country centroid, sized by alumni; zoomed to the data.

    Each point carries ``[country, region]`` as customdata, so a click can filter by place.
    """
    largest = max(int(by_region["alumni"].max()), 1) if len(by_region) else 1
    place = [region_name(country, region) if region else country_name(country)
             for country, region in zip(by_region["country"], by_region["region"], strict=True)]
    figure = go.Figure(go.Scattergeo(
        lon=by_region["lon"], lat=by_region["lat"], mode="markers",
        customdata=by_region[["country", "region"]].to_numpy(),
        marker={"size": 8 + 34 * np.sqrt(by_region["alumni"] / largest),
                "color": [palette.color("country", c) for c in by_region["country"]],
                "line": {"width": 1, "color": "#ffffff"}, "opacity": 0.85},
        hovertext=[ngettext("{place}: {count} alum", "{place}: {count} alumni", int(n), place=p,
                            count=i18n.number(n))
                   for p, n in zip(place, by_region["alumni"], strict=True)],
        hoverinfo="text"))
    # Zoomed to the bubbles, unlike the world maps: prefectures sit close together.
    figure.update_geos(fitbounds="locations", showcountries=True, showland=True,
                       landcolor="rgba(128,128,128,0.15)", countrycolor="rgba(128,128,128,0.4)",
                       showframe=False, bgcolor="rgba(0,0,0,0)", projection_type="mercator")
    figure.update_layout(title=_("Alumni by place (click a bubble to list its alumni)"),
                         height=460, margin={"l": 0, "r": 0, "t": 50, "b": 0},
                         paper_bgcolor="rgba(0,0,0,0)")
    return _named(figure, "alumni-by-place")


def _number(value: float) -> str:
    """A mean or change as read: 1,234 from 100, else up to two decimals."""
    if abs(value) >= 100:
        return i18n.number(value)
    return i18n.number(value, 2).rstrip("0").rstrip(".") or "0"


def outcomes_chart(outcomes: pd.DataFrame, indicator: str | None = None) -> go.Figure | None:
    """One indicator's mean at each wave, a line per cohort, in wave order.

    Parameters
    ----------
    outcomes : DataFrame
        :func:`analytics.impact.outcomes.outcomes_by_cohort`.
    indicator : str, optional
        The indicator to draw; by default the first in ``outcomes``.

    Returns
    -------
    plotly.graph_objects.Figure or None
        None when there is no outcome to draw (no rows, or no such
        indicator). Lines are coloured by program, each cohort of a program
        with its own dash and marker; a wave no one answered leaves a gap.
        Hovering a point gives how many answered of how many could, and the
        change from baseline measured on the same people, with how many
        that rests on. The y axis is titled with the indicator and its unit.
    """
    if outcomes is None or outcomes.empty:
        return None
    indicator = outcomes["indicator"].iloc[0] if indicator is None else indicator
    rows = outcomes[outcomes["indicator"] == indicator]
    if rows.empty:
        return None
    waves = wave_order(rows)
    units = [u for u in rows["unit"] if isinstance(u, str) and u]
    codes = [c for c in rows["iris_code"] if isinstance(c, str) and c]
    unit = units[0] if units else ""
    dashes = ("solid", "dash", "dot", "dashdot", "longdash", "longdashdot")
    symbols = ("circle", "square", "diamond", "triangle-up", "x", "star")
    figure = go.Figure()
    seen: dict[str, int] = {}
    both = rows["subject_kind"].nunique() > 1  # one name for an alum and a project indicator
    for (program, cohort, kind), group in rows.groupby(["program", "cohort", "subject_kind"],
                                                       sort=False):
        group = group.drop_duplicates("wave").set_index("wave")
        group = group.reindex([w for w in waves if w in group.index])
        n = seen[program] = seen.get(program, -1) + 1
        hover = []
        for wave, row in group.iterrows():
            if row.get("withheld", False):
                mean = _("mean not shown: too few answered")
            elif pd.isna(row["mean"]):
                mean = _("no one answered")
            else:
                mean = _("mean {value} {unit}", value=_number(row["mean"]), unit=unit).rstrip()
            if wave == BASELINE:
                change = _("the baseline")
            elif row["paired"] and pd.notna(row["change"]):
                change = _("change from baseline {change} (same people, n = {count})",
                           change=("+" if row["change"] > 0 else "") + _number(row["change"]),
                           count=i18n.number(row["paired"]))
            elif BASELINE not in waves:
                change = _("no change measured: not asked at baseline")
            else:
                change = _("no change measured: no one answered both this wave and the baseline")
            when = wave_name(wave) if pd.isna(row["year"]) else _(
                "{wave} ({year})", wave=wave_name(wave), year=int(row["year"]))
            hover.append("<br>".join([
                f"{program} {cohort}", _("{when}: {mean}", when=when, mean=mean),
                _("{answered} of {eligible} answered", answered=i18n.number(row["answered"]),
                  eligible=i18n.number(row["eligible"])), change]))
        people = kind == "alum"
        figure.add_trace(go.Scatter(
            x=[wave_name(w) for w in group.index], y=group["mean"], mode="lines+markers",
            name=(_("{cohort} (people)", cohort=cohort) if people
                  else _("{cohort} (projects)", cohort=cohort)) if both else str(cohort),
            legendgroup=str(program), legendgrouptitle_text=_wrap(program, 22),
            line={"color": palette.color("program", program), "dash": dashes[n % len(dashes)]},
            marker={"symbol": symbols[n % len(symbols)], "size": 8},
            hovertext=hover, hoverinfo="text"))
    figure.update_xaxes(type="category", categoryorder="array",
                        categoryarray=[wave_name(w) for w in waves])
    title = _("{indicator} (IRIS+ {code})", indicator=indicator, code=codes[0]) if codes \
        else indicator
    subtitle = (_("Mean per project of those who answered at each wave, a line per cohort")
                if (rows["subject_kind"] == "project").all() else
                _("Mean per person of those who answered at each wave, a line per cohort"))
    # The legend sits on the right, a program's cohorts under its name: short cohort names
    # in a narrow column, where a row of long program names below ran off a page's width.
    # The figure grows with the entries, so that none is hidden behind a scroll bar.
    entries = len(figure.data) + 2 * len(seen)
    name = _slug(f"outcomes {indicator}" + (f" iris {codes[0]}" if codes else ""))
    figure = _finish(figure, name, title, _("Wave"),
                     _wrap(_("{label} ({unit})", label=indicator, unit=unit) if unit
                           else indicator),
                     height=max(400, 140 + 20 * entries))
    figure.update_layout(
        title={"subtitle": {"text": subtitle}},
        margin={"t": 70}, meta={"kind": "outcomes", "name": name},
        legend={"orientation": "v", "yref": "paper", "y": 1, "yanchor": "top",
                "x": 1.02, "xanchor": "left", "tracegroupgap": 8, "groupclick": "toggleitem"})
    return figure


# The three groups of :func:`analytics.impact.series.ties_by_origin`, as a legend reads them
# (in English: shown with _()).
ORIGIN_LABELS = {"program_made": N_("Made by the program (cohort, forum, introductions)"),
                 "other_origin": N_("Another recorded origin"),
                 "not_recorded": N_("Origin not recorded")}
ORIGIN_COLORS = {"program_made": palette.QUALITATIVE[4], "other_origin": palette.QUALITATIVE[0],
                 "not_recorded": palette.MISSING}


def ties_by_origin_chart(frame: pd.DataFrame) -> go.Figure:
    """Stacked bars: partnerships begun each year, by where they came from.

    ``frame`` is :func:`analytics.impact.series.ties_by_origin` (indexed by
    year, with ``program_made``, ``other_origin`` and ``not_recorded``).
    """
    figure = go.Figure()
    for group, label in ORIGIN_LABELS.items():
        values = frame[group] if group in frame else pd.Series(0, index=frame.index)
        figure.add_trace(go.Bar(x=list(frame.index), y=values, name=_(label),
                                marker_color=ORIGIN_COLORS[group],
                                # Plotly fills in the year and the count.
                                hovertemplate=_("{origin}, {year}: {count}", origin=_(label),
                                                year="%{x}", count="%{y:,}")
                                + "<extra></extra>"))
    figure.update_layout(barmode="stack")
    figure.update_xaxes(dtick=1)
    figure = _finish(figure, "partnerships-by-origin", _("Partnerships begun each year, by origin"),
                     _("Year begun"), _("Partnerships begun (count)"))
    figure.update_layout(legend_traceorder="normal")  # the program's ties first, as stacked
    return figure


def _slug(text: str) -> str:
    """Text as part of a file name: lower case, words joined by "-", Japanese kept.

    >>> _slug("People reached (IRIS+ PI4060)"), _slug("自己効力感")
    ('people-reached-iris-pi4060', '自己効力感')
    """
    return re.sub(r"[\W_]+", "-", str(text).lower()).strip("-") or "chart"
