"""Country names and codes.

Countries are kept as ISO 3166-1 alpha-2 codes. Input may be an alpha-2 or
alpha-3 code, or an English name as pycountry knows it (its short, official
and common names), plus a few everyday and Japanese spellings staff use.

>>> resolve_country("Korea, Republic of")
'KR'
>>> resolve_country("usa"), resolve_country("日本"), resolve_country("Atlantis")
('US', 'JP', None)
"""

from __future__ import annotations

from functools import lru_cache

import pycountry

# Spellings pycountry does not carry that programs in the region use.
_EXTRA_NAMES = {
    "us": "US", "u.s.": "US", "u.s.a.": "US", "america": "US",
    "uk": "GB", "great britain": "GB", "england": "GB",
    "korea": "KR", "republic of korea": "KR", "s. korea": "KR",
    "china, people's republic of": "CN", "prc": "CN",
    "vietnam": "VN", "russia": "RU", "laos": "LA",
    "日本": "JP", "にほん": "JP", "米国": "US", "アメリカ": "US", "アメリカ合衆国": "US",
    "韓国": "KR", "大韓民国": "KR", "中国": "CN", "中華人民共和国": "CN",
    "シンガポール": "SG", "タイ": "TH", "台湾": "TW", "フィリピン": "PH",
    "インドネシア": "ID", "ベトナム": "VN", "マレーシア": "MY", "インド": "IN",
    "オーストラリア": "AU", "カナダ": "CA", "イギリス": "GB",
}


@lru_cache(maxsize=1)
def _lookup() -> dict[str, str]:
    table: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("alpha_2", "alpha_3", "name", "official_name", "common_name"):
            value = getattr(c, attr, None)
            if value:
                table[value.casefold()] = c.alpha_2
    table.update(_EXTRA_NAMES)
    return table


def resolve_country(text: str) -> str | None:
    """Return the ISO alpha-2 code for a country code or name, or None.

    Parameters
    ----------
    text : str
        An alpha-2 or alpha-3 code, or an English (or common Japanese) name,
        in any case.

    Returns
    -------
    str or None
        The alpha-2 code, or None when the text names no known country.
    """
    return _lookup().get(" ".join(str(text).split()).casefold())


def country_name(code: str) -> str:
    """Return the everyday English name for an alpha-2 code.

    >>> country_name("KR"), country_name("US")
    ('South Korea', 'United States')
    """
    c = pycountry.countries.get(alpha_2=code)
    if c is None:
        return code
    return getattr(c, "common_name", None) or c.name
