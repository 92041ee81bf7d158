"""The impact pages (overview, cohorts, alumni directory, projects) in Japanese, with known answers
from the sample: cards named and figures written as Japanese writes them, people named local name
first, places in Japanese, section links that work in either language, and none of the pages'
own English left on a Japanese page."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import catalogs, i18n
from analytics.data.schema import STATUSES
from analytics.i18n import _
from tests.conftest import ROOT, SAMPLE_DIR, headers_only
from tests.language_check import interface_strings

TIMEOUT = 90
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
PAGES = ["pages/overview.py", "pages/cohorts.py", "pages/alumni.py", "pages/projects.py"]


@pytest.fixture(autouse=True)
def staff_on_the_sample(monkeypatch):
    monkeypatch.setenv("KIZUNA_AUDIENCE", "staff")
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))


def run(page: str, language: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    at.query_params.update({**query, "lang": language})
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def japanese(message: str) -> str:
    with i18n.speaking("ja"):
        return _(message)


def read(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE_DIR / f"{name}.csv", dtype=str, keep_default_na=False)


def test_the_overview_names_its_cards_in_japanese_and_writes_money_as_japanese_does():
    at = run("pages/overview.py", "ja", years="2011,2017")
    cards = {m.label: m.value for m in at.metric}
    trained, funding = japanese("Alumni trained"), japanese("Program funding")
    assert "修了生" in trained and JAPANESE.search(funding)  # the glossary's word for alumni
    alumni, grants = read("alumni"), read("funding")
    assert cards[trained] == str(pd.to_numeric(alumni["cohort_year"]).between(2011, 2017).sum())
    granted = pd.to_numeric(grants.loc[pd.to_numeric(grants["year"]).between(2011, 2017),
                                       "amount_usd"]).sum()
    assert granted == 1_586_000 and cards[funding] == "$158.6万"  # $1.6M in English
    captions = [c.value for c in at.caption]
    assert any(c.startswith("絞り込み：") for c in captions)
    assert any("2011–2017の数値と、2016年までの数値からの変化" in c for c in captions)


def test_story_leads_are_named_local_name_first_in_japanese():
    names = dict(zip(read("alumni")["name"], read("alumni")["name_local"], strict=True))
    for language, lead in (("ja", re.compile(r"代表者：(.+?) \\\((.+?)\\\)（")),
                           ("en", re.compile(r"Led by (.+?) \\\((.+?)\\\) \("))):
        at = run("pages/overview.py", language)
        found = [lead.match(m.value) for m in at.markdown]
        pairs = [m.groups() for m in found if m]
        assert len(pairs) == 3, language  # one story of each kind
        for first, second in pairs:
            local, romanized = (first, second) if language == "ja" else (second, first)
            assert names[romanized] == local


def test_the_directory_names_a_known_alum_local_name_first_in_japanese_romanized_first_in_english():
    for language, expected in (("ja", "石井 海斗 (Kaito Ishii)"), ("en", "Kaito Ishii (石井 海斗)")):
        at = run("pages/alumni.py", language, q="Kaito Ishii")
        shown = at.dataframe[0].value
        assert list(shown["name"]) == [expected]
        assert list(shown["country"]) == [{"ja": "日本", "en": "Japan"}[language]]
        assert list(shown["region"]) == [{"ja": "宮城県", "en": "Miyagi"}[language]]
        assert "name_local" not in shown  # folded into the name


def test_the_filters_offer_places_in_the_language_and_keep_codes_in_the_link():
    ja = run("pages/alumni.py", "ja", country="KR,US", region="California")
    assert {"韓国", "米国", "日本"} <= set(ja.multiselect(key="url_country").options)
    assert {"宮城県", "東京都", "カリフォルニア州"} <= set(ja.multiselect(key="url_region").options)
    assert ja.multiselect(key="url_country").value == ["KR", "US"]
    assert ja.multiselect(key="url_region").value == ["California"]
    en = run("pages/alumni.py", "en", country="KR,US", region="California")
    assert {"South Korea", "United States"} <= set(en.multiselect(key="url_country").options)
    assert "California" in en.multiselect(key="url_region").options
    # The same people, whatever the language: "2 of 300" and "300人中2人".
    alumni = read("alumni")
    wanted = len(alumni[alumni["country"].isin(["KR", "US"]) & (alumni["region"] == "California")])
    assert ja.metric[0].value == f"{len(alumni)}人中{wanted}人"
    assert en.metric[0].value == f"{wanted} of {len(alumni)}"


def test_a_section_link_opens_that_section_in_either_language():
    for section, drawn in (("Outcomes", "url_indicator"), ("Projects, reach and funds", None)):
        for language in ("ja", "en"):
            at = run("pages/cohorts.py", language, show=section)
            picker = at.radio(key="url_show")
            assert picker.value == section, (section, language)  # the key, not its words
            assert (japanese(section) if language == "ja" else section) in picker.options
            if drawn:
                assert at.selectbox(key=drawn).options
            else:  # projects per year and reach, not the cohorts' charts
                assert len(at.get("plotly_chart")) == 2
    assert all(JAPANESE.search(o) for o in run("pages/cohorts.py", "ja").radio(key="url_show").options)


def test_a_table_hides_its_index_and_heads_its_columns_and_places_in_japanese(monkeypatch):
    monkeypatch.setenv("KIZUNA_AUDIENCE", "public")  # the directory is counts by place
    at = run("pages/alumni.py", "ja")
    import json

    table = at.dataframe[0]
    config = json.loads(table.proto.columns)
    assert config["_index"] == {"hidden": True}
    assert list(table.value.columns) == ["country", "region", "alumni"]  # the data's keys
    assert all(JAPANESE.search(config[c]["label"]) for c in ("country", "region", "alumni"))
    assert {"日本", "米国"} <= set(table.value["country"])
    assert {"宮城県", "東京都", "その他"} <= set(table.value["region"])  # small places folded


def test_projects_show_statuses_and_leads_in_japanese():
    at = run("pages/projects.py", "ja")
    assert at.multiselect(key="url_status").options == [japanese(s) for s in STATUSES]
    shown = at.dataframe[0].value.set_index("title")
    first = shown.loc["Sendai After-School Learning"]  # PRJ0001, led by A0007
    lead = read("alumni").set_index("alum_id").loc["A0007"]
    assert first["lead"] == f"{lead['name_local']} ({lead['name']})"
    assert first["status"] == japanese("active") and first["country"] == "日本"


def own_words() -> list[str]:
    """The English these pages and their helpers say themselves, in whole or (around a
    placeholder) in parts long enough to be theirs alone."""
    files = [ROOT / p for p in PAGES] + [ROOT / "ui" / f for f in ("widgets.py", "filters.py")]
    words = []
    for message in catalogs.extract_files(files):
        if not message.id:  # the catalog's header
            continue
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            words += [part.strip() for part in re.split(r"\{[^}]*\}", text)
                      if len(part.strip()) > 12 or "{" not in text]
    return words


@pytest.mark.parametrize("data", ["sample", "empty"])
@pytest.mark.parametrize("page", PAGES)
def test_a_japanese_page_shows_none_of_its_own_english(page, data, tmp_path, monkeypatch):
    if data == "empty":
        monkeypatch.setenv("KIZUNA_DATA_DIR", str(headers_only(tmp_path / "empty")))
    shown = [text for _field, text in interface_strings(run(page, "ja"))]
    left = [word for word in own_words() if any(word == text or (len(word) > 12 and word in text)
                                                for text in shown)]
    assert left == []


def test_a_change_hidden_from_the_public_is_a_dash_not_nan(monkeypatch):
    monkeypatch.setenv("KIZUNA_AUDIENCE", "public")  # small groups' changes are left out
    at = run("pages/overview.py", "ja")
    table = next(d.value for d in at.dataframe if "indicator" in d.value.columns)
    hidden = table["paired"].between(1, 4)
    assert hidden.any()
    assert set(table.loc[hidden, "change"]) == {"–"}
    assert not table["change"].str.contains("nan").any()
