"""Every page under AppTest: run alone and through the entrypoint, on good, empty and broken data."""

from __future__ import annotations

import csv

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import BROKEN_DIR, MINI, ROOT, SAMPLE_DIR, headers_only, write_folder
from ui.shell import PAGES

TIMEOUT = 60


@pytest.fixture(autouse=True)
def staff(monkeypatch):
    """These tests look at everything; tests/test_privacy.py covers the other audiences."""
    monkeypatch.setenv("KIZUNA_AUDIENCE", "staff")


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


def read_sample(name: str):
    import pandas as pd

    return pd.read_csv(SAMPLE_DIR / f"{name}.csv", dtype=str, keep_default_na=False)


def test_overview_kpis_match_an_independent_computation(monkeypatch):
    """KPIs for 2011-2017 on the sample, recomputed here from the raw CSVs with plain pandas."""
    import pandas as pd

    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    at = AppTest.from_file(str(ROOT / "pages/overview.py"), default_timeout=TIMEOUT)
    at.query_params["years"] = "2011,2017"
    at.run()
    assert not at.exception
    alumni, projects = read_sample("alumni"), read_sample("projects")
    ties, funding, orgs = read_sample("partnerships"), read_sample("funding"), read_sample("organizations")
    year = lambda s: pd.to_numeric(s, errors="coerce")  # noqa: E731
    trained = alumni[year(alumni["cohort_year"]).between(2011, 2017)]
    launched = projects[year(projects["start_year"]).between(2011, 2017)]
    # Partnerships of alumni (trained by 2017) begun in the years; org-to-org grants are not theirs.
    members = set(alumni.loc[year(alumni["cohort_year"]) <= 2017, "alum_id"])
    began = ties[year(ties["start_year"]).between(2011, 2017)
                 & (ties["source_id"].isin(members) | ties["target_id"].isin(members))]
    country = dict(zip(alumni["alum_id"], alumni["country"], strict=True))
    country |= dict(zip(orgs["org_id"], orgs["country"], strict=True))
    crossing = sum(country[a] != country[b]
                   for a, b in zip(began["source_id"], began["target_id"], strict=True))
    grants = year(funding.loc[year(funding["year"]).between(2011, 2017), "amount_usd"]).sum()
    assert metric(at, "Alumni trained") == f"{len(trained):,}"
    assert metric(at, "Projects launched") == f"{len(launched):,}"
    assert metric(at, "Beneficiaries reached") == \
        f"{year(launched['beneficiaries']).fillna(0).sum():,.0f}"
    assert metric(at, "Cross-border partnerships") == f"{crossing:,}"
    assert metric(at, "Cross-border share") == f"{crossing / len(began) * 100:.0f}%"
    assert metric(at, "Program funding") == f"${grants / 1e6:.1f}M"
    # The change on the year before: 2017's cohorts.
    delta = next(m.delta for m in at.metric if m.label.startswith("Alumni trained"))
    assert delta == f"+{(year(alumni['cohort_year']) == 2017).sum()}"


@pytest.mark.parametrize("page", [p.path for p in PAGES if p.requires is None])
def test_pages_say_how_many_rows_were_set_aside(page, monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(BROKEN_DIR))
    at = run_alone(page)
    # 25 rows of the broken fixture carry errors (see tests/test_loader.py).
    assert any("25 rows" in w.value for w in at.warning)


def test_data_health_lists_each_problem(monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(BROKEN_DIR))
    at = run_alone("pages/data.py")
    problems = at.dataframe[1].value
    located = set(zip(problems["table"], problems["row"], problems["column"], strict=True))
    # rows as the spreadsheet shows them; columns as the file wrote them (the broken
    # organizations file heads its columns "Country", "Org ID")
    for expected in [("organizations", "3", "Country"), ("alumni", "5", "name"),
                     ("partnerships", "2", "target_id"), ("funding", "4", "amount_usd")]:
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
    assert len(at.get("bidi_component")) == 1, "the drawing"


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
    assert metric(at, "Countries") == "6"  # the sample's six
    alumni = read_sample("alumni")
    assert metric(at, "Alumni") == str((alumni["program"] == program).sum())


def test_projects_table_matches_an_independent_filter(monkeypatch):
    import pandas as pd

    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    at = AppTest.from_file(str(ROOT / "pages/projects.py"), default_timeout=TIMEOUT)
    at.query_params.update({"cause": "aging", "status": "active"})
    at.run()
    assert not at.exception
    projects = read_sample("projects")
    expected = projects[(projects["cause"] == "aging") & (projects["status"] == "active")]
    table = at.dataframe[0].value
    assert sorted(table["title"]) == sorted(expected["title"])
    assert metric(at, "Projects") == str(len(expected))
    reach = pd.to_numeric(expected["beneficiaries"], errors="coerce").fillna(0).sum()
    assert metric(at, "Beneficiaries") == f"{reach:,.0f}"


def test_overview_offers_the_report(monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    at = run_alone("pages/overview.py")
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("report" in label.lower() for label in labels)


def test_directory_counts_match_an_independent_filter_and_the_url_restores_them(monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    at = AppTest.from_file(str(ROOT / "pages/alumni.py"), default_timeout=TIMEOUT)
    at.query_params.update({"country": "JP", "cause": "aging,education",
                            "program": "TOMODACHI Microsoft iLEAP", "region": "Tokyo,Miyagi"})
    at.run()
    assert not at.exception
    alumni = read_sample("alumni")
    causes = alumni["causes"].str.split(";")
    expected = alumni[(alumni["country"] == "JP") & (alumni["program"] == "TOMODACHI Microsoft iLEAP")
                      & alumni["region"].isin(["Tokyo", "Miyagi"])
                      & causes.map(lambda c: "aging" in c or "education" in c)]
    assert metric(at, "Matching alumni") == f"{len(expected):,} of {len(alumni):,}"
    # In English each person is named romanized first, their own script beside it.
    assert sorted(at.dataframe[0].value["name"]) == sorted(
        f"{n} ({local})" if local else n
        for n, local in zip(expected["name"], expected["name_local"], strict=True))
    # The widgets show what the link asked for.
    assert at.multiselect(key="url_country").value == ["JP"]
    assert at.multiselect(key="url_cause").value == ["aging", "education"]
    assert at.multiselect(key="url_region").value == ["Tokyo", "Miyagi"]


def test_directory_search_by_kana_width_and_case(tmp_path, monkeypatch):
    """Hiragana finds a katakana name, half-width kana a full-width one, and case never matters."""
    alumni = MINI["alumni"] + ("A3,Yui Mori,モリ ユイ,SIFJ,2013,2013,JP,,yes,yes\n"
                               "A4,Jun Ota,ｵｵﾀ ｼﾞｭﾝ,SIFJ,2013,2013,JP,,yes,yes\n")
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(write_folder(tmp_path / "kana",
                                                           {**MINI, "alumni": alumni})))
    # As the directory names them in English (the loader writes half-width kana full width).
    mori, ota = "Yui Mori (モリ ユイ)", "Jun Ota (オオタ ジュン)"
    for query, found in [("もり", [mori]), ("ユイ", [mori]), ("おおた", [ota]), ("オオタ", [ota]),
                         ("YUI MORI", [mori]), ("sATO", ["Haruka Sato (佐藤 遥)"]), ("モリ さとう", [])]:
        at = AppTest.from_file(str(ROOT / "pages/alumni.py"), default_timeout=TIMEOUT)
        at.query_params["q"] = query
        at.run()
        assert not at.exception
        assert metric(at, "Matching alumni") == f"{len(found)} of 4", query
        if found:
            assert sorted(at.dataframe[0].value["name"]) == found, query


def test_a_profile_link_opens_that_profile(monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    alumni = read_sample("alumni")
    person = alumni.iloc[3]
    at = AppTest.from_file(str(ROOT / "pages/alumni.py"), default_timeout=TIMEOUT)
    at.query_params["profile"] = person["alum_id"]
    at.run()
    assert not at.exception
    assert [s.value for s in at.main.subheader][0].startswith(person["name"])
    at.query_params["profile"] = "nobody"
    at.run()
    assert any("Select a row to open" in c.value for c in at.caption)


def test_network_page_draws_communities_when_a_view_is_too_large(monkeypatch):
    from analytics.network import analysis as network_analysis

    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    monkeypatch.setattr(network_analysis, "DRAW_LIMIT", 50)
    at = AppTest.from_file(str(ROOT / "pages/network.py"), default_timeout=TIMEOUT).run()
    assert not at.exception
    picker = at.selectbox(key="community")
    assert picker.value == "overview" and len(picker.options) > 2
    at.selectbox(key="community").set_value("0").run()
    assert not at.exception and len(at.get("bidi_component")) == 1


@pytest.mark.parametrize("folder", [SAMPLE_DIR, BROKEN_DIR], ids=["sample", "broken"])
@pytest.mark.parametrize("page", ["pages/cohorts.py", "pages/network.py"])
def test_every_section_of_a_page_renders(page, folder, monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(folder))
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT).run()
    sections = at.radio(key="url_show").options  # raises if the section picker is gone
    assert len(sections) >= 5
    for section in sections:
        at.radio(key="url_show").set_value(section).run()
        assert not at.exception, (section, [e.value for e in at.exception])
        assert at.radio(key="url_show").value == section


def test_assortativity_with_one_country_in_view_is_a_dash_with_the_reason(monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))

    def assortativity_text(countries: str) -> str:
        at = AppTest.from_file(str(ROOT / "pages/network.py"), default_timeout=TIMEOUT)
        at.query_params.update({"scope": "countries", "country": countries, "show": "Across borders"})
        at.run()
        [text] = [c.value for c in at.caption if "Assortativity by country here" in c.value]
        return text.split("here: ", 1)[1]

    alone = assortativity_text("JP")
    assert alone.startswith("– (not defined here") and "nan" not in alone.lower()
    two = assortativity_text("JP,US")
    assert two[0] in "+-" and two[1].isdigit(), two


def test_loading_hashes_the_files_once_per_change(tmp_path, monkeypatch):
    """The shell hashes a folder to key its cache and hands the hash to the loader: one hash a
    change, however many pages run, and none for a rerun on unchanged files."""
    import analytics.data.sources as sources
    import analytics.data.store as store

    hashed = []
    real = sources.fingerprint

    def counting(folder):
        hashed.append(folder)
        return real(folder)

    monkeypatch.setattr(sources, "fingerprint", counting)
    monkeypatch.setattr(store, "fingerprint", counting)
    folder = write_folder(tmp_path / "hashed", MINI)
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(folder))
    for page in ("pages/overview.py", "pages/projects.py", "pages/overview.py"):
        assert not run_alone(page).exception
    assert len(hashed) == 1
    (folder / "alumni.csv").write_text(MINI["alumni"] + "A3,Mei Kato,,SIFJ,2013,2013,JP,,yes,yes\n",
                                       encoding="utf-8")
    assert metric(run_alone("pages/overview.py"), "Alumni trained") == "3"
    assert len(hashed) == 2
