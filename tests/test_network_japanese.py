"""The network in Japanese: the drawing's words, names and places, its card, the offline file,
the downloads and the page, each with answers checked by hand on MINI and the sample."""

from __future__ import annotations

import contextvars
import threading

import pytest
from streamlit.testing.v1 import AppTest

from analytics import i18n, palette
from analytics.data.loader import load_dataset
from analytics.network import drawing, ego, metrics
from analytics.network import export as graph_export
from analytics.network.analysis import analyze, headline_figures
from analytics.privacy import Audience
from tests.conftest import MINI, ROOT, SAMPLE_DIR, write_folder
from tests.language_check import data_values, interface_strings, leftovers
from tests.test_drawing import embedded_data

PAGE = str(ROOT / "pages/network.py")


@pytest.fixture
def mini(tmp_path):
    """MINI analysed: A1 Haruka Sato (佐藤 遥, JP, SIFJ 2011, of O1) is tied to O1 Tide Network
    (JP), O2 Cascadia Fund (US, Washington) and A2 Kenta Abe (阿部 健太, JP)."""
    return analyze(load_dataset(write_folder(tmp_path / "mini", MINI)).tables)


def test_the_drawing_speaks_japanese(mini):
    with i18n.speaking("ja"):
        data = drawing.view_data(mini)
    words = data["labels"]
    assert (words["find"], words["play"], words["pause"], words["cross"], words["legend"]) == (
        "人や団体を検索", "再生", "一時停止", "越境のつながりを強調", "凡例")
    assert words["ties"] == ["つながり{count}件", "つながり{count}件"]  # one form in Japanese
    assert words["growth"] == "{year}年 · ノード{nodes} · つながり{ties} · 越境{share}"
    assert words["locale"] == "ja-JP" and data["title"] == "Kizuna 協働ネットワーク"
    nodes = {n["id"]: n for n in data["nodes"]}
    # A person is drawn by their own name, and named with both in the tooltip, local first.
    assert nodes["A1"]["label"] == "佐藤 遥"
    assert nodes["A1"]["tooltip"][:4] == ["佐藤 遥 (Haruka Sato)", "SIFJ、2011年期",
                                          "団体：Tide Network", "国：日本"]
    assert nodes["O2"]["tooltip"][2] == "国：米国、ワシントン州"
    assert [(item["label"], item["count"]) for item in data["legend"]] == [("日本", 3), ("米国", 1)]
    edges = [dict(zip(data["edge_fields"], row, strict=True)) for row in data["edges"]]
    assert {(e["from"], e["to"]): e["kinds"] for e in edges}[("A1", "O1")] == "所属"


def test_a_community_overview_names_its_communities_in_japanese():
    from analytics.network.analysis import community_overview

    overview = community_overview(analyze(load_dataset(SAMPLE_DIR).tables))
    with i18n.speaking("ja"):
        data = drawing.view_data(overview, drawing.Style("community"))
    first = next(n for n in data["nodes"] if n["id"] == "C1")
    members = int(overview.nodes.at["C1", "members"])
    assert first["label"] == first["tooltip"][0] == f"コミュニティ1（{members}）"
    assert first["tooltip"][1] == f"修了生・団体 {members}"
    assert data["legend"][0]["label"] == "コミュニティ1"


def test_the_drawing_in_english_has_no_japanese_words(mini):
    with i18n.speaking("en"):
        data = drawing.view_data(mini)
    assert data["labels"]["find"] == "Find a person or organization"
    assert data["labels"]["ties"] == ["{count} tie", "{count} ties"]
    assert leftovers([("labels", w) for w in data["labels"].values() if isinstance(w, str)]
                     + [("legend", item["label"]) for item in data["legend"]], "en") == []
    a1 = next(n for n in data["nodes"] if n["id"] == "A1")
    assert a1["label"] == "Haruka Sato" and a1["tooltip"][0] == "Haruka Sato (佐藤 遥)"


def test_every_label_is_drawn_in_a_font_with_japanese_glyphs(mini):
    assert '"Noto Sans CJK JP"' in palette.FONT_FAMILY and "Meiryo" in palette.FONT_FAMILY
    data = drawing.view_data(mini)
    assert data["options"]["nodes"]["font"]["face"] == palette.FONT_FAMILY  # vis-network's canvas
    assert palette.FONT_FAMILY in drawing.graph_assets()["graph_css"]  # the bar, legend, panel


def test_the_card_says_who_in_japanese(mini, tmp_path):
    with i18n.speaking("ja"):
        card = ego.node_card(mini, "A1")
        countries = analyze(load_dataset(tmp_path / "mini").tables, level="countries")
        country_card = ego.node_card(countries, "JP")
    assert card["title"] == "佐藤 遥 (Haruka Sato)"
    assert card["facts"][-1] == "つながり3件のうち1件が国境を越えています"
    assert country_card == {"kind": "country", "title": "日本",
                            "facts": ["修了生2人", "ほかの1か国とつながっています"]}


def test_the_view_is_described_in_japanese(mini):
    with i18n.speaking("ja"):
        description = drawing.describe(mini)
        labels = [label for label, _, _ in headline_figures(mini)]
        explained = metrics.explanation("cross_border")
    assert description == "人と団体 · アジア太平洋 · ノード4、つながり3"
    assert labels == ["ノード", "つながり", "越境の協働", "E-I指数", "コミュニティ", "モジュラリティ"]
    assert explained == "異なる2か国を結ぶつながりの割合です。"


def test_suggested_introductions_give_their_reasons_in_japanese():
    analysis = analyze(load_dataset(SAMPLE_DIR).tables)
    with i18n.speaking("ja"):
        found = ego.suggest_connections(analysis.graph, analysis.nodes, "A0015")
    assert len(found) and all(reason.startswith("共通の分野：") for reason in found["reason"])
    across = found[found["cross_border"]]
    assert len(across) and all("国境を越えた相手（" in reason for reason in across["reason"])


def test_the_offline_file_is_in_the_chosen_language(mini):
    with i18n.speaking("ja"):
        html = drawing.standalone_html(mini, Audience.STAFF)
    assert '<html lang="ja">' in html and "<title>Kizuna 協働ネットワーク</title>" in html
    assert f"font-family: {palette.FONT_FAMILY};" in html  # the page around the drawing
    assert embedded_data(html)["labels"]["play"] == "再生"
    assert '<html lang="en">' in drawing.standalone_html(mini, Audience.STAFF)


def test_the_csv_downloads_are_headed_in_japanese_and_gexf_keeps_its_keys(mini):
    with i18n.speaking("ja"):
        nodes = graph_export.nodes_csv(mini)
        edges = graph_export.edges_csv(mini)
        gexf = graph_export.to_gexf(mini).decode("utf-8")
        name = i18n._("Name")  # 名前 or 氏名: the catalog's one word for the header
    assert nodes.splitlines()[0] == (f"ID,種類,{name},国,地域,プログラム,期,分野,団体,団体の種類,"
                                     "つながり（次数）,媒介中心性,固有ベクトル中心性,コミュニティ")
    assert edges.splitlines()[0].startswith("一方（ID）,もう一方（ID）,重み,つながり,つながりの種類")
    assert 'title="betweenness"' in gexf and "媒介中心性" not in gexf


def test_a_download_made_on_click_speaks_the_language_of_the_page():
    with i18n.speaking("ja"):
        make = i18n.keeping_language(lambda: i18n._("Nodes (CSV)"))
    made = []
    # Streamlit runs it on a thread of its own, whose language is the default (English).
    thread = threading.Thread(target=contextvars.Context().run, args=(lambda: made.append(make()),))
    thread.start()
    thread.join()
    assert made == ["ノード（CSV）"]


def run_page(monkeypatch, language: str, **params) -> AppTest:
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    monkeypatch.setenv("KIZUNA_AUDIENCE", "staff")
    at = AppTest.from_file(PAGE, default_timeout=90)
    at.query_params.update({"lang": language, **params})
    at.run()
    assert not at.exception
    return at


def test_the_page_in_japanese(monkeypatch):
    at = run_page(monkeypatch, "ja")
    choices = {r.label: r.options for r in at.radio}
    assert choices["範囲"] == ["アジア太平洋", "日米", "選んだ国"]
    assert choices["表示の単位"] == ["人と団体", "修了生のみ", "国"]
    assert choices["配置"] == ["国別（日本・米国・アジア）", "つながりで配置（力学モデル）"]
    assert choices["色分け"] == ["国", "プログラム", "コミュニティ", "分野", "団体の種類"]
    assert choices["大きさ"] == ["つながり（次数）", "媒介中心性", "固有ベクトル中心性"]
    assert choices["表示"][:3] == ["仲介者", "橋渡しのつながり", "コミュニティ"]
    assert [m.label for m in at.metric] == ["ノード", "つながり", "越境の協働", "E-I指数",
                                            "コミュニティ", "モジュラリティ"]
    assert any("紫の線は国境を越えるつながり" in c.value for c in at.caption)
    downloads = [d.proto.label for d in at.main.get("download_button")]
    assert downloads == ["グラフ（HTML、オフライン用）", "GEXF (Gephi)", "GraphML (Cytoscape)",
                         "ノード（CSV）", "エッジ（CSV）"]
    # The choices stay English keys in the URL, so a link works in either language.
    at = run_page(monkeypatch, "ja", level="countries", show="Across borders")
    assert at.radio(key="url_level").value == "countries"
    assert at.radio(key="url_show").value == "Across borders"
    assert [m.label for m in at.metric] == ["国", "修了生", "越境のつながり"]


def test_the_page_in_english_shows_no_japanese(monkeypatch):
    at = run_page(monkeypatch, "en", node="A0015", show="Communities")
    assert leftovers(interface_strings(at), "en", data_values(load_dataset(SAMPLE_DIR).tables)) == []
