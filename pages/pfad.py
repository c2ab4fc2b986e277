"""Pfad & Lücke: what it takes — required rates, gaps, carbon budget, zero year at pace."""

import streamlit as st

from kek_data import views, wording
from kek_data.numbers import format_t
from ui import data, exports, frame, page_charts, wedge_view

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()

frame.header("Pfad & Lücke", "Was es braucht, um die Ziele des Netzwerks zu erreichen.")
if not data.has_data(db_path):
    st.info("Noch keine Daten vorhanden.")
    st.stop()
rep = data.report(viewer, db_path)
kpi = rep.network
years = [y for y in rep.reference_years if y > rep.year and kpi.step(y)]  # none without a path
first = kpi.step(years[0]) if years else None

frame.section(f"Netzwerk: Tempo ab {rep.year}")
st.caption(rep.coverage_text())
if note := data.factor_note(db_path):
    st.caption(note)
if views.total_withheld(rep):
    st.info(f"{views.withheld_text(rep)}.", icon=":material/visibility_off:")
else:
    if views.withheld_years(rep):  # earlier years without a total: not in chart or budget
        st.caption(f"{views.withheld_text(rep)}; in Diagramm und Budget fehlen diese Jahre.")
    basis = kpi.rate_basis
    window = wording.last_years(kpi.latest_year)
    zeros = kpi.zero_years
    cols = st.columns(len(years) + 1)
    for col, year in zip(cols, years, strict=False):
        col.metric(
            f"Nötig bis {year} (in {basis})",
            wording.rate(kpi.step(year).required_pct),
            help=f"{wording.rate(kpi.step(year).required_pct, basis)} (linear).",
        )
    cols[-1].metric(
        f"Erreicht {wording.window_span(rep.year)} (in {basis})",
        wording.rate(kpi.achieved_pct),
        help=f"{wording.rate(kpi.achieved_pct, basis)} (linear), Ø der {window}.",
    )
    for col, (w, year) in zip(st.columns(len(years) + 1), sorted(zeros.items()), strict=False):
        col.metric(
            f"Null im Trend ({w} Jahre)",
            wording.zero_year(year),
            help=f"Lineare Trendfortschreibung (kleinste Quadrate) der "
            f"{wording.last_years(kpi.latest_year, w)}; das Nulljahr hängt vom Zeitfenster ab.",
        )
    in_t = ", ".join(f"bis {y} {wording.t_rate(kpi.step(y).required)}" for y in years)
    st.caption(
        f"Raten in {basis} pro Jahr (linear), erreicht im Ø der {window}. In Tonnen: nötig "
        f"{in_t}; erreicht {wording.t_rate(kpi.achieved)}. Geometrisch (Zinseszins) wären es "
        f"bis {years[0]} {wording.compound(first and first.required)} und erreicht "
        f"{wording.compound(kpi.achieved)}; für ein Ziel von 0 gibt es keine geometrische Rate. "
        f"Null im Trend: {wording.zero_years(kpi.zero_years)}."
        if years
        else "Alle Zieljahre des Netzwerks liegen im oder vor dem Berichtsjahr."
        if kpi.path
        else "Ohne die Netzwerksumme des Basisjahres zeigt diese Ansicht keinen Netzwerkpfad."
    )
    if first is not None:
        st.markdown(
            f"Beim jetzigen Tempo lägen die Emissionen {first.year} bei "
            f"**{format_t(first.projected, 0)}**, der Pfad verlangt **{format_t(first.path, 0)}**."
        )
    if kpi.budget is not None:
        b = kpi.budget
        frame.chart(page_charts.chart(viewer, db_path, "budget"), "budget")
        st.markdown(wording.budget(b, kpi.budget_end))
        st.caption(
            f"Budget = Summe der Pfadwerte {kpi.base_year}–{kpi.budget_end} "
            f"({format_t(b.budget, 0)}); verbraucht = Summe der Ist-Emissionen bis {rep.year} "
            f"({format_t(b.used, 0)}); übrig {format_t(b.left, 0)}. Aufgebraucht: Jahr, in dem "
            f"die Summe der Trendwerte ({window}) den Rest erreicht."
        )

if rep.member:
    frame.chart(page_charts.chart(viewer, db_path, "luecke"), "luecke")
    frame.section("Je Mitglied")
    table = views.path_table(rep)
    frame.table(views.german(table), labels=views.short_labels(table))
    exports.table_downloads(table, "pfad-je-mitglied")
    st.caption("Prozent pro Jahr (%/a) = Anteil an den Emissionen des Jahres in der Spalte Jahr.")
frame.how_computed("raten")
wedge_view.overview(rep, viewer, db_path)  # Maßnahmen gegen die Lücke (kek_data.wedge)
