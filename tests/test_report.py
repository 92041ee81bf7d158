"""The funder's report: complete, offline, escaped."""

from __future__ import annotations

import html as html_lib
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser

import pandas as pd
import pytest
from markupsafe import escape

from analytics import i18n
from analytics.data.loader import load_dataset
from analytics.impact import kpis as impact
from analytics.impact import outcomes as impact_outcomes
from analytics.network import metrics
from analytics.network.analysis import analyze
from analytics.outputs.report import build_report
from analytics.privacy import Audience, redact_dataset
from analytics.selection import Selection
from tests.conftest import MINI, ROOT, SAMPLE_DIR, write_folder


def test_report_has_kpis_charts_stories_date_and_definitions():
    dataset = load_dataset(SAMPLE_DIR)
    html = build_report(dataset)
    for kpi in impact.KPI_DEFINITIONS:
        assert kpi[1] in html
    assert html.count('class="figure"') >= 6
    assert f"data as of {i18n.date(dataset.data_date)}" in html  # "November 21, 2026"
    assert "Largest reach" in html and "Across borders" in html and "How each figure is counted" in html
    assert "window.PlotlyGeoAssets" in html and "@media print" in html
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", html), "nothing loads from outside"


def test_hostile_project_text_is_escaped(tmp_path):
    projects = MINI["projects"].replace("Community Solar", "<script>alert(1)</script>")
    dataset = load_dataset(write_folder(tmp_path / "h", {**MINI, "projects": projects}))
    html = build_report(dataset)
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_empty_selection_says_so():
    html = build_report(load_dataset(SAMPLE_DIR), Selection(countries=("NZ",)))
    assert "No data in this selection to chart." in html


def test_report_command(tmp_path):
    out = tmp_path / "report.html"
    result = subprocess.run([sys.executable, "-m", "analytics", "report", str(SAMPLE_DIR), "--out",
                             str(out), "--program", "TOMODACHI Microsoft iLEAP", "--years", "2016",
                             "2018"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "TOMODACHI Microsoft iLEAP · 2016–2018" in out.read_text(encoding="utf-8")


def test_a_file_made_by_a_signed_in_member_of_staff_names_them():
    import io
    import zipfile

    from analytics.network import drawing
    from analytics.network.analysis import analyze
    from analytics.outputs.forum_pack import build_forum_pack
    from analytics.privacy import Audience, redact_dataset

    dataset = redact_dataset(load_dataset(SAMPLE_DIR), Audience.FUNDER)
    footer = "Made for the funder audience by Haruka Sato. Funder view:"
    assert footer in build_report(dataset, made_by="Haruka Sato")
    assert "audience by" not in build_report(dataset)
    graph = drawing.standalone_html(analyze(dataset.tables), Audience.FUNDER, made_by="Haruka Sato")
    assert footer in graph
    with zipfile.ZipFile(io.BytesIO(build_forum_pack(dataset, audience=Audience.FUNDER,
                                                     made_by="Haruka Sato"))) as pack:
        assert footer in pack.read("README.txt").decode()
        assert footer in pack.read("legend-and-definitions.html").decode()


# --- The report a funder forwards: dimensions, outcomes, the network, a clean print ---------

DIMENSIONS = ("What", "Who", "How much", "Contribution", "Risk")


def outside_scripts(page: str) -> str:
    """The report without its inlined scripts (plotly's own source says many things)."""
    return re.sub(r"<script\b.*?</script>", "", page, flags=re.S)


@pytest.fixture(scope="module")
def sample_report() -> str:
    return build_report(load_dataset(SAMPLE_DIR))


@pytest.fixture(scope="module")
def sample_without_outcomes(tmp_path_factory):
    """The sample as data kept before outcomes, introductions and tie origins were recorded."""
    folder = tmp_path_factory.mktemp("sample-before-outcomes")
    for path in SAMPLE_DIR.glob("*.csv"):
        if path.name not in ("outcomes.csv", "introductions.csv"):
            shutil.copy(path, folder / path.name)
    ties = pd.read_csv(folder / "partnerships.csv", dtype=str, keep_default_na=False)
    ties.drop(columns="origin", errors="ignore").to_csv(folder / "partnerships.csv", index=False)
    return folder


def test_the_five_dimensions_each_with_its_question(sample_report):
    for name in DIMENSIONS:
        assert f"<h3>{escape(name)}</h3>" in sample_report
        assert str(escape(impact_outcomes.QUESTIONS[name])) in sample_report
    assert sample_report.index("<h3>What</h3>") < sample_report.index("<h3>Risk</h3>")
    # The sample records outcomes, introductions and origins: every dimension has rows.
    for sentence in impact_outcomes.EMPTY.values():
        assert str(escape(sentence)) not in sample_report


@pytest.mark.parametrize("data", ["sample without outcomes", "mini"])
def test_without_outcomes_origins_or_introductions_the_report_says_so(data, sample_without_outcomes,
                                                                      tmp_path):
    folder = sample_without_outcomes if data != "mini" else write_folder(tmp_path / "mini", MINI)
    page = build_report(load_dataset(folder))
    for name in DIMENSIONS:
        assert f"<h3>{escape(name)}</h3>" in page
    for name in ("What", "Contribution"):  # no outcomes; no origin and no introductions
        assert str(escape(impact_outcomes.EMPTY[name])) in page
    assert "No outcomes are recorded for this selection." in page
    assert "No partnership in this selection records where it came from." in page
    assert 'class="outcomes"' not in page and "Made by the program (cohort" not in page
    assert 'id="network"' in page and "Ties between countries" in page


# A cohort of four (A1-A4) and one of two (B1, B2), asked their confidence (no IRIS+ code) and the
# people their work reaches (IRIS+ PI4060). A blank value: asked, did not answer.
TINY = {
    "organizations": "org_id,name,country,region,org_type,causes,website\n"
                     "O1,Tide Network,JP,Miyagi,nonprofit,aging,\n"
                     "O2,Cascadia Fund,US,Washington,foundation,education,\n",
    "alumni": "alum_id,name,program,cohort,cohort_year,country,organization_id,consent_directory,"
              "consent_public\n"
              "A1,Aiko Ono,SIFJ,2015,2015,JP,O1,yes,yes\n"
              "A2,Ben Ito,SIFJ,2015,2015,JP,,yes,no\n"
              "A3,Chie Mori,SIFJ,2015,2015,US,,no,no\n"
              "A4,Dai Sato,SIFJ,2015,2015,JP,,yes,yes\n"
              "B1,Emi Abe,iLEAP,2016,2016,US,O2,yes,yes\n"
              "B2,Fumi Kato,iLEAP,2016,2016,JP,,yes,yes\n",
    "partnerships": "partnership_id,source_id,target_id,kind,start_year,end_year,weight\n"
                    "P1,A1,O2,mentorship,2016,,\n"
                    "P2,A1,B1,peer,2016,,\n",
    "projects": "project_id,title,lead_alum_id,cause,country,start_year,status,beneficiaries,"
                "funds_raised_usd,partner_ids\n"
                "X1,Tide Pools,A1,aging,JP,2016,active,40,1000,O2\n",
    "outcomes": "subject_id,wave,year,date,indicator,value,unit,iris_code\n"
                "A1,baseline,2015,,Confidence,2,score 1-5,\n"
                "A2,baseline,2015,,Confidence,3,score 1-5,\n"
                "A3,baseline,2015,,Confidence,5,score 1-5,\n"
                "A4,baseline,2015,,Confidence,,score 1-5,\n"
                "A1,exit,2015,,Confidence,4,score 1-5,\n"
                "A2,exit,2015,,Confidence,4.5,score 1-5,\n"
                "A4,exit,2015,,Confidence,3,score 1-5,\n"
                "A1,one year,2016,,Confidence,5,score 1-5,\n"
                "B1,baseline,2016,,Confidence,1,score 1-5,\n"
                "B2,baseline,2016,,Confidence,2,score 1-5,\n"
                "B1,exit,2016,,Confidence,,score 1-5,\n"
                "A1,baseline,2015,,People reached,10,people,PI4060\n"
                "A1,exit,2015,,People reached,30,people,PI4060\n"
                "A2,exit,2015,,People reached,20,people,PI4060\n",
}


class OutcomeRows(HTMLParser):
    """The outcomes tables of a report: {(indicator, program, cohort, wave): {column: text}}."""

    def __init__(self):
        super().__init__()
        self.rows, self.indicator, self.key, self.cell = {}, None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "outcomes" in (attrs.get("class") or ""):
            self.indicator = attrs["data-indicator"]
        elif tag == "tr" and attrs.get("class") == "wave":
            self.key = (self.indicator, attrs["data-program"], attrs["data-cohort"], attrs["data-wave"])
            self.rows[self.key] = {}
        elif tag == "td" and self.key:
            self.cell = (attrs.get("class") or "").replace("num", "").strip() or None
            if self.cell:
                self.rows[self.key][self.cell] = ""

    def handle_endtag(self, tag):
        if tag == "td":
            self.cell = None
        elif tag == "tr":
            self.key = None

    def handle_data(self, data):
        if self.key and self.cell:
            self.rows[self.key][self.cell] += data


def outcome_rows(page: str) -> dict:
    parser = OutcomeRows()
    parser.feed(page)
    return {k: {c: html_lib.unescape(" ".join(v.split())) for c, v in row.items()}
            for k, row in parser.rows.items()}


def expected_outcomes() -> pd.DataFrame:
    """The same figures with plain pandas, from the CSV text: one row per cohort, indicator, wave."""
    import io

    alumni = pd.read_csv(io.StringIO(TINY["alumni"]), dtype=str)
    answers = pd.read_csv(io.StringIO(TINY["outcomes"]), dtype={"subject_id": str})
    answers = answers.merge(alumni[["alum_id", "program", "cohort"]], left_on="subject_id",
                            right_on="alum_id")
    eligible = alumni.groupby(["program", "cohort"]).size()
    rows = []
    for (indicator, program, cohort, wave), group in answers.groupby(
            ["indicator", "program", "cohort", "wave"]):
        given = group.dropna(subset=["value"])
        base = answers[(answers["indicator"] == indicator) & (answers["wave"] == "baseline")
                       & answers["value"].notna()].set_index("subject_id")["value"]
        both = given[given["subject_id"].isin(base.index)]
        diffs = both["value"].to_numpy() - base.loc[both["subject_id"]].to_numpy()
        rows.append({"indicator": indicator, "program": program, "cohort": cohort, "wave": wave,
                     "answered": len(given), "eligible": int(eligible[(program, cohort)]),
                     "mean": given["value"].mean() if len(given) else None,
                     "change": diffs.mean() if wave != "baseline" and len(diffs) else None,
                     "paired": len(diffs)})
    return pd.DataFrame(rows)


def number(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


def test_the_outcomes_table_is_the_arithmetic_done_by_hand(tmp_path):
    page = build_report(load_dataset(write_folder(tmp_path / "tiny", TINY)))
    shown = outcome_rows(page)
    expected = expected_outcomes()
    assert len(shown) == len(expected) == 7
    for row in expected.itertuples():
        cells = shown[(row.indicator, row.program, row.cohort, row.wave)]
        assert cells["answered"] == f"{row.answered} of {row.eligible} ({row.answered / row.eligible:.0%})"
        assert cells["mean"] == (number(row.mean) if row.answered else "–")
        if row.wave == "baseline":
            assert cells["change"] == "baseline"
        elif row.paired:
            sign = "+" if row.change > 0 else ""
            assert cells["change"] == f"{sign}{number(row.change)} (n = {row.paired})"
        else:
            assert cells["change"] == "– (no one answered both)"
        assert cells["caution"] == ("few answered" if row.answered < 5 else "")
    # Worked by hand: SIFJ 2015's confidence at exit is (4 + 4.5 + 3) / 3 = 3.83 of four alumni,
    # its change (4-2 + 4.5-3) / 2 = +1.75 on the two who answered both; iLEAP's exit: no one.
    assert shown[("Confidence", "SIFJ", "2015", "exit")]["mean"] == "3.83"
    assert shown[("Confidence", "SIFJ", "2015", "exit")]["answered"] == "3 of 4 (75%)"
    assert shown[("Confidence", "SIFJ", "2015", "exit")]["change"] == "+1.75 (n = 2)"
    assert shown[("Confidence", "iLEAP", "2016", "exit")]["answered"] == "0 of 2 (0%)"
    # The indicator's heading carries its unit and IRIS+ code; each has its chart.
    assert "People reached (people) · IRIS+ PI4060" in page
    assert "Confidence (score 1-5)" in page
    assert page.count('"meta":{"kind":"outcomes"') == 2


def test_the_public_never_sees_a_mean_of_a_few_answers(tmp_path):
    dataset = redact_dataset(load_dataset(write_folder(tmp_path / "tiny", TINY)), Audience.PUBLIC)
    shown = outcome_rows(build_report(dataset))
    exit_row = shown[("Confidence", "SIFJ", "2015", "exit")]
    assert exit_row["mean"] == "not shown (fewer than 5 answered)"
    assert exit_row["change"] == "not shown (n = 2)"
    assert exit_row["answered"] == "3 of 4 (75%)", "how many answered is still said"
    assert all("3.83" not in cells.values() for cells in shown.values())


def test_definitions_stand_on_their_own(sample_report):
    text = outside_scripts(sample_report)
    assert "docs/metrics.md" not in sample_report and "docs/" not in text
    assert 'id="definitions"' in text and "How each figure is counted" in text
    for key, label, _, _ in impact.KPI_DEFINITIONS:
        assert str(escape(impact.KPI_HELP[key])) in text, label
    for term in ("Change from baseline", "Answered of eligible", "E-I index", "Brokers",
                 "Ties the program made", "The five dimensions of impact"):
        assert f"<dt>{term}</dt>" in text
    assert str(escape(metrics.EXPLANATIONS["ei_index"])) in text


def test_every_figure_has_its_toolbar_off(sample_report):
    calls = sample_report.split("Plotly.newPlot(")[1:]
    assert len(calls) == sample_report.count('class="figure"') >= 10
    for call in calls:
        config = call[:call.index("</script>")]
        assert '"displayModeBar": false' in config and '"displaylogo": false' in config


def test_the_network_section_has_the_map_and_the_figures(sample_report):
    dataset = load_dataset(SAMPLE_DIR)
    section = sample_report[sample_report.index('<section id="network">'):
                            sample_report.index('<section id="activity">')]
    assert "<h3>Ties between countries</h3>" in section and "scattergeo" in section
    crossing = metrics.overall_cross_border(analyze(dataset.tables).edges)
    analysis = analyze(dataset.tables)
    for label, value in (("Cross-border", f"{crossing['share']:.0%}"),
                         ("E-I index", f"{crossing['ei_index']:+.2f}"),
                         ("Communities", f"{analysis.membership.nunique():,}")):
        assert re.search(rf'<div class="label">{label}</div><div class="value">{re.escape(value)}</div>',
                         section), label
    assert "Brokers across borders" in section
    brokers = metrics.brokers(analysis.graph, analysis.scores, top=60)
    top_alum = brokers[analysis.nodes.loc[brokers.index, "kind"] == "alum"].index[0]
    assert str(escape(analysis.nodes.at[top_alum, "label"])) in section
    # The ties the program made: the sample records origins.
    assert "<h3>Ties the program made</h3>" in section
    assert "Made by the program (cohort, forum, introductions)" in section  # the chart's legend
    assert "the program made" in section


def test_brokers_are_named_as_the_audience_may_see_them():
    dataset = redact_dataset(load_dataset(SAMPLE_DIR), Audience.PUBLIC)
    page = build_report(dataset)
    section = page[page.index('<section id="network">'):page.index('<section id="activity">')]
    alumni = load_dataset(SAMPLE_DIR).tables["alumni"]
    hidden = alumni.loc[~alumni["consent_public"].astype(bool)]
    assert not any(str(escape(name)) in section for name in hidden["name"])
    assert not any(local and local in section for local in hidden["name_local"])


def test_the_page_prints_cleanly(sample_report):
    style = sample_report[sample_report.index("<style>"):sample_report.index("</style>")]
    print_rules = style[style.index("@media print"):]
    assert re.search(r"\.modebar[^{]*\{[^}]*display:\s*none", print_rules)
    assert re.search(r"h2, h3[^{]*\{[^}]*break-after:\s*avoid;[^}]*page-break-after:\s*avoid", style)
    assert re.search(r"\.figure[^{]*\{[^}]*break-inside:\s*avoid", print_rules)
    assert re.search(r"table\.small[^{]*\{[^}]*break-inside:\s*avoid", print_rules)
    assert "@page { size: A4" in style and "max-width: 180mm" in style
    assert '"Noto Sans CJK JP", "Noto Sans JP"' in style
    assert "Value (the metric's unit)" not in sample_report


def test_long_program_names_leave_the_axis_titles_clear():
    """The legend sits against the whole figure's foot, below the x axis's title, or on the right."""
    from analytics.impact import series
    from analytics.outputs import charts

    alumni = load_dataset(SAMPLE_DIR).tables["alumni"]
    figure = charts.alumni_per_cohort_chart(series.alumni_per_cohort(alumni))
    assert "TOMODACHI Microsoft iLEAP" in {t.name for t in figure.data}
    legend = figure.layout.legend
    assert (legend.orientation, legend.yref, legend.y, legend.yanchor) == ("h", "container", 0, "bottom")
    table = impact_outcomes.outcomes_by_cohort(load_dataset(SAMPLE_DIR).tables)
    chart = charts.outcomes_chart(table)
    assert chart.layout.legend.orientation == "v" and chart.layout.legend.x > 1
    assert chart.layout.yaxis.title.text.replace("<br>", " ") == \
        "Confidence leading cross-sector change (score 1-5)"
    assert list(chart.layout.xaxis.categoryarray) == impact_outcomes.wave_order(
        table[table["indicator"] == table["indicator"].iloc[0]])
    assert charts.outcomes_chart(table.iloc[0:0]) is None
    assert charts.outcomes_chart(table, "no such indicator") is None


def test_the_forum_pack_carries_the_outcomes_charts_when_there_are_outcomes(tmp_path):
    import io
    import zipfile

    from analytics.outputs.forum_pack import build_forum_pack

    def pack_of(folder) -> zipfile.ZipFile:
        return zipfile.ZipFile(io.BytesIO(build_forum_pack(load_dataset(folder),
                                                           audience=Audience.STAFF)))

    with pack_of(write_folder(tmp_path / "tiny", TINY)) as pack:
        names = pack.namelist()
        for indicator in ("confidence", "people-reached-iris-pi4060"):
            assert {f"charts/outcomes-{indicator}.png", f"charts/outcomes-{indicator}.svg"} <= \
                set(names) or f"charts/outcomes-{indicator}.html" in names
        legend = pack.read("legend-and-definitions.html").decode()
        assert "<h2>Outcomes</h2>" in legend and "charts/outcomes-" in legend
        assert "charts/outcomes-" in pack.read("README.txt").decode()
    with pack_of(write_folder(tmp_path / "mini", MINI)) as pack:
        assert not [n for n in pack.namelist() if n.startswith("charts/outcomes-")]
        assert "<h2>Outcomes</h2>" not in pack.read("legend-and-definitions.html").decode()
