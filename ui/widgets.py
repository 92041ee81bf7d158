"""Small rendering helpers pages share."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from analytics import i18n
from analytics.data.countries import country_name, region_name
from analytics.data.loader import Dataset
from analytics.i18n import N_, _, ngettext
from analytics.impact.kpis import KPI_HELP, Kpi, format_value
from analytics.impact.outcomes import wave_name
from analytics.outputs.report import describe_selection
from analytics.selection import Selection
from ui import cached

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def metric_row(items: list[tuple[str, int | float | str, str]]) -> None:
    """Draw ``(label, value, help)`` metrics side by side (labels and help already in the
    language), whole numbers with the language's separators."""
    for column, (label, value, help_text) in zip(st.columns(len(items)), items, strict=True):
        shown = i18n.number(value) if isinstance(value, int) else value
        column.metric(label, shown, help=help_text, border=True)


# Maps draw from the world outline this app serves itself (static/topojson/), not from a CDN,
# so they work offline at a forum.
PLOTLY_CONFIG = {"topojsonURL": "app/static/topojson/", "displaylogo": False}


def plotly(figure, alt: str | None = None) -> None:
    """Draw a plotly figure with the app's offline configuration."""
    st.plotly_chart(figure, config=PLOTLY_CONFIG, alt=alt or figure.layout.title.text)


def chart(make, *data, alt: str | None = None, **options) -> None:
    """Draw ``make(*data, **options)``, a chart of cached results, made once per data
    (:func:`ui.cached.derived`): building a plotly figure costs more than sending it."""
    plotly(cached.derived(make, *data, **options), alt=alt)


# The headers of the columns tables share, in English: shown with _() by table().
COLUMN_HEADERS = {
    "country": N_("Country"), "region": N_("Region"), "alumni": N_("Alumni"),
    "label": N_("Name"), "name": N_("Name"), "program": N_("Program"), "cohort": N_("Cohort"),
    "cohort_year": N_("Cohort year"), "organization": N_("Organization"),
    "title": N_("Project"), "status": N_("Status"), "cause": N_("Cause"),
    "start_year": N_("Started"), "end_year": N_("Ended"), "beneficiaries": N_("Reach (people)"),
    "funds_raised_usd": N_("Funds (USD)"), "partners": N_("Partners"), "year": N_("Year"),
    "target": N_("Target"), "actual": N_("Actual"),
}
# Columns whose values are a controlled vocabulary (English keys in the data), shown with _().
VOCABULARY_COLUMNS = ("status", "org_type")


def shown_values(frame: pd.DataFrame) -> pd.DataFrame:
    """A table's values as the language shows them (for display only): countries by name,
    prefectures and states in the language's script, vocabulary words translated."""
    changed = {}
    if "region" in frame and "country" in frame:
        changed["region"] = [region_name(c, r) if isinstance(r, str) else r for c, r in
                             zip(frame["country"], frame["region"], strict=True)]
    if "country" in frame:
        changed["country"] = frame["country"].map(
            lambda c: country_name(c) if isinstance(c, str) else c)
    for column in VOCABULARY_COLUMNS:
        if column in frame:
            changed[column] = frame[column].map(word)
    return frame.assign(**changed) if changed else frame


def word(value):
    """A vocabulary word (an English key in the data) in the language; blanks as they are."""
    return _(value) if isinstance(value, str) else value


def table(frame, height: int | str = "auto", headers: dict[str, str] | None = None) -> None:
    """A read-only table, without its index; cells are always shown as text, never as HTML.

    Columns keep their names (data keys); each is headed by ``headers`` (labels in
    the language) or COLUMN_HEADERS, else by its own name. Values are shown in the
    language (:func:`shown_values`).
    """
    if frame.empty:
        st.caption(_("Nothing to list in this view."))
        return
    labels = {c: _(COLUMN_HEADERS[c]) for c in frame.columns if c in COLUMN_HEADERS}
    # capped after derived: a capped frame is a new object on every run, so never found again
    st.dataframe(capped(cached.derived(shown_values, frame)), height=height, hide_index=True,
                 column_config={**labels, **(headers or {})})


def safe(text) -> str:
    """Data text ready to sit inside markdown: every markdown and HTML character escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))


def kpi_help(key: str) -> str:
    """A headline figure's one-line definition (KPI_HELP), in the language."""
    return _(KPI_HELP[key])


def kpi_grid(figures: list[Kpi], per_row: int = 4) -> None:
    """KPI cards with their change on the year before, ``per_row`` to a row; a change that
    does not move the figure as shown is grey, with no direction."""
    for start in range(0, len(figures), per_row):
        row = figures[start:start + per_row]
        for column, kpi in zip(st.columns(per_row), row, strict=False):
            change = format_value(kpi.change, kpi.unit, change=True) \
                if kpi.change is not None else None
            moved = change is not None and change.startswith(("+", "-"))
            column.metric(_(kpi.label), format_value(kpi.value, kpi.unit), delta=change,
                          delta_color="normal" if moved else "off",
                          delta_arrow="auto" if moved else "off",
                          help=kpi_help(kpi.key), border=True)


def selection_caption(dataset: Dataset, selection: Selection) -> None:
    """The selection in words, under a page's title."""
    st.caption(_("Selection: {selection}",
                 selection=safe(describe_selection(selection, dataset.tables))))


def people_named(projects: pd.DataFrame, alumni: pd.DataFrame) -> pd.DataFrame:
    """Projects (a project table) with their ``lead`` and the people among their ``partners``
    named as the language puts a person's name (:func:`analytics.i18n.person`: the name in
    their own script, from ``alumni``, first in Japanese), for display only."""
    local = dict(zip(alumni["alum_id"], alumni["name_local"].fillna(""), strict=True))
    leads = [i18n.person(lead, local.get(alum, "")) if isinstance(lead, str) else ""
             for lead, alum in zip(projects["lead"], projects["lead_alum_id"], strict=True)]
    partners = [[i18n.person(str(name), local.get(partner, "")) for partner, name in
                 zip(ids, names, strict=True)]
                for ids, names in zip(projects["partner_ids"], projects["partners"], strict=True)]
    return projects.assign(lead=leads, partners=partners)


def directory_rows(rows: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """The directory's ``columns`` as its table shows them (for display only): each person's
    name as the language puts it (:func:`analytics.i18n.person`, their ``name_local`` folded
    in), places and organization types in the language."""
    names = [i18n.person(n, local) for n, local in zip(rows["name"], rows["name_local"],
                                                        strict=True)]
    return shown_values(rows[[c for c in columns if c != "name_local"]]).assign(name=names)


def project_rows(rows: pd.DataFrame, alumni: pd.DataFrame, columns: tuple[str, ...]) -> pd.DataFrame:
    """Projects' ``columns`` as a table shows them (for display only): people named as the
    language puts a person's name (:func:`people_named`), places and statuses in the language."""
    return shown_values(people_named(rows, alumni)[list(columns)])


def story(project) -> None:
    """One highlighted project (a row of :func:`people_named`): title, lead and cohort,
    partners, reach, summary."""
    with st.container(border=True):
        st.markdown(f"**{safe(project['title'])}**  \n" + _(
            "{cause} · {status} · since {year}", cause=safe(project["cause"]),
            status=safe(_(project["status"])), year=project["start_year"]))
        st.markdown(_("Led by {lead} ({program}, {cohort})", lead=safe(project["lead"]),
                      program=safe(project["program"]), cohort=safe(project["cohort"])))
        partners = i18n.listed(project["partners"], narrow=True)
        st.markdown(_("Partners: {partners}", partners=safe(partners)) if partners
                    else _("Partners: none listed"))
        reach = project["beneficiaries"]
        st.markdown(ngettext("Reach: {count} person", "Reach: {count} people", int(reach),
                             count=i18n.number(reach))
                    if reach == reach and reach is not None else _("Reach: not reported"))
        if project["summary"]:
            st.caption(safe(project["summary"]))


# A table beyond this many rows is sent in part: a browser grid of 100,000 rows costs
# seconds to ship and no one scrolls it; the downloads always hold every row.
SHOWN_ROWS = 5_000


def capped(frame):
    """The first SHOWN_ROWS rows of a table, saying so when rows were held back."""
    if len(frame) > SHOWN_ROWS:
        st.caption(_("Showing the first {shown} of {total} rows. Narrow the filters, or "
                     "download the full list.", shown=i18n.number(SHOWN_ROWS),
                     total=i18n.number(len(frame))))
        return frame.head(SHOWN_ROWS)
    return frame


def _outcomes_shown(outcomes, latest_only: bool):
    frame = outcomes
    if latest_only:
        frame = frame.groupby(["program", "cohort", "indicator"], sort=False).tail(1)
    return frame.assign(
        wave=frame["wave"].map(wave_name),
        # No change where no one answered both waves, or where it is not shown (a small group).
        change=[f"{c:+.2f} (n={p})" if p and c == c else "–"
                for c, p in zip(frame["change"], frame["paired"], strict=True)],
        mean=[i18n.number(m, 2).rstrip("0").rstrip(".") if m == m else "–"
              for m in frame["mean"]])


def outcomes_table(outcomes, latest_only: bool = False) -> None:
    """Each cohort's outcomes: the value at each wave, the change from baseline on the same
    people, and always how many answered of how many could (``latest_only``: each cohort and
    indicator at its latest wave)."""
    shown = capped(cached.derived(_outcomes_shown, outcomes, latest_only))
    headers = {"program": _("Program"), "cohort": _("Cohort"), "indicator": _("Indicator"),
               "wave": _("Wave"), "year": _("Year"), "mean": _("Mean of those who answered"),
               "unit": _("Unit"), "change": _("Change from baseline (same people)"),
               "note": _("Answered"), "caution": _("Caution"), "iris_code": "IRIS+"}
    # The other columns (the counts the note is made from) are hidden.
    st.dataframe(shown, hide_index=True, column_order=list(headers),
                 column_config={**dict.fromkeys(shown.columns), **headers})


PROBLEM_COLUMNS = {"severity": N_("Severity"), "table": N_("Table"), "file": N_("File"),
                   "row": N_("Row"), "column": N_("Column"), "value": N_("Value")}


def problems_table(problems, columns=("severity", "table", "file", "row", "column", "value")) -> None:
    """Problems found in the data (Problem rows), each with what is wrong in words."""
    st.dataframe(capped(problems.fillna({"table": "", "column": "", "file": ""})),
                 hide_index=True, column_order=[*columns, "message"],
                 column_config={**{c: _(PROBLEM_COLUMNS[c]) for c in columns},
                                "message": st.column_config.TextColumn(_("What is wrong"),
                                                                       width="large")})
