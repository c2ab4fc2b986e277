"""Benchmark of the exports: one chart (cold and warm) and the ten-member meeting deck.

Run: ``.venv/bin/python bench/bench_export.py [--repeat 15] [--cold 3]``.
Targets (issue 4): a warm chart under 0.2 s, the full ten-member deck under 5 s warm.
"Cold" = a fresh process: Python imports, the Chromium start and the first render; measured in
``--cold`` separate processes. "Warm" = the same process afterwards, median of ``--repeat`` runs.
Times in [s].
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kek_data import db, demo, report  # noqa: E402
from kek_data.export import deck, figures, images  # noqa: E402
from kek_data.viewer import NETWORK_MANAGER  # noqa: E402

TARGET_CHART, TARGET_DECK = 0.2, 5.0


def _db(folder: Path) -> Path:
    path = folder / "bench.duckdb"
    if not path.exists():
        con = db.connect(path)
        demo.seed(con)
        con.close()
    return path


COLD = """
import sys, time
t0 = time.perf_counter()
root, path, kind = sys.argv[1:]
sys.path.insert(0, root)
from kek_data import db
from kek_data.export import deck, figures, images
from kek_data.viewer import NETWORK_MANAGER
con = db.connect(path)
if kind == "chart":
    images.render(figures.build(con, "netzwerk", NETWORK_MANAGER))
else:
    deck.build_deck(con, NETWORK_MANAGER)
print(time.perf_counter() - t0)
"""


def cold(kind: str, path: Path) -> float:
    """One fresh process: seconds from the first import to the finished chart or deck."""
    command = [sys.executable, "-c", COLD, str(ROOT), str(path), kind]
    out = subprocess.run(command, capture_output=True, text=True, check=True)
    return float(out.stdout.strip().splitlines()[-1])


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="warm runs per chart")
    parser.add_argument("--decks", type=int, default=3, help="warm deck builds")
    parser.add_argument("--cold", type=int, default=3, help="fresh processes per cold figure")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = _db(Path(tmp))
        results: dict[str, float] = {}
        results["chart_cold"] = statistics.median(cold("chart", path) for _ in range(args.cold))
        results["deck_cold"] = statistics.median(cold("deck", path) for _ in range(args.cold))
        con = db.connect(path)
        snap = report.build(con, NETWORK_MANAGER)
        fig = figures.build_from(snap, "netzwerk")
        first = timed(lambda: images.render(fig))  # first render of this process
        results["chart_first_in_process"] = first
        for fmt in images.FORMATS:
            runs = [timed(lambda f=fmt: images.render(fig, f)) for _ in range(args.repeat)]
            results[f"chart_warm_{fmt}"] = statistics.median(runs)
        runs = [timed(lambda: images.render(figures.build(con, "netzwerk", NETWORK_MANAGER)))
                for _ in range(args.repeat)]  # fmt: skip
        results["chart_warm_png_with_query"] = statistics.median(runs)
        members = len(snap.members)
        runs = [timed(lambda: deck.build_deck(con, NETWORK_MANAGER)) for _ in range(args.decks)]
        results["deck_warm"] = statistics.median(runs)
        results["deck_warm_max"] = max(runs)
    print(f"Export-Benchmark (Demodaten, {members} Mitglieder, Chromium: {images.browser_path()})")
    labels = {
        "chart_cold": "Diagramm kalt (neuer Prozess, Median)",
        "chart_first_in_process": "Diagramm, erstes im Prozess (Browserstart)",
        "chart_warm_png": "Diagramm warm PNG 2560×1440 (Median)",
        "chart_warm_svg": "Diagramm warm SVG (Median)",
        "chart_warm_pdf": "Diagramm warm PDF (Median)",
        "chart_warm_png_with_query": "Diagramm warm PNG inkl. Abfrage (Median)",
        "deck_cold": f"Foliensatz {members} Mitglieder kalt (neuer Prozess, Median)",
        "deck_warm": f"Foliensatz {members} Mitglieder warm (Median)",
        "deck_warm_max": f"Foliensatz {members} Mitglieder warm (Maximum)",
    }
    for key, label in labels.items():
        print(f"  {label:<58} {results[key]:6.3f} s")
    ok_chart = results["chart_warm_png"] < TARGET_CHART
    ok_deck = results["deck_warm"] < TARGET_DECK
    print(f"Ziel Diagramm warm < {TARGET_CHART} s: {'erfüllt' if ok_chart else 'VERFEHLT'}")
    print(f"Ziel Foliensatz warm < {TARGET_DECK} s: {'erfüllt' if ok_deck else 'VERFEHLT'}")
    if args.json:
        print(json.dumps(results, indent=1))
    return 0 if ok_chart and ok_deck else 1


if __name__ == "__main__":
    raise SystemExit(main())
