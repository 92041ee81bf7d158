"""The loader, rule by rule, on small folders whose answers are known by hand."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from analytics.data.loader import load_dataset
from analytics.data.schema import TABLES
from analytics.data.sources import DataFolderError
from tests.conftest import BROKEN_DIR, MINI, write_folder


def replace(table: str, old: str, new: str) -> dict[str, str]:
    """MINI with one table's text edited; fails loudly if the edit does not apply."""
    assert old in MINI[table], old
    return {**MINI, table: MINI[table].replace(old, new)}


def problems_at(dataset, table, row=None, column=None):
    return [p for p in dataset.problems
            if p.table == table and (row is None or p.row == row)
            and (column is None or p.column == column)]


def assert_counts_add_up(dataset):
    for r in dataset.report.values():
        assert r.rows_read == r.rows_loaded + r.rows_rejected, r
        assert len(dataset.tables[r.table]) == r.rows_loaded
        assert len(dataset.rejected[r.table]) == r.rows_rejected


# --- a valid folder -------------------------------------------------------------------------

def test_mini_folder_loads_every_row_with_types(mini_dir):
    ds = load_dataset(mini_dir)
    assert ds.problems == []
    assert {n: r.rows_loaded for n, r in ds.report.items()} == {
        "organizations": 2, "alumni": 2, "partnerships": 2, "projects": 1, "funding": 0,
        "targets": 0, "outcomes": 0, "introductions": 0}
    alumni = ds["alumni"]
    assert list(alumni.index) == [2, 3]  # spreadsheet rows: the header is row 1
    assert alumni.loc[3, "country"] == "JP"  # "Japan" resolved to its code
    assert alumni["cohort_year"].tolist() == [2011, 2012]
    assert alumni["consent_directory"].tolist() == [True, False]
    assert alumni.loc[3, "organization_id"] == ""
    ties = ds["partnerships"]
    assert ties["weight"].tolist() == [1.0, 2.0]  # blank weight means 1
    assert ties["end_year"].isna().tolist() == [True, False]
    project = ds["projects"].iloc[0]
    assert project["partner_ids"] == ["O2", "A2"]
    assert project["beneficiaries"] == 120 and project["funds_raised_usd"] == 5000.0


def test_every_contract_column_is_present_even_when_absent_from_the_file(mini_dir):
    ds = load_dataset(mini_dir)
    for name, table in TABLES.items():
        assert set(table.column_names) <= set(ds[name].columns), name
    assert ds["alumni"]["email"].tolist() == ["", ""]
    assert ds["funding"].empty  # optional and missing: no problem


# --- encodings --------------------------------------------------------------------------------

def test_cp932_file_reads_japanese_names(tmp_path):
    folder = write_folder(tmp_path / "sjis", MINI)
    (folder / "alumni.csv").write_bytes(MINI["alumni"].encode("cp932"))
    ds = load_dataset(folder)
    assert ds.problems == []
    assert ds["alumni"]["name_local"].tolist() == ["佐藤 遥", "阿部 健太"]


def test_utf8_bom_does_not_stick_to_the_first_header(tmp_path):
    folder = write_folder(tmp_path / "bom", MINI)
    (folder / "organizations.csv").write_bytes(b"\xef\xbb\xbf" + MINI["organizations"].encode())
    ds = load_dataset(folder)
    assert ds.problems == []
    assert ds["organizations"]["org_id"].tolist() == ["O1", "O2"]


@pytest.mark.parametrize("encoding", ["utf-16", "latin-1"])
def test_file_in_another_encoding_is_a_file_error_naming_it(tmp_path, encoding):
    text = MINI["organizations"].replace("Tide Network", "Café Niño Ü")
    folder = write_folder(tmp_path / encoding, {**MINI, "organizations": text})
    (folder / "organizations.csv").write_bytes(text.encode(encoding))
    ds = load_dataset(folder)
    [problem] = problems_at(ds, "organizations")
    assert problem.severity == "error" and problem.file == "organizations.csv"
    assert "UTF-8" in str(problem.message) and "organizations.csv" in str(problem.message)
    assert ds.report["organizations"].rows_read == 0


# --- headers and text -------------------------------------------------------------------------

def test_headers_ignore_case_spaces_and_underscores(tmp_path):
    text = MINI["organizations"].replace("org_id,name,country,region,org_type",
                                         "  Org ID ,NAME,Country,region,org-type")
    ds = load_dataset(write_folder(tmp_path / "h", {**MINI, "organizations": text}))
    assert ds.problems == []
    assert ds["organizations"]["org_type"].tolist() == ["nonprofit", "foundation"]


def test_unknown_column_is_kept_and_warned(tmp_path):
    tables = replace("organizations", "website\n", "website,Board Size\n")
    tables["organizations"] = tables["organizations"].replace("aging,\n", "aging,,7\n")
    ds = load_dataset(write_folder(tmp_path / "u", tables))
    [warning] = ds.problems
    # Named as the sheet wrote it; kept under its normalized name.
    assert (warning.severity, warning.row, warning.column) == ("warning", 1, "Board Size")
    assert ds["organizations"].loc[2, "board_size"] == "7"
    assert ds.report["organizations"].rows_loaded == 2


def test_missing_required_column_sets_the_table_aside(tmp_path):
    tables = replace("organizations", "org_type,", "")
    tables["organizations"] = (tables["organizations"]
                               .replace("nonprofit,", "").replace("foundation,", ""))
    ds = load_dataset(write_folder(tmp_path / "m", tables))
    [problem] = problems_at(ds, "organizations")
    assert (problem.severity, problem.row, problem.column) == ("error", 1, "org_type")
    assert ds.report["organizations"].rows_rejected == 2
    # Their alumni and ties now name organizations that were set aside.
    assert "set aside" in str(problems_at(ds, "alumni", row=2, column="organization_id")[0].message)
    assert_counts_add_up(ds)


def test_text_is_nfkc_normalized_and_trimmed(tmp_path):
    tables = replace("alumni", "A1,Haruka Sato,佐藤 遥,SIFJ,2011,2011,JP",
                     "A1,  Haruka Sato ,ｻﾄｳ ﾊﾙｶ,SIFJ,２０１１,２０１１,ＪＰ")
    tables["organizations"] = MINI["organizations"].replace(
        "nonprofit,aging,", "nonprofit,Aging；Education ; ,")
    ds = load_dataset(write_folder(tmp_path / "n", tables))
    assert ds.problems == []
    a1 = ds["alumni"].loc[2]
    assert (a1["name"], a1["name_local"], a1["cohort_year"], a1["country"]) == (
        "Haruka Sato", "サトウ ハルカ", 2011, "JP")
    assert ds["organizations"].loc[2, "causes"] == ["aging", "education"]


def test_blank_lines_are_skipped_but_counted_in_row_numbers(tmp_path):
    text = MINI["alumni"].replace("\nA2,", "\n\n,,,,\n\nA2,").replace("2012,2012", "2012,20x2")
    ds = load_dataset(write_folder(tmp_path / "b", {**MINI, "alumni": text}))
    [problem] = problems_at(ds, "alumni")
    assert problem.row == 6  # header 1, A1 2, three blank lines 3-5
    assert (problem.column, problem.value) == ("cohort_year", "20x2")
    assert ds.report["alumni"].rows_read == 2


def test_row_with_more_cells_than_the_header_is_set_aside(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "r", replace("organizations", "education,", "education,x,")))
    [problem] = problems_at(ds, "organizations")
    assert problem.row == 3 and "8 cells" in str(problem.message)
    assert ds.report["organizations"].rows_rejected == 1


# --- values -----------------------------------------------------------------------------------

@pytest.mark.parametrize("written, expected", [
    ("yes", True), ("NO", False), ("True", True), ("false", False), ("1", True), ("0", False),
    ("Y", True), ("n", False), ("はい", True), ("いいえ", False), ("", False),
])
def test_booleans(tmp_path, written, expected):
    ds = load_dataset(write_folder(tmp_path / "x", replace("alumni", "O1,yes,no", f"O1,{written},no")))
    assert ds.problems == []
    assert bool(ds["alumni"].loc[2, "consent_directory"]) is expected


@pytest.mark.parametrize("written, code", [
    ("JP", "JP"), ("jpn", "JP"), ("Japan", "JP"), ("United States", "US"), ("USA", "US"),
    ('"Korea, Republic of"', "KR"), ("South Korea", "KR"), ("Singapore", "SG"), ("THA", "TH"),
    ("日本", "JP"),
])
def test_countries_resolve_to_alpha2(tmp_path, written, code):
    ds = load_dataset(write_folder(tmp_path / "c", replace("alumni", "2012,Japan", f"2012,{written}")))
    assert ds.problems == []
    assert ds["alumni"].loc[3, "country"] == code


def test_status_and_org_type_accept_any_case_and_synonyms(tmp_path):
    tables = replace("projects", ",active,", ",ACTIVE,")
    tables["organizations"] = MINI["organizations"].replace("nonprofit", "NPO")
    ds = load_dataset(write_folder(tmp_path / "s", tables))
    assert ds.problems == []
    assert ds["projects"]["status"].tolist() == ["active"]
    assert ds["organizations"]["org_type"].tolist() == ["nonprofit", "foundation"]


def test_money_and_counts_accept_separators(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "m", replace("projects", "120,5000", '"1,200","$5,000.50"')))
    assert ds.problems == []
    assert ds["projects"].iloc[0][["beneficiaries", "funds_raised_usd"]].tolist() == [1200, 5000.5]


@pytest.mark.parametrize("table, old, new, column", [
    ("alumni", "2011,2011,JP", "2011,1899,JP", "cohort_year"),
    ("alumni", "2011,2011,JP", "2011,2101,JP", "cohort_year"),
    ("alumni", "2011,2011,JP", "2011,2011.5,JP", "cohort_year"),
    ("projects", "120,5000", "-1,5000", "beneficiaries"),
    ("projects", "120,5000", "12.5,5000", "beneficiaries"),
    ("projects", "120,5000", "120,-0.01", "funds_raised_usd"),
    ("partnerships", "2015,2", "2015,0", "weight"),
    ("partnerships", "2015,2", "2015,-2", "weight"),
    ("partnerships", "2015,2", "2015,heavy", "weight"),
    ("projects", ",active,", ",done,", "status"),
    ("organizations", "nonprofit", "spaceship", "org_type"),
    ("alumni", "O1,yes,no", "O1,maybe,no", "consent_directory"),
    ("alumni", "2012,Japan", "2012,Atlantis", "country"),
])
def test_wrong_type_or_range_sets_the_row_aside(tmp_path, table, old, new, column):
    ds = load_dataset(write_folder(tmp_path / "w", replace(table, old, new)))
    bad = [p for p in ds.problems if p.table == table and p.column == column]
    assert len(bad) == 1 and bad[0].severity == "error"
    assert bad[0].value and bad[0].value in new
    assert bad[0].row in ds.rejected[table].index
    assert_counts_add_up(ds)


def test_required_blank_is_an_error(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "r", replace("alumni", "A2,Kenta Abe", "A2,")))
    [problem] = problems_at(ds, "alumni")
    assert (problem.row, problem.column, problem.value) == (3, "name", "")
    assert "required" in str(problem.message)
    # The tie and the project partner naming A2 are set aside with it.
    assert problems_at(ds, "partnerships", row=3, column="target_id")
    assert problems_at(ds, "projects", row=2, column="partner_ids")
    assert_counts_add_up(ds)


def test_duplicate_ids_report_every_row_that_carries_them(tmp_path):
    text = MINI["organizations"] + "O1,Tide Network again,JP,Miyagi,nonprofit,,\n"
    ds = load_dataset(write_folder(tmp_path / "d", {**MINI, "organizations": text}))
    dup = problems_at(ds, "organizations", column="org_id")
    assert [p.row for p in dup] == [2, 4]
    assert all("rows 2, 4" in str(p.message) for p in dup)
    assert ds.report["organizations"].rows_loaded == 1


@pytest.mark.parametrize("table, old, new, column", [
    ("partnerships", "P1,A1,O2", "P1,A1,O9", "target_id"),
    ("partnerships", "P1,A1,O2", "P1,A9,O2", "source_id"),
    ("projects", "X1,Community Solar,A1", "X1,Community Solar,A9", "lead_alum_id"),
    ("projects", "O2;A2", "O2;A9", "partner_ids"),
    ("alumni", "JP,O1,", "JP,O9,", "organization_id"),
])
def test_dangling_references_are_errors(tmp_path, table, old, new, column):
    ds = load_dataset(write_folder(tmp_path / "ref", replace(table, old, new)))
    [problem] = problems_at(ds, table, column=column)
    assert problem.value in ("O9", "A9") and "no " in str(problem.message)
    assert_counts_add_up(ds)


def test_dangling_funder_is_an_error(tmp_path):
    tables = {**MINI, "funding": "funder_id,program,year,amount_usd\nO2,SIFJ,2012,100\nO7,SIFJ,2012,5\n"}
    ds = load_dataset(write_folder(tmp_path / "f", tables))
    [problem] = problems_at(ds, "funding")
    assert (problem.row, problem.column, problem.value) == (3, "funder_id", "O7")
    assert ds["funding"]["amount_usd"].tolist() == [100.0]


def test_end_year_before_start_year(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "e", replace("partnerships", "2013,2015", "2013,2012")))
    [problem] = problems_at(ds, "partnerships")
    assert (problem.row, problem.column, problem.value) == (3, "end_year", "2012")


def test_partnership_with_the_same_two_ends(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "l", replace("partnerships", "P2,A1,A2", "P2,A1,A1")))
    [problem] = problems_at(ds, "partnerships")
    assert (problem.row, problem.column) == (3, "target_id")


def test_an_alum_id_that_is_also_an_org_id_is_set_aside(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "k", replace("alumni", "A2,Kenta Abe", "O2,Kenta Abe")))
    [clash] = [p for p in problems_at(ds, "alumni") if "ambiguous" in str(p.message)]
    assert (clash.row, clash.column, clash.value) == (3, "alum_id", "O2")
    assert ds["alumni"]["alum_id"].tolist() == ["A1"]


def test_two_targets_for_one_figure_and_year_are_both_set_aside(tmp_path):
    targets = "metric,year,target\nalumni,2012,5\nAlumni,2012,6\nalumni,2013,7\n"
    ds = load_dataset(write_folder(tmp_path / "t", {**MINI, "targets": targets}))
    problems = problems_at(ds, "targets")
    assert [(p.row, p.column) for p in problems] == [(2, "year"), (3, "year")]
    assert "more than one row for metric alumni and year 2012" in str(problems[0].message)
    assert ds["targets"]["year"].tolist() == [2013]


# --- outcomes, tie origins and introductions ---------------------------------------------------

OUTCOMES = (
    "subject_id,wave,year,date,indicator,value,unit,iris_code\n"
    "A1,baseline,2011,2011-06-01,Cross-border collaborations,2,count,\n"
    "A1,exit,2011,2011-12-01,Cross-border collaborations,,count,\n"
    'X1,year 1,2013,,People reached,"1,200",people,PI4060\n'
    "A2,baseline,2012,,Change in income,-350.5,USD,\n"
)


def test_outcomes_about_alumni_and_projects_load_with_blank_and_negative_values(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "o", {**MINI, "outcomes": OUTCOMES}))
    assert ds.problems == []
    outcomes = ds["outcomes"]
    assert outcomes["subject_id"].tolist() == ["A1", "A1", "X1", "A2"]  # alumni and a project
    values = outcomes["value"].tolist()
    assert values[0] == 2.0 and values[2] == 1200.0 and values[3] == -350.5
    assert pd.isna(values[1])  # asked but not answered: blank, not an error and not zero
    assert outcomes["year"].tolist() == [2011, 2011, 2013, 2012]


def test_an_outcome_value_that_is_not_a_number_is_an_error(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "o", {
        **MINI, "outcomes": OUTCOMES.replace("baseline,2011,2011-06-01,Cross-border collaborations,2",
                                             "baseline,2011,2011-06-01,Cross-border collaborations,abc")}))
    [problem] = problems_at(ds, "outcomes")
    assert (problem.severity, problem.row, problem.column, problem.value) == ("error", 2, "value", "abc")
    assert "value must be a number" in str(problem.message) and "'abc' is not" in str(problem.message)
    assert ds.report["outcomes"].rows_loaded == 3


def test_an_outcome_about_no_alum_or_project_is_an_error(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "o", {
        **MINI, "outcomes": OUTCOMES.replace("A2,baseline", "Z9,baseline")}))
    [problem] = problems_at(ds, "outcomes")
    assert (problem.row, problem.column, problem.value) == (5, "subject_id", "Z9")
    assert "no alumni or projects row with that alum_id or project_id" in str(problem.message)
    assert_counts_add_up(ds)


def test_an_outcome_about_an_alum_set_aside_is_set_aside_too(tmp_path):
    tables = replace("alumni", "SIFJ,2012,2012", "SIFJ,2012,20x2")
    ds = load_dataset(write_folder(tmp_path / "o", {**tables, "outcomes": OUTCOMES}))
    # A2's project partnership sets project X1 aside, and X1's outcome with it.
    problems = problems_at(ds, "outcomes")
    assert [(p.row, p.value) for p in problems] == [(4, "X1"), (5, "A2")]
    assert all("set aside" in str(p.message) for p in problems)
    assert ds["outcomes"]["subject_id"].tolist() == ["A1", "A1"]


def test_an_id_of_both_an_alum_and_a_project_is_ambiguous_as_a_subject(tmp_path):
    tables = replace("projects", "X1,Community Solar", "A2,Community Solar")
    outcomes = OUTCOMES.replace("X1,year 1", "A2,year 1")
    ds = load_dataset(write_folder(tmp_path / "o", {**tables, "outcomes": outcomes}))
    problems = problems_at(ds, "outcomes")
    assert [(p.row, p.column, p.value) for p in problems] == [(4, "subject_id", "A2"),
                                                              (5, "subject_id", "A2")]
    assert all("both alumni and projects" in str(p.message) for p in problems)


def test_two_outcomes_for_one_subject_wave_and_indicator_are_both_set_aside(tmp_path):
    text = OUTCOMES + "A1,Baseline,2011,,cross-border collaborations,3,count,\n"
    ds = load_dataset(write_folder(tmp_path / "o", {**MINI, "outcomes": text}))
    problems = problems_at(ds, "outcomes")
    assert [(p.row, p.column) for p in problems] == [(2, "indicator"), (6, "indicator")]
    assert "more than one row for subject_id A1, wave baseline" in str(problems[0].message)
    assert ds["outcomes"].index.tolist() == [3, 4, 5]


def with_origins(*origins: str) -> dict[str, str]:
    lines = MINI["partnerships"].splitlines()
    text = "\n".join([lines[0] + ",note,origin"]
                     + [f"{line},,{o}" for line, o in zip(lines[1:], origins, strict=True)]) + "\n"
    return {**MINI, "partnerships": text}


def test_tie_origins_read_common_words_as_their_origin(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "t", with_origins("Program", "introduced by staff")))
    assert ds.problems == []
    assert ds["partnerships"]["origin"].tolist() == ["cohort", "staff introduction"]
    blank = load_dataset(write_folder(tmp_path / "b", with_origins("", "Suggested introduction")))
    assert blank["partnerships"]["origin"].tolist() == ["", "suggested introduction"]
    assert load_dataset(tmp_path / "b").problems == []
    assert load_dataset(write_folder(tmp_path / "m", MINI))["partnerships"]["origin"].tolist() == ["", ""]


def test_an_unknown_tie_origin_is_an_error_listing_the_choices(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "t", with_origins("cohort", "bumped into")))
    [problem] = problems_at(ds, "partnerships")
    assert (problem.row, problem.column, problem.value) == (3, "origin", "bumped into")
    assert "cohort, forum, staff introduction, suggested introduction, or other" in str(problem.message)


INTRODUCTIONS = (
    "first_id,second_id,year,date,made_by,suggested,note\n"
    "A2,O2,2014,2014-05-01,Emi Takeda,yes,\n"
    "A1,A1,2015,,Emi Takeda,,Mistyped\n"
    "A1,O7,2015,,,no,\n"
)


def test_introductions_need_two_different_ends_that_exist(tmp_path):
    ds = load_dataset(write_folder(tmp_path / "i", {**MINI, "introductions": INTRODUCTIONS}))
    problems = problems_at(ds, "introductions")
    assert [(p.row, p.column, p.value) for p in problems] == [(3, "second_id", "A1"),
                                                              (4, "second_id", "O7")]
    assert "an introduction needs two different ends" in str(problems[0].message)
    introductions = ds["introductions"]
    assert introductions[["first_id", "second_id"]].values.tolist() == [["A2", "O2"]]
    assert introductions["suggested"].tolist() == [True] and introductions["year"].tolist() == [2014]


def test_hostile_text_is_kept_as_written(tmp_path):
    hostile = "<img src=x onerror=alert(1)>"
    formula = '=HYPERLINK("http://example.com")'
    row = 'A2,<img src=x onerror=alert(1)>,"=HYPERLINK(""http://example.com"")",SIFJ,2012,2012,JP,,no,no\n'
    tables = {**MINI, "alumni": MINI["alumni"].splitlines(keepends=True)[0]
              + MINI["alumni"].splitlines(keepends=True)[1] + row}
    ds = load_dataset(write_folder(tmp_path / "x", tables))
    assert ds.problems == []
    assert ds["alumni"].loc[3, "name"] == hostile
    assert ds["alumni"].loc[3, "name_local"] == formula


# --- folders ----------------------------------------------------------------------------------

def test_xlsx_workbook_with_a_sheet_per_table(tmp_path):
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, text in MINI.items():
        sheet = book.create_sheet(name.capitalize())
        for line in text.splitlines():
            sheet.append([int(c) if c.isdigit() else (c or None) for c in line.split(",")])
    sheet = book["Alumni"]
    sheet.insert_rows(3)  # a blank row counts in row numbers
    sheet["F4"] = "not a year"
    folder = tmp_path / "book"
    folder.mkdir()
    book.save(folder / "kizuna.xlsx")
    ds = load_dataset(folder)
    [problem] = problems_at(ds, "alumni")
    assert (problem.file, problem.row, problem.column) == ("kizuna.xlsx [sheet Alumni]", 4, "cohort_year")
    assert ds["organizations"]["org_id"].tolist() == ["O1", "O2"]
    assert ds["alumni"].loc[2, "cohort_year"] == 2011


def test_header_only_folder_loads_empty_without_problems(empty_dir):
    ds = load_dataset(empty_dir)
    assert ds.problems == []
    assert all(r.rows_read == 0 for r in ds.report.values())


def test_missing_required_table_is_an_error_and_optional_is_not(tmp_path):
    tables = {k: v for k, v in MINI.items() if k != "projects"}
    ds = load_dataset(write_folder(tmp_path / "p", tables))
    [problem] = ds.problems
    assert problem.severity == "error" and problem.table == "projects"
    assert "projects.csv" in str(problem.message)
    assert ds["projects"].empty and list(ds["projects"].columns) == TABLES["projects"].column_names


def test_missing_folder_raises_a_clear_error(tmp_path):
    with pytest.raises(DataFolderError, match="does not exist"):
        load_dataset(tmp_path / "nowhere")


def test_broken_fixture_sets_rows_aside_and_loses_none():
    ds = load_dataset(BROKEN_DIR)
    assert_counts_add_up(ds)
    # Worked out by reading the fixture: which rows of each table are clean.
    assert list(ds["organizations"]["org_id"]) == ["O1", "O5"]
    assert list(ds["alumni"]["alum_id"]) == ["A2"]
    assert list(ds["funding"].index) == [2]
    assert ds.rows_set_aside == 25
    assert any(p.file == "notes.csv" and p.severity == "warning" for p in ds.problems)
