"""The forum pack: what a presenter takes to a forum, in one zip that works offline.

It holds the selection's charts as PNG and SVG (plotly's static export with
kaleido, which drives the system Chromium), the outcomes charts among them
(``charts/outcomes-*``, one per indicator) when the data records outcomes,
the selection's offline network page, and a one-page legend with the
definitions. It follows the public
audience's rules unless staff choose otherwise, and says so in every file.

Every file speaks the current language (:mod:`analytics.i18n`); the charts
name fonts with Japanese glyphs (:data:`analytics.palette.FONT_FAMILY`), so
that their PNG and SVG images show no boxes. File names stay the same in
both languages.
"""

from __future__ import annotations

import html
import io
import tempfile
import zipfile
from pathlib import Path

from analytics import i18n, palette, privacy
from analytics.data.countries import country_name
from analytics.data.loader import Dataset
from analytics.data.places import TOPOJSON_DIR
from analytics.i18n import N_, _, listed
from analytics.impact.kpis import KPI_DEFINITIONS, KPI_HELP
from analytics.impact.outcomes import PROGRAM_ORIGINS
from analytics.network import drawing, metrics
from analytics.network.analysis import analyze
from analytics.outputs import charts, report
from analytics.privacy import Audience
from analytics.selection import Selection

TOPOJSON_URL = TOPOJSON_DIR.as_uri() + "/"
IMAGE_SIZE = {"width": 1600, "height": 900}
# The network's measures, by their keys in metrics.EXPLANATIONS (in English: shown with _()).
NETWORK_TERMS = {
    "degree": N_("Ties (degree)"), "betweenness": N_("Betweenness"),
    "eigenvector": N_("Eigenvector centrality"), "communities": N_("Communities"),
    "cross_border": N_("Cross-border share"), "ei_index": N_("E-I index"),
    "assortativity": N_("Assortativity"), "cross_sector": N_("Cross-sector share"),
    "brokers": N_("Brokers"), "bridges": N_("Bridges"), "isolated": N_("Isolated alumni"),
}
assert set(NETWORK_TERMS) == set(metrics.EXPLANATIONS)  # every measure the legend explains


def figure_name(figure) -> str:
    """A chart's file name, without its extension: the name each chart of
    :mod:`analytics.outputs.charts` carries (``layout.meta["name"]``, the same in every
    language; ``outcomes-`` and its indicator for an outcomes chart)."""
    meta = figure.layout.meta
    return str(meta["name"]) if isinstance(meta, dict) and meta.get("name") else "chart"


def file_names(figures: list) -> list[str]:
    """Each figure's file name (:func:`figure_name`), a number after a name already taken."""
    names: list[str] = []
    for figure in figures:
        name = figure_name(figure)
        names.append(next(n for n in (name, *(f"{name}-{i}" for i in range(2, len(names) + 3)))
                          if n not in names))
    return names


def render_images(figures: list, folder: Path) -> list[Path]:
    """Write each figure as PNG and SVG into ``folder`` in one kaleido session (about 0.2 s an image).

    The figures name their fonts (:mod:`analytics.outputs.charts`), Japanese ones
    among them, so Chromium draws Japanese and the SVG asks for those fonts.
    Raises whatever kaleido raises when no Chromium can be found.
    """
    import kaleido

    specs, paths = [], []
    for figure, name in zip(figures, file_names(figures), strict=True):
        for fmt in ("png", "svg"):
            path = folder / f"{name}.{fmt}"
            specs.append({"fig": figure, "path": path, "topojson": TOPOJSON_URL,
                          "opts": {"format": fmt, **IMAGE_SIZE}})
            paths.append(path)
    kaleido.write_fig_from_object_sync(specs)
    return paths


def _swatch(color: str, label: str) -> str:
    return f'<span class="s"><i style="background:{color}"></i>{html.escape(label)}</span>'


def _terms(pairs) -> str:
    return "".join(f"<dt>{html.escape(term)}</dt><dd>{html.escape(meaning)}</dd>"
                   for term, meaning in pairs)


def legend_html(tables, selection: Selection, audience: Audience, made_by: str | None = None,
                outcomes: bool = False) -> str:
    """A one-page legend in the current language: the colours in use (countries by name),
    every figure's definition, and whom it is for.

    ``outcomes``: the pack holds outcomes charts, explained here.
    """
    alumni = tables["alumni"]
    groups = {_("Programs"): ("program", {p: p for p in set(alumni["program"])}),
              _("Countries"): ("country", {c: country_name(c) for c in set(alumni["country"])}),
              _("Causes"): ("cause", {c: c for c in set(alumni["causes"].explode().dropna())})}
    rows = []
    for heading, (kind, names) in groups.items():
        swatches = "".join(_swatch(palette.color(kind, value), name)
                           for value, name in sorted(names.items(), key=lambda item: item[1]))
        rows.append(f"<h2>{html.escape(heading)}</h2><p>{swatches}</p>")
    across = _swatch(palette.CROSS_BORDER, _("Lines across a border"))
    rows.append(f"<p>{across}</p>")
    kpis = _terms((_(label), _(KPI_HELP[key])) for key, label, _unit, _iris in KPI_DEFINITIONS)
    network = _terms((_(NETWORK_TERMS[key]), metrics.explanation(key))
                     for key in metrics.EXPLANATIONS)
    origins = "".join(_swatch(charts.ORIGIN_COLORS[k], _(v)) for k, v in charts.ORIGIN_LABELS.items())
    network += ("<dt>" + html.escape(_("Partnerships begun each year, by origin")) + "</dt><dd>"
                + origins + " " + html.escape(_(
                    "Made by the program: the partnership's recorded origin is {origins}.",
                    origins=listed(map(_, PROGRAM_ORIGINS)))) + "</dd>")
    outcome_terms = ""
    if outcomes:
        gap = (_("A gap is a wave no one answered.") if audience.may.small_groups else
               _("A gap is a wave no one answered, or fewer than {count}: too few to show.",
                 count=privacy.MIN_GROUP))
        outcome_terms = (
            "<h2>" + html.escape(_("Outcomes")) + "</h2><p>" + html.escape(_(
                "Each outcomes chart ({files}) follows one indicator: the mean of those who "
                "answered at each wave (baseline, exit, a year or more later), one line per "
                "cohort, coloured by program; a program's cohorts differ by dash and marker. "
                "{gaps} The report gives, for every point, how many answered of how many could "
                "and the change from baseline.", files="charts/outcomes-…", gaps=gap))
            + "</p><dl>" + _terms(report.definitions(audience)[1][1]) + "</dl>")
    # Babel reads no call inside an f-string: the words are translated first.
    words = {key: html.escape(text) for key, text in {
        "title": _("Kizuna forum pack: legend and definitions"),
        "heading": _("Legend and definitions"),
        "selection": _("Selection: {selection}",
                       selection=report.describe_selection(selection, tables)),
        "headline": _("Headline figures"), "network": _("The network"),
        "made_for": privacy.made_for(audience, made_by)}.items()}
    return f"""<!doctype html><html lang="{i18n.language()}"><head><meta charset="utf-8">
<title>{words["title"]}</title>
<style>body{{font-family:{palette.FONT_FAMILY};max-width:900px;margin:24px auto;
font-size:13px;line-height:1.4}} h1{{font-size:20px}} h2{{font-size:15px;margin:14px 0 4px}}
.s{{display:inline-block;margin:2px 12px 2px 0}} .s i{{display:inline-block;width:11px;height:11px;
border-radius:50%;margin-right:4px;vertical-align:-1px}} dt{{font-weight:600}} dd{{margin:0 0 6px}}
@page{{size:A4;margin:12mm}}</style></head><body>
<h1>{words["heading"]}</h1>
<p>{words["selection"]}</p>
{''.join(rows)}
<h2>{words["headline"]}</h2><dl>{kpis}</dl>
{outcome_terms}
<h2>{words["network"]}</h2><dl>{network}</dl>
<footer><p>{words["made_for"]}</p></footer></body></html>"""


def readme(selection_text: str, data_date, note: str, outcomes: bool, made_for: str) -> str:
    """The pack's README.txt, in the current language."""
    lines = [_("Kizuna forum pack"), "",
             _("Selection: {selection}", selection=selection_text),
             _("Data as of: {date}", date=i18n.date(data_date) if data_date else _("unknown")),
             "", note, _("network.html is the collaboration network; it works with no internet.")]
    if outcomes:
        lines.append(_("charts/outcomes-* follow each outcome indicator, cohort by cohort, wave "
                       "by wave."))
    lines += [_("legend-and-definitions.html explains every colour and figure."), "", made_for]
    return "\n".join(lines) + "\n"


def build_forum_pack(dataset: Dataset, selection: Selection | None = None,
                     audience: Audience = Audience.PUBLIC, made_by: str | None = None) -> bytes:
    """Return the forum pack of a selection as zip bytes, in the current language.

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
            note = _("Charts are PNG (for slides) and SVG (for print).")
        except Exception as exc:  # no Chromium here: keep the charts, as interactive pages
            for figure, name in zip(figures, file_names(figures), strict=True):
                pack.writestr(f"charts/{name}.html", figure.to_html(include_plotlyjs=True))
            note = _("Charts are HTML pages: static images need Chromium ({reason}).",
                     reason=type(exc).__name__)
        pack.writestr("network.html", drawing.standalone_html(analyze(tables, selection), audience,
                                                              made_by=made_by))
        pack.writestr("legend-and-definitions.html",
                      legend_html(tables, selection, audience, made_by, outcomes=outcomes))
        pack.writestr("README.txt", readme(report.describe_selection(selection, tables),
                                           dataset.data_date, note, outcomes,
                                           privacy.made_for(audience, made_by)))
    return buffer.getvalue()
