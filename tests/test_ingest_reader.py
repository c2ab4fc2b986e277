"""Reading uploads: encodings, dialects, Excel quirks, xlsx, and files that are no table."""

from __future__ import annotations

import io
import zipfile

import pytest

from kek_data.ingest import UploadError, check
from kek_data.ingest.reader import MAX_ZIP_ENTRIES, check_bytes, detect_delimiter
from kek_data.ingest.validate import known_header
from tests.ingest_util import HEADER, csv_bytes, new_db, xlsx_bytes

ROWS = ["2024;Strom;1.234,5;kWh;Zentrale;", "2024;Fernwärme;12,5;MWh;;Heizung – Altbau"]


@pytest.fixture
def con(tmp_path):
    connection, _ = new_db(tmp_path)
    yield connection
    connection.close()


def _ok(con, data: bytes, name: str = "kek_2024.csv"):
    preview = check(con, data, name, "dsw21")
    assert preview.checked.errors == []
    return preview


@pytest.mark.parametrize(
    ("encoding", "label"),
    [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 mit BOM"), ("cp1252", "Windows-1252")],
)
def test_encodings_real_files(con, tmp_path, encoding, label):
    rows = [*ROWS, "2023;Heizöl;1.000;l;Lager;Preis 1.234 € – geschätzt"]
    path = tmp_path / f"kek_{encoding}.csv"
    path.write_bytes(csv_bytes(rows, encoding=encoding))
    preview = _ok(con, path.read_bytes(), path.name)
    assert preview.checked.encoding == label
    assert preview.checked.n_rows == 3
    remarks = list(preview.rows["bemerkung"])
    assert "Preis 1.234 € – geschätzt" in remarks and "Heizung – Altbau" in remarks
    assert list(preview.rows["traeger"]) == ["Strom", "Fernwärme", "Heizöl"]


def test_cp1252_byte_far_after_the_first_block(con):
    """DuckDB finds the non-UTF-8 byte after 64 KiB; the file is then read as Windows-1252."""
    rows = [f"2024;Strom;1;kWh;S{i};" for i in range(3000)]
    rows.append("2024;Strom;1;kWh;Süd;Ende – €")
    preview = _ok(con, csv_bytes(rows, header=HEADER.replace("ä", "ae"), encoding="cp1252"))
    assert preview.checked.encoding == "Windows-1252"
    assert preview.checked.n_rows == 3001


def test_utf16_from_excel_unicode_text(con):
    data = "\ufeff" + "\r\n".join([HEADER.replace(";", "\t"), "2024\tStrom\t5\tkWh\t\t"]) + "\r\n"
    preview = _ok(con, data.encode("utf-16-le"))
    assert preview.checked.encoding == "UTF-16" and preview.checked.delimiter == "\t"


def test_sep_line_is_honoured_and_not_counted(con):
    data = 'sep=,\r\nJahr,Energieträger,Menge,Einheit\r\n2024,Strom,"1,5",kWh\r\n2024,Gas,x,kWh\r\n'
    errors = check(con, data.encode(), "k.csv", "dsw21").checked.errors
    assert errors == ["k.csv, Zeile 3, Spalte „Menge“: „x“ ist keine Zahl."]


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiter_detection(con, delimiter):
    quote = '"' if delimiter == "," else ""
    header = HEADER.replace(";", delimiter)
    row = delimiter.join(["2024", "Strom", f"{quote}1.234,5{quote}", "kWh", "", ""])
    preview = _ok(con, csv_bytes([row], header=header))
    assert preview.checked.delimiter == delimiter
    assert preview.rows["quantity"].tolist() == [1234.5]


def test_detect_delimiter_prefers_semicolon_on_ties():
    assert detect_delimiter("a", "b", known_header) == ";"
    assert detect_delimiter("Jahr,Menge;x", "", known_header) == ","


def test_comma_file_with_unquoted_decimal_comma_is_an_error(con):
    data = csv_bytes(["2024,Strom,1,5,kWh"], header="Jahr,Energieträger,Menge,Einheit")
    errors = check(con, data, "k.csv", "dsw21").checked.errors
    assert errors == [
        "k.csv, Zeile 2, Spalte „Einheit“: „5“ ist keine bekannte Einheit.",
        "k.csv, Zeile 2, Spalte 5 (ohne Überschrift): Wert „kWh“ steht in einer Spalte ohne "
        "Überschrift.",
    ]


def test_excel_trailing_empty_columns_and_rows(con):
    rows = ["2024;Strom;5;kWh;;;;", "2023;Strom;6;kWh;;;;", ";;;;;;;", ";;;;;;;", "  ;;;;;;;"]
    preview = _ok(con, csv_bytes(rows, header=HEADER + ";;"))
    assert preview.checked.n_rows == 2


def test_quoted_fields_with_separator_quote_and_line_break(con):
    rows = [
        '2024;"Strom";"1.234,5";kWh;"Haus ""A""; Nord";"erste Zeile',
        'zweite Zeile"',
        "2024;Gas;x;kWh;;",
    ]
    preview = check(con, csv_bytes(rows), "q.csv", "dsw21")
    assert preview.checked.errors == ["q.csv, Zeile 4, Spalte „Menge“: „x“ ist keine Zahl."]
    first = preview.rows.iloc[0]
    assert first["standort"] == 'Haus "A"; Nord'
    assert first["bemerkung"] == "erste Zeile\r\nzweite Zeile"


def test_blank_lines_keep_line_numbers(con):
    data = "\n".join([HEADER, "2024;Strom;1;kWh;;", "", "", "2024;Gas;-1;kWh;;", ""]).encode()
    errors = check(con, data, "b.csv", "dsw21").checked.errors
    assert errors == ["b.csv, Zeile 5, Spalte „Menge“: Die Menge darf nicht negativ sein („-1“)."]


def test_old_mac_line_ends(con):
    data = "\r".join([HEADER, "2024;Strom;1;kWh;;", "2023;Strom;2;kWh;;"]).encode()
    assert _ok(con, data).checked.n_rows == 2


def test_unterminated_quote_names_line_and_column(con):
    data = csv_bytes(["2024;Strom;1;kWh;;", '2024;Gas;2;kWh;"Haus;', "2023;Gas;3;kWh;;"])
    with pytest.raises(UploadError) as exc:
        check(con, data, "u.csv", "dsw21")
    assert str(exc.value).startswith("u.csv, Zeile 3, Spalte „Standort“: Das Anführungszeichen")


def test_stray_quote_after_quoted_field(con):
    data = csv_bytes(["2024;Strom;1;kWh;;", '2024;"Gas"x;2;kWh;;', '2023;"Gas";3;kWh;;'])
    with pytest.raises(UploadError) as exc:
        check(con, data, "s.csv", "dsw21")
    assert str(exc.value).startswith("s.csv, Zeile 3, Spalte „Energieträger“:")


def test_xlsx_numbers_as_numbers_and_as_text(con):
    rows = [
        ["Jahr", "Energieträger", "Menge", "Einheit", "Standort", "Bemerkung"],
        [2024, "Strom", 1234.5, "kWh", "Zentrale", None],
        ["2023", "Erdgas", "1.234,5", "MWh", None, "Text"],
        [2022, "Diesel", 0.00001, "l", None, None],
        [None, None, None, None, None, None],
    ]
    preview = _ok(con, xlsx_bytes(rows), "kek.xlsx")
    assert preview.checked.encoding == "Excel (.xlsx)"
    assert preview.rows["quantity"].tolist() == [1234.5, 1234.5, 0.00001]
    assert preview.rows["line_no"].tolist() == [2, 3, 4]


def test_xlsx_line_numbers_are_sheet_rows(con):
    rows = [["Jahr", "Energieträger", "Menge", "Einheit"], [2024, "Strom", "12,3,4", "kWh"]]
    errors = check(con, xlsx_bytes(rows, start_row=2), "kek.xlsx", "dsw21").checked.errors
    assert errors == ["kek.xlsx, Zeile 4, Spalte „Menge“: „12,3,4“ ist keine Zahl."]


def test_xlsx_cell_with_line_break(con):
    rows = [["Jahr", "Energieträger", "Menge", "Einheit", "Bemerkung"],
            [2024, "Strom", 5, "kWh", "a\nb"], [2024, "Gas", -1, "kWh", None]]  # fmt: skip
    errors = check(con, xlsx_bytes(rows), "kek.xlsx", "dsw21").checked.errors
    assert errors == [
        "kek.xlsx, Zeile 3, Spalte „Menge“: Die Menge darf nicht negativ sein („-1“)."
    ]


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as zf:
        for name, content in entries.items():
            zf.writestr(name, content)
    return buffer.getvalue()


def test_zip_bomb_by_ratio_is_refused_before_parsing(con):
    bomb = _zip({"xl/workbook.xml": b"<x/>", "xl/worksheets/sheet1.xml": b"\0" * 50_000_000})
    assert len(bomb) < 200_000
    with pytest.raises(UploadError, match="verdächtig"):
        check(con, bomb, "bomb.xlsx", "dsw21")


def test_zip_with_too_many_entries_is_refused(con):
    entries = {f"xl/p{i}.xml": b"x" for i in range(MAX_ZIP_ENTRIES + 1)}
    entries["xl/workbook.xml"] = b"<x/>"
    with pytest.raises(UploadError, match="verdächtig"):
        check(con, _zip(entries, zipfile.ZIP_STORED), "many.xlsx", "dsw21")


def test_zip_that_is_no_workbook(con):
    with pytest.raises(UploadError, match="ZIP-Archiv, keine Excel"):
        check(con, _zip({"a.txt": b"hallo"}), "a.xlsx", "dsw21")
    with pytest.raises(UploadError, match="OpenDocument"):
        check(con, _zip({"content.xml": b"<x/>"}), "a.ods", "dsw21")


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "leer"),
        (b"\xef\xbb\xbf\r\n;;;\r\n", "leer"),
        (b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR" + bytes(range(256)), "Binärdaten"),
        (b"Jahr;Menge\n2024;\x001\n", "Binärdaten"),
        (b"<!DOCTYPE html><html><body><table><tr><td>1</td></tr></table>", "HTML"),
        (b'<?xml version="1.0"?><Workbook xmlns="urn:schemas-microsoft-com:office">', "XML"),
        (b"%PDF-1.7\n", "PDF"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, r"\.xls"),
    ],
)
def test_files_that_are_no_table(con, data, match):
    with pytest.raises(UploadError, match=match):
        check(con, data, "x.csv", "dsw21")


def test_size_limit_is_configurable(con, monkeypatch):
    monkeypatch.setenv("KEK_MAX_UPLOAD_MB", "0.001")
    with pytest.raises(UploadError, match="höchstens 0,0 MB"):
        check(con, csv_bytes(["2024;Strom;1;kWh;;"] * 100), "big.csv", "dsw21")


def test_default_limit_admits_the_benchmark_file():
    """1,000,000 German rows are ~60–70 MB; the default limit is 200 MB."""
    check_bytes(b"Jahr;Menge\n" + b"x" * (70 * 1024 * 1024), "bench.csv")


def test_cp1252_byte_only_in_a_column_duckdb_does_not_store(con):
    """DuckDB checks UTF-8 only in stored columns; the carrier column is only looked up."""
    rows = [f"2024;Strom;1;kWh;S{i};" for i in range(3000)] + ["2024;Fernwärme;2;MWh;;"]
    preview = _ok(con, csv_bytes(rows, header=HEADER.replace("ä", "ae"), encoding="cp1252"))
    assert preview.checked.encoding == "Windows-1252"
    assert preview.checked.n_rows == 3001


def test_bom_file_with_foreign_bytes_is_refused_with_its_line(con):
    data = csv_bytes(["2024;Strom;1;kWh;;", "2024;Fernwärme;2;MWh;;"], encoding="cp1252")
    with pytest.raises(UploadError) as exc:
        check(con, b"\xef\xbb\xbf" + data, "bom.csv", "dsw21")
    assert str(exc.value).startswith("bom.csv, Zeile 1, Spalte 1: Die Datei ist als UTF-8")
