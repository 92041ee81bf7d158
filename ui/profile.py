"""One alum's profile: who they are, their projects and partners, and whom to introduce them to."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics import i18n
from analytics.data.countries import country_name
from analytics.data.loader import Dataset
from analytics.i18n import _, listed
from analytics.impact.introductions import introduction_outcomes
from analytics.network.analysis import names_of
from analytics.network.model import KIND_NAMES, LEVELS
from ui import cached, curation, widgets


def introductions_of(dataset: Dataset, node: str) -> pd.DataFrame:
    """The introductions made for ``node``, each with whether it became a tie."""
    intros = dataset.tables.get("introductions")
    if intros is None or intros.empty:
        return pd.DataFrame()
    mine = intros[(intros["first_id"] == node) | (intros["second_id"] == node)]
    return introduction_outcomes(mine, dataset.tables["partnerships"]) if len(mine) else mine


def show(dataset: Dataset, alum: pd.Series) -> None:
    """Draw the profile of a directory row."""
    node = alum["alum_id"]
    name = i18n.person(alum["name"], alum["name_local"])
    st.subheader(widgets.safe(name))
    st.markdown(" · ".join(widgets.safe(part) for part in (
        _("{program}, cohort {cohort}", program=alum["program"], cohort=alum["cohort"]),
        alum["organization"] or _("no organization listed"), alum["role"],
        listed(alum["causes"]) or _("no causes listed")) if part))
    projects = cached.project_table(dataset)
    led = projects[projects["lead_alum_id"] == node]
    st.markdown("**" + _("Projects") + "**")
    if led.empty:
        st.caption(_("Leads no project in the data."))
    else:
        widgets.table(led[["title", "status", "cause", "start_year", "beneficiaries",
                           "funds_raised_usd", "partners"]])
    analysis = cached.analysed_view(dataset, cached.EVERYTHING, LEVELS[0])
    graph, nodes = analysis.graph, analysis.nodes
    left, right = st.columns([3, 2])
    with left:
        hops = st.radio(_("Ties shown"), [1, 2], horizontal=True, key="profile_hops",
                        format_func=lambda h: _("direct") if h == 1 else _("two steps"))
        title = _("Ties of {name}", name=name)
        picture, suggestions = cached.profile_network(dataset, node, hops, title)
        if picture is None:
            st.caption(_("No ties in the data yet."))
        else:
            st.iframe(picture, height=470, alt=title)
    with right:
        st.markdown("**" + _("Partners") + "**")
        partners = sorted(names_of(nodes, list(graph.neighbors(node)))) if node in graph else []
        st.markdown(widgets.safe(listed(partners) or _("None yet.")))
        made = introductions_of(dataset, node)
        if len(made):
            st.markdown("**" + _("Introductions so far") + "**")
            named = names_of(nodes, pd.concat([made["first_id"], made["second_id"]]))
            for _row, row in made.iterrows():
                other = row["second_id"] if row["first_id"] == node else row["first_id"]
                outcome = (_("a tie since {year}", year=row["tie_year"]) if row["became_tie"]
                           else _("no tie yet"))
                values = {"name": widgets.safe(named.get(other, other)), "year": row["year"],
                          "outcome": outcome, "staff": widgets.safe(row["made_by"])}
                st.markdown("- " + (_("{name}, {year}, by {staff}: {outcome}", **values)
                                    if row["made_by"] else _("{name}, {year}: {outcome}", **values)))
        st.markdown("**" + _("Suggested introductions") + "**")
        if suggestions.empty:
            st.caption(_("No one shares this person's causes without already being tied to them."))
        can_record = dataset.audience.may.data_health and curation.writable(dataset, say_why=False)
        for other, row in suggestions.iterrows():
            kind = KIND_NAMES[row["kind"]]
            st.markdown(_("**{name}** ({kind}, {country}): {reason}",
                          name=widgets.safe(row["label"]), kind=_(kind),
                          country=widgets.safe(country_name(row["country"])),
                          reason=widgets.safe(row["reason"])))
            # Under its suggestion, not beside it: the column is too narrow for the label.
            if can_record and st.button(_("I introduced them"), key=f"introduce-{node}-{other}",
                                        type="tertiary", icon=":material/handshake:",
                                        help=_("Record it: a tie between them that begins "
                                               "later counts as an introduction that worked.")):
                curation.record_introduction(dataset, node, other)
