"""The command line's import, history and restore, on a folder small enough to work out by hand.

``python -m analytics import DIR SOURCE [--apply] [--json]`` previews (or applies) an upload
given as a folder, a zip or a workbook; exit 0 when previewed or applied, 1 when the upload
has errors (nothing applied), 2 when DIR or SOURCE cannot be used. ``history`` lists the
versions newest first and ``restore`` makes an old one current as a new version.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest

from analytics.cli import main
from analytics.data import store
from analytics.data.loader import load_dataset
from analytics.data.uploads import OLE_MAGIC
from tests.test_versions import ALUMNI, MINI, ORGS, TIES

ROOT = Path(__file__).resolve().parents[1]

START = MINI  # three alumni, two organizations, two ties (tests/test_versions.py)

# The upload, worked out by hand against START:
#   alumni: A1 removed; A2's email filled in; A3 moved from O2 to O1; A4 and A5 added
#     -> 2 added, 1 removed, 2 changed; 3 -> 4 alumni.
#   partnerships: P1 (A1-A3) removed; P3 (A4-A3) and P4 (A2-O1) added; P2 kept as it was
#     -> 2 added, 1 removed, 0 changed; 2 -> 3 ties.
#   cross-border share: before P1 joins JP and US, P2 JP and US: 2 of 2 = 100%; after P2
#     (JP-US) and P3 (A4 JP - A3 US) cross and P4 (A2 JP - O1 JP) does not: 2 of 3 = 67%.
#   organizations and projects are not in the upload: unchanged, 2 organizations.
NEW_ALUMNI = ("alum_id,name,program,cohort,cohort_year,country,email,organization_id\n"
              "A2,Ken Ito,SIFJ,2012,2012,JP,ken@example.org,O1\n"
              "A3,Mary Lee,iLEAP,2015,2015,US,mary@example.org,O1\n"
              "A4,Yui Mori,iLEAP,2016,2016,JP,,O2\n"
              "A5,Sho Kato,SIFJ,2013,2013,JP,sho@example.org,\n")
NEW_TIES = ("partnership_id,source_id,target_id,kind,start_year\n"
            "P2,A2,O2,advisory,2014\n"
            "P3,A4,A3,peer,2016\n"
            "P4,A2,O1,peer,2015\n")
UPLOAD = {"alumni": NEW_ALUMNI, "partnerships": NEW_TIES}

EXPECTED_COUNTS = {"alumni": {"added": 2, "removed": 1, "changed": 2},
                   "partnerships": {"added": 2, "removed": 1, "changed": 0}}
EXPECTED_LINES = [
    "read alumni from alumni.csv",
    "read partnerships from partnerships.csv",
    "alumni: 2 added, 1 removed, 2 changed",
    "  + A4",
    "  + A5",
    "  - A1",
    "  ~ A2 email: '' -> 'ken@example.org'",
    "  ~ A3 organization_id: 'O2' -> 'O1'",
    "partnerships: 2 added, 1 removed, 0 changed",
    "  + P3",
    "  + P4",
    "  - P1",
    "Alumni: 3 -> 4",
    "Organizations: 2 -> 2",
    "Partnerships (ties): 2 -> 3",
    "Cross-border share: 100% -> 67%",
]


# --- helpers ------------------------------------------------------------------------------


def write_folder(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder (the history too), by relative path: to show nothing changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def texts_of(folder: Path) -> dict[str, list]:
    return {n: t.astype(str).values.tolist() for n, t in load_dataset(folder).tables.items()}


def strict_json(text: str):
    """JSON as any parser reads it: NaN and Infinity are not JSON."""
    def refuse(constant):
        raise ValueError(f"{constant} is not JSON")
    return json.loads(text, parse_constant=refuse)


def cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def make_zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def make_xlsx(tables: dict[str, str]) -> bytes:
    """A workbook with a sheet per table, named as staff would ("Alumni"); years as numbers."""
    book = openpyxl.Workbook()
    book.remove(book.active)
    for name, text in tables.items():
        sheet = book.create_sheet(name.capitalize())
        for line in text.strip().splitlines():
            sheet.append([int(c) if c.isdigit() else (c or None) for c in line.split(",")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "data", START)


@pytest.fixture
def upload_dir(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "upload", UPLOAD)


# --- preview ------------------------------------------------------------------------------


def test_import_without_apply_prints_the_preview_and_changes_nothing(capsys, folder, upload_dir):
    before = snapshot(folder)
    code, out, err = cli(capsys, "import", folder, upload_dir)
    assert code == 0, out + err
    lines = out.splitlines()
    assert lines[:len(EXPECTED_LINES)] == EXPECTED_LINES
    assert lines[-1] == "previewed only: nothing changed. Add --apply to apply it."
    assert "organizations:" not in out and "projects:" not in out  # tables not changed
    assert snapshot(folder) == before
    assert not (folder / ".kizuna").exists()


def test_import_preview_as_json(capsys, folder, upload_dir):
    before = snapshot(folder)
    code, out, _ = cli(capsys, "import", folder, upload_dir, "--json")
    assert code == 0
    said = strict_json(out)
    assert said["applied"] is None and said["blocked"] is None and said["problems"] == []
    assert {n: {k: t[k] for k in ("added", "removed", "changed")}
            for n, t in said["tables"].items()} == EXPECTED_COUNTS
    alumni = said["tables"]["alumni"]
    assert (alumni["added_ids"], alumni["removed_ids"]) == (["A4", "A5"], ["A1"])
    assert sorted((c["id"], c["column"], c["old"], c["new"]) for c in alumni["changes"]) == [
        ("A2", "email", "", "ken@example.org"), ("A3", "organization_id", "O2", "O1")]
    # A changed row's number is its row in the new file: A2 is row 2, A3 row 3.
    assert sorted((c["id"], c["row"]) for c in alumni["changes"]) == [("A2", 2), ("A3", 3)]
    figures = said["figures"]
    assert figures["alumni"] == {"before": 3, "after": 4}
    assert figures["organizations"] == {"before": 2, "after": 2}
    assert figures["ties"] == {"before": 2, "after": 3}
    assert figures["cross_border_share"]["before"] == 1.0
    assert figures["cross_border_share"]["after"] == pytest.approx(2 / 3)
    assert snapshot(folder) == before and not (folder / ".kizuna").exists()


# --- apply --------------------------------------------------------------------------------


def test_import_with_apply_makes_a_new_version(capsys, folder, upload_dir):
    code, out, err = cli(capsys, "import", folder, upload_dir, "--apply", "--who", "Aiko Tanaka")
    assert code == 0, out + err
    assert out.splitlines()[:len(EXPECTED_LINES)] == EXPECTED_LINES
    assert out.splitlines()[-1].startswith("applied as version 2; the version before it is kept")
    # The folder's own files are the new data; the upload's bytes are kept as they came.
    assert (folder / "alumni.csv").read_text(encoding="utf-8") == NEW_ALUMNI
    assert (folder / "partnerships.csv").read_text(encoding="utf-8") == NEW_TIES
    assert (folder / "organizations.csv").read_text(encoding="utf-8") == ORGS
    dataset = load_dataset(folder)
    assert dataset.version == 2
    assert dataset.tables["alumni"]["alum_id"].tolist() == ["A2", "A3", "A4", "A5"]
    assert not dataset.problems
    # No prepared version is left behind.
    assert list((folder / ".kizuna" / "staging").iterdir()) == []

    code, out, _ = cli(capsys, "history", folder)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].split()[0] == "2" and "Aiko Tanaka" in lines[0]
    assert lines[0].endswith("Import of upload: alumni 2 added, 1 removed, 2 changed; "
                             "partnerships 2 added, 1 removed")
    assert lines[1].split()[0] == "1" and lines[1].endswith(
        "The data as it was before Kizuna kept versions")

    code, out, _ = cli(capsys, "history", folder, "--json")
    said = strict_json(out)
    assert code == 0 and said["edited_outside_kizuna"] is False
    assert [(v["id"], v["who"], v["action"]) for v in said["versions"]] == [
        (2, "Aiko Tanaka", "import"), (1, "-", "start")]
    assert said["versions"][0]["counts"] == EXPECTED_COUNTS
    assert all({"id", "time", "who", "summary"} <= set(v) for v in said["versions"])


def test_import_with_apply_as_json_says_what_was_applied(capsys, folder, upload_dir):
    code, out, _ = cli(capsys, "import", folder, upload_dir, "--apply", "--json", "--who", "Ken")
    assert code == 0
    said = strict_json(out)
    assert said["applied"] == 2 and said["blocked"] is None
    assert {n: {k: t[k] for k in ("added", "removed", "changed")}
            for n, t in said["tables"].items()} == EXPECTED_COUNTS
    assert said["figures"]["ties"] == {"before": 2, "after": 3}
    assert [v.who for v in store.history(folder)] == ["Ken", "-"]


def test_applying_the_same_upload_again_changes_nothing(capsys, folder, upload_dir):
    assert cli(capsys, "import", folder, upload_dir, "--apply")[0] == 0
    code, out, _ = cli(capsys, "import", folder, upload_dir, "--apply")
    assert code == 0
    assert out.splitlines()[-1] == "This change changes nothing: the data would stay as it is."
    assert [v.id for v in store.history(folder)] == [2, 1]


# --- the upload as a folder, a zip, a workbook -------------------------------------------


def test_a_folder_a_zip_and_a_workbook_give_the_same_preview(capsys, tmp_path, folder, upload_dir):
    archive = tmp_path / "export.zip"
    archive.write_bytes(make_zip({f"export/{n}.csv": t.encode() for n, t in UPLOAD.items()}))
    book = tmp_path / "kizuna.xlsx"
    book.write_bytes(make_xlsx(UPLOAD))
    before = snapshot(folder)
    previews = {}
    for source in (upload_dir, archive, book):
        code, out, err = cli(capsys, "import", folder, source, "--json")
        assert code == 0, (source.name, out, err)
        previews[source.name] = strict_json(out)
    assert previews["export.zip"]["sources"] == {"alumni": "export.zip/export/alumni.csv",
                                                 "partnerships": "export.zip/export/partnerships.csv"}
    assert previews["kizuna.xlsx"]["sources"] == {"alumni": "kizuna.xlsx [sheet Alumni]",
                                                  "partnerships": "kizuna.xlsx [sheet Partnerships]"}
    for name, said in previews.items():
        counts = {n: {k: t[k] for k in ("added", "removed", "changed")}
                  for n, t in said["tables"].items()}
        assert counts == EXPECTED_COUNTS, name
        assert said["figures"] == previews["upload"]["figures"], name
        assert said["tables"] == previews["upload"]["tables"], name
    assert snapshot(folder) == before


def test_a_workbook_applies_like_the_csv_files(capsys, tmp_path, folder):
    book = tmp_path / "kizuna.xlsx"
    book.write_bytes(make_xlsx(UPLOAD))
    assert cli(capsys, "import", folder, book, "--apply")[0] == 0
    other = write_folder(tmp_path / "other", START)
    assert cli(capsys, "import", other, write_folder(tmp_path / "up2", UPLOAD), "--apply")[0] == 0
    assert texts_of(folder) == texts_of(other)


# --- an upload with errors ----------------------------------------------------------------


BAD_TIES = NEW_TIES + "P5,A9,A3,peer,2017\n"  # row 5 names A9, who is nowhere


@pytest.mark.parametrize("apply", [False, True], ids=["preview", "--apply"])
def test_an_upload_naming_an_alum_that_does_not_exist_exits_1(capsys, tmp_path, folder, apply):
    source = write_folder(tmp_path / "bad", {"alumni": NEW_ALUMNI, "partnerships": BAD_TIES})
    before = snapshot(folder)
    code, out, _ = cli(capsys, "import", folder, source, *(["--apply"] if apply else []))
    assert code == 1
    errors = [line for line in out.splitlines() if line.startswith("error:")]
    assert errors == ["error: partnerships.csv row 5 source_id [A9]: source_id names 'A9', but "
                      "there is no alumni or organizations row with that alum_id or org_id."]
    assert "Nothing was applied" in out.splitlines()[-1]
    assert snapshot(folder) == before and not (folder / ".kizuna").exists()
    assert store.history(folder) == []


def test_an_upload_with_errors_names_the_sheet_they_are_in(capsys, tmp_path, folder):
    book = tmp_path / "kizuna.xlsx"
    book.write_bytes(make_xlsx({"alumni": NEW_ALUMNI, "partnerships": BAD_TIES}))
    code, out, _ = cli(capsys, "import", folder, book, "--apply")
    assert code == 1
    assert ("error: kizuna.xlsx [sheet Partnerships] row 5 source_id [A9]: source_id names 'A9'"
            in out)
    code, out, _ = cli(capsys, "import", folder, book, "--json")
    said = strict_json(out)
    assert code == 1 and said["applied"] is None and "would be set aside" in said["blocked"]
    [problem] = said["problems"]
    assert (problem["table"], problem["row"], problem["column"], problem["value"]) == (
        "partnerships", 5, "source_id", "A9")
    assert problem["origin"] == "kizuna.xlsx [sheet Partnerships]"
    assert store.history(folder) == []


def test_an_upload_missing_a_required_column_exits_1_and_applies_nothing(capsys, tmp_path, folder):
    # alumni without its alum_id column: no alum can be loaded, so the ties to them would go too.
    no_ids = "\n".join(line.split(",", 1)[1] for line in NEW_ALUMNI.splitlines()) + "\n"
    source = write_folder(tmp_path / "bad", {"alumni": no_ids})
    (folder / "unrelated.txt").write_text("kept")
    before = snapshot(folder)
    code, out, _ = cli(capsys, "import", folder, source, "--apply", "--json")
    assert code == 1
    said = strict_json(out)
    assert said["applied"] is None
    where = {(p["file"], p["row"], p["column"]) for p in said["problems"]}
    assert ("alumni.csv", 1, "alum_id") in where
    # P1 (A1-A3) and P2 (A2-O2) would lose their alumni: rows 2 and 3 of partnerships.csv.
    assert {("partnerships.csv", 2, "source_id"), ("partnerships.csv", 3, "source_id")} <= where
    assert said["figures"]["alumni"] == {"before": 3, "after": 0}
    assert said["figures"]["cross_border_share"] == {"before": 1.0, "after": None}
    assert snapshot(folder) == before and store.history(folder) == []
    code, out, _ = cli(capsys, "import", folder, source)
    assert code == 1
    assert ("error: alumni.csv row 1 alum_id: Required column alum_id is missing from the header"
            in out)


# --- DIR or SOURCE that cannot be used --------------------------------------------------------


def test_a_missing_data_folder_exits_2(capsys, tmp_path, upload_dir):
    code, out, err = cli(capsys, "import", tmp_path / "missing", upload_dir, "--apply")
    assert code == 2 and out == ""
    assert "does not exist" in err
    assert not (tmp_path / "missing").exists()


def test_a_missing_source_exits_2(capsys, tmp_path, folder):
    before = snapshot(folder)
    code, out, err = cli(capsys, "import", folder, tmp_path / "nothing.zip", "--apply")
    assert code == 2 and out == ""
    assert err.strip() == f"error: {tmp_path / 'nothing.zip'} does not exist."
    assert snapshot(folder) == before


def encrypted_workbook() -> bytes:
    """What Excel writes for an .xlsx with a password: an OLE compound file, not a zip."""
    return OLE_MAGIC + bytes(504) + "EncryptionInfo".encode("utf-16-le") + bytes(1024)


BAD_SOURCES = {
    "png": ("alumni.csv", b"\x89PNG\r\n\x1a\n" + bytes(64),
            "alumni.csv is a PNG image, not a CSV file"),
    "climbing zip": ("export.zip", make_zip({"../evil.csv": b"alum_id\nA1\n",
                                             "alumni.csv": NEW_ALUMNI.encode()}),
                     "export.zip holds an entry '../evil.csv' whose path leads outside the "
                     "archive, so nothing in it was read"),
    "encrypted workbook": ("kizuna.xlsx", encrypted_workbook(),
                           "kizuna.xlsx is a password-protected workbook"),
}


@pytest.mark.parametrize("kind", list(BAD_SOURCES))
def test_a_source_that_cannot_be_used_exits_2_with_the_reason(capsys, tmp_path, folder, kind):
    name, data, message = BAD_SOURCES[kind]
    assert data.startswith(OLE_MAGIC) == (kind == "encrypted workbook")
    source = tmp_path / "in" / name
    source.parent.mkdir()
    source.write_bytes(data)
    before = snapshot(folder)
    for extra in ([], ["--apply"], ["--json"]):
        code, out, err = cli(capsys, "import", folder, source, *extra)
        assert code == 2, (extra, out, err)
        assert out == ""
        assert err.startswith(f"error: {message}"), err
        assert snapshot(folder) == before and not (folder / ".kizuna").exists()


def test_a_source_that_cannot_be_used_exits_2_without_a_traceback(tmp_path, folder):
    source = tmp_path / "alumni.csv"
    source.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    result = subprocess.run([sys.executable, "-m", "analytics", "import", str(folder),
                             str(source), "--apply"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    assert "PNG image" in result.stderr and "Traceback" not in result.stderr


def test_a_read_only_server_previews_but_does_not_apply(capsys, monkeypatch, folder, upload_dir):
    monkeypatch.setenv("KIZUNA_READ_ONLY", "1")
    before = snapshot(folder)
    code, out, err = cli(capsys, "import", folder, upload_dir, "--apply")
    assert code == 2 and out == ""
    assert "read-only (KIZUNA_READ_ONLY=1)" in err
    assert snapshot(folder) == before and not (folder / ".kizuna").exists()
    # Reading is still allowed: the preview works and changes nothing.
    code, out, _ = cli(capsys, "import", folder, upload_dir)
    assert code == 0 and out.splitlines()[:len(EXPECTED_LINES)] == EXPECTED_LINES
    assert snapshot(folder) == before


# --- history and restore ------------------------------------------------------------------


def test_history_of_a_folder_without_versions(capsys, folder):
    code, out, _ = cli(capsys, "history", folder)
    assert code == 0
    assert out.strip() == "No versions yet: the first change keeps the current files as version 1."
    code, out, _ = cli(capsys, "history", folder, "--json")
    assert code == 0 and strict_json(out) == {"edited_outside_kizuna": False, "versions": []}
    assert not (folder / ".kizuna").exists()


def test_history_of_a_missing_folder_exits_2(capsys, tmp_path):
    code, _, err = cli(capsys, "history", tmp_path / "missing")
    assert code == 2 and "does not exist" in err


def test_restore_brings_the_first_version_back_as_a_new_version(capsys, folder, upload_dir):
    original = texts_of(folder)
    assert cli(capsys, "import", folder, upload_dir, "--apply", "--who", "Aiko")[0] == 0
    assert texts_of(folder) != original
    code, out, err = cli(capsys, "restore", folder, "1", "--who", "Ken")
    assert code == 0, err
    assert out.strip() == "version 1 is current again, as version 3."
    assert texts_of(folder) == original
    assert (folder / "alumni.csv").read_text(encoding="utf-8") == ALUMNI
    assert load_dataset(folder).version == 3
    listed = store.history(folder)
    assert [(v.id, v.action, v.who) for v in listed] == [
        (3, "restore", "Ken"), (2, "import", "Aiko"), (1, "start", "-")]
    code, out, _ = cli(capsys, "history", folder)
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == ["3", "2", "1"]
    assert "Restored version 1" in out.splitlines()[0]


def test_restore_of_a_version_that_is_not_there_exits_1_and_lists_them(capsys, folder, upload_dir):
    assert cli(capsys, "import", folder, upload_dir, "--apply")[0] == 0
    before = snapshot(folder)
    code, out, err = cli(capsys, "restore", folder, "99")
    assert code == 1 and out == ""
    assert err.strip() == "error: There is no version 99 of this folder (versions: 2, 1)."
    assert snapshot(folder) == before


def test_restore_on_a_read_only_server_exits_2(capsys, monkeypatch, folder, upload_dir):
    assert cli(capsys, "import", folder, upload_dir, "--apply")[0] == 0
    monkeypatch.setenv("KIZUNA_READ_ONLY", "1")
    before = snapshot(folder)
    code, _, err = cli(capsys, "restore", folder, "1")
    assert code == 2 and "read-only" in err
    assert snapshot(folder) == before


# --- validate on a folder with history ------------------------------------------------------


def test_validate_reads_the_current_version_and_not_the_history(capsys, folder, upload_dir):
    assert cli(capsys, "import", folder, upload_dir, "--apply")[0] == 0
    code, out, _ = cli(capsys, "validate", folder, "--json")
    assert code == 0
    said = strict_json(out)
    assert said["problems"] == []
    # The current version's rows only: the start version's are in .kizuna/ and not counted.
    assert said["tables"]["alumni"] == {"rows_read": 4, "rows_loaded": 4, "rows_rejected": 0}
    assert said["tables"]["partnerships"] == {"rows_read": 3, "rows_loaded": 3,
                                              "rows_rejected": 0}
    assert said["tables"]["organizations"]["rows_read"] == 2
    code, out, _ = cli(capsys, "validate", folder)
    assert code == 0
    assert "0 error(s), 0 warning(s), 0 row(s) set aside." in out
    assert ".kizuna" not in out
    alumni_line = next(line for line in out.splitlines() if line.startswith("alumni"))
    assert alumni_line.split() == ["alumni", "alumni.csv", "4", "4", "0"]
    # After a restore, validate follows the current version again.
    assert cli(capsys, "restore", folder, "1")[0] == 0
    code, out, _ = cli(capsys, "validate", folder, "--json")
    assert code == 0 and strict_json(out)["tables"]["alumni"]["rows_read"] == 3


# --- the preview's figures are the overview's ----------------------------------------------


def test_the_preview_cross_border_share_is_the_overviews(tmp_path, folder):
    """The preview works the share out itself, for speed; it must be kpis()' value exactly."""
    from analytics.curation.changes import headline_figures
    from analytics.impact.kpis import kpis
    from tests.conftest import BROKEN_DIR, SAMPLE_DIR

    after = write_folder(tmp_path / "after", START | UPLOAD)
    empty = write_folder(tmp_path / "empty", {"organizations": ORGS, "alumni": ALUMNI,
                                              "partnerships": TIES.splitlines()[0] + "\n"})
    for where in (folder, after, empty, SAMPLE_DIR, BROKEN_DIR):
        dataset = load_dataset(where)
        want = next(k.value for k in kpis(dataset.tables) if k.key == "cross_border_share")
        got = headline_figures(dataset)["cross_border_share"]
        assert got == pytest.approx(want, nan_ok=True), where.name
    assert headline_figures(load_dataset(after))["cross_border_share"] == pytest.approx(2 / 3)
