"""The presenter's network in Chromium: click a node to see who, watch it grow, and the pictures."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import SCREENSHOTS, open_and_wait, screenshot, streamlit_server
from tests.conftest import SAMPLE_DIR

pytestmark = pytest.mark.browser


def node_on_screen(page, root: str, node: str) -> tuple[float, float]:
    """Where a node is drawn, in page coordinates: vis-network's position of it on its canvas."""
    x, y = page.locator(root).evaluate(
        "(el, id) => { const n = el.kizunaNetwork; const p = n.canvasToDOM(n.getPosition(id));"
        " return [p.x, p.y]; }", node)
    box = page.locator(f"{root} canvas").bounding_box()
    return box["x"] + x, box["y"] + y


def test_click_a_node_to_see_who_and_a_link_opens_on_it(page):
    import pandas as pd

    alumni = pd.read_csv(SAMPLE_DIR / "alumni.csv", dtype=str, keep_default_na=False)
    person = alumni.iloc[0]
    with streamlit_server(SAMPLE_DIR) as url:
        open_and_wait(page, f"{url}/network")
        graph = page.locator(".kz-root[data-drawn=true]")
        graph.wait_for(timeout=30_000)
        page.wait_for_timeout(500)
        page.mouse.click(*node_on_screen(page, ".kz-root", person["alum_id"]))
        card = page.locator(".st-key-node_card")
        expect(card).to_contain_text(person["name"], timeout=30_000)
        page.wait_for_url(f"**node={person['alum_id']}**")
        screenshot(page, "network-clicked")
        shown = card.inner_text()
        # The link the page now has opens on the same card.
        open_and_wait(page, page.url)
        page.locator(".kz-root[data-drawn=true]").wait_for(timeout=30_000)
        reopened = page.locator(".st-key-node_card")
        expect(reopened).to_contain_text(person["name"], timeout=30_000)
        assert reopened.inner_text().split() == shown.split()
    assert page.dialogs == []


def test_the_exported_file_grows_offline(page, tmp_path):
    from analytics import load_dataset
    from analytics.network import drawing
    from analytics.network.analysis import analyze
    from analytics.privacy import Audience

    path = tmp_path / "network.html"
    path.write_text(drawing.standalone_html(analyze(load_dataset(SAMPLE_DIR).tables), Audience.PUBLIC),
                    encoding="utf-8")
    requested = []
    page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file:")
               else (requested.append(route.request.url), route.abort()))
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-drawn=true]", state="attached", timeout=30_000)
    graph = page.locator("#graph")
    everyone = int(graph.get_attribute("data-shown-nodes"))
    page.click(".kz-play")
    expect(graph).to_have_attribute("data-playing", "true")
    page.wait_for_timeout(300)
    at_start = int(graph.get_attribute("data-shown-nodes"))
    page.wait_for_timeout(2_000)
    screenshot(page, "exported-growth-mid")
    expect(graph).to_have_attribute("data-playing", "false", timeout=60_000)  # it plays to the end
    at_end = int(graph.get_attribute("data-shown-nodes"))
    assert 0 < at_start < at_end == everyone
    expect(page.locator(".kz-year-text")).to_contain_text("200 nodes")
    # "Highlight cross-border ties" fades the ties at home and keeps those across borders.
    page.check(".kz-cross input")
    colours = page.locator("#graph").evaluate(
        "el => el.kizunaNetwork.body.data.edges.get().map(e => [e.cross, e.color])")
    assert {c for cross, c in colours if cross} == {"#6A3D9ACC"}
    assert {c for cross, c in colours if not cross} == {"rgba(160,160,160,0.16)"}
    page.uncheck(".kz-cross input")
    # A click shows who it is in the file's own panel.
    page.mouse.click(*node_on_screen(page, "#graph", "A0001"))
    expect(page.locator(".kz-panel")).not_to_be_empty()
    assert requested == [] and page.dialogs == []


@pytest.mark.parametrize("params, name", [
    ("", "network-by-country"), ("?layout=force", "network-force"),
    ("?level=countries", "network-countries")])
def test_the_pictures(page, params, name):
    with streamlit_server(SAMPLE_DIR) as url:
        open_and_wait(page, f"{url}/network{params}")
        page.locator(".kz-root[data-drawn=true]").wait_for(timeout=30_000)
        page.wait_for_timeout(800)
        screenshot(page, name)
        if name == "network-by-country":
            page.click(".kz-play")
            page.wait_for_timeout(3_000)
            screenshot(page, "network-growing")


def test_presentation_mode_makes_the_graph_the_screen(browser):
    context = browser.new_context(viewport={"width": 1920, "height": 1080})
    page = context.new_page()
    try:
        with streamlit_server(SAMPLE_DIR, {"KIZUNA_AUDIENCE": "public"}) as url:
            open_and_wait(page, f"{url}/network?present=1&level=countries")
            graph = page.locator(".kz-root[data-drawn=true]")
            graph.wait_for(timeout=30_000)
            page.wait_for_timeout(800)
            labels = page.locator('[data-testid="stMetricLabel"]').all_inner_texts()
            assert [label.strip() for label in labels] == ["Countries", "Alumni", "Ties across borders"]
            # The six countries fill the drawing: their extent is most of the canvas's width.
            extent = page.locator(".kz-root").evaluate(
                "el => { const n = el.kizunaNetwork; const xs = n.body.data.nodes.getIds()"
                ".map(id => n.canvasToDOM(n.getPosition(id)).x);"
                " return (Math.max(...xs) - Math.min(...xs)) / n.canvas.frame.clientWidth; }")
            assert extent > 0.5
            expect(page.get_by_text("Download")).to_have_count(0)  # only the graph and its cards
            page.screenshot(path=str(SCREENSHOTS / "present-network-countries-1920x1080.png"))
    finally:
        context.close()
