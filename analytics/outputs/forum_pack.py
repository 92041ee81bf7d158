"""The forum pack: what a presenter takes to a forum, in one zip that works offline.

It holds the selection's charts as PNG and SVG (plotly's static export with
kaleido, which drives the system Chromium), the outcomes charts among them
(``charts/outcomes-*``, one per indicator) when the data records outcomes,
the selection's offline network page, and a one-page legend with the
definitions. It follows the public
audience's rules unless staff choose otherwise, and says so in every file.
"""

from __future__ import annotations

import html
import io
import re
import tempfile
import zipfile
from pathlib import Path

from analytics import palette, privacy
from analytics.data.loader import Dataset
from analytics.data.places import TOPOJSON_DIR
from analytics.impact.kpis import KPI_DEFINITIONS, KPI_HELP
from analytics.impact.outcomes import PROGRAM_ORIGINS
from analytics.network import drawing, metrics
from analytics.network.analysis import analyze
from analytics.outputs import charts, report
from analytics.privacy import Audience
from analytics.selection import Selection

TOPOJSON_URL = TOPOJSON_DIR.as_uri() + "/"
IMAGE_SIZE = {"width": 1600, "height": 900}


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "chart"


def figure_name(figure) -> str:
    """A chart's file name, without its extension: its title, and "outcomes-" before an
    outcomes chart's (whose title is its indicator)."""
    meta = figure.layout.meta
    prefix = "outcomes " if isinstance(meta, dict) and meta.get("kind") == "outcomes" else ""
    return _slug(prefix + (figure.layout.title.text or "chart"))


def render_images(figures: list, folder: Path) -> list[Path]:
    """Write each figure as PNG and SVG into ``folder`` in one kaleido session (about 0.2 s an image).

    Raises whatever kaleido raises when no Chromium can be found.
    """
    import kaleido

    specs, paths = [], []
    for figure in figures:
        name = figure_name(figure)
        for fmt in ("png", "svg"):
            path = folder / f"{name}.{fmt}"
            specs.append({"fig": figure, "path": path, "topojson": TOPOJSON_URL,
                          "opts": {"format": fmt, **IMAGE_SIZE}})
            paths.append(path)
    kaleido.write_fig_from_object_sync(specs)
    return paths


def legend_html(tables, selection: Selection, audience: Audience, made_by: str | None = None,
                outcomes: bool = False) -> str:
    """A one-page legend: the colours in use, every figure's definition, and whom it is for.

    ``outcomes``: the pack holds outcomes charts, explained here.
    """
    alumni = tables["alumni"]
    groups = {"Programs": ("program", sorted(set(alumni["program"]))),
              "Countries": ("country", sorted(set(alumni["country"]))),
              "Causes": ("cause", sorted(set(alumni["causes"].explode().dropna())))}
    rows = []
    for heading, (kind, values) in groups.items():
        swatches = "".join(
            f'<span class="s"><i style="background:{palette.color(kind, v)}"></i>{html.escape(v)}</span>'
            for v in values)
        rows.append(f"<h2>{heading}</h2><p>{swatches}</p>")
    rows.append(f'<p><span class="s"><i style="background:{palette.CROSS_BORDER}"></i>'
                "Lines across a border</span></p>")
    kpis = "".join(f"<dt>{html.escape(label)}</dt><dd>{html.escape(KPI_HELP[key])}</dd>"
                   for key, label, _, _ in KPI_DEFINITIONS)
    network = "".join(f"<dt>{html.escape(k.replace('_', ' ').capitalize())}</dt>"
                      f"<dd>{html.escape(v)}</dd>" for k, v in metrics.EXPLANATIONS.items())
    origins = "".join(f'<span class="s"><i style="background:{charts.ORIGIN_COLORS[k]}"></i>'
                      f"{html.escape(v)}</span>" for k, v in charts.ORIGIN_LABELS.items())
    network += ("<dt>Partnerships begun each year, by origin</dt><dd>" + origins
                + " Made by the program: the partnership's recorded origin is "
                + html.escape(", ".join(PROGRAM_ORIGINS)) + ".</dd>")
    outcome_terms = "" if not outcomes else (
        "<h2>Outcomes</h2><p>Each outcomes chart (<code>charts/outcomes-…</code>) follows one "
        "indicator: the mean of those who answered at each wave (baseline, exit, a year or more "
        "later), one line per cohort, coloured by program; a program's cohorts differ by dash "
        "and marker. A gap is a wave no one answered"
        + ("" if audience.may.small_groups else f", or fewer than {privacy.MIN_GROUP}: too few to "
           "show") + ". The report gives, for every point, how many answered of how many could "
        "and the change from baseline.</p><dl>"
        + "".join(f"<dt>{html.escape(term)}</dt><dd>{html.escape(meaning)}</dd>"
                  for term, meaning in report.definitions(audience)[1][1]) + "</dl>")
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Kizuna forum pack: legend and definitions</title>
<style>body{{font-family:system-ui,"Noto Sans CJK JP",sans-serif;max-width:900px;margin:24px auto;
font-size:13px;line-height:1.4}} h1{{font-size:20px}} h2{{font-size:15px;margin:14px 0 4px}}
.s{{display:inline-block;margin:2px 12px 2px 0}} .s i{{display:inline-block;width:11px;height:11px;
border-radius:50%;margin-right:4px;vertical-align:-1px}} dt{{font-weight:600}} dd{{margin:0 0 6px}}
@page{{size:A4;margin:12mm}}</style></head><body>
<h1>Legend and definitions</h1>
<p>{html.escape(report.describe_selection(selection, tables))}.</p>
{''.join(rows)}
<h2>Headline figures</h2><dl>{kpis}</dl>
{outcome_terms}
<h2>The network</h2><dl>{network}</dl>
<footer><p>{html.escape(privacy.made_for(audience, made_by))}</p></footer></body></html>"""


def build_forum_pack(dataset: Dataset, selection: Selection | None = None,
                     audience: Audience = Audience.PUBLIC, made_by: str | None = None) -> bytes:
    """Return the forum pack of a selection as zip bytes.

    Parameters
    ----------
    dataset : Dataset
        The loaded data (redacted further here for ``audience``).
    selection : Selection, optional
        The filters; all the data by default. The charts and the network both follow it.
    audience : Audience
        Whose rules apply: public by default; staff may choose staff.
    made_by : str, optional
        The signed-in staff member who made it, named in every file's footer.
    """
    selection = selection or Selection()
    dataset = privacy.redact_dataset(dataset, audience)
    tables = dataset.tables
    figures = report.report_figures(tables, selection, audience)
    outcomes = any(isinstance(f.layout.meta, dict) and f.layout.meta.get("kind") == "outcomes"
                   for f in figures)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack, \
            tempfile.TemporaryDirectory() as tmp:
        try:
            for path in render_images(figures, Path(tmp)):
                pack.write(path, f"charts/{path.name}")
            note = "Charts are PNG (for slides) and SVG (for print)."
        except Exception as exc:  # no Chromium here: keep the charts, as interactive pages
            for figure in figures:
                name = figure_name(figure)
                pack.writestr(f"charts/{name}.html", figure.to_html(include_plotlyjs=True))
            note = f"Charts are HTML pages: static images need Chromium ({type(exc).__name__})."
        pack.writestr("network.html", drawing.standalone_html(analyze(tables, selection), audience,
                                                              made_by=made_by))
        pack.writestr("legend-and-definitions.html",
                      legend_html(tables, selection, audience, made_by, outcomes=outcomes))
        pack.writestr("README.txt", (
            "Kizuna forum pack\n\n"
            f"Selection: {report.describe_selection(selection, tables)}\n"
            f"Data as of: {dataset.data_date}\n\n"
            f"{note}\nnetwork.html is the collaboration network; it works with no internet.\n"
            + ("charts/outcomes-* follow each outcome indicator, cohort by cohort, "
               "wave by wave.\n" if outcomes else "")
            + "legend-and-definitions.html explains every colour and figure.\n\n"
            f"{privacy.made_for(audience, made_by)}\n"))
    return buffer.getvalue()
