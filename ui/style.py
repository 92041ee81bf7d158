"""The app's own CSS, injected once per run by the shared setup."""

from __future__ import annotations

import streamlit as st

# Presentation mode (?present=1): large type, full width, for a room.
PRESENTATION_CSS = """<style>
  .stMainBlockContainer { max-width: 100%; padding-top: 2rem; }
  .stMainBlockContainer p, .stMainBlockContainer li { font-size: 1.35rem; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.2rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 1.2rem; }
  h1 { font-size: 3.2rem !important; }
</style>"""


def apply(presenting: bool) -> None:
    """Inject the app's CSS (our own constants, never data)."""
    if presenting:
        st.markdown(PRESENTATION_CSS, unsafe_allow_html=True)
