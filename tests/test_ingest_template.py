"""The downloadable Erfassungsvorlage: German Excel dialect, example row never becomes data."""

from __future__ import annotations

import io

import pytest

from kek_data.ingest import ValidationFailed, check
from kek_data.ingest.template import example_row, hints, template_csv, template_xlsx
from kek_data.viewer import NETWORK_MANAGER as NM
from tests.ingest_util import do_import, new_db


@pytest.fixture
def fresh(tmp_path):
    con, path = new_db(tmp_path)
    yield con, path
    con.close()


def test_csv_template_is_german_excel_dialect():
    data = template_csv(2024)
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.endswith("\r\n") and text.count("\r\n") == 2
    header, row = text.splitlines()
    assert header == "Jahr;Energieträger;Menge;Einheit;Standort;Bemerkung"
    assert row.split(";")[:4] == ["2024", "Erdgas", "123.456,7", "kWh"]
    assert "Brennwert Hs" in row


@pytest.mark.parametrize("make", [template_csv, template_xlsx])
def test_template_reads_and_the_example_row_is_refused(fresh, make):
    con, _ = fresh
    preview = check(con, make(2024), "vorlage", "dsw21", NM)
    assert preview.checked.n_rows == 1
    (error,) = preview.checked.errors
    assert "Zeile 2, Spalte „Bemerkung“: Das ist die Beispielzeile der Vorlage" in error
    assert preview.rows["quantity"].tolist() == [123456.7]


def test_filled_in_template_imports(fresh):
    con, path = fresh
    text = template_csv(2024).decode("utf-8-sig").replace(example_row(2024)[5], "Rechnung 2024")
    result = do_import(con, path, ("\ufeff" + text).encode())
    assert result.n_rows == 1


def test_xlsx_template_has_notes_on_a_second_sheet():
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_filelike(io.BytesIO(template_xlsx(2024)))
    assert wb.sheet_names == ["Daten", "Hinweise"]
    rows = wb.get_sheet_by_name("Hinweise").to_python()
    assert any("Brennwert (Hs)" in str(r[0]) for r in rows)


def test_hints_list_units_per_carrier():
    text = " ".join(hints())
    assert "Erdgas: kWh, MWh, GWh, m³" in text
    assert "Sonstige Emissionen: t CO₂e, kg CO₂e." in text  # plain kg refused (sonstige_masse)


def test_validation_failed_carries_lines(fresh):
    con, path = fresh
    with pytest.raises(ValidationFailed) as exc:
        do_import(con, path, template_csv(2024))
    assert exc.value.n_errors == 1 and len(exc.value.errors) == 1
