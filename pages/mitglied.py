"""Mitglied: one member's emissions by carrier and scope against its path, KPIs, completeness."""

import streamlit as st

from kek_data import charts, views, wording
from kek_data.numbers import format_number, format_pct
from ui import data, frame

frame.require_app()
path = data.db_file()
viewer = data.current_viewer()
ctx = data.context(path)
members = data.members(viewer, path)

frame.header("Mitglied", "Emissionen eines Mitglieds nach Energieträger und Scope gegen sein Ziel.")
if members.empty:
    st.info("Für diese Ansicht sind keine Mitgliedsdaten freigegeben.")
    st.stop()

names = dict(zip(members["member_id"], members["short_name"], strict=True))
member_id = st.selectbox(
    "Mitglied", list(names), format_func=names.get, key="member", disabled=len(names) == 1
)
full_name = members.set_index("member_id").loc[member_id, "name"]
kpi = data.member_kpis(viewer, path)[member_id]
target = data.targets(viewer, path).get(member_id)
st.subheader(full_name)
if target:
    st.markdown(
        f"**Ziel:** {target.describe()} · Grundlage: {target.basis}"
        + (" (Demodaten)" if target.is_demo else "")
    )
    st.caption(f"Quelle des Ziels: {target.source}")
else:
    st.markdown("**Ziel:** noch nicht vereinbart.")

if kpi.latest_year is None:
    st.info("Für dieses Mitglied liegen noch keine Daten vor.")
    st.stop()

c1, c2, c3, c4 = st.columns(4)
c1.metric(f"Emissionen {kpi.latest_year} [t CO₂e]", format_number(kpi.latest, 0))
c2.metric(f"Veränderung ggü. {kpi.base_year}", format_pct(kpi.change_pct, 1, signed=True))
c3.metric(
    f"Abstand zum Pfad {kpi.latest_year} [t CO₂e]",
    format_number(kpi.gap_latest, 0),
    help="Ist minus eigener Zielpfad; positiv = über dem Pfad.",
)
c4.metric("Status", views.STATUS_LABEL.get(kpi.status, kpi.status))

detail = data.detail(viewer, path)
mine = detail[detail["member_id"] == member_id]
carrier_names = data.carrier_names(path)
tab1, tab2 = st.tabs(["Nach Energieträger", "Nach Scope"])
with tab1:
    frame.chart(
        charts.member_breakdown(
            mine, "carrier_id", kpi.path, f"{names[member_id]}: Emissionen nach Energieträger",
            ctx, carrier_names,
        ),
        f"mitglied-{member_id}",
    )  # fmt: skip
with tab2:
    frame.chart(
        charts.member_breakdown(
            mine, "scope", kpi.path, f"{names[member_id]}: Emissionen nach Scope", ctx,
            carrier_names,
        ),
        f"mitglied-scope-{member_id}",
    )  # fmt: skip

st.subheader("Was es braucht")
r1, r2, r3 = st.columns(3)
r1.metric(
    "Nötig bis 2030",
    "–" if kpi.required_2030 is None else f"{format_number(kpi.required_2030.t_per_year, 0)} t/a",
    help="Durchschnittliche Minderung pro Jahr vom letzten Berichtsjahr bis zum Pfadwert 2030.",
)
r2.metric(
    "Erreicht (letzte 5 Jahre)",
    "–" if kpi.achieved is None else f"{format_number(kpi.achieved.t_per_year, 0)} t/a",
)
r3.metric("Null erreicht im Trend", wording.zero_year(kpi.zero_year))

st.subheader("Vollständigkeit der Meldungen")
comp = data.completeness(viewer, path)
comp = comp[(comp["member_id"] == member_id) & (comp["status"] != "vollständig")]
if comp.empty:
    st.success("Alle Jahre sind mit allen Energieträgern gemeldet.")
else:
    st.dataframe(
        comp.rename(columns={"year": "Jahr", "status": "Status", "missing_carriers": "Es fehlen"})[
            ["Jahr", "Status", "Es fehlen"]
        ].astype({"Jahr": str}),
        hide_index=True,
    )
