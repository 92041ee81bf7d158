"""Two Kizuna processes behind nginx, as scripts/serve.sh runs them (deploy/).

Not timed. Skipped where nginx is not installed. Checks that sessions through the proxy finish
without error and spread over both processes, that a browser's cookie keeps it on one process
(its upload reaches the process that holds its session; the other one refuses it), that the
proxy sets the cookie only when it is missing, and that a websocket from a page served under
another host name and port is accepted (the proxy passes Host with its port).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import re
import time
import urllib.error
import urllib.request
import uuid
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import connect

from benchmarks import load
from deploy import cluster as deploy
from tests.conftest import SAMPLE_DIR

pytestmark = pytest.mark.skipif(deploy.find_nginx() is None, reason="nginx is not installed")

SESSIONS = 8


def run(coroutine):
    """The client in a thread of its own (see tests/test_load_client.py)."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as worker:
        return worker.submit(asyncio.run, coroutine).result()


@pytest.fixture(scope="module")
def two(tmp_path_factory):
    folder = tmp_path_factory.mktemp("proxy")
    port, *ports = load.free_ports(3)
    env = {"KIZUNA_DATA_DIR": str(SAMPLE_DIR), "KIZUNA_AUDIENCE": "public",
           "KIZUNA_CACHE_DIR": str(folder / "cache")}
    with deploy.running(2, f"127.0.0.1:{port}", ports=ports, prefix=folder / "proxy",
                        env={**os.environ, **env}, start_timeout=90) as cluster:
        yield cluster


def routes_served(access_log: Path) -> dict[str, str]:
    """route cookie -> the process that served its websocket, from the proxy's access log."""
    return dict(re.findall(r'"GET /_stcore/stream [^"]*" 101 .*route=(\S+) upstream=(\S+)',
                           access_log.read_text()))


def request(cluster, path: str, cookie: str | None = None, **kwargs):
    headers = {"Cookie": cookie} if cookie else {}
    headers.update(kwargs.pop("headers", {}))
    try:
        with urllib.request.urlopen(urllib.request.Request(
                cluster.url + path, headers=headers, **kwargs), timeout=30) as response:
            return response.status, response.headers.get_all("Set-Cookie") or [], response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers.get_all("Set-Cookie") or [], error.read()


def test_sessions_through_the_proxy_spread_over_both_processes(two):
    routes = load.viewer_routes(SESSIONS)
    results = run(load.run_sessions(two.url, "overview", SESSIONS, timeout=60, routes=routes))

    for r in results:
        assert r.error is None, r.error
        assert r.seconds is not None and r.bytes > 0
    run(asyncio.sleep(0.5))  # nginx logs a websocket once it has closed
    served = routes_served(two.access_log)
    assert set(routes) <= set(served)
    counts, _ = load.sessions_per_upstream(two.access_log)
    upstreams = {u.removeprefix("http://") for u in two.upstreams}
    assert set(counts) == upstreams, counts  # both processes served sessions, nothing else did


def test_a_cookie_keeps_a_browser_on_one_process(two):
    assert len({upstream_of(two, "same-browser") for _ in range(6)}) == 1
    assert len({upstream_of(two, f"browser-{i}") for i in range(20)}) == 2


def test_the_cookie_is_set_only_when_missing(two):
    _, fresh, _ = request(two, "/")
    [route] = [c for c in fresh if c.startswith("kizuna_route=")]
    assert re.fullmatch(r"kizuna_route=[0-9a-f]{32}; Path=/; HttpOnly; SameSite=Lax", route)
    _, again, _ = request(two, "/", "kizuna_route=abc")
    assert not [c for c in again if c.startswith("kizuna_route=")]


def upstream_of(cluster, route: str) -> str:
    """The process the proxy sends a browser with this route cookie to (from its access log)."""
    before = len(cluster.access_log.read_text().splitlines())
    request(cluster, "/_stcore/health", f"kizuna_route={route}")
    for _ in range(50):  # nginx writes the line just after it answers
        lines = cluster.access_log.read_text().splitlines()[before:]
        if mine := [line for line in lines if f"route={route} " in line]:
            return mine[-1].rpartition("upstream=")[2].split()[0]
        time.sleep(0.05)
    raise AssertionError(f"no access log line for route {route}")


@contextlib.asynccontextmanager
async def browser_session(cluster, cookie: str, host: str | None = None):
    """A session on the overview, opened as a browser on the page at ``host`` would; yields its
    ID while it is open (a session lives as long as its websocket)."""
    port = int(cluster.url.rpartition(":")[2])
    host = host or f"127.0.0.1:{port}"
    async with connect(f"ws://{host}/_stcore/stream", host="127.0.0.1", port=port,
                       subprotocols=["streamlit"], origin=f"http://{host}", proxy=None,
                       additional_headers={"Cookie": cookie}, max_size=None) as ws:
        await ws.send(load.rerun_request(f"http://{host}", "overview"))
        session = None
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await ws.recv(decode=False))
            if msg.WhichOneof("type") == "new_session":
                session = msg.new_session.initialize.session_id
            if msg.WhichOneof("type") == "script_finished":
                break
        yield session


def upload(cluster, session: str, cookie: str, xsrf: str) -> int:
    """PUT a small CSV to the session, as st.file_uploader does; the HTTP status."""
    boundary = uuid.uuid4().hex
    body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
            f"Content-Type: text/csv\r\n\r\na,b\n1,2\n\r\n--{boundary}--\r\n").encode()
    status, _, _ = request(cluster, f"/_stcore/upload_file/{session}/file-1", cookie, data=body,
                           method="PUT", headers={"X-Xsrftoken": xsrf, "Content-Type":
                                                  f"multipart/form-data; boundary={boundary}"})
    return status


def test_an_upload_reaches_the_process_that_holds_the_session(two):
    mine = "uploader"
    other = next(r for r in (f"other-{i}" for i in range(50))
                 if upstream_of(two, r) != upstream_of(two, mine))
    _, cookies, _ = request(two, "/_stcore/health", f"kizuna_route={mine}")
    xsrf = next(SimpleCookie(c)["_streamlit_xsrf"].value for c in cookies
                if c.startswith("_streamlit_xsrf="))

    async def uploads():
        async with browser_session(two, f"kizuna_route={mine}") as session:
            loop = asyncio.get_running_loop()
            return [await loop.run_in_executor(
                None, upload, two, session, f"kizuna_route={route}; _streamlit_xsrf={xsrf}", xsrf)
                for route in (mine, other)]

    same, elsewhere = run(uploads())
    assert same == 204  # stored in the session
    assert elsewhere == 400  # the other process: "Invalid session_id ... without sticky sessions"


def test_a_websocket_from_another_host_name_and_port_is_accepted(two):
    # Streamlit accepts a websocket whose Origin matches the Host it receives, port included.
    async def far_away():
        async with browser_session(two, "kizuna_route=far", host="kizuna.example:8443") as session:
            return session

    assert run(far_away())


def test_the_template_renders_whole():
    text = deploy.render(deploy.TEMPLATE.read_text(), prefix=Path("/tmp/x"), listen="8080",
                         ports=[8081, 8082], max_body_mb=51)
    assert "{{" not in text
    assert "server 127.0.0.1:8081" in text and "server 127.0.0.1:8082" in text
    assert "client_max_body_size 51m;" in text and "listen 8080;" in text
    directives = [line.split("#")[0].strip() for line in text.splitlines()]
    assert "hash $kizuna_route consistent;" in directives
    assert not [d for d in directives if d.startswith("ip_hash")]
