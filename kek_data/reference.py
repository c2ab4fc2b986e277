"""Reference data: members, carriers, units, conversions and emission factors from ``data/``.

Why: every factor and conversion is a data record with value, unit and source (``data/*.csv``,
semicolon-separated, ``#`` lines are comments carrying the methodology). The database holds a
copy so that SQL can join it; :func:`sync` refreshes that copy whenever the files change.
"""

from __future__ import annotations

import csv
import hashlib
from datetime import date, datetime
from pathlib import Path

import duckdb

from kek_data import config
from kek_data.errors import ReferenceDataError
from kek_data.named_sql import execute, query_rows, sql, transaction

REFERENCE_FILES = (
    "members.csv",
    "carriers.csv",
    "unit_aliases.csv",
    "unit_conversions.csv",
    "emission_factors.csv",
    "network_target.csv",
    "parent_targets.csv",
    "residual_mix.csv",
    "climate_factors.csv",
)


def read_table(name: str, data_dir: Path | None = None) -> list[dict[str, str]]:
    """Rows of a ``data/`` file as dicts (comment lines starting with ``#`` skipped).

    A row with more or fewer fields than the header (an unquoted ``;`` in a source text) is a
    :class:`ReferenceDataError` naming file and line, never a silently cut source."""
    path = (data_dir or config.DATA_DIR) / name
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [(no, line) for no, line in enumerate(fh, 1)
                 if not line.startswith("#") and line.strip()]  # fmt: skip
    rows = list(csv.reader([line for _, line in lines], delimiter=";"))
    header = rows[0] if rows else []
    for (no, _), row in zip(lines[1:], rows[1:], strict=False):
        if len(row) != len(header):
            raise ReferenceDataError(
                f"{name}, Zeile {no}: {len(row)} Felder statt {len(header)} – ein „;“ in einem "
                "Text? Bitte durch „,“ ersetzen oder den Text in Anführungszeichen setzen."
            )
    return [dict(zip(header, row, strict=True)) for row in rows[1:]]


def _files_hash(data_dir: Path) -> str:
    digest = hashlib.sha256()
    for name in REFERENCE_FILES:
        digest.update((data_dir / name).read_bytes())
    return digest.hexdigest()


def sync(con: duckdb.DuckDBPyConnection, data_dir: Path | None = None) -> bool:
    """Reload reference tables from ``data/`` if the files changed; True if reloaded."""
    data_dir = data_dir or config.DATA_DIR
    digest = _files_hash(data_dir)
    row = query_rows(con, "meta_get", key="reference_hash")
    if row and row[0][0] == digest:
        return False
    with transaction(con):
        _load(con, data_dir)
        execute(con, "meta_set", key="reference_hash", value=digest)
    return True


#: Columns of ``data/`` files that are numbers (every other column is text).
_NUMERIC = {"scope": int, "sort_order": int, "valid_from": int, "factor": float,
            "g_co2e_per_kwh": float, "year": int}  # fmt: skip


def _rows(name: str, data_dir: Path, *columns: str) -> list[dict[str, object]]:
    """The ``columns`` a statement binds, typed (a file may carry more, e.g. a comment column)."""
    return [
        {c: _NUMERIC.get(c, str)(row[c]) for c in columns} for row in read_table(name, data_dir)
    ]


def _load(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    members = _rows("members.csv", data_dir, "member_id", "name", "short_name", "sector",
                    "sort_order")  # fmt: skip
    con.executemany(sql("upsert_member"), members)
    execute(con, "reference_clear")
    con.executemany(
        sql("insert_carrier"),
        _rows("carriers.csv", data_dir, "carrier_id", "name", "scope", "kind", "sort_order"),
    )
    con.executemany(
        sql("insert_carrier_alias"),
        [
            {"alias_key": alias, "carrier_id": c["carrier_id"]}
            for c in read_table("carriers.csv", data_dir)
            for alias in _carrier_alias_keys(c)
        ],
    )
    con.executemany(
        sql("insert_unit_alias"),
        [
            {"alias_key": u["alias"].strip().lower(), "unit": u["unit"]}
            for u in read_table("unit_aliases.csv", data_dir)
        ],
    )
    con.executemany(
        sql("insert_unit_conversion"),
        _rows("unit_conversions.csv", data_dir, "carrier_id", "unit", "factor", "target_unit",
              "derivation", "source"),
    )  # fmt: skip
    con.executemany(
        sql("insert_emission_factor"),
        _rows("emission_factors.csv", data_dir, "carrier_id", "valid_from", "g_co2e_per_kwh",
              "status", "derivation", "source"),
    )  # fmt: skip
    _sync_method_factors(con, data_dir)
    _sync_network_target(con, data_dir)
    _sync_parent_targets(con, data_dir)


def _sync_method_factors(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Residual mix (market-based Scope 2) and climate factors (weather view), schema 6."""
    execute(con, "method_factors_clear")
    con.executemany(
        sql("insert_residual_mix"),
        _rows("residual_mix.csv", data_dir, "valid_from", "g_co2e_per_kwh", "status",
              "derivation", "source"),
    )  # fmt: skip
    climate = _rows("climate_factors.csv", data_dir, "year", "factor", "status", "source")
    if climate:
        con.executemany(sql("insert_climate_factor"), climate)


def _carrier_alias_keys(c: dict[str, str]) -> list[str]:
    """Lower-case, trimmed spellings of a carrier: its id, its name and its listed aliases."""
    aliases = {c["carrier_id"], c["name"], *filter(None, c["aliases"].split("|"))}
    return sorted({a.strip().lower() for a in aliases})


#: ``entered_by`` of the network target versions taken from the file (not by a person).
NETWORK_TARGET_FILE = "data/network_target.csv"


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
    current = query_rows(con, "current_network_target", entered_by=NETWORK_TARGET_FILE)
    if current and current[0] == wanted:
        return
    target_id = query_rows(
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
        purpose="ziel",
        kind="Netzwerkpfad",
        body=None,
        scopes="1+2",
        agreed_on=None,
        entered_by=NETWORK_TARGET_FILE,
        valid_from=date(2000, 1, 1),
        verified=False,
    )[0][0]
    execute(con, "insert_milestone", target_id=target_id, year=wanted[3], reduction_pct=wanted[4])


#: ``entered_by`` of the parent bodies' targets taken from the file (not by a person).
PARENT_TARGETS_FILE = "data/parent_targets.csv"
#: ``basis`` of a parent body's target whose base year the file leaves empty: the Zielabgleich
#: applies it to the base year and base value of the member's own target.
OWN_BASE = "Basis des eigenen Ziels"
KIND_PARENT = "Vorgabe des Dachverbands"


def milestones_of(text: str) -> dict[int, float]:
    """``"2030:55|2035:90"`` → {2030: 55.0, 2035: 90.0} (year → reduction [%])."""
    result = {}
    for item in filter(None, (p.strip() for p in text.split("|"))):
        year, pct = item.split(":")
        result[int(year)] = float(pct.replace(",", "."))
    return result


def _sync_parent_targets(con: duckdb.DuckDBPyConnection, data_dir: Path) -> None:
    """Append each parent body's target from ``parent_targets.csv`` (purpose 'vorgabe', owner =
    the member it applies to) when it differs from the newest version the file entered for that
    member and body. An empty base year is stored as the network's base year and marked
    :data:`OWN_BASE`."""
    (net,) = read_table("network_target.csv", data_dir)
    current = {}
    for row in query_rows(con, "file_vorgaben", entered_by=PARENT_TARGETS_FILE):
        target_id, owner, body, *values = row
        found = {int(y): float(p) for y, p in query_rows(con, "file_vorgabe_milestones",
                                                         target_id=target_id)}  # fmt: skip
        current[(owner, body)] = (*values, found)
    for t in read_table("parent_targets.csv", data_dir):
        base_year = int(t["base_year"] or net["base_year"])
        wanted = (
            base_year,
            int(t["neutrality_year"]) if t["neutrality_year"] else None,
            float(t["residual_pct"].replace(",", ".") or 0),
            "eigenes Basisjahr" if t["base_year"] else OWN_BASE,
            # the note (e.g. EKvW's 1990 base applied to the member's base) travels with the
            # source, so every surface that names the source also says the simplification
            f"{t['source']} – Hinweis: {t['note']}" if t.get("note") else t["source"],
            t["verified"].strip().lower() == "ja",
            milestones_of(t["milestones"]),
        )
        if current.get((t["member_id"], t["body"])) == wanted:
            continue
        target_id = query_rows(
            con,
            "insert_target",
            owner=t["member_id"],
            set_at=datetime.now(),
            base_year=wanted[0],
            base_value_t=None,
            neutrality_year=wanted[1],
            residual_pct=wanted[2],
            basis=wanted[3],
            source=wanted[4],
            is_demo=False,
            purpose="vorgabe",
            kind=KIND_PARENT,
            body=t["body"],
            scopes="1+2",
            agreed_on=None,
            entered_by=PARENT_TARGETS_FILE,
            valid_from=date(2000, 1, 1),
            verified=wanted[5],
        )[0][0]
        for year, pct in wanted[6].items():
            execute(con, "insert_milestone", target_id=target_id, year=year, reduction_pct=pct)


def carrier_names(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """carrier_id → German display name."""
    return {r[0]: r[1] for r in query_rows(con, "carriers")}
