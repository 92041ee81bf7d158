"""Loading and validating a data folder: forgiving about form, strict about meaning.

:func:`load_dataset` reads every table of the contract in :mod:`analytics.schema`,
converts each column to its type, and checks every rule. A row with an error is
set aside, never dropped silently: it is counted in its table's report and
each of its problems is listed with the file, the row number as the
spreadsheet shows it, the column as the sheet wrote it, the value and what
would be right. A problem's message is translated each time it is shown
(:func:`analytics.i18n.lazy`): a dataset is loaded once and read in either
language.

Example
-------
>>> import tempfile
>>> from analytics.data import synth
>>> folder = synth.write(synth.generate(), tempfile.mkdtemp())[0].parent
>>> report = load_dataset(folder).report["alumni"]
>>> report.rows_read, report.rows_loaded, report.rows_rejected
(146, 146, 0)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from analytics.data import sources, store
from analytics.data.countries import resolve_country, resolve_region
from analytics.data.schema import (
    FALSE_WORDS,
    KIND_EXPECTS,
    LIST_SEPARATOR,
    LOAD_ORDER,
    ORG_TYPES,
    STATUSES,
    TABLES,
    TARGET_METRICS,
    TIE_KINDS,
    TIE_ORIGINS,
    TRUE_WORDS,
    WAVES,
    YEAR_MAX,
    YEAR_MIN,
    Column,
    DistinctEnds,
    EndNotBeforeStart,
    KeyNotIn,
    Kind,
    Listed,
    Table,
    UniqueTogether,
    vocabulary_words,
    word_key,
)
from analytics.i18n import N_, Text, lazy, lazy_plural
from analytics.privacy import Audience

# Severities: keys in the data, shown translated (_(severity)).
ERROR, WARNING = N_("error"), N_("warning")

PROBLEM_FIELDS = ("severity", "table", "row", "column", "value", "message", "file")


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the data, located as staff would find it.

    ``column`` is the header as the sheet wrote it (氏名, Alum ID), or the
    contract's name for a column the sheet lacks. ``message`` is translated
    when shown: ``str(problem.message)``.
    """

    severity: str  # ERROR sets the row aside; WARNING only informs
    table: str | None
    row: int | None  # as the spreadsheet shows it: header is row 1
    column: str | None
    value: str
    message: Text
    file: str | None


@dataclass(frozen=True)
class TableReport:
    """How many rows of a table were read, loaded and set aside."""

    table: str
    source: str | None
    rows_read: int
    rows_loaded: int
    rows_rejected: int


@dataclass
class Dataset:
    """The loaded tables of one data folder, with everything set aside.

    ``fingerprint`` is the hash of the folder's data files (their names and
    bytes): the same data always has the same fingerprint. ``tables`` holds
    each table's loaded rows with typed columns, indexed by spreadsheet row
    number; every contract column is present even when a table is empty.
    ``rejected`` holds the rows set aside, as read.
    """

    folder: Path
    fingerprint: str
    data_date: dt.date | None
    tables: dict[str, pd.DataFrame]
    rejected: dict[str, pd.DataFrame]
    report: dict[str, TableReport]
    problems: list[Problem] = field(default_factory=list)
    audience: Audience = Audience.STAFF  # whom the tables were made for (see analytics.privacy)
    version: int | None = None  # the folder's current version, when Kizuna keeps its history

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == ERROR]

    @property
    def rows_set_aside(self) -> int:
        return sum(r.rows_rejected for r in self.report.values())

    def report_frame(self) -> pd.DataFrame:
        """Return the per-table counts as a DataFrame, one row per table."""
        return pd.DataFrame([asdict(r) for r in self.report.values()])

    def problems_frame(self) -> pd.DataFrame:
        """Return the problems as a DataFrame with the columns of PROBLEM_FIELDS, to show or
        download: the messages are in the current language."""
        frame = pd.DataFrame([{**{f: getattr(p, f) for f in PROBLEM_FIELDS},
                               "message": str(p.message)} for p in self.problems],
                             columns=list(PROBLEM_FIELDS))
        return frame.astype({"row": "Int64"})

    def __getitem__(self, table: str) -> pd.DataFrame:
        return self.tables[table]


def empty_table(table: Table) -> pd.DataFrame:
    """Return a table with no rows and every contract column, typed."""
    raw = pd.DataFrame({c: pd.Series([], dtype=object) for c in table.column_names},
                       index=pd.Index([], dtype="int64", name="row"))
    typed, _ = _convert(table, raw, "", {})
    return typed


def load_dataset(folder: str | Path, fingerprint: str | None = None) -> Dataset:
    """Read, convert and check every table of a data folder.

    Parameters
    ----------
    folder : str or Path
        A folder with one CSV per table or an ``.xlsx`` workbook with one
        sheet per table. When Kizuna keeps the folder's versions, the current
        version is read (see :func:`analytics.data.store.resolve`), never a
        mix of two; the history itself is not data.
    fingerprint : str, optional
        The folder's :func:`~analytics.data.store.current_fingerprint`, when
        the caller has it already (the app computes it to key its cache):
        every file is then hashed once per change, not twice.

    Returns
    -------
    Dataset
        Loaded rows, rows set aside, per-table counts and every problem.

    Raises
    ------
    analytics.sources.DataFolderError
        When the folder is missing or unreadable. Problems with files and
        values never raise: they are reported in ``Dataset.problems``.
    """
    folder = Path(folder)
    while True:
        token = store.state_token(folder)
        where, version = store.resolve(folder)
        loaded = _load(where)
        # A version's own folder never changes; the folder's files do while a change is
        # copied into them, so they are read again if a change was made meanwhile.
        if version is not None or store.state_token(folder) == token:
            break
    return Dataset(folder, fingerprint or sources.fingerprint(where), sources.data_date(where),
                   *loaded, version=version)


def _load(where: Path):
    files = sources.data_files(where)
    problems: list[Problem] = []
    try:
        found, notes = sources.find_sources(files)
    except sources.SourceError as exc:
        found, notes = {}, []
        problems.append(Problem(ERROR, None, None, None, "", exc.args[0], None))
    problems += [Problem(WARNING, None, None, None, "", msg, label) for label, msg in notes]

    checker = _Checker()
    tables, rejected, report = {}, {}, {}
    for name in LOAD_ORDER:
        table = TABLES[name]
        source = found.get(name)
        loaded, set_aside, table_problems = checker.check(table, source)
        tables[name], rejected[name] = loaded, set_aside
        problems += table_problems
        report[name] = TableReport(name, source.label if source else None,
                                   len(loaded) + len(set_aside), len(loaded), len(set_aside))
    order = {name: i for i, name in enumerate(LOAD_ORDER)}
    problems.sort(key=lambda p: (order.get(p.table, -1), p.row or 0, p.severity))
    return tables, rejected, report, problems


class _Checker:
    """Checks tables in LOAD_ORDER, remembering loaded and set-aside IDs for references."""

    def __init__(self) -> None:
        self.loaded_ids: dict[str, set[str]] = {}
        self.set_aside_ids: dict[str, dict[str, int]] = {}  # table -> id -> row

    def check(self, table: Table, source: sources.Source | None):
        empty = empty_table(table)
        if source is None:
            problems = []
            if table.required:
                problems.append(Problem(
                    ERROR, table.name, None, None, "",
                    lazy("The {table} table is missing: it is required. Add {name}.csv to the "
                         "folder, or a sheet named {name} to the workbook.",
                         table=table.label, name=table.name), None))
            return self._done(table, empty, empty.iloc[:0], problems)
        try:
            raw = sources.read_source(source)
        except sources.SourceError as exc:
            return self._done(table, empty, empty.iloc[:0], [Problem(
                ERROR, table.name, None, None, "", exc.args[0], source.label)])
        found = _Found(table, source.label)
        found.check_headers(raw)
        if found.missing_required:
            return self._done(table, empty, raw.frame, found.problems)
        frame = raw.frame.reindex(columns=list(dict.fromkeys(
            table.column_names + list(raw.frame.columns))), fill_value="")
        for row, cells in raw.long_rows.items():
            found.error(row, None, "", lazy("This row has {cells} cells but the header has "
                                            "{headers}; a cell may hold an unquoted comma.",
                                            cells=cells, headers=len(raw.headers)))
        typed, bad = _convert(table, frame, source.label, found.written)
        for problem in bad:
            found.add(problem)
        self._check_rows(table, frame, typed, found)
        bad_rows = found.error_rows()
        keep = ~typed.index.isin(list(bad_rows))
        return self._done(table, typed[keep], frame[~keep], found.problems)

    def _done(self, table, loaded, set_aside, problems):
        if table.key:
            self.loaded_ids[table.name] = set(loaded[table.key])
            self.set_aside_ids[table.name] = (
                dict(zip(set_aside[table.key], set_aside.index, strict=True)) if table.key in set_aside
                else {})
        return loaded, set_aside, problems

    def _check_rows(self, table: Table, text: pd.DataFrame, typed: pd.DataFrame,
                    found: _Found) -> None:
        if table.key:
            ids = text[table.key]
            dup = ids[(ids != "") & ids.duplicated(keep=False)]
            rows_of = dup.groupby(dup, sort=False).groups
            for row, value in dup.items():
                rows = ", ".join(str(r) for r in rows_of[value])
                found.error(row, table.key, value,
                            lazy("{column} '{value}' is used by more than one row (rows "
                                 "{rows}). IDs must be unique: give each row its own.",
                                 column=found.header(table.key), value=value, rows=rows))
        for rule in table.rules:
            _RULE_CHECKS[type(rule)](self, rule, text, typed, found)
        for column in table.columns:
            if column.references:
                self._check_references(column, typed[column.name], found)

    def _key_not_in(self, rule: KeyNotIn, text, typed, found: _Found) -> None:
        key = found.table.key
        clash = typed[key].astype(object).isin(self.loaded_ids.get(rule.other, set()))
        for row, value in typed.loc[clash, key].items():
            found.error(row, key, value,
                        lazy("{column} '{value}' is also an ID in {other}, so a tie naming it "
                             "would be ambiguous. Give one of them another ID.",
                             column=found.header(key), value=value,
                             other=TABLES[rule.other].label))

    def _distinct_ends(self, rule: DistinctEnds, text, typed, found: _Found) -> None:
        same = (typed[rule.first] == typed[rule.second]) & (typed[rule.first] != "")
        for row, value in typed.loc[same, rule.second].items():
            found.error(row, rule.second, value,
                        lazy(rule.message, first=found.header(rule.first),
                             second=found.header(rule.second)))

    def _unique_together(self, rule: UniqueTogether, text, typed, found: _Found) -> None:
        values = [text[c].str.casefold() for c in rule.columns]
        pair = values[0].str.cat(values[1:], sep="|")
        filled = pd.concat([text[c] != "" for c in rule.columns], axis=1).all(axis=1)
        last = rule.columns[-1]
        for row in pair.index[pair.duplicated(keep=False) & filled]:
            named = Listed(tuple(f"{found.header(c)} {text.at[row, c]}" for c in rule.columns),
                           translated=False, style="standard")
            found.error(row, last, text.at[row, last],
                        lazy("There is more than one row for {named}; keep one.", named=named))

    def _end_not_before_start(self, rule: EndNotBeforeStart, text, typed, found: _Found) -> None:
        start, end = rule.start, rule.end
        before = (typed[end] < typed[start]).fillna(False)
        for row in typed.index[before]:
            found.error(row, end, str(typed.at[row, end]),
                        lazy("{end} {end_year} is before {start} {start_year}; it must be the "
                             "same year or later.", end=found.header(end),
                             end_year=int(typed.at[row, end]), start=found.header(start),
                             start_year=int(typed.at[row, start])))

    def _check_references(self, column: Column, values: pd.Series, found: _Found) -> None:
        known = set().union(*(self.loaded_ids.get(t, set()) for t in column.references))
        if column.kind is Kind.ID_LIST:
            pairs = values.explode().dropna()
        else:
            pairs = values[values != ""]
        # Object dtype takes pandas' hash-table isin; Arrow strings would box every ID.
        missing = pairs[~pairs.astype(object).isin(known)]
        header = found.header(column.name)
        keys = Listed(tuple(TABLES[t].column(TABLES[t].key).label for t in column.references))
        if len(column.references) > 1:
            # Tables whose keys may coincide (alumni and projects): a value naming a row of two of
            # them cannot say which it means. Alumni and organizations never share one (KeyNotIn).
            found_in = sum(pairs.astype(object).isin(self.loaded_ids.get(t, set())).astype(int)
                           for t in column.references)
            for row, value in pairs[found_in > 1].items():
                tables = tuple(TABLES[t].label for t in column.references
                               if value in self.loaded_ids.get(t, set()))
                found.error(row, column.name, value,
                            lazy("{column} '{value}' is an ID in both {tables}, so it is not "
                                 "clear which it means. Give one of them another ID.",
                                 column=header, value=value,
                                 tables=Listed(tables, style="standard")))
        for row, value in missing.items():
            aside = [(t, self.set_aside_ids.get(t, {}).get(value)) for t in column.references]
            aside = [(t, r) for t, r in aside if r is not None]
            if aside:
                t, r = aside[0]
                message = lazy("{column} names '{value}', which is {table} row {row}; that row "
                               "was set aside, so this one is too. Fix that row first.",
                               column=header, value=value, table=TABLES[t].label, row=r)
            else:
                message = lazy("{column} names '{value}', but there is no {tables} row with "
                               "that {keys}.", column=header, value=value, keys=keys,
                               tables=Listed(tuple(TABLES[t].label for t in column.references)))
            found.error(row, column.name, value, message)


_RULE_CHECKS = {
    KeyNotIn: _Checker._key_not_in,
    DistinctEnds: _Checker._distinct_ends,
    UniqueTogether: _Checker._unique_together,
    EndNotBeforeStart: _Checker._end_not_before_start,
}


class _Found:
    """Problems found in one table, and the rows they set aside.

    A problem names a column by its header as the sheet wrote it (``written``).
    """

    def __init__(self, table: Table, label: str) -> None:
        self.table, self.label = table, label
        self.problems: list[Problem] = []
        self.missing_required = False
        self.written: dict[str, str] = {}  # column name -> its header as written

    def header(self, column: str) -> str:
        """A column's header as the sheet wrote it, else the contract's name for it."""
        return self.written.get(column, column)

    def add(self, problem: Problem) -> None:
        self.problems.append(problem)

    def error(self, row, column, value, message: Text) -> None:
        self.add(Problem(ERROR, self.table.name, row, column and self.header(column), str(value),
                         message, self.label))

    def warning(self, row, column, value, message: Text) -> None:
        self.add(Problem(WARNING, self.table.name, row, column and self.header(column),
                         str(value), message, self.label))

    def error_rows(self) -> set[int]:
        return {p.row for p in self.problems if p.severity == ERROR and p.row and p.row > 1}

    def check_headers(self, raw: sources.RawTable) -> None:
        known = set(self.table.column_names)
        for name, written in zip(raw.headers, raw.written, strict=True):
            if not name:
                continue
            if name in self.written:
                first = self.written[name]
                self.add(Problem(ERROR, self.table.name, 1, written, written, lazy(
                    "Column {column} appears more than once in the header; only the first one "
                    "is read. Remove or rename the other.", column=written) if written == first
                    else lazy("Column {column} is the same column as {first}; only the first "
                              "one is read. Remove or rename the other.",
                              column=written, first=first), self.label))
                continue
            self.written[name] = written
            if name not in known:
                self.warning(1, name, written, lazy(
                    "Column {column} is not part of the {table} table; it is kept but not used.",
                    column=written, table=self.table.label))
        rows = len(raw.frame)
        for column in self.table.columns:
            if column.required and column.name not in self.written:
                self.missing_required = True
                self.error(1, column.name, "", lazy_plural(
                    "Required column {column} is missing from the header, so the table's "
                    "{n} row could not be loaded.",
                    "Required column {column} is missing from the header, so none of the "
                    "table's {n} rows could be loaded.", rows, column=column.label))


def _convert(table: Table, text: pd.DataFrame, label: str,
             written: dict[str, str]) -> tuple[pd.DataFrame, list[Problem]]:
    """Convert each contract column of ``text`` to its type.

    Returns the typed frame (unknown columns kept as text) and a problem for
    every blank required value and every value that does not fit its kind,
    naming the column by its header as written (``written``: name -> header).
    A region is read after the rest, by its row's country.
    """
    typed = text.copy()
    problems: list[Problem] = []
    columns = sorted(table.columns, key=lambda c: c.kind is Kind.REGION)
    for column in columns:
        values = text[column.name]
        blank = values == ""
        cells = values.astype(object).where(~blank, None)
        if column.kind is Kind.REGION:
            converted, bad = _region(cells, typed["country"])
        else:
            converted, bad = _CONVERTERS[column.kind](cells)
        typed[column.name] = converted
        header = written.get(column.name, column.name)
        if column.required:
            for row in values.index[blank]:
                problems.append(Problem(
                    ERROR, table.name, row, header, "",
                    lazy("{column} is required but blank. Fill it in: {description}",
                         column=header, description=lazy(column.description)), label))
        for row, value in values[bad & ~blank].items():
            problems.append(Problem(ERROR, table.name, row, header, value,
                                    _bad_value_message(column, header, value), label))
    return typed, problems


def _bad_value_message(column: Column, header: str, value: str) -> Text:
    if column.kind is Kind.COUNTRY:
        return lazy("'{value}' is not a country Kizuna knows. Use an ISO code such as JP or "
                    "JPN, or a name such as Japan.", value=value)
    return lazy("{column} must be {expected}; '{value}' is not.", column=header,
                expected=KIND_EXPECTS[column.kind], value=value)


# Each converter takes text with None for blanks and returns (typed values,
# mask of values that do not fit). Blanks never count as bad here.

def _text(values: pd.Series):
    return values.fillna("").astype(str), pd.Series(False, index=values.index)


def _number(values: pd.Series, strip: str = "") -> pd.Series:
    if strip:
        values = values.str.replace(f"[{strip}]", "", regex=True)
    return pd.to_numeric(values, errors="coerce")


def _whole(values: pd.Series, low: float, high: float, strip: str = ""):
    number = _number(values, strip)
    bad = number.isna() | (number % 1 != 0) | (number < low) | (number > high)
    return number.where(~bad).astype("Int64"), bad & values.notna()


def _year(values):
    return _whole(values, YEAR_MIN, YEAR_MAX)


def _count(values):
    return _whole(values, 0, float("inf"), strip=", ")


def _money(values):
    number = _number(values, strip=r"$, ")
    bad = (number.isna() | (number < 0)) & values.notna()
    return number.where(~bad).astype("Float64"), bad


def _nonnegative(values):
    number = _number(values, strip=",")
    bad = (number.isna() | (number < 0)) & values.notna()
    return number.where(~bad).astype(float), bad


def _measure(values):
    # NFKC leaves the minus sign U+2212 as it is; spreadsheets and word processors type it.
    number = _number(values.str.replace("\u2212", "-", regex=False), strip=",")
    bad = (number.isna() | number.abs().eq(float("inf"))) & values.notna()
    return number.where(~bad).astype(float), bad


def _weight(values):
    number = _number(values)
    bad = (number.isna() | (number <= 0)) & values.notna()
    return number.where(values.notna(), 1.0).where(~bad).astype(float), bad


_BOOL_WORDS = {**{word_key(w): True for w in TRUE_WORDS},
               **{word_key(w): False for w in FALSE_WORDS}}


def _bool(values):
    mapped = values.str.casefold().map(_BOOL_WORDS)
    bad = mapped.isna() & values.notna()
    return mapped.fillna(False).astype(bool), bad


def _country(values):
    codes = {v: resolve_country(v) for v in values.dropna().unique()}
    mapped = values.map(codes)
    return mapped.fillna("").astype(str), mapped.isna() & values.notna()


def _region(values: pd.Series, countries: pd.Series):
    """A prefecture or state named in Japanese (宮城県, カリフォルニア州) as its English name, by
    the row's country; any other region is kept as written."""
    text = values.fillna("").astype(object)
    japanese = ~text.map(str.isascii).astype(bool)
    if japanese.any():
        text[japanese] = [resolve_region(country, region) or region
                          for country, region in zip(countries[japanese], text[japanese],
                                                     strict=True)]
    return text.astype(str), pd.Series(False, index=values.index)


def _split(values: pd.Series, fold: bool) -> pd.Series:
    def split(cell):
        if cell is None:
            return []
        items = (i.strip() for i in cell.split(LIST_SEPARATOR))
        return list(dict.fromkeys(i.casefold() if fold else i for i in items if i))
    return pd.Series([split(v) for v in values], index=values.index, dtype=object)


def _labels(values):
    return _split(values, fold=True), pd.Series(False, index=values.index)


def _ids(values):
    return _split(values, fold=False), pd.Series(False, index=values.index)


def _choice(choices: dict[str, str]):
    # Cells are NFKC-normalized and trimmed already: casefolding makes them word_keys.
    def convert(values):
        mapped = values.str.casefold().map(choices)
        return mapped.fillna("").astype(str), mapped.isna() & values.notna()
    return convert


def _usual_word(choices: dict[str, str]):
    """A usual value (a kind of tie, a survey wave) from any of its words; any other word is
    kept as written."""
    def convert(values):
        text = values.fillna("").astype(str)
        return text.str.casefold().map(choices).fillna(text).astype(str), \
            pd.Series(False, index=values.index)
    return convert

_CONVERTERS = {
    Kind.ID: _text,
    Kind.TEXT: _text,
    Kind.YEAR: _year,
    Kind.COUNT: _count,
    Kind.MONEY: _money,
    Kind.WEIGHT: _weight,
    Kind.BOOL: _bool,
    Kind.COUNTRY: _country,
    Kind.LIST: _labels,
    Kind.ID_LIST: _ids,
    Kind.STATUS: _choice(vocabulary_words(STATUSES)),
    Kind.ORG_TYPE: _choice(vocabulary_words(ORG_TYPES)),
    Kind.METRIC: _choice({m: m for m in TARGET_METRICS}),
    Kind.NUMBER: _nonnegative,
    Kind.MEASURE: _measure,
    Kind.TIE_ORIGIN: _choice(vocabulary_words(TIE_ORIGINS)),
    Kind.TIE_KIND: _usual_word(vocabulary_words(TIE_KINDS)),
    Kind.WAVE: _usual_word(vocabulary_words(WAVES)),
}
assert set(_CONVERTERS) | {Kind.REGION} == set(Kind)  # a region is read by its country
