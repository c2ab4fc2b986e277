"""Browser-test helpers: a real ``streamlit run`` on a free port, Debian's Chromium headless."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("KEK_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(db_path: Path, timeout: float = 60) -> Iterator[str]:
    """Run app.py as scripts/run.sh does (scripts/serve.py: ``streamlit run`` with the libraries
    preloaded) on 127.0.0.1 with ``KEK_DB=db_path``; yield the base URL."""
    port = free_port()
    env = {**os.environ, "KEK_DB": str(db_path), "STREAMLIT_SERVER_HEADLESS": "true"}
    log = open(db_path.parent / "streamlit.log", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "scripts/serve.py"), "run", str(ROOT / "app.py"),
         "--server.port", str(port), "--server.address", "127.0.0.1",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError((db_path.parent / "streamlit.log").read_text())
            time.sleep(0.3)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


def wait_until_idle(page, timeout_ms: int = 30000) -> None:
    """Wait until Streamlit finished the script run and charts are drawn."""
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=timeout_ms)
    page.wait_for_selector("h1", timeout=timeout_ms)
    # the script has finished (Streamlit's own marker on stApp; the status widget's button shows
    # only after a while, so a fast h1 alone does not mean the page is complete)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=\"stApp\"]')"
        "?.getAttribute('data-test-script-state') === 'notRunning'"
        " && !document.querySelector('[data-testid=\"stStatusWidget\"] button')"
        " && document.querySelectorAll('[data-testid=\"stSkeleton\"]').length === 0",
        timeout=timeout_ms,
    )
    page.wait_for_timeout(800)


def screenshot(page, path: Path) -> None:
    """A screenshot of the whole page: Streamlit scrolls inside ``stMain``, not the document, so
    the viewport is stretched to the content's height first (and restored afterwards)."""
    size = page.viewport_size
    height = page.evaluate(
        "() => Math.max(...[...document.querySelectorAll("
        '\'[data-testid="stMain"], [data-testid="stSidebarContent"]\')]'
        ".map(e => e.scrollHeight), window.innerHeight)"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(height) + 40, 12000)})
    page.wait_for_timeout(500)
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


@contextmanager
def chromium() -> Iterator:
    """Debian's Chromium, headless (a Playwright ``Browser``)."""
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} fehlt: bash scripts/setup.sh --dev installiert Debians Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()


@contextmanager
def dashboard_on_copy(template: Path, folder: Path) -> Iterator[str]:
    """A running dashboard on a private copy of ``template`` (the demo database): base URL."""
    db_path = folder / "kek.duckdb"
    shutil.copy(template, db_path)
    with streamlit_server(db_path) as url:
        yield url
