"""Plotly figures → PNG, SVG or PDF bytes through one persistent headless Chromium (kaleido 1.5).

Why: the council committee sees exported images, the network manager the browser; both must come
from the same figure (:mod:`kek_data.charts`). Starting a browser per image costs 1.4–2.5 s, so
one browser is started once per process with ``kaleido.start_sync_server()`` and reused. That
server is **not thread-safe** (kaleido issue #444: with four threads 25 of 32 images went to the
wrong caller) and Streamlit runs every session and every deferred download in its own thread, so
every call is serialised by the module-level :data:`_LOCK`. Nothing else in the process may call
``fig.to_image`` or ``kaleido.*_sync`` while the server runs. kaleido reloads its page after every
image; here a tab is reused (:func:`reload_every`). A :class:`Batch` (the deck's 15 charts) holds
the lock once and renders on :func:`tabs` tabs side by side while the caller goes on building the
next figures and slides; :func:`render` is a batch of one.

Sizes are CSS pixels of the Plotly layout; ``scale`` multiplies the pixels of raster output.
The presentation default is 16:9 at 2× scale: a layout of 1280 × 720 px (about the chart's size
on screen, so text keeps its proportion and stays legible on a projector; a 1920 × 1080 layout
shrinks 14 px labels to 7 pt on a full-width slide) rendered as a 2560 × 1440 px PNG, sharper than
a 1920 × 1080 projector. ``Size(1280, 720, 3)`` gives 3840 × 2160 px (4K). SVG and PDF are vector
formats of the same 16:9 layout.

Export-only tweaks: :func:`kek_data.export.image_layout.prepare` (re-exported here).
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
from collections.abc import Callable, Mapping
from concurrent import futures
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import plotly.graph_objects as go

from kek_data.errors import ImageExportError
from kek_data.export.image_layout import prepare

_log = logging.getLogger(__name__)

Format = Literal["png", "svg", "pdf"]
FORMATS: tuple[Format, ...] = ("png", "svg", "pdf")
MIME = {"png": "image/png", "svg": "image/svg+xml", "pdf": "application/pdf"}

HEADLESS_SHELL = Path("/usr/lib/chromium/chromium-headless-shell")
CHROMIUM = Path("/usr/bin/chromium")
#: One render may take at most this long inside Chromium [s] (kaleido's own timeout) …
RENDER_TIMEOUT = 30.0
#: … and a whole call, including a cold browser start, at most this long [s].
CALL_TIMEOUT = 90.0


@dataclass(frozen=True)
class Size:
    """Export size: layout ``width`` × ``height`` [CSS px] and ``scale`` [raster px per CSS px]."""

    width: int
    height: int
    scale: float = 1.0

    @property
    def pixels(self) -> tuple[int, int]:
        """Size of a raster image [px]: (width × scale, height × scale)."""
        return round(self.width * self.scale), round(self.height * self.scale)


#: 16:9 for slides and projectors: 2560 × 1440 px PNG.
PRESENTATION = Size(1280, 720, 2)

_LOCK = threading.Lock()
_server_broken: str | None = None


def browser_path() -> Path:
    """Chromium: ``BROWSER_PATH``, else Debian's headless shell, else ``/usr/bin/chromium``."""
    env = os.environ.get("BROWSER_PATH")
    if env:
        return Path(env)
    return HEADLESS_SHELL if HEADLESS_SHELL.exists() else CHROMIUM


def reload_every() -> int:
    """Renders per browser tab between two page reloads (``KEK_KALEIDO_RELOAD_EVERY``, ≥ 1).

    kaleido reloads its page (4.8 MB of plotly.js) after *every* image, which costs 0.13–0.18 s –
    more than the rendering itself. ``Plotly.toImage`` builds and purges a fresh plot each time,
    so reusing the page is safe; it is still reloaded now and then to release memory.
    ``1`` restores kaleido's own behaviour.
    """
    try:
        return max(1, int(os.environ.get("KEK_KALEIDO_RELOAD_EVERY", "25")))
    except ValueError:
        return 25


def tabs() -> int:
    """Browser tabs a :class:`Batch` renders on side by side (``KEK_KALEIDO_TABS``, ≥ 1).

    Default: 2, at most the number of cores. Each tab is one Chromium renderer process; the
    second one is opened by the first batch that asks for it, so a single chart (and the browser
    start) never waits for it. On 2 cores the 15 charts of the deck take 0,48 s instead of 0,71 s.
    """
    try:
        return max(1, int(os.environ["KEK_KALEIDO_TABS"]))
    except (KeyError, ValueError):
        return max(1, min(2, os.cpu_count() or 1))


def _patch_tab_reuse(kaleido_module: Any) -> None:
    """Reload kaleido's tab only every :func:`reload_every` renders and give kaleido's
    ``Kaleido`` the method :func:`_kek_batch` for :class:`Batch` (kaleido 1.5 internals)."""
    cls = kaleido_module.Kaleido
    original = getattr(cls, "_return_kaleido_tab", None)
    if original is None or getattr(original, "_kek_patched", False):
        return

    async def _return_kaleido_tab(self: Any, tab: Any) -> None:
        count = getattr(tab, "_kek_renders", 0) + 1
        try:
            if count >= reload_every():
                count = 0
                await tab.reload()
        finally:  # back in the queue even if the reload failed: no other render waits forever
            tab._kek_renders = count
            await self.tabs_ready.put(tab)

    _return_kaleido_tab._kek_patched = True  # type: ignore[attr-defined]
    cls._return_kaleido_tab = _return_kaleido_tab
    cls._kek_batch = _kek_batch


async def _kek_batch(self: Any, inbox: _Inbox, want_tabs: int) -> None:
    """Server side of a :class:`Batch` (a method of kaleido's ``Kaleido``, run by its sync server):
    open up to ``want_tabs`` tabs, render every job put into the inbox as soon as it arrives on
    the next free tab, until the inbox receives ``None``."""
    inbox.open(asyncio.get_running_loop())
    grow = [asyncio.create_task(self._create_kaleido_tab()) for _ in range(want_tabs - self._n)]
    self._n += len(grow)
    jobs = []
    while (job := await inbox.queue.get()) is not None:
        jobs.append(asyncio.create_task(_render_job(self, *job)))
    for result in await asyncio.gather(*grow, return_exceptions=True):
        if isinstance(result, BaseException):
            self._n -= 1
            _log.warning("Weiterer Browser-Tab für den Bildexport fehlt: %r", result)
    await asyncio.gather(*jobs, return_exceptions=True)


async def _render_job(k: Any, spec: dict, opts: dict, future: Future) -> None:
    try:
        future.set_result(await k.calc_fig(spec, opts))
    except BaseException as exc:  # noqa: BLE001 - handed to the caller (Batch.get)
        future.set_exception(exc)
        if isinstance(exc, asyncio.CancelledError):
            raise


def _server_thread() -> threading.Thread | None:
    import kaleido

    return getattr(kaleido._global_server, "_thread", None)


def _ensure_server() -> None:
    """Start the one browser of this process (or restart it after it died); call under the lock."""
    import kaleido

    global _server_broken
    if _server_broken:
        raise ImageExportError(_server_broken)
    server = kaleido._global_server
    if server.is_running():
        thread = _server_thread()
        if thread is None or thread.is_alive():
            return
        _log.warning("Kaleido-Server war beendet; starte Chromium neu.")
        kaleido.stop_sync_server(silence_warnings=True)
    path = browser_path()
    if not path.is_file() or not os.access(path, os.X_OK):
        raise ImageExportError(
            f"Für den Bildexport wird Chromium benötigt, aber {path} fehlt oder ist nicht "
            "ausführbar. Bitte das Debian-Paket chromium-headless-shell installieren oder "
            "BROWSER_PATH auf ein Chromium setzen."
        )
    _patch_tab_reuse(kaleido)
    kaleido.start_sync_server(
        n=1, timeout=RENDER_TIMEOUT, path=str(path), mathjax=False, silence_warnings=True
    )


def _wait(done: Callable[[float], bool]) -> None:
    """Wait until ``done(timeout)`` is true, watched so that a dead or hung browser cannot block
    forever: raises :class:`ImageExportError` when the server thread died or after
    :data:`CALL_TIMEOUT`."""
    global _server_broken
    deadline = time.monotonic() + CALL_TIMEOUT
    while not done(0.25):
        server = _server_thread()
        if not done(0) and (server is None or not server.is_alive()):
            raise ImageExportError(  # the next call starts a new browser (_ensure_server)
                "Chromium für den Bildexport ist nicht gestartet oder abgestürzt. Bitte noch "
                "einmal versuchen; bleibt der Fehler, BROWSER_PATH prüfen."
            )
        if time.monotonic() > deadline:  # a hung browser cannot be stopped: restart needed
            _server_broken = (
                f"Der Bildexport antwortet seit {CALL_TIMEOUT:.0f} s nicht. Bitte das Dashboard "
                "neu starten."
            )
            raise ImageExportError(_server_broken)


class _Inbox:
    """Hand-over of jobs from a :class:`Batch` (caller's thread) to :func:`_kek_batch` (the
    server's event loop); jobs put before the server runs the batch wait in a list."""

    def __init__(self) -> None:
        self.finished = threading.Event()
        self._lock = threading.Lock()
        self._pending: list[tuple | None] = []
        self.loop: asyncio.AbstractEventLoop | None = None
        self.queue: asyncio.Queue = asyncio.Queue()

    def open(self, loop: asyncio.AbstractEventLoop) -> None:
        with self._lock:
            self.loop = loop
            for job in self._pending:
                self.queue.put_nowait(job)

    def put(self, job: tuple | None) -> None:
        with self._lock:
            if self.loop is None:
                self._pending.append(job)
                return
        self.loop.call_soon_threadsafe(self.queue.put_nowait, job)


class Batch:
    """Several charts rendered at once on :func:`tabs` browser tabs, in the background.

    ``with Batch() as batch:`` holds the one lock of the browser (see module docstring);
    :meth:`submit` hands a chart over and returns at once, so the caller can prepare the next
    ones (or build slides) while Chromium renders; :meth:`get` waits for one chart's bytes.
    Errors are :class:`ImageExportError` with a German message, raised by :meth:`get`.
    """

    def __init__(self, parallel: int | None = None) -> None:
        self._tabs = tabs() if parallel is None else max(1, parallel)
        self._inbox = _Inbox()
        self._futures: dict[str, Future] = {}
        self._crashed = False
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Batch:
        _LOCK.acquire()
        try:
            _ensure_server()
            self._thread = threading.Thread(target=self._serve, name="kek-bildexport", daemon=True)
            self._thread.start()
        except BaseException:
            _LOCK.release()
            raise
        return self

    def _serve(self) -> None:
        import kaleido

        try:
            kaleido._global_server.call_function("_kek_batch", self._inbox, self._tabs)
        except BaseException as exc:  # noqa: BLE001 - the jobs report it
            for future in list(self._futures.values()):
                if not future.done():
                    future.set_exception(exc)
        finally:
            self._inbox.finished.set()

    def submit(
        self, key: str, fig: go.Figure | Mapping[str, Any], fmt: Format = "png",
        size: Size = PRESENTATION,
    ) -> None:  # fmt: skip
        """Start rendering ``fig`` as ``fmt`` at ``size``; its bytes are ``get(key)``."""
        _check(fmt, size)
        spec = prepare(fig, size.width, size.height)
        opts = {"format": fmt, "width": size.width, "height": size.height, "scale": size.scale}
        future: Future = Future()
        self._futures[key] = future
        if self._inbox.finished.is_set():
            raise ImageExportError("Der Bildexport wurde beendet. Bitte noch einmal versuchen.")
        self._inbox.put((spec, opts, future))

    def __contains__(self, key: object) -> bool:
        return key in self._futures

    def get(self, key: str) -> bytes:
        """The bytes of chart ``key`` (waits for it; at most :data:`CALL_TIMEOUT`)."""
        future = self._futures[key]
        _wait(lambda t: bool(futures.wait([future], t).done) or self._inbox.finished.is_set())
        if not future.done():
            raise ImageExportError("Der Bildexport wurde beendet. Bitte noch einmal versuchen.")
        error = future.exception()
        if error is not None and (
            type(error).__module__.startswith("choreographer")
            or isinstance(error, asyncio.CancelledError)
        ):
            # the link to Chromium broke (browser killed or crashed): restart it (__exit__)
            _log.warning("Verbindung zu Chromium abgebrochen (%r); Neustart.", error)
            self._crashed = True
            raise ImageExportError(
                "Chromium für den Bildexport ist abgestürzt. Bitte noch einmal versuchen; bleibt "
                "der Fehler, BROWSER_PATH prüfen."
            ) from error
        if error is not None:
            raise ImageExportError(f"Das Bild ließ sich nicht erzeugen: {error}") from error
        data = future.result()
        if not data:
            raise ImageExportError("Der Bildexport lieferte eine leere Datei.")
        return data

    def __exit__(self, *exc: object) -> None:
        import kaleido

        try:
            if not self._inbox.finished.is_set():
                self._inbox.put(None)  # the server renders what is left, then returns
            _wait(self._inbox.finished.wait)
            if self._crashed:
                kaleido.stop_sync_server(silence_warnings=True)
        except ImageExportError:
            if exc[0] is None:
                raise
        finally:
            _LOCK.release()


def _check(fmt: str, size: Size) -> None:
    if fmt not in FORMATS:
        raise ImageExportError(f"Unbekanntes Bildformat „{fmt}“ (möglich: png, svg, pdf).")
    if not (100 <= size.width <= 8000 and 100 <= size.height <= 8000 and 0 < size.scale <= 6):
        raise ImageExportError(
            f"Ungültige Bildgröße {size.width} × {size.height} px bei Faktor {size.scale}."
        )


def render(
    fig: go.Figure | Mapping[str, Any],
    fmt: Format = "png",
    size: Size = PRESENTATION,
) -> bytes:
    """The figure as ``fmt`` bytes at ``size`` (default 2560 × 1440 px PNG, 16:9).

    Thread-safe: calls are serialised. The first call of a process starts Chromium (≈ 1–3 s);
    later calls take ≈ 0.1 s. Raises :class:`ImageExportError` with a German message.
    """
    _check(fmt, size)
    with Batch(parallel=1) as batch:
        batch.submit("bild", fig, fmt, size)
        return batch.get("bild")


def warm_up(background: bool = True) -> None:
    """Start the browser ahead of the first export (in a background thread by default)."""

    def run() -> None:
        try:
            render(go.Figure(), "svg", Size(400, 300, 1))
        except ImageExportError as exc:
            _log.warning("Bildexport nicht verfügbar: %s", exc)

    if background:
        threading.Thread(target=run, name="kek-bildexport-start", daemon=True).start()
    else:
        run()


def is_running() -> bool:
    """Whether the browser of this process is up."""
    import kaleido

    thread = _server_thread()
    return bool(kaleido._global_server.is_running() and thread is not None and thread.is_alive())


def stop() -> None:
    """Close the browser (tests and benchmarks; it restarts on the next :func:`render`)."""
    import kaleido

    global _server_broken
    with _LOCK:
        kaleido.stop_sync_server(silence_warnings=True)
        _server_broken = None
