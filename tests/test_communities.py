"""Communities: the same for the same data in any row order, numbered by size, and good.

Known answers come from outside the code under test: Zachary's karate club and its published
best modularity, networkx's own modularity of the returned partition, and orderings and
numberings worked out by hand.
"""

from __future__ import annotations

import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest

from analytics import load_dataset
from analytics.data import synth
from analytics.data.schema import TABLES
from analytics.network import metrics
from analytics.network.analysis import analyze
from tests.conftest import ROOT, SAMPLE_DIR, write_folder

# Brandes et al. (2008) proved 0.4198 the highest modularity of the unweighted karate club
# (four communities); Louvain usually stops between 0.4188 and that.
KARATE_BEST = 0.4198
KARATE_GOOD = 0.4188


def shuffled_copy(source: Path, target: Path, seed: int) -> Path:
    """Every table of ``source`` with its data rows in a random order; cells unchanged."""
    target.mkdir(parents=True, exist_ok=True)
    shuffle = random.Random(seed).shuffle
    for path in sorted(source.glob("*.csv")):
        with path.open(newline="", encoding="utf-8-sig") as f:
            header, *rows = list(csv.reader(f))
        shuffle(rows)
        with (target / path.name).open("w", newline="", encoding="utf-8") as f:
            csv.writer(f, lineterminator="\n").writerows([header, *rows])
    return target


def partition(membership: pd.Series) -> set[frozenset]:
    return {frozenset(group.index) for _, group in membership.groupby(membership)}


@pytest.fixture(scope="module")
def synthetic_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic")
    synth.write(synth.generate(1000, seed=3), folder)
    return folder


@pytest.mark.parametrize("which", ["sample", "synthetic"])
def test_rows_in_another_order_give_the_same_communities(which, synthetic_dir, tmp_path):
    source = SAMPLE_DIR if which == "sample" else synthetic_dir
    tables = load_dataset(source).tables
    first = analyze(tables)
    for seed in (1, 2):
        shuffled = load_dataset(shuffled_copy(source, tmp_path / str(seed), seed)).tables
        for name in ("alumni", "organizations", "partnerships", "projects"):
            assert list(shuffled[name].iloc[:, 0]) != list(tables[name].iloc[:, 0])
            assert sorted(shuffled[name].iloc[:, 0]) == sorted(tables[name].iloc[:, 0])
        other = analyze(shuffled)
        assert partition(other.membership) == partition(first.membership)
        assert other.membership.to_dict() == first.membership.to_dict()
        assert other.modularity == first.modularity
    assert first.membership.nunique() > 1 and first.modularity > 0.3


def test_node_and_edge_order_of_the_graph_do_not_matter():
    karate = nx.karate_club_graph()
    expected, modularity = metrics.communities(karate)
    for seed in range(5):
        rng = random.Random(seed)
        nodes = list(karate.nodes)
        edges = [(v, u, d) if rng.random() < 0.5 else (u, v, d) for u, v, d in karate.edges(data=True)]
        rng.shuffle(nodes)
        rng.shuffle(edges)
        other = nx.Graph()
        other.add_nodes_from(nodes)
        other.add_edges_from(edges)
        membership, q = metrics.communities(other)
        assert membership.index.tolist() == nodes  # the graph's own order
        assert membership.to_dict() == expected.to_dict() and q == modularity


def karate_folder(folder: Path, weighted: bool) -> Path:
    """Zachary's karate club as Kizuna's tables: member n is alum Kn, each tie a partnership."""
    graph = nx.karate_club_graph()
    alumni = ["alum_id,name,program,cohort,cohort_year,country"] + [
        f"K{n},Member {n},Karate club,1970,1970,US" for n in graph]
    partnerships = ["partnership_id,source_id,target_id,kind,start_year,end_year,weight"] + [
        f"P{i},K{u},K{v},peer,1970,,{data['weight'] if weighted else ''}"
        for i, (u, v, data) in enumerate(graph.edges(data=True))]
    header = {name: ",".join(TABLES[name].column_names) for name in ("organizations", "projects")}
    return write_folder(folder, {"alumni": "\n".join(alumni) + "\n",
                                 "partnerships": "\n".join(partnerships) + "\n",
                                 "organizations": header["organizations"] + "\n",
                                 "projects": header["projects"] + "\n"})


@pytest.mark.parametrize("weighted", [False, True])
def test_karate_club_communities_are_near_the_best_known(weighted, tmp_path):
    dataset = load_dataset(karate_folder(tmp_path, weighted))
    assert not dataset.errors
    result = analyze(dataset.tables)
    assert len(result.membership) == 34
    groups = [{int(node.removeprefix("K")) for node in group} for group in partition(result.membership)]
    # Modularity of the returned partition on networkx's own karate graph, computed by networkx.
    independent = nx.community.modularity(nx.karate_club_graph(), groups,
                                          weight="weight" if weighted else None)
    assert result.modularity == pytest.approx(independent, abs=1e-12)
    if weighted:
        assert result.modularity >= 0.44
    else:
        assert KARATE_GOOD <= result.modularity <= KARATE_BEST + 1e-4
        assert len(groups) == 4


def test_community_zero_is_the_largest_and_sizes_never_grow(synthetic_dir):
    membership = analyze(load_dataset(synthetic_dir).tables).membership
    sizes = membership.value_counts().sort_index()
    assert sizes.index.tolist() == list(range(len(sizes)))
    assert sizes.iloc[0] == sizes.max()
    assert sizes.is_monotonic_decreasing
    # Equal sizes go by their smallest node id.
    smallest = membership.index.to_series().map(str).groupby(membership).min()
    for number in range(1, len(sizes)):
        if sizes[number] == sizes[number - 1]:
            assert smallest[number - 1] < smallest[number]


def test_equal_sizes_are_numbered_by_their_smallest_id():
    graph = nx.Graph([("b1", "b2"), ("b2", "b3"), ("b1", "b3"),   # added first
                      ("a1", "a2"), ("a2", "a3"), ("a1", "a3")])
    membership, modularity = metrics.communities(graph)
    assert membership.to_dict() == {"b1": 1, "b2": 1, "b3": 1, "a1": 0, "a2": 0, "a3": 0}
    assert modularity == pytest.approx(0.5)  # two equal components: 2 * (1/2 - 1/4)


def test_without_edges_each_node_is_its_own_community():
    graph = nx.Graph()
    graph.add_nodes_from(["c", "a", "b"])
    membership, modularity = metrics.communities(graph)
    assert membership.index.tolist() == ["c", "a", "b"]
    assert membership.to_dict() == {"a": 0, "b": 1, "c": 2}  # one each, by id
    assert modularity == 0.0
    empty, none = metrics.communities(nx.Graph())
    assert empty.empty and none == 0.0


FRESH_PROCESS = """
import json, sys
from analytics import load_dataset
from analytics.network.analysis import analyze
result = analyze(load_dataset(sys.argv[1]).tables)
print(json.dumps({"membership": result.membership.astype(int).to_dict(),
                  "modularity": result.modularity}))
"""


def test_a_fresh_process_with_another_hash_seed_finds_the_same(synthetic_dir):
    here = analyze(load_dataset(synthetic_dir).tables)
    for hash_seed in ("1", "2"):
        out = subprocess.run([sys.executable, "-c", FRESH_PROCESS, str(synthetic_dir)], cwd=ROOT,
                             capture_output=True, text=True, check=True,
                             env={**os.environ, "PYTHONHASHSEED": hash_seed}).stdout
        there = json.loads(out)
        assert there["membership"] == here.membership.to_dict()
        assert there["modularity"] == here.modularity
