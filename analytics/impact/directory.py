"""The alumni directory: one row per alum, and search that forgives how a name is typed.

>>> normalize("ｻﾄｳ") == normalize("さとう") == normalize("サトウ")
True
>>> normalize("SATO") == normalize("Sato") == normalize("ＳＡＴＯ")
True
"""

from __future__ import annotations

import unicodedata

import pandas as pd

from analytics.data import places
from analytics.impact.kpis import ACTIVE_WINDOW_YEARS, active_alumni, data_years
from analytics.selection import Selection, isin, matches

# The selection's fields the directory filters by, besides its search.
DIRECTORY_FIELDS = ["programs", "cohorts", "years", "countries", "regions", "causes", "org_types",
                    "has_projects", "active"]

# Katakana (ァ..ヶ) to hiragana: the same sounds, so a search need not care which was typed.
_KATA_TO_HIRA = {code: code - 0x60 for code in range(0x30A1, 0x30F7)}


def normalize(text: str) -> str:
    """Text as search compares it: NFKC (full and half width alike), case-folded, kana as hiragana."""
    return unicodedata.normalize("NFKC", str(text)).casefold().translate(_KATA_TO_HIRA)


def directory_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """One row per alum with what the directory filters and shows.

    Columns beyond the alumni table's: ``organization``, ``org_type``,
    ``website``, ``projects`` (how many they lead), ``active`` (a partnership
    or project active in the data's last two years) and ``search`` (the
    normalized text that :func:`search` looks in: romanized and local name,
    organization, role and causes).
    """
    alumni = tables["alumni"]
    orgs = tables["organizations"].set_index("org_id")
    led = tables["projects"]["lead_alum_id"].value_counts()
    span = data_years(tables)
    active = active_alumni(alumni["alum_id"], tables["partnerships"], tables["projects"],
                           span[1] - ACTIVE_WINDOW_YEARS + 1, span[1]) if span else set()
    table = alumni.assign(
        organization=alumni["organization_id"].map(orgs["name"]).fillna(""),
        org_type=alumni["organization_id"].map(orgs["org_type"]).fillna(""),
        website=alumni["organization_id"].map(orgs["website"]).fillna(""),
        projects=alumni["alum_id"].map(led).fillna(0).astype(int),
        active=isin(alumni["alum_id"], active),
    )
    parts = [table[c].astype(str) for c in ("name", "name_local", "organization", "role")
             if c in table]
    parts.append(table["causes"].map(" ".join))
    text = parts[0].str.cat(parts[1:], sep=" | ")
    return table.assign(search=[normalize(t) for t in text])


def search(table: pd.DataFrame, query: str) -> pd.Series:
    """Rows whose search text holds every word of the query (normalized the same way)."""
    words = normalize(query).split()
    found = pd.Series(True, index=table.index)
    for word in words:
        found &= table["search"].str.contains(word, regex=False)
    return found


def filter_directory(table: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """The rows of :func:`directory_table` that match the selection (its DIRECTORY_FIELDS, with
    ``years`` the cohort year) and whose search text holds every word of its ``query``."""
    keep = matches(table, selection, DIRECTORY_FIELDS, year_column="cohort_year")
    if selection.query.strip():
        keep &= search(table, selection.query)
    return table[keep]


def alumni_by_region(table: pd.DataFrame) -> pd.DataFrame:
    """Alumni counted per region, placed at its centroid (a country's, when the region is unknown).

    Returns ``country``, ``region`` (blank for the country as a whole),
    ``alumni``, ``lat`` and ``lon``; places without coordinates are left out.
    """
    regions = places.region_centroids()
    counts = table.groupby(["country", "region"], as_index=False).size().rename(
        columns={"size": "alumni"})
    placed = counts.merge(regions, on=["country", "region"], how="left")
    unplaced = placed["lat"].isna()
    if unplaced.any():
        countries = places.country_centroids().astype({"lat": float, "lon": float})
        placed.loc[unplaced, "region"] = ""
        placed.loc[unplaced, "lat"] = placed.loc[unplaced, "country"].map(countries["lat"])
        placed.loc[unplaced, "lon"] = placed.loc[unplaced, "country"].map(countries["lon"])
    placed = placed.groupby(["country", "region", "lat", "lon"], as_index=False)["alumni"].sum()
    return placed.dropna(subset=["lat", "lon"])[["country", "region", "alumni", "lat", "lon"]]
