"""Projects: the alumni's change projects, their reach, funds and partners."""

import streamlit as st

from analytics.data.countries import country_name
from analytics.data.schema import STATUSES
from analytics.data.spreadsheets import to_safe_csv
from analytics.impact.kpis import KPI_HELP, format_value
from analytics.impact.projects import filter_projects, project_totals
from analytics.outputs import charts
from analytics.selection import Selection
from ui import cached, filters, shell, widgets

dataset = shell.page("pages/projects.py")
projects = cached.project_table(dataset)

with st.sidebar:
    st.subheader("Projects")
    wanted = Selection(
        causes=tuple(filters.multiselect("Cause", sorted(set(projects["cause"])), "cause")),
        statuses=tuple(filters.multiselect("Status", list(STATUSES), "status")),
        countries=tuple(filters.multiselect("Country", sorted(set(projects["country"])), "country",
                                            format_func=country_name)),
        programs=tuple(filters.multiselect("Program", sorted(set(projects["program"].dropna())),
                                           "program")),
        years=filters.year_range("Started", int(projects["start_year"].min()),
                                 int(projects["start_year"].max()), "start_year")
        if len(projects) else None)
shown = cached.derived(filter_projects, projects, wanted)

totals = cached.derived(project_totals, shown)
widgets.metric_row([
    ("Projects", totals["projects"], "Projects matching the filters."),
    ("Beneficiaries", format_value(totals["beneficiaries"], "count"),
     KPI_HELP["beneficiaries"]),
    ("Funds raised", format_value(totals["funds_raised"], "usd"),
     KPI_HELP["funds_raised"]),
])
if shown.empty:
    st.info("No project matches these filters. Clear some in the sidebar.",
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
columns = ["title", "lead", "program", "cohort", "cause", "status", "country", "region",
           "start_year", "end_year", "beneficiaries", "funds_raised_usd", "partners"]
picked = st.dataframe(
    widgets.capped(shown[columns]), hide_index=True, on_select="rerun", selection_mode="single-row",
    key="project_table", column_config={
        "title": st.column_config.TextColumn("Project", width="medium"),
        "lead": "Lead", "program": "Program", "cohort": "Cohort", "cause": "Cause",
        "status": "Status", "country": "Country", "region": "Region",
        "start_year": st.column_config.NumberColumn("Started", format="%d"),
        "end_year": st.column_config.NumberColumn("Ended", format="%d"),
        "beneficiaries": st.column_config.NumberColumn("Reach (people)", format="localized"),
        "funds_raised_usd": st.column_config.NumberColumn("Funds (USD)", format="dollar"),
        "partners": st.column_config.ListColumn("Partners")})
# Made when clicked: written on every run, the CSV was a third of the page's work.
st.download_button("Download these projects (CSV)",
                   lambda: to_safe_csv(shown[["project_id", *columns]]),
                   file_name="kizuna-projects.csv", mime="text/csv", on_click="ignore",
                   icon=":material/download:")

rows = picked.selection.rows if picked else []
if rows:
    widgets.story(shown.iloc[rows[0]])
else:
    st.caption("Select a row to see the project's lead, cohort, partners and summary.")


if not shell.presenting():
    draw_charts()
