"""A change to the data, previewed like a pull request before it is applied.

Every change staff make (an import, a row fixed in place, two people merged)
becomes a whole new version of the data folder: :func:`prepare` writes it
aside, loads it with the same loader as always and compares it with the
current data; :func:`apply` makes it current, keeping the version before it
(see :mod:`analytics.data.store`). Rows are matched by their table's identity
(its ID, see ``Table.identity``) and compared as the text staff typed.

Example
-------
>>> old = pd.DataFrame({"metric": ["alumni", "alumni"], "year": ["2017", "2018"],
...                     "target": ["45", "50"]}, index=[2, 3])
>>> new = pd.DataFrame({"metric": ["alumni", "alumni"], "year": ["2018", "2019"],
...                     "target": ["55", "60"]}, index=[2, 3])
>>> change = diff_table(TABLES["targets"], old, new)
>>> change.counts
{'added': 1, 'removed': 1, 'changed': 1}
>>> change.changed[["id", "column", "old", "new"]].values.tolist()
[['alumni · 2018', 'target', '50', '55']]
"""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from analytics.curation import lazy_list
from analytics.data import sources, store
from analytics.data.loader import ERROR, Dataset, load_dataset
from analytics.data.schema import LOAD_ORDER, TABLES, Table
from analytics.i18n import N_, Text, _, lazy, ngettext, number
from analytics.impact.kpis import crosses_border, data_years, select_tables
from analytics.selection import Selection

CHANGED_FIELDS = ("id", "row", "column", "old", "new")
# What a change does to a row: keys of TableDiff.counts and the audit's "change", shown with _().
CHANGE_KINDS = (N_("added"), N_("removed"), N_("changed"))
COUNTED = {"added": N_("{count} added"), "removed": N_("{count} removed"),
           "changed": N_("{count} changed")}
FIGURES = ("alumni", "organizations", "ties", "cross_border_share")
FIGURE_LABELS = {"alumni": N_("Alumni"), "organizations": N_("Organizations"),
                 "ties": N_("Partnerships (ties)"), "cross_border_share": N_("Cross-border share")}


@dataclass(frozen=True)
class TableDiff:
    """What a change does to one table: rows added, removed and changed.

    ``added`` and ``removed`` are the rows as text (indexed by their row in
    the new and the old version); ``changed`` has one row per changed cell
    with the columns of CHANGED_FIELDS (``id`` names the row, ``row`` is its
    row number in the new version).
    """

    table: str
    added: pd.DataFrame
    removed: pd.DataFrame
    changed: pd.DataFrame

    @property
    def counts(self) -> dict[str, int]:
        return {"added": len(self.added), "removed": len(self.removed),
                "changed": int(self.changed["id"].nunique()) if len(self.changed) else 0}

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


def text_tables(where: Path) -> dict[str, pd.DataFrame]:
    """Every table of a folder as the text its cells hold, indexed by spreadsheet row.

    Rows the loader would set aside are included: they are data too. A table
    missing from the folder is an empty frame with its contract columns.
    """
    return _text_tables(where)


def _text_tables(where: Path, known: dict[str, pd.DataFrame] | None = None) -> dict[str, pd.DataFrame]:
    """:func:`text_tables`, taking the tables in ``known`` as they are instead of reading them."""
    found, _ = sources.find_sources(sources.data_files(where))
    tables = {}
    for name in LOAD_ORDER:
        frame = None
        if known and name in known:
            frame = known[name]
        elif name in found:
            try:
                frame = sources.read_source(found[name]).frame
            except sources.SourceError:
                frame = None
        if frame is None or frame.columns.empty:
            frame = pd.DataFrame(columns=TABLES[name].column_names, dtype=object)
        tables[name] = frame
    return tables


def table_csv(frame: pd.DataFrame) -> bytes:
    """A text table as CSV bytes: UTF-8 with a BOM, so that Excel shows Japanese right."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(frame.columns)
    writer.writerows(frame.itertuples(index=False, name=None))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def row_labels(table: str, frame: pd.DataFrame) -> pd.Series:
    """What names each row of a table's text: its ID, or its identity columns joined by " · ".

    >>> row_labels("targets", pd.DataFrame({"metric": ["alumni"], "year": ["2017"]})).tolist()
    ['alumni · 2017']
    """
    return _identity_labels(TABLES[table], frame)


def _identity_labels(table: Table, frame: pd.DataFrame) -> pd.Series:
    parts = [frame[c].astype(str) if c in frame else pd.Series("", index=frame.index)
             for c in table.identity]
    label = parts[0]
    for part in parts[1:]:
        label = label + " · " + part
    return label


def _match_keys(table: Table, frame: pd.DataFrame) -> pd.Series:
    """Each row's identity, numbered where it repeats so that repeats pair up in order."""
    label = _identity_labels(table, frame)
    if not table.key:
        label = label.str.casefold()
    return label + "\x1e" + label.groupby(label).cumcount().astype(str)


def diff_table(table: Table, old: pd.DataFrame, new: pd.DataFrame) -> TableDiff:
    """Compare two versions of a table row by row.

    Parameters
    ----------
    table : Table
        The table's contract; rows are matched by ``table.identity``.
    old, new : DataFrame
        The table's text in each version (see :func:`text_tables`).

    Returns
    -------
    TableDiff
        Rows only in ``new`` (added), only in ``old`` (removed), and each cell
        that differs in a row of both (changed). A column only one version
        has counts as blank in the other.
    """
    columns = list(dict.fromkeys([*table.column_names, *old.columns, *new.columns]))
    same = old is new  # a table the change did not touch (see prepare): nothing to match
    old = old.reindex(columns=columns, fill_value="").fillna("")
    new = old if same else new.reindex(columns=columns, fill_value="").fillna("")
    if same:
        none, nothing = np.array([], dtype=np.intp), np.array([], dtype=object)
        return TableDiff(table.name, new.iloc[:0], old.iloc[:0],
                         _changed_cells(table, new, columns, none, none, nothing, nothing))
    # Keys as Python strings, matched with a dict: pandas' isin on Arrow-backed strings
    # builds a scalar per value and is a hundred times slower at 40,000 rows.
    old_keys = _match_keys(table, old).to_numpy(dtype=object)
    new_keys = _match_keys(table, new).to_numpy(dtype=object)
    old_at = {k: i for i, k in enumerate(old_keys)}  # keys are unique (repeats are numbered)
    new_set = set(new_keys)
    in_old = np.fromiter((k in old_at for k in new_keys), dtype=bool, count=len(new_keys))
    in_new = np.fromiter((k in new_set for k in old_keys), dtype=bool, count=len(old_keys))
    added, removed = new[~in_old], old[~in_new]
    new_rows = np.flatnonzero(in_old)  # positions in new of rows in both, in new's order
    old_rows = np.fromiter((old_at[k] for k in new_keys[new_rows]), dtype=np.intp,
                           count=len(new_rows))
    # Cells compared column by column; the changes listed row by row, then column by column.
    rows, cols, before, after = [], [], [], []
    for c, column in enumerate(columns):
        was = old[column].to_numpy(dtype=object)[old_rows]
        now = new[column].to_numpy(dtype=object)[new_rows]
        differs = np.flatnonzero(was != now)
        if len(differs):
            rows.append(differs)
            cols.append(np.full(len(differs), c))
            before.append(was[differs])
            after.append(now[differs])
    if rows:
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        order = np.lexsort((cols, rows))
        rows, cols = rows[order], cols[order]
        before, after = np.concatenate(before)[order], np.concatenate(after)[order]
    else:
        rows = cols = np.array([], dtype=np.intp)
        before = after = np.array([], dtype=object)
    return TableDiff(table.name, added, removed,
                     _changed_cells(table, new, columns, new_rows[rows], cols, before, after))


def _changed_cells(table: Table, new: pd.DataFrame, columns: list[str], at: np.ndarray,
                   cols: np.ndarray, before: np.ndarray, after: np.ndarray) -> pd.DataFrame:
    """The changed cells as rows of CHANGED_FIELDS; ``at`` are their rows' positions in ``new``."""
    return pd.DataFrame({
        "id": _identity_labels(table, new.iloc[at]).to_numpy(),
        "row": new.index.to_numpy()[at],
        "column": [columns[c] for c in cols],
        "old": before,
        "new": after,
    }, columns=list(CHANGED_FIELDS))


def diff_tables(old: dict[str, pd.DataFrame], new: dict[str, pd.DataFrame]) -> dict[str, TableDiff]:
    """:func:`diff_table` for every table of the contract, in load order."""
    return {name: diff_table(TABLES[name], old[name], new[name]) for name in LOAD_ORDER}


def headline_figures(dataset: Dataset) -> dict[str, float]:
    """The figures a change is judged by: alumni, organizations, ties, cross-border share.

    Counted over the rows loaded (rows set aside do not count), over all the
    data's years; the cross-border share is the overview's (see docs/metrics.md).
    """
    tables = dataset.tables
    return {"alumni": len(tables["alumni"]),
            "organizations": len(tables["organizations"]),
            "ties": len(tables["partnerships"]),
            "cross_border_share": _cross_border_share(tables)}


def _cross_border_share(tables: dict[str, pd.DataFrame]) -> float:
    """The overview's cross-border share over all the data's years: ``kpis(tables)``'s value,
    without the year-earlier figures and the other KPIs a preview does not show."""
    crossing = crosses_border(select_tables(tables, Selection(years=data_years(tables))))
    return float(crossing.mean()) if len(crossing) else float("nan")


def _set_aside_keys(dataset: Dataset) -> set[tuple[str, str]]:
    keys = set()
    for name, rows in dataset.rejected.items():
        if len(rows):
            keys |= {(name, k) for k in _match_keys(TABLES[name], rows.fillna(""))}
    return keys


@dataclass
class Preview:
    """A prepared change: what it does, and what it would set aside, before anything changes.

    ``staged`` holds the whole new version; ``base`` is the content
    fingerprint of the data it was prepared from, so that :func:`apply`
    refuses it when the data has changed since. ``new_problems`` has the
    columns of ``Dataset.problems_frame``, each message a
    :class:`~analytics.i18n.Text` (``str()`` it to show it).
    """

    folder: Path
    base: str
    base_version: int | None
    staged: Path
    action: str
    description: Text | str
    before: Dataset
    after: Dataset
    diffs: dict[str, TableDiff]
    notes: tuple[str, ...] = ()
    not_duplicates: tuple[tuple[str, str], ...] | None = None
    new_problems: pd.DataFrame = field(init=False)

    def __post_init__(self) -> None:
        before_aside = _set_aside_keys(self.before)
        # The same problem has the same message: compared as text in one language.
        table_level = {(p.table, store.in_english(p.message)) for p in self.before.errors
                       if not p.row or p.row == 1}
        new_rows = set()
        for name, rows in self.after.rejected.items():
            if len(rows):
                keys = _match_keys(TABLES[name], rows.fillna(""))
                new_rows |= {(name, r) for r, k in zip(rows.index, keys, strict=True)
                             if (name, k) not in before_aside}
        # The messages stay messages, translated when shown: a preview outlives a language.
        problems = self.after.problems_frame().assign(
            message=[p.message for p in self.after.problems])
        errors = problems[problems["severity"] == ERROR]
        row_level = [(t, r) in new_rows for t, r in zip(errors["table"], errors["row"], strict=True)]
        whole = [(pd.isna(r) or r == 1) and (t, store.in_english(m)) not in table_level
                 for t, r, m in zip(errors["table"], errors["row"], errors["message"], strict=True)]
        self.new_problems = errors[pd.Series(row_level, index=errors.index, dtype=bool)
                                   | pd.Series(whole, index=errors.index, dtype=bool)]

    @property
    def rows_newly_set_aside(self) -> int:
        """Rows the change would set aside that the current data does not."""
        rows = self.new_problems.dropna(subset=["row"])
        return len(rows[rows["row"] > 1][["table", "row"]].drop_duplicates())

    @property
    def blocked(self) -> str | None:
        """Why this change cannot be applied as it is, or None (in the current language)."""
        if len(self.new_problems):
            rows = self.rows_newly_set_aside
            if not rows:
                return _("This change has errors: a table could not be read (listed below). "
                         "Nothing was applied; fix them and try again.")
            return ngettext("This change has errors: {count} row would be set aside (listed "
                            "below). Nothing was applied; fix it and try again.",
                            "This change has errors: {count} rows would be set aside (listed "
                            "below). Nothing was applied; fix them and try again.",
                            rows, count=number(rows))
        if all(d.empty for d in self.diffs.values()):
            return _("This change changes nothing: the data would stay as it is.")
        return None

    def counts(self) -> dict[str, dict[str, int]]:
        return {name: d.counts for name, d in self.diffs.items() if not d.empty}

    def summary(self) -> Text:
        """One sentence for the history: the action and what it did to each table
        ("Import of alumni.csv: alumni 1 added, 2 changed"), translated when shown."""
        tables = [lazy("{table} {changes}", table=TABLES[name].label, changes=counts_message(c))
                  for name, c in self.counts().items()]
        if not tables:
            return lazy("{description}: no rows changed", description=self.description)
        return lazy("{description}: {changes}", description=self.description,
                    changes=lazy_list(tables, apart=True))

    def figures(self) -> pd.DataFrame:
        """The headline figures before and after, one row per figure, named in the current
        language (``figure``; the ``key`` index names it in the code)."""
        before, after = headline_figures(self.before), headline_figures(self.after)
        return pd.DataFrame({"figure": [_(FIGURE_LABELS[f]) for f in FIGURES],
                             "before": [before[f] for f in FIGURES],
                             "after": [after[f] for f in FIGURES]},
                            index=pd.Index(FIGURES, name="key"))

    def discard(self) -> None:
        """Remove the prepared version (nothing was applied)."""
        shutil.rmtree(self.staged, ignore_errors=True)


def counts_message(counts: dict[str, int]) -> Text:
    """A table's rows added, removed and changed, the counts that are not 0, as a message
    ("1 added, 2 changed"); numbers are written alike in English and Japanese.

    >>> from analytics.i18n import speaking
    >>> with speaking("en"):
    ...     str(counts_message({"added": 1200, "removed": 0, "changed": 2}))
    '1,200 added, 2 changed'
    """
    return lazy_list([lazy(COUNTED[kind], count=number(n)) for kind, n in counts.items() if n])


def current_files(where: Path, texts: dict[str, pd.DataFrame] | None = None) -> dict[str, bytes]:
    """The data in ``where`` (see ``store.resolve``) as one CSV file per table, named after it.

    A table that is already ``<table>.csv`` keeps its bytes; one from a
    workbook sheet, or a file named otherwise, is written out from its text
    (``texts``, when the caller has read it already).
    """
    found, _ = sources.find_sources(sources.data_files(where))
    files = {}
    for name, source in found.items():
        if source.sheet is None and source.path.name == f"{name}.csv":
            files[source.path.name] = source.path.read_bytes()
        else:
            texts = texts or text_tables(where)
            files[f"{name}.csv"] = table_csv(texts[name])
    return files


def prepare(folder: str | Path, replace: dict[str, bytes], *, action: str,
            description: Text | str,
            current: Dataset | None = None, notes: tuple[str, ...] = (), in_folder: bool = True,
            not_duplicates: tuple[tuple[str, str], ...] | None = None) -> Preview:
    """Prepare a change that replaces some tables, and compare it with the current data.

    Parameters
    ----------
    folder : Path
        The data folder.
    replace : dict of str to bytes
        New CSV bytes by table name (``{"alumni": b"..."}``); the other
        tables stay as they are.
    action : str
        The kind of change (one of ``store.ACTIONS``: import, edit, merge...).
    description : Text or str
        What it is, in words: a message (:func:`analytics.i18n.lazy`) to show it in each
        language in the history, or text to keep as it is.
    current : Dataset, optional
        The folder's current dataset, when the caller has it loaded.
    notes : tuple of str
        Things worth saying about the input (files that were ignored).
    in_folder : bool
        Stage the new version inside the folder (to apply it), or in a
        temporary folder (a preview that will never be applied).
    not_duplicates : tuple of pairs, optional
        A new list of pairs that are not the same person; by default the
        current one is kept.

    Returns
    -------
    Preview
    """
    folder = Path(folder)
    where, _ = store.resolve(folder)
    base = store.current_fingerprint(folder)
    before = current if current is not None and current.fingerprint == base else load_dataset(folder, base)
    old_texts = text_tables(where)
    files = current_files(where, old_texts) | {f"{name}.csv": data for name, data in replace.items()}
    staged = (store.stage(folder, files) if in_folder else
              _temporary_stage(files))
    after = load_dataset(staged)
    # A table the change does not replace has the current text: it is not read again.
    kept = {name: text for name, text in old_texts.items() if name not in replace}
    diffs = diff_tables(old_texts, _text_tables(staged, kept))
    return Preview(folder, base, before.version, staged, action, description, before, after,
                   diffs, notes, not_duplicates)


def _temporary_stage(files: dict[str, bytes]) -> Path:
    target = Path(tempfile.mkdtemp(prefix="kizuna-preview-"))
    for name, data in files.items():
        (target / name).write_bytes(data)
    return target


def apply(preview: Preview, who: str) -> store.Version:
    """Make a prepared change the current data, as a new version.

    Raises ``store.StaleError`` when the data changed after the preview was
    made, and ``store.StoreError`` when the preview is blocked; in both cases
    nothing changes.
    """
    if preview.blocked:
        raise store.StoreError(preview.blocked)
    return store.commit(preview.folder, preview.staged, base=preview.base, who=who,
                        action=preview.action, summary=preview.summary(), counts=preview.counts(),
                        not_duplicates=preview.not_duplicates)


def compare_versions(folder: str | Path, first: int, second: int) -> dict[str, TableDiff]:
    """What changed from version ``first`` to version ``second`` of a folder."""
    one, two = (store.get_version(folder, v).path for v in (first, second))
    return diff_tables(text_tables(one), text_tables(two))


def audit(folder: str | Path) -> pd.DataFrame:
    """Who changed what and when: one row per row added or removed and per cell changed.

    Worked out from the versions themselves (each is kept whole), newest first,
    with the columns version, time, who, action, table, change, id, column,
    old, new.
    """
    records = []
    for version in store.history(folder):
        if version.parent is None:
            continue
        parent = store.version_dir(Path(folder), version.parent)
        for name, d in diff_tables(text_tables(parent), text_tables(version.path)).items():
            table = TABLES[name]
            head = (version.id, version.time, version.who, version.action, name)
            for change, rows in (("added", d.added), ("removed", d.removed)):
                for label in _identity_labels(table, rows):
                    records.append((*head, change, label, "", "", ""))
            for c in d.changed.itertuples(index=False):
                records.append((*head, "changed", c.id, c.column, c.old, c.new))
    return pd.DataFrame(records, columns=["version", "time", "who", "action", "table", "change",
                                          "id", "column", "old", "new"])
