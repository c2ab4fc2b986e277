"""Named SQL from ``kek_data/sql/*.sql``: loaded by name, run with bound parameters.

Why: no Python module holds SQL text (``tests/test_structure.py`` checks it), and no page or
command builds SQL from input. This is the lowest layer of the core: it imports only DuckDB, so
``db`` (connect, migrate) and ``reference`` (the copy of ``data/``) can both build on it without
importing each other.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

if TYPE_CHECKING:  # pandas is loaded by .df() only when a frame is asked for
    import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"
_NAME = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)
#: ``{{name}}`` inside a block stands for the text of the block ``name`` (constant SQL only)
_INCLUDE = re.compile(r"\{\{(\w+)\}\}")


@cache
def _blocks() -> dict[str, str]:
    blocks: dict[str, str] = {}
    for path in sorted(SQL_DIR.glob("*.sql")):
        parts = _NAME.split(path.read_text(encoding="utf-8"))
        for i in range(1, len(parts), 2):
            if parts[i] in blocks:
                raise KeyError(f"query {parts[i]!r} defined twice ({path.name})")
            blocks[parts[i]] = parts[i + 1].strip().rstrip(";")
    bare = {
        name: "\n".join(ln for ln in text.splitlines() if not ln.lstrip().startswith("--"))
        for name, text in blocks.items()
    }
    return {name: _INCLUDE.sub(lambda m: bare[m.group(1)], text) for name, text in blocks.items()}


def sql(name: str) -> str:
    """The SQL text of the named block in ``sql/*.sql`` (e.g. ``queries.sql``, ``ingest.sql``)."""
    try:
        return _blocks()[name]
    except KeyError:
        raise KeyError(f"unknown query {name!r}") from None


def query_df(con: duckdb.DuckDBPyConnection, query_name: str, /, **params: Any) -> pd.DataFrame:
    """Run a named query with bound parameters and return a DataFrame."""
    return con.execute(sql(query_name), params).df()


def query_rows(con: duckdb.DuckDBPyConnection, query_name: str, /, **params: Any) -> list[tuple]:
    """Run a named query with bound parameters and return all rows as tuples."""
    return con.execute(sql(query_name), params).fetchall()


def execute(con: duckdb.DuckDBPyConnection, query_name: str, /, **params: Any) -> None:
    """Run a named statement with bound parameters."""
    con.execute(sql(query_name), params)


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, unless DuckDB already ended it (a failed COMMIT does).

    Why: in ``except`` after a failed COMMIT a plain ROLLBACK raises "no transaction is active"
    and hides the error that matters.
    """
    with contextlib.suppress(duckdb.TransactionException):
        con.rollback()


@contextlib.contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """``with transaction(con):`` — everything or nothing: COMMIT at the end, ROLLBACK on error.

    Uses the connection's ``begin``/``commit``/``rollback`` (no SQL text); a failed COMMIT raises
    its own error, not "no transaction is active".
    """
    con.begin()
    try:
        yield con
        con.commit()
    except BaseException:
        rollback(con)
        raise
