"""The language Kizuna speaks: translations, and numbers, dates, money and places for it.

Every string a user reads is written in English in the code, marked for
translation, and translated from a gettext catalog
(``analytics/locale/<language>/LC_MESSAGES/kizuna.po``) kept with Babel
(``python -m analytics.catalogs update``). The language is per thread of work (a
:class:`contextvars.ContextVar`): a Streamlit session sets it at the start
of each run, the command line from ``--lang``; everything called from there
speaks it.

Three ways to mark a string:

- ``_("...")`` translates now, in the current language;
- ``lazy("...")`` keeps the string and its values and translates each time it
  is shown (:class:`Text`): for messages made once and read in either
  language, such as a dataset's problems;
- ``N_("...")`` only marks a string for the catalog, for constants
  translated where they are shown (``_(PAGE_TITLE)``).

Values go in as keywords and are formatted into the translation, so a
translator can move them: ``_("{count} rows set aside", count=number(3))``.

>>> with speaking("ja"):
...     date(dt.date(2026, 11, 21)), number(12345), percent(0.25)
('2026年11月21日', '12,345', '25%')
>>> with speaking("en"):
...     date(dt.date(2026, 11, 21)), money(1500000, "JPY")
('November 21, 2026', '¥1,500,000')
"""

from __future__ import annotations

import contextvars
import datetime as dt
import io
import os
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from babel import Locale, dates, lists, numbers
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LANGUAGES = {"en": "English", "ja": "日本語"}  # code -> the language's name in itself
FALLBACK = "en"
DOMAIN = "kizuna"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"
_LOCALES = {"en": "en_US", "ja": "ja_JP"}  # how Babel formats each language

_language: contextvars.ContextVar[str] = contextvars.ContextVar("kizuna_language",
                                                                  default=FALLBACK)


def supported(code: str | None) -> str | None:
    """The supported language a code or locale names (``"ja-JP"`` → ``"ja"``), or None.

    >>> supported("ja-JP"), supported("en_GB"), supported("fr"), supported(None)
    ('ja', 'en', None, None)
    """
    if not code:
        return None
    base = str(code).strip().replace("_", "-").split("-")[0].lower()
    return base if base in LANGUAGES else None


def choose(*wishes: str | None) -> str:
    """The first supported language among ``wishes`` (most wanted first), else English.

    >>> choose("fr", None, "ja-JP"), choose()
    ('ja', 'en')
    """
    return next((lang for lang in map(supported, wishes) if lang), FALLBACK)


def server_default() -> str | None:
    """The language ``KIZUNA_LANG`` sets for this server, or None."""
    return supported(os.environ.get("KIZUNA_LANG"))


def language() -> str:
    """The current language's code (``"en"`` or ``"ja"``)."""
    return _language.get()


def set_language(code: str) -> None:
    """Speak ``code`` (a supported code) from now on in this thread of work."""
    _language.set(choose(code))


@contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak ``code`` inside the ``with`` block, then the language before it."""
    token = _language.set(choose(code))
    try:
        yield
    finally:
        _language.reset(token)


def catalog_path(code: str) -> Path:
    """Where the ``.po`` catalog of a language is kept."""
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@lru_cache(maxsize=len(LANGUAGES))
def _translations(code: str) -> Translations:
    # Compiled in memory from the .po (Babel's own compiler): no binary .mo to keep in step.
    path = catalog_path(code)
    if not path.exists():
        return Translations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=code, domain=DOMAIN)
    compiled = io.BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)
    compiled.seek(0)
    return Translations(compiled, domain=DOMAIN)


def _fill(text: str, values: dict) -> str:
    if not values:
        return text
    return text.format(**{k: str(v) if isinstance(v, Text) else v for k, v in values.items()})


def _(message: str, **values) -> str:
    """``message`` translated into the current language, ``values`` formatted into it.

    >>> _("{count} of {total}", count=2, total=3)
    '2 of 3'
    """
    if not message:  # gettext's empty message is the catalog's header
        return _fill(message, values)
    return _fill(_translations(language()).gettext(message), values)


def ngettext(singular: str, plural: str, n: int, **values) -> str:
    """The singular or plural form for ``n``, translated; ``n`` is a value too (formatted as
    :func:`number` formats it).

    >>> ngettext("{n} row", "{n} rows", 1), ngettext("{n} row", "{n} rows", 2)
    ('1 row', '2 rows')
    """
    return _fill(_translations(language()).ngettext(singular, plural, n),
                 {"n": number(n), **values})


def N_(message: str) -> str:  # noqa: N802 (gettext's own name for the marker)
    """Mark ``message`` for the catalog without translating it (translate it where shown)."""
    return message


@dataclass(frozen=True)
class Text:
    """A message translated each time it is shown, in the language of that moment.

    Made by :func:`lazy`. ``str(text)`` is the translation; two Texts are equal
    when their message and values are. Values may be Texts themselves.
    """

    message: str
    values: tuple = ()
    plural: str | None = None
    n: int | None = None

    def __str__(self) -> str:
        values = dict(self.values)
        if self.plural is not None:
            return ngettext(self.message, self.plural, self.n, **values)
        return _(self.message, **values)

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)


def lazy(message: str, **values) -> Text:
    """``message`` with its values, translated when shown (see :class:`Text`).

    >>> problem = lazy("Expected a year, found {value}.", value="20x5")
    >>> with speaking("en"):
    ...     str(problem)
    'Expected a year, found 20x5.'
    """
    return Text(message, tuple(values.items()))


def lazy_plural(singular: str, plural: str, n: int, **values) -> Text:
    """Like :func:`ngettext`, translated when shown."""
    return Text(singular, tuple(values.items()), plural, n)


# Formats -------------------------------------------------------------------------------

def babel_locale() -> Locale:
    """The Babel locale the current language formats with."""
    return _babel_locale(language())


@lru_cache(maxsize=len(LANGUAGES))
def _babel_locale(code: str) -> Locale:
    # Parsing a locale takes about half of what formatting a number does: once per language.
    return Locale.parse(_LOCALES[code])


def number(value: float | int, digits: int = 0) -> str:
    """``value`` with the language's separators and ``digits`` decimals.

    >>> number(1234.5, 1)
    '1,234.5'
    """
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return numbers.format_decimal(value, format=pattern, locale=babel_locale())


def percent(fraction: float, digits: int = 0) -> str:
    """A fraction (0.25) as a percentage ("25%").

    >>> percent(0.125, 1)
    '12.5%'
    """
    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    return numbers.format_percent(fraction, format=pattern, locale=babel_locale())


def money(amount: float, currency: str, compact: bool = False) -> str:
    """``amount`` in ``currency`` (ISO 4217, kept as the data gives it), for the language.

    Whole amounts show no cents. ``compact`` shortens large amounts as the
    language does (``$1.2M``; ``120万``).

    >>> money(2500, "USD"), money(1200000, "USD", compact=True)
    ('$2,500', '$1.2M')
    """
    locale = babel_locale()
    if compact:
        return numbers.format_compact_currency(amount, currency, locale=locale,
                                               fraction_digits=1)
    whole = float(amount).is_integer()
    return numbers.format_currency(amount, currency, locale=locale,
                                   format="¤#,##0" if whole else None,
                                   currency_digits=not whole)


def date(day: dt.date | dt.datetime, form: str = "long") -> str:
    """A date as the language writes it: ``form`` is ``"long"`` (2026年11月21日,
    November 21, 2026), ``"medium"`` or ``"short"``.

    >>> date(dt.date(2026, 1, 5), "medium")
    'Jan 5, 2026'
    """
    return dates.format_date(day, format=form, locale=babel_locale())


def date_time(moment: dt.datetime) -> str:
    """A date and time of day, as the language writes them (minutes, no seconds)."""
    return dates.format_datetime(moment, format="yyyy-MM-dd HH:mm" if language() == "en"
                                 else "yyyy年M月d日 H:mm", locale=babel_locale())


def listed(items, narrow: bool = False) -> str:
    """Items as a list is written in the current language: "a, b, and c" or 「a、b、c」;
    ``narrow`` leaves out the "and" ("a, b, c"), for captions and cells.

    >>> listed(["aging", "education", "youth"]), listed(["aging", "youth"], narrow=True)
    ('aging, education, and youth', 'aging, youth')
    >>> with speaking("ja"):
    ...     listed(["日本", "米国", "韓国"])
    '日本、米国、韓国'
    """
    items = [str(item) for item in items]
    return lists.format_list(items, style="standard-narrow" if narrow else "standard",
                             locale=babel_locale()) if items else ""


def text_width(text: str) -> int:
    """How many columns a text takes in a fixed grid (a terminal, a cell, an axis title): a
    full-width character, as Japanese ones are, takes two.

    >>> text_width("Kizuna"), text_width("修了生")
    (6, 6)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def person(name: str, local_name: str | None = None) -> str:
    """A person's name as the language puts it: in Japanese the name in its own script
    first with the romanized one beside it, in English the romanized one first.

    >>> person("Haruka Sato", "佐藤 遥")
    'Haruka Sato (佐藤 遥)'
    >>> with speaking("ja"):
    ...     person("Haruka Sato", "佐藤 遥"), person("Ana Cruz", "")
    ('佐藤 遥 (Haruka Sato)', 'Ana Cruz')
    """
    local_name = (local_name or "").strip()
    if not local_name or local_name == name:
        return name
    first, second = (local_name, name) if language() == "ja" else (name, local_name)
    return f"{first} ({second})"


def keeping_language(make):
    """``make``, called later in the language of now.

    For work another thread runs (Streamlit makes a download's file on a thread
    of its own, which does not have the page's language).

    >>> with speaking("ja"):
    ...     later = keeping_language(language)
    >>> language(), later()
    ('en', 'ja')
    """
    code = language()

    def in_that_language(*args, **kwargs):
        with speaking(code):
            return make(*args, **kwargs)

    return in_that_language
