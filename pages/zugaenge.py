"""Zugänge & Freigaben: publication consent per member (with history) and the login table.

Network management changes both (``access.set_consent``, ``accounts.assign``: they check the
viewer themselves, so a forged form cannot write); the city reads them; nobody else gets here
(navigation in app.py; the checks in kek_data refuse anyway).
"""

import pandas as pd
import streamlit as st

from kek_data import access, accounts
from kek_data.errors import KekError
from ui import data, frame
from ui.text import plain

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()

frame.header(
    "Zugänge & Freigaben",
    "Wer welche Zahlen sehen darf: die Veröffentlichungsfreigabe jedes Mitglieds und die "
    "Zuordnung der Anmeldungen zu Rollen.",
)
if not viewer.sees_all_members:
    st.error("Diese Seite sehen nur das Netzwerkmanagement und die Stadt.")
    st.stop()
if not viewer.manages:
    st.info("Nur lesen: Freigaben und Zugänge ändert das Netzwerkmanagement.")


def when(value: object) -> str:
    """A time stamp as "15.03.2026 12:00" ("–" without one)."""
    return "–" if pd.isna(value) else pd.Timestamp(value).strftime("%d.%m.%Y %H:%M")


def done(message: str) -> None:
    """After a write: drop the caches (every view changes) and say what was recorded."""
    data.data_changed()
    st.success(message, icon=":material/check:")


members = data.members(viewer, db_path)
names = dict(zip(members["member_id"], members["short_name"], strict=True))
levels = access.LEVELS

frame.section("Veröffentlichungsfreigabe")
st.caption(
    f"„{levels['namentlich']}“: Zahlen mit Namen für andere Mitglieder und die Öffentlichkeit · "
    f"„{levels['gesamt']}“: für andere Mitglieder als „Mitglied A“ …, nicht öffentlich · "
    f"„{levels['intern']}“: einzeln nur Netzwerkmanagement und Stadt; alle zählen in der "
    f"Netzwerksumme (mindestens {access.MIN_CONTRIBUTORS} Mitglieder)."
)
if viewer.manages:
    with st.form("kek-consent"):
        c1, c2 = st.columns(2)
        member_id = c1.selectbox("Mitglied", list(names), format_func=names.get, key="kek-c-member")
        level = c2.selectbox("Freigabe", list(levels), format_func=levels.get, key="kek-c-level")
        note = st.text_input(
            "Notiz (z. B. Beschluss, Schreiben vom …)", max_chars=300, key="kek-c-note"
        )
        if st.form_submit_button(
            "Freigabe speichern", type="primary", icon=":material/save:", key="kek-c-save"
        ):
            try:
                with data.cursor() as cur:
                    c = access.set_consent(
                        cur, viewer, member_id, level, note, is_demo=data.context(db_path).demo
                    )
            except KekError as exc:
                st.error(f"Die Freigabe wurde nicht geändert: {plain(exc)}")
            else:
                done(f"Freigabe von {plain(names[member_id])}: „{c.label}“ gespeichert.")

with data.cursor() as cur:
    current = access.consents(cur)
    history = access.consent_history(cur, viewer)
st.dataframe(
    pd.DataFrame(
        [
            {"Mitglied": names.get(m, m), "Freigabe": c.label, "seit": when(c.set_at),
             "gesetzt von": c.set_by or "–", "Notiz": c.note}
            for m, c in current.items()
        ]
    ),
    hide_index=True,
    width="stretch",
)  # fmt: skip
with st.expander("Verlauf aller Freigaben", icon=":material/history:"):
    st.dataframe(
        pd.DataFrame(
            {
                "Zeitpunkt": [when(t) for t in history["set_at"]],
                "Mitglied": history["member_id"].map(lambda m: names.get(m, m)),
                "Freigabe": history["level"].map(levels),
                "gesetzt von": history["set_by"],
                "Notiz": history["note"],
            }
        ),
        hide_index=True,
        width="stretch",
    )

frame.section("Zugänge")
st.caption(
    "Die Rolle einer Anmeldung kommt aus dieser Tabelle (Schlüssel: E-Mail-Adresse oder "
    "Kennung sub des Anmeldedienstes), sonst aus den Angaben des Anmeldedienstes. Rolle "
    "„gesperrt“ nimmt den Zugang weg."
)
roles = {"netzwerk": "Netzwerkmanagement", "stadt": "Stadt"}
roles |= {f"mitglied:{m}": f"Mitglied: {n}" for m, n in names.items()}
roles["none"] = "gesperrt"
if viewer.manages:
    with st.form("kek-login", clear_on_submit=True):
        c1, c2 = st.columns(2)
        key = c1.text_input(
            "Anmeldung", placeholder="name@example.org oder sub:KENNUNG", key="kek-l-key"
        )
        spec = c2.selectbox("Rolle", list(roles), format_func=roles.get, key="kek-l-role")
        if st.form_submit_button(
            "Zugang speichern", type="primary", icon=":material/key:", key="kek-l-save"
        ):
            try:
                with data.cursor() as cur:
                    saved, _, _ = accounts.assign(cur, viewer, key, spec)
            except KekError as exc:
                st.error(f"Der Zugang wurde nicht gespeichert: {plain(exc)}")
            else:
                done(f"Zugang {plain(saved)}: {plain(roles[spec])} gespeichert.")
with data.cursor() as cur:
    logins = accounts.logins(cur, viewer)
if logins.empty:
    st.info("Noch keine Zugänge eingetragen.")
else:
    pairs = zip(logins["role"], logins["member_id"], strict=True)
    spec_of = [f"mitglied:{m}" if r == "mitglied" else r for r, m in pairs]
    st.dataframe(
        pd.DataFrame(
            {
                "Anmeldung": logins["user_key"],
                "Rolle": [roles.get(s, s) for s in spec_of],
                "seit": [when(t) for t in logins["set_at"]],
                "gesetzt von": logins["set_by"],
            }
        ),
        hide_index=True,
        width="stretch",
    )
frame.how_computed("freigabe")
