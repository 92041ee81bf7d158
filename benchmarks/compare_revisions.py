"""Compare two revisions of Kizuna on the same machine, in one run, old and new in turn.

    python benchmarks/compare_revisions.py OLD NEW [--sizes sample 10000 100000]
        [--rounds 3 3 2] [--warm-runs 3] [--data DIR] [--budget-s 2700]

Each revision is exported with ``git archive`` into its own folder (the
repository's work tree and index are not touched) and run with this Python.
For each data size, the revisions alternate (old, new, old, new, ...), every
measurement in a fresh process with its working directory at that revision:

- load: ``load_dataset`` on the folder (import time apart), with peak memory;
- graph: each revision's own ``benchmarks.run.graph_and_metrics``, per step;
- apptest: each revision's own ``benchmarks.run.apptest_times``, the cold and
  median warm server run of every page.

It prints, and writes as JSON and markdown, each figure's median per revision
and the ratio new/old, with the machine's load average before and after. The
machine is shared and noisy: read the ratios, not the absolute figures, and
distrust a ratio whose spread (min-max per revision, also reported) overlaps.

When AppTest at a size is expected to pass the time budget, ``--light SIZE``
measures only the cold runs of the overview and network pages there.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

DEFAULT_REPO = Path(__file__).resolve().parents[1]
LIGHT_PAGES = ("pages/overview.py", "pages/network.py")
NETWORK_STEPS = ("node and tie tables", "select view", "edge table", "networkx graph",
                 "centrality", "communities")

LOAD_CODE = """
import json, resource, sys, time
start = time.perf_counter()
from analytics import load_dataset
imported = time.perf_counter()
ds = load_dataset(sys.argv[1])
done = time.perf_counter()
print(json.dumps({"import": imported - start, "load_dataset": done - imported,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                  "errors": len(ds.errors)}))
"""

GRAPH_CODE = """
import json, sys
from pathlib import Path
from benchmarks.run import graph_and_metrics
print(json.dumps(graph_and_metrics(Path(sys.argv[1]))))
"""

APPTEST_CODE = """
import json, sys
from pathlib import Path
from benchmarks.run import apptest_times
print(json.dumps(apptest_times(Path(sys.argv[1]), int(sys.argv[2]))))
"""

# The same driver as benchmarks.run.apptest_times, for chosen pages and cold runs only.
LIGHT_APPTEST_CODE = """
import json, os, sys, time
from pathlib import Path
from streamlit.testing.v1 import AppTest
os.environ["KIZUNA_DATA_DIR"], os.environ["KIZUNA_AUDIENCE"] = sys.argv[1], "staff"
out = {}
for path in sys.argv[2:]:
    at = AppTest.from_file(path, default_timeout=900)
    start = time.perf_counter(); at.run(); cold = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    out[Path(path).stem] = [round(cold, 3)]
print(json.dumps(out))
"""


def export(repo: Path, revision: str, into: Path) -> Path:
    """The revision's files in a folder of their own (read-only git: archive)."""
    sha = subprocess.run(["git", "-C", str(repo), "rev-parse", "--short=12", revision],
                         capture_output=True, text=True, check=True).stdout.strip()
    tree = into / f"kizuna-{sha}"
    if not (tree / "analytics").is_dir():
        tree.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(["git", "-C", str(repo), "archive", sha],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(tree)], input=archive, check=True)
    return tree


def data_folder(size: str, tree: Path, data: Path) -> Path:
    """The sample in the tree, or a synthetic folder made once (by that tree's generator)."""
    if size == "sample":
        return tree / "data" / "sample"
    folder = data / size
    if not (folder / "alumni.csv").exists():
        code = ("import sys\ntry:\n    from analytics.data import synth\n"
                "except ImportError:\n    from analytics import synth\n"
                "synth.write(synth.generate(int(sys.argv[1]), seed=7), sys.argv[2])\n")
        subprocess.run([sys.executable, "-c", code, size, str(folder)], cwd=tree, check=True)
    return folder


def in_tree(tree: Path, code: str, *args: str) -> dict:
    """Run code in a fresh process at the tree; its last line of output is JSON."""
    env = {**os.environ, "PYTHONPATH": str(tree)}
    result = subprocess.run([sys.executable, "-c", code, *args], cwd=tree, env=env,
                            capture_output=True, text=True, timeout=3600)
    if result.returncode:
        raise RuntimeError(f"{tree}: {result.stderr[-3000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def measure(tree: Path, folder: Path, warm_runs: int, light: bool) -> dict[str, float]:
    """One round's figures for one tree, flattened to name -> seconds (or MB)."""
    out: dict[str, float] = {}
    load = in_tree(tree, LOAD_CODE, str(folder))
    out["load: import analytics"] = load["import"]
    out["load: load_dataset"] = load["load_dataset"]
    out["load: peak MB"] = load["peak_mb"]
    graph = in_tree(tree, GRAPH_CODE, str(folder))
    for step, seconds in graph.items():
        out[f"graph: {step}"] = seconds
    out["graph: network pipeline (sum of first six steps)"] = sum(graph[s] for s in NETWORK_STEPS)
    out["graph: all steps (sum)"] = sum(graph.values())
    if light:
        pages = in_tree(tree, LIGHT_APPTEST_CODE, str(folder),
                        *[str(tree / p) for p in LIGHT_PAGES])
    else:
        pages = in_tree(tree, APPTEST_CODE, str(folder), str(warm_runs))
    for page, times in pages.items():
        out[f"apptest {page}: cold"] = times[0]
        if len(times) > 1:
            out[f"apptest {page}: warm median"] = times[1]
    return out


def load_average() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def summarise(rounds: dict[str, list[dict]]) -> list[dict]:
    rows = []
    for name in rounds["old"][0]:
        old = [r[name] for r in rounds["old"] if name in r]
        new = [r[name] for r in rounds["new"] if name in r]
        if not old or not new:
            continue
        m_old, m_new = statistics.median(old), statistics.median(new)
        rows.append({"figure": name, "old": m_old, "new": m_new,
                     "ratio": m_new / m_old if m_old else float("nan"),
                     "old range": (min(old), max(old)), "new range": (min(new), max(new)),
                     "n": (len(old), len(new))})
    return rows


def markdown(results: dict, revisions: tuple[str, str]) -> str:
    lines = [f"Old: {revisions[0]}; new: {revisions[1]}. Medians of alternated fresh-process "
             "runs; seconds unless named.", ""]
    for size, block in results.items():
        lines += [f"## {size}", "",
                  f"Rounds (old, new): {block['rounds']}. Load average (1, 5, 15 min): "
                  f"{block['load before']} before, {block['load after']} after."
                  + (" AppTest: cold runs of overview and network only." if block["light"]
                     else ""), "",
                  "| figure | old median | new median | new/old | old min-max | new min-max |",
                  "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for row in block["summary"]:
            slower = " **slower**" if row["ratio"] > 1.10 else ""
            lines.append(f"| {row['figure']} | {row['old']:.3f} | {row['new']:.3f} | "
                         f"{row['ratio']:.2f}{slower} | {row['old range'][0]:.3f}-"
                         f"{row['old range'][1]:.3f} | {row['new range'][0]:.3f}-"
                         f"{row['new range'][1]:.3f} |")
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("old", help="the old revision, e.g. a commit")
    parser.add_argument("new", help="the new revision, e.g. HEAD")
    parser.add_argument("--repo", type=Path, default=DEFAULT_REPO)
    parser.add_argument("--old-tree", type=Path, help="an exported old tree, not exported again")
    parser.add_argument("--new-tree", type=Path, help="an exported new tree, not exported again")
    parser.add_argument("--sizes", nargs="+", default=["sample", "10000", "100000"])
    parser.add_argument("--rounds", nargs="+", type=int, default=[3, 3, 2],
                        help="rounds per tree for each size (the last repeats)")
    parser.add_argument("--warm-runs", type=int, default=3)
    parser.add_argument("--light", nargs="*", default=[],
                        help="sizes measured with cold AppTest runs of overview and network only")
    parser.add_argument("--data", type=Path,
                        default=Path(tempfile.gettempdir()) / "kizuna-bench-data")
    parser.add_argument("--out", type=Path,
                        default=Path(tempfile.gettempdir()) / "kizuna-compare")
    args = parser.parse_args()

    work = Path(tempfile.gettempdir())
    trees = {"old": args.old_tree or export(args.repo, args.old, work),
             "new": args.new_tree or export(args.repo, args.new, work)}
    for tree in trees.values():  # both start with bytecode, so no cold import compiles
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree)], check=False,
                       capture_output=True)
    results: dict = {}
    started = time.perf_counter()
    for index, size in enumerate(args.sizes):
        n_rounds = args.rounds[min(index, len(args.rounds) - 1)]
        light = size in args.light
        folders = {side: data_folder(size, tree, args.data) for side, tree in trees.items()}
        rounds: dict[str, list[dict]] = {"old": [], "new": []}
        before = load_average()
        for n in range(n_rounds):
            for side in ("old", "new"):
                t0 = time.perf_counter()
                rounds[side].append(measure(trees[side], folders[side], args.warm_runs, light))
                print(f"[{time.perf_counter() - started:7.0f} s] {size} round {n + 1} {side}: "
                      f"{time.perf_counter() - t0:.0f} s, load {load_average()}", flush=True)
        results[size] = {"rounds": (n_rounds, n_rounds), "light": light,
                         "load before": before, "load after": load_average(),
                         "summary": summarise(rounds), "raw": rounds}
        args.out.with_suffix(".json").write_text(json.dumps(results, indent=1))
        args.out.with_suffix(".md").write_text(markdown(results, (args.old, args.new)))
    print(markdown(results, (args.old, args.new)))


if __name__ == "__main__":
    main()
