"""Benchmark: bad input is refused in milliseconds, and the checks cost good files little.

Usage::

    .venv/bin/python bench/bench_bad_input.py [--rows 1000000] [--repeat 3]

Why: a 100 KB file of one row with 50.000 fields once took 46 s and 1,5 GB, a 2 MB one over
10 minutes (DuckDB built a table of a million columns). :func:`kek_data.ingest.lines.check_lines`
refuses such lines before any parser. Printed (best of ``--repeat``, wall time [s]):

* each bad file through :func:`kek_data.ingest.check` (the page) and
  :func:`kek_data.ingest.import_file` from a file on disk (the command line), beside the floor
  ``duckdb read_csv`` of a *normal* file of the same size (so "well under a second" is measured
  against what reading that many bytes costs anyway);
* a one-cell-far-away ``.xlsx`` (5 KB whose dense area would be 16.384 × 200.000 cells: the
  process used to die) through ``check``;
* the per-file cost of the line checks (line ends + widths, one pass each) on the
  ``--rows`` file of bench/bench_import.py, beside ``duckdb read_csv count(*)`` of that file.
"""

from __future__ import annotations

import argparse
import io
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_import import generate  # noqa: E402
from kek_data import db  # noqa: E402
from kek_data.errors import KekError  # noqa: E402
from kek_data.ingest import check, import_file, reader  # noqa: E402
from kek_data.viewer import NETWORK_MANAGER as NM  # noqa: E402

HEADER = "Jahr;Energieträger;Menge;Einheit;Standort;Bemerkung\r\n"


def best(fn, repeat: int) -> tuple[float, str]:
    """Fastest wall time [s] of ``fn`` and its outcome (the German message, shortened)."""
    times, outcome = [], ""
    for _ in range(repeat):
        t0 = time.perf_counter()
        try:
            fn()
            outcome = "angenommen"
        except KekError as exc:
            outcome = str(exc)[:90] + "…"
        times.append(time.perf_counter() - t0)
    return min(times), outcome


def floor(con, size: int, folder: Path, repeat: int) -> float:
    """duckdb read_csv (all text) of a valid file of about ``size`` bytes [s]."""
    path = folder / f"normal_{size}.csv"
    row = "2024;Strom;1.234,5;kWh;Liegenschaft 1;Zählerstand geprüft\r\n"
    path.write_text(HEADER + row * max(1, size // len(row.encode())), encoding="utf-8")
    sql = "SELECT count(*) FROM read_csv($p, delim = ';', all_varchar = true)"
    return best(lambda: con.execute(sql, {"p": str(path)}).fetchall(), repeat)[0]


def far_cell_xlsx() -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Jahr", "Energieträger", "Menge", "Einheit"])
    ws.append([2024, "Strom", 5, "kWh"])
    ws["XFD200000"] = "x"
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="kek-bench-bad-") as tmp:
        folder = Path(tmp)
        dbfile = folder / "kek.duckdb"
        con = db.connect(dbfile)
        bad = {
            "50.000 Felder in einer Zeile (100 KB)": HEADER + "2013;Strom;1;kWh;;x" + ";y" * 50_000,
            "1.000.000 Felder in einer Zeile (2 MB)": HEADER
            + "2013;Strom;1;kWh;;x"
            + ";y" * 1_000_000,
            "Kopfzeile mit 1.000.000 Feldern (1 MB)": "Jahr;Energieträger;Menge;Einheit"
            + ";" * 1_000_000
            + "\r\n2024;Strom;1;kWh\r\n",
            "eine Zeile von 2 MB": HEADER + "2013;Strom;1;kWh;;" + "x" * 2_000_000,
        }
        print(f"{'Datei':42} {'Größe':>9} {'check':>8} {'import':>8} {'Boden':>8}  Meldung")
        for label, text in bad.items():
            data = text.encode()
            path = folder / "bad.csv"
            path.write_bytes(data)
            check_one = lambda d=data: check(con, d, "bad.csv", "dsw21", NM)  # noqa: E731
            t_check, message = best(check_one, args.repeat)
            t_import, _ = best(
                lambda p=path: import_file(con, dbfile, None, p.name, "dsw21", NM, source_path=p),
                args.repeat,
            )
            t_floor = floor(con, len(data), folder, args.repeat)
            print(f"{label:42} {reader.mb(len(data)):>9} {t_check:8.3f} {t_import:8.3f} "
                  f"{t_floor:8.3f}  {message}")  # fmt: skip
        xlsx = far_cell_xlsx()
        t_xlsx, message = best(lambda: check(con, xlsx, "weit.xlsx", "dsw21", NM), args.repeat)
        print(f"{'xlsx, eine Zelle in XFD200000':42} {len(xlsx) / 1024:7.1f} KB {t_xlsx:8.3f} "
              f"{'':8} {'':8}  {message}")  # fmt: skip

        big = folder / f"kek_bench_{args.rows}.csv"
        generate(big, args.rows)
        data = big.read_bytes()

        def lines_check() -> None:
            src = reader.read_csv_source(data[:65536], big.name, path=big)
            src.close()

        t_lines, _ = best(lines_check, args.repeat)
        sql = "SELECT count(*) FROM read_csv($p, delim = ';', all_varchar = true)"
        t_count = best(lambda: con.execute(sql, {"p": str(big)}).fetchall(), args.repeat)[0]
        print(
            f"\nZeilenprüfung (Zeilenenden + Breite) einer gültigen Datei mit {args.rows:,} Zeilen "
            f"({reader.mb(len(data))}): {t_lines:.3f} s; Boden duckdb read_csv count(*): "
            f"{t_count:.3f} s ({t_lines / t_count:.2f}×)".replace(",", ".")
        )
        con.close()


if __name__ == "__main__":
    main()
