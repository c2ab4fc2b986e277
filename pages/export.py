"""Export: the meeting deck, the data package and single charts in presentation quality."""

import streamlit as st

from kek_data import access, config, scope2
from kek_data.errors import KekError
from kek_data.export import figures, public_site
from ui import data, exports, frame, page_charts
from ui.text import plain

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()

frame.header(
    "Export",
    "Material für Netzwerktreffen, Ausschüsse und Öffentlichkeit – mit den Zahlen von jetzt.",
)
if data.basis() != scope2.DEFAULT:
    st.caption(scope2.LOCATION_ONLY)

frame.section("Sitzungsfoliensatz")
st.caption(
    "PowerPoint-Datei (16:9, PPTX) mit Titel, Netzwerküberblick, Netzwerkpfad, einer Folie je "
    "gewähltem Mitglied (Diagramm, Kennzahlen, Ampel), Vergleich, Pfad & Lücke, Methodik und "
    "Quellen. Alle Texte und Tabellen bleiben in PowerPoint bearbeitbar; die Diagramme sind "
    "hochaufgelöste Bilder."
)
exports.deck_builder()

frame.section("Datenpaket")
st.caption(
    "ZIP-Datei mit allen Tabellen als CSV (für deutsches Excel: Semikolon, Dezimalkomma) und als "
    "Excel-Arbeitsmappe sowie einer README.txt, die jede Spalte und Einheit erklärt."
)
exports.data_package_download()

if viewer.manages:  # issue 13: the public view as a static website (export public)
    frame.subsection("Öffentliche Seite als statische Website")
    target = config.public_dir(data.live_file())
    st.caption(
        "Die öffentliche Ansicht („Fortschritt des Netzwerks“) als statische Website für den "
        "Webserver der Stadt, mit Diagramm zum Einbetten, PNG, SVG und CSV. Verzeichnis: "
        + plain(target)
    )
    if st.button("Öffentliche Seite neu erzeugen", key="public-site", icon=":material/public:"):
        try:
            access.check_manage(viewer, "die öffentliche Seite erzeugen")  # the viewer decides
            with st.spinner("Öffentliche Seite wird erzeugt …"), data.cursor() as cur:
                path = public_site.build(cur, target)  # always the live data, always PUBLIC
        except KekError as exc:
            st.error(plain(exc))  # it may name a path
        else:
            st.success(f"Öffentliche Seite neu erzeugt: {plain(path / 'index.html')}")

frame.section("Einzelnes Diagramm")
st.caption(
    "Unter jedem Diagramm des Dashboards stehen Knöpfe für PNG (2560 × 1440 Pixel, 16:9), SVG "
    "und PDF. Hier lässt sich jedes Diagramm auch direkt wählen."
)
if not data.has_data(db_path):
    st.info("Noch keine Daten vorhanden.")
    st.stop()
rep = data.report(viewer, db_path)  # consent-filtered: only members this view may see
left, right = st.columns(2)
name = left.selectbox("Diagramm", list(figures.NAMES), format_func=figures.NAMES.get)
member_id = None
if name in figures.MEMBER_CHARTS:
    if not rep.member:
        st.info("Für diese Ansicht sind keine Mitgliedsdaten freigegeben.")
        st.stop()
    names = {m: r.short_name for m, r in rep.member.items()}
    ids = list(names)
    own = ids.index(viewer.member_id) if viewer.member_id in names else 0
    member_id = right.selectbox("Mitglied", ids, index=own, format_func=names.get)
try:
    shown = page_charts.chart(viewer, db_path, name, member_id)  # the page's own cached figure
except KekError as exc:
    st.info(str(exc))
    st.stop()
frame.chart(shown, f"export-{name}" + (f"-{member_id}" if member_id else ""))
