"""All or nothing: a large import killed with SIGKILL leaves every row of the file or none.

A child process imports a generated file and prints every progress marker of the import
(``progress`` callback: the page's progress bar texts) on stdout; the parent kills it (SIGKILL)
when a chosen marker appears, never after a timed sleep: right when the write phase starts
(the rows are being appended), while the child holds at the write phase, holds just before
COMMIT (everything appended, raw file fsynced), right at COMMIT, and after COMMIT. Two files: a
plain one (direct one-pass import, kek_data.ingest.direct) and one with quoted sites (full
check, then INSERT … SELECT). Every kill point runs once in the suite; ``KEK_LONG_TESTS=1``
runs each 6 times with 1,000,000 rows.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys

import pytest

from kek_data import db
from kek_data.ingest import check_store, store

LONG = os.environ.get("KEK_LONG_TESTS") == "1"
ROWS = 1_000_000 if LONG else 150_000
REPEAT = 6 if LONG else 1
ROOT = db.SQL_DIR.parent.parent
WRITING = "geschrieben"  #: in the progress text of both paths when the write phase starts
#: (marker, child holds there?, rows expected after the kill: None = all or none)
KILL_POINTS = [
    (WRITING, False, None),
    (WRITING, True, 0),
    (store.COMMITTING, True, 0),
    (store.COMMITTING, False, None),
    ("Import abgeschlossen", True, ROWS),
]

CHILD = """
import sys
from pathlib import Path
from kek_data import db
from kek_data.ingest import import_file
from kek_data.viewer import NETWORK_MANAGER

path, file, hold = sys.argv[1], Path(sys.argv[2]), sys.argv[3]
con = db.connect(path)
print("connected", flush=True)

def progress(fraction, text):
    print(f"stage {fraction} {text}", flush=True)
    if hold and hold in text:
        print("holding", flush=True)
        sys.stdin.readline()  # blocks: the parent never writes, it kills

result = import_file(con, path, file.read_bytes(), file.name, "dsw21", NETWORK_MANAGER,
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


def _start(db_path, big_file, hold: str = "") -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, str(db_path), str(big_file), hold],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )


def _wait_for(child: subprocess.Popen, marker: str) -> str:
    """Read the child's lines until one contains ``marker`` (or 'done'); that line."""
    assert child.stdout is not None
    line = ""
    for line in child.stdout:
        if marker in line or line.startswith("done"):
            break
    return line


def test_unkilled_import_reports_every_marker(tmp_path, big_file):
    db_path = tmp_path / "kek.duckdb"
    db.connect(db_path).close()
    child = _start(db_path, big_file)
    out, _ = child.communicate(timeout=300)
    assert child.returncode == 0
    stages = [line for line in out.splitlines() if line.startswith("stage")]
    for marker, _, _ in KILL_POINTS:
        assert any(marker in s for s in stages), (marker, stages)
    assert out.splitlines()[-1].endswith(f"direct={'voll' not in big_file.name}")


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


@pytest.mark.parametrize("repeat", range(REPEAT))
@pytest.mark.parametrize(
    ("marker", "hold", "expected"),
    KILL_POINTS,
    ids=[f"{m}{'-halt' if h else ''}" for m, h, _ in KILL_POINTS],
)
def test_killed_import_leaves_all_rows_or_none(tmp_path, big_file, marker, hold, expected, repeat):
    db_path = tmp_path / "kek.duckdb"
    db.connect(db_path).close()
    child = _start(db_path, big_file, marker if hold else "")
    line = _wait_for(child, "holding" if hold else marker)
    assert not line.startswith("done"), f"marker {marker!r} not reported"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=60)
    rows, subs = _state(db_path)
    imported = [s for s in subs if s[1] == "imported"]
    assert rows in (0, ROWS), f"{rows} rows after kill: half an import"
    if expected is not None:
        assert rows == expected
    assert (rows == ROWS) == (len(imported) == 1)
    if imported:
        assert imported[0][2] == ROWS
    con = db.connect(db_path)
    problems = check_store(con, db_path)  # a raw file whose commit was lost is reported
    con.close()
    assert all("in keiner Meldung verzeichnet" in p for p in problems), problems
    assert len(problems) <= (0 if imported else 1)
