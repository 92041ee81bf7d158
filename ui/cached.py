"""Everything expensive, cached: done once per dataset, audience and selection, never on a rerun.

One idiom: each piece of work has a name in WORK and runs through one of two
caches, both keyed the same way: the work's name, the dataset's content
fingerprint, its audience, the selection (as a tuple) and the work's own
arguments. The dataset and selection objects are passed with a leading
underscore, which Streamlit leaves out of the key. Both caches are
``cache_resource``: results are only read, so a hit hands back the object
itself instead of unpickling a copy. The network's analysis, the slow one,
has its own cache so that it shows a spinner and its few large results are
not pushed out by many small ones.
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import streamlit as st

from analytics import privacy
from analytics.data.loader import Dataset
from analytics.impact import directory, kpis, outcomes, projects
from analytics.network import analysis, drawing, ego
from analytics.network.analysis import AnalysedView
from analytics.network.model import node_table, tie_table
from analytics.outputs import forum_pack, report
from analytics.privacy import Audience
from analytics.selection import Selection

EVERYTHING = Selection()


def _network_model(dataset: Dataset, _: Selection) -> tuple[pd.DataFrame, pd.DataFrame]:
    return node_table(dataset.tables), tie_table(dataset.tables)


def _analysed_view(dataset: Dataset, selection: Selection, level: str) -> AnalysedView:
    nodes, ties = network_model(dataset)
    return analysis.analyze_model(nodes, ties, selection.for_funding(dataset.tables["funding"]),
                                  level)


def _drawn_part(dataset: Dataset, selection: Selection, level: str, part: str) -> AnalysedView:
    view = analysed_view(dataset, selection, level)
    if part == "overview":
        return analysis.community_overview(view)
    return analysis.community_members(view, int(part))


def _positions(dataset: Dataset, selection: Selection, level: str, part: str,
               arrangement: str) -> dict:
    drawn = drawn_part(dataset, selection, level, part)
    if arrangement == "by country":
        return drawing.geographic_layout(drawn.graph, drawn.nodes)
    return drawing.layout(drawn.graph)


def _graph_data(dataset: Dataset, selection: Selection, level: str, part: str, arrangement: str,
                color_by: str, size_by: str) -> dict:
    return drawing.view_data(drawn_part(dataset, selection, level, part),
                             drawing.Style(color_by, size_by),
                             positions=_run("layout", dataset, selection, (level, part, arrangement)),
                             geography=arrangement == "by country")


def _graph_html(dataset: Dataset, selection: Selection, level: str, part: str, arrangement: str,
                color_by: str, size_by: str, made_by: str | None) -> str:
    drawn = drawn_part(dataset, selection, level, part)
    return drawing.standalone_html(
        drawn, dataset.audience, drawing.Style(color_by, size_by),
        positions=_run("layout", dataset, selection, (level, part, arrangement)),
        geography=arrangement == "by country", made_by=made_by)


def _profile_network(dataset: Dataset, selection: Selection, node: str, hops: int,
                     title: str) -> tuple:
    view = analysed_view(dataset, EVERYTHING, analysis.LEVELS[0])
    return (ego.ego_picture(view, node, hops, title),
            ego.suggest_connections(view.graph, view.nodes, node))


def _stories(dataset: Dataset, selection: Selection) -> dict[str, pd.DataFrame]:
    chosen = kpis.select_tables(dataset.tables, selection)
    return projects.highlighted_projects(
        projects.project_table(chosen.projects, chosen.everyone, chosen.organizations))


WORK: dict[str, Callable] = {
    # per dataset (the selection is EVERYTHING)
    "network model": _network_model,
    "directory": lambda dataset, _: directory.directory_table(dataset.tables),
    "projects": lambda dataset, _: projects.project_table(
        dataset.tables["projects"], dataset.tables["alumni"], dataset.tables["organizations"]),
    # per selection
    "selected tables": lambda dataset, selection: kpis.select_tables(dataset.tables, selection),
    "kpis": lambda dataset, selection, against: kpis.kpis_compared(dataset.tables, selection,
                                                                  against),
    "outcomes": lambda dataset, selection: privacy.outcomes_shown_to(
        dataset.audience, outcomes.outcomes_by_cohort(dataset.tables, selection)),
    "country ties": lambda dataset, selection: analysis.country_ties(dataset.tables, selection),
    "targets": lambda dataset, selection: kpis.targets_vs_actuals(dataset.tables, selection),
    "stories": _stories,
    "report": lambda dataset, selection, made_by: report.build_report(dataset, selection,
                                                                      made_by=made_by),
    "forum pack": lambda dataset, selection, rules, made_by: forum_pack.build_forum_pack(
        dataset, selection, rules, made_by),
    "growth": lambda dataset, selection: analysis.growth_of(
        *network_model(dataset), selection.for_funding(dataset.tables["funding"])),
    # per analysed view (a selection at a level), its drawn parts and styles
    "summary tables": lambda dataset, selection, level: analysis.summary_tables(
        analysed_view(dataset, selection, level)),
    "drawn part": _drawn_part,
    "layout": _positions,
    "graph data": _graph_data,
    "graph html": _graph_html,
    "profile network": _profile_network,
}


@st.cache_resource(max_entries=128, show_spinner=False)
def _cache(work: str, fingerprint: str, audience: Audience, selection_key: tuple, extra: tuple,
           _dataset: Dataset, _selection: Selection):
    return WORK[work](_dataset, _selection, *extra)


@st.cache_resource(max_entries=16, show_spinner="Computing the network…")
def _analysis_cache(fingerprint: str, audience: Audience, selection_key: tuple, level: str,
                    _dataset: Dataset, _selection: Selection) -> AnalysedView:
    return _analysed_view(_dataset, _selection, level)


def _run(work: str, dataset: Dataset, selection: Selection, extra: tuple = ()):
    return _cache(work, dataset.fingerprint, dataset.audience, selection.key(), extra, dataset,
                  selection)


def network_model(dataset: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dataset's node and tie tables."""
    return _run("network model", dataset, EVERYTHING)


def directory_table(dataset: Dataset) -> pd.DataFrame:
    """The alumni directory, with its search index."""
    return _run("directory", dataset, EVERYTHING)


def project_table(dataset: Dataset) -> pd.DataFrame:
    """Every project with its lead and partners named."""
    return _run("projects", dataset, EVERYTHING)


def selected_tables(dataset: Dataset, selection: Selection) -> kpis.SelectedTables:
    """The tables narrowed to a funder's selection."""
    return _run("selected tables", dataset, selection)


def headline_figures(dataset: Dataset, selection: Selection,
                     against: int | str | None = None) -> list[kpis.Kpi]:
    """The headline figures of a selection, compared with ``against`` (see kpis_compared)."""
    return _run("kpis", dataset, selection, (against,))


def outcomes_by_cohort(dataset: Dataset, selection: Selection) -> pd.DataFrame:
    """Each cohort's outcomes by indicator and wave, with how many answered."""
    return _run("outcomes", dataset, selection)


def country_ties(dataset: Dataset, selection: Selection) -> pd.DataFrame:
    """Ties between countries for the selection's people, for the map."""
    return _run("country ties", dataset, selection)


def targets(dataset: Dataset, selection: Selection) -> pd.DataFrame:
    """Each target beside the figure for its year: 3 s at 10,000 alumni that every rerun of the
    cohorts page's Targets section repeated."""
    return _run("targets", dataset, selection)


def stories(dataset: Dataset, selection: Selection) -> dict[str, pd.DataFrame]:
    """The highlighted projects of a selection."""
    return _run("stories", dataset, selection)


def report_html(dataset: Dataset, selection: Selection, made_by: str | None = None) -> str:
    """The funder report of a selection, for the dataset's audience, by a signed-in member of
    staff (or None)."""
    return _run("report", dataset, selection, (made_by,))


def forum_pack_zip(dataset: Dataset, selection: Selection, rules: Audience,
                   made_by: str | None = None) -> bytes:
    """The forum pack of a selection under an audience's rules, by a signed-in member of staff."""
    return _run("forum pack", dataset, selection, (rules, made_by))


def network_growth(dataset: Dataset, selection: Selection) -> pd.DataFrame:
    """Nodes, ties, cross-border ties and countries per year in a selection's network."""
    return _run("growth", dataset, selection)


def analysed_view(dataset: Dataset, selection: Selection, level: str) -> AnalysedView:
    """A selection of the network at a level, with its graph and metrics."""
    return _analysis_cache(dataset.fingerprint, dataset.audience, selection.key(), level, dataset,
                           selection)


def summary_tables(dataset: Dataset, selection: Selection, level: str) -> dict:
    """Brokers, bridges, communities and the rest for an analysed view."""
    return _run("summary tables", dataset, selection, (level,))


def drawn_part(dataset: Dataset, selection: Selection, level: str, part: str) -> AnalysedView:
    """What the page draws: the whole view (``all``), its communities (``overview``), or one
    community by number."""
    if part == "all":
        return analysed_view(dataset, selection, level)
    return _run("drawn part", dataset, selection, (level, part))


def graph_data(dataset: Dataset, selection: Selection, level: str, part: str, arrangement: str,
               style: drawing.Style) -> dict:
    """What the page's drawing shows of a view's part, in an arrangement (LAYOUTS) and a style;
    one layout serves every style."""
    return _run("graph data", dataset, selection,
                (level, part, arrangement, style.color_by, style.size_by))


def graph_html(dataset: Dataset, selection: Selection, level: str, part: str, arrangement: str,
               style: drawing.Style, made_by: str | None = None) -> str:
    """The offline graph page of the same drawing, for download, by a signed-in member of staff."""
    return _run("graph html", dataset, selection,
                (level, part, arrangement, style.color_by, style.size_by, made_by))


def profile_network(dataset: Dataset, node: str, hops: int,
                    title: str) -> tuple[str | None, pd.DataFrame]:
    """A person's ego-network page (None without ties) and suggested introductions."""
    return _run("profile network", dataset, EVERYTHING, (node, hops, title))
