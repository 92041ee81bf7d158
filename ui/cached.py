"""Everything expensive, cached: built once per dataset, view or selection, never on a rerun.

Each cache is keyed by the dataset's fingerprint (which, for redacted data,
names the audience too) and by the view or selection; the dataset and the
analysis objects are passed with a leading underscore, which Streamlit
leaves out of the key (a networkx graph cannot be hashed).
"""

from __future__ import annotations

from dataclasses import astuple

import pandas as pd
import streamlit as st

from analytics.data.loader import Dataset
from analytics.impact import directory
from analytics.impact import kpis as impact
from analytics.network import analysis as network_analysis_module
from analytics.network import drawing
from analytics.network import model as network
from analytics.network.analysis import NetworkAnalysis, analyze_model
from analytics.outputs import forum_pack, report


def _key(dataset: Dataset) -> str:
    return f"{dataset.fingerprint}:{dataset.audience}"


# Work done once per dataset (and audience), by name: one cache for all of it.
_DATASET_WORK = {
    "network model": lambda dataset: (network.node_table(dataset.tables),
                                      network.tie_table(dataset.tables)),
    "directory": lambda dataset: directory.directory_table(dataset.tables),
    "projects": lambda dataset: impact.project_table(dataset.tables),
}


@st.cache_resource(max_entries=12, show_spinner=False)
def _per_dataset(work: str, fingerprint: str, _dataset: Dataset):
    return _DATASET_WORK[work](_dataset)


def network_model(dataset: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dataset's node and tie tables."""
    return _per_dataset("network model", _key(dataset), dataset)


def directory_table(dataset: Dataset) -> pd.DataFrame:
    """The alumni directory, with its search index."""
    return _per_dataset("directory", _key(dataset), dataset)


def project_table(dataset: Dataset) -> pd.DataFrame:
    """Every project with its lead and partners named."""
    return _per_dataset("projects", _key(dataset), dataset)


@st.cache_resource(max_entries=32, show_spinner="Computing the network…")
def _analysis(fingerprint: str, view_key: tuple, level: str, _dataset: Dataset,
              _view: network.View) -> NetworkAnalysis:
    nodes, ties = network_model(_dataset)
    return analyze_model(nodes, ties, _view, level)


def network_analysis(dataset: Dataset, view: network.View, level: str) -> NetworkAnalysis:
    """A view of the network with its metrics, computed once per dataset, view and level."""
    return _analysis(_key(dataset), astuple(view), level, dataset, view)


@st.cache_resource(max_entries=32, show_spinner="Laying out the graph…")
def _layout(fingerprint: str, view_key: tuple, level: str, _analysis: NetworkAnalysis) -> dict:
    return drawing.layout(_analysis.graph)


@st.cache_resource(max_entries=32, show_spinner=False)
def _part(fingerprint: str, view_key: tuple, level: str, part: str,
          _analysis: NetworkAnalysis) -> NetworkAnalysis:
    if part == "overview":
        return network_analysis_module.community_overview(_analysis)
    return network_analysis_module.community_members(_analysis, int(part))


def drawn_part(dataset: Dataset, analysis: NetworkAnalysis, part: str) -> NetworkAnalysis:
    """What the page draws: the whole view (``all``), its communities (``overview``), or one
    community by number."""
    if part == "all":
        return analysis
    return _part(_key(dataset), astuple(analysis.view), analysis.level, part, analysis)


@st.cache_data(max_entries=64, show_spinner=False)
def _html(fingerprint: str, view_key: tuple, level: str, part: str, color_by: str, size_by: str,
          _drawn: NetworkAnalysis) -> str:
    positions = _layout(fingerprint, view_key, f"{level}/{part}", _drawn)
    return drawing.standalone_html(_drawn, drawing.Style(color_by, size_by), positions=positions)


def network_html(dataset: Dataset, analysis: NetworkAnalysis, style: drawing.Style,
                 part: str = "all") -> str:
    """The offline graph page for a view, part and style; layouts are shared by every style."""
    drawn = drawn_part(dataset, analysis, part)
    return _html(_key(dataset), astuple(analysis.view), analysis.level, part,
                 style.color_by, style.size_by, drawn)


@st.cache_data(max_entries=32, show_spinner="Computing brokers, bridges and communities…")
def _tables(fingerprint: str, view_key: tuple, level: str, _analysis: NetworkAnalysis) -> dict:
    return network_analysis_module.summary_tables(_analysis)


def network_tables(dataset: Dataset, analysis: NetworkAnalysis) -> dict:
    """Brokers, bridges, communities and the rest for a view, computed once per view."""
    return _tables(_key(dataset), astuple(analysis.view), analysis.level, analysis)


@st.cache_data(max_entries=64, show_spinner=False)
def _profile_network(fingerprint: str, view_key: tuple, level: str, node: str, hops: int,
                     title: str, _analysis: NetworkAnalysis) -> tuple:
    return (directory.ego_picture(_analysis, node, hops, title),
            directory.suggest_connections(_analysis.graph, _analysis.nodes, node))


def profile_network(dataset: Dataset, analysis: NetworkAnalysis, node: str, hops: int,
                    title: str) -> tuple[str | None, pd.DataFrame]:
    """A person's ego-network page (None without ties) and suggested introductions, once
    per person: 0.3 s at 10,000 alumni that every rerun of the directory would repeat."""
    return _profile_network(_key(dataset), astuple(analysis.view), analysis.level, node,
                            hops, title, analysis)


def selection_caption(dataset: Dataset, selection: impact.Selection) -> str:
    """The selection in words."""
    return f"Selection: {report.describe_selection(selection, dataset.tables)}"


def view_of(dataset: Dataset, selection: impact.Selection) -> network.View:
    """The network view that matches a funder's selection (programs, cohort years, causes)."""
    programs = selection.programs
    if selection.funder:
        funded = impact.funded_programs(dataset.tables["funding"], selection.funder)
        programs = tuple(p for p in funded if not programs or p in programs) or ("",)
    return network.View(programs=programs, cohort_years=selection.years,
                        causes=selection.causes,
                        scope="countries" if selection.countries else "asia-pacific",
                        countries=selection.countries)


@st.cache_data(max_entries=8, show_spinner="Making the forum pack…")
def _forum_pack(fingerprint: str, selection_key: tuple, rules: str, _dataset: Dataset,
                _selection: impact.Selection) -> bytes:
    return forum_pack.build_forum_pack(_dataset, _selection, rules)


def forum_pack_zip(dataset: Dataset, selection: impact.Selection, rules: str) -> bytes:
    """The forum pack of a selection under an audience's rules, made once per selection."""
    return _forum_pack(_key(dataset), astuple(selection), rules, dataset, selection)


@st.cache_data(max_entries=32, show_spinner=False)
def _growth(fingerprint: str, view_key: tuple, _dataset: Dataset,
            _view: network.View) -> pd.DataFrame:
    nodes, ties = network_model(_dataset)
    return network_analysis_module.growth_of(nodes, ties, _view)


def network_growth(dataset: Dataset, view: network.View) -> pd.DataFrame:
    """Nodes, ties, cross-border ties and countries per year for a view, once per view."""
    return _growth(_key(dataset), astuple(view), dataset, view)


@st.cache_resource(max_entries=16, show_spinner=False)
def _selected(fingerprint: str, selection_key: tuple, _dataset: Dataset,
              _selection: impact.Selection) -> dict[str, pd.DataFrame]:
    return impact.select(_dataset.tables, _selection)


def selected(dataset: Dataset, selection: impact.Selection) -> dict[str, pd.DataFrame]:
    """The tables narrowed to a funder's selection, once per dataset and selection."""
    return _selected(_key(dataset), astuple(selection), dataset, selection)


# Work done once per dataset and funder selection, by name: one cache for all of it.
_SELECTION_WORK = {
    "kpis": lambda dataset, selection: impact.kpis(dataset.tables, selection),
    "stories": lambda dataset, selection: impact.highlighted_projects(
        impact.project_table(impact.select(dataset.tables, selection))),
    "report": report.build_report,
}


@st.cache_data(max_entries=64, show_spinner=False)
def _per_selection(work: str, fingerprint: str, selection_key: tuple, _dataset: Dataset,
                   _selection: impact.Selection):
    return _SELECTION_WORK[work](_dataset, _selection)


def kpis(dataset: Dataset, selection: impact.Selection) -> list[impact.Kpi]:
    """The headline figures of a selection."""
    return _per_selection("kpis", _key(dataset), astuple(selection), dataset, selection)


def stories(dataset: Dataset, selection: impact.Selection) -> dict[str, pd.DataFrame]:
    """The highlighted projects of a selection."""
    return _per_selection("stories", _key(dataset), astuple(selection), dataset, selection)


def report_html(dataset: Dataset, selection: impact.Selection) -> str:
    """The funder report of a selection."""
    return _per_selection("report", _key(dataset), astuple(selection), dataset, selection)
