"""Every page under AppTest: run alone and through the entrypoint, on good, empty and broken data."""

from __future__ import annotations

import csv

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import BROKEN_DIR, MINI, ROOT, SAMPLE_DIR, headers_only, write_folder
from ui.shell import PAGES

TIMEOUT = 60


def run_alone(page: str) -> AppTest:
    return AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT).run()


def run_through_entrypoint(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=TIMEOUT).run()
    assert not at.exception, at.exception
    return at.switch_page(str(ROOT / page)).run()


@pytest.fixture(params=["sample", "empty", "broken"])
def data_folder(request, tmp_path, monkeypatch):
    folder = {"sample": SAMPLE_DIR, "broken": BROKEN_DIR,
              "empty": headers_only(tmp_path / "empty") if request.param == "empty" else None}
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(folder[request.param]))
    return request.param


@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.path)
@pytest.mark.parametrize("runner", [run_alone, run_through_entrypoint], ids=["alone", "entrypoint"])
def test_every_page_renders_without_exception(spec, runner, data_folder):
    at = runner(spec.path)
    assert not at.exception, [e.value for e in at.exception]
    assert [t.value for t in at.title] == [spec.title]
    # The shared setup ran: the sidebar links every page, however this one was reached.
    assert len(at.sidebar.get("page_link")) == len(PAGES)


def count_csv_rows(path) -> int:
    with open(path, encoding="utf-8", newline="") as f:
        return sum(1 for row in csv.reader(f) if any(row)) - 1


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_overview_counts_match_the_files(monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    at = run_alone("pages/overview.py")
    assert metric(at, "Alumni trained") == f"{count_csv_rows(SAMPLE_DIR / 'alumni.csv'):,}"
    assert metric(at, "Projects") == f"{count_csv_rows(SAMPLE_DIR / 'projects.csv'):,}"
    with open(SAMPLE_DIR / "alumni.csv", encoding="utf-8") as f:
        alumni_countries = {r["country"] for r in csv.DictReader(f)}
    with open(SAMPLE_DIR / "organizations.csv", encoding="utf-8") as f:
        org_countries = {r["country"] for r in csv.DictReader(f)}
    with open(SAMPLE_DIR / "projects.csv", encoding="utf-8") as f:
        project_countries = {r["country"] for r in csv.DictReader(f)}
    assert metric(at, "Countries") == str(len(alumni_countries | org_countries | project_countries))


@pytest.mark.parametrize("page", [p.path for p in PAGES if not p.staff_only])
def test_pages_say_how_many_rows_were_set_aside(page, monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(BROKEN_DIR))
    at = run_alone(page)
    # 25 rows of the broken fixture carry errors (see tests/test_loader.py).
    assert any("25 row(s)" in w.value for w in at.warning)


def test_data_health_lists_each_problem(monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(BROKEN_DIR))
    at = run_alone("pages/data.py")
    problems = at.dataframe[1].value
    located = set(zip(problems["table"], problems["row"], problems["column"], strict=True))
    for expected in [("organizations", 3, "country"), ("alumni", 5, "name"),
                     ("partnerships", 2, "target_id"), ("funding", 4, "amount_usd")]:
        assert expected in located
    assert metric(at, "Rows set aside") == "25"
    assert metric(at, "Errors") == "30" and metric(at, "Warnings") == "2"


def test_data_health_on_clean_data_says_so(monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    at = run_alone("pages/data.py")
    assert any("No problems" in s.value for s in at.success)


def test_a_changed_file_is_picked_up_without_a_restart(tmp_path, monkeypatch):
    folder = write_folder(tmp_path / "live", MINI)
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(folder))
    assert metric(run_alone("pages/overview.py"), "Alumni trained") == "2"
    extra = "A3,Mei Kato,加藤 芽衣,SIFJ,2013,2013,JP,O1,yes,yes\n"
    (folder / "alumni.csv").write_text(MINI["alumni"] + extra, encoding="utf-8")
    assert metric(run_alone("pages/overview.py"), "Alumni trained") == "3"


def test_unusable_folder_shows_a_message_not_a_traceback(tmp_path, monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(tmp_path / "nowhere"))
    at = run_alone("pages/overview.py")
    assert not at.exception
    assert "does not exist" in at.error[0].value


def independent_node_count(countries: set[str] | None, program: str | None = None) -> int:
    """Alumni in scope, plus organizations in scope tied to someone in scope, from the raw CSVs."""
    import pandas as pd

    read = lambda name: pd.read_csv(SAMPLE_DIR / f"{name}.csv", dtype=str, keep_default_na=False)  # noqa: E731
    alumni, orgs = read("alumni"), read("organizations")
    projects, partnerships = read("projects"), read("partnerships")
    country = dict(zip(alumni["alum_id"], alumni["country"], strict=True))
    country |= dict(zip(orgs["org_id"], orgs["country"], strict=True))
    in_scope = {n for n, c in country.items() if countries is None or c in countries}
    if program:
        in_scope -= set(alumni.loc[alumni["program"] != program, "alum_id"])
    pairs = list(zip(partnerships["source_id"], partnerships["target_id"], strict=True))
    pairs += [(a, o) for a, o in zip(alumni["alum_id"], alumni["organization_id"], strict=True) if o]
    pairs += [(lead, p) for lead, ps in zip(projects["lead_alum_id"], projects["partner_ids"], strict=True)
              for p in ps.split(";") if p]
    tied = {n for a, b in pairs if a in in_scope and b in in_scope for n in (a, b)}
    kept_alumni = {a for a in alumni["alum_id"] if a in in_scope}
    return len(kept_alumni | (tied & set(orgs["org_id"])))


@pytest.mark.parametrize("params, countries", [
    ({}, None),
    ({"scope": "us-japan"}, {"JP", "US"}),
    ({"scope": "countries", "country": "KR,TH"}, {"KR", "TH"}),
])
def test_network_page_in_each_scope(params, countries, monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    at = AppTest.from_file(str(ROOT / "pages/network.py"), default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run()
    assert not at.exception
    assert metric(at, "Nodes") == f"{independent_node_count(countries):,}"
    assert len(at.get("iframe")) == 1


def test_network_page_program_filter_and_levels(monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    program = "TOMODACHI Microsoft iLEAP"
    at = AppTest.from_file(str(ROOT / "pages/network.py"), default_timeout=TIMEOUT)
    at.query_params.update({"program": program})
    at.run()
    assert metric(at, "Nodes") == f"{independent_node_count(None, program):,}"
    for level in ("alumni", "countries"):
        at.radio(key="url_level").set_value(level).run()
        assert not at.exception
    assert metric(at, "Nodes") == "6"  # the sample's six countries
