"""Several Kizuna processes behind nginx on this machine: ``bash scripts/serve.sh [N] [PORT]``.

    python -m deploy.cluster [--processes N] [--port [ADDRESS:]PORT] [--first-port P]

It starts N ``streamlit run dashboard.py`` processes on consecutive loopback ports (PORT+1 to
PORT+N by default), all with the same environment (``KIZUNA_DATA_DIR``, ``KIZUNA_AUDIENCE``,
``KIZUNA_CACHE_DIR``, ``KIZUNA_PSEUDONYM_KEY`` ... as they are set) and the same cookie secret
(``KIZUNA_COOKIE_SECRET``, else one made for this start), writes ``deploy/nginx.conf.template``
into a folder of its own with those ports, and starts nginx there on PORT (all addresses, or
the one given), as whoever runs it: nothing under /etc/nginx is read or written. Once every
process answers ``/_stcore/health``, directly and through nginx, it prints the URL, opens
every page once on each process in the background (``python -m ui.warm``), and waits;
Ctrl-C or SIGTERM stops them all, and so does this process dying (each child has
``PR_SET_PDEATHSIG``). A process that exits is started again (nginx meanwhile sends its
viewers to the others); if they keep exiting, or nginx does, it stops everything and exits 1.

The benchmark (``python -m benchmarks.load --processes 1 2``) and ``tests/test_proxy.py`` start
the same thing with :func:`running`.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import importlib.util
import math
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import tomllib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ui.warm import answers

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE = ROOT / "deploy" / "nginx.conf.template"
LOOPBACK = "127.0.0.1"
START_TIMEOUT_S = 120.0
FRAMING_MB = 1  # multipart framing around an uploaded file; Streamlit allows the same margin
INSTALL_NGINX = ("nginx is not installed. On Debian or Ubuntu: sudo apt-get install nginx-light "
                 "(or nginx); elsewhere install nginx from your system's packages, or set "
                 "KIZUNA_NGINX=/path/to/nginx.")


def find_nginx(env: Mapping[str, str] | None = None) -> str | None:
    """``KIZUNA_NGINX``, else ``nginx`` on the PATH, else /usr/sbin/nginx (Debian puts it there,
    outside an ordinary user's PATH); None when there is none."""
    env = os.environ if env is None else env
    for candidate in (env.get("KIZUNA_NGINX"), shutil.which("nginx"), "/usr/sbin/nginx"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def parse_listen(listen: str | int) -> tuple[str, int]:
    """``8080`` or ``ADDRESS:8080`` -> (the nginx ``listen`` value, the port).

    >>> parse_listen(8080), parse_listen("127.0.0.1:9000")
    (('8080', 8080), ('127.0.0.1:9000', 9000))
    """
    text = str(listen).strip()
    port = int(text.rpartition(":")[2])
    if not 1 <= port <= 65535:
        raise ValueError(f"no such port: {text}")
    return text, port


def upload_limit_mb(env: Mapping[str, str]) -> int:
    """Streamlit's ``server.maxUploadSize`` for the processes, in MB.

    As configured (``STREAMLIT_SERVER_MAX_UPLOAD_SIZE``, or ``.streamlit/config.toml``), else
    the app's own limit on one upload (``KIZUNA_MAX_UPLOAD_MB``, 50 MB by default), so that a
    browser refuses a file the app would refuse anyway before sending it.
    """
    if env.get("STREAMLIT_SERVER_MAX_UPLOAD_SIZE"):
        return int(env["STREAMLIT_SERVER_MAX_UPLOAD_SIZE"])
    with contextlib.suppress(OSError, tomllib.TOMLDecodeError):
        configured = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
        if "maxUploadSize" in configured.get("server", {}):
            return int(configured["server"]["maxUploadSize"])
    from analytics.data.uploads import MB, Limits
    with _environ(env):
        return math.ceil(Limits.from_env().upload_bytes / MB)


def render(template: str, *, prefix: Path, listen: str, ports: Sequence[int],
           max_body_mb: int) -> str:
    """The nginx configuration: ``template`` with its ``{{NAME}}`` fields filled in."""
    servers = "\n".join(f"        server {LOOPBACK}:{p} max_fails=1 fail_timeout=10s;" for p in ports)
    text = (template.replace("{{PREFIX}}", str(prefix)).replace("{{LISTEN}}", listen)
            .replace("{{UPSTREAMS}}", servers).replace("{{MAX_BODY}}", f"{max_body_mb}m"))
    if "{{" in text:
        raise ValueError("the nginx template has a field this code does not fill: "
                         + text[text.index("{{"):].split("}}")[0] + "}}")
    return text


def process_env(env: Mapping[str, str]) -> dict[str, str]:
    """The environment every Streamlit process gets: ``env``, plus one cookie secret and upload
    limit for all of them."""
    out = dict(env)
    secret = (env.get("KIZUNA_COOKIE_SECRET") or env.get("STREAMLIT_SERVER_COOKIE_SECRET")
              or secrets.token_hex(32))
    out["STREAMLIT_SERVER_COOKIE_SECRET"] = secret  # the environment, not argv: ps shows argv
    out["STREAMLIT_SERVER_MAX_UPLOAD_SIZE"] = str(upload_limit_mb(env))
    out.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
    return out


def make_pseudonym_key(env: Mapping[str, str]) -> None:
    """Make the pseudonym key file now, once, unless ``KIZUNA_PSEUDONYM_KEY`` is set.

    Each process makes it on first use otherwise; N fresh processes could race to make it.
    """
    if env.get("KIZUNA_PSEUDONYM_KEY"):
        return
    from analytics import privacy
    with _environ(env):
        privacy.pseudonym_key()


@contextlib.contextmanager
def _environ(env: Mapping[str, str]) -> Iterator[None]:
    saved = dict(os.environ)
    os.environ.clear()
    os.environ.update(env)
    try:
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved)


def _die_with_parent() -> None:  # runs in the child, between fork and exec
    with contextlib.suppress(Exception):
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _spawn(argv: Sequence[str], log: Path, env: Mapping[str, str]) -> subprocess.Popen:
    with open(log, "ab") as out:
        return subprocess.Popen(list(argv), cwd=ROOT, env=dict(env), stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                preexec_fn=_die_with_parent if sys.platform == "linux" else None)


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> None:
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            proc.send_signal(sig)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def tail(path: Path, lines: int = 15) -> str:
    with contextlib.suppress(OSError):
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    return ""


@dataclass
class Cluster:
    """N Streamlit processes and the nginx in front of them."""

    url: str  # the proxy, http://127.0.0.1:PORT
    upstreams: list[str]  # each process, http://127.0.0.1:PORT
    processes: list[subprocess.Popen]
    nginx: subprocess.Popen | None
    prefix: Path
    logs: list[Path] = field(default_factory=list)  # each process's output, in order
    commands: list[list[str]] = field(default_factory=list)  # each process's command line
    env: dict[str, str] = field(default_factory=dict)  # the processes' environment

    def start(self, index: int) -> subprocess.Popen:
        """(Re)start process ``index``; its log goes on."""
        self.processes[index] = _spawn(self.commands[index], self.logs[index], self.env)
        return self.processes[index]

    def stop(self) -> None:
        """nginx first, so no request reaches a stopping process; then the processes."""
        for proc in ([self.nginx] if self.nginx else []) + self.processes:
            _stop(proc)

    @property
    def pids(self) -> list[int]:
        return [p.pid for p in self.processes]

    @property
    def access_log(self) -> Path:
        return self.prefix / "logs" / "access.log"

    def exited(self) -> list[str]:
        """What has stopped that should not have: empty while all run."""
        gone = [f"Streamlit on {url} exited with {p.returncode}; its log {log}:\n{tail(log)}"
                for url, p, log in zip(self.upstreams, self.processes, self.logs, strict=True)
                if p.poll() is not None]
        if self.nginx and self.nginx.poll() is not None:
            gone.append(f"nginx exited with {self.nginx.returncode}:\n"
                        f"{tail(self.prefix / 'logs' / 'error.log')}")
        return gone


@contextlib.contextmanager
def running(processes: int, listen: str | int, *, ports: Sequence[int] | None = None,
            env: Mapping[str, str] | None = None, prefix: Path | None = None,
            nginx: str | None = None, script: str = "dashboard.py",
            start_timeout: float = START_TIMEOUT_S) -> Iterator[Cluster]:
    """Start ``processes`` Streamlit processes and nginx on ``listen``; yield once all answer.

    ``ports``: the processes' ports (default: the listening port + 1, + 2, ...). ``env``: the
    processes' environment (default: this one). ``prefix``: nginx's folder (default: a new
    temporary one, removed afterwards unless something failed). Everything started is stopped
    on the way out. Start it from the main thread: a child dies with the thread that started it.
    """
    nginx = nginx or find_nginx(env)
    if nginx is None:
        raise RuntimeError(INSTALL_NGINX)
    if not 1 <= processes <= 64:
        raise ValueError(f"processes must be 1 to 64, not {processes}")
    listen, port = parse_listen(listen)
    ports = list(ports or range(port + 1, port + 1 + processes))
    if len(ports) != processes or port in ports:
        raise ValueError(f"{processes} processes need {processes} ports other than {port}: {ports}")
    env = process_env(os.environ if env is None else env)
    make_pseudonym_key(env)

    own_prefix = prefix is None
    prefix = Path(prefix or tempfile.mkdtemp(prefix="kizuna-serve-"))
    for folder in ("logs", "temp", "cache"):  # nginx makes the folders inside temp/ and cache/
        (prefix / folder).mkdir(mode=0o755, parents=True, exist_ok=True)
    if os.geteuid() == 0:  # nginx's worker then runs as nobody, and must reach its temp folders
        prefix.chmod(0o755)
    conf = prefix / "nginx.conf"
    conf.write_text(render(TEMPLATE.read_text(), prefix=prefix, listen=listen, ports=ports,
                           max_body_mb=int(env["STREAMLIT_SERVER_MAX_UPLOAD_SIZE"]) + FRAMING_MB))

    cluster = Cluster(
        f"http://{LOOPBACK}:{port}", [f"http://{LOOPBACK}:{p}" for p in ports], [None] * processes,
        None, prefix, logs=[prefix / "logs" / f"streamlit-{p}.log" for p in ports],
        commands=[[sys.executable, "-m", "streamlit", "run", script, "--server.headless=true",
                   f"--server.address={LOOPBACK}", f"--server.port={p}"] for p in ports], env=env)
    failed = True
    try:
        for index in range(processes):
            cluster.start(index)
        cluster.nginx = _spawn([nginx, "-p", str(prefix), "-c", str(conf),
                                "-e", str(prefix / "logs" / "error.log"), "-g", "daemon off;"],
                               prefix / "logs" / "nginx.out", env)
        deadline = time.monotonic() + start_timeout
        # The processes first: nginx would mark a process that refuses it as down for 10 s.
        for waiting in (list(cluster.upstreams), [cluster.url]):
            while waiting:
                if problems := cluster.exited():
                    raise RuntimeError("\n".join(problems))
                if time.monotonic() > deadline:
                    raise RuntimeError(f"no answer from {', '.join(waiting)} within "
                                       f"{start_timeout:g} s; logs in {prefix / 'logs'}")
                waiting = [url for url in waiting if not answers(url)]
                if waiting:
                    time.sleep(0.2)
        yield cluster
        failed = bool(cluster.exited())
    except (KeyboardInterrupt, SystemExit, GeneratorExit):
        failed = False  # stopped on purpose
        raise
    finally:
        cluster.processes = [p for p in cluster.processes if p is not None]
        cluster.stop()
        if own_prefix and not failed:
            shutil.rmtree(prefix, ignore_errors=True)


def warm(cluster: Cluster) -> None:
    """Open every page once on each process in the background, as scripts/dashboard.sh does for
    its one (``python -m ui.warm``), so the first viewers find them ready; one process after
    another, so the later ones can read what the first saved in the shared results folder."""
    if importlib.util.find_spec("ui.warm") is None:
        return
    log = cluster.prefix / "logs" / "warm.log"

    def run() -> None:
        for url in cluster.upstreams:
            with open(log, "ab") as out:
                subprocess.run([sys.executable, "-m", "ui.warm", "--url", url, "--wait", "120"],
                               cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, check=False,
                               preexec_fn=_die_with_parent if sys.platform == "linux" else None)

    threading.Thread(target=run, name="kizuna-warm", daemon=True).start()


def supervise(cluster: Cluster, limit: int = 3, window_s: float = 60.0) -> int:
    """Restart a process that exits (its viewers meanwhile go to the others); give up, stopping
    everything, when nginx exits or the processes exit more than ``limit`` times each within
    ``window_s`` seconds. Returns the exit status."""
    exits: list[float] = []
    while True:
        time.sleep(1)
        if cluster.nginx.poll() is not None:
            print("\n".join(cluster.exited()), file=sys.stderr)
            return 1
        for index, proc in enumerate(cluster.processes):
            if proc.poll() is None:
                continue
            now = time.monotonic()
            exits = [t for t in exits if now - t < window_s] + [now]
            print(f"Streamlit on {cluster.upstreams[index]} exited with {proc.returncode} "
                  f"(log {cluster.logs[index]}).", file=sys.stderr, flush=True)
            if len(exits) > limit * len(cluster.processes):
                print(f"{len(exits)} exits within {window_s:g} s: stopping.", file=sys.stderr)
                return 1
            print("Starting it again.", file=sys.stderr, flush=True)
            cluster.start(index)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy.cluster",
                                     description=__doc__.split("\n")[0])
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1,
                        help="Streamlit processes (default: one per core)")
    parser.add_argument("--port", default="8080", help="where nginx listens: PORT or ADDRESS:PORT")
    parser.add_argument("--first-port", type=int, help="the first process's port (default PORT+1)")
    args = parser.parse_args(argv)
    if find_nginx() is None:
        print(INSTALL_NGINX, file=sys.stderr)
        return 1
    try:
        _, port = parse_listen(args.port)
    except ValueError:
        parser.error(f"--port: PORT or ADDRESS:PORT, not {args.port!r}")
    ports = (range(args.first_port, args.first_port + args.processes) if args.first_port
             else None)

    def stop(signum, _frame):
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGHUP, stop)
    print(f"Starting {args.processes} Kizuna process(es) and nginx ...", flush=True)
    try:
        with running(args.processes, args.port, ports=ports) as cluster:
            data = os.environ.get("KIZUNA_DATA_DIR") or "the bundled sample"
            cache = os.environ.get("KIZUNA_CACHE_DIR") or "the app's default, ~/.cache/kizuna"
            warm(cluster)
            print(f"\nKizuna is at http://localhost:{port}/ ({args.processes} processes: "
                  f"{', '.join(cluster.upstreams)}), from other machines at this one's address, "
                  f"port {port}.\n  data: {data}; audience: "
                  f"{os.environ.get('KIZUNA_AUDIENCE') or 'public'}; shared cache: {cache}\n"
                  f"  logs: {cluster.prefix / 'logs'}\nCtrl-C stops them all.", flush=True)
            return supervise(cluster)
    except KeyboardInterrupt:
        print("\nStopped.")
        return 0
    except RuntimeError as exc:
        print(f"Could not start: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
