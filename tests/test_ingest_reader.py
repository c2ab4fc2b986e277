"""Reading uploads: encodings, dialects, Excel quirks, xlsx, and files that are no table."""

from __future__ import annotations

import io
import zipfile

import pytest

from kek_data.ingest import UploadError, check, import_file
from kek_data.ingest.reader import check_bytes, detect_delimiter
from kek_data.ingest.validate import known_header
from kek_data.ingest.xlsx import MAX_ZIP_ENTRIES
from kek_data.viewer import NETWORK_MANAGER as NM
from tests.ingest_util import HEADER, csv_bytes, new_db, xlsx_bytes

ROWS = ["2024;Strom;1.234,5;kWh;Zentrale;", "2024;Fernwärme;12,5;MWh;;Heizung – Altbau"]


@pytest.fixture
def con(tmp_path):
    connection, _ = new_db(tmp_path)
    yield connection
    connection.close()


def _ok(con, data: bytes, name: str = "kek_2024.csv"):
    preview = check(con, data, name, "dsw21", NM)
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
    errors = check(con, data.encode(), "k.csv", "dsw21", NM).checked.errors
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
    errors = check(con, data, "k.csv", "dsw21", NM).checked.errors
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
    preview = check(con, csv_bytes(rows), "q.csv", "dsw21", NM)
    assert preview.checked.errors == ["q.csv, Zeile 4, Spalte „Menge“: „x“ ist keine Zahl."]
    first = preview.rows.iloc[0]
    assert first["standort"] == 'Haus "A"; Nord'
    assert first["bemerkung"] == "erste Zeile\r\nzweite Zeile"


def test_blank_lines_keep_line_numbers(con):
    data = "\n".join([HEADER, "2024;Strom;1;kWh;;", "", "", "2024;Gas;-1;kWh;;", ""]).encode()
    errors = check(con, data, "b.csv", "dsw21", NM).checked.errors
    assert errors == ["b.csv, Zeile 5, Spalte „Menge“: Die Menge darf nicht negativ sein („-1“)."]


def test_old_mac_line_ends(con):
    data = "\r".join([HEADER, "2024;Strom;1;kWh;;", "2023;Strom;2;kWh;;"]).encode()
    assert _ok(con, data).checked.n_rows == 2


def test_unterminated_quote_names_line_and_column(con):
    data = csv_bytes(["2024;Strom;1;kWh;;", '2024;Gas;2;kWh;"Haus;', "2023;Gas;3;kWh;;"])
    with pytest.raises(UploadError) as exc:
        check(con, data, "u.csv", "dsw21", NM)
    assert str(exc.value).startswith("u.csv, Zeile 3, Spalte „Standort“: Das Anführungszeichen")


def test_stray_quote_after_quoted_field(con):
    data = csv_bytes(["2024;Strom;1;kWh;;", '2024;"Gas"x;2;kWh;;', '2023;"Gas";3;kWh;;'])
    with pytest.raises(UploadError) as exc:
        check(con, data, "s.csv", "dsw21", NM)
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
    errors = check(con, xlsx_bytes(rows, start_row=2), "kek.xlsx", "dsw21", NM).checked.errors
    assert errors == ["kek.xlsx, Zeile 4, Spalte „Menge“: „12,3,4“ ist keine Zahl."]


def test_xlsx_cell_with_line_break(con):
    rows = [["Jahr", "Energieträger", "Menge", "Einheit", "Bemerkung"],
            [2024, "Strom", 5, "kWh", "a\nb"], [2024, "Gas", -1, "kWh", None]]  # fmt: skip
    errors = check(con, xlsx_bytes(rows), "kek.xlsx", "dsw21", NM).checked.errors
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
        check(con, bomb, "bomb.xlsx", "dsw21", NM)


def test_zip_with_too_many_entries_is_refused(con):
    entries = {f"xl/p{i}.xml": b"x" for i in range(MAX_ZIP_ENTRIES + 1)}
    entries["xl/workbook.xml"] = b"<x/>"
    with pytest.raises(UploadError, match="verdächtig"):
        check(con, _zip(entries, zipfile.ZIP_STORED), "many.xlsx", "dsw21", NM)


def test_zip_that_is_no_workbook(con):
    with pytest.raises(UploadError, match="ZIP-Archiv, keine Excel"):
        check(con, _zip({"a.txt": b"hallo"}), "a.xlsx", "dsw21", NM)
    with pytest.raises(UploadError, match="OpenDocument"):
        check(con, _zip({"content.xml": b"<x/>"}), "a.ods", "dsw21", NM)


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
        check(con, data, "x.csv", "dsw21", NM)


def test_size_limit_is_configurable(con, monkeypatch):
    monkeypatch.setenv("KEK_MAX_UPLOAD_MB", "0.001")
    with pytest.raises(UploadError, match="höchstens 0,0 MB"):
        check(con, csv_bytes(["2024;Strom;1;kWh;;"] * 100), "big.csv", "dsw21", NM)


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
        check(con, b"\xef\xbb\xbf" + data, "bom.csv", "dsw21", NM)
    assert str(exc.value).startswith("bom.csv, Zeile 1, Spalte 1: Die Datei ist als UTF-8")


# --- bad input that would cost the server or mislead (issue 8, item 9) -----------------------

WIDE_ROW = "2013;Strom;1;kWh;;x"


@pytest.fixture
def no_parser(monkeypatch):
    """Fail the test if DuckDB's read_csv would run: the refusal must come before it."""
    from kek_data.ingest import loader

    def refuse(*args, **kwargs):
        raise AssertionError("read_csv ran")

    monkeypatch.setattr(loader, "run", refuse)


@pytest.mark.parametrize(("n_fields", "size_kb"), [(50_000, 100), (1_000_000, 2000)])
def test_row_with_far_more_fields_than_the_header_is_refused_before_parsing(
    con, tmp_path, no_parser, n_fields, size_kb
):
    path = tmp_path / "breit.csv"
    path.write_bytes(csv_bytes([WIDE_ROW + ";y" * (n_fields - 6)]))
    assert path.stat().st_size >= size_kb * 1000
    shown = {50_000: "50.000", 1_000_000: "1.000.000"}[n_fields]
    expected = (
        f"breit.csv, Zeile 2: Die Zeile hat {shown} Felder, die Kopfzeile nur 6 (erlaubt sind "
        "höchstens 106). Bitte die überzähligen Trennzeichen (Semikolon) in dieser Zeile entfernen."
    )
    with pytest.raises(UploadError) as exc:
        check(con, path.read_bytes(), path.name, "dsw21", NM)
    assert str(exc.value) == expected
    with pytest.raises(UploadError) as exc:  # the import path of the command line (streamed)
        import_file(con, tmp_path / "kek.duckdb", None, path.name, "dsw21", NM, source_path=path)
    assert str(exc.value) == expected


def test_wide_line_after_many_normal_ones_names_its_line(con, no_parser):
    rows = ["2024;Strom;1;kWh;;"] * 20_000 + [WIDE_ROW + ";" * 150]
    with pytest.raises(UploadError, match=r"^w\.csv, Zeile 20002: Die Zeile hat 156 Felder"):
        check(con, csv_bytes(rows), "w.csv", "dsw21", NM)


def test_header_with_thousands_of_empty_columns_is_refused(con, no_parser):
    data = csv_bytes(["2024;Strom;1;kWh"], header="Jahr;Energieträger;Menge;Einheit" + ";" * 50_000)
    with pytest.raises(UploadError) as exc:
        check(con, data, "h.csv", "dsw21", NM)
    assert str(exc.value) == (
        "h.csv, Zeile 1: Die Kopfzeile hat 50.004 Felder (Trennzeichen Semikolon); erlaubt sind "
        "höchstens 200. Bitte die leeren Spalten rechts der Tabelle löschen und erneut speichern."
    )


def test_line_longer_than_one_megabyte_is_refused(con, no_parser):
    data = csv_bytes(["2024;Strom;1;kWh;;ok", "2024;Strom;1;kWh;;" + "x" * 2_000_000])
    with pytest.raises(UploadError) as exc:
        check(con, data, "lang.csv", "dsw21", NM)
    assert str(exc.value).startswith(
        "lang.csv, Zeile 3: Die Zeile ist 1,9 MB lang; erlaubt sind höchstens 1,0 MB je Zeile."
    )


def test_some_extra_fields_and_quoted_separators_still_pass_the_width_check(con):
    rows = ["2024;Strom;5;kWh;;" + ";" * 90, '2023;Strom;6;kWh;"' + ";" * 300 + '";']
    preview = check(con, csv_bytes(rows), "ok.csv", "dsw21", NM)
    assert preview.checked.n_rows == 2
    assert preview.rows["standort"].tolist()[1] == ";" * 300


@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_read_not_called_binary(con, codec):
    text = "\r\n".join([HEADER.replace(";", "\t"), "2024\tFernwärme\t5\tMWh\t\tÄnderung – neu"])
    preview = _ok(con, (text + "\r\n").encode(codec))
    assert preview.checked.encoding == "UTF-16 ohne BOM" and preview.checked.delimiter == "\t"
    assert preview.rows["bemerkung"].tolist() == ["Änderung – neu"]


def test_mixed_crlf_and_lf_line_ends_are_read_with_the_right_lines(con, tmp_path):
    body = HEADER + "\r\n2024;Strom;1;kWh;;\n\n2023;Strom;2;kWh;;\r\n2022;Gas;x;kWh;;\n"
    errors = check(con, body.encode(), "m.csv", "dsw21", NM).checked.errors
    assert errors == ["m.csv, Zeile 5, Spalte „Menge“: „x“ ist keine Zahl."]
    good = body.replace(";x;", ";3;").encode()
    path = tmp_path / "m.csv"
    path.write_bytes(good)
    result = import_file(con, tmp_path / "kek.duckdb", None, "m.csv", "dsw21", NM, source_path=path)
    assert result.n_rows == 3
    rows = con.execute("SELECT line_no, year FROM activity ORDER BY line_no").fetchall()
    assert rows == [(2, 2024), (4, 2023), (5, 2022)]


def test_sep_line_alone_is_a_german_message_on_both_import_paths(con, tmp_path):
    """Found by tests/test_ingest_fuzz.py: the direct path read the empty header and failed."""
    path = tmp_path / "sep.csv"
    path.write_bytes(b"sep=;")
    with pytest.raises(
        UploadError, match=r"^sep\.csv, Zeile 1, Spalte 1: Die erste Zeile ist leer"
    ):
        import_file(con, tmp_path / "kek.duckdb", None, "sep.csv", "dsw21", NM, source_path=path)


def test_lone_carriage_return_beside_newlines_names_its_line(con):
    body = HEADER + "\n2024;Strom;1;kWh;;\n2023;Strom;2;kWh;;\r2022;Strom;3;kWh;;\n"
    with pytest.raises(UploadError) as exc:
        check(con, body.encode(), "cr.csv", "dsw21", NM)
    assert str(exc.value).startswith(
        "cr.csv, Zeile 3: Die Datei mischt Zeilenenden (ein einzelnes CR-Zeichen neben"
    )
    assert "Anführungszeichen" not in str(exc.value)


def _openpyxl_file(tmp_path, build) -> bytes:
    import openpyxl

    wb = openpyxl.Workbook()
    build(wb.active)
    path = tmp_path / "formel.xlsx"
    wb.save(path)
    return path.read_bytes()


def _rezip(data: bytes, part: str, old: bytes, new: bytes) -> bytes:
    """The zip with ``old`` replaced by ``new`` in one part (a file no spreadsheet writes)."""
    with zipfile.ZipFile(io.BytesIO(data)) as zin:
        entries = {n: zin.read(n) for n in zin.namelist()}
    assert old in entries[part]
    entries[part] = entries[part].replace(old, new)
    return _zip(entries)


def test_xlsx_formula_without_cached_value_is_named_as_formula(con, tmp_path):
    def build(ws):
        ws.append(["Jahr", "Energieträger", "Menge", "Einheit"])
        ws.append([2024, "Strom", 5, "kWh"])
        ws.append([2023, "=B2", "=C2*2", "kWh"])

    with pytest.raises(UploadError) as exc:
        check(con, _openpyxl_file(tmp_path, build), "formel.xlsx", "dsw21", NM)
    assert str(exc.value) == (
        "formel.xlsx, Zeile 3, Spalte B: Zelle B3 enthält eine Formel ohne berechneten Wert "
        "(ebenso C3) – bitte die Datei in Excel öffnen, neu berechnen und speichern (oder die "
        "Formeln durch Werte ersetzen)."
    )


def test_xlsx_formula_with_cached_value_is_read(con):
    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet()
    ws.write_row(0, 0, ["Jahr", "Energieträger", "Menge", "Einheit"])
    ws.write_row(1, 0, [2024, "Strom"])
    ws.write_formula(1, 2, "=2+3", None, 5)
    ws.write(1, 3, "kWh")
    wb.close()
    preview = _ok(con, buffer.getvalue(), "f.xlsx")
    assert preview.rows["quantity"].tolist() == [5.0]


FAR_CELLS = [
    ("XFD2", "bis Spalte 16384; erlaubt sind höchstens 200 Spalten"),
    ("Z100000", "reicht bis Zeile 100.000, enthält aber nur wenige Zellen"),
    ("AB50000", "reicht bis Zeile 50.000 und Spalte 28, enthält aber nur wenige Zellen"),
    ("A999", "reicht über Zeile 1.048.576, enthält"),  # moved to A2000000 below
]


@pytest.mark.parametrize(("cell", "match"), FAR_CELLS)
def test_xlsx_with_one_cell_far_away_is_refused_before_calamine(con, tmp_path, cell, match):
    """calamine allocates the dense area up to the last cell: 5 KB would end the process."""

    def build(ws):
        ws.append(["Jahr", "Energieträger", "Menge", "Einheit"])
        ws.append([2024, "Strom", 5, "kWh"])
        ws[cell] = "x"

    data = _openpyxl_file(tmp_path, build)
    if cell == "A999":  # Excel (and openpyxl) stop at row 1.048.576; other programs may not
        data = _rezip(data, "xl/worksheets/sheet1.xml", b'r="A999"', b'r="A2000000"')
    assert len(data) < 10_000
    with pytest.raises(UploadError, match=match):
        check(con, data, "weit.xlsx", "dsw21", NM)


def _reference_line_check(data: bytes, limit: int) -> tuple[tuple[int, int, int], int | None]:
    """What check_lines must find, the slow obvious way: line-end counts, first wide line."""
    crlf = data.count(b"\r\n")
    ends = (crlf, data.count(b"\n") - crlf, data.count(b"\r") - crlf)
    wide = next(
        (n for n, line in enumerate(data.split(b"\n"), 1) if line.count(b";") + 1 > limit), None
    )
    return ends, wide


def test_line_check_is_the_same_in_any_block_size(tmp_path, monkeypatch):
    """Lines, CRLF pairs and wide lines that straddle a block boundary are counted once."""
    import random

    from kek_data.ingest import lines, reader, source

    rnd = random.Random(7)
    for case_no in range(80):
        parts = [HEADER]
        for _ in range(rnd.randint(1, 12)):
            parts.append(rnd.choice(["2024;Strom;1;kWh;;", "", ";" * rnd.randint(0, 120), "x"]))
        data = b"".join(p.encode() + rnd.choice([b"\n", b"\r\n", b"\r"]) for p in parts)
        path = tmp_path / f"c{case_no}.csv"
        path.write_bytes(data)
        src = reader.Source("c.csv", "csv", "UTF-8", ";", HEADER.split(";"), path=path)
        limit = 6 + lines.MAX_EXTRA_FIELDS
        ends, wide = _reference_line_check(data, limit)
        for chunk in (source.CHUNK, 2, 3, 17):
            monkeypatch.setattr(source, "CHUNK", chunk)
            if wide is None:
                assert lines.check_lines(src) == ends, (case_no, chunk)
            else:
                with pytest.raises(UploadError, match=f"^c.csv, Zeile {wide}: "):
                    lines.check_lines(src)
