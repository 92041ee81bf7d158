"""Impact overview: what the programs did, for funders. The app's first screen."""

import streamlit as st

from analytics import i18n
from analytics.i18n import _
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
    st.info(_("No alumni match this selection. Widen the programs, years, countries or causes "
              "in the sidebar."), icon=":material/filter_alt_off:")
    st.stop()

# What a funder compares with: by default the last year before this one that had activity.
span = selection.years or cached.selection_options(dataset)["years"]
earlier = [y for y in cached.activity_years(dataset) if span[0] <= y < span[1]]
has_targets = bool(len(dataset.tables["targets"]))
options = [None, *reversed(earlier), *([kpis.TARGET] if has_targets else [])]
against = filters.choice(
    _("Compare with"), options, "compare", dropdown=True, container=st.sidebar,
    format_func=lambda o: (_("The year before with activity ({year})", year=earlier[-1])
                           if earlier else _("Nothing (one year of data)")) if o is None else
    _("The target for the last year") if o == kpis.TARGET else _("The data up to {year}", year=o),
    help=_("What each card's change is measured against. A card shows no change it cannot "
           "compute: its data must reach the last year, and a target must exist."))
figures = cached.headline_figures(dataset, selection, against)

cards, pictures = st.columns([3, 2], gap="large")
with cards:
    widgets.kpi_grid(figures, per_row=2)
    compared = next((f.compared_with for f in figures if f.compared_with), "")
    # What a change is on: a year (the data up to it) or, in words already, a target.
    if not compared:
        st.caption(_("No card can show a change for this choice. Hover a card's ? for its "
                     "definition."))
    elif compared.isdigit():
        st.caption(_("Each card: the figure for {period}, and its change on {year}. Hover a "
                     "card's ? for its definition.", period=figures[0].period, year=compared))
    else:
        st.caption(_("Each card: the figure for {period}, and its change on {target}. Hover a "
                     "card's ? for its definition.", period=figures[0].period, target=compared))
with pictures:
    widgets.chart(charts.cumulative_alumni_chart,
                  cached.derived(series.cumulative_alumni, chosen.alumni), height=320,
                  alt=_("Alumni trained, cohort by cohort"))
    st.page_link(shell.ROOT / "pages/cohorts.py", label=_("Cohort growth in detail"),
                 icon=":material/groups:", query_params=st.query_params.to_dict())
    widgets.chart(charts.country_map, cached.country_ties(dataset, selection), height=320,
                  alt=_("Ties between countries"))
    st.page_link(shell.ROOT / "pages/network.py", label=_("The whole network"),
                 icon=":material/hub:", query_params=st.query_params.to_dict())

st.subheader(_("Outcomes over time"))
outcomes = cached.outcomes_by_cohort(dataset, selection)
outcomes = cached.derived(rows_where, outcomes, "subject_kind", "alum")
if outcomes.empty:
    st.caption(_("No outcomes in the data for this selection. Add an outcomes table (who, "
                 "wave, year, indicator, value, unit) to follow what changed for each cohort; "
                 "see docs/data.md."))
else:
    st.caption(_("What alumni reported at each cohort's latest survey wave, and the change "
                 "since their own baseline."))
    widgets.outcomes_table(outcomes, latest_only=True)
    st.page_link(shell.ROOT / "pages/cohorts.py", label=_("Every wave, cohort by cohort"),
                 icon=":material/monitoring:",
                 query_params={**st.query_params.to_dict(), "show": "Outcomes"})

if not shell.presenting():
    made_by = auth.signed_in_as()  # a signed-in member of staff is named in what they take away
    # In a row, each as wide as its words (in either language), wrapping when the page is narrow.
    row = st.container(horizontal=True, vertical_alignment="center")
    report, pack, staff_view = row.empty(), row.empty(), row.empty()
    report.download_button(_("Download the report (HTML, prints to PDF)"),
                           i18n.keeping_language(
                               lambda: cached.report_html(dataset, selection, made_by)),
                           file_name="kizuna-impact-report.html", mime="text/html",
                           on_click="ignore", icon=":material/description:", type="primary")
    # The forum pack follows the public rules unless staff choose otherwise.
    rules = Audience.STAFF if dataset.audience is Audience.STAFF and staff_view.toggle(
        _("Forum pack with everyone named (staff only)"), key="pack_staff_view") else Audience.PUBLIC
    pack.download_button(_("Download the forum pack (zip)"),
                         i18n.keeping_language(
                             lambda: cached.forum_pack_zip(dataset, selection, rules, made_by)),
                         file_name="kizuna-forum-pack.zip", mime="application/zip",
                         on_click="ignore", icon=":material/slideshow:")

st.subheader(_("Stories"))  # one of each: the report has three
stories = cached.stories(dataset, selection)
for column, (heading, projects) in zip(st.columns(3), stories.items(), strict=True):
    with column:
        st.markdown(f"##### {heading}")  # in the language already
        if projects.empty:
            st.caption(_("None in this selection."))
        else:
            named = cached.derived(widgets.people_named, projects, dataset.tables["alumni"])
            widgets.story(named.iloc[0])
