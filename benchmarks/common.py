"""Shared helpers for the benchmarks: synthetic data, Chromium, timing and the machine."""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def chromium() -> str:
    return os.environ.get("KIZUNA_CHROMIUM", "/usr/bin/chromium")


def machine() -> str:
    """One line on the machine the figures come from."""
    cpu = platform.processor() or platform.machine()
    try:
        model = next(line.split(":", 1)[1].strip() for line in
                     Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("model name"))
    except (OSError, StopIteration):
        model = cpu
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    browser = subprocess.run([chromium(), "--version"], capture_output=True, text=True).stdout.strip()
    return (f"{platform.system()} {platform.release()}, {model}, {os.cpu_count()} cores, "
            f"{memory:.0f} GiB, Python {platform.python_version()}, {browser}")


def median_of(runs: int, measure) -> float:
    return statistics.median(measure() for _ in range(runs))


class Browser:
    """One headless Chromium for a whole benchmark run."""

    def __enter__(self):
        self._playwright = sync_playwright().start()
        self.browser = self._playwright.chromium.launch(executable_path=chromium(),
                                                        args=CHROMIUM_ARGS)
        return self

    def __exit__(self, *exc):
        self.browser.close()
        self._playwright.stop()

    def time_to(self, url: str, ready: str, timeout_s: float, block_network: bool = True) -> float:
        """Seconds from navigation until ``ready`` (a JS expression) is true; inf on timeout."""
        context = self.browser.new_context(viewport={"width": 1400, "height": 900})
        if block_network:
            context.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                          else r.abort())
        page = context.new_page()
        try:
            start = time.perf_counter()
            page.goto(url)
            page.wait_for_function(ready, timeout=timeout_s * 1000, polling=50)
            return time.perf_counter() - start
        except Exception:  # a timeout is a result here, not a failure
            return float("inf")
        finally:
            context.close()
