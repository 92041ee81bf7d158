"""Small rendering helpers pages share."""

from __future__ import annotations

import re

import streamlit as st

from analytics.data.loader import Dataset
from analytics.impact.kpis import KPI_HELP, Kpi, format_value
from analytics.outputs.report import describe_selection
from analytics.selection import Selection
from ui import cached

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def metric_row(items: list[tuple[str, int | float | str, str]]) -> None:
    """Draw ``(label, value, help)`` metrics side by side, numbers with thousands separators."""
    for column, (label, value, help_text) in zip(st.columns(len(items)), items, strict=True):
        shown = f"{value:,}" if isinstance(value, int) else value
        column.metric(label, shown, help=help_text, border=True)


# Maps draw from the world outline this app serves itself (static/topojson/), not from a CDN,
# so they work offline at a forum.
PLOTLY_CONFIG = {"topojsonURL": "app/static/topojson/", "displaylogo": False}


def plotly(figure, alt: str | None = None) -> None:
    """Draw a plotly figure with the app's offline configuration."""
    st.plotly_chart(figure, config=PLOTLY_CONFIG, alt=alt or figure.layout.title.text)


def chart(make, *data, alt: str | None = None, **options) -> None:
    """Draw ``make(*data, **options)``, a chart of cached results, made once per data
    (:func:`ui.cached.derived`): building a plotly figure costs more than sending it."""
    plotly(cached.derived(make, *data, **options), alt=alt)


def table(frame, height: int | str = "auto") -> None:
    """A read-only table; cells are always shown as text, never as HTML."""
    if frame.empty:
        st.caption("Nothing to list in this view.")
        return
    st.dataframe(capped(frame), height=height)


def safe(text) -> str:
    """Data text ready to sit inside markdown: every markdown and HTML character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def kpi_grid(figures: list[Kpi], per_row: int = 4) -> None:
    """KPI cards with their change on the year before, ``per_row`` to a row; a change that
    does not move the figure as shown is grey, with no direction."""
    for start in range(0, len(figures), per_row):
        row = figures[start:start + per_row]
        for column, kpi in zip(st.columns(per_row), row, strict=False):
            change = format_value(kpi.change, kpi.unit, change=True) \
                if kpi.change is not None else None
            moved = change is not None and change.startswith(("+", "-"))
            column.metric(kpi.label, format_value(kpi.value, kpi.unit), delta=change,
                          delta_color="normal" if moved else "off",
                          delta_arrow="auto" if moved else "off",
                          help=KPI_HELP[kpi.key], border=True)


def selection_caption(dataset: Dataset, selection: Selection) -> None:
    """The selection in words, under a page's title."""
    st.caption(f"Selection: {safe(describe_selection(selection, dataset.tables))}")


def story(project) -> None:
    """One highlighted project: title, lead and cohort, partners, reach, summary."""
    with st.container(border=True):
        st.markdown(f"**{safe(project['title'])}**  \n{safe(project['cause'])} · "
                    f"{safe(project['status'])} · since {project['start_year']}")
        st.markdown(f"Led by {safe(project['lead'])} ({safe(project['program'])}, "
                    f"{safe(project['cohort'])})")
        partners = ", ".join(map(str, project["partners"])) or "no partners listed"
        st.markdown(f"Partners: {safe(partners)}")
        reach = project["beneficiaries"]
        st.markdown(f"Reach: {int(reach):,} people" if reach == reach and reach is not None
                    else "Reach: not reported")
        if project["summary"]:
            st.caption(safe(project["summary"]))


# A table beyond this many rows is sent in part: a browser grid of 100,000 rows costs
# seconds to ship and no one scrolls it; the downloads always hold every row.
SHOWN_ROWS = 5_000


def capped(frame):
    """The first SHOWN_ROWS rows of a table, saying so when rows were held back."""
    if len(frame) > SHOWN_ROWS:
        st.caption(f"Showing the first {SHOWN_ROWS:,} of {len(frame):,} rows. Narrow the filters, "
                   "or download the full list.")
        return frame.head(SHOWN_ROWS)
    return frame


def _outcomes_shown(outcomes, latest_only: bool):
    frame = outcomes
    if latest_only:
        frame = frame.groupby(["program", "cohort", "indicator"], sort=False).tail(1)
    return frame.assign(
        change=[f"{c:+.2f} (n={p})" if p else "–" for c, p in zip(frame["change"], frame["paired"],
                                                                  strict=True)],
        mean=[f"{m:,.2f}".rstrip("0").rstrip(".") if m == m else "–" for m in frame["mean"]])


def outcomes_table(outcomes, latest_only: bool = False) -> None:
    """Each cohort's outcomes: the value at each wave, the change from baseline on the same
    people, and always how many answered of how many could (``latest_only``: each cohort and
    indicator at its latest wave)."""
    st.dataframe(capped(cached.derived(_outcomes_shown, outcomes, latest_only)), hide_index=True,
                 column_order=["program", "cohort", "indicator", "wave", "year", "mean", "unit",
                               "change", "note", "caution", "iris_code"],
                 column_config={"program": "Program", "cohort": "Cohort",
                                "indicator": "Indicator", "wave": "Wave", "year": "Year",
                                "mean": "Mean of those who answered", "unit": "Unit",
                                "change": "Change from baseline (same people)",
                                "note": "Answered", "caution": "Caution",
                                "iris_code": "IRIS+"})


PROBLEM_COLUMNS = {"severity": "Severity", "table": "Table", "file": "File", "row": "Row",
                   "column": "Column", "value": "Value"}


def problems_table(problems, columns=("severity", "table", "file", "row", "column", "value")) -> None:
    """Problems found in the data (Problem rows), each with what is wrong in words."""
    st.dataframe(capped(problems.fillna({"table": "", "column": "", "file": ""})),
                 hide_index=True, column_order=[*columns, "message"],
                 column_config={**{c: PROBLEM_COLUMNS[c] for c in columns},
                                "message": st.column_config.TextColumn("What is wrong",
                                                                       width="large")})
