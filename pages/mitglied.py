"""Mitglied: one member's emissions by carrier and scope against its db_path, KPIs, completeness."""

import streamlit as st

from kek_data import scope2, status, views, wording
from kek_data.numbers import format_number, format_pct
from ui import data, frame, page_charts, weather_view, wedge_view
from ui.text import plain

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()

frame.header("Mitglied", "Emissionen eines Mitglieds nach Energieträger und Scope gegen sein Ziel.")
rep = data.report(viewer, db_path) if data.has_data(db_path) else None
mine = frame.chosen_member(rep, viewer.member_id)  # stops without members for this view
member_id = mine.member_id
kpi, target = mine.kpi, mine.target
frame.section(mine.name)
if views.sector(mine):
    st.caption(f"Sektor: {plain(views.sector(mine))}")
if target:
    st.markdown(
        f"**Ziel:** {plain(target.describe())} · Grundlage: {plain(target.basis)}"
        + (" (Demodaten)" if target.is_demo else "")
    )
    st.caption(f"Quelle des Ziels: {plain(target.source)}")
else:
    st.markdown(
        "**Ziel:** noch nicht vereinbart."
        if rep.basis == scope2.TARGET_BASIS
        else "**Ziel:** marktbasiert kein Zielabgleich (Ziele: standortbezogen, Seite „Ziele“)."
    )

if kpi.latest_year is None:
    st.info("Für dieses Mitglied liegen noch keine Daten vor.")
    st.stop()
if kpi.latest_year != rep.year:
    st.warning(
        f"Meldung {rep.year}: {mine.state}"
        + (f" (es fehlen: {mine.missing_carriers})" if mine.missing_carriers else "")
        + f". Die Kennzahlen gelten für {kpi.latest_year}, das letzte vollständige Jahr.",
        icon=":material/info:",
    )

c1, c2, c3, c4 = st.columns(4)
c1.metric(f"Emissionen {kpi.latest_year} [t CO₂e]", format_number(kpi.latest, 0))
c2.metric(f"Veränderung ggü. {kpi.base_year}", format_pct(kpi.change_pct, 1, signed=True))
c3.metric(
    f"Abstand zum Pfad {kpi.latest_year} [t CO₂e]",
    format_number(kpi.gap_latest, 0),
    help="Ist minus eigener Zielpfad; positiv = über dem Pfad.",
)
c4.metric("Status", views.STATUS_LABEL[kpi.status], help=status.legend())

tab1, tab2 = st.tabs(["Nach Energieträger", "Nach Scope"])
with tab1:
    frame.chart(page_charts.chart(viewer, db_path, "mitglied", member_id), f"mitglied-{member_id}")
with tab2:
    frame.chart(
        page_charts.chart(viewer, db_path, "mitglied-scope", member_id),
        f"mitglied-scope-{member_id}",
    )
if note := data.factor_note(db_path):
    st.caption(note)

parts = rep.decomposed(member_id)
if parts is not None:
    frame.section("Eigene Minderung und Strommix")
    st.markdown(parts.text(rep.carrier_names))
    frame.chart(
        page_charts.bridge_chart(viewer, db_path, member_id, mine.short_name),
        f"zerlegung-{member_id}",
    )
    frame.how_computed("zerlegung")
weather_view.expander(rep, member_id, viewer, db_path)  # second view, labelled (kek_data.weather)

frame.section("Was es braucht")
nxt = kpi.next_step()
r1, r2, r3 = st.columns(3)
r1.metric(
    f"Nötig bis {nxt.year}" if nxt else "Nötig bis zum nächsten Ziel",
    "–" if nxt is None else f"{format_number(nxt.required.t_per_year, 0)} t/a",
    help="Durchschnittliche Minderung pro Jahr vom gezählten Jahr bis zum eigenen Pfadwert; "
    + ("" if nxt is None else f"{wording.rate(nxt.required_pct)} ({kpi.rate_basis})."),
)
r2.metric(
    f"Erreicht ({wording.LAST_YEARS})",
    "–" if kpi.achieved is None else f"{format_number(kpi.achieved.t_per_year, 0)} t/a",
    help=f"{wording.rate(kpi.achieved_pct)} ({kpi.rate_basis}).",
)
r3.metric(
    "Null im Trend (5 Jahre)",
    wording.zero_year(kpi.zero_year),
    help=f"Wie empfindlich das Nulljahr ist: {wording.zero_years(kpi.zero_years)}.",
)
st.caption(f"Null im Trend: {wording.zero_years(kpi.zero_years)}.")
wedge_view.section(rep, member_id, viewer, db_path)  # Maßnahmen gegen die Lücke

frame.section("Vollständigkeit der Meldungen")
comp = rep.completeness
comp = comp[(comp["member_id"] == member_id) & (comp["status"] != "vollständig")]
if comp.empty:
    st.success("Alle Jahre sind mit allen Energieträgern gemeldet.")
else:
    frame.table(
        comp.rename(columns={"year": "Jahr", "status": "Status", "missing_carriers": "Es fehlen"})[
            ["Jahr", "Status", "Es fehlen"]
        ].astype({"Jahr": str}),
        width="content",
    )
    st.caption("Im Diagramm sind nur teilweise gemeldete Jahre heller und schraffiert.")
frame.how_computed("vollstaendigkeit")
