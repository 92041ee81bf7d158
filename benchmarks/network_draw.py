"""Draw time of the network in Chromium: Kizuna's layout (physics off) against pyvis's defaults.

    python -m benchmarks.network_draw [--sizes 200 2000 5000] [--cap 120]

For each size it makes a synthetic network of about that many nodes, then
times, in the same run: the layout in Python (igraph, and networkx's
spring_layout where it finishes in reasonable time), and the time until the
page is drawn in headless Chromium with every network request blocked. For
Kizuna's page "drawn" is its first afterDrawing event; for pyvis's default
page (physics on, Network.from_nx) it is the end of stabilization. Prints a
markdown table and writes it to docs/benchmarks-network.md.
"""

from __future__ import annotations

import argparse
import math
import tempfile
import time
from pathlib import Path

import networkx as nx
from pyvis.network import Network

from analytics.data import synth
from analytics.data.loader import load_dataset
from analytics.network import drawing
from analytics.network.analysis import analyze
from analytics.privacy import Audience
from benchmarks.common import ROOT, Browser, machine

KIZUNA_READY = "document.body.dataset.drawn === 'true'"
# pyvis's template hides its loading bar when physics stabilization is done.
PYVIS_READY = ("(() => { const bar = document.getElementById('loadingBar');"
               " return !!window.network && (!bar || bar.style.opacity === '0'"
               " || bar.style.display === 'none'); })()")


def network_of_about(nodes: int, folder: Path):
    alumni = max(20, int(nodes / 1.25))  # the generator makes about one organization per four alumni
    synth.write(synth.generate(alumni, seed=11), folder)
    return analyze(load_dataset(folder).tables)


def timed(function, *args, **kwargs):
    start = time.perf_counter()
    value = function(*args, **kwargs)
    return time.perf_counter() - start, value


def fmt(seconds: float, cap: float) -> str:
    return f"> {cap:.0f} s" if math.isinf(seconds) else f"{seconds:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000, 5000])
    parser.add_argument("--cap", type=float, default=120.0, help="seconds to wait for a draw")
    parser.add_argument("--spring-limit", type=int, default=2500,
                        help="largest graph on which networkx's spring_layout is timed")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as tmp, Browser() as browser:
        for size in args.sizes:
            analysis = network_of_about(size, Path(tmp) / str(size))
            graph = analysis.graph
            igraph_s, positions = timed(drawing.layout, graph)
            spring_s = (timed(nx.spring_layout, graph, seed=7)[0]
                        if graph.number_of_nodes() <= args.spring_limit else float("nan"))
            ours = Path(tmp) / f"kizuna-{size}.html"
            page_s, page = timed(drawing.standalone_html, analysis, Audience.STAFF, positions=positions)
            ours.write_text(page, encoding="utf-8")
            ours_s = browser.time_to(ours.as_uri(), KIZUNA_READY, args.cap)
            default = Network(cdn_resources="in_line")
            plain = nx.Graph()  # structure only: pyvis cannot serialize numpy attribute values
            plain.add_nodes_from(map(str, graph.nodes))
            plain.add_edges_from((str(s), str(t)) for s, t in graph.edges)
            from_nx_s, _ = timed(default.from_nx, plain)
            theirs = Path(tmp) / f"pyvis-{size}.html"
            theirs.write_text(default.generate_html(), encoding="utf-8")
            theirs_s = browser.time_to(theirs.as_uri(), PYVIS_READY, args.cap)
            rows.append((graph.number_of_nodes(), graph.number_of_edges(), igraph_s, spring_s,
                         page_s, ours_s, from_nx_s, theirs_s))
            print(rows[-1], flush=True)
    lines = [
        "# Network draw time", "",
        f"Measured by `python -m benchmarks.network_draw` on {machine()}. Every network request",
        "was blocked, as at an offline forum. Kizuna: igraph layout in Python, physics off,",
        "everything inlined; its page is built in Python (nodes and names moved apart so none",
        "sit on each other, the data and vis-network inlined). pyvis defaults:",
        "`Network.from_nx`, physics on, its own template",
        f"(`in_line`), timed to the end of stabilization. Waits are capped at {args.cap:.0f} s.", "",
        "| nodes | ties | igraph layout | networkx spring_layout | Kizuna: page built "
        "| Kizuna: drawn in Chromium | pyvis from_nx | pyvis defaults: drawn in Chromium "
        "| speed-up |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for n, m, ig, sp, page_s, ours_s, fx, theirs_s in rows:
        spring = "not run" if math.isnan(sp) else f"{sp:.2f} s"
        ratio = ("> " if math.isinf(theirs_s) else "") + \
            f"{min(theirs_s, args.cap) / ours_s:.0f}x" if not math.isinf(ours_s) else "–"
        lines.append(f"| {n:,} | {m:,} | {ig:.2f} s | {spring} | {page_s:.2f} s "
                     f"| {fmt(ours_s, args.cap)} "
                     f"| {fx:.2f} s | {fmt(theirs_s, args.cap)} | {ratio} |")
    text = "\n".join(lines) + "\n"
    print(text)
    (ROOT / "docs" / "benchmarks-network.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
