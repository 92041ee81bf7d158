"""First visits: each page opened first on a fresh server, with nothing computed, and after a restart.

    python -m benchmarks.first_visit [--sizes 10000 100000] [--pages overview network ...]

For each data folder (the sample, and the synthetic sets of ``benchmarks/.data``,
made by ``python -m benchmarks.run`` or ``python -m analytics synth``) and each
page, it starts a fresh ``streamlit run`` server with its own empty results
folder and the warm-up off, and opens that page first over the websocket
(:func:`ui.warm.visit`): the page computes everything it needs, as after the
data changed. The server is stopped, a new one started on the same results
folder, and the page opened first again: the restart, served from the results
on disk. Times are from opening the websocket to the script's finish.
"""

from __future__ import annotations

import argparse
import datetime
import tempfile
import time
from pathlib import Path

from benchmarks.common import ROOT, machine
from benchmarks.load import serve
from ui.warm import public_pages, visit

DATA = ROOT / "benchmarks" / ".data"
TARGETS_S = {"10000": 5.0, "100000": 15.0}


def first_visit(data: Path, results: Path, page: str) -> float:
    """Seconds to the finish of ``page`` opened first on a fresh server."""
    env = {"KIZUNA_DATA_DIR": str(data), "KIZUNA_CACHE_DIR": str(results), "KIZUNA_WARM": "off",
           "KIZUNA_AUDIENCE": "public"}
    with serve(ROOT / "dashboard.py", results, env) as server:
        took = visit(server.url, page)
        time.sleep(1)  # the results writer is a daemon thread: let it finish what it had begun
    return took


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.first_visit",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", nargs="*", default=["10000", "100000"])
    parser.add_argument("--pages", nargs="+", default=public_pages())
    args = parser.parse_args(argv)
    folders = [("sample", ROOT / "data" / "sample")] + [(s, DATA / s) for s in args.sizes]
    print(f"Measured by `python -m benchmarks.first_visit` on {machine()}, "
          f"{datetime.date.today()}.\n")
    print("| data | page | first visit, nothing computed | first visit after a restart "
          "| target |")
    print("| --- | --- | ---: | ---: | --- |")
    for name, folder in folders:
        if not folder.is_dir():
            print(f"| {name} | (no folder {folder}) | | | |")
            continue
        for page in args.pages:
            with tempfile.TemporaryDirectory(prefix="kizuna-results-") as results:
                cold = first_visit(folder, Path(results), page)
                again = first_visit(folder, Path(results), page)
            target = TARGETS_S.get(name)
            verdict = "" if target is None else (
                f"≤ {target:g} s: {'met' if cold <= target else 'not met'} cold, "
                f"{'met' if again <= target else 'not met'} after a restart")
            print(f"| {name} | {page} | {cold:.2f} s | {again:.2f} s | {verdict} |", flush=True)


if __name__ == "__main__":
    main()
