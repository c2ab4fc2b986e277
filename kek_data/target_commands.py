"""Command line of the target agreements: ``targets`` and ``targets set``.

``python -m kek_data targets [--json] [--member ID] [--vorgabe] [--db PATH] [--as ROLLE]``
prints each owner's target in force today (text: one German line per owner; JSON: the target
with milestones and every version with what changed). ``python -m kek_data targets set --member
ID|netzwerk --base-year Y --milestone 2030:55 … --source TEXT [--neutral 2035] [--residual 10]
[--scopes 1+2] [--kind …] [--base-value T] [--agreed-on 2026-11-30] [--body NAME] [--vorgabe]``
adds a version (network management only): the rules of :func:`kek_data.targets.validate`, each
message naming its option, exit 1 and nothing written on any problem. Options of ``set`` come
after ``set``.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from kek_data import db, target_history, targets
from kek_data.cli import add_data_options, viewer_of
from kek_data.errors import TargetError, TargetErrors
from kek_data.numbers import format_date, format_t, parse_german_number

#: The option of ``targets set`` behind each field of a :class:`TargetError`.
OPTIONS = {
    "owner": "--member",
    "purpose": "--vorgabe",
    "base_year": "--base-year",
    "base_value": "--base-value",
    "milestones": "--milestone",
    "neutrality_year": "--neutral",
    "residual_pct": "--residual",
    "scopes": "--scopes",
    "kind": "--kind",
    "source": "--source",
    "body": "--body",
    "agreed_on": "--agreed-on",
}


def _number(text: str | None, name: str, errors: list[TargetError]) -> float | None:
    """The German number ``text`` of the option of field ``name``; None if missing or bad (then
    the problem is added to ``errors``)."""
    if text is None:
        return None
    try:
        return parse_german_number(text)
    except ValueError as exc:
        errors.append(TargetError(name, str(exc)))
        return None


def _year(text: str | None, name: str, errors: list[TargetError]) -> int | None:
    """The year ``text`` of the option of field ``name`` (e.g. "2035"); None if missing or not
    a year (then the problem is added to ``errors``)."""
    if text is None:
        return None
    if not text.strip().isdigit() or len(text.strip()) != 4:
        errors.append(TargetError(name, f"„{text}“ ist keine Jahreszahl (z. B. 2035)."))
        return None
    return int(text)


def _draft(args: argparse.Namespace) -> tuple[targets.Draft, list[TargetError]]:
    """The version the options of ``targets set`` describe, and the options that could not be
    read (a milestone, number or date; left out of the draft)."""
    errors: list[TargetError] = []
    milestones: list[tuple[object, object]] = []
    for text in args.milestone or []:
        try:
            milestones.append(targets.parse_milestone(text))
        except TargetError as exc:
            errors.append(exc)
    agreed = None
    if args.agreed_on:
        try:
            agreed = date.fromisoformat(args.agreed_on)
        except ValueError:
            errors.append(TargetError("agreed_on", f"„{args.agreed_on}“: bitte JJJJ-MM-TT."))
    found: dict[int, float] = {}
    try:
        found = targets.milestone_table(milestones)
    except TargetErrors as exc:
        errors += exc.errors
    base_year = _year(args.base_year, "base_year", errors)
    neutral = _year(args.neutral, "neutrality_year", errors)
    base_value = _number(args.base_value, "base_value", errors)
    residual = _number(args.residual, "residual_pct", errors) or 0.0
    purpose = "vorgabe" if args.vorgabe else "ziel"
    kind = args.kind or ("Vorgabe des Dachverbands" if args.vorgabe else None)
    if kind is None:
        kind = "Netzwerkpfad" if args.member == targets.NETWORK else "eigenes Ziel"
    return targets.Draft(
        owner=args.member,
        base_year=base_year or 0,  # unreadable: reported as such, the draft is not saved
        base_value=base_value,
        milestones=found,
        neutrality_year=neutral,
        residual_pct=residual,
        scopes=args.scopes,
        kind=kind,
        source=args.source or "",
        agreed_on=agreed,
        purpose=purpose,
        body=args.body,
    ), errors


def _target_json(t) -> dict:
    return {
        "owner": t.owner,
        "base_year": t.base_year,
        "base_t_co2e": None if t.base_value is None else round(float(t.base_value), 6),
        "base_derived": t.base_derived,
        "milestones": {str(y): p for y, p in sorted(t.milestones.items())},
        "neutrality_year": t.neutrality_year,
        "residual_pct": t.residual_pct,
        "scopes": t.scopes,
        "kind": t.kind,
        "body": t.body,
        "source": t.source,
        "agreed_on": None if t.agreed_on is None else t.agreed_on.isoformat(),
        "entered_by": t.entered_by,
        "valid_from": None if t.valid_from is None else t.valid_from.isoformat(),
        "verified": t.verified,
        "is_demo": t.is_demo,
        "describe": t.describe(),
    }


def line(t) -> str:
    """One German line of an owner's target in force (text mode)."""
    parts = [f"{t.owner}: {t.describe()}", t.kind, targets.SCOPE_LABELS.get(t.scopes, t.scopes)]
    if t.body:
        parts.append(t.body)
    base = "aus Daten" if t.base_derived else "eingetragen"
    parts.append(f"Basiswert {format_t(t.base_value, 0)} ({base})")
    if t.agreed_on:
        parts.append(f"vereinbart am {format_date(t.agreed_on)}")
    if t.valid_from:
        parts.append(f"gültig ab {format_date(t.valid_from)}")
    parts.append(f"Quelle: {t.source}")
    if not t.verified:
        parts.append("unbestätigte Annahme")
    return " · ".join(parts)


def cmd_targets(args: argparse.Namespace) -> int:
    """Show the targets in force (and their versions with --json)."""
    con = db.connect(args.db, create=False)
    try:
        viewer = viewer_of(args, con)
        purpose = "vorgabe" if args.vorgabe else "ziel"
        if args.member:
            target_history.check_read(viewer, args.member)
        elif not viewer.sees_member_data:
            target_history.check_read(viewer, targets.NETWORK)
        now = targets.current(con, viewer, purpose)
        owners = [args.member] if args.member else list(now)
        if args.json:
            data = {
                o: {
                    "current": _target_json(now[o]) if o in now else None,
                    "versions": [
                        _target_json(v.target) | {"in_force": v.in_force, "changes": v.changes}
                        for v in target_history.versions(con, viewer, o, purpose)
                    ],
                }
                for o in owners
            }
            json.dump(data, sys.stdout, ensure_ascii=False, indent=1, sort_keys=True)
            print()
            return 0
        for o in owners:
            print(line(now[o]) if o in now else f"{o}: kein Ziel vereinbart")
    finally:
        con.close()
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    """Add a version of a target (network management); every problem on stderr, exit 1."""
    con = db.connect(args.db, create=False)
    try:
        viewer = viewer_of(args, con)
        draft, unread = _draft(args)
        try:
            if any(e.field == "base_year" for e in unread):  # no year to check the rest against
                raise TargetErrors(unread)
            target_id = targets.add_version(con, viewer, draft, unread)
        except TargetErrors as exc:
            for e in exc.errors:
                print(f"Fehler: {OPTIONS.get(e.field, e.field)}: {e.message}", file=sys.stderr)
            print("Nichts wurde gespeichert.", file=sys.stderr)
            return 1
        now = targets.current(con, viewer, draft.purpose).get(draft.owner)
    finally:
        con.close()
    print(f"Neue Zielversion Nr. {target_id} gespeichert (gültig ab heute).")
    if now is not None:
        print(line(now))
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``targets`` (with its sub-command ``set``) to the command line."""
    p = sub.add_parser("targets", help="Zielvereinbarungen zeigen oder eine neue Version anlegen")
    p.add_argument("--json", action="store_true", help="mit Meilensteinen und allen Versionen")
    p.add_argument("--member", metavar="MITGLIED", help="nur dieses Mitglied (oder netzwerk)")
    p.add_argument("--vorgabe", action="store_true", help="Vorgaben der Dachverbände statt Ziele")
    add_data_options(p)
    p.set_defaults(func=cmd_targets)
    actions = p.add_subparsers(dest="action")
    s = actions.add_parser("set", help="neue Version eines Ziels anlegen (Netzwerkmanagement)")
    s.add_argument("--member", required=True, metavar="MITGLIED", help="member_id oder netzwerk")
    s.add_argument("--base-year", required=True, metavar="JAHR", help="Basisjahr")
    s.add_argument("--base-value", metavar="T", help="Basiswert in t CO₂e (Standard: aus Daten)")
    s.add_argument("--milestone", action="append", metavar="JAHR:PROZENT",
                   help="Meilenstein: Minderung in %% ggü. Basisjahr, z. B. 2030:55")  # fmt: skip
    s.add_argument("--neutral", metavar="JAHR", help="Neutralitätsjahr (Standard: keins)")
    s.add_argument("--residual", metavar="PROZENT", help="Restanteil im Neutralitätsjahr in %%")
    s.add_argument("--scopes", default="1+2", help=f"{', '.join(targets.SCOPES)} (Standard: 1+2)")
    s.add_argument("--kind", help=f"Zielart: {', '.join(targets.KINDS)}")
    s.add_argument("--source", help="Quelle (Vereinbarung, Beschluss, Website)")
    s.add_argument("--agreed-on", metavar="JJJJ-MM-TT", help="vereinbart am")
    s.add_argument("--body", metavar="NAME", help="Dachverband (bei --vorgabe)")
    s.add_argument("--vorgabe", action="store_true", help="Vorgabe eines Dachverbands")
    add_data_options(s)
    s.set_defaults(func=cmd_set)
