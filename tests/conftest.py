"""Shared fixtures: small data folders written by hand, and the bundled sample."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest

from analytics.data.schema import TABLES

# Results kept on disk go to a folder of this run's own (removed at the end), never the
# user's cache or one set for a server; servers the tests start do not warm themselves up
# (the test of warming turns it on for its own).
_RESULTS = tempfile.mkdtemp(prefix="kizuna-test-results-")
atexit.register(shutil.rmtree, _RESULTS, ignore_errors=True)
os.environ["KIZUNA_CACHE_DIR"] = _RESULTS
os.environ["KIZUNA_WARM"] = "off"

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"
BROKEN_DIR = ROOT / "tests" / "fixtures" / "broken"

# A tiny valid dataset, small enough to check every answer by hand.
MINI = {
    "organizations": (
        "org_id,name,country,region,org_type,causes,website\n"
        "O1,Tide Network,JP,Miyagi,nonprofit,aging,\n"
        "O2,Cascadia Fund,US,Washington,foundation,education,\n"
    ),
    "alumni": (
        "alum_id,name,name_local,program,cohort,cohort_year,country,organization_id,"
        "consent_directory,consent_public\n"
        "A1,Haruka Sato,佐藤 遥,SIFJ,2011,2011,JP,O1,yes,no\n"
        "A2,Kenta Abe,阿部 健太,SIFJ,2012,2012,Japan,,no,no\n"
    ),
    "partnerships": (
        "partnership_id,source_id,target_id,kind,start_year,end_year,weight\n"
        "P1,A1,O2,mentorship,2012,,\n"
        "P2,A1,A2,peer,2013,2015,2\n"
    ),
    "projects": (
        "project_id,title,lead_alum_id,cause,country,start_year,status,beneficiaries,"
        "funds_raised_usd,partner_ids\n"
        "X1,Community Solar,A1,renewable energy,JP,2013,active,120,5000,O2;A2\n"
    ),
}


def write_folder(folder: Path, tables: dict[str, str], encoding: str = "utf-8") -> Path:
    """Write CSV text per table into ``folder`` and return it."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_bytes(text.encode(encoding))
    return folder


def headers_only(folder: Path) -> Path:
    """Write every contract table with its header and no rows."""
    return write_folder(folder, {name: ",".join(t.column_names) + "\n"
                                 for name, t in TABLES.items()})


@pytest.fixture
def mini_dir(tmp_path: Path) -> Path:
    return write_folder(tmp_path / "mini", MINI)


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    return headers_only(tmp_path / "empty")
