"""Introductions the program made between alumni and organizations, and which became ties.

The optional ``introductions`` table records each introduction (``first_id``,
``second_id``, ``year``, ``date``, ``made_by``, ``suggested``, ``note``).
:func:`introduction_outcomes` says which of them became a partnership; the
headline figures count them for a selection
(:func:`analytics.impact.kpis.select_tables`).

Example
-------
>>> intros = pd.DataFrame({"first_id": ["A1"], "second_id": ["O1"], "year": [2014]})
>>> ties = pd.DataFrame({"source_id": ["O1"], "target_id": ["A1"], "start_year": [2015]})
>>> bool(introduction_outcomes(intros, ties)["became_tie"].iloc[0])
True
"""

from __future__ import annotations

import pandas as pd

INTRODUCTION_COLUMNS = {"first_id": object, "second_id": object, "year": "Int64", "date": object,
                        "made_by": object, "suggested": bool, "note": object}


def optional_table(tables: dict[str, pd.DataFrame], name: str, columns: dict[str, object]) -> pd.DataFrame:
    """A table that may be absent, with every one of ``columns``, typed.

    A missing table is an empty frame; a missing column is blank text, NA
    for numbers and years, False for yes/no: the table is read as it would
    be once the contract lists it.

    >>> optional_table({}, "introductions", {"first_id": object, "year": "Int64"}).dtypes.tolist()
    [dtype('O'), Int64Dtype()]
    >>> optional_table({"t": pd.DataFrame({"a": ["x"]})}, "t", {"a": object, "b": bool})["b"].tolist()
    [False]
    """
    frame = tables.get(name)
    if frame is None:
        return pd.DataFrame({c: pd.Series(dtype=kind) for c, kind in columns.items()})
    missing = {}
    for column, kind in columns.items():
        if column not in frame:
            blank = ("" if kind is object else False if kind is bool
                     else float("nan") if kind is float else pd.NA)
            missing[column] = pd.Series(blank, index=frame.index, dtype=kind)
    return frame.assign(**missing) if missing else frame


def introductions_of(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The introductions table, empty when the data has none (see :func:`optional_table`).

    >>> len(introductions_of({}))
    0
    """
    return optional_table(tables, "introductions", INTRODUCTION_COLUMNS)


def _pair(first: pd.Series, second: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The two ends of each row in a fixed order, so (a, b) and (b, a) are the same pair."""
    first, second = first.astype(object), second.astype(object)
    swap = first.astype(str) > second.astype(str)
    return first.where(~swap, second), second.where(~swap, first)


def introduction_outcomes(introductions: pd.DataFrame, partnerships: pd.DataFrame) -> pd.DataFrame:
    """Each introduction, with whether it became a tie and when.

    An introduction *became a tie* when a partnership joins the same two
    ends, in either direction, and began (``start_year``) in the year of the
    introduction or later. A partnership that began before the introduction
    does not count: the two already worked together, so the introduction
    did not make that tie. An introduction without a year cannot be placed
    before or after a tie, and does not count as having become one.

    Parameters
    ----------
    introductions : DataFrame
        ``first_id``, ``second_id`` (alum or organization IDs) and ``year``.
    partnerships : DataFrame
        ``source_id``, ``target_id`` and ``start_year``: every partnership,
        not only a selection's, since a tie may begin after the years looked at.

    Returns
    -------
    DataFrame
        ``introductions`` with ``became_tie`` (bool) and ``tie_year`` (Int64:
        the start year of the first such partnership, NA without one).

    Examples
    --------
    >>> intros = pd.DataFrame({"first_id": ["A1", "A2"], "second_id": ["O1", "A3"],
    ...                        "year": pd.array([2014, 2014], dtype="Int64")})
    >>> ties = pd.DataFrame({"source_id": ["O1", "A3"], "target_id": ["A1", "A2"],
    ...                      "start_year": [2015, 2012]})
    >>> made = introduction_outcomes(intros, ties)
    >>> made["became_tie"].tolist(), made["tie_year"].tolist()
    ([True, False], [2015, <NA>])
    """
    found = pd.Series(pd.NA, index=range(len(introductions)), dtype="Int64")
    if len(introductions) and len(partnerships):
        low, high = _pair(introductions["first_id"], introductions["second_id"])
        made = pd.DataFrame({"row": range(len(introductions)), "low": low.to_numpy(),
                             "high": high.to_numpy(),
                             "year": pd.array(introductions["year"], dtype="Int64")})
        tie_low, tie_high = _pair(partnerships["source_id"], partnerships["target_id"])
        ties = pd.DataFrame({"low": tie_low.to_numpy(), "high": tie_high.to_numpy(),
                             "tie_year": pd.array(partnerships["start_year"], dtype="Int64")})
        joined = made.merge(ties, on=["low", "high"])
        joined = joined[(joined["tie_year"] >= joined["year"]).fillna(False).astype(bool)]
        found = found.fillna(joined.groupby("row")["tie_year"].min()).astype("Int64")
    found.index = introductions.index
    return introductions.assign(became_tie=found.notna(), tie_year=found)
