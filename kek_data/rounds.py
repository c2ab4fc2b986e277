"""The reporting round (Berichtsrunde): who reported a year, who is late, what is still open.

Why: city–business climate pacts collect every partner's report in the same years, with a written
reason whenever a target is missed. Per reporting year the network management opens a round
(due date, jump threshold); per member-year a status, notes and the checks of
:mod:`kek_data.round_checks`. Tables: migration 009, all append-only (a change is a new row; the
newest row wins; the history keeps every entry). Frozen years: ``report_freezes`` (migration 010).

Rules (each written once, here):

- **Status:** angefragt → eingereicht → geprüft → freigegeben; „eingefroren“ for every member
  once the year is frozen (a Berichtsstand exists), then nothing of the round can be changed.
  *eingereicht* is **derived** from the data: a member-year counts as eingereicht as soon as an
  active upload holds rows of the year newer than the newest status entry (so the member need not
  click anything after uploading; a set-back to angefragt waits for a new upload). A member may
  also mark its year eingereicht itself (e.g. data sent by mail), which is logged.
- **Who:** a member changes only its own member-year and only angefragt → eingereicht; the
  network management moves a year one step forward, or back to any earlier status with a
  comment; the city reads everything and writes nothing; the public sees nothing.
  *freigegeben* needs no open jump, no open question and, when the member is behind its path, a
  Begründung.
- **Late:** the due date has passed and the status is still angefragt; „seit N Tagen“ counts
  from the due date to ``today`` [d].
- **Notes:** 'frage' (network management) is open until an 'antwort' replies to it; 'sprung'
  confirms („bestätigt“) or reports corrected („korrigiert“, after a new upload) a flagged jump,
  with a required comment, and records the value confirmed: if later figures differ from it, the
  flag is open again; 'begruendung' (the newest one counts) gives the reason for being behind.
"""

from __future__ import annotations

import math
from datetime import date, datetime

import duckdb

from kek_data import db, emissions, reference, report, round_checks
from kek_data.errors import AccessDenied, ReportError, RoundError
from kek_data.numbers import format_plain
from kek_data.round_checks import DEFAULT_JUMP_PCT, Jump
from kek_data.round_model import (  # noqa: F401  (re-exported: rounds.STATUSES, rounds.Overview)
    ANGEFRAGT,
    ANTWORT,
    BEGRUENDUNG,
    EINGEREICHT,
    FRAGE,
    FREIGEGEBEN,
    FROZEN,
    GEPRUEFT,
    JUMP_PCT_MAX,
    JUMP_PCT_MIN,
    KINDS,
    LABELS,
    MAX_TEXT,
    RESOLUTIONS,
    SPRUNG,
    STATUSES,
    Entry,
    MemberYear,
    Note,
    Overview,
    Round,
)
from kek_data.viewer import DEMO_USER, NETWORK_MANAGER, Viewer


def _err(field_: str, message: str) -> RoundError:
    return RoundError(field_, message, LABELS[field_])


def check_read(viewer: Viewer) -> None:
    """The public sees nothing of the round."""
    if not viewer.sees_member_data:
        raise AccessDenied("Die Berichtsrunde ist netzwerkintern; bitte anmelden.")


def _check_write(viewer: Viewer, member_id: str | None) -> None:
    check_read(viewer)
    if not viewer.writes:
        raise AccessDenied("Die Stadt liest die Berichtsrunde nur; Einträge macht das "
                           "Netzwerkmanagement oder das Mitglied selbst.")  # fmt: skip
    if member_id is None and not viewer.manages:
        raise AccessDenied("Eine Berichtsrunde eröffnen oder ändern darf nur das "
                           "Netzwerkmanagement.")  # fmt: skip
    if member_id is not None and not viewer.writes_for(member_id):
        raise AccessDenied(f"Einträge für „{member_id}“ darf nur das Mitglied selbst oder das "
                           "Netzwerkmanagement machen.")  # fmt: skip


def _demo(viewer: Viewer, is_demo: bool | None) -> bool:
    return viewer.user.startswith(DEMO_USER) if is_demo is None else is_demo


def rounds(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> dict[int, Round]:
    """year → the round in force (newest version) of every year with a round."""
    check_read(viewer)
    rows = db.query_rows(con, "current_rounds")
    return {int(r[0]): Round(int(r[0]), r[1], float(r[2]), r[3], r[4], r[5], bool(r[6]))
            for r in rows}  # fmt: skip


def open_round(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    year: int,
    due_on: date | str | None,
    jump_pct: float | None = DEFAULT_JUMP_PCT,
    *,
    at: datetime | None = None,
    is_demo: bool | None = None,
) -> None:
    """Open the round of ``year`` or change it (a new version): due date, jump threshold [%]."""
    _check_write(viewer, None)
    at = at or datetime.now()
    problems = []
    if not isinstance(year, int) or not 2000 <= year <= at.year + 1:
        problems.append(_err("year", f"bitte ein Jahr von 2000 bis {at.year + 1} angeben."))
    if isinstance(due_on, str):
        try:
            due_on = date.fromisoformat(due_on.strip())
        except ValueError:
            due_on = None
    if not isinstance(due_on, date):
        problems.append(_err("due_on", "bitte ein Datum angeben (TT.MM.JJJJ)."))
    elif isinstance(year, int) and due_on.year <= year:
        problems.append(_err("due_on", f"die Frist muss nach dem Berichtsjahr {year} liegen."))
    if jump_pct is None or not JUMP_PCT_MIN <= float(jump_pct) <= JUMP_PCT_MAX:
        problems.append(_err("jump_pct", f"bitte {format_plain(JUMP_PCT_MIN)} bis "
                             f"{format_plain(JUMP_PCT_MAX)} % angeben."))  # fmt: skip
    if not problems and _frozen(con, year):
        problems.append(_err("year", f"das Berichtsjahr {year} ist eingefroren."))
    if problems:
        raise RoundError(problems[0].field, "\n".join(str(p) for p in problems))
    db.execute(con, "insert_round", year=year, due_on=due_on, jump_pct=float(jump_pct),
               created_at=at, created_by=viewer.user or viewer.label,
               is_demo=_demo(viewer, is_demo))  # fmt: skip


def _frozen(con: duckdb.DuckDBPyConnection, year: int) -> bool:
    return bool(db.query_rows(con, "round_frozen", year=year)[0][0])


def _report(con: duckdb.DuckDBPyConnection, year: int) -> report.Report | None:
    try:
        return report.build(con, NETWORK_MANAGER, year)
    except ReportError:  # no data for the year (yet)
        return None


def overview(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, year: int, today: date | None = None
) -> Overview:
    """The round of ``year``: every member for network and city, a member only its own row."""
    check_read(viewer)
    today = today or date.today()
    rnd = rounds(con, viewer).get(year)
    frozen = _frozen(con, year)
    if rnd is None:
        return Overview(year, today, None, frozen)
    rep = _report(con, year)
    flagged = round_checks.jumps(rep, rnd.jump_pct) if rep else {}
    names = {
        m.member_id: m.short_name for m in emissions.members(con, NETWORK_MANAGER).itertuples()
    }
    if not viewer.sees_all_members:
        names = {m: n for m, n in names.items() if m == viewer.member_id}
    log = [Entry(*r) for r in db.query_rows(con, "round_status_log", year=year, **viewer.params())]
    notes = [Note(*r) for r in db.query_rows(con, "round_notes", year=year, **viewer.params())]
    submitted = dict(db.query_rows(con, "round_submitted", year=year))
    rows = []
    for member_id, name in names.items():
        mine = tuple(e for e in log if e.member_id == member_id)
        said = tuple(n for n in notes if n.member_id == member_id)
        state, since = (
            (mine[-1].status, mine[-1].entered_at) if mine else (ANGEFRAGT, rnd.opened_at)
        )
        upload = submitted.get(member_id)
        derived = state == ANGEFRAGT and upload is not None and (not mine or upload > since)
        if derived:
            state, since = EINGEREICHT, upload
        if frozen:
            state = FROZEN
        late = (today - rnd.due_on).days if state == ANGEFRAGT and today > rnd.due_on else None
        found = tuple(flagged.get(member_id, ()))
        answers = {n.reply_to: n for n in said if n.kind == ANTWORT}
        questions = tuple((q, answers.get(q.note_id)) for q in said if q.kind == FRAGE)
        reasons = [n for n in said if n.kind == BEGRUENDUNG]
        row = rep.member.get(member_id) if rep else None
        rows.append(MemberYear(
            member_id, name, state, since, derived, late, found,
            tuple(j for j in found if not _settled(j, said)), questions,
            bool(row and round_checks.behind(row)), reasons[-1] if reasons else None, mine, said,
            upload,
        ))  # fmt: skip
    return Overview(year, today, rnd, frozen, tuple(rows))


def _settled(jump: Jump, notes: tuple[Note, ...]) -> bool:
    """A jump is settled by a 'sprung' note on its subject that confirmed today's value."""
    return any(
        n.kind == SPRUNG and n.subject == jump.subject and n.figure is not None
        and math.isclose(n.figure, jump.current, rel_tol=1e-9, abs_tol=1e-9)
        for n in notes
    )  # fmt: skip


def _member_year(con, viewer: Viewer, year: int, member_id: str) -> tuple[Overview, MemberYear]:
    ov = overview(con, NETWORK_MANAGER, year)
    if ov.round is None:
        raise _err("year", f"für {year} ist noch keine Berichtsrunde eröffnet.")
    if ov.frozen:
        raise _err("year", f"das Berichtsjahr {year} ist eingefroren; die Runde ist "
                   "abgeschlossen und lässt sich nicht mehr ändern.")  # fmt: skip
    return ov, ov.row(member_id)


def _text(value: str, field_: str, required: bool) -> str:
    text = (value or "").strip()
    if required and not text:
        raise _err(field_, "bitte angeben.")
    if len(text) > MAX_TEXT:
        raise _err(field_, f"höchstens {MAX_TEXT} Zeichen (jetzt {len(text)}).")
    return text


def set_status(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    year: int,
    member_id: str,
    new: str,
    comment: str = "",
    *,
    at: datetime | None = None,
    is_demo: bool | None = None,
) -> None:
    """Set the status of a member-year (rules in the module docstring); one new log row."""
    _check_write(viewer, member_id)
    if new not in STATUSES:
        raise _err("status", f"„{new}“ gibt es nicht; erlaubt: {', '.join(STATUSES)}.")
    _ov, row = _member_year(con, viewer, year, member_id)
    comment = _text(comment, "comment", False)
    old, new_i = STATUSES.index(row.status), STATUSES.index(new)
    if not viewer.manages and not (row.status == ANGEFRAGT and new == EINGEREICHT):
        raise _err("status", "ein Mitglied kann nur „angefragt“ → „eingereicht“ melden; geprüft "
                   "und freigegeben setzt das Netzwerkmanagement.")  # fmt: skip
    if new_i == old:
        raise _err("status", f"{row.name} {year} ist bereits „{new}“.")
    if new_i > old + 1:
        raise _err("status", f"von „{row.status}“ geht es nur weiter zu „{STATUSES[old + 1]}“.")
    if new_i < old and not comment:
        raise _err("comment", f"bitte angeben, warum {row.name} {year} auf „{new}“ "
                   "zurückgesetzt wird.")  # fmt: skip
    if new == FREIGEGEBEN and row.blockers():
        raise _err("status", f"{row.name} {year} lässt sich noch nicht freigeben: "
                   f"{', '.join(row.blockers())}.")  # fmt: skip
    db.execute(con, "insert_round_status", year=year, member_id=member_id, status=new,
               comment=comment, entered_at=at or datetime.now(),
               entered_by=viewer.user or viewer.label, is_demo=_demo(viewer, is_demo))  # fmt: skip


def add_note(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    year: int,
    member_id: str,
    kind: str,
    text: str,
    *,
    subject: str = "",
    resolution: str = "",
    reply_to: int | None = None,
    at: datetime | None = None,
    is_demo: bool | None = None,
) -> int:
    """Add a note to a member-year (kinds and rules in the module docstring); its note id."""
    _check_write(viewer, member_id)
    if kind not in KINDS:
        raise _err("kind", f"„{kind}“ gibt es nicht; erlaubt: {', '.join(KINDS)}.")
    if kind == FRAGE and not viewer.manages:
        raise AccessDenied("Fragen zur Meldung stellt das Netzwerkmanagement; ein Mitglied "
                           "antwortet.")  # fmt: skip
    _ov, row = _member_year(con, viewer, year, member_id)
    body = _text(text, "comment" if kind == SPRUNG else "text", True)
    figure = None
    if kind == SPRUNG:
        jump = next((j for j in row.jumps if j.subject == subject), None)
        if jump is None:
            raise _err("subject", f"für {row.name} {year} ist kein Sprung „{subject}“ markiert.")
        if resolution not in RESOLUTIONS:
            raise _err("resolution", f"bitte „{RESOLUTIONS[0]}“ oder „{RESOLUTIONS[1]}“ wählen.")
        figure = jump.current
    else:
        resolution, subject = "", ""
    if kind == ANTWORT:
        if reply_to not in {q.note_id for q in row.open_questions}:
            raise _err("reply_to", f"bitte eine offene Frage an {row.name} {year} wählen.")
    else:
        reply_to = None
    return int(db.query_rows(con, "insert_round_note", year=year, member_id=member_id, kind=kind,
                             subject=subject, resolution=resolution, figure=figure,
                             reply_to=reply_to, text=body, entered_at=at or datetime.now(),
                             entered_by=viewer.user or viewer.label,
                             is_demo=_demo(viewer, is_demo))[0][0])  # fmt: skip


def deck_reasons(con: duckdb.DuckDBPyConnection, viewer: Viewer, rep: report.Report) -> dict:
    """member id → the current Begründung of the report's year, for the members of ``rep`` that
    are behind their own path and have one the viewer may read (the deck's member slides)."""
    if not viewer.sees_member_data:
        return {}
    notes = [Note(*r) for r in db.query_rows(con, "round_notes", year=rep.year, **viewer.params())]
    latest = {n.member_id: n for n in notes if n.kind == BEGRUENDUNG}
    return {m: latest[m].text for m, row in rep.member.items()
            if m in latest and round_checks.behind(row)}  # fmt: skip


def seed_demo(con: duckdb.DuckDBPyConnection) -> None:
    """The demo rounds 2025 and 2026 from ``data/demo_round.csv`` (Demodaten (fiktiv)), written
    with the same checks as every entry, flagged ``is_demo``, inside demo.seed's transaction."""
    for r in reference.read_table("demo_round.csv"):
        who = (Viewer(role="netzwerk", name="Demo-Generator", user="Demo-Generator")
               if r["by"] == "netzwerk" else
               Viewer(role="mitglied", member_id=r["member"], name="Demo-Generator",
                      user="Demo-Generator"))  # fmt: skip
        at, year = datetime.fromisoformat(r["at"]), int(r["year"])
        if r["action"] == "runde":
            open_round(con, who, year, r["due_on"], float(r["jump_pct"]), at=at, is_demo=True)
        elif r["action"] == "status":
            set_status(con, who, year, r["member"], r["status"], r["text"], at=at, is_demo=True)
        else:
            row = overview(con, NETWORK_MANAGER, year).row(r["member"])
            reply = row.open_questions[-1].note_id if r["kind"] == ANTWORT else None
            add_note(con, who, year, r["member"], r["kind"], r["text"], subject=r["subject"],
                     resolution=r["resolution"], reply_to=reply, at=at, is_demo=True)  # fmt: skip
