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
              "left": r(k.budget.left)},
    }  # fmt: skip


def summary(con, year: int | None = None) -> dict:
    """The figures of ``summary --json``, read from the report snapshot (network manager).

    ``network``: network totals per year under the completeness rule [t CO₂e]; ``members``:
    each member's series up to its counted year; ``activity``: [kWh] per member, year, carrier
    (as reported, partial years included); ``report``: the key figures of the reporting year.
    """
    from kek_data import report

    rep = report.build(con, NETWORK_MANAGER, year)
    network = {str(y): round(v, 6) for y, v in rep.network.series.items()}
    members = {
        m: {str(y): round(v, 6) for y, v in r.kpi.series.items()} for m, r in rep.member.items()
    }
    activity: dict[str, dict[str, dict[str, float]]] = {}
    for d in rep.detail.itertuples():
        if d.carrier_id != "sonstige" and d.kwh == d.kwh:  # NaN check: direct emissions: no kWh
            carriers = activity.setdefault(d.member_id, {}).setdefault(str(d.year), {})
            carriers[d.carrier_id] = carriers.get(d.carrier_id, 0.0) + float(d.kwh)
    return {
        "network": network,
        "coverage": {str(y): rep.coverage_text(y) for y in rep.network.series},
        "members": members,
        "activity": activity,
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


def cmd_summary(args: argparse.Namespace) -> int:
    """Print the network totals and key figures (JSON with --json, else German lines)."""
    con = db.connect(args.db, create=False)  # only init creates a database
    data = summary(con, args.year)
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
        print()
        return 0
    from kek_data.numbers import format_t

    for year, value in data["network"].items():
        print(f"{year}  {format_t(value)}  ({data['coverage'][year]})")
    return 0


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The argument parser with every sub-command (or, given ``command``, the one needed)."""
    parser = argparse.ArgumentParser(prog="python -m kek_data", description="KEK-Klimadashboard")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("init", help="Datenbank anlegen oder migrieren")
    p.add_argument("--demo", action="store_true", help="Demodaten (fiktiv) laden")
    p.add_argument("--db", help="Pfad der DuckDB-Datei (Standard: KEK_DB oder data/kek.duckdb)")
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("summary", help="Summen je Jahr und Kennzahlen ausgeben")
    p.add_argument("--json", action="store_true")
    p.add_argument(
        "--year",
        type=int,
        help="Berichtsjahr (Standard: neuestes Jahr, in dem mindestens die Hälfte der "
        "Mitglieder vollständig gemeldet hat)",
    )
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
