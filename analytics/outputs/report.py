"""The funder's take-away: one self-contained HTML report of a selection.

Plotly and the world outline are inlined, so the report opens and draws
offline with no request to anything outside the file; it prints cleanly to
PDF from a browser (no chart toolbars, no heading left at the foot of a page,
charts sized for an A4 or Letter page). Every name and title from the data is
escaped by the template, and every figure in it is defined in the report
itself ("How each figure is counted"): a reader needs nothing else.

It is written in the current language (:mod:`analytics.i18n`): the template's
words through Jinja's i18n extension (Babel extracts them), the rest as it is
computed; numbers, money, dates, countries and people's names as the language
writes them, in fonts that carry Japanese (:data:`analytics.palette.FONT_FAMILY`).

Its sections, in order: the headline figures; the five dimensions of impact;
outcomes by cohort; the collaboration network (its figures, the map of ties
between countries, the brokers, the ties the program made); alumni and
projects over time; stories; how each figure is counted.

>>> import tempfile
>>> from analytics import load_dataset
>>> from analytics.data import synth
>>> folder = synth.write(synth.generate(), tempfile.mkdtemp())[0].parent
>>> html = build_report(load_dataset(folder))
>>> "Alumni trained" in html and "<script src=" not in html
True
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import jinja2
import pandas as pd
import plotly.graph_objects as go
import plotly.offline
from markupsafe import Markup

from analytics import i18n, palette
from analytics.data.countries import country_name
from analytics.data.loader import Dataset
from analytics.data.places import TOPOJSON_DIR
from analytics.i18n import N_, _, listed, ngettext
from analytics.impact import series
from analytics.impact.kpis import (
    KPI_DEFINITIONS,
    KPI_HELP,
    data_years,
    format_value,
    kpis_compared,
    select_tables,
    targets_vs_actuals,
)
from analytics.impact.outcomes import (
    BASELINE,
    FEW,
    FEW_ANSWERED,
    PROGRAM_ORIGINS,
    UNDER_HALF,
    impact_dimensions,
    outcomes_by_cohort,
    wave_name,
)
from analytics.impact.projects import highlighted_projects, project_table
from analytics.network import metrics
from analytics.network.analysis import AnalysedView, analyze, country_ties, headline_figures
from analytics.outputs import charts
from analytics.privacy import MIN_GROUP, Audience, groups_shown_to, made_for
from analytics.selection import Selection

TEMPLATE_DIR = Path(__file__).parent / "templates"

# Every figure of the report: no toolbar (it would print), sized by its box (the page's width).
FIGURE_CONFIG = {"displayModeBar": False, "displaylogo": False, "responsive": True}
TOP_BROKERS = 5  # alumni shown as brokers; organizations: two fewer
BROKERS_SEARCHED = 60  # the brokers ranked, among whom those are found
# The network's figures as a card says them, by the card's English label (the network's
# headline_figures label them in the current language); the definitions at the end say the rest.
NETWORK_CARDS = {
    N_("Nodes"): N_("Alumni and organizations in the network."),
    N_("Ties"): N_("Pairs that work together; several ties between two count once."),
    N_("Cross-border"): N_("Ties that join two different countries."),
    N_("E-I index"): N_("From -1 (every tie at home) to +1 (every tie across a border)."),
    N_("Communities"): N_("Groups tied more densely inside than to each other."),
    N_("Modularity"): N_("How clearly the network splits into those groups; above 0.3 is clear."),
}


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    return plotly.offline.get_plotlyjs(), (TOPOJSON_DIR / "world_110m.json").read_text(encoding="utf-8")


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    """The report's templates, with ``_`` and ``ngettext`` in the current language (each
    call translates when the page is rendered, so one environment serves every language)."""
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True,
                                     trim_blocks=True, lstrip_blocks=True,
                                     extensions=["jinja2.ext.i18n"])
    environment.install_gettext_callables(i18n._, i18n.ngettext, newstyle=True)
    return environment


def outcomes_shown_to(audience: Audience | None, outcomes: pd.DataFrame) -> pd.DataFrame:
    """The outcomes table as an audience may see it.

    Where small groups are folded (the public), a mean of fewer than
    MIN_GROUP answers, or a change resting on fewer than MIN_GROUP people,
    could be one person's answer: it is blanked, and ``withheld`` says so.
    How many answered of how many could is kept.

    >>> table = pd.DataFrame({"answered": [2, 9], "paired": [2, 4], "mean": [3.0, 4.0],
    ...                       "change": [1.0, 0.5]})
    >>> shown = outcomes_shown_to(Audience.PUBLIC, table)
    >>> shown["mean"].tolist(), shown["change"].tolist(), shown["withheld"].tolist()
    ([nan, 4.0], [nan, nan], [True, False])
    """
    withheld = pd.Series(False, index=outcomes.index)
    if audience is None or audience.may.small_groups:
        return outcomes.assign(withheld=withheld)
    few = outcomes["answered"] < MIN_GROUP
    return outcomes.assign(mean=outcomes["mean"].mask(few),
                           change=outcomes["change"].mask(outcomes["paired"] < MIN_GROUP),
                           withheld=few)


def activity_figures(tables: dict[str, pd.DataFrame], selection: Selection,
                     audience: Audience | None = None) -> list[go.Figure]:
    """The charts of alumni, projects and targets over time, for a selection: those with data."""
    chosen = select_tables(tables, selection)
    alumni, projects = chosen.alumni, chosen.projects
    figures = []
    if len(alumni):
        by_country = series.alumni_by(alumni, "country")
        if audience is not None:
            by_country = groups_shown_to(audience, by_country, "country", "alumni")
        figures += [charts.alumni_per_cohort_chart(series.alumni_per_cohort(alumni)),
                    charts.cumulative_alumni_chart(series.cumulative_alumni(alumni)),
                    charts.alumni_by_chart(by_country, "country")]
    if len(projects):
        figures += [charts.projects_per_year_chart(series.projects_per_year(projects)),
                    charts.reach_chart(series.reach_per_year(projects)),
                    charts.projects_map(projects, height=380)]
    targets = targets_vs_actuals(tables, selection) if len(alumni) else []
    if len(targets):
        figures.append(charts.targets_chart(targets))
    return figures


def outcome_figures(outcomes: pd.DataFrame) -> list[go.Figure]:
    """One outcomes chart per indicator, in the order the table gives them."""
    found = (charts.outcomes_chart(outcomes, indicator)
             for indicator in _indicator_order(outcomes))
    return [f for f in found if f is not None]


def _indicator_order(outcomes: pd.DataFrame) -> list[str]:
    """The indicators, those about people first, then projects, each group by name."""
    if outcomes.empty:
        return []
    kinds = outcomes.drop_duplicates("indicator").sort_values(["subject_kind", "indicator"])
    return list(kinds["indicator"])


def _recorded_origins(partnerships: pd.DataFrame) -> bool:
    return "origin" in partnerships and bool(
        (series.origin_groups(partnerships) != "not_recorded").any())


def report_figures(tables: dict[str, pd.DataFrame], selection: Selection,
                   audience: Audience | None = None) -> list[go.Figure]:
    """Every chart of the report, for a selection: those with data to show.

    The alumni, projects and targets charts; the map of ties between
    countries; the partnerships by origin where any origin is recorded; one
    outcomes chart per indicator. ``audience`` folds small groups and
    withholds means of few answers where its policy asks (none by default).
    """
    figures = activity_figures(tables, selection, audience)
    countries = country_ties(tables, selection)
    if len(countries):
        figures.append(charts.country_map(countries, height=340))
    ties = select_tables(tables, selection).partnerships
    if _recorded_origins(ties):
        figures.append(charts.ties_by_origin_chart(series.ties_by_origin(ties)))
    figures += outcome_figures(outcomes_shown_to(audience, outcomes_by_cohort(tables, selection)))
    return figures


def describe_selection(selection: Selection, tables: dict[str, pd.DataFrame]) -> str:
    """The selection in words, in the current language, for the report's heading and the
    pages' captions (which put "Selection:" before it): its programs, funder, years, countries
    (by name) and causes."""
    names = dict(zip(tables["organizations"]["org_id"], tables["organizations"]["name"], strict=True))
    parts = [listed(selection.programs) if selection.programs else _("All programs")]
    if selection.funder:
        parts.append(_("funded by {funder}", funder=names.get(selection.funder, selection.funder)))
    span = selection.years or data_years(tables)
    if span:
        parts.append(_("{first}–{last}", first=span[0], last=span[1]))
    if selection.countries:
        parts.append(listed(map(country_name, selection.countries)))
    if selection.causes:
        parts.append(listed(selection.causes))
    return " · ".join(parts)


def _untitled(figure: go.Figure) -> go.Figure:
    """A figure shown under a heading that already names it: its own title would repeat it."""
    figure.update_layout(title={"text": "", "subtitle": {"text": ""}}, margin={"t": 24})
    return figure


def _embed(figure: go.Figure) -> Markup:
    return Markup(figure.to_html(full_html=False, include_plotlyjs=False, config=FIGURE_CONFIG))


def _number(value: float) -> str:
    """A mean or change as a funder reads it: 1,234 from 100, else up to two decimals."""
    if abs(value) >= 100:
        return i18n.number(value)
    text = i18n.number(value, 2).rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


@dataclass
class OutcomeIndicator:
    """One indicator's chart and its table, cohort by cohort and wave by wave."""

    name: str
    unit: str
    iris: str
    subjects: str  # "questions about people" or "... projects", in the current language
    figure: Markup | None
    baseline: bool  # asked at baseline: a change from baseline can be measured
    cohorts: list[dict] = field(default_factory=list)  # each: program, cohort, heading, waves


def outcome_sections(outcomes: pd.DataFrame) -> list[OutcomeIndicator]:
    """The outcomes table as the report shows it, indicator by indicator.

    Each wave's row: its year, the mean of those who answered, the change
    from baseline on the same people with how many that rests on, how many
    answered of how many could, and a caution where the answers are few; in
    the current language (``wave`` stays the data's label, ``wave_name`` shows it).
    """
    if "withheld" not in outcomes:
        outcomes = outcomes.assign(withheld=False)
    found = []
    for indicator in _indicator_order(outcomes):
        rows = outcomes[outcomes["indicator"] == indicator]
        units = [u for u in rows["unit"] if u]
        codes = [c for c in rows["iris_code"] if c]
        figure = charts.outcomes_chart(rows, indicator)
        section = OutcomeIndicator(
            indicator, units[0] if units else "", codes[0] if codes else "",
            _("questions about projects") if (rows["subject_kind"] == "project").all()
            else _("questions about people"),
            _embed(_untitled(figure)) if figure is not None else None,
            bool((rows["wave"] == BASELINE).any()))
        asked_at_baseline = section.baseline
        for (program, cohort), group in rows.groupby(["program", "cohort"], sort=False):
            first = group["cohort_year"].dropna()
            waves = []
            for row in group.itertuples(index=False):
                if row.withheld:
                    mean = _("not shown (fewer than {count} answered)", count=MIN_GROUP)
                else:
                    mean = "–" if pd.isna(row.mean) else _number(row.mean)
                paired = i18n.number(row.paired)
                if row.wave == BASELINE:
                    change = wave_name(BASELINE)
                elif pd.isna(row.change):
                    change = (_("not shown (n = {count})", count=paired) if row.paired
                              else _("– (no one answered both)") if asked_at_baseline else "–")
                else:
                    change = _("{change} (n = {count})", count=paired,
                               change=("+" if row.change > 0 else "") + _number(row.change))
                counts = {"answered": i18n.number(row.answered),
                          "eligible": i18n.number(row.eligible)}
                answered = (_("{answered} of {eligible}", **counts) if pd.isna(row.response_rate)
                            else _("{answered} of {eligible} ({rate})",
                                   rate=i18n.percent(row.response_rate), **counts))
                waves.append({"wave": row.wave, "wave_name": wave_name(row.wave),
                              "year": "" if pd.isna(row.year) else int(row.year),
                              "mean": mean, "change": change, "answered": answered,
                              "caution": row.caution})
            heading = {"program": program, "cohort": cohort, "subjects": section.subjects}
            section.cohorts.append({
                "program": program, "cohort": cohort, "waves": waves,
                "heading": _("{program} · {cohort} (trained {year}) · {subjects}",
                             year=int(first.iloc[0]), **heading) if len(first)
                else _("{program} · {cohort} · {subjects}", **heading)})
        found.append(section)
    return found


@dataclass
class NetworkSection:
    """The collaboration network as the report shows it."""

    figures: list[tuple[str, str, str]]  # (label, value, what it means)
    ties: int
    country_map: Markup | None
    brokers: list[dict]
    origins: Markup | None
    origin_summary: str


def network_section(tables: dict[str, pd.DataFrame], selection: Selection,
                    analysis: AnalysedView | None = None) -> NetworkSection:
    """The network's figures, its map of ties between countries, its top brokers and the ties
    the program made, for a selection. Brokers are named as the dataset names them: a dataset
    redacted for the funder or the public carries pseudonyms for those who did not consent;
    people are named as the language puts them (:func:`analytics.i18n.person`)."""
    analysis = analysis or analyze(tables, selection)
    graph = analysis.graph
    countries = country_ties(tables, selection)
    country_map = _embed(_untitled(charts.country_map(countries, height=340))) \
        if len(countries) else None
    brokers = []
    if graph.number_of_edges():
        found = metrics.brokers(graph, analysis.scores, top=BROKERS_SEARCHED)
        nodes = analysis.nodes
        kinds = nodes.loc[found.index, "kind"]
        for kind, top in (("alum", TOP_BROKERS), ("org", TOP_BROKERS - 2)):
            for node, row in found[kinds == kind].head(top).iterrows():
                local = nodes.at[node, "label_local"] if "label_local" in nodes else ""
                brokers.append({
                    "name": i18n.person(nodes.at[node, "label"],
                                        local if isinstance(local, str) else ""),
                    "kind": kind,
                    "role": _("{role}, {program}", role=_("alum"),
                              program=nodes.at[node, "program"]) if kind == "alum"
                    else _("organization"),
                    "country": country_name(nodes.at[node, "country"]),
                    "cross_border": i18n.number(row["cross_border_ties"]),
                    "degree": i18n.number(row["degree"]),
                    "betweenness": i18n.number(row["betweenness"], 3),
                    "constraint": "–" if pd.isna(row["constraint"])
                    else i18n.number(row["constraint"], 2)})
    ties = select_tables(tables, selection).partnerships
    origins, summary = None, ""
    if _recorded_origins(ties):
        groups = series.origin_groups(ties)
        recorded = int((groups != "not_recorded").sum())
        made = int((groups == "program_made").sum())
        origins = _embed(_untitled(charts.ties_by_origin_chart(series.ties_by_origin(ties))))
        summary = _("Of the {total} partnerships of these alumni begun in the period, {recorded} "
                    "record where they came from; the program made {made} of those ({share}): "
                    "through a cohort, a forum, or an introduction by staff or suggested by "
                    "Kizuna.", total=i18n.number(len(ties)), recorded=i18n.number(recorded),
                    made=i18n.number(made), share=i18n.percent(made / recorded))
    meanings = {_(label): _(meaning) for label, meaning in NETWORK_CARDS.items()}
    cards = [(label, value, meanings.get(label, meaning))
             for label, value, meaning in headline_figures(analysis)]
    return NetworkSection(cards, graph.number_of_edges(), country_map, brokers, origins, summary)


def definitions(audience: Audience | None) -> list[tuple[str, list[tuple[str, str]]]]:
    """How each figure in the report is counted, in groups of (term, meaning), in the current
    language: the report's last section, so that it stands on its own."""
    headline = [(_("{label} (IRIS+ {code})", label=_(label), code=iris)
                 if iris and iris not in KPI_HELP[key] else _(label), _(KPI_HELP[key]))
                for key, label, _unit, iris in KPI_DEFINITIONS]
    headline.append((_("The change under a figure"), _(
        "The same figure counted for the data up to the year named: what the years since added "
        "(for shares and leverage, how far they moved). A figure shows no change where its data "
        "does not reach the period's last year, or where it cannot be computed.")))
    outcomes = [
        (_("Wave"), _("One round of the same questions: at baseline (before or at the start of "
                      "training), at exit, then a year or more later. A project's waves are its "
                      "years.")),
        (_("Mean"), _("The mean of the answers of those who answered that wave.")),
        (_("Change from baseline"), _(
            "Measured on the same people: the mean, over those who answered both the baseline "
            "and that wave, of their answer at that wave minus their own answer at baseline; n is "
            "how many answered both. Comparing the mean of everyone who answered later with the "
            "mean at baseline would compare two different groups, since those who answer later "
            "are usually fewer and not chosen at random.")),
        (_("Answered of eligible"), _(
            "How many answered that wave, of how many could: the cohort's alumni for a question "
            "about people, the cohort's projects for a question about projects.")),
        (_("Caution"), _(
            "\u201c{few}\u201d: fewer than {count} answers, so one answer more or less moves the "
            "mean; \u201c{under_half}\u201d: those who answered may differ from those who did "
            "not.", few=_(FEW), under_half=_(UNDER_HALF), count=FEW_ANSWERED)),
        ("IRIS+", _("The code of the matching metric in IRIS+, the Global Impact Investing "
                    "Network's catalogue of impact metrics, where one exists.")),
        (_("The five dimensions of impact"), _(
            "What, who, how much, contribution and risk: the questions the Impact Management "
            "Project agreed for describing impact, now kept by Impact Frontiers. Each is filled "
            "from the data there is; one without data says what data would fill it.")),
    ]
    if audience is not None and not audience.may.small_groups:
        outcomes.append((_("Not shown"), _(
            "In this public report a mean of fewer than {count} answers, or a change resting on "
            "fewer than {count} people, is not shown: it could be one person's answer.",
            count=MIN_GROUP)))
    explained = metrics.explanation
    network = [
        (_("Nodes and ties"), _(
            "Alumni and organizations are the nodes; a tie joins two that work together (a "
            "partnership, or a project led by one with the other as a partner). Several ties "
            "between the same two count once.")),
        (_("Cross-border share"), explained("cross_border")),
        (_("E-I index"), explained("ei_index")),
        (_("Communities and modularity"), explained("communities")),
        (_("Brokers"), explained("brokers")),
        (_("Betweenness"), explained("betweenness")),
        (_("Constraint"), _("Burt's constraint: near 1 when a node's contacts are all tied to "
                            "each other, lower when they are not, so the node alone links them.")),
        (_("Ties the program made"), _(
            "Partnerships whose recorded origin is {origins}, among those whose origin is "
            "recorded. Partnerships with no recorded origin are counted apart: whether the "
            "program made them is not known.", origins=listed(map(_, PROGRAM_ORIGINS)))),
    ]
    return [(_("Headline figures"), headline),
            (_("Outcomes and the dimensions of impact"), outcomes),
            (_("The collaboration network"), network)]


def headline_note(period: str, compared: str) -> str:
    """The line under the headline figures' heading: what they count, and their change on what."""
    if period and compared:
        return _("Each figure counts {period}; the line under it is its change on the same "
                 "figure for the data up to {year}. How each is counted is set out at the end of "
                 "this report.", period=period, year=compared)
    if period:
        return _("Each figure counts {period}. How each is counted is set out at the end of this "
                 "report.", period=period)
    return _("Each figure counts the selection. How each is counted is set out at the end of "
             "this report.")


def story_cards(stories: dict[str, pd.DataFrame],
                alumni: pd.DataFrame) -> list[tuple[str, list[dict]]]:
    """The highlighted projects (:func:`analytics.impact.projects.highlighted_projects`) as the
    report's cards, in the current language: each lead named as the language puts a person's
    name (``alumni``: every alum, for their local names), its country by name, its status in
    words."""
    local = (alumni.drop_duplicates("alum_id").set_index("alum_id")["name_local"].fillna("")
             if "name_local" in alumni else pd.Series(dtype=object))
    found = []
    for heading, frame in stories.items():
        cards = []
        for project in frame.to_dict("records"):
            lead = project["lead"] if isinstance(project["lead"], str) else ""
            reach = project["beneficiaries"]
            known = reach is not None and pd.notna(reach)
            partners = project["partners"]
            status, country = project["status"], project["country"]
            cards.append({
                "title": project["title"],
                "facts": _("{cause} · {status} · since {year} · {country}",
                           cause=project["cause"],
                           status=_(status) if isinstance(status, str) else "",
                           year=project["start_year"],
                           country=country_name(country) if isinstance(country, str) else ""),
                "lead": _("Led by {lead} ({program}, {cohort})",
                          lead=i18n.person(lead, local.get(project["lead_alum_id"], "")),
                          program=project["program"], cohort=project["cohort"]),
                "partners": _("Partners: {partners}", partners=listed(partners)) if len(partners)
                else _("Partners: none listed"),
                "reach": ngettext("Reach: {count} person", "Reach: {count} people", int(reach),
                                  count=i18n.number(reach)) if known
                else _("Reach: not reported"),
                "summary": project["summary"]})
        found.append((heading, cards))
    return found


def build_report(dataset: Dataset, selection: Selection | None = None,
                 title: str | None = None, made_by: str | None = None) -> str:
    """Return the report of a selection as one HTML page, in the current language.

    Parameters
    ----------
    dataset : Dataset
        The loaded data, redacted for the audience the report is for
        (:func:`analytics.privacy.redact_dataset`): its footer names that
        audience, and its date is printed on the report.
    selection : Selection, optional
        The filters; all the data by default.
    title : str, optional
        The report's title; "Kizuna impact report", in the current language, by default.
    made_by : str, optional
        The signed-in staff member who made it, named in the footer.
    """
    selection = selection or Selection()
    tables = dataset.tables
    audience = dataset.audience
    chosen = select_tables(tables, selection)
    stories = highlighted_projects(project_table(chosen.projects, chosen.everyone,
                                                 chosen.organizations))
    figures = kpis_compared(tables, selection)
    compared = next((k.compared_with for k in figures if k.compared_with), "")
    outcomes = outcomes_shown_to(audience, outcomes_by_cohort(tables, selection))
    dimensions = [{"name": _(d.name), "question": d.question, "rows": d.rows, "empty": d.empty}
                  for d in impact_dimensions(tables, selection)]
    plotly_js, world = _assets()
    return _environment().get_template("report.html").render(
        lang=i18n.language(), font_family=Markup(palette.FONT_FAMILY),
        title=title or _("Kizuna impact report"), selection=describe_selection(selection, tables),
        data_date=i18n.date(dataset.data_date) if dataset.data_date else _("unknown"),
        made=i18n.date(dt.date.today()),
        set_aside=dataset.rows_set_aside, set_aside_count=i18n.number(dataset.rows_set_aside),
        made_for=made_for(audience, made_by),
        headline_note=headline_note(figures[0].period if figures else "", compared),
        kpis=[{"label": _("{label} (IRIS+ {code})", label=_(k.label), code=k.iris) if k.iris
               else _(k.label), "value": format_value(k.value, k.unit),
               "change": format_value(k.change, k.unit, change=True) if k.change is not None
               else "", "since": k.compared_with, "help": _(KPI_HELP[k.key])} for k in figures],
        dimensions=dimensions,
        outcomes=outcome_sections(outcomes),
        withheld=bool(outcomes["withheld"].any()) if len(outcomes) else False,
        min_group=MIN_GROUP,
        network=network_section(tables, selection),
        figures=[_embed(f) for f in activity_figures(tables, selection, audience)],
        stories=story_cards(stories, chosen.everyone),
        definitions=definitions(audience),
        plotly_js=Markup(plotly_js.replace("</script", "<\\/script")),
        geo_assets=Markup(json.dumps({"topojson": {"world_110m": json.loads(world)}})
                          .replace("<", "\\u003c")))
