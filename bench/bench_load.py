"""Load bench (issue 13): Streamlit sessions without a browser, each page beside a bare page.

Run: ``.venv/bin/python bench/bench_load.py`` (about 1½ minutes; ``--quick``: k = 3, one
start, 10 sessions; ``--sessions N`` at most 200, ``--pages ueberblick,pfad``, ``--json``
(figures in s), ``--timeout`` overall limit [s], default 900). Two local servers (127.0.0.1,
free ports) on a fresh demo database, role Netzwerkmanagement: ``app.py`` and
``bench/bare_page.py`` (a title and one Plotly chart: the floor). Sessions speak Streamlit's
websocket protocol (bench/load_client.py) and are timed from connect to ``script_finished``.
Printed, in ms:

1. first session after a server start (cold), median of 3 starts each: Überblick, bare page;
2. a fresh session on the warm server, median of k, every page of the role beside the bare page
   (after one unmeasured visit per page, so each page's caches are warm), k = 7, ratio to bare;
3. a rerun within that session (second ``rerun_script`` on the connection), difference to bare;
4. N (30) sessions opening Überblick at once, p50/p95 over 2 rounds, beside the bare page.

Targets (printed "erfüllt"/"VERFEHLT"): fresh Überblick ≤ 1,5 × bare; first session after the
start < 1,5 s; N at once p95 ≤ 2 × bare p95; every page's rerun ≤ bare + 150 ms. Exit code 1
if a session failed (exception, page not found, no finished run), else 0.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import signal
import statistics
import subprocess
import sys
import tempfile
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load_client as client  # noqa: E402
from kek_data.numbers import format_count, format_number  # noqa: E402

#: app.py's default page (pages/ueberblick.py), whose URL path is "".
DEFAULT_PAGE = "ueberblick"
BARE_KEY = "leer"
FRESH_RATIO, COLD_LIMIT, P95_RATIO, RERUN_MARGIN = 1.5, 1.5, 2.0, 0.150  # [×], [s], [×], [s]
#: The floor runs as a bare Streamlit app runs by default: a full garbage collection after
#: every script run (``runner.postScriptGC``, which our .streamlit/config.toml turns off for
#: the dashboard). ``--leer-wie-app`` runs it with the dashboard's settings instead.
BARE_DEFAULTS = ("--runner.postScriptGC", "true")


def url_path(page: str) -> str:
    """The URL path the frontend sends as ``page_name`` for a page key."""
    return "" if page in (DEFAULT_PAGE, BARE_KEY) else page


def percentile(values: list[float], q: int) -> float:
    """The ``q``-th percentile (inclusive interpolation) of ``values``."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1]


async def _runs(url: str, page: str, n: int = 1, reruns: int = 0) -> list[list[client.Run]]:
    results = await client.sessions(url, url_path(page), n, reruns)
    client.check(url_path(page), results)
    return results


async def _warm(urls: dict[str, str], pages: list[str], k: int, n: int, rounds: int) -> dict:
    for page in pages:  # one unmeasured visit: every page's own caches warm
        await _runs(urls[page], page)
    fresh: dict[str, list[float]] = {p: [] for p in [BARE_KEY, *pages]}
    rerun: dict[str, list[float]] = {p: [] for p in fresh}
    size: dict[str, list[int]] = {p: [] for p in fresh}
    for _ in range(k):  # interleaved, so drifting machine load hits every page alike
        for page in fresh:
            [[first, again]] = await _runs(urls[page], page, reruns=1)
            fresh[page].append(first.seconds)
            rerun[page].append(again.seconds)
            size[page] += [first.received, again.received]
    crowd: dict[str, list[float]] = {BARE_KEY: [], DEFAULT_PAGE: []}
    for _ in range(rounds):
        for page, times in crowd.items():
            times.extend(runs[0].seconds for runs in await _runs(urls[page], page, n))
    return {
        "fresh": {p: statistics.median(t) for p, t in fresh.items()},
        "rerun": {p: statistics.median(t) for p, t in rerun.items()},
        "kilobytes": {p: [b[0] / 1000, b[1] / 1000] for p, b in size.items()},
        "concurrent": {p: {q: percentile(t, int(q[1:])) for q in ("p50", "p95")}
                       for p, t in crowd.items()},
    }  # fmt: skip


def _started(
    stack: ExitStack, script: Path, db: Path, page: str, options: tuple[str, ...] = ()
) -> tuple[str, client.Run]:
    url = stack.enter_context(client.server(script, db, options=options))
    [[first]] = asyncio.run(_runs(url, page))
    return url, first


def measure(
    db: Path,
    pages: list[str] | None,
    k: int,
    n: int,
    rounds: int,
    starts: int = 1,
    bare_options: tuple[str, ...] = BARE_DEFAULTS,
) -> dict:
    """All figures [s] on demo database ``db`` (see the module docstring): the cold first
    session as the median of ``starts`` server starts, k fresh sessions and reruns per page,
    ``rounds`` × n sessions at once; ``pages`` None = all of the role's pages, in app.py's order
    (as its navigation lists them)."""
    cold: dict[str, list[float]] = {BARE_KEY: [], DEFAULT_PAGE: []}
    for _ in range(starts - 1):
        for script, page, opts in ((client.BARE, BARE_KEY, bare_options),
                                   (client.APP, DEFAULT_PAGE, ())):  # fmt: skip
            with ExitStack() as stack:
                cold[page].append(_started(stack, script, db, page, opts)[1].seconds)
    with ExitStack() as stack:
        bare, first = _started(stack, client.BARE, db, BARE_KEY, bare_options)
        cold[BARE_KEY].append(first.seconds)
        app, first = _started(stack, client.APP, db, DEFAULT_PAGE)
        cold[DEFAULT_PAGE].append(first.seconds)
        if not first.pages:  # stopped before st.navigation: login, Demo-Modus on real data
            raise client.SessionError("app.py zeigt keine Navigation")
        available = [p or DEFAULT_PAGE for p in first.pages]
        unknown = ", ".join(sorted(set(pages or []) - set(available)))
        if unknown:
            raise SystemExit(f"Unbekannte Seiten: {unknown} (da: {', '.join(available)})")
        chosen = [p for p in available if pages is None or p in pages]
        urls = {BARE_KEY: bare, **dict.fromkeys(available, app)}
        warm = asyncio.run(_warm(urls, chosen, k, n, rounds))
    return {"cold": {p: statistics.median(t) for p, t in cold.items()}, "starts": starts, **warm}


def _target(name: str, value: float, unit: str, met: bool, missed: list[str]) -> dict:
    return {"name": name, "value": value, "unit": unit, "met": met, "missed": missed}


def targets(fig: dict, n: int) -> list[dict]:
    """The issue's targets: name, measured value (ratio [×] or time [s]), met, pages missing it."""
    fresh, rerun, crowd, cold = fig["fresh"], fig["rerun"], fig["concurrent"], fig["cold"]
    result = []
    if DEFAULT_PAGE in fresh:
        ratio = fresh[DEFAULT_PAGE] / fresh[BARE_KEY]
        name = "frische Sitzung Überblick ≤ 1,5 × leer"
        result.append(_target(name, ratio, "×", ratio <= FRESH_RATIO, []))
    name = "erste Sitzung nach Start < 1,5 s"
    result.append(_target(name, cold[DEFAULT_PAGE], "s", cold[DEFAULT_PAGE] < COLD_LIMIT, []))
    ratio = crowd[DEFAULT_PAGE]["p95"] / crowd[BARE_KEY]["p95"]
    name = f"{n} gleichzeitig: p95 Überblick ≤ 2 × p95 leer"
    result.append(_target(name, ratio, "×", ratio <= P95_RATIO, []))
    over = {p: t - rerun[BARE_KEY] for p, t in rerun.items() if p != BARE_KEY}
    worst = max(over, key=over.__getitem__)
    missed = [p for p, d in over.items() if d > RERUN_MARGIN]
    name = f"Rerun jeder Seite ≤ leer + 150 ms (schlechteste: {worst})"
    result.append(_target(name, over[worst], "s", not missed, missed))
    return result


def _ms(seconds: float, signed: bool = False) -> str:
    sign = "+" if signed and seconds >= 0 else ""
    return f"{sign}{format_number(seconds * 1000, 0)} ms"


def report(fig: dict, n: int, k: int) -> str:
    """The figures as German text, times in ms."""
    fresh, rerun, bare = fig["fresh"], fig["rerun"], BARE_KEY
    starts = format_count(fig["starts"], "Start", "Starts")
    floor = (
        "mit den Einstellungen des Dashboards"
        if not fig.get("bare_options", True)
        else ("wie Streamlit sie ohne eigene Einstellungen ausführt (GC nach jedem Lauf)")
    )
    lines = [f"„leer“ = eine Streamlit-Seite mit einem Plotly-Diagramm, {floor}.", ""]
    lines += [f"1. Erste Sitzung nach Serverstart (kalt), Median aus {starts}"]
    lines += [f"   {p:<16}{_ms(t):>10}" for p, t in fig["cold"].items()]
    lines += ["", f"2./3. Frische Sitzung (warmer Server) und Rerun in ihr, Median aus {k}"]
    head = f"{'frisch':>10}{'× leer':>8}{'Rerun':>10}{'Δ leer':>10}{'kB frisch/Rerun':>18}"
    lines.append(f"   {'Seite':<16}{head}")
    for p in fresh:
        ratio = format_number(fresh[p] / fresh[bare], 2)
        diff = _ms(rerun[p] - rerun[bare], signed=True)
        size = "/".join(format_number(b, 0) for b in fig["kilobytes"][p])
        row = f"{_ms(fresh[p]):>10}{ratio:>8}{_ms(rerun[p]):>10}{diff:>10}{size:>18}"
        lines.append(f"   {p:<16}{row}")
    lines += ["", f"4. {n} Sitzungen gleichzeitig", f"   {'Seite':<16}{'p50':>10}{'p95':>10}"]
    lines += [
        f"   {p:<16}{_ms(c['p50']):>10}{_ms(c['p95']):>10}" for p, c in fig["concurrent"].items()
    ]
    lines += ["", "Ziele (Issue 13)"]
    for t in targets(fig, n):
        value = f"{format_number(t['value'], 2)} ×" if t["unit"] == "×" else _ms(t["value"])
        verdict = "erfüllt" if t["met"] else "VERFEHLT"
        missed = f" ({', '.join(t['missed'])})" if t["missed"] else ""
        lines.append(f"   {t['name']}: {value} – {verdict}{missed}")
    return "\n".join(lines)


def _timeout(signum: int, frame: object) -> None:
    raise TimeoutError("Zeitlimit des Benchmarks überschritten")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, help="gleichzeitige Sitzungen (Standard 30)")
    parser.add_argument("--quick", action="store_true", help="weniger Wiederholungen")
    parser.add_argument("--json", action="store_true", help="Zahlen als JSON [s]")
    parser.add_argument("--pages", help="Seiten, durch Komma getrennt (Standard: alle)")
    parser.add_argument("--timeout", type=float, default=900, help="Zeitlimit insgesamt [s]")
    parser.add_argument("--leer-wie-app", action="store_true",
                        help="leere Seite mit den Einstellungen des Dashboards (ohne GC nach jedem "
                        "Lauf) statt mit Streamlits Standard")  # fmt: skip
    args = parser.parse_args(argv)
    n = args.sessions or (10 if args.quick else 30)
    if not 1 <= n <= client.MAX_SESSIONS:
        parser.error(f"--sessions: 1 bis {client.MAX_SESSIONS}")
    k, rounds, starts = (3, 1, 1) if args.quick else (7, 2, 3)
    pages = [p.strip() for p in args.pages.split(",") if p.strip()] if args.pages else None
    signal.signal(signal.SIGALRM, _timeout)
    signal.alarm(max(1, int(args.timeout)))
    try:
        with tempfile.TemporaryDirectory(prefix="kek-load-") as tmp:
            db = Path(tmp) / "kek.duckdb"
            init = [sys.executable, "-m", "kek_data", "init", "--demo", "--db", str(db)]
            subprocess.run(init, cwd=ROOT, check=True, capture_output=True)
            bare = () if args.leer_wie_app else BARE_DEFAULTS
            fig = measure(db, pages, k, n, rounds, starts, bare)
            fig["bare_options"] = list(bare)
    except client.SessionError as exc:
        print(f"Sitzung fehlgeschlagen: {exc}", file=sys.stderr)
        return 1
    except TimeoutError as exc:
        print(f"Abgebrochen: {exc} ({format_number(args.timeout, 0)} s)", file=sys.stderr)
        return 1
    finally:
        signal.alarm(0)
    if args.json:
        print(json.dumps({"sessions": n, "repeat": k, **fig, "targets": targets(fig, n)}, indent=2))
    else:
        print(report(fig, n, k))
    return 0


if __name__ == "__main__":
    sys.exit(main())
