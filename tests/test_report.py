"""The funder's report: complete, offline, escaped."""

from __future__ import annotations

import re
import subprocess
import sys

from analytics.data.loader import load_dataset
from analytics.impact import kpis as impact
from analytics.outputs.report import build_report
from analytics.selection import Selection
from tests.conftest import MINI, ROOT, SAMPLE_DIR, write_folder


def test_report_has_kpis_charts_stories_date_and_definitions():
    dataset = load_dataset(SAMPLE_DIR)
    html = build_report(dataset)
    for kpi in impact.KPI_DEFINITIONS:
        assert kpi[1] in html
    assert html.count('class="figure"') >= 6
    assert f"data as of {dataset.data_date}" in html
    assert "Largest reach" in html and "Across borders" in html and "Definitions" in html
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
