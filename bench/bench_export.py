"""Benchmark of the exports: one chart (first and warm) and the ten-member meeting deck.

Run: ``.venv/bin/python bench/bench_export.py [--repeat 15] [--decks 3] [--cold 3]``.

Absolute times differ 2–3× between machines, so the targets (issue 13) are ratios to a FLOOR
measured in the same run: plain ``fig.to_image(...)`` of the same figure at the same size on
a persistent kaleido server (``kaleido.start_sync_server()``; the same Chromium and, as our
server, ``mathjax=False``, so no CDN request), in a separate fresh process (kaleido's server is
one per process and not thread-safe). Our warm chart and the floor's are timed in turns (one
each, ``--repeat`` times), so a change of the machine's load hits both alike.

Targets (exit code 1 if one is missed):

a) warm chart (``images.render`` of the netzwerk chart, PNG 2560 × 1440, median)
   ≤ 0,5 × floor warm (median);
b) the ten-member deck (``deck.build_deck`` on the demo DB, warm, median) ≤ 15 × the warm chart
   (the deck has 15 chart pictures, most of them smaller);
c) first chart of a fresh process (the first ``images.render`` incl. the browser start, median of
   ``--cold`` processes) ≤ 2 × the floor's first (``start_sync_server`` and the first
   ``to_image``); in both processes ``kaleido`` is imported before the clock starts.

"Warm" = the same process afterwards (one deck is built before the timed ones). The old absolute
figures are printed as well: "kalt" = a fresh process from the first import (Python imports, the
query, the Chromium start and the first render). Times in [s].
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

CHART_RATIO, DECK_CHARTS, FIRST_RATIO = 0.5, 15, 2.0


def _db(folder: Path) -> Path:
    path = folder / "bench.duckdb"
    if not path.exists():
        con = db.connect(path)
        demo.seed(con)
        con.close()
    return path


COLD = """
import sys, time, json
t0 = time.perf_counter()
root, path, kind = sys.argv[1:]
sys.path.insert(0, root)
from kek_data import db
from kek_data.export import deck, figures, images
from kek_data.viewer import NETWORK_MANAGER
import kaleido  # as in the floor process: not part of the first render's time
con = db.connect(path)
if kind == "chart":
    fig = figures.build(con, "netzwerk", NETWORK_MANAGER)
    t1 = time.perf_counter()
    images.render(fig)
else:
    t1 = time.perf_counter()
    deck.build_deck(con, NETWORK_MANAGER)
t2 = time.perf_counter()
print(json.dumps({"total": t2 - t0, "first": t2 - t1}))
"""

#: The floor: plain plotly + kaleido, no kek_data. Prints the time of the server start and the
#: first image, then renders one image per format read from stdin and prints its time.
FLOOR = """
import sys, time, warnings
warnings.simplefilter("ignore")
import plotly.io as pio
import kaleido
fig = pio.read_json(sys.argv[1])
size = dict(width=int(sys.argv[3]), height=int(sys.argv[4]), scale=float(sys.argv[5]))
t0 = time.perf_counter()
kaleido.start_sync_server(path=sys.argv[2], mathjax=False)
fig.to_image(format="png", **size)
print(time.perf_counter() - t0, flush=True)
for line in sys.stdin:
    t = time.perf_counter()
    fig.to_image(format=line.strip(), **size)
    print(time.perf_counter() - t, flush=True)
"""


class Floor:
    """A fresh process with a plain kaleido server for ``fig_json``; ``first`` = its start [s]."""

    def __init__(self, fig_json: Path) -> None:
        size = images.PRESENTATION
        command = [sys.executable, "-c", FLOOR, str(fig_json), str(images.browser_path()),
                   str(size.width), str(size.height), str(size.scale)]  # fmt: skip
        self.proc = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        self.first = self._read()

    def _read(self) -> float:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise RuntimeError("Der Vergleichsprozess (kaleido) ist abgebrochen.")
        return float(line)

    def time(self, fmt: str) -> float:
        """Seconds of one warm ``fig.to_image`` in ``fmt``."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(fmt + "\n")
        self.proc.stdin.flush()
        return self._read()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(30)


def cold(kind: str, path: Path) -> dict[str, float]:
    """One fresh process: seconds from the first import ("total") and of the first render or
    deck alone ("first") – chart or deck."""
    command = [sys.executable, "-c", COLD, str(ROOT), str(path), kind]
    out = subprocess.run(command, capture_output=True, text=True)
    if out.returncode:
        raise RuntimeError(f"Messprozess ({kind}) abgebrochen:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def timed(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def measure(args: argparse.Namespace, folder: Path) -> tuple[dict[str, float], int]:
    """All figures [s] (and ratios) of one run, and the number of members of the deck."""
    path = _db(folder)
    results: dict[str, float] = {}
    con = db.connect(path)
    snap = report.build(con, NETWORK_MANAGER)
    fig = figures.build_from(snap, "netzwerk")
    fig_json = folder / "netzwerk.json"
    fig_json.write_text(fig.to_json())
    con.close()  # DuckDB: one writer process at a time, the fresh processes below open the file
    charts, floors_first = [], []
    for _ in range(args.cold):  # ours and the floor's in turns
        charts.append(cold("chart", path))
        floor = Floor(fig_json)
        floors_first.append(floor.first)
        floor.close()
    results["chart_cold"] = statistics.median(c["total"] for c in charts)
    results["chart_first_fresh"] = statistics.median(c["first"] for c in charts)
    results["floor_first"] = statistics.median(floors_first)
    results["deck_cold"] = statistics.median(cold("deck", path)["total"] for _ in range(args.cold))
    con = db.connect(path)
    results["chart_first_in_process"] = timed(lambda: images.render(fig))
    floor = Floor(fig_json)
    try:
        for fmt in images.FORMATS:
            ours, theirs = [], []
            for _ in range(args.repeat):
                ours.append(timed(lambda f=fmt: images.render(fig, f)))
                theirs.append(floor.time(fmt))
            results[f"chart_warm_{fmt}"] = statistics.median(ours)
            results[f"floor_warm_{fmt}"] = statistics.median(theirs)
    finally:
        floor.close()
    runs = [timed(lambda: images.render(figures.build(con, "netzwerk", NETWORK_MANAGER)))
            for _ in range(args.repeat)]  # fmt: skip
    results["chart_warm_png_with_query"] = statistics.median(runs)
    results["deck_charts"] = len(deck.plan(snap, list(snap.member)))
    results["deck_first_in_process"] = timed(lambda: deck.build_deck(con, NETWORK_MANAGER))
    runs = [timed(lambda: deck.build_deck(con, NETWORK_MANAGER)) for _ in range(args.decks)]
    results["deck_warm"] = statistics.median(runs)
    results["deck_warm_max"] = max(runs)
    con.close()
    return results, len(snap.members)


def ratios(r: dict[str, float]) -> list[tuple[str, float, float]]:
    """(label, ratio, target) of the three targets; met when ratio ≤ target."""
    return [
        ("a) Diagramm warm PNG / Boden warm PNG", r["chart_warm_png"] / r["floor_warm_png"],
         CHART_RATIO),
        ("b) Foliensatz warm / Diagramm warm PNG", r["deck_warm"] / r["chart_warm_png"],
         DECK_CHARTS),
        ("c) erstes Diagramm neuer Prozess / Boden erstes", r["chart_first_fresh"] /
         r["floor_first"], FIRST_RATIO),
    ]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15, help="warm runs per chart and format")
    parser.add_argument("--decks", type=int, default=3, help="warm deck builds")
    parser.add_argument("--cold", type=int, default=3, help="fresh processes per cold figure")
    parser.add_argument("--json", action="store_true", help="also print the figures as JSON")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        results, members = measure(args, Path(tmp))
    tabs = getattr(images, "tabs", lambda: 1)()  # also runs against a tree before images.tabs
    print(
        f"Export-Benchmark (Demodaten, {members} Mitglieder, Chromium: {images.browser_path()}, "
        f"{tabs} Tab(s) für den Foliensatz)"
    )
    labels = {
        "chart_cold": "Diagramm kalt (neuer Prozess, Median)",
        "chart_first_fresh": "Diagramm, erstes im neuen Prozess (Browserstart, Median)",
        "floor_first": "  Boden: Serverstart + erstes to_image (Median)",
        "chart_first_in_process": "Diagramm, erstes im Messprozess (Browserstart)",
        "chart_warm_png": "Diagramm warm PNG 2560×1440 (Median)",
        "floor_warm_png": "  Boden: to_image PNG 2560×1440 (Median)",
        "chart_warm_svg": "Diagramm warm SVG (Median)",
        "floor_warm_svg": "  Boden: to_image SVG (Median)",
        "chart_warm_pdf": "Diagramm warm PDF (Median)",
        "floor_warm_pdf": "  Boden: to_image PDF (Median)",
        "chart_warm_png_with_query": "Diagramm warm PNG inkl. Abfrage (Median)",
        "deck_cold": f"Foliensatz {members} Mitglieder kalt (neuer Prozess, Median)",
        "deck_first_in_process": f"Foliensatz {members} Mitglieder, erster im Messprozess",
        "deck_warm": f"Foliensatz {members} Mitglieder warm (Median)",
        "deck_warm_max": f"Foliensatz {members} Mitglieder warm (Maximum)",
    }
    for key, label in labels.items():
        print(f"  {label:<60} {results[key]:6.3f} s")
    for fmt in ("svg", "pdf"):  # for information, no target
        ratio = results[f"chart_warm_{fmt}"] / results[f"floor_warm_{fmt}"]
        print(f"  {f'Verhältnis Diagramm/Boden warm {fmt.upper()}':<60} {ratio:6.2f}")
    ok = True
    for label, ratio, target in ratios(results):
        met = ratio <= target
        ok = ok and met
        shown = f"{ratio:.2f} (Ziel ≤ {target:g})".replace(".", ",")
        print(f"Ziel {label}: {shown} {'erfüllt' if met else 'VERFEHLT'}")
    if results["deck_charts"] != DECK_CHARTS:
        print(f"Hinweis: der Foliensatz hat {results['deck_charts']:.0f} Diagramme, nicht 15.")
    if args.json:
        print(json.dumps(results, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
