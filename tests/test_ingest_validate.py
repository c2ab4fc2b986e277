"""Validation: every error case of the issue, all at once, in German with file, line, column."""

from __future__ import annotations

import re
from datetime import date

import pytest

from kek_data.ingest import check
from kek_data.ingest.validate import MAX_LISTED, SIMPLE_NUMBER_REGEX, map_header
from kek_data.numbers import GERMAN_NUMBER_REGEX
from kek_data.viewer import NETWORK_MANAGER as NM
from tests.ingest_util import csv_bytes, errors_of, new_db

THIS_YEAR = date.today().year


@pytest.fixture
def con(tmp_path):
    connection, _ = new_db(tmp_path)
    yield connection
    connection.close()


def test_the_example_of_the_issue(con):
    rows = ["2024;Strom;1;kWh;;"] * 0 + [f"2024;Strom;{i};kWh;S{i};" for i in range(5)]
    rows.append("2024;Strom;12,3,4;kWh;S9;")
    assert errors_of(con, csv_bytes(rows), "kek_2024.csv") == [
        "kek_2024.csv, Zeile 7, Spalte „Menge“: „12,3,4“ ist keine Zahl."
    ]


def test_every_problem_of_a_file_at_once(con):
    rows = [
        "2024;Strom;1.234,5;kWh;;",  # 2 fine
        "2024;Gass;5;kWh;;",  # 3 unknown carrier with suggestion
        "2024;Strom;5;l;Lager;",  # 4 unit does not fit
        "2024;Heizöl;5;kwhh;;",  # 5 unknown unit with suggestion
        "2024;Diesel;abc;l;;",  # 6 not a number
        "2024;Diesel;1.5;l;Werk;",  # 7 ambiguous
        "2024;Benzin;-3;l;;",  # 8 negative
        "1989;Strom;1;kWh;Alt;",  # 9 too early
        f"{THIS_YEAR + 1};Strom;1;kWh;Neu;",  # 10 future
        "24;Strom;1;kWh;Kurz;",  # 11 year out of range (two digits)
        "2024,0;Strom;1;kWh;X;",  # 12 not a year
        "2024;strom ;7;KWH;;",  # 13 duplicate of line 2 (case/space-insensitive)
        ";;;kWh;;",  # 14 empty values
        "2024;Erdgas;1;kWh;;BEISPIEL – aus der Vorlage",  # 15 example row left in
    ]
    errors = errors_of(con, csv_bytes(rows), "k.csv")
    assert errors == [
        "k.csv, Zeile 3, Spalte „Energieträger“: „Gass“ ist kein bekannter Energieträger. "
        "Meinten Sie Erdgas?",
        "k.csv, Zeile 4, Spalte „Einheit“: Die Einheit „l“ passt nicht zu Strom; erlaubt: kWh, "
        "MWh, GWh.",
        "k.csv, Zeile 5, Spalte „Einheit“: „kwhh“ ist keine bekannte Einheit. Meinten Sie kWh?",
        "k.csv, Zeile 6, Spalte „Menge“: „abc“ ist keine Zahl.",
        "k.csv, Zeile 7, Spalte „Menge“: „1.5“ ist mehrdeutig: Tausenderpunkte müssen von genau "
        "drei Ziffern gefolgt sein (meinten Sie „1,5“?).",
        "k.csv, Zeile 8, Spalte „Menge“: Die Menge darf nicht negativ sein („-3“).",
        f"k.csv, Zeile 9, Spalte „Jahr“: Das Jahr 1989 liegt außerhalb von 1990 bis {THIS_YEAR}.",
        f"k.csv, Zeile 10, Spalte „Jahr“: Das Jahr {THIS_YEAR + 1} liegt außerhalb von 1990 bis "
        f"{THIS_YEAR}.",
        f"k.csv, Zeile 11, Spalte „Jahr“: Das Jahr 24 liegt außerhalb von 1990 bis {THIS_YEAR}.",
        f"k.csv, Zeile 12, Spalte „Jahr“: „2024,0“ ist kein Jahr (vierstellig, z. B. "
        f"{THIS_YEAR - 1}).",
        "k.csv, Zeile 13, Spalte „Energieträger“: Doppelte Zeile: Strom für dasselbe Jahr und "
        "denselben Standort steht schon in Zeile 2.",
        "k.csv, Zeile 14, Spalte „Jahr“: Der Wert fehlt.",
        "k.csv, Zeile 14, Spalte „Energieträger“: Der Wert fehlt.",
        "k.csv, Zeile 14, Spalte „Menge“: Der Wert fehlt.",
        "k.csv, Zeile 15, Spalte „Bemerkung“: Das ist die Beispielzeile der Vorlage; bitte durch "
        "eigene Daten ersetzen.",
    ]


def test_header_any_order_case_spaces_and_spelling(con):
    header = "  menge ;EINHEIT;Energietraeger; Jahr;bemerkung"
    preview = check(
        con, csv_bytes(["5;MWh;Fernwaerme;2024;x"], header=header), "k.csv", "dsw21", NM
    )
    assert preview.checked.errors == []
    assert preview.rows["kwh"].tolist() == [5000.0]


def test_header_errors_name_line_1_and_the_column(con):
    header = "Jahr;Mengen;Einheit;Jahr;Kostenstelle"
    errors = errors_of(con, csv_bytes(["2024;5;kWh;2024;4711"], header=header), "k.csv")
    assert errors == [
        "k.csv, Zeile 1, Spalte „Mengen“: Unbekannte Spaltenüberschrift. Meinten Sie „Menge“? "
        "Erlaubt sind Jahr, Energieträger, Menge, Einheit, Standort, Bemerkung; weitere Angaben "
        "bitte in „Bemerkung“ schreiben.",
        "k.csv, Zeile 1, Spalte „Jahr“: Die Spalte kommt doppelt vor (Spalten 1 und 4); bitte "
        "eine davon löschen.",
        "k.csv, Zeile 1, Spalte „Kostenstelle“: Unbekannte Spaltenüberschrift. Erlaubt sind "
        "Jahr, Energieträger, Menge, Einheit, Standort, Bemerkung; weitere Angaben bitte in "
        "„Bemerkung“ schreiben.",
        "k.csv, Zeile 1, Spalte „Energieträger“: Die Spalte fehlt. Erwartet wird die Kopfzeile "
        "Jahr;Energieträger;Menge;Einheit (optional Standort;Bemerkung).",
        "k.csv, Zeile 1, Spalte „Menge“: Die Spalte fehlt. Erwartet wird die Kopfzeile "
        "Jahr;Energieträger;Menge;Einheit (optional Standort;Bemerkung).",
    ]


def test_missing_column_and_row_errors_together(con):
    data = csv_bytes(["2024;Strom;x", "1900;Gas;1"], header="Jahr;Energieträger;Menge")
    errors = errors_of(con, data, "k.csv")
    assert errors[0].startswith("k.csv, Zeile 1, Spalte „Einheit“: Die Spalte fehlt.")
    assert errors[1:] == [
        "k.csv, Zeile 2, Spalte „Menge“: „x“ ist keine Zahl.",
        f"k.csv, Zeile 3, Spalte „Jahr“: Das Jahr 1900 liegt außerhalb von 1990 bis {THIS_YEAR}.",
    ]


def test_values_beyond_the_header_are_errors_but_empty_excel_columns_are_not(con):
    rows = ["2024;Strom;1;kWh", "2024;Gas;1;kWh;;", "2023;Gas;1;kWh;Nord;x;"]
    errors = errors_of(con, csv_bytes(rows, header="Jahr;Energieträger;Menge;Einheit"), "k.csv")
    assert errors == [
        "k.csv, Zeile 4, Spalte 5 (ohne Überschrift): Wert „Nord“ steht in einer Spalte ohne "
        "Überschrift.",
        "k.csv, Zeile 4, Spalte 6 (ohne Überschrift): Wert „x“ steht in einer Spalte ohne "
        "Überschrift.",
    ]


def test_only_a_header(con):
    assert errors_of(con, csv_bytes([]), "k.csv") == [
        "k.csv, Zeile 2, Spalte „Jahr“: Unter der Kopfzeile stehen keine Daten."
    ]


def test_error_list_is_capped_but_the_count_is_exact(con):
    rows = [f"2024;Strom;x{i};kWh;S{i};" for i in range(250)] + ["1800;Strom;1;kWh;;"]
    preview = check(con, csv_bytes(rows), "k.csv", "dsw21", NM)
    assert preview.checked.n_errors == 251
    assert len(preview.checked.errors) == MAX_LISTED + 1
    assert preview.checked.errors[-1] == (
        "k.csv: … und 51 weitere Fehler (insgesamt 251). Die ersten 200 sind oben aufgeführt."
    )
    assert set(preview.checked.row_errors) == set(range(2, 202))


def test_preview_marks_every_error_row_and_converts(con):
    rows = [f"2024;Strom;{i};MWh;S{i};" for i in range(600)] + ["2024;Erdgas;1.110;kWh;;x"]
    rows[550] = "2024;Strom;-1;MWh;Z;"
    preview = check(con, csv_bytes(rows), "k.csv", "dsw21", NM)
    p = preview.rows.set_index("line_no")
    assert len(p) == 500 + 1  # first 500 rows plus the error row 552
    assert p.loc[552, "fehler"] == "Spalte „Menge“: Die Menge darf nicht negativ sein („-1“)."
    assert p.loc[3, "kwh"] == 1000.0
    assert p.loc[3, "t_co2e"] == pytest.approx(1000 * 505.0 / 1e6 * 423.4 / 505.0)


def test_erdgas_kwh_are_gross_calorific_value(con):
    preview = check(con, csv_bytes(["2024;Erdgas;1.110;kWh;;"]), "k.csv", "dsw21", NM)
    assert preview.rows["kwh"].tolist() == [pytest.approx(1000.0)]
    assert preview.rows["t_co2e"].tolist() == [pytest.approx(0.247)]


def test_map_header_names():
    hm = map_header(["Menge", "", "JAHR", "x"], "k.csv")
    assert hm.names == ["menge", "x2", "jahr", "u4"]


def test_simple_number_regex_is_a_subset_of_the_grammar():
    import re as stdlib_re

    for text in ["1", "-1", "+1.234", "1.234.567,89", "0,5"]:
        assert stdlib_re.fullmatch(SIMPLE_NUMBER_REGEX, text)
        assert stdlib_re.fullmatch(GERMAN_NUMBER_REGEX, text)
    for text in ["1.5", "1 234", ",5", "1,", "01.234"]:
        assert not stdlib_re.fullmatch(SIMPLE_NUMBER_REGEX, text)


def test_messages_never_leak_python_or_sql(con):
    rows = ["x;y;z;w;;", "2024;Strom;1e5;kWh;;", "2024;Strom;1,2,3;kWh;;"]
    for line in errors_of(con, csv_bytes(rows), "k.csv"):
        assert re.match(r"^k\.csv, Zeile \d+, Spalte („[^“]+“|\d+ \(ohne Überschrift\)): ", line)
        assert "Error" not in line and "None" not in line
