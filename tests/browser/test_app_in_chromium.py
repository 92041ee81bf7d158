"""The app as a user opens it: a fresh server, headless Chromium, every page."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import open_and_wait, screenshot, streamlit_server, wait_for_run
from tests.conftest import BROKEN_DIR, SAMPLE_DIR, headers_only
from ui.shell import PAGES

pytestmark = pytest.mark.browser


def url_path(spec) -> str:
    return spec.path.removeprefix("pages/").removesuffix(".py")


def assert_rendered(page, spec) -> None:
    """The page as a user sees it once drawn: its title, our six sidebar links, no error.

    Streamlit draws a run in pieces, so each check waits (up to 15 s) for the
    browser to get there rather than reading the DOM once at a lucky moment;
    on a failure the screen and the sidebar's HTML are kept for the post-mortem.
    """
    try:
        expect(page.locator("h1").first).to_have_text(spec.title, timeout=15_000)
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar.locator('[data-testid="stPageLink"]')).to_have_count(len(PAGES),
                                                                           timeout=15_000)
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        # Streamlit's legacy pages/ list must not appear beside our own links.
        expect(page.locator('[data-testid="stSidebarNav"]')).to_have_count(0)
        expect(page.get_by_text("Page not found")).to_have_count(0)
    except AssertionError:
        shot = screenshot(page, f"failed-{url_path(spec)}")
        shot.with_suffix(".html").write_text(page.content(), encoding="utf-8")
        raise
    assert page.dialogs == []
    assert urlparse(page.url).path.rstrip("/").endswith("/" + url_path(spec))


@pytest.mark.parametrize("spec", PAGES, ids=url_path)
def test_fresh_server_first_request_deep_links_to_each_page(page, spec):
    with streamlit_server(SAMPLE_DIR) as url:
        open_and_wait(page, f"{url}/{url_path(spec)}")
        assert_rendered(page, spec)
        screenshot(page, f"sample-{url_path(spec)}")


def test_sidebar_links_reach_every_page(page):
    with streamlit_server(SAMPLE_DIR) as url:
        open_and_wait(page, url)  # the root forwards to the first page's own URL
        assert_rendered(page, PAGES[0])
        for spec in PAGES[1:] + PAGES[:1]:
            page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a',
                         has_text=spec.title).click()
            page.wait_for_function(
                "t => document.querySelector('h1') && document.querySelector('h1').innerText.trim() === t",
                arg=spec.title, timeout=30_000)
            wait_for_run(page)
            assert_rendered(page, spec)


@pytest.mark.parametrize("kind", ["empty", "broken"])
def test_every_page_on_empty_and_broken_data(page, kind, tmp_path):
    folder = headers_only(tmp_path / "empty") if kind == "empty" else BROKEN_DIR
    with streamlit_server(folder) as url:
        for spec in PAGES:
            open_and_wait(page, f"{url}/{url_path(spec)}")
            assert_rendered(page, spec)
            if kind == "broken" and spec.requires is None:
                expect(page.locator('[data-testid="stAlert"]').first).to_contain_text("25 rows")
            screenshot(page, f"{kind}-{url_path(spec)}")


def test_exported_graph_draws_offline_and_keeps_hostile_text_as_text(page, tmp_path):
    from analytics import load_dataset
    from analytics.network import drawing
    from analytics.network.analysis import analyze
    from analytics.privacy import Audience
    from tests.test_drawing import HOSTILE, hostile_folder

    path = tmp_path / "graph.html"
    path.write_text(drawing.standalone_html(analyze(load_dataset(hostile_folder(tmp_path)).tables),
                                            Audience.STAFF),
                    encoding="utf-8")
    requested = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else (requested.append(route.request.url), route.abort()))
    failed = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-drawn=true]", timeout=30_000)
    canvas = page.locator("#graph canvas")
    colours = page.evaluate("""() => {
        const c = document.querySelector('#graph canvas');
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        const seen = new Set();
        for (let i = 0; i < d.length; i += 4 * 97) seen.add(d.slice(i, i + 4).join(','));
        return seen.size;
    }""")
    assert canvas.count() == 1 and colours > 3, "the canvas has a drawing on it"
    assert requested == [] and failed == []
    # The hostile name is an option's text, and nothing it spells became an element.
    assert HOSTILE in page.locator("#kz-names option").evaluate_all("os => os.map(o => o.value)")
    page.fill(".kz-search", HOSTILE)
    page.wait_for_timeout(300)
    assert page.locator("img").count() == 0 and page.dialogs == []
    screenshot(page, "exported-graph")


def test_network_page_works_offline(page):
    outside = []
    page.route("**/*", lambda route: route.continue_()
               if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:", "about:"))
               else (outside.append(route.request.url), route.abort()))
    with streamlit_server(SAMPLE_DIR) as url:
        open_and_wait(page, f"{url}/network?scope=us-japan&color_by=community&show=Map")
        assert_rendered(page, next(p for p in PAGES if p.path == "pages/network.py"))
        page.locator(".kz-root[data-drawn=true]").wait_for(timeout=30_000)
        page.wait_for_selector(".js-plotly-plot .main-svg .geo path", timeout=30_000)
        page.wait_for_timeout(1000)
        screenshot(page, "network-us-japan")
    assert outside == [], "the page asked for something outside the app"


def test_report_draws_its_charts_offline(page, tmp_path):
    from analytics import load_dataset
    from analytics.outputs.report import build_report

    path = tmp_path / "report.html"
    html = build_report(load_dataset(SAMPLE_DIR))
    path.write_text(html, encoding="utf-8")
    requested = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else (requested.append(route.request.url), route.abort()))
    page.goto(path.as_uri())
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    page.wait_for_timeout(1500)
    assert page.locator(".js-plotly-plot").count() == html.count('class="figure"')
    assert page.locator(".js-plotly-plot .geo path").count() > 10, "maps draw their coastlines"
    assert requested == []
    screenshot(page, "report")
    page.pdf(path=str(tmp_path / "report.pdf"))  # prints without error


@pytest.mark.parametrize("spec", PAGES, ids=url_path)
def test_fresh_public_server_sends_nothing_private(page, spec, tmp_path):
    from tests.privacy_markers import forbidden, leaks, marker_folder

    folder = marker_folder(tmp_path / "markers")
    received: list[bytes | str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(payload)))
    with streamlit_server(folder, {"KIZUNA_AUDIENCE": "public"}) as url:
        open_and_wait(page, f"{url}/{url_path(spec)}?audience=staff")
        page.wait_for_timeout(500)
        wire = b"".join(r if isinstance(r, bytes) else r.encode() for r in received)
        assert len(wire) > 1000
        assert leaks(wire, forbidden(folder, "public")) == []
        assert leaks(page.content(), forbidden(folder, "public")) == []
        expect(page.locator('[data-testid="stSidebar"]')).to_contain_text("Viewing as public")
        if spec.requires:
            expect(page.locator('[data-testid="stMain"]')).to_contain_text("for program staff")
        screenshot(page, f"public-{url_path(spec)}")


@pytest.mark.parametrize("width, height", [(1920, 1080), (1366, 768)])
def test_presentation_mode(browser, width, height):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        with streamlit_server(SAMPLE_DIR, {"KIZUNA_AUDIENCE": "public"}) as url:
            for path in ("overview", "network"):
                open_and_wait(page, f"{url}/{path}?present=1&program=TOMODACHI+Microsoft+iLEAP")
                expect(page.locator('[data-testid="stException"]')).to_have_count(0)
                expect(page.locator('[data-testid="stSidebar"]')).to_have_attribute(
                    "data-collapsed", "true", timeout=15_000)  # the sidebar starts closed
                size = page.locator("h1").first.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")
                assert size >= 48, "large type"
                expect(page.locator('[data-testid="stMain"]')).to_contain_text("data as of",
                                                                              ignore_case=True)
                page.screenshot(path=str(screenshot.__globals__["SCREENSHOTS"]
                                         / f"present-{path}-{width}x{height}.png"))
    finally:
        context.close()


def test_share_link_and_filters_follow_the_user(page):
    with streamlit_server(SAMPLE_DIR) as url:
        open_and_wait(page, f"{url}/overview?program=TOMODACHI+Microsoft+iLEAP&years=2016,2018")
        page.get_by_role("button", name="Link to this view").click()
        link = page.locator('[data-testid="stCode"]').first.inner_text()
        page.keyboard.press("Escape")
        assert "/overview?" in link and "years=2016%2C2018" in link
        page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"] a',
                     has_text="Cohorts").click()
        page.wait_for_url("**/cohorts?**")
        wait_for_run(page)
        assert "program=TOMODACHI" in page.url and "years=2016" in page.url
        expect(page.locator('[data-testid="stMain"]')).to_contain_text(
            "TOMODACHI Microsoft iLEAP · 2016–2018")


def test_directory_map_and_a_profile(page):
    import pandas as pd

    alumni = pd.read_csv(SAMPLE_DIR / "alumni.csv", dtype=str, keep_default_na=False)
    person = alumni[(alumni["country"] == "JP") & alumni["causes"].str.contains("aging")].iloc[0]
    with streamlit_server(SAMPLE_DIR) as url:
        open_and_wait(page, f"{url}/alumni?country=JP&cause=aging")
        page.wait_for_selector(".js-plotly-plot .main-svg .geo path", timeout=30_000)
        page.wait_for_timeout(800)
        screenshot(page, "directory")
        # A profile has its own link: ?profile=ID opens it, as a click on its row does.
        open_and_wait(page, f"{url}/alumni?country=JP&cause=aging&profile={person['alum_id']}")
        expect(page.get_by_text("Suggested introductions")).to_be_visible(timeout=30_000)
        expect(page.locator('[data-testid="stHeading"]', has_text=person["name"])).to_have_count(1)
        ego = page.frame_locator("iframe").last
        ego.locator("body[data-drawn=true]").wait_for(timeout=30_000)
        # The person is the picture's largest node (sized by ties within it).
        # named in English romanized first, the local name beside it
        expect(ego.locator("h1")).to_have_text(f"Ties of {person['name']} ({person['name_local']})")
        largest = ego.locator("body").evaluate(
            "() => kizunaNetwork.body.data.nodes.get()"
            ".reduce((a, b) => b.value > a.value ? b : a).label")
        assert largest == person["name"]
        page.get_by_text("Suggested introductions").scroll_into_view_if_needed()
        expect(page.locator('[data-testid="stException"]')).to_have_count(0)
        screenshot(page, "profile")
