"""Spreadsheets in Japanese: sheet and file names, headers and values read as the sample's own.

The known answers here are written by hand: the Japanese a program office
writes for each table, header and value, independent of how the schema
declares them.
"""

from __future__ import annotations

import csv
import io
import os
import pickle
import subprocess
import sys

import openpyxl
import pandas as pd
import pytest

from analytics import i18n
from analytics.cli import language
from analytics.data.countries import country_name, resolve_country, resolve_region
from analytics.data.loader import load_dataset
from analytics.data.schema import (
    FALSE_WORDS,
    LOAD_ORDER,
    ORG_TYPES,
    STATUSES,
    TABLES,
    TIE_KINDS,
    TIE_ORIGINS,
    TRUE_WORDS,
    WAVES,
    normalize_header,
    vocabulary_words,
    word_key,
)
from analytics.data.template import COUNTRY_CODES, template_xlsx
from tests.conftest import MINI, ROOT, SAMPLE_DIR, write_folder

SHEETS = {"organizations": "団体", "alumni": "修了生", "partnerships": "つながり",
          "projects": "プロジェクト", "funding": "助成", "targets": "目標", "outcomes": "成果",
          "introductions": "紹介"}
# A few headers as a Japanese office writes them, by table and column.
HEADERS = {("alumni", "alum_id"): "修了生ID", ("alumni", "country"): "国",
           ("alumni", "region"): "地域", ("organizations", "org_type"): "団体の種類",
           ("partnerships", "kind"): "つながりの種類", ("projects", "status"): "状況",
           ("introductions", "suggested"): "Kizunaの提案"}

COUNTRIES = {"JP": "日本", "US": "米国", "KR": "大韓民国", "CN": "中国", "SG": "シンガポール",
             "TH": "タイ"}
REGIONS = {
    ("JP", "Aichi"): "愛知県", ("JP", "Fukuoka"): "福岡県", ("JP", "Fukushima"): "福島県",
    ("JP", "Hiroshima"): "広島県", ("JP", "Hokkaido"): "北海道", ("JP", "Iwate"): "岩手県",
    ("JP", "Kanagawa"): "神奈川県", ("JP", "Kyoto"): "京都府", ("JP", "Miyagi"): "宮城県",
    ("JP", "Okinawa"): "沖縄県", ("JP", "Osaka"): "大阪府", ("JP", "Tokyo"): "東京都",
    ("US", "California"): "カリフォルニア州", ("US", "District of Columbia"): "コロンビア特別区",
    ("US", "Hawaii"): "ハワイ州", ("US", "New York"): "ニューヨーク州",
    ("US", "Oregon"): "オレゴン", ("US", "Washington"): "ワシントン州",
}
ORG_TYPE_WORDS = {"academic": "大学", "business": "企業", "foundation": "公益財団法人",
                  "government": "自治体", "network": "中間支援組織", "nonprofit": "NPO法人",
                  "social business": "社会的企業"}
STATUS_WORDS = {"active": "実施中", "completed": "完了", "paused": "休止中", "planned": "計画中"}
KIND_WORDS = {"advisory": "助言", "co-project": "共同プロジェクト", "funding": "助成",
              "mentorship": "メンタリング", "peer": "仲間", "research": "共同研究"}
ORIGIN_WORDS = {"cohort": "同期", "forum": "フォーラム", "other": "その他",
                "staff introduction": "スタッフの紹介", "suggested introduction": "提案による紹介"}
YES_NO = {"yes": "はい", "no": "いいえ"}
# Which column takes which words.
IN_JAPANESE = {
    "country": COUNTRIES, "org_type": ORG_TYPE_WORDS, "status": STATUS_WORDS,
    "kind": KIND_WORDS, "origin": ORIGIN_WORDS, "consent_directory": YES_NO,
    "consent_public": YES_NO, "suggested": YES_NO,
}


def sample_rows(name: str) -> list[dict[str, str]]:
    with open(SAMPLE_DIR / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def in_japanese(row: dict[str, str]) -> dict[str, str]:
    """A sample row with its countries, prefectures, states and words in Japanese."""
    out = {}
    for column, value in row.items():
        if column == "region":
            value = REGIONS.get((row["country"], value), value)
        elif column in IN_JAPANESE and value:
            value = IN_JAPANESE[column][value]
        out[column] = value
    return out


def counts(dataset) -> dict[str, tuple[int, int, int]]:
    return {n: (r.rows_read, r.rows_loaded, r.rows_rejected) for n, r in dataset.report.items()}


@pytest.fixture(scope="module")
def japanese_template() -> bytes:
    with i18n.speaking("ja"):
        return template_xlsx()


@pytest.fixture(scope="module")
def japanese_folder(japanese_template, tmp_path_factory):
    """The sample written into the Japanese template, its values in Japanese."""
    book = openpyxl.load_workbook(io.BytesIO(japanese_template))
    for name in LOAD_ORDER:
        sheet = book[SHEETS[name]]
        position = {c: i for i, c in enumerate(TABLES[name].column_names, start=1)}
        for number, row in enumerate(map(in_japanese, sample_rows(name)), start=2):
            for column, value in row.items():
                if value:
                    sheet.cell(number, position[column], value)
    folder = tmp_path_factory.mktemp("japanese")
    book.save(folder / "絆データ.xlsx")
    return folder


def test_the_japanese_template_names_its_sheets_and_headers_in_japanese(japanese_template):
    book = openpyxl.load_workbook(io.BytesIO(japanese_template))
    assert [s for s in book.sheetnames if not s.startswith("_")] == [SHEETS[n] for n in LOAD_ORDER]
    for (table, column), header in HEADERS.items():
        assert header in [c.value for c in book[SHEETS[table]][1]], (table, column)
    helpers = [s for s in book.sheetnames if s.startswith("_")]
    assert len(helpers) == 2 and all(not s[1:].isascii() for s in helpers)


def test_a_workbook_in_japanese_loads_to_the_same_tables_as_the_sample(japanese_folder):
    japanese, sample = load_dataset(japanese_folder), load_dataset(SAMPLE_DIR)
    assert [str(p.message) for p in japanese.problems] == []
    assert counts(japanese) == counts(sample)
    for name in LOAD_ORDER:
        # The same values, types and row numbers; a workbook's empty text cells and a CSV's
        # read the same, but their columns' storage may differ.
        pd.testing.assert_frame_equal(japanese[name], sample[name], check_dtype=False,
                                      obj=name)
        assert japanese[name].dtypes.astype(str).map(lambda t: t in ("object", "str")).equals(
            sample[name].dtypes.astype(str).map(lambda t: t in ("object", "str"))), name


def test_japanese_file_names_and_headers_are_read_and_problems_name_the_header_as_written(
        tmp_path):
    alumni = ("修了生ID,氏名（ローマ字）,氏名,プログラム,期,研修年,国,所属団体ID,名簿掲載の同意,"
              "一般公開の同意\n"
              "A1,Haruka Sato,佐藤 遥,SIFJ,2011,2011,日本,O1,はい,いいえ\n"
              "A2,Kenta Abe,阿部 健太,SIFJ,2012,二〇一二,韓国,,×,なし\n")
    tables = {name: text for name, text in MINI.items() if name != "alumni"}
    folder = write_folder(tmp_path / "ja", {**tables, "修了生": alumni})
    dataset = load_dataset(folder)
    [problem] = [p for p in dataset.problems if p.table == "alumni"]  # A2's ties go with it
    assert (problem.file, problem.row) == ("修了生.csv", 3)
    assert (problem.column, problem.value) == ("研修年", "二〇一二")
    assert "研修年" in str(problem.message)
    with i18n.speaking("ja"):
        said = str(problem.message)
    assert said.startswith("「研修年」には") and "入力してください" in said and "二〇一二" in said
    assert dataset["alumni"]["country"].tolist() == ["JP"]
    assert dataset["alumni"][["consent_directory", "consent_public"]].values.tolist() == [
        [True, False]]


def test_a_missing_required_column_is_named_in_the_language_of_the_reader(tmp_path):
    alumni = "修了生ID,氏名（ローマ字）,プログラム,期,研修年\nA1,Haruka Sato,SIFJ,2011,2011\n"
    tables = {name: text for name, text in MINI.items() if name != "alumni"}
    dataset = load_dataset(write_folder(tmp_path / "ja", {**tables, "修了生": alumni}))
    [problem] = [p for p in dataset.problems if p.table == "alumni"]
    assert problem.column == "country"
    assert "country" in str(problem.message)
    with i18n.speaking("ja"):
        assert "「国」" in str(problem.message)


def test_problems_keep_both_languages_and_pickle(tmp_path):
    dataset = load_dataset(write_folder(tmp_path / "p", {
        **MINI, "projects": MINI["projects"].replace(",active,", ",done,")}))
    [problem] = dataset.problems
    assert pickle.loads(pickle.dumps(problem)) == problem and hash(problem)
    english = str(problem.message)
    with i18n.speaking("ja"):
        japanese = str(problem.message)
    assert "one of planned, active, completed, or paused" in english
    assert "計画中、実施中、完了、または休止中のいずれか" in japanese
    assert str(problem.message) == english


def test_every_table_and_column_has_a_japanese_name_that_reads_back():
    for table in TABLES.values():
        assert table.aliases and not table.aliases[0].isascii(), table.name
        assert normalize_header(table.aliases[0]) == table.name
        for column in table.columns:
            assert column.aliases, (table.name, column.name)
            for alias in column.aliases:
                assert normalize_header(alias, table.name) == column.name, alias
    assert normalize_header("ＡＬＵＭ　ＩＤ", "alumni") == "alum_id"
    assert normalize_header("金額 (米ドル)", "funding") == "amount_usd"


def test_what_kizuna_shows_in_japanese_reads_back_as_the_same_key():
    with i18n.speaking("ja"):
        for vocabulary in (STATUSES, ORG_TYPES, TIE_KINDS, TIE_ORIGINS, WAVES):
            words = vocabulary_words(vocabulary)
            for key in vocabulary:
                shown = i18n._(key)
                assert not shown.isascii(), key  # translated
                assert words[word_key(shown)] == key, (key, shown)
        assert word_key(i18n._(TRUE_WORDS[0])) in map(word_key, TRUE_WORDS)
        assert word_key(i18n._(FALSE_WORDS[0])) in map(word_key, FALSE_WORDS)
        names = {code: country_name(code) for code in COUNTRY_CODES}
    assert {code for code, name in names.items() if resolve_country(name) != code} == set()
    assert resolve_country("大韓民国") == resolve_country("韓国") == "KR"


@pytest.mark.parametrize(("country", "written", "expected"), [
    ("JP", "宮城県", "Miyagi"), ("JP", "宮城", "Miyagi"), ("JP", "東京都", "Tokyo"),
    ("JP", "北海道", "Hokkaido"), ("JP", "大阪府", "Osaka"), ("US", "カリフォルニア", "California"),
    ("US", "ハワイ州", "Hawaii"), ("US", "宮城県", None), ("KR", "ソウル", None),
])
def test_prefectures_and_states_in_japanese(country, written, expected):
    assert resolve_region(country, written) == expected


def test_the_japanese_template_empty_loads_with_no_problems(japanese_template, tmp_path):
    (tmp_path / "テンプレート.xlsx").write_bytes(japanese_template)
    dataset = load_dataset(tmp_path)
    assert dataset.problems == []
    assert counts(dataset) == {name: (0, 0, 0) for name in LOAD_ORDER}


def run(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("KIZUNA_LANG", "LC_ALL", "LC_MESSAGES", "LANG")}
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120,
                          env={**environment, **env})


def test_validate_in_japanese_prints_its_problems_in_japanese(tmp_path):
    folder = write_folder(tmp_path / "p", {
        **MINI, "projects": MINI["projects"].replace(",active,", ",done,")})
    result = run("validate", str(folder), "--lang", "ja")
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["表", "ファイル", "読んだ行", "読み込み", "除外した行"]
    [problem] = [line for line in lines if "done" in line]
    assert problem.startswith("エラー: projects.csv 2行目 status [done]: 「status」には")
    assert "計画中、実施中、完了、または休止中のいずれか" in problem
    assert lines[-1] == "エラー1件、警告0件、除外した行1行。"
    # The language before the command, from KIZUNA_LANG, from the locale; --lang wins.
    assert run("--lang", "ja", "validate", str(folder)).stdout == result.stdout
    assert run("validate", str(folder), KIZUNA_LANG="ja").stdout == result.stdout
    assert run("validate", str(folder), LANG="ja_JP.UTF-8").stdout == result.stdout
    english = run("validate", str(folder), "--lang", "en", KIZUNA_LANG="ja")
    assert "error: projects.csv row 2 status [done]" in english.stdout


def test_the_language_is_asked_then_the_servers_then_the_locales(monkeypatch):
    for variable in ("KIZUNA_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(variable, raising=False)
    assert language() == "en"
    monkeypatch.setenv("LANG", "ja_JP.UTF-8")
    assert language() == "ja"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")  # the first locale variable set counts
    assert language() == "en"
    monkeypatch.setenv("KIZUNA_LANG", "ja")
    assert language() == "ja" and language("en") == "en"


def test_the_template_command_writes_the_template_in_the_language(tmp_path):
    out = tmp_path / "テンプレート.xlsx"
    result = run("template", "--out", str(out), "--lang", "ja")
    assert result.returncode == 0, result.stderr
    assert openpyxl.load_workbook(out).sheetnames[1:3] == ["団体", "修了生"]


def test_survey_waves_written_in_japanese_keep_their_change_from_baseline(tmp_path):
    """A Japanese office writes ベースライン and 1年後: they are the same waves, so the change
    since the baseline is measured as with the English words (by hand: 2 → 5 is +3)."""
    from analytics.impact.outcomes import outcomes_by_cohort
    from analytics.selection import Selection
    outcomes = ("subject_id,wave,year,indicator,value,unit\n"
                "A1,ベースライン,2011,Confidence,2,score\n"
                "A1,1年後,2012,Confidence,5,score\n"
                "A1,year 1,2016,Confidence,4,score\n")  # a numbered label: a series of its own
    data = load_dataset(write_folder(tmp_path, {**MINI, "outcomes": outcomes}))
    assert list(data.tables["outcomes"]["wave"]) == ["baseline", "one year", "year 1"]
    table = outcomes_by_cohort(data.tables, Selection())
    assert table.set_index("wave").loc["one year", "change"] == 3
