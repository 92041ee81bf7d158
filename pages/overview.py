"""Impact overview: what the programs did, for funders. The app's first screen."""

import streamlit as st

from analytics.privacy import Audience
from ui import auth, cached, filters, shell, widgets

dataset = shell.page("pages/overview.py")
selection = filters.impact_selection(dataset.tables)
figures = cached.headline_figures(dataset, selection)

widgets.selection_caption(dataset, selection)
if not any(k.key == "alumni" and k.value for k in figures):
    st.info("No alumni match this selection. Widen the programs, years, countries or causes in "
            "the sidebar.", icon=":material/filter_alt_off:")
    st.stop()

widgets.kpi_grid(figures)
st.caption("Each card shows the change on the year before: the same figure for this selection "
           "without its last year. A card shows no change where its data does not reach the last "
           "year yet. Hover a card's ? for its definition.")

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
