"""The data package: every table as CSV and XLSX, compared value by value with the queries."""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from kek_data import db, emissions, report
from kek_data.export import package, tables
from kek_data.viewer import NETWORK_MANAGER, PUBLIC, Viewer
from tests.golden import assert_golden


@pytest.fixture(scope="module")
def mcon(demo_db_template: Path, tmp_path_factory: pytest.TempPathFactory):
    path = tmp_path_factory.mktemp("paket") / "kek.duckdb"
    shutil.copy(demo_db_template, path)
    con = db.connect(path)
    yield con
    con.close()


@pytest.fixture(scope="module")
def zf(mcon) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(package.build_package(mcon, NETWORK_MANAGER)))


@pytest.fixture(scope="module")
def items(mcon) -> list[package.Table]:
    return package.build_tables(report.build(mcon, NETWORK_MANAGER), mcon)


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[0] == [tables.DEMO_LINE]
    return rows[1:]


def same(cell: str, value, kind: str) -> bool:
    """Does a German CSV cell hold exactly this value?"""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NaT:
        return cell == ""
    if kind == "number":
        return float(cell.replace(",", ".")) == float(value)
    if kind in ("int", "year"):
        return int(cell) == int(value)
    if kind == "datetime":
        return cell == pd.Timestamp(value).strftime("%d.%m.%Y %H:%M")
    return cell == tables.neutralise(str(value))


def test_zip_contents(zf, items):
    names = zf.namelist()
    assert names[:2] == ["README.txt", "KEK_Daten_2025.xlsx"]
    assert [n for n in names if n.startswith("csv/")] == [f"csv/{t.name}.csv" for t in items]
    assert [t.name for t in items] == [
        "mitglieder", "emissionen", "emissionen_je_jahr", "pfade", "kennzahlen",
        "vollstaendigkeit", "zielabgleich", "zerlegung", "massnahmen_luecke", "strom_scope2",
        "aktivitaetsdaten", "emissionsfaktoren", "umrechnungen",
    ]  # fmt: skip


def test_every_csv_value_equals_the_query(zf, items):
    for t in items:
        rows = read_csv(zf.read(f"csv/{t.name}.csv"))
        assert rows[0] == [c.header for c in t.columns], t.name
        assert len(rows) - 1 == len(t.frame), t.name
        for row, rec in zip(rows[1:], t.frame.to_dict("records"), strict=True):
            for cell, c in zip(row, t.columns, strict=True):
                assert same(cell, rec[c.key], c.kind), (t.name, c.key, cell, rec[c.key])


def test_every_xlsx_sheet_equals_the_query(zf, items):
    wb = openpyxl.load_workbook(io.BytesIO(zf.read("KEK_Daten_2025.xlsx")))
    assert wb.sheetnames == [t.title for t in items]
    for t in items:
        ws = wb[t.title]
        assert "Demodaten (fiktiv)" in ws["A1"].value and "Stand 15.03.2026" in ws["A1"].value
        assert [c.value for c in ws[2]] == [c.header for c in t.columns]
        assert ws.max_row - 2 == len(t.frame)
        for i, rec in enumerate(t.frame.to_dict("records"), start=3):
            for j, c in enumerate(t.columns, start=1):
                cell, value = ws.cell(i, j), rec[c.key]
                if value is None or (isinstance(value, float) and math.isnan(value)):
                    assert cell.value is None
                elif c.kind == "number":  # xlsxwriter writes 16 significant digits
                    assert cell.value == pytest.approx(value, rel=1e-15, abs=1e-12)
                    assert cell.data_type == "n"
                elif c.kind == "text":
                    assert cell.value == tables.clean_text(value) and cell.data_type == "s"


def test_key_figures_equal_the_report(mcon, items):
    rep = report.build(mcon, NETWORK_MANAGER)
    kpi_table = next(t for t in items if t.name == "kennzahlen").frame.set_index("owner")
    network = rep.network
    # 2025 under the completeness rule: Caritas and Diakonie count with 2024 (issue 8, item 2)
    assert kpi_table.loc["netzwerk", "latest"] == network.latest
    assert network.latest == pytest.approx(179137.486, abs=0.001)
    assert kpi_table.loc["netzwerk", "left"] == network.budget.left
    # the budget says when it is over (issue 11): the path needs more than is left
    row = kpi_table.loc["netzwerk"]
    assert (round(row["path_rest"]), round(row["over"]), row["exhausted"]) == (913769, 56968, 2031)
    assert (row["zero_year"], row["zero_year_10"]) == (2046, 2047)
    assert kpi_table.loc["netzwerk", "req_t_2030"] == network.step(2030).required.t_per_year
    for member_id, k in rep.kpis.items():
        row = kpi_table.loc[member_id]
        assert row["latest_year"] == k.latest_year and row["rate_basis"] == k.rate_basis
        assert row["latest"] == k.latest and row["gap_latest"] == k.gap_latest
        step = k.step(2030)
        assert row["req_t_2030"] == step.required.t_per_year
        assert row["req_pct_2030"] == pytest.approx(step.required.t_per_year / k.latest * 100)
    assert kpi_table.loc["caritas", "latest_year"] == 2024
    assert kpi_table.loc["caritas", "rate_basis"] == "% der Emissionen 2024"
    assert kpi_table["latest"].drop("netzwerk").sum() == pytest.approx(network.latest)
    wide = next(t for t in items if t.name == "emissionen_je_jahr").frame.set_index("year")
    series = emissions.series(emissions.detail(mcon, NETWORK_MANAGER), "dsw21")
    assert wide["dsw21"].to_dict() == pytest.approx(series)  # complete in every year
    # the member columns add up to the network column in every year; a partial year counts
    # with the member's last complete year (Caritas 2025 = its 2024)
    members = wide.drop(columns=["network", "coverage"])
    assert members.sum(axis=1).to_dict() == pytest.approx(wide["network"].to_dict())
    assert wide.loc[2025, "caritas"] == wide.loc[2024, "caritas"]
    assert wide.loc[2025, "coverage"] == (
        "2025: 8 von 10 Mitgliedern vollständig · Caritas, Diakonie mit 2024"
    )


def test_readme_explains_every_column_and_unit(zf, items):
    readme = zf.read("README.txt").decode("utf-8-sig")
    assert "\r\n" in readme
    assert "Demodaten (fiktiv)" in readme and "Stand der Daten: 15.03.2026" in readme
    for unit in ("t CO₂e:", "kWh:", "g CO₂e/kWh:", "%/a:"):
        assert unit in readme
    flat = re.sub(r"\s+", " ", readme)
    for t in items:
        assert f"csv/{t.name}.csv" in readme
        for c in t.columns:
            assert f"- {c.header}" in flat, (t.name, c.header)


def _all_text(zf: zipfile.ZipFile) -> str:
    """Every file of the package as text (CSV, README, and the XLSX's XML parts)."""
    out = []
    for name in zf.namelist():
        data = zf.read(name)
        if name.endswith(".xlsx"):
            inner = zipfile.ZipFile(io.BytesIO(data))
            out += [inner.read(n).decode("utf-8", "replace") for n in inner.namelist()]
        else:
            out.append(data.decode("utf-8-sig"))
    return "\n".join(out)


WITHHELD_FROM_PUBLIC = ["sparkasse", "hafen", "ekkdo", "caritas", "diakonie"]


def test_public_package_has_named_members_only(mcon):
    """Consent (issue 9): the public gets the network and the members named by consent, no
    reported quantities or file names, and nothing of the others (not even a pseudonym)."""
    zf = zipfile.ZipFile(io.BytesIO(package.build_package(mcon, PUBLIC)))
    assert [n for n in zf.namelist() if n.startswith("csv/")] == [
        "csv/mitglieder.csv", "csv/emissionen.csv", "csv/emissionen_je_jahr.csv",
        "csv/pfade.csv", "csv/kennzahlen.csv", "csv/vollstaendigkeit.csv",
        "csv/zielabgleich.csv", "csv/zerlegung.csv", "csv/massnahmen_luecke.csv",
        "csv/emissionsfaktoren.csv",
        "csv/umrechnungen.csv",
    ]  # fmt: skip
    named = ["dsw21", "dew21", "edg", "fhdo", "stadt"]
    assert [r[0] for r in read_csv(zf.read("csv/kennzahlen.csv"))[1:]] == ["netzwerk", *named]
    assert [r[0] for r in read_csv(zf.read("csv/mitglieder.csv"))[1:]] == named
    assert {r[0] for r in read_csv(zf.read("csv/emissionen.csv"))[1:]} == set(named)
    members = emissions.members(mcon, NETWORK_MANAGER).set_index("member_id")
    text = _all_text(zf)
    for m in WITHHELD_FROM_PUBLIC:
        assert m not in text
        for name in members.loc[m, ["name", "short_name"]]:
            assert name not in text, name
    assert "mitglied-a" not in text
    tables_only = "".join(zf.read(n).decode("utf-8-sig") for n in zf.namelist() if "csv/" in n)
    assert "Mitglied A" not in tables_only  # the README explains the pseudonyms in general
    assert "Ansicht Öffentlich" in text and "nicht ausgewiesen (weniger als 3" in text


def test_member_package_pseudonyms_and_own_files(mcon):
    viewer = Viewer("mitglied", "caritas")  # intern itself: sees itself, named, pseudonyms
    zf = zipfile.ZipFile(io.BytesIO(package.build_package(mcon, viewer)))
    rows = read_csv(zf.read("csv/mitglieder.csv"))
    assert [r[0] for r in rows[1:]] == [
        "dsw21", "dew21", "edg", "fhdo", "caritas", "stadt", "mitglied-a", "mitglied-b",
    ]  # fmt: skip
    assert rows[-1][1:] == ["Mitglied B", "Mitglied B", ""]  # no sector for a pseudonym
    assert {r[0] for r in read_csv(zf.read("csv/aktivitaetsdaten.csv"))[1:]} == {"caritas"}
    members = emissions.members(mcon, NETWORK_MANAGER).set_index("member_id")
    text = _all_text(zf)
    for m in ["sparkasse", "hafen", "ekkdo", "diakonie"]:
        assert m not in text
        for name in members.loc[m, ["name", "short_name"]]:
            assert name not in text, name


def test_golden_readme(zf):
    readme = zf.read("README.txt").decode("utf-8-sig")
    readme = re.sub(r"erstellt am \S+ um \S+ Uhr", "erstellt am <Datum> um <Zeit> Uhr", readme)
    assert_golden("export_readme.txt", readme)
