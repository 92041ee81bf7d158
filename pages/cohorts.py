"""Cohorts: how the programs and their network grew, cohort by cohort and year by year."""

import streamlit as st

from analytics import charts, impact, metrics, privacy
from ui import cached, filters, shell, widgets

dataset = shell.page("pages/cohorts.py")
selection = filters.impact_selection(dataset.tables)
chosen = impact.select(dataset.tables, selection)
alumni, projects = chosen["alumni"], chosen["projects"]
st.caption(cached.selection_caption(dataset, selection))

if alumni.empty:
    st.info("No alumni match this selection. Widen the filters in the sidebar.",
            icon=":material/filter_alt_off:")
    st.stop()

left, right = st.columns(2)
with left:
    widgets.plotly(charts.alumni_per_cohort_chart(impact.alumni_per_cohort(alumni)))
with right:
    widgets.plotly(charts.cumulative_alumni_chart(impact.cumulative_alumni(alumni)))
left, right = st.columns(2)
for column, by in ((left, "country"), (right, "cause")):
    counts = impact.alumni_by(alumni, by)
    if shell.audience() == "public":  # no group of fewer than five people on its own
        counts = privacy.fold_small_groups(counts, by, "alumni")
    with column:
        widgets.plotly(charts.alumni_by_chart(counts, by))

analysis = cached.network_analysis(dataset, cached.view_of(dataset, selection),
                                   "people and organizations")
widgets.plotly(charts.growth_chart(metrics.growth(analysis.nodes, analysis.edges)))

st.subheader("Projects, reach and funds")
if projects.empty:
    st.info("No projects in this selection.", icon=":material/filter_alt_off:")
else:
    left, right = st.columns(2)
    with left:
        widgets.plotly(charts.projects_per_year_chart(impact.projects_per_year(projects)))
    with right:
        widgets.plotly(charts.reach_chart(impact.reach_per_year(projects)))

st.subheader("Targets and actuals")
targets = impact.targets_vs_actuals(dataset.tables, selection)
if targets.empty:
    st.caption("No targets in the data. Add a targets table (metric, year, target) to compare "
               "plans with what happened; see docs/data.md.")
else:
    widgets.plotly(charts.targets_chart(targets))
    widgets.table(targets)
