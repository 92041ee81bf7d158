"""Communities before and after issue 10: time and modularity, measured in one run.

    python -m benchmarks.communities [--sizes 10000 100000] [--runs 5]

On Zachary's karate club (through Kizuna's tables, unweighted and weighted), the sample and
synthetic sets (benchmarks/.data/<alumni>, made on first use), it times the community step
on the graph the network page analyses: the old method (one networkx Louvain run, seed 42,
in the graph's order up to 2,500 nodes, igraph's multilevel above; kept here only to compare)
and :func:`analytics.network.metrics.communities`, the two run in turn so a drift in the
machine's speed touches both. It prints each one's median time, the ratio of the medians,
and the modularity and number of communities each finds.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import igraph
import networkx as nx
import pandas as pd

from analytics import load_dataset
from analytics.network import metrics
from analytics.network import model as network
from analytics.seeding import seeded_igraph
from analytics.selection import Selection
from benchmarks.common import machine
from benchmarks.run import folder_for
from tests.test_communities import karate_folder


def old_communities(graph: nx.Graph, seed: int = 42) -> tuple[pd.Series, float]:
    """Kizuna's communities before issue 10, as they were: one seeded Louvain run over the
    nodes in the graph's order, networkx's up to 2,500 nodes and igraph's above.

    Parameters
    ----------
    graph : networkx.Graph
    seed : int
        The old fixed seed.

    Returns
    -------
    (Series, float)
        Each node's community number (0 the largest) and the weighted modularity.
    """
    nodes = list(graph.nodes)
    if graph.number_of_edges() == 0:
        return pd.Series(range(len(nodes)), index=nodes, dtype=int), 0.0
    if len(nodes) <= 2_500:
        parts = nx.community.louvain_communities(graph, weight="weight", seed=seed)
    else:
        index = {node: i for i, node in enumerate(nodes)}
        converted = igraph.Graph(n=len(nodes), edges=[(index[s], index[t]) for s, t in graph.edges])
        converted.es["weight"] = [d.get("weight", 1.0) for _, _, d in graph.edges(data=True)]
        with seeded_igraph(seed):
            found = converted.community_multilevel(weights="weight")
        parts = [{nodes[i] for i in members} for members in found]
    parts = sorted(parts, key=lambda p: (-len(p), min(map(str, p))))
    membership = {n: i for i, part in enumerate(parts) for n in part}
    modularity = nx.community.modularity(graph, parts, weight="weight")
    return pd.Series(membership, dtype=int).loc[nodes], float(modularity)


def analysed_graph(folder: Path) -> nx.Graph:
    """The graph the network page analyses by default: everything, people and organizations."""
    tables = load_dataset(folder).tables
    nodes, ties = network.in_selection(network.node_table(tables), network.tie_table(tables),
                                       Selection())
    return network.to_graph(nodes, network.edge_table(nodes, ties))


def compare(graph: nx.Graph, runs: int) -> dict:
    """Median seconds, modularity and community count of the old and the new method."""
    times = {"old": [], "new": []}
    found = {}
    for _ in range(runs):
        for name, method in (("old", old_communities), ("new", metrics.communities)):
            start = time.perf_counter()
            membership, modularity = method(graph)
            times[name].append(time.perf_counter() - start)
            found[name] = (modularity, membership.nunique())
    old, new = statistics.median(times["old"]), statistics.median(times["new"])
    return {"nodes": graph.number_of_nodes(), "edges": graph.number_of_edges(),
            "old_s": old, "new_s": new, "ratio": new / old,
            "old_q": found["old"][0], "new_q": found["new"][0],
            "old_k": found["old"][1], "new_k": found["new"][1]}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--runs", type=int, default=5, help="runs of each method (median)")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        for weighted in (False, True):
            folder = karate_folder(Path(scratch) / f"karate-{weighted}", weighted)
            rows.append(("karate, weighted" if weighted else "karate", analysed_graph(folder)))
    rows += [(str(size), analysed_graph(folder_for(size))) for size in ["sample", *args.sizes]]
    print(f"Measured by `python -m benchmarks.communities --runs {args.runs}` on {machine()}.\n")
    print("| data | nodes | edges | old median | new median | new / old | old modularity "
          "| new modularity | old communities | new communities |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for name, graph in rows:
        r = compare(graph, args.runs)
        print(f"| {name} | {r['nodes']:,} | {r['edges']:,} | {r['old_s']:.3f} s | "
              f"{r['new_s']:.3f} s | {r['ratio']:.2f} | {r['old_q']:.4f} | {r['new_q']:.4f} | "
              f"{r['old_k']:,} | {r['new_k']:,} |", flush=True)


if __name__ == "__main__":
    main()
