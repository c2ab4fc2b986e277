"""Measures from a file (kek_data/measure_import.py): bytes in → rows out, encodings, XLSX,
every problem with file/line/column, nothing written on any error; the CLI's exit codes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from kek_data import db, measure_import, measures
from kek_data.errors import AccessDenied, MeasureImportErrors
from kek_data.viewer import Viewer
from tests import small
from tests.ingest_util import xlsx_bytes

NET = Viewer(role="netzwerk", user="nm@kek.de")
A = Viewer(role="mitglied", member_id="a", user="mia@a.de")
HEAD = ["Titel", "Handlungsfeld", "Status", "Beginn", "Ende", "Umsetzung %",
        "Einsparung t CO₂e/a", "Einsparung Energie je Jahr", "Einheit", "Energieträger",
        "Verantwortlich", "Sichtbarkeit", "Kommentar"]  # fmt: skip
ROWS = [
    ["Wärmepumpe Süd", "Gebäude und Wärme", "beschlossen", "2026", "2027", "10", "",
     "10.000", "Liter", "Heizöl EL", "Frau Öztürk", "öffentlich", ""],
    ["Dienstwagen elektrisch", "Mobilität & Fuhrpark", "umgesetzt", "2024", "2025", "",
     "12,5", "", "", "", "Herr Groß", "", ""],
]  # fmt: skip


def text(rows: list[list[str]], sep: str = ";") -> str:
    return "\r\n".join(sep.join(r) for r in rows) + "\r\n"


@pytest.fixture
def scon(tmp_path: Path):
    con = small.build(tmp_path / "small.duckdb")
    yield con
    con.close()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
def test_import_csv_encodings(scon, encoding):
    head = [h.replace("CO₂e", "CO2e") for h in HEAD]  # Windows-1252 has no ₂
    data = text([head, *ROWS]).encode(encoding)
    result = measure_import.import_file(scon, A, "a", data, "massnahmen.csv")
    assert (
        result.summary("massnahmen.csv") == "massnahmen.csv: 2 Maßnahmen neu, 0 Maßnahmen geändert."
    )
    cur = measures.savings(scon, A, "a").set_index("title")
    pump = cur.loc["Wärmepumpe Süd"]
    assert pump["field"] == "Gebäude & Wärme" and pump["responsible"] == "Frau Öztürk"
    assert pump["saving_carrier_id"] == "heizoel" and pump["saving_unit"] == "l"
    assert pump["visibility"] == "öffentlich"
    # 10.000 l × 10,1105 kWh/l × 300 g CO₂e/kWh (tests/small.py) / 10⁶
    assert pump["saving_t"] == pytest.approx(10_000 * 42_821 * 0.85 / 3600 * 300 / 1e6)
    car = cur.loc["Dienstwagen elektrisch"]
    assert car["completion_pct"] == 100 and car["saving_t"] == 12.5  # umgesetzt: empty = 100 %
    assert car["visibility"] == "intern" and car["entered_by"] == "mia@a.de"


def test_import_xlsx_and_comma_csv(scon):
    data = xlsx_bytes([HEAD, [2026 if c == "2026" else c for c in ROWS[0]]])
    assert len(measure_import.import_file(scon, NET, "a", data, "m.xlsx").added) == 1
    data = text([HEAD, ROWS[1]], sep="\t").encode()
    assert len(measure_import.import_file(scon, NET, "b", data, "m.txt").added) == 1
    assert set(measures.current(scon, NET)["member_id"]) == {"a", "b"}


def test_every_problem_with_line_and_column_nothing_written(scon):
    rows = [
        ["", "Gebäude & Wärme", "fertig", "2026", "2025", "", "5", "", "", "", "", "", ""],
        ["LED", "Strom & Erneuerbare", "geplant", "zwanzig", "2027", "", "", "1,2,3", "kWh",
         "Strom", "", "", ""],
        ["Kessel", "Gebäude & Wärme", "geplant", "2026", "2027", "", "", "100", "kg", "Holz",
         "", "geheim", ""],
        ["Ladesäulen", "Mobilität & Fuhrpark", "umgesetzt", "2023", "2023", "50", "3", "", "",
         "", "", "", ""],
    ]  # fmt: skip
    with pytest.raises(MeasureImportErrors) as exc:
        measure_import.import_file(scon, NET, "a", text([HEAD, *rows]).encode(), "m.csv")
    errs = exc.value.errors
    assert (
        "m.csv, Zeile 2, Spalte „Status“: „fertig“ ist nicht erlaubt; erlaubt: geplant, "
        "beschlossen, in Umsetzung, umgesetzt, verworfen." in errs
    )
    assert (
        "m.csv, Zeile 2, Spalte „Titel“: Bitte einen Titel angeben (z. B. "
        "„LED-Beleuchtung Verwaltung“)." in errs
    )
    assert "m.csv, Zeile 3, Spalte „Beginn“: „zwanzig“ ist keine ganze Zahl." in errs
    assert any(e.startswith("m.csv, Zeile 3, Spalte „Einsparung Energie je Jahr“: „1,2,3“ ist "
                            "keine Zahl") for e in errs)  # fmt: skip
    assert (
        "m.csv, Zeile 4, Spalte „Sichtbarkeit“: „geheim“ ist nicht erlaubt; erlaubt: intern, "
        "öffentlich." in errs
    )
    assert "m.csv, Zeile 4, Spalte „Einheit“: „kg“ ist unbekannt." not in errs  # kg is a unit
    assert any(e.startswith("m.csv, Zeile 4, Spalte „Einheit“: „kg“ lässt sich für Holz/Pellets "
                            "nicht umrechnen") for e in errs)  # fmt: skip
    assert any(e.startswith("m.csv, Zeile 5, Spalte „Umsetzung %“: „umgesetzt“ heißt 100 %")
               for e in errs)  # fmt: skip
    assert not db.query_rows(scon, "all_measure_versions")


def test_header_problems_and_example_rows(scon):
    bad = text([["Titel", "Status", "Farbe", "Titel"], ["x", "geplant", "rot", "y"]]).encode()
    with pytest.raises(MeasureImportErrors) as exc:
        measure_import.import_file(scon, NET, "a", bad, "m.csv")
    errs = exc.value.errors
    assert any("Spalte 3 „Farbe“: Unbekannte Spaltenüberschrift" in e for e in errs)
    assert any("Spalte 4 „Titel“: Die Spalte „Titel“ kommt doppelt vor" in e for e in errs)
    assert "m.csv, Zeile 1: Die Spalte „Handlungsfeld“ fehlt." in errs
    with pytest.raises(
        MeasureImportErrors, match="Zeile 2, Spalte „Kommentar“: Das ist eine Beispielzeile"
    ):
        measure_import.import_file(scon, NET, "a", measure_import.template_csv(), "vorlage.csv")
    with pytest.raises(MeasureImportErrors, match="keine Tabelle"):
        measure_import.import_file(scon, NET, "a", b"\x00\x01binary" * 20, "m.csv")
    with pytest.raises(AccessDenied):
        measure_import.import_file(scon, A, "b", text([HEAD, ROWS[0]]).encode(), "m.csv")
    assert not db.query_rows(scon, "all_measure_versions")


def test_row_with_number_updates_as_new_version(scon):
    mid = measure_import.import_file(scon, NET, "a", text([HEAD, ROWS[0]]).encode(), "m.csv").added[
        0
    ]
    head = ["Nr.", *HEAD]
    same = [str(mid), *ROWS[0]]
    changed = [str(mid), *ROWS[0][:2], "in Umsetzung", *ROWS[0][3:5], "60", *ROWS[0][6:-1],
               "Kessel bestellt"]  # fmt: skip
    no_comment = [str(mid), *ROWS[0][:2], "in Umsetzung", *ROWS[0][3:]]
    with pytest.raises(MeasureImportErrors, match="Spalte „Kommentar“: Bei einer Änderung"):
        measure_import.import_file(scon, NET, "a", text([head, no_comment]).encode(), "m.csv")
    with pytest.raises(MeasureImportErrors, match="Maßnahme Nr. 999 von „a“ gibt es nicht"):
        measure_import.import_file(
            scon, NET, "a", text([head, ["999", *ROWS[0]]]).encode(), "m.csv"
        )
    with pytest.raises(MeasureImportErrors, match=f"Maßnahme Nr. {mid} von „b“"):
        measure_import.import_file(scon, NET, "b", text([head, changed]).encode(), "m.csv")
    before = db.query_df(scon, "all_measure_versions")
    result = measure_import.import_file(scon, NET, "a", text([head, changed]).encode(), "m.csv")
    assert result.updated == [mid] and result.added == []
    after = db.query_df(scon, "all_measure_versions")
    assert after.iloc[: len(before)].equals(before) and len(after) == len(before) + 1
    log = measures.log(scon, NET, mid)
    assert log[-1].text == "Status: beschlossen → in Umsetzung; Umsetzung: 10 % → 60 %"
    assert log[-1].comment == "Kessel bestellt"
    result = measure_import.import_file(scon, NET, "a", text([head, same[:-1] + ["x"]]).encode(),
                                        "m.csv")  # fmt: skip
    assert result.updated == [mid]  # back to beschlossen
    result = measure_import.import_file(scon, NET, "a", text([head, same[:-1] + ["x"]]).encode(),
                                        "m.csv")  # fmt: skip
    assert result.unchanged == 1 and not result.updated


def test_cli_exit_codes(tmp_path):
    path = tmp_path / "cli.duckdb"
    small.build(path).close()
    good, bad = tmp_path / "gut.csv", tmp_path / "schlecht.csv"
    good.write_bytes(text([HEAD, *ROWS]).encode("utf-8-sig"))
    bad.write_bytes(text([HEAD, ["", *ROWS[0][1:]]]).encode())

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "kek_data", *args, "--db", str(path)],
                              capture_output=True, text=True)  # fmt: skip

    r = run("import-measures", str(bad), "--member", "a")
    assert r.returncode == 1 and "schlecht.csv, Zeile 2, Spalte „Titel“" in r.stderr
    assert "Nichts wurde gespeichert." in r.stderr
    r = run("import-measures", str(good), "--member", "b", "--as", "mitglied:a")
    assert r.returncode == 1 and "nur Maßnahmen Ihrer eigenen Organisation" in r.stderr
    r = run("import-measures", str(good), "--as", "stadt", "--member", "a")
    assert r.returncode == 1 and "Rolle Stadt" in r.stderr
    r = run("import-measures", str(tmp_path / "fehlt.csv"), "--member", "a")
    assert r.returncode == 1 and "nicht gefunden" in r.stderr
    r = run("import-measures", str(good), "--member", "a", "--dry-run")
    assert r.returncode == 0 and r.stdout.startswith("Prüfung ohne Speichern")
    r = run("import-measures", str(good), "--as", "mitglied:a")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "gut.csv: 2 Maßnahmen neu, 0 Maßnahmen geändert."
    vorlage = tmp_path / "vorlage.csv"
    assert run("measures", "vorlage", str(vorlage)).returncode == 0
    assert vorlage.read_bytes() == measure_import.template_csv()
