"""Alumni directory: find alumni by region, cause and cohort; see a profile; suggest introductions."""

import streamlit as st

from analytics import privacy
from analytics.data.countries import country_name
from analytics.data.schema import ORG_TYPES
from analytics.data.spreadsheets import to_safe_csv, to_safe_xlsx
from analytics.impact import directory
from analytics.outputs import charts
from analytics.selection import Selection
from ui import cached, curation, filters, profile, shell, widgets

dataset = shell.page("pages/alumni.py")
curation.flash()  # an introduction just recorded from a profile
table = cached.directory_table(dataset)

with st.sidebar:
    st.subheader("Find alumni")
    query = filters.text("Search names, organizations, roles, causes", "q",
                         help="Case, full or half width, and hiragana or katakana do not matter.")
    wanted = Selection(
        programs=tuple(filters.multiselect("Program", sorted(set(table["program"])), "program")),
        cohorts=tuple(filters.multiselect("Cohort", sorted(set(table["cohort"])), "cohort")),
        years=filters.year_range("Cohort years", int(table["cohort_year"].min()),
                                 int(table["cohort_year"].max()), "cohort_year")
        if len(table) else None,
        countries=tuple(filters.multiselect("Country", sorted(set(table["country"])), "country",
                                            format_func=country_name)),
        regions=tuple(filters.multiselect("Region (prefecture or state)",
                                          sorted(set(table["region"]) - {""}), "region")),
        causes=tuple(filters.multiselect("Cause", sorted(set(table["causes"].explode().dropna())),
                                         "cause")),
        org_types=tuple(filters.multiselect("Organization type", list(ORG_TYPES), "org_type")),
        has_projects={"any": None, "yes": True, "no": False}[filters.choice(
            "Leads projects", ["any", "yes", "no"], "has_projects")],
        active={"any": None, "active": True, "inactive": False}[filters.choice(
            "Active in the last two years", ["any", "active", "inactive"], "active",
            help="A partnership or project active in the data's last two years.")],
        query=query)

shown = cached.derived(directory.filter_directory, table, wanted)
places = cached.derived(directory.alumni_by_region, shown)
if not dataset.audience.may.list_people:  # counts by place only
    st.metric("Matching alumni", f"{len(shown):,} of {len(table):,}")
    st.info("The directory lists people for staff and funders. Here: how many alumni live where.",
            icon=":material/lock:")
    places = privacy.groups_shown_to(dataset.audience, places.drop(columns=["lat", "lon"]),
                                     "region", "alumni")
    widgets.table(places.assign(country=places["country"].map(country_name)))
    st.stop()

clicked = st.plotly_chart(cached.derived(charts.alumni_map, places), config=widgets.PLOTLY_CONFIG,
                          on_select="rerun", selection_mode="points", key="alumni_map")
picked_places = {tuple(p["customdata"]) for p in clicked.selection.points} if clicked else set()
if picked_places:
    shown = shown[[(c, r) in picked_places or (c, "") in picked_places
                   for c, r in zip(shown["country"], shown["region"], strict=True)]]
st.metric("Matching alumni", f"{len(shown):,} of {len(table):,}")

columns = ["name", "name_local", "program", "cohort", "country", "region", "organization",
           "org_type", "role", "causes", "projects", "active", "website"]
shown_rows = widgets.capped(shown)
chosen = filters.row_picker(
    shown_rows[columns], shown_rows["alum_id"], "profile", "alumni_table", hide_index=True,
    column_config={
        "name": "Name", "name_local": "Local name", "program": "Program", "cohort": "Cohort",
        "country": "Country", "region": "Region", "organization": "Organization",
        "org_type": "Type", "role": "Role", "causes": st.column_config.ListColumn("Causes"),
        "projects": st.column_config.NumberColumn("Projects led"),
        "active": st.column_config.CheckboxColumn("Active"),
        "website": st.column_config.LinkColumn("Website")})
export = shown[["alum_id", *columns]]
left, right, _ = st.columns([1, 1, 3])
left.download_button("Download list (CSV)", lambda: to_safe_csv(export), "kizuna-alumni.csv",
                     "text/csv", on_click="ignore", icon=":material/download:")
right.download_button("Download list (XLSX)", lambda: to_safe_xlsx(export), "kizuna-alumni.xlsx",
                      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                      on_click="ignore", icon=":material/download:")

person = table[table["alum_id"] == chosen]
if len(person):
    profile.show(dataset, person.iloc[0])
else:
    st.caption("Select a row to open that person's profile: projects, partners and suggested "
               "introductions.")
