"""Überblick: the network's latest total, change since base year, gap to the path, traffic light."""

import streamlit as st

from kek_data import charts, progress, views
from kek_data.numbers import format_number, format_pct
from ui import data, exports, frame

frame.require_app()
path = data.db_file()
viewer = data.current_viewer()
ctx = data.context(path)
kpi = data.network_kpi(path)
totals_by_year = data.network_totals(path)

frame.header(
    "Überblick",
    "Emissionen aller KEK-Mitglieder (Scope 1 und 2, BISKO-Faktoren) gegen den Pfad zur "
    "Treibhausgasneutralität 2035.",
)
if kpi.latest_year is None:
    st.info("Noch keine Daten vorhanden. Bitte unter „Daten hochladen“ Verbrauchsdaten erfassen.")
    st.stop()

reporting = totals_by_year.set_index("year")["members_reporting"]
n_members = int(reporting.max())  # members that ever reported (aggregate, same for every viewer)
st.markdown(
    f"**Stand:** {ctx.as_of} · letztes Berichtsjahr **{kpi.latest_year}** "
    f"({int(reporting.get(kpi.latest_year, 0))} von {n_members} Mitgliedern gemeldet)"
)

st.caption("Kennzahlen in t CO₂e (Scope 1 und 2).")
c1, c2, c3, c4, c5 = st.columns(5)
previous = kpi.series.get(kpi.latest_year - 1)
c1.metric(
    f"Emissionen {kpi.latest_year}",
    format_number(kpi.latest, 0),
    delta=None
    if previous is None
    else f"{format_pct((kpi.latest / previous - 1) * 100, 1, True)} ggü. Vorjahr",
    delta_color="inverse",
)
c2.metric(f"Veränderung ggü. {kpi.base_year}", format_pct(kpi.change_pct, 1, signed=True))
c3.metric(
    f"Über dem Pfad {kpi.latest_year}",
    format_number(kpi.gap_latest, 0),
    help="Ist minus Netzwerkpfad im letzten Berichtsjahr; positiv = über dem Pfad (im Rückstand).",
)
c4.metric(
    "Lücke 2030 im Trend",
    format_number(progress.trend_gap(kpi.projected_2030, kpi.path_2030), 0),
    help="Trend der letzten fünf Jahre fortgeschrieben bis 2030, minus Pfadwert 2030. "
    f"Bis 2030 sind noch {format_number(kpi.to_go_2030, 0)} t CO₂e zu mindern.",
)
c5.metric(
    "Lücke 2035 im Trend",
    format_number(progress.trend_gap(kpi.projected_2035, kpi.path_2035), 0),
    help="Trend fortgeschrieben bis 2035 minus Pfadwert 2035 (Neutralität = 0). "
    f"Bis 2035 sind noch {format_number(kpi.to_go_2035, 0)} t CO₂e zu mindern.",
)

frame.chart(
    charts.network_stacked(
        data.member_totals(viewer, path) if viewer.sees_member_data else totals_by_year,
        data.members(viewer, path),
        data.network_paths(path),
        ctx,
    ),
    "netzwerk",
)

if viewer.sees_member_data:
    kpis = data.member_kpis(viewer, path)
    counts = views.status_counts(kpis)
    st.subheader("Ampel: Mitglieder auf ihrem eigenen Zielpfad")
    st.markdown(
        " · ".join(f"{label}: **{counts[key]}**" for key, label in views.STATUS_LABEL.items())
    )
    table = views.member_table(kpis, data.members(viewer, path))
    st.dataframe(views.german(table), hide_index=True, width="stretch")
    exports.table_downloads(table, "ampel")
    st.caption(
        "Jahr = letztes vollständig gemeldetes Jahr des Mitglieds (alle seine Energieträger). "
        "Ampel: grün = auf oder unter dem eigenen Pfad, gelb = bis 5 % darüber, rot = mehr als 5 % "
        "darüber. Berechnung: kek_data/progress.py (Kennzahlen), kek_data/paths.py (Formeln)."
    )
