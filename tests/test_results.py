"""Results kept in memory and on disk (analytics.results), and what a page makes of them (derived)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import threading
import time
from pathlib import Path

import pandas as pd
import pytest

from analytics.results import Results, code_version, default_folder, key_name

ROOT = Path(__file__).resolve().parents[1]
KEY = ("kpis", "fingerprint-1", "public", (), ())


def test_a_key_is_computed_once_and_then_read_from_memory():
    results, calls = Results(None), []
    first = results.get(KEY, lambda: calls.append(1) or {"alumni": 146})
    again = results.get(KEY, lambda: calls.append(1) or {"alumni": 0})
    assert again is first and calls == [1]
    assert results.counts["computed"] == 1 and results.counts["memory"] == 1


def test_threads_asking_for_the_same_key_wait_for_one_computation():
    results, calls, started = Results(None), [], threading.Event()

    def slow():
        calls.append(1)
        started.set()
        time.sleep(0.3)
        return object()

    got = []
    threads = [threading.Thread(target=lambda: got.append(results.get(KEY, slow)))
               for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert calls == [1] and len({id(v) for v in got}) == 1 and len(got) == 8


def test_an_exception_is_raised_to_the_caller_and_nothing_is_kept(tmp_path):
    results = Results(tmp_path)

    def fails():
        raise ValueError("bad data")

    with pytest.raises(ValueError, match="bad data"):
        results.get(KEY, fails)
    results.flush()
    assert not results.in_memory(KEY) and not list(tmp_path.rglob("*.pickle"))
    assert results.get(KEY, lambda: 7) == 7


def test_the_least_recently_used_leave_memory_first():
    results = Results(None, memory_entries=2)
    for name in "abc":
        results.get((name,), lambda n=name: n)
    results.get(("b",), lambda: "again")  # b is used: a was the oldest and left
    assert not results.in_memory(("a",))
    assert results.in_memory(("b",)) and results.in_memory(("c",))


def test_another_process_reads_the_result_from_disk_without_computing(tmp_path):
    frame = pd.DataFrame({"country": ["JP", "US"], "alumni": [91, 40]})
    writer = Results(tmp_path, version="v1")
    writer.get(KEY, lambda: frame)
    writer.flush()
    assert writer.counts["written"] == 1 and writer.path(KEY).exists()
    # A fresh interpreter, as after a restart: computing would raise.
    script = (
        "import sys; from pathlib import Path; from analytics.results import Results\n"
        f"r = Results(Path({str(tmp_path)!r}), version='v1')\n"
        "def never(): raise SystemExit('computed again')\n"
        f"v = r.get({KEY!r}, never)\n"
        "print(v['alumni'].sum(), r.counts['disk'], r.counts['computed'])\n")
    out = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True,
                         text=True, check=True).stdout.split()
    assert out == ["131", "1", "0"]


def test_results_of_other_code_are_never_read(tmp_path):
    old = Results(tmp_path, version="old")
    old.get(KEY, lambda: "old answer")
    old.flush()
    assert Results(tmp_path, version="new").get(KEY, lambda: "new answer") == "new answer"


def test_a_torn_or_foreign_file_is_computed_again_and_replaced(tmp_path):
    results = Results(tmp_path, version="v1")
    path = results.path(KEY)
    path.write_bytes(b"\x80\x05truncated")
    assert results.get(KEY, lambda: "fresh") == "fresh"
    results.flush()
    assert results.counts["unreadable"] == 1
    assert pickle.loads(path.read_bytes()) == "fresh"


def test_nothing_half_written_is_left_behind_and_the_folder_keeps_its_limit(tmp_path):
    results = Results(tmp_path, version="v1", limit_mb=1)
    for n in range(5):  # 5 results of 0.4 MB under a 1 MB limit: the 2 newest stay
        results.write((n,), b"x" * 400_000)
        os.utime(results.path((n,)), (n + 1, n + 1))
    names = sorted(p.name for p in (tmp_path / "v1").iterdir())
    assert names == sorted([key_name((3,)), key_name((4,))])


def test_the_code_version_changes_with_the_code(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "metrics.py").write_text("ANSWER = 1\n")
    before = code_version((package,), ())
    assert code_version((package,), ()) == before
    (package / "metrics.py").write_text("ANSWER = 2\n")
    assert code_version((package,), ()) != before


def test_the_folder_is_chosen_by_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("KIZUNA_CACHE_DIR", str(tmp_path))
    assert default_folder() == tmp_path
    monkeypatch.setenv("KIZUNA_CACHE_DIR", "off")
    assert default_folder() is None
    monkeypatch.delenv("KIZUNA_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert default_folder() == tmp_path / "kizuna"


def test_an_unwritable_folder_keeps_results_in_memory(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    results = Results(blocked)
    assert results.folder is None and results.get(KEY, lambda: 3) == 3


def test_derived_results_are_made_once_per_input_and_go_with_it():
    from ui import cached

    calls = []

    def total(frame, column):
        calls.append(column)
        return frame[column].sum()

    frame = pd.DataFrame({"alumni": [1, 2, 3]})
    assert cached.derived(total, frame, "alumni") == 6
    assert cached.derived(total, frame, "alumni") == 6
    assert calls == ["alumni"]
    other = pd.DataFrame({"alumni": [10]})  # equal columns, another object: made anew
    assert cached.derived(total, other, "alumni") == 10 and len(calls) == 2
    entries = len(cached._derived)
    del frame, other  # the inputs leave the caches: so do their entries
    import gc
    gc.collect()
    assert len(cached._derived) == entries - 2


def test_only_the_last_two_datasets_results_stay_in_memory(monkeypatch):
    from ui import cached

    monkeypatch.setattr(cached, "RESULTS", Results(None))
    monkeypatch.setattr(cached, "NETWORKS", Results(None))
    monkeypatch.setattr(cached, "_recent", [])
    for fingerprint in ("v1", "v2", "v3"):
        cached._keep_in_memory(fingerprint)
        cached.RESULTS.get(("kpis", fingerprint, "public", (), ()), lambda f=fingerprint: f)
    assert [cached.RESULTS.in_memory(("kpis", f, "public", (), ())) for f in ("v1", "v2", "v3")] \
        == [False, True, True]


def test_dropping_a_chain_of_derived_results_does_not_lock_itself():
    """A series made from a table, a chart from the series: when the table goes, the series'
    entry goes, which frees the series, whose own entry then goes (its finalizer runs while
    the first is still being handled). Reproduced a hang before the entries were dropped
    outside the lock."""
    from ui import cached

    def chain():
        table = pd.DataFrame({"alumni": range(5)})
        # The series is held by its entry only, as a page's series of a cached table is.
        cached.derived(pd.Series.to_dict, cached.derived(pd.DataFrame.sum, table))
        del table
        import gc
        gc.collect()

    worker = threading.Thread(target=chain, daemon=True)
    worker.start()
    worker.join(timeout=10)
    assert not worker.is_alive(), "dropping derived results locked the thread"


def test_results_evicted_after_a_freeze_are_collected_at_the_next(monkeypatch):
    import gc
    import weakref

    from ui import cached

    class Node:
        pass

    cycle = Node()
    cycle.me = cycle  # a reference cycle, as a networkx graph is
    alive = weakref.ref(cycle)
    gc.freeze()
    try:
        del cycle
        monkeypatch.setattr(cached, "_frozen_at", -1)  # the caches have grown since
        cached.freeze_what_is_kept()
        assert alive() is None
    finally:
        gc.unfreeze()
