"""Kizuna's load benchmark: many viewers at once, over Streamlit's own websocket protocol.

    python -m benchmarks.load [--sessions 1 10 50 200] [--pages overview network ...]
                              [--data DIR] [--timeout S] [--audience public]

It starts two servers on this machine, each ``streamlit run`` on a free loopback
port: Kizuna's (``dashboard.py``, ``KIZUNA_DATA_DIR`` = ``--data``, the sample by
default) and a blank one-line page (``st.write("ok")``), the framework's floor.
Each page is visited once alone first (its "first visit": caches fill); then, for
each N, N sessions open at once against the blank page, then N against the page,
page after page, so both see the same load in the same run.

A session is what a browser tab does after it has its HTML and JavaScript, with no
browser: it opens ``ws://127.0.0.1:PORT/_stcore/stream`` (subprotocol
``streamlit``), sends one ``BackMsg`` whose ``rerun_script`` ``ClientState`` names the
page (``page_name`` is the URL path, ``overview``; empty for the main page) with the
browser's ``context_info``, and reads ``ForwardMsg``s until ``script_finished`` says
the run finished successfully. A fresh tab has no message cache, so it sends no
``cached_message_hashes`` and the server sends every element in full (no
``ref_hash``). Its time is from opening the websocket to that message; its bytes are
the ForwardMsg payloads received (``wire`` bytes: what came over the socket, frames
and handshake included; Streamlit compresses nothing unless
``server.enableWebsocketCompression`` is set, so the two barely differ). A session errs when it times out, the
socket fails, the run ends in an exception element, a compile error or "page not
found", or a page other than the one asked for ran. Every session stays open until
all N have finished, as N open tabs would, then all close.

Server memory is the resident set (``VmRSS``) of the server process and its
children, sampled every 0.1 s during a round (peak) and once it is idle after it; its
CPU time per session is counted from a round's start until it is idle again.
Bounded: loopback only, at most 200 sessions a round, a per-session time limit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import math
import os
import platform
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DIR = ROOT / "data" / "sample"
PUBLIC_PAGES = ("overview", "cohorts", "network", "alumni", "projects")
ALL_PAGES = tuple(sorted(p.stem for p in (ROOT / "pages").glob("*.py")))
BLANK_SOURCE = 'import streamlit as st\n\nst.write("ok")\n'
BLANK = "blank"  # the blank page's name in results and tables
LOOPBACK = "127.0.0.1"
MAX_SESSIONS = 200
DEFAULT_SESSIONS = (1, 10, 50, 200)
DEFAULT_TIMEOUT_S = 120.0
START_TIMEOUT_S = 120.0
SETTLE_S = 60.0  # at most, after a round, waiting for the server to go idle
IDLE_CPU = 0.1  # the server is idle below this share of one core, over half a second

_DONE = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
_COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR


@dataclass(frozen=True)
class SessionResult:
    """One session: seconds to script finished (None if it never got there) and bytes."""

    seconds: float | None
    bytes: int  # ForwardMsg payloads received
    error: str | None = None
    wire_bytes: int = 0  # over the socket: frames and handshake included
    connect_seconds: float | None = None  # websocket open (handshake done)
    messages: int = 0


# --- the protocol ---------------------------------------------------------------------------------


def check_loopback(url: str) -> str:
    """Return ``url`` if it points at 127.0.0.1; otherwise refuse it (ValueError)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "ws") or parts.hostname != LOOPBACK or parts.port is None:
        raise ValueError(f"the load client only talks to http://{LOOPBACK}:PORT, not {url!r}")
    return url


def stream_url(base_url: str) -> str:
    """``http://127.0.0.1:PORT`` -> the server's websocket, ``ws://127.0.0.1:PORT/_stcore/stream``."""
    parts = urlsplit(check_loopback(base_url))
    return f"ws://{LOOPBACK}:{parts.port}/_stcore/stream"


def rerun_request(base_url: str, page: str, query_string: str = "") -> bytes:
    """The BackMsg a browser tab sends first: run the script for ``page`` (a URL path)."""
    msg = BackMsg()
    state = msg.rerun_script
    state.query_string = query_string
    state.page_name = page  # st.navigation matches it to a page's url_path; "" = default page
    state.page_script_hash = ""  # a fresh tab knows no hashes yet
    info = state.context_info
    info.timezone, info.timezone_offset, info.locale = "UTC", 0, "en-US"
    info.url = f"{base_url.rstrip('/')}/{page}" + (f"?{query_string}" if query_string else "")
    info.is_embedded, info.color_scheme = False, "light"
    return msg.SerializeToString()


class _CountingConnection(ClientConnection):
    """A websocket client connection that also counts the bytes the socket delivers."""

    wire_bytes = 0

    def data_received(self, data: bytes) -> None:
        self.wire_bytes += len(data)
        super().data_received(data)


def _exception_text(exc) -> str:
    return f"{exc.type}: {exc.message}".strip(": ")[:200]


async def open_session(base_url: str, page: str, timeout: float = DEFAULT_TIMEOUT_S
                       ) -> tuple[SessionResult, ClientConnection | None]:
    """Run ``page`` in one new session; return its result and the still open websocket.

    The caller closes the websocket (None if it never opened).
    """
    start = time.perf_counter()
    ws: _CountingConnection | None = None
    connected = None
    received = messages = 0
    error: str | None = None
    pages: dict[str, str] = {}  # page_script_hash -> url_pathname, from navigation messages
    ran: str | None = None  # the url_pathname of the page the last navigation chose
    try:
        async with asyncio.timeout(timeout):
            ws = await connect(stream_url(base_url), subprotocols=["streamlit"],
                               origin=base_url.rstrip("/"), proxy=None, max_size=None,
                               ping_interval=None, open_timeout=None, close_timeout=5,
                               user_agent_header="kizuna-load",
                               create_connection=_CountingConnection)
            connected = time.perf_counter() - start
            await ws.send(rerun_request(base_url, page))
            while True:
                data = await ws.recv(decode=False)
                received += len(data)
                messages += 1
                msg = ForwardMsg()
                msg.ParseFromString(data)
                kind = msg.WhichOneof("type")
                if kind == "delta":
                    element = msg.delta.new_element
                    if msg.delta.HasField("new_element") and element.HasField("exception"):
                        error = error or "exception: " + _exception_text(element.exception)
                elif kind == "navigation":
                    pages.update((p.page_script_hash, p.url_pathname) for p in msg.navigation.app_pages)
                    ran = pages.get(msg.navigation.page_script_hash)
                elif kind == "page_not_found":
                    error = error or f"page not found: {page!r}"
                elif kind == "session_event" and msg.session_event.HasField(
                        "script_compilation_exception"):
                    error = error or "compile error: " + _exception_text(
                        msg.session_event.script_compilation_exception)
                elif kind == "script_finished":
                    if msg.script_finished == _COMPILE_ERROR:
                        error = error or "compile error"
                        break
                    if msg.script_finished == _DONE:
                        break
                    # FINISHED_EARLY_FOR_RERUN (st.rerun, st.switch_page) and fragment
                    # runs: the run the page asked for is still to come.
        seconds = time.perf_counter() - start
        if page and ran is not None and ran != page and error is None:
            error = f"ran page {ran!r}, not {page!r}"
    except TimeoutError:
        seconds, error = None, f"no script finish within {timeout:g} s"
    except (OSError, WebSocketException) as exc:
        seconds, error = None, f"{type(exc).__name__}: {exc}"[:200]
    result = SessionResult(seconds=seconds, bytes=received, error=error,
                           wire_bytes=ws.wire_bytes if ws else 0,
                           connect_seconds=connected, messages=messages)
    return result, ws


async def run_sessions(url: str, page: str, n: int, timeout: float = DEFAULT_TIMEOUT_S
                       ) -> list[SessionResult]:
    """Open ``n`` sessions at once against ``url`` (a loopback server), each running ``page``.

    ``page`` is the URL path (``"overview"``), or ``""`` for the app's main page.
    All sessions stay open until every one has finished (or failed), then close.
    """
    check_loopback(url)
    if not 1 <= n <= MAX_SESSIONS:
        raise ValueError(f"sessions must be 1 to {MAX_SESSIONS}, not {n}")
    if not 0 < timeout <= 600:
        raise ValueError(f"timeout must be above 0 and at most 600 s, not {timeout}")
    opened = await asyncio.gather(*(open_session(url, page, timeout) for _ in range(n)))
    await asyncio.gather(*(_close(ws) for _, ws in opened if ws is not None))
    return [result for result, _ in opened]


async def _close(ws: ClientConnection) -> None:
    with contextlib.suppress(Exception):
        await ws.close()


# --- figures -------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0-100) of ``values``, linear between ranks.

    >>> percentile([1.0, 2.0, 3.0, 4.0], 50)
    2.5
    """
    ordered = sorted(values)
    if not ordered:
        return math.nan
    rank = (len(ordered) - 1) * q / 100
    low, high = math.floor(rank), math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarise(results: Sequence[SessionResult]) -> dict:
    """p50, p95 and max seconds to script finished (finished sessions), bytes, errors."""
    finished = [r for r in results if r.seconds is not None]
    times = [r.seconds for r in finished]
    connects = [r.connect_seconds for r in results if r.connect_seconds is not None]
    errors = Counter(r.error for r in results if r.error)
    return {
        "sessions": len(results),
        "finished": len(finished),
        "errors": sum(errors.values()),
        "error_kinds": dict(errors),
        "p50": percentile(times, 50),
        "p95": percentile(times, 95),
        "max": max(times, default=math.nan),
        "connect_p95": percentile(connects, 95),
        "mean_bytes": sum(r.bytes for r in finished) / len(finished) if finished else math.nan,
        "mean_wire_bytes": (sum(r.wire_bytes for r in finished) / len(finished)
                            if finished else math.nan),
    }


# --- servers -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Server:
    url: str
    pid: int
    log: Path


def free_port() -> int:
    with socket.socket() as s:
        s.bind((LOOPBACK, 0))
        return s.getsockname()[1]


def write_blank_page(folder: Path) -> Path:
    """Write the blank one-line page into ``folder`` and return its path."""
    path = Path(folder) / "blank_page.py"
    path.write_text(BLANK_SOURCE)
    return path


@contextlib.contextmanager
def serve(script: Path | str, log_dir: Path, env: dict[str, str] | None = None) -> Iterator[Server]:
    """``streamlit run SCRIPT`` on a free loopback port, headless; yields it once healthy."""
    port = free_port()
    log = Path(log_dir) / f"server-{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true",
             f"--server.port={port}", f"--server.address={LOOPBACK}",
             "--server.fileWatcherType=none", "--server.runOnSave=false",
             "--browser.gatherUsageStats=false"],
            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://{LOOPBACK}:{port}"
            deadline = time.monotonic() + START_TIMEOUT_S
            while True:
                try:
                    with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                        if r.status == 200:
                            break
                except OSError:
                    pass
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Streamlit did not start on port {port}; see {log}")
                time.sleep(0.2)
            yield Server(url, proc.pid, log)
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


def _descendants(pid: int) -> list[int]:
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for children in Path(f"/proc/{current}/task").glob("*/children"):
            with contextlib.suppress(OSError):
                todo.extend(int(c) for c in children.read_text().split())
    return found


def rss_mb(pid: int) -> float:
    """Resident memory of ``pid`` and its children, in MB (0 if it has gone)."""
    total_kb = 0
    for each in _descendants(pid):
        with contextlib.suppress(OSError, StopIteration, ValueError):
            line = next(row for row in Path(f"/proc/{each}/status").read_text().splitlines()
                        if row.startswith("VmRSS:"))
            total_kb += int(line.split()[1])
    return total_kb / 1024


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) the process ``pid`` has used so far, in seconds (0 if gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


async def settle(pid: int, limit: float = SETTLE_S) -> float:
    """Wait until the server is idle (or ``limit`` seconds); return how long that took."""
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        before = cpu_seconds(pid)
        await asyncio.sleep(0.5)
        if cpu_seconds(pid) - before < IDLE_CPU * 0.5:
            break
    return time.perf_counter() - start


async def measure_round(server: Server, page: str, n: int, timeout: float) -> dict:
    """N sessions at once on ``page``: their summary, the server's memory and CPU time.

    CPU time runs from the start of the round until the server is idle again, so it
    includes the work a server does after a run's finish message (its garbage collection);
    the next round starts only then.
    """
    peak = rss_mb(server.pid)
    cpu_before = cpu_seconds(server.pid)
    stop = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, rss_mb(server.pid))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.1)

    sampler = asyncio.create_task(sample())
    try:
        results = await run_sessions(server.url, page, n, timeout)
    finally:
        stop.set()
        await sampler
    busy_after = await settle(server.pid)
    return {**summarise(results), "page": page or BLANK, "n": n,
            "cpu_per_session": (cpu_seconds(server.pid) - cpu_before) / n,
            "busy_after_s": busy_after,
            "times": [r.seconds for r in results if r.seconds is not None],
            "rss_peak_mb": max(peak, rss_mb(server.pid)), "rss_after_mb": rss_mb(server.pid)}


# --- the benchmark --------------------------------------------------------------------------------


def machine() -> str:
    try:
        model = next(line.split(":", 1)[1].strip() for line in
                     Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.machine()
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    import streamlit
    return (f"{platform.system()} {platform.release()}, {model}, {os.cpu_count()} cores, "
            f"{memory:.0f} GiB, Python {platform.python_version()}, Streamlit {streamlit.__version__}")


async def benchmark(blank: Server, kizuna: Server, pages: Sequence[str], sessions: Sequence[int],
                    timeout: float, progress=print) -> dict:
    """First visits, then for each N the blank page and each page in turn."""
    first = {}
    for server, page in [(blank, "")] + [(kizuna, p) for p in pages]:
        [result] = await run_sessions(server.url, page, 1, timeout)
        first[page or BLANK] = result
        await settle(server.pid)
        progress(f"first visit {page or BLANK}: {result.seconds} s {result.error or ''}")
    rounds = []
    for n in sessions:
        for page in pages:
            for server, name in ((blank, ""), (kizuna, page)):
                row = await measure_round(server, name, n, timeout)
                rounds.append(row)
                progress(f"N={n} {row['page']}: p50 {row['p50']:.2f} s, p95 {row['p95']:.2f} s, "
                         f"max {row['max']:.2f} s, errors {row['errors']}, "
                         f"CPU {row['cpu_per_session']:.3f} s/session, "
                         f"RSS {row['rss_peak_mb']:.0f} MB, idle after {row['busy_after_s']:.1f} s")
    return {"first": first, "rounds": rounds}


def _s(value: float) -> str:
    return "n/a" if value is None or math.isnan(value) else f"{value:.2f} s"


def report(figures: dict, sessions: Sequence[int]) -> str:
    """Markdown tables: first visits, then per N the blank page (pooled) and each page."""
    lines = ["First visit (one session alone on a fresh server, caches cold):", "",
             "| page | time to script finish | bytes | error |", "| --- | ---: | ---: | --- |"]
    for name, r in figures["first"].items():
        lines.append(f"| {name} | {_s(r.seconds)} | {r.bytes:,} | {r.error or ''} |")
    lines += ["", "Warm, N sessions at once (time from opening the websocket to script finished):",
              "", "| N | page | p50 | p95 | max | p95 / blank p95 | bytes per session "
              "| errors | server CPU per session | server RSS peak / after |",
              "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for n in sessions:
        rows = [r for r in figures["rounds"] if r["n"] == n]
        blank_rows = [r for r in rows if r["page"] == BLANK]
        # The blank page was measured before each page: its sessions at this N are pooled.
        blank_times = [t for r in blank_rows for t in r["times"]]
        blank = {"p50": percentile(blank_times, 50), "p95": percentile(blank_times, 95),
                 "max": max(blank_times, default=math.nan),
                 "mean_bytes": sum(r["mean_bytes"] * r["finished"] for r in blank_rows)
                 / max(1, sum(r["finished"] for r in blank_rows)),
                 "errors": sum(r["errors"] for r in blank_rows),
                 "cpu_per_session": sum(r["cpu_per_session"] for r in blank_rows) / len(blank_rows),
                 "rss_peak_mb": max(r["rss_peak_mb"] for r in blank_rows),
                 "rss_after_mb": blank_rows[-1]["rss_after_mb"]}
        for name, row in [(BLANK, blank)] + [(r["page"], r) for r in rows if r["page"] != BLANK]:
            ratio = ("" if name == BLANK or not blank["p95"] > 0
                     else f"{row['p95'] / blank['p95']:.1f}x")
            lines.append(f"| {n} | {name} | {_s(row['p50'])} | {_s(row['p95'])} | {_s(row['max'])} "
                         f"| {ratio} | {row['mean_bytes']:,.0f} | {row['errors']} "
                         f"| {row['cpu_per_session']:.3f} s "
                         f"| {row['rss_peak_mb']:.0f} / {row['rss_after_mb']:.0f} MB |")
    errors = Counter()
    for r in figures["rounds"]:
        errors.update(r["error_kinds"])
    if errors:
        lines += ["", "Errors: " + "; ".join(f"{k} ({v})" for k, v in errors.most_common(5))]
    return "\n".join(lines)


def _sessions(value: str) -> int:
    n = int(value)
    if not 1 <= n <= MAX_SESSIONS:
        raise argparse.ArgumentTypeError(f"sessions must be 1 to {MAX_SESSIONS}")
    return n


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.load", description=__doc__.split("\n")[0])
    parser.add_argument("--sessions", nargs="+", type=_sessions, default=list(DEFAULT_SESSIONS),
                        help=f"sessions at once, per round (at most {MAX_SESSIONS})")
    parser.add_argument("--pages", nargs="+", choices=ALL_PAGES, default=list(PUBLIC_PAGES), metavar="PAGE",
                        help=f"URL paths (default: {' '.join(PUBLIC_PAGES)})")
    parser.add_argument("--data", type=Path, default=SAMPLE_DIR, help="KIZUNA_DATA_DIR")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT_S,
                        help="per-session limit in seconds (at most 600)")
    parser.add_argument("--audience", default="public", help="KIZUNA_AUDIENCE")
    args = parser.parse_args(argv)
    if not 0 < args.timeout <= 600:
        parser.error("--timeout must be above 0 and at most 600")
    if not args.data.is_dir():
        parser.error(f"no data folder {args.data}")

    def progress(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    env = {"KIZUNA_DATA_DIR": str(args.data.resolve()), "KIZUNA_AUDIENCE": args.audience}
    with tempfile.TemporaryDirectory(prefix="kizuna-load-") as tmp:
        with serve(write_blank_page(Path(tmp)), Path(tmp)) as blank, \
                serve(ROOT / "dashboard.py", Path(tmp), env) as kizuna:
            figures = asyncio.run(benchmark(blank, kizuna, args.pages, args.sessions,
                                            args.timeout, progress))
    print(f"Measured by `python -m benchmarks.load` on {machine()}, {datetime.date.today()}; "
          f"data {args.data}, audience {args.audience}, per-session limit {args.timeout:g} s.\n")
    print(report(figures, args.sessions))


if __name__ == "__main__":
    main()
