"""Target agreements: versions of each owner's target, entered by the network management.

Why: the target every figure is measured against is agreed with the member (or set for the
network) and changes over time; the table ``targets`` is append-only, every edit is a new
version with who entered it (``store.sender``), when it was agreed (``agreed_on``) and from which
day it applies (``valid_from`` = the day it is entered). The version in force on a day is picked
by the SQL block ``current_targets`` (:func:`kek_data.progress.targets`); this module adds the
rules of a new version (:func:`validate`, each problem a :class:`TargetError` at its field), the
write (:func:`add_version`) and the history with what changed (:func:`versions`).

Purposes: ``ziel`` (the owner's agreed target) and ``vorgabe`` (a parent body's target for the
member ``owner``, body = the parent body's name). A base value left empty is derived from the
base year's emissions, from the same series the report gives :func:`progress.targets`
(:func:`series`). Values in [t CO₂e], reductions and shares in [%].
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

import duckdb

from kek_data import access, db, emissions, progress, reference, report
from kek_data.errors import GermanNumberError, TargetError, TargetErrors
from kek_data.ingest import store
from kek_data.numbers import format_number, parse_german_number
from kek_data.viewer import DEMO_USER, NETWORK_MANAGER, Viewer

NETWORK = progress.NETWORK
KINDS = ("eigenes Ziel", "Vorgabe des Dachverbands", "SBTi-Pfad", "Netzwerkpfad")
SCOPES = ("1", "2", "1+2")
SCOPE_LABELS = {"1": "Scope 1", "2": "Scope 2", "1+2": "Scope 1 und 2"}
PURPOSES = ("ziel", "vorgabe")
#: German name of every field a :class:`TargetError` can name (form labels).
FIELD_LABELS = {
    "owner": "Mitglied",
    "purpose": "Art der Angabe",
    "base_year": "Basisjahr",
    "base_value": "Basiswert",
    "milestones": "Meilensteine",
    "neutrality_year": "Neutralitätsjahr",
    "residual_pct": "Restanteil",
    "scopes": "Scopes",
    "kind": "Zielart",
    "source": "Quelle",
    "body": "Dachverband",
    "agreed_on": "Vereinbart am",
}
#: Earliest base year accepted [a].
FIRST_BASE_YEAR = 1990


@dataclass(frozen=True)
class Draft:
    """A target version as entered; ``base_value`` [t CO₂e] None = derive from the base year."""

    owner: str
    base_year: int
    base_value: float | None
    milestones: dict[int, float]  # year → reduction [%] vs base
    neutrality_year: int | None
    residual_pct: float  # [%] of the base still emitted in the neutrality year
    scopes: str
    kind: str
    source: str
    agreed_on: date | None
    purpose: str = "ziel"
    body: str | None = None
    own_base: bool = False  # a 'vorgabe' measured from the member's own target's base

    @classmethod
    def of(cls, target: progress.Target, purpose: str = "ziel") -> Draft:
        """The draft that repeats ``target`` (a stored base only if it was entered)."""
        return cls(
            owner=target.owner,
            base_year=target.base_year,
            base_value=None if target.base_derived else target.base_value,
            milestones=dict(target.milestones),
            neutrality_year=target.neutrality_year,
            residual_pct=target.residual_pct,
            scopes=target.scopes,
            kind=target.kind,
            source=target.source,
            agreed_on=target.agreed_on,
            purpose=purpose,
            body=target.body,
            own_base=target.basis == reference.OWN_BASE,
        )


def num(value: float) -> str:
    """A percentage or share in German, decimals only where needed: "55", "55,5" [%]."""
    return format_number(value, 0 if float(value).is_integer() else 1)


def pct_text(pct: float) -> str:
    """A reduction [%] as "−55 %" (German decimals, "−55,5 %")."""
    return f"−{num(pct)} %" if pct else "0 %"


def series(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, dict[int, float]], dict[int, float]]:
    """(member id → year → [t CO₂e], network year → [t CO₂e]): the series the report derives
    a base value from (members' reported emissions, the network total under the completeness
    rule), over every year with data; empty without data."""
    years = emissions.network_totals(con)["year"]
    if years.empty:
        return {}, {}
    rep = report.build(con, NETWORK_MANAGER, int(years.max()))
    return {m: dict(r.reported) for m, r in rep.member.items()}, dict(rep.network.series)


def current(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    purpose: str = "ziel",
    as_of: date | None = None,
) -> dict[str, progress.Target]:
    """The versions in force on ``as_of`` (default today) by owner, base values resolved, as
    :func:`progress.targets` gives them to the report."""
    members, network = series(con)
    return progress.targets(con, viewer, members, network, purpose=purpose, as_of=as_of)


def derived_base(con: duckdb.DuckDBPyConnection, owner: str, base_year: int) -> float | None:
    """The base value [t CO₂e] a version without an entered base would take for ``base_year``
    (as :func:`progress.targets` takes it from :func:`series`); None without data that year."""
    members, network = series(con)
    return (network if owner == NETWORK else members.get(owner, {})).get(int(base_year))


def parse_milestone(text: str) -> tuple[int, float]:
    """``"2030:55"`` or ``"2030:55,5"`` → (2030, 55.5) [a, %]; German numbers."""
    year, sep, pct = text.partition(":")
    try:
        if not sep or not year.strip().isdigit():
            raise GermanNumberError(text)
        return int(year), parse_german_number(pct)
    except GermanNumberError:
        raise TargetError(
            "milestones",
            f"Meilenstein „{text}“: bitte Jahr:Minderung in % angeben, z. B. 2030:55 oder "
            "2030:55,5.",
        ) from None


def milestone_table(rows: Iterable[tuple[object, object]]) -> dict[int, float]:
    """Milestones {year: reduction [%]} from (year, reduction) rows of a form table; empty rows
    are skipped. :class:`TargetErrors` (field ``milestones``) for a half-filled row, a year that
    is not a whole number or a year given twice."""
    found: dict[int, float] = {}
    errors = []
    for n, (year, pct) in enumerate(rows, start=1):
        empty = [v is None or (isinstance(v, float) and math.isnan(v)) for v in (year, pct)]
        if all(empty):
            continue
        if any(empty):
            what = "das Jahr" if empty[0] else "die Minderung in %"
            errors.append(TargetError("milestones", f"Meilenstein in Zeile {n}: {what} fehlt."))
        elif float(year) != int(float(year)):  # type: ignore[arg-type]
            errors.append(TargetError("milestones", f"Meilensteinjahr {year}: bitte ganzes Jahr."))
        elif int(float(year)) in found:  # type: ignore[arg-type]
            text = f"Meilenstein {int(float(year))} ist doppelt angegeben."  # type: ignore[arg-type]
            errors.append(TargetError("milestones", text))
        else:
            found[int(float(year))] = float(pct)  # type: ignore[arg-type]
    if errors:
        raise TargetErrors(errors)
    return found


def validate(
    con: duckdb.DuckDBPyConnection, draft: Draft, milestones_unread: bool = False
) -> list[TargetError]:
    """Every problem of ``draft`` at once, each at its field (empty list = fine);
    ``milestones_unread``: some milestone could not be read (then "none given" is not said)."""
    errors: list[TargetError] = []

    def bad(name: str, message: str) -> None:
        errors.append(TargetError(name, message))

    known = access.member_ids(con)
    owner_ok = draft.owner in known or draft.owner == NETWORK
    if not owner_ok:
        bad(
            "owner",
            f"Unbekanntes Mitglied „{draft.owner}“ (bekannt: netzwerk, {', '.join(known)}).",
        )
    if draft.purpose not in PURPOSES:
        bad("purpose", f"Unbekannte Art „{draft.purpose}“: erlaubt sind ziel und vorgabe.")
    elif draft.purpose == "vorgabe":
        if draft.owner == NETWORK:
            bad(
                "owner",
                "Vorgaben eines Dachverbands gelten für Mitglieder, nicht für das Netzwerk.",
            )
        if not (draft.body or "").strip():
            bad("body", "Bitte den Dachverband angeben, von dem die Vorgabe stammt.")
    if draft.kind not in KINDS:
        bad("kind", f"Unbekannte Zielart „{draft.kind}“: erlaubt sind {', '.join(KINDS)}.")
    if draft.scopes not in SCOPES:
        bad("scopes", f"Unbekannte Scopes „{draft.scopes}“: erlaubt sind 1, 2 und 1+2.")
    base, this_year = draft.base_year, date.today().year
    base_ok = FIRST_BASE_YEAR <= base <= this_year
    if not base_ok:
        bad("base_year", f"Basisjahr {base}: erlaubt sind {FIRST_BASE_YEAR} bis {this_year}.")
    if draft.base_value is not None and not (
        math.isfinite(draft.base_value) and draft.base_value > 0
    ):
        bad("base_value", "Der Basiswert muss größer als 0 t CO₂e sein (leer = aus den Daten).")
    if (
        draft.base_value is None
        and not draft.own_base
        and base_ok
        and owner_ok
        and derived_base(con, draft.owner, base) is None
    ):
        bad(
            "base_year",
            f"Für das Basisjahr {base} liegen keine Emissionsdaten vor: bitte den Basiswert "
            "angeben oder ein Basisjahr mit Daten wählen.",
        )
    neutral = draft.neutrality_year
    if neutral is not None and neutral <= base:
        bad("neutrality_year", f"Neutralitätsjahr {neutral} liegt nicht nach dem Basisjahr {base}.")
    if not draft.milestones and neutral is None and not milestones_unread:
        bad("milestones", "Bitte mindestens einen Meilenstein oder ein Neutralitätsjahr angeben.")
    for year, pct in sorted(draft.milestones.items()):
        if year <= base:
            bad("milestones", f"Meilenstein {year} liegt nicht nach dem Basisjahr {base}.")
        if neutral is not None and year > neutral:
            bad("milestones", f"Meilenstein {year} liegt nach dem Neutralitätsjahr {neutral}.")
        elif neutral is not None and year == neutral:
            bad(
                "milestones",
                f"Meilenstein {year} fällt auf das Neutralitätsjahr: dort gilt der Restanteil "
                "(bitte den Meilenstein entfernen).",
            )
        if not math.isfinite(pct):
            bad("milestones", f"Minderung im Jahr {year}: bitte eine Zahl von 0 bis 100 angeben.")
        elif pct > 100:
            bad("milestones", f"Minderung {num(pct)} % im Jahr {year}: höchstens 100 % möglich.")
        elif pct < 0:
            bad(
                "milestones",
                f"Minderung {num(pct)} % im Jahr {year}: mindestens 0 % (eine Zunahme ist "
                "kein Minderungsziel).",
            )
    steps = sorted((y, p) for y, p in draft.milestones.items() if 0 <= p <= 100)
    for (y1, p1), (y2, p2) in zip(steps, steps[1:], strict=False):
        if p2 < p1:
            bad(
                "milestones",
                f"Meilenstein {y2}: Minderung {num(p2)} % ist kleiner als {num(p1)} % im Jahr "
                f"{y1} – der Pfad stiege wieder an.",
            )
    if draft.residual_pct and neutral is None:
        bad("residual_pct", "Ein Restanteil gilt nur im Neutralitätsjahr: bitte eines angeben.")
    elif steps and neutral is not None and 100 - steps[-1][1] < draft.residual_pct <= 100:
        y, p = steps[-1]
        bad(
            "residual_pct",
            f"Restanteil {num(draft.residual_pct)} % ist mehr, als nach dem Meilenstein {y} "
            f"(−{num(p)} %) übrig ist – der Pfad stiege bis {neutral} wieder an.",
        )
    if not math.isfinite(draft.residual_pct):
        bad("residual_pct", "Restanteil: bitte eine Zahl von 0 bis 100 angeben.")
    elif not 0 <= draft.residual_pct <= 100:
        bad(
            "residual_pct",
            f"Restanteil {num(draft.residual_pct)} %: erlaubt sind 0 bis 100 % des Basiswerts.",
        )
    if not draft.source.strip():
        bad("source", "Bitte die Quelle angeben (z. B. Vereinbarung vom …, Beschluss, Website).")
    return errors


def add_version(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    draft: Draft,
    unread: Iterable[TargetError] = (),
) -> int:
    """Store ``draft`` as the owner's new version (network management only); its target_id.

    :class:`AccessDenied` for every other role; :class:`TargetErrors` with every problem of
    :func:`validate`, after the ``unread`` ones (inputs the form or command line could not read
    and left out of the draft); nothing is written then. The version applies from today
    (``valid_from``); ``entered_by`` is the real user. A version entered in the Demo-Modus is
    demo data. Every version the network management enters is ``verified`` (agreed, no longer
    an assumption); only versions taken from the reference files are not.
    """
    access.check_manage(viewer, "Ziele festlegen")
    unread = list(unread)
    lost = any(e.field == "milestones" for e in unread)
    errors = [*unread, *validate(con, draft, milestones_unread=lost)]
    if errors:
        raise TargetErrors(errors)
    who = store.sender(viewer)
    with db.transaction(con):
        (target_id,) = db.query_rows(
            con,
            "insert_target",
            owner=draft.owner,
            set_at=datetime.now(),
            base_year=draft.base_year,
            base_value_t=draft.base_value,
            neutrality_year=draft.neutrality_year,
            residual_pct=float(draft.residual_pct),
            basis=reference.OWN_BASE if draft.own_base else "vereinbart",
            source=draft.source.strip(),
            is_demo=viewer.user.startswith(DEMO_USER),
            purpose=draft.purpose,
            kind=draft.kind,
            body=(draft.body or "").strip() or None,
            scopes=draft.scopes,
            agreed_on=draft.agreed_on,
            entered_by=who,
            valid_from=date.today(),
            verified=True,  # entered by the network management: agreed, not an assumption
        )[0]
        for year, pct in sorted(draft.milestones.items()):
            db.execute(con, "insert_milestone", target_id=target_id, year=year, reduction_pct=pct)
    return int(target_id)


def confirm(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    owner: str,
    purpose: str = "ziel",
    agreed_on: date | None = None,
) -> int:
    """Confirm the version in force (e.g. the network's marked assumption): a new version with
    the same values, ``verified`` and entered by ``viewer``; its target_id."""
    access.check_manage(viewer, "Ziele bestätigen")
    now = current(con, viewer, purpose).get(owner)
    if now is None:
        raise TargetErrors([TargetError("owner", f"Für „{owner}“ gilt noch kein Ziel.")])
    draft = Draft.of(now, purpose)
    return add_version(con, viewer, replace(draft, agreed_on=agreed_on or draft.agreed_on))
