"""Helpers of the target tests (tests/test_targets*.py, tests/test_ziele_page.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb

from kek_data import db


def counts(where: duckdb.DuckDBPyConnection | Path) -> tuple[int, int]:
    """Rows of ``targets`` and ``target_milestones``: unchanged after a refused version."""
    con = where if isinstance(where, duckdb.DuckDBPyConnection) else db.connect(where)
    try:
        return con.execute(
            "SELECT (SELECT count(*) FROM targets), (SELECT count(*) FROM target_milestones)"
        ).fetchone()
    finally:
        if con is not where:
            con.close()
