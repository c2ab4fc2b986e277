"""Vergleich: members side by side — indexed to the base year, achieved vs required, shares."""

import streamlit as st

from kek_data import views, wording
from ui import data, exports, frame, page_charts

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()

frame.header("Vergleich", "Die Mitglieder nebeneinander: Entwicklung, Tempo und Anteile.")
rep = data.report(viewer, db_path) if data.has_data(db_path) else None
if rep is None or not rep.member:
    st.info("Für diese Ansicht sind keine Mitgliedsdaten freigegeben oder vorhanden.")
    st.stop()

names = {m: r.short_name for m, r in rep.member.items()}
chosen = st.multiselect(
    "Mitglieder",
    list(names),
    default=views.default_selection(rep),
    format_func=names.get,
    placeholder="Mitglieder auswählen",
)
frame.chart(
    page_charts.chart(viewer, db_path, "vergleich-index", chosen=tuple(chosen)), "vergleich-index"
)
frame.chart(
    page_charts.chart(viewer, db_path, "vergleich-raten", chosen=tuple(chosen)), "vergleich-raten"
)
st.caption(
    "Beide Raten linear in % der Emissionen des Jahres, mit dem das Mitglied zählt, pro Jahr. "
    f"Erreicht: mittlere Minderung pro Jahr der {wording.LAST_YEARS}. Nötig: mittlere Minderung "
    f"pro Jahr bis zum eigenen Pfadwert {views.first_reference_year(rep)}. Ein Jahr in "
    "Klammern: das letzte vollständige Jahr dieses Mitglieds, wenn das Berichtsjahr "
    f"{rep.year} unvollständig gemeldet ist."
)

if views.total_withheld(rep):
    st.info(f"{views.withheld_text(rep)}.", icon=":material/visibility_off:")
else:
    frame.chart(
        page_charts.chart(viewer, db_path, "anteile"), "anteile"
    )  # shares of the whole network
    share = views.share_display(rep)
    frame.table(views.german(share), width="content")
    exports.table_downloads(share, "anteile")
    if not viewer.sees_all_members:
        st.caption(
            "„Übrige Mitglieder“: die Mitglieder, deren Zahlen für diese Ansicht nicht einzeln "
            "freigegeben sind; sie zählen in der Netzwerksumme."
        )
st.caption(rep.coverage_text())
frame.how_computed("raten")
