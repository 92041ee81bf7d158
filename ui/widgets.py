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
