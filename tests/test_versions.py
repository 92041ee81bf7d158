"""Versions of a data folder: previews worked out by hand, atomic applies, history, restore.

The fault-injection test kills a child process with SIGKILL at every write step of an apply
and then finds the old data or the new, whole; the concurrency test runs two applies at once.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pandas as pd
import pytest

from analytics.curation import changes
from analytics.data import store
from analytics.data.loader import load_dataset
from analytics.data.schema import TABLES
from analytics.data.sources import fingerprint

ROOT = Path(__file__).resolve().parents[1]

ORGS = "org_id,name,country,org_type\nO1,ETIC.,JP,nonprofit\nO2,iLEAP,US,nonprofit\n"
ALUMNI = ("alum_id,name,program,cohort,cohort_year,country,email,organization_id\n"
          "A1,Haruka Sato,SIFJ,2012,2012,JP,haruka@example.org,O1\n"
          "A2,Ken Ito,SIFJ,2012,2012,JP,,O1\n"
          "A3,Mary Lee,iLEAP,2015,2015,US,mary@example.org,O2\n")
TIES = ("partnership_id,source_id,target_id,kind,start_year\n"
        "P1,A1,A3,mentorship,2013\nP2,A2,O2,advisory,2014\n")
MINI = {"organizations": ORGS, "alumni": ALUMNI, "partnerships": TIES,
        "projects": "project_id,title,lead_alum_id,cause,country,start_year,status\n"}

# Worked by hand against MINI: A2's email filled in, A3 moved to O1, A1 removed and A4 added.
NEW_ALUMNI = ("alum_id,name,program,cohort,cohort_year,country,email,organization_id\n"
              "A2,Ken Ito,SIFJ,2012,2012,JP,ken@example.org,O1\n"
              "A3,Mary Lee,iLEAP,2015,2015,US,mary@example.org,O1\n"
              "A4,Yui Mori,iLEAP,2016,2016,JP,,O2\n")
NEW_TIES = "partnership_id,source_id,target_id,kind,start_year\nP2,A2,O2,advisory,2014\nP3,A4,A3,peer,2016\n"


def write_folder(folder: Path, tables: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def texts_of(dataset) -> dict[str, list]:
    return {n: t.astype(str).values.tolist() for n, t in dataset.tables.items()}


# --- the preview, by hand ----------------------------------------------------------------


def test_preview_counts_each_added_removed_and_changed_row(tmp_path):
    folder = write_folder(tmp_path / "d", MINI)
    preview = changes.prepare(folder, {"alumni": NEW_ALUMNI.encode(), "partnerships": NEW_TIES.encode()},
                              action="import", description="Import")
    alumni = preview.diffs["alumni"]
    assert list(alumni.added["alum_id"]) == ["A4"]
    assert list(alumni.removed["alum_id"]) == ["A1"]
    assert sorted(map(tuple, alumni.changed[["id", "column", "old", "new"]].values.tolist())) == [
        ("A2", "email", "", "ken@example.org"), ("A3", "organization_id", "O2", "O1")]
    assert alumni.counts == {"added": 1, "removed": 1, "changed": 2}
    ties = preview.diffs["partnerships"]
    assert ties.counts == {"added": 1, "removed": 1, "changed": 0}
    assert preview.diffs["organizations"].empty and preview.diffs["projects"].empty
    # Figures by hand: 3 -> 3 alumni, 2 organizations, 2 -> 2 ties. Cross-border: before, P1
    # joins A1 (JP) and A3 (US) and P2 joins A2 (JP) and O2 (US): 2 of 2; after, P2 (JP-US)
    # and P3 (A4 JP - A3 US): 2 of 2.
    figures = preview.figures()
    assert figures.loc["alumni", ["before", "after"]].tolist() == [3, 3]
    assert figures.loc["ties", ["before", "after"]].tolist() == [2, 2]
    assert figures.loc["cross_border_share", ["before", "after"]].tolist() == [1.0, 1.0]
    assert preview.blocked is None
    assert str(preview.summary()) == ("Import: alumni 1 added, 1 removed, 2 changed; "
                                 "partnerships 1 added, 1 removed")
    # Nothing changed until applied.
    assert (folder / "alumni.csv").read_text(encoding="utf-8") == ALUMNI
    assert not (folder / ".kizuna" / "HEAD").exists()


def test_preview_by_identity_for_tables_without_an_id():
    old = pd.DataFrame({"funder_id": ["F", "F", "G"], "program": ["S", "S", "S"],
                        "year": ["2012", "2012", "2013"], "amount_usd": ["10", "20", "30"]})
    new = pd.DataFrame({"funder_id": ["F", "G"], "program": ["s", "S"],
                        "year": ["2012", "2013"], "amount_usd": ["10", "35"]})
    d = changes.diff_table(TABLES["funding"], old, new)
    # Two F/S/2012 grants become one (program case does not matter for matching): the first
    # pairs with the first and the second is removed; G's amount changes.
    assert d.counts == {"added": 0, "removed": 1, "changed": 2}
    assert d.removed["amount_usd"].tolist() == ["20"]
    assert sorted(d.changed[["column", "old", "new"]].values.tolist()) == [
        ["amount_usd", "30", "35"], ["program", "S", "s"]]


def test_a_change_that_sets_rows_aside_is_blocked_and_says_which(tmp_path):
    folder = write_folder(tmp_path / "d", MINI)
    # Removing A1 leaves P1 naming an alum that is not there.
    without_a1 = ALUMNI.replace("A1,Haruka Sato,SIFJ,2012,2012,JP,haruka@example.org,O1\n", "")
    preview = changes.prepare(folder, {"alumni": without_a1.encode()}, action="import",
                              description="Import")
    assert preview.rows_newly_set_aside == 1
    problem = preview.new_problems.iloc[0]
    assert (problem["table"], problem["row"], problem["column"], problem["value"]) == (
        "partnerships", 2, "source_id", "A1")
    assert "would be set aside" in preview.blocked
    with pytest.raises(store.StoreError, match="errors"):
        changes.apply(preview, "Aiko")
    assert load_dataset(folder).tables["alumni"]["alum_id"].tolist() == ["A1", "A2", "A3"]


def test_rows_already_set_aside_do_not_block_a_change(tmp_path):
    bad = MINI | {"partnerships": TIES + "P9,A1,A404,peer,2015\n"}
    folder = write_folder(tmp_path / "d", bad)
    preview = changes.prepare(folder, {"organizations": (ORGS + "O3,CGP,JP,foundation\n").encode()},
                              action="import", description="Import")
    assert preview.after.rows_set_aside == 1 and preview.rows_newly_set_aside == 0
    assert preview.blocked is None


def test_a_change_that_changes_nothing_is_not_applied(tmp_path):
    folder = write_folder(tmp_path / "d", MINI)
    preview = changes.prepare(folder, {"alumni": ALUMNI.encode()}, action="import",
                              description="Import")
    assert "changes nothing" in preview.blocked


# --- applying, history and restore ------------------------------------------------------------


def test_apply_keeps_the_version_before_and_restore_is_a_new_version(tmp_path):
    folder = write_folder(tmp_path / "d", MINI)
    old = load_dataset(folder)
    preview = changes.prepare(folder, {"alumni": NEW_ALUMNI.encode(), "partnerships": NEW_TIES.encode()},
                              action="import", description="Import")
    version = changes.apply(preview, "Aiko Tanaka")
    assert version.id == 2 and version.who == "Aiko Tanaka"
    assert version.counts["alumni"] == {"added": 1, "removed": 1, "changed": 2}
    new = load_dataset(folder)
    assert new.version == 2 and sorted(new.tables["alumni"]["alum_id"]) == ["A2", "A3", "A4"]
    # The folder's own files are the current data, for Excel.
    assert (folder / "alumni.csv").read_bytes() == (store.version_dir(folder, 2) / "alumni.csv").read_bytes()
    listed = store.history(folder)
    assert [(v.id, v.action, v.who) for v in listed] == [(2, "import", "Aiko Tanaka"), (1, "start", "-")]
    assert listed[1].fingerprint == old.fingerprint
    restored = store.restore(folder, 1, who="Ken")
    assert restored.id == 3 and restored.action == "restore" and "version 1" in restored.summary
    again = load_dataset(folder)
    assert texts_of(again) == texts_of(old) and again.fingerprint == old.fingerprint
    assert [v.id for v in store.history(folder)] == [3, 2, 1]
    # Version 2 is still there, whole, and can be compared with any other.
    diff = changes.compare_versions(folder, 1, 2)
    assert diff["alumni"].counts == {"added": 1, "removed": 1, "changed": 2}
    audit = changes.audit(folder)
    assert set(audit["version"]) == {2, 3}
    row = audit[(audit["version"] == 2) & (audit["id"] == "A3")].iloc[0]
    assert (row["who"], row["change"], row["column"], row["old"], row["new"]) == (
        "Aiko Tanaka", "changed", "organization_id", "O2", "O1")


def test_a_preview_made_before_another_apply_is_refused(tmp_path):
    folder = write_folder(tmp_path / "d", MINI)
    first = changes.prepare(folder, {"alumni": NEW_ALUMNI.encode(), "partnerships": NEW_TIES.encode()},
                            action="import", description="First")
    second = changes.prepare(folder, {"organizations": (ORGS + "O3,CGP,JP,foundation\n").encode()},
                             action="import", description="Second")
    changes.apply(first, "Aiko")
    with pytest.raises(store.StaleError, match="changed after"):
        changes.apply(second, "Ken")
    assert [v.summary.split(":")[0] for v in store.history(folder)] == [
        "First", "The data as it was before Kizuna kept versions"]
    fresh = changes.prepare(folder, {"organizations": (ORGS + "O3,CGP,JP,foundation\n").encode()},
                            action="import", description="Second")
    assert changes.apply(fresh, "Ken").id == 3


def test_files_edited_on_the_server_are_the_data_and_become_a_version(tmp_path):
    folder = write_folder(tmp_path / "d", MINI)
    changes.apply(changes.prepare(folder, {"alumni": NEW_ALUMNI.encode(),
                                           "partnerships": NEW_TIES.encode()},
                                  action="import", description="Import"), "Aiko")
    time.sleep(0.01)
    (folder / "organizations.csv").write_text(ORGS + "O9,Hand edit,JP,nonprofit\n", encoding="utf-8")
    assert store.resolve(folder) == (folder, None)
    assert "O9" in set(load_dataset(folder).tables["organizations"]["org_id"])
    preview = changes.prepare(folder, {"projects": b"project_id,title,lead_alum_id,cause,country,"
                                       b"start_year,status\nX1,Cafe,A2,aging,JP,2018,active\n"},
                              action="import", description="Projects")
    changes.apply(preview, "Aiko")
    assert [v.action for v in store.history(folder)] == ["import", "server-edit", "import", "start"]
    assert "O9" in set(load_dataset(folder).tables["organizations"]["org_id"])


def test_a_copied_folder_with_new_timestamps_is_not_an_edit(tmp_path):
    folder = write_folder(tmp_path / "d", MINI)
    changes.apply(changes.prepare(folder, {"alumni": NEW_ALUMNI.encode(), "partnerships": NEW_TIES.encode()},
                                  action="import", description="Import"), "Aiko")
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)  # new modification times, same bytes
    for f in copy.glob("*.csv"):
        os.utime(f, (1, 1))
    assert store.resolve(copy) == (store.version_dir(copy, 2), 2)


def test_read_only_servers_and_folders_take_no_change(tmp_path, monkeypatch):
    folder = write_folder(tmp_path / "d", MINI)
    monkeypatch.setenv("KIZUNA_READ_ONLY", "1")
    assert "read-only" in store.read_only_reason(folder)
    with pytest.raises(store.ReadOnlyError):
        changes.prepare(folder, {"alumni": NEW_ALUMNI.encode()}, action="import", description="x")
    monkeypatch.delenv("KIZUNA_READ_ONLY")
    assert store.read_only_reason(folder) is None
    # A folder the server's user cannot write (tests run as root here, who can write anywhere).
    monkeypatch.setattr(store.os, "access", lambda path, mode: Path(path) != folder)
    assert "cannot write" in store.read_only_reason(folder)
    with pytest.raises(store.ReadOnlyError):
        store.restore(folder, 1, who="x")
    assert not (folder / ".kizuna").exists()


def test_validate_reads_the_current_version_and_ignores_the_history(tmp_path):
    from analytics.cli import main

    folder = write_folder(tmp_path / "d", MINI)
    changes.apply(changes.prepare(folder, {"alumni": NEW_ALUMNI.encode(), "partnerships": NEW_TIES.encode()},
                                  action="import", description="Import"), "Aiko")
    assert main(["validate", str(folder)]) == 0
    dataset = load_dataset(folder)
    assert not dataset.problems and dataset.report["alumni"].rows_read == 3


# --- killed at any moment; two at once ---------------------------------------------------

KILLER = textwrap.dedent("""
    # For each kill point k: copy the folder with a prepared change, and apply it in a forked
    # child that kills itself with SIGKILL at its k-th write step, until an apply finishes.
    import dataclasses, json, os, shutil, signal, sys
    from pathlib import Path
    from analytics.curation import changes
    from analytics.data import store

    base, work = Path(sys.argv[1]), Path(sys.argv[2])
    replace = {"alumni": Path(sys.argv[3]).read_bytes(), "partnerships": Path(sys.argv[4]).read_bytes()}
    real = {name: getattr(os, name) for name in ("replace", "rename", "fsync", "unlink", "mkdir", "open")}
    real_write = store._write_file

    # One preview, prepared once and copied with its folder: each kill point applies it.
    prepared = work / "prepared"
    shutil.copytree(base, prepared)
    preview = changes.prepare(prepared, replace, action="import", description="Import")

    def apply_killed_at(folder, kill_at):
        staged = folder / preview.staged.relative_to(prepared)
        pid = os.fork()
        if pid:
            return os.waitpid(pid, 0)[1]
        steps = [0]

        def step(function):
            def wrapped(*args, **kwargs):
                steps[0] += 1
                if steps[0] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                result = function(*args, **kwargs)
                steps[0] += 1
                if steps[0] == kill_at:
                    os.kill(os.getpid(), signal.SIGKILL)
                return result
            return wrapped

        # Every write step of an apply: file writes, fsyncs, renames, replaces and removals.
        for name, function in real.items():
            setattr(os, name, step(function))
        store._write_file = step(real_write)
        changes.apply(dataclasses.replace(preview, folder=folder, staged=staged), "child")
        os._exit(0)

    killed = []
    for kill_at in range(1, 10_000):
        folder = work / f"k{kill_at}"
        shutil.copytree(prepared, folder)
        status = apply_killed_at(folder, kill_at)
        if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
            break
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, status
        killed.append(str(folder))
    print(json.dumps({"killed": killed, "finished": str(folder)}))
""")


def _kill_at_every_step(base: Path, tmp_path: Path) -> tuple[list[Path], Path]:
    alumni, ties = tmp_path / "new_alumni.csv", tmp_path / "new_ties.csv"
    alumni.write_text(NEW_ALUMNI, encoding="utf-8")
    ties.write_text(NEW_TIES, encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    result = subprocess.run([sys.executable, "-c", KILLER, str(base), str(work), str(alumni),
                             str(ties)], cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr
    said = json.loads(result.stdout.splitlines()[-1])
    return [Path(p) for p in said["killed"]], Path(said["finished"])


@pytest.mark.parametrize("with_history", [False, True], ids=["first change", "with history"])
def test_an_apply_killed_at_any_step_leaves_the_old_or_the_new_data_whole(tmp_path, with_history):
    base = write_folder(tmp_path / "base", MINI)
    if with_history:  # a folder that already has versions: its next apply
        changes.apply(changes.prepare(base, {"organizations": (ORGS + "O3,CGP,JP,foundation\n").encode()},
                                      action="import", description="Orgs"), "setup")
    old = load_dataset(base)
    killed, finished = _kill_at_every_step(base, tmp_path)
    new = load_dataset(finished)
    assert texts_of(new) != texts_of(old)
    outcomes = {"old": 0, "new": 0}
    # Every third kill point and the last ones (the copy into the folder), to keep it quick.
    for folder in killed[::3] + killed[-6:]:
        seen = load_dataset(folder)
        assert not seen.problems, (folder.name, seen.problems)
        whole = "new" if texts_of(seen) == texts_of(new) else "old"
        assert texts_of(seen) == texts_of(old if whole == "old" else new), folder.name
        outcomes[whole] += 1
        # The next writer finishes what was left: the folder's own files match the current data.
        store.keep_server_edits(folder)
        assert fingerprint(folder) == store.current_fingerprint(folder), folder.name
        assert texts_of(load_dataset(folder)) == texts_of(seen), folder.name
        assert old.fingerprint in {v.fingerprint for v in store.history(folder)}, folder.name
    # The kill points span the whole apply: some leave the old data, some the new.
    assert outcomes["old"] > 3 and outcomes["new"] > 3, outcomes


RACER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from analytics.curation import changes
    from analytics.data import store

    folder, me, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    extra = f"O-{me},Org {me},JP,nonprofit\\n"
    text = (folder / "organizations.csv").read_text(encoding="utf-8") + extra
    preview = changes.prepare(folder, {"organizations": text.encode()}, action="import",
                              description=me)
    (go.parent / f"ready-{me}").touch()
    while not go.exists():
        time.sleep(0.001)
    try:
        changes.apply(preview, me)
        print("won")
    except store.StaleError:
        print("refused")
""")


def test_of_two_applies_at_the_same_moment_exactly_one_wins(tmp_path):
    for attempt in range(3):
        folder = write_folder(tmp_path / f"d{attempt}", MINI)
        go = tmp_path / f"go{attempt}"
        racers = [subprocess.Popen([sys.executable, "-c", RACER, str(folder), me, str(go)],
                                   cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                  for me in ("one", "two")]
        while not all((tmp_path / f"ready-{me}").exists() for me in ("one", "two")):
            time.sleep(0.01)
        go.touch()
        said = sorted(r.communicate(timeout=60)[0].strip() for r in racers)
        assert said == ["refused", "won"], said
        orgs = set(load_dataset(folder).tables["organizations"]["org_id"])
        assert len(orgs & {"O-one", "O-two"}) == 1
        for me in ("one", "two"):
            (tmp_path / f"ready-{me}").unlink()
