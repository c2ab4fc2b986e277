"""Start-up check: a recorded upload whose original file is gone is reported loudly in the frame."""

from __future__ import annotations

from kek_data import db
from kek_data.ingest import import_file, store
from tests.ingest_util import DEMO_NM as NM
from tests.ingest_util import csv_bytes


def test_missing_original_file_is_shown_in_sidebar(app_test, seeded_db):
    data = csv_bytes(["2026;Strom;1.000;kWh;;"])
    con = db.connect(seeded_db)
    result = import_file(con, seeded_db, data, "fhdo_2026.csv", "fhdo", NM)
    con.close()
    at = app_test()
    at.run()
    assert not any("Dateiablage" in str(e.value) for e in at.sidebar.error)

    store.raw_path(seeded_db, store.sha256_of(data)).unlink()
    at = app_test()  # a new process would check at start-up
    import streamlit as st

    st.cache_resource.clear()
    at.run()
    assert not at.exception
    errors = [str(e.value) for e in at.sidebar.error]
    assert any("Dateiablage und Datenbank passen nicht zusammen (1 Befund(e))" in e for e in errors)
    assert result.submission_id is not None
