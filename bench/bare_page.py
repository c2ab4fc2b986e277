"""The bare page of bench/bench_load.py: a title and one small Plotly chart, nothing else.

Its time is the floor any dashboard page is measured against: Streamlit's own cost of a session,
a script run and one chart, without data, login or layout. Run by ``streamlit run`` on its own
server (see ``bench.load_client.server``).
"""

import plotly.graph_objects as go
import streamlit as st

st.title("Leere Seite")
figure = go.Figure(go.Bar(x=["2020", "2021", "2022", "2023"], y=[4.2, 3.9, 3.5, 3.1]))
st.plotly_chart(figure, theme=None)
