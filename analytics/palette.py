"""One palette for the whole app, so a country or program keeps its colour on every page and export.

Well-known values have fixed colours; any other value gets one from the same
palette by a stable hash of its name, never by its position in a list, so
filtering a chart does not repaint the rest.

>>> color("country", "JP") == color("country", "JP") == COUNTRY_COLORS["JP"]
True
>>> color("community", 0)
'#4E79A7'
"""

from __future__ import annotations

import zlib

# Tableau 10: distinct hues that read on light and dark backgrounds.
QUALITATIVE = ("#4E79A7", "#F28E2B", "#E15759", "#76B7B2", "#59A14F", "#EDC948", "#B07AA1",
               "#FF9DA7", "#9C755F", "#BAB0AC")

COUNTRY_COLORS = {"JP": "#E15759", "US": "#4E79A7", "CN": "#F28E2B", "KR": "#76B7B2",
                  "SG": "#59A14F", "TH": "#B07AA1"}
PROGRAM_COLORS = {
    "Social Innovation Forum: Japan": "#E15759",
    "TOMODACHI Microsoft iLEAP": "#4E79A7",
    "Asia Social Innovation Research Network": "#59A14F",
}
# The causes of the programs' own accounts, each its own hue.
CAUSE_COLORS = {
    "disaster recovery": "#E15759", "renewable energy": "#EDC948", "aging": "#B07AA1",
    "community revitalization": "#F28E2B", "education": "#4E79A7", "environment": "#59A14F",
    "income disparity": "#9C755F", "youth entrepreneurship": "#76B7B2",
}
FIXED = {"country": COUNTRY_COLORS, "program": PROGRAM_COLORS, "cause": CAUSE_COLORS}

CROSS_BORDER = "#6A3D9ACC"  # a hue no country uses
DOMESTIC = "#9AA4B188"  # translucent: domestic ties are the background
MISSING = "#BAB0AC"

# The fonts everything names (the app, charts, the report, the forum pack's images and legend,
# the network drawing): Streamlit's font where it is loaded, then fonts with Japanese glyphs on
# Linux (fonts-noto-cjk), macOS and Windows, before the system's. Text takes each character from
# the first font that has it, so Japanese is drawn in a Japanese font (not a Chinese font's
# forms) and never as boxes, also where the default font lacks it (kaleido's Chromium on a
# server, an SVG opened elsewhere). analytics/network/templates/graph.css repeats it (a test
# keeps them the same).
FONT_FAMILY = ('"Source Sans", "Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", '
               '"Hiragino Kaku Gothic ProN", "Yu Gothic UI", "Yu Gothic", Meiryo, system-ui, '
               'sans-serif')


def color(kind: str, value) -> str:
    """Return the colour of ``value`` of a kind (``country``, ``program``, ``cause``, ...).

    Integer values (community numbers) take the palette in order.
    """
    if value is None or value == "":
        return MISSING
    fixed = FIXED.get(kind, {})
    if value in fixed:
        return fixed[value]
    if isinstance(value, int):
        return QUALITATIVE[value % len(QUALITATIVE)]
    return QUALITATIVE[zlib.crc32(f"{kind}:{value}".encode()) % len(QUALITATIVE)]
