"""A small literal database a reader can check by hand: three members, three years, two factors.

Factors (fixed here, not from data/): Strom 400 g CO₂e/kWh, Heizöl 300 g CO₂e/kWh, every year.
Reported kWh and the emissions they give [t CO₂e] (kWh × g / 10⁶):

    member  year  Strom kWh  Heizöl kWh   t CO₂e
    A       2023    100.000     100.000   40 + 30 = 70
    A       2024     90.000      80.000   36 + 24 = 60
    A       2025     80.000      60.000   32 + 18 = 50
    B       2023     50.000           –   20
    B       2024     50.000           –   20
    B       2025     45.000           –   18
    C       2023     50.000     100.000   20 + 30 = 50
    C       2024     50.000     100.000   20 + 30 = 50
    C       2025     50.000           –   20  (partial: Heizöl missing)

Targets (base value derived from the base year's emissions):
    network  base 2023, −50 % by 2030, neutral 2035
    A        base 2023, −60 % by 2030, neutral 2035
    B        base 2023, −10 % by 2030, no neutrality year
    C        base 2023, −30 % by 2030, neutral 2040

The expected figures are written as numbers in tests/test_report.py.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from kek_data import db

MEMBERS = [("a", "Organisation A", "A", "Test", 1), ("b", "Organisation B", "B", "Test", 2),
           ("c", "Organisation C", "C", "Test", 3)]  # fmt: skip
ROWS = {  # member → year → (Strom kWh, Heizöl kWh or None)
    "a": {2023: (100_000, 100_000), 2024: (90_000, 80_000), 2025: (80_000, 60_000)},
    "b": {2023: (50_000, None), 2024: (50_000, None), 2025: (45_000, None)},
    "c": {2023: (50_000, 100_000), 2024: (50_000, 100_000), 2025: (50_000, None)},
}
TARGETS = [  # owner, base year, {milestone year: %}, neutrality year
    ("netzwerk", 2023, {2030: 50.0}, 2035),
    ("a", 2023, {2030: 60.0}, 2035),
    ("b", 2023, {2030: 10.0}, None),
    ("c", 2023, {2030: 30.0}, 2040),
]


def build(path: Path) -> duckdb.DuckDBPyConnection:
    """Create the small database at ``path`` and return an open connection."""
    con = db.connect(path)
    con.execute("DELETE FROM members")
    con.executemany("INSERT INTO members VALUES (?, ?, ?, ?, ?)", MEMBERS)
    con.execute("DELETE FROM emission_factors")
    con.executemany(
        "INSERT INTO emission_factors VALUES (?, 2000, ?, 'Testwert', 'fest', 'tests/small.py')",
        [("strom", 400.0), ("heizoel", 300.0)],
    )
    now = datetime(2026, 3, 15, 12, 0)
    for member_id, years in ROWS.items():
        sid = con.execute(
            "INSERT INTO submissions (member_id, submitted_by, submitted_at, file_name, sha256, "
            "size_bytes, n_rows, status) VALUES (?, 'test', ?, 'small.csv', ?, 1, 1, 'imported') "
            "RETURNING submission_id",
            [member_id, now, f"{member_id:0>64}"],
        ).fetchone()[0]
        line = 1
        for year, (strom, heizoel) in years.items():
            for carrier, kwh in (("strom", strom), ("heizoel", heizoel)):
                if kwh is not None:
                    line += 1
                    con.execute(
                        "INSERT INTO activity (submission_id, line_no, member_id, year, "
                        "carrier_id, quantity, unit) VALUES (?, ?, ?, ?, ?, ?, 'kWh')",
                        [sid, line, member_id, year, carrier, float(kwh)],
                    )
    con.execute("DELETE FROM target_milestones")
    con.execute("DELETE FROM targets")
    for owner, base_year, milestones, neutral in TARGETS:
        tid = con.execute(
            "INSERT INTO targets (owner, set_at, base_year, base_value_t, neutrality_year, "
            "residual_pct, basis, source) VALUES (?, ?, ?, NULL, ?, 0, 'Test', 'tests/small.py') "
            "RETURNING target_id",
            [owner, now, base_year, neutral],
        ).fetchone()[0]
        for year, pct in milestones.items():
            con.execute("INSERT INTO target_milestones VALUES (?, ?, ?)", [tid, year, pct])
    return con


def mark_demo(con: duckdb.DuckDBPyConnection) -> None:
    """Flag every submission and target as demo data: the Demo-Modus (AppTest without login)
    shows a database only when it holds no real data (``emissions.has_real_data``)."""
    con.execute("UPDATE submissions SET is_demo = true")
    con.execute("UPDATE targets SET is_demo = true")
