"""Kizuna's load benchmark: many viewers at once, over Streamlit's own websocket protocol.

    python -m benchmarks.load [--sessions 1 10 50 200] [--pages overview network ...]
                              [--data DIR] [--timeout S] [--audience public]
                              [--blank-config default|kizuna] [--processes 1 2]

It starts two servers on this machine, each ``streamlit run`` on a free loopback
port: Kizuna's (``dashboard.py``, ``KIZUNA_DATA_DIR`` = ``--data``, the sample by
default, with an empty results folder of its own) and a blank one-line page
(``st.write("ok")``) with Streamlit's default configuration, the framework's floor
(``--blank-config kizuna`` gives it Kizuna's ``.streamlit/config.toml`` instead).
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

With ``--processes 1 2`` it measures Kizuna behind nginx instead, as ``scripts/serve.sh``
runs it (``deploy.cluster``): for each count P, P Streamlit processes and an nginx in front
of them on loopback ports, each group with a fresh ``KIZUNA_CACHE_DIR`` its processes share.
Each process is visited once alone first, straight to its port; then for each N and page a
round goes through each group's proxy in turn. Every session sends a ``kizuna_route`` cookie
of its own (``viewer-000`` ...; the same N viewers on every page), as N browsers would, so
nginx spreads them by its hash; how many each process served is read from nginx's access log.
Memory and CPU are summed over a group's Streamlit processes; nginx's CPU is beside them, and
the CPU the rest of the machine used during the round (``/proc/stat``, less this benchmark and
its servers), in cores: the processes share the machine's cores with it. No blank page in this
mode. The report ends with each page's p95 against the fewest processes';
``--repeat K`` measures each page and count K times, in turn, and compares median p95s.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime
import itertools
import math
import os
import platform
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import WebSocketException

from ui.warm import rerun_request, wait_until_up

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
ROUTE_COOKIE = "kizuna_route"  # the proxy's sticky cookie (deploy/nginx.conf.template)
MAX_PROCESSES = 8

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


class _CountingConnection(ClientConnection):
    """A websocket client connection that also counts the bytes the socket delivers."""

    wire_bytes = 0

    def data_received(self, data: bytes) -> None:
        self.wire_bytes += len(data)
        super().data_received(data)


def _exception_text(exc) -> str:
    return f"{exc.type}: {exc.message}".strip(": ")[:200]


async def open_session(base_url: str, page: str, timeout: float = DEFAULT_TIMEOUT_S,
                       route: str | None = None) -> tuple[SessionResult, ClientConnection | None]:
    """Run ``page`` in one new session; return its result and the still open websocket.

    ``route``: the ``kizuna_route`` cookie to send, as a browser behind the proxy would
    (deploy/nginx.conf.template routes each browser by it). The caller closes the websocket
    (None if it never opened).
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
                               additional_headers=({"Cookie": f"{ROUTE_COOKIE}={route}"}
                                                   if route else None),
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


async def run_sessions(url: str, page: str, n: int, timeout: float = DEFAULT_TIMEOUT_S,
                       routes: Sequence[str] | None = None) -> list[SessionResult]:
    """Open ``n`` sessions at once against ``url`` (a loopback server), each running ``page``.

    ``page`` is the URL path (``"overview"``), or ``""`` for the app's main page.
    ``routes``: one ``kizuna_route`` cookie per session (behind the proxy), or None.
    All sessions stay open until every one has finished (or failed), then close.
    """
    check_loopback(url)
    if not 1 <= n <= MAX_SESSIONS:
        raise ValueError(f"sessions must be 1 to {MAX_SESSIONS}, not {n}")
    if not 0 < timeout <= 600:
        raise ValueError(f"timeout must be above 0 and at most 600 s, not {timeout}")
    if routes is not None and len(routes) != n:
        raise ValueError(f"{n} sessions need {n} routes, not {len(routes)}")
    routes = routes or [None] * n
    opened = await asyncio.gather(*(open_session(url, page, timeout, route) for route in routes))
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
def serve(script: Path | str, log_dir: Path, env: dict[str, str] | None = None,
          cwd: Path = ROOT) -> Iterator[Server]:
    """``streamlit run SCRIPT`` on a free loopback port, headless; yields it once healthy.

    Streamlit reads ``.streamlit/config.toml`` from ``cwd``: Kizuna's from the clone, none (its
    defaults) from a folder without one."""
    port = free_port()
    log = Path(log_dir) / f"server-{port}.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(script), "--server.headless=true",
             f"--server.port={port}", f"--server.address={LOOPBACK}",
             "--server.fileWatcherType=none", "--server.runOnSave=false",
             "--browser.gatherUsageStats=false"],
            cwd=cwd, env={**os.environ, **(env or {})}, stdout=out, stderr=subprocess.STDOUT)
        try:
            url = f"http://{LOOPBACK}:{port}"
            try:
                wait_until_up(url, START_TIMEOUT_S, proc)
            except (RuntimeError, TimeoutError) as exc:
                raise RuntimeError(f"Streamlit did not start on port {port} ({exc}); see {log}") \
                    from None
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


async def settle(pid: int | Sequence[int], limit: float = SETTLE_S) -> float:
    """Wait until the server (every one of the processes ``pid``) is idle, or ``limit`` seconds;
    return how long that took."""
    pids = [pid] if isinstance(pid, int) else list(pid)
    start = time.perf_counter()
    while time.perf_counter() - start < limit:
        before = [cpu_seconds(p) for p in pids]
        await asyncio.sleep(0.5)
        if all(cpu_seconds(p) - b < IDLE_CPU * 0.5 for p, b in zip(pids, before, strict=True)):
            break
    return time.perf_counter() - start


async def measure_round(server: Server, page: str, n: int, timeout: float) -> dict:
    """N sessions at once on ``page``: their summary, the server's memory and CPU time.

    CPU time runs from the start of the round until the server is idle again, so it
    includes the work a server does after a run's finish message (its garbage collection);
    the next round starts only then.
    """
    return await _measure(server.url, [server.pid], page, n, timeout)


async def _measure(url: str, pids: Sequence[int], page: str, n: int, timeout: float,
                   routes: Sequence[str] | None = None) -> dict:
    """A round of N sessions against ``url``; memory and CPU summed over the processes ``pids``."""

    def rss() -> float:
        return sum(rss_mb(pid) for pid in pids)

    def cpu() -> float:
        return sum(cpu_seconds(pid) for pid in pids)

    peak = rss()
    cpu_before = cpu()
    stop = asyncio.Event()

    async def sample() -> None:
        nonlocal peak
        while not stop.is_set():
            peak = max(peak, rss())
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), 0.1)

    sampler = asyncio.create_task(sample())
    try:
        results = await run_sessions(url, page, n, timeout, routes)
    finally:
        stop.set()
        await sampler
    busy_after = await settle(pids)
    return {**summarise(results), "page": page or BLANK, "n": n,
            "cpu_per_session": (cpu() - cpu_before) / n,
            "busy_after_s": busy_after,
            "times": [r.seconds for r in results if r.seconds is not None],
            "rss_peak_mb": max(peak, rss()), "rss_after_mb": rss()}


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


def _error_lines(rounds: Sequence[dict]) -> list[str]:
    """The report's last lines: the five most common errors of all rounds, if any."""
    errors = Counter()
    for r in rounds:
        errors.update(r["error_kinds"])
    if not errors:
        return []
    return ["", "Errors: " + "; ".join(f"{k} ({v})" for k, v in errors.most_common(5))]


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
    return "\n".join(lines + _error_lines(figures["rounds"]))


# --- several processes behind the proxy (--processes) --------------------------------------------


def viewer_routes(n: int) -> list[str]:
    """One ``kizuna_route`` cookie per viewer, the same N viewers on every page, as a room of N
    browsers would be; nginx spreads them by the hash of their cookie.

    >>> viewer_routes(2)
    ['viewer-000', 'viewer-001']
    """
    return [f"viewer-{i:03d}" for i in range(n)]


_STREAM_LINE = re.compile(r'"GET /_stcore/stream[^"]*" (\d{3}) .* upstream=(.*) time=')


def sessions_per_upstream(access_log: Path, offset: int = 0) -> tuple[Counter, int]:
    """The websocket sessions each process served, from the proxy's access log after byte
    ``offset`` (nginx writes a websocket's line once it closes), and the log's new end.

    Keys are upstream addresses (``127.0.0.1:PORT``); a session nginx could not pass on counts
    under ``-``.
    """
    with open(access_log, "rb") as log:
        log.seek(offset)
        text = log.read()
    counts: Counter = Counter()
    for match in _STREAM_LINE.finditer(text.decode(errors="replace")):
        counts[match.group(2).split(",")[-1].strip()] += 1  # the last one tried, if several
    return counts, offset + len(text)


def _tree_cpu(pid: int) -> float:
    return sum(cpu_seconds(each) for each in _descendants(pid))


async def measure_cluster_round(cluster, page: str, n: int, timeout: float,
                                log_offset: int) -> tuple[dict, int]:
    """N sessions at once on ``page`` through the cluster's proxy, each with its own route
    cookie; memory and CPU summed over its Streamlit processes, the sessions each served (from
    the proxy's access log) and the proxy's CPU. Returns the row and the log's new end."""
    proxy_before = _tree_cpu(cluster.nginx.pid)
    start, machine_before, own_before = time.perf_counter(), machine_busy(), time.process_time()
    row = await _measure(cluster.url, cluster.pids, page, n, timeout, viewer_routes(n))
    ours = row["cpu_per_session"] * n + (_tree_cpu(cluster.nginx.pid) - proxy_before)
    others = (machine_busy() - machine_before - ours - (time.process_time() - own_before))
    await asyncio.sleep(0.2)  # the proxy logs a websocket once both ends have closed
    spread, offset = sessions_per_upstream(cluster.access_log, log_offset)
    row.update(processes=len(cluster.pids),
               per_process=[spread.get(urlsplit(u).netloc, 0) for u in cluster.upstreams],
               proxy_cpu_per_session=(_tree_cpu(cluster.nginx.pid) - proxy_before) / n,
               other_cores=max(0.0, others / (time.perf_counter() - start)))
    return row, offset


def machine_busy() -> float:
    """CPU seconds every core of the machine has spent busy so far (``/proc/stat``; 0 where
    there is none)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0.0
    user, nice, system, _idle, _iowait, irq, softirq, steal = (fields + [0] * 8)[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


async def benchmark_processes(clusters: dict, pages: Sequence[str], sessions: Sequence[int],
                              timeout: float, progress=print, repeat: int = 1) -> dict:
    """``clusters``: process count -> a running :class:`deploy.cluster.Cluster`.

    First visits straight to each process, page by page; then for each N and page, ``repeat``
    times, a round through each cluster's proxy in turn, so every process count sees the same
    load (and a burst of other work on the machine hits one round of each, not all of one).
    """
    first = {}
    for count, cluster in clusters.items():
        for index, upstream in enumerate(cluster.upstreams):
            for page in pages:
                [result] = await run_sessions(upstream, page, 1, timeout)
                first[(count, index, page)] = result
                await settle(cluster.pids)
                progress(f"first visit, {count} process(es), #{index + 1}, {page}: "
                         f"{result.seconds} s {result.error or ''}")
    offsets = {count: cluster.access_log.stat().st_size for count, cluster in clusters.items()}
    rounds = []
    for n in sessions:
        for page in pages:
            for _, (count, cluster) in itertools.product(range(repeat), clusters.items()):
                row, offsets[count] = await measure_cluster_round(cluster, page, n, timeout,
                                                                  offsets[count])
                rounds.append(row)
                progress(f"N={n} {page}, {count} process(es) {row['per_process']}: "
                         f"p50 {row['p50']:.2f} s, p95 {row['p95']:.2f} s, max {row['max']:.2f} s, "
                         f"errors {row['errors']}, CPU {row['cpu_per_session']:.3f} s/session, "
                         f"RSS {row['rss_peak_mb']:.0f} MB, idle after {row['busy_after_s']:.1f} s, "
                         f"other work {row['other_cores']:.2f} cores")
    return {"first": first, "rounds": rounds}


def _plural(count: int) -> str:
    return f"{count} process" + ("" if count == 1 else "es")


def combine_rounds(rows: Sequence[dict]) -> dict:
    """Repeated rounds of one N, page and process count as one row: the median of their p50s
    and p95s (each round's p95s kept in ``p95s``), the highest max and RSS peak, all errors,
    the mean CPU."""
    rows = list(rows)
    errors = Counter()
    for r in rows:
        errors.update(r["error_kinds"])
    return {**rows[0], "rounds": len(rows), "p95s": [r["p95"] for r in rows],
            "p50": statistics.median(r["p50"] for r in rows),
            "p95": statistics.median(r["p95"] for r in rows),
            "max": max(r["max"] for r in rows), "errors": sum(r["errors"] for r in rows),
            "error_kinds": dict(errors),
            "cpu_per_session": statistics.fmean(r["cpu_per_session"] for r in rows),
            "proxy_cpu_per_session": statistics.fmean(r["proxy_cpu_per_session"] for r in rows),
            "other_cores": statistics.fmean(r["other_cores"] for r in rows),
            "rss_peak_mb": max(r["rss_peak_mb"] for r in rows),
            "rss_after_mb": rows[-1]["rss_after_mb"]}


def report_processes(figures: dict, counts: Sequence[int], pages: Sequence[str],
                     sessions: Sequence[int]) -> str:
    """Markdown: first visits per process, the rounds (repeated ones combined), and each page's
    p95 against the fewest processes'."""
    columns = [(c, i) for c in counts for i in range(c)]
    lines = ["First visit (one session straight to each process, caches cold; a process after "
             "the first of its group may find results in the group's shared KIZUNA_CACHE_DIR):", "",
             "| page | " + " | ".join(f"{_plural(c)}: #{i + 1}" for c, i in columns) + " |",
             "| --- |" + " ---: |" * len(columns)]
    for page in pages:
        cells = [figures["first"][(c, i, page)] for c, i in columns]
        lines.append(f"| {page} | " + " | ".join(
            r.error[:40] if r.error else _s(r.seconds) for r in cells) + " |")
    groups: dict[tuple, list] = {}
    for r in figures["rounds"]:
        groups.setdefault((r["n"], r["page"], r["processes"]), []).append(r)
    rows = [combine_rounds(g) for g in groups.values()]
    repeated = max(r["rounds"] for r in rows) > 1
    lines += ["", "Through the proxy, N sessions at once, each with its own route cookie (time from "
              "opening the websocket to script finished)"
              + (f"; {rows[0]['rounds']} rounds each, in turn with the other process counts: the "
                 "median of their p50s and p95s, the highest max:" if repeated else ":"), "",
              "| N | page | processes | sessions per process | p50 | p95 "
              + ("| p95 of each round " if repeated else "") + "| max | errors "
              "| CPU per session (Streamlit / nginx) | RSS peak / after, all processes "
              "| other work on the machine |",
              "| ---: | --- | ---: | --- | ---: | ---: |" + (" --- |" if repeated else "")
              + " ---: | ---: | ---: | ---: | ---: |"]
    for r in rows:
        each = f"| {', '.join(f'{x:.2f}' for x in r['p95s'])} " if repeated else ""
        lines.append(f"| {r['n']} | {r['page']} | {r['processes']} "
                     f"| {' / '.join(map(str, r['per_process']))} | {_s(r['p50'])} | {_s(r['p95'])} "
                     f"{each}| {_s(r['max'])} | {r['errors']} | {r['cpu_per_session']:.3f} s / "
                     f"{r['proxy_cpu_per_session']:.3f} s "
                     f"| {r['rss_peak_mb']:.0f} / {r['rss_after_mb']:.0f} MB "
                     f"| {r['other_cores']:.2f} cores |")
    base, more = counts[0], counts[1:]
    if more:
        p95 = {(r["n"], r["page"], r["processes"]): r["p95"] for r in rows}
        lines += ["", f"p95 against {_plural(base)}'s:", "",
                  f"| N | page | p95, {_plural(base)} | "
                  + " | ".join(f"p95, {_plural(c)} | ratio" for c in more) + " |",
                  "| ---: | --- | ---: |" + " ---: | ---: |" * len(more)]
        worst = {}
        for n in sessions:
            for page in pages:
                cells = []
                for c in more:
                    ratio = p95[(n, page, c)] / p95[(n, page, base)]
                    worst[(n, c)] = max(worst.get((n, c), 0.0), ratio)
                    cells.append(f"{_s(p95[(n, page, c)])} | {ratio:.2f}x")
                lines.append(f"| {n} | {page} | {_s(p95[(n, page, base)])} | "
                             + " | ".join(cells) + " |")
        lines.append("")
        lines += [f"Worst page at N = {n}, {_plural(c)}: {ratio:.2f}x {_plural(base)}'s p95."
                  for (n, c), ratio in worst.items()]
    return "\n".join(lines + _error_lines(figures["rounds"]))


def free_ports(k: int) -> list[int]:
    """``k`` distinct free loopback ports."""
    with contextlib.ExitStack() as stack:
        sockets = [stack.enter_context(socket.socket()) for _ in range(k)]
        for s in sockets:
            s.bind((LOOPBACK, 0))
        return [s.getsockname()[1] for s in sockets]


def run_processes(counts: Sequence[int], pages: Sequence[str], sessions: Sequence[int],
                  timeout: float, env: dict[str, str], progress=print,
                  repeat: int = 1) -> tuple[dict, str]:
    """Start a proxy and its processes for each count (deploy.cluster, as scripts/serve.sh does),
    each group with a fresh KIZUNA_CACHE_DIR of its own, and measure them; all stopped after."""
    from deploy import cluster as deploy

    with tempfile.TemporaryDirectory(prefix="kizuna-load-") as tmp, contextlib.ExitStack() as stack:
        clusters = {}
        for count in counts:
            folder = Path(tmp) / f"{count}-processes"
            ports = free_ports(count + 1)
            clusters[count] = stack.enter_context(deploy.running(
                count, f"{LOOPBACK}:{ports[0]}", ports=ports[1:], prefix=folder / "proxy",
                env={**os.environ, **env, "KIZUNA_CACHE_DIR": str(folder / "cache")}))
            progress(f"{_plural(count)} behind {clusters[count].url}: "
                     f"{', '.join(clusters[count].upstreams)}")
        load_before = os.getloadavg()
        figures = asyncio.run(benchmark_processes(clusters, pages, sessions, timeout, progress,
                                                  repeat))
        proxy_mb = {c: rss_mb(cl.nginx.pid) for c, cl in clusters.items()}
    note = (f"Load average (1, 5, 15 min) {', '.join(f'{x:.2f}' for x in load_before)} at the start, "
            f"{', '.join(f'{x:.2f}' for x in os.getloadavg())} at the end; nginx RSS "
            + ", ".join(f"{mb:.0f} MB ({_plural(c)})" for c, mb in proxy_mb.items()) + ".")
    return figures, note


def _sessions(value: str) -> int:
    n = int(value)
    if not 1 <= n <= MAX_SESSIONS:
        raise argparse.ArgumentTypeError(f"sessions must be 1 to {MAX_SESSIONS}")
    return n


def _processes(value: str) -> int:
    n = int(value)
    if not 1 <= n <= MAX_PROCESSES:
        raise argparse.ArgumentTypeError(f"processes must be 1 to {MAX_PROCESSES}")
    return n


def _nginx_version() -> str:
    from deploy.cluster import find_nginx
    out = subprocess.run([find_nginx(), "-v"], capture_output=True, text=True).stderr
    return out.strip().rpartition("/")[2] or "?"


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
    parser.add_argument("--blank-config", choices=["default", "kizuna"], default="default",
                        help="the blank page with Streamlit's default configuration (the "
                             "framework's floor), or with Kizuna's .streamlit/config.toml")
    parser.add_argument("--processes", nargs="+", type=_processes, metavar="P",
                        help="measure through nginx with P Streamlit processes behind it, for "
                             "each P given (as scripts/serve.sh runs them), instead of one "
                             "server beside the blank page")
    parser.add_argument("--repeat", type=int, default=1, choices=range(1, 11), metavar="K",
                        help="with --processes: K rounds of each page and process count, in turn; "
                             "the report gives the median p95 (default 1)")
    args = parser.parse_args(argv)
    if not 0 < args.timeout <= 600:
        parser.error("--timeout must be above 0 and at most 600")
    if not args.data.is_dir():
        parser.error(f"no data folder {args.data}")

    def progress(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    env = {"KIZUNA_DATA_DIR": str(args.data.resolve()), "KIZUNA_AUDIENCE": args.audience}
    if args.processes:
        from deploy.cluster import INSTALL_NGINX, find_nginx
        if find_nginx() is None:
            parser.error(INSTALL_NGINX)
        counts = sorted(set(args.processes))
        figures, note = run_processes(counts, args.pages, args.sessions, args.timeout, env,
                                      progress, args.repeat)
        print(f"Measured by `python -m benchmarks.load --processes {' '.join(map(str, counts))}"
              f"{f' --repeat {args.repeat}' if args.repeat > 1 else ''}` "
              f"on {machine()}, nginx {_nginx_version()}, {datetime.date.today()}; data "
              f"{args.data}, audience {args.audience}, per-session limit {args.timeout:g} s. "
              f"{note}\n")
        print(report_processes(figures, counts, args.pages, args.sessions))
        return
    with tempfile.TemporaryDirectory(prefix="kizuna-load-") as tmp:
        # Kizuna's results start empty (its first visits compute), and the blank page runs
        # with Streamlit's defaults (--blank-config default) or Kizuna's configuration.
        env["KIZUNA_CACHE_DIR"] = str(Path(tmp) / "results")
        blank_cwd = ROOT if args.blank_config == "kizuna" else Path(tmp)
        with serve(write_blank_page(Path(tmp)), Path(tmp), cwd=blank_cwd) as blank, \
                serve(ROOT / "dashboard.py", Path(tmp), env) as kizuna:
            figures = asyncio.run(benchmark(blank, kizuna, args.pages, args.sessions,
                                            args.timeout, progress))
    print(f"Measured by `python -m benchmarks.load` on {machine()}, {datetime.date.today()}; "
          f"data {args.data}, audience {args.audience}, per-session limit {args.timeout:g} s, "
          f"blank page with {args.blank_config} configuration.\n")
    print(report(figures, args.sessions))


if __name__ == "__main__":
    main()
