"""DuckDB connection, ordered migrations and named SQL from ``kek_data/sql``.

Why: the schema lives in one place (``sql/migrations/NNN_*.sql``) and every query is a named block
in ``sql/*.sql`` run with bound parameters, so no page or command builds SQL from input.
Opening an older file applies the missing migrations in order inside one transaction.
"""

from __future__ import annotations

import contextlib
import re
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from kek_data import config
from kek_data.errors import DatabaseError

if TYPE_CHECKING:  # pandas is loaded by .df() only when a frame is asked for
    import pandas as pd

SQL_DIR = Path(__file__).resolve().parent / "sql"
MIGRATIONS_DIR = SQL_DIR / "migrations"
_NAME = re.compile(r"^--\s*name:\s*(\w+)\s*$", re.MULTILINE)

#: DuckDB settings: nothing may be downloaded at run time (offline machines).
DUCKDB_CONFIG = {
    "autoinstall_known_extensions": False,
    "autoload_known_extensions": False,
}


def migrations() -> list[tuple[int, Path]]:
    """Migration files in order: ``(version, path)`` from ``NNN_name.sql``."""
    found = []
    for path in sorted(MIGRATIONS_DIR.glob("*.sql")):
        found.append((int(path.name.split("_", 1)[0]), path))
    return found


def latest_version() -> int:
    """The schema version the code expects."""
    return migrations()[-1][0]


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    """The schema version stored in the file (0 for an empty file)."""
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
    ).fetchone()[0]
    if not exists:
        return 0
    row = con.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Apply every missing migration in one transaction; return the new version."""
    current = schema_version(con)
    pending = [(v, p) for v, p in migrations() if v > current]
    if current > latest_version():
        raise DatabaseError(
            f"Die Datenbank hat Schema-Version {current}, diese Programmversion kennt nur bis "
            f"{latest_version()}. Bitte das Programm aktualisieren."
        )
    if not pending:
        return current
    con.execute("BEGIN TRANSACTION")
    try:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_version "
            "(version INTEGER PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
        )
        for version, path in pending:
            con.execute(path.read_text(encoding="utf-8"))
            con.execute(
                "INSERT INTO schema_version VALUES ($v, current_timestamp::TIMESTAMP)",
                {"v": version},
            )
        con.execute("COMMIT")
    except Exception as exc:
        rollback(con)
        raise DatabaseError(f"Migration der Datenbank fehlgeschlagen: {exc}") from exc
    return pending[-1][0]


def rollback(con: duckdb.DuckDBPyConnection) -> None:
    """Roll back the open transaction, unless DuckDB already ended it (a failed COMMIT does).

    Why: in ``except`` after a failed COMMIT a plain ROLLBACK raises "no transaction is active"
    and hides the error that matters.
    """
    with contextlib.suppress(duckdb.TransactionException):
        con.execute("ROLLBACK")


def connect(
    path: str | Path | None = None, *, read_only: bool = False, create: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open (and create or migrate) the database file and sync reference data from ``data/``.

    ``create=False`` refuses a file that does not exist yet (a typo in ``--db`` must not make a
    new empty database): every command but ``init`` opens so; the dashboard creates its file.
    """
    from kek_data import reference  # layer above db: imported late to keep db importable alone

    target = config.db_path(path)
    if not create and not target.is_file():
        raise DatabaseError(
            f"Datenbank {target} gibt es nicht. Bitte den Pfad prüfen oder die Datenbank erst "
            f"anlegen: python -m kek_data init --db {target} (zum Ausprobieren mit --demo)."
        )
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = duckdb.connect(str(target), read_only=read_only, config=DUCKDB_CONFIG)
    except duckdb.Error as exc:
        raise DatabaseError(
            f"Datenbank {target} lässt sich nicht öffnen: {exc}. Läuft ein anderer Prozess "
            "(Dashboard oder Kommandozeile) mit derselben Datei?"
        ) from exc
    if not read_only:
        migrate(con)
        reference.sync(con)
    return con


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
