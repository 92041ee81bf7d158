"""Series for the charts: alumni per cohort and year, projects, reach and funds over time, and
ties by where they came from."""

from __future__ import annotations

import pandas as pd

try:  # the contract names the origins of a tie the program made (analytics.data.schema)
    from analytics.data.schema import PROGRAM_ORIGINS
except ImportError:  # a contract from before partnerships had an origin
    PROGRAM_ORIGINS = ("cohort", "forum", "staff introduction", "suggested introduction")

# What ties_by_origin counts, in the order of a stacked chart.
ORIGIN_GROUPS = ("program_made", "other_origin", "not_recorded")


def alumni_per_cohort(alumni: pd.DataFrame) -> pd.DataFrame:
    """Alumni per program cohort, in training order: ``program``, ``cohort``, ``cohort_year``, ``alumni``."""
    return (alumni.groupby(["cohort_year", "program", "cohort"], as_index=False)
            .size().rename(columns={"size": "alumni"})
            .sort_values(["cohort_year", "cohort", "program"], ignore_index=True))


def cumulative_alumni(alumni: pd.DataFrame) -> pd.DataFrame:
    """Alumni trained up to each year, by program: ``cohort_year``, ``program``, ``alumni``."""
    per_year = alumni.groupby(["program", "cohort_year"]).size().unstack("program", fill_value=0)
    if per_year.empty:
        return pd.DataFrame(columns=["cohort_year", "program", "alumni"])
    years = range(int(per_year.index.min()), int(per_year.index.max()) + 1)
    cumulative = per_year.reindex(years, fill_value=0).cumsum()
    return cumulative.rename_axis("cohort_year").reset_index().melt(
        id_vars="cohort_year", var_name="program", value_name="alumni")


def alumni_by(alumni: pd.DataFrame, column: str) -> pd.DataFrame:
    """Alumni per cohort year and country or cause (an alum counts once for each of their causes)."""
    frame = alumni.explode("causes").rename(columns={"causes": "cause"}) if column == "cause" \
        else alumni
    frame = frame.dropna(subset=[column])
    return frame.groupby(["cohort_year", column], as_index=False).size().rename(
        columns={"size": "alumni"})


def projects_per_year(projects: pd.DataFrame) -> pd.DataFrame:
    """Projects started per year and cause: ``start_year``, ``cause``, ``projects``."""
    return projects.groupby(["start_year", "cause"], as_index=False).size().rename(
        columns={"size": "projects"})


def reach_per_year(projects: pd.DataFrame) -> pd.DataFrame:
    """Beneficiaries and funds raised by the projects started each year, and their running totals."""
    per_year = (projects.groupby("start_year")[["beneficiaries", "funds_raised_usd"]]
                .sum(min_count=1).fillna(0).astype(float))
    per_year["beneficiaries_total"] = per_year["beneficiaries"].cumsum()
    per_year["funds_total"] = per_year["funds_raised_usd"].cumsum()
    return per_year.reset_index()


def origin_groups(partnerships: pd.DataFrame) -> pd.Series:
    """Each tie's origin in three groups: ``program_made``, ``other_origin`` or ``not_recorded``.

    A tie the program made has its ``origin`` in PROGRAM_ORIGINS (cohort,
    forum, staff introduction, suggested introduction); any other recorded
    origin is ``other_origin``; a blank origin, or a table without the
    column, is ``not_recorded``. Origins are compared without case or
    surrounding spaces.

    >>> ties = pd.DataFrame({"origin": ["forum", "other", "", "Staff introduction"]})
    >>> origin_groups(ties).tolist()
    ['program_made', 'other_origin', 'not_recorded', 'program_made']
    """
    if "origin" not in partnerships:
        return pd.Series("not_recorded", index=partnerships.index, dtype=object)
    origin = partnerships["origin"].astype(object).fillna("").astype(str).str.strip().str.lower()
    groups = pd.Series("other_origin", index=partnerships.index, dtype=object)
    groups[origin.isin(PROGRAM_ORIGINS).to_numpy()] = "program_made"
    groups[(origin == "").to_numpy()] = "not_recorded"
    return groups


def ties_by_origin(partnerships: pd.DataFrame, cumulative: bool = False,
                   years: tuple[int, int] | None = None) -> pd.DataFrame:
    """Ties begun each year by origin: those the program made, others recorded, not recorded.

    Parameters
    ----------
    partnerships : DataFrame
        Partnership rows with ``start_year`` and, when recorded, ``origin``
        (for a selection, :attr:`analytics.impact.kpis.SelectedTables.partnerships`).
        A row without a start year is not counted.
    cumulative : bool
        Count the ties begun by the end of each year, as the network's growth
        does (:func:`analytics.network.metrics.growth`), rather than those
        begun in it.
    years : (int, int), optional
        The years to give, first and last inclusive (to line up with
        another chart); a cumulative count still counts every earlier tie.
        By default from the first tie's start year to the last one's.

    Returns
    -------
    DataFrame
        Indexed by ``year``, every year of the range (0 where none began),
        with ``program_made`` (origin in PROGRAM_ORIGINS), ``other_origin``
        (another recorded origin), ``not_recorded`` (blank) and ``total``.

    Examples
    --------
    >>> ties = pd.DataFrame({"start_year": [2012, 2012, 2014, 2014],
    ...                      "origin": ["cohort", "", "other", "forum"]})
    >>> ties_by_origin(ties).values.tolist()
    [[1, 0, 1, 2], [0, 0, 0, 0], [1, 1, 0, 2]]
    >>> ties_by_origin(ties, cumulative=True).loc[2014].tolist()
    [2, 1, 1, 4]
    """
    dated = partnerships.dropna(subset=["start_year"])
    groups = origin_groups(dated)
    counts = (pd.crosstab(dated["start_year"].astype(int), groups)
              if len(dated) else pd.DataFrame())
    counts = counts.reindex(columns=list(ORIGIN_GROUPS), fill_value=0)
    known = [int(y) for y in counts.index]
    first = min(known + ([years[0]] if years else []), default=None)
    last = max(known + ([years[1]] if years else []), default=None)
    span = range(first, last + 1) if first is not None else range(0)
    counts = counts.reindex(span, fill_value=0).astype(int)
    if cumulative:
        counts = counts.cumsum()
    if years:
        counts = counts.loc[years[0]:years[1]]
    counts["total"] = counts[list(ORIGIN_GROUPS)].sum(axis=1).astype(int)
    counts.index.name, counts.columns.name = "year", None
    return counts
