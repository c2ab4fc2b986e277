"""DuckDB connection and ordered migrations; the named SQL of :mod:`kek_data.named_sql`.

Why: the schema lives in one place (``sql/migrations/NNN_*.sql``) and every query is a named block
in ``sql/*.sql`` run with bound parameters, so no page or command builds SQL from input.
Opening an older file applies the missing migrations in order inside one transaction.
Layers: ``named_sql`` ← ``reference`` ← ``db`` (no import circle).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from kek_data import config, reference
from kek_data.errors import DatabaseError

# The named-SQL layer, re-exported: callers write ``db.sql(...)``, ``db.query_df(...)``.
from kek_data.named_sql import (  # noqa: F401
    SQL_DIR,
    execute,
    query_df,
    query_rows,
    rollback,
    sql,
    transaction,
)

MIGRATIONS_DIR = SQL_DIR / "migrations"

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
    if not query_rows(con, "schema_version_table_exists")[0][0]:
        return 0
    return int(query_rows(con, "schema_version_current")[0][0] or 0)


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
    try:
        with transaction(con):
            execute(con, "schema_version_create")
            for version, path in pending:
                con.execute(path.read_text(encoding="utf-8"))
                execute(con, "schema_version_insert", version=version)
    except (duckdb.Error, OSError) as exc:
        raise DatabaseError(f"Migration der Datenbank fehlgeschlagen: {exc}") from exc
    return pending[-1][0]


def connect(
    path: str | Path | None = None, *, read_only: bool = False, create: bool = True
) -> duckdb.DuckDBPyConnection:
    """Open (and create or migrate) the database file and sync reference data from ``data/``.

    ``create=False`` refuses a file that does not exist yet (a typo in ``--db`` must not make a
    new empty database): every command but ``init`` opens so; the dashboard creates its file.
    """
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
