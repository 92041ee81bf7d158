"""Country names and codes, and the names of prefectures and states.

Countries are kept as ISO 3166-1 alpha-2 codes. Input may be an alpha-2 or
alpha-3 code, or a name as pycountry knows it (its short, official and common
names) in English or in Japanese (pycountry's translations), plus a few
everyday spellings staff use.

>>> resolve_country("Korea, Republic of")
'KR'
>>> resolve_country("usa"), resolve_country("日本"), resolve_country("Atlantis")
('US', 'JP', None)
>>> resolve_country("大韓民国"), resolve_country("ドイツ連邦共和国"), resolve_country("ベトナム")
('KR', 'DE', 'VN')
"""

from __future__ import annotations

import gettext
import re
import unicodedata
from functools import lru_cache

import pycountry

from analytics import i18n

# Spellings pycountry does not carry (in English or its Japanese translation) that programs in
# the region use.
_EXTRA_NAMES = {
    "us": "US", "u.s.": "US", "u.s.a.": "US", "america": "US",
    "uk": "GB", "great britain": "GB", "england": "GB",
    "korea": "KR", "republic of korea": "KR", "s. korea": "KR",
    "china, people's republic of": "CN", "prc": "CN",
    "vietnam": "VN", "russia": "RU", "laos": "LA",
    "にほん": "JP", "アメリカ": "US", "イギリス": "GB", "オーストラリア": "AU",
    "ロシア": "RU", "モンゴル": "MN", "ブルネイ": "BN",
    "ジョージア": "GE",  # its name in Japan since 2015; pycountry still has グルジア
}


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text)).split()).casefold()


# A Japanese name with its everyday form in brackets: "大韓民国 (韓国)".
_BRACKETED = re.compile(r"^(.+?) \((.+)\)$")


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                table[_key(value)] = c.alpha_2
    table.update(_japanese_names())
    table.update({_key(k): v for k, v in _EXTRA_NAMES.items()})
    return table


def _japanese_names() -> dict[str, str]:
    """Each country's names in pycountry's Japanese translation (and a bracketed name's
    first part) -> its code, leaving out a name two countries share."""
    japanese = _iso_names("iso3166-1", "ja")
    codes: dict[str, set[str]] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            name = japanese.gettext(value) if value else value
            if not name or name == value:
                continue
            bracketed = _BRACKETED.match(unicodedata.normalize("NFKC", name))
            for form in (name, bracketed.group(1)) if bracketed else (name,):
                codes.setdefault(_key(form), set()).add(c.alpha_2)
    return {name: found.pop() for name, found in codes.items() if len(found) == 1}


def resolve_country(text: str) -> str | None:
    """Return the ISO alpha-2 code for a country code or name, or None.

    Parameters
    ----------
    text : str
        An alpha-2 or alpha-3 code, or an English or Japanese name, in any
        case and width.

    Returns
    -------
    str or None
        The alpha-2 code, or None when the text names no known country.
    """
    return _lookup().get(_key(text))


def country_name(code: str) -> str:
    """Return a country's everyday name in the current language (:mod:`analytics.i18n`).

    Japanese names are pycountry's own translations (ISO 3166-1, from Debian's
    iso-codes), of the everyday name where there is one: 韓国 and 台湾, not the
    official forms.

    >>> country_name("KR"), country_name("US")
    ('South Korea', 'United States')
    >>> with i18n.speaking("ja"):
    ...     country_name("KR"), country_name("US"), country_name("XX")
    ('韓国', '米国', 'XX')
    """
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return code
    name = getattr(c, "common_name", None) or c.name
    return _iso_names("iso3166-1", i18n.language()).gettext(name)


@lru_cache(maxsize=8)
def _iso_names(standard: str, language: str) -> gettext.NullTranslations:
    return gettext.translation(standard, pycountry.LOCALES_DIR, languages=[language],
                               fallback=True)


@lru_cache(maxsize=1)
def _subdivisions() -> dict[tuple[str, str], pycountry.db.Data]:
    return {(s.country_code, s.name): s for s in pycountry.subdivisions}


# How Japanese writes a prefecture's full name: 東京都, 大阪府, 京都府, 北海道, else 〜県.
_PREFECTURE_SUFFIX = {"Tokyo": "都", "Osaka": "府", "Kyoto": "府", "Hokkaido": ""}


def region_name(country: str, region: str) -> str:
    """A prefecture's or state's name in the current language.

    In Japanese, prefectures in kanji with their 都道府県 and US states in
    katakana with 州 (pycountry's ISO 3166-2 translations); in English, as the
    data writes them. A region pycountry does not know is left as written.

    >>> with i18n.speaking("ja"):
    ...     region_name("JP", "Miyagi"), region_name("JP", "Tokyo"), region_name("US", "California")
    ('宮城県', '東京都', 'カリフォルニア州')
    >>> region_name("JP", "Miyagi")
    'Miyagi'
    """
    if i18n.language() != "ja":
        return region
    known = _subdivisions().get((country, region))
    if known is None:
        return region
    name = _iso_names("iso3166-2", "ja").gettext(known.name)
    if name == known.name:  # no translation
        return region
    if country == "JP":
        return name + _PREFECTURE_SUFFIX.get(region, "県")
    return name + ("州" if known.type == "State" else "")


@lru_cache(maxsize=1)
def _regions_by_japanese_name() -> dict[tuple[str, str], str]:
    """(country, Japanese name) -> the English name, for Japan's prefectures (with and
    without 都道府県) and the US states (with and without 州)."""
    japanese = _iso_names("iso3166-2", "ja")
    found: dict[tuple[str, str], str] = {}
    for country, name in _subdivisions():
        if country not in ("JP", "US"):
            continue
        translated = unicodedata.normalize("NFKC", japanese.gettext(name))
        if translated == name:
            continue
        with i18n.speaking("ja"):
            written = unicodedata.normalize("NFKC", region_name(country, name))
        for form in (translated, written):
            found[(country, form)] = name
    return found


def resolve_region(country: str, text: str) -> str | None:
    """The English name of a prefecture or US state written in Japanese, or None.

    The names :func:`region_name` writes in Japanese read back, with or without
    their 都道府県 or 州; anything else is None (a region is then kept as written).

    >>> resolve_region("JP", "宮城県"), resolve_region("JP", "東京"), resolve_region("US", "カリフォルニア州")
    ('Miyagi', 'Tokyo', 'California')
    >>> resolve_region("JP", "Miyagi"), resolve_region("US", "宮城県")
    (None, None)
    """
    return _regions_by_japanese_name().get((country, unicodedata.normalize("NFKC", text).strip()))
