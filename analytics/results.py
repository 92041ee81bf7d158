"""Results of expensive work, kept in memory and on disk, keyed by what they were made from.

The app and the tests share one idiom: a result is named by a key (the work's
name, the data's content fingerprint, the audience, the selection, the work's
own arguments) and computed at most once per process for that key; when
:class:`Results` has a folder, the result is also written there, so another
process, or this one after a restart, reads it back instead of computing it.
The folder is shared safely by several processes: a file is written under a
temporary name and renamed into place, so a reader finds a whole file or none.

Keys are fixed by content, not by time: a key names a fingerprint, so a change
to the data is a new key, and the folder's sub-folder is named after the code
that computed the results and anything else they depend on
(:func:`code_version`), so a new release never reads an old release's results.

The files are Python pickles: whoever can write the folder can run code in the
server. The folder and its version folder are made readable by their owner
only; point ``KIZUNA_CACHE_DIR`` at a folder only the server's user can write.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib.metadata
import logging
import os
import pickle
import queue
import sys
import tempfile
import threading
import time
from collections import Counter, OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_LOG = logging.getLogger(__name__)

PACKAGE = Path(__file__).resolve().parent
#: The code results are computed by: the functional core, its reference data, and the app's
#: recipes of what each page asks for (ui/cached.py).
SOURCES = (PACKAGE, PACKAGE.parent / "data" / "reference", PACKAGE.parent / "ui" / "cached.py")
#: What computed results depend on besides the data and that code: these libraries' versions.
LIBRARIES = ("pandas", "numpy", "scipy", "networkx", "plotly", "igraph", "pyarrow", "pycountry",
             "babel")
DEFAULT_LIMIT_MB = 2048
SUFFIX = ".pickle"


def code_version(sources: tuple[Path, ...] = SOURCES, libraries: tuple[str, ...] = LIBRARIES,
                 salt: bytes = b"") -> str:
    """A short hash of the code that computes results: every file under ``sources`` (code and
    the reference data beside it), the Python version, the versions of ``libraries``, and
    ``salt``: anything else results depend on (the pseudonym key: pseudonyms made with
    another key are never read).

    >>> len(code_version())
    16
    """
    digest = hashlib.sha256(sys.version.encode() + salt)
    for name in libraries:
        try:
            digest.update(f"{name}={importlib.metadata.version(name)}".encode())
        except importlib.metadata.PackageNotFoundError:
            digest.update(f"{name}=none".encode())
    for source in sources:
        files = sorted(p for p in source.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       ) if source.is_dir() else [source]
        for path in files:
            digest.update(str(path.relative_to(source.parent)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def default_folder() -> Path | None:
    """Where results are kept on disk: ``KIZUNA_CACHE_DIR`` (``off`` keeps them in memory
    only), else ``$XDG_CACHE_HOME/kizuna``, else ``~/.cache/kizuna``."""
    chosen = os.environ.get("KIZUNA_CACHE_DIR", "").strip()
    if chosen.lower() == "off":
        return None
    if chosen:
        return Path(chosen)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "kizuna"


def _is_version(name: str) -> bool:
    return len(name) == 16 and all(c in "0123456789abcdef" for c in name)


def key_name(key: tuple) -> str:
    """The file name of a key: a hash of its ``repr`` (keys hold strings, numbers, enums,
    None and tuples of them, whose ``repr`` is the same in every process)."""
    return hashlib.sha256(repr(key).encode()).hexdigest()[:40] + SUFFIX


class Results:
    """Results by key: in memory (the ``memory_entries`` most recently used), and in
    ``folder`` on disk when one is given.

    Parameters
    ----------
    folder : Path or None
        The shared folder; results are kept under ``folder / version``. None keeps
        them in memory only.
    memory_entries : int
        How many results this process keeps in memory; the least recently used go.
    version : str
        The code's version (:func:`code_version`): results of other code are never read.
    limit_mb : int
        The folder's size limit; the least recently written files of this version go
        first, and other versions' folders are removed when they have not been written
        for an hour.

    Examples
    --------
    >>> results = Results(None)
    >>> results.get(("square", 3), lambda: 3 * 3)
    9
    >>> results.get(("square", 3), lambda: 0)  # computed once
    9
    >>> results.counts["computed"], results.counts["memory"]
    (1, 1)
    """

    def __init__(self, folder: Path | None, memory_entries: int = 256,
                 version: str | None = None, limit_mb: int = DEFAULT_LIMIT_MB):
        self.version = version or code_version()
        self.folder = Path(folder) / self.version if folder is not None else None
        self.memory_entries = memory_entries
        self.limit_bytes = limit_mb * 1024 * 1024
        self.counts: Counter = Counter()  # computed, disk, memory, written, unreadable
        self._memory: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}
        self._writes: queue.Queue | None = None
        if self.folder is not None:
            try:
                self.folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                self.folder.mkdir(exist_ok=True, mode=0o700)
            except OSError as exc:  # a read-only disk: results stay in memory
                _LOG.warning("results stay in memory: cannot use %s (%s)", self.folder, exc)
                self.folder = None

    def in_memory(self, key: Hashable) -> bool:
        """Whether ``key``'s result is in this process's memory (no work, no read, to get it)."""
        with self._lock:
            return key in self._memory

    def get(self, key: tuple, compute: Callable[[], T], keep_on_disk: bool = True) -> T:
        """The result of ``key``: from memory, else from disk, else ``compute()``.

        At most one thread computes a key at a time; others asking for it wait and
        receive the same object. A result read from disk or computed is kept in memory
        and, with ``keep_on_disk``, written to the folder by a background thread (the
        caller does not wait for the write). An exception is raised to the caller and
        nothing is kept.
        """
        with self._lock:
            if key in self._memory:
                self._memory.move_to_end(key)
                self.counts["memory"] += 1
                return self._memory[key]
            one_at_a_time = self._computing.setdefault(key, threading.Lock())
        with one_at_a_time:
            with self._lock:
                if key in self._memory:  # computed while this thread waited
                    self.counts["memory"] += 1
                    return self._memory[key]
            try:
                value, found = self._read(key) if keep_on_disk else (None, False)
                if not found:
                    value = compute()
                    self.counts["computed"] += 1
                    if keep_on_disk:
                        self._write_later(key, value)
                self._remember(key, value)
                return value
            finally:
                with self._lock:
                    self._computing.pop(key, None)

    def forget(self, unwanted: Callable[[Hashable], bool]) -> int:
        """Drop from memory every result whose key is ``unwanted`` (the disk keeps them);
        return how many went.

        >>> results = Results(None)
        >>> results.get(("old", 1), lambda: 1), results.get(("new", 2), lambda: 2)
        (1, 2)
        >>> results.forget(lambda key: key[0] == "old"), results.in_memory(("new", 2))
        (1, True)
        """
        with self._lock:
            gone = [self._memory.pop(key) for key in [k for k in self._memory if unwanted(k)]]
        count = len(gone)
        del gone  # dropped outside the lock: freeing a result can run code that asks for one
        return count

    def _remember(self, key: Hashable, value: Any) -> None:
        gone = []
        with self._lock:
            self._memory[key] = value
            self._memory.move_to_end(key)
            while len(self._memory) > self.memory_entries:
                gone.append(self._memory.popitem(last=False))
        del gone  # dropped outside the lock, as in forget

    def path(self, key: tuple) -> Path | None:
        """The file that holds ``key``'s result, or None without a folder."""
        return self.folder / key_name(key) if self.folder is not None else None

    def _read(self, key: tuple) -> tuple[Any, bool]:
        path = self.path(key)
        if path is None:
            return None, False
        try:
            with open(path, "rb") as file:
                value = pickle.load(file)
        except FileNotFoundError:
            return None, False
        except Exception as exc:  # a truncated or foreign file: compute instead, write anew
            self.counts["unreadable"] += 1
            _LOG.warning("ignoring unreadable result %s: %s", path, exc)
            return None, False
        self.counts["disk"] += 1
        return value, True

    def _write_later(self, key: tuple, value: Any) -> None:
        if self.folder is None:
            return
        with self._lock:
            if self._writes is None:
                self._writes = queue.Queue()
                threading.Thread(target=self._writer, name="kizuna-results-writer",
                                 daemon=True).start()
        self._writes.put((key, value))

    def _writer(self) -> None:
        while True:
            key, value = self._writes.get()
            try:
                self.write(key, value)
            except Exception as exc:  # a full disk must not break a page: it stays in memory
                _LOG.warning("could not keep a result on disk: %s", exc)
            finally:
                self._writes.task_done()

    def write(self, key: tuple, value: Any) -> None:
        """Write ``key``'s result to the folder now: a temporary file renamed into place, so
        a reader sees the whole file or none; then keep the folder within its limit."""
        path = self.path(key)
        if path is None:
            return
        data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".writing-")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        self.counts["written"] += 1
        self.prune()

    def flush(self) -> None:
        """Wait until every result computed so far is on disk."""
        if self._writes is not None:
            self._writes.join()

    def prune(self) -> None:
        """Keep the folder within its limit: the oldest files of this version go first;
        other versions' folders go once nothing has been written in them for an hour."""
        if self.folder is None:
            return
        files = []
        for path in self.folder.glob(f"*{SUFFIX}"):
            with contextlib.suppress(FileNotFoundError):  # another process pruned it
                stat = path.stat()
                files.append((stat.st_mtime, stat.st_size, path))
        files.sort()
        total = sum(size for _, size, _ in files)
        for _, size, path in files:
            if total <= self.limit_bytes:
                break
            path.unlink(missing_ok=True)
            total -= size
        for other in self.folder.parent.iterdir():
            # Only folders this class made: a version's hash, holding its files only.
            if other == self.folder or not other.is_dir() or not _is_version(other.name):
                continue
            with contextlib.suppress(OSError):  # another process is at it too
                if time.time() - other.stat().st_mtime > 3600 and all(
                        p.suffix == SUFFIX or p.name.startswith(".writing-")
                        for p in other.iterdir()):
                    for path in other.iterdir():
                        path.unlink(missing_ok=True)
                    other.rmdir()
