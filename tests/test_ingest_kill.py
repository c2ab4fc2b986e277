"""All or nothing: a large import killed with SIGKILL leaves every row of the file or none.

A child process imports a generated file and reports its stages on stdout; the parent kills it
(SIGKILL) at a random moment, mostly inside the write transaction, then reopens the database.
Two files: a plain one (direct one-pass import, kek_data.ingest.direct) and one with quoted
sites (full check, then INSERT … SELECT). A few trials of each run in the suite;
``KEK_LONG_TESTS=1`` runs 30 of each with 1,000,000 rows.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

from kek_data import db
from kek_data.ingest import check_store

LONG = os.environ.get("KEK_LONG_TESTS") == "1"
ROWS = 1_000_000 if LONG else 150_000
TRIALS = 30 if LONG else 3
ROOT = db.SQL_DIR.parent.parent

CHILD = """
import sys
from pathlib import Path
from kek_data import db
from kek_data.ingest import check_store
from kek_data.ingest import import_file

path, file = sys.argv[1], Path(sys.argv[2])
con = db.connect(path)
print("connected", flush=True)

def progress(fraction, text):
    print(f"stage {fraction} {text}", flush=True)

result = import_file(con, path, file.read_bytes(), file.name, "dsw21", "Kill-Test",
                     replace=True, progress=progress)
print(f"done {result.submission_id} direct={result.direct}", flush=True)
"""


def _write_file(path, rows: int, quoted: bool) -> None:
    carriers = [("Strom", "kWh"), ("Erdgas", "MWh"), ("Heizöl", "l"), ("Diesel", "l")]
    with path.open("w", encoding="utf-8", newline="") as fh:
        fh.write("Jahr;Energieträger;Menge;Einheit;Standort;Bemerkung\r\n")
        for i in range(rows):
            carrier, unit = carriers[i % 4]
            value = f"{1 + i % 999}.{i % 1000:03d},5"
            site = f'"S {i // 4}"' if quoted else f"S{i // 4}"
            fh.write(f"{1990 + i % 35};{carrier};{value};{unit};{site};\r\n")


@pytest.fixture(scope="module", params=["direkt", "voll"])
def big_file(request, tmp_path_factory):
    path = tmp_path_factory.mktemp("kill") / f"gross_{request.param}.csv"
    _write_file(path, ROWS, quoted=request.param == "voll")
    return path


def _start(db_path, big_file) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(big_file)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


WRITING = "geschrieben"  #: progress text when the write transaction starts (both paths)


def _wait_for(child: subprocess.Popen, marker: str) -> tuple[float, str]:
    """Read the child's stages until a line contains ``marker`` (or 'done'): (time, line)."""
    assert child.stdout is not None
    line = ""
    for line in child.stdout:
        if marker in line or line.startswith("done"):
            break
    return time.perf_counter(), line


@pytest.fixture(scope="module")
def write_window(big_file, tmp_path_factory) -> float:
    """Seconds from the start of the write phase to 'done' in an unkilled run."""
    db_path = tmp_path_factory.mktemp("calib") / "kek.duckdb"
    child = _start(db_path, big_file)
    start, line = _wait_for(child, WRITING)
    assert line.startswith("stage"), "the write phase was not reported"
    end, done = _wait_for(child, "done")
    child.wait(timeout=120)
    assert child.returncode == 0
    assert done.strip().endswith(f"direct={'voll' not in big_file.name}"), done
    return end - start


def _state(db_path) -> tuple[int, list[tuple[int, str, int]]]:
    con = db.connect(db_path)  # must open (WAL replayed) after the kill
    try:
        rows = con.execute("SELECT count(*) FROM activity").fetchall()[0][0]
        subs = con.execute(
            "SELECT submission_id, status, n_rows FROM submissions ORDER BY 1"
        ).fetchall()
    finally:
        con.close()
    return rows, subs


@pytest.mark.parametrize("trial", range(TRIALS))
def test_killed_import_leaves_all_rows_or_none(tmp_path, big_file, write_window, trial):
    db_path = tmp_path / "kek.duckdb"
    db.connect(db_path).close()
    rng = random.Random(trial)
    child = _start(db_path, big_file)
    _wait_for(child, WRITING if trial % 4 != 3 else "stage 0.1")
    time.sleep(rng.uniform(0.0, 1.2 * write_window))  # mostly inside the write transaction
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    rows, subs = _state(db_path)
    imported = [s for s in subs if s[1] == "imported"]
    assert rows in (0, ROWS), f"{rows} rows after kill: half an import"
    assert (rows == ROWS) == (len(imported) == 1)
    if imported:
        assert imported[0][2] == ROWS
    con = db.connect(db_path)
    problems = check_store(con, db_path)  # a raw file whose commit was lost is reported
    con.close()
    assert all("in keiner Meldung verzeichnet" in p for p in problems), problems
    assert len(problems) <= (0 if imported else 1)
