"""A data folder that keeps every version: atomic changes, history, restore.

The data stays what it always was: CSV files (or a workbook) in a folder that
staff can open in Excel. Once anything is changed through Kizuna, the folder
also holds a hidden ``.kizuna/`` folder with every version:

```
DIR/alumni.csv ...            the current data, a copy for people and spreadsheets
DIR/.kizuna/HEAD              the current version's number (replaced atomically)
DIR/.kizuna/versions/7/       version 7's files and version.json; never changed once written
DIR/.kizuna/staging/<token>/  a prepared version that has not been applied
DIR/.kizuna/mirror.json       the stamps of DIR's files as Kizuna last wrote them
DIR/.kizuna/checkout          present while DIR's files are being rewritten
DIR/.kizuna/lock              taken by whoever writes
```

Why it is atomic: a new version is written whole into ``staging/``, renamed
into ``versions/`` (a rename is atomic), and becomes current when ``HEAD`` is
replaced (also a rename). Readers load the version ``HEAD`` names, never the
copy in ``DIR`` while it is being rewritten, so they see the old version or
the new one whole, whenever the writer is killed. A writer that dies while
rewriting the copy leaves ``checkout`` behind; the next writer finishes it.

Files in ``DIR`` changed by hand on the server (the way data arrived before
Kizuna kept versions) are still the data: :func:`resolve` notices that they
differ from what Kizuna wrote and reads them, and the next change first keeps
them as a version of their own, so nothing is lost either way.

Example
-------
>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> _ = (folder / "targets.csv").write_text("metric,year,target\\nalumni,2017,45\\n")
>>> history(folder)
[]
>>> staged = stage(folder, {"targets.csv": b"metric,year,target\\nalumni,2017,50\\n"})
>>> version = commit(folder, staged, base=current_fingerprint(folder), who="Aiko",
...                  action="import", summary="A new target")
>>> [(v.id, v.action) for v in history(folder)]
[(2, 'import'), (1, 'start')]
>>> (folder / "targets.csv").read_text().splitlines()[1]
'alumni,2017,50'
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import io
import json
import os
import shutil
import time
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from analytics.data.schema import Label
from analytics.data.sources import data_files, fingerprint
from analytics.i18n import N_, Text, _, lazy, lazy_plural, speaking

STATE_DIR = ".kizuna"
VERSION_FILE = "version.json"
STAGING_MAX_AGE_S = 24 * 3600  # prepared versions nobody applied are removed after a day
READ_ONLY_ENV = "KIZUNA_READ_ONLY"
# The kinds of change a version records (its ``action``): keys in the history, shown with _().
ACTIONS = (N_("start"), N_("import"), N_("edit"), N_("merge"), N_("restore"),
           N_("not-duplicate"), N_("server-edit"), N_("introduction"))


class StoreError(Exception):
    """A change could not be made; the message says why, and nothing was changed."""


class StaleError(StoreError):
    """The data changed after the change was prepared (someone else applied first)."""


class ReadOnlyError(StoreError):
    """This folder or server does not take changes."""


@dataclass(frozen=True)
class Version:
    """One kept version of a data folder, as listed in its history.

    ``summary`` is the change in a sentence, in English: the record any tool
    reads. ``summary_message`` is the same sentence as a message, translated
    each time it is shown (:attr:`translated_summary`); versions kept before
    Kizuna spoke Japanese have none.
    """

    id: int
    parent: int | None
    time: str  # ISO 8601, UTC
    who: str
    action: str  # one of ACTIONS
    summary: str
    fingerprint: str
    path: Path
    counts: dict = field(default_factory=dict)  # table -> {"added": n, "removed": n, "changed": n}
    not_duplicates: tuple[tuple[str, str], ...] = ()
    summary_message: Text | None = None

    @property
    def when(self) -> dt.datetime:
        return dt.datetime.fromisoformat(self.time)

    @property
    def translated_summary(self) -> str:
        """The summary in the current language; as recorded when there is no message, or
        when this Kizuna cannot fill it in (a message another version of Kizuna wrote)."""
        if self.summary_message is None:
            return self.summary
        try:
            return str(self.summary_message)
        except (KeyError, IndexError, ValueError):
            return self.summary


def _message_record(text: Text | Label | str | int | float):
    """A message as JSON: its English source and values (a value may be a message, or a
    table's or column's name shown in the language, too)."""
    if isinstance(text, Label):
        return {"label": text.name, "japanese": text.japanese}
    if not isinstance(text, Text):
        return text
    record = {"message": text.message,
              "values": {name: _message_record(value) for name, value in text.values}}
    if text.plural is not None:
        record |= {"plural": text.plural, "n": text.n}
    return record


def _message_from(record) -> Text | Label | str | int | float:
    """The message :func:`_message_record` wrote (values as they were)."""
    if not isinstance(record, dict):
        return record
    if "label" in record:
        return Label(record["label"], record.get("japanese", ""))
    values = {name: _message_from(value) for name, value in record.get("values", {}).items()}
    # Read first: a string literal inside lazy() would be taken for a message to translate.
    singular, plural = record["message"], record.get("plural")
    if plural is not None:
        return lazy_plural(singular, plural, record["n"], **values)
    return lazy(singular, **values)


def in_english(message: Text | str) -> str:
    """A message (or text) as English text: what the history records, and a problem's
    message compared with another's."""
    with speaking("en"):
        return str(message)


def _state(folder: Path) -> Path:
    return Path(folder) / STATE_DIR


def _head(folder: Path) -> int | None:
    try:
        return int((_state(folder) / "HEAD").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None


def _stamps(folder: Path) -> list[list]:
    return [[p.name, s.st_size, s.st_mtime_ns] for p in data_files(folder) for s in (p.stat(),)]


def _mirror_record(folder: Path) -> dict | None:
    try:
        return json.loads((_state(folder) / "mirror.json").read_text())
    except (FileNotFoundError, ValueError):
        return None


def _edited_by_hand(folder: Path, head: int) -> bool:
    """Whether DIR's files differ from the copy of version ``head`` Kizuna last wrote."""
    if (_state(folder) / "checkout").exists():
        return False  # Kizuna itself is rewriting them
    record = _mirror_record(folder)
    if record is not None and record.get("version") == head and record.get("stamps") == _stamps(folder):
        return False
    # Stamps also change when the folder is copied or restored from a backup: the same
    # bytes as the version are not an edit.
    meta = _read_meta(version_dir(folder, head))
    return meta is None or fingerprint(folder) != meta.fingerprint


def version_dir(folder: Path, version: int) -> Path:
    """The folder that holds version ``version``'s files."""
    return _state(folder) / "versions" / str(version)


def resolve(folder: str | Path) -> tuple[Path, int | None]:
    """Return the folder whose files are the current data, and its version number.

    A folder without history, or whose files were changed by hand after
    Kizuna last wrote them, is read as it is (version None); otherwise the
    current version's own folder is read, which no writer ever changes.

    >>> import tempfile
    >>> resolve(tempfile.gettempdir())[1] is None
    True
    """
    folder = Path(folder)
    head = _head(folder)
    if head is None or _edited_by_hand(folder, head):
        return folder, None
    return version_dir(folder, head), head


def state_token(folder: str | Path) -> tuple:
    """What changes whenever the current data may have changed: cheap to read on every run.

    The current version, whether a rewrite is under way, and the stamps
    (name, size, modification time) of the folder's own files.
    """
    folder = Path(folder)
    state = _state(folder)
    return (_head(folder), (state / "checkout").exists(),
            tuple(tuple(s) for s in _stamps(folder)))


def current_fingerprint(folder: str | Path) -> str:
    """The content fingerprint of the current data (see :func:`resolve`)."""
    where, version = resolve(folder)
    if version is not None:
        meta = _read_meta(where)
        if meta is not None:
            return meta.fingerprint
    return fingerprint(where)


def read_only_reason(folder: str | Path) -> str | None:
    """Why this folder takes no changes, or None when it does.

    ``KIZUNA_READ_ONLY=1`` makes a whole server read-only; otherwise the
    folder (and its history, if any) must be writable by the server.
    """
    if os.environ.get(READ_ONLY_ENV, "").strip().lower() in ("1", "true", "yes"):
        return _("This server is read-only ({variable}=1): the data can be read but not changed.",
                 variable=READ_ONLY_ENV)
    folder = Path(folder)
    for place in (folder, _state(folder)):
        if place.exists() and not os.access(place, os.W_OK | os.X_OK):
            return _("The server cannot write to {place}, so the data can be read but not "
                     "changed here. Ask whoever runs the server to give it write access.",
                     place=place)
    if not folder.is_dir():
        return _("The data folder {folder} does not exist.", folder=folder)
    return None


# --- reading versions -----------------------------------------------------------------


def _read_meta(path: Path) -> Version | None:
    try:
        raw = json.loads((path / VERSION_FILE).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    message = raw.get("summary_message")
    return Version(raw["id"], raw.get("parent"), raw["time"], raw["who"], raw["action"],
                   raw["summary"], raw["fingerprint"], path, raw.get("counts", {}),
                   tuple(tuple(p) for p in raw.get("not_duplicates", ())),
                   _message_from(message) if message else None)


def history(folder: str | Path) -> list[Version]:
    """The versions of a folder, newest first: the current one, its parent, and so on.

    A version written by a change that was killed before it became current
    is not part of the history (nothing ever pointed to it).
    """
    folder = Path(folder)
    versions, seen, at = [], set(), _head(folder)
    while at is not None and at not in seen:
        seen.add(at)
        meta = _read_meta(version_dir(folder, at))
        if meta is None:
            break
        versions.append(meta)
        at = meta.parent
    return versions


def get_version(folder: str | Path, version: int) -> Version:
    """One version of the history; StoreError when there is none by that number."""
    found = next((v for v in history(folder) if v.id == version), None)
    if found is None:
        numbers = ", ".join(str(v.id) for v in history(folder))
        raise StoreError(_("There is no version {version} of this folder (versions: {numbers}).",
                           version=version, numbers=numbers) if numbers else
                         _("There is no version {version} of this folder: it has no versions yet.",
                           version=version))
    return found


def current_version(folder: str | Path) -> Version | None:
    """The current version, or None when the folder has no history (or was edited by hand)."""
    where, version = resolve(folder)
    return _read_meta(where) if version is not None else None


def newest(folder: str | Path) -> Version | None:
    """The newest version (the one ``HEAD`` names), read alone: history()[0] without the walk."""
    head = _head(Path(folder))
    return None if head is None else _read_meta(version_dir(Path(folder), head))


def dismissed_pairs(folder: str | Path) -> tuple[tuple[str, str], ...]:
    """Pairs of people staff said are not the same person, as kept with the newest version."""
    latest = newest(folder)
    return latest.not_duplicates if latest else ()


def version_files(path: Path) -> dict[str, bytes]:
    """The data files of a folder or version, by file name."""
    return {p.name: p.read_bytes() for p in data_files(path)}


# --- writing --------------------------------------------------------------------------


@contextlib.contextmanager
def locked(folder: str | Path) -> Iterator[None]:
    """Hold the folder's write lock: one writer at a time, across processes.

    The lock is the operating system's (``flock``): a writer that is killed
    releases it at once, so a crash never leaves the folder locked.
    """
    state = _state(Path(folder))
    state.mkdir(exist_ok=True)
    with open(state / "lock", "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_file(path: Path, data: bytes) -> None:
    with open(path, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def _replace_file(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` atomically: a reader sees the old bytes or the new, whole."""
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    _write_file(temporary, data)
    os.replace(temporary, path)
    _fsync_dir(path.parent)


def stage(folder: str | Path, files: dict[str, bytes]) -> Path:
    """Write a prepared version's files into the folder's staging area and return where.

    ``files`` maps file names (``alumni.csv``) to their bytes: the whole new
    version, not only what changed. Nothing is current until :func:`commit`.
    Prepared versions older than a day, never applied, are removed here.
    """
    folder = Path(folder)
    reason = read_only_reason(folder)
    if reason:
        raise ReadOnlyError(reason)
    staging = _state(folder) / "staging"
    staging.mkdir(parents=True, exist_ok=True)
    for old in staging.iterdir():
        with contextlib.suppress(OSError):
            if time.time() - old.stat().st_mtime > STAGING_MAX_AGE_S:
                shutil.rmtree(old)
    target = staging / uuid.uuid4().hex
    target.mkdir()
    for name, data in files.items():
        if Path(name).name != name or name.startswith("."):
            raise StoreError(_("'{name}' is not a plain file name.", name=name))
        _write_file(target / name, data)
    _fsync_dir(target)
    return target


def commit(folder: str | Path, staged: Path, *, base: str, who: str, action: str,
           summary: Text | str,
           counts: dict | None = None,
           not_duplicates: tuple[tuple[str, str], ...] | None = None) -> Version:
    """Make a staged version the current data, keeping every version before it.

    Parameters
    ----------
    folder : Path
        The data folder.
    staged : Path
        What :func:`stage` returned for this folder.
    base : str
        The content fingerprint of the data the change was prepared from. If
        the data is no longer that (someone applied first), nothing changes
        and :class:`StaleError` is raised: of two changes prepared from the
        same data, exactly one is applied.
    who, action : str
        For the history: who made the change, and what kind (one of ACTIONS).
    summary : Text or str
        The change in a sentence: a message (:func:`analytics.i18n.lazy`), kept
        to be shown in each language, or text kept as it is.
    counts : dict, optional
        Rows added, removed and changed per table, for the history.
    not_duplicates : tuple of pairs, optional
        The pairs staff said are different people; by default the current
        version's are kept.

    Returns
    -------
    Version
        The new current version.
    """
    folder, staged = Path(folder), Path(staged)
    reason = read_only_reason(folder)
    if reason:
        raise ReadOnlyError(reason)
    if not staged.is_dir() or staged.resolve().parent != (_state(folder) / "staging").resolve():
        raise StoreError(_("This prepared change is no longer available; prepare it again."))
    with locked(folder):
        _recover(folder)
        current = current_fingerprint(folder)
        if current != base:
            raise StaleError(_("The data changed after this change was prepared (someone else "
                               "applied a change first). Nothing was applied: look at the new "
                               "preview and apply again."))
        if not_duplicates is None:
            not_duplicates = dismissed_pairs(folder)
        version = _add_version(folder, staged, who=who, action=action, summary=summary,
                               counts=counts or {}, not_duplicates=not_duplicates)
        _checkout(folder, version.id)
        return version


def restore(folder: str | Path, version: int, *, who: str) -> Version:
    """Make an earlier version current again, as a new version: nothing is overwritten."""
    folder = Path(folder)
    reason = read_only_reason(folder)
    if reason:
        raise ReadOnlyError(reason)
    old = get_version(folder, version)
    staged = stage(folder, version_files(old.path))
    return commit(folder, staged, base=current_fingerprint(folder), who=who, action="restore",
                  summary=lazy("Restored version {version} ({summary})", version=old.id,
                               summary=old.summary_message or old.summary),
                  not_duplicates=old.not_duplicates)


def mark_not_duplicates(folder: str | Path, first: str, second: str, *, who: str) -> Version:
    """Remember that two people are not the same person, as a new version of the same data."""
    folder = Path(folder)
    reason = read_only_reason(folder)
    if reason:
        raise ReadOnlyError(reason)
    base = current_fingerprint(folder)
    pairs = tuple(dict.fromkeys((*dismissed_pairs(folder), tuple(sorted((first, second))))))
    staged = stage(folder, version_files(resolve(folder)[0]))
    return commit(folder, staged, base=base, who=who, action="not-duplicate",
                  summary=lazy("{first} and {second} are not the same person", first=first,
                               second=second),
                  not_duplicates=pairs)


def version_zip(version: Version) -> bytes:
    """A version's data files in one zip, to download."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in version_files(version.path).items():
            archive.writestr(name, data)
    return buffer.getvalue()


def keep_server_edits(folder: str | Path) -> Version | None:
    """Keep the folder's files as a version when they were changed outside Kizuna.

    The first change to a folder without history keeps its files as version 1;
    files edited by hand after a version was written become a version too.
    Returns the version made, or None when there was nothing to keep.
    """
    folder = Path(folder)
    with locked(folder):
        return _recover(folder)


def _recover(folder: Path) -> Version | None:
    """Finish an interrupted rewrite, and keep hand edits as a version. Call under the lock."""
    head = _head(folder)
    if head is not None and (_state(folder) / "checkout").exists():
        _checkout(folder, head)  # a writer died while copying: finish its work
        return None
    if head is not None and not _edited_by_hand(folder, head):
        return None
    files = version_files(folder)
    if head is None and not files:
        return None  # nothing to keep: an empty folder's first change is its first version
    if head is None:
        who, action, summary = "-", "start", lazy("The data as it was before Kizuna kept versions")
    else:
        who, action, summary = ("-", "server-edit",
                                lazy("Files changed on the server, outside Kizuna, after "
                                     "version {version}", version=head))
    staged = stage(folder, files)
    version = _add_version(folder, staged, who=who, action=action, summary=summary, counts={},
                           not_duplicates=dismissed_pairs(folder))
    _write_mirror_record(folder, version.id)  # the files are already this version's
    return version


def _add_version(folder: Path, staged: Path, *, who: str, action: str, summary: Text | str,
                 counts: dict,
                 not_duplicates: tuple) -> Version:
    versions = _state(folder) / "versions"
    versions.mkdir(exist_ok=True)
    numbers = [int(p.name) for p in versions.iterdir() if p.name.isdigit()]
    number = max(numbers, default=0) + 1  # also past versions a killed writer left unused
    meta = {
        "id": number, "parent": _head(folder),
        "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "who": who, "action": action, "summary": in_english(summary),
        "fingerprint": fingerprint(staged),
        "counts": counts, "not_duplicates": [list(p) for p in not_duplicates],
    }
    if isinstance(summary, Text):
        meta["summary_message"] = _message_record(summary)
    _write_file(staged / VERSION_FILE,
                json.dumps(meta, ensure_ascii=False, indent=1).encode("utf-8"))
    _fsync_dir(staged)
    target = version_dir(folder, number)
    os.rename(staged, target)
    _fsync_dir(versions)
    _replace_file(_state(folder) / "HEAD", f"{number}\n".encode())  # the change is made here
    return _read_meta(target)


def _checkout(folder: Path, version: int) -> None:
    """Rewrite DIR's own files as a copy of ``version``, for people and spreadsheets."""
    marker = _state(folder) / "checkout"
    _write_file(marker, str(version).encode())
    _fsync_dir(marker.parent)
    files = version_files(version_dir(folder, version))
    for name, data in files.items():
        _replace_file(folder / name, data)
    for path in data_files(folder):
        if path.name not in files:
            path.unlink()  # kept in the versions before this one
    _write_mirror_record(folder, version)
    marker.unlink()
    _fsync_dir(marker.parent)


def _write_mirror_record(folder: Path, version: int) -> None:
    record = {"version": version, "stamps": _stamps(folder)}
    _replace_file(_state(folder) / "mirror.json", json.dumps(record).encode())
