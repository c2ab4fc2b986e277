"""Property-based tests: random and mutated files never crash the reader; every rejection names
line and column; valid files round-trip exactly. ``KEK_LONG_TESTS=1`` runs 10,000 cases each."""

from __future__ import annotations

import os
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kek_data import db, reference
from kek_data.ingest import UploadError, ValidationFailed, YearsHaveData, check, direct, import_file
from kek_data.numbers import GermanNumberError, parse_german_number
from kek_data.viewer import NETWORK_MANAGER as NM

LONG = os.environ.get("KEK_LONG_TESTS") == "1"
EXAMPLES = 10_000 if LONG else 25
SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
LINE = re.compile(r"^f\.csv, Zeile \d+, Spalte („.*?“|\d+( \(ohne Überschrift\))?): \S")
FILE_LINE = re.compile(r"^f\.csv, Zeile \d+: \S")
COUNT_LINE = re.compile(r"^f\.csv: … und [\d.]+ weitere Fehler")

CONVERSIONS = [
    (r["carrier_id"], r["unit"], float(r["factor"]), r["target_unit"])
    for r in reference.read_table("unit_conversions.csv")
]
NAMES = {r["carrier_id"]: r["name"] for r in reference.read_table("carriers.csv")}


@pytest.fixture(scope="module")
def dbcon(tmp_path_factory):
    path = tmp_path_factory.mktemp("prop") / "kek.duckdb"
    con = db.connect(path)
    yield con, path
    con.close()


def german(value: Decimal, grouped: bool) -> str:
    """A non-negative Decimal in German notation, with or without thousands points."""
    sign, digits, exponent = value.as_tuple()
    text = f"{value:f}"
    whole, _, frac = text.partition(".")
    if grouped:
        whole = f"{int(whole):,}".replace(",", ".")
    return whole + ("," + frac if frac else "")


@st.composite
def valid_files(draw):
    """(bytes, rows) of a valid file: unique year × carrier × site, German numbers."""
    n = draw(st.integers(1, 12))
    rows, seen = [], set()
    for _ in range(n):
        carrier, unit, factor, target = draw(st.sampled_from(CONVERSIONS))
        year = draw(st.integers(1990, 2024))
        site = draw(st.sampled_from(["", "Nord", "Süd – Halle 2", "Werk; A"]))
        if (year, carrier, site.lower()) in seen:
            continue
        seen.add((year, carrier, site.lower()))
        value = Decimal(draw(st.integers(0, 10**10))).scaleb(-draw(st.integers(0, 3)))
        text = german(value, draw(st.booleans()))
        rows.append((year, carrier, unit, site, text, float(f"{value:f}"), factor, target))
    delimiter = draw(st.sampled_from([";", ";", "\t", ","]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
    newline = draw(st.sampled_from(["\r\n", "\n"]))
    spell = draw(st.booleans())

    def cell(text: str) -> str:
        if delimiter in text or '"' in text or (delimiter == "," and "," in text):
            return '"' + text.replace('"', '""') + '"'
        return text

    header = delimiter.join(["Jahr", "Energieträger", "Menge", "Einheit", "Standort"])
    lines = [header]
    for year, carrier, unit, site, text, *_ in rows:
        name = carrier if spell else NAMES[carrier]
        lines.append(delimiter.join(cell(x) for x in [str(year), name, text, unit, site]))
    text = newline.join(lines) + newline
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:  # "t CO₂e" has no Windows-1252 form
        data = text.encode("utf-8")
    return data, rows


@SETTINGS
@given(data=st.binary(max_size=400))
def test_random_bytes_never_crash(dbcon, data):
    con, _ = dbcon
    try:
        preview = check(con, data, "f.csv", "dsw21", NM)
    except UploadError as exc:
        assert str(exc).startswith("f.csv")
        return
    for line in preview.checked.errors:
        assert LINE.match(line) or COUNT_LINE.match(line), line


def mutate(raw: bytes, data: st.DataObject) -> bytes:
    """1–4 random inserts, deletions or replacements of separator, quote, line break, digit …"""
    out = bytearray(raw)
    for _ in range(data.draw(st.integers(1, 4))):
        pos = data.draw(st.integers(0, len(out)))
        kind = data.draw(st.sampled_from(["insert", "delete", "replace"]))
        chunk = data.draw(st.sampled_from([b";", b'"', b"\n", b"x", b"-", b".", b",", b"\xe4",
                                           b"1", b" ", b"\r\n", b"\xc3\xa4", b"\t"]))  # fmt: skip
        if kind == "insert":
            out[pos:pos] = chunk
        elif kind == "delete":
            del out[pos : pos + data.draw(st.integers(1, 5))]
        else:
            out[pos : pos + len(chunk)] = chunk
    return bytes(out)


@SETTINGS
@given(file=valid_files(), data=st.data())
def test_mutated_files_are_rejected_with_line_and_column(dbcon, file, data):
    con, _ = dbcon
    raw = mutate(file[0], data)
    try:
        preview = check(con, bytes(raw), "f.csv", "dsw21", NM)
    except UploadError as exc:
        message = str(exc)
        # a structural problem of the file (e.g. mixed line ends) names the line only
        assert (
            LINE.match(message)
            or FILE_LINE.match(message)
            or message.startswith("f.csv: Die Datei ist leer")
        ), message
        return
    for line in preview.checked.errors:
        assert LINE.match(line) or COUNT_LINE.match(line), line


@SETTINGS
@given(file=valid_files())
def test_valid_files_round_trip_exactly(dbcon, file):
    con, path = dbcon
    data, rows = file
    try:
        result = import_file(con, path, data, "f.csv", "dsw21", NM, replace=True)
    except ValidationFailed as exc:  # pragma: no cover - shows the file on failure
        raise AssertionError(exc.errors) from exc
    assert result.n_rows == len(rows)
    stored = con.execute(
        "SELECT year, carrier_id, site, quantity, unit FROM activity WHERE submission_id = $s",
        {"s": result.submission_id},
    ).fetchall()
    expected = {(y, c, s): (q, u) for y, c, u, s, _, q, *_ in rows}
    assert {(y, c, s): (q, u) for y, c, s, q, u in stored} == expected
    kwh = sum(q * f for _, _, _, _, _, q, f, t in rows if t == "kWh")
    db_kwh = con.execute(
        "SELECT coalesce(sum(kwh), 0) FROM emissions WHERE submission_id = $s",
        {"s": result.submission_id},
    ).fetchall()[0][0]
    assert db_kwh == pytest.approx(kwh, rel=1e-12, abs=1e-9)
    assert result.kwh == pytest.approx(kwh, rel=1e-12, abs=1e-9)
    con.execute(
        "INSERT INTO submission_events VALUES ($s, 'rolled_back', now()::TIMESTAMP, 'test', NULL)",
        {"s": result.submission_id},
    )


@pytest.fixture(scope="module")
def two_dbs(tmp_path_factory):
    """One database for the import as it runs, one with the direct path switched off."""
    out = []
    for name in ("direkt", "voll"):
        path = tmp_path_factory.mktemp(name) / "kek.duckdb"
        out.append((db.connect(path), path))
    yield out
    for con, _ in out:
        con.close()


def _outcome(con, path, data: bytes) -> tuple:
    """What an import did: the error and its lines, or the stored rows (then withdrawn)."""
    try:
        result = import_file(con, path, data, "f.csv", "dsw21", NM, replace=True)
    except (UploadError, ValidationFailed, YearsHaveData) as exc:
        return type(exc).__name__, str(exc)
    rows = con.execute(
        "SELECT line_no, year, carrier_id, quantity, unit, site, remark FROM activity "
        "WHERE submission_id = $s ORDER BY line_no",
        {"s": result.submission_id},
    ).fetchall()
    con.execute(
        "INSERT INTO submission_events VALUES ($s, 'rolled_back', now()::TIMESTAMP, 'test', NULL)",
        {"s": result.submission_id},
    )
    return "imported", result.n_rows, result.years, rows


@SETTINGS
@given(file=valid_files(), data=st.data())
def test_direct_import_agrees_with_the_full_check(two_dbs, monkeypatch, file, data):
    """Valid or mutated: the direct path stores exactly what the full check stores, or declines."""
    raw = mutate(file[0], data) if data.draw(st.booleans()) else file[0]
    (fast_con, fast_path), (full_con, full_path) = two_dbs
    fast = _outcome(fast_con, fast_path, raw)
    with monkeypatch.context() as m:
        m.setattr(direct, "try_import", lambda *a, **k: None)
        full = _outcome(full_con, full_path, raw)
    assert fast == full


@SETTINGS
@given(text=st.text(alphabet="0123456789.,+- \u00a0\u202f\u2212e", max_size=16))
def test_sql_number_check_agrees_with_parse_german_number(dbcon, text):
    con, _ = dbcon
    data = f"Jahr;Energieträger;Menge;Einheit\n2024;Strom;{text};kWh\n".encode()
    preview = check(con, data, "f.csv", "dsw21", NM)
    try:
        expected = parse_german_number(text)
    except GermanNumberError:
        assert preview.checked.errors, text
        return
    if expected < 0 or expected != expected or abs(expected) == float("inf"):
        assert preview.checked.errors
        return
    assert preview.checked.errors == []
    assert preview.rows["quantity"].tolist() == [expected]
