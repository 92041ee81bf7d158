"""The outputs in Japanese, with known answers: the report, the charts, the forum pack.

And in English, none of their interface text is Japanese (data values, such as a
name in its own script, excepted).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import zipfile

import pytest

from analytics import i18n
from analytics.data.loader import load_dataset
from analytics.impact import outcomes, series
from analytics.impact.kpis import format_value
from analytics.outputs import charts
from analytics.outputs.forum_pack import build_forum_pack, legend_html
from analytics.outputs.report import build_report, describe_selection
from analytics.privacy import Audience
from analytics.selection import Selection
from tests.conftest import MINI, write_folder

# MINI plus two grants to SIFJ: 15,000 US dollars of program funding.
FUNDING = "funder_id,program,year,amount_usd\nO2,SIFJ,2011,10000\nO2,SIFJ,2012,5000\n"
JAPANESE = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")
LOCAL_NAMES = ("佐藤 遥", "阿部 健太")  # MINI's names in their own script: data, in any language


@pytest.fixture(scope="module")
def dataset(tmp_path_factory):
    """MINI whose files were last changed on 21 November 2026: the data's date."""
    folder = write_folder(tmp_path_factory.mktemp("japanese") / "data", {**MINI, "funding": FUNDING})
    noon = dt.datetime(2026, 11, 21, 12).timestamp()
    for path in folder.iterdir():
        os.utime(path, (noon, noon))
    return load_dataset(folder)


def report_in(language: str, dataset) -> str:
    with i18n.speaking(language):
        return build_report(dataset)


def outside_scripts(page: str) -> str:
    return re.sub(r"<script\b.*?</script>", "", page, flags=re.S)


def interface_text(text: str) -> str:
    """Text without the data's own Japanese (people's names in their script)."""
    for name in LOCAL_NAMES:
        text = text.replace(name, "")
    return text


def test_the_report_in_japanese(dataset):
    page = report_in("ja", dataset)
    assert '<html lang="ja">' in page
    assert "<h1>Kizuna インパクトレポート</h1>" in page
    assert "データ時点：2026年11月21日" in page
    assert re.search(r"レポート作成日：\d{4}年\d{1,2}月\d{1,2}日", page)
    # The headline figures by their Japanese names; money in the data's currency (US dollars).
    for label in ("修了生数（IRIS+ PI2998）", "関わった団体数", "プログラムへの助成", "レバレッジ"):
        assert f'<div class="label">{label}</div>' in page
    assert re.search(r'プログラムへの助成</div>\s*<div class="value">\$1\.5万</div>', page)
    assert re.search(r'プロジェクトの調達資金</div>\s*<div class="value">\$5,000</div>', page)
    assert re.search(r'レバレッジ</div>\s*<div class="value">0\.33倍</div>', page)
    for heading in ("主要指標", "インパクトの5つの側面", "協働のネットワーク", "各数値の集計方法"):
        assert f"<h2>{heading}</h2>" in page
    assert "<h3>何を</h3>" in page and "<h3>リスク</h3>" in page
    # Places and people as Japanese writes them: the local name first.
    assert "2013年から · 日本" in page
    assert "代表者：佐藤 遥 (Haruka Sato)（SIFJ、2011）" in page
    assert "<td>佐藤 遥 (Haruka Sato)</td>" in page  # the brokers' table
    assert "Noto Sans CJK JP" in page[page.index("<style>"):page.index("</style>")]


def test_the_report_in_english_has_no_japanese_interface_text(dataset):
    page = report_in("en", dataset)
    assert '<html lang="en">' in page and "data as of November 21, 2026" in page
    assert re.search(r'Program funding</div>\s*<div class="value">\$15K</div>', page)
    assert "Led by Haruka Sato (佐藤 遥) (SIFJ, 2011)" in page
    assert not JAPANESE.findall(interface_text(outside_scripts(page)))


def test_a_chart_in_japanese_and_in_english(dataset):
    alumni = dataset.tables["alumni"]
    with i18n.speaking("ja"):
        cohorts = charts.alumni_per_cohort_chart(series.alumni_per_cohort(alumni))
        countries = charts.alumni_by_chart(series.alumni_by(alumni, "country"), "country")
        origins = charts.ties_by_origin_chart(series.ties_by_origin(dataset.tables["partnerships"]))
    assert cohorts.layout.title.text == "期ごとの修了生数"
    assert (cohorts.layout.xaxis.title.text, cohorts.layout.yaxis.title.text) == ("期", "修了生（人）")
    assert "研修年=" in cohorts.data[0].hovertemplate  # hover text names the columns in Japanese
    assert {trace.name for trace in countries.data} == {"日本"}
    assert [trace.name for trace in origins.data][2] == "経緯の記録なし"
    assert "Noto Sans CJK JP" in cohorts.layout.font.family
    assert cohorts.layout.meta["name"] == "alumni-per-cohort"  # the same file name in any language
    with i18n.speaking("en"):
        english = charts.alumni_per_cohort_chart(series.alumni_per_cohort(alumni))
        by_country = charts.alumni_by_chart(series.alumni_by(alumni, "country"), "country")
    assert english.layout.title.text == "Alumni per cohort"
    assert {trace.name for trace in by_country.data} == {"Japan"}
    assert not JAPANESE.findall(json.dumps(english.to_plotly_json()["layout"], ensure_ascii=False))


def test_formats_names_and_words_in_japanese(dataset):
    with i18n.speaking("ja"):
        assert format_value(15_000, "usd") == "$1.5万"
        assert format_value(1.114, "ratio") == "1.11倍"
        assert format_value(-0.5, "share", change=True) == "-50ポイント"
        assert describe_selection(Selection(countries=("JP", "US"), years=(2011, 2013)),
                                  dataset.tables) == "すべてのプログラム · 2011〜2013年 · 日本、米国"
        assert outcomes.response_note(42, 60) == "60中42が回答（70%）"
        assert outcomes.response_caution(3, 4) == "回答が少ない"
        assert outcomes.wave_name("one year") == "1年後"
        dimensions = outcomes.impact_dimensions(dataset.tables)
        assert [i18n._(d.name) for d in dimensions] == ["何を", "誰に", "どれだけ", "貢献", "リスク"]
        assert dimensions[1].rows[0] == ("修了生", "2", "1か国")


def test_the_forum_pack_in_japanese_and_in_english(dataset):
    with i18n.speaking("ja"):
        pack = zipfile.ZipFile(io.BytesIO(build_forum_pack(dataset, audience=Audience.STAFF)))
    legend = pack.read("legend-and-definitions.html").decode()
    assert '<html lang="ja">' in legend and "<h1>凡例と定義</h1>" in legend
    assert "<h2>主要指標</h2>" in legend and "<dt>修了生数</dt>" in legend
    assert "<h2>国</h2>" in legend and "></i>日本</span>" in legend
    assert "Noto Sans CJK JP" in legend
    readme = pack.read("README.txt").decode()
    assert readme.startswith("Kizuna フォーラム用資料\n")
    assert "データ時点：2026年11月21日" in readme and "絞り込み：すべてのプログラム" in readme
    images = [n for n in pack.namelist() if n.endswith(".svg")]
    assert "charts/alumni-per-cohort.svg" in images  # kaleido draws with the system Chromium
    for name in images:  # the images ask for fonts with Japanese glyphs
        assert "Noto Sans CJK JP" in pack.read(name).decode(), name
    with i18n.speaking("en"):
        english = legend_html(dataset.tables, Selection(), Audience.STAFF, outcomes=True)
    assert '<html lang="en">' in english and "<h1>Legend and definitions</h1>" in english
    assert "></i>Japan</span>" in english
    assert not JAPANESE.findall(interface_text(english))
