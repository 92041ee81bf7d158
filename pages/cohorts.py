"""Cohorts: how the programs and their network grew, cohort by cohort and year by year."""

import streamlit as st

from analytics import privacy
from analytics.i18n import N_, _
from analytics.impact import series
from analytics.outputs import charts
from analytics.selection import rows_where
from ui import cached, filters, shell, widgets

# The sections, by the English names links carry (?show=Outcomes): shown with _().
SECTIONS = [N_("Cohorts"), N_("Outcomes"), N_("Countries and causes"), N_("Network growth"),
            N_("Projects, reach and funds"), N_("Targets")]

dataset = shell.page("pages/cohorts.py")
selection = filters.impact_selection(dataset)
chosen = cached.selected_tables(dataset, selection)
alumni, projects = chosen.alumni, chosen.projects
widgets.selection_caption(dataset, selection)

if alumni.empty:
    st.info(_("No alumni match this selection. Widen the filters in the sidebar."),
            icon=":material/filter_alt_off:")
    st.stop()

# One group of charts at a time: each plotly chart costs the browser a few hundred ms.
section = filters.choice(_("Show"), SECTIONS, "show", format_func=_)
if section == "Cohorts":
    left, right = st.columns(2)
    with left:
        widgets.chart(charts.alumni_per_cohort_chart, cached.derived(series.alumni_per_cohort, alumni))
    with right:
        widgets.chart(charts.cumulative_alumni_chart, cached.derived(series.cumulative_alumni, alumni))
elif section == "Outcomes":
    outcomes = cached.outcomes_by_cohort(dataset, selection)
    if outcomes.empty:
        st.info(_("No outcomes for this selection. An outcomes table (who, wave, year, "
                  "indicator, value, unit) follows what changed for each cohort; see "
                  "docs/data.md."), icon=":material/monitoring:")
    else:
        indicator = filters.choice(_("Indicator"), list(dict.fromkeys(outcomes["indicator"])),
                                   "indicator", dropdown=True)
        widgets.chart(charts.outcomes_chart, outcomes, indicator)
        st.caption(_("Each point: the mean of those who answered. The change from baseline is "
                     "measured on the same people (those who answered both); every row says how "
                     "many answered of how many could."))
        widgets.outcomes_table(cached.derived(rows_where, outcomes, "indicator", indicator))
elif section == "Countries and causes":
    left, right = st.columns(2)
    for column, by in ((left, "country"), (right, "cause")):
        counts = cached.derived(privacy.groups_shown_to, dataset.audience,
                                cached.derived(series.alumni_by, alumni, by), by, "alumni")
        with column:
            widgets.chart(charts.alumni_by_chart, counts, by)
elif section == "Network growth":
    widgets.chart(charts.growth_chart, cached.network_growth(dataset, selection))
    widgets.chart(charts.ties_by_origin_chart,
                  cached.derived(series.ties_by_origin, chosen.partnerships))
elif section == "Projects, reach and funds":
    if projects.empty:
        st.info(_("No projects in this selection."), icon=":material/filter_alt_off:")
    else:
        left, right = st.columns(2)
        with left:
            widgets.chart(charts.projects_per_year_chart,
                          cached.derived(series.projects_per_year, projects))
        with right:
            widgets.chart(charts.reach_chart, cached.derived(series.reach_per_year, projects))
else:
    targets = cached.targets(dataset, selection)
    if targets.empty:
        st.caption(_("No targets in the data. Add a targets table (metric, year, target) to "
                     "compare plans with what happened; see docs/data.md."))
    else:
        widgets.chart(charts.targets_chart, targets)
        widgets.table(targets, headers={"metric": None, "label": _("Headline figure")})
