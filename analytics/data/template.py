"""An empty workbook for staff to fill in, made from the data contract, in the current language.

:func:`template_xlsx` writes one sheet per table of :data:`analytics.data.schema.TABLES`
with the contract's columns as the header row. Each header cell carries a
comment saying what the column holds; columns whose values come from a fixed
list (countries, statuses, organization types, metrics, yes/no, kinds of tie,
how a tie began) offer a drop-down. A visible ``_read_me`` sheet explains how
to fill it in and a hidden ``_lists`` sheet holds the drop-downs' values; the
loader ignores sheets whose names start with ``_``. Nothing here lists columns by hand.

In Japanese (:mod:`analytics.i18n`) every word is Japanese: the sheets and
headers are the schema's Japanese names (修了生, 氏名), which the loader reads
back; the drop-downs offer the Japanese words of each list (実施中, 日本), the
notes, examples and instructions are translated. The English workbook is the
contract's own names.

Example
-------
>>> import io, openpyxl
>>> book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
>>> book.sheetnames[:3], book["_lists"].sheet_state
(['_read_me', 'organizations', 'alumni'], 'hidden')
>>> [c.value for c in book["targets"][1]]
['metric', 'year', 'target']
>>> with i18n.speaking("ja"):
...     book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
>>> book.sheetnames[1:3], [c.value for c in book["目標"][1]]
(['団体', '修了生'], ['指標', '年度', '目標値'])
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pycountry

from analytics import i18n
from analytics.data.countries import country_name, region_name
from analytics.data.schema import (
    FALSE_WORDS,
    KIND_EXPECTS,
    LIST_SEPARATOR,
    LOAD_ORDER,
    ORG_TYPES,
    STATUSES,
    TABLES,
    TARGET_METRICS,
    TIE_KINDS,
    TIE_ORIGINS,
    TRUE_WORDS,
    WAVES,
    Column,
    Kind,
    Listed,
    Table,
)
from analytics.data.sources import HELPER_SHEET_PREFIX
from analytics.i18n import N_, _, lazy

# The helper sheets' names after HELPER_SHEET_PREFIX; in English, READ_ME_SHEET and LISTS_SHEET.
# Translators: the name of the workbook's sheet that says how to fill it in (no spaces)
READ_ME = N_("read_me")
# Translators: the name of the workbook's hidden sheet that holds the drop-down lists (no spaces)
LISTS = N_("lists")
READ_ME_SHEET = HELPER_SHEET_PREFIX + READ_ME
LISTS_SHEET = HELPER_SHEET_PREFIX + LISTS
TEMPLATE_ROWS = 5000  # drop-downs cover rows 2..TEMPLATE_ROWS of their column

# Kinds whose values are numbers: every other column is formatted as text, so that
# Excel keeps leading zeros and does not take "+81-90-..." for a formula.
NUMERIC_KINDS = (Kind.YEAR, Kind.COUNT, Kind.MONEY, Kind.WEIGHT, Kind.NUMBER, Kind.MEASURE)


def _country_shown(code: str) -> str:
    """A country as the template offers it: its code in English (the names sit beside the
    codes), its name in Japanese (日本), which the loader reads back as the code."""
    return code if i18n.language() == "en" else country_name(code)


@dataclass(frozen=True)
class Choices:
    """A drop-down list: its column on the lists sheet and how strictly it is kept."""

    name: str  # header of its column on LISTS_SHEET (marked for translation)
    label: str  # what the read-me calls it (marked for translation)
    values: tuple[str, ...]  # the data's own values
    strict: bool = True  # False: Excel warns about other values but accepts them
    hint: str = ""  # the message for a value not in the list (marked); by default, the list
    shown_as: Callable[[str], str] = _  # a value as the list shows it, in the current language

    @property
    def shown(self) -> tuple[str, ...]:
        """The values as the list offers them in the current language (they read back)."""
        return tuple(self.shown_as(v) for v in self.values)

    @property
    def message(self) -> str:
        return _(self.hint) if self.hint else _(
            "Pick one of: {choices}.", choices=Listed(self.shown, translated=False))


COUNTRY_CODES = tuple(sorted(c.alpha_2 for c in pycountry.countries))

KIND_CHOICES = {
    Kind.COUNTRY: Choices(N_("country"), N_("country names and codes"), COUNTRY_CODES,
                          hint=N_("Pick a country from the list (JP for Japan, US for the "
                                  "United States)."), shown_as=_country_shown),
    Kind.STATUS: Choices(N_("status"), N_("project statuses"), tuple(STATUSES)),
    Kind.ORG_TYPE: Choices(N_("org_type"), N_("organization types"), tuple(ORG_TYPES)),
    Kind.METRIC: Choices(N_("metric"), N_("target metrics"), TARGET_METRICS, shown_as=str),
    Kind.TIE_ORIGIN: Choices(N_("tie_origin"), N_("how ties began"), tuple(TIE_ORIGINS)),
    Kind.BOOL: Choices(N_("yes_no"), N_("yes/no"), (TRUE_WORDS[0], FALSE_WORDS[0])),
}

# Columns of free text with usual values: other values are allowed, so Excel only warns.
COLUMN_CHOICES = {
    ("partnerships", "kind"): Choices(N_("tie_kind"), N_("the usual kinds of tie"),
                                      tuple(TIE_KINDS), strict=False,
                                      hint=N_("Pick a usual kind from the list; another word "
                                              "is fine too.")),
    ("outcomes", "wave"): Choices(N_("wave"), N_("the usual survey waves"), tuple(WAVES),
                                  strict=False,
                                  hint=N_("Pick a usual wave from the list; another label "
                                          "is fine too.")),
}
assert all(c in TABLES[t].column_names for t, c in COLUMN_CHOICES)


def template_xlsx() -> bytes:
    """Return an empty ``.xlsx`` workbook with a sheet per table, ready to fill in, in the
    current language.

    Returns
    -------
    bytes
        The workbook: a ``_read_me`` sheet, one sheet per table in
        :data:`~analytics.data.schema.LOAD_ORDER` (bold, frozen header row with
        a comment per column, drop-downs for listed values) and a hidden
        ``_lists`` sheet with the drop-downs' values.

    Example
    -------
    >>> template_xlsx()[:2]
    b'PK'
    """
    import openpyxl

    book = openpyxl.Workbook()
    _write_read_me(book.active)
    sheets = {name: book.create_sheet(str(TABLES[name].label)) for name in LOAD_ORDER}
    lists = book.create_sheet(HELPER_SHEET_PREFIX + _(LISTS))
    ranges = _write_lists(lists)
    for name, sheet in sheets.items():
        _write_table_sheet(sheet, name, ranges)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column_choices(table: str, column: Column) -> Choices | None:
    """Return the drop-down a column offers, or None.

    >>> column_choices("projects", TABLES["projects"].column("status")).shown
    ('planned', 'active', 'completed', 'paused')
    >>> with i18n.speaking("ja"):
    ...     column_choices("projects", TABLES["projects"].column("country")).shown[:1]
    ('アンドラ',)
    >>> column_choices("projects", TABLES["projects"].column("title")) is None
    True
    """
    return COLUMN_CHOICES.get((table, column.name)) or KIND_CHOICES.get(column.kind)


def example(table: Table, column: Column) -> str:
    """A column's example as the template shows it in the current language: its words
    translated, a country by its name and a prefecture as Japanese writes it (in Japanese).

    >>> alumni = TABLES["alumni"]
    >>> example(alumni, alumni.column("country")), example(alumni, alumni.column("region"))
    ('JP', 'Miyagi')
    >>> with i18n.speaking("ja"):
    ...     example(alumni, alumni.column("country")), example(alumni, alumni.column("region"))
    ('日本', '宮城県')
    """
    if not column.example or column.kind is Kind.METRIC:
        return column.example
    if column.kind is Kind.COUNTRY:
        return _country_shown(column.example)
    if column.kind is Kind.REGION:
        return region_name(table.column("country").example, column.example)
    return _(column.example)


def header_note(table: Table, column: Column) -> str:
    """Return the comment on a column's header cell, in the current language.

    >>> print(header_note(TABLES["alumni"], TABLES["alumni"].column("organization_id")))
    The alum's organization.
    Expects: an identifier.
    Optional.
    Must be an org_id from the organizations sheet.
    Example: ORG-ETIC
    """
    lines = [_(column.description), _("Expects: {expected}.", expected=KIND_EXPECTS[column.kind]),
             _("Required.") if column.required else _("Optional.")]
    if column.references:
        lines.append(_references(column))
    shown = example(table, column)
    lines.append(_("Example: {example}", example=shown) if shown else _("Example: (blank)"))
    return "\n".join(lines)


def _references(column: Column) -> str:
    named = [(TABLES[t].column(TABLES[t].key).label, TABLES[t].label) for t in column.references]
    each = column.kind is Kind.ID_LIST
    if len(named) == 1:
        (key, sheet), = named
        return (_("Each must be an {key} from the {sheet} sheet.", key=key, sheet=sheet) if each
                else _("Must be an {key} from the {sheet} sheet.", key=key, sheet=sheet))
    (key, sheet), (other_key, other_sheet) = named
    values = {"key": key, "sheet": sheet, "other_key": other_key, "other_sheet": other_sheet}
    return (_("Each must be an {key} from the {sheet} sheet or {other_key} from the "
              "{other_sheet} sheet.", **values) if each
            else _("Must be an {key} from the {sheet} sheet or {other_key} from the "
                   "{other_sheet} sheet.", **values))


def _all_choices() -> list[Choices]:
    return list({c.name: c for c in (*KIND_CHOICES.values(), *COLUMN_CHOICES.values())}.values())


def _write_lists(sheet) -> dict[str, str]:
    """Write each list in its own column; return each list's range as a formula."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    sheet.sheet_state = "hidden"
    ranges: dict[str, str] = {}
    column = 1
    for choices in _all_choices():
        shown = choices.shown
        columns = [(_(choices.name), shown)]
        if shown == COUNTRY_CODES:  # the names beside the codes, to look them up
            columns.append((_("country_name"), tuple(country_name(c) for c in COUNTRY_CODES)))
        for position, (header, values) in enumerate(columns):
            letter = get_column_letter(column)
            sheet.cell(1, column, header).font = Font(bold=True)
            for row, value in enumerate(values, start=2):
                sheet.cell(row, column, value)
            sheet.column_dimensions[letter].width = max(12, min(40, max(map(i18n.text_width, values)) + 2))
            if position == 0:
                last = len(values) + 1
                ranges[choices.name] = f"'{sheet.title}'!${letter}$2:${letter}${last}"
            column += 1
    return ranges


def _write_table_sheet(sheet, table_name: str, ranges: dict[str, str]) -> None:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    table = TABLES[table_name]
    for number, column in enumerate(table.columns, start=1):
        letter = get_column_letter(number)
        header = str(column.label)
        cell = sheet.cell(1, number, header)
        cell.font = Font(bold=True)
        note = header_note(table, column)
        comment = Comment(note, "Kizuna")
        comment.width = 320
        comment.height = 30 + 18 * sum(1 + i18n.text_width(line) // 45 for line in note.splitlines())
        cell.comment = comment
        width = max(i18n.text_width(header), i18n.text_width(example(table, column)), 10) + 2
        sheet.column_dimensions[letter].width = min(width, 45)
        if column.kind not in NUMERIC_KINDS:
            sheet.column_dimensions[letter].number_format = "@"
        choices = column_choices(table_name, column)
        if choices:
            validation = DataValidation(
                type="list", formula1=ranges[choices.name], allow_blank=True,
                showErrorMessage=True, errorStyle="stop" if choices.strict else "warning",
                errorTitle=_("Not in the list"), error=choices.message)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def _write_read_me(sheet) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.title = HELPER_SHEET_PREFIX + _(READ_ME)
    tables = [TABLES[n] for n in LOAD_ORDER]
    keys = [lazy("{key} ({table})", key=t.column(t.key).label, table=t.label)
            for t in tables if t.key]
    # Shown once each: in Japanese, two tables' columns may have one name (一方のID).
    references = dict.fromkeys(str(c.label) for t in tables for c in t.columns if c.references)
    lists = [(t, c) for t in tables for c in t.columns if c.kind is Kind.LIST]
    lines = [
        _("Kizuna data template"),
        "",
        _("Fill in one sheet per table: {tables}. The {required} sheets are required; "
          "{optional} may stay empty.", tables=_listed(t.label for t in tables),
          required=_listed(t.label for t in tables if t.required),
          optional=_listed(t.label for t in tables if not t.required)),
        _("Row 1 of each sheet is the header: keep it as it is. Point at a header cell to read "
          "what the column holds, whether it is required, what it must refer to, and an "
          "example."),
        _("Enter one record per row, from row 2."),
        _("IDs: every row needs its own ID, used once in its sheet: {keys}.",
          keys=_listed(keys)),
        _("References: some columns must name an ID from another sheet ({columns}); the "
          "header's comment says which.", columns=_listed(references)),
        _("Lists: several values go in one cell, separated by '{separator}', for example "
          "'{example}' in {column}.", separator=LIST_SEPARATOR,
          example=example(*lists[0]), column=lists[0][1].label) if lists else None,
        _("Drop-down lists offer the accepted values for {lists}.",
          lists=_listed(_(c.label) for c in _all_choices())),
        _("Sheets whose name starts with '{prefix}', like this one, are not read.",
          prefix=HELPER_SHEET_PREFIX),
        _("When you are done, save the workbook as .xlsx and upload it on the Import page."),
    ]
    for row, line in enumerate((line for line in lines if line is not None), start=1):
        cell = sheet.cell(row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110


def _listed(items) -> Listed:
    """Names joined as a sentence of the current language does: "a, b, and c"; "a、b、c"."""
    return Listed(tuple(items), translated=False, style="standard")
