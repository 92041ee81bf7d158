"""The funder's figures: what the programs did, within a selection of programs, years and places.

:func:`select_tables` narrows the tables to a :class:`~analytics.selection.Selection`;
:func:`kpis` computes the headline figures with their change on the year
before, and :func:`kpis_compared` with their change on what the funder
chooses: the year before that had activity, a year, or the target. Each
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
>>> from analytics.selection import Selection, isin
>>> k = {k.key: k for k in kpis(tables, Selection(years=(2015, 2016)))}
>>> k["alumni"].value, k["alumni"].previous
(2, 1)
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import pandas as pd

from analytics import i18n
from analytics.data.schema import TARGET_METRICS
from analytics.i18n import N_, _
from analytics.impact.introductions import introduction_outcomes, introductions_of
from analytics.selection import Selection, active_between, distinct, in_years, isin, matches

ACTIVE_WINDOW_YEARS = 2
# The currency of every amount: the contract's money columns (funds_raised_usd, amount_usd) are
# in US dollars. Amounts are shown in it in both languages, never converted.
CURRENCY = "USD"


@dataclass(frozen=True)
class Kpi:
    """One headline figure. ``label`` is the English label (KPI_DEFINITIONS), shown with
    ``_(label)``; ``compared_with`` is already in the language it was computed in."""

    key: str
    label: str
    value: float
    previous: float | None  # the figure it is compared with (see compared_with); None: no change
    unit: str  # "count", "usd", "ratio", "share"
    iris: str = ""  # IRIS+ metric code where one exists
    compared_with: str = ""  # what previous is: "2015" (the period up to that year) or
    # "target 2016" (2016年の目標); blank when the card shows no change
    period: str = ""  # the years value counts: "2011–2016", or "2016" against a target

    @property
    def change(self) -> float | None:
        if self.previous is None or pd.isna(self.previous) or pd.isna(self.value):
            return None
        return self.value - self.previous


@dataclass(frozen=True)
class SelectedTables:
    """The tables narrowed to a selection (see :func:`select_tables`)."""

    alumni: pd.DataFrame  # trained in the selection's years
    community: pd.DataFrame  # trained by its last year: everyone whose activity in the years counts
    everyone: pd.DataFrame  # every alum: a partner may be outside the selection
    organizations: pd.DataFrame
    projects: pd.DataFrame
    partnerships: pd.DataFrame
    funding: pd.DataFrame
    # made in the years with a community alum as an end, with became_tie and tie_year
    introductions: pd.DataFrame = field(default_factory=lambda: introduction_outcomes(
        introductions_of({}), pd.DataFrame(columns=["source_id", "target_id", "start_year"])))


def select_tables(tables: dict[str, pd.DataFrame], selection: Selection) -> SelectedTables:
    """Narrow the tables to a selection, for the funder's figures.

    - ``alumni``: in the programs (those the funder funded), trained in the
      years, living in the countries, working on any of the causes;
    - ``community``: the same, but trained in or before the years;
    - ``projects``: led by alumni of those programs and countries trained by
      the last year, started in the years, running in the countries, on the
      causes (a project counts by its own cause, whatever its lead lists);
    - ``partnerships``: with one of the community as an end, begun in the years;
    - ``funding``: for those programs in those years (the funder's own grants only);
    - ``introductions``: with one of the community as an end, made in the years,
      each with whether it became a tie (:func:`~analytics.impact.introductions.introduction_outcomes`,
      against every partnership: the tie may begin after the years). Empty
      when the data has no introductions table.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Loaded tables.
    selection : Selection
        Its programs, funder, years, countries and causes apply.

    Returns
    -------
    SelectedTables
    """
    alumni, projects = tables["alumni"], tables["projects"]
    partnerships, funding = tables["partnerships"], tables["funding"]
    resolved = selection.for_funding(funding)
    last = resolved.years and resolved.years[1]
    trained_by_last = alumni["cohort_year"].le(last).fillna(False).astype(bool) if last \
        else pd.Series(True, index=alumni.index)
    leading = trained_by_last & matches(alumni, resolved, ["programs", "countries"])
    community = alumni[leading & matches(alumni, resolved, ["causes"])]
    ids = distinct(community["alum_id"])
    projects = projects[isin(projects["lead_alum_id"], distinct(alumni.loc[leading, "alum_id"]))
                        & matches(projects, resolved, ["years", "countries", "causes"],
                                  year_column="start_year")]
    partnerships = partnerships[(isin(partnerships["source_id"], ids) | isin(partnerships["target_id"], ids))
                                & in_years(partnerships["start_year"], resolved.years)]
    grants = matches(funding, resolved, ["programs", "years"], year_column="year")
    if resolved.funder:
        grants &= funding["funder_id"] == resolved.funder
    introductions = introductions_of(tables)
    # As objects: isin then uses pandas' hash tables, not a Python loop over Arrow strings.
    ends = isin(introductions["first_id"], ids) | \
        isin(introductions["second_id"], ids)
    introductions = introductions[ends & in_years(introductions["year"], resolved.years)]
    return SelectedTables(
        alumni=community[in_years(community["cohort_year"], resolved.years)], community=community,
        everyone=alumni, organizations=tables["organizations"], projects=projects,
        partnerships=partnerships, funding=funding[grants],
        introductions=introduction_outcomes(introductions, tables["partnerships"]))


def engaged_organizations(selected: SelectedTables) -> set[str]:
    """Organizations tied to the selected community: their own, their partners', their projects' partners."""
    partnerships = selected.partnerships
    found = distinct(selected.community["organization_id"]) \
        | distinct(partnerships["source_id"]) | distinct(partnerships["target_id"]) \
        | distinct(selected.projects["partner_ids"].explode().dropna())
    return found & distinct(selected.organizations["org_id"])


def projects_active_in(projects: pd.DataFrame, year: int) -> pd.DataFrame:
    """Projects running in a year: begun by then, not ended before it, neither planned nor paused."""
    return projects[active_between(projects["start_year"], projects["end_year"], year, year)
                    & ~isin(projects["status"], ["planned", "paused"])]


def active_alumni(people, partnerships: pd.DataFrame, projects: pd.DataFrame,
                  first: int, last: int) -> set[str]:
    """Which of ``people`` (alum IDs) had a partnership or a project (led or partnered) active
    in years first..last (see :func:`~analytics.selection.active_between`); a project still
    planned does not count."""
    live = partnerships[active_between(partnerships["start_year"], partnerships["end_year"],
                                       first, last)]
    running = projects[active_between(projects["start_year"], projects["end_year"], first, last)
                       & (projects["status"] != "planned")]
    engaged = distinct(live["source_id"]) | distinct(live["target_id"]) \
        | distinct(running["lead_alum_id"]) | distinct(running["partner_ids"].explode().dropna())
    return engaged & distinct(people)


def crosses_border(selected: SelectedTables) -> pd.Series:
    """Whether each selected partnership joins two different countries (its ends' countries:
    an alum's, or an organization's)."""
    orgs = selected.organizations.set_index("org_id")
    country_of = pd.concat([selected.everyone.set_index("alum_id")["country"], orgs["country"]])
    partnerships = selected.partnerships
    return partnerships["source_id"].map(country_of) != partnerships["target_id"].map(country_of)


def _figures(selected: SelectedTables, year: int | None) -> dict[str, float]:
    alumni, projects, community = selected.alumni, selected.projects, selected.community
    partnerships, funding = selected.partnerships, selected.funding
    orgs = selected.organizations.set_index("org_id")
    engaged = engaged_organizations(selected)
    countries = distinct(community["country"]) | distinct(orgs.loc[list(engaged), "country"]) \
        | distinct(projects["country"])
    crossing = crosses_border(selected)
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
        "active_alumni": len(active_alumni(community["alum_id"], partnerships, projects,
                                           last - ACTIVE_WINDOW_YEARS + 1, last)),
        "introductions": len(selected.introductions),
        "introductions_to_ties": int(selected.introductions["became_tie"].sum()),
    }


KPI_DEFINITIONS = (
    # key, label (English, marked for the catalog: shown with _(label)), unit, IRIS+ code
    ("alumni", N_("Alumni trained"), "count", "PI2998"),
    ("organizations", N_("Organizations engaged"), "count", ""),
    ("countries", N_("Countries reached"), "count", ""),
    ("projects_launched", N_("Projects launched"), "count", ""),
    ("projects_active", N_("Projects active"), "count", ""),
    ("beneficiaries", N_("Beneficiaries reached"), "count", "PI4060"),
    ("funds_raised", N_("Funds raised by projects"), "usd", ""),
    ("program_funding", N_("Program funding"), "usd", ""),
    ("leverage", N_("Leverage"), "ratio", ""),
    ("cross_border", N_("Cross-border partnerships"), "count", ""),
    ("cross_border_share", N_("Cross-border share"), "share", ""),
    ("active_alumni", N_("Alumni active (last 2 years)"), "count", ""),
    ("introductions", N_("Introductions made"), "count", ""),
    ("introductions_to_ties", N_("Introductions that became ties"), "count", ""),
)
# A target may be set for a headline figure (the contract's list); every figure it lists is one.
assert set(TARGET_METRICS) <= {k[0] for k in KPI_DEFINITIONS}

# One line per KPI for the page and the report, in English and marked for the catalog: shown
# with _(KPI_HELP[key]). docs/metrics.md has the full definitions.
KPI_HELP = {
    "alumni": N_("Alumni whose cohort trained in the selected years (IRIS+ PI2998, Individuals "
                 "Trained)."),
    "organizations": N_("Organizations tied to the selected alumni: their own, their partners, "
                        "and their projects' partners."),
    "countries": N_("Countries of the selected alumni, the organizations engaged and the "
                    "projects."),
    "projects_launched": N_("Projects led by the selected alumni that started in the selected "
                            "years."),
    "projects_active": N_("Of those, projects running in the last selected year (begun, not "
                          "ended, neither planned nor paused)."),
    "beneficiaries": N_("People reached by those projects (IRIS+ PI4060, Client Individuals)."),
    "funds_raised": N_("Funds raised by those projects, in US dollars."),
    "program_funding": N_("Grants to the selected programs in the selected years, in US "
                          "dollars."),
    "leverage": N_("Funds raised by alumni projects per dollar of program funding."),
    "cross_border": N_("Partnerships of the selected alumni, begun in the selected years, whose "
                       "two ends are in different countries."),
    "cross_border_share": N_("Cross-border partnerships as a share of all those partnerships."),
    "active_alumni": N_("Selected alumni with a partnership or project active in the last two "
                        "selected years."),
    "introductions": N_("Introductions the program made in the selected years (by staff or as "
                        "suggestions) with a selected alum as one of the two introduced."),
    "introductions_to_ties": N_("Of those introductions, the ones after which the two began a "
                                "partnership (in the year of the introduction or later)."),
}
assert set(KPI_HELP) == {k[0] for k in KPI_DEFINITIONS}


def data_years(tables: dict[str, pd.DataFrame]) -> tuple[int, int] | None:
    """The first and last year any alum trained, project started, tie began, grant or
    introduction was made: the years the headline figures count from."""
    years = pd.concat([tables["alumni"]["cohort_year"], tables["projects"]["start_year"],
                       tables["partnerships"]["start_year"], tables["funding"]["year"],
                       introductions_of(tables)["year"]]).dropna()
    return (int(years.min()), int(years.max())) if len(years) else None


def kpis(tables: dict[str, pd.DataFrame], selection: Selection | None = None) -> list[Kpi]:
    """The headline figures of a selection, each with its value a year earlier.

    The "year earlier" figure is the same selection with its last year left
    out: the change is what the last year added (or, for shares and
    leverage, how much they moved). It is left out (``previous`` None) where
    it cannot be computed: a one-year period, a figure undefined in either
    year, or data that does not reach the last year (:func:`comparable_figures`).

    Parameters
    ----------
    tables : dict of str to DataFrame
        Loaded tables.
    selection : Selection
        Programs, funder, years, countries and causes. Without years, all
        the data's years.

    Returns
    -------
    list of Kpi, in KPI_DEFINITIONS order
        ``compared_with`` names the year before ("2015"; blank where there is
        no change) and ``period`` the years counted. To compare with the year
        before that had activity, a chosen year or the target, see
        :func:`kpis_compared`.
    """
    selection = selection or Selection()
    span = selection.years or data_years(tables)
    return _against_year(tables, selection, span, span[1] - 1 if span else None)


def _period(first: int, last: int) -> str:
    return str(last) if first == last else f"{first}–{last}"


def _against_year(tables: dict[str, pd.DataFrame], selection: Selection,
                  span: tuple[int, int] | None, year: int | None) -> list[Kpi]:
    """The figures for ``span``, each beside the same figure for ``span[0]``..``year``."""
    if span is None:
        now = _figures(select_tables(tables, selection), None)
        return [Kpi(k, label, now[k], None, unit, iris) for k, label, unit, iris in KPI_DEFINITIONS]
    first, last = span
    now = _figures(select_tables(tables, replace(selection, years=span)), last)
    before = (_figures(select_tables(tables, replace(selection, years=(first, year))), year)
              if year is not None and first <= year < last else None)
    comparable = comparable_figures(tables, last)
    figures = [Kpi(k, label, now[k], before[k] if before and k in comparable else None, unit, iris,
                   compared_with=str(year), period=_period(first, last))
               for k, label, unit, iris in KPI_DEFINITIONS]
    return [f if f.change is not None else replace(f, compared_with="") for f in figures]


# The tables each figure is counted from, by the column that dates their rows.
KPI_SOURCES = {
    "alumni": {"alumni": "cohort_year"},
    "organizations": {"alumni": "cohort_year", "partnerships": "start_year", "projects": "start_year"},
    "countries": {"alumni": "cohort_year", "partnerships": "start_year", "projects": "start_year"},
    "projects_launched": {"projects": "start_year"},
    "projects_active": {"projects": "start_year"},
    "beneficiaries": {"projects": "start_year"},
    "funds_raised": {"projects": "start_year"},
    "program_funding": {"funding": "year"},
    "leverage": {"projects": "start_year", "funding": "year"},
    "cross_border": {"partnerships": "start_year"},
    "cross_border_share": {"partnerships": "start_year"},
    "active_alumni": {"partnerships": "start_year", "projects": "start_year"},
    # An introduction made in the last year can only have become a tie that began in it or later:
    # until the partnerships reach that year, "none became a tie" is not known.
    "introductions": {"introductions": "year"},
    "introductions_to_ties": {"introductions": "year", "partnerships": "start_year"},
}
assert set(KPI_SOURCES) == {k[0] for k in KPI_DEFINITIONS}


def comparable_figures(tables: dict[str, pd.DataFrame], last: int) -> set[str]:
    """The figures whose change on the year before can be computed for a period ending in ``last``.

    A figure's change is what ``last`` added to it; that is known only when
    every table it is counted from (KPI_SOURCES) has rows dated ``last`` or
    later, in the data as a whole. Otherwise the data does not reach that
    year yet (a cohort not entered, grants not recorded), and a change of 0
    would say "nothing happened" where the truth is "not known".

    >>> alumni = pd.DataFrame({"cohort_year": [2015, 2016]})
    >>> projects = pd.DataFrame({"start_year": [2015]})
    >>> tables = {"alumni": alumni, "projects": projects,
    ...           "partnerships": pd.DataFrame({"start_year": [2016]}),
    ...           "funding": pd.DataFrame({"year": []})}
    >>> sorted(comparable_figures(tables, 2016))
    ['alumni', 'cross_border', 'cross_border_share']
    """
    dated = {name: column for sources in KPI_SOURCES.values() for name, column in sources.items()}
    reach = {name: _last_year(tables.get(name), column) for name, column in dated.items()}
    return {key for key, sources in KPI_SOURCES.items()
            if all(pd.notna(reach[name]) and reach[name] >= last for name in sources)}


def _last_year(frame: pd.DataFrame | None, column: str) -> float:
    """The latest year in a table's column; NaN when the table or column is absent or blank."""
    if frame is None or column not in frame:
        return float("nan")
    latest = frame[column].max()
    return float("nan") if pd.isna(latest) else latest


# The dated columns that say something happened in a year (funding is money, not activity).
ACTIVITY = {"alumni": "cohort_year", "partnerships": "start_year", "projects": "start_year",
            "outcomes": "year", "introductions": "year"}


def activity_years(tables: dict[str, pd.DataFrame]) -> list[int]:
    """The years that had activity, in order.

    A year has activity when an alumni cohort trained in it, or a
    partnership, a project, an outcome survey's answer or an introduction
    is dated in it (ACTIVITY). Tables or columns the data lacks are skipped.

    >>> tables = {"alumni": pd.DataFrame({"cohort_year": [2012, 2012]}),
    ...           "projects": pd.DataFrame({"start_year": [2016]}),
    ...           "partnerships": pd.DataFrame({"start_year": [2013, None]})}
    >>> activity_years(tables)
    [2012, 2013, 2016]
    """
    years = set()
    for name, column in ACTIVITY.items():
        frame = tables.get(name)
        if frame is not None and column in frame:
            years |= {int(y) for y in frame[column].dropna().unique()}
    return sorted(years)


def compare_years(tables: dict[str, pd.DataFrame]) -> tuple[int, int] | None:
    """The last two years that had activity (:func:`activity_years`): the change that means something.

    Comparing the last year with the calendar year before says nothing when
    nothing happened in that year before; the last two years with activity
    are the two a funder can compare. None with fewer than two such years.

    >>> tables = {"alumni": pd.DataFrame({"cohort_year": [2012]}),
    ...           "partnerships": pd.DataFrame({"start_year": [2013]}),
    ...           "projects": pd.DataFrame({"start_year": [2016]})}
    >>> compare_years(tables)
    (2013, 2016)
    """
    years = activity_years(tables)
    return (years[-2], years[-1]) if len(years) >= 2 else None


TARGET = "target"


def kpis_compared(tables: dict[str, pd.DataFrame], selection: Selection | None = None,
                  against: int | str | None = None) -> list[Kpi]:
    """The headline figures, each beside what the funder chose to compare them with.

    Parameters
    ----------
    tables : dict of str to DataFrame
        Loaded tables.
    selection : Selection, optional
        Programs, funder, years, countries and causes. Without years, all
        the data's years (:func:`data_years`).
    against : int, "target" or None
        - None (the default): the year before that had activity. The value
          is the figure for the period; ``previous`` is the same figure for
          the period up to the last year with activity before its last year
          (:func:`activity_years`). With activity in 2012, 2013 and 2016,
          2016 is compared with 2013: the change is what 2014-2016 added
          (for shares, how far they moved), not a change on an empty 2015.
        - a year: the same, up to that year. It must lie in the period,
          before its last year; otherwise no card shows a change.
        - ``"target"``: each figure for the period's last year alone (a
          target is for one year's figure, as in :func:`targets_vs_actuals`)
          beside its target for that year; figures without a target show
          no change.

        Whatever it is, a card shows no change where it cannot be computed:
        a figure undefined on either side, or whose tables do not reach the
        period's last year (:func:`comparable_figures`).

    Returns
    -------
    list of Kpi, in KPI_DEFINITIONS order
        ``compared_with`` says what ``previous`` is ("2013" or "target
        2016", blank where there is no change) and ``period`` the years
        ``value`` counts ("2011–2016", or "2016" against a target).

    Examples
    --------
    >>> alumni = pd.DataFrame({"alum_id": ["A1", "A2"], "program": ["P", "P"],
    ...                        "cohort_year": [2013, 2016], "country": ["JP", "JP"],
    ...                        "causes": [[], []], "organization_id": ["", ""]})
    >>> tables = {"alumni": alumni, "organizations": pd.DataFrame(columns=["org_id", "country"]),
    ...           "partnerships": pd.DataFrame(columns=["source_id", "target_id", "start_year",
    ...                                                 "end_year"]),
    ...           "projects": pd.DataFrame(columns=["project_id", "lead_alum_id", "cause", "country",
    ...                                             "start_year", "end_year", "status", "beneficiaries",
    ...                                             "funds_raised_usd", "partner_ids"]),
    ...           "funding": pd.DataFrame(columns=["funder_id", "program", "year", "amount_usd"]),
    ...           "targets": pd.DataFrame({"metric": ["alumni"], "year": [2016], "target": [3.0]})}
    >>> trained = kpis_compared(tables)[0]
    >>> trained.value, trained.previous, trained.compared_with, trained.period
    (2, 1, '2013', '2013–2016')
    >>> trained = kpis_compared(tables, against="target")[0]
    >>> trained.value, trained.previous, trained.change, trained.compared_with
    (1, 3.0, -2.0, 'target 2016')
    """
    selection = selection or Selection()
    span = selection.years or data_years(tables)
    if span is None or against is None:
        earlier = [y for y in activity_years(tables) if span and span[0] <= y < span[1]]
        return _against_year(tables, selection, span, earlier[-1] if earlier else None)
    if against == TARGET:
        return _against_target(tables, selection, span[1])
    if isinstance(against, str):
        raise ValueError(f"Compare with a year, {TARGET!r} or None, not {against!r}")
    return _against_year(tables, selection, span, int(against))


def _against_target(tables: dict[str, pd.DataFrame], selection: Selection, year: int) -> list[Kpi]:
    """Each figure for ``year`` alone beside its target for that year, where one is set."""
    targets = tables.get("targets")
    wanted = {} if targets is None else {
        metric: float(target) for metric, when, target in zip(
            targets["metric"], targets["year"], targets["target"], strict=True)
        if pd.notna(when) and int(when) == year and pd.notna(target)}
    now = _figures(select_tables(tables, replace(selection, years=(year, year))), year)
    comparable = comparable_figures(tables, year)
    figures = [Kpi(k, label, now[k], wanted.get(k) if k in comparable else None, unit, iris,
                   compared_with=_("target {year}", year=year), period=str(year))
               for k, label, unit, iris in KPI_DEFINITIONS]
    return [f if f.change is not None else replace(f, compared_with="") for f in figures]


def targets_vs_actuals(tables: dict[str, pd.DataFrame], selection: Selection | None = None) -> pd.DataFrame:
    """Each target beside the figure for its year (the selection narrowed to that one year).

    Returns ``metric``, ``label`` (the figure's name in the current language, for display),
    ``year``, ``target`` and ``actual``.
    """
    targets = tables.get("targets")
    if targets is None or targets.empty:
        return pd.DataFrame(columns=["metric", "label", "year", "target", "actual"])
    selection = selection or Selection()
    labels = {k: _(label) for k, label, _unit, _iris in KPI_DEFINITIONS}
    actual = []
    for metric, year in zip(targets["metric"], targets["year"], strict=True):
        narrowed = select_tables(tables, replace(selection, years=(int(year), int(year))))
        actual.append(_figures(narrowed, int(year))[metric])
    return targets.assign(label=targets["metric"].map(labels), actual=actual)[
        ["metric", "label", "year", "target", "actual"]].reset_index(drop=True)


def format_value(value: float | None, unit: str, change: bool = False) -> str:
    """A figure as a funder reads it, in the current language: 1,234 · $2.2M · 1.11x · 31%;
    changes carry a sign. Money is in CURRENCY, as the language writes it ($219.5万 in
    Japanese), short from 10,000 on.

    A change carries a sign only when it moves the figure as shown: a share
    that moved by 0.0001 is "0 pts", not "+0 pts".

    >>> format_value(2195400, "usd"), format_value(0.3134, "share"), format_value(3, "count", True)
    ('$2.2M', '31%', '+3')
    >>> format_value(1e-17, "share", True), format_value(-0.004, "ratio", True)
    ('0 pts', '0.00x')
    >>> with i18n.speaking("ja"):
    ...     format_value(2195400, "usd"), format_value(1.114, "ratio"), format_value(-0.5, "share", True)
    ('$219.5万', '1.11倍', '-50ポイント')
    """
    if value is None or pd.isna(value):
        return "–"
    if unit == "usd":
        text = i18n.money(value, CURRENCY, compact=abs(value) >= 1e4)
    elif unit == "ratio":
        # Translators: a ratio, as in "1.11x" (funds raised per dollar of funding).
        text = _("{ratio}x", ratio=i18n.number(value, 2))
    elif unit == "share" and change:
        # Translators: a change in a percentage, in percentage points ("+5 pts").
        text = _("{points} pts", points=i18n.number(value * 100))
    elif unit == "share":
        text = i18n.percent(value)
    else:
        text = i18n.number(value)
    if not any(c in "123456789" for c in text):
        return text.replace("-", "")  # "-0.00x" is no change
    return "+" + text if change and value > 0 else text
