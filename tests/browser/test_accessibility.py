"""Accessibility: axe-core's WCAG 2.0 and 2.1 A and AA rules on every page, light and dark.

Each page, a chart section and a table section of the pages that show one section at a time,
presentation mode and an alum's profile are opened in headless Chromium and checked by
axe-core once drawn, the network pictures' iframes included. Any violation fails, with what
axe found and where.

The dark theme is checked both ways a user gets it: a server started with
``theme.base = "dark"``, and a default server seen by a browser whose system asks for dark
(Streamlit then picks its dark theme, and the network picture its own dark colours).

axe-core comes from npm: scripts/test.sh installs the pinned version into node_modules/
(scripts/ensure-axe.sh); KIZUNA_AXE may name another axe.min.js.
"""

from __future__ import annotations

import contextlib
import csv
import os
import re
import time
from pathlib import Path

import pytest

from tests.browser.conftest import open_and_wait, screenshot, streamlit_server
from tests.conftest import ROOT, SAMPLE_DIR
from ui.shell import PAGES

pytestmark = pytest.mark.browser

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_VERSION = "4.14.1"  # the version scripts/ensure-axe.sh installs

# Every page's own URL, then sections of the pages with a "Show" choice (their default
# section comes with the page: the cohorts' charts, the network's brokers table).
PAGE_VIEWS = [p.path.removeprefix("pages/").removesuffix(".py") for p in PAGES]
VIEWS = PAGE_VIEWS + [
    "cohorts?show=Targets",                # a chart and a table
    "network?show=Map",                    # the plotly map
    "network?show=Isolated+alumni",        # a slider in the main area, a table
    "overview?present=1",                  # presentation mode's large type
]

# Server settings by name; the light theme and the system's dark both use the default server.
SERVERS = {"default": {}, "dark": {"STREAMLIT_THEME_BASE": "dark"}}
LIGHT_AND_DARK = [pytest.param("default", "light", id="light"),
                  pytest.param("dark", "dark", id="dark")]
# The system's dark is Streamlit's same dark theme; what differs is the network picture,
# which follows the system: its page, and the overview for the app around it.
SYSTEM_DARK_VIEWS = ["overview", "network"]


@pytest.fixture(scope="module")
def axe() -> str:
    """axe-core's source, to inject into each page."""
    for candidate in (os.environ.get("KIZUNA_AXE"),
                      ROOT / "node_modules" / "axe-core" / "axe.min.js"):
        if candidate and Path(candidate).is_file():
            return Path(candidate).read_text(encoding="utf-8")
    pytest.fail("axe-core not found: run scripts/test.sh, which installs it with npm, or run "
                f"`npm install --no-save axe-core@{AXE_VERSION}` in the clone, or set "
                "KIZUNA_AXE=/path/to/axe.min.js.")


@pytest.fixture(scope="module")
def server():
    """The URL of a server with the named settings, started on first use and kept for the
    module's other tests (pytest would restart a parametrized module fixture every test)."""
    with contextlib.ExitStack() as stack:
        started: dict[str, str] = {}

        def url(settings: str) -> str:
            if settings not in started:
                started[settings] = stack.enter_context(
                    streamlit_server(SAMPLE_DIR, SERVERS[settings]))
            return started[settings]

        yield url


# What a page has drawn: plotly charts (and those with their SVG), network pictures (and those
# drawn, which their page marks on its body) and elements.
DRAWN = """() => {
  const charts = [...document.querySelectorAll('[data-testid="stPlotlyChart"]')];
  const frames = [...document.querySelectorAll('[data-testid="stIFrame"]')];
  return [charts.length,
          charts.filter(c => c.querySelector(".main-svg")).length,
          frames.length,
          frames.filter(f => f.contentDocument?.body?.dataset.drawn === "true").length,
          document.querySelectorAll('[data-testid="stElementContainer"]').length];
}"""


def settle(page) -> None:
    """Wait for what draws after a run has finished, and for the page to hold still.

    Charts and iframes are drawn by code Streamlit loads when first needed, so they can appear
    after the run; plotly draws again about a second later. So: every chart has its SVG, every
    network picture is drawn, and nothing has changed for a second.
    """
    deadline = time.monotonic() + 30
    last, since = None, time.monotonic()
    while time.monotonic() < deadline:
        charts, drawn_charts, frames, drawn_frames, elements = now = page.evaluate(DRAWN)
        if now != last:
            last, since = now, time.monotonic()
        elif charts == drawn_charts and frames == drawn_frames and time.monotonic() - since >= 1:
            return
        page.wait_for_timeout(200)
    pytest.fail("the page was still drawing after 30 s (charts, charts drawn, iframes, iframes "
                f"drawn, elements: {last})")


def run_axe(page, axe: str) -> dict:
    """axe-core's results for the page, every frame in it included."""
    for frame in page.frames:  # axe looks into a frame only when it runs there too
        frame.evaluate(axe)
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS)


def describe(violations: list[dict]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} [{len(v['nodes'])} element(s)]")
        for node in v["nodes"][:10]:
            summary = " ".join(node["failureSummary"].split())
            lines.append(f"    {' >> '.join(node['target'])}\n      {summary}")
    return "\n".join(lines)


def check(page, axe: str, theme: str, name: str) -> None:
    """Check the page as drawn now: the theme it is in, then every axe rule."""
    settle(page)
    scheme = page.locator('[data-testid="stApp"]').evaluate("e => getComputedStyle(e).colorScheme")
    expected = "light" if theme == "light" else "dark"
    assert scheme == expected, f"the app should be in its {expected} theme, not {scheme}"
    results = run_axe(page, axe)
    shot = screenshot(page, f"a11y-{theme}-{re.sub(r'[^A-Za-z0-9]+', '-', name).strip('-')}")
    if page.locator('[data-testid="stIFrame"]').count():
        inside = [n for r in results["passes"] + results["violations"] for n in r["nodes"]
                  if len(n["target"]) > 1]
        assert inside, "axe did not look inside the network picture's iframe"
    if results["violations"]:
        pytest.fail(f"axe-core found accessibility violations on {name} in the {theme} theme "
                    f"(screenshot: {shot}):\n{describe(results['violations'])}", pytrace=False)


@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("settings, theme", LIGHT_AND_DARK)
def test_no_axe_violation(page, axe, server, settings, theme, view):
    open_and_wait(page, f"{server(settings)}/{view}")
    check(page, axe, theme, f"/{view}")


@pytest.mark.parametrize("settings, theme", LIGHT_AND_DARK)
def test_no_axe_violation_on_a_profile(page, axe, server, settings, theme):
    with open(SAMPLE_DIR / "alumni.csv", encoding="utf-8", newline="") as f:
        person = next(csv.DictReader(f))
    open_and_wait(page, f"{server(settings)}/alumni?profile={person['alum_id']}")
    # The profile is drawn: its heading, and its network picture (which settle waits for).
    page.locator('[data-testid="stHeading"]', has_text=person["name"]).wait_for(timeout=30_000)
    page.locator('[data-testid="stMain"] [data-testid="stIFrame"]').first.wait_for(timeout=30_000)
    check(page, axe, theme, f"/alumni?profile={person['alum_id']}")


@pytest.mark.parametrize("view", SYSTEM_DARK_VIEWS)
def test_no_axe_violation_when_the_system_prefers_dark(page, axe, server, view):
    page.emulate_media(color_scheme="dark")
    open_and_wait(page, f"{server('default')}/{view}")
    check(page, axe, "system-dark", f"/{view}")
