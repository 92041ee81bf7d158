"""Staff look after the data in the browser: import a workbook, read its preview, apply it, see
the overview move, restore the version before, see it move back; the duplicates page."""

from __future__ import annotations

import re
import shutil

import openpyxl
import pandas as pd
import pytest
from playwright.sync_api import expect

from analytics.curation.duplicates import find_duplicates
from tests.browser.conftest import open_and_wait, screenshot, streamlit_server, wait_for_run
from tests.conftest import ROOT

pytestmark = pytest.mark.browser

SAMPLE = ROOT / "data" / "sample"
NEW_PEOPLE = 4


def alumni_trained(page) -> str:
    card = page.locator('[data-testid="stMetric"]', has_text="Alumni trained").first
    return card.locator('[data-testid="stMetricValue"]').inner_text().strip()


def workbook_with_new_alumni(path) -> int:
    """The sample's alumni and organizations as a workbook, with NEW_PEOPLE more alumni."""
    alumni = pd.read_csv(SAMPLE / "alumni.csv", dtype=str, keep_default_na=False)
    extra = alumni.head(NEW_PEOPLE).copy()
    extra["alum_id"] = [f"A9{i:03d}" for i in range(NEW_PEOPLE)]
    extra["name"] = [f"New Person {i}" for i in range(NEW_PEOPLE)]
    extra["email"] = [f"new{i}@example.org" for i in range(NEW_PEOPLE)]
    extra["name_local"] = ""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, frame in (("Alumni", pd.concat([alumni, extra])),
                        ("organizations", pd.read_csv(SAMPLE / "organizations.csv", dtype=str,
                                                      keep_default_na=False))):
        sheet = book.create_sheet(name)
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append(list(row))
    book.save(path)
    return len(alumni)


def test_import_preview_apply_and_restore(page, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder)
    workbook = tmp_path / "new-cohort.xlsx"
    before = workbook_with_new_alumni(workbook)
    with streamlit_server(folder) as url:
        open_and_wait(page, f"{url}/overview")
        assert alumni_trained(page) == f"{before:,}"

        open_and_wait(page, f"{url}/imports")
        page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(workbook))
        expect(page.get_by_text("alumni: 4 added · 0 removed · 0 changed")).to_be_visible(
            timeout=60_000)
        wait_for_run(page)
        expect(page.get_by_text("How the headline figures would move")).to_be_visible()
        expect(page.get_by_role("cell", name=f"{before + NEW_PEOPLE:,}")).to_be_visible()
        screenshot(page, "import-preview")
        page.get_by_role("button", name="Apply as a new version").click()
        expect(page.get_by_text(re.compile(r"Applied as version 2"))).to_be_visible(timeout=60_000)

        open_and_wait(page, f"{url}/overview")
        assert alumni_trained(page) == f"{before + NEW_PEOPLE:,}"

        open_and_wait(page, f"{url}/versions")
        expect(page.get_by_text("Version 2 is the current data")).to_be_visible()
        screenshot(page, "versions")
        page.get_by_role("tab", name="Restore").click()
        page.get_by_role("button", name="Restore version 1").click()
        expect(page.get_by_text("Version 1 is current again, as version 3.")).to_be_visible(
            timeout=60_000)

        open_and_wait(page, f"{url}/overview")
        assert alumni_trained(page) == f"{before:,}"


def test_the_duplicates_page_shows_a_pair_and_why(page, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder)
    alumni = pd.read_csv(folder / "alumni.csv", dtype=str, keep_default_na=False)
    twin = alumni.iloc[[0]].copy()  # the first alum entered again, in a later cohort, in capitals
    twin["alum_id"], twin["email"] = "A9999", twin["email"].str.upper()
    twin["cohort"], twin["cohort_year"] = "2016", "2016"
    pd.concat([alumni, twin]).to_csv(folder / "alumni.csv", index=False)
    pairs = find_duplicates(pd.read_csv(folder / "alumni.csv", dtype=str, keep_default_na=False))
    pair = pairs[(pairs["second_id"] == "A9999") | (pairs["first_id"] == "A9999")].iloc[0]
    with streamlit_server(folder) as url:
        open_and_wait(page, f"{url}/duplicates?pair={pair['first_id']}%2B{pair['second_id']}")
        expect(page.get_by_text(f"{pair['first_id']} and {pair['second_id']}")).to_be_visible()
        expect(page.get_by_text("same email", exact=False).first).to_be_visible()
        expect(page.get_by_role("button", name=re.compile("^Merge"))).to_be_visible()
        screenshot(page, "duplicate-pair")


def test_a_row_set_aside_is_fixed_in_place_and_saved_as_a_version(page, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(SAMPLE, folder)
    alumni = pd.read_csv(folder / "alumni.csv", dtype=str, keep_default_na=False)
    broken = alumni.iloc[[0]].copy()
    broken["alum_id"], broken["name"] = "A9001", ""  # a required name left blank
    pd.concat([alumni, broken]).to_csv(folder / "alumni.csv", index=False)
    with streamlit_server(folder) as url:
        open_and_wait(page, f"{url}/data")
        page.get_by_text("alumni: 1 row", exact=True).click()
        editor = page.locator('[data-testid="stDataFrame"]').nth(2)
        editor.scroll_into_view_if_needed()
        cell_editor = page.locator("textarea.gdg-input")
        for _ in range(10):  # the grid draws on a canvas: retry until its cell editor opens
            page.wait_for_timeout(800)
            box = editor.bounding_box()
            # The editor's one row: the Row number, alum_id, then the blank name.
            page.mouse.dblclick(box["x"] + 175, box["y"] + 52)
            if cell_editor.count():
                break
        expect(cell_editor).to_be_visible()
        cell_editor.fill("Kaito Ishii")
        cell_editor.press("Enter")
        expect(page.get_by_text("These rows are right now.")).to_be_visible(timeout=60_000)
        wait_for_run(page)
        screenshot(page, "fix-in-place")
        page.get_by_role("button", name="Save as a new version").click()
        expect(page.get_by_text(re.compile(r"Applied as version 2"))).to_be_visible(timeout=60_000)
    fixed = pd.read_csv(folder / "alumni.csv", dtype=str, keep_default_na=False)
    assert fixed.set_index("alum_id").loc["A9001", "name"] == "Kaito Ishii"
