"""``python -m kek_data import``: exit codes 0 / 1 / 2, errors one per line on stderr."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kek_data import cli, db
from kek_data.ingest.store import files_dir
from kek_data.viewer import NETWORK_MANAGER as NM
from tests.ingest_util import csv_bytes

ROOT = db.SQL_DIR.parent.parent


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def dbfile(tmp_path, capsys):
    """A database made by ``init`` (no other command creates one)."""
    path = tmp_path / "kek.duckdb"
    assert cli.main(["init", "--db", str(path)]) == 0
    capsys.readouterr()
    return path


def test_import_dry_run_replace_and_exit_codes(tmp_path, dbfile, capsys):
    good = tmp_path / "kek_2024.csv"
    good.write_bytes(csv_bytes(["2024;Strom;1.000;MWh;;", "2023;Erdgas;1.110;kWh;;"]))
    code, out, err = _run(capsys, "import", str(good), "--member", "fhdo", "--db", str(dbfile),
                          "--dry-run")  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith("kek_2024.csv: 2 Zeilen für fhdo geprüft, fehlerfrei (Probelauf")
    assert not files_dir(dbfile).exists()

    code, out, err = _run(capsys, "import", str(good), "--member", "fhdo", "--db", str(dbfile))
    assert code == 0 and "importiert als Meldung Nr. 1 (Jahre 2023, 2024)" in out

    code, out, err = _run(capsys, "import", str(good), "--member", "fhdo", "--db", str(dbfile))
    assert code == 2 and out == ""
    assert err.strip().startswith("kek_2024.csv: Die Jahre 2023, 2024 haben für dieses Mitglied")

    code, out, err = _run(capsys, "import", str(good), "--member", "fhdo", "--db", str(dbfile),
                          "--replace")  # fmt: skip
    assert code == 0 and "ersetzt: 2023, 2024" in out
    con = db.connect(dbfile)
    subs = con.execute("SELECT submitted_by, status FROM submissions ORDER BY 1, 2").fetchall()
    assert (cli.cli_user(), "imported") in subs and len(subs) == 3  # the real user, cli:<name>
    con.close()


def test_invalid_file_every_error_on_stderr_one_per_line(tmp_path, dbfile, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes(["2024;Gass;1;kWh;;", "2024;Strom;12,3,4;kWh;;"], encoding="cp1252"))
    code, out, err = _run(capsys, "import", str(bad), "--member", "dsw21", "--db", str(dbfile))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "bad.csv, Zeile 2, Spalte „Energieträger“: „Gass“ ist kein bekannter Energieträger. "
        "Meinten Sie Erdgas?",
        "bad.csv, Zeile 3, Spalte „Menge“: „12,3,4“ ist keine Zahl.",
    ]
    con = db.connect(dbfile)
    assert con.execute("SELECT count(*) FROM activity").fetchall() == [(0,)]
    assert con.execute("SELECT status FROM submissions").fetchall() == [("rejected",)]
    con.close()


def test_not_a_table_and_unknown_member(tmp_path, dbfile, capsys):
    html = tmp_path / "x.csv"
    html.write_bytes(b"<html></html>")
    code, _, err = _run(capsys, "import", str(html), "--member", "dsw21", "--db", str(dbfile))
    assert code == 1 and "HTML" in err
    code, _, err = _run(capsys, "import", str(html), "--member", "niemand", "--db", str(dbfile))
    assert code == 1 and "Unbekanntes Mitglied „niemand“" in err
    code, _, err = _run(capsys, "import", str(tmp_path / "fehlt.csv"), "--member", "dsw21",
                        "--db", str(dbfile))  # fmt: skip
    assert code == 1 and "nicht gefunden" in err


def test_rollback_and_check_store_commands(tmp_path, dbfile, capsys):
    good = tmp_path / "a.csv"
    good.write_bytes(csv_bytes(["2024;Strom;1;kWh;;"]))
    assert _run(capsys, "import", str(good), "--member", "edg", "--db", str(dbfile))[0] == 0
    code, out, _ = _run(capsys, "rollback", "1", "--db", str(dbfile), "--note", "Test")
    assert code == 0 and "zurückgenommen" in out
    code, _, err = _run(capsys, "rollback", "1", "--db", str(dbfile))
    assert code == 1 and "bereits zurückgenommen" in err
    code, out, _ = _run(capsys, "check-store", "--db", str(dbfile))
    assert code == 0 and "vollständig" in out
    next(files_dir(dbfile).glob("??/*")).unlink()
    code, _, err = _run(capsys, "check-store", "--db", str(dbfile))
    assert code == 1 and "Originaldatei fehlt" in err


def test_module_entry_point(tmp_path, dbfile):
    good = tmp_path / "a.csv"
    good.write_bytes(csv_bytes(["2024;Strom;1;kWh;;"]))
    out = subprocess.run(
        [sys.executable, "-m", "kek_data", "import", str(good), "--member", "edg", "--db",
         str(dbfile), "--dry-run"],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "Probelauf" in out.stdout


def test_import_command_stays_light(tmp_path, dbfile):
    """An import loads neither pandas nor the chart libraries (memory: bench/bench_import.py)."""
    file = tmp_path / "kek_2024.csv"
    file.write_bytes(csv_bytes(["2024;Strom;1.000;MWh;;"]))
    script = (
        "import sys\n"
        "from kek_data import cli\n"
        f"args = ['import', {str(file)!r}, '--member', 'dsw21', '--db', {str(dbfile)!r}]\n"
        "code = cli.main(args)\n"
        "heavy = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('pandas', 'plotly', 'streamlit', 'kaleido', 'pptx'))\n"
        "print(code, heavy)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip().splitlines()[-1] == "0 []"


def test_memory_cap_of_the_direct_import_is_lifted_afterwards(tmp_path, dbfile):
    from kek_data.ingest import import_file

    con = db.connect(dbfile)
    before = con.execute("SELECT current_setting('memory_limit')").fetchall()
    result = import_file(
        con, dbfile, csv_bytes(["2024;Strom;1;kWh;;"]), "a.csv", "dsw21", NM, memory_limit_mb=200
    )
    assert result.direct
    assert con.execute("SELECT current_setting('memory_limit')").fetchall() == before


@pytest.mark.parametrize(
    "command",
    [
        ["import", "FILE", "--member", "dsw21"],
        ["import", "FILE", "--member", "dsw21", "--dry-run"],
        ["rollback", "1"],
        ["check-store"],
        ["summary"],
        ["summary", "--json"],
    ],
)
def test_a_missing_database_is_refused_not_created(tmp_path, capsys, command):
    """A typo in --db must not make a new empty database and report success."""
    good = tmp_path / "a.csv"
    good.write_bytes(csv_bytes(["2024;Strom;1;kWh;;"]))
    typo = tmp_path / "tippfehler" / "kek.duckdb"
    args = [str(good) if a == "FILE" else a for a in command]
    code, out, err = _run(capsys, *args, "--db", str(typo))
    assert (code, out) == (1, "")
    assert err == (
        f"Fehler: Datenbank {typo} gibt es nicht. Bitte den Pfad prüfen oder die Datenbank erst "
        f"anlegen: python -m kek_data init --db {typo} (zum Ausprobieren mit --demo).\n"
    )
    assert not typo.parent.exists()


def test_only_init_creates_the_database(tmp_path, capsys):
    path = tmp_path / "neu" / "kek.duckdb"
    code, out, _ = _run(capsys, "init", "--db", str(path))
    assert code == 0 and out.startswith(f"Datenbank {path} ist bereit") and path.is_file()
