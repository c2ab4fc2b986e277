"""Deterministic demo data: ten KEK members, 2015–2025, flagged as **Demodaten (fiktiv)**.

Why: a new user must see a working dashboard at once, and tests need the same numbers on every
machine. Profiles (``data/demo_profiles.csv``) give each member's carriers, units, magnitudes and
trends; a fixed seed adds ±3 % noise and a 2020 dip in fuels. All submissions and targets written
here have ``is_demo = true``; the pages and exports show the demo notice from that flag.
"""

from __future__ import annotations

import hashlib
import random
from datetime import date, datetime

import duckdb

from kek_data import access, contracts, db, measures, network_demo, reference, rounds
from kek_data.ingest import store
from kek_data.viewer import Viewer

SEED = 2035
FIRST_YEAR = 2015
LAST_YEAR = 2025
DEMO_USER = "Demo-Generator"
FUEL_CARRIERS = {"diesel", "benzin"}


def demo_rows(
    first_year: int = FIRST_YEAR, last_year: int = LAST_YEAR, seed: int = SEED
) -> list[dict[str, object]]:
    """Activity rows ``{member_id, year, carrier_id, quantity, unit}`` from the profiles [unit]."""
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for p in reference.read_table("demo_profiles.csv"):
        missing = {int(y) for y in p["missing"].split("|") if y}
        value = float(p["base_2015"])
        for year in range(first_year, last_year + 1):
            if year > first_year:
                change = float(p["trend_pct"])
                if p["from_year"] and year >= int(p["from_year"]):
                    change += float(p["step_pct"])
                value *= 1 + change / 100
            noise = 1 + rng.uniform(-0.03, 0.03)
            dip = 0.9 if year == 2020 and p["carrier_id"] in FUEL_CARRIERS else 1.0
            if year in missing:
                continue
            decimals = 1 if p["unit"] in ("t CO₂e", "MWh") else 0
            rows.append(
                {
                    "member_id": p["member_id"],
                    "year": year,
                    "carrier_id": p["carrier_id"],
                    "quantity": round(value * noise * dip, decimals),
                    "unit": p["unit"],
                }
            )
    return rows


def seed(con: duckdb.DuckDBPyConnection) -> int:
    """Write demo submissions, activity and targets in one transaction; return rows written.

    Refuses to write into a database that already holds submissions (demo data never mixes with
    real uploads).
    """
    if db.query_rows(con, "has_submissions")[0][0]:
        return 0
    rows = demo_rows()
    with db.transaction(con):
        by_key: dict[tuple[str, int], list[dict[str, object]]] = {}
        for r in rows:
            by_key.setdefault((str(r["member_id"]), int(r["year"])), []).append(r)
        for (member_id, year), items in sorted(by_key.items(), key=lambda kv: (kv[0][1], kv[0][0])):
            text = "\n".join(f"{r['carrier_id']};{r['quantity']};{r['unit']}" for r in items)
            submission_id = store.record(
                con,
                member_id=member_id,
                submitted_by=DEMO_USER,
                submitted_at=datetime(year + 1, 3, 15, 9, 0),
                file_name=f"demo_{member_id}_{year}.csv",
                sha256=hashlib.sha256(text.encode()).hexdigest(),
                size_bytes=len(text.encode()),
                n_rows=len(items),
                status=store.IMPORTED,
                is_demo=True,
            )
            con.executemany(
                db.sql("insert_demo_activity"),
                [
                    {**r, "submission_id": submission_id, "line_no": i + 2}
                    for i, r in enumerate(items)
                ],
            )
        _seed_targets(con)
        _seed_consent(con)
        _seed_contracts(con)
        network_demo.seed_groups(con)  # before the measures (they may name a working group)
        measures.seed_demo(con)  # the demo measures (data/demo_measures.csv)
        network_demo.seed_meetings(con)  # after the measures (actions link to them)
        rounds.seed_demo(con)  # last: the reporting rounds check the data and notes above
    return len(rows)


def _seed_targets(con: duckdb.DuckDBPyConnection) -> None:
    for t in reference.read_table("demo_targets.csv"):
        (target_id,) = db.query_rows(
            con,
            "insert_target",
            owner=t["member_id"],
            set_at=datetime(2023, 1, 1),
            base_year=int(t["base_year"]),
            base_value_t=None,
            neutrality_year=int(t["neutrality_year"]) if t["neutrality_year"] else None,
            residual_pct=float(t["residual_pct"] or 0),
            basis=t["basis"],
            source=t["source"],
            is_demo=True,
            purpose="ziel",
            kind="eigenes Ziel",
            body=None,
            scopes="1+2",
            agreed_on=date(2023, 1, 1),
            entered_by="Demo-Generator",
            valid_from=date(2023, 1, 1),
            verified=False,
        )[0]
        for item in filter(None, t["milestones"].split("|")):
            year, pct = item.split(":")
            db.execute(
                con,
                "insert_milestone",
                target_id=target_id,
                year=int(year),
                reduction_pct=float(pct),
            )


def _seed_consent(con: duckdb.DuckDBPyConnection) -> None:
    """The demo members' publication consent (``data/demo_consent.csv``, fictitious)."""
    seeder = Viewer(role="netzwerk", name=DEMO_USER, user=DEMO_USER)
    for row in reference.read_table("demo_consent.csv"):
        access.set_consent(
            con, seeder, row["member_id"], row["level"], row["note"],
            at=datetime(2023, 1, 1), is_demo=True,
        )  # fmt: skip


def _seed_contracts(con: duckdb.DuckDBPyConnection) -> None:
    """Demo electricity contracts (``data/demo_contracts.csv``, fictitious): a share of each
    year's reported electricity [kWh] from ``from_year`` on, for the market-based view."""
    strom = {(m, int(y)): float(k) for m, y, k in db.query_rows(con, "demo_strom_kwh")}
    by_key: dict[tuple[str, int], list[contracts.Contract]] = {}
    for row in reference.read_table("demo_contracts.csv"):
        for (member_id, year), kwh in sorted(strom.items()):
            if member_id == row["member_id"] and year >= int(row["from_year"]):
                found = by_key.setdefault((member_id, year), [])
                found.append(contracts.Contract(
                    len(found) + 2, year, round(kwh * float(row["share_pct"]) / 100),
                    float(row["g_co2e_per_kwh"]), row["proof"], row["supplier"],
                    row["product"], "Demodaten (fiktiv)",
                ))  # fmt: skip
    for (member_id, year), found in sorted(by_key.items(), key=lambda kv: (kv[0][1], kv[0][0])):
        contracts.insert(
            con, member_id, DEMO_USER, f"demo_vertraege_{member_id}_{year}.csv", found, [year],
            is_demo=True, at=datetime(year + 1, 3, 15, 9, 0),
        )  # fmt: skip
