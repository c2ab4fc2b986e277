"""The command line under a role: ``--as ROLLE[:MITGLIED]``, consent and login commands.

In-process through :func:`kek_data.cli.main` (fast), plus one real ``python -m kek_data summary
--json --as mitglied:dsw21`` checked for every id and name the demo consent withholds from dsw21:
``intern`` (ekkdo, caritas, diakonie) by no name at all, ``gesamt`` (sparkasse, hafen) only as
``mitglied-a``/``mitglied-b``.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

from kek_data import access, cli, db
from kek_data.ingest import history
from kek_data.ingest.store import files_dir
from kek_data.viewer import NETWORK_MANAGER
from tests.ingest_util import csv_bytes

ROOT = Path(__file__).resolve().parent.parent
INTERN = ("ekkdo", "caritas", "diakonie")
GESAMT = ("sparkasse", "hafen")
NAMED = ("dsw21", "dew21", "edg", "fhdo", "stadt")


def _run(capsys, *args: str) -> tuple[int, str, str]:
    code = cli.main(list(args))
    out = capsys.readouterr()
    return code, out.out, out.err


def _state(path: Path) -> tuple:
    con = db.connect(path)
    try:
        counts = con.execute(
            "SELECT (SELECT count(*) FROM submissions), (SELECT count(*) FROM activity), "
            "(SELECT count(*) FROM submission_events)"
        ).fetchall()[0]
    finally:
        con.close()
    return counts, sorted(p.name for p in files_dir(path).glob("??/*"))


@pytest.fixture
def dbf(seeded_db: Path, tmp_path: Path) -> tuple[Path, Path]:
    """(database with one real upload of dew21 kept as a file, a valid CSV for 2014)."""
    file = tmp_path / "kek_2014.csv"
    file.write_bytes(csv_bytes(["2014;Strom;5;kWh;;"]))
    assert cli.main(["import", str(file), "--member", "dew21", "--db", str(seeded_db)]) == 0
    return seeded_db, file


def _sid_of(path: Path, member_id: str) -> int:
    con = db.connect(path)
    try:
        return int(history(con, NETWORK_MANAGER, member_id)["submission_id"].iloc[0])
    finally:
        con.close()


def test_import_for_another_member_is_refused_and_writes_nothing(dbf, capsys):
    path, file = dbf
    before = _state(path)
    for role in ("mitglied:dsw21", "stadt", "oeffentlich"):
        code, out, err = _run(capsys, "import", str(file), "--as", role, "--member", "dew21",
                              "--db", str(path))  # fmt: skip
        assert (code, out) == (1, ""), role
        assert err.startswith("Fehler: ") and "Nichts wurde geschrieben." in err, err
        assert _state(path) == before, role
    err = _run(capsys, "import", str(file), "--as", "mitglied:dsw21", "--member", "dew21",
               "--db", str(path))[2]  # fmt: skip
    assert "Als Mitglied „dsw21“ dürfen Sie nur Daten Ihrer eigenen Organisation" in err
    # also a dry run (it would show dew21's current figures) and a member that does not exist
    code, _, err = _run(capsys, "import", str(file), "--as", "mitglied:dsw21", "--member",
                        "niemand", "--dry-run", "--db", str(path))  # fmt: skip
    assert code == 1 and "Bekannt" not in err  # no list of every member for a member
    assert _state(path) == before


def test_rollback_of_another_members_submission_is_refused(dbf, capsys):
    path, _ = dbf
    sid = _sid_of(path, "dew21")
    before = _state(path)
    for role in ("mitglied:dsw21", "stadt", "oeffentlich"):
        code, out, err = _run(capsys, "rollback", str(sid), "--as", role, "--db", str(path))
        assert (code, out) == (1, "") and "Nichts wurde geschrieben." in err, (role, err)
        assert "dew21" not in err and "DEW21" not in err
        assert _state(path) == before
    code, out, _ = _run(capsys, "rollback", str(sid), "--as", "mitglied:dew21", "--db", str(path))
    assert code == 0 and f"Meldung Nr. {sid} von dew21 zurückgenommen" in out


def test_member_import_defaults_to_its_own_organisation_and_records_the_user(dbf, capsys):
    path, file = dbf
    code, out, err = _run(capsys, "import", str(file), "--as", "mitglied:dsw21", "--db", str(path))
    assert (code, err) == (0, "") and "für dsw21 importiert" in out
    con = db.connect(path)
    try:
        who = history(con, NETWORK_MANAGER, "dsw21")["submitted_by"].iloc[0]
    finally:
        con.close()
    assert who == cli.cli_user() and who.startswith("cli:")
    code, _, err = _run(capsys, "import", str(file), "--db", str(path))  # network: say whom
    assert code == 1 and "--member" in err


def test_bad_roles_are_german_errors(dbf, capsys):
    path, _ = dbf
    cases = {
        "chef": "Unbekannte Rolle „chef“",
        "mitglied": "Bei der Rolle mitglied fehlt das Mitglied",
        "stadt:dsw21": "Nur die Rolle mitglied nimmt ein Mitglied an",
        "mitglied:xyz": "Unbekanntes Mitglied „xyz“",
    }
    for spec, message in cases.items():
        code, out, err = _run(capsys, "summary", "--as", spec, "--db", str(path))
        assert (code, out) == (1, "") and message in err, (spec, err)


def _summary_members(capsys, path: Path, spec: str) -> dict:
    code, out, err = _run(capsys, "summary", "--json", "--as", spec, "--db", str(path))
    assert (code, err) == (0, "")
    return json.loads(out)


def test_summary_follows_consent_per_role(dbf, capsys):
    path, _ = dbf
    everything = _summary_members(capsys, path, "netzwerk")
    assert set(everything["members"]) == {*NAMED, *GESAMT, *INTERN}
    assert _summary_members(capsys, path, "stadt")["network"] == everything["network"]
    member = _summary_members(capsys, path, "mitglied:dsw21")
    assert set(member["members"]) == {*NAMED, "mitglied-a", "mitglied-b"}
    assert set(member["activity"]) == set(member["members"])
    assert set(member["report"]["members"]) == set(member["members"])
    public = _summary_members(capsys, path, "oeffentlich")
    assert set(public["members"]) == set(NAMED) == set(public["activity"])
    # an own figure is the same under every role that sees it
    assert member["members"]["dsw21"] == everything["members"]["dsw21"]
    # "gesamt" members count in the total: the member's network series is the full one
    assert member["network"] == everything["network"]


def test_a_withheld_total_leaks_neither_as_text_nor_through_the_network_target(dbf, capsys):
    """All named but EKKDO: DSW21 would get EKKDO as total minus the others, also from the
    network target's base (the 2015 total) and its path; the text output says so instead."""
    path, _ = dbf
    for m in (*NAMED, *GESAMT, "caritas", "diakonie"):
        assert _run(capsys, "consent", m, "namentlich", "--db", str(path))[0] == 0
    code, out, _ = _run(capsys, "summary", "--as", "mitglied:dsw21", "--db", str(path))
    basis = "Bilanzbasis: standortbezogen (BISKO)"
    assert code == 0 and out == f"{basis}\nNetzwerksumme: {access.WITHHELD}\n"
    network = _summary_members(capsys, path, "mitglied:dsw21")["report"]["network"]
    assert network["base_t_co2e"] is None and network["path_t_co2e"] is None
    assert network["budget"] is None and network["steps"] == {}
    assert _summary_members(capsys, path, "netzwerk")["report"]["network"]["base_t_co2e"] > 0


def test_summary_of_a_member_in_a_real_process_names_no_withheld_member(dbf):
    path, _ = dbf
    out = subprocess.run(
        [sys.executable, "-m", "kek_data", "summary", "--json", "--as", "mitglied:dsw21",
         "--db", str(path)],
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert out.returncode == 0 and out.stderr == "", out.stderr
    data = json.loads(out.stdout)
    con = db.connect(path)
    try:
        rows = con.execute("SELECT member_id, name, short_name, sector FROM members").fetchall()
    finally:
        con.close()
    by_id = {r[0]: r for r in rows}
    text = out.stdout.lower()
    for m in (*INTERN, *GESAMT):
        for word in by_id[m][:3]:
            assert word.lower() not in text, (m, word)
    for sector in ("Kirche", "Soziales", "Finanzwirtschaft", "Logistik"):  # theirs alone
        assert sector.lower() not in text
    assert {"mitglied-a", "mitglied-b"} <= set(data["members"])
    assert all("mitglied-c" not in key for key in data["members"])


def test_consent_is_set_by_network_management_only(dbf, capsys):
    path, _ = dbf
    code, out, err = _run(capsys, "consent", "caritas", "gesamt", "--note", "Mail vom 01.12.",
                          "--db", str(path))  # fmt: skip
    assert (code, err) == (0, "")
    assert out.startswith("Freigabe von caritas: nur im Gesamtwert (gesetzt am ")
    con = db.connect(path)
    try:
        now = access.consents(con)["caritas"]
    finally:
        con.close()
    assert (now.level, now.set_by, now.note) == ("gesamt", cli.cli_user(), "Mail vom 01.12.")
    for role in ("mitglied:caritas", "stadt", "oeffentlich"):
        code, out, err = _run(capsys, "consent", "caritas", "namentlich", "--as", role,
                              "--db", str(path))  # fmt: skip
        assert (code, out) == (1, "") and "Nur das Netzwerkmanagement darf" in err, role
    code, _, err = _run(capsys, "consent", "caritas", "öffentlich", "--db", str(path))
    assert code == 1 and "Unbekannte Freigabe „öffentlich“" in err
    code, _, err = _run(capsys, "consent", "niemand", "intern", "--db", str(path))
    assert code == 1 and "Unbekanntes Mitglied „niemand“" in err


def test_consent_without_level_shows_current_and_history_to_whom_it_concerns(dbf, capsys):
    path, _ = dbf
    assert _run(capsys, "consent", "caritas", "gesamt", "--db", str(path))[0] == 0
    code, out, _ = _run(capsys, "consent", "caritas", "--db", str(path))
    lines = out.splitlines()
    assert code == 0 and lines[0].startswith("Freigabe von caritas: nur im Gesamtwert (seit ")
    assert "nur im Gesamtwert" in lines[1] and "intern" in lines[2] and len(lines) == 3
    code, out, _ = _run(capsys, "consent", "caritas", "--as", "mitglied:caritas", "--db", str(path))
    assert code == 0 and out.splitlines() == lines
    assert _run(capsys, "consent", "caritas", "--as", "stadt", "--db", str(path))[0] == 0
    for role in ("mitglied:dsw21", "oeffentlich"):
        code, out, err = _run(capsys, "consent", "caritas", "--as", role, "--db", str(path))
        assert (code, out) == (1, "") and "einsehbar" in err and "gesamt" not in err, role


def test_user_assigns_and_lists_logins(dbf, capsys):
    path, _ = dbf
    code, out, err = _run(capsys, "user", "Anna@DSW21.de", "mitglied:dsw21", "--db", str(path))
    assert (code, err) == (0, "")
    by = cli.cli_user()
    assert out == f"Zugang email:anna@dsw21.de: mitglied:dsw21 (gespeichert von {by}).\n"
    assert _run(capsys, "user", "sub:abc-123", "stadt", "--db", str(path))[0] == 0
    assert _run(capsys, "user", "sub:abc-123", "none", "--db", str(path))[1].endswith(
        "gesperrt (gespeichert von " + cli.cli_user() + ").\n"
    )
    code, out, _ = _run(capsys, "user", "--list", "--as", "stadt", "--db", str(path))
    assert code == 0 and out.splitlines()[0].startswith("email:anna@dsw21.de  mitglied:dsw21")
    assert out.splitlines()[1].startswith("sub:abc-123  none")
    for args, message in (
        (["user", "--list", "--as", "mitglied:dsw21"], "sieht nur das Netzwerkmanagement"),
        (["user", "x@y.de", "netzwerk", "--as", "stadt"], "Nur das Netzwerkmanagement darf"),
        (["user", "x@y.de", "netzwerk", "--as", "mitglied:dsw21"], "Nur das Netzwerkmanagement"),
        (["user", "x@y.de", "mitglied:nope"], "Unbekanntes Mitglied „nope“"),
        (["user", "niemand", "stadt"], "Unbekannter Zugang „niemand“"),
        (["user", "x@y.de"], "Bitte Zugang und Rolle angeben"),
    ):
        code, out, err = _run(capsys, *args, "--db", str(path))
        assert (code, out) == (1, "") and message in err, (args, err)


def test_store_check_and_init_under_a_role(dbf, capsys):
    path, _ = dbf
    assert _run(capsys, "check-store", "--as", "stadt", "--db", str(path))[0] == 0
    code, _, err = _run(capsys, "check-store", "--as", "mitglied:dew21", "--db", str(path))
    assert code == 1 and "Netzwerkmanagement und Stadt" in err
    code, _, err = _run(capsys, "init", "--demo", "--as", "mitglied:dsw21", "--db", str(path))
    assert code == 1 and "Nur das Netzwerkmanagement darf" in err


def _subcommands(parser: argparse.ArgumentParser, prefix: str = ""):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from _subcommands(sub, f"{prefix}{name} ")
            return
    yield prefix.strip(), parser


def test_every_command_takes_as_and_db_from_one_helper():
    commands = dict(_subcommands(cli.build_parser()))
    assert set(commands) >= {
        "init", "summary", "consent", "user", "import", "rollback", "check-store",
        "export deck", "export chart", "export data",
    }  # fmt: skip
    for name, parser in commands.items():
        options = {o: a for a in parser._actions for o in a.option_strings}
        assert options["--as"].help == cli.AS_HELP and options["--db"].help == cli.DB_HELP, name
        assert options["--as"].dest == "as_role", name


def test_exports_take_the_role_and_refuse_withheld_members(dbf, capsys, tmp_path):
    path, _ = dbf
    for args in (
        ["export", "chart", "mitglied", "--member", "caritas", "--out", str(tmp_path / "c.svg")],
        ["export", "deck", "--members", "caritas", "--quiet", "--out", str(tmp_path / "d.pptx")],
    ):
        code, out, err = _run(capsys, *args, "--as", "mitglied:dsw21", "--db", str(path))
        assert (code, out) == (1, "") and "nicht freigegeben" in err, (args, err)
    assert not list(tmp_path.glob("[cd].*"))  # nothing written
