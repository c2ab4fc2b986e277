"""Market-based Scope 2 by hand on the small database (tests/small.py), contracts file rules.

Small database: Strom 400 g CO₂e/kWh (location-based), Heizöl 300; here the residual mix is set
to 500 g CO₂e/kWh for every year. Contracts and the expected values [t CO₂e]:

    A 2024  Strom 90.000 kWh, Vertrag 60.000 kWh × 0 g (HKN)      → 0 + 30.000 × 500 = 15
            + Heizöl 80.000 × 300 = 24                             → markt 39 (standort 60)
    B 2025  Strom 45.000 kWh, Vertrag 60.000 kWh × 100 g (zu viel) → 6 × 45/60 = 4,5, Rest 0
    C 2024  Strom 50.000 kWh, Vertrag 20.000 kWh × 200 g           → 4 + 30.000 × 500 = 19
            + Heizöl 30                                            → markt 49 (standort 50)
    ohne Vertrag: Strom × 500, e.g. B 2024 50.000 → 25
    Netzwerk 2024 markt: 39 + 25 + 49 = 113 (standort 60 + 20 + 50 = 130)
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from kek_data import cli, contracts, report, scope2
from kek_data.errors import AccessDenied, BasisError, ContractErrors
from kek_data.viewer import NETWORK_MANAGER, Viewer
from tests import small

HEADER = "Jahr;Strommenge;Einheit;Faktor g CO₂e/kWh;Nachweis;Lieferant\r\n"


def _file(*rows: str, encoding: str = "utf-8") -> bytes:
    header = HEADER if encoding == "utf-8" else HEADER.replace("₂", "2")  # as Excel writes it
    return (header + "".join(r + "\r\n" for r in rows)).encode(encoding)


@pytest.fixture
def scon(tmp_path: Path):
    con = small.build(tmp_path / "small.duckdb")
    con.execute("DELETE FROM residual_mix")
    con.execute("INSERT INTO residual_mix VALUES (2000, 500, 'Testwert', 'fest', 'tests')")
    contracts.import_file(con, NETWORK_MANAGER, "a", _file("2024;60.000;kWh;0;HKN entwertet;X"),
                          "a.csv")  # fmt: skip
    contracts.import_file(con, NETWORK_MANAGER, "b", _file("2025;60;MWh;100;Stromkennzeichnung;Y"),
                          "b.csv")  # fmt: skip
    c_file = _file("2024;20.000;kWh;200;Stromkennzeichnung 2024;Z")
    contracts.import_file(con, NETWORK_MANAGER, "c", c_file, "c.csv")
    yield con
    con.close()


def _by(con, viewer=NETWORK_MANAGER):
    return {(r.member_id, r.year): r for r in scope2.years(con, viewer)}


def test_market_based_by_hand(scon):
    rows = _by(scon)
    a = rows[("a", 2024)]
    assert (a.kwh, a.contract_kwh, a.rest_kwh) == (90_000, 60_000, 30_000)
    assert a.location_t == pytest.approx(36) and a.market_t == pytest.approx(15)
    assert a.green_share == pytest.approx(100 * 60 / 90)
    b = rows[("b", 2025)]
    assert b.market_t == pytest.approx(4.5) and b.rest_kwh == 0
    assert "Verträge über dem gemeldeten Strom: auf den Verbrauch gekürzt" in b.notes
    assert rows[("c", 2024)].market_t == pytest.approx(19)
    assert rows[("b", 2024)].market_t == pytest.approx(25)  # no contract: all residual mix
    mk = report.build(scon, NETWORK_MANAGER, 2024, scope2.MARKT)
    loc = report.build(scon, NETWORK_MANAGER, 2024)
    assert mk.member["a"].kpi.latest == pytest.approx(39)
    assert mk.member["c"].kpi.latest == pytest.approx(49)
    assert mk.network.series[2024] == pytest.approx(113)
    assert loc.network.series[2024] == pytest.approx(130)  # location-based unchanged
    assert mk.basis_label == "Bilanzbasis: marktbasiert (GHG Protocol Scope 2)"


def test_market_basis_has_no_target_comparison(scon):
    mk = report.build(scon, NETWORK_MANAGER, 2024, scope2.MARKT)
    assert mk.network_target is None and all(r.target is None for r in mk.member.values())
    assert mk.parts == {} and mk.city is None
    with pytest.raises(BasisError, match="Unbekannte Bilanzbasis „mark“"):
        report.build(scon, NETWORK_MANAGER, 2024, "mark")


def test_new_upload_replaces_its_years_and_withdraw(scon):
    contracts.import_file(scon, NETWORK_MANAGER, "a", _file("2024;90.000;kWh;0;HKN;X"), "a2.csv")
    assert _by(scon)[("a", 2024)].market_t == pytest.approx(0)
    contracts.withdraw(scon, NETWORK_MANAGER, "a", 2024)
    assert _by(scon)[("a", 2024)].market_t == pytest.approx(45)  # 90.000 × 500
    assert _by(scon)[("c", 2024)].market_t == pytest.approx(19)  # other members untouched


def test_contract_without_electricity_is_an_orphan(scon):
    contracts.import_file(scon, NETWORK_MANAGER, "b", _file("2022;1.000;kWh;0;HKN;X"), "o.csv")
    assert scope2.orphans(scon, NETWORK_MANAGER) == [("b", 2022)]


def test_every_problem_listed_with_line_and_column_nothing_written(scon):
    before = scon.execute("SELECT count(*) FROM contracts").fetchone()[0]
    bad = _file(
        "2024;1.000;kWh;0;Ökostromvertrag;X",  # 0 g without Herkunftsnachweise
        "20x4;-5;Wh;2000;;X",
        "2024;1.5;kWh;300;Stromkennzeichnung;X",  # ambiguous number
        encoding="cp1252",
    )
    with pytest.raises(ContractErrors) as err:
        contracts.import_file(scon, NETWORK_MANAGER, "a", bad, "v.csv")
    lines = err.value.errors
    assert lines[0].startswith("v.csv, Zeile 2, Spalte „Nachweis“: Ein Faktor unter 50 g/kWh")
    assert any(e.startswith("v.csv, Zeile 3, Spalte „Jahr“: „20x4“ ist kein Jahr") for e in lines)
    assert any(e.startswith("v.csv, Zeile 3, Spalte „Strommenge“") for e in lines)
    assert any(e.startswith("v.csv, Zeile 3, Spalte „Einheit“: „Wh“") for e in lines)
    assert any(e.startswith("v.csv, Zeile 3, Spalte „Faktor g CO₂e/kWh“: „2000“") for e in lines)
    assert any(e.startswith("v.csv, Zeile 3, Spalte „Nachweis“: Bitte den Nachweis") for e in lines)
    assert any(e.startswith("v.csv, Zeile 4, Spalte „Strommenge“") for e in lines)
    assert scon.execute("SELECT count(*) FROM contracts").fetchone()[0] == before


def test_header_and_template_rules(scon):
    with pytest.raises(ContractErrors, match="Spalte „Nachweis“ fehlt"):
        contracts.parse(b"Jahr;Strommenge;Einheit;Faktor\n2024;1;kWh;0\n", "h.csv")
    with pytest.raises(ContractErrors, match="Beispielzeile der Vorlage"):
        contracts.parse(contracts.template_csv(2024), "vorlage.csv")
    text = contracts.template_csv(2024).decode("utf-8-sig")
    assert text.startswith("Jahr;Strommenge;Einheit;Faktor g CO₂e/kWh;Nachweis")


def test_member_writes_only_its_own(scon):
    member = Viewer(role="mitglied", member_id="b", name="B", user="b@test")
    with pytest.raises(AccessDenied):
        contracts.import_file(scon, member, "a", _file("2024;1;kWh;0;HKN;X"), "x.csv")
    assert set(_by(scon, member)) == {("b", 2023), ("b", 2024), ("b", 2025)}


def test_summary_json_both_bases(scon, capsys):
    data = cli.summary(scon, NETWORK_MANAGER, 2024)
    a = data["scope2"]["a"]["2024"]
    assert (a["t_co2e"], a["t_co2e_market"]) == (pytest.approx(60), pytest.approx(39))
    assert (a["strom_kwh"], a["contract_kwh"]) == (90_000, 60_000)
    assert data["basis"] == "standort" and data["network"]["2024"] == pytest.approx(130)
    market = cli.summary(scon, NETWORK_MANAGER, 2024, scope2.MARKT)
    assert market["network"]["2024"] == pytest.approx(113)
    assert market["report"]["network"]["path_t_co2e"] is None  # no target on this basis
    json.dumps(market)


def test_demo_contracts_leave_location_figures(con):
    rows = _by(con)
    spk = rows[("sparkasse", 2024)]
    assert spk.green_share == pytest.approx(100) and spk.market_t == pytest.approx(0)
    fh = rows[("fhdo", 2024)]  # half HKN (0 g), half 310 g
    assert fh.market_t == pytest.approx(fh.kwh / 2 * 310 / 1e6)
    assert report.build(con, NETWORK_MANAGER).network.latest == pytest.approx(
        179_137.486495, abs=1e-3
    )


def test_factor_in_kg_duplicates_and_weak_proofs_are_refused(scon):
    kg_header = b"Jahr;Strommenge;Einheit;Faktor kg CO2e/kWh;Nachweis\n2024;1;kWh;0,4;X\n"
    with pytest.raises(ContractErrors, match="Der Faktor wird in g CO₂e/kWh erwartet"):
        contracts.parse(kg_header, "kg.csv")
    with pytest.raises(ContractErrors, match="wohl in kg/kWh angegeben"):
        contracts.parse(_file("2024;1.000;kWh;0,4;Stromkennzeichnung;X"), "g.csv")
    twice = _file(
        "2024;1.000;kWh;300;Stromkennzeichnung;X", "2024;1.000;kWh;300;Stromkennzeichnung;X"
    )
    with pytest.raises(
        ContractErrors, match="Zeile 3, Spalte „Jahr“: Dieselbe Zeile steht schon in Zeile 2"
    ):
        contracts.parse(twice, "d.csv")
    for weak in ("keine HKN", "HKN teilweise", "ohne Herkunftsnachweise", "SHKNX"):
        assert not contracts.green_proof(weak), weak
    assert contracts.green_proof("Herkunftsnachweise (HKNR), entwertet")


def test_market_years_start_with_the_residual_mix(scon):
    scon.execute("UPDATE residual_mix SET valid_from = 2024")
    mk = report.build(scon, NETWORK_MANAGER, 2025, scope2.MARKT)
    assert min(mk.network.series) == 2024  # 2023 would miss the factor of its rest
    assert mk.ctx.basis_note == "Bilanzbasis: marktbasiert (GHG Protocol Scope 2)"
    assert report.build(scon, NETWORK_MANAGER, 2025).ctx.basis_note == ""
