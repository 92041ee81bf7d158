"""The app's own CSS, injected once per run by the shared setup."""

from __future__ import annotations

import streamlit as st

# Colour contrast (WCAG 2 AA: 4.5:1 for text), in Streamlit's light and dark themes alike.
#
# Streamlit has no theme option for these colours: a caption is the text colour at 60% opacity,
# 3.8:1 on the light theme's white page and grey sidebar; a slider's value is the primary colour,
# 3.5:1 on the dark theme's sidebar. A [theme] in .streamlit/config.toml could only darken all
# the text, and it would pin the app to one theme, where today each user gets light or dark as
# their system (or Streamlit's settings menu) asks. So each colour is adjusted here, from the
# colour the theme gives, for the theme in use: Streamlit sets `color-scheme: dark` on the app in
# its dark theme, which `light-dark()` reads; `currentColor` in `color` is the parent's colour.
#   - captions: the text colour at 70% in the light theme (5.2:1 on white, 5.1:1 on the
#     sidebar), at 60% in the dark theme as before (5.8:1 on its sidebar); as a colour, not an
#     opacity, so links and code in a caption keep their own contrast;
#   - a slider's value: the primary colour in the light theme (4.9:1 on the sidebar); in the
#     dark theme lightened with 30% white (5.6:1 on the sidebar);
#   - charts' axis labels and titles and the maps' country labels, which Streamlit's plotly theme
#     writes in #808495 (3.7:1 on white, 3.1:1 on a map's land) and axe cannot check in SVG: a
#     deeper grey of the same hue in the light theme (6:1 on white, 5:1 on land); in the dark
#     theme the text colour, as good as plotly's own #e6eaf1.
ACCESSIBLE_CSS = """
  .stApp [data-testid="stCaptionContainer"] {
    opacity: 1;
    color: light-dark(color-mix(in srgb, currentColor 70%, transparent),
                      color-mix(in srgb, currentColor 60%, transparent));
  }
  .stApp [data-testid="stSliderThumbValue"] > [data-testid="stMarkdownContainer"] {
    color: light-dark(currentColor, color-mix(in srgb, currentColor 70%, white));
  }
  .stApp [data-testid="stPlotlyChart"] :is([class$="tick"] > text, text[class$="title"]:not(.gtitle),
                                            .scattergeo text) {
    fill: light-dark(#5f6374, currentColor) !important;
  }
"""

# Presentation mode (?present=1): large type, full width, for a room.
PRESENTATION_CSS = """
  .stMainBlockContainer { max-width: 100%; padding-top: 2rem; }
  .stMainBlockContainer p, .stMainBlockContainer li { font-size: 1.35rem; }
  [data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 3.2rem !important; }
  [data-testid="stMetricLabel"] p { font-size: 1.2rem; }
  h1 { font-size: 3.2rem !important; }
"""

# The CSS goes in as markdown, in the page itself, so that it stays while Streamlit reruns the
# page (st.html sends style-only HTML to the event container, which a rerun empties, and the
# captions would flicker). Its own element is hidden, so it takes no room on the page. One
# <style> element only: markdown ends an HTML block at the first </style>.
HIDE_OWN_ELEMENT = """
  .stElementContainer:has(> .stMarkdown style#kizuna-css) { display: none; }
"""


def apply(presenting: bool) -> None:
    """Inject the app's CSS (our own constants, never data)."""
    css = HIDE_OWN_ELEMENT + ACCESSIBLE_CSS + (PRESENTATION_CSS if presenting else "")
    st.markdown(f'<style id="kizuna-css">{css}</style>', unsafe_allow_html=True)
