"""The app's own CSS, injected once per run by the shared setup."""

from __future__ import annotations

import streamlit as st

from analytics import palette

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
#   - a segmented control's chosen option (the sidebar's language switch), the primary colour on
#     its own tint (4.2:1 in the light theme, 3.3:1 in the dark): with 20% black in the light
#     theme (5.9:1), with 30% white in the dark (5.2:1);
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
  .stApp [data-testid="stButtonGroup"] button[data-selected="true"] [data-testid="stMarkdownContainer"] {
    color: light-dark(color-mix(in srgb, currentColor 80%, black),
                      color-mix(in srgb, currentColor 70%, white));
  }
  .stApp [data-testid="stPlotlyChart"] :is([class$="tick"] > text, text[class$="title"]:not(.gtitle),
                                            .scattergeo text) {
    fill: light-dark(#5f6374, currentColor) !important;
  }
"""

# Japanese in a Japanese font, with no missing-glyph boxes. Streamlit names "Source Sans" alone,
# which has no Japanese: a browser then picks any font that has the characters, and with the page
# not marked as Japanese that can be a Chinese one (the same kanji drawn another way). So the
# stack names Japanese fonts right after it, for every system: Noto Sans CJK JP (Linux,
# fonts-noto-cjk) or Noto Sans JP, Hiragino (macOS), Yu Gothic and Meiryo (Windows). Latin text
# keeps Source Sans. Icons (a font of their own, in elements whose test id names an Icon:
# stIconMaterial, stAlertDynamicIcon...) and code keep theirs. Charts name their own
# fonts (analytics.palette.FONT_FAMILY); tables are drawn on a canvas, out of CSS's reach:
# there the browser's own fallback picks the font.
JAPANESE_FONT_CSS = f"""
  .stApp, .stApp :is(p, li, span, div, label, input, textarea, button, h1, h2, h3, h4, h5, h6,
                     th, td, summary):not([data-testid*="Icon"], [data-testid*="Icon"] *, code,
                                         code *, pre, pre *) {{
    font-family: {palette.FONT_FAMILY};
  }}
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
    css = HIDE_OWN_ELEMENT + ACCESSIBLE_CSS + JAPANESE_FONT_CSS \
        + (PRESENTATION_CSS if presenting else "")
    st.markdown(f'<style id="kizuna-css">{css}</style>', unsafe_allow_html=True)
