"""Page rerun time against the bare DuckDB aggregation on the same data (the floor).

Run: ``.venv/bin/python bench/bench_pages.py`` (add ``--quick`` for fewer repetitions).
For 10 members × 11 years (demo) and 1,000 members × 30 years × all carriers it prints, per
page, the median server-side rerun time (AppTest, warm caches, as after any widget click), the
first (cold) run, and the floor: the time of
``SELECT member_id, year, carrier_id, sum(t_co2e) FROM emissions GROUP BY ALL``.
Target: each page's warm rerun ≤ 3 × floor + 150 ms at 1,000 members.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import scale  # noqa: E402
from kek_data import db  # noqa: E402

PAGES = ["ueberblick", "mitglied", "vergleich", "pfad", "daten", "methodik"]
FLOOR_SQL = "SELECT member_id, year, carrier_id, sum(t_co2e) FROM emissions GROUP BY ALL"


def floor(path: Path, repeat: int) -> float:
    """Median time of the bare aggregation over the emissions view [s]."""
    con = db.connect(path, read_only=True)
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        con.execute(FLOOR_SQL).fetchall()
        times.append(time.perf_counter() - t0)
    con.close()
    return statistics.median(times)


def pages(path: Path, repeat: int) -> dict[str, tuple[float, float]]:
    """Per page: (cold first run, median warm rerun) [s] through app.py like a browser."""
    import streamlit as st
    from streamlit.runtime import pages_manager
    from streamlit.testing.v1 import AppTest
    from streamlit.testing.v1 import app_test as app_test_module

    base = pages_manager.PagesManager

    class BrowserLike(base):  # run app.py with st.navigation, as a browser does
        def __init__(self, *a, **k):
            base.uses_pages_directory = False
            super().__init__(*a, **k)

    app_test_module.PagesManager = BrowserLike
    os.environ["KEK_DB"] = str(path)
    result = {}
    for page in PAGES:
        st.cache_data.clear()
        st.cache_resource.clear()
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
        if page != "ueberblick":
            at.run()  # registers the pages; then start the page itself with empty caches
            at.switch_page(f"pages/{page}.py")
            st.cache_data.clear()
        t0 = time.perf_counter()
        at.run()
        cold = time.perf_counter() - t0
        assert not at.exception, [e.value for e in at.exception]
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            at.run()
            times.append(time.perf_counter() - t0)
        result[page] = (cold, statistics.median(times))
    return result


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    repeat = 3 if args.quick else 7
    tmp = Path(tempfile.mkdtemp(prefix="kek-bench-"))
    for members, years in ((10, 11), (1000, 30)):
        path = scale.build(tmp / f"m{members}.duckdb", members, years)
        con = db.connect(path, read_only=True)
        rows = con.execute("SELECT count(*) FROM activity").fetchone()[0]
        con.close()
        f = floor(path, repeat * 3)
        print(f"\n{members} Mitglieder × {years} Jahre ({rows:,} Zeilen): floor {f * 1000:.1f} ms")
        print(f"{'Seite':<12}{'kalt [ms]':>12}{'Rerun [ms]':>12}{'Ziel [ms]':>12}  ok")
        target = 3 * f + 0.150
        for page, (cold, warm) in pages(path, repeat).items():
            ok = "ja" if warm <= target else "NEIN"
            print(f"{page:<12}{cold * 1000:>12.0f}{warm * 1000:>12.0f}{target * 1000:>12.0f}  {ok}")


if __name__ == "__main__":
    main()
