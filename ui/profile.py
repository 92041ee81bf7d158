"""One alum's profile: who they are, their projects and partners, and whom to introduce them to."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analytics.data.loader import Dataset
from analytics.impact.introductions import introduction_outcomes
from analytics.network.model import LEVELS
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
    st.subheader(widgets.safe(alum["name"])
                 + (f" · {widgets.safe(alum['name_local'])}" if alum["name_local"] else ""))
    st.markdown(f"{widgets.safe(alum['program'])}, cohort {widgets.safe(alum['cohort'])} · "
                f"{widgets.safe(alum['organization'] or 'no organization listed')}"
                f"{' · ' + widgets.safe(alum['role']) if alum['role'] else ''} · "
                f"{widgets.safe(', '.join(alum['causes']) or 'no causes listed')}")
    projects = cached.project_table(dataset)
    led = projects[projects["lead_alum_id"] == node]
    st.markdown("**Projects**")
    if led.empty:
        st.caption("Leads no project in the data.")
    else:
        widgets.table(led[["title", "status", "cause", "start_year", "beneficiaries",
                           "funds_raised_usd", "partners"]])
    analysis = cached.analysed_view(dataset, cached.EVERYTHING, LEVELS[0])
    graph, nodes = analysis.graph, analysis.nodes
    left, right = st.columns([3, 2])
    with left:
        hops = st.radio("Ties shown", [1, 2], horizontal=True, key="profile_hops",
                        format_func=lambda h: "direct" if h == 1 else "two steps")
        title = f"Ties of {alum['name']}"
        picture, suggestions = cached.profile_network(dataset, node, hops, title)
        if picture is None:
            st.caption("No ties in the data yet.")
        else:
            st.iframe(picture, height=470, alt=title)
    with right:
        st.markdown("**Partners**")
        partners = sorted(nodes.loc[list(graph.neighbors(node)), "label"]) if node in graph else []
        st.markdown(widgets.safe(", ".join(map(str, partners)) or "None yet."))
        made = introductions_of(dataset, node)
        if len(made):
            st.markdown("**Introductions made**")
            for _, row in made.iterrows():
                other = row["second_id"] if row["first_id"] == node else row["first_id"]
                name = nodes.at[other, "label"] if other in nodes.index else other
                outcome = (f"a tie since {row['tie_year']}" if row["became_tie"]
                           else "no tie yet")
                st.markdown(f"- {widgets.safe(name)}, {row['year']}"
                            f"{' by ' + widgets.safe(row['made_by']) if row['made_by'] else ''}"
                            f": {outcome}")
        st.markdown("**Suggested introductions**")
        if suggestions.empty:
            st.caption("No one shares this person's causes without already being tied to them.")
        can_record = dataset.audience.may.data_health and curation.writable(dataset, say_why=False)
        for other, row in suggestions.iterrows():
            st.markdown(f"**{widgets.safe(row['label'])}** ({widgets.safe(row['kind'])}, "
                        f"{widgets.safe(row['country'])}): {widgets.safe(row['reason'])}")
            # Under its suggestion, not beside it: the column is too narrow for the label.
            if can_record and st.button("I introduced them", key=f"introduce-{node}-{other}",
                                        type="tertiary", icon=":material/handshake:",
                                        help="Record it: a tie between them that begins "
                                             "later counts as an introduction that worked."):
                curation.record_introduction(dataset, node, other)
