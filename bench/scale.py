"""Scaled databases for benchmarks: N synthetic members × Y years × every carrier.

Why: the page targets are stated at 1,000 members × 30 years; the demo has 10 × 11. Rows are
appended with one INSERT … SELECT (fast), flagged as demo, with one target per member.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from kek_data import db, demo


def build(path: Path, members: int, years: int, first_year: int = 1996) -> Path:
    """Create ``path`` with ``members`` members (10 real + synthetic) and ``years`` years each."""
    con = db.connect(path)
    if members <= 10 and years <= 11:
        demo.seed(con)
        con.close()
        return path
    con.execute("BEGIN TRANSACTION")
    con.execute(
        "INSERT OR IGNORE INTO members SELECT printf('m%04d', i), printf('Mitglied %04d', i),"
        " printf('M%04d', i), 'Synthetisch', 100 + i FROM range(1, $n + 1) t(i)",
        {"n": max(members - 10, 0)},
    )
    last = first_year + years - 1
    con.execute(
        "INSERT INTO submissions (member_id, submitted_by, submitted_at, file_name, sha256,"
        " size_bytes, n_rows, status, is_demo) SELECT member_id, 'bench', $at, 'bench.csv', 'x', 0,"
        " 0, 'imported', true FROM members",
        {"at": datetime(last + 1, 3, 1)},
    )
    con.execute(
        """INSERT INTO activity
           SELECT s.submission_id, 2, s.member_id, y.year, c.carrier_id,
                  round((1000 + hash(s.member_id || c.carrier_id) % 100000)
                        * pow(0.98, y.year - $first), 1),
                  (SELECT min(unit) FROM unit_conversions u WHERE u.carrier_id = c.carrier_id),
                  '', NULL
           FROM submissions s, carriers c,
                (SELECT range AS year FROM range($first, $last + 1)) y""",
        {"first": first_year, "last": last},
    )
    con.execute(
        "INSERT INTO targets (owner, set_at, base_year, neutrality_year, residual_pct, basis,"
        " source, is_demo) SELECT member_id, now()::TIMESTAMP, $first, 2040, 0, 'fiktiv', 'bench',"
        " true FROM members",
        {"first": first_year},
    )
    con.execute(
        "INSERT INTO target_milestones SELECT target_id, 2030, 50 FROM targets WHERE owner <> "
        "'netzwerk'"
    )
    con.execute("COMMIT")
    con.execute("CHECKPOINT")
    con.close()
    return path
