"""Command line ``python -m kek_data export deck|chart|data|public`` — thin wrappers over the
library.

Why: the network manager (or a scheduled job) builds the same deck, images and data package as
the dashboard's Export page without a browser. Messages are German; errors go to stderr with exit
code 1 (:func:`kek_data.cli.main` prints every :class:`~kek_data.errors.KekError`). With
``--as ROLLE[:MITGLIED]`` each export holds exactly what that role sees (publication consent,
pseudonyms, the 3-member rule: the viewer's report snapshot); default network management.
``export public`` is always the public view of the live data (a static website).
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from pathlib import Path

from kek_data import config
from kek_data.cli import add_data_options, add_read_options, connect_read, viewer_of
from kek_data.errors import ExportCommandError
from kek_data.export import figures, images


def _target(out: str, suffix: str) -> Path:
    """The output path, checked before any work: right suffix, existing directory."""
    path = Path(out)
    if path.suffix.lower() != suffix:
        raise ExportCommandError(f"Die Ausgabedatei {path.name} braucht die Endung {suffix}.")
    if not path.parent.exists():
        raise ExportCommandError(f"Das Verzeichnis {path.parent} gibt es nicht.")
    return path


def _write(path: Path, data: bytes) -> Path:
    try:
        path.write_bytes(data)
    except OSError as exc:
        raise ExportCommandError(f"{path} lässt sich nicht schreiben: {exc.strerror}.") from exc
    return path


def _kb(data: bytes) -> str:
    return f"{len(data) / 1024:,.0f} KB".replace(",", ".")


def cmd_deck(args: argparse.Namespace) -> int:
    """Build the meeting deck (PPTX)."""
    from kek_data.export import deck

    target = _target(args.out, ".pptx")
    members = None if args.members is None else [m for m in args.members.split(",") if m.strip()]
    meeting = None
    if args.date:
        try:
            meeting = datetime.strptime(args.date, "%d.%m.%Y").date()
        except ValueError:
            raise ExportCommandError(
                f"Datum „{args.date}“: bitte als TT.MM.JJJJ angeben."
            ) from None
    con = connect_read(args)  # the live data or, with --stand, a Berichtsstand
    year = _year(args.year)

    def report(fraction: float, text: str) -> None:
        if not args.quiet:
            print(f"{fraction * 100:5.0f} %  {text}", file=sys.stderr)

    data = deck.build_deck(
        con, viewer_of(args, con), year=year, members=members, meeting_date=meeting,
        progress=report,
    )  # fmt: skip
    path = _write(target, data)
    print(f"Foliensatz gespeichert: {path} ({_kb(data)}).")
    return 0


def cmd_chart(args: argparse.Namespace) -> int:
    """Render one named chart as PNG, SVG or PDF."""
    fmt = args.format or Path(args.out).suffix.lower().lstrip(".") or "png"
    if fmt not in images.FORMATS:
        raise ExportCommandError(f"Unbekanntes Format „{fmt}“ (möglich: png, svg, pdf).")
    figures.check_name(args.name, args.member)
    target = _target(args.out, f".{fmt}")
    con = connect_read(args)  # the live data or, with --stand, a Berichtsstand
    year = _year(args.year)
    viewer = viewer_of(args, con)
    fig = figures.build(con, args.name, viewer, member_id=args.member, year=year)
    size = images.Size(args.width, args.height, args.scale if fmt == "png" else 1)
    data = images.render(fig, fmt, size)  # type: ignore[arg-type]
    path = _write(target, data)
    extra = f", {size.pixels[0]} × {size.pixels[1]} px" if fmt == "png" else ""
    print(f"Diagramm „{args.name}“ gespeichert: {path} ({_kb(data)}{extra}).")
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    """Write the data package (ZIP with CSV, XLSX and README)."""
    from kek_data.export import package

    target = _target(args.out, ".zip")
    con = connect_read(args)  # the live data or, with --stand, a Berichtsstand
    year = _year(args.year)
    data = package.build_package(con, viewer_of(args, con), year=year)
    path = _write(target, data)
    print(f"Datenpaket gespeichert: {path} ({_kb(data)}).")
    return 0


def cmd_public(args: argparse.Namespace) -> int:
    """Write the public view as a static website (always the public role, live data); only
    network management publishes (``--as``)."""
    from kek_data import access, db
    from kek_data.export import public_site

    target = public_site.check_target(Path(args.out))
    con = db.connect(args.db, create=False)
    access.check_manage(viewer_of(args, con), "die öffentliche Seite erzeugen")
    path = public_site.build(con, target)
    n = sum(1 for p in path.rglob("*") if p.is_file() and not p.name.startswith("."))
    print(f"Öffentliche Seite gespeichert: {path / 'index.html'} ({n} Dateien).")
    return 0


def _year(text: str | None) -> int | None:
    """The ``--year`` argument as a year [a] (None if not given)."""
    if text is None:
        return None
    try:
        year = int(text)
    except ValueError:
        raise ExportCommandError(f"„{text}“ ist kein Jahr (z. B. --year 2024).") from None
    if not config.FIRST_YEAR <= year <= date.today().year:
        raise ExportCommandError(
            f"Jahr {year} liegt außerhalb von {config.FIRST_YEAR}–{date.today().year}."
        )
    return year


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add ``export deck``, ``export chart``, ``export data`` and ``export public`` to the
    command line."""
    export = subparsers.add_parser("export", help="Foliensatz, Diagramme und Daten exportieren")
    sub = export.add_subparsers(
        dest="export_command", required=True, metavar="deck|chart|data|public"
    )

    p = sub.add_parser("deck", help="Sitzungsfoliensatz als PPTX (16:9)")
    p.add_argument("--out", required=True, help="Ausgabedatei, z. B. sitzung.pptx")
    p.add_argument("--year", help="Berichtsjahr (Standard: neuestes Jahr mit Daten)")
    p.add_argument(
        "--members",
        help="Kennungen der Mitglieder, durch Komma getrennt (Standard: alle; --members= für "
        "keine Mitgliedsfolien)",
    )
    p.add_argument("--date", help="Sitzungsdatum TT.MM.JJJJ (Standard: heute)")
    p.add_argument("--quiet", action="store_true", help="keinen Fortschritt ausgeben")
    add_read_options(p)
    p.set_defaults(func=cmd_deck)

    p = sub.add_parser("chart", help="ein Diagramm als PNG, SVG oder PDF")
    p.add_argument(
        "name", metavar="NAME", help="; ".join(f"{k}: {v}" for k, v in figures.NAMES.items())
    )
    p.add_argument("--format", choices=images.FORMATS, help="Standard: Endung von --out")
    p.add_argument("--out", required=True, help="Ausgabedatei, z. B. netzwerk.png")
    p.add_argument("--member", help="Kennung des Mitglieds (für mitglied, mitglied-scope, budget)")
    p.add_argument("--year", help="Berichtsjahr (Standard: neuestes Jahr mit Daten)")
    p.add_argument("--width", type=int, default=images.PRESENTATION.width, help="Breite [px]")
    p.add_argument("--height", type=int, default=images.PRESENTATION.height, help="Höhe [px]")
    p.add_argument("--scale", type=float, default=images.PRESENTATION.scale,
                   help="Faktor für PNG (Standard 2: 2560 × 1440 px; 3 für 4K)")  # fmt: skip
    add_read_options(p)
    p.set_defaults(func=cmd_chart)

    p = sub.add_parser("data", help="Datenpaket (ZIP: CSV, XLSX, README)")
    p.add_argument("--out", required=True, help="Ausgabedatei, z. B. kek_daten.zip")
    p.add_argument("--year", help="Berichtsjahr der Kennzahlen (Standard: neuestes)")
    add_read_options(p)
    p.set_defaults(func=cmd_data)

    p = sub.add_parser(
        "public",
        help="öffentliche Ansicht als statische Website (index.html, Diagramme, CSV, Einbettcode)",
    )
    p.add_argument("--out", required=True, help="Ausgabeverzeichnis, z. B. oeffentlich")
    # --as: who publishes (network management only); the site is always the public view of
    # the live data, so no --stand (Berichtsstände are not public)
    add_data_options(p)
    p.set_defaults(func=cmd_public)
