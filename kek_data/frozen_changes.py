"""What changed since a Berichtsstand: frozen against live, as one German table.

Why: after corrections the network manager must say what differs from the published annual
report. :func:`changes` lists, each as a row (Bereich, Mitglied, Jahr, Änderung, values):

- **Emissionen:** per member and year t CO₂e frozen vs live where they differ by more than
  0,5 kg, and the network total (only where the viewer may see it in both);
- **Meldungen:** submissions current now but not at freezing ("neu übernommen") and current
  then but not now ("zurückgezogen oder ersetzt");
- **Ziele:** target versions entered since;
- **Faktoren:** emission factors changed, added or removed;
- **Maßnahmen:** measures added or with another status (``current_measures``, where both
  databases have it; see migration 008);
- **Berichtsrunde:** a member-year whose recorded round status changed (``round_status_log``,
  migration 009).

Both sides are read through the viewer (``report.build`` applies consent; the row queries the
viewer's filter): a member sees its own organisation's changes and the network total only.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from kek_data import db, report
from kek_data.numbers import format_date
from kek_data.viewer import Viewer

COLUMNS = [
    "Bereich",
    "Mitglied",
    "Jahr",
    "Änderung",
    "Berichtsstand [t CO₂e]",
    "Live [t CO₂e]",
    "Δ [t CO₂e]",
]
#: Smaller differences are rounding, not changes [t CO₂e].
TOLERANCE_T = 5e-4
NETWORK = "Netzwerk (Summe)"


def changes(
    live: duckdb.DuckDBPyConnection, frozen: duckdb.DuckDBPyConnection, viewer: Viewer
) -> pd.DataFrame:
    """Every change since the snapshot ``frozen`` that ``viewer`` may see (:data:`COLUMNS`)."""
    then, now = report.build(frozen, viewer), report.build(live, viewer)
    names = then.names | now.names
    rows = _emissions(then, now, viewer)
    rows += _submissions(live, frozen, viewer, names)
    rows += _targets(live, frozen, viewer, names)
    rows += _factors(live, frozen)
    rows += _measures(live, frozen, viewer, names)
    rows += _rounds(live, frozen, viewer, names)
    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["Jahr"] = frame["Jahr"].astype("Int64")
    return frame


def _row(area: str, who: str, year: object, what: str, a=None, b=None) -> list:
    delta = None if a is None or b is None else b - a
    return [area, who, year, what, a, b, delta]


def _emissions(then: report.Report, now: report.Report, viewer: Viewer) -> list[list]:
    rows = []
    own = {m for m in then.member | now.member if viewer.sees_all_members or m == viewer.member_id}
    series = [(NETWORK, then.network.series, now.network.series)]
    series += [
        (
            then.names.get(m) or now.names.get(m, m),
            then.member[m].kpi.series if m in then.member else {},
            now.member[m].kpi.series if m in now.member else {},
        )
        for m in sorted(own)
    ]
    for who, a_s, b_s in series:
        for y in sorted(set(a_s) | set(b_s)):
            a, b = a_s.get(y), b_s.get(y)
            if a is not None and b is not None and abs(a - b) <= TOLERANCE_T:
                continue
            what = (
                "t CO₂e geändert"
                if a is not None and b is not None
                else "Jahr neu gemeldet"
                if a is None
                else "Jahr nicht mehr gezählt"
            )
            rows.append(_row("Emissionen", who, y, what, a, b))
    return rows


def _submissions(live, frozen, viewer: Viewer, names: dict[str, str]) -> list[list]:
    a = db.query_df(frozen, "freeze_active_submissions", **viewer.params())
    b = db.query_df(live, "freeze_active_submissions", **viewer.params())
    rows = []
    for frame, other, what in ((b, a, "neu übernommen"), (a, b, "zurückgezogen oder ersetzt")):
        for r in frame[~frame["submission_id"].isin(other["submission_id"])].itertuples():
            rows.append(
                _row(
                    "Meldungen",
                    names.get(r.member_id, r.member_id),
                    None,
                    f"Meldung {r.submission_id} „{r.file_name}“ vom "
                    f"{format_date(r.submitted_at.date())} {what}",
                )
            )
    return rows


def _targets(live, frozen, viewer: Viewer, names: dict[str, str]) -> list[list]:
    a = db.query_df(frozen, "freeze_targets", **viewer.params())
    b = db.query_df(live, "freeze_targets", **viewer.params())
    added = b[~b["target_id"].isin(a["target_id"])]
    rows = []
    for r in added.itertuples():
        who = NETWORK if r.owner == "netzwerk" else names.get(r.owner, r.owner)
        kind = "Zielversion" if r.purpose == "ziel" else "Vorgabe"
        rows.append(
            _row(
                "Ziele",
                who,
                None,
                f"{kind} {r.target_id} neu ({r.kind}, gültig ab "
                f"{format_date(r.valid_from)}, von {r.entered_by or '–'})",
            )
        )
    return rows


def _factors(live, frozen) -> list[list]:
    a = db.query_df(frozen, "freeze_factors").set_index(["carrier_id", "valid_from"])
    b = db.query_df(live, "freeze_factors").set_index(["carrier_id", "valid_from"])
    rows = []
    for key in sorted(set(a.index) | set(b.index)):
        old = a["g_co2e_per_kwh"].get(key)
        new = b["g_co2e_per_kwh"].get(key)
        if old is not None and new is not None and abs(old - new) < 1e-9:
            continue
        text = (
            f"{_g(old)} → {_g(new)}"
            if old is not None and new is not None
            else f"neu: {_g(new)}"
            if old is None
            else f"entfallen (war {_g(old)})"
        )
        rows.append(_row("Faktoren", "alle", int(key[1]), f"Faktor {key[0]} ab {key[1]}: {text}"))
    return rows


def _g(value: float | None) -> str:
    from kek_data.numbers import format_number

    return f"{format_number(value, 1)} g CO₂e/kWh"


def _has(con: duckdb.DuckDBPyConnection, name: str) -> bool:
    return any(bool(r[0]) for r in db.query_rows(con, "freeze_has_relation", name=name))


def _measures(live, frozen, viewer: Viewer, names: dict[str, str]) -> list[list]:
    """Measures added or with another status (both databases need ``current_measures`` with
    ``measure_id``, ``member_id``, ``title``, ``status``)."""
    if not (_has(live, "current_measures") and _has(frozen, "current_measures")):
        return []
    try:
        a, b = (
            db.query_df(c, "freeze_measures", **viewer.params()).set_index("measure_id")
            for c in (frozen, live)
        )
    except duckdb.Error:  # another shape of the table: nothing to compare
        return []
    rows = []
    for mid, r in b.iterrows():
        who = names.get(r["member_id"], r["member_id"])
        if mid not in a.index:
            rows.append(_row("Maßnahmen", who, None, f"„{r['title']}“ neu ({r['status']})"))
        elif a.loc[mid, "status"] != r["status"]:
            rows.append(
                _row(
                    "Maßnahmen",
                    who,
                    None,
                    f"„{r['title']}“: {a.loc[mid, 'status']} → {r['status']}",
                )
            )
    return rows


def _rounds(live, frozen, viewer: Viewer, names: dict[str, str]) -> list[list]:
    """Member-years of the reporting round whose newest recorded status changed."""
    if not (_has(live, "round_status_log") and _has(frozen, "round_status_log")):
        return []
    a, b = (
        {
            (int(r.year), str(r.member_id)): str(r.status)
            for r in db.query_df(c, "freeze_round_status", **viewer.params()).itertuples()
        }
        for c in (frozen, live)
    )
    rows = []
    for (year, member), status in sorted(b.items()):
        if a.get((year, member)) != status:
            was = a.get((year, member), "angefragt")
            who = names.get(member, member)
            rows.append(_row("Berichtsrunde", who, year, f"Status: {was} → {status}"))
    return rows
