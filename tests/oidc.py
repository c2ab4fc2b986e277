"""Login tests against a real OpenID Connect provider: ``oidc-provider-mock`` on a free port.

:func:`provider` starts the provider (any client id and secret is accepted; a user's claims are
set with :func:`set_user`, ``PUT /users/{sub}``; claims given there land in the ID token and
override its ``exp``). :func:`dashboard_with_login` starts ``streamlit run app.py`` with a private
secrets file (``--secrets.files``, so neither the repo's ``.streamlit/`` nor ``~/.streamlit`` is
read or written) holding recognisable secrets (:data:`COOKIE_SECRET`, :data:`CLIENT_SECRET`) that
must never show up anywhere. :func:`login` / :func:`logout` click through the provider's pages.
Every browser context from :func:`local_context` may reach 127.0.0.1 only (the provider's pages
link a stylesheet on the internet).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.browser import ROOT, free_port, wait_until_idle

COOKIE_SECRET = "kek-test-COOKIE-SECRET-4f9c2a7e1b"
CLIENT_SECRET = "kek-test-CLIENT-SECRET-8d3e6b0a5c"
SECRETS = (COOKIE_SECRET, CLIENT_SECRET)
PROVIDER = "stadt"


def _wait_for(url: str, proc: subprocess.Popen, log: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{url} antwortet nicht:\n{log.read_text(errors='replace')}")
        time.sleep(0.3)


@contextmanager
def _process(cmd: list[str], health: str, log: Path, env: dict, timeout: float) -> Iterator[None]:
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL
        )
        try:
            _wait_for(health, proc, log, timeout)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(10)


@contextmanager
def provider(folder: Path, timeout: float = 30) -> Iterator[str]:
    """``oidc-provider-mock`` on 127.0.0.1 and a free port: its base URL."""
    port = free_port()
    exe = Path(sys.executable).parent / "oidc-provider-mock"
    cmd = [str(exe), "--host", "127.0.0.1", "--port", str(port)]
    url = f"http://127.0.0.1:{port}"
    health = url + "/.well-known/openid-configuration"
    with _process(cmd, health, folder / "provider.log", dict(os.environ), timeout):
        yield url


def set_user(idp: str, sub: str, claims: dict[str, object]) -> None:
    """Set the claims of user ``sub`` (they go into the ID token)."""
    req = urllib.request.Request(
        f"{idp}/users/{sub}",
        data=json.dumps(claims).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as r:
        assert r.status == 204, r.status


def write_secrets(path: Path, app_url: str, idp: str) -> Path:
    """A secrets.toml for the dashboard at ``app_url`` logging in at ``idp``."""
    path.write_text(
        f"""[auth]
redirect_uri = "{app_url}/oauth2callback"
cookie_secret = "{COOKIE_SECRET}"

[auth.{PROVIDER}]
client_id = "kek-dashboard"
client_secret = "{CLIENT_SECRET}"
server_metadata_url = "{idp}/.well-known/openid-configuration"
client_kwargs = {{ scope = "openid email profile" }}

[kek]
role_claim = "groups"
""",
        encoding="utf-8",
    )
    return path


@dataclass(frozen=True)
class Dashboard:
    """A running dashboard with login: base URL, its log file, its database."""

    url: str
    log: Path
    db: Path


@contextmanager
def dashboard_with_login(
    template: Path, folder: Path, idp: str, timeout: float = 60
) -> Iterator[Dashboard]:
    """``streamlit run app.py`` on a private copy of ``template`` with login at ``idp``."""
    db_path = folder / "kek.duckdb"
    shutil.copy(template, db_path)
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    secrets = write_secrets(folder / "secrets.toml", url, idp)
    env = {**os.environ, "KEK_DB": str(db_path), "STREAMLIT_SERVER_HEADLESS": "true"}
    env.pop("KEK_DEMO_ROLE", None)
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
           "--server.port", str(port), "--server.address", "127.0.0.1",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
           "--secrets.files", str(secrets)]  # fmt: skip
    log = folder / "streamlit.log"
    with _process(cmd, url + "/_stcore/health", log, env, timeout):
        yield Dashboard(url, log, db_path)


def local_context(browser, width: int = 1280, height: int = 900):
    """A fresh browser context (no cookies) that may reach 127.0.0.1 only."""
    ctx = browser.new_context(viewport={"width": width, "height": height}, locale="de-DE")
    ctx.route(
        "**/*",
        lambda route: (
            route.continue_()
            if route.request.url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:"))
            else route.abort()
        ),
    )
    return ctx


def login(page, app_url: str, sub: str) -> None:
    """Click the public page's "Anmelden", authorise as ``sub`` at the provider, wait for the
    dashboard."""
    page.goto(app_url)
    wait_until_idle(page)
    main = page.locator("[data-testid='stMain']")  # the public page's button (any width)
    main.get_by_role("button", name="Anmelden").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=20000)
    page.fill("input[name=sub]", sub)
    page.click("button[type=submit]:has-text('Authorize')")
    page.wait_for_url(f"{app_url}/**", timeout=20000)
    wait_until_idle(page)


def logout(page, app_url: str) -> None:
    """Click "Abmelden", end the session at the provider, wait for the dashboard."""
    page.get_by_role("button", name="Abmelden").click()
    page.wait_for_url("**/oauth2/end_session**", timeout=20000)
    page.click("button[type=submit]:has-text('End session')")
    page.wait_for_url(f"{app_url}/**", timeout=20000)
    wait_until_idle(page)


def sidebar_text(page) -> str:
    """The sidebar's visible text."""
    return page.locator("[data-testid='stSidebarContent']").inner_text()


def nav_titles(page) -> list[str]:
    """The titles of the sidebar's page links."""
    links = page.locator("[data-testid='stSidebarNav'] a")
    return [links.nth(i).inner_text().split("\n")[-1].strip() for i in range(links.count())]
