"""Finding a data folder's tables and reading them as raw text.

A data folder holds one CSV file per table, or an ``.xlsx`` workbook with one
sheet per table. This module turns either into a DataFrame of strings whose
index is the row number as a spreadsheet shows it (the header is row 1, blank
lines count) and whose columns are the canonical header names. File, sheet and
header names may be the Japanese ones the schema declares (修了生.csv, a sheet
つながり, a header 氏名): :func:`analytics.data.schema.normalize_header` reads them.
Nothing here judges values: that is :mod:`analytics.loader`'s work.

The exceptions' messages are :func:`analytics.i18n.lazy` texts (``exc.args[0]``),
translated when shown (``str(exc)``).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analytics.data.schema import TABLES, Listed, normalize_header
from analytics.i18n import Text, lazy

ENCODINGS = ("utf-8-sig", "cp932")
HELPER_SHEET_PREFIX = "_"  # utf-8-sig also reads UTF-8 without a BOM


class DataFolderError(Exception):
    """The folder itself cannot be used (missing, not a folder, unreadable)."""


class SourceError(Exception):
    """A file or sheet cannot be read at all; the message names it."""


@dataclass(frozen=True)
class Source:
    """Where one table's rows come from: a CSV file, or a sheet of a workbook."""

    table: str
    path: Path
    sheet: str | None = None

    @property
    def label(self) -> str:
        return f"{self.path.name} [sheet {self.sheet}]" if self.sheet else self.path.name


@dataclass(frozen=True)
class RawTable:
    """A table's cells as NFKC-normalized, trimmed text, before any check.

    ``frame`` holds one column per distinct header (canonical name) and is
    indexed by spreadsheet row number; ``headers`` keeps every header cell in
    file order, canonical, so duplicates can be reported, and ``written`` the
    same cells as the sheet wrote them (trimmed), so problems can name them so.
    """

    frame: pd.DataFrame
    headers: tuple[str, ...]
    long_rows: dict[int, int]  # row number -> cells found, where more than headers
    written: tuple[str, ...] = ()


def data_files(folder: Path) -> list[Path]:
    """Return the CSV and XLSX files of a folder, sorted, ignoring Excel lock files."""
    if not folder.exists():
        raise DataFolderError(lazy("Data folder {folder} does not exist.", folder=str(folder)))
    if not folder.is_dir():
        raise DataFolderError(lazy("{folder} is not a folder.", folder=str(folder)))
    try:
        entries = sorted(folder.iterdir())
    except OSError as exc:
        raise DataFolderError(lazy("Data folder {folder} cannot be read: {reason}.",
                                   folder=str(folder), reason=exc.strerror)) from exc
    return [
        p
        for p in entries
        if p.is_file()
        and p.suffix.lower() in (".csv", ".xlsx")
        and not p.name.startswith(("~$", "."))
    ]


def fingerprint(folder: Path) -> str:
    """Return a hash of the names and contents of a folder's data files.

    Two folders with the same files hold the same data, whatever their
    modification times; any edit to any data file changes the fingerprint.
    """
    digest = hashlib.blake2b(digest_size=16)
    for path in data_files(Path(folder)):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def data_date(folder: Path) -> dt.date | None:
    """Return the date the newest data file was last changed."""
    times = [p.stat().st_mtime for p in data_files(Path(folder))]
    return dt.date.fromtimestamp(max(times)) if times else None


def find_sources(files: list[Path]) -> tuple[dict[str, Source], list[tuple[str, Text]]]:
    """Match files and workbook sheets to table names (or their Japanese names).

    Returns the source of each table found and a list of ``(file label,
    message)`` notes about files or sheets that are not tables or that name a
    table twice.
    """
    found: dict[str, Source] = {}
    notes: list[tuple[str, Text]] = []
    for path in files:
        if path.suffix.lower() == ".csv":
            candidates = [Source(normalize_header(path.stem), path)]
        else:
            # A sheet whose name starts with "_" is a workbook's own helper (the template's
            # lists and notes), not a table.
            candidates = [Source(normalize_header(s), path, s) for s in _sheet_names(path)
                          if not s.startswith(HELPER_SHEET_PREFIX)]
        for source in candidates:
            if source.table not in TABLES:
                tables = Listed(tuple(t.label for t in TABLES.values()), style="standard")
                notes.append((source.label, lazy("'{source}' is not a table Kizuna reads "
                                                 "({tables}); it was ignored.",
                                                 source=source.label, tables=tables)))
            elif source.table in found:
                notes.append((source.label, lazy(
                    "Table {table} is in both {first} and {second}; only {first} was read. "
                    "Keep one.", table=TABLES[source.table].label,
                    first=found[source.table].label, second=source.label)))
            else:
                found[source.table] = source
    return found, notes


def _sheet_names(path: Path) -> list[str]:
    import openpyxl

    try:
        book = openpyxl.load_workbook(path, read_only=True)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise SourceError(lazy("{file} is not a readable .xlsx workbook ({reason}).",
                               file=path.name, reason=str(exc))) from exc
    try:
        return list(book.sheetnames)
    finally:
        book.close()


def read_source(source: Source) -> RawTable:
    """Read a table's cells as text, indexed by spreadsheet row number.

    Fully blank rows are skipped but still counted in the row numbers, so
    that a row number always matches what staff see in their spreadsheet.
    """
    if not source.sheet:
        text = decode_text(source.path, source.path.read_bytes())
        fast = _csv_frame(text, source.table)
        if fast is not None:
            return fast
    rows = _xlsx_rows(source) if source.sheet else _csv_rows(source.path, text)
    if not rows:
        return RawTable(pd.DataFrame(), (), {})
    written = tuple(_clean(h) for h in rows[0])
    headers = tuple(normalize_header(h, source.table) for h in written)
    width = len(headers)
    numbers, records, long_rows = [], [], {}
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) > width:
            long_rows[number] = len(cells)
        numbers.append(number)
        records.append((cells + [""] * width)[:width])
    # Columns are built one by one, so a header repeated in the file keeps its
    # first occurrence here and is reported by the loader.
    columns: dict[str, list[str]] = {}
    for i, name in enumerate(headers):
        if name and name not in columns:
            columns[name] = [_clean(r[i]) for r in records]
    frame = pd.DataFrame(columns, index=pd.Index(numbers, name="row"), dtype=object)
    return RawTable(frame, headers, long_rows, written)


def _clean(cell: str) -> str:
    """NFKC-normalize and trim a cell: full-width digits and half-width kana read right."""
    return cell.strip() if cell.isascii() else unicodedata.normalize("NFKC", cell).strip()


def decode_text(path: Path, data: bytes) -> str:
    """Return a file's bytes as text (UTF-8, with or without BOM, or CP932); SourceError if neither."""
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" not in text:  # UTF-16 and binary files decode as CP932 with NULs
            return text
    raise SourceError(lazy(
        "{file} is not text in UTF-8 or Shift_JIS (CP932). Save it from Excel as 'CSV UTF-8 "
        "(comma delimited)'.", file=path.name))


def _csv_frame(text: str, table: str) -> RawTable | None:
    """Read CSV text with pandas' C parser: ten times faster than the csv module at scale.

    Returns None when a row has more cells than the header, which the C parser
    cannot take: :func:`read_source` then reads the file row by row and sets
    those rows aside with a message.
    """
    try:
        grid = pd.read_csv(io.StringIO(text), header=None, dtype=str, na_filter=False,
                           skip_blank_lines=False, engine="c")
    except pd.errors.EmptyDataError:
        return RawTable(pd.DataFrame(), (), {})
    except pd.errors.ParserError:
        return None
    written = tuple(_clean(h) for h in grid.iloc[0].fillna(""))
    headers = tuple(normalize_header(h, table) for h in written)
    cells = grid.iloc[1:].fillna("")
    cells.index = pd.RangeIndex(2, len(grid) + 1, name="row")
    ascii_only = text.isascii()  # then NFKC changes nothing and is skipped
    cleaned = [cells[i].str.strip() if ascii_only else cells[i].str.normalize("NFKC").str.strip()
               for i in cells.columns]
    filled = pd.concat([c != "" for c in cleaned], axis=1).any(axis=1) if cleaned else \
        pd.Series(False, index=cells.index)
    columns: dict[str, pd.Series] = {}
    for name, values in zip(headers, cleaned, strict=True):
        if name and name not in columns:  # a repeated header keeps its first column
            columns[name] = values[filled]
    frame = pd.DataFrame(columns, index=cells.index[filled]) if columns else \
        pd.DataFrame(index=cells.index[filled])
    return RawTable(frame, headers, {}, written)


def _csv_rows(path: Path, text: str) -> list[list[str]]:
    try:
        return list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as exc:
        raise SourceError(lazy("{file} is not a readable CSV file ({reason}).",
                               file=path.name, reason=str(exc))) from exc


def cell_text(value) -> str:
    """Return a workbook cell's value as the text a CSV would hold (whole floats without '.0')."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    return str(value)


def _xlsx_rows(source: Source) -> list[list[str]]:
    import openpyxl

    book = openpyxl.load_workbook(source.path, read_only=True, data_only=True)
    try:
        sheet = book[source.sheet]
        # Read-only sheets yield empty rows for gaps, so list positions are row numbers.
        rows = [[cell_text(v) for v in values] for values in sheet.iter_rows(values_only=True)]
        return trim_trailing_empty(rows)
    finally:
        book.close()


def trim_trailing_empty(rows: list[list[str]]) -> list[list[str]]:
    """Drop empty trailing cells that Excel keeps on formatted sheets."""
    width = max((i + 1 for r in rows for i, c in enumerate(r) if c != ""), default=0)
    return [r[:width] for r in rows]
