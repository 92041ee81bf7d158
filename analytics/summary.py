"""Plain counts of a dataset, for pages and checks that need its size at a glance."""

from __future__ import annotations

import pandas as pd


def table_counts(tables: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Count the loaded rows and the distinct values pages are built on.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Loaded tables, as in ``Dataset.tables``.

    Returns
    -------
    dict of str to int
        ``alumni``, ``organizations``, ``partnerships``, ``projects`` (rows);
        ``programs`` and ``cohorts`` (distinct program and program-cohort
        pairs among alumni); ``countries`` (distinct countries of alumni,
        organizations and projects together).

    Examples
    --------
    >>> alumni = pd.DataFrame({"program": ["P", "P"], "cohort": ["1", "2"], "country": ["JP", "US"]})
    >>> orgs = pd.DataFrame({"country": ["JP"]})
    >>> projects = pd.DataFrame({"country": ["TH"]})
    >>> c = table_counts({"alumni": alumni, "organizations": orgs,
    ...                   "partnerships": pd.DataFrame(), "projects": projects})
    >>> c["cohorts"], c["countries"]
    (2, 3)
    """
    alumni = tables["alumni"]
    countries = pd.concat([tables[t]["country"] for t in ("alumni", "organizations", "projects")])
    return {
        "alumni": len(alumni),
        "organizations": len(tables["organizations"]),
        "partnerships": len(tables["partnerships"]),
        "projects": len(tables["projects"]),
        "programs": alumni["program"].nunique(),
        "cohorts": len(alumni[["program", "cohort"]].drop_duplicates()),
        "countries": countries[countries != ""].nunique(),
    }
