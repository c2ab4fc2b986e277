"""View helpers of the page Berichtsrunde: the table of the round, a member's details, saving.

Every user-supplied text that goes through Markdown (questions, answers, comments, reasons) is
escaped with :func:`ui.text.plain`; table cells are plain text already.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from kek_data import round_checks, round_model
from kek_data.errors import KekError
from kek_data.numbers import format_date, format_plain
from kek_data.round_model import MemberYear, Note, Overview
from ui import data
from ui.text import plain

SAID = "kek-r-said"


def save(write: Callable, said: str) -> None:
    """Run ``write(cursor)``; on success drop the caches and rerun (the message survives the
    rerun), else show the German problem (nothing was written)."""
    try:
        with data.cursor() as cur:
            write(cur)
    except KekError as exc:
        st.error("Nicht gespeichert:  \n" + plain(exc))
    else:
        data.data_changed()
        st.session_state[SAID] = said
        st.rerun()


def said() -> None:
    """Show the message of the last successful save (after its rerun)."""
    if text := st.session_state.pop(SAID, None):
        st.success(plain(text), icon=":material/check:")


def default_year(known: dict, today: date) -> int | None:
    """The round being finished: the newest whose due date has passed, else the newest."""
    past = [y for y, r in known.items() if r.due_on <= today]
    return max(past) if past else max(known, default=None)


def reason_cell(row: MemberYear) -> str:
    if row.reason is not None:
        return "gegeben" if row.behind else "gegeben (ohne Rückstand)"
    return "fehlt (Rückstand)" if row.behind else "nicht nötig"


def table(ov: Overview) -> pd.DataFrame:
    """One row per member: status, due date, late since, open questions and jumps, reason."""
    due = format_date(ov.round.due_on) if ov.round else "–"
    return pd.DataFrame(
        [
            {
                "Mitglied": r.name,
                "Status": round_model.status_text(r, late=False),
                "Frist": due,
                "überfällig": round_model.late_text(r),
                "offene Fragen": len(r.open_questions),
                "offene Sprünge": len(r.open_jumps),
                "Begründung": reason_cell(r),
            }
            for r in ov.members
        ]
    )


def label(row: MemberYear) -> str:
    """The expander label of a member-year: name, status and what is still open."""
    rest = row.blockers()
    if row.late_days is not None:
        rest.insert(0, f"{round_model.late_text(row)} überfällig")
    return f"{plain(row.name)}: {row.status}" + (f" · {', '.join(rest)}" if rest else "")


def _who(n: Note) -> str:
    return f"{format_date(n.entered_at.date())}, {plain(n.entered_by)}"


def detail(row: MemberYear) -> None:
    """A member-year in full: jumps, questions and answers, reason, history (oldest first)."""
    st.markdown("**Sprünge gegenüber dem Vorjahr**")
    if not row.jumps:
        st.caption("Keine Sprünge über der Schwelle.")
    for j in row.jumps:
        state = "offen" if j in row.open_jumps else "erledigt"
        st.markdown(f"- {plain(round_checks.jump_text(j))} · **{state}**")
    st.markdown("**Fragen und Antworten**")
    if not row.questions:
        st.caption("Keine Fragen.")
    for q, a in row.questions:
        answer = f"Antwort ({_who(a)}): {plain(a.text)}" if a else "*noch nicht beantwortet*"
        st.markdown(f"- Frage ({_who(q)}): {plain(q.text)}\n  - {answer}")
    st.markdown("**Begründung**" + (" (Rückstand zum eigenen Pfad)" if row.behind else ""))
    if row.reason:
        st.markdown(f"{plain(row.reason.text)}  \n*({_who(row.reason)})*")
    else:
        st.caption("Begründung fehlt." if row.behind else "Nicht nötig (nicht im Rückstand).")
    st.markdown("**Verlauf**")
    lines = [(e.entered_at, f"Status „{e.status}“" + (f": {e.comment}" if e.comment else ""),
              e.entered_by) for e in row.history]  # fmt: skip
    subjects = {j.subject: j.label for j in row.jumps} | {round_checks.TOTAL: "Gesamt"}
    lines += [(n.entered_at, _note_line(n, subjects), n.entered_by) for n in row.notes]
    if row.uploaded:
        lines.append((row.uploaded, "neueste Meldung des Jahres hochgeladen (gilt als "
                      "eingereicht)", "Upload"))  # fmt: skip
    if not lines:
        st.caption("Noch keine Einträge.")
    for at, text, who in sorted(lines, key=lambda x: x[0]):
        st.markdown(f"- {format_date(at.date())} · {plain(who)}: {plain(text)}")


def _note_line(n: Note, subjects: dict[str, str]) -> str:
    jump = subjects.get(n.subject, n.subject)
    kind = {"sprung": f"Sprung {jump} {n.resolution}", "begruendung": "Begründung",
            "frage": "Frage", "antwort": "Antwort"}[n.kind]  # fmt: skip
    return f"{kind}: {n.text}"


def round_caption(ov: Overview) -> str:
    r = ov.round
    assert r is not None
    return (f"Frist {format_date(r.due_on)} · Sprung-Schwelle {format_plain(r.jump_pct)} % "
            f"gegenüber dem Vorjahr (Änderungen unter {format_plain(round_checks.MIN_CHANGE_T)} t "
            f"CO₂e zählen nicht) · eröffnet {format_date(r.opened_at.date())}, zuletzt geändert "
            f"{format_date(r.changed_at.date())} von {plain(r.changed_by)}")  # fmt: skip
