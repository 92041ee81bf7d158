"""Projects: the alumni's change projects, their reach, funds and partners."""

import streamlit as st

from analytics import i18n
from analytics.data.countries import country_name
from analytics.data.schema import STATUSES
from analytics.data.spreadsheets import to_safe_csv
from analytics.i18n import _
from analytics.impact.kpis import format_value
from analytics.impact.projects import filter_projects, project_totals
from analytics.outputs import charts
from analytics.selection import Selection
from ui import cached, filters, shell, widgets

COLUMNS = ("title", "lead", "program", "cohort", "cause", "status", "country", "region",
           "start_year", "end_year", "beneficiaries", "funds_raised_usd", "partners")

dataset = shell.page("pages/projects.py")
projects = cached.project_table(dataset)

with st.sidebar:
    st.subheader(_("Projects"))
    wanted = Selection(
        causes=tuple(filters.multiselect(_("Cause"), sorted(set(projects["cause"])), "cause")),
        statuses=tuple(filters.multiselect(_("Status"), list(STATUSES), "status",
                                           format_func=_)),
        countries=tuple(filters.multiselect(_("Country"), sorted(set(projects["country"])),
                                            "country", format_func=country_name)),
        programs=tuple(filters.multiselect(_("Program"),
                                           sorted(set(projects["program"].dropna())), "program")),
        years=filters.year_range(_("Started"), int(projects["start_year"].min()),
                                 int(projects["start_year"].max()), "start_year")
        if len(projects) else None)
shown = cached.derived(filter_projects, projects, wanted)

totals = cached.derived(project_totals, shown)
widgets.metric_row([
    (_("Projects"), totals["projects"], _("Projects matching the filters.")),
    (_("Beneficiaries"), format_value(totals["beneficiaries"], "count"),
     widgets.kpi_help("beneficiaries")),
    (_("Funds raised"), format_value(totals["funds_raised"], "usd"),
     widgets.kpi_help("funds_raised")),
])
if shown.empty:
    st.info(_("No project matches these filters. Clear some in the sidebar."),
            icon=":material/filter_alt_off:")
    st.stop()

def draw_charts() -> None:
    left, right = st.columns(2)
    with left:
        widgets.chart(charts.projects_by_cause_status_chart, shown)
    with right:
        widgets.chart(charts.projects_map, shown)


if shell.presenting():  # charts first for an audience
    draw_charts()
shown_rows = widgets.capped(shown)
picked = st.dataframe(
    cached.derived(widgets.project_rows, shown_rows, dataset.tables["alumni"], COLUMNS),
    hide_index=True, on_select="rerun", selection_mode="single-row", key="project_table",
    column_config={
        "title": st.column_config.TextColumn(_("Project"), width="medium"),
        "lead": _("Lead"), "program": _("Program"), "cohort": _("Cohort"), "cause": _("Cause"),
        "status": _("Status"), "country": _("Country"), "region": _("Region"),
        "start_year": st.column_config.NumberColumn(_("Started"), format="%d"),
        "end_year": st.column_config.NumberColumn(_("Ended"), format="%d"),
        "beneficiaries": st.column_config.NumberColumn(_("Reach (people)"), format="localized"),
        "funds_raised_usd": st.column_config.NumberColumn(_("Funds (USD)"), format="dollar"),
        "partners": st.column_config.ListColumn(_("Partners"))})
# Made when clicked: written on every run, the CSV was a third of the page's work.
st.download_button(_("Download these projects (CSV)"),
                   i18n.keeping_language(lambda: to_safe_csv(shown[["project_id", *COLUMNS]])),
                   file_name="kizuna-projects.csv", mime="text/csv", on_click="ignore",
                   icon=":material/download:")

rows = picked.selection.rows if picked else []
if rows:
    widgets.story(cached.derived(widgets.people_named, shown_rows,
                                 dataset.tables["alumni"]).iloc[rows[0]])
else:
    st.caption(_("Select a row to see the project's lead, cohort, partners and summary."))


if not shell.presenting():
    draw_charts()
