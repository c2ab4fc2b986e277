"""One definition of each upload rule (sql/upload_rules.sql) for every path of the upload.

A rule added in that one place (here: an extra rule record, as a new block of the file would be)
applies to every file on every path: the page's check and import, the direct one-pass import
and the full check, the command line; CSV (UTF-8 and Windows-1252) and XLSX alike. The page's
import appends the rows its check already typed, without parsing the file again.
"""

from __future__ import annotations

import pytest

from kek_data import cli
from kek_data.ingest import ValidationFailed, check, direct, import_file, rules, store, upload
from kek_data.ingest.outcome import MAX_SHOWN, shown
from kek_data.viewer import NETWORK_MANAGER as NM
from tests.ingest_util import HEADER, csv_bytes, new_db, xlsx_bytes

MESSAGE = "Mehr als 1.000 t Holz pro Zeile sind für diesen Test zu viel („{value}“)."
#: the rule of this test: a condition over the typed cells, one column, one German message
EXTRA = rules.Rule(
    code="test_holz_viel",
    column="menge",
    sql="carrier_id = 'holz' AND quantity > 1000",
    message=MESSAGE,
)
GOOD = ["2023;Strom;5;kWh;Rathaus;", "2023;Holz/Pellets;999;t;Rathaus;"]
BAD = [*GOOD, "2024;Holz/Pellets;1.500;t;Schule;"]  # line 4 breaks only the extra rule
EXPECTED = "kek.{ext}, Zeile 4, Spalte „Menge“: " + MESSAGE.format(value="1.500")


def _xlsx(rows: list[str]) -> bytes:
    return xlsx_bytes([HEADER.split(";")] + [r.split(";") for r in rows])


FILES = {
    "csv": lambda rows: csv_bytes(rows),
    "csv_cp1252": lambda rows: csv_bytes(rows, encoding="cp1252"),
    "xlsx": _xlsx,
}


@pytest.fixture
def extra_rule(monkeypatch):
    """The rule set of upload_rules.sql plus EXTRA (what adding one block there does)."""
    original = rules.all_rules()
    assert "test_holz_viel" not in {r.code for r in original}
    monkeypatch.setattr(rules, "all_rules", lambda: [*original, EXTRA])


def _ext(kind: str) -> str:
    return "xlsx" if kind == "xlsx" else "csv"


@pytest.mark.parametrize("kind", FILES)
def test_the_page_checks_and_refuses_with_the_added_rule(tmp_path, extra_rule, kind):
    con, path = new_db(tmp_path)
    ext = _ext(kind)
    good, bad = FILES[kind](GOOD), FILES[kind](BAD)
    assert check(con, good, f"kek.{ext}", "dsw21", NM).ok
    preview = check(con, bad, f"kek.{ext}", "dsw21", NM)
    assert preview.checked.errors == [EXPECTED.format(ext=ext)]
    assert preview.staged is None
    with pytest.raises(ValidationFailed) as err:
        import_file(con, path, bad, f"kek.{ext}", "dsw21", NM, preview=preview)
    assert err.value.errors == [EXPECTED.format(ext=ext)]
    assert con.execute("SELECT count(*) FROM activity").fetchall() == [(0,)]


@pytest.mark.parametrize("kind", FILES)
@pytest.mark.parametrize("path_taken", ["direkt", "voll"])
def test_both_import_paths_apply_the_added_rule(
    tmp_path, monkeypatch, extra_rule, kind, path_taken
):
    con, path = new_db(tmp_path)
    ext = _ext(kind)
    if path_taken == "voll":
        monkeypatch.setattr(direct, "try_import", lambda *a, **k: None)
    good = import_file(con, path, FILES[kind](GOOD), f"kek.{ext}", "dsw21", NM)
    assert good.n_rows == 2
    assert good.direct is (path_taken == "direkt" and kind != "xlsx")  # xlsx: full check
    with pytest.raises(ValidationFailed) as err:
        import_file(con, path, FILES[kind](BAD), f"kek.{ext}", "dsw21", NM, replace=True)
    assert err.value.errors == [EXPECTED.format(ext=ext)]
    assert con.execute("SELECT count(*) FROM activity").fetchall() == [(2,)]


@pytest.mark.parametrize("kind", ["csv", "csv_cp1252"])
def test_the_direct_path_itself_declines_what_the_added_rule_hits(tmp_path, extra_rule, kind):
    """Not only the end result: the one-pass import writes nothing and hands over."""
    con, path = new_db(tmp_path)
    for rows, expect_direct in ((BAD, False), (GOOD, True)):
        data = FILES[kind](rows)
        shape = direct.Shape()
        keeper = store.Keeper(path, data, None, inspect=shape)
        keeper.start()
        done = direct.try_import(
            con, keeper, shape, data, None, file_name="kek.csv", member_id="dsw21",
            submitted_by="Test", replace=False, current_year=2026,
        )  # fmt: skip
        keeper.join()
        assert (done is not None) is expect_direct
    assert con.execute("SELECT count(*) FROM activity").fetchall() == [(2,)]


@pytest.mark.parametrize("kind", FILES)
def test_the_command_line_applies_the_added_rule(tmp_path, extra_rule, capsys, kind):
    _, path = new_db(tmp_path)
    ext = _ext(kind)
    for name, rows, code in (("gut", GOOD, 0), ("kek", BAD, 1)):
        file = tmp_path / f"{name}.{ext}"
        file.write_bytes(FILES[kind](rows))
        argv = ["import", str(file), "--member", "dsw21", "--db", str(path), "--replace"]
        assert cli.main(argv) == code
    assert capsys.readouterr().err.splitlines() == [EXPECTED.format(ext=ext)]


def test_without_the_added_rule_the_same_file_imports(tmp_path):
    con, path = new_db(tmp_path)
    result = import_file(con, path, csv_bytes(BAD), "kek.csv", "dsw21", NM)
    assert result.direct and result.n_rows == 3


def test_the_page_imports_the_rows_it_checked_without_parsing_again(tmp_path, monkeypatch):
    con, path = new_db(tmp_path)
    data = FILES["csv_cp1252"](BAD)
    preview = check(con, data, "kek.csv", "dsw21", NM)
    assert preview.ok and preview.staged is not None and preview.staged.num_rows == 3

    def no_parse(*args, **kwargs):
        raise AssertionError("file parsed again")

    monkeypatch.setattr(upload, "_validated", no_parse)
    monkeypatch.setattr(direct, "try_import", no_parse)
    result = import_file(con, path, data, "kek.csv", "dsw21", NM, preview=preview)
    assert result.n_rows == 3 and result.years == [2023, 2024]
    rows = con.execute(
        "SELECT line_no, year, carrier_id, quantity, unit, site FROM activity ORDER BY line_no"
    ).fetchall()
    assert rows == [
        (2, 2023, "strom", 5.0, "kWh", "Rathaus"),
        (3, 2023, "holz", 999.0, "t", "Rathaus"),
        (4, 2024, "holz", 1500.0, "t", "Schule"),
    ]
    assert store.has_raw(path, store.sha256_of(data))


def test_a_preview_of_other_bytes_is_not_used(tmp_path, monkeypatch):
    con, path = new_db(tmp_path)
    preview = check(con, csv_bytes(GOOD), "kek.csv", "dsw21", NM)
    result = import_file(con, path, csv_bytes(BAD), "kek.csv", "dsw21", NM, preview=preview)
    assert result.n_rows == 3


def test_long_values_are_cut_in_messages_and_in_the_stored_errors(tmp_path):
    con, path = new_db(tmp_path)
    junk = "Ö" * 100_000
    data = csv_bytes([f"2024;{junk};5;kWh;;", f"2024;Strom;{junk};kWh;;"])
    with pytest.raises(ValidationFailed) as err:
        import_file(con, path, data, "kek.csv", "dsw21", NM)
    cut = "Ö" * (MAX_SHOWN - 1) + "…"
    assert err.value.errors[0].startswith(
        f"kek.csv, Zeile 2, Spalte „Energieträger“: „{cut}“ ist kein bekannter Energieträger."
    )
    assert err.value.errors[1] == f"kek.csv, Zeile 3, Spalte „Menge“: „{cut}“ ist keine Zahl."
    stored = con.execute("SELECT errors FROM submissions").fetchall()[0][0]
    assert len(stored) < 1000


def test_one_helper_cuts_long_values():
    assert shown("x" * 61) == "x" * 59 + "…"
    assert shown("x" * 60) == "x" * 60 and shown(None) == ""


def test_a_long_site_is_an_error_not_stored(tmp_path):
    con, path = new_db(tmp_path)
    data = csv_bytes(["2024;Strom;5;kWh;" + "S" * 300 + ";"])
    with pytest.raises(ValidationFailed) as err:
        import_file(con, path, data, "kek.csv", "dsw21", NM)
    assert err.value.errors == [
        "kek.csv, Zeile 2, Spalte „Standort“: Der Standort ist 300 Zeichen lang („"
        + "S" * 59
        + "…“); erlaubt sind höchstens 200."
    ]
    assert con.execute("SELECT count(*) FROM activity").fetchall() == [(0,)]
