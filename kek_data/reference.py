"""Reference data: members, carriers, units, conversions and emission factors from ``data/``.

Why: every factor and conversion is a data record with value, unit and source (``data/*.csv``,
semicolon-separated, ``#`` lines are comments carrying the methodology). The database holds a
copy so that SQL can join it; :func:`sync` refreshes that copy whenever the files change.
"""

from __future__ import annotations

import csv
import hashlib
from datetime import datetime
from pathlib import Path

import duckdb

from kek_data import config, db

REFERENCE_FILES = (
    "members.csv",
    "carriers.csv",
    "unit_aliases.csv",
    "unit_conversions.csv",
    "emission_factors.csv",
    "network_target.csv",
)


def read_table(name: str, data_dir: Path | None = None) -> list[dict[str, str]]:
    """Rows of a ``data/`` file as dicts (comment lines starting with ``#`` skipped)."""
    path = (data_dir or config.DATA_DIR) / name
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if not line.startswith("#") and line.strip()]
    return list(csv.DictReader(lines, delimiter=";"))


def _files_hash(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in REFERENCE_FILES:
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def sync(con: duckdb.DuckDBPyConnection, data_dir: Path | None = None) -> bool:
    """Reload reference tables from ``data/`` if the files changed; True if reloaded."""
    data_dir = data_dir or config.DATA_DIR
    digest = _files_hash(data_dir)
    row = con.execute(db.sql("meta_get"), {"key": "reference_hash"}).fetchone()
    if row and row[0] == digest:
        return False
    con.execute("BEGIN TRANSACTION")
    try:
        _load(con, data_dir)
        con.execute(db.sql("meta_set"), {"key": "reference_hash", "value": digest})
        con.execute("COMMIT")
    except Exception:
        db.rollback(con)
        raise
    return True


def _load(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    for m in read_table("members.csv", data_dir):
        db.execute(con, "upsert_member", **{**m, "sort_order": int(m["sort_order"])})
    for statement in (
        "DELETE FROM carriers",
        "DELETE FROM carrier_aliases",
        "DELETE FROM unit_aliases",
        "DELETE FROM unit_conversions",
        "DELETE FROM emission_factors",
    ):
        con.execute(statement)
    for c in read_table("carriers.csv", data_dir):
        con.execute(
            "INSERT INTO carriers VALUES ($id, $name, $scope, $kind, $sort)",
            {
                "id": c["carrier_id"],
                "name": c["name"],
                "scope": int(c["scope"]),
                "kind": c["kind"],
                "sort": int(c["sort_order"]),
            },
        )
        aliases = {c["carrier_id"], c["name"], *filter(None, c["aliases"].split("|"))}
        for alias in sorted({a.strip().lower() for a in aliases}):
            con.execute(
                "INSERT INTO carrier_aliases VALUES ($a, $id)", {"a": alias, "id": c["carrier_id"]}
            )
    for u in read_table("unit_aliases.csv", data_dir):
        con.execute(
            "INSERT OR REPLACE INTO unit_aliases VALUES ($a, $u)",
            {"a": u["alias"].strip().lower(), "u": u["unit"]},
        )
    for u in read_table("unit_conversions.csv", data_dir):
        con.execute(
            "INSERT INTO unit_conversions VALUES ($c, $u, $f, $t, $d, $s)",
            {
                "c": u["carrier_id"],
                "u": u["unit"],
                "f": float(u["factor"]),
                "t": u["target_unit"],
                "d": u["derivation"],
                "s": u["source"],
            },
        )
    for f in read_table("emission_factors.csv", data_dir):
        con.execute(
            "INSERT INTO emission_factors VALUES ($c, $y, $v, $st, $d, $s)",
            {
                "c": f["carrier_id"],
                "y": int(f["valid_from"]),
                "v": float(f["g_co2e_per_kwh"]),
                "st": f["status"],
                "d": f["derivation"],
                "s": f["source"],
            },
        )
    _sync_network_target(con, data_dir)


def _sync_network_target(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Append the network target from ``network_target.csv`` when it differs from the current."""
    (t,) = read_table("network_target.csv", data_dir)
    wanted = (
        int(t["base_year"]),
        int(t["neutrality_year"]),
        float(t["residual_pct"]),
        int(t["milestone_year"]),
        float(t["milestone_pct"]),
    )
    current = con.execute(
        """SELECT t.base_year, t.neutrality_year, t.residual_pct, m.year, m.reduction_pct
           FROM targets t LEFT JOIN target_milestones m USING (target_id)
           WHERE t.owner = 'netzwerk' ORDER BY t.target_id DESC LIMIT 1"""
    ).fetchone()
    if current == wanted:
        return
    target_id = db.query_rows(
        con,
        "insert_target",
        owner="netzwerk",
        set_at=datetime.now(),
        base_year=wanted[0],
        base_value_t=None,
        neutrality_year=wanted[1],
        residual_pct=wanted[2],
        basis="Netzwerkziel",
        source=t["source"],
        is_demo=False,
    )[0][0]
    db.execute(
        con, "insert_milestone", target_id=target_id, year=wanted[3], reduction_pct=wanted[4]
    )


def carrier_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """carrier_id → German display name."""
    return {r[0]: r[1] for r in db.query_rows(con, "carriers")}
