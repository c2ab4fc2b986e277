"""The wedges of a report (:mod:`kek_data.wedge`) from the measures store, for one viewer.

Why: :func:`kek_data.report.build` gives every surface the same wedges; this module decides
which measures each wedge may use, once:

* **A member's wedge** uses only the measures :func:`kek_data.measures.savings` gives *this
  viewer* (its own, and others' as their visibility and consent allow), so a measure the viewer
  may not see never moves a member's wedge. A member shown under a pseudonym ("Mitglied A")
  gets no wedge: its measures are never shown to other members (:mod:`kek_data.measures`), and
  a wedge without them would claim an uncovered gap that may be covered. For the same reason
  the public (which reads no measure) gets the network's wedge only.
* **The network's wedge** uses every member's measures, whoever looks, like the network total —
  but only as sums per status; it names an incomplete measure only if the viewer may read that
  measure itself. It exists only where the network's total shows (:func:`access.total_shown`,
  applied by the report: ``Kpi.latest`` is None otherwise).

Stacking order and decided statuses come from :mod:`kek_data.measures` (written there once).
Values in [t CO₂e].
"""

from __future__ import annotations

from collections.abc import Mapping

import duckdb
import pandas as pd

from kek_data import measures, progress, wedge
from kek_data.numbers import format_numbers
from kek_data.viewer import NETWORK_MANAGER, Viewer

REJECTED = measures.STATUSES[-1]  # "verworfen": adds nothing
#: Statuses that count, from the trend down (umgesetzt … geplant); "verworfen" adds nothing.
STACK_ORDER: tuple[str, ...] = tuple(
    s for s in reversed(measures.STATUSES) if s in measures.DECIDED
) + tuple(s for s in measures.STATUSES if s not in measures.DECIDED and s != REJECTED)


def _rows(frame: pd.DataFrame) -> list[dict]:
    return frame.to_dict("records") if len(frame) else []


def build(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    network: progress.Kpi,
    members: Mapping[str, tuple[str, progress.Kpi, bool]],
    counted: Mapping[str, int] | None = None,
) -> dict[str, wedge.Wedge]:
    """owner → wedge: 'netzwerk' (where its total shows) and each shown member.

    ``members``: shown member id → (real member id, its key figures, shown under a pseudonym).
    ``counted``: real member id → the year whose figures of the member stand in the network's
    latest counted year (its older complete year where the newest is partial).
    """
    result: dict[str, wedge.Wedge] = {}
    kw = {"stack_order": STACK_ORDER, "decided": measures.DECIDED}
    seen = measures.savings(con, viewer)
    seen_rows = _rows(seen)
    if network.latest is not None:  # the total shows (the report withholds it otherwise)
        same = viewer.audience == NETWORK_MANAGER.audience  # already every measure
        every = seen_rows if same else _rows(measures.savings(con, NETWORK_MANAGER))
        readable = {r["measure_id"] for r in seen_rows}  # titles it may read
        in_l = counted or {}
        rows_ = [  # each counted from the year its member's figures in the network's L come from
            r | {"latest_year": in_l.get(str(r["member_id"]), network.latest_year)} for r in every
        ]
        w = wedge.for_kpi(network, rows_, titles=readable, **kw)
        if w is not None:
            result[progress.NETWORK] = w
    by_member: dict[str, list[dict]] = {}
    for r in seen_rows:
        by_member.setdefault(str(r["member_id"]), []).append(r)
    for shown, (real, kpi, pseudonym) in members.items():
        if pseudonym or not viewer.sees_member_data:  # the public reads no measure at all
            continue
        w = wedge.for_kpi(kpi, by_member.get(real, []), **kw)
        if w is not None:
            result[shown] = w
    return result


#: key of :func:`rows` → German column of the page table (statuses: "<status> [t CO₂e]").
COLUMNS = {
    "member_id": "Kennung",
    "short_name": "Mitglied",
    "latest_year": "Letztes Jahr",
    "target_year": "Zieljahr",
    "gap_t": "Lücke im Zieljahr [t CO₂e]",
    "decided_t": "Beschlossen, begonnen, umgesetzt [t CO₂e]",
    "uncovered_t": "Ungedeckte Lücke [t CO₂e]",
    "uncovered_pct": "Ungedeckt [% der Lücke]",
    "planned_t": "Geplant [t CO₂e]",
    "n_measures": "Maßnahmen",
    "n_incomplete": "Ohne Einsparangabe",
}


def rows(wedges: Mapping[str, wedge.Wedge], names: Mapping[str, str]) -> list[dict]:
    """One row per wedge, the network first, then the members in ``names``' order (owner →
    shown name): gap, decided, uncovered, planned in the target year [t CO₂e], and the wedge
    per status under the status' name [t CO₂e]. Numbers as numbers (downloads, data package)."""
    owners = [progress.NETWORK, *names]
    out = []
    for owner in (o for o in owners if o in wedges):
        w = wedges[owner]
        row = {"member_id": owner, "short_name": names.get(owner, "Netzwerk gesamt")}
        row |= {k: getattr(w, k) for k in list(COLUMNS)[2:]}
        out.append(row | w.by_status())
    return out


def table(wedges: Mapping[str, wedge.Wedge], names: Mapping[str, str]) -> pd.DataFrame:
    """:func:`rows` as a frame with German column names (page and its downloads)."""
    frame = pd.DataFrame(rows(wedges, names))
    status = {s: f"{s} [t CO₂e]" for s in STACK_ORDER}
    return frame.rename(columns=COLUMNS | status) if len(frame) else frame


def german(frame: pd.DataFrame) -> pd.DataFrame:
    """:func:`table` with German number text for a page (years as plain text)."""
    out = frame.copy()
    for col in out.columns:
        if col.endswith("[t CO₂e]"):
            out[col] = format_numbers(out[col], 0)
        elif col.endswith("[% der Lücke]"):
            out[col] = format_numbers(out[col], 1)
        elif col in (COLUMNS["latest_year"], COLUMNS["target_year"]):
            out[col] = out[col].astype(str)
    return out
