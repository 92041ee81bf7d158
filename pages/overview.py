"""Impact overview: what the programs did, for funders. The app's first screen."""

import streamlit as st

from analytics.impact import kpis, series
from analytics.outputs import charts
from analytics.privacy import Audience
from analytics.selection import rows_where
from ui import auth, cached, filters, shell, widgets

dataset = shell.page("pages/overview.py")
selection = filters.impact_selection(dataset)
chosen = cached.selected_tables(dataset, selection)
widgets.selection_caption(dataset, selection)
if chosen.alumni.empty:
    st.info("No alumni match this selection. Widen the programs, years, countries or causes in "
            "the sidebar.", icon=":material/filter_alt_off:")
    st.stop()

# What a funder compares with: by default the last year before this one that had activity.
span = selection.years or cached.selection_options(dataset)["years"]
earlier = [y for y in cached.activity_years(dataset) if span[0] <= y < span[1]]
has_targets = bool(len(dataset.tables["targets"]))
options = [None, *reversed(earlier), *([kpis.TARGET] if has_targets else [])]
against = filters.choice(
    "Compare with", options, "compare", dropdown=True, container=st.sidebar,
    format_func=lambda o: (f"The year before with activity ({earlier[-1]})" if earlier else
                           "Nothing (one year of data)") if o is None else
    "The target for the last year" if o == kpis.TARGET else f"The data up to {o}",
    help="What each card's change is measured against. A card shows no change it cannot "
         "compute: its data must reach the last year, and a target must exist.")
figures = cached.headline_figures(dataset, selection, against)

cards, pictures = st.columns([3, 2], gap="large")
with cards:
    widgets.kpi_grid(figures, per_row=2)
    compared = next((f.compared_with for f in figures if f.compared_with), "")
    st.caption((f"Each card: the figure for {figures[0].period}, and its change on {compared}. "
                if compared else "No card can show a change for this choice. ")
               + "Hover a card's ? for its definition.")
with pictures:
    widgets.chart(charts.cumulative_alumni_chart,
                  cached.derived(series.cumulative_alumni, chosen.alumni), height=320,
                  alt="Alumni trained, cohort by cohort")
    st.page_link(shell.ROOT / "pages/cohorts.py", label="Cohort growth in detail",
                 icon=":material/groups:", query_params=st.query_params.to_dict())
    widgets.chart(charts.country_map, cached.country_ties(dataset, selection), height=320,
                  alt="Ties between countries")
    st.page_link(shell.ROOT / "pages/network.py", label="The whole network",
                 icon=":material/hub:", query_params=st.query_params.to_dict())

st.subheader("Outcomes over time")
outcomes = cached.outcomes_by_cohort(dataset, selection)
outcomes = cached.derived(rows_where, outcomes, "subject_kind", "alum")
if outcomes.empty:
    st.caption("No outcomes in the data for this selection. Add an outcomes table (who, wave, "
               "year, indicator, value, unit) to follow what changed for each cohort; see "
               "docs/data.md.")
else:
    st.caption("What alumni reported at each cohort's latest survey wave, and the change since "
               "their own baseline.")
    widgets.outcomes_table(outcomes, latest_only=True)
    st.page_link(shell.ROOT / "pages/cohorts.py", label="Every wave, cohort by cohort",
                 icon=":material/monitoring:",
                 query_params={**st.query_params.to_dict(), "show": "Outcomes"})

if not shell.presenting():
    made_by = auth.signed_in_as()  # a signed-in member of staff is named in what they take away
    report, pack, staff_view = st.columns([2, 2, 3], vertical_alignment="center")
    report.download_button("Download the report (HTML, prints to PDF)",
                           lambda: cached.report_html(dataset, selection, made_by),
                           file_name="kizuna-impact-report.html", mime="text/html",
                           on_click="ignore", icon=":material/description:", type="primary")
    # The forum pack follows the public rules unless staff choose otherwise.
    rules = Audience.STAFF if dataset.audience is Audience.STAFF and staff_view.toggle(
        "Forum pack with everyone named (staff only)", key="pack_staff_view") else Audience.PUBLIC
    pack.download_button("Download the forum pack (zip)",
                         lambda: cached.forum_pack_zip(dataset, selection, rules, made_by),
                         file_name="kizuna-forum-pack.zip", mime="application/zip",
                         on_click="ignore", icon=":material/slideshow:")

st.subheader("Stories")  # one of each: the report has three
stories = cached.stories(dataset, selection)
for column, (name, projects) in zip(st.columns(3), stories.items(), strict=True):
    with column:
        st.markdown(f"##### {name.capitalize()}")
        if projects.empty:
            st.caption("None in this selection.")
        for _, project in projects.head(1).iterrows():
            widgets.story(project)
