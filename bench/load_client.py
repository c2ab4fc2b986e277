"""Streamlit sessions without a browser, through the websocket protocol of ``streamlit run``.

A session connects to ``ws://127.0.0.1:PORT/_stcore/stream`` with the subprotocol "streamlit"
(the handler reads an XSRF token and a session id for reconnects from the 2nd and 3rd entries of
``Sec-WebSocket-Protocol``; a fresh session without auth cookies needs neither), sends a BackMsg
``rerun_script`` whose ClientState names the page as the frontend does under ``st.navigation`` –
``page_name`` = the page's URL path, ``""`` for the default page – and reads ForwardMsgs until
``script_finished == FINISHED_SUCCESSFULLY``. A rerun on the same connection sends the hashes of
the cacheable messages received so far (``cached_message_hashes``), as the browser does; widget
states are not echoed, so a rerun draws the page with its widgets' defaults.
Used by bench/bench_load.py (issue 13) and tests/test_bench_load.py.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from websockets.asyncio.client import ClientConnection, connect
from websockets.exceptions import ConnectionClosed

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser import free_port  # noqa: E402
from tests.oidc import _process as process  # noqa: E402 - starts, waits for health, stops

APP = ROOT / "app.py"
BARE = ROOT / "bench" / "bare_page.py"
#: Most sessions one call opens at once: the bench is a load test of one machine, not a flood.
MAX_SESSIONS = 200
#: Longest wait for one script run [s].
RUN_TIMEOUT = 120.0


class SessionError(RuntimeError):
    """A session that did not end in a finished script run without exception."""


@dataclass
class Run:
    """One script run of one session as the client saw it."""

    seconds: float  #: from connect (first run) or from sending rerun_script to script_finished [s]
    exceptions: list[str] = field(default_factory=list)
    scripts: set[str] = field(default_factory=set)  #: active_script_hash of the deltas
    pages: dict[str, str] = field(default_factory=dict)  #: navigation: URL path → script hash
    not_found: bool = False
    received: int = 0  #: size of the ForwardMsgs of this run [bytes]

    def problems(self, page: str) -> list[str]:
        """What went wrong in this run of ``page`` (URL path); empty if nothing."""
        found = ["Seite nicht gefunden"] if self.not_found else []
        found += [f"Exception: {e}" for e in self.exceptions]
        wanted = self.pages.get(page)
        if self.pages and wanted not in self.scripts:
            found.append(f"Seite {page or '(Standard)'!r} lief nicht")
        return found


async def _script_run(ws: ClientConnection, page: str, start: float, cached: set[str]) -> Run:
    msg = BackMsg()
    msg.rerun_script.page_name = page
    msg.rerun_script.cached_message_hashes.extend(sorted(cached))
    await ws.send(msg.SerializeToString())
    run = Run(0.0)
    while True:
        fwd = ForwardMsg()
        frame = await ws.recv()
        run.received += len(frame)
        fwd.ParseFromString(frame)
        kind = fwd.WhichOneof("type")
        if fwd.metadata.cacheable and fwd.hash:
            cached.add(fwd.hash)
        if kind == "delta":
            run.scripts.add(fwd.metadata.active_script_hash)
            element = fwd.delta.new_element
            if fwd.delta.WhichOneof("type") == "new_element" and element.HasField("exception"):
                run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
        elif kind == "navigation":
            run.pages = {p.url_pathname: p.page_script_hash for p in fwd.navigation.app_pages}
        elif kind == "page_not_found":
            run.not_found = True
        elif kind == "script_finished":
            status = fwd.script_finished
            if status == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                run.exceptions.append("Skript nicht kompilierbar")
            if status in (ForwardMsg.FINISHED_SUCCESSFULLY, ForwardMsg.FINISHED_WITH_COMPILE_ERROR):
                run.seconds = time.perf_counter() - start
                return run


async def session(url: str, page: str = "", reruns: int = 0) -> list[Run]:
    """A fresh session on ``page`` (URL path): its first run (timed from connect) and
    ``reruns`` further runs on the same connection (each timed from its request)."""
    ws_url = url.replace("http://", "ws://", 1) + "/_stcore/stream"
    start = time.perf_counter()
    async with connect(
        ws_url, subprotocols=["streamlit"], max_size=None, compression=None, proxy=None
    ) as ws:
        cached: set[str] = set()
        runs = []
        for _ in range(1 + reruns):
            try:
                run = await asyncio.wait_for(_script_run(ws, page, start, cached), RUN_TIMEOUT)
            except (TimeoutError, ConnectionClosed) as exc:
                raise SessionError(f"kein Skriptlauf beendet: {exc!r}") from exc
            runs.append(run)
            start = time.perf_counter()
        return runs


async def sessions(url: str, page: str, n: int, reruns: int = 0) -> list[list[Run]]:
    """``n`` fresh sessions on ``page`` started at once; per session its runs (see ``session``)."""
    if not 1 <= n <= MAX_SESSIONS:
        raise ValueError(f"1 bis {MAX_SESSIONS} Sitzungen, nicht {n}")
    return list(await asyncio.gather(*(session(url, page, reruns) for _ in range(n))))


def check(page: str, results: list[list[Run]]) -> None:
    """Raise ``SessionError`` listing every run of ``page`` that did not finish cleanly."""
    problems = [p for runs in results for run in runs for p in run.problems(page)]
    if problems:
        raise SessionError(f"{len(problems)} Fehler auf {page or '(Standard)'!r}: {problems[:5]}")


def run_sessions(url: str, page: str, n: int) -> list[float]:
    """Seconds [s] from connect to the finished first script run of ``n`` fresh sessions
    opened at once on ``page`` (URL path, ``""`` = default page); ``SessionError`` if any failed."""
    results = asyncio.run(sessions(url, page, n))
    check(page, results)
    return [runs[0].seconds for runs in results]


@contextmanager
def server(
    script: Path,
    db: Path,
    role: str = "netzwerk",
    timeout: float = 60,
    options: Sequence[str] = (),
) -> Iterator[str]:
    """``streamlit run script`` on 127.0.0.1 (free port) with ``KEK_DB=db`` and
    ``KEK_DEMO_ROLE=role``, ready once /_stcore/health answers; yields the base URL.

    Started in the project folder, so .streamlit/config.toml (theme, headless) applies to every
    script alike; no file watcher, as in a deployment that does not change under it. ``options``:
    further ``streamlit run`` flags (they override config.toml).
    """
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {**os.environ, "KEK_DB": str(db), "KEK_DEMO_ROLE": role}
    # app.py starts as scripts/run.sh starts it (libraries preloaded), any other script bare
    launcher = [str(ROOT / "scripts/serve.py")] if script == APP else ["-m", "streamlit"]
    command = [sys.executable, *launcher, "run", str(script),
               "--server.headless", "true", "--server.port", str(port),
               "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none", *options]  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="kek-load-") as folder:
        log = Path(folder) / "streamlit.log"
        with process(command, url + "/_stcore/health", log, env, timeout):
            yield url
