"""Fortschritt des Netzwerks: the public page (not logged in), the only page of the public role.

Every figure comes from the report snapshot for :data:`PUBLIC` (``kek_data.report``): the network
total only where enough members contribute (``access.total_shown``), the members that consented
to be named (``namentlich``) with their key figures; nothing else.
"""

import streamlit as st

from kek_data import access, views, wording
from kek_data.numbers import format_number, format_pct
from kek_data.viewer import PUBLIC
from ui import auth, data, exports, frame

frame.require_app()
db_path = data.db_file()

frame.header(
    "Fortschritt des Netzwerks",
    "Emissionen der Mitglieder des Konsultationskreises Energieeffizienz und Klimaschutz (KEK) "
    "Dortmund zusammen (Scope 1 und 2, BISKO-Faktoren) gegen den Pfad zur "
    "Treibhausgasneutralität 2035.",
)
auth.notice()
if not data.has_data(db_path):
    st.info("Noch keine Daten veröffentlicht.")
    auth.login_hint("kek-login-page")
    st.stop()
rep = data.report(PUBLIC, db_path)
kpi = rep.network

st.markdown(f"**Stand:** {rep.ctx.as_of} · Berichtsjahr **{rep.year}**")
st.markdown(f"**Vollständigkeit:** {rep.coverage_text()}")

if kpi.latest is None:
    st.info(f"Netzwerksumme {rep.year}: {access.WITHHELD}.")
else:
    st.caption("Kennzahlen in t CO₂e (Scope 1 und 2), alle Mitglieder zusammen.")
    c1, c2, c3 = st.columns(3)
    c1.metric(f"Emissionen {rep.year}", format_number(kpi.latest, 0))
    c2.metric(f"Veränderung ggü. {kpi.base_year}", format_pct(kpi.change_pct, 1, signed=True))
    c3.metric(
        f"Netzwerkpfad {rep.year}",
        format_number(kpi.path_latest, 0),
        help="Wert des gemeinsamen Pfads zur Treibhausgasneutralität im Berichtsjahr.",
    )
    frame.chart(
        data.chart(
            PUBLIC,
            db_path,
            "netzwerk",
            summary=f"{rep.year}: {wording.t(kpi.latest)}, {wording.change(kpi.change_pct)} "
            f"ggü. {kpi.base_year}, Netzwerkpfad {wording.t(kpi.path_latest)}. "
            f"{rep.coverage_text()}.",
        ),
        "netzwerk",
    )
    if note := data.factor_note(db_path):
        st.caption(note)

frame.section("Mitglieder, die ihre Zahlen namentlich veröffentlichen")
table = views.member_table(rep)
if table.empty:
    st.markdown("Bisher veröffentlicht kein Mitglied seine Zahlen namentlich.")
else:
    frame.table(views.german(table))
    exports.table_downloads(table, "mitglieder_namentlich")
n_named = len(rep.member)
n_all = rep.coverage.n_members
st.markdown(
    f"Von {n_all} Mitgliedern mit Meldungen {'zeigt' if n_named == 1 else 'zeigen'} "
    f"{n_named} {'seine' if n_named == 1 else 'ihre'} Zahlen hier mit Namen. Jedes Mitglied "
    "entscheidet selbst:\n"
    "- **namentlich**: Zahlen mit Namen, hier und für die anderen Mitglieder;\n"
    "- **nur im Gesamtwert**: in der Netzwerksumme enthalten, einzeln nicht öffentlich "
    "(andere Mitglieder sehen es als „Mitglied A“ usw.);\n"
    "- **intern**: nur das Netzwerkmanagement und die Stadt sehen die Zahlen; sie zählen "
    "trotzdem in der Netzwerksumme.\n\n"
    f"Eine Summe wird nur gezeigt, wenn mindestens {access.MIN_CONTRIBUTORS} Mitglieder zu ihr "
    "beitragen, damit sich kein einzelnes Mitglied herausrechnen lässt."
)

frame.section("Für Mitglieder")
st.markdown(
    "Mitglieder, das Netzwerkmanagement und die Stadt sehen nach der Anmeldung ihre Daten, "
    "laden Meldungen hoch und exportieren Berichte."
)
auth.login_hint("kek-login-page")
