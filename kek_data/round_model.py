"""The records of a reporting round: statuses, note kinds, rounds, entries, notes, member rows.

Why: :mod:`kek_data.rounds` (rules, reads and writes) and the page share these names; the
rules themselves are documented and enforced in :mod:`kek_data.rounds`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from kek_data.errors import UnknownMember
from kek_data.numbers import format_count, format_date
from kek_data.round_checks import Jump

STATUSES = ("angefragt", "eingereicht", "geprüft", "freigegeben")
ANGEFRAGT, EINGEREICHT, GEPRUEFT, FREIGEGEBEN = STATUSES
FROZEN = "eingefroren"
SPRUNG, BEGRUENDUNG, FRAGE, ANTWORT = KINDS = ("sprung", "begruendung", "frage", "antwort")
RESOLUTIONS = ("bestätigt", "korrigiert")
#: Allowed jump threshold [%]; longest comment or note [characters].
JUMP_PCT_MIN, JUMP_PCT_MAX, MAX_TEXT = 1.0, 100.0, 2000
LABELS = {
    "year": "Berichtsjahr", "due_on": "Frist", "jump_pct": "Sprung-Schwelle",
    "status": "Status", "comment": "Kommentar", "text": "Text", "kind": "Art",
    "subject": "Sprung", "resolution": "Ergebnis", "reply_to": "Frage", "member_id": "Mitglied",
}  # fmt: skip


@dataclass(frozen=True)
class Round:
    """The round of a reporting year (newest version); ``opened_at`` = its first version."""

    year: int
    due_on: date
    jump_pct: float  # [%]
    changed_at: datetime
    changed_by: str
    opened_at: datetime
    is_demo: bool


@dataclass(frozen=True)
class Entry:
    """A status entry of a member-year."""

    entry_id: int
    member_id: str
    status: str
    comment: str
    entered_at: datetime
    entered_by: str


@dataclass(frozen=True)
class Note:
    """A note of a member-year (see module docstring); ``figure`` [kWh or t CO₂e]."""

    note_id: int
    member_id: str
    kind: str
    subject: str
    resolution: str
    figure: float | None
    reply_to: int | None
    text: str
    entered_at: datetime
    entered_by: str


@dataclass(frozen=True)
class MemberYear:
    """One member's row of the round."""

    member_id: str
    name: str
    status: str
    since: datetime | None  # time of the status (entry, upload or opening of the round)
    derived: bool  # eingereicht from an upload, not from an entry
    late_days: int | None  # [d] since the due date, None if not late
    jumps: tuple[Jump, ...]
    open_jumps: tuple[Jump, ...]
    questions: tuple[tuple[Note, Note | None], ...]  # (frage, antwort or None), oldest first
    behind: bool
    reason: Note | None  # the current Begründung
    history: tuple[Entry, ...] = ()
    notes: tuple[Note, ...] = ()
    uploaded: datetime | None = None  # newest active upload holding rows of the year

    @property
    def open_questions(self) -> list[Note]:
        return [q for q, a in self.questions if a is None]

    @property
    def reason_missing(self) -> bool:
        return self.behind and self.reason is None

    def blockers(self) -> list[str]:
        """What still stands before „freigegeben“ (German, empty when nothing)."""
        out = []
        if self.open_jumps:
            out.append(format_count(len(self.open_jumps), "offener Sprung", "offene Sprünge"))
        if self.open_questions:
            out.append(format_count(len(self.open_questions), "offene Frage", "offene Fragen"))
        if self.reason_missing:
            out.append("Begründung fehlt")
        return out


@dataclass(frozen=True)
class Overview:
    """The round of ``year`` for a viewer, as of ``today``."""

    year: int
    today: date
    round: Round | None
    frozen: bool
    members: tuple[MemberYear, ...] = field(default_factory=tuple)

    @property
    def n_released(self) -> int:
        return sum(m.status == FREIGEGEBEN for m in self.members)

    @property
    def n_late(self) -> int:
        return sum(m.late_days is not None for m in self.members)

    def row(self, member_id: str) -> MemberYear:
        for m in self.members:
            if m.member_id == member_id:
                return m
        raise UnknownMember(f"Mitglied „{member_id}“ ist in der Berichtsrunde {self.year} nicht "
                            "sichtbar oder unbekannt.")  # fmt: skip


def late_text(row: MemberYear) -> str:
    """„seit 185 Tagen“ (overdue since the due date) or „–“."""
    return "–" if row.late_days is None else f"seit {format_count(row.late_days, 'Tag', 'Tagen')}"


def status_text(row: MemberYear, late: bool = True) -> str:
    """German status cell, e.g. „eingereicht · Upload 15.03.2026“, „angefragt · 10.04.2026 ·
    seit 185 Tagen überfällig“ (without the last part when ``late`` is False)."""
    text = row.status
    if row.derived and row.since:
        text += f" · Upload {format_date(row.since.date())}"
    elif row.since and row.status != FROZEN:
        text += f" · {format_date(row.since.date())}"
    if late and row.late_days is not None:
        text += f" · {late_text(row)} überfällig"
    return text
