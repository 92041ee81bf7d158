"""Japanese and English throughout: the catalogs, the choice of language, and every page in each.

The page pass runs each page (and each of its sections) with AppTest in one
language and asks :mod:`tests.language_check` for interface text in the other:
English words on a Japanese page, Japanese on an English one, data values excepted.
"""

from __future__ import annotations

from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

from analytics import catalogs, i18n
from analytics.data.loader import load_dataset
from tests.conftest import BROKEN_DIR, ROOT, SAMPLE_DIR, headers_only
from tests.language_check import dataset_values, interface_strings, leftovers
from ui.shell import PAGES

TIMEOUT = 90


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_the_catalog_has_every_string_translated_and_none_fuzzy(language):
    assert catalogs.problems(language) == []


def test_the_catalog_check_finds_a_missing_a_fuzzy_and_an_untranslated_string(tmp_path,
                                                                              monkeypatch):
    from babel.messages.catalog import Catalog

    source = tmp_path / "analytics" / "words.py"
    source.parent.mkdir()
    source.write_text('from analytics.i18n import _, lazy\n_("One")\n_("Two")\nlazy("Three {n}")\n'
                      '_("Four")\n', encoding="utf-8")
    (tmp_path / "babel.cfg").write_text("[python: analytics/**.py]\n", encoding="utf-8")
    catalog = Catalog(locale="ja", domain=i18n.DOMAIN)
    catalog.add("One", "一")
    catalog.add("Two", "二", flags=["fuzzy"])
    catalog.add("Three {n}", "三 {m}")
    catalog.add("Gone", "去")
    monkeypatch.setattr(catalogs, "ROOT", tmp_path)
    monkeypatch.setattr(catalogs, "catalog_path", lambda code: tmp_path / f"{code}.po")
    catalogs.write(catalog, tmp_path / "ja.po")
    found = catalogs.problems("ja")
    assert [line.split(":")[0] for line in found] == [
        "fuzzy", "placeholders differ", "missing", "no longer in the code"]


@pytest.mark.parametrize(("url", "server", "browser", "expected"), [
    ("ja", None, "en-US", "ja"),     # the URL first
    ("en", "ja", "ja-JP", "en"),
    (None, "ja", "en-US", "ja"),     # then the server's KIZUNA_LANG
    (None, None, "ja-JP", "ja"),     # then the browser
    (None, None, "fr-FR", "en"),     # then English
    ("xx", None, None, "en"),        # a language Kizuna does not speak is ignored
])
def test_the_language_is_the_urls_then_the_servers_then_the_browsers(url, server, browser,
                                                                     expected, monkeypatch):
    import streamlit

    real = streamlit.context

    class Browser:  # st.context, with the browser's language this test gives
        locale = browser

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(streamlit, "context", Browser())
    if server:
        monkeypatch.setenv("KIZUNA_LANG", server)
    else:
        monkeypatch.delenv("KIZUNA_LANG", raising=False)
    at = AppTest.from_file(str(ROOT / "pages/projects.py"), default_timeout=TIMEOUT)
    if url:
        at.query_params["lang"] = url
    at.run()
    assert not at.exception
    assert at.title[0].value == {"en": "Projects", "ja": "プロジェクト"}[expected]


def test_the_switch_writes_the_url_and_the_share_link_carries_the_language(monkeypatch):
    monkeypatch.setenv("KIZUNA_AUDIENCE", "staff")
    at = AppTest.from_file(str(ROOT / "pages/projects.py"), default_timeout=TIMEOUT)
    at.query_params["cause"] = "aging"
    at.run()
    at.button_group(key="url_lang").set_value("ja").run()
    assert not at.exception
    assert at.query_params["lang"] in ("ja", ["ja"]) and at.title[0].value == "プロジェクト"
    link = at.sidebar.get("code")[0].value  # the share link, in its popover
    assert parse_qs(urlparse(link).query) == {"cause": ["aging"], "lang": ["ja"]}
    # the page links carry it to the next page
    assert all("lang=ja" in p.proto.query_string for p in at.sidebar.get("page_link"))


def _sections(page: str, query: dict) -> list[str]:
    """The keys of a page's section picker (``?show=``): its options as English shows them."""
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    for name, value in {**query, "lang": "en"}.items():
        at.query_params[name] = value
    pickers = [r for r in at.run().radio if r.key == "url_show"]
    return list(pickers[0].options[1:]) if pickers else []


def _run_every_section(page: str, language: str, query: dict | None = None):
    """Each run of a page: as opened, then opened at each other section. (Each from its URL:
    AppTest cannot set a radio whose options are shown through a translation.)"""
    query = query or {}
    for section in [None, *_sections(page, query)]:
        at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
        for name, value in {**query, **({"show": section} if section else {}),
                            "lang": language}.items():
            at.query_params[name] = value
        yield at.run()


# Each page, plus the views a page opens from the URL.
VIEWS = [(spec.path, {}) for spec in PAGES] + [
    ("pages/alumni.py", {"profile": "A0001"}),
    ("pages/network.py", {"scope": "countries"}),
]


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
@pytest.mark.parametrize(("page", "query"), VIEWS, ids=lambda v: str(v) if v else "")
def test_every_page_speaks_only_its_language(page, query, language, monkeypatch):
    monkeypatch.setenv("KIZUNA_AUDIENCE", "staff")
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    values = dataset_values(load_dataset(SAMPLE_DIR))
    for at in _run_every_section(page, language, query):
        assert not at.exception, [e.value for e in at.exception]
        assert leftovers(interface_strings(at), language, values) == []


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
@pytest.mark.parametrize("folder", ["empty", "broken"])
@pytest.mark.parametrize("page", [spec.path for spec in PAGES])
def test_empty_and_broken_data_speak_the_language_too(page, folder, language, tmp_path,
                                                      monkeypatch):
    where = BROKEN_DIR if folder == "broken" else headers_only(tmp_path / "empty")
    monkeypatch.setenv("KIZUNA_AUDIENCE", "staff")
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(where))
    values = dataset_values(load_dataset(where))
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    at.query_params["lang"] = language
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert leftovers(interface_strings(at), language, values) == []


def test_a_public_page_in_japanese_names_the_audience_in_japanese(monkeypatch):
    monkeypatch.setenv("KIZUNA_AUDIENCE", "public")
    at = AppTest.from_file(str(ROOT / "pages/overview.py"), default_timeout=TIMEOUT)
    at.query_params["lang"] = "ja"
    at.run()
    assert any("一般公開" in c.value for c in at.sidebar.caption)
