"""Fortschritt des Netzwerks: the public page (not logged in), the only page of the public role.

Every figure comes from the report snapshot for :data:`PUBLIC` (``kek_data.report``): the network
total only where enough members contribute (``access.total_shown``), the members that consented
to be named (``namentlich``) with their key figures; nothing else. Wording and key figures:
:mod:`kek_data.public_view`, shared with the static site (``export public``).
"""

import streamlit as st

from kek_data import public_view, views
from kek_data.viewer import PUBLIC
from ui import auth, data, exports, frame, page_charts

frame.require_app()
db_path = data.db_file()

frame.header(public_view.TITLE, public_view.INTRO)
auth.notice()
if not data.has_data(db_path):
    st.info(public_view.NO_DATA)
    auth.login_hint("kek-login-page")
    st.stop()
rep = data.report(PUBLIC, db_path)

st.markdown(f"**Stand:** {rep.ctx.as_of} · Berichtsjahr **{rep.year}**")
st.markdown(f"**Vollständigkeit:** {rep.coverage_text()}")

if withheld := public_view.withheld(rep):
    st.info(withheld)
else:
    st.caption(public_view.KPI_CAPTION)
    for column, m in zip(st.columns(3), public_view.metrics(rep), strict=True):
        column.metric(m.label, m.value, help=m.help or None)
    frame.chart(
        page_charts.chart(PUBLIC, db_path, "netzwerk", summary=public_view.network_summary(rep)),
        "netzwerk",
    )
    if note := data.factor_note(db_path):
        st.caption(note)

frame.section(public_view.NAMED_SECTION)
table = views.member_table(rep)
if table.empty:
    st.markdown(public_view.NONE_NAMED)
else:
    frame.table(views.german(table))
    exports.table_downloads(table, "mitglieder_namentlich")
st.markdown(public_view.consent_markdown(rep))

frame.section("Für Mitglieder")
st.markdown(
    "Mitglieder, das Netzwerkmanagement und die Stadt sehen nach der Anmeldung ihre Daten, "
    "laden Meldungen hoch und exportieren Berichte."
)
auth.login_hint("kek-login-page")
