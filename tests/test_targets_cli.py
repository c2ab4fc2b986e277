"""``python -m kek_data targets [--json]`` and ``targets set`` on the small literal DB.

tests/small.py: a emits 70 t CO₂e in 2023 (base year), target −60 % by 2030, neutral 2035.
In-process through :func:`kek_data.cli.main`, plus one real ``python -m kek_data`` call.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kek_data import cli
from tests import small
from tests.targets_util import counts

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def path(tmp_path: Path) -> Path:
    p = tmp_path / "small.duckdb"
    small.build(p).close()
    return p


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_targets_json(capsys, path):
    code, out, _ = run(capsys, "targets", "--json", "--db", str(path))
    assert code == 0
    data = json.loads(out)
    assert sorted(data) == ["a", "b", "c", "netzwerk"]
    a = data["a"]["current"]
    assert (a["base_year"], a["base_t_co2e"], a["base_derived"]) == (2023, 70.0, True)
    assert a["milestones"] == {"2030": 60.0} and a["neutrality_year"] == 2035
    assert [v["changes"] for v in data["a"]["versions"]] == [["neu"]]


def test_targets_text_one_line_per_owner(capsys, path):
    code, out, _ = run(capsys, "targets", "--member", "a", "--db", str(path))
    assert code == 0
    assert out.splitlines() == [
        "a: −60 % bis 2030, neutral 2035 (Basis 2023) · eigenes Ziel · Scope 1 und 2 · "
        "Basiswert 70 t CO₂e (aus Daten) · Quelle: tests/small.py · unbestätigte Annahme"
    ]


def test_targets_set_adds_a_version(capsys, path):
    code, out, err = run(
        capsys, "targets", "set", "--member", "a", "--base-year", "2023",
        "--milestone", "2030:80", "--milestone", "2027:40,5", "--neutral", "2035",
        "--residual", "5", "--source", "Vereinbarung vom 30.11.2026",
        "--agreed-on", "2026-11-30", "--db", str(path),
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert "Neue Zielversion" in out and "−40,5 % bis 2027, −80 % bis 2030" in out
    code, out, _ = run(capsys, "targets", "--json", "--member", "a", "--db", str(path))
    versions = json.loads(out)["a"]["versions"]
    assert versions[0]["changes"] == [
        "Meilenstein 2027: keiner → −40,5 %",
        "Meilenstein 2030: −60 % → −80 %",
        "Restanteil: 0 % → 5 %",
        "Vereinbart am: – → 30.11.2026",
        "Quelle: „Vereinbarung vom 30.11.2026“",
        "Annahme bestätigt",  # entered by the network management: no longer an assumption
    ]
    assert versions[0]["entered_by"].startswith("cli:") and versions[1]["changes"] == ["neu"]


def test_targets_set_bad_input_names_the_option_and_writes_nothing(capsys, path):
    before = counts(path)
    code, out, err = run(
        capsys, "targets", "set", "--member", "a", "--base-year", "2023",
        "--milestone", "2030:120", "--milestone", "2031", "--neutral", "2035",
        "--db", str(path),
    )  # fmt: skip
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "Fehler: --milestone: Meilenstein „2031“: bitte Jahr:Minderung in % angeben, z. B. "
        "2030:55 oder 2030:55,5.",
        "Fehler: --milestone: Minderung 120 % im Jahr 2030: höchstens 100 % möglich.",
        "Fehler: --source: Bitte die Quelle angeben (z. B. Vereinbarung vom …, Beschluss, "
        "Website).",
        "Nichts wurde gespeichert.",
    ]
    assert counts(path) == before


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--base-year", "abc"], "Fehler: --base-year: „abc“ ist keine Jahreszahl (z. B. 2035)."),
        (["--base-year", "2023", "--neutral", "2040abc"],
         "Fehler: --neutral: „2040abc“ ist keine Jahreszahl (z. B. 2035)."),
        (["--base-year", "2023", "--scopes", "3"],
         "Fehler: --scopes: Unbekannte Scopes „3“: erlaubt sind 1, 2 und 1+2."),
    ],
)  # fmt: skip
def test_targets_set_unreadable_options_are_german_with_exit_1(capsys, path, options, message):
    before = counts(path)
    code, _, err = run(
        capsys, "targets", "set", "--member", "a", "--milestone", "2030:55", "--source", "X",
        *options, "--db", str(path),
    )  # fmt: skip
    assert code == 1 and err.splitlines()[0] == message
    assert counts(path) == before


@pytest.mark.parametrize("role", ["stadt", "mitglied:a", "oeffentlich"])
def test_targets_set_only_network_management(capsys, path, role):
    before = counts(path)
    code, _, err = run(
        capsys, "targets", "set", "--member", "a", "--base-year", "2023", "--milestone",
        "2030:80", "--source", "x", "--as", role, "--db", str(path),
    )  # fmt: skip
    assert code == 1 and "Nur das Netzwerkmanagement darf Ziele festlegen" in err
    assert counts(path) == before


def test_targets_as_member_and_public(capsys, path):
    code, out, _ = run(capsys, "targets", "--json", "--as", "mitglied:b", "--db", str(path))
    assert code == 0 and sorted(json.loads(out)) == ["b", "netzwerk"]
    code, _, err = run(capsys, "targets", "--member", "a", "--as", "mitglied:b", "--db", str(path))
    assert code == 1 and "nur die Ziele Ihrer eigenen Organisation" in err
    code, _, err = run(capsys, "targets", "--as", "oeffentlich", "--db", str(path))
    assert code == 1 and "nur nach der Anmeldung" in err


def test_real_command_line(path):
    done = subprocess.run(
        [sys.executable, "-m", "kek_data", "targets", "--json", "--member", "netzwerk",
         "--db", str(path)],
        capture_output=True, text=True, cwd=ROOT, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["netzwerk"]["current"]["base_t_co2e"] == 140.0  # 70 + 20 + 50
