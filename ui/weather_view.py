"""The expander "Witterungsbereinigt (zweite Sicht)" of Überblick and Mitglied.

Shows one owner's second view from the report (:mod:`kek_data.weather`): the sentence, the chart
"witterung" (:mod:`kek_data.weather_charts`, cached by :func:`ui.page_charts.chart`) and a
caption with the climate factors' source and status. Nothing is shown where the report has no
view for the owner (market basis, a withheld network total, no heating energy).
"""

from __future__ import annotations

import streamlit as st

from kek_data import progress, weather
from kek_data.report import Report
from kek_data.viewer import Viewer
from ui import frame, page_charts


def expander(rep: Report, owner: str, viewer: Viewer, db_path: str) -> None:
    """The expander for ``owner`` (shown member id or 'netzwerk'), closed by default."""
    series = rep.weather.get(owner)
    if series is None or not series.has_heat:
        return
    member_id = None if owner == progress.NETWORK else owner
    with st.expander(weather.TITLE, icon=":material/thermostat:"):
        text = series.text()
        st.markdown(text)
        frame.chart(
            page_charts.chart(viewer, db_path, "witterung", member_id, summary=text),
            f"witterung-{owner}",
        )
        st.caption(series.caption())
        frame.how_computed("witterung")
