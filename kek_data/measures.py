"""Measures (Maßnahmen) per member: storage, rules, who sees them, and their savings.

Why: the network exists to turn targets into action; the network manager must see which
measures each member has in the pipeline and how much they save. Each member's measures are
entered in the app (network management for any member, a member for itself) or imported from a
template (:mod:`kek_data.measure_import`); the wedge (:mod:`kek_data.wedge`) stacks their
savings against the gap.

Storage is append-only (migration 008): a measure is one row of ``measures``; every edit inserts
a new row of ``measure_versions`` with who, when and a comment, and ``current_measures`` picks
the newest. The log (:func:`log`) is derived from consecutive versions, never overwritten.

Rules (written once, :func:`problems`): title required; Handlungsfeld, status and visibility from
their lists; start and end year within :data:`kek_data.config.FIRST_YEAR`–:data:`LAST_YEAR`,
end ≥ start; completion 0–100 %, „umgesetzt“ only at 100 %; the expected saving positive and in
exactly one form — t CO₂e/a, or an energy per year of a carrier in a unit the project converts
(``data/unit_conversions.csv``); a working group that exists.

Visibility (:func:`current`): network management and city see every measure; a member sees its
own, and another member's only if that measure is ``öffentlich`` and the member's consent shows
it by name (:func:`kek_data.access.visibility`; a member shown under a pseudonym never); the
public sees none.

Saving (:func:`savings`): given [t CO₂e/a], or energy [unit/a] → [kWh] × the emission factor
[g CO₂e/kWh] valid in ``effect_year`` = end year + 1, the first full year in which the saving is
in the reported emissions, picked as the view ``emissions`` picks it (the member's district-heat
network factor, else the national factor; a year after the newest factor carries it forward,
marked as :mod:`kek_data.factor_years` marks it).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields, replace
from datetime import datetime

import duckdb
import pandas as pd

from kek_data import access, config, db, factor_years, reference
from kek_data.errors import AccessDenied, MeasureError, MeasureErrors
from kek_data.numbers import format_date, format_number
from kek_data.viewer import DEMO_USER, Viewer

STATUSES = ("geplant", "beschlossen", "in Umsetzung", "umgesetzt", "verworfen")
#: the statuses whose savings count as decided (the wedge's "beschlossene Maßnahmen")
DECIDED = ("beschlossen", "in Umsetzung", "umgesetzt")
FIELDS = (
    "Gebäude & Wärme",
    "Strom & Erneuerbare",
    "Mobilität & Fuhrpark",
    "Prozesse",
    "Beschaffung",
    "Sonstiges",
)
VISIBILITIES = ("intern", "öffentlich")
#: Latest start or end year [a]: the horizon of the KSG (neutrality 2045) with margin.
LAST_YEAR = 2050
MAX_T = 1e7  #: [t CO₂e/a] far above any member's emissions
MAX_QUANTITY = 1e12  #: [unit/a]
MAX_TEXT = 200
MAX_DESCRIPTION = 2000
#: German name of every field (form labels, log entries).
LABELS = {
    "member_id": "Mitglied",
    "title": "Titel",
    "description": "Beschreibung",
    "field": "Handlungsfeld",
    "status": "Status",
    "start_year": "Beginn",
    "end_year": "Ende",
    "completion_pct": "Umsetzung",
    "saving_t_per_year": "Einsparung [t CO₂e/a]",
    "saving_quantity": "Einsparung Energie [je Jahr]",
    "saving_unit": "Einheit",
    "saving_carrier_id": "Energieträger",
    "responsible": "Verantwortlich",
    "group_id": "Arbeitsgruppe",
    "visibility": "Sichtbarkeit",
    "comment": "Kommentar",
}


@dataclass(frozen=True)
class Draft:
    """What one version of a measure says (savings: [t CO₂e/a] or [saving_unit/a])."""

    title: str
    field: str
    status: str
    start_year: int
    end_year: int
    completion_pct: float = 0.0
    saving_t_per_year: float | None = None
    saving_quantity: float | None = None
    saving_unit: str | None = None
    saving_carrier_id: str | None = None
    description: str = ""
    responsible: str = ""
    group_id: int | None = None
    visibility: str = "intern"

    @classmethod
    def of(cls, values: Mapping[str, object]) -> Draft:
        """A draft from a mapping (extra keys ignored, missing ones at their defaults)."""
        names = {f.name for f in fields(cls)}
        kept = {k: _clean(v) for k, v in values.items() if k in names}
        for k in ("description", "responsible", "visibility"):  # text: empty, not None
            if kept.get(k, "") is None:
                kept[k] = "" if k != "visibility" else "intern"
        return cls(**{"title": "", "field": "", "status": "", "start_year": 0, "end_year": 0,
                      **kept})  # fmt: skip


def _clean(value: object) -> object:
    """NaN/NA (from a DataFrame row) → None, numpy scalars → Python, text trimmed."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    if isinstance(value, str):
        return value.strip()
    return value.item() if hasattr(value, "item") else value


def units(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, list[str]]]:
    """carrier id → (name, units) a saving in energy may be given in (energy carriers only)."""
    out: dict[str, tuple[str, list[str]]] = {}
    for carrier_id, name, unit in db.query_rows(con, "measure_units"):
        out.setdefault(str(carrier_id), (str(name), []))[1].append(str(unit))
    return out


def groups(con: duckdb.DuckDBPyConnection) -> dict[int, str]:
    """Working group id → name (migration 007)."""
    return {int(g): str(n) for g, n in db.query_rows(con, "working_group_names")}


def problems(con: duckdb.DuckDBPyConnection, d: Draft) -> list[MeasureError]:
    """Every problem of ``d`` at its field (empty: fine); the rules of the module doc."""
    errs: list[MeasureError] = []

    def bad(name: str, message: str) -> None:
        errs.append(MeasureError(name, message, LABELS[name]))

    if not d.title:
        bad("title", "Bitte einen Titel angeben (z. B. „LED-Beleuchtung Verwaltung“).")
    for name, limit in (("title", MAX_TEXT), ("responsible", MAX_TEXT),
                        ("description", MAX_DESCRIPTION)):  # fmt: skip
        if len(str(getattr(d, name) or "")) > limit:
            bad(name, f"Text länger als {format_number(limit, 0)} Zeichen; bitte kürzen.")
    for name, allowed in (("field", FIELDS), ("status", STATUSES), ("visibility", VISIBILITIES)):
        if getattr(d, name) not in allowed:
            shown = getattr(d, name) or ""
            bad(name, f"„{shown}“ ist nicht erlaubt; erlaubt: {', '.join(allowed)}.")
    years_ok = True
    for name in ("start_year", "end_year"):
        y = getattr(d, name)
        if not isinstance(y, int) or not config.FIRST_YEAR <= y <= LAST_YEAR:
            years_ok = False
            bad(name, f"Bitte ein Jahr zwischen {config.FIRST_YEAR} und {LAST_YEAR} angeben.")
    if years_ok and d.end_year < d.start_year:
        bad("end_year", f"Das Ende ({d.end_year}) liegt vor dem Beginn ({d.start_year}).")
    pct = d.completion_pct
    if pct is None or not math.isfinite(pct) or not 0 <= pct <= 100:
        bad("completion_pct", "Bitte den Umsetzungsstand in Prozent von 0 bis 100 angeben.")
    elif d.status == "umgesetzt" and pct != 100:
        bad("completion_pct", f"„umgesetzt“ heißt 100 % umgesetzt (angegeben: "
                              f"{format_number(pct, 0)} %); bitte 100 eintragen oder den Status "
                              "„in Umsetzung“ wählen.")  # fmt: skip
    energy = (d.saving_quantity, d.saving_unit, d.saving_carrier_id)
    if d.saving_t_per_year is not None and any(v is not None for v in energy):
        bad(
            "saving_t_per_year",
            "Bitte die Einsparung nur in einer Form angeben: entweder in "
            "t CO₂e/a oder als Energie je Jahr mit Energieträger und Einheit.",
        )
    elif d.saving_t_per_year is not None:
        t = d.saving_t_per_year
        if not math.isfinite(t) or not 0 < t <= MAX_T:
            bad("saving_t_per_year", "Bitte eine positive Zahl in t CO₂e je Jahr angeben.")
    elif all(v is None for v in energy):
        bad("saving_t_per_year", "Bitte die erwartete Einsparung angeben: in t CO₂e/a oder als "
                                 "Energie je Jahr (z. B. 120.000 kWh Erdgas).")  # fmt: skip
    else:
        _energy_problems(con, d, bad)
    if d.group_id is not None and d.group_id not in groups(con):
        bad("group_id", f"Die Arbeitsgruppe Nr. {d.group_id} gibt es nicht.")
    return errs


def _energy_problems(con: duckdb.DuckDBPyConnection, d: Draft, bad) -> None:
    """The rules of a saving given as energy of a carrier per year."""
    q = d.saving_quantity
    if q is None or not math.isfinite(q) or not 0 < q <= MAX_QUANTITY:
        bad("saving_quantity", "Bitte die eingesparte Energie je Jahr als positive Zahl angeben.")
    known = units(con)
    carrier = known.get(d.saving_carrier_id or "")
    if carrier is None:
        names = ", ".join(n for n, _ in known.values())
        bad("saving_carrier_id", f"Bitte einen Energieträger angeben; erlaubt: {names}.")
    elif d.saving_unit not in carrier[1]:
        unit = d.saving_unit or ""
        bad("saving_unit", f"„{unit}“ lässt sich für {carrier[0]} nicht umrechnen; erlaubt: "
                           f"{', '.join(carrier[1])}.")  # fmt: skip


def check(con: duckdb.DuckDBPyConnection, d: Draft) -> None:
    """:class:`MeasureErrors` with every problem of ``d``."""
    errs = problems(con, d)
    if errs:
        raise MeasureErrors(errs)


def check_write(viewer: Viewer, member_id: str) -> None:
    """:class:`AccessDenied` unless ``viewer`` may enter or change ``member_id``'s measures."""
    if viewer.writes_for(member_id):
        return
    if viewer.role == "mitglied":
        raise AccessDenied(
            f"Als Mitglied „{viewer.member_id}“ dürfen Sie nur Maßnahmen Ihrer eigenen "
            f"Organisation eintragen oder ändern, nicht für „{member_id}“. "
            "Nichts wurde geschrieben."
        )
    if viewer.role == "stadt":
        raise AccessDenied("Die Rolle Stadt darf Maßnahmen ansehen, aber nicht eintragen oder "
                           "ändern. Nichts wurde geschrieben.")  # fmt: skip
    raise AccessDenied("Zum Eintragen von Maßnahmen bitte anmelden. Nichts wurde geschrieben.")


def insert(
    con: duckdb.DuckDBPyConnection,
    member_id: str,
    d: Draft,
    by: str,
    at: datetime,
    comment: str,
    is_demo: bool,
    measure_id: int | None = None,
    version_no: int = 1,
) -> int:
    """Write a new measure (``measure_id`` None) or its next version, inside the caller's
    transaction; no access check or rule (callers: :func:`add`, :func:`update`, the demo)."""
    if measure_id is None:
        (measure_id,) = db.query_rows(con, "insert_measure", member_id=member_id, created_at=at,
                                      created_by=by, is_demo=is_demo)[0]  # fmt: skip
    db.execute(con, "insert_measure_version", measure_id=measure_id, version_no=version_no,
               entered_at=at, entered_by=by, comment=comment.strip(), is_demo=is_demo,
               **asdict(d))  # fmt: skip
    return int(measure_id)


def _who(viewer: Viewer) -> tuple[str, bool]:
    """(recorded user, is_demo): the real user; written in the Demo-Modus = demo data."""
    who = viewer.user or viewer.label
    return who, who.startswith(DEMO_USER)


def _now() -> datetime:
    return datetime.now().replace(microsecond=0)


def add(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    member_id: str,
    values: Mapping[str, object] | Draft,
    comment: str = "",
) -> int:
    """Enter a new measure for ``member_id``; its id. :class:`AccessDenied`, :class:`UnknownMember`
    or :class:`MeasureErrors` (every problem) — nothing written then."""
    check_write(viewer, member_id)
    access.check_member(con, member_id)
    d = values if isinstance(values, Draft) else Draft.of(values)
    check(con, d)
    who, demo = _who(viewer)
    with db.transaction(con):
        return insert(con, member_id, d, who, _now(), comment or "angelegt", demo)


def add_many(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    member_id: str,
    rows: list[tuple[int | None, Draft, str]],
) -> list[int]:
    """Add or update several measures in ONE transaction (the import): ``(measure_id or None,
    draft, comment)``; all rows are checked before anything is written."""
    check_write(viewer, member_id)
    access.check_member(con, member_id)
    who, demo = _who(viewer)
    at, ids, errs = _now(), [], []
    for measure_id, d, _ in rows:
        errs += problems(con, d)
        if measure_id is not None and _owner(con, measure_id)[0] != member_id:
            errs.append(
                MeasureError(
                    "member_id",
                    f"Maßnahme Nr. {measure_id} gehört nicht zu „{member_id}“.",
                    LABELS["member_id"],
                )
            )
    if errs:
        raise MeasureErrors(errs)
    with db.transaction(con):
        for measure_id, d, comment in rows:
            version = 1 if measure_id is None else _owner(con, measure_id)[1] + 1
            ids.append(insert(con, member_id, d, who, at, comment, demo, measure_id, version))
    return ids


def _owner(con: duckdb.DuckDBPyConnection, measure_id: int) -> tuple[str, int]:
    """(member id, newest version number) of a stored measure; :class:`MeasureErrors` if none."""
    rows = db.query_rows(con, "measure_owner", measure_id=int(measure_id))
    if not rows:
        raise MeasureErrors([MeasureError("measure_id", f"Die Maßnahme Nr. {measure_id} gibt es "
                                                        "nicht.", "Maßnahme")])  # fmt: skip
    return str(rows[0][0]), int(rows[0][1])


def update(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    measure_id: int,
    changes: Mapping[str, object],
    comment: str,
) -> int:
    """Store a new version of ``measure_id`` with ``changes`` (field → new value) and a required
    ``comment``; the new version number. Earlier versions stay unchanged."""
    member_id, version = _owner(con, measure_id)
    check_write(viewer, member_id)
    old = _version_draft(con, measure_id, version)
    new = replace(old, **{k: _clean(v) for k, v in changes.items() if k in asdict(old)})
    errs = problems(con, new)
    if not (comment or "").strip():
        errs.append(
            MeasureError(
                "comment",
                "Bitte kurz sagen, was sich geändert hat und warum (steht im Verlauf).",
                LABELS["comment"],
            )
        )
    if new == old:
        errs.append(MeasureError("status", "Nichts geändert: bitte mindestens ein Feld ändern.",
                                 LABELS["status"]))  # fmt: skip
    if errs:
        raise MeasureErrors(errs)
    who, demo = _who(viewer)
    with db.transaction(con):
        insert(con, member_id, new, who, _now(), comment, demo, measure_id, version + 1)
    return version + 1


def _version_draft(con: duckdb.DuckDBPyConnection, measure_id: int, version: int) -> Draft:
    df = db.query_df(con, "measure_versions", measure_id=int(measure_id))
    return Draft.of(df[df["version_no"] == version].iloc[0].to_dict())


# --- reading: who sees what --------------------------------------------------------------------


def _visible(con: duckdb.DuckDBPyConnection, viewer: Viewer, df: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``df`` the viewer may see (module doc), real member ids kept."""
    if viewer.sees_all_members:
        return df.reset_index(drop=True)
    if not viewer.sees_member_data:
        return df.iloc[0:0].reset_index(drop=True)
    shown = access.visibility(con, viewer).shown
    own = df["member_id"] == viewer.member_id
    named = df["member_id"].map(lambda m: shown.get(m) == m).astype(bool)
    return df[own | (named & (df["visibility"] == "öffentlich"))].reset_index(drop=True)


def current(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, member_id: str | None = None
) -> pd.DataFrame:
    """The measures in force that ``viewer`` may see (columns of ``current_measures`` plus
    ``group_name``), optionally of one member."""
    df = _visible(con, viewer, db.query_df(con, "current_measures_rows", **viewer.params()))
    if member_id is not None:
        df = df[df["member_id"] == member_id].reset_index(drop=True)
    return df


def savings(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, member_id: str | None = None
) -> pd.DataFrame:
    """One row per visible measure in force (verworfen included) with ``effect_year`` (end year
    + 1), ``saving_t`` [t CO₂e/a] (NaN without a factor), ``saving_kwh`` [kWh/a] (energy form),
    ``g_co2e_per_kwh``, ``factor_year``, ``saving_basis`` (German: how it follows) and
    ``incomplete`` (no factor or conversion)."""
    df = _visible(con, viewer, db.query_df(con, "measure_savings", **viewer.params()))
    if member_id is not None:
        df = df[df["member_id"] == member_id].reset_index(drop=True)
    df["saving_t"] = df["saving_t"].astype("float64")
    df["incomplete"] = df["saving_t"].isna()
    df["saving_basis"] = [_basis(r) for r in df.itertuples()]
    return df


_SI = {"kWh": 1.0, "MWh": 1e3, "GWh": 1e6}


def _basis(r) -> str:
    """How a measure's saving follows, e.g. „120.000 kWh Erdgas = 108.108 kWh × 247 g CO₂e/kWh
    (Faktor 2026)“, or „direkt angegeben“."""
    if not pd.isna(r.saving_t_per_year):
        return "direkt angegeben"
    q = float(r.saving_quantity)
    energy = f"{format_number(q, 0 if q.is_integer() else 1)} {r.saving_unit} {r.carrier_name}"
    if pd.isna(r.conversion):
        return f"{energy}: Einheit nicht umrechenbar – Einsparung unvollständig"
    if pd.isna(r.g_co2e_per_kwh):
        return f"{energy}: kein Emissionsfaktor für {r.effect_year} – Einsparung unvollständig"
    kwh = "" if r.conversion == 1 else f" = {format_number(r.saving_kwh, 0)} kWh"
    if r.saving_unit in _SI and r.conversion != _SI[r.saving_unit]:  # Erdgas: Hs → Hi
        energy, kwh = f"{energy} (Brennwert)", f"{kwh} Heizwert"
    g = float(r.g_co2e_per_kwh)
    fy = factor_years.FactorYear(
        year=int(r.effect_year), carrier_id=str(r.saving_carrier_id), name=str(r.carrier_name),
        factor_year=int(r.factor_year), status=str(r.factor_status or ""),
        series=r.n_records > 1 or r.factor_origin == "netz", direct=False,
        origin=str(r.factor_origin), network=str(r.heat_network or ""),
    )  # fmt: skip
    where = f", Netz {fy.network}" if fy.network else ""
    notes = f": {', '.join(fy.notes)}" if fy.notes else ""
    return (f"{energy}{kwh} × {format_number(g, 0 if g.is_integer() else 1)} g CO₂e/kWh "
            f"(Faktor {r.effect_year}{where}{notes})")  # fmt: skip


# --- the log -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class LogEntry:
    """One version of a measure as the log shows it: when, who, comment, what changed."""

    version_no: int
    at: datetime
    by: str
    comment: str
    changes: tuple[str, ...]

    @property
    def text(self) -> str:
        """„Status: beschlossen → in Umsetzung; Umsetzung: 20 % → 60 %“ („angelegt“ first)."""
        return "; ".join(self.changes)


def _shown(con_names: dict, name: str, value: object) -> str:
    """A field's value as the log writes it."""
    if value is None or value == "":
        return "–"
    if name == "completion_pct":
        return f"{format_number(float(value), 0)} %"
    if name in ("saving_t_per_year", "saving_quantity"):
        v = float(value)
        return format_number(v, 0 if v.is_integer() else 1)
    if name == "group_id":
        return con_names.get(int(value), f"Nr. {value}")
    return str(value)


def changes(old: Draft | None, new: Draft, group_names: dict[int, str] | None = None) -> list[str]:
    """German lines of what changed from ``old`` to ``new`` („angelegt“ without ``old``)."""
    if old is None:
        return ["angelegt"]
    names = group_names or {}
    a, b = asdict(old), asdict(new)
    return [f"{LABELS[k].split(' [')[0]}: {_shown(names, k, a[k])} → {_shown(names, k, b[k])}"
            for k in a if a[k] != b[k]]  # fmt: skip


def log(con: duckdb.DuckDBPyConnection, viewer: Viewer, measure_id: int) -> list[LogEntry]:
    """Every version of a measure the viewer may see, oldest first, with what changed."""
    visible = current(con, viewer)
    if int(measure_id) not in set(visible["measure_id"].astype(int)):
        raise AccessDenied(f"Die Maßnahme Nr. {measure_id} gibt es nicht oder sie ist für Sie "
                           "nicht sichtbar.")  # fmt: skip
    names, out, prev = groups(con), [], None
    for row in db.query_df(con, "measure_versions", measure_id=int(measure_id)).to_dict("records"):
        d = Draft.of(row)
        out.append(LogEntry(int(row["version_no"]), row["entered_at"], str(row["entered_by"]),
                            str(row["comment"]), tuple(changes(prev, d, names))))  # fmt: skip
        prev = d
    return out


def log_lines(entries: list[LogEntry]) -> list[str]:
    """The log as German lines, newest first: „12.03.2025 · Frau Kaya: Status: … – Kommentar“."""
    return [f"{format_date(e.at.date())} · {e.by}: {e.text}" + (f" – {e.comment}" if e.comment
            else "") for e in reversed(entries)]  # fmt: skip


# --- demo ----------------------------------------------------------------------------------------


def seed_demo(con: duckdb.DuckDBPyConnection) -> int:
    """The demo measures (``data/demo_measures.csv``, Demodaten (fiktiv)): one line per version
    (same ``nr`` = same measure, in order); a working group named but missing is left empty.
    Inside the caller's transaction; returns the number of versions written."""
    by_name = {n: g for g, n in groups(con).items()}
    ids: dict[str, tuple[int, int]] = {}
    rows = reference.read_table("demo_measures.csv")
    for r in rows:
        values = {k: (r[k] or None) for k in r}
        for k in ("start_year", "end_year"):
            values[k] = int(r[k])
        for k in ("completion_pct", "saving_t_per_year", "saving_quantity"):
            values[k] = float(r[k]) if r[k] else None
        values["group_id"] = by_name.get(r["group"] or "")
        d = Draft.of(values)
        errs = problems(con, d)
        if errs:
            raise MeasureErrors(errs)
        at = datetime.fromisoformat(r["at"])
        prev = ids.get(r["nr"])
        mid = insert(con, r["member_id"], d, r["by"], at, r["comment"], True,
                     prev and prev[0], (prev[1] + 1) if prev else 1)  # fmt: skip
        ids[r["nr"]] = (mid, (prev[1] + 1) if prev else 1)
    return len(rows)
