"""The funder's take-away: one self-contained HTML report of a selection.

Plotly and the world outline are inlined, so the report opens and draws
offline; it prints cleanly to PDF from a browser. Every name and title from
the data is escaped by the template.

>>> import tempfile
>>> from analytics import load_dataset
>>> from analytics.data import synth
>>> folder = synth.write(synth.generate(), tempfile.mkdtemp())[0].parent
>>> html = build_report(load_dataset(folder))
>>> "Alumni trained" in html and "<script src=" not in html
True
"""

from __future__ import annotations

import datetime as dt
import json
from functools import lru_cache
from pathlib import Path

import jinja2
import pandas as pd
import plotly.offline
from markupsafe import Markup

from analytics.data.loader import Dataset
from analytics.data.places import TOPOJSON_DIR
from analytics.impact import series
from analytics.impact.kpis import (
    KPI_HELP,
    data_years,
    format_value,
    kpis,
    select_tables,
    targets_vs_actuals,
)
from analytics.impact.projects import highlighted_projects, project_table
from analytics.network.analysis import country_ties
from analytics.outputs import charts
from analytics.privacy import made_for
from analytics.selection import Selection

TEMPLATE_DIR = Path(__file__).parent / "templates"


@lru_cache(maxsize=1)
def _assets() -> tuple[str, str]:
    return plotly.offline.get_plotlyjs(), (TOPOJSON_DIR / "world_110m.json").read_text(encoding="utf-8")


def report_figures(tables: dict[str, pd.DataFrame], selection: Selection) -> list:
    """The charts of the report, for a selection: those with data to show."""
    chosen = select_tables(tables, selection)
    alumni, projects = chosen.alumni, chosen.projects
    figures = []
    if len(alumni):
        figures += [charts.alumni_per_cohort_chart(series.alumni_per_cohort(alumni)),
                    charts.cumulative_alumni_chart(series.cumulative_alumni(alumni)),
                    charts.alumni_by_chart(series.alumni_by(alumni, "country"), "country")]
    if len(projects):
        figures += [charts.projects_per_year_chart(series.projects_per_year(projects)),
                    charts.reach_chart(series.reach_per_year(projects)),
                    charts.projects_map(projects)]
    countries = country_ties(tables, selection)
    if len(countries):
        figures.append(charts.country_map(countries))
    targets = targets_vs_actuals(tables, selection) if len(alumni) else []
    if len(targets):
        figures.append(charts.targets_chart(targets))
    return figures


def describe_selection(selection: Selection, tables: dict[str, pd.DataFrame]) -> str:
    """The selection in words, for the report's heading."""
    names = dict(zip(tables["organizations"]["org_id"], tables["organizations"]["name"], strict=True))
    parts = [", ".join(selection.programs) or "All programs"]
    if selection.funder:
        parts.append(f"funded by {names.get(selection.funder, selection.funder)}")
    span = selection.years or data_years(tables)
    if span:
        parts.append(f"{span[0]}–{span[1]}")
    if selection.countries:
        parts.append(", ".join(selection.countries))
    if selection.causes:
        parts.append(", ".join(selection.causes))
    return " · ".join(parts)


def build_report(dataset: Dataset, selection: Selection | None = None,
                 title: str = "Kizuna impact report", made_by: str | None = None) -> str:
    """Return the report of a selection as one HTML page.

    Parameters
    ----------
    dataset : Dataset
        The loaded data, redacted for the audience the report is for
        (:func:`analytics.privacy.redact_dataset`): its footer names that
        audience, and its date is printed on the report.
    selection : Selection, optional
        The filters; all the data by default.
    made_by : str, optional
        The signed-in staff member who made it, named in the footer.
    """
    selection = selection or Selection()
    tables = dataset.tables
    figures = [f.to_html(full_html=False, include_plotlyjs=False,
                         config={"displaylogo": False, "responsive": True})
               for f in report_figures(tables, selection)]
    chosen = select_tables(tables, selection)
    stories = highlighted_projects(project_table(chosen.projects, chosen.everyone,
                                                 chosen.organizations))
    plotly_js, world = _assets()
    environment = jinja2.Environment(loader=jinja2.FileSystemLoader(TEMPLATE_DIR), autoescape=True)
    return environment.get_template("report.html").render(
        title=title, selection=describe_selection(selection, tables),
        data_date=dataset.data_date or "unknown", made=dt.date.today().isoformat(),
        set_aside=dataset.rows_set_aside,
        made_for=made_for(dataset.audience, made_by),
        kpis=[{"label": k.label, "iris": k.iris, "value": format_value(k.value, k.unit),
               "change": format_value(k.change, k.unit, change=True),
               "help": KPI_HELP[k.key]} for k in kpis(tables, selection)],
        figures=[Markup(f) for f in figures],
        stories={name: frame.to_dict("records") for name, frame in stories.items()},
        plotly_js=Markup(plotly_js.replace("</script", "<\\/script")),
        geo_assets=Markup(json.dumps({"topojson": {"world_110m": json.loads(world)}})
                          .replace("<", "\\u003c")))
