"""A real Streamlit server and Debian's Chromium, driven by Playwright."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, sync_playwright

from tests.conftest import ROOT
from ui.warm import wait_until_up

SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
FINISHED = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def chromium_path() -> str:
    for candidate in (os.environ.get("KIZUNA_CHROMIUM"), "/usr/bin/chromium",
                      shutil.which("chromium"), shutil.which("chromium-browser")):
        if candidate and Path(candidate).exists():
            return candidate
    pytest.fail("Chromium not found: run scripts/test.sh, which installs it on Debian/Ubuntu, "
                "or set KIZUNA_CHROMIUM=/path/to/chromium.")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(data_dir: Path, extra_env: dict[str, str] | None = None,
                     script: str = "dashboard.py"):
    """Start a fresh `streamlit run SCRIPT` on a free port and yield its base URL."""
    port = free_port()
    env = {**os.environ, "KIZUNA_DATA_DIR": str(data_dir), "KIZUNA_AUDIENCE": "staff",
           **(extra_env or {})}
    log = (ROOT / "test-artifacts")
    log.mkdir(exist_ok=True)
    with open(log / f"server-{port}.log", "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.headless=true",
             f"--server.port={port}", "--server.address=127.0.0.1",
             "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"],
            cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://127.0.0.1:{port}"
            try:
                wait_until_up(url, 120, proc)
            except (RuntimeError, TimeoutError) as exc:
                pytest.fail(f"Streamlit did not start ({exc}); see {out.name}")
            yield url
        finally:
            proc.terminate()
            proc.wait(timeout=20)


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser) -> Page:
    context = browser.new_context(viewport={"width": 1400, "height": 1200})
    pg = context.new_page()
    pg.dialogs = []  # any alert() that hostile text managed to run
    pg.on("dialog", lambda d: (pg.dialogs.append(d.message), d.dismiss()))
    yield pg
    context.close()


def wait_for_run(page: Page) -> None:
    """Wait until a script run has finished and stayed finished.

    The state attribute reads notRunning before the first run starts too, so
    a finished run is one where a title is drawn and the state holds a moment.
    """
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        page.wait_for_selector(FINISHED, timeout=60_000)
        page.wait_for_selector("h1", timeout=60_000)
        page.wait_for_timeout(400)
        if page.locator(FINISHED).count() == 1:
            return
    pytest.fail("the script run did not settle within 60 s")


def open_and_wait(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_run(page)


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=path, full_page=True)
    return path
