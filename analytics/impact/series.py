"""Series for the charts: alumni per cohort and year, projects, reach and funds over time."""

from __future__ import annotations

import pandas as pd


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
