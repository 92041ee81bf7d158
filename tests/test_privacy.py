"""Audiences: a funder or public session never receives contact data or unconsented names."""

from __future__ import annotations

import io
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from analytics import privacy
from analytics.data.loader import load_dataset
from analytics.data.spreadsheets import to_safe_csv
from analytics.impact.projects import project_table
from analytics.network import drawing
from analytics.network import export as graph_export
from analytics.network.analysis import analyze
from analytics.outputs import forum_pack, report
from analytics.privacy import Audience
from tests.conftest import ROOT
from tests.privacy_markers import forbidden, leaks, marker_folder
from ui.shell import PAGES


@pytest.fixture(scope="module")
def markers(tmp_path_factory):
    return marker_folder(tmp_path_factory.mktemp("markers"))


def sent_to_browser(at: AppTest) -> bytes:
    """Everything the element tree holds, serialized as it would go over the wire."""
    out = []

    def walk(node):
        proto = getattr(node, "proto", None)
        if proto is not None and hasattr(proto, "SerializeToString"):
            out.append(proto.SerializeToString())
        for child in getattr(node, "children", {}).values():
            walk(child)

    walk(at._tree)
    return b"\n".join(out)


@pytest.mark.parametrize("audience", ["funder", "public"])
@pytest.mark.parametrize("spec", PAGES, ids=lambda s: s.path)
def test_no_page_sends_private_data(spec, audience, markers, monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(markers))
    monkeypatch.setenv("KIZUNA_AUDIENCE", audience)
    at = AppTest.from_file(str(ROOT / spec.path), default_timeout=60).run()
    assert not at.exception
    wire = sent_to_browser(at)
    assert len(wire) > 300, "the page drew something"
    assert leaks(wire, forbidden(markers, audience)) == []
    if spec.path == "pages/network.py":  # consented alumni are still named, the others not
        assert b"Marker" in wire and b"Alum " in wire


@pytest.mark.parametrize("audience", [Audience.FUNDER, Audience.PUBLIC])
def test_no_export_carries_private_data(audience, markers):
    dataset = privacy.redact_dataset(load_dataset(markers), audience)
    tables = dataset.tables
    analysis = analyze(tables)
    files = {
        "report.html": report.build_report(dataset),
        "graph.html": drawing.standalone_html(analysis, audience),
        "graph.gexf": graph_export.to_gexf(analysis),
        "graph.graphml": graph_export.to_graphml(analysis),
        "nodes.csv": graph_export.nodes_csv(analysis),
        "edges.csv": graph_export.edges_csv(analysis),
        "projects.csv": to_safe_csv(project_table(tables["projects"], tables["alumni"],
                                                  tables["organizations"])),
    }
    with zipfile.ZipFile(io.BytesIO(forum_pack.build_forum_pack(dataset, audience=audience))) as z:
        files |= {f"forum-pack/{n}": z.read(n) for n in z.namelist()}
    assert any(n.endswith(".png") for n in files) and any(n.endswith(".svg") for n in files)
    bad = forbidden(markers, audience)
    for name, content in files.items():
        assert leaks(content, bad) == [], name
    # Pseudonyms stand in for the people who did not consent.
    assert "Alum " in files["graph.html"]


def test_a_redacted_dataset_keeps_no_row_set_aside_and_cannot_be_loosened(markers, tmp_path):
    from analytics.data.synth import generate, write

    tables = generate()
    tables["alumni"].loc[0, "cohort_year"] = "not a year"  # one row set aside, with its email
    folder = tmp_path / "one-bad-row"
    write(tables, folder)
    full = load_dataset(folder)
    assert len(full.rejected["alumni"]) == 1 and full.problems
    public = privacy.redact_dataset(full, Audience.PUBLIC)
    assert public.audience is Audience.PUBLIC and public.fingerprint == full.fingerprint
    # The count stays (rows that name the alum are set aside too), so pages can say so.
    assert public.rows_set_aside == full.rows_set_aside > 1
    assert len(public.rejected["alumni"]) == 0 and public.problems == []
    assert "email" not in public.tables["alumni"]
    with pytest.raises(ValueError, match="who may see more"):
        privacy.redact_dataset(public, Audience.FUNDER)


def test_staff_see_everything(markers, monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(markers))
    monkeypatch.setenv("KIZUNA_AUDIENCE", "staff")
    tables = load_dataset(markers).tables
    assert "leak-A0001@marker.example" in set(privacy.redact(tables, "staff")["alumni"]["email"])


@pytest.mark.parametrize("query", [{"audience": "staff"}, {"staff": "1"}, {"as": "staff"},
                                   {"role": "staff", "present": "1"}])
def test_the_url_cannot_raise_a_public_instance_to_staff(query, markers, monkeypatch):
    monkeypatch.setenv("KIZUNA_DATA_DIR", str(markers))
    monkeypatch.delenv("KIZUNA_AUDIENCE", raising=False)  # the default is public
    at = AppTest.from_file(str(ROOT / "pages/data.py"), default_timeout=60)
    at.query_params.update(query)
    at.run()
    assert any("for program staff" in i.value for i in at.info)
    assert not at.dataframe and "Viewing as **public**" in [c.value for c in at.sidebar.caption]
    staff_only = [p for p in PAGES if p.requires]  # Data health, Import, Versions, Duplicates
    assert len(staff_only) == 4
    assert len(at.sidebar.get("page_link")) == len(PAGES) - len(staff_only)  # none is offered


def test_pseudonyms_are_stable_keyed_and_distinct():
    import pandas as pd

    ids = pd.Series([f"A{i:05d}" for i in range(3000)])
    first, again = privacy.pseudonyms(ids, b"key"), privacy.pseudonyms(ids, b"key")
    assert first.equals(again) and first.nunique() == 3000
    assert not first.equals(privacy.pseudonyms(ids, b"other key"))
    assert first.str.fullmatch(r"Alum [0-9A-F]{4,}").all()


def test_small_groups_are_folded():
    import pandas as pd

    frame = pd.DataFrame({"year": [2016] * 4, "country": ["JP", "KR", "SG", "TH"],
                          "alumni": [30, 2, 2, 1]})
    folded = privacy.fold_small_groups(frame, "country", "alumni")
    assert folded.values.tolist() == [[2016, "JP", 30], [2016, "Other", 5]]
    assert privacy.fold_small_groups(frame.iloc[:3].assign(alumni=[30, 2, 1]), "country",
                                     "alumni").values.tolist() == [[2016, "JP", 30]]
