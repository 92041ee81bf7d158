"""An empty workbook for staff to fill in, made from the data contract.

:func:`template_xlsx` writes one sheet per table of :data:`analytics.data.schema.TABLES`
with the contract's columns as the header row. Each header cell carries a
comment saying what the column holds; columns whose values come from a fixed
list (countries, statuses, organization types, metrics, yes/no, kinds of tie,
how a tie began) offer a drop-down. A visible ``_read_me`` sheet explains how
to fill it in and a hidden ``_lists`` sheet holds the drop-downs' values; the
loader ignores sheets whose names start with ``_``. Nothing here lists columns by hand.

Example
-------
>>> import io, openpyxl
>>> book = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
>>> book.sheetnames[:3], book["_lists"].sheet_state
(['_read_me', 'organizations', 'alumni'], 'hidden')
>>> [c.value for c in book["targets"][1]]
['metric', 'year', 'target']
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pycountry

from analytics.data.countries import country_name
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
    Column,
    Kind,
)
from analytics.data.sources import HELPER_SHEET_PREFIX

READ_ME_SHEET = HELPER_SHEET_PREFIX + "read_me"
LISTS_SHEET = HELPER_SHEET_PREFIX + "lists"
TEMPLATE_ROWS = 5000  # drop-downs cover rows 2..TEMPLATE_ROWS of their column

# Kinds whose values are numbers: every other column is formatted as text, so that
# Excel keeps leading zeros and does not take "+81-90-..." for a formula.
NUMERIC_KINDS = (Kind.YEAR, Kind.COUNT, Kind.MONEY, Kind.WEIGHT, Kind.NUMBER, Kind.MEASURE)


@dataclass(frozen=True)
class Choices:
    """A drop-down list: its column on the lists sheet and how strictly it is kept."""

    name: str  # header of its column on LISTS_SHEET
    label: str  # what the read-me calls it
    values: tuple[str, ...]
    strict: bool = True  # False: Excel warns about other values but accepts them
    hint: str = ""  # the message for a value not in the list; by default, the list

    @property
    def message(self) -> str:
        return self.hint or "Pick one of: " + ", ".join(self.values) + "."


COUNTRY_CODES = tuple(sorted(c.alpha_2 for c in pycountry.countries))

KIND_CHOICES = {
    Kind.COUNTRY: Choices("country", "country codes", COUNTRY_CODES,
                          hint="Pick a two-letter ISO code from the list (JP for Japan, US for "
                               "the United States)."),
    Kind.STATUS: Choices("status", "project statuses", STATUSES),
    Kind.ORG_TYPE: Choices("org_type", "organization types", tuple(ORG_TYPES)),
    Kind.METRIC: Choices("metric", "target metrics", TARGET_METRICS),
    Kind.TIE_ORIGIN: Choices("tie_origin", "how ties began", tuple(TIE_ORIGINS)),
    Kind.BOOL: Choices("yes_no", "yes/no", (TRUE_WORDS[0], FALSE_WORDS[0])),
}

# Columns of free text with usual values: other values are allowed, so Excel only warns.
COLUMN_CHOICES = {
    ("partnerships", "kind"): Choices("tie_kind", "the usual kinds of tie", TIE_KINDS,
                                      strict=False,
                                      hint="The usual kinds are " + ", ".join(TIE_KINDS)
                                      + "; another word is fine too."),
}
assert all(c in TABLES[t].column_names for t, c in COLUMN_CHOICES)


def template_xlsx() -> bytes:
    """Return an empty ``.xlsx`` workbook with a sheet per table, ready to fill in.

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
    sheets = {name: book.create_sheet(name) for name in LOAD_ORDER}
    lists = book.create_sheet(LISTS_SHEET)
    ranges = _write_lists(lists)
    for name, sheet in sheets.items():
        _write_table_sheet(sheet, name, ranges)
    book.active = 0
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def column_choices(table: str, column: Column) -> Choices | None:
    """Return the drop-down a column offers, or None.

    >>> column_choices("projects", TABLES["projects"].column("status")).values
    ('planned', 'active', 'completed', 'paused')
    >>> column_choices("projects", TABLES["projects"].column("title")) is None
    True
    """
    return COLUMN_CHOICES.get((table, column.name)) or KIND_CHOICES.get(column.kind)


def header_note(column: Column) -> str:
    """Return the comment on a column's header cell.

    >>> print(header_note(TABLES["alumni"].column("organization_id")))
    The alum's organization.
    Expects: an identifier.
    Optional.
    Must be an org_id from the organizations sheet.
    Example: ORG-ETIC
    """
    lines = [column.description, f"Expects: {KIND_EXPECTS[column.kind]}.",
             "Required." if column.required else "Optional."]
    if column.references:
        named = " or ".join(f"{TABLES[t].key} from the {t} sheet" for t in column.references)
        each = "Each must be" if column.kind is Kind.ID_LIST else "Must be"
        lines.append(f"{each} an {named}.")
    lines.append(f"Example: {column.example}" if column.example else "Example: (blank)")
    return "\n".join(lines)


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
        columns = [(choices.name, choices.values)]
        if choices.values is COUNTRY_CODES:  # the names beside the codes, to look them up
            columns.append(("country_name", tuple(country_name(c) for c in COUNTRY_CODES)))
        for header, values in columns:
            letter = get_column_letter(column)
            sheet.cell(1, column, header).font = Font(bold=True)
            for row, value in enumerate(values, start=2):
                sheet.cell(row, column, value)
            sheet.column_dimensions[letter].width = max(12, min(40, max(map(len, values)) + 2))
            if header == choices.name:
                last = len(values) + 1
                ranges[header] = f"'{sheet.title}'!${letter}$2:${letter}${last}"
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
        cell = sheet.cell(1, number, column.name)
        cell.font = Font(bold=True)
        note = header_note(column)
        comment = Comment(note, "Kizuna")
        comment.width = 320
        comment.height = 30 + 18 * sum(1 + len(line) // 45 for line in note.splitlines())
        cell.comment = comment
        width = max(len(column.name), len(column.example), 10) + 2
        sheet.column_dimensions[letter].width = min(width, 45)
        if column.kind not in NUMERIC_KINDS:
            sheet.column_dimensions[letter].number_format = "@"
        choices = column_choices(table_name, column)
        if choices:
            validation = DataValidation(
                type="list", formula1=ranges[choices.name], allow_blank=True,
                showErrorMessage=True, errorStyle="stop" if choices.strict else "warning",
                errorTitle="Not in the list", error=choices.message)
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def _write_read_me(sheet) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.title = READ_ME_SHEET
    required = [n for n in LOAD_ORDER if TABLES[n].required]
    optional = [n for n in LOAD_ORDER if not TABLES[n].required]
    keys = [f"{TABLES[n].key} ({n})" for n in LOAD_ORDER if TABLES[n].key]
    references = [c.name for n in LOAD_ORDER for c in TABLES[n].columns if c.references]
    lists = [c for n in LOAD_ORDER for c in TABLES[n].columns if c.kind is Kind.LIST]
    lines = [
        "Kizuna data template",
        "",
        f"Fill in one sheet per table: {_and(LOAD_ORDER)}. The {_and(required)} sheets are "
        f"required; {_and(optional)} may stay empty.",
        "Row 1 of each sheet is the header: keep it as it is. Point at a header cell to read "
        "what the column holds, whether it is required, what it must refer to, and an example.",
        "Enter one record per row, from row 2.",
        f"IDs: every row needs its own ID, used once in its sheet: {_and(keys)}.",
        "References: some columns must name an ID from another sheet "
        f"({_and(dict.fromkeys(references))}); the header's comment says which.",
        f"Lists: several values go in one cell, separated by '{LIST_SEPARATOR}', for example "
        f"'{lists[0].example}' in {lists[0].name}." if lists else None,
        f"Drop-down lists offer the accepted values for {_and(c.label for c in _all_choices())}.",
        f"Sheets whose name starts with '{HELPER_SHEET_PREFIX}', like this one, are not read.",
        "When you are done, save the workbook as .xlsx and upload it on the Import page.",
    ]
    for row, line in enumerate((line for line in lines if line is not None), start=1):
        cell = sheet.cell(row, 1, line)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 110


def _and(items) -> str:
    """Join words as a sentence does: "a, b and c"."""
    items = list(items)
    return " and ".join([", ".join(items[:-1]), items[-1]] if len(items) > 1 else items)
