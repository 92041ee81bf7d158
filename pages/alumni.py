"""Alumni directory: find alumni by region, cause and cohort; see a profile; suggest introductions."""

import streamlit as st

from analytics import i18n, privacy
from analytics.data.countries import country_name, region_name
from analytics.data.schema import ORG_TYPES
from analytics.data.spreadsheets import to_safe_csv, to_safe_xlsx
from analytics.i18n import N_, _
from analytics.impact import directory
from analytics.outputs import charts
from analytics.selection import Selection
from ui import cached, curation, filters, profile, shell, widgets

# The answers of the two either-or filters, by the keys their links carry (?active=yes).
ANSWERS = {"any": N_("Any"), "yes": N_("Yes"), "no": N_("No"), "active": N_("Active"),
           "inactive": N_("Not active")}


def answer(key: str) -> str:
    return _(ANSWERS[key])


def matching(count: int, total: int) -> str:
    return _("{shown} of {total}", shown=i18n.number(count), total=i18n.number(total))


dataset = shell.page("pages/alumni.py")
curation.flash()  # an introduction just recorded from a profile
table = cached.directory_table(dataset)
region_country = dict(zip(table["region"], table["country"], strict=True))

with st.sidebar:
    st.subheader(_("Find alumni"))
    query = filters.text(_("Search names, organizations, roles, causes"), "q",
                         help=_("Case, full or half width, and hiragana or katakana do not "
                                "matter."))
    wanted = Selection(
        programs=tuple(filters.multiselect(_("Program"), sorted(set(table["program"])),
                                           "program")),
        cohorts=tuple(filters.multiselect(_("Cohort"), sorted(set(table["cohort"])), "cohort")),
        years=filters.year_range(_("Cohort years"), int(table["cohort_year"].min()),
                                 int(table["cohort_year"].max()), "cohort_year")
        if len(table) else None,
        countries=tuple(filters.multiselect(_("Country"), sorted(set(table["country"])),
                                            "country", format_func=country_name)),
        regions=tuple(filters.multiselect(
            _("Region (prefecture or state)"), sorted(set(table["region"]) - {""}), "region",
            format_func=lambda r: region_name(region_country[r], r))),
        causes=tuple(filters.multiselect(_("Cause"),
                                         sorted(set(table["causes"].explode().dropna())),
                                         "cause")),
        org_types=tuple(filters.multiselect(_("Organization type"), list(ORG_TYPES), "org_type",
                                            format_func=_)),
        has_projects={"any": None, "yes": True, "no": False}[filters.choice(
            _("Leads projects"), ["any", "yes", "no"], "has_projects", format_func=answer)],
        active={"any": None, "active": True, "inactive": False}[filters.choice(
            _("Active in the last two years"), ["any", "active", "inactive"], "active",
            format_func=answer,
            help=_("A partnership or project active in the data's last two years."))],
        query=query)

shown = cached.derived(directory.filter_directory, table, wanted)
places = cached.derived(directory.alumni_by_region, shown)
if not dataset.audience.may.list_people:  # counts by place only
    st.metric(_("Matching alumni"), matching(len(shown), len(table)))
    st.info(_("The directory lists people for staff and funders. Here: how many alumni live "
              "where."), icon=":material/lock:")
    widgets.table(privacy.groups_shown_to(dataset.audience, places.drop(columns=["lat", "lon"]),
                                          "region", "alumni", other=_("Other")))
    st.stop()

clicked = st.plotly_chart(cached.derived(charts.alumni_map, places), config=widgets.PLOTLY_CONFIG,
                          on_select="rerun", selection_mode="points", key="alumni_map")
picked_places = {tuple(p["customdata"]) for p in clicked.selection.points} if clicked else set()
if picked_places:
    shown = shown[[(c, r) in picked_places or (c, "") in picked_places
                   for c, r in zip(shown["country"], shown["region"], strict=True)]]
st.metric(_("Matching alumni"), matching(len(shown), len(table)))

columns = ("name", "name_local", "program", "cohort", "country", "region", "organization",
           "org_type", "role", "causes", "projects", "active", "website")
shown_rows = widgets.capped(shown)
chosen = filters.row_picker(
    cached.derived(widgets.directory_rows, shown_rows, columns), shown_rows["alum_id"],
    "profile", "alumni_table", hide_index=True, column_config={
        "name": _("Name"), "program": _("Program"), "cohort": _("Cohort"),
        "country": _("Country"), "region": _("Region"), "organization": _("Organization"),
        "org_type": _("Type"), "role": _("Role"),
        "causes": st.column_config.ListColumn(_("Causes")),
        "projects": st.column_config.NumberColumn(_("Projects led")),
        "active": st.column_config.CheckboxColumn(_("Active")),
        "website": st.column_config.LinkColumn(_("Website"))})
export = shown[["alum_id", *columns]]
downloads = st.container(horizontal=True)  # each button as wide as its words
downloads.download_button(_("Download list (CSV)"), i18n.keeping_language(lambda: to_safe_csv(export)),
                          "kizuna-alumni.csv", "text/csv", on_click="ignore",
                          icon=":material/download:")
downloads.download_button(_("Download list (XLSX)"), i18n.keeping_language(lambda: to_safe_xlsx(export)),
                          "kizuna-alumni.xlsx",
                          "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          on_click="ignore", icon=":material/download:")

person = table[table["alum_id"] == chosen]
if len(person):
    profile.show(dataset, person.iloc[0])
else:
    st.caption(_("Select a row to open that person's profile: projects, partners and suggested "
                 "introductions."))
