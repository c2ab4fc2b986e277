"""Pfad & Lücke: what it takes — required rates to 2030/2035, gaps, carbon budget, year at pace."""

import streamlit as st

from kek_data import charts, views, wording
from kek_data.numbers import format_number, format_pct, format_t
from ui import data, exports, frame

frame.require_app()
path = data.db_file()
viewer = data.current_viewer()
ctx = data.context(path)
kpi = data.network_kpi(path)

frame.header("Pfad & Lücke", "Was es braucht, um 2030 und 2035 zu erreichen.")
if kpi.latest_year is None:
    st.info("Noch keine Daten vorhanden.")
    st.stop()


def compound(rate) -> str:
    """Compound rate [%/a] as text, "–" where not defined."""
    return (
        "–" if rate is None or rate.pct_per_year is None else f"{format_pct(rate.pct_per_year)}/a"
    )


st.subheader(f"Netzwerk: Tempo ab {kpi.latest_year}")
c1, c2, c3, c4 = st.columns(4)
c1.metric("Nötig bis 2030", wording.rate(kpi.required_2030, kpi.latest))
c2.metric("Nötig bis 2035", wording.rate(kpi.required_2035, kpi.latest))
c3.metric("Erreicht (Ø 5 Jahre)", wording.rate(kpi.achieved, kpi.latest))
c4.metric(
    "Null erreicht im Trend",
    wording.zero_year(kpi.zero_year),
    help="Lineare Trendfortschreibung (kleinste Quadrate) der letzten fünf Jahre.",
)
st.caption(
    f"Raten in % der Emissionen {kpi.latest_year} pro Jahr (linear). In Tonnen: nötig bis 2030 "
    f"{wording.t_rate(kpi.required_2030)}, bis 2035 {wording.t_rate(kpi.required_2035)}, "
    f"erreicht {wording.t_rate(kpi.achieved)}. Geometrisch (Zinseszins) wären es bis 2030 "
    f"{compound(kpi.required_2030)} und erreicht {compound(kpi.achieved)}; für ein Ziel von 0 "
    "gibt es keine geometrische Rate."
)
st.markdown(
    f"Beim jetzigen Tempo lägen die Emissionen 2030 bei **{format_t(kpi.projected_2030, 0)}**, "
    f"der Pfad verlangt **{format_t(kpi.path_2030, 0)}**."
)

if kpi.budget is not None:
    b = kpi.budget
    frame.chart(
        charts.budget(
            b.used, b.left, b.budget, ctx,
            f"CO₂-Budget des Netzwerkpfads {kpi.base_year}–2035 [t CO₂e]: "
            f"{format_number(b.used / b.budget * 100, 0)} % verbraucht",
        ),
        "budget",
    )  # fmt: skip
    st.caption(
        f"Budget = Summe der Pfadwerte {kpi.base_year}–2035 ({format_t(b.budget, 0)}); verbraucht "
        f"= Summe der Ist-Emissionen bis {kpi.latest_year} ({format_t(b.used, 0)}); übrig "
        f"{format_t(b.left, 0)}."
    )

if viewer.sees_member_data:
    members = data.members(viewer, path)
    kpis = data.member_kpis(viewer, path)
    frame.chart(
        charts.gaps(views.gap_table(kpis, members, kpi.latest_year), ctx, kpi.latest_year), "luecke"
    )
    st.subheader("Je Mitglied")
    table = views.path_table(kpis, members)
    st.dataframe(views.german(table), hide_index=True, width="stretch")
    exports.table_downloads(table, "pfad-je-mitglied")
    st.caption(
        "Formeln: kek_data/paths.py (required_rate, achieved_rate, trend_zero_year, "
        "carbon_budget); Zusammenstellung: kek_data/progress.py."
    )
