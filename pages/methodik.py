"""Methodik: how every figure is computed (kek_data.methodology); factors, conversions, sources.

Each section heading carries its anchor (``methodology.ANCHORS``); the "Wie wird das berechnet?"
links of the other pages point there.
"""

import streamlit as st

from kek_data import methodology, views
from kek_data.numbers import format_number
from ui import data, exports, frame

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()
ref = data.reference_tables(db_path)
TABLES = {
    "emissionsfaktoren": "Emissionsfaktoren",
    "umrechnungen": "Umrechnungen in kWh (Heizwert)",
    "stadtbilanz": "Zur Einordnung: Territoriale Bilanz der Stadt Dortmund",
}

frame.header("Methodik", "Wie die Zahlen dieses Dashboards entstehen – und woher sie kommen.")
contents = [(s.anchor, s.title) for s in methodology.SECTIONS] + list(TABLES.items())
st.markdown("Inhalt: " + " · ".join(f"[{title}](#{anchor})" for anchor, title in contents))
if data.has_data(db_path):
    for line in methodology.facts(data.report(viewer, db_path)):
        st.text(line)  # target source as stored: text, never Markdown

for section in methodology.SECTIONS:
    frame.section(section.title, anchor=section.anchor)
    st.markdown(section.markdown)

frame.section(TABLES["emissionsfaktoren"], anchor="emissionsfaktoren")
st.caption(
    "Status „Sekundärquelle“: aus zweiter Hand übernommen, vor Verwendung in Gremien gegen die "
    "amtliche Tabelle prüfen. „abgeleitet“: berechnet (Rechenweg in der Spalte Herleitung)."
)
factors = views.factors_table(ref["factors"])
st.dataframe(
    views.german(factors, columns={"Faktor [g CO₂e/kWh]": 1}), hide_index=True, width="stretch"
)
exports.table_downloads(factors, "emissionsfaktoren")
if note := data.factor_note(db_path):
    st.markdown(note)

frame.section(TABLES["umrechnungen"], anchor="umrechnungen")
conversions = views.conversions_table(ref["conversions"])
st.dataframe(views.german(conversions, columns={"Faktor": 4}), hide_index=True, width="stretch")
exports.table_downloads(conversions, "umrechnungen")

frame.section(TABLES["stadtbilanz"], anchor="stadtbilanz")
city = data.city_balance()
st.dataframe(
    [
        {"Jahr": r["year"], "kt CO₂e": format_number(float(r["kt_co2e"]), 1),
         "Berechnungsstand": r["vintage"], "Quelle": r["source"]}
        for r in city
    ],
    hide_index=True,
    width="stretch",
)  # fmt: skip
st.caption(
    "Achtung Methodenbruch: Die Werte ab 2020 wurden neu berechnet und sind nicht direkt mit der "
    "Reihe bis 2018 vergleichbar. Das KEK-Dashboard bilanziert die Mitglieder, nicht das "
    "Stadtgebiet."
)
