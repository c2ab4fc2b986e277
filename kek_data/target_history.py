"""History of the target agreements: every stored version with what changed.

Why: targets are append-only (:mod:`kek_data.targets` writes them); the page Ziele and the
command line show each owner's versions in the order they bind (the order of the SQL block
``current_targets``: latest ``valid_from`` first, ties by the newest row) and say in German what
each version changed against the one before it. Reading follows :func:`check_read`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime

import duckdb
import pandas as pd

from kek_data import db, progress
from kek_data.errors import AccessDenied
from kek_data.numbers import format_date, format_t
from kek_data.targets import KINDS, NETWORK, SCOPE_LABELS, num, pct_text
from kek_data.viewer import Viewer


@dataclass(frozen=True)
class Version:
    """One stored version: its target (``base_value`` None = derived), when it was entered,
    whether it is the one in force today, and what changed against the version before it."""

    target: progress.Target
    set_at: datetime | None
    in_force: bool
    changes: list[str] = field(default_factory=list)


def check_read(viewer: Viewer, owner: str) -> None:
    """:class:`AccessDenied` unless ``viewer`` may read ``owner``'s targets: network and city
    all, a member its own and the network's, the public none."""
    if viewer.sees_all_members or (
        viewer.role == "mitglied" and owner in (viewer.member_id, NETWORK)
    ):
        return
    if viewer.role == "mitglied":
        raise AccessDenied("Sie sehen nur die Ziele Ihrer eigenen Organisation und des Netzwerks.")
    raise AccessDenied("Die Zielvereinbarungen sind nur nach der Anmeldung einsehbar.")


def versions(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, owner: str, purpose: str = "ziel"
) -> list[Version]:
    """Every version of ``owner``'s target of ``purpose``, newest first (the order in which
    they bind), each with what changed against the one before it ("neu" for the first)."""
    check_read(viewer, owner)
    rows = db.query_df(con, "target_versions", owner=owner, purpose=purpose)
    marks: dict[int, dict[int, float]] = {}
    for target_id, year, pct in db.query_rows(
        con, "target_milestones_of", owner=owner, purpose=purpose
    ):
        marks.setdefault(int(target_id), {})[int(year)] = float(pct)
    today = date.today()
    found, bound = [], False
    for r in rows.to_dict("records"):
        t = _target(r, marks.get(int(r["target_id"]), {}))
        in_force = not bound and (t.valid_from or today) <= today
        bound = bound or in_force
        found.append(
            Version(
                t,
                None if pd.isna(r["set_at"]) else pd.Timestamp(r["set_at"]).to_pydatetime(),
                in_force,
            )
        )
    return [
        replace(v, changes=changes(found[i + 1].target if i + 1 < len(found) else None, v.target))
        for i, v in enumerate(found)
    ]


def _target(row: dict, milestones: dict[int, float]) -> progress.Target:
    """A stored row as a :class:`progress.Target` (base_value None when derived)."""

    def get(name: str) -> object:
        value = row.get(name)
        return None if value is None or (not isinstance(value, str) and pd.isna(value)) else value

    def day(name: str) -> date | None:
        value = get(name)
        return None if value is None else pd.Timestamp(value).date()

    base = get("base_value_t")
    return progress.Target(
        owner=str(row["owner"]),
        base_year=int(row["base_year"]),
        base_value=None if base is None else float(base),  # type: ignore[arg-type]
        milestones=milestones,
        neutrality_year=None if get("neutrality_year") is None else int(row["neutrality_year"]),
        residual_pct=float(get("residual_pct") or 0.0),  # type: ignore[arg-type]
        basis=str(get("basis") or ""),
        source=str(get("source") or ""),
        is_demo=bool(get("is_demo")),
        target_id=int(row["target_id"]),
        kind=str(get("kind") or KINDS[0]),
        body=None if get("body") is None else str(row["body"]),
        scopes=str(get("scopes") or "1+2"),
        agreed_on=day("agreed_on"),
        entered_by=str(get("entered_by") or ""),
        valid_from=day("valid_from") or day("set_at"),
        verified=bool(get("verified")),
        base_derived=base is None,
    )


def _year(value: int | None) -> str:
    return "keins" if value is None else str(value)


def _base(value: float | None) -> str:
    return "aus Daten" if value is None else format_t(value, 0)


def _day(value: date | None) -> str:
    return "–" if value is None else format_date(value)


def changes(old: progress.Target | None, new: progress.Target) -> list[str]:
    """What changed from ``old`` to ``new``, one German line each ("neu" without ``old``),
    e.g. "Meilenstein 2030: −50 % → −60 %", "Basiswert: aus Daten → 1.234 t CO₂e"."""
    if old is None:
        return ["neu"]
    lines = []

    def differ(label: str, a: object, b: object, text=str) -> None:
        if a != b:
            lines.append(f"{label}: {text(a)} → {text(b)}")

    differ("Basisjahr", old.base_year, new.base_year)
    differ("Basiswert", None if old.base_derived else old.base_value,
           None if new.base_derived else new.base_value, _base)  # fmt: skip
    for year in sorted(set(old.milestones) | set(new.milestones)):
        a, b = old.milestones.get(year), new.milestones.get(year)
        if a != b:
            before = "keiner" if a is None else pct_text(a)
            after = "entfällt" if b is None else pct_text(b)
            lines.append(f"Meilenstein {year}: {before} → {after}")
    differ("Neutralitätsjahr", old.neutrality_year, new.neutrality_year, _year)
    differ("Restanteil", old.residual_pct, new.residual_pct,
           lambda p: f"{num(p)} %")  # fmt: skip
    differ("Scopes", old.scopes, new.scopes, lambda s: SCOPE_LABELS.get(s, s))
    differ("Zielart", old.kind, new.kind)
    differ("Dachverband", old.body, new.body, lambda b: b or "–")
    differ("Vereinbart am", old.agreed_on, new.agreed_on, _day)
    if old.source != new.source:
        lines.append(f"Quelle: „{new.source}“")
    if new.verified and not old.verified:
        lines.append("Annahme bestätigt")
    elif old.verified and not new.verified:
        lines.append("unbestätigt")
    return lines or ["unverändert"]
