"""What a user chose to look at: one selection for every page, export and command.

A :class:`Selection` names programs, a funder, a period, places, causes and
the rest; an empty field means all. Each consumer applies the fields that
mean something for its rows: the funder's figures (:mod:`analytics.impact.kpis`),
the network (:mod:`analytics.network.model`), the directory and the projects.
The predicates they share ("any of these causes", "in these years", "active
in these years") are here, once.

Example
-------
>>> import pandas as pd
>>> alumni = pd.DataFrame({"program": ["SIFJ", "SIFJ", "iLEAP"], "cohort_year": [2011, 2013, 2016],
...                        "causes": [["aging"], ["education"], ["aging", "energy"]]})
>>> chosen = Selection(causes=("aging",), years=(2010, 2014))
>>> matches(alumni, chosen, ["causes", "years"], year_column="cohort_year").tolist()
[True, False, False]
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

US_JAPAN = ("JP", "US")
# A program no row can have (program is a required, non-blank column): a funder that funded
# none of the chosen programs selects nothing, where an empty tuple would select everything.
NO_PROGRAM = ("",)


@dataclass(frozen=True)
class Selection:
    """What to look at. Empty (or None) means all.

    ``years`` is the period, first and last inclusive: alumni by the year
    their cohort trained, projects by the year they started, ties and grants
    by their year. ``funder`` keeps the programs that organization funded
    and, in the funding figures, only its own grants. ``causes`` keeps rows
    with any of the causes. ``as_of``, ``kinds`` and ``origins`` are the
    network's: ties begun by that year, of those kinds, begun that way ("" is
    a tie whose origin was not recorded). ``has_projects``, ``active`` and
    ``query`` are the directory's.
    """

    programs: tuple[str, ...] = ()
    funder: str | None = None
    cohorts: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    causes: tuple[str, ...] = ()
    org_types: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    has_projects: bool | None = None
    active: bool | None = None
    query: str = ""
    as_of: int | None = None
    kinds: tuple[str, ...] = ()
    origins: tuple[str, ...] = ()

    def key(self) -> tuple:
        """The selection as a plain tuple, for cache keys."""
        return dataclasses.astuple(self)

    def for_funding(self, funding: pd.DataFrame) -> Selection:
        """The selection with the funder's programs spelled out in ``programs``.

        A funder selects the programs it funded (those among ``programs``,
        when some are chosen); one that funded none of them selects nothing.

        >>> funding = pd.DataFrame({"funder_id": ["F1", "F1", "F2"], "program": ["A", "B", "C"]})
        >>> Selection(funder="F1").for_funding(funding).programs
        ('A', 'B')
        >>> Selection(funder="F1", programs=("C",)).for_funding(funding).programs
        ('',)
        """
        if not self.funder:
            return self
        funded = funded_programs(funding, self.funder)
        chosen = tuple(p for p in funded if not self.programs or p in self.programs)
        return replace(self, programs=chosen or NO_PROGRAM)


def funded_programs(funding: pd.DataFrame, funder: str) -> list[str]:
    """The programs an organization funded, from the funding table, sorted."""
    return sorted(set(funding.loc[funding["funder_id"] == funder, "program"]))


def in_years(values: pd.Series, years: tuple[int, int] | None) -> pd.Series:
    """Whether each year lies in ``years`` (inclusive); all True without a period, False for blanks.

    >>> in_years(pd.Series([2010, 2012, None], dtype="Int64"), (2011, 2012)).tolist()
    [False, True, False]
    """
    if years is None:
        return pd.Series(True, index=values.index)
    return values.between(*years).fillna(False).astype(bool)


def has_any(lists: pd.Series, wanted: tuple[str, ...]) -> pd.Series:
    """Whether each list holds any of ``wanted``.

    >>> has_any(pd.Series([["a", "b"], ["c"], []]), ("b", "c")).tolist()
    [True, True, False]
    """
    chosen = set(wanted)
    return lists.map(lambda items: not chosen.isdisjoint(items)).astype(bool)


def active_between(start: pd.Series, end: pd.Series, first: int, last: int) -> pd.Series:
    """Whether each span (a tie's or a project's years) was active at some time in first..last.

    Active means begun by ``last`` and not ended before ``first``; a blank
    end means it still lasts, a blank start that it never began.

    >>> start = pd.Series([2010, 2015, 2010, None], dtype="Int64")
    >>> end = pd.Series([2011, None, None, None], dtype="Int64")
    >>> active_between(start, end, 2012, 2014).tolist()
    [False, False, True, False]
    """
    begun = (start <= last).fillna(False).astype(bool)
    ended = (end < first).fillna(False).astype(bool)
    return begun & ~ended


# The column each list field compares, in any table that has it.
_COLUMN_OF = {"programs": "program", "cohorts": "cohort", "countries": "country",
              "regions": "region", "org_types": "org_type", "statuses": "status",
              "kinds": "kind", "origins": "origin"}


def isin(column: pd.Series | pd.Index, values) -> pd.Series | np.ndarray:
    """Whether each value of ``column`` is among ``values``: ``column.isin(values)``, fast.

    pandas 3.1 checks a text column (Arrow-backed) against ``values`` by turning each of
    them into an Arrow scalar in Python: 7 s for 370,000 tie ends at 100,000 alumni, where
    pandas' hash table, on the same values as Python objects, takes 0.25 s.

    Returns
    -------
    Series of bool indexed as ``column``, or an array for an Index (as ``isin`` does).
    A missing value in a text column matches nothing, even a None among ``values``
    (pandas' own matches it): IDs and codes are compared here, never blanks.

    >>> isin(pd.Series(["A1", "A2", None]), {"A2"}).tolist()
    [False, True, False]
    """
    if isinstance(column.dtype, pd.StringDtype):
        column = column.astype(object)
    if isinstance(values, pd.Series | pd.Index | np.ndarray):
        wanted = np.asarray(values, dtype=object)
    else:
        values = list(values)
        wanted = np.empty(len(values), dtype=object)
        wanted[:] = values
    return column.isin(wanted)


def rows_where(frame: pd.DataFrame, column: str, value) -> pd.DataFrame:
    """The rows of ``frame`` whose ``column`` holds ``value`` (an empty frame stays as it is,
    whatever its columns).

    >>> rows_where(pd.DataFrame({"subject_kind": ["alum", "org"]}), "subject_kind", "org").index.tolist()
    [1]
    """
    return frame[frame[column] == value] if len(frame) else frame


def distinct(column: pd.Series | pd.Index) -> set:
    """The values of ``column`` as a set: ``set(column)``, five times faster for text.

    A set made from an Arrow-backed text column asks Arrow for one value at a time;
    its values as Python objects come in one call.

    >>> sorted(distinct(pd.Series(["JP", "US", "JP"])))
    ['JP', 'US']
    """
    if isinstance(column, pd.Series | pd.Index):
        return set(column.to_numpy(dtype=object))
    return set(column)


def matches(frame: pd.DataFrame, selection: Selection, fields: list[str],
            year_column: str | None = None) -> pd.Series:
    """Which rows of ``frame`` match the selection in each of ``fields``.

    Parameters
    ----------
    frame : DataFrame
        Rows with the columns the fields compare: ``program``, ``cohort``,
        ``country``, ``region``, ``org_type``, ``status``, ``kind``;
        ``causes`` (a list per row) or ``cause`` (one per row) for
        ``causes``; ``projects`` (a count) for ``has_projects``; ``active``
        for ``active``; ``year_column`` for ``years``.
    selection : Selection
    fields : list of str
        The selection's fields to apply; an empty field matches every row.
    year_column : str, optional
        The column ``years`` compares.

    Returns
    -------
    Series of bool, indexed as ``frame``.
    """
    keep = pd.Series(True, index=frame.index)
    for name in fields:
        wanted = getattr(selection, name)
        if wanted is None or wanted == () or wanted == "":
            continue
        if name in _COLUMN_OF:
            keep &= isin(frame[_COLUMN_OF[name]], wanted)
        elif name == "causes":
            keep &= has_any(frame["causes"], wanted) if "causes" in frame \
                else isin(frame["cause"], wanted)
        elif name == "years":
            keep &= in_years(frame[year_column], wanted)
        elif name == "has_projects":
            keep &= (frame["projects"] > 0) == wanted
        elif name == "active":
            keep &= frame["active"] == wanted
        else:
            raise ValueError(f"matches() does not compare the field {name!r}")
    return keep
