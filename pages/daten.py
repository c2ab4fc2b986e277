"""Daten: filterable activity data and derived emissions, completeness heatmap member × year.

Emissions = quantity × conversion (kWh Heizwert) × factor: view ``emissions`` in
kek_data/sql/migrations/001_init.sql. Both tables list members in the network's order
(``sort_order``), then year and carrier, as every other page does.
"""

import streamlit as st

from kek_data import scope2, views
from kek_data.numbers import format_number
from ui import data, exports, frame, page_charts

MAX_ROWS = 5000  # rows shown on screen; downloads carry all
frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()
members = data.members(viewer, db_path)

frame.header("Daten", "Gemeldete Verbrauchsdaten und die daraus berechneten Emissionen.")
if data.basis() != scope2.DEFAULT:
    st.caption(scope2.LOCATION_ONLY)
if members.empty or not data.has_data(db_path):
    st.info("Für diese Ansicht sind keine Mitgliedsdaten freigegeben oder vorhanden.")
    st.stop()

names = dict(zip(members["member_id"], members["short_name"], strict=True))
carrier_names = data.carrier_names(db_path)
detail = data.detail(viewer, db_path)
years = sorted(detail["year"].unique().tolist()) or [2015]
f1, f2, f3 = st.columns([2, 2, 2])
chosen = f1.multiselect("Mitglieder", list(names), format_func=names.get, placeholder="alle")
carriers = f2.multiselect(
    "Energieträger", list(carrier_names), format_func=carrier_names.get, placeholder="alle"
)
year_range = f3.select_slider("Jahre", options=years, value=(years[0], years[-1]))

sel = detail[detail["year"].between(*year_range)]
if chosen:
    sel = sel[sel["member_id"].isin(chosen)]
if carriers:
    sel = sel[sel["carrier_id"].isin(carriers)]

frame.section("Emissionen je Mitglied, Jahr und Energieträger")
table = views.emissions_table(sel, names, carrier_names)
if len(table) > MAX_ROWS:
    st.info(
        f"{format_number(len(table), 0)} Zeilen – angezeigt werden die ersten "
        f"{format_number(MAX_ROWS, 0)}. Bitte mit den Filtern eingrenzen oder die Tabelle "
        "herunterladen."
    )
st.dataframe(
    views.german(table.head(MAX_ROWS), columns={"Emissionen [t CO₂e]": 1}),
    hide_index=True,
    width="stretch",
)
exports.table_downloads(table, "emissionen")
st.caption(
    f"{format_number(len(table), 0)} Zeilen, Summe "
    f"{format_number(table['Emissionen [t CO₂e]'].sum(), 1)} t CO₂e. Emissionen = Menge × "
    "Umrechnung in kWh (Heizwert) × Emissionsfaktor."
)
frame.how_computed("emissionen")

frame.section("Gemeldete Mengen (wie hochgeladen)")
if not viewer.sees_all_members:
    st.caption(
        "Nur die Meldungen Ihrer eigenen Organisation (Mengen, Standorte, Dateinamen); andere "
        "Mitglieder erscheinen oben nur mit ihren Emissionen, soweit sie sie freigegeben haben."
        if viewer.member_id
        else "Gemeldete Mengen und Dateien sieht nur das meldende Mitglied selbst."
    )
act = data.activity_table(viewer, db_path)
act = act[act["year"].between(*year_range)]
if chosen:
    act = act[act["member_id"].isin(chosen)]
if carriers:
    act = act[act["carrier_id"].isin(carriers)]
reported = views.activity_display(act)
st.dataframe(
    views.german(reported.head(MAX_ROWS), columns={"Menge": 1}), hide_index=True, width="stretch"
)
exports.table_downloads(reported, "gemeldete-mengen")

frame.section("Vollständigkeit")
frame.chart(page_charts.completeness_chart(viewer, db_path), "vollstaendigkeit")
st.caption(
    "✓ vollständig = alle Energieträger gemeldet, die das Mitglied in irgendeinem Jahr gemeldet "
    "hat; ◐ teilweise = einige davon; ✗ fehlt = keine Meldung."
)
frame.how_computed("vollstaendigkeit")
