"""CSV (German Excel dialect) and XLSX export: round trips, number formats, formula injection."""

from __future__ import annotations

import csv
import io
import json
import math
from datetime import datetime

import openpyxl
import pandas as pd
import pytest

from kek_data.export import tables
from kek_data.export.tables import Column
from tests.golden import assert_golden

INJECTIONS = [
    "=1+1",
    "@SUM(A1)",
    "-2+3",
    "+49 231",
    "\t=cmd",
    '=HYPERLINK("http://x","y")',
    "\r=1",
    "＝1+1",
]


@pytest.fixture
def frame() -> pd.DataFrame:
    texts = [*INJECTIONS, "a\x0bb\x00c", 'Bemerkung; mit "Zitat"', "Zeile\nzwei", None, "Köln"]
    n = len(texts)
    return pd.DataFrame(
        {
            "text": texts,
            "t": [1234.5, -0.0, 1e-7, 123456789.125, math.nan, 2.0, 1 / 3, 0.1, -7.25, 0.0, 5.5,
                  None, 42.0][:n],
            "year": [2015 + i for i in range(n)],
            "count": list(range(n)),
            "at": pd.to_datetime(["2026-03-15 09:00"] * (n - 1) + [None]),
            "flag": [i % 2 == 0 for i in range(n)],
        }
    )  # fmt: skip


COLUMNS = [
    Column("text", "Bemerkung"),
    Column("t", "Emissionen [t CO₂e]", "number"),
    Column("year", "Jahr", "year"),
    Column("count", "Anzahl", "int"),
    Column("at", "Eingang", "datetime"),
    Column("flag", "Demo", "bool"),
]


def read_csv(data: bytes, demo: bool) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf"), "UTF-8 mit BOM"
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert text.count("\r\n") == len(rows)  # CRLF after every record, LF only inside cells
    if demo:
        assert rows[0] == [tables.DEMO_LINE]
        rows = rows[1:]
    return rows


def german_float(text: str) -> float | None:
    return None if text == "" else float(text.replace(",", "."))


def test_csv_round_trip_every_value(frame):
    rows = read_csv(tables.to_csv(frame, COLUMNS, demo=True), demo=True)
    assert rows[0] == [c.header for c in COLUMNS]
    body = rows[1:]
    assert len(body) == len(frame)
    for row, rec in zip(body, frame.to_dict("records"), strict=True):
        t = rec["t"]
        assert german_float(row[1]) == (None if t is None or t != t else t) or (
            t == 0 and row[1] == "0"
        )
        assert int(row[2]) == rec["year"] and int(row[3]) == rec["count"]
        assert row[4] == ("" if pd.isna(rec["at"]) else "15.03.2026 09:00")
        assert row[5] == ("ja" if rec["flag"] else "nein")
        original = rec["text"]
        if pd.isna(original):
            assert row[0] == ""
        elif tables.is_formula_like(tables.clean_text(original)):
            assert row[0] == "'" + tables.clean_text(original)
        else:
            assert row[0] == tables.clean_text(original)


def test_csv_numbers_are_german_exact_and_plain():
    assert tables.csv_cell(1234.5, "number") == "1234,5"
    assert tables.csv_cell(0.1 + 0.2, "number") == "0,30000000000000004"
    assert tables.csv_cell(1e-7, "number") == "0,0000001"
    assert tables.csv_cell(1e20, "number") == "100000000000000000000"
    assert tables.csv_cell(-0.0, "number") == "0"
    assert tables.csv_cell(float("nan"), "number") == ""
    with pytest.raises(tables.TableExportError):
        tables.csv_cell(float("inf"), "number")


@pytest.mark.parametrize("text", INJECTIONS)
def test_csv_neutralises_formulas(text):
    cell = tables.neutralise(text)
    assert cell.startswith("'")
    assert not tables.is_formula_like(cell)


def test_control_characters_are_removed():
    assert tables.clean_text("a\x0bb\x00c\x1f\x7fd\ud800") == "abcd"
    assert tables.clean_text("Tab\tund\nZeile") == "Tab\tund\nZeile"
    assert len(tables.clean_text("x" * 40_000)) == tables.EXCEL_MAX_CHARS


def test_xlsx_round_trip_real_numbers_formats_and_no_formulas(frame):
    data = tables.table_to_xlsx(frame, COLUMNS, demo=True, source="Quelle: Test, Stand 15.03.2026")
    wb = openpyxl.load_workbook(io.BytesIO(data))
    ws = wb.active
    assert ws.title == "Daten"
    assert "Demodaten (fiktiv)" in ws["A1"].value and ws["A1"].value.startswith("Quelle: Test")
    assert [c.value for c in ws[2]] == [c.header for c in COLUMNS]
    assert all(c.font.b for c in ws[2])
    assert ws.freeze_panes == "A3"
    assert ws.auto_filter.ref.startswith("A2")
    assert ws.column_dimensions["A"].width > 8
    for i, rec in enumerate(frame.to_dict("records"), start=3):
        text, t, year, count, at, flag = (ws.cell(i, j).value for j in range(1, 7))
        original = rec["text"]
        if pd.isna(original):
            assert text is None
        else:
            assert text == tables.clean_text(original)
            assert ws.cell(i, 1).data_type == "s"  # never a formula ("f")
            assert ws.cell(i, 1).quotePrefix == tables.is_formula_like(text)
        expected_t = rec["t"]
        if expected_t is None or expected_t != expected_t:
            assert t is None
        else:
            assert isinstance(t, int | float) and t == expected_t
            assert ws.cell(i, 2).number_format == "#,##0.0"
        assert year == rec["year"] and ws.cell(i, 3).number_format == "0"
        assert count == rec["count"] and ws.cell(i, 4).number_format == "#,##0"
        assert at == (None if pd.isna(rec["at"]) else datetime(2026, 3, 15, 9, 0))
        assert flag == ("ja" if rec["flag"] else "nein")
    for row in ws.iter_rows():
        assert all(c.data_type != "f" for c in row)


def test_xlsx_without_demo_and_sheet_names(frame):
    sheets = [
        tables.Sheet("Emissionen [t]: a/b", frame, COLUMNS),
        tables.Sheet("Emissionen [t]: a/b", frame),
    ]
    wb = openpyxl.load_workbook(io.BytesIO(tables.to_xlsx(sheets)))
    assert wb.sheetnames == ["Emissionen _t__ a_b", "Emissionen _t__ a_b (2)"]
    assert wb.worksheets[0]["A1"].value == "Quelle: KEK-Klimadashboard"
    assert wb.worksheets[1]["A2"].value == "text"  # inferred columns keep the frame's names
    assert wb.properties.creator == "KEK-Klimadashboard"


def test_infer_columns():
    df = pd.DataFrame({"year": [2020], "n": [1], "x": [1.5], "s": ["a"], "b": [True],
                       "d": pd.to_datetime(["2026-01-01"])})  # fmt: skip
    kinds = [c.kind for c in tables.infer_columns(df)]
    assert kinds == ["year", "int", "number", "text", "bool", "datetime"]


def test_golden_csv_and_xlsx_content(frame):
    csv_text = tables.to_csv(frame, COLUMNS, demo=True).decode("utf-8-sig")
    assert_golden("export_table.csv", csv_text)
    wb = openpyxl.load_workbook(io.BytesIO(tables.table_to_xlsx(frame, COLUMNS, demo=True)))
    cells = [
        [None if v is None else v.isoformat() if isinstance(v, datetime) else v for v in row]
        for row in wb.active.iter_rows(values_only=True)
    ]
    assert_golden("export_table_xlsx.json", json.dumps(cells, ensure_ascii=False, indent=1) + "\n")
