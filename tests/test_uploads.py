"""Uploads: every bad container refused with a message that says what and what to do;
good uploads turned into CSV files the loader reads as it reads the folder itself."""

from __future__ import annotations

import io
import struct
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference

from analytics.data import uploads
from analytics.data.loader import load_dataset
from analytics.data.uploads import (
    MB,
    OLE_MAGIC,
    Limits,
    SourceUnusable,
    Upload,
    UploadError,
    read_source_path,
    read_upload,
)
from tests.conftest import MINI, SAMPLE_DIR

ALUMNI = MINI["alumni"].encode()
ORGS = MINI["organizations"].encode()


def make_zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(zipfile.ZipInfo(name), data, compress_type=compression)
    return buffer.getvalue()


def make_xlsx(sheets: dict[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_rows(text: str) -> list[list]:
    return [line.split(",") for line in text.strip().splitlines()]


def refused(items, limits: Limits | None = None) -> str:
    with pytest.raises(UploadError) as caught:
        read_upload(items, limits or Limits())
    return str(caught.value)


def sample_items() -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in sorted(SAMPLE_DIR.glob("*.csv"))]


def loaded_counts(folder: Path) -> dict[str, int]:
    dataset = load_dataset(folder)
    return {name: (r.rows_read, r.rows_loaded) for name, r in dataset.report.items()}


# --- good uploads ------------------------------------------------------------------------------

def test_several_csv_files_are_kept_as_they_are():
    upload = read_upload([("Alumni.csv", ALUMNI), ("ORGANIZATIONS.csv", ORGS)], Limits())
    assert upload.files == {"alumni": ALUMNI, "organizations": ORGS}
    assert upload.origins == {"alumni": "Alumni.csv", "organizations": "ORGANIZATIONS.csv"}
    assert upload.notes == ()


def test_shift_jis_csv_is_accepted_and_kept_as_it_came():
    data = MINI["alumni"].encode("cp932")
    assert read_upload([("alumni.csv", data)], Limits()).files["alumni"] == data


def test_unknown_files_are_notes_when_a_table_is_found():
    upload = read_upload([("alumni.csv", ALUMNI), ("budget.csv", b"a,b\n1,2\n")], Limits())
    assert list(upload.files) == ["alumni"]
    assert any("'budget.csv' is not a table" in n and "alumni" in n for n in upload.notes)


def test_zip_of_csv_files_with_a_subfolder_and_clutter():
    data = make_zip({
        "data/": b"",
        "data/alumni.csv": ALUMNI,
        "organizations.csv": ORGS,
        "__MACOSX/data/._alumni.csv": b"\x00\x05\x16\x07",
        "data/._organizations.csv": b"\x00\x05\x16\x07",
        "~$kizuna.xlsx": b"lock",
        "old.zip": make_zip({"projects.csv": b"x"}),
        "README.txt": b"hello",
    })
    upload = read_upload([("data.zip", data)], Limits())
    assert upload.files == {"alumni": ALUMNI, "organizations": ORGS}
    assert upload.origins == {"alumni": "data.zip/data/alumni.csv",
                              "organizations": "data.zip/organizations.csv"}
    notes = "\n".join(upload.notes)
    assert "1 macOS metadata entries (__MACOSX/)" in notes
    assert "'data.zip/data/._organizations.csv' was ignored: it is macOS metadata" in notes
    assert "'data.zip/~$kizuna.xlsx' was ignored: it is an Excel lock file" in notes
    assert "'data.zip/old.zip' was ignored: zip archives inside a zip are not read" in notes
    assert "'data.zip/README.txt' was ignored: it is not a CSV file" in notes


def test_workbook_sheets_by_name_unknown_and_helper_sheets_noted():
    data = make_xlsx({
        "Alumni": csv_rows(MINI["alumni"]),
        "partnerships": csv_rows(MINI["partnerships"]),
        "Budget": [["a", "b"], [1, 2]],
        "_lists": [["status"], ["active"]],
    })
    upload = read_upload([("kizuna.xlsx", data)], Limits())
    assert upload.origins == {"alumni": "kizuna.xlsx [sheet Alumni]",
                              "partnerships": "kizuna.xlsx [sheet partnerships]"}
    notes = "\n".join(upload.notes)
    assert "'kizuna.xlsx [sheet Budget]' is not a table" in notes
    assert "'kizuna.xlsx [sheet _lists]' was ignored" in notes and "helper" in notes
    alumni = upload.files["alumni"]
    assert alumni.startswith(uploads.UTF8_BOM)
    lines = alumni.decode("utf-8-sig").split("\n")
    assert lines[0] == MINI["alumni"].splitlines()[0]
    assert lines[1] == "A1,Haruka Sato,佐藤 遥,SIFJ,2011,2011,JP,O1,yes,no"  # numbers without .0


def test_formula_is_kept_as_its_text():
    data = make_xlsx({"targets": [["metric", "year", "target"], ["alumni", 2017, "=1+2"],
                                  ["projects_launched", "=2000+18", 5]]})
    text = read_upload([("t.xlsx", data)], Limits()).files["targets"].decode("utf-8-sig")
    assert text == "metric,year,target\nalumni,2017,=1+2\nprojects_launched,=2000+18,5\n"


def test_japanese_text_round_trips_from_the_workbook_to_csv_bytes():
    name = "佐藤 遥（さとう はるか）, 石巻市"
    data = make_xlsx({"alumni": [["alum_id", "name_local"], ["A1", name], ["A2", "ｶﾀｶﾅ\n二行目"]]})
    csv_bytes = read_upload([("k.xlsx", data)], Limits()).files["alumni"]
    assert csv_bytes.startswith(b"\xef\xbb\xbf")
    assert csv_bytes.decode("utf-8-sig") == (
        f'alum_id,name_local\nA1,"{name}"\nA2,"ｶﾀｶﾅ\n二行目"\n')


def test_sheet_blank_rows_keep_row_numbers_and_trailing_blanks_go(tmp_path):
    rows = csv_rows(MINI["organizations"])
    data = make_xlsx({"organizations": [rows[0] + [None, None], rows[1], [], [None, ""], rows[2],
                                        [], [None, None, None]]})
    upload = read_upload([("k.xlsx", data)], Limits())
    text = upload.files["organizations"].decode("utf-8-sig")
    assert text.split("\n") == [",".join(rows[0]), ",".join(rows[1][:-1]), "", "", ",".join(rows[2][:-1]), ""]
    upload.write(tmp_path)
    dataset = load_dataset(tmp_path)
    assert list(dataset["organizations"].index) == [2, 5]  # the sheet's own row numbers


def test_table_given_twice_keeps_the_first():
    sheet = make_xlsx({"alumni": csv_rows(MINI["alumni"])})
    upload = read_upload([("alumni.csv", ALUMNI), ("Alumni.CSV", b"other"), ("k.xlsx", sheet)],
                         Limits())
    assert upload.files == {"alumni": ALUMNI}
    assert [n for n in upload.notes if n.startswith("Table alumni is in both")] == [
        "Table alumni is in both alumni.csv and Alumni.CSV; only alumni.csv was read. Keep one.",
        "Table alumni is in both alumni.csv and k.xlsx [sheet alumni]; only alumni.csv was read. "
        "Keep one."]


def test_sample_uploaded_as_csv_files_loads_like_the_folder(tmp_path):
    upload = read_upload(sample_items(), Limits())
    assert set(upload.files) == {p.stem for p in SAMPLE_DIR.glob("*.csv")}
    upload.write(tmp_path)
    assert loaded_counts(tmp_path) == loaded_counts(SAMPLE_DIR)


def test_sample_uploaded_as_a_zip_with_a_folder_loads_like_the_folder(tmp_path):
    data = make_zip({f"kizuna/{name}": content for name, content in sample_items()})
    read_upload([("kizuna.zip", data)], Limits()).write(tmp_path)
    assert loaded_counts(tmp_path) == loaded_counts(SAMPLE_DIR)


def test_sample_uploaded_as_a_workbook_loads_like_the_folder(tmp_path):
    import csv

    sheets = {}
    for name, content in sample_items():
        sheets[name.removesuffix(".csv").capitalize()] = list(
            csv.reader(io.StringIO(content.decode("utf-8-sig"), newline="")))
    read_upload([("kizuna.xlsx", make_xlsx(sheets))], Limits()).write(tmp_path)
    assert loaded_counts(tmp_path) == loaded_counts(SAMPLE_DIR)
    assert load_dataset(tmp_path).problems == load_dataset(SAMPLE_DIR).problems == []


# --- read_source_path --------------------------------------------------------------------------

def test_source_path_reads_a_folder_a_zip_a_workbook_and_a_csv(tmp_path):
    assert set(read_source_path(SAMPLE_DIR, Limits()).files) == {
        p.stem for p in SAMPLE_DIR.glob("*.csv")}
    (tmp_path / "d.zip").write_bytes(make_zip({"alumni.csv": ALUMNI}))
    (tmp_path / "k.xlsx").write_bytes(make_xlsx({"alumni": csv_rows(MINI["alumni"])}))
    (tmp_path / "alumni.csv").write_bytes(ALUMNI)
    for name in ("d.zip", "k.xlsx", "alumni.csv"):
        assert list(read_source_path(tmp_path / name, Limits()).files) == ["alumni"]


def test_source_path_missing_is_unusable_and_other_files_are_refused(tmp_path):
    with pytest.raises(SourceUnusable, match="does not exist"):
        read_source_path(tmp_path / "nowhere", Limits())
    (tmp_path / "notes.txt").write_text("alum_id\nA1\n")
    with pytest.raises(UploadError, match="not a folder, .csv file, .xlsx workbook or .zip") as caught:
        read_source_path(tmp_path / "notes.txt", Limits())
    assert not isinstance(caught.value, SourceUnusable)
    (tmp_path / "empty").mkdir()
    with pytest.raises(UploadError, match="holds no .csv or .xlsx file"):
        read_source_path(tmp_path / "empty", Limits())


def test_source_path_over_the_limit_is_refused_before_reading(tmp_path):
    (tmp_path / "alumni.csv").write_bytes(ALUMNI * 100)
    with pytest.raises(UploadError, match="KIZUNA_MAX_UPLOAD_MB"):
        read_source_path(tmp_path, Limits(upload_bytes=1000))


# --- limits ------------------------------------------------------------------------------------

def test_limits_come_from_the_environment(monkeypatch):
    monkeypatch.setenv("KIZUNA_MAX_UPLOAD_MB", "2")
    monkeypatch.setenv("KIZUNA_MAX_UNPACKED_MB", "7.5")
    monkeypatch.setenv("KIZUNA_MAX_ROWS", "1000")
    assert Limits.from_env() == Limits(2 * MB, int(7.5 * MB), 1000)
    monkeypatch.setenv("KIZUNA_MAX_ROWS", "lots")
    with pytest.raises(ValueError, match="KIZUNA_MAX_ROWS must be a positive whole number"):
        Limits.from_env()


def test_read_upload_uses_the_environment_by_default(monkeypatch):
    monkeypatch.setenv("KIZUNA_MAX_ROWS", "1")
    with pytest.raises(UploadError, match="more than 1 rows"):
        read_upload([("alumni.csv", ALUMNI)])


# --- bad uploads, one by one ------------------------------------------------------------------

@pytest.mark.parametrize(("name", "data", "what"), [
    ("alumni.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(40), "a PNG image"),
    ("alumni.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< >>\nendobj\n", "a PDF document"),
    ("photo.png", b"\x89PNG\r\n\x1a\n" + bytes(40), "a PNG image"),
])
def test_a_file_of_another_format_is_refused_by_its_content(name, data, what):
    message = refused([("organizations.csv", ORGS), (name, data)])
    assert f"{name} is {what}, not a CSV file, .xlsx workbook or .zip archive" in message
    assert "Upload CSV files, a .zip of CSV files, or an Excel workbook saved as .xlsx" in message


def test_a_csv_in_a_zip_that_is_an_image_is_refused():
    message = refused([("d.zip", make_zip({"alumni.csv": b"\x89PNG\r\n\x1a\n" + bytes(40)}))])
    assert "d.zip/alumni.csv is a PNG image, not a CSV file" in message


def test_a_file_of_an_unknown_type_is_refused():
    message = refused([("alumni.txt", ALUMNI)])
    assert "alumni.txt is not a CSV file, .xlsx workbook or .zip archive" in message


def test_a_word_document_is_refused():
    docx = make_zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})
    message = refused([("alumni.docx", docx)])
    assert "alumni.docx is a Word document, not an Excel workbook" in message


def test_an_xlsx_that_is_a_zip_without_a_workbook_is_refused():
    message = refused([("kizuna.xlsx", make_zip({"alumni.csv": ALUMNI}))])
    assert "kizuna.xlsx is a zip archive without a workbook inside" in message
    assert "save it as .xlsx" in message


def test_a_truncated_workbook_cannot_be_read():
    data = make_xlsx({"alumni": csv_rows(MINI["alumni"])})
    message = refused([("kizuna.xlsx", data[: len(data) // 2])])
    assert "kizuna.xlsx cannot be read" in message and "damaged or incomplete" in message


def test_a_workbook_with_damaged_sheet_xml_cannot_be_read():
    data = make_xlsx({"alumni": csv_rows(MINI["alumni"])})
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {i.filename: source.read(i) for i in source.infolist()}
    parts["xl/worksheets/sheet1.xml"] = parts["xl/worksheets/sheet1.xml"][:200]
    message = refused([("kizuna.xlsx", make_zip(parts))])
    assert "kizuna.xlsx cannot be read as an Excel workbook" in message
    assert "save it again as an Excel Workbook (.xlsx)" in message


def encrypted_workbook() -> bytes:
    """What Excel writes for an .xlsx with a password: an OLE compound file, not a zip.

    msoffcrypto-tool is not needed to stand for one: uploads look only at the magic
    number; the header and stream name make it look the part.
    """
    header = OLE_MAGIC + bytes(16) + struct.pack("<HHH", 0x3E, 0x3, 0xFFFE) + bytes(512 - 30)
    return header + "EncryptionInfo".encode("utf-16-le") + bytes(1024)


@pytest.mark.parametrize("name", ["kizuna.xlsx", "kizuna.xls", "alumni.csv"])
def test_a_password_protected_or_legacy_workbook_is_refused(name):
    message = refused([(name, encrypted_workbook())])
    assert f"{name} is a password-protected workbook or an old Excel 97-2003 (.xls) file" in message
    assert "save it as an Excel Workbook (.xlsx), without a password" in message


def test_a_password_protected_zip_is_refused():
    data = bytearray(make_zip({"alumni.csv": ALUMNI}, zipfile.ZIP_STORED))
    # Set the "encrypted" flag in the local and central headers.
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.index(signature) + offset
        data[at] |= 0x1
    message = refused([("d.zip", bytes(data))])
    assert "d.zip is password-protected" in message and "without a password" in message


@pytest.mark.parametrize("member", ["../x.csv", "/etc/alumni.csv", "..\\alumni.csv",
                                    "data/../../alumni.csv", "C:/Windows/alumni.csv"])
def test_a_zip_whose_paths_climb_out_is_refused_with_nothing_read(member, monkeypatch):
    def no_reading(*args, **kwargs):
        raise AssertionError("a member was read")
    monkeypatch.setattr(uploads._Budget, "read", no_reading)
    message = refused([("d.zip", make_zip({"alumni.csv": ALUMNI, member: ORGS}))])
    assert f"d.zip holds an entry '{member}' whose path leads outside the archive" in message
    assert "nothing in it was read" in message


def test_a_zip_declaring_more_than_the_unpacked_limit_is_refused():
    data = make_zip({"alumni.csv": ALUMNI * 10, "organizations.csv": ORGS * 10})
    message = refused([("d.zip", data)], Limits(unpacked_bytes=1000))
    assert "d.zip would unpack to" in message and "KIZUNA_MAX_UNPACKED_MB" in message


def test_a_workbook_declaring_more_than_the_unpacked_limit_is_refused_before_openpyxl(monkeypatch):
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened"))
    data = make_xlsx({"alumni": csv_rows(MINI["alumni"]) * 50})
    message = refused([("k.xlsx", data)], Limits(unpacked_bytes=5000))
    assert "k.xlsx would unpack to" in message and "KIZUNA_MAX_UNPACKED_MB" in message


def test_a_zip_bomb_member_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(uploads._Budget, "read", lambda *a: pytest.fail("a member was read"))
    bomb = make_zip({"alumni.csv": bytes(11 * MB)})
    assert len(bomb) < 100_000
    message = refused([("d.zip", bomb)])
    assert "'alumni.csv' in d.zip unpacks to 11 MB" in message
    assert "over 100 to 1" in message and "zip bomb" in message


def test_a_workbook_that_is_a_zip_bomb_is_refused_before_openpyxl(monkeypatch):
    monkeypatch.setattr(openpyxl, "load_workbook", lambda *a, **k: pytest.fail("opened"))
    data = make_xlsx({"alumni": csv_rows(MINI["alumni"])})
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = {i.filename: source.read(i) for i in source.infolist()}
    parts["xl/media/padding.bin"] = bytes(12 * MB)
    message = refused([("k.xlsx", make_zip(parts))])
    assert "'xl/media/padding.bin' in k.xlsx unpacks to 12 MB" in message and "zip bomb" in message


def lying_zip(data: bytes, claimed: int) -> bytes:
    """A zip whose headers claim ``claimed`` bytes for a member that unpacks to more."""
    archive = bytearray(make_zip({"alumni.csv": data}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = archive.index(signature) + offset
        archive[at:at + 4] = struct.pack("<I", claimed)
    return bytes(archive)


def test_a_zip_whose_headers_lie_about_sizes_is_refused():
    message = refused([("d.zip", lying_zip(ALUMNI * 1000, 100))])
    assert "d.zip/alumni.csv cannot be read" in message and "Zip the files again" in message


def test_reading_stops_when_the_running_total_passes_the_limit():
    data = make_zip({"alumni.csv": ALUMNI * 100, "organizations.csv": ORGS * 100})
    budget = uploads._Budget("d.zip", limit=len(ALUMNI) * 150)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        first, second = archive.infolist()
        assert budget.read(archive, first) == ALUMNI * 100
        with pytest.raises(UploadError, match="d.zip unpacks to more than the limit"):
            budget.read(archive, second)


def test_an_upload_over_the_size_limit_is_refused_with_the_limit_and_the_variable():
    message = refused([("alumni.csv", ALUMNI * 10_000)], Limits(upload_bytes=1 * MB))
    assert "more than the limit of 1 MB" in message
    assert "KIZUNA_MAX_UPLOAD_MB" in message


def test_a_million_row_csv_is_refused_quickly():
    data = b"alum_id,name\n" + b"A1,x\n" * 1_000_001
    started = time.perf_counter()
    message = refused([("alumni.csv", data)])
    elapsed = time.perf_counter() - started
    assert "The alumni table in alumni.csv has more than 500,000 rows" in message
    assert "KIZUNA_MAX_ROWS" in message
    assert elapsed < 2, elapsed


def test_row_limit_counts_records_not_line_breaks_inside_quotes():
    data = b"alum_id,note\n" + b'A1,"two\nlines"\n' * 3
    assert read_upload([("alumni.csv", data)], Limits(rows_per_table=3)).files["alumni"] == data
    message = refused([("alumni.csv", data + b"A2,x\n")], Limits(rows_per_table=3))
    assert "more than 3 rows" in message


def test_a_sheet_over_the_row_limit_is_refused():
    rows = [["alum_id"]] + [[f"A{i}"] for i in range(20)]
    message = refused([("k.xlsx", make_xlsx({"Alumni": rows}))], Limits(rows_per_table=10))
    assert "The alumni table in k.xlsx [sheet Alumni] has more than 10 rows" in message


def test_csv_in_neither_utf8_nor_shift_jis_is_refused():
    message = refused([("alumni.csv", MINI["alumni"].encode("utf-16"))])
    assert "alumni.csv is not text in UTF-8 or Shift_JIS" in message
    assert "CSV UTF-8" in message
    zipped = refused([("d.zip", make_zip({"data/alumni.csv": MINI["alumni"].encode("utf-16")}))])
    assert zipped.startswith("In d.zip/data: alumni.csv is not text in UTF-8 or Shift_JIS")


def test_no_table_at_all_names_what_was_found_and_the_tables_expected():
    message = refused([("budget.csv", b"a\n1\n"), ("d.zip", make_zip({"notes.csv": b"x"}))])
    assert "No Kizuna table was found in the upload (it held: budget.csv, d.zip/notes.csv)" in message
    assert "organizations, alumni, partnerships, projects, funding, targets" in message
    assert "No Kizuna table" in refused([])


def test_empty_zips_and_clutter_alone_are_no_tables():
    empty = make_zip({})
    assert "(it held: e.zip)" in refused([("e.zip", empty)])
    message = refused([("~$kizuna.xlsx", b"lock"), (".DS_Store", b"\x00")])
    assert "(it held: ~$kizuna.xlsx, .DS_Store)" in message


def test_a_chart_sheet_is_noted_not_read():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "alumni"
    sheet.append(["alum_id"])
    chart = BarChart()
    chart.add_data(Reference(sheet, min_col=1, min_row=1, max_row=1))
    book.create_chartsheet("projects").add_chart(chart)
    buffer = io.BytesIO()
    book.save(buffer)
    upload = read_upload([("k.xlsx", buffer.getvalue())], Limits())
    assert list(upload.files) == ["alumni"]
    assert upload.notes == ("'k.xlsx [sheet projects]' was ignored: it is a chart sheet, not a table.",)


def test_upload_is_a_plain_value():
    upload = read_upload([("alumni.csv", ALUMNI)], Limits())
    assert isinstance(upload, Upload) and upload.notes == ()


def test_a_workbook_without_formulas_reads_the_same_by_either_reader(monkeypatch):
    """calamine reads formula-free workbooks; what it gives must be what openpyxl gives."""
    import datetime as dt

    import openpyxl

    from analytics.data import uploads as module

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "introductions"
    sheet.append(["first_id", "second_id", "year", "date", "suggested", "note"])
    sheet.append(["A1", "A2", 2024, dt.date(2024, 3, 1), True, "佐藤さんの紹介"])
    sheet.append([])  # a blank row inside the table: row numbers must stay the sheet's
    sheet.append(["A3", "O1", 2025.0, "2025-01-02", False, "  spaced  "])
    buffer = io.BytesIO()
    book.save(buffer)
    data = buffer.getvalue()
    fast = module.read_upload([("book.xlsx", data)]).files["introductions"]
    monkeypatch.setattr(module, "_has_formulas", lambda data: True)  # the openpyxl reader
    slow = module.read_upload([("book.xlsx", data)]).files["introductions"]
    assert fast == slow
    lines = fast.decode("utf-8-sig").splitlines()
    assert lines[1] == "A1,A2,2024,2024-03-01,yes,佐藤さんの紹介" and lines[2] == ""
