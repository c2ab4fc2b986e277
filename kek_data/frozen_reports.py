"""Frozen annual reports (Berichtsstände): a read-only copy of the whole database.

Why: the network manager freezes a reporting year for the annual report; later corrections of the
live data must not change what was reported. Decisions:

- **What is frozen:** the whole database at the moment of freezing (every figure, target
  version, factor, measure, status, consent), copied with DuckDB's ``COPY FROM DATABASE`` into
  ``<db dir>/berichtsstaende/<db stem>-<year>-<freeze_id>.duckdb``. Every surface (pages, deck,
  data package, CLI) takes a connection, so all of them work on the copy unchanged. The raw
  uploaded files are not copied: they live outside the database (``<db>.files``, content-
  addressed by sha256, never deleted) and the snapshot keeps their checksums. Backups must
  include the folder ``berichtsstaende/``.
- **Valid at freezing:** a snapshot is opened read-only and without ``reference.sync``, so the
  factors are those of that day; the query ``current_targets`` reads the target versions valid
  on the freezing day (the marker table ``frozen_stand``), not on the day the report is viewed.
- **All or nothing:** the copy is written to a temp name, its key figures (:func:`figures` of
  the copy as network management) computed from the copy itself, then renamed; the row in
  ``report_freezes`` is written in one transaction; on any error no row and no file remain.
  A year may be frozen again: a new Berichtsstand; the newest of a year is "the" one.
- **Integrity:** the sha256 of the file is checked on every open; a changed file is refused.
- **Schema drift:** a snapshot of an older schema version is opened as a migrated temporary copy;
  its figures are recomputed and compared with those stored at freezing; a difference is
  written into the copy's marker (``drift``) and every surface says it (:attr:`Stand.label`).
- **Consent:** a snapshot keeps the consent of its day. If a member has since restricted its
  consent, only network management and the city may open the snapshot (a withdrawal must not be
  undone by an old copy); the others are told to ask for a new freezing.

The change list since a snapshot is :mod:`kek_data.frozen_changes`.
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import duckdb

from kek_data import access, db, emissions
from kek_data.errors import FrozenReportError
from kek_data.numbers import format_date
from kek_data.viewer import DEMO_USER, NETWORK_MANAGER, Viewer

FOLDER = "berichtsstaende"
#: What a write form on a frozen Stand says instead of the form.
READ_ONLY = "Eingefrorener Berichtsstand – nur lesen; zum Ändern Live-Daten wählen."
#: Consent levels from open to strict (a move to the right is a restriction).
_STRICTNESS = {"namentlich": 0, "gesamt": 1, "intern": 2}
_LOCK = threading.Lock()  # one freeze at a time per process (one attach alias)


@dataclass(frozen=True)
class Freeze:
    """One row of ``report_freezes``: a Berichtsstand of the live database."""

    freeze_id: int
    year: int
    frozen_at: datetime
    frozen_by: str
    note: str
    file_name: str
    sha256: str
    size_bytes: int
    schema_version: int
    figures: dict
    is_demo: bool

    @property
    def label(self) -> str:
        """ "Berichtsstand 2025, eingefroren am 15.06.2026 (Nr. 3)" – the choice's text."""
        return (
            f"Berichtsstand {self.year}, eingefroren am {format_date(self.frozen_at.date())} "
            f"(Nr. {self.freeze_id})"
        )


@dataclass(frozen=True)
class Stand:
    """Which data a connection holds: the live data or a Berichtsstand."""

    frozen: bool
    as_of: str  # "Stand" of the data (newest submission), German date
    freeze_id: int | None = None
    year: int | None = None
    frozen_at: datetime | None = None
    frozen_by: str = ""
    note: str = ""
    drift: str = ""  # differences of today's computation (older schema), "" if none

    @property
    def label(self) -> str:
        """The line every surface shows: "Live-Daten (Stand 02.12.2026)" or "Berichtsstand
        2025, eingefroren am 15.06.2026 von …" (plus the drift, if any)."""
        if not self.frozen:
            return f"Live-Daten (Stand {self.as_of})"
        text = (
            f"Berichtsstand {self.year}, eingefroren am {format_date(self.frozen_at.date())} "  # type: ignore[union-attr]
            f"von {self.frozen_by}"
        )
        return f"{text} – mit heutiger Berechnung abweichend: {self.drift}" if self.drift else text


def folder(db_file: str | os.PathLike[str]) -> Path:
    """The folder of the snapshots next to the database file."""
    return Path(db_file).resolve().parent / FOLDER


def _db_file(con: duckdb.DuckDBPyConnection) -> tuple[str, Path]:
    name, path = db.query_rows(con, "freeze_db_file")[0]
    if not path:
        raise FrozenReportError("Eine Datenbank im Arbeitsspeicher lässt sich nicht einfrieren.")
    return str(name), Path(path)


def _quoted(identifier: str) -> str:
    """A DuckDB identifier in double quotes (catalog names cannot be bound parameters)."""
    return '"' + identifier.replace('"', '""') + '"'


def sha256_file(path: Path) -> str:
    """Hex SHA-256 of a file, read in blocks."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def stand(con: duckdb.DuckDBPyConnection) -> Stand:
    """Live data or Berichtsstand, read from the connection's marker table ``frozen_stand``."""
    as_of = emissions.data_as_of(con)
    shown = format_date(as_of.date()) if as_of else "–"
    try:
        rows = db.query_rows(con, "freeze_stand")
    except duckdb.CatalogException:  # a database before schema version 10
        rows = []
    if not rows:
        return Stand(frozen=False, as_of=shown)
    fid, year, at, by, note, drift = rows[0]
    return Stand(True, shown, int(fid), int(year), at, str(by), str(note or ""), str(drift or ""))


def figures(con: duckdb.DuckDBPyConnection, year: int) -> dict:
    """The key figures stored at freezing, read as network management from ``report.build``:
    ``network`` and ``members`` (id → year → t CO₂e [t CO₂e], as ``summary --json`` has them),
    ``report`` (year, coverage, per owner latest value, gap to the path and status) and
    ``target_ids`` (owner → target version in force), as a JSON-ready dict."""
    from kek_data import progress, report

    rep = report.build(con, NETWORK_MANAGER, year)

    def r(v: float | None) -> float | None:
        return None if v is None else round(float(v), 6)

    def kpi(k) -> dict:
        return {"t_co2e": r(k.latest), "gap_t_co2e": r(k.gap_latest), "status": k.status}

    targets = progress.targets(con, NETWORK_MANAGER, {}, {})
    return {
        "year": rep.year,
        "network": {str(y): r(v) for y, v in rep.network.series.items()},
        "members": {
            m: {str(y): r(v) for y, v in mr.kpi.series.items()} for m, mr in rep.member.items()
        },
        "report": {
            "coverage": rep.coverage_text(),
            "network": kpi(rep.network),
            "members": {m: kpi(mr.kpi) for m, mr in rep.member.items()},
        },
        "target_ids": {o: int(t.target_id) for o, t in sorted(targets.items())},
    }


def freezes(con: duckdb.DuckDBPyConnection) -> list[Freeze]:
    """Every Berichtsstand of the live database, newest first (readable by every viewer who
    sees member data; the figures inside are read through the viewer when opened)."""
    rows = db.query_rows(con, "freeze_list")
    return [
        Freeze(int(r[0]), int(r[1]), r[2], str(r[3]), str(r[4] or ""), str(r[5]), str(r[6]),
               int(r[7]), int(r[8]), json.loads(r[9]), bool(r[10]))
        for r in rows
    ]  # fmt: skip


def find(con: duckdb.DuckDBPyConnection, freeze_id: int) -> Freeze:
    """The Berichtsstand ``freeze_id``; a German error naming the existing ones if unknown."""
    found = {f.freeze_id: f for f in freezes(con)}
    if freeze_id not in found:
        known = ", ".join(str(i) for i in sorted(found)) or "keine"
        raise FrozenReportError(
            f"Berichtsstand {freeze_id} gibt es nicht (vorhanden: {known}). "
            "Liste: python -m kek_data berichtsstand"
        )
    return found[freeze_id]


def freeze(con: duckdb.DuckDBPyConnection, viewer: Viewer, year: int, note: str = "") -> Freeze:
    """Freeze reporting ``year``: write the snapshot file and its row (network management only).

    All or nothing: the file is written under a temp name and renamed only when complete, the
    row is written in one transaction; on any error neither remains.
    """
    access.check_manage(viewer, "einen Berichtsstand einfrieren")
    if stand(con).frozen:
        raise FrozenReportError("Ein Berichtsstand lässt sich nicht noch einmal einfrieren.")
    years = [int(y) for y in emissions.network_totals(con)["year"]]
    if int(year) not in years:
        shown = f"{years[0]}–{years[-1]}" if years else "keine"
        raise FrozenReportError(
            f"Für {year} liegen keine Daten vor (vorhanden: {shown}); nichts wurde eingefroren."
        )
    catalog, live = _db_file(con)
    target_dir = folder(live)
    target_dir.mkdir(parents=True, exist_ok=True)
    freeze_id = int(db.query_rows(con, "freeze_next_id")[0][0])
    name = f"{live.stem}-{int(year)}-{freeze_id}.duckdb"
    final, tmp = target_dir / name, target_dir / f".{name}.tmp"
    now = datetime.now().replace(microsecond=0)
    demo = viewer.user.startswith(DEMO_USER) or emissions.is_demo(con)
    row = dict(freeze_id=freeze_id, year=int(year), frozen_at=now, frozen_by=viewer.user,
               note=note.strip())  # fmt: skip
    try:
        with _LOCK:
            _write_snapshot(con, catalog, tmp, row, name, demo)
        snap = duckdb.connect(str(tmp), read_only=True, config=db.DUCKDB_CONFIG)
        try:
            figs = figures(snap, int(year))
            version = db.schema_version(snap)
        finally:
            snap.close()
        digest, size = sha256_file(tmp), tmp.stat().st_size
        os.replace(tmp, final)
        with db.transaction(con):
            db.execute(con, "freeze_insert", **row, file_name=name, sha256=digest,
                       size_bytes=size, schema_version=version,
                       figures_json=json.dumps(figs, sort_keys=True), is_demo=demo)  # fmt: skip
    except BaseException:
        for path in (tmp, Path(f"{tmp}.wal"), final):
            path.unlink(missing_ok=True)
        raise
    return find(con, freeze_id)


def _write_snapshot(
    con: duckdb.DuckDBPyConnection, catalog: str, tmp: Path, row: dict, name: str, demo: bool
) -> None:
    """Copy the whole database into ``tmp`` and mark the copy as Berichtsstand."""
    tmp.unlink(missing_ok=True)
    db.execute(con, "freeze_attach", path=str(tmp))
    try:
        # catalog names cannot be bound: the name DuckDB itself reports, quoted (freeze_copy)
        con.execute(db.sql("freeze_copy").replace("{catalog}", _quoted(catalog)))
        db.execute(con, "freeze_mark_snapshot", **row)
        db.execute(con, "freeze_row_in_snapshot", **row, file_name=name,
                   schema_version=db.schema_version(con), is_demo=demo)  # fmt: skip
        db.execute(con, "freeze_checkpoint")
    finally:
        db.execute(con, "freeze_detach")


def path_of(live_con: duckdb.DuckDBPyConnection, frozen: Freeze) -> Path:
    """The snapshot file of ``frozen`` (next to the live database)."""
    return folder(_db_file(live_con)[1]) / frozen.file_name


def open(live_con: duckdb.DuckDBPyConnection, frozen: Freeze | int) -> duckdb.DuckDBPyConnection:  # noqa: A001
    """A read-only connection to the Berichtsstand (checked, migrated copy if older schema)."""
    if isinstance(frozen, int):
        frozen = find(live_con, frozen)
    return connect_frozen(path_of(live_con, frozen), frozen)


def connect_frozen(path: str | os.PathLike[str], frozen: Freeze) -> duckdb.DuckDBPyConnection:
    """Open the snapshot file ``path`` of ``frozen`` read-only after checking its sha256.

    A snapshot of an older schema version is copied to a temporary file and migrated (no
    reference sync: its factors stay those of the freezing day); its figures are compared with
    those stored at freezing and any difference is written into the copy's marker.
    """
    path = Path(path)
    if not path.is_file():
        raise FrozenReportError(
            f"Die Datei des Berichtsstands {frozen.freeze_id} ({frozen.file_name}) fehlt im "
            f"Ordner {path.parent}. Bitte aus der Sicherung wiederherstellen."
        )
    if sha256_file(path) != frozen.sha256:
        raise FrozenReportError(
            f"Der Berichtsstand {frozen.freeze_id} ({frozen.file_name}) wurde nach dem Einfrieren "
            "verändert (Prüfsumme stimmt nicht) und wird nicht geöffnet. Bitte die Datei aus der "
            "Sicherung wiederherstellen oder das Jahr neu einfrieren."
        )
    con = duckdb.connect(str(path), read_only=True, config=db.DUCKDB_CONFIG)
    if db.schema_version(con) >= db.latest_version():
        return con
    con.close()
    folder_ = tempfile.mkdtemp(prefix="kek-berichtsstand-")
    atexit.register(shutil.rmtree, folder_, True)  # the migrated copy lives as long as the process
    copy = Path(folder_) / path.name
    shutil.copy(path, copy)
    con = duckdb.connect(str(copy), config=db.DUCKDB_CONFIG)
    db.migrate(con)
    drift = differences(frozen.figures, figures(con, frozen.year))
    if drift:
        db.execute(con, "freeze_set_drift", drift="; ".join(drift))
    return con


def differences(before: dict, now: dict, limit: int = 5) -> list[str]:
    """German lines naming the figures that differ (> 0,5 kg) between two :func:`figures`."""
    from kek_data.numbers import format_t

    lines = []
    old, new = before.get("network", {}), now.get("network", {})
    for y in sorted(set(old) | set(new)):
        a, b = old.get(y), new.get(y)
        if a is None or b is None or abs(a - b) > 5e-4:
            lines.append(f"Netzwerk {y}: {format_t(a) if a is not None else '–'} → "
                         f"{format_t(b) if b is not None else '–'}")  # fmt: skip
    for m in sorted(set(before.get("members", {})) | set(now.get("members", {}))):
        a_m, b_m = before.get("members", {}).get(m, {}), now.get("members", {}).get(m, {})
        for y in sorted(set(a_m) | set(b_m)):
            a, b = a_m.get(y), b_m.get(y)
            if a is None or b is None or abs(a - b) > 5e-4:
                lines.append(f"{m} {y}: {format_t(a) if a is not None else '–'} → "
                             f"{format_t(b) if b is not None else '–'}")  # fmt: skip
    more = len(lines) - limit
    return lines[:limit] + ([f"und {more} weitere"] if more > 0 else [])


def check_viewer(
    live_con: duckdb.DuckDBPyConnection, frozen_con: duckdb.DuckDBPyConnection, viewer: Viewer
) -> None:
    """Refuse a snapshot to a viewer who must not read it: the public (live data only), and,
    when a member has restricted its consent since freezing, everyone but network and city."""
    if not viewer.sees_member_data:
        raise FrozenReportError("Berichtsstände sind nur nach Anmeldung zugänglich.")
    if viewer.sees_all_members:
        return
    then, now = access.consents(frozen_con), access.consents(live_con)
    if any(
        _STRICTNESS.get(now[m].level, 2) > _STRICTNESS.get(c.level, 2)
        for m, c in then.items()
        if m in now
    ):
        raise FrozenReportError(
            "Seit dem Einfrieren hat ein Mitglied seine Veröffentlichungsfreigabe eingeschränkt; "
            "dieser Berichtsstand ist deshalb nur für Netzwerkmanagement und Stadt zugänglich. "
            "Bitte das Netzwerkmanagement, das Jahr neu einzufrieren."
        )
