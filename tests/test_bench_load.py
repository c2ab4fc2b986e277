"""Smoke test of the load bench (bench/bench_load.py, issue 13): real servers, real websockets."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bench import bench_load
from bench.load_client import APP, BARE, MAX_SESSIONS, run_sessions, server, sessions


def test_three_sessions_on_overview_and_bare_page(seeded_db: Path) -> None:
    with server(APP, seeded_db) as url:
        results = asyncio.run(sessions(url, "", 3, reruns=1))
    assert len(results) == 3
    for first, rerun in results:
        assert first.problems("") == [] and rerun.problems("") == []  # finished, no exception
        assert first.seconds > 0 and rerun.seconds > 0
        assert "mitglied" in first.pages and first.pages[""] in first.scripts  # Überblick ran
    with server(BARE, seeded_db) as url:
        times = run_sessions(url, "", 3)  # raises SessionError on a failed session
    assert len(times) == 3 and all(t > 0 for t in times)


def test_measure_prints_every_target(seeded_db: Path) -> None:
    fig = bench_load.measure(seeded_db, ["ueberblick"], k=1, n=3, rounds=1)
    times = [*fig["cold"].values(), *fig["fresh"].values(), *fig["rerun"].values()]
    times += [t for c in fig["concurrent"].values() for t in c.values()]
    assert set(fig["fresh"]) == {"leer", "ueberblick"} and all(t > 0 for t in times)
    text = bench_load.report(fig, n=3, k=1)
    assert text.count("erfüllt") + text.count("VERFEHLT") == 4, text


def test_session_count_is_bounded() -> None:
    with pytest.raises(ValueError):
        asyncio.run(sessions("http://127.0.0.1:9", "", MAX_SESSIONS + 1))
    with pytest.raises(SystemExit):
        bench_load.main(["--sessions", str(MAX_SESSIONS + 1)])
