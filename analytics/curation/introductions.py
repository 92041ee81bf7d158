"""Introductions staff make between two people, recorded as a new version of the data.

A suggested introduction (:func:`analytics.network.ego.suggest_connections`)
that staff make is a row of the ``introductions`` table; a tie between the
two that begins in that year or later counts as an introduction that worked
(see :mod:`analytics.impact.introductions`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from analytics.curation import NOBODY_SIGNED_IN, changes
from analytics.data import store
from analytics.data.loader import Dataset
from analytics.data.schema import TABLES
from analytics.i18n import lazy


def record_introduction(folder: str | Path, first: str, second: str, *, who: str,
                        on: dt.date | None = None, suggested: bool = True,
                        note: str = "", current: Dataset | None = None) -> store.Version:
    """Add an introduction between ``first`` and ``second`` to the data, as a new version.

    Parameters
    ----------
    folder : Path
        The data folder.
    first, second : str
        The two people (or an alum and an organization) introduced.
    who : str
        Who made the introduction; also who made the change.
    on : date, optional
        When; today by default.
    suggested : bool
        Whether it was one of Kizuna's suggested introductions.
    note : str
        Free text.
    current : Dataset, optional
        The folder's current dataset, when the caller has it loaded (not loaded again).

    Returns
    -------
    store.Version
        The new version. Raises ``store.StoreError`` when the change cannot be
        applied (the two are the same, an ID is unknown: nothing changes).
    """
    on = on or dt.date.today()
    listed = changes.text_tables(store.resolve(folder)[0])["introductions"]
    row = {"first_id": first, "second_id": second, "year": str(on.year), "date": on.isoformat(),
           "made_by": who, "suggested": "yes" if suggested else "no", "note": note}
    columns = list(dict.fromkeys([*TABLES["introductions"].column_names, *listed.columns]))
    added = pd.concat([listed.reindex(columns=columns, fill_value=""),
                       pd.DataFrame([row]).reindex(columns=columns, fill_value="")],
                      ignore_index=True)
    preview = changes.prepare(folder, {"introductions": changes.table_csv(added)},
                              action="introduction",
                              # a name stays as written; the words saying nobody
                              # signed in are shown in the reader's language
                              description=lazy("{who} introduced {first} and {second}",
                                               who=lazy(who) if who == NOBODY_SIGNED_IN else who,
                                               first=first, second=second),
                              current=current)
    try:
        return changes.apply(preview, who)
    finally:
        preview.discard()
