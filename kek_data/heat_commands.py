"""Command line of the district-heat factors: ``fernwaerme`` and its sub-commands.

``python -m kek_data fernwaerme [--json]`` lists the networks, the factors in force and the
assignments the viewer may see (JSON also the factor used per member and year, and for network
management and city every record with who entered it). Network management only:

- ``fernwaerme netz ID --name N [--operator O] [--note T]`` adds or updates a network;
- ``fernwaerme faktor NETZ JAHR WERT --method M --source S [--status S]`` sets a factor
  [g CO₂e/kWh, German number such as 123,4] from JAHR on; ``… faktor NETZ JAHR --withdraw``
  withdraws it;
- ``fernwaerme zuordnen MITGLIED NETZ|keins --ab JAHR`` assigns a member from JAHR on.

The rules are :mod:`kek_data.district_heat`'s; every problem names its option, exit 1 and
nothing written on any problem.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from dataclasses import asdict

import duckdb

from kek_data import db, district_heat
from kek_data.cli import add_data_options, viewer_of
from kek_data.errors import DistrictHeatErrors
from kek_data.numbers import format_number
from kek_data.viewer import Viewer

#: The option (or argument) of the commands behind each field of a DistrictHeatError.
OPTIONS = {
    "network_id": "NETZ",
    "name": "--name",
    "operator": "--operator",
    "note": "--note",
    "member_id": "MITGLIED",
    "valid_from": "JAHR",
    "value": "WERT",
    "method": "--method",
    "source": "--source",
    "status": "--status",
}


def _g(value: float | None) -> str:
    """A factor as German text with unit, e.g. "123,4 g CO₂e/kWh"."""
    return f"{format_number(value, 1)} g CO₂e/kWh"


def _write(
    args: argparse.Namespace, action: Callable, options: dict[str, str] | None = None
) -> int:
    """Run ``action(con, viewer)`` and print its message; print every problem with its option
    (``options`` overrides :data:`OPTIONS` for this command), exit 1."""
    con = db.connect(args.db, create=False)
    try:
        viewer = viewer_of(args, con)
        try:
            message = action(con, viewer)
        except DistrictHeatErrors as exc:
            names = OPTIONS | (options or {})
            for e in exc.errors:
                print(f"Fehler: {names.get(e.field, e.field)}: {e.message}", file=sys.stderr)
            print("Nichts wurde gespeichert.", file=sys.stderr)
            return 1
    finally:
        con.close()
    print(message)
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    """Networks, factors in force and assignments (with --json also the factors used)."""
    con = db.connect(args.db, create=False)
    try:
        viewer = viewer_of(args, con)
        data = _listing(con, viewer, args.json)
    finally:
        con.close()
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True, default=str)
        print()
        return 0
    average = _g(district_heat.AVERAGE_G)
    print(f"Ohne Netzfaktor gilt der Bundesdurchschnitt: {average} (Annahme).")
    print("Netze:" if data["networks"] else "Netze: noch keine eingetragen.")
    for n in data["networks"]:
        extra = "".join(f" · {t}" for t in (n["operator"], n["note"]) if t)
        print(f"  {n['network_id']}: {n['name']}{extra}")
    if data["factors"]:
        print("Faktoren (gültig ab dem Jahr bis zum nächsten Eintrag des Netzes):")
    for f in data["factors"]:
        status = f" · {f['status']}" if f["status"] else ""
        print(f"  {f['network_id']} ab {f['valid_from']}: {_g(f['g_co2e_per_kwh'])} · "
              f"{f['method']} · Quelle: {f['source']}{status}")  # fmt: skip
    if data["assignments"]:
        print("Zuordnungen der Mitglieder:")
    for a in data["assignments"]:
        net = a["network_id"] or "kein Netz (Bundesdurchschnitt)"
        print(f"  {a['member_id']} ab {a['valid_from']}: {net}")
    return 0


def _listing(con: duckdb.DuckDBPyConnection, viewer: Viewer, full: bool) -> dict[str, list[dict]]:
    data = {
        "networks": [asdict(n) for n in district_heat.networks(con)],
        "factors": [
            {k: v for k, v in asdict(f).items() if k not in ("entered_by", "entered_at", "current")}
            for f in district_heat.factors(con)
        ],
        "assignments": [asdict(a) for a in district_heat.assignments(con, viewer)],
    }
    if full:
        data["used"] = [asdict(u) for u in district_heat.used(con, viewer)]
        if viewer.sees_all_members:
            data["history"] = [asdict(f) for f in district_heat.history(con, viewer)]
    return data


def cmd_network(args: argparse.Namespace) -> int:
    """Add or update a network (network management)."""

    def action(con, viewer) -> str:
        n = district_heat.save_network(con, viewer, args.id, args.name, args.operator, args.note)
        return f"Fernwärmenetz {n.network_id} gespeichert: {n.name}."

    return _write(args, action, {"network_id": "ID"})


def cmd_factor(args: argparse.Namespace) -> int:
    """Set or withdraw a network's factor from a year on (network management)."""

    def action(con, viewer) -> str:
        if args.withdraw:
            district_heat.withdraw_factor(con, viewer, args.network, args.year)
            return f"Faktor von Netz {args.network} ab {args.year} zurückgezogen."
        f = district_heat.set_factor(con, viewer, args.network, args.year, args.value or "",
                                     args.method, args.source, args.status)  # fmt: skip
        return (
            f"Faktor von Netz {f.network_id} ab {f.valid_from}: {_g(f.g_co2e_per_kwh)} gespeichert."
        )

    if args.withdraw and args.value is not None:
        print("Fehler: WERT: mit --withdraw keinen Wert angeben.", file=sys.stderr)
        return 1
    return _write(args, action)


def cmd_assign(args: argparse.Namespace) -> int:
    """Assign a member to a network (or none) from a year on (network management)."""

    def action(con, viewer) -> str:
        a = district_heat.assign(con, viewer, args.member, args.network, args.ab)
        net = f"Netz {a.network_id}" if a.network_id else "kein Netz (Bundesdurchschnitt)"
        return f"{a.member_id} ab {a.valid_from}: {net} gespeichert."

    return _write(args, action, {"network_id": "NETZ", "valid_from": "--ab"})


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``fernwaerme`` (with ``netz``, ``faktor``, ``zuordnen``) to the command line."""
    p = sub.add_parser("fernwaerme", help="Fernwärmenetze, Faktoren je Netz und Jahr, Zuordnungen")
    p.add_argument("--json", action="store_true", help="mit verwendeten Faktoren und Verlauf")
    add_data_options(p)
    p.set_defaults(func=cmd_list)
    actions = p.add_subparsers(dest="action")
    s = actions.add_parser("netz", help="Netz anlegen oder ändern (Netzwerkmanagement)")
    s.add_argument("id", metavar="ID", help="Kennung, z. B. dew21-innenstadt")
    s.add_argument("--name", required=True, help="Name, z. B. „DEW21 Innenstadt“")
    s.add_argument("--operator", default="", help="Betreiber")
    s.add_argument("--note", default="", help="Notiz")
    add_data_options(s)
    s.set_defaults(func=cmd_network)
    s = actions.add_parser("faktor", help="Faktor ab einem Jahr setzen oder zurückziehen")
    s.add_argument("network", metavar="NETZ", help="Kennung des Netzes")
    s.add_argument("year", metavar="JAHR", help="gültig ab diesem Jahr")
    s.add_argument("value", metavar="WERT", nargs="?", help="g CO₂e/kWh Endenergie, z. B. 123,4")
    example = district_heat.METHOD_EXAMPLE
    s.add_argument("--method", default="", help=f"Allokationsverfahren, z. B. „{example}“")
    s.add_argument("--source", default="", help="Quelle, z. B. Bescheinigung mit Datum")
    s.add_argument("--status", default="", help="z. B. vorläufig")
    s.add_argument("--withdraw", action="store_true", help="den Faktor dieses Jahres zurückziehen")
    add_data_options(s)
    s.set_defaults(func=cmd_factor)
    s = actions.add_parser("zuordnen", help="Mitglied ab einem Jahr einem Netz zuordnen")
    s.add_argument("member", metavar="MITGLIED", help="member_id, z. B. dsw21")
    s.add_argument(
        "network", metavar="NETZ", help=f"Kennung des Netzes oder {district_heat.NO_NETWORK}"
    )
    s.add_argument("--ab", required=True, metavar="JAHR", help="gültig ab diesem Jahr")
    add_data_options(s)
    s.set_defaults(func=cmd_assign)
