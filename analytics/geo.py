"""Reference coordinates shipped in ``data/reference/`` for maps."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pandas as pd

REFERENCE_DIR = Path(__file__).resolve().parents[1] / "data" / "reference"


@lru_cache(maxsize=1)
def country_centroids() -> pd.DataFrame:
    """Latitude and longitude of each country's centroid, indexed by ISO alpha-2 code.

    >>> country_centroids().loc["JP", ["lat", "lon"]].tolist()
    [36.2, 138.25]
    """
    return pd.read_csv(REFERENCE_DIR / "countries.csv", keep_default_na=False).set_index("code")
