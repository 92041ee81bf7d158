"""Warming up: the server opens every page itself, and a restart serves from the results on disk.

Real ``streamlit run`` servers (no browser). Not timed: what is checked is what
was computed, through the results folder: a result computed is always written
(a new file, or an existing one replaced), so a folder whose files are all
unchanged after a restart and a visit to every page was read, not computed.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from tests.browser.conftest import streamlit_server
from tests.conftest import SAMPLE_DIR
from ui import warm

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


def results_files(folder: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in folder.rglob("*.pickle")}


def settled(folder: Path, quiet_for: float = 2.0, limit: float = 120.0) -> dict[str, int]:
    """The results folder once nothing has been written to it for ``quiet_for`` seconds (the
    server writes in the background, after a page has finished)."""
    deadline = time.monotonic() + limit
    seen, since = results_files(folder), time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = results_files(folder)
        if now != seen:
            seen, since = now, time.monotonic()
        elif time.monotonic() - since >= quiet_for:
            return seen
    raise AssertionError("the server kept writing results")


def test_a_restart_serves_every_first_visit_from_the_results_on_disk(tmp_path):
    data, cache = tmp_path / "data", tmp_path / "results"
    shutil.copytree(SAMPLE_DIR, data)
    env = {"KIZUNA_CACHE_DIR": str(cache), "KIZUNA_WARM": "off", "KIZUNA_AUDIENCE": "public"}
    pages = warm.public_pages()
    with streamlit_server(data, env) as url:
        first = warm.visit_every_page(url, pages)
    assert all(isinstance(t, float) for t in first.values()), first
    computed = settled(cache)
    assert len(computed) >= len(pages)  # the dataset, the network, every page's figures

    with streamlit_server(data, env) as url:
        again = warm.visit_every_page(url, pages)
        assert all(isinstance(t, float) for t in again.values()), again
        assert settled(cache) == computed  # nothing computed again: every result was read


def test_the_server_warms_itself_up_and_again_when_the_data_changes(tmp_path):
    data, cache = tmp_path / "data", tmp_path / "results"
    shutil.copytree(SAMPLE_DIR, data)
    env = {"KIZUNA_CACHE_DIR": str(cache), "KIZUNA_WARM": "on", "KIZUNA_AUDIENCE": "public"}
    with streamlit_server(data, env) as url:
        warm.visit(url, "alumni")  # one visitor; the server opens every other page itself
        warmed = settled(cache)
        network_files = len(warmed)
        assert network_files > 2  # more than the dataset and its public view
        # The data changes on disk: the server sees it and computes the new data's pages.
        alumni = data / "alumni.csv"
        alumni.write_text(alumni.read_text(encoding="utf-8").rstrip("\n").rsplit("\n", 1)[0]
                          + "\n", encoding="utf-8")
        rewarmed = settled(cache, quiet_for=warm.CHECK_EVERY_S + 2)
        new = set(rewarmed) - set(warmed)
        assert len(new) >= network_files - 1, "the changed data's pages were not warmed"
