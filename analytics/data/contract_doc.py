"""The data contract's reference page, written from :mod:`analytics.schema`.

``docs/data.md`` is this module's output (``python -m analytics docs``); a
test fails when the committed page and the schema disagree. The page is in
English whatever the current language; it lists the Japanese names and words
the schema declares.
"""

from __future__ import annotations

from analytics import i18n
from analytics.data.schema import (
    FALSE_WORDS,
    KIND_EXPECTS,
    LIST_SEPARATOR,
    ORG_TYPES,
    STATUSES,
    TABLES,
    TIE_KINDS,
    TIE_ORIGINS,
    TRUE_WORDS,
    WAVES,
    Kind,
)


def _also(vocabulary: dict[str, tuple[str, ...]]) -> str:
    return "\n".join(f"  - `{name}` (also: {', '.join(aliases)})"
                     for name, aliases in vocabulary.items())


def _japanese(words: tuple[str, ...]) -> str:
    return ", ".join(w for w in words if not w.isascii())


def _rules() -> str:
    return f"""\
## Files

A data folder holds one CSV file per table (`alumni.csv`, `organizations.csv`, ...), or one `.xlsx`
workbook with one sheet per table (sheet `alumni`, ...). File and sheet names, like headers, ignore
case, width, surrounding spaces and spaces versus underscores, and may be the table's Japanese
names, listed under each table below (`修了生.csv`, sheet `つながり`). The app reads its folder from
the environment variable `KIZUNA_DATA_DIR`, by default the bundled sample in `data/sample/`.

## Reading: forgiving about form

- **Encodings:** UTF-8, UTF-8 with BOM, and CP932 / Shift_JIS (what Excel in Japan saves). A file in
  none of them is an error that names the file.
- **Headers:** case, width, surrounding spaces, and spaces or hyphens versus underscores do not
  matter (`Alum ID` is `alum_id`), and each column's Japanese headers, listed under each table
  below, read as the column (`氏名` is `name`). Unknown columns are kept and reported as a warning.
  A missing column that is not required is read as blank. Problems name a column as the sheet
  wrote it.
- **Text** is NFKC-normalized and trimmed: full-width digits and semicolons and half-width katakana
  read right. Blank lines are skipped but still counted in row numbers.
- **Multi-value cells** (causes, partner_ids) are separated by `{LIST_SEPARATOR}`. Causes are
  compared in lower case.
- **Countries** are kept as ISO 3166-1 alpha-2 codes and may be written as alpha-2 or alpha-3 codes
  or names, in English (Japan, United States, "Korea, Republic of", South Korea) or in Japanese
  (pycountry's translations and everyday names: 日本, 米国, 大韓民国, 韓国).
- **Regions:** a prefecture in kanji (宮城県 or 宮城) or a US state in katakana (カリフォルニア州 or
  カリフォルニア) is read as its English name (Miyagi, California) by the row's country; any other
  region is kept as written.
- **Booleans** accept {KIND_EXPECTS[Kind.BOOL]}, in any case, and in Japanese
  {_japanese(TRUE_WORDS)} (yes) and {_japanese(FALSE_WORDS)} (no).
- **Numbers:** money may carry `$` and thousands commas; counts may carry thousands commas.
- **Organization types** are one of the following, and common synonyms are read as them:
{_also(ORG_TYPES)}
- **Project statuses** are one of the following, in any case:
{_also(STATUSES)}
- **Kinds of tie** are free text; these words are read as the usual kinds:
{_also(TIE_KINDS)}
- **How a tie began** is blank or one of the following:
{_also(TIE_ORIGINS)}
- **Survey waves** are free text; these words are read as the usual waves:
{_also(WAVES)}

## Checking: strict about meaning

Every problem is reported with its severity, table, file, row number as the spreadsheet shows it
(the header is row 1, blank lines count), column, the value, and a message that says what is wrong
and what would be right. These are errors, and a row with an error is **set aside**:

- a required file or column is missing (a missing required column sets aside the whole table);
- a required value (marked `*` below) is blank;
- a value has the wrong type or is out of range (years 1900-2100, counts and money at least 0,
  weight above 0);
- a country is unknown;
- an ID is duplicated (every row that carries it is set aside, and each message names the others);
- a reference names an ID that does not exist (partnership ends, project leads and partners, an
  alum's organization, a funder), or names a row that was itself set aside;
- a row breaks one of its table's rules, listed under each table below (an alum_id that is also
  an org_id, a partnership whose two ends are the same, an end year before its start year, two
  targets for one figure and year).

Rows set aside are never dropped silently. For every table, rows read = rows loaded + rows set
aside. Every page shows how many rows were set aside; the Data health page lists each problem and
downloads the list as CSV; `python -m analytics validate DIR [--json]` prints them.

Hostile text (HTML, script, spreadsheet formulas) is data: it is kept as written and always shown
as text.
"""


def data_contract_markdown() -> str:
    """Return the markdown of ``docs/data.md``: rules, then every table's columns and an
    example, in English."""
    with i18n.speaking("en"):
        return _markdown()


def _markdown() -> str:
    parts = ["# The data contract\n",
             "_Generated from `analytics/data/schema.py` by `python -m analytics docs`; do not edit by "
             "hand._\n", _rules()]
    for table in TABLES.values():
        need = "required" if table.required else "optional"
        parts.append(f"## `{table.name}` ({need})\n\n{table.description}\n")
        if table.aliases:
            parts.append(f"In Japanese: {', '.join(table.aliases)}.\n")
        if table.rules:
            parts.append("Rules: " + "; ".join(r.describe() for r in table.rules) + ".\n")
        parts.append("| column | type | description | Japanese headers |\n| --- | --- | --- | --- |")
        for c in table.columns:
            refs = f" Names a row of {' or '.join(c.references)}." if c.references else ""
            star = "\\*" if c.required else ""
            parts.append(f"| `{c.name}`{star} | {KIND_EXPECTS[c.kind]} | {c.description}{refs} | "
                         f"{', '.join(c.aliases)} |")
        parts.append("\nExample row:\n")
        parts.append("| " + " | ".join(table.column_names) + " |")
        parts.append("|" + " --- |" * len(table.columns))
        parts.append("| " + " | ".join(c.example for c in table.columns) + " |\n")
    return "\n".join(parts)
