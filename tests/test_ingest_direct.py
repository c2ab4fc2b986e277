"""The direct import (kek_data.ingest.direct) writes exactly what the full check would write.

Every file is imported twice into fresh databases: once as the page and the command line do
(direct path when the file is simple) and once with the direct path switched off. The stored
rows, line numbers, submission and totals must be identical; the tests also pin down which
files take which path, so that the fast path cannot silently stop being used.
"""

from __future__ import annotations

import codecs

import pytest

from kek_data.ingest import ImportFailed, YearsHaveData, direct, import_file, store
from kek_data.viewer import NETWORK_MANAGER as NM
from tests.ingest_util import HEADER, ValidationFailed, csv_bytes, do_import, new_db

ROWS = [
    "2023;Strom;1.234.567,8;kWh;Rathaus;Zählerstand – geprüft €",
    "2023;Erdgas;12,5;MWh;Rathaus;",
    "2023;Heizöl;3.000;l;Schule Nord;",
    "2024;strom;17;MWh;;",
    "2024;Fernwaerme;0,25;GWh;Rathaus;Bemerkung",
    "2024;Gas;1;kWh;Bad;",
]
#: ROWS with the columns in another order (Bemerkung;Einheit;Menge;Energieträger;Jahr;Standort)
REORDERED = [";".join(r.split(";")[i] for i in (5, 3, 2, 1, 0, 4)) for r in ROWS]
ACTIVITY = (
    "SELECT line_no, member_id, year, carrier_id, quantity, unit, site, remark FROM activity "
    "ORDER BY line_no"
)


def _both(tmp_path, data: bytes, monkeypatch, **kw):
    """(direct result, rows) and (full-check result, rows) of the same file."""
    out = []
    for name, off in (("a", False), ("b", True)):
        folder = tmp_path / name
        folder.mkdir()
        con, path = new_db(folder)
        with monkeypatch.context() as m:
            if off:
                m.setattr(direct, "try_import", lambda *a, **k: None)
            result = do_import(con, path, data, **kw)
        rows = con.execute(ACTIVITY).fetchall()
        sub = con.execute("SELECT sha256, size_bytes, n_rows, status FROM submissions").fetchall()
        out.append((result, rows, sub))
        con.close()
    return out


@pytest.mark.parametrize(
    ("rows", "header", "encoding", "newline", "takes_direct"),
    [
        (ROWS, HEADER, "utf-8", "\r\n", True),
        (ROWS, HEADER, "utf-8-sig", "\n", True),
        (REORDERED, "Bemerkung;Einheit;Menge;Energieträger;Jahr;Standort", "utf-8", "\r\n", True),
        (["2024;Strom;5;kWh"], "Jahr;Energieträger;Menge;Einheit", "utf-8", "\r\n", True),
        (["2024;Strom;5;kWh;;;;"], HEADER + ";;", "utf-8", "\r\n", True),  # Excel's empty columns
        ([*ROWS, ";;;;;"], HEADER, "utf-8", "\r\n", False),  # empty row: full check skips it
        (ROWS[:2] + ["", *ROWS[2:]], HEADER, "utf-8", "\r\n", False),  # blank line
        (['2024;Strom;5;kWh;"Haus; A";'], HEADER, "utf-8", "\r\n", False),  # quotes
        (["2024; Strom ;5;kWh;Rathaus ;x"], HEADER, "utf-8", "\r\n", True),  # padded cells
        (["2024;Strom;5;kWh;Rathaus; x "], HEADER, "utf-8", "\r\n", True),
        (["2024;Strom;1 234,5;kWh;;"], HEADER, "utf-8", "\r\n", True),  # space as thousands
        (ROWS, HEADER, "cp1252", "\r\n", True),  # German Excel's "CSV (Trennzeichen-getrennt)"
        (ROWS, HEADER, "cp1252", "\n", True),
    ],
)
def test_direct_and_full_check_store_the_same(
    tmp_path, monkeypatch, rows, header, encoding, newline, takes_direct
):
    data = csv_bytes(rows, header, encoding, newline)
    (fast, fast_rows, fast_sub), (full, full_rows, full_sub) = _both(tmp_path, data, monkeypatch)
    assert fast.direct is takes_direct and not full.direct
    assert fast_rows == full_rows and fast_rows
    assert fast_sub == full_sub == [(store.sha256_of(data), len(data), len(fast_rows), "imported")]
    assert (fast.n_rows, fast.years) == (full.n_rows, full.years)
    assert (fast.kwh, fast.t_co2e) == pytest.approx((full.kwh, full.t_co2e))


def test_line_numbers_of_a_large_file_read_in_parallel(tmp_path):
    """Record i is on line i + 2 also when DuckDB reads many blocks in parallel threads."""
    n = 250_000
    rows = [f"{1990 + i % 35};Strom;{i},5;kWh;S{i // 35};Zeile {i + 2}" for i in range(n)]
    con, path = new_db(tmp_path)
    result = do_import(con, path, csv_bytes(rows))
    assert result.direct and result.n_rows == n
    wrong = con.execute(
        "SELECT count(*) FROM activity WHERE remark <> 'Zeile ' || line_no"
    ).fetchall()[0][0]
    assert wrong == 0
    assert con.execute("SELECT count(*), min(line_no), max(line_no) FROM activity").fetchall() == [
        (n, 2, n + 1)
    ]


@pytest.mark.parametrize(
    "row",
    [
        "2024;Stromm;5;kWh;;",  # unknown carrier
        "2024;Strom;1.5;kWh;;",  # ambiguous number
        "2024;Strom;-5;kWh;;",
        "1989;Strom;5;kWh;;",
        "2024;Strom;5;l;;",  # unit does not fit
        "2024;Strom;5;kWh;;;wert",  # value beside the header
        "2024;Strom;5;kWh;;BEISPIEL – bitte ersetzen",
    ],
)
def test_invalid_rows_are_explained_by_the_full_check(tmp_path, row):
    con, path = new_db(tmp_path)
    data = csv_bytes(["2023;Strom;5;kWh;;", row])
    with pytest.raises(ValidationFailed) as err:
        do_import(con, path, data)
    assert err.value.errors[0].startswith("kek.csv, Zeile 3, Spalte")
    assert con.execute("SELECT count(*) FROM activity").fetchall() == [(0,)]
    assert con.execute("SELECT status FROM submissions").fetchall() == [("rejected",)]
    assert store.has_raw(path, store.sha256_of(data))


def test_duplicates_are_explained_by_the_full_check(tmp_path):
    con, path = new_db(tmp_path)
    with pytest.raises(ValidationFailed, match="Zeile 3.*Doppelte Zeile"):
        do_import(con, path, csv_bytes(["2024;Strom;5;kWh;A;", "2024;Strom;6;kWh;a;"]))
    assert con.execute("SELECT count(*) FROM activity").fetchall() == [(0,)]


def test_years_with_data_need_replace_on_the_direct_path(tmp_path):
    con, path = new_db(tmp_path)
    first = do_import(con, path, csv_bytes(["2024;Strom;5;kWh;;"]))
    second = csv_bytes(["2024;Strom;7;kWh;;", "2025;Strom;8;kWh;;"])
    with pytest.raises(YearsHaveData) as err:
        do_import(con, path, second)
    assert err.value.years == [2024]
    statuses = con.execute("SELECT status FROM submissions ORDER BY submission_id").fetchall()
    assert statuses == [("imported",), ("rejected",)]
    assert con.execute("SELECT sum(quantity) FROM current_activity").fetchall() == [(5.0,)]
    again = do_import(con, path, second, replace=True)
    assert first.direct and again.direct and again.replaced_years == [2024]
    assert con.execute("SELECT sum(quantity) FROM current_activity").fetchall() == [(15.0,)]


def test_command_line_file_is_streamed_not_read(tmp_path, monkeypatch):
    """With data=None the direct path never reads the whole file into memory."""
    con, path = new_db(tmp_path)
    file = tmp_path / "kek_2024.csv"
    file.write_bytes(csv_bytes(ROWS))
    real = type(file).read_bytes

    def no_read_bytes(self):
        if self == file:
            raise AssertionError("file read whole")
        return real(self)

    monkeypatch.setattr(type(file), "read_bytes", no_read_bytes)
    result = import_file(con, path, None, file.name, "dsw21", NM, source_path=file)
    assert result.direct and result.n_rows == len(ROWS)
    assert store.raw_path(path, store.sha256_of(real(file))).read_bytes() == real(file)


def test_command_line_windows_1252_file_is_transcoded_and_streamed(tmp_path, monkeypatch):
    """A Windows-1252 file on disk (umlauts, en dash, euro sign) is transcoded in one streaming
    pass and takes the direct path, without reading the file whole."""
    con, path = new_db(tmp_path)
    file = tmp_path / "kek_2024.csv"
    file.write_bytes(csv_bytes(ROWS, encoding="cp1252"))
    real = type(file).read_bytes

    def no_read_bytes(self):
        if self == file:
            raise AssertionError("file read whole")
        return real(self)

    monkeypatch.setattr(type(file), "read_bytes", no_read_bytes)
    result = import_file(con, path, None, file.name, "dsw21", NM, source_path=file)
    assert result.direct and result.n_rows == len(ROWS)
    remark = con.execute("SELECT remark FROM activity WHERE line_no = 2").fetchall()[0][0]
    assert remark == "Zählerstand – geprüft €"


def test_late_windows_1252_byte_is_read_as_windows_1252(tmp_path):
    """A cp1252 byte after the sniffed head: the whole file is read as Windows-1252."""
    rows = [f"2024;Strom;{i};kWh;S{i};ok" for i in range(5000)] + ["2023;Strom;1;kWh;X;€"]
    data = csv_bytes(rows, encoding="cp1252")
    assert len(data) > direct.HEAD and not data.isascii()
    con, path = new_db(tmp_path)
    result = do_import(con, path, data)
    assert result.n_rows == len(rows)
    assert con.execute("SELECT remark FROM activity WHERE site = 'X'").fetchall() == [("€",)]
    assert codecs.decode(data, "cp1252")  # the file really is Windows-1252


def test_out_of_memory_is_a_german_error_and_writes_nothing(tmp_path):
    con, path = new_db(tmp_path)
    rows = [f"{1990 + i % 35};Strom;{i},5;kWh;S{i // 35};Bemerkung {i}" for i in range(200_000)]
    with pytest.raises(ImportFailed, match="Arbeitsspeicher"):
        import_file(con, path, csv_bytes(rows), "gross.csv", "dsw21", NM, memory_limit_mb=16)
    assert con.execute("SELECT count(*) FROM activity").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM submissions").fetchall() == [(0,)]
    limit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    assert limit != "16.0 MiB"


def test_file_not_stored_means_nothing_imported(tmp_path, monkeypatch):
    """Command line: the raw file could not be kept (disk full), so the import is rolled back."""
    from kek_data.ingest import StoreError

    con, path = new_db(tmp_path)
    file = tmp_path / "kek_2024.csv"
    file.write_bytes(csv_bytes(ROWS))

    def full_disk(*args, **kwargs):
        raise StoreError("Die Originaldatei kann nicht gespeichert werden (Platte voll).")

    monkeypatch.setattr(store, "keep_raw_file", full_disk)
    with pytest.raises(StoreError, match="Platte voll"):
        import_file(con, path, None, file.name, "dsw21", NM, source_path=file)
    assert con.execute("SELECT count(*) FROM activity").fetchall() == [(0,)]
    assert con.execute("SELECT count(*) FROM submissions").fetchall() == [(0,)]
