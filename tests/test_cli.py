"""The command line: exit codes, JSON shape, and the documents it writes."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import BROKEN_DIR, ROOT, SAMPLE_DIR


def run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analytics", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)


def test_validate_sample_exits_0():
    result = run("validate", str(SAMPLE_DIR))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 error(s)" in result.stdout


def test_validate_broken_exits_1_with_json_that_adds_up():
    result = run("validate", str(BROKEN_DIR), "--json")
    assert result.returncode == 1
    report = json.loads(result.stdout)
    assert set(report) == {"tables", "problems"}
    for name, counts in report["tables"].items():
        assert counts["rows_read"] == counts["rows_loaded"] + counts["rows_rejected"], name
    # organizations.csv has 6 data rows; rows 3-6 carry errors (read from the fixture by hand).
    assert report["tables"]["organizations"] == {"rows_read": 6, "rows_loaded": 2,
                                                 "rows_rejected": 4}
    first = next(p for p in report["problems"] if p["table"] == "organizations")
    assert {"severity", "table", "row", "column", "value", "message"} <= set(first)
    # The column as the fixture's header writes it.
    assert (first["row"], first["column"], first["value"]) == (3, "Country", "Atlantis")


def test_validate_unusable_folder_exits_2_without_traceback(tmp_path):
    result = run("validate", str(tmp_path / "missing"))
    assert result.returncode == 2
    assert "does not exist" in result.stderr and "Traceback" not in result.stderr


def test_validate_a_file_instead_of_a_folder_exits_2(tmp_path):
    path = tmp_path / "alumni.csv"
    path.write_text("alum_id\n")
    result = run("validate", str(path), "--json")
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_synth_writes_a_folder_that_validates(tmp_path):
    result = run("synth", "--out", str(tmp_path / "s"), "--alumni", "300", "--seed", "7")
    assert result.returncode == 0, result.stderr
    check = run("validate", str(tmp_path / "s"), "--json")
    assert check.returncode == 0, check.stdout[-2000:]
    assert json.loads(check.stdout)["tables"]["alumni"]["rows_loaded"] == 300


def test_committed_data_contract_doc_matches_the_schema(tmp_path):
    out = tmp_path / "data.md"
    assert run("docs", "--out", str(out)).returncode == 0
    committed = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    assert committed == out.read_text(encoding="utf-8"), "run: python -m analytics docs"
