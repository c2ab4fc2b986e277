"""Helpers for the upload tests: temporary databases and files written like Excel writes them."""

from __future__ import annotations

import io
from pathlib import Path

from kek_data import db
from kek_data.ingest import ValidationFailed, check, import_file
from kek_data.viewer import DEMO_USER, Viewer
from kek_data.viewer import NETWORK_MANAGER as NM

#: The network manager of the Demo-Modus: what it uploads keeps a demo database a demo, so an
#: AppTest (Demo-Modus, no login) still shows it afterwards.
DEMO_NM = Viewer("netzwerk", name="Demo · Netzwerkmanagement", user=DEMO_USER + "netzwerk")

HEADER = "Jahr;Energieträger;Menge;Einheit;Standort;Bemerkung"


def csv_bytes(
    rows: list[str],
    header: str = HEADER,
    encoding: str = "utf-8",
    newline: str = "\r\n",
) -> bytes:
    """Header plus rows as a file in ``encoding`` (``utf-8-sig`` for BOM, ``cp1252``)."""
    return (newline.join([header, *rows]) + newline).encode(encoding)


def xlsx_bytes(rows: list[list[object]], start_row: int = 0, second_sheet: bool = True) -> bytes:
    """An .xlsx (xlsxwriter) with ``rows`` on the first sheet from ``start_row`` (0-based)."""
    import xlsxwriter

    buffer = io.BytesIO()
    wb = xlsxwriter.Workbook(buffer, {"in_memory": True})
    ws = wb.add_worksheet("Daten")
    for i, row in enumerate(rows):
        for j, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, int | float):
                ws.write_number(start_row + i, j, value)
            else:
                ws.write_string(start_row + i, j, str(value))
    if second_sheet:
        wb.add_worksheet("Hinweise").write(0, 0, "nicht lesen")
    wb.close()
    return buffer.getvalue()


def new_db(tmp_path: Path) -> tuple[object, Path]:
    """A fresh, migrated database without demo data: (connection, path)."""
    path = tmp_path / "kek.duckdb"
    return db.connect(path), path


def errors_of(con, data: bytes, name: str = "kek_2024.csv", member: str = "dsw21") -> list[str]:
    """The German error lines of a file (empty when valid); writes nothing."""
    preview = check(con, data, name, member, NM)
    return preview.checked.errors


def do_import(con, path: Path, data: bytes, member: str = "dsw21", **kw):
    """Import a file; returns the Imported result (raises ValidationFailed etc.)."""
    return import_file(con, path, data, kw.pop("name", "kek.csv"), member, NM, **kw)


__all__ = ["DEMO_NM", "HEADER", "ValidationFailed", "csv_bytes", "do_import", "errors_of", "new_db"]
