"""Everything expensive, cached: done once per dataset, audience and selection, never on a rerun.

One idiom: each piece of work has a name in WORK and runs through
:class:`analytics.results.Results`, keyed by the work's name, the dataset's
content fingerprint, its audience, the selection (as a tuple) and the work's
own arguments. Results are only read, so a hit hands back the object itself.
They are kept in memory and on disk (``KIZUNA_CACHE_DIR``, shared by every
process that serves the app), so a restart, or a second process, reads what
one process computed instead of computing it again. The network's analysis,
the slow one, has its own memory so that its few large results are not pushed
out by many small ones. :func:`derived` keeps what a page makes of cached
results (a series, a chart) for as long as those results are kept.
"""

from __future__ import annotations

import gc
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from enum import Enum

import pandas as pd
import streamlit as st

from analytics import i18n, privacy
from analytics.data.loader import Dataset
from analytics.impact import directory, kpis, outcomes, projects
from analytics.network import analysis, drawing, ego, metrics
from analytics.network.analysis import AnalysedView
from analytics.network.model import country_level, node_table, tie_table
from analytics.outputs import forum_pack, report
from analytics.privacy import Audience
from analytics.results import Results, code_version, default_folder
from analytics.selection import Selection

EVERYTHING = Selection()


def _network_model(dataset: Dataset, _: Selection) -> tuple[pd.DataFrame, pd.DataFrame]:
    return node_table(dataset.tables), tie_table(dataset.tables)


def _selected_network(dataset: Dataset, selection: Selection) -> tuple:
    return analysis.selected_network(*network_model(dataset),
                                     selection.for_funding(dataset.tables["funding"]))


def _analysed_view(dataset: Dataset, selection: Selection, level: str) -> AnalysedView:
    return analysis.analyze_model(*network_model(dataset),
                                  selection.for_funding(dataset.tables["funding"]), level,
                                  selected=_run("selected network", dataset, selection))


def _growth(dataset: Dataset, selection: Selection) -> pd.DataFrame:
    nodes, _, edges = _run("selected network", dataset, selection)
    return metrics.growth(nodes, edges)


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


def _selection_options(dataset: Dataset, _: Selection) -> dict:
    alumni, funding, orgs = (dataset.tables[t] for t in ("alumni", "funding", "organizations"))
    return {"programs": sorted(set(alumni["program"])),
            "funders": sorted(set(funding["funder_id"])),
            "funder names": dict(zip(orgs["org_id"], orgs["name"], strict=True)),
            "years": kpis.data_years(dataset.tables),
            "countries": sorted(set(alumni["country"])),
            "causes": sorted(set(alumni["causes"].explode().dropna()))}


WORK: dict[str, Callable] = {
    # per dataset (the selection is EVERYTHING)
    "selection options": _selection_options,
    "activity years": lambda dataset, _: kpis.activity_years(dataset.tables),
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
    "selected network": _selected_network,
    "country ties": lambda dataset, selection: country_level(
        _run("selected network", dataset, selection)[2]),
    "targets": lambda dataset, selection: kpis.targets_vs_actuals(dataset.tables, selection),
    "stories": _stories,
    "report": lambda dataset, selection, made_by: report.build_report(dataset, selection,
                                                                      made_by=made_by),
    "forum pack": lambda dataset, selection, rules, made_by: forum_pack.build_forum_pack(
        dataset, selection, rules, made_by),
    "growth": _growth,
    # per analysed view (a selection at a level), its drawn parts and styles
    "summary tables": lambda dataset, selection, level: analysis.summary_tables(
        analysed_view(dataset, selection, level)),
    "drawn part": _drawn_part,
    "layout": _positions,
    "graph data": _graph_data,
    "graph html": _graph_html,
    "profile network": _profile_network,
}


# Work whose results hold no words: kept once for both languages. Every other result is kept
# per language, so that analytics may translate as it computes.
WORDLESS = {"activity years", "network model", "selected tables", "selected network", "growth",
            "layout", "drawn part", "directory", "projects", "selection options"}
# Not persisted: files made on request for one person (their name and the day are in them).
MADE_ON_REQUEST = {"report", "forum pack", "graph html"}
# Pseudonyms depend on the key: results made under another (another machine's, an old one)
# are kept apart. A new key takes effect at a restart.
VERSION = code_version(salt=privacy.pseudonym_key())
RESULTS = Results(default_folder(), memory_entries=256, version=VERSION)
NETWORKS = Results(default_folder(), memory_entries=16, version=VERSION)


def _get_showing(results: Results, key: tuple, compute: Callable, spinner: str):
    """``results.get``, with a spinner while the result is read or computed."""
    if results.in_memory(key):
        return results.get(key, compute)
    with st.spinner(spinner):
        return results.get(key, compute)


def _run(work: str, dataset: Dataset, selection: Selection, extra: tuple = ()):
    key = (work, dataset.fingerprint, dataset.audience.value, selection.key(), extra,
           None if work in WORDLESS else i18n.language())
    return RESULTS.get(key, lambda: WORK[work](dataset, selection, *extra),
                       keep_on_disk=work not in MADE_ON_REQUEST)


# Results of the data as it is now and as it was just before stay in memory; older data's go
# (the disk keeps them): at 100,000 alumni one version's results take hundreds of MB.
FINGERPRINTS_KEPT = 2
_recent: list[str] = []
_recent_lock = threading.Lock()


def _keep_in_memory(fingerprint: str) -> None:
    with _recent_lock:
        if _recent and _recent[-1] == fingerprint:
            return
        if fingerprint in _recent:
            _recent.remove(fingerprint)
        _recent.append(fingerprint)
        del _recent[:-FINGERPRINTS_KEPT]
        kept = set(_recent)
    for results in (RESULTS, NETWORKS):
        results.forget(lambda key: key[1] not in kept)


def load_dataset_once(folder: str, fingerprint: str, load: Callable[[], Dataset]) -> Dataset:
    """A folder's dataset by its content fingerprint (``load`` reads it when it is in
    neither memory nor the disk results). A new fingerprint sends the results of all but
    the last FINGERPRINTS_KEPT out of memory."""
    _keep_in_memory(fingerprint)
    return _get_showing(RESULTS, ("dataset", fingerprint), load,
                        i18n._("Loading and checking the data…"))


def for_audience(dataset: Dataset, audience: Audience, make: Callable[[], Dataset]) -> Dataset:
    """The dataset as ``audience`` may see it (``make`` redacts it), once per content,
    folder, version, data date and audience."""
    key = ("for audience", dataset.fingerprint, str(dataset.folder), dataset.version,
           str(dataset.data_date), audience.value)
    return RESULTS.get(key, make)


_VALUES = (str, int, float, bool, type(None), tuple, Enum, Selection)
_derived: OrderedDict[tuple, tuple[object, int]] = OrderedDict()  # key -> (value, bytes)
_derived_lock = threading.Lock()
_watched: set[int] = set()
DERIVED_ENTRIES = 512
DERIVED_BYTES = 256 * 1024 * 1024  # tables a page filtered (a search per query) are large
_derived_bytes = 0


def _size(value) -> int:
    if isinstance(value, pd.DataFrame | pd.Series):
        return int(pd.Series(value.memory_usage(index=True, deep=False)).sum())
    return 0


def _take(key) -> object:
    # Under _derived_lock: the entry leaves; its value is handed back to be dropped once the
    # lock is released (dropping it can free a value another entry was made from, whose
    # finalizer takes the lock again).
    global _derived_bytes
    value, size = _derived.pop(key)
    _derived_bytes -= size
    return value


def _forget(identity: int) -> None:
    with _derived_lock:
        _watched.discard(identity)
        dropped = [_take(k) for k in [k for k in _derived if identity in k[2]]]
    del dropped  # outside the lock: see _take


def derived(make: Callable, *args, **options):
    """``make(*args, **options)``, kept for as long as its arguments are.

    For what a page makes of cached results (a series, a chart): the results are
    the same objects on every rerun, so they are told apart by identity, and an
    entry goes when an argument it was made from is dropped from the caches.
    Arguments that are plain values (strings, numbers, tuples, enums, selections)
    count by value. At most DERIVED_ENTRIES are kept, and tables of DERIVED_BYTES in all;
    the least recently used go first.

    >>> derived(len, "abc")
    3
    """
    identities = tuple(id(a) for a in args if not isinstance(a, _VALUES))
    key = (make, tuple(a if isinstance(a, _VALUES) else None for a in args), identities,
           tuple(sorted(options.items())), i18n.language())  # a chart's words are a language's
    global _derived_bytes
    with _derived_lock:
        if key in _derived:
            _derived.move_to_end(key)
            return _derived[key][0]
    value = make(*args, **options)
    size = _size(value)
    with _derived_lock:
        for arg in args:
            if not isinstance(arg, _VALUES) and id(arg) not in _watched:
                weakref.finalize(arg, _forget, id(arg))
                _watched.add(id(arg))
        dropped = [_take(key)] if key in _derived else []  # made twice at once
        _derived[key] = (value, size)
        _derived_bytes += size
        while len(_derived) > DERIVED_ENTRIES or (_derived_bytes > DERIVED_BYTES
                                                   and len(_derived) > 1):
            dropped.append(_take(next(iter(_derived))))
    del dropped  # outside the lock: see _take
    return value


_frozen_at = -1


def freeze_what_is_kept() -> None:
    """Exempt everything kept so far from the garbage collector's full passes.

    A full pass walks every object in the process: with a dataset, its graph and
    charts kept, 0.1-0.2 s went to walking them each time Python's collector ran
    one. So when the caches have grown, the frozen objects are returned to the
    collector, everything no longer referenced is collected (a graph evicted from
    the caches is a reference cycle: only a collection frees it), and what is
    left is frozen again (:func:`gc.freeze`): the passes in between only walk
    what the runs since made.
    """
    global _frozen_at
    grown = RESULTS.counts["computed"] + RESULTS.counts["disk"] + NETWORKS.counts["computed"] \
        + NETWORKS.counts["disk"]
    if grown != _frozen_at:
        _frozen_at = grown
        gc.unfreeze()
        gc.collect()
        gc.freeze()


def network_model(dataset: Dataset) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The dataset's node and tie tables."""
    return _run("network model", dataset, EVERYTHING)


def selection_options(dataset: Dataset) -> dict:
    """What the impact filters offer: programs, funders (and their names), the data's first and
    last years, countries and causes."""
    return _run("selection options", dataset, EVERYTHING)


def activity_years(dataset: Dataset) -> list[int]:
    """The years with any activity (kpis.activity_years)."""
    return _run("activity years", dataset, EVERYTHING)


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
    key = ("analysed view", dataset.fingerprint, dataset.audience.value, selection.key(), level)
    return _get_showing(NETWORKS, key, lambda: _analysed_view(dataset, selection, level),
                        i18n._("Computing the network…"))


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
