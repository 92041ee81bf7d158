"""Every command that writes a file for other people applies an audience's rules, and says so."""

from __future__ import annotations

import io
import zipfile

import pytest

from analytics.privacy import POLICIES, Audience
from tests.privacy_markers import forbidden, leaks, marker_folder
from tests.test_cli import run

COMMANDS = {"report": "report.html", "export-graph": "graph.html", "forum-pack": "pack.zip"}


@pytest.fixture(scope="module")
def markers(tmp_path_factory):
    return marker_folder(tmp_path_factory.mktemp("markers"))


def contents(path) -> dict[str, bytes]:
    """A file's bytes, or every member of a zip."""
    if path.suffix == ".zip":
        with zipfile.ZipFile(io.BytesIO(path.read_bytes())) as pack:
            return {name: pack.read(name) for name in pack.namelist()}
    return {path.name: path.read_bytes()}


def staff_only_markers(folder) -> list[str]:
    """What staff files hold and no one else's may: every email, and the unconsented names."""
    return forbidden(folder, "funder") + forbidden(folder, "public")


@pytest.mark.parametrize("audience", list(Audience), ids=str)
@pytest.mark.parametrize("command", COMMANDS)
def test_each_command_follows_the_audience_asked_for(command, audience, markers, tmp_path,
                                                     monkeypatch):
    monkeypatch.delenv("KIZUNA_AUDIENCE", raising=False)
    out = tmp_path / COMMANDS[command]
    result = run(command, str(markers), "--out", str(out), "--audience", str(audience))
    assert result.returncode == 0, result.stderr
    files = contents(out)
    for name, content in files.items():
        if audience is Audience.STAFF:
            continue
        assert leaks(content, forbidden(markers, str(audience))) == [], name
    text = b"\n".join(files.values()).decode("utf-8", "replace")
    # The footer names the audience, with the rules that applied.
    assert f"Made for the {audience} audience" in text
    assert POLICIES[audience].describe() in text.replace("\\u201c", "\u201c").replace(
        "\\u201d", "\u201d").replace("&#34;", '"')
    if audience is Audience.STAFF:
        assert leaks(text, staff_only_markers(markers)), "staff files name everyone"


@pytest.mark.parametrize("command", COMMANDS)
def test_without_audience_the_environment_decides_and_else_public(command, markers, tmp_path,
                                                                  monkeypatch):
    out = tmp_path / COMMANDS[command]
    monkeypatch.delenv("KIZUNA_AUDIENCE", raising=False)
    assert run(command, str(markers), "--out", str(out)).returncode == 0
    public = b"\n".join(contents(out).values())
    assert b"Made for the public audience" in public
    assert leaks(public, forbidden(markers, "public")) == []
    monkeypatch.setenv("KIZUNA_AUDIENCE", "funder")
    assert run(command, str(markers), "--out", str(out)).returncode == 0
    funder = b"\n".join(contents(out).values())
    assert b"Made for the funder audience" in funder
    assert leaks(funder, forbidden(markers, "funder")) == []


def test_the_forum_pack_network_follows_the_selection(markers, tmp_path, monkeypatch):
    """With a program chosen, the pack's network holds that program's alumni and no other's."""
    import pandas as pd

    from tests.test_drawing import embedded_data

    monkeypatch.delenv("KIZUNA_AUDIENCE", raising=False)
    program = "TOMODACHI Microsoft iLEAP"
    drawn = {}
    for label, extra in (("all", []), ("one program", ["--program", program])):
        out = tmp_path / f"{label}.zip"
        assert run("forum-pack", str(markers), "--out", str(out), "--audience", "staff",
                   *extra).returncode == 0
        page = contents(out)["network.html"].decode()
        drawn[label] = {n["id"] for n in embedded_data(page)["nodes"]}
    alumni = pd.read_csv(markers / "alumni.csv", dtype=str, keep_default_na=False)
    in_program = set(alumni.loc[alumni["program"] == program, "alum_id"])
    others = set(alumni["alum_id"]) - in_program
    assert in_program <= drawn["one program"] and not drawn["one program"] & others
    assert others <= drawn["all"], "without a selection every alum is drawn"
