"""The funder's figures: what the programs did, within a selection of programs, years and places.

:func:`select` narrows the tables to a :class:`Selection`; :func:`kpis`
computes the headline figures with their change on the year before. Each
KPI's formula is in ``docs/metrics.md``.

Example
-------
>>> import pandas as pd
>>> alumni = pd.DataFrame({"alum_id": ["A1", "A2"], "program": ["P", "P"],
...                        "cohort_year": [2015, 2016], "country": ["JP", "JP"],
...                        "causes": [["aging"], ["education"]], "organization_id": ["", ""]})
>>> tables = {"alumni": alumni, "organizations": pd.DataFrame(columns=["org_id", "country"]),
...           "partnerships": pd.DataFrame(columns=["source_id", "target_id", "start_year", "end_year"]),
...           "projects": pd.DataFrame(columns=["project_id", "lead_alum_id", "cause", "country",
...                                             "start_year", "end_year", "status", "beneficiaries",
...                                             "funds_raised_usd", "partner_ids"]),
...           "funding": pd.DataFrame(columns=["funder_id", "program", "year", "amount_usd"])}
>>> k = {k.key: k for k in kpis(tables, Selection(years=(2015, 2016)))}
>>> k["alumni"].value, k["alumni"].previous
(2, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from analytics.data.schema import TARGET_METRICS

ACTIVE_WINDOW_YEARS = 2


@dataclass(frozen=True)
class Selection:
    """The funder's filters. Empty means all; ``years`` is (first, last), inclusive.

    ``funder`` keeps the programs that org_id funded (from the funding table)
    and only its own grants.
    """

    programs: tuple[str, ...] = ()
    funder: str | None = None
    years: tuple[int, int] | None = None
    countries: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Kpi:
    key: str
    label: str
    value: float
    previous: float | None  # the same figure for the selection without its last year
    unit: str  # "count", "usd", "ratio", "share"
    iris: str = ""  # IRIS+ metric code where one exists

    @property
    def change(self) -> float | None:
        if self.previous is None or pd.isna(self.previous) or pd.isna(self.value):
            return None
        return self.value - self.previous


def funded_programs(funding: pd.DataFrame, funder: str) -> list[str]:
    """The programs an organization funded, from the funding table."""
    return sorted(set(funding.loc[funding["funder_id"] == funder, "program"]))


def _in_years(values: pd.Series, years: tuple[int, int] | None) -> pd.Series:
    if years is None:
        return pd.Series(True, index=values.index)
    return values.between(*years).fillna(False).astype(bool)


def _has_any(lists: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    wanted = set(wanted)
    return lists.map(lambda items: not wanted.isdisjoint(items)).astype(bool)


def select(tables: dict[str, pd.DataFrame], selection: Selection) -> dict[str, pd.DataFrame]:
    """Narrow the tables to a selection.

    Returns the tables with these replaced:

    - ``alumni``: in the programs (those the funder funded), trained in the
      years, living in the countries, working on any of the causes;
    - ``community``: the same, but trained in or before the years: everyone
      whose activity in the years counts;
    - ``projects``: led by alumni of those programs and countries trained by
      the last year, started in the years, running in the countries, on the
      causes (a project counts by its own cause, whatever its lead lists);
    - ``partnerships``: with one of the community as an end, begun in the years;
    - ``funding``: for those programs in those years (the funder's own grants only).
    """
    alumni, projects = tables["alumni"], tables["projects"]
    partnerships, funding = tables["partnerships"], tables["funding"]
    programs = set(selection.programs)
    if selection.funder:
        funded = set(funded_programs(funding, selection.funder))
        programs = programs & funded if programs else funded
    keep = pd.Series(True, index=alumni.index)
    if selection.years:
        keep &= (alumni["cohort_year"] <= selection.years[1]).fillna(False).astype(bool)
    if programs or selection.funder:
        keep &= alumni["program"].isin(programs)
    if selection.countries:
        keep &= alumni["country"].isin(selection.countries)
    leads = set(alumni.loc[keep, "alum_id"])
    if selection.causes:
        keep &= _has_any(alumni["causes"], selection.causes)
    community = alumni[keep]
    ids = set(community["alum_id"])
    keep = projects["lead_alum_id"].isin(leads) & _in_years(projects["start_year"], selection.years)
    if selection.countries:
        keep &= projects["country"].isin(selection.countries)
    if selection.causes:
        keep &= projects["cause"].isin(selection.causes)
    projects = projects[keep]
    partnerships = partnerships[(partnerships["source_id"].isin(ids) | partnerships["target_id"].isin(ids))
                                & _in_years(partnerships["start_year"], selection.years)]
    keep = _in_years(funding["year"], selection.years)
    if programs or selection.funder:
        keep &= funding["program"].isin(programs)
    if selection.funder:
        keep &= funding["funder_id"] == selection.funder
    return {**tables, "alumni": community[_in_years(community["cohort_year"], selection.years)],
            "community": community, "alumni_all": alumni, "projects": projects,
            "partnerships": partnerships,
            "funding": funding[keep]}


def engaged_organizations(tables: dict[str, pd.DataFrame]) -> set[str]:
    """Organizations tied to the selected community: their own, their partners', their projects' partners."""
    org_ids = set(tables["organizations"]["org_id"])
    alumni, partnerships = tables.get("community", tables["alumni"]), tables["partnerships"]
    found = set(alumni["organization_id"]) | set(partnerships["source_id"]) | \
        set(partnerships["target_id"]) | set(tables["projects"]["partner_ids"].explode().dropna())
    return found & org_ids


def projects_active_in(projects: pd.DataFrame, year: int) -> pd.DataFrame:
    """Projects running in a year: begun by then, not ended before it, neither planned nor paused."""
    return projects[(projects["start_year"] <= year).fillna(False).astype(bool)
                    & ~(projects["end_year"] < year).fillna(False).astype(bool)
                    & ~projects["status"].isin(["planned", "paused"])]


def active_alumni(tables: dict[str, pd.DataFrame], first: int, last: int) -> set[str]:
    """Alumni with a partnership or a project (led or partnered) active in years first..last.

    A partnership is active when it began by ``last`` and had not ended
    before ``first``; a project likewise, unless it is still planned.
    """
    ids = set(tables.get("community", tables["alumni"])["alum_id"])
    ties = tables["partnerships"]
    live = ties[(ties["start_year"] <= last).fillna(False).astype(bool)
                & ~(ties["end_year"] < first).fillna(False).astype(bool)]
    projects = tables["projects"]
    running = projects[(projects["start_year"] <= last).fillna(False).astype(bool)
                       & ~(projects["end_year"] < first).fillna(False).astype(bool)
                       & (projects["status"] != "planned")]
    people = set(live["source_id"]) | set(live["target_id"]) | set(running["lead_alum_id"]) | \
        set(running["partner_ids"].explode().dropna())
    return people & ids


def _figures(tables: dict[str, pd.DataFrame], year: int | None) -> dict[str, float]:
    alumni, projects = tables["alumni"], tables["projects"]
    community = tables.get("community", alumni)
    partnerships, funding = tables["partnerships"], tables["funding"]
    orgs = tables["organizations"].set_index("org_id")
    engaged = engaged_organizations(tables)
    countries = set(community["country"]) | set(orgs.loc[list(engaged), "country"]) | set(projects["country"])
    everyone = tables.get("alumni_all", alumni)  # a partner may be an alum outside the selection
    country_of = pd.concat([everyone.set_index("alum_id")["country"], orgs["country"]])
    crossing = (partnerships["source_id"].map(country_of) != partnerships["target_id"].map(country_of))
    raised = float(projects["funds_raised_usd"].fillna(0).sum())
    funded = float(funding["amount_usd"].fillna(0).sum())
    last = year if year is not None else int(max(
        [*alumni["cohort_year"].dropna(), *projects["start_year"].dropna(),
         *partnerships["start_year"].dropna()], default=0))
    return {
        "alumni": len(alumni),
        "organizations": len(engaged),
        "countries": len(countries - {""}),
        "projects_launched": len(projects),
        "projects_active": len(projects_active_in(projects, last)),
        "beneficiaries": float(projects["beneficiaries"].fillna(0).sum()),
        "funds_raised": raised,
        "program_funding": funded,
        "leverage": raised / funded if funded else float("nan"),
        "cross_border": int(crossing.sum()),
        "cross_border_share": float(crossing.mean()) if len(crossing) else float("nan"),
        "active_alumni": len(active_alumni(tables, last - ACTIVE_WINDOW_YEARS + 1, last)),
    }


KPI_DEFINITIONS = (
    # key, label, unit, IRIS+ code
    ("alumni", "Alumni trained", "count", "PI2998"),
    ("organizations", "Organizations engaged", "count", ""),
    ("countries", "Countries reached", "count", ""),
    ("projects_launched", "Projects launched", "count", ""),
    ("projects_active", "Projects active", "count", ""),
    ("beneficiaries", "Beneficiaries reached", "count", "PI4060"),
    ("funds_raised", "Funds raised by projects", "usd", ""),
    ("program_funding", "Program funding", "usd", ""),
    ("leverage", "Leverage", "ratio", ""),
    ("cross_border", "Cross-border partnerships", "count", ""),
    ("cross_border_share", "Cross-border share", "share", ""),
    ("active_alumni", "Alumni active (last 2 years)", "count", ""),
)
assert tuple(k[0] for k in KPI_DEFINITIONS) == TARGET_METRICS

# One line per KPI for the page and the report; docs/metrics.md has the full definitions.
KPI_HELP = {
    "alumni": "Alumni whose cohort trained in the selected years (IRIS+ PI2998, Individuals Trained).",
    "organizations": "Organizations tied to the selected alumni: their own, their partners, "
                     "and their projects' partners.",
    "countries": "Countries of the selected alumni, the organizations engaged and the projects.",
    "projects_launched": "Projects led by the selected alumni that started in the selected years.",
    "projects_active": "Of those, projects running in the last selected year (begun, not ended, "
                       "neither planned nor paused).",
    "beneficiaries": "People reached by those projects (IRIS+ PI4060, Client Individuals).",
    "funds_raised": "Funds raised by those projects, in US dollars.",
    "program_funding": "Grants to the selected programs in the selected years, in US dollars.",
    "leverage": "Funds raised by alumni projects per dollar of program funding.",
    "cross_border": "Partnerships of the selected alumni, begun in the selected years, whose two "
                    "ends are in different countries.",
    "cross_border_share": "Cross-border partnerships as a share of all those partnerships.",
    "active_alumni": "Selected alumni with a partnership or project active in the last two "
                     "selected years.",
}
assert set(KPI_HELP) == set(TARGET_METRICS)


def data_years(tables: dict[str, pd.DataFrame]) -> tuple[int, int] | None:
    """The first and last year any alum trained, project started, tie began or grant was made."""
    years = pd.concat([tables["alumni"]["cohort_year"], tables["projects"]["start_year"],
                       tables["partnerships"]["start_year"], tables["funding"]["year"]]).dropna()
    return (int(years.min()), int(years.max())) if len(years) else None


def kpis(tables: dict[str, pd.DataFrame], selection: Selection | None = None) -> list[Kpi]:
    """The headline figures of a selection, each with its value a year earlier.

    The "year earlier" figure is the same selection with its last year left
    out: the change is what the last year added (or, for shares and
    leverage, how much they moved).

    Parameters
    ----------
    tables : dict of str to DataFrame
        Loaded tables.
    selection : Selection
        Programs, funder, years, countries and causes. Without years, all
        the data's years.

    Returns
    -------
    list of Kpi, in KPI_DEFINITIONS order.
    """
    selection = selection or Selection()
    span = selection.years or data_years(tables)
    if span is None:
        now = _figures(select(tables, selection), None)
        return [Kpi(k, label, now[k], None, unit, iris) for k, label, unit, iris in KPI_DEFINITIONS]
    now = _figures(select(tables, replace(selection, years=span)), span[1])
    before = (_figures(select(tables, replace(selection, years=(span[0], span[1] - 1))), span[1] - 1)
              if span[1] > span[0] else None)
    return [Kpi(k, label, now[k], before[k] if before else None, unit, iris)
            for k, label, unit, iris in KPI_DEFINITIONS]


# --- series for the charts -------------------------------------------------------------------

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


def targets_vs_actuals(tables: dict[str, pd.DataFrame], selection: Selection | None = None) -> pd.DataFrame:
    """Each target beside the figure for its year (the selection narrowed to that one year).

    Returns ``metric``, ``label``, ``year``, ``target`` and ``actual``.
    """
    targets = tables.get("targets")
    if targets is None or targets.empty:
        return pd.DataFrame(columns=["metric", "label", "year", "target", "actual"])
    selection = selection or Selection()
    labels = {k: label for k, label, _, _ in KPI_DEFINITIONS}
    actual = []
    for metric, year in zip(targets["metric"], targets["year"], strict=True):
        narrowed = select(tables, replace(selection, years=(int(year), int(year))))
        actual.append(_figures(narrowed, int(year))[metric])
    return targets.assign(label=targets["metric"].map(labels), actual=actual)[
        ["metric", "label", "year", "target", "actual"]].reset_index(drop=True)


def project_table(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Projects with their lead's name, program and cohort, and their partners' names and countries."""
    alumni = tables.get("alumni_all", tables["alumni"]).set_index("alum_id")
    orgs = tables["organizations"].set_index("org_id")
    names = pd.concat([alumni["name"], orgs["name"]])
    countries = pd.concat([alumni["country"], orgs["country"]])
    projects = tables["projects"]
    lead = projects["lead_alum_id"]
    return projects.assign(
        lead=lead.map(alumni["name"]), program=lead.map(alumni["program"]),
        cohort=lead.map(alumni["cohort"]),
        partners=projects["partner_ids"].map(lambda ids: [names.get(i, i) for i in ids]),
        partner_countries=projects["partner_ids"].map(
            lambda ids: sorted({countries.get(i, "") for i in ids} - {""})),
    )


def highlighted_projects(projects: pd.DataFrame, per_story: int = 3) -> dict[str, pd.DataFrame]:
    """A few stories from a project table (see :func:`project_table`).

    ``largest reach`` (most beneficiaries), ``newest`` (latest start, then
    latest ID) and ``across borders`` (a partner in another country than the
    project's, most beneficiaries first).
    """
    abroad = pd.Series([any(country != c for country in p) for c, p in
                        zip(projects["country"], projects["partner_countries"], strict=True)],
                       index=projects.index, dtype=bool)
    across = projects[abroad]
    by_reach = ["beneficiaries", "project_id"]
    return {
        "largest reach": projects.sort_values(by_reach, ascending=False, na_position="last").head(per_story),
        "newest": projects.sort_values(["start_year", "project_id"], ascending=False).head(per_story),
        "across borders": across.sort_values(by_reach, ascending=False, na_position="last").head(per_story),
    }


def format_value(value: float | None, unit: str, change: bool = False) -> str:
    """A figure as a funder reads it: 1,234 · $2.2M · 1.11x · 31%; changes carry a sign.

    >>> format_value(2195400, "usd"), format_value(0.3134, "share"), format_value(3, "count", True)
    ('$2.2M', '31%', '+3')
    """
    if value is None or pd.isna(value):
        return "–"
    sign = "+" if change and value > 0 else ""
    if unit == "usd":
        size = abs(value)
        text = (f"${value / 1e6:.1f}M" if size >= 1e6 else f"${value / 1e3:.0f}k" if size >= 1e4
                else f"${value:,.0f}")
        return sign + text
    if unit == "ratio":
        return f"{sign}{value:.2f}x"
    if unit == "share":
        return f"{sign}{value * 100:.0f}{' pts' if change else '%'}"
    return f"{sign}{value:,.0f}"


@dataclass(frozen=True)
class ProjectFilter:
    """The projects page's filters; empty means all, ``years`` bounds the start year."""

    causes: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    years: tuple[int, int] | None = None


def filter_projects(projects: pd.DataFrame, wanted: ProjectFilter) -> pd.DataFrame:
    """Projects (from :func:`project_table`) that match every filter given."""
    keep = _in_years(projects["start_year"], wanted.years)
    for column, values in (("cause", wanted.causes), ("status", wanted.statuses),
                           ("country", wanted.countries), ("program", wanted.programs)):
        if values:
            keep &= projects[column].isin(values)
    return projects[keep]


def project_totals(projects: pd.DataFrame) -> dict[str, float]:
    """Count, beneficiaries and funds raised of a set of projects (blanks count as 0)."""
    return {"projects": len(projects),
            "beneficiaries": float(projects["beneficiaries"].fillna(0).sum()),
            "funds_raised": float(projects["funds_raised_usd"].fillna(0).sum())}
