"""Vergleich: members side by side — indexed to the first year, achieved vs required, shares."""

import streamlit as st

from kek_data import charts, views
from ui import data, exports, frame

frame.require_app()
path = data.db_file()
viewer = data.current_viewer()
ctx = data.context(path)
members = data.members(viewer, path)

frame.header("Vergleich", "Die Mitglieder nebeneinander: Entwicklung, Tempo und Anteile.")
if members.empty:
    st.info("Für diese Ansicht sind keine Mitgliedsdaten freigegeben.")
    st.stop()

detail = data.detail(viewer, path)
kpis = data.member_kpis(viewer, path)
totals = data.member_totals(viewer, path)
chosen = st.multiselect(
    "Mitglieder",
    list(members["member_id"]),
    default=views.default_selection(totals, members),
    format_func=dict(zip(members["member_id"], members["short_name"], strict=True)).get,
)
shown = members[members["member_id"].isin(chosen)]
by_member = data.member_series(viewer, path)
series = {m: by_member.get(m, {}) for m in chosen}

base_years = {m: k.base_year for m, k in kpis.items() if k.base_year is not None}
frame.chart(charts.indexed(series, shown, ctx, base_years), "vergleich-index")
rates = views.rates_table(kpis, shown)
frame.chart(charts.rates(rates, ctx), "vergleich-raten")
st.caption(
    "Beide Raten linear in % der Emissionen des letzten Berichtsjahres pro Jahr. Erreicht: "
    "mittlere "
    "Minderung pro Jahr der letzten fünf Jahre. Nötig: mittlere Minderung pro Jahr vom letzten "
    "Berichtsjahr bis zum eigenen Pfadwert 2030 (kek_data/paths.py: achieved_rate, "
    "required_rate; kek_data/views.py: rates_table). Ein Jahr in Klammern: das letzte "
    "vollständige Berichtsjahr dieses Mitglieds, wenn es älter ist als das der anderen."
)

year = int(totals.index.max())
shares = views.share_table(totals, members, year)  # all members: shares of the network
network = data.network_totals(path).set_index("year")["t_co2e"]
frame.chart(charts.shares(shares, ctx, year), "anteile")
share = views.share_display(shares, float(network.get(year, 0.0)), year)
st.dataframe(views.german(share), hide_index=True)
exports.table_downloads(share, "anteile")
