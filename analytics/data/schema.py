"""The data contract: every table, column and type Kizuna reads.

This module is the single source of truth. The loader reads files by it, the
validator checks values against it, ``docs/data.md`` is generated from it
(``python -m analytics docs``) and the sample generator writes columns in its
order. Nothing else lists columns by hand.

Example
-------
>>> from analytics.data.schema import TABLES
>>> TABLES["alumni"].key
'alum_id'
>>> [c.name for c in TABLES["funding"].columns if c.required]
['funder_id', 'program', 'year', 'amount_usd']
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import StrEnum

YEAR_MIN, YEAR_MAX = 1900, 2100

LIST_SEPARATOR = ";"

STATUSES = ("planned", "active", "completed", "paused")

# Organization types, with the spellings staff commonly type for them. The
# cross-sector metrics compare these, so free text would split one sector into
# many; an unknown type is an error that lists these choices.
ORG_TYPES = {
    "nonprofit": ("npo", "ngo", "non-profit", "not-for-profit", "charity", "civil society"),
    "social business": ("social enterprise", "social-business", "b corp"),
    "business": ("company", "corporation", "corporate", "private sector", "for-profit"),
    "government": ("public sector", "municipality", "local government", "agency"),
    "academic": ("university", "research institute", "school", "academia"),
    "foundation": ("funder", "philanthropy", "grantmaker"),
    "international": ("multilateral", "intergovernmental"),
    "network": ("association", "council", "coalition", "intermediary"),
}

# The headline figures (analytics.impact.KPI_DEFINITIONS) a target may be set for.
TARGET_METRICS = ("alumni", "organizations", "countries", "projects_launched", "projects_active",
                  "beneficiaries", "funds_raised", "program_funding", "leverage", "cross_border",
                  "cross_border_share", "active_alumni")

# The kinds of tie staff usually record; other words are accepted as they are.
TIE_KINDS = ("mentorship", "co-project", "research", "funding", "advisory", "peer")

# How a tie began, with the words staff commonly type for each; blank means not recorded. An
# unknown origin is an error that lists these choices.
TIE_ORIGINS = {
    "cohort": ("program", "in the program", "same cohort", "cohort peer", "cohort peers",
               "classmate", "classmates", "training"),
    "forum": ("convening", "event", "conference", "workshop", "summit", "alumni event",
              "gathering", "meetup"),
    "staff introduction": ("introduction", "introduced", "introduced by staff", "staff intro",
                           "staff referral", "referral"),
    "suggested introduction": ("suggested", "suggestion", "kizuna suggestion",
                               "suggested by kizuna", "suggested intro"),
    "other": ("elsewhere", "outside", "outside the program", "before the program",
              "independent"),
}
# The origins of ties the program made: everything but "other" (and blank).
PROGRAM_ORIGINS = ("cohort", "forum", "staff introduction", "suggested introduction")
assert set(PROGRAM_ORIGINS) < set(TIE_ORIGINS)
_ORIGIN_WORDS = [w for name, aliases in TIE_ORIGINS.items() for w in (name, *aliases)]
assert len(_ORIGIN_WORDS) == len(set(_ORIGIN_WORDS)), "a word may stand for one origin only"

TRUE_WORDS = ("yes", "true", "1", "y", "はい")
FALSE_WORDS = ("no", "false", "0", "n", "いいえ")


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
    LIST = "list"  # LIST_SEPARATOR-separated labels, lower-cased
    ID_LIST = "id_list"  # LIST_SEPARATOR-separated IDs
    STATUS = "status"  # one of STATUSES
    ORG_TYPE = "org_type"  # one of ORG_TYPES
    METRIC = "metric"  # one of TARGET_METRICS
    NUMBER = "number"  # a number >= 0
    MEASURE = "measure"  # any number, negatives allowed; blank means not answered (NaN)
    TIE_ORIGIN = "tie_origin"  # one of TIE_ORIGINS


KIND_EXPECTS = {
    Kind.ID: "an identifier",
    Kind.TEXT: "text",
    Kind.YEAR: f"a whole year from {YEAR_MIN} to {YEAR_MAX}",
    Kind.COUNT: "a whole number of 0 or more",
    Kind.MONEY: "an amount of 0 or more (digits; '$' and thousands commas are fine)",
    Kind.WEIGHT: "a number above 0 (blank means 1)",
    Kind.BOOL: "yes/no, true/false, 1/0, y/n or はい/いいえ (blank means no)",
    Kind.COUNTRY: "a country as an ISO code (JP, JPN) or English name (Japan)",
    Kind.LIST: f"labels separated by '{LIST_SEPARATOR}'",
    Kind.ID_LIST: f"IDs separated by '{LIST_SEPARATOR}'",
    Kind.STATUS: "one of " + ", ".join(STATUSES),
    Kind.ORG_TYPE: "one of " + ", ".join(ORG_TYPES),
    Kind.METRIC: "one of " + ", ".join(TARGET_METRICS),
    Kind.NUMBER: "a number of 0 or more",
    Kind.MEASURE: "a number, negative or not (thousands commas are fine; blank means not "
                  "answered)",
    Kind.TIE_ORIGIN: "one of " + ", ".join(TIE_ORIGINS) + " (blank: not recorded)",
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    description: str
    example: str
    required: bool = False
    references: tuple[str, ...] = ()  # tables whose key this value must name


@dataclass(frozen=True)
class DistinctEnds:
    """A row's two columns must hold different values (a tie needs two different ends)."""

    first: str
    second: str
    what: str = "a tie"  # what the row is, for the message: "a tie needs two different ends"

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
    description: str
    columns: tuple[Column, ...]
    required: bool = True
    key: str | None = None
    rules: tuple[Rule, ...] = ()  # checked on every row beyond each column's own kind
    match_on: tuple[str, ...] = ()  # what says which row is which, for a table without a key

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

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


def _c(name, kind, description, example, *, required=False, references=()):
    return Column(name, kind, description, example, required, tuple(references))


NODE_TABLES = ("alumni", "organizations")

TABLES: dict[str, Table] = {
    t.name: t
    for t in (
        Table(
            "organizations",
            "Partner institutions, funders and the alumni's own organizations.",
            (
                _c("org_id", Kind.ID, "Unique ID of the organization.", "ORG-ETIC", required=True),
                _c("name", Kind.TEXT, "Name as shown in the app.", "ETIC.", required=True),
                _c("country", Kind.COUNTRY, "Country of its main office.", "JP", required=True),
                _c("region", Kind.TEXT, "Prefecture, state or city region.", "Tokyo"),
                _c("org_type", Kind.ORG_TYPE, "Sector of the organization.", "nonprofit",
                   required=True),
                _c("causes", Kind.LIST, "Causes it works on.", "youth entrepreneurship;education"),
                _c("website", Kind.TEXT, "Home page address.", "https://www.etic.or.jp/"),
            ),
            key="org_id",
        ),
        Table(
            "alumni",
            "One row per person who completed a program cohort.",
            (
                _c("alum_id", Kind.ID, "Unique ID of the alum.", "A0001", required=True),
                _c("name", Kind.TEXT, "Name in Latin letters.", "Haruka Sato", required=True),
                _c("name_local", Kind.TEXT, "Name in the local script.", "佐藤 遥"),
                _c("program", Kind.TEXT, "Program attended.",
                   "TOMODACHI Microsoft iLEAP", required=True),
                _c("cohort", Kind.TEXT, "Cohort within the program.", "2017 Spring",
                   required=True),
                _c("cohort_year", Kind.YEAR, "Year the cohort trained.", "2017", required=True),
                _c("country", Kind.COUNTRY, "Country the alum lives and works in.", "JP",
                   required=True),
                _c("region", Kind.TEXT, "Prefecture or state.", "Miyagi"),
                _c("city", Kind.TEXT, "City.", "Ishinomaki"),
                _c("causes", Kind.LIST, "Causes the alum works on.", "disaster recovery;aging"),
                _c("organization_id", Kind.ID, "The alum's organization.", "ORG-ETIC",
                   references=("organizations",)),
                _c("role", Kind.TEXT, "Role in that organization.", "Founder"),
                _c("email", Kind.TEXT, "Contact email (personal data).", "haruka@example.org"),
                _c("phone", Kind.TEXT, "Contact phone (personal data).", "+81-90-0000-0000"),
                _c("consent_directory", Kind.BOOL,
                   "May be named to funders and in the directory.", "yes"),
                _c("consent_public", Kind.BOOL, "May be named to a public audience.", "no"),
            ),
            key="alum_id",
            rules=(KeyNotIn("organizations"),),
        ),
        Table(
            "partnerships",
            "Ties between alumni and organizations, in either direction.",
            (
                _c("partnership_id", Kind.ID, "Unique ID of the tie.", "P0001", required=True),
                _c("source_id", Kind.ID, "One end: an alum_id or org_id.", "A0001",
                   required=True, references=NODE_TABLES),
                _c("target_id", Kind.ID, "Other end: an alum_id or org_id.", "ORG-MSFT",
                   required=True, references=NODE_TABLES),
                _c("kind", Kind.TEXT,
                   "Kind of tie, such as " + ", ".join(TIE_KINDS) + ".",
                   "mentorship", required=True),
                _c("start_year", Kind.YEAR, "Year the tie began.", "2017", required=True),
                _c("end_year", Kind.YEAR, "Year it ended; blank while it lasts.", ""),
                _c("weight", Kind.WEIGHT, "Strength of the tie; blank means 1.", "1"),
                _c("note", Kind.TEXT, "Free note.", "Seattle advisor pairing"),
                _c("origin", Kind.TIE_ORIGIN,
                   "How the tie began: cohort (met in the cohort itself), forum (at a forum or "
                   "convening), staff introduction, suggested introduction (an introduction "
                   "Kizuna suggested that staff made) or other; blank if not recorded. Common "
                   "words are read as these: program as cohort, convening or event as forum, "
                   "introduction or introduced by staff as staff introduction.", "cohort"),
            ),
            key="partnership_id",
            rules=(DistinctEnds("source_id", "target_id"), EndNotBeforeStart("start_year", "end_year")),
        ),
        Table(
            "projects",
            "Change projects the alumni lead.",
            (
                _c("project_id", Kind.ID, "Unique ID of the project.", "PRJ001", required=True),
                _c("title", Kind.TEXT, "Project title.", "Ishinomaki Seniors' Digital Café",
                   required=True),
                _c("lead_alum_id", Kind.ID, "The alum who leads it.", "A0001", required=True,
                   references=("alumni",)),
                _c("cause", Kind.TEXT, "Main cause.", "aging", required=True),
                _c("country", Kind.COUNTRY, "Where it runs.", "JP", required=True),
                _c("region", Kind.TEXT, "Prefecture, state or city region.", "Miyagi"),
                _c("start_year", Kind.YEAR, "Year it started.", "2018", required=True),
                _c("end_year", Kind.YEAR, "Year it ended; blank while it runs.", ""),
                _c("status", Kind.STATUS, "Where it stands.", "active", required=True),
                _c("beneficiaries", Kind.COUNT, "People reached (IRIS+ PI4060).", "420"),
                _c("funds_raised_usd", Kind.MONEY, "Funds raised, in US dollars.", "35000"),
                _c("partner_ids", Kind.ID_LIST, "Partner alum_ids or org_ids.",
                   "ORG-MSJ;A0042", references=NODE_TABLES),
                _c("summary", Kind.TEXT, "One or two sentences on the project.",
                   "Weekly tablet classes for elderly residents of temporary housing."),
            ),
            key="project_id",
            rules=(EndNotBeforeStart("start_year", "end_year"),),
        ),
        Table(
            "funding",
            "Program funding by funder and year.",
            (
                _c("funder_id", Kind.ID, "The funder's org_id.", "ORG-CGP", required=True,
                   references=("organizations",)),
                _c("program", Kind.TEXT, "Program funded.", "Social Innovation Forum: Japan",
                   required=True),
                _c("year", Kind.YEAR, "Year of the grant.", "2012", required=True),
                _c("amount_usd", Kind.MONEY, "Amount in US dollars.", "150000", required=True),
            ),
            required=False,
            match_on=("funder_id", "program", "year"),
        ),
        Table(
            "targets",
            "Yearly targets for the headline figures, to compare with what happened. A target is "
            "for one year's figure (for example alumni trained in that year).",
            (
                _c("metric", Kind.METRIC, "The figure the target is for.", "alumni", required=True),
                _c("year", Kind.YEAR, "The year it is for.", "2017", required=True),
                _c("target", Kind.NUMBER, "The target value.", "45", required=True),
            ),
            required=False,
            rules=(UniqueTogether(("metric", "year")),),
        ),
        Table(
            "outcomes",
            "Alumni surveys and project measures over time: one value of one indicator for one "
            "alum or project in one wave (baseline, exit, one year, three years...). A blank "
            "value means the question was asked but not answered.",
            (
                _c("subject_id", Kind.ID, "The alum or project the value is about.", "A0001",
                   required=True, references=("alumni", "projects")),
                _c("wave", Kind.TEXT,
                   "When in the program it was measured: baseline, exit, one year, three years, "
                   "or any label. One value per subject, wave and indicator.", "baseline",
                   required=True),
                _c("year", Kind.YEAR, "Year the wave was measured.", "2017", required=True),
                _c("date", Kind.TEXT, "Date of the survey or measure, as 2017-07-10 (free text "
                   "is kept as written).", "2017-07-10"),
                _c("indicator", Kind.TEXT, "What was measured.", "Cross-border collaborations",
                   required=True),
                _c("value", Kind.MEASURE, "The value; blank if asked but not answered.", "2"),
                _c("unit", Kind.TEXT, "Unit of the value: count, score 1-5, people, USD, %...",
                   "count"),
                _c("iris_code", Kind.TEXT, "The IRIS+ metric code, where one exists.", ""),
            ),
            required=False,
            rules=(UniqueTogether(("subject_id", "wave", "indicator")),),
            match_on=("subject_id", "wave", "indicator"),
        ),
        Table(
            "introductions",
            "Introductions staff made between two alumni or organizations (recorded from a "
            "profile in the app), whether or not they became ties.",
            (
                _c("first_id", Kind.ID, "One of the two introduced: an alum_id or org_id.",
                   "A0001", required=True, references=NODE_TABLES),
                _c("second_id", Kind.ID, "The other: an alum_id or org_id.", "A0042",
                   required=True, references=NODE_TABLES),
                _c("year", Kind.YEAR, "Year of the introduction.", "2020", required=True),
                _c("date", Kind.TEXT, "Date of the introduction, as 2020-05-14.", "2020-05-14"),
                _c("made_by", Kind.TEXT, "Who made it (personal data).", "Emi Takeda"),
                _c("suggested", Kind.BOOL, "It came from Kizuna's suggested introductions.",
                   "yes"),
                _c("note", Kind.TEXT, "Free note.", "Both work on aging in Tohoku"),
            ),
            required=False,
            rules=(DistinctEnds("first_id", "second_id", "an introduction"),),
            match_on=("first_id", "second_id", "year"),
        ),
    )
}

# Order in which tables are validated: a table's references are checked
# against the rows already loaded from the tables it refers to.
LOAD_ORDER = ("organizations", "alumni", "partnerships", "projects", "funding", "targets",
              "outcomes", "introductions")
assert set(LOAD_ORDER) == set(TABLES)


def normalize_header(text: str) -> str:
    """Return the canonical column name for a header cell.

    Case, surrounding spaces, and spaces or hyphens versus underscores do not
    matter.

    >>> normalize_header("  Alum ID ")
    'alum_id'
    """
    text = unicodedata.normalize("NFKC", str(text)).strip().lower()
    return "_".join(text.replace("-", " ").replace("_", " ").split())
