"""The data contract: every table, column and type Kizuna reads.

This module is the single source of truth. The loader reads files by it, the
validator checks values against it, ``docs/data.md`` is generated from it
(``python -m analytics docs``), the Excel template and the sample generator
write columns in its order. Nothing else lists columns by hand.

Japanese is declared here too, once: each table's and column's ``aliases``
(the other names a sheet, a file or a header may give it, in Japanese; the
first is the name Kizuna writes in Japanese), and the Japanese words read as
each word of a controlled vocabulary (statuses, tie kinds, organization types,
tie origins, yes and no). The vocabularies' own words are the data's keys,
marked with ``N_`` so that pages show them translated (``_(status)``).

Example
-------
>>> from analytics.data.schema import TABLES
>>> TABLES["alumni"].key
'alum_id'
>>> [c.name for c in TABLES["funding"].columns if c.required]
['funder_id', 'program', 'year', 'amount_usd']
>>> normalize_header("修了生"), normalize_header("氏名（ローマ字）", "alumni")
('alumni', 'name')
>>> normalize_header("氏名", "alumni"), normalize_header("分野", "projects")
('name_local', 'cause')
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

from babel.lists import format_list

from analytics import i18n
from analytics.i18n import N_, lazy

YEAR_MIN, YEAR_MAX = 1900, 2100

LIST_SEPARATOR = ";"


def word_key(text: str) -> str:
    """How a vocabulary word is compared: width, case and surrounding spaces do not matter.

    >>> word_key(" ＮＰＯ法人 ") == word_key("npo法人")
    True
    """
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def _one_meaning(vocabulary: dict[str, tuple[str, ...]]) -> dict[str, tuple[str, ...]]:
    words = [word_key(w) for name, aliases in vocabulary.items() for w in (name, *aliases)]
    assert len(words) == len(set(words)), "a word may stand for one value only"
    return vocabulary


# Each controlled vocabulary maps its words (the data's keys, marked for translation) to the
# other words staff type for them, English and Japanese; any of them reads as the key. The
# Japanese translation of each key (the catalog's) is among its aliases, so that what Kizuna
# shows in Japanese reads back (tests/test_japanese_data.py).

# Project statuses.
STATUSES = _one_meaning({
    N_("planned"): ("計画中", "予定", "準備中"),
    N_("active"): ("実施中", "進行中", "活動中"),
    N_("completed"): ("完了", "終了"),
    N_("paused"): ("休止中", "休止", "中断"),
})

# Organization types. The cross-sector metrics compare these, so free text would split one
# sector into many; an unknown type is an error that lists these choices.
ORG_TYPES = _one_meaning({
    N_("nonprofit"): ("npo", "ngo", "non-profit", "not-for-profit", "charity", "civil society",
                      "NPO・非営利団体", "非営利団体", "非営利", "NPO法人", "市民団体",
                      "一般社団法人", "公益社団法人", "社団法人"),
    N_("social business"): ("social enterprise", "social-business", "b corp",
                            "ソーシャルビジネス", "社会的企業", "社会起業"),
    N_("business"): ("company", "corporation", "corporate", "private sector", "for-profit",
                     "企業", "民間企業", "会社", "株式会社"),
    N_("government"): ("public sector", "municipality", "local government", "agency",
                       "行政", "政府", "自治体", "地方自治体", "官公庁", "省庁"),
    N_("academic"): ("university", "research institute", "school", "academia",
                     "大学・研究機関", "大学", "研究機関", "学校", "教育機関"),
    N_("foundation"): ("funder", "philanthropy", "grantmaker",
                       "財団", "財団法人", "公益財団法人", "一般財団法人", "助成財団"),
    N_("international"): ("multilateral", "intergovernmental", "国際機関", "国際組織"),
    N_("network"): ("association", "council", "coalition", "intermediary",
                    "ネットワーク組織", "ネットワーク", "協議会", "中間支援組織", "連合", "協会"),
})

# The headline figures (analytics.impact.KPI_DEFINITIONS) a target may be set for: keys,
# written as they are in either language.
TARGET_METRICS = ("alumni", "organizations", "countries", "projects_launched", "projects_active",
                  "beneficiaries", "funds_raised", "program_funding", "leverage", "cross_border",
                  "cross_border_share", "active_alumni")

# The kinds of tie staff usually record; other words are accepted and kept as written.
TIE_KINDS = _one_meaning({
    N_("mentorship"): ("メンタリング", "メンター", "指導"),
    N_("co-project"): ("共同プロジェクト", "協働プロジェクト", "協働"),
    N_("research"): ("研究", "共同研究"),
    N_("funding"): ("助成", "資金提供", "出資"),
    N_("advisory"): ("助言", "アドバイザー", "顧問"),
    N_("peer"): ("仲間", "ピア", "同僚"),
})

# The survey waves the contract names, in the order they come (analytics.impact.outcomes);
# other labels ("year 5") are accepted and kept as written.
WAVES = _one_meaning({
    N_("baseline"): ("ベースライン", "事前", "開始時", "研修前", "pre"),
    N_("exit"): ("修了時", "修了後", "終了時", "post"),
    # not "year 1" or "year 3": numbered labels are a series of their own (project waves)
    N_("one year"): ("1年後", "一年後"),
    N_("three years"): ("3年後", "三年後"),
})

# How a tie began; blank means not recorded. An unknown origin is an error that lists these.
TIE_ORIGINS = _one_meaning({
    N_("cohort"): ("program", "in the program", "same cohort", "cohort peer", "cohort peers",
                   "classmate", "classmates", "training",
                   "同期", "同じ期", "プログラム", "プログラム内", "研修"),
    N_("forum"): ("convening", "event", "conference", "workshop", "summit", "alumni event",
                  "gathering", "meetup",
                  "フォーラム", "イベント", "会議", "ワークショップ", "交流会", "サミット"),
    N_("staff introduction"): ("introduction", "introduced", "introduced by staff", "staff intro",
                               "staff referral", "referral",
                               "スタッフの紹介", "スタッフ紹介", "紹介"),
    N_("suggested introduction"): ("suggested", "suggestion", "kizuna suggestion",
                                   "suggested by kizuna", "suggested intro",
                                   "提案による紹介", "Kizunaの提案", "提案"),
    N_("other"): ("elsewhere", "outside", "outside the program", "before the program",
                  "independent", "その他", "プログラム外", "プログラム以前"),
})
# The origins of ties the program made: everything but "other" (and blank).
PROGRAM_ORIGINS = ("cohort", "forum", "staff introduction", "suggested introduction")
assert set(PROGRAM_ORIGINS) < set(TIE_ORIGINS)

# Yes and no: the first of each is the key Kizuna writes (shown translated).
TRUE_WORDS = (N_("yes"), "true", "1", "y", "はい", "○", "◯", "あり", "有")
FALSE_WORDS = (N_("no"), "false", "0", "n", "いいえ", "×", "なし", "無")
assert not {word_key(w) for w in TRUE_WORDS} & {word_key(w) for w in FALSE_WORDS}


def vocabulary_words(vocabulary: dict[str, tuple[str, ...]]) -> dict[str, str]:
    """Every word of a vocabulary (key or alias, as :func:`word_key` compares it) -> its key.

    >>> vocabulary_words(STATUSES)["実施中"], vocabulary_words(ORG_TYPES)["npo法人"]
    ('active', 'nonprofit')
    """
    return {word_key(w): name for name, aliases in vocabulary.items() for w in (name, *aliases)}


@dataclass(frozen=True)
class Listed:
    """Words listed in a message, as the language of the moment lists them ("a, b, or c";
    "a、b、またはc"): kept in a message made once (:func:`analytics.i18n.lazy`) and
    formatted each time it is shown.

    ``translated`` shows each word translated (vocabulary keys); ``style`` is
    Babel's list style: ``"or"`` or ``"standard"`` (and).

    >>> str(Listed(("planned", "active"))), str(Listed(("a", "b", "c"), style="standard"))
    ('planned or active', 'a, b, and c')
    >>> with i18n.speaking("ja"):
    ...     str(Listed(("a", "b"), translated=False))
    'aまたはb'
    """

    words: tuple
    translated: bool = True
    style: str = "or"

    def __str__(self) -> str:
        shown = [i18n._(w) if self.translated and isinstance(w, str) else str(w)
                 for w in self.words]
        return format_list(shown, style=self.style, locale=i18n.babel_locale()) if shown else ""

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


@dataclass(frozen=True)
class Label:
    """A table's or column's name as the language of the moment shows it: the contract's name
    in English, its Japanese name (its first alias) in Japanese. Like :class:`Listed`, it
    may be kept in a message made once.

    >>> label = TABLES["alumni"].label
    >>> str(label), format(TABLES["alumni"].column("alum_id").label)
    ('alumni', 'alum_id')
    >>> with i18n.speaking("ja"):
    ...     str(label), str(TABLES["alumni"].column("alum_id").label)
    ('修了生', '修了生ID')
    """

    name: str
    japanese: str = ""

    def __str__(self) -> str:
        return self.japanese if self.japanese and i18n.language() == "ja" else self.name

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


class Kind(StrEnum):
    """How a column's text is read and checked."""

    ID = "id"  # trimmed text, compared exactly
    TEXT = "text"
    YEAR = "year"  # whole number, YEAR_MIN..YEAR_MAX
    COUNT = "count"  # whole number >= 0
    MONEY = "money"  # number >= 0, '$' and thousands separators allowed
    WEIGHT = "weight"  # number > 0, blank means 1
    BOOL = "bool"  # TRUE_WORDS / FALSE_WORDS, blank means no
    COUNTRY = "country"  # ISO 3166-1 alpha-2 after resolution
    REGION = "region"  # text; a prefecture or US state named in Japanese reads as its English name
    LIST = "list"  # LIST_SEPARATOR-separated labels, lower-cased
    ID_LIST = "id_list"  # LIST_SEPARATOR-separated IDs
    STATUS = "status"  # one of STATUSES
    ORG_TYPE = "org_type"  # one of ORG_TYPES
    METRIC = "metric"  # one of TARGET_METRICS
    NUMBER = "number"  # a number >= 0
    MEASURE = "measure"  # any number, negatives allowed; blank means not answered (NaN)
    TIE_ORIGIN = "tie_origin"  # one of TIE_ORIGINS
    TIE_KIND = "tie_kind"  # one of TIE_KINDS when it is one of their words, else kept as written
    WAVE = "wave"  # one of WAVES when it is one of their words, else kept as written


# What a value of each kind must be, in words: messages made once, shown in the language of
# the moment (in problems, the template's header notes and docs/data.md).
KIND_EXPECTS = {
    Kind.ID: lazy("an identifier"),
    Kind.TEXT: lazy("text"),
    Kind.YEAR: lazy("a whole year from {low} to {high}", low=YEAR_MIN, high=YEAR_MAX),
    Kind.COUNT: lazy("a whole number of 0 or more"),
    Kind.MONEY: lazy("an amount of 0 or more (digits; '$' and thousands commas are fine)"),
    Kind.WEIGHT: lazy("a number above 0 (blank means 1)"),
    Kind.BOOL: lazy("yes/no, true/false, 1/0 or y/n (blank means no)"),
    Kind.COUNTRY: lazy("a country as an ISO code (JP, JPN) or a name (Japan)"),
    Kind.REGION: lazy("text; prefectures and states may be written in Japanese"),
    Kind.LIST: lazy("labels separated by '{separator}'", separator=LIST_SEPARATOR),
    Kind.ID_LIST: lazy("IDs separated by '{separator}'", separator=LIST_SEPARATOR),
    Kind.STATUS: lazy("one of {choices}", choices=Listed(tuple(STATUSES))),
    Kind.ORG_TYPE: lazy("one of {choices}", choices=Listed(tuple(ORG_TYPES))),
    Kind.METRIC: lazy("one of {choices}", choices=Listed(TARGET_METRICS, translated=False)),
    Kind.NUMBER: lazy("a number of 0 or more"),
    Kind.MEASURE: lazy("a number, negative or not (thousands commas are fine; blank means not "
                       "answered)"),
    Kind.TIE_ORIGIN: lazy("one of {choices} (blank: not recorded)",
                          choices=Listed(tuple(TIE_ORIGINS))),
    Kind.TIE_KIND: lazy("a kind of tie such as {choices}; another word is kept as written",
                        choices=Listed(tuple(TIE_KINDS))),
    Kind.WAVE: lazy("a survey wave such as {choices}; another label is kept as written",
                    choices=Listed(tuple(WAVES))),
}
assert set(KIND_EXPECTS) == set(Kind)


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str  # marked for translation: shown as _(description)
    example: str  # shown as _(example): free text examples are marked for translation
    required: bool = False
    references: tuple[str, ...] = ()  # tables whose key this value must name
    # Other headers that name this column, in Japanese: the first is the header Kizuna writes in
    # Japanese (the template, messages). Compared as normalize_header compares headers.
    aliases: tuple[str, ...] = ()

    @property
    def label(self) -> Label:
        """The column's name in the language of the moment (see :class:`Label`)."""
        return Label(self.name, self.aliases[0] if self.aliases else "")


@dataclass(frozen=True)
class DistinctEnds:
    """A row's two columns must hold different values (a tie needs two different ends)."""

    first: str
    second: str
    # The problem's message, with the columns as {first} and {second}: marked for translation.
    message: str = N_("{first} and {second} are the same; a tie needs two different ends.")

    def describe(self) -> str:
        return f"`{self.first}` and `{self.second}` differ"


@dataclass(frozen=True)
class EndNotBeforeStart:
    """A row's ``end`` year may not come before its ``start`` year (blank ends are fine)."""

    start: str
    end: str

    def describe(self) -> str:
        return f"`{self.end}` is not before `{self.start}`"


@dataclass(frozen=True)
class UniqueTogether:
    """No two rows may share these columns' values (text compared without case)."""

    columns: tuple[str, ...]

    def describe(self) -> str:
        return "one row per " + " and ".join(f"`{c}`" for c in self.columns)


@dataclass(frozen=True)
class KeyNotIn:
    """The table's key may not also be a key of ``other``: a tie that names it would be ambiguous."""

    other: str

    def describe(self) -> str:
        return f"no ID is also an ID of {self.other}"


Rule = DistinctEnds | EndNotBeforeStart | UniqueTogether | KeyNotIn


@dataclass(frozen=True)
class Table:
    name: str
    description: str  # marked for translation: shown as _(description)
    columns: tuple[Column, ...]
    required: bool = True
    key: str | None = None
    rules: tuple[Rule, ...] = ()  # checked on every row beyond each column's own kind
    match_on: tuple[str, ...] = ()  # what says which row is which, for a table without a key
    # Other names a file or sheet may give the table, in Japanese: the first is the sheet name
    # Kizuna writes in Japanese (the template, messages).
    aliases: tuple[str, ...] = ()

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    @property
    def label(self) -> Label:
        """The table's name in the language of the moment (see :class:`Label`)."""
        return Label(self.name, self.aliases[0] if self.aliases else "")

    @cached_property
    def headers(self) -> dict[str, str]:
        """Every header that names one of the table's columns, as :func:`header_key` reads
        it -> the column's name: the names themselves and their aliases."""
        found: dict[str, str] = {}
        for column in self.columns:
            for header in (column.name, *column.aliases):
                assert found.get(header_key(header), column.name) == column.name, (
                    f"{self.name}: the header {header} names two columns")
                found[header_key(header)] = column.name
        return found

    @property
    def identity(self) -> tuple[str, ...]:
        """The columns that say which row is which, to match the rows of two versions.

        The key, else ``match_on``, else the columns a rule keeps unique, else the
        required columns.

        >>> TABLES["targets"].identity
        ('metric', 'year')
        """
        if self.key:
            return (self.key,)
        if self.match_on:
            return self.match_on
        unique = next((r.columns for r in self.rules if isinstance(r, UniqueTogether)), None)
        return unique or tuple(c.name for c in self.columns if c.required)


def _c(name, kind, description, example, *aliases, required=False, references=()):
    return Column(name, kind, description, example, required, tuple(references), tuple(aliases))


NODE_TABLES = ("alumni", "organizations")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "organizations",
            N_("Partner institutions, funders and the alumni's own organizations."),
            (
                _c("org_id", Kind.ID, N_("Unique ID of the organization."), "ORG-ETIC",
                   "団体ID", required=True),
                _c("name", Kind.TEXT, N_("Name as shown in the app."), "ETIC.",
                   "団体名", "名称", "名前", required=True),
                _c("country", Kind.COUNTRY, N_("Country of its main office."), "JP",
                   "国", "国名", required=True),
                _c("region", Kind.REGION, N_("Prefecture, state or city region."), "Tokyo",
                   "地域", "都道府県", "州"),
                _c("org_type", Kind.ORG_TYPE, N_("Sector of the organization."), "nonprofit",
                   "団体の種類", "団体種別", "種別", required=True),
                _c("causes", Kind.LIST, N_("Causes it works on."),
                   N_("youth entrepreneurship;education"), "分野"),
                _c("website", Kind.TEXT, N_("Home page address."), "https://www.etic.or.jp/",
                   "ウェブサイト", "ホームページ", "URL"),
            ),
            key="org_id",
            aliases=("団体", "団体一覧", "組織"),
        ),
        Table(
            "alumni",
            N_("One row per person who completed a program cohort."),
            (
                _c("alum_id", Kind.ID, N_("Unique ID of the alum."), "A0001", "修了生ID",
                   required=True),
                _c("name", Kind.TEXT, N_("Name in Latin letters."), "Haruka Sato",
                   "氏名（ローマ字）", "氏名（英字）", "ローマ字氏名", required=True),
                # A Japanese office's 氏名 is the name in kanji: it is this column, not `name`.
                _c("name_local", Kind.TEXT, N_("Name in the local script."), "佐藤 遥",
                   "氏名（現地表記）", "氏名（漢字）", "漢字氏名", "日本語氏名", "氏名", "名前"),
                _c("program", Kind.TEXT, N_("Program attended."), "TOMODACHI Microsoft iLEAP",
                   "プログラム", "プログラム名", required=True),
                _c("cohort", Kind.TEXT, N_("Cohort within the program."), N_("2017 Spring"),
                   "期", "コホート", required=True),
                _c("cohort_year", Kind.YEAR, N_("Year the cohort trained."), "2017",
                   "研修年", "期の年", "コホートの年", required=True),
                _c("country", Kind.COUNTRY, N_("Country the alum lives and works in."), "JP",
                   "国", "国名", required=True),
                _c("region", Kind.REGION, N_("Prefecture or state."), "Miyagi",
                   "地域", "都道府県", "州"),
                _c("city", Kind.TEXT, N_("City."), N_("Ishinomaki"), "市区町村", "都市"),
                _c("causes", Kind.LIST, N_("Causes the alum works on."),
                   N_("disaster recovery;aging"), "分野"),
                _c("organization_id", Kind.ID, N_("The alum's organization."), "ORG-ETIC",
                   "所属団体ID", "団体ID", references=("organizations",)),
                _c("role", Kind.TEXT, N_("Role in that organization."), N_("Founder"),
                   "役職", "役割"),
                _c("email", Kind.TEXT, N_("Contact email (personal data)."),
                   "haruka@example.org", "メールアドレス", "メール"),
                _c("phone", Kind.TEXT, N_("Contact phone (personal data)."), "+81-90-0000-0000",
                   "電話番号", "電話"),
                _c("consent_directory", Kind.BOOL,
                   N_("May be named to funders and in the directory."), "yes",
                   "名簿掲載の同意", "名簿への掲載"),
                _c("consent_public", Kind.BOOL, N_("May be named to a public audience."), "no",
                   "一般公開の同意", "公開の同意"),
            ),
            key="alum_id",
            rules=(KeyNotIn("organizations"),),
            aliases=("修了生", "修了生名簿"),
        ),
        Table(
            "partnerships",
            N_("Ties between alumni and organizations, in either direction."),
            (
                _c("partnership_id", Kind.ID, N_("Unique ID of the tie."), "P0001",
                   "つながりID", required=True),
                _c("source_id", Kind.ID, N_("One end: an alum_id or org_id."), "A0001",
                   "一方のID", required=True, references=NODE_TABLES),
                _c("target_id", Kind.ID, N_("Other end: an alum_id or org_id."), "ORG-MSFT",
                   "もう一方のID", "相手のID", required=True, references=NODE_TABLES),
                _c("kind", Kind.TIE_KIND, N_("Kind of tie."), "mentorship",
                   "つながりの種類", required=True),
                _c("start_year", Kind.YEAR, N_("Year the tie began."), "2017", "開始年",
                   required=True),
                _c("end_year", Kind.YEAR, N_("Year it ended; blank while it lasts."), "",
                   "終了年"),
                _c("weight", Kind.WEIGHT, N_("Strength of the tie; blank means 1."), "1",
                   "強さ", "重み"),
                _c("note", Kind.TEXT, N_("Free note."), N_("Seattle advisor pairing"),
                   "メモ", "備考"),
                _c("origin", Kind.TIE_ORIGIN,
                   N_("How the tie began: cohort (met in the cohort itself), forum (at a forum "
                      "or convening), staff introduction, suggested introduction (an "
                      "introduction Kizuna suggested that staff made) or other; blank if not "
                      "recorded. Common words are read as these: program as cohort, convening "
                      "or event as forum, introduction or introduced by staff as staff "
                      "introduction."), "cohort",
                   "経緯", "きっかけ", "つながりのきっかけ"),
            ),
            key="partnership_id",
            rules=(DistinctEnds("source_id", "target_id"), EndNotBeforeStart("start_year", "end_year")),
            aliases=("つながり", "パートナーシップ"),
        ),
        Table(
            "projects",
            N_("Change projects the alumni lead."),
            (
                _c("project_id", Kind.ID, N_("Unique ID of the project."), "PRJ001",
                   "プロジェクトID", required=True),
                _c("title", Kind.TEXT, N_("Project title."),
                   N_("Ishinomaki Seniors' Digital Café"), "プロジェクト名", "タイトル",
                   required=True),
                _c("lead_alum_id", Kind.ID, N_("The alum who leads it."), "A0001",
                   "代表の修了生ID", "代表者ID", "修了生ID", required=True,
                   references=("alumni",)),
                _c("cause", Kind.TEXT, N_("Main cause."), N_("aging"), "主な分野", "分野",
                   required=True),
                _c("country", Kind.COUNTRY, N_("Where it runs."), "JP", "国", "国名",
                   required=True),
                _c("region", Kind.REGION, N_("Prefecture, state or city region."), "Miyagi",
                   "地域", "都道府県", "州"),
                _c("start_year", Kind.YEAR, N_("Year it started."), "2018", "開始年",
                   required=True),
                _c("end_year", Kind.YEAR, N_("Year it ended; blank while it runs."), "",
                   "終了年"),
                _c("status", Kind.STATUS, N_("Where it stands."), "active", "状況",
                   "ステータス", required=True),
                _c("beneficiaries", Kind.COUNT, N_("People reached (IRIS+ PI4060)."), "420",
                   "受益者数", "受益者"),
                _c("funds_raised_usd", Kind.MONEY, N_("Funds raised, in US dollars."), "35000",
                   "調達額（米ドル）", "調達額", "調達資金（米ドル）"),
                _c("partner_ids", Kind.ID_LIST, N_("Partner alum_ids or org_ids."),
                   "ORG-MSJ;A0042", "パートナーID", references=NODE_TABLES),
                _c("summary", Kind.TEXT, N_("One or two sentences on the project."),
                   N_("Weekly tablet classes for elderly residents of temporary housing."),
                   "概要"),
            ),
            key="project_id",
            rules=(EndNotBeforeStart("start_year", "end_year"),),
            aliases=("プロジェクト", "プロジェクト一覧"),
        ),
        Table(
            "funding",
            N_("Program funding by funder and year."),
            (
                _c("funder_id", Kind.ID, N_("The funder's org_id."), "ORG-CGP", "助成団体ID",
                   "団体ID", required=True, references=("organizations",)),
                _c("program", Kind.TEXT, N_("Program funded."), "Social Innovation Forum: Japan",
                   "プログラム", "プログラム名", required=True),
                _c("year", Kind.YEAR, N_("Year of the grant."), "2012", "年度", "年",
                   required=True),
                _c("amount_usd", Kind.MONEY, N_("Amount in US dollars."), "150000",
                   "金額（米ドル）", "金額", "助成額（米ドル）", "助成額", required=True),
            ),
            required=False,
            match_on=("funder_id", "program", "year"),
            aliases=("助成", "助成金"),
        ),
        Table(
            "targets",
            N_("Yearly targets for the headline figures, to compare with what happened. A "
               "target is for one year's figure (for example alumni trained in that year)."),
            (
                _c("metric", Kind.METRIC, N_("The figure the target is for."), "alumni",
                   "指標", "主要指標", required=True),
                _c("year", Kind.YEAR, N_("The year it is for."), "2017", "年度", "年",
                   required=True),
                _c("target", Kind.NUMBER, N_("The target value."), "45", "目標値", "目標",
                   required=True),
            ),
            required=False,
            rules=(UniqueTogether(("metric", "year")),),
            aliases=("目標",),
        ),
        Table(
            "outcomes",
            N_("Alumni surveys and project measures over time: one value of one indicator for "
               "one alum or project in one wave (baseline, exit, one year, three years...). A "
               "blank value means the question was asked but not answered."),
            (
                _c("subject_id", Kind.ID, N_("The alum or project the value is about."), "A0001",
                   "対象ID", required=True, references=("alumni", "projects")),
                _c("wave", Kind.WAVE,
                   N_("When in the program it was measured: baseline, exit, one year, three "
                      "years, or any label. One value per subject, wave and indicator."),
                   N_("baseline"), "調査回", required=True),
                _c("year", Kind.YEAR, N_("Year the wave was measured."), "2017", "年度", "年",
                   required=True),
                _c("date", Kind.TEXT, N_("Date of the survey or measure, as 2017-07-10 (free "
                                         "text is kept as written)."), "2017-07-10",
                   "調査日", "日付"),
                _c("indicator", Kind.TEXT, N_("What was measured."),
                   N_("Cross-border collaborations"), "指標", required=True),
                _c("value", Kind.MEASURE, N_("The value; blank if asked but not answered."), "2",
                   "値", "数値"),
                _c("unit", Kind.TEXT, N_("Unit of the value: count, score 1-5, people, USD, "
                                         "%..."), N_("count"), "単位"),
                _c("iris_code", Kind.TEXT, N_("The IRIS+ metric code, where one exists."), "",
                   "IRIS+コード", "IRISコード"),
            ),
            required=False,
            rules=(UniqueTogether(("subject_id", "wave", "indicator")),),
            match_on=("subject_id", "wave", "indicator"),
            aliases=("成果", "成果指標"),
        ),
        Table(
            "introductions",
            N_("Introductions staff made between two alumni or organizations (recorded from "
               "a profile in the app), whether or not they became ties."),
            (
                _c("first_id", Kind.ID, N_("One of the two introduced: an alum_id or org_id."),
                   "A0001", "一方のID", required=True, references=NODE_TABLES),
                _c("second_id", Kind.ID, N_("The other: an alum_id or org_id."), "A0042",
                   "もう一方のID", "相手のID", required=True, references=NODE_TABLES),
                _c("year", Kind.YEAR, N_("Year of the introduction."), "2020", "年度", "年",
                   required=True),
                _c("date", Kind.TEXT, N_("Date of the introduction, as 2020-05-14."),
                   "2020-05-14", "紹介日", "日付"),
                _c("made_by", Kind.TEXT, N_("Who made it (personal data)."), "Emi Takeda",
                   "紹介者"),
                _c("suggested", Kind.BOOL, N_("It came from Kizuna's suggested introductions."),
                   "yes", "Kizunaの提案", "提案による紹介"),
                _c("note", Kind.TEXT, N_("Free note."), N_("Both work on aging in Tohoku"),
                   "メモ", "備考"),
            ),
            required=False,
            rules=(DistinctEnds("first_id", "second_id", N_(
                "{first} and {second} are the same; an introduction needs two different "
                "ends.")),),
            match_on=("first_id", "second_id", "year"),
            aliases=("紹介",),
        ),
    )
}

# Order in which tables are validated: a table's references are checked
# against the rows already loaded from the tables it refers to.
LOAD_ORDER = ("organizations", "alumni", "partnerships", "projects", "funding", "targets",
              "outcomes", "introductions")
assert set(LOAD_ORDER) == set(TABLES)
# A region is read by its row's country.
assert all(t.column("country").kind is Kind.COUNTRY for t in TABLES.values()
           for c in t.columns if c.kind is Kind.REGION)


def _basic(text: str) -> str:
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return "_".join(text.replace("-", " ").replace("_", " ").split())


def header_key(text: str) -> str:
    """How a header or a file or sheet name is compared with the names and aliases: width,
    case and spaces, hyphens, underscores or middle dots between words do not matter.

    >>> header_key("Alum ID") == header_key("alum_id") == header_key("AlumID")
    True
    >>> header_key("金額 (米ドル)") == header_key("金額（米ドル）")
    True
    """
    return "".join(_basic(text).replace("_", " ").replace("・", " ").split())


def _table_names() -> dict[str, str]:
    found: dict[str, str] = {}
    for table in TABLES.values():
        for name in (table.name, *table.aliases):
            assert found.get(header_key(name), table.name) == table.name, name
            found[header_key(name)] = table.name
    return found


_TABLE_NAMES = _table_names()


def normalize_header(text: str, table: str | None = None) -> str:
    """The contract's name for a header cell of ``table``, or for a file or sheet name (no
    ``table``): the table it is.

    Case, width, surrounding spaces, and spaces or hyphens versus underscores do
    not matter, and a declared alias (a Japanese name) reads as its name. Any
    other text comes back normalized, lower case with underscores between words.

    >>> normalize_header("  Alum ID "), normalize_header("Board Size", "organizations")
    ('alum_id', 'board_size')
    >>> normalize_header("つながり"), normalize_header("分野", "alumni")
    ('partnerships', 'causes')
    """
    names = TABLES[table].headers if table else _TABLE_NAMES
    return names.get(header_key(text)) or _basic(text)
