"""Looking after the data in Japanese: uploads refused, previews, versions, duplicates, Data
health and the sign-in controls, with known answers; and the pages leave no English behind."""

from __future__ import annotations

import json
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analytics import i18n
from analytics.curation import changes, duplicates
from analytics.data import store
from analytics.data.loader import load_dataset
from analytics.data.uploads import Limits, UploadError, read_upload
from analytics.i18n import lazy
from tests.conftest import MINI, ROOT, SAMPLE_DIR, write_folder
from tests.language_check import data_values, interface_strings, leftovers
from ui.widgets import safe

TIMEOUT = 90
NEW_ALUMNI = (MINI["alumni"].replace("A2,Kenta Abe", "A2,Kenta ABE")
              + "A3,Mei Kato,加藤 芽衣,SIFJ,2013,2013,JP,O1,yes,no\n")


def refusal(items, limits: Limits | None = None) -> str:
    with i18n.speaking("ja"), pytest.raises(UploadError) as refused:
        read_upload(items, limits)
    return str(refused.value)


def test_an_upload_refused_says_why_in_japanese():
    assert refusal([("alumni.pdf", b"%PDF-1.7")]) == (
        "alumni.pdf はPDF文書で、CSVファイル、.xlsx ブック、.zip アーカイブのいずれでもありません。"
        "CSVファイル、CSVファイルの .zip、または .xlsx 形式で保存したExcelブックを"
        "アップロードしてください。")
    assert refusal([("alumni.csv", b"alum_id\nA1\nA2\nA3\nA4\n")], Limits(rows_per_table=3)) == (
        "alumni.csv の表「修了生」は、Kizunaが1つの表で受け付ける上限の3行を超えています。"
        "誤って貼り付けた行がないか確認するか、Kizunaの管理者に KIZUNA_MAX_ROWS を引き上げるよう"
        "依頼してください。")
    # The tables are listed by their Japanese names, which a sheet may take too.
    assert refusal([("budget.csv", b"a\n1\n")]).endswith(
        "各CSVファイルまたはシートに表の名前を付けてください：団体、修了生、つながり、プロジェクト、"
        "助成、目標、成果、紹介。")


def test_what_an_upload_ignored_is_said_in_the_language_it_was_read_in():
    items = [("修了生.csv", b"alum_id\nA1\n"), ("notes.csv", b"x"), ("~$kizuna.xlsx", b"x")]
    with i18n.speaking("ja"):
        upload = read_upload(items)
    assert upload.origins == {"alumni": "修了生.csv"}  # a Japanese file name is its table
    assert upload.notes == (
        "「notes.csv」はKizunaが読み込む表（団体、修了生、つながり、プロジェクト、助成、目標、成果、"
        "紹介）ではないため、無視しました。",
        "「~$kizuna.xlsx」は無視しました。Excelのロックファイルで、データではありません。")
    with i18n.speaking("en"):
        assert read_upload(items).notes[1] == ("'~$kizuna.xlsx' was ignored: it is an Excel lock "
                                               "file, not data.")


def test_a_change_is_kept_in_the_history_in_both_languages(tmp_path):
    folder = write_folder(tmp_path / "d", MINI)
    preview = changes.prepare(folder, {"alumni": NEW_ALUMNI.encode()}, action="import",
                              description=lazy("Import of {files}", files="alumni.csv"))
    with i18n.speaking("ja"):
        assert str(preview.summary()) == "alumni.csv の取り込み：修了生（1行を追加、1行を変更）"
        assert preview.figures()["figure"].tolist() == [
            "修了生", "団体", "パートナーシップ（つながり）", "越境の協働の割合"]
    changes.apply(preview, "Aiko")
    store.restore(folder, 1, who="Ken")
    # Read back from version.json: the English record, and the message for each language.
    restored, imported, start = store.history(folder)
    recorded = json.loads((imported.path / store.VERSION_FILE).read_text(encoding="utf-8"))
    assert recorded["summary"] == "Import of alumni.csv: alumni 1 added, 1 changed"
    with i18n.speaking("ja"):
        assert imported.translated_summary == "alumni.csv の取り込み：修了生（1行を追加、1行を変更）"
        assert restored.translated_summary == "版 1 を復元（Kizunaが版を保存する前のデータ）"
    with i18n.speaking("en"):
        assert restored.translated_summary == ("Restored version 1 (The data as it was before "
                                               "Kizuna kept versions)")
        assert start.translated_summary == start.summary


def test_a_version_kept_before_kizuna_spoke_japanese_shows_as_written(tmp_path):
    folder = write_folder(tmp_path / "d", MINI)
    staged = store.stage(folder, {"alumni.csv": NEW_ALUMNI.encode()})
    store.commit(folder, staged, base=store.current_fingerprint(folder), who="Aiko",
                 action="import", summary="Import of alumni.csv: alumni 1 added, 1 changed")
    kept = store.history(folder)[0]
    meta = json.loads((kept.path / store.VERSION_FILE).read_text(encoding="utf-8"))
    assert "summary_message" not in meta  # text, not a message: kept as it is
    with i18n.speaking("ja"):
        assert kept.translated_summary == "Import of alumni.csv: alumni 1 added, 1 changed"


def test_a_blocked_change_says_so_in_japanese(tmp_path):
    folder = write_folder(tmp_path / "d", MINI)
    bad = MINI["alumni"] + "A3,Mei Kato,,SIFJ,2013,20x5,JP,O1,yes,no\n"
    preview = changes.prepare(folder, {"alumni": bad.encode()}, action="import",
                              description="Import", in_folder=False)
    with i18n.speaking("ja"):
        assert preview.blocked == ("この変更にはエラーがあります。1行が除外されます（下に一覧があります）。"
                                   "何も反映していません。修正してから、もう一度お試しください。")
        message = str(preview.new_problems["message"].iloc[0])
    # The column as the sheet wrote it, and the value, are data.
    assert "20x5" in message and not leftovers([("message", message)], "ja", ["20x5", "cohort_year"])
    preview.discard()


def test_reasons_and_merges_in_japanese_put_the_name_in_its_own_script_first():
    alumni = pd.DataFrame({"alum_id": ["A1", "A2"], "name": ["Haruka Sato", ""],
                           "name_local": ["", "佐藤 遥"], "city": ["Ishinomaki", "ishinomaki"]})
    reasons = duplicates.find_duplicates(alumni)["reasons"][0]
    with i18n.speaking("ja"):
        assert str(reasons) == "ローマ字にすると 佐藤 遥 は Haruka Sato／同じ市区町村 Ishinomaki"
    with i18n.speaking("en"):
        assert str(reasons) == "romanized 佐藤 遥 reads as Haruka Sato; same city Ishinomaki"
    tables = {"alumni": pd.DataFrame({"alum_id": ["A1", "A2"], "name": ["Haruka Sato"] * 2,
                                      "name_local": ["佐藤 遥", ""],
                                      "email": ["", "h@example.org"]}),
              "partnerships": pd.DataFrame({"partnership_id": ["P1"], "source_id": ["A2"],
                                            "target_id": ["A1"]})}
    merged = duplicates.merge_people(tables, keep="A1", drop="A2")
    with i18n.speaking("ja"):
        assert str(merged.summary) == (
            "A2（Haruka Sato）を A1（佐藤 遥 / Haruka Sato）に統合しました：参照1件を書き換え、"
            "自身へのつながり1件を削除、空欄1項目を補完（email）。")
    assert str(merged.summary).startswith("Merged A2 (Haruka Sato) into A1 (Haruka Sato / 佐藤 遥)")


def shown(at: AppTest) -> list[tuple[str, str]]:
    """The interface strings of a run, less the sidebar's link to this view (a URL: the lead's
    sidebar, checked by its own tests)."""
    return [(field, text) for field, text in interface_strings(at) if field != "code_text"]


def run(page: str, language: str, **query) -> AppTest:
    at = AppTest.from_file(str(ROOT / page), default_timeout=TIMEOUT)
    for name, value in {**query, "lang": language}.items():
        at.query_params[name] = value
    return at.run()


@pytest.fixture
def staff(monkeypatch):
    monkeypatch.setenv("KIZUNA_AUDIENCE", "staff")


def test_data_health_in_japanese_names_the_column_as_the_sheet_wrote_it(tmp_path, monkeypatch,
                                                                        staff):
    header, *rows = MINI["alumni"].splitlines()
    japanese = header.replace("alum_id", "修了生ID").replace("cohort_year", "研修年")
    rows[1] = rows[1].replace(",2012,2012,", ",2012,20x5,")
    folder = write_folder(tmp_path / "d", {**MINI, "alumni": "\n".join([japanese, *rows]) + "\n"})
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(folder))
    at = run("pages/data.py", "ja")
    assert not at.exception, [e.value for e in at.exception]
    problems = at.dataframe[1].value
    wrong = problems[problems["value"] == "20x5"].iloc[0]
    assert (wrong["severity"], wrong["table"], wrong["row"], wrong["column"]) == (
        "エラー", "修了生", "3", "研修年")
    assert not leftovers([("message", wrong["message"])], "ja", ["20x5"])
    assert [m.label for m in at.get("metric")] == ["データ行", "使用する行", "除外した行", "エラー",
                                                   "警告"]
    values = [*data_values(load_dataset(folder).tables), folder.name]
    assert leftovers(shown(at), "ja", values) == []


@pytest.fixture
def sample(tmp_path, monkeypatch, staff):
    """A copy of the sample with a history: an alum added, then version 1 restored."""
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE_DIR, folder)
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(folder))
    text = (folder / "alumni.csv").read_text(encoding="utf-8")
    row = text.splitlines()[1].split(",")
    row[0] = "A9000"
    preview = changes.prepare(folder, {"alumni": (text + ",".join(row) + "\n").encode()},
                              action="import", description=lazy("Import of {files}",
                                                                files="alumni.csv"))
    changes.apply(preview, "Aiko")
    store.restore(folder, 1, who="Ken")
    return folder


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_versions_speak_only_the_language(sample, language):
    at = run("pages/versions.py", language)
    assert not at.exception, [e.value for e in at.exception]
    history = at.dataframe[0].value
    if language == "ja":
        assert list(history.columns) == ["版", "日時（UTC）", "変更した人", "変更の種類", "変更内容"]
        assert history["変更内容"].tolist() == [
            "版 1 を復元（Kizunaが版を保存する前のデータ）",
            "alumni.csv の取り込み：修了生（1行を追加）", "Kizunaが版を保存する前のデータ"]
        assert history["変更の種類"].tolist() == ["復元", "取り込み", "開始"]
        audit = at.dataframe[1].value
        assert audit[["版", "表", "追加・削除・変更", "行のID"]].values.tolist() == [
            [3, "修了生", "削除", "A9000"], [2, "修了生", "追加", "A9000"]]
    values = [*data_values(load_dataset(sample).tables), "Aiko", "Ken", sample.name]
    assert leftovers(shown(at), language, values) == []


@pytest.mark.parametrize("language", list(i18n.LANGUAGES))
def test_a_likely_pair_speaks_only_the_language(sample, language):
    pairs = duplicates.find_duplicates(changes.text_tables(sample)["alumni"])
    first, second = pairs.iloc[0][["first_id", "second_id"]]
    at = run("pages/duplicates.py", language, pair=f"{first}+{second}")
    assert not at.exception, [e.value for e in at.exception]
    with i18n.speaking(language):
        why = i18n._("Why: {reasons}", reasons=safe(str(pairs.iloc[0]["reasons"])))
    assert why in [c.value for c in at.caption]
    values = [*data_values(load_dataset(sample).tables), sample.name]
    assert leftovers(shown(at), language, values) == []


def _preview_page(folder: str, alumni: str) -> None:
    from analytics.curation import changes
    from analytics.i18n import lazy, set_language
    from ui import curation

    set_language("ja")
    preview = changes.prepare(folder, {"alumni": alumni.encode()}, action="import",
                              description=lazy("Import of {files}", files="alumni.csv"),
                              in_folder=False)
    curation.show_preview(preview)
    curation.apply_button("import", preview)
    preview.discard()


@pytest.mark.parametrize("blocked", [False, True])
def test_an_import_preview_in_japanese(tmp_path, blocked):
    folder = write_folder(tmp_path / "d", MINI)
    alumni = NEW_ALUMNI.replace(",2013,2013,", ",2013,20x5,") if blocked else NEW_ALUMNI
    at = AppTest.from_function(_preview_page, args=(str(folder), alumni), default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.get("expander")[0].label == "修了生：追加 1行 · 削除 0行 · 変更 1行"
    if blocked:
        assert at.warning[0].value.startswith("この変更にはエラーがあります。1行が除外されます")
    else:
        assert [b.label for b in at.button] == ["新しい版として反映する"]
    values = [*data_values(load_dataset(folder).tables), "20x5", "ABE", "cohort_year"]
    assert leftovers(shown(at), "ja", values) == []


def test_the_sign_in_controls_in_japanese(monkeypatch):
    from analytics import access
    from ui import auth

    monkeypatch.setattr(auth, "GUARD", access.SignInGuard())
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(SAMPLE_DIR))
    monkeypatch.setenv("KIZUNA_AUDIENCE", "public")
    at = AppTest.from_file(str(ROOT / "pages/data.py"), default_timeout=TIMEOUT)
    at.secrets["staff_password_hash"] = access.hash_password("kizuna-test", iterations=1000)
    at.query_params["lang"] = "ja"
    at.run()
    assert [e.label for e in at.sidebar.get("expander")] == ["スタッフのサインイン"]
    at.text_input(key="staff_password").input("wrong")
    at.button(key="staff_sign_in_submit").click().run()
    assert [e.value for e in at.error] == ["パスワードが正しくありません。"]
    at.text_input(key="staff_password").input("kizuna-test")
    at.button(key="staff_sign_in_submit").click().run()
    assert "staff としてサインイン中" in [c.value for c in at.sidebar.caption]
    assert [b.label for b in at.sidebar.button if b.key == "sign_out"] == ["サインアウト"]
