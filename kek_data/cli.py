"""Command line: ``python -m kek_data <command>`` — a thin layer over the library.

Why: scripts, checks and the network manager use the same functions as the pages. Messages are
German; errors go to stderr with exit code 1. Every command that reads or writes data takes
``--as ROLLE[:MITGLIED]`` (:func:`add_data_options`, :func:`viewer_of`): the command then sees and
may write exactly what that role sees and writes in the dashboard; without ``--as`` it acts as
network management. Writes record the user ``cli:<Benutzername>``.
"""

from __future__ import annotations

import argparse
import getpass
import importlib
import json
import sys
from collections.abc import Sequence
from dataclasses import replace

import duckdb

from kek_data import access, db, factor_years
from kek_data.errors import KekError, UsageError
from kek_data.viewer import NETWORK_MANAGER, Viewer, parse

DB_HELP = "Pfad der DuckDB-Datei (Standard: KEK_DB oder data/kek.duckdb)"
AS_HELP = (
    "Rolle, als die der Befehl liest und schreibt: netzwerk, stadt, mitglied:MITGLIED "
    "(z. B. mitglied:dsw21) oder oeffentlich (Standard: netzwerk)"
)


def add_data_options(parser: argparse.ArgumentParser) -> None:
    """``--db`` and ``--as`` of every command that reads or writes data (defined only here)."""
    parser.add_argument("--db", help=DB_HELP)
    parser.add_argument("--as", dest="as_role", metavar="ROLLE[:MITGLIED]", help=AS_HELP)


STAND_HELP = "Nummer eines Berichtsstands: liest dessen eingefrorene Daten (Liste: berichtsstand)"


def add_read_options(parser: argparse.ArgumentParser) -> None:
    """:func:`add_data_options` plus ``--stand NR`` of the commands that only read."""
    add_data_options(parser)
    parser.add_argument("--stand", type=int, metavar="NR", help=STAND_HELP)


def connect_read(args: argparse.Namespace) -> duckdb.DuckDBPyConnection:
    """The database a reading command reads: the live file, or with ``--stand NR`` that
    Berichtsstand (checked, read-only; refused to a viewer who may not read it)."""
    con = db.connect(args.db, create=False)
    if getattr(args, "stand", None) is None:
        return con
    from kek_data import frozen_reports

    frozen = frozen_reports.open(con, args.stand)
    frozen_reports.check_viewer(con, frozen, viewer_of(args, con))
    if getattr(args, "year", None) is None:  # default: the frozen reporting year
        args.year = frozen_reports.stand(frozen).year
    return frozen


def cli_user() -> str:
    """The user recorded with writes from the command line: ``cli:<OS user>``."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unbekannt"


def viewer_of(args: argparse.Namespace, con: duckdb.DuckDBPyConnection | None) -> Viewer:
    """The viewer of ``--as`` (default network management), user ``cli:<OS user>``.

    With ``con`` a member's organisation is checked against the database
    (:func:`kek_data.access.check_viewer`); a bad role is a German :class:`UsageError`.
    """
    spec = getattr(args, "as_role", None)
    if spec is None:
        return replace(NETWORK_MANAGER, user=cli_user())
    viewer = parse(spec, user=cli_user())
    if con is not None:
        access.check_viewer(con, viewer)
    return viewer


#: Modules that add sub-commands (each has ``register(subparsers)``) and the commands they add.
#: Only the module of the command given is imported: an import loads no chart library, no
#: pandas (memory), ``--help`` loads all.
COMMAND_MODULES = {
    "kek_data.ingest.commands": ("import", "rollback", "check-store"),
    "kek_data.export.commands": ("export",),
    "kek_data.target_commands": ("targets",),
    "kek_data.contract_commands": ("vertraege",),
    "kek_data.heat_commands": ("fernwaerme",),
    "kek_data.network_commands": ("netzwerk",),
    "kek_data.frozen_commands": ("berichtsstand",),
    "kek_data.measure_commands": ("measures", "import-measures"),
}


def cmd_init(args: argparse.Namespace) -> int:
    """Create or migrate the database; with --demo seed the demo data."""
    from kek_data import demo

    access.check_manage(viewer_of(args, None), "die Datenbank anlegen oder Demodaten laden")
    con = db.connect(args.db)
    written = demo.seed(con) if args.demo else 0
    path = args.db or "Standarddatenbank"
    if args.demo and not written:
        print(
            f"Datenbank {path} ist bereit (enthielt bereits Daten, Demodaten nicht erneut geladen)."
        )
    elif args.demo:
        print(f"Datenbank {path} angelegt, {written} Demozeilen (Demodaten, fiktiv) geladen.")
    else:
        print(f"Datenbank {path} ist bereit (Schema-Version {db.schema_version(con)}).")
    return 0


def _kpi_json(k) -> dict:
    """Key figures of one series as JSON (values rounded to 6 decimals) [t CO₂e, %/a]."""

    def r(v):
        return None if v is None else round(float(v), 6)

    return {
        "year": k.latest_year,
        "t_co2e": r(k.latest),
        "base_year": k.base_year,
        "base_t_co2e": r(k.base),
        "change_pct": r(k.change_pct),
        "path_t_co2e": r(k.path_latest),
        "gap_t_co2e": r(k.gap_latest),
        "status": k.status,
        "rate_basis": k.rate_basis,
        "achieved_pct_per_year": r(k.achieved_pct),
        "achieved_t_per_year": r(k.achieved and k.achieved.t_per_year),
        "zero_year": k.zero_year,
        "zero_years": {str(w): z for w, z in k.zero_years.items()},
        "steps": {
            str(y): {
                "path_t_co2e": r(s.path),
                "to_go_t_co2e": r(s.to_go),
                "required_t_per_year": r(s.required.t_per_year),
                "required_pct_per_year": r(s.required_pct),
                "trend_gap_t_co2e": r(s.trend_gap),
            }
            for y, s in k.steps.items()
        },
        "budget": None
        if k.budget is None
        else {"end": k.budget_end, "budget": r(k.budget.budget), "used": r(k.budget.used),
              "left": r(k.budget.left), "path_rest": r(k.budget.path_rest),
              "over": r(k.budget.over), "exhausted_year": k.budget.exhausted_year},
    }  # fmt: skip


def summary(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    year: int | None = None,
    basis: str = "standort",
) -> dict:
    """The figures of ``summary --json`` for ``viewer``, read from its report snapshot.

    ``network``: network totals per year under the completeness rule [t CO₂e] (a year whose
    total the viewer may not see is missing); ``members``: each visible member's series up to
    its counted year, under the id the viewer sees (``mitglied-a`` for *nur im Gesamtwert*);
    ``activity``: [kWh] per visible member, year, carrier (as reported, partial years included);
    ``decomposition``: per visible member (and ``netzwerk`` where its totals show) and year the
    change since the base year split into ``{"activity": t, "factors": t}`` [t CO₂e]
    (:mod:`kek_data.decomposition`, with ``base_year``, ``unassigned``, ``complete``);
    ``report``: the key figures of the reporting year; ``factor_notes``: the German marks of
    every year up to the reporting year computed with a carried, provisional or fallback
    factor (:mod:`kek_data.factor_years`, as the pages say them); ``basis``/``basis_label``:
    the basis of all these figures (``--basis``; 'standort' = BISKO, default). ``wedge``: per
    owner ('netzwerk' where its total shows, visible members) the measures against the gap to
    the next target year (:meth:`kek_data.wedge.Wedge.as_json`), always location-based.
    ``scope2``: per visible member and year both bases side by side, ``{"t_co2e": location-based,
    "t_co2e_market": market-based}`` [t CO₂e] (the members' counted series of a location-based
    and a market-based report, :mod:`kek_data.scope2`), with the member's electricity
    ``strom_kwh``, ``contract_kwh`` [kWh] and the market-based marks ``notes``. Everything comes
    from :func:`kek_data.report.build`, which applies consent; nothing else is read.
    """
    from kek_data import report, scope2, views

    rep = report.build(con, viewer, year, basis)
    loc = rep if basis == scope2.STANDORT else report.build(con, viewer, rep.year)
    mkt = (  # the public reads location-based figures only (scope2.check_viewer)
        rep if basis == scope2.MARKT
        else report.build(con, viewer, rep.year, scope2.MARKT) if viewer.sees_member_data
        else None
    )  # fmt: skip
    electricity = {(s.member_id, s.year): s for s in scope2.years(con, viewer)}
    counted = {(str(m), int(y)): int(c) for y, m, c in zip(
        loc.counted["year"], loc.counted["member_id"], loc.counted["counted_year"], strict=True
    )}  # fmt: skip
    shown = {m: m for m in rep.member}  # ids as the viewer sees them (pseudonyms stay apart)
    by_year: dict[str, dict[str, dict]] = {}
    for m in shown:
        real = None if views.is_pseudonym(rep.member[m]) else m  # details would identify it
        for y, v in loc.member[m].kpi.series.items():
            # the electricity of the year the value is counted with (completeness rule)
            s = electricity.get((real, counted.get((m, y), y))) if real else None
            by_year.setdefault(m, {})[str(y)] = {
                "t_co2e": round(v, 6),
                "t_co2e_market": _r(mkt.member[m].kpi.series.get(y)) if mkt else None,
                "strom_kwh": None if s is None else round(s.kwh, 6),
                "contract_kwh": None if s is None else round(s.contract_kwh, 6),
                "notes": [] if s is None else list(s.notes),
            }
    network = {str(y): round(v, 6) for y, v in rep.network.series.items()}
    members = {
        m: {str(y): round(v, 6) for y, v in r.kpi.series.items()} for m, r in rep.member.items()
    }
    activity: dict[str, dict[str, dict[str, float]]] = {}
    for d in rep.detail.itertuples():
        if d.carrier_id != "sonstige" and d.kwh == d.kwh:  # NaN check: direct emissions: no kWh
            carriers = activity.setdefault(d.member_id, {}).setdefault(str(d.year), {})
            carriers[d.carrier_id] = carriers.get(d.carrier_id, 0.0) + float(d.kwh)
    shown = [r for r in factor_years.read(con, viewer) if r.year <= rep.year]
    marks = factor_years.lines(shown)
    return {
        "factor_notes": marks,
        "basis": rep.basis,
        "basis_label": rep.basis_label,
        "scope2": by_year,
        "network": network,
        "coverage": {str(y): rep.coverage_text(y) for y in rep.network.series},
        "members": members,
        "activity": activity,
        "decomposition": {
            owner: {str(y): d.as_json() for y, d in parts.items()}
            for owner, parts in rep.parts.items()
            if parts
        },
        "wedge": {owner: w.as_json() for owner, w in loc.wedges.items()},  # kek_data.wedge
        "report": {
            "year": rep.year,
            "coverage": rep.coverage_text(),
            "lights": rep.lights,
            "network": _kpi_json(rep.network),
            "members": {
                m: _kpi_json(r.kpi) | {"state": r.state, "partial_years": sorted(r.partial_years)}
                for m, r in rep.member.items()
            },
        },
    }


def _r(v: float | None) -> float | None:
    return None if v is None else round(float(v), 6)


def cmd_summary(args: argparse.Namespace) -> int:
    """Print the network totals and key figures (JSON with --json, else German lines)."""
    con = connect_read(args)  # only init creates a database
    data = summary(con, viewer_of(args, con), args.year, args.basis)
    from kek_data.frozen_reports import stand

    data["stand"] = stand(con).label  # "Live-Daten (Stand …)" or "Berichtsstand … eingefroren am …"
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
        print()
        return 0
    from kek_data.numbers import format_t

    if getattr(args, "stand", None) is not None:  # the live data need no mark in the text
        print(data["stand"])
    print(data["basis_label"])
    for year, value in data["network"].items():
        print(f"{year}  {format_t(value)}  ({data['coverage'][year]})")
    if not data["network"]:  # every year's total withheld for this viewer
        print(f"Netzwerksumme: {access.WITHHELD}")
    return 0


def _when(value: object) -> str:
    """A timestamp as German date and time ("02.12.2026 10:15"), "–" if missing."""
    from kek_data.numbers import format_date

    return f"{format_date(value.date())} {value:%H:%M}" if hasattr(value, "date") else "–"


def cmd_consent(args: argparse.Namespace) -> int:
    """Set a member's publication consent (network management), or show it and its history."""
    con = db.connect(args.db, create=False)
    viewer = viewer_of(args, con)
    if args.level is not None:
        done = access.set_consent(con, viewer, args.member, args.level, args.note or "")
        print(
            f"Freigabe von {done.member_id}: {done.label} (gesetzt am {_when(done.set_at)} "
            f"von {done.set_by})."
        )
        return 0
    access.check_files(viewer, args.member)  # a member: its own consent only; public: none
    access.check_member(con, args.member)
    history = access.consent_history(con, viewer)
    rows = history[history["member_id"] == args.member]
    current = access.consents(con)[args.member]
    since = f" (seit {_when(current.set_at)}, {current.set_by})" if current.set_at else ""
    print(f"Freigabe von {args.member}: {current.label}{since}")
    if rows.empty:
        print("Noch keine Entscheidung festgehalten (es gilt: intern).")
    for r in rows.itertuples():
        note = f" – {r.note}" if r.note else ""
        print(f"  {_when(r.set_at)}  {access.LEVELS[r.level]}  ({r.set_by}){note}")
    return 0


def cmd_user(args: argparse.Namespace) -> int:
    """Give a login a role (network management), or list the login table (``--list``)."""
    from kek_data import accounts

    con = db.connect(args.db, create=False)
    viewer = viewer_of(args, con)
    if args.list:
        table = accounts.logins(con, viewer)
        if table.empty:
            print("Noch keine Zugänge eingetragen (Rollen kommen dann aus dem Login-Token).")
        for r in table.itertuples():
            role = f"mitglied:{r.member_id}" if r.role == "mitglied" else r.role
            print(f"{r.user_key}  {role}  (seit {_when(r.set_at)}, {r.set_by})")
        return 0
    if not args.key or not args.role:
        raise UsageError(
            "Bitte Zugang und Rolle angeben, z. B. user frau.muster@dsw21.de mitglied:dsw21 "
            "(oder user --list)."
        )
    key, role, member = accounts.assign(con, viewer, args.key, args.role)
    shown = "gesperrt" if role == "none" else f"mitglied:{member}" if member else role
    print(f"Zugang {key}: {shown} (gespeichert von {viewer.user}).")
    return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every sub-command (or, given ``command``, the one needed)."""
    parser = argparse.ArgumentParser(prog="python -m kek_data", description="KEK-Klimadashboard")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init", help="Datenbank anlegen oder migrieren")
    p.add_argument("--demo", action="store_true", help="Demodaten (fiktiv) laden")
    add_data_options(p)
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("summary", help="Summen je Jahr und Kennzahlen ausgeben")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--year",
        type=int,
        help="Berichtsjahr (Standard: neuestes Jahr, in dem mindestens die Hälfte der "
        "Mitglieder vollständig gemeldet hat)",
    )
    p.add_argument(
        "--basis", choices=("standort", "markt"), default="standort",
        help="Bilanzbasis der Zahlen: standort (standortbezogen, BISKO; Vorgabe) oder markt "
        "(marktbasiert nach GHG Protocol Scope 2, mit Stromverträgen und Reststrommix)",
    )  # fmt: skip
    add_read_options(p)
    p.set_defaults(func=cmd_summary)
    p = sub.add_parser("consent", help="Veröffentlichungsfreigabe eines Mitglieds setzen/zeigen")
    p.add_argument("member", metavar="MITGLIED", help="member_id, z. B. dsw21")
    p.add_argument(
        "level", metavar="FREIGABE", nargs="?",
        help="namentlich, gesamt (nur im Gesamtwert) oder intern; ohne: aktuelle Freigabe und "
        "Verlauf zeigen",
    )  # fmt: skip
    p.add_argument("--note", help="Anlass, z. B. „Zustimmung per E-Mail vom 01.12.2026“")
    add_data_options(p)
    p.set_defaults(func=cmd_consent)
    p = sub.add_parser("user", help="Zugang (Login) einer Rolle zuordnen oder Zugänge auflisten")
    p.add_argument("key", metavar="ZUGANG", nargs="?",
                   help="E-Mail-Adresse, email:ADRESSE oder sub:KENNUNG")  # fmt: skip
    p.add_argument("role", metavar="ROLLE", nargs="?",
                   help="netzwerk, stadt, mitglied:MITGLIED oder none (sperrt)")  # fmt: skip
    p.add_argument("--list", action="store_true", help="alle Zugänge auflisten")
    add_data_options(p)
    p.set_defaults(func=cmd_user)
    for module_name, commands in COMMAND_MODULES.items():
        if command is not None and command not in commands:
            continue
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name and not module_name.startswith(str(exc.name)):
                raise
            continue
        module.register(sub)
    return parser


#: The commands defined in this module.
OWN_COMMANDS = {"init", "summary", "consent", "user"}


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    known = {c for commands in COMMAND_MODULES.values() for c in commands} | OWN_COMMANDS
    command = argv[0] if argv and argv[0] in known else None
    args = build_parser(command).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KekError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
