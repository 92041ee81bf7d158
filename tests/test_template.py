"""The empty workbook staff fill in: made from the schema, and read back by the loader."""

from __future__ import annotations

import csv
import io

import openpyxl
import pycountry
import pytest

from analytics.data import uploads
from analytics.data.loader import load_dataset
from analytics.data.schema import (
    KIND_EXPECTS,
    LOAD_ORDER,
    ORG_TYPES,
    STATUSES,
    TABLES,
    TARGET_METRICS,
    TIE_KINDS,
    WAVES,
    Kind,
)
from analytics.data.template import LISTS_SHEET, READ_ME_SHEET, TEMPLATE_ROWS, template_xlsx
from tests.conftest import SAMPLE_DIR


@pytest.fixture(scope="module")
def template() -> bytes:
    return template_xlsx()


@pytest.fixture(scope="module")
def book(template):
    return openpyxl.load_workbook(io.BytesIO(template))


def list_values(book, formula: str) -> list[str]:
    """The values a validation's formula such as '_lists'!$C$2:$C$5 points at."""
    sheet_name, cells = formula.split("!")
    assert sheet_name.strip("'") == LISTS_SHEET
    return [c.value for (c,) in book[LISTS_SHEET][cells.replace("$", "")]]


def list_header(book, formula: str) -> str:
    column = formula.split("!")[1].split("$")[1]
    return book[LISTS_SHEET][f"{column}1"].value


def validation_of(book, table: str, column: str):
    sheet = book[table]
    letter = openpyxl.utils.get_column_letter(TABLES[table].column_names.index(column) + 1)
    found = [v for v in sheet.data_validations.dataValidation
             if f"{letter}2:{letter}{TEMPLATE_ROWS}" in str(v.sqref)]
    assert len(found) == 1, (table, column, found)
    return found[0]


def test_sheets_are_the_read_me_every_table_in_load_order_and_the_hidden_lists(book):
    assert book.sheetnames == [READ_ME_SHEET, *LOAD_ORDER, LISTS_SHEET]
    assert book.sheetnames[0] == "_read_me" and book.active.title == "_read_me"
    assert book[READ_ME_SHEET].sheet_state == "visible"
    assert book[LISTS_SHEET].sheet_state == "hidden"


def test_each_table_sheet_has_the_schema_header_bold_and_frozen(book):
    for name in LOAD_ORDER:
        sheet = book[name]
        header = [c.value for c in sheet[1]]
        assert header == TABLES[name].column_names
        assert all(c.font.bold for c in sheet[1])
        assert sheet.freeze_panes == "A2"
        assert sheet.max_row == 1  # nothing but the header
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(10 <= w <= 45 for w in widths), (name, widths)


def test_header_comments_describe_each_column(book):
    for name in LOAD_ORDER:
        for cell, column in zip(book[name][1], TABLES[name].columns, strict=True):
            text = cell.comment.text
            assert column.description in text
            assert str(KIND_EXPECTS[column.kind]) in text
            assert ("Required." if column.required else "Optional.") in text
            if column.example:
                assert f"Example: {column.example}" in text
            for table in column.references:
                assert f"{TABLES[table].key} from the {table} sheet" in text


def test_drop_downs_reference_the_right_lists(book):
    codes = sorted(c.alpha_2 for c in pycountry.countries)
    expected = {
        ("organizations", "country"): ("country", codes),
        ("alumni", "country"): ("country", codes),
        ("projects", "country"): ("country", codes),
        ("projects", "status"): ("status", list(STATUSES)),
        ("organizations", "org_type"): ("org_type", list(ORG_TYPES)),
        ("targets", "metric"): ("metric", list(TARGET_METRICS)),
        ("alumni", "consent_directory"): ("yes_no", ["yes", "no"]),
        ("alumni", "consent_public"): ("yes_no", ["yes", "no"]),
        ("partnerships", "kind"): ("tie_kind", list(TIE_KINDS)),
        ("outcomes", "wave"): ("wave", list(WAVES)),
    }
    for (table, column), (header, values) in expected.items():
        validation = validation_of(book, table, column)
        assert validation.type == "list"
        assert list_header(book, validation.formula1) == header
        assert list_values(book, validation.formula1) == values
        assert validation.allow_blank and validation.showErrorMessage
        assert validation.errorStyle == ("warning" if column in ("kind", "wave") else "stop"), \
            (table, column)
        assert validation.error


def test_every_listed_kind_has_a_drop_down_and_nothing_else_does(book):
    listed = (Kind.COUNTRY, Kind.STATUS, Kind.ORG_TYPE, Kind.METRIC, Kind.BOOL, Kind.TIE_ORIGIN)
    for name in LOAD_ORDER:
        count = len(book[name].data_validations.dataValidation)
        wanted = sum(c.kind in listed or (name, c.name) in (("partnerships", "kind"),
                                                            ("outcomes", "wave"))
                     for c in TABLES[name].columns)
        assert count == wanted, name


def test_read_me_explains_how_to_fill_it_in(book):
    text = "\n".join(str(r[0]) for r in book[READ_ME_SHEET].iter_rows(values_only=True) if r[0])
    for words in ("one sheet per table", "header", "ID", "another sheet", "separated by ';'",
                  "Import page", ".xlsx", *LOAD_ORDER):
        assert words in text, words


def sample_rows(name: str) -> tuple[list[str], list[list[str]]]:
    with open(SAMPLE_DIR / f"{name}.csv", encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def counts(dataset) -> dict[str, tuple[int, int, int]]:
    return {n: (r.rows_read, r.rows_loaded, r.rows_rejected) for n, r in dataset.report.items()}


def test_template_filled_with_the_sample_loads_like_the_sample(template, tmp_path):
    book = openpyxl.load_workbook(io.BytesIO(template))
    for name in LOAD_ORDER:
        if not (SAMPLE_DIR / f"{name}.csv").exists():
            continue
        header, rows = sample_rows(name)
        sheet = book[name]
        position = {c.value: c.column for c in sheet[1]}
        for number, row in enumerate(rows, start=2):
            for column, value in zip(header, row, strict=True):
                if value:
                    sheet.cell(number, position[column], value)
    book.save(tmp_path / "kizuna.xlsx")
    filled, sample = load_dataset(tmp_path), load_dataset(SAMPLE_DIR)
    assert filled.errors == []
    assert counts(filled) == counts(sample)
    assert sum(r.rows_loaded for r in filled.report.values()) > 0
    # The same rows, read the same way: one table compared cell by cell.
    assert filled["alumni"].astype(str).equals(sample["alumni"].astype(str))


def test_empty_template_loads_with_no_problems_and_empty_tables(template, tmp_path):
    (tmp_path / "kizuna.xlsx").write_bytes(template)
    dataset = load_dataset(tmp_path)
    # Every table has its header and no rows; the loader reports nothing about empty tables,
    # required or not, and ignores the helper sheets.
    assert dataset.problems == []
    assert counts(dataset) == {name: (0, 0, 0) for name in LOAD_ORDER}
    assert {n: r.source for n, r in dataset.report.items()} == {
        name: f"kizuna.xlsx [sheet {name}]" for name in LOAD_ORDER}


def test_template_uploaded_as_is_gives_every_table_and_notes_the_helper_sheets(template):
    upload = uploads.read_upload([("kizuna.xlsx", template)], uploads.Limits())
    assert list(upload.files) == list(LOAD_ORDER)
    assert upload.files["targets"].decode("utf-8-sig") == "metric,year,target\n"
    assert sum("helper" in note for note in upload.notes) == 2
