"""Units that invite errors: refrigerant as gas mass, wood chips at the pellet value, E10.

Bytes in, German error out, on both import paths (the direct one-pass import and the full
check) and for CSV and XLSX: the rules are blocks of ``sql/upload_rules.sql``, written once.
"""

from __future__ import annotations

import pytest

from kek_data import methodology, reference
from kek_data.ingest import ValidationFailed, direct, import_file
from kek_data.ingest.template import hints
from kek_data.viewer import NETWORK_MANAGER as NM
from tests.ingest_util import HEADER, csv_bytes, new_db, xlsx_bytes

KAELTE = (
    "Kältemittel bitte als kg CO₂e angeben (nachgefüllte Menge in kg × GWP des Kältemittels, "
    "z. B. R-410A: GWP 2.256 nach IPCC AR6, 1.924 nach AR5 – bitte den Bericht nennen) oder als "
    "t CO₂e; „{value}“ ist die Masse des Gases, nicht seine Klimawirkung."
)
SONSTIGE = (
    "Sonstige Emissionen bitte als kg CO₂e oder t CO₂e angeben: „{value}“ allein ist eine Masse "
    "und keine Klimawirkung (bei Kältemitteln: Menge × GWP, z. B. R-410A: GWP 2.256 nach IPCC "
    "AR6, 1.924 nach AR5 – bitte den Bericht nennen)."
)
CHIPS = (
    "Hackschnitzel bitte in kWh oder MWh angeben (Wärmemengenzähler oder Heizwert laut "
    "Lieferschein): ihr Heizwert hängt vom Wassergehalt ab (etwa 3,4–4,0 kWh/kg), „{value}“ "
    "würde mit dem Pelletwert 4,9 kWh/kg umgerechnet."
)
PASST = "Die Einheit „{value}“ passt nicht zu {carrier}; erlaubt: {units}."


def _xlsx(rows: list[str]) -> bytes:
    return xlsx_bytes([HEADER.split(";")] + [r.split(";") for r in rows])


FILES = {"csv": csv_bytes, "xlsx": _xlsx}


def _errors(tmp_path, monkeypatch, rows, kind="csv", path_taken="direkt"):
    """The German errors of importing ``rows``; asserts that nothing was written."""
    con, path = new_db(tmp_path)
    if path_taken == "voll":
        monkeypatch.setattr(direct, "try_import", lambda *a, **k: None)
    ext = "xlsx" if kind == "xlsx" else "csv"
    with pytest.raises(ValidationFailed) as err:
        import_file(con, path, FILES[kind](rows), f"kek.{ext}", "dsw21", NM)
    assert con.execute("SELECT count(*) FROM activity").fetchall() == [(0,)]
    return [e.removeprefix(f"kek.{ext}, ") for e in err.value.errors]


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("path_taken", ["direkt", "voll"])
def test_refrigerant_in_kg_of_gas_is_refused_with_the_gwp_hint(
    tmp_path, monkeypatch, kind, path_taken
):
    rows = ["2023;Strom;5;kWh;Rathaus;", "2023;Kältemittel;12;kg;Rathaus;R-410A nachgefüllt"]
    errors = _errors(tmp_path, monkeypatch, rows, kind, path_taken)
    assert errors == ["Zeile 3, Spalte „Einheit“: " + KAELTE.format(value="kg")]


@pytest.mark.parametrize("path_taken", ["direkt", "voll"])
def test_refrigerant_spellings_and_tonnes_are_refused(tmp_path, monkeypatch, path_taken):
    rows = ["2023;KAELTEMITTEL;12;KG;Rathaus;", "2024; kältemittel ;0,1;t;Rathaus;"]
    errors = _errors(tmp_path, monkeypatch, rows, path_taken=path_taken)
    assert errors == [  # one message per cell (no second "passt nicht" beside it)
        "Zeile 2, Spalte „Einheit“: " + KAELTE.format(value="KG"),
        "Zeile 3, Spalte „Einheit“: " + KAELTE.format(value="t"),
    ]


@pytest.mark.parametrize("path_taken", ["direkt", "voll"])
def test_other_direct_emissions_as_mass_are_refused(tmp_path, monkeypatch, path_taken):
    rows = ["2023;Sonstige;500;kg;Lager;", "2024;Sonstige;2;t;Lager;", "2023;Strom;5;kWh;Lager;"]
    errors = _errors(tmp_path, monkeypatch, rows, path_taken=path_taken)
    assert errors == [
        "Zeile 2, Spalte „Einheit“: " + SONSTIGE.format(value="kg"),
        "Zeile 3, Spalte „Einheit“: " + SONSTIGE.format(value="t"),
    ]


def test_refrigerant_in_co2e_imports_at_its_value(tmp_path):
    """12 kg R-410A × 2.088 = 25.056 kg CO₂e = 25,056 t (kg CO₂e and t CO₂e both read)."""
    con, path = new_db(tmp_path)
    rows = [
        "2023;Kältemittel;25.056;kg CO2e;Rathaus;12 kg R-410A × 2.088",
        "2024;Kältemittel;25,056;t CO₂e;Rathaus;",
        "2023;Sonstige;500;kg CO₂e;Lager;",
    ]
    done = import_file(con, path, csv_bytes(rows), "kek.csv", "dsw21", NM)
    assert done.n_rows == 3
    got = con.execute("SELECT year, site, t_co2e FROM emissions ORDER BY ALL").fetchall()
    assert [(y, s, round(t, 6)) for y, s, t in got] == [
        (2023, "Lager", 0.5),
        (2023, "Rathaus", 25.056),
        (2024, "Rathaus", 25.056),
    ]


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("path_taken", ["direkt", "voll"])
def test_wood_chips_in_tonnes_are_refused(tmp_path, monkeypatch, kind, path_taken):
    rows = ["2023;Hackschnitzel;80;t;Schule;", "2023;Holzhackschnitzel;80;t;Rathaus;"]
    errors = _errors(tmp_path, monkeypatch, rows, kind, path_taken)
    assert errors == [
        "Zeile 2, Spalte „Einheit“: " + CHIPS.format(value="t"),
        "Zeile 3, Spalte „Einheit“: " + CHIPS.format(value="t"),
    ]


def test_wood_chips_in_kwh_and_pellets_in_tonnes_import(tmp_path):
    """Chips in kWh at the wood factor (22 g/kWh); pellets in t at 4,9 kWh/kg."""
    con, path = new_db(tmp_path)
    rows = ["2023;Hackschnitzel;300.000;kWh;Schule;", "2023;Pellets;10;t;Rathaus;"]
    assert import_file(con, path, csv_bytes(rows), "kek.csv", "dsw21", NM).n_rows == 2
    got = con.execute("SELECT site, kwh, t_co2e FROM emissions ORDER BY site").fetchall()
    assert [(s, round(k), round(t, 4)) for s, k, t in got] == [
        ("Rathaus", 49_000, 1.078),
        ("Schule", 300_000, 6.6),
    ]


def test_e10_counts_at_the_petrol_value_and_says_so():
    """Decision: E10 stays an alias of Benzin (9,0 kWh/l); the error of a few % is stated."""
    carriers = {c["carrier_id"]: c for c in reference.read_table("carriers.csv")}
    assert "Super E10" in carriers["benzin"]["aliases"].split("|")
    conv = {(r["carrier_id"], r["unit"]): r for r in reference.read_table("unit_conversions.csv")}
    assert float(conv[("benzin", "l")]["factor"]) == pytest.approx(43.543 * 0.745 / 3.6)
    text = methodology.section("emissionen").markdown
    assert "E10" in text and "2–7 %" in text and "zweiter Hand" in text
    assert any("E10" in h and "9,0 kWh/l" in h for h in hints())
    assert any("R-410A: GWP 2.256 nach IPCC AR6" in h and "kg CO₂e" in h for h in hints())
    assert any("Hackschnitzel" in h and "kWh" in h for h in hints())
