"""The report a funder forwards, in Chromium: offline with every request refused, and printed.

It opens from a file with nothing but that file allowed, draws every chart, and prints to a
PDF of several pages with no toolbar, no heading left at the foot of a page, no figure wider
than the page's column, and no legend over an axis title. Screenshots of the screen and the
print media go to test-artifacts/screenshots/ (report.png, report-print.png), the PDF to
test-artifacts/report.pdf.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import screenshot
from tests.conftest import ROOT, SAMPLE_DIR

pytestmark = pytest.mark.browser

ARTIFACTS = ROOT / "test-artifacts"

# Boxes of each chart's parts that must not meet: the legend and the axis titles, the axis
# titles and the chart's title. Empty when none meet.
OVERLAPS = """() => {
  const box = (el) => el && el.getBoundingClientRect();
  const meet = (a, b) => a && b && a.width && b.width && a.left < b.right && b.left < a.right
    && a.top < b.bottom && b.top < a.bottom;
  const found = [];
  document.querySelectorAll('.js-plotly-plot').forEach((plot, i) => {
    const legend = box(plot.querySelector('.legend'));
    const title = box(plot.querySelector('.g-gtitle text'));
    const xtitles = [...plot.querySelectorAll('.g-xtitle text, .g-x2title text')].map(box);
    const ytitles = [...plot.querySelectorAll('[class^="g-y"][class$="title"] text')].map(box);
    [...xtitles, ...ytitles].forEach((t) => {
      if (meet(legend, t)) found.push(`figure ${i}: the legend meets an axis title`);
      if (meet(title, t)) found.push(`figure ${i}: the title meets an axis title`);
    });
  });
  return found;
}"""


def pages_of(pdf: bytes) -> int:
    """How many pages a PDF has: its page objects (Chromium writes them uncompressed)."""
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", pdf))


@pytest.fixture
def report_file(tmp_path):
    from analytics import load_dataset
    from analytics.outputs.report import build_report

    path = tmp_path / "kizuna-impact-report.html"
    path.write_text(build_report(load_dataset(SAMPLE_DIR)), encoding="utf-8")
    return path


def test_the_report_opens_offline_draws_and_prints(page, report_file):
    html = report_file.read_text(encoding="utf-8")
    allowed = report_file.as_uri()
    refused, failed, errors = [], [], []
    page.route("**/*", lambda route: route.continue_() if route.request.url == allowed
               else (refused.append(route.request.url), route.abort()))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))

    figures = html.count('class="figure"')
    page.goto(allowed)
    page.wait_for_selector(".js-plotly-plot .main-svg", timeout=30_000)
    page.wait_for_function(f"document.querySelectorAll('.js-plotly-plot').length === {figures}",
                           timeout=30_000)
    page.wait_for_timeout(1500)
    assert page.locator(".js-plotly-plot .main-svg").count() > 0
    assert page.locator(".js-plotly-plot .geo path").count() > 10, "maps draw their coastlines"
    assert page.locator("#network .js-plotly-plot .scattergeo").count() > 0, "the country map"
    assert page.locator("#outcomes .js-plotly-plot").count() >= 1, "the outcomes charts"
    assert page.locator("#dimensions h3").all_inner_texts() == [
        "What", "Who", "How much", "Contribution", "Risk"]
    assert refused == [] and failed == [] and errors == []
    assert page.locator(".modebar:visible").count() == 0
    assert page.evaluate(OVERLAPS) == []
    screenshot(page, "report")

    page.emulate_media(media="print")
    page.wait_for_timeout(500)
    hidden = page.evaluate("""() => [...document.querySelectorAll('.modebar, .modebar-container')]
        .every((el) => getComputedStyle(el).display === 'none' || !el.getClientRects().length)""")
    assert hidden, "no chart toolbar prints"
    styles = page.evaluate("""() => [...document.querySelectorAll('h2, h3')].map((h) => {
        const style = getComputedStyle(h);
        return [h.textContent.trim(), style.breakAfter];
    })""")
    assert styles and all(rule == "avoid" for _, rule in styles), \
        [name for name, rule in styles if rule != "avoid"]
    widths = page.evaluate("""() => {
        const column = document.querySelector('main').getBoundingClientRect().width;
        return [column, Math.max(...[...document.querySelectorAll('.js-plotly-plot .main-svg')]
            .map((svg) => svg.getBoundingClientRect().width))];
    }""")
    column, widest = widths
    assert column <= 182 / 25.4 * 96 + 1, "the column fits an A4 page less its margins"
    assert widest <= column + 1, "no chart is wider than the page's column"
    fonts = page.evaluate("() => getComputedStyle(document.body).fontFamily")
    assert "Noto Sans CJK JP" in fonts
    assert page.evaluate(OVERLAPS) == []
    screenshot(page, "report-print")

    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / "report.pdf"
    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True)
    assert pages_of(pdf.read_bytes()) > 1
    assert refused == [] and failed == [] and errors == []
