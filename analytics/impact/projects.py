"""The alumni's projects: one table with leads and partners named, stories, filters and totals."""

from __future__ import annotations

import pandas as pd

from analytics.i18n import N_, _
from analytics.selection import Selection, matches

# The selection's fields the projects page filters by.
PROJECT_FIELDS = ["causes", "statuses", "countries", "programs", "years"]


def project_table(projects: pd.DataFrame, alumni: pd.DataFrame,
                  organizations: pd.DataFrame) -> pd.DataFrame:
    """Projects with their lead's name, program and cohort, and their partners' names and countries.

    ``alumni`` and ``organizations`` are every alum and organization a lead
    or partner may be, not only a selection's.
    """
    alumni = alumni.set_index("alum_id")
    orgs = organizations.set_index("org_id")
    names = pd.concat([alumni["name"], orgs["name"]])
    countries = pd.concat([alumni["country"], orgs["country"]])
    lead = projects["lead_alum_id"]
    return projects.assign(
        lead=lead.map(alumni["name"]), program=lead.map(alumni["program"]),
        cohort=lead.map(alumni["cohort"]),
        partners=projects["partner_ids"].map(lambda ids: [names.get(i, i) for i in ids]),
        partner_countries=projects["partner_ids"].map(
            lambda ids: sorted({countries.get(i, "") for i in ids} - {""})),
    )


# The stories highlighted_projects tells, by their headings (in English: shown with _()).
LARGEST_REACH, NEWEST, ACROSS_BORDERS = N_("Largest reach"), N_("Newest"), N_("Across borders")


def highlighted_projects(projects: pd.DataFrame, per_story: int = 3) -> dict[str, pd.DataFrame]:
    """A few stories from a project table (see :func:`project_table`), by their headings in the
    current language (for display only).

    LARGEST_REACH (most beneficiaries), NEWEST (latest start, then latest ID)
    and ACROSS_BORDERS (a partner in another country than the project's, most
    beneficiaries first).
    """
    abroad = pd.Series([any(country != c for country in p) for c, p in
                        zip(projects["country"], projects["partner_countries"], strict=True)],
                       index=projects.index, dtype=bool)
    across = projects[abroad]
    by_reach = ["beneficiaries", "project_id"]
    return {
        _(LARGEST_REACH): projects.sort_values(by_reach, ascending=False,
                                               na_position="last").head(per_story),
        _(NEWEST): projects.sort_values(["start_year", "project_id"], ascending=False).head(per_story),
        _(ACROSS_BORDERS): across.sort_values(by_reach, ascending=False,
                                              na_position="last").head(per_story),
    }


def filter_projects(projects: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Projects (from :func:`project_table`) that match the selection's causes, statuses,
    countries, programs (the lead's) and years (the start year)."""
    return projects[matches(projects, selection, PROJECT_FIELDS, year_column="start_year")]


def project_totals(projects: pd.DataFrame) -> dict[str, float]:
    """Count, beneficiaries and funds raised of a set of projects (blanks count as 0)."""
    return {"projects": len(projects),
            "beneficiaries": float(projects["beneficiaries"].fillna(0).sum()),
            "funds_raised": float(projects["funds_raised_usd"].fillna(0).sum())}
