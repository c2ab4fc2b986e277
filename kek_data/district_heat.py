"""District heat per network and year: local factors, member assignments, the German average.

Why: Fernwärme used one German-average factor for every year and member (data/
emission_factors.csv, status „Annahme“), although a network's factor depends on its plants and
changes with them (e.g. DEW21's inner-city network after the switch to industrial waste heat).
The network management now records, append-only, with who and when (migration 006):

- networks (id, name, operator, note; an id is lower case letters, digits and „-“, so it can
  stand in any text, e.g. the factor-year note);
- per network factors [g CO₂e/kWh final energy] valid from a year until the network's next
  record, each with allocation method (e.g. AGFW FW 309-6), source and optional status; a record
  without value withdraws that year's factor;
- per member the network it draws heat from, from a year on (none: the German average).

The view ``emissions`` uses a member's network factor where one is valid (``factor_origin``
'netz', ``heat_network``) and the German average otherwise ('bund'); :mod:`kek_data.factor_years`
marks the latter as fallback (:data:`FALLBACK`). Only the network management writes
(:func:`kek_data.access.check_manage`, from the viewer, never from a form); every problem of an
entry is a :class:`DistrictHeatError` at its field, all of them raised together, nothing written.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime

import duckdb

from kek_data import access, config, db, reference
from kek_data.errors import AccessDenied, DistrictHeatError, DistrictHeatErrors
from kek_data.numbers import format_number, format_plain, parse_german_number
from kek_data.viewer import DEMO_USER, Viewer

#: The carrier with network factors (the literal of view current_heat_factors, migration 006).
CARRIER = "fernwaerme"
#: The factor-year mark of a Fernwärme year computed with the German average.
FALLBACK = "Bundesdurchschnitt (kein lokaler Netzfaktor hinterlegt)"
#: The word of the command line for "no network" (the German average applies).
NO_NETWORK = "keins"
#: Plausible range of a network factor [g CO₂e/kWh final energy], both ends included.
MAX_G = 1000.0
#: Longest text of a field [characters].
MAX_TEXT = 500
#: An allocation method as the forms and messages suggest it.
METHOD_EXAMPLE = "AGFW FW 309-6 (Carnot-Methode)"
_ID = re.compile(r"[a-z0-9][a-z0-9-]{0,39}")
#: The German name of each field of an entry (messages; the command line names its option).
LABELS = {
    "network_id": "Netz",
    "name": "Name",
    "operator": "Betreiber",
    "note": "Notiz",
    "member_id": "Mitglied",
    "valid_from": "Jahr",
    "value": "Faktor [g CO₂e/kWh]",
    "method": "Allokationsverfahren",
    "source": "Quelle",
    "status": "Status",
}

#: The German average of data/emission_factors.csv (its one Fernwärme record).
_AVERAGE = next(
    r for r in reference.read_table("emission_factors.csv") if r["carrier_id"] == CARRIER
)
AVERAGE_G = float(_AVERAGE["g_co2e_per_kwh"])  # [g CO₂e/kWh]


@dataclass(frozen=True)
class Network:
    """A district-heat network."""

    network_id: str
    name: str
    operator: str = ""
    note: str = ""


@dataclass(frozen=True)
class Factor:
    """A network's factor record: ``g_co2e_per_kwh`` [g CO₂e/kWh final energy] valid from
    ``valid_from`` [a] until the network's next record; None = withdrawn."""

    network_id: str
    valid_from: int
    g_co2e_per_kwh: float | None
    method: str
    source: str
    status: str = ""
    entered_by: str = ""
    entered_at: datetime | None = None
    current: bool = True  # the record in force for network and year (history only)


@dataclass(frozen=True)
class Assignment:
    """``member_id`` draws its district heat from ``network_id`` (None: none known, the German
    average) from ``valid_from`` [a] on."""

    member_id: str
    network_id: str | None
    valid_from: int


@dataclass(frozen=True)
class Used:
    """The Fernwärme factor a member's year was computed with (view ``emissions``): ``origin``
    'netz' (network ``network_id``, record of ``factor_year``) or 'bund' (German average)."""

    member_id: str
    year: int
    origin: str
    network_id: str | None
    factor_year: int | None
    status: str
    g_co2e_per_kwh: float | None  # [g CO₂e/kWh]
    kwh: float  # [kWh]
    t_co2e: float  # [t CO₂e]

    @property
    def fallback(self) -> bool:
        """Computed with the German average (no local network factor)."""
        return self.origin != "netz"


# --- validation (each rule once; messages name the field) ---------------------------------------


def _year(value: object, errors: list[DistrictHeatError]) -> int | None:
    """The year [a] of ``value`` (int or text like "2022") within FIRST_YEAR … this year."""
    last = date.today().year
    text = str(value).strip()
    if isinstance(value, bool) or not (isinstance(value, int) or re.fullmatch(r"\d{4}", text)):
        errors.append(_err("valid_from", f"„{text}“ ist keine Jahreszahl (z. B. 2022)."))
        return None
    year = int(text)
    if not config.FIRST_YEAR <= year <= last:
        errors.append(
            _err("valid_from", f"{year} liegt außerhalb von {config.FIRST_YEAR} bis {last}.")
        )
        return None
    return year


def _value(value: object, errors: list[DistrictHeatError]) -> float | None:
    """The factor [g CO₂e/kWh] of ``value`` (number or German text like "123,4"), 0 … MAX_G."""
    try:
        if value is None:
            raise ValueError("bitte angeben (z. B. 123,4).")
        if isinstance(value, bool):
            raise ValueError(f"„{value}“ ist keine Zahl.")
        g = parse_german_number(value) if isinstance(value, str) else float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        errors.append(_err("value", str(exc)))
        return None
    if not math.isfinite(g) or not 0 <= g <= MAX_G:
        shown = value.strip() if isinstance(value, str) else format_plain(g)
        limit = format_number(MAX_G, 0)
        errors.append(_err("value", f"{shown} liegt außerhalb von 0 bis {limit} g CO₂e/kWh."))
        return None
    if 0 < g < 1:  # 0,12 is kg/kWh written as g
        errors.append(_err("value", f"{format_plain(g)} g CO₂e/kWh ist unter 1 g – wohl in "
                                    "kg/kWh angegeben? Bitte in g je kWh eintragen "
                                    "(0,12 kg/kWh = 120 g/kWh)."))  # fmt: skip
        return None
    return g


def _text(value: str | None, field: str, errors: list, hint: str = "") -> str:
    """``value`` stripped; a German problem if required (``hint`` given) and empty, or too long."""
    text = (value or "").strip()
    if hint and not text:
        errors.append(_err(field, f"bitte angeben{hint}."))
    elif len(text) > MAX_TEXT:
        errors.append(_err(field, f"höchstens {MAX_TEXT} Zeichen."))
    return text


def _network(con: duckdb.DuckDBPyConnection, network_id: str, errors: list) -> str:
    """``network_id`` if it is a recorded network, else a problem naming the known ones."""
    known = [n.network_id for n in networks(con)]
    if network_id not in known:
        listed = ", ".join(known) or "noch keine; bitte erst das Netz anlegen"
        errors.append(
            _err("network_id", f"„{network_id}“ ist nicht eingetragen (bekannt: {listed}).")
        )
    return network_id


def _err(field: str, message: str) -> DistrictHeatError:
    """The problem ``message`` at ``field`` (named by :data:`LABELS`)."""
    return DistrictHeatError(field, message, LABELS[field])


def _raise(errors: list[DistrictHeatError]) -> None:
    if errors:
        raise DistrictHeatErrors(errors)


def _who(viewer: Viewer) -> dict[str, object]:
    """entered_by, entered_at, is_demo of a write by ``viewer``."""
    return {
        "entered_by": viewer.user or viewer.label,
        "entered_at": datetime.now().replace(microsecond=0),
        "is_demo": viewer.user.startswith(DEMO_USER),
    }


# --- writes (network management only) -----------------------------------------------------------


def save_network(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    network_id: str,
    name: str,
    operator: str = "",
    note: str = "",
) -> Network:
    """Add network ``network_id`` or update its name, operator and note."""
    access.check_manage(viewer, "Fernwärmenetze eintragen")
    errors: list[DistrictHeatError] = []
    nid = (network_id or "").strip()
    if nid == NO_NETWORK or not _ID.fullmatch(nid):
        errors.append(_err(
            "network_id", f"„{nid}“ geht nicht als Kennung; bitte 1–40 Kleinbuchstaben, Ziffern "
            f"oder „-“, nicht „{NO_NETWORK}“ (z. B. dew21-innenstadt)."
        ))  # fmt: skip
    net = Network(
        nid,
        _text(name, "name", errors, " (z. B. „DEW21 Innenstadt“)"),
        _text(operator, "operator", errors),
        _text(note, "note", errors),
    )
    _raise(errors)
    with db.transaction(con):
        db.execute(con, "upsert_heat_network", network_id=net.network_id, name=net.name,
                   operator=net.operator, note=net.note or None)  # fmt: skip
    return net


def set_factor(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    network_id: str,
    valid_from: int | str,
    value: float | str,
    method: str,
    source: str,
    status: str = "",
) -> Factor:
    """Record the factor ``value`` [g CO₂e/kWh final energy; number or German text] of network
    ``network_id`` from year ``valid_from`` on, with allocation ``method`` and ``source``."""
    access.check_manage(viewer, "Fernwärmefaktoren eintragen")
    errors: list[DistrictHeatError] = []
    nid = _network(con, (network_id or "").strip(), errors)
    year, g = _year(valid_from, errors), _value(value, errors)
    method = _text(method, "method", errors, f", z. B. „{METHOD_EXAMPLE}“")
    source = _text(source, "source", errors, " (z. B. Bescheinigung des Netzbetreibers mit Datum)")
    status = _text(status, "status", errors)
    _raise(errors)
    who = _who(viewer)
    with db.transaction(con):
        db.execute(con, "insert_heat_factor", network_id=nid, valid_from=year, value=g,
                   method=method, source=source, status=status, **who)  # fmt: skip
    return Factor(nid, year, g, method, source, status, who["entered_by"], who["entered_at"])  # type: ignore[arg-type]


def withdraw_factor(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, network_id: str, valid_from: int | str
) -> None:
    """Withdraw network ``network_id``'s factor of ``valid_from``: the years it covered fall
    back to the network's earlier record, or to the German average."""
    access.check_manage(viewer, "Fernwärmefaktoren zurückziehen")
    errors: list[DistrictHeatError] = []
    nid = _network(con, (network_id or "").strip(), errors)
    year = _year(valid_from, errors)
    if not errors and not any(f.network_id == nid and f.valid_from == year for f in factors(con)):
        errors.append(
            _err("valid_from", f"Netz {nid} hat ab {year} keinen Faktor zum Zurückziehen.")
        )
    _raise(errors)
    with db.transaction(con):
        db.execute(con, "insert_heat_factor", network_id=nid, valid_from=year, value=None,
                   method="", source="", status="zurückgezogen", **_who(viewer))  # fmt: skip


def assign(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    member_id: str,
    network_id: str | None,
    valid_from: int | str,
) -> Assignment:
    """From ``valid_from`` on ``member_id`` draws its heat from ``network_id`` (None, "" or
    :data:`NO_NETWORK`: none known, the German average applies)."""
    access.check_manage(viewer, "Mitglieder Fernwärmenetzen zuordnen")
    errors: list[DistrictHeatError] = []
    mid = (member_id or "").strip()
    if mid not in access.member_ids(con):
        errors.append(_err("member_id", f"„{mid}“ ist kein Mitglied des Netzwerks."))
    nid = (network_id or "").strip()
    nid = None if nid in ("", NO_NETWORK) else _network(con, nid, errors)
    year = _year(valid_from, errors)
    _raise(errors)
    with db.transaction(con):
        db.execute(con, "insert_heat_assignment", member_id=mid, network_id=nid,
                   valid_from=year, **_who(viewer))  # fmt: skip
    return Assignment(mid, nid, year)  # type: ignore[arg-type]


# --- readers ------------------------------------------------------------------------------------


def networks(con: duckdb.DuckDBPyConnection) -> list[Network]:
    """Every recorded network, by id."""
    return [Network(*r) for r in db.query_rows(con, "heat_networks")]


def factors(con: duckdb.DuckDBPyConnection) -> list[Factor]:
    """The factors in force (withdrawn records left out), by network and year."""
    return [Factor(*r) for r in db.query_rows(con, "heat_factors_current")]


def history(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[Factor]:
    """Every factor record with who entered it and when, newest first per network and year
    (network management and city: the records name persons)."""
    if not viewer.sees_all_members:
        raise AccessDenied(
            "Den Verlauf der Fernwärmefaktoren (mit eintragenden Personen) sehen nur "
            "Netzwerkmanagement und Stadt."
        )
    return [Factor(*r[1:]) for r in db.query_rows(con, "heat_factor_history")]


def assignments(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[Assignment]:
    """The assignments in force of the members the viewer may see, by member and year."""
    return [Assignment(*r) for r in db.query_rows(con, "heat_assignments_current",
                                                  **viewer.params())]  # fmt: skip


def used(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[Used]:
    """Per member the viewer may see and year with Fernwärme: the factor it was computed with."""
    return [
        Used(str(m), int(y), str(o), n, None if fy is None else int(fy), s or "", g, kwh, t)
        for m, y, o, n, fy, s, g, kwh, t in db.query_rows(
            con, "heat_factors_used", carrier_id=CARRIER, **viewer.params()
        )
    ]


# --- Methodik (kek_data.methodology lays it out) ------------------------------------------------

METHOD_TITLE = "Fernwärme: Faktoren je Netz und Jahr"
METHOD_SHORT = (
    "Fernwärme wird mit dem Faktor des Netzes bewertet, aus dem ein Mitglied seine Wärme bezieht, "
    "je Jahr mit Quelle und Allokationsverfahren. Ohne hinterlegten Netzfaktor gilt als "
    f"gekennzeichneter Ersatzwert der bundesweite Durchschnitt von {format_plain(AVERAGE_G)} "
    "g CO₂e/kWh (Fernwärme-Mix Deutschland 2021, co2online; Status „Annahme“)."
)
METHOD_DETAILS = (
    "Das Netzwerkmanagement trägt die Netze ein (z. B. das Innenstadtnetz von DEW21 nach der "
    "Umstellung auf industrielle Abwärme) und je Netz Faktoren in g CO₂e je kWh Endenergie mit "
    "dem Jahr, ab dem sie gelten, mit Quelle, Allokationsverfahren und Status (z. B. "
    "„vorläufig“). Das Allokationsverfahren teilt die Emissionen einer Kraft-Wärme-Kopplung auf "
    "Strom und Wärme auf und bestimmt den Faktor stark; üblich ist die Bescheinigung des "
    "Netzbetreibers nach AGFW FW 309-6, etwa nach der Arbeitswert-, der Carnot- oder der "
    "Exergie-Methode. Deshalb steht das Verfahren bei jedem Faktor.",
    "Welches Netz für ein Mitglied gilt, legt eine Zuordnung ab einem Jahr fest; Mitglieder an "
    "verschiedenen Netzen erhalten so verschiedene Faktoren, „kein Netz“ führt ab diesem Jahr "
    "zum Bundesdurchschnitt zurück. Ein Netzfaktor gilt ab seinem Jahr bis zum nächsten Eintrag "
    "desselben Netzes, für spätere Jahre der letzte; für Jahre vor dem ersten Eintrag gilt der "
    "Bundesdurchschnitt. Wie jeder Faktor wirkt ein neuer, geänderter oder zurückgezogener "
    "Netzfaktor sofort auf alle Jahre, für die er gilt, denn Emissionen werden immer neu aus den "
    "gemeldeten Mengen berechnet. Jeder Eintrag bleibt mit Person und Zeitpunkt erhalten.",
    "Die Faktorjahre unter „Emissionsfaktoren“ nennen jedes Jahr, dessen Fernwärme mit dem "
    f"Bundesdurchschnitt gerechnet ist („{FALLBACK}“), und jedes Jahr, das den Netzfaktor eines "
    "früheren Jahres übernimmt, mit der Kennung des Netzes, z. B. „Fernwärme (Netz "
    "dew21-innenstadt) 2023: Faktor aus 2022 übertragen“; ein vorläufiger Netzfaktor heißt "
    "„vorläufig“.",
)
