"""Command line: ``python -m kek_data <command>`` — a thin layer over the library.

Why: scripts, checks and the network manager use the same functions as the pages. Messages are
German; errors go to stderr with exit code 1.
"""

from __future__ import annotations

import argparse
import importlib
import json
import sys
from collections.abc import Sequence

from kek_data import db
from kek_data.errors import KekError
from kek_data.viewer import NETWORK_MANAGER

#: Modules that add sub-commands (each has ``register(subparsers)``) and the commands they add.
#: Only the module of the command given is imported: an import loads no chart library, no
#: pandas (memory), ``--help`` loads all.
COMMAND_MODULES = {
    "kek_data.ingest.commands": ("import", "rollback", "check-store"),
    "kek_data.export.commands": ("export",),
}


def cmd_init(args: argparse.Namespace) -> int:
    """Create or migrate the database; with --demo seed the demo data."""
    from kek_data import demo

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


def summary(con) -> dict:
    """The figures of ``summary --json``: network and member totals [t CO₂e], activity [kWh]."""
    from kek_data import emissions

    detail = emissions.detail(con, NETWORK_MANAGER)
    network = {str(y): round(v, 6) for y, v in emissions.series(detail).items()}
    members: dict[str, dict[str, float]] = {}
    activity: dict[str, dict[str, dict[str, float]]] = {}
    for r in detail.itertuples():
        year = str(r.year)
        members.setdefault(r.member_id, {}).setdefault(year, 0.0)
        members[r.member_id][year] += float(r.t_co2e)
        if r.carrier_id != "sonstige" and r.kwh == r.kwh:  # NaN check: direct emissions have no kWh
            carriers = activity.setdefault(r.member_id, {}).setdefault(year, {})
            carriers[r.carrier_id] = carriers.get(r.carrier_id, 0.0) + float(r.kwh)
    members = {m: {y: round(v, 6) for y, v in ys.items()} for m, ys in members.items()}
    return {"network": network, "members": members, "activity": activity}


def cmd_summary(args: argparse.Namespace) -> int:
    """Print the network and member totals (JSON with --json, else a German table)."""
    con = db.connect(args.db)
    data = summary(con)
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
        print()
        return 0
    from kek_data.numbers import format_t

    for year, value in data["network"].items():
        print(f"{year}  {format_t(value)}")
    return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every sub-command (or, given ``command``, the one needed)."""
    parser = argparse.ArgumentParser(prog="python -m kek_data", description="KEK-Klimadashboard")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init", help="Datenbank anlegen oder migrieren")
    p.add_argument("--demo", action="store_true", help="Demodaten (fiktiv) laden")
    p.add_argument("--db", help="Pfad der DuckDB-Datei (Standard: KEK_DB oder data/kek.duckdb)")
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("summary", help="Summen je Jahr ausgeben")
    p.add_argument("--json", action="store_true")
    p.add_argument("--db")
    p.set_defaults(func=cmd_summary)
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


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    known = {c for commands in COMMAND_MODULES.values() for c in commands} | {"init", "summary"}
    command = argv[0] if argv and argv[0] in known else None
    args = build_parser(command).parse_args(argv)
    try:
        return int(args.func(args) or 0)
    except KekError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1
