"""Warming up: a visitor that opens every page once, as a browser tab would, so people find it ready.

A page's first visit on a new dataset computes what the page needs (the data
checked, the network and its metrics, layouts, charts: 49 s for the network
at 100,000 alumni), and a visitor who comes first waits for it. So the server
opens every page itself, over Streamlit's own websocket, with no browser:

- when it starts (``python -m ui.warm`` from the start scripts, once the
  server answers), and
- when the data changes (:func:`keep_warm`, a thread of the server, started by
  the first page run, looks at the data folder every few seconds).

What the visits compute stays in the server's memory and in the results on
disk (:mod:`analytics.results`), which other processes serving the app share.
A visit runs a page's default view as the server's own audience sees it.
"""

from __future__ import annotations

import argparse
import logging
import os
import subprocess
import threading
import time
import urllib.request
from collections.abc import Sequence

import streamlit as st
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import Runtime
from websockets.sync.client import connect

from analytics.data import store

_LOG = logging.getLogger(__name__)
LOOPBACK = "127.0.0.1"
CHECK_EVERY_S = 3.0
VISIT_TIMEOUT_S = 600.0
_FINISHED = ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY
_COMPILE_ERROR = ForwardMsg.ScriptFinishedStatus.FINISHED_WITH_COMPILE_ERROR


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


def stream_url(base_url: str) -> str:
    """``http://host:PORT/base`` -> the server's websocket, ``ws://host:PORT/base/_stcore/stream``."""
    return base_url.rstrip("/").replace("http", "ws", 1) + "/_stcore/stream"


def visit(base_url: str, page: str, timeout: float = VISIT_TIMEOUT_S) -> float:
    """Open ``page`` in a new session and wait until its run finishes; return the seconds.

    Raises RuntimeError when the run ends another way (an exception on the page, a
    compile error), and TimeoutError after ``timeout``.
    """
    start = time.perf_counter()
    with connect(stream_url(base_url), subprotocols=["streamlit"], open_timeout=30,
                 max_size=None, origin=base_url.rstrip("/"),
                 user_agent_header="kizuna-warm") as ws:
        ws.send(rerun_request(base_url, page))
        while True:
            left = timeout - (time.perf_counter() - start)
            if left <= 0:
                raise TimeoutError(f"{page} did not finish within {timeout:g} s")
            msg = ForwardMsg()
            msg.ParseFromString(ws.recv(timeout=left))
            kind = msg.WhichOneof("type")
            if kind == "delta" and msg.delta.new_element.HasField("exception"):
                raise RuntimeError(f"{page}: {msg.delta.new_element.exception.message}")
            if kind == "session_event" and msg.session_event.HasField(
                    "script_compilation_exception"):
                raise RuntimeError(f"{page}: the page does not compile")
            if kind == "script_finished" and msg.script_finished == _COMPILE_ERROR:
                raise RuntimeError(f"{page}: the page does not compile")
            if kind == "script_finished" and msg.script_finished == _FINISHED:
                return time.perf_counter() - start


def visit_every_page(base_url: str, pages: Sequence[str]) -> dict[str, float | str]:
    """Visit each page in turn; return its seconds, or what went wrong (a page that fails
    does not stop the others)."""
    done: dict[str, float | str] = {}
    for page in pages:
        try:
            done[page] = visit(base_url, page)
        except Exception as exc:  # a warm-up never breaks the server: it says why
            done[page] = f"{type(exc).__name__}: {exc}"
            _LOG.warning("warming %s failed: %s", page, exc)
    return done


def public_pages() -> list[str]:
    """The URL paths of the pages every audience may open."""
    from ui.shell import PAGES  # here, not at the top: the shell imports this module
    return [p.path.removeprefix("pages/").removesuffix(".py") for p in PAGES if p.requires is None]


def answers(base_url: str) -> bool:
    """Whether a Streamlit server at ``base_url`` answers its health check."""
    try:
        with urllib.request.urlopen(f"{base_url.rstrip('/')}/_stcore/health", timeout=2) as r:
            return r.status == 200
    except OSError:
        return False


def wait_until_up(base_url: str, timeout: float, server: subprocess.Popen | None = None) -> None:
    """Wait until the server answers (:func:`answers`): TimeoutError after ``timeout``,
    RuntimeError as soon as ``server``, its process when we started it, has exited."""
    deadline = time.monotonic() + timeout
    while not answers(base_url):
        if server is not None and server.poll() is not None:
            raise RuntimeError(f"the server for {base_url} exited with {server.returncode}")
        if time.monotonic() > deadline:
            raise TimeoutError(f"no server at {base_url} after {timeout:g} s")
        time.sleep(0.2)


def own_url() -> str | None:
    """This server's loopback URL; None when no server runs the app (AppTest's mock runtime)
    or ``KIZUNA_WARM=off``."""
    if os.environ.get("KIZUNA_WARM", "").lower() == "off" or not Runtime.exists() \
            or type(Runtime.instance()) is not Runtime:
        return None
    base = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"http://{LOOPBACK}:{st.get_option('server.port')}" + (f"/{base}" if base else "")


_watching: set[str] = set()
_watching_lock = threading.Lock()


def keep_warm(folder: str, every: float = CHECK_EVERY_S) -> None:
    """Once per process and folder, when a server runs the app (:func:`own_url`): a thread
    that visits every page now, and again each time the folder's data changes (its store
    token, read every ``every`` seconds)."""
    if folder in _watching:  # the common case, on every page run: nothing to do
        return
    with _watching_lock:
        if folder in _watching:
            return
        _watching.add(folder)
    base_url = own_url()
    if base_url is None:
        return

    def run() -> None:
        seen = None
        while True:
            try:
                token = store.state_token(folder)
                if token != seen:
                    seen = token
                    took = visit_every_page(base_url, public_pages())
                    _LOG.info("warmed %s: %s", folder, took)
            except Exception as exc:  # a file gone mid-import: look again next time
                _LOG.warning("warming %s: %s", folder, exc)
            time.sleep(every)

    threading.Thread(target=run, name="kizuna-warm", daemon=True).start()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m ui.warm", description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=f"http://{LOOPBACK}:8501",
                        help="the server (default http://127.0.0.1:8501)")
    parser.add_argument("--wait", type=float, default=120.0,
                        help="seconds to wait for the server to answer (default 120)")
    args = parser.parse_args(argv)
    if os.environ.get("KIZUNA_WARM", "").lower() == "off":
        return
    # The page list comes from the shell, whose caches warn that no server runs here: none
    # is meant to.
    logging.getLogger("streamlit").setLevel(logging.ERROR)
    wait_until_up(args.url, args.wait)
    for page, took in visit_every_page(args.url, public_pages()).items():
        print(f"{page}: {took:.2f} s" if isinstance(took, float) else f"{page}: {took}")


if __name__ == "__main__":
    main()
