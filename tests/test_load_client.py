"""The load benchmark's client keeps working: a few real sessions over Streamlit's websocket.

Not timed: it checks that every session reaches the script's finish without an
error and receives bytes, on a blank page and on Kizuna's overview.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import math

import pytest

from benchmarks import load
from tests.conftest import ROOT, SAMPLE_DIR


def run(coroutine):
    """Run the client in a thread of its own: Playwright's sync API, used by the browser tests
    in the same session, keeps an event loop running in the main thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


SESSIONS = 3


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    folder = tmp_path_factory.mktemp("load")
    env = {"KIZUNA_DATA_DIR": str(SAMPLE_DIR), "KIZUNA_AUDIENCE": "public"}
    with load.serve(load.write_blank_page(folder), folder) as blank, \
            load.serve(ROOT / "dashboard.py", folder, env) as kizuna:
        yield blank, kizuna


@pytest.mark.parametrize("which, page", [("blank", ""), ("kizuna", "overview")])
def test_sessions_reach_script_finish(servers, which, page):
    server = servers[0] if which == "blank" else servers[1]
    results = run(load.run_sessions(server.url, page, SESSIONS, timeout=60))

    assert len(results) == SESSIONS
    for r in results:
        assert r.error is None, r.error
        assert r.seconds is not None and r.seconds > 0
        assert r.bytes > 0 and r.messages > 0
    summary = load.summarise(results)
    assert summary["finished"] == SESSIONS and summary["errors"] == 0
    assert {"p50", "p95", "max"} <= summary.keys()
    assert summary["p50"] <= summary["p95"] <= summary["max"]
    assert summary["mean_bytes"] > 0
    assert load.rss_mb(server.pid) > 0


def test_a_page_that_does_not_exist_is_an_error(servers):
    [result] = run(load.run_sessions(servers[1].url, "no-such-page", 1, timeout=60))
    assert result.error and "page not found" in result.error


@pytest.mark.parametrize("url", ["http://10.0.0.1:8501", "http://localhost:8501",
                                 "http://example.org:80", "ftp://127.0.0.1:21"])
def test_only_loopback(url):
    with pytest.raises(ValueError, match="127.0.0.1"):
        run(load.run_sessions(url, "", 1))


@pytest.mark.parametrize("n", [0, load.MAX_SESSIONS + 1])
def test_bounded_in_count(n):
    with pytest.raises(ValueError, match="sessions"):
        run(load.run_sessions("http://127.0.0.1:8501", "", n))


def test_summary_of_failures_only():
    summary = load.summarise([load.SessionResult(None, 0, "no script finish within 1 s")])
    assert summary["errors"] == 1 and summary["finished"] == 0
    assert math.isnan(summary["p95"])
