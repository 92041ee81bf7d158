"""Small rendering helpers pages share."""

from __future__ import annotations

import streamlit as st


def metric_row(items: list[tuple[str, int | float | str, str]]) -> None:
    """Draw ``(label, value, help)`` metrics side by side, numbers with thousands separators."""
    for column, (label, value, help_text) in zip(st.columns(len(items)), items, strict=True):
        shown = f"{value:,}" if isinstance(value, int) else value
        column.metric(label, shown, help=help_text, border=True)


def coming_next(text: str) -> None:
    """Say honestly what this page will show once its issue lands."""
    st.info(text, icon=":material/construction:")


# Maps draw from the world outline this app serves itself (static/topojson/), not from a CDN,
# so they work offline at a forum.
PLOTLY_CONFIG = {"topojsonURL": "app/static/topojson/", "displaylogo": False}


def plotly(figure, alt: str | None = None) -> None:
    """Draw a plotly figure with the app's offline configuration."""
    st.plotly_chart(figure, config=PLOTLY_CONFIG, alt=alt or figure.layout.title.text)


def table(frame, height: int | str = "auto") -> None:
    """A read-only table; cells are always shown as text, never as HTML."""
    if frame.empty:
        st.caption("Nothing to list in this view.")
        return
    st.dataframe(frame, height=height)
