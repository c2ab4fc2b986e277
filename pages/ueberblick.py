"""Überblick: the network's total in the reporting year, change, gap, trend gaps, traffic light."""

import streamlit as st

from kek_data import city, public_view, status, views, wording
from kek_data.numbers import format_number, format_pct
from ui import data, exports, frame, page_charts, weather_view

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()

frame.header(
    "Überblick",
    "Emissionen aller KEK-Mitglieder (Scope 1 und 2) gegen den Pfad zur Treibhausgasneutralität.",
)
if not data.has_data(db_path):
    st.info("Noch keine Daten vorhanden. Bitte unter „Daten hochladen“ Verbrauchsdaten erfassen.")
    st.stop()
rep = data.report(viewer, db_path)
kpi = rep.network

st.markdown(f"**Stand:** {rep.ctx.as_of} · Berichtsjahr **{rep.year}**")
st.markdown(f"**Vollständigkeit:** {rep.coverage_text()}")

own = rep.member.get(viewer.member_id or "")
if own is not None:  # a member sees its own figures first
    frame.section(f"Ihre Organisation: {own.name}")
    k = own.kpi
    o1, o2, o3, o4 = st.columns(4)
    o1.metric(f"Emissionen {k.latest_year or rep.year} [t CO₂e]", format_number(k.latest, 0))
    o2.metric(f"Veränderung ggü. {k.base_year}", format_pct(k.change_pct, 1, signed=True))
    o3.metric("Abstand zum eigenen Pfad [t CO₂e]", format_number(k.gap_latest, 0))
    o4.metric("Status", views.STATUS_LABEL[k.status], help=status.legend())
    st.page_link(
        "pages/mitglied.py", label="Mehr auf der Seite Mitglied", icon=":material/apartment:"
    )
    frame.section("Netzwerk")

if views.total_withheld(rep):
    st.info(f"{views.withheld_text(rep)}.", icon=":material/visibility_off:")
else:
    if views.withheld_years(rep):  # earlier years without a total: not in chart or budget
        st.caption(f"{views.withheld_text(rep)}; im Diagramm fehlen diese Jahre.")
    st.caption("Kennzahlen in t CO₂e (Scope 1 und 2).")
    c1, c2, c3, c4, c5 = st.columns(5)
    previous = kpi.series.get(rep.year - 1)
    c1.metric(
        f"Emissionen {rep.year}",
        format_number(kpi.latest, 0),
        delta=None
        if previous is None
        else f"{format_pct((kpi.latest / previous - 1) * 100, 1, True)} ggü. Vorjahr",
        delta_color="inverse",
    )
    c2.metric(f"Veränderung ggü. {kpi.base_year}", format_pct(kpi.change_pct, 1, signed=True))
    c3.metric(
        f"Über dem Pfad {rep.year}",
        format_number(kpi.gap_latest, 0),
        help="Ist minus Netzwerkpfad im Berichtsjahr; positiv = über dem Pfad (im Rückstand).",
    )
    later = [y for y in rep.reference_years if y > rep.year][:2]
    for col, year in zip((c4, c5), later, strict=False):
        step = kpi.step(year)
        col.metric(
            f"Lücke {year} im Trend",
            format_number(None if step is None else step.trend_gap, 0),
            help=f"Trend der {wording.LAST_YEARS} fortgeschrieben bis {year}, minus Pfadwert "
            f"{year}. Bis {year} sind noch "
            f"{format_number(None if step is None else step.to_go, 0)} t CO₂e zu mindern.",
        )
    gaps = rep.ambition_gaps()  # sum of the members' targets − network path
    for col, gap in zip(st.columns(len(gaps) or 1), gaps, strict=False):
        col.metric(
            gap.label,
            gap.value_text(),
            help="Summe der Ziele aller Mitglieder minus Netzwerkpfad; positiv = die Zusagen "
            "reichen nicht für den Pfad.",
        )
    if gaps:
        st.caption(" ".join(gap.text() for gap in gaps))
    frame.chart(
        page_charts.chart(
            viewer,
            db_path,
            "netzwerk",
            summary=public_view.network_summary(rep),  # the same line as the public page
        ),
        "netzwerk",
    )
    if note := data.factor_note(db_path):
        st.caption(note)
    parts = rep.decomposed("netzwerk")
    if parts is not None:
        frame.section("Eigene Minderung und Strommix")
        st.markdown(parts.text(rep.carrier_names))
        frame.chart(
            page_charts.bridge_chart(viewer, db_path, "netzwerk", "Netzwerk"), "zerlegung-netzwerk"
        )
    weather_view.expander(rep, "netzwerk", viewer, db_path)  # second view (kek_data.weather)
    if rep.city is not None:  # the network beside the city's balance (kek_data.city)
        frame.section("Mitglieder und Stadtgebiet")
        m1, m2, m3 = st.columns(3)
        m1.metric(f"Anteil an der Stadtbilanz {rep.city.year}", format_pct(rep.city.share_pct, 1))
        m2.metric(f"Mitglieder {rep.city.span}", format_pct(rep.city.network_change_pct, 1, True))
        m3.metric(
            f"Stadt Dortmund {rep.city.span}",
            format_pct(rep.city.city_change_pct, 1, True),
            help=rep.city.method_break or None,
        )
        st.markdown(f"{rep.city.share_text()}. {rep.city.rates_text()}")
        st.caption(city.OVERLAP)
        frame.how_computed("stadtgebiet")

if rep.member:
    frame.section("Ampel: Mitglieder auf ihrem eigenen Zielpfad")
    st.markdown(views.status_line(rep.lights))
    table = views.member_table(rep)
    frame.table(views.german(table))
    exports.table_downloads(table, "ampel")
    rows = (
        "Die Emissionen der Zeilen ergeben zusammen die Netzwerksumme; Zielpfad, Abstand und "
        "Ampel der Netzwerkzeile messen am Netzwerkpfad, nicht an der Summe der Mitgliederziele. "
        if viewer.sees_all_members
        else "Gezeigt sind die Mitglieder, die ihre Zahlen für diese Ansicht freigegeben haben "
        "(„Mitglied A“ usw.: nur im Gesamtwert, ohne Namen); die übrigen zählen nur in der "
        "Netzwerksumme. "
    )
    st.caption(
        "Jahr = das Jahr, mit dem das Mitglied zählt: das Berichtsjahr, wenn es vollständig "
        "gemeldet ist (alle seine Energieträger), sonst sein letztes vollständiges Jahr. "
        + rows
        + status.legend()
    )
frame.how_computed("ampel")
