"""Turning what staff upload into one CSV file per table, judged as a container.

Staff upload CSV files, a zip of CSV files, or an ``.xlsx`` workbook with a
sheet per table, for some or all of the tables. :func:`read_upload` turns such
an upload into CSV bytes per table, to be written into a staging folder and
checked there by :func:`analytics.data.loader.load_dataset`. This module looks
at the container only: the file types, their size and what they unpack to,
unsafe zip paths, row counts and text encodings. Values are the loader's work.
Its refusals and notes are in the current language: an upload is read again
on every page run, never kept across languages.

Nothing is ever extracted to disk: zip members are read in memory, in chunks,
against a budget.

Example
-------
>>> upload = read_upload([("Alumni.csv", b"alum_id,name\\nA1,Haruka Sato\\n"),
...                       ("notes.csv", b"anything")])
>>> upload.origins
{'alumni': 'Alumni.csv'}
>>> upload.files["alumni"]
b'alum_id,name\\nA1,Haruka Sato\\n'
>>> print(*upload.notes)  # doctest: +ELLIPSIS
'notes.csv' is not a table Kizuna reads (organizations, alumni, ...); it was ignored.
"""

from __future__ import annotations

import csv
import io
import os
import re
import zipfile
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from analytics.data import sources
from analytics.data.schema import TABLES, Listed, normalize_header
from analytics.i18n import N_, _, number

MB = 2**20

ENV_UPLOAD_MB = "KIZUNA_MAX_UPLOAD_MB"
ENV_UNPACKED_MB = "KIZUNA_MAX_UNPACKED_MB"
ENV_ROWS = "KIZUNA_MAX_ROWS"

# A zip member that unpacks to more than MAX_RATIO times its packed size, and to
# more than RATIO_MIN_BYTES, is taken for a zip bomb: real CSV and sheet XML
# compress far less than that.
MAX_RATIO = 100
RATIO_MIN_BYTES = 10 * MB
MAX_MEMBERS = 10_000  # entries in one zip or workbook; the central directory is read whole
CHUNK_BYTES = MB  # zip members are read this much at a time, against the unpacked budget

UTF8_BOM = b"\xef\xbb\xbf"
OLE_MAGIC = bytes.fromhex("D0CF11E0A1B11AE1")  # legacy .xls, and every password-protected .xlsx
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")  # a zip with members, an empty zip

# Files that are recognisably something else, whatever their name says (shown with _()).
_OTHER_FORMATS = (
    (b"\x89PNG\r\n\x1a\n", N_("a PNG image")),
    (b"\xff\xd8\xff", N_("a JPEG image")),
    (b"GIF87a", N_("a GIF image")),
    (b"GIF89a", N_("a GIF image")),
    (b"%PDF-", N_("a PDF document")),
    (b"{\\rtf", N_("an RTF document")),
    (b"\x1f\x8b", N_("a gzip archive")),
    (b"7z\xbc\xaf\x27\x1c", N_("a 7-Zip archive")),
    (b"Rar!\x1a\x07", N_("a RAR archive")),
    (b"PK\x07\x08", N_("a split zip archive")),
)

# The tables by the names their files and sheets may take, as the language lists them.
_TABLE_NAMES = Listed(tuple(t.label for t in TABLES.values()), style="standard")
_ACCEPTED = N_("Upload CSV files, a .zip of CSV files, or an Excel workbook saved as .xlsx.")


@dataclass(frozen=True)
class Limits:
    """How much one upload may hold.

    Parameters
    ----------
    upload_bytes : int
        What one upload may weigh, all its files together.
    unpacked_bytes : int
        What one zip or ``.xlsx`` may unpack to.
    rows_per_table : int
        Data rows (after the header) in one table.

    Example
    -------
    >>> Limits().upload_bytes // MB, Limits(rows_per_table=10).rows_per_table
    (50, 10)
    """

    upload_bytes: int = 50 * MB
    unpacked_bytes: int = 300 * MB
    rows_per_table: int = 500_000

    @classmethod
    def from_env(cls) -> Limits:
        """Return the defaults, overridden by the environment.

        ``KIZUNA_MAX_UPLOAD_MB`` and ``KIZUNA_MAX_UNPACKED_MB`` are megabytes
        (decimals allowed), ``KIZUNA_MAX_ROWS`` a whole number of rows.

        Returns
        -------
        Limits
            The limits in force.

        Raises
        ------
        ValueError
            When a variable is set to something other than a positive number.

        Example
        -------
        >>> from unittest import mock
        >>> with mock.patch.dict(os.environ, {ENV_ROWS: "1000", ENV_UPLOAD_MB: "0.5"}):
        ...     Limits.from_env().rows_per_table, Limits.from_env().upload_bytes
        (1000, 524288)
        """
        default = cls()
        return cls(
            upload_bytes=_env_number(ENV_UPLOAD_MB, default.upload_bytes, MB),
            unpacked_bytes=_env_number(ENV_UNPACKED_MB, default.unpacked_bytes, MB),
            rows_per_table=_env_number(ENV_ROWS, default.rows_per_table, 1),
        )


def _env_number(variable: str, default: int, unit: int) -> int:
    text = os.environ.get(variable, "").strip()
    if not text:
        return default
    try:
        value = float(text) if unit > 1 else int(text)
    except ValueError:
        value = -1
    if value <= 0:
        raise ValueError(_("{variable} must be a positive number, not '{text}'.",
                           variable=variable, text=text) if unit > 1 else
                         _("{variable} must be a positive whole number, not '{text}'.",
                           variable=variable, text=text))
    return int(value * unit)


class UploadError(Exception):
    """The upload cannot be used at all; the message says why and what to do."""


class SourceUnusable(UploadError):
    """The path given to :func:`read_source_path` is missing or cannot be read."""


@dataclass(frozen=True)
class Upload:
    """An upload as one CSV file per table.

    Attributes
    ----------
    files : dict of str to bytes
        Table name to CSV bytes: an uploaded CSV exactly as it came (the loader
        reads UTF-8 and Shift_JIS), a workbook sheet as UTF-8 with a BOM so that
        Excel shows Japanese text.
    origins : dict of str to str
        Table name to where it came from, such as ``"kizuna.xlsx [sheet Alumni]"``
        or ``"data.zip/alumni.csv"``.
    notes : tuple of str
        Files and sheets that were ignored, and why, in the language of the moment it
        was read.
    """

    files: dict[str, bytes]
    origins: dict[str, str]
    notes: tuple[str, ...]

    def write(self, folder: str | Path) -> list[Path]:
        """Write each table as ``<table>.csv`` into ``folder`` (created if needed).

        Parameters
        ----------
        folder : str or Path
            The staging folder.

        Returns
        -------
        list of Path
            The files written, in the order of ``files``.

        Example
        -------
        >>> import tempfile
        >>> upload = read_upload([("alumni.csv", b"alum_id\\nA1\\n")])
        >>> [p.name for p in upload.write(tempfile.mkdtemp())]
        ['alumni.csv']
        """
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        written = []
        for table, data in self.files.items():
            path = folder / f"{table}.csv"
            path.write_bytes(data)
            written.append(path)
        return written


def read_upload(items: Sequence[tuple[str, bytes]], limits: Limits | None = None) -> Upload:
    """Turn uploaded files into one CSV file per table.

    Parameters
    ----------
    items : sequence of (str, bytes)
        File names and contents as the browser gives them: CSV files (several
        at once are fine), ``.zip`` archives of CSV files, or ``.xlsx``
        workbooks with a sheet per table. Tables are named by the CSV file's
        stem or the sheet's name, in any case ("Alumni.csv", "ALUMNI").
    limits : Limits, optional
        Defaults to :meth:`Limits.from_env`.

    Returns
    -------
    Upload
        CSV bytes and origin per table found, and notes on what was ignored.
        When a table is given twice, the first is kept.

    Raises
    ------
    UploadError
        When the upload cannot be used at all: a file that is not CSV, XLSX or
        ZIP, a damaged or password-protected workbook, an unsafe or oversized
        zip, a table over the row limit, text in neither UTF-8 nor Shift_JIS,
        or no table at all.

    Example
    -------
    >>> read_upload([("alumni.pdf", b"%PDF-1.7")])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    analytics.data.uploads.UploadError: alumni.pdf is a PDF document, not a CSV file, ...
    """
    limits = limits or Limits.from_env()
    total = sum(len(data) for _name, data in items)
    if total > limits.upload_bytes:
        raise UploadError(_(
            "The upload is {size}, more than the limit of {limit}. Upload fewer tables at a "
            "time, or ask whoever runs Kizuna to raise {variable}.", size=_mb(total),
            limit=_mb(limits.upload_bytes), variable=ENV_UPLOAD_MB))
    found = _Found()
    names = [PurePosixPath(str(name).replace("\\", "/")).name for name, _data in items]
    for name, (_given, data) in zip(names, items, strict=True):
        _read_item(name, data, limits, found)
    if not found.files:
        seen = ", ".join(found.seen or names)
        raise UploadError(_(
            "No Kizuna table was found in the upload (it held: {seen}). Name each CSV file or "
            "sheet after its table: {tables}.", seen=seen, tables=_TABLE_NAMES) if seen else _(
            "No Kizuna table was found in the upload: it held nothing. Name each CSV file or "
            "sheet after its table: {tables}.",
            tables=_TABLE_NAMES))
    return Upload(dict(found.files), dict(found.origins), tuple(found.notes))


def read_source_path(path: str | Path, limits: Limits | None = None) -> Upload:
    """Read a folder, ``.zip``, ``.xlsx`` or ``.csv`` on disk as an upload.

    A folder contributes its ``.csv`` and ``.xlsx`` files (not its zips or
    subfolders), as :func:`analytics.data.sources.data_files` finds them.

    Parameters
    ----------
    path : str or Path
        The folder or file.
    limits : Limits, optional
        Defaults to :meth:`Limits.from_env`.

    Returns
    -------
    Upload
        As :func:`read_upload` returns it.

    Raises
    ------
    SourceUnusable
        When the path is missing or cannot be read.
    UploadError
        When it is another kind of file, or :func:`read_upload` refuses it.

    Example
    -------
    >>> read_source_path("/no/such/place")
    Traceback (most recent call last):
    ...
    analytics.data.uploads.SourceUnusable: /no/such/place does not exist.
    """
    limits = limits or Limits.from_env()
    path = Path(path)
    if not path.exists():
        raise SourceUnusable(_("{path} does not exist.", path=path))
    if path.is_dir():
        try:
            files = sources.data_files(path)
        except sources.DataFolderError as exc:
            raise SourceUnusable(str(exc)) from exc
        if not files:
            raise UploadError(_("{path} holds no .csv or .xlsx file. Put one CSV file per table "
                                "({tables}), or one workbook, in it.", path=path,
                                tables=_TABLE_NAMES))
    elif path.suffix.lower() in (".csv", ".xlsx", ".zip"):
        files = [path]
    else:
        raise UploadError(_("{name} is not a folder, .csv file, .xlsx workbook or .zip archive. "
                            "{accepted}", name=path.name, accepted=_(_ACCEPTED)))
    try:
        total = sum(p.stat().st_size for p in files)
    except OSError as exc:
        raise SourceUnusable(_("{path} cannot be read: {reason}.", path=path,
                               reason=exc.strerror)) from exc
    if total > limits.upload_bytes:  # refused before anything is read into memory
        raise UploadError(_(
            "{path} holds {size} of data, more than the limit of {limit}. Import fewer tables "
            "at a time, or raise {variable}.", path=path, size=_mb(total),
            limit=_mb(limits.upload_bytes), variable=ENV_UPLOAD_MB))
    items = []
    for file in files:
        try:
            items.append((file.name, file.read_bytes()))
        except OSError as exc:
            raise SourceUnusable(_("{path} cannot be read: {reason}.", path=file,
                                   reason=exc.strerror)) from exc
    return read_upload(items, limits)


# --- what was found ----------------------------------------------------------------------------

class _Found:
    """Tables found so far, in upload order, and the notes on everything else."""

    def __init__(self) -> None:
        self.files: dict[str, bytes] = {}
        self.origins: dict[str, str] = {}
        self.notes: list[str] = []
        self.seen: list[str] = []

    def take(self, stem: str, origin: str, read: Callable[[str], bytes]) -> None:
        """Keep ``read(table)``'s bytes if ``stem`` names a table not found yet; else note why not."""
        self.seen.append(origin)
        table = normalize_header(stem)
        if table not in TABLES:
            self.notes.append(_("'{origin}' is not a table Kizuna reads ({tables}); it was "
                                "ignored.", origin=origin, tables=_TABLE_NAMES))
        elif table in self.files:
            self.notes.append(_("Table {table} is in both {first} and {origin}; only {first} "
                                "was read. Keep one.", table=TABLES[table].label,
                                first=self.origins[table],
                                origin=origin))
        else:
            self.files[table] = read(table)
            self.origins[table] = origin

    def ignore(self, origin: str, why: str) -> None:
        self.seen.append(origin)
        self.notes.append(_("'{origin}' was ignored: {why}.", origin=origin, why=why))


def _system_file(name: str) -> str | None:
    """Why a file is operating-system or Excel clutter, or None when it is not."""
    if name.startswith("~$"):
        return _("it is an Excel lock file, not data")
    if name.startswith("._"):
        return _("it is macOS metadata, not data")
    if name.lower() in (".ds_store", "thumbs.db", "desktop.ini"):
        return _("it is a file the operating system keeps, not data")
    return None


def _read_item(name: str, data: bytes, limits: Limits, found: _Found) -> None:
    why = _system_file(name)
    if why:
        found.ignore(name, why)
        return
    suffix = PurePosixPath(name).suffix.lower()
    stem = PurePosixPath(name).stem
    if data.startswith(ZIP_MAGIC):
        archive = _open_zip(name, data)
        with archive:
            kind = _zip_kind(name, archive)
            _check_members(name, archive, limits)
            if kind == "workbook":
                _read_workbook(name, data, limits, found)
            else:
                _read_zip(name, archive, limits, found)
        return
    if data.startswith(OLE_MAGIC):
        raise UploadError(_(
            "{name} is a password-protected workbook or an old Excel 97-2003 (.xls) file, which "
            "Kizuna cannot read. Open it in Excel, remove any password (File > Info > Protect "
            "Workbook) and save it as an Excel Workbook (.xlsx), without a password.", name=name))
    other = _other_format(data)
    if other:
        raise UploadError(_("{name} is {what}, not a CSV file, .xlsx workbook or .zip archive. "
                            "{accepted}", name=name, what=other, accepted=_(_ACCEPTED)))
    if suffix == ".zip":
        raise UploadError(_(
            "{name} cannot be read: it is not a .zip archive (the file may be damaged, only "
            "partly uploaded, or another kind of file renamed). Zip the CSV files again.",
            name=name))
    if suffix in (".xlsx", ".xlsm", ".xls"):
        raise UploadError(_(
            "{name} cannot be read: it is not an Excel workbook (the file may be damaged, only "
            "partly uploaded, or another kind of file renamed). Open it in Excel and save it "
            "again as .xlsx.", name=name))
    if suffix != ".csv":
        raise UploadError(_("{name} is not a CSV file, .xlsx workbook or .zip archive. "
                            "{accepted}", name=name, accepted=_(_ACCEPTED)))
    found.take(stem, name, lambda table: _checked_csv(name, data, table, limits))


def _other_format(data: bytes) -> str | None:
    """What kind of file the bytes recognisably are, in words, or None."""
    return next((_(what) for magic, what in _OTHER_FORMATS if data.startswith(magic)), None)


def _mb(size: int) -> str:
    """A size as staff read it: "1.5 MB", "50 MB", or bytes when under 0.1 MB.

    >>> _mb(1_572_864), _mb(50 * MB), _mb(2048)
    ('1.5 MB', '50 MB', '2,048 bytes')
    """
    if size < MB // 10:
        return _("{count} bytes", count=number(size))
    tenths = round(size / MB, 1)
    return _("{count} MB", count=number(tenths, 0 if tenths.is_integer() else 1))


# --- zip archives and workbooks as archives --------------------------------------------------

def _open_zip(label: str, data: bytes) -> zipfile.ZipFile:
    try:
        return zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        if label.lower().endswith((".xlsx", ".xlsm")):
            raise UploadError(_(
                "{name} cannot be read: the workbook is damaged or incomplete ({reason}). If it "
                "was copied or downloaded, try again; otherwise open it and save it again.",
                name=label, reason=exc)) from exc
        raise UploadError(_(
            "{name} cannot be read: the zip archive is damaged or incomplete ({reason}). If it "
            "was copied or downloaded, try again; otherwise zip the files again.",
            name=label, reason=exc)) from exc


def _zip_kind(label: str, archive: zipfile.ZipFile) -> str:
    """Return "workbook" or "zip" for a zip container, or refuse other Office files."""
    names = {n.replace("\\", "/").lstrip("/").lower() for n in archive.namelist()}
    if "xl/workbook.bin" in names:
        raise UploadError(_("{name} is a binary Excel workbook (.xlsb). Open it in Excel and "
                            "save it as an Excel Workbook (.xlsx).", name=label))
    if any(n.startswith("xl/") for n in names):
        return "workbook"
    office = next((what for folder, what in (("word/", N_("a Word document")),
                                             ("ppt/", N_("a PowerPoint presentation")))
                   if any(n.startswith(folder) for n in names)), None)
    if office or "[content_types].xml" in names:
        raise UploadError(_("{name} is {what}, not an Excel workbook. {accepted}", name=label,
                            what=_(office or N_("an Office document")), accepted=_(_ACCEPTED)))
    if "mimetype" in names and "content.xml" in names:
        raise UploadError(_("{name} is an OpenDocument file (LibreOffice, Numbers, Google "
                            "export as .ods). Save it as an Excel Workbook (.xlsx) instead.",
                            name=label))
    if label.lower().endswith((".xlsx", ".xlsm")):
        raise UploadError(_("{name} is a zip archive without a workbook inside, not an Excel "
                            "file. Open the workbook in Excel and save it as .xlsx; if it is a "
                            "zip of CSV files, name it .zip.", name=label))
    return "zip"


_DRIVE = re.compile(r"^[a-zA-Z]:")


def _unsafe_path(name: str) -> bool:
    """Whether a member's path could land outside the folder it were extracted to."""
    path = name.replace("\\", "/")
    return path.startswith("/") or bool(_DRIVE.match(path)) or ".." in path.split("/")


def _check_members(label: str, archive: zipfile.ZipFile, limits: Limits) -> None:
    """Refuse an archive before reading any member: unsafe paths, passwords, bombs."""
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UploadError(_("{name} holds {count} entries, more than the {most} Kizuna reads. "
                            "Zip only the data files.", name=label, count=number(len(infos)),
                            most=number(MAX_MEMBERS)))
    for info in infos:
        if _unsafe_path(info.filename):
            raise UploadError(_(
                "{name} holds an entry '{entry}' whose path leads outside the archive, so "
                "nothing in it was read. Zip the data files again from the folder that holds "
                "them.", name=label, entry=info.filename))
    for info in infos:
        if info.flag_bits & 0x1:
            raise UploadError(_("{name} is password-protected ('{entry}' is encrypted). Zip the "
                                "files again without a password.", name=label,
                                entry=info.filename))
    declared = sum(info.file_size for info in infos)
    if declared > limits.unpacked_bytes:
        raise UploadError(_(
            "{name} would unpack to {size}, more than the limit of {limit}. Upload fewer or "
            "smaller tables at a time, or ask whoever runs Kizuna to raise {variable}.",
            name=label, size=_mb(declared), limit=_mb(limits.unpacked_bytes),
            variable=ENV_UNPACKED_MB))
    for info in infos:
        if info.file_size > RATIO_MIN_BYTES and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise UploadError(_(
                "'{entry}' in {name} unpacks to {size} from {packed}, over {ratio} to 1: that "
                "is not a data file but a zip bomb, so nothing was read. Upload the tables "
                "themselves.", entry=info.filename, name=label, size=_mb(info.file_size),
                packed=_mb(info.compress_size), ratio=MAX_RATIO))


class _Budget:
    """What an archive's members have unpacked to so far, read in chunks.

    The sizes an archive declares are checked before reading, but headers can
    lie, so the running total is checked again while reading.
    """

    def __init__(self, label: str, limit: int) -> None:
        self.label, self.limit, self.used = label, limit, 0

    def read(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
        parts = []
        try:
            with archive.open(info) as member:
                while chunk := member.read(CHUNK_BYTES):
                    self.used += len(chunk)
                    if self.used > self.limit:
                        raise UploadError(_(
                            "{name} unpacks to more than the limit of {limit}. Upload fewer or "
                            "smaller tables at a time, or ask whoever runs Kizuna to raise "
                            "{variable}.", name=self.label, limit=_mb(self.limit),
                            variable=ENV_UNPACKED_MB))
                    parts.append(chunk)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            raise UploadError(_("{name} cannot be read: the zip archive is damaged or uses an "
                                "unusual compression ({reason}). Zip the files again.",
                                name=f"{self.label}/{info.filename}", reason=exc)) from exc
        return b"".join(parts)


def _read_zip(label: str, archive: zipfile.ZipFile, limits: Limits, found: _Found) -> None:
    budget = _Budget(label, limits.unpacked_bytes)
    mac_entries = 0
    for info in archive.infolist():
        if info.is_dir():
            continue
        path = info.filename.replace("\\", "/")
        name = PurePosixPath(path).name
        origin = f"{label}/{path}"
        if path.startswith("__MACOSX/") or "/__MACOSX/" in path:
            mac_entries += 1
            continue
        why = _system_file(name)
        suffix = PurePosixPath(name).suffix.lower()
        if why:
            found.ignore(origin, why)
        elif suffix == ".zip":
            found.ignore(origin, _("zip archives inside a zip are not read; put the CSV files "
                                   "themselves in the zip"))
        elif suffix in (".xlsx", ".xlsm", ".xls"):
            found.ignore(origin, _("workbooks inside a zip are not read; upload the workbook "
                                   "on its own"))
        elif suffix != ".csv":
            found.ignore(origin, _("it is not a CSV file"))
        else:
            found.take(PurePosixPath(name).stem, origin,
                       lambda table, info=info, origin=origin:
                       _checked_csv(origin, budget.read(archive, info), table, limits))
    if mac_entries:
        found.notes.append(_("{name}: {count} macOS metadata entries (__MACOSX/) were ignored.",
                             name=label, count=number(mac_entries)))


# --- CSV files ---------------------------------------------------------------------------------

def _checked_csv(origin: str, data: bytes, table: str, limits: Limits) -> bytes:
    """Return a CSV file's bytes as they are, once they are known to be text within the limits."""
    other = _other_format(data)
    if data.startswith(ZIP_MAGIC) or data.startswith(OLE_MAGIC):
        other = _("a zip archive or an Office file")
    if other:
        raise UploadError(_("{name} is {what}, not a CSV file. Export the {table} table as CSV "
                            "(UTF-8), or upload the workbook itself as .xlsx.", name=origin,
                            what=other, table=TABLES[table].label))
    rows = _csv_rows(data, limits.rows_per_table)
    if rows > limits.rows_per_table:
        raise _too_many_rows(table, origin, limits)
    try:
        sources.decode_text(Path(origin), data)
    except sources.SourceError as exc:
        if "/" in origin:
            raise UploadError(_("In {archive}: {problem}", archive=origin.rsplit("/", 1)[0],
                                problem=exc)) from exc
        raise UploadError(str(exc)) from exc
    return data


def _csv_rows(data: bytes, limit: int) -> int:
    """Count the data rows of CSV bytes without building anything row by row.

    Lines are counted in the bytes (a newline byte never occurs inside a UTF-8
    or CP932 character). Only when that is over ``limit`` and the file has
    quotes, which may hold line breaks inside a cell, are records counted
    exactly, streaming, skipping blank lines as the loader does.
    """
    newline = b"\n" if b"\n" in data or b"\r" not in data else b"\r"
    lines = data.count(newline) + (1 if data and not data.endswith(newline) else 0)
    rows = max(lines - 1, 0)
    if rows <= limit or b'"' not in data:
        return rows
    try:
        text = sources.decode_text(Path("upload.csv"), data)
    except sources.SourceError:
        return rows  # the decoding check reports it, if the row count does not
    try:
        records = sum(1 for cells in csv.reader(io.StringIO(text, newline="")) if any(cells))
    except csv.Error:
        return rows
    return max(records - 1, 0)


def _too_many_rows(table: str, origin: str, limits: Limits) -> UploadError:
    return UploadError(_(
        "The {table} table in {name} has more than {most} rows, the most Kizuna takes in one "
        "table. Check for rows pasted by mistake, or ask whoever runs Kizuna to raise "
        "{variable}.", table=TABLES[table].label, name=origin, most=number(limits.rows_per_table),
        variable=ENV_ROWS))


# --- workbooks ---------------------------------------------------------------------------------

def _read_workbook(label: str, data: bytes, limits: Limits, found: _Found) -> None:
    """Read each worksheet of a workbook as a table.

    calamine (Rust) reads cells ten times faster than openpyxl (1.0 s against
    11.7 s for 10,000 alumni and 37,000 ties), but gives a formula's last
    computed value, or drops the cell when nothing computed it. A formula is
    data to keep as its text, so a workbook with any formula is read by
    openpyxl instead, which gives formulas as text.
    """
    try:
        formulas = _has_formulas(data)
    except Exception as exc:  # a damaged part of the zip
        raise _unreadable_workbook(label, exc) from exc
    if not formulas:
        from python_calamine import CalamineWorkbook, SheetTypeEnum

        try:
            book = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheets = [(m.name, m.typ == SheetTypeEnum.WorkSheet) for m in book.sheets_metadata]
            _take_sheets(label, sheets, found, limits,
                         lambda name: book.get_sheet_by_name(name).iter_rows())
        except UploadError:
            raise
        except Exception as exc:  # calamine raises its own errors for a damaged file
            raise _unreadable_workbook(label, exc) from exc
        return
    import openpyxl

    try:
        # data_only=False: a formula cell is read as its formula's text, never as a value
        # computed by whatever last saved the file (or lost, when nothing did).
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except Exception as exc:  # openpyxl raises many types for a damaged file
        raise _unreadable_workbook(label, exc) from exc

    def rows(name):
        sheet = book[name]
        sheet.reset_dimensions()  # a wrong <dimension> would cut rows off or pad every row
        return ([_formula_text(v) for v in values] for values in sheet.iter_rows(values_only=True))

    try:
        sheets = [(name, hasattr(book[name], "iter_rows")) for name in book.sheetnames]
        _take_sheets(label, sheets, found, limits, rows)
    except UploadError:
        raise
    except Exception as exc:  # damaged sheet XML shows only while rows are read
        raise _unreadable_workbook(label, exc) from exc
    finally:
        book.close()


def _has_formulas(data: bytes) -> bool:
    """Whether any worksheet of an .xlsx holds a formula (an ``<f>`` element in its XML)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with archive.open(name) as part:
                    xml = part.read()
                if b"<f>" in xml or b"<f " in xml or b":f>" in xml or b":f " in xml:
                    return True
    return False


def _take_sheets(label: str, sheets: list[tuple[str, bool]], found: _Found, limits: Limits,
                 rows) -> None:
    """Offer each worksheet to ``found`` as a table, its rows from ``rows(name)``."""
    for sheet_name, is_worksheet in sheets:
        origin = f"{label} [sheet {sheet_name}]"
        if sheet_name.startswith(sources.HELPER_SHEET_PREFIX):
            found.notes.append(_("'{origin}' was ignored: a sheet whose name starts with "
                                 "'{prefix}' is a helper, not a table.", origin=origin,
                                 prefix=sources.HELPER_SHEET_PREFIX))
            continue
        if not is_worksheet:
            found.ignore(origin, _("it is a chart sheet, not a table"))
            continue
        found.take(sheet_name, origin,
                   lambda table, name=sheet_name, origin=origin:
                   _sheet_csv(rows(name), origin, table, limits))


def _unreadable_workbook(label: str, exc: Exception) -> UploadError:
    return UploadError(_("{name} cannot be read as an Excel workbook ({reason}). Open it in "
                         "Excel and save it again as an Excel Workbook (.xlsx).", name=label,
                         reason=f"{type(exc).__name__}: {exc}"))


def _formula_text(value):
    """An array formula's text; every other value as it is."""
    text = getattr(value, "text", None)
    return text if isinstance(text, str) and text.startswith("=") else value


def _sheet_csv(rows, origin: str, table: str, limits: Limits) -> bytes:
    """Write a sheet's rows (lists of cell values, from row 1) as CSV bytes, streaming,
    stopping at the row limit.

    Blank rows inside the table are kept as blank lines, so the loader's row
    numbers are the sheet's; trailing blank rows are dropped and trailing
    empty cells trimmed as :func:`analytics.data.sources.trim_trailing_empty`
    does. The header is padded to the widest row, so that data in a column
    without a header is ignored as when the loader reads the workbook itself.
    """
    body = io.StringIO()
    writer = csv.writer(body, lineterminator="\n")
    header: list[str] = []
    width = 0
    blank: list[str] = []
    pending: list[list[str]] = []  # rows read, written a chunk at a time
    blanks_waiting = 0  # blank rows kept only if a row with cells follows them

    def flush() -> None:
        nonlocal width
        rows = sources.trim_trailing_empty(pending)
        width = max([width, *map(len, rows)])
        writer.writerows(rows)
        pending.clear()

    for row_number, values in enumerate(rows, start=1):
        cells = [sources.cell_text(v) for v in values]
        if row_number == 1:
            header = sources.trim_trailing_empty([cells])[0]
            width = len(header)
            continue
        if not any(cells):
            blanks_waiting += 1
            continue
        if row_number - 1 > limits.rows_per_table:
            raise _too_many_rows(table, origin, limits)
        pending.extend([blank] * blanks_waiting)
        blanks_waiting = 0
        pending.append(cells)
        if len(pending) >= 2048:
            flush()
    flush()
    head = io.StringIO()
    if header or width:
        csv.writer(head, lineterminator="\n").writerow(header + [""] * (width - len(header)))
    return UTF8_BOM + (head.getvalue() + body.getvalue()).encode("utf-8")
