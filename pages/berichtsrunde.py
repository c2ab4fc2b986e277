"""Berichtsrunde: per reporting year who reported, who is late, open questions, jumps, reasons.

Network management and city see every member's row; a member only its own (``kek_data.rounds``
filters on the server). Network management opens a round (due date, jump threshold), sets a
status (a set-back with a comment) and asks questions; a member marks its year eingereicht,
confirms or corrects a flagged jump, answers and gives the Begründung when behind its path.
Every write checks the viewer in ``kek_data.rounds``, so a forged form cannot write.
"""

from datetime import date

import streamlit as st

from kek_data import round_checks, rounds
from kek_data.numbers import format_date
from ui import data, frame
from ui import round_view as view

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()
frame.header(
    "Berichtsrunde",
    "Je Berichtsjahr der Stand der Meldungen: angefragt → eingereicht → geprüft → freigegeben, "
    "Frist und Verzug, offene Fragen, Sprünge gegenüber dem Vorjahr und die Begründung bei "
    "Rückstand zum eigenen Zielpfad. Netzwerkintern.",
)
if not viewer.sees_member_data:
    st.error("Die Berichtsrunde ist intern; bitte anmelden.")
    st.stop()
view.said()

today = date.today()
known = data.round_years(viewer, db_path)
choices = sorted(set(known) | ({today.year - 1, today.year} if viewer.manages else set()))
if not choices:
    st.info("Noch keine Berichtsrunde eröffnet; das macht das Netzwerkmanagement.")
    st.stop()
first = view.default_year(known, today) or choices[-1]
year = st.selectbox("Berichtsjahr", choices, index=choices.index(first), key="kek-r-year")
ov = data.round_overview(viewer, db_path, year)

if ov.round is None:
    st.info(f"Für {year} ist noch keine Berichtsrunde eröffnet.")
else:
    if ov.frozen:
        st.warning(f"Das Berichtsjahr {year} ist eingefroren: die Runde ist abgeschlossen.",
                   icon=":material/lock:")  # fmt: skip
    st.caption(view.round_caption(ov))
    rows = ov.members
    c1, c2, c3, c4 = st.columns(4)
    c1.metric("Freigegeben", f"{ov.n_released} von {len(rows)}")
    c2.metric("Überfällig", ov.n_late)
    c3.metric("Offene Fragen", sum(len(r.open_questions) for r in rows))
    c4.metric("Begründung fehlt", sum(r.reason_missing for r in rows))
    frame.section("Die Runde auf einen Blick" if viewer.sees_all_members else "Ihre Meldung")
    frame.table(view.table(ov))
    st.caption("Überfällig: Frist verstrichen und noch „angefragt“. „eingereicht“ gilt auch "
               "ohne Klick, sobald eine Meldung des Jahres hochgeladen ist. Rückstand: Ampel rot "
               "(mehr als die Toleranz über dem eigenen Zielpfad).")  # fmt: skip
    for r in rows:
        with st.expander(view.label(r), expanded=not viewer.sees_all_members):
            view.detail(r)

if ov.frozen or not viewer.writes:
    st.stop()
if viewer.manages:
    frame.section("Eintragen (Netzwerkmanagement)")
    with st.form("kek-r-round"):
        st.markdown(f"**Berichtsrunde {year} eröffnen oder ändern**")
        f1, f2 = st.columns(2)
        old = ov.round
        due = f1.date_input("Frist", old.due_on if old else date(year + 1, 5, 31),
                            format="DD.MM.YYYY", key="kek-r-due")  # fmt: skip
        share = f2.number_input("Sprung-Schwelle [%]", 1.0, 100.0,
                                old.jump_pct if old else round_checks.DEFAULT_JUMP_PCT, 1.0,
                                format="%.0f", key="kek-r-share")  # fmt: skip
        if st.form_submit_button("Runde speichern", type="primary", key="kek-r-round-save"):
            view.save(lambda c: rounds.open_round(c, viewer, year, due, share),
                      f"Berichtsrunde {year}: Frist {format_date(due)}.")  # fmt: skip
if ov.round is None:
    st.stop()
names = {r.member_id: r.name for r in ov.members}
if viewer.manages:
    with st.form("kek-r-status", clear_on_submit=True):
        st.markdown("**Status setzen** (zurücksetzen nur mit Kommentar)")
        s1, s2 = st.columns(2)
        who = s1.selectbox("Mitglied", list(names), format_func=names.get, key="kek-r-s-member")
        new = s2.selectbox("Status", rounds.STATUSES, index=2, key="kek-r-s-status")
        note = st.text_input("Kommentar", key="kek-r-s-comment")
        if st.form_submit_button("Status speichern", type="primary", key="kek-r-s-save"):
            view.save(lambda c: rounds.set_status(c, viewer, year, who, new, note),
                      f"{names[who]} {year}: {new}.")  # fmt: skip
    with st.form("kek-r-ask", clear_on_submit=True):
        st.markdown("**Frage an ein Mitglied**")
        who_q = st.selectbox("Mitglied", list(names), format_func=names.get, key="kek-r-q-member")
        question = st.text_area("Frage", key="kek-r-q-text")
        if st.form_submit_button("Frage stellen", type="primary", key="kek-r-q-save"):
            view.save(lambda c: rounds.add_note(c, viewer, year, who_q, rounds.FRAGE, question),
                      f"Frage an {names[who_q]} gestellt.")  # fmt: skip
    st.stop()

mine = ov.row(viewer.member_id or "")
frame.section("Eintragen (eigene Meldung)")
if mine.status == rounds.ANGEFRAGT and st.button("Meldung als eingereicht melden",
                                                 key="kek-r-m-submit"):  # fmt: skip
    view.save(lambda c: rounds.set_status(c, viewer, year, mine.member_id, rounds.EINGEREICHT),
              f"{year}: als eingereicht gemeldet.")  # fmt: skip
if mine.open_jumps:
    with st.form("kek-r-jump", clear_on_submit=True):
        st.markdown("**Sprung bestätigen oder korrigieren** (Kommentar nötig)")
        jump = st.selectbox("Sprung", mine.open_jumps, format_func=round_checks.jump_text,
                            key="kek-r-j-jump")  # fmt: skip
        outcome = st.radio("Ergebnis", rounds.RESOLUTIONS, horizontal=True, key="kek-r-j-res",
                           help="korrigiert: erst die berichtigte Datei hochladen.")  # fmt: skip
        why = st.text_input("Kommentar", key="kek-r-j-comment")
        if st.form_submit_button("Speichern", type="primary", key="kek-r-j-save") and jump:
            view.save(lambda c: rounds.add_note(c, viewer, year, mine.member_id, rounds.SPRUNG,
                                                why, subject=jump.subject, resolution=outcome),
                      f"Sprung {jump.label}: {outcome}.")  # fmt: skip
if mine.open_questions:
    with st.form("kek-r-answer", clear_on_submit=True):
        st.markdown("**Frage beantworten**")
        asked = st.selectbox("Frage", mine.open_questions, format_func=lambda q: q.text[:120],
                             key="kek-r-a-question")  # fmt: skip
        reply = st.text_area("Antwort", key="kek-r-a-text")
        if st.form_submit_button("Antworten", type="primary", key="kek-r-a-save") and asked:
            view.save(lambda c: rounds.add_note(c, viewer, year, mine.member_id, rounds.ANTWORT,
                                                reply, reply_to=asked.note_id),
                      "Antwort gespeichert.")  # fmt: skip
with st.form("kek-r-reason", clear_on_submit=True):
    need = "nötig: Rückstand zum eigenen Zielpfad" if mine.behind else "nicht nötig"
    st.markdown(f"**Begründung {year}** ({need}; eine neue ersetzt die alte, der Verlauf bleibt)")
    reason = st.text_area("Begründung", key="kek-r-r-text")
    if st.form_submit_button("Begründung speichern", type="primary", key="kek-r-r-save"):
        view.save(lambda c: rounds.add_note(c, viewer, year, mine.member_id, rounds.BEGRUENDUNG,
                                            reason), "Begründung gespeichert.")  # fmt: skip
