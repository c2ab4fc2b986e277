"""The sidebar's "Datenstand": live data or a frozen Berichtsstand, checked for the viewer.

Why: every page reads through ``ui.data`` with ``db_path = data.db_file()``; choosing a
Berichtsstand makes that path the snapshot's file (read-only), while every write
(``data.cursor()``) stays on the live database. :func:`choose` runs in ``frame.sidebar`` before
any page reads: a value in the address (``?stand=…``) that is no Berichtsstand, a changed file,
or a snapshot the viewer may not read (the public; a member after a consent restriction since
freezing, ``frozen_reports.check_viewer``) falls back to the live data with a message.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import streamlit as st

from kek_data import frozen_reports
from kek_data.errors import KekError
from kek_data.viewer import Viewer
from ui import data

#: Session key (and query parameter) of the choice: LIVE or a freeze_id.
KEY = "stand"
LIVE = "live"


def options() -> dict[str, str]:
    """The choices: LIVE → "Live-Daten", freeze_id → its label, newest first."""
    return {LIVE: "Live-Daten"} | {str(f.freeze_id): f.label for f in data.freezes()}


def path_of(found: frozen_reports.Freeze) -> str:
    """The snapshot file of ``found`` next to the live database."""
    return str(frozen_reports.folder(data.live_file()) / found.file_name)


def choose(viewer: Viewer) -> str:
    """Check the chosen Datenstand for ``viewer`` before the sidebar draws the choice; keep the
    checked file for ``data.db_file``. Returns the German reason when the choice falls back to
    the live data (unknown value, changed file, not for this viewer), else ""."""
    choices = options()
    labels = {label: value for value, label in choices.items()}
    raw = st.session_state.get(KEY) or st.query_params.get(KEY) or LIVE
    value = raw if raw in choices else labels.get(str(raw))
    st.session_state.pop(data.VALID_STAND, None)
    message = ""
    if value is None:
        message = f"Einen Berichtsstand „{raw}“ gibt es nicht – es werden die Live-Daten gezeigt."
    elif value != LIVE:
        found = next(f for f in data.freezes() if str(f.freeze_id) == value)
        try:
            with data.cursor() as live, data.cursor(path_of(found)) as snap:
                frozen_reports.check_viewer(live, snap, viewer)
            st.session_state[data.VALID_STAND] = path_of(found)
        except KekError as exc:
            message = f"{exc} Es werden die Live-Daten gezeigt."
    if message:
        st.session_state[KEY] = LIVE
    return message


def is_frozen() -> bool:
    """Whether this session reads a Berichtsstand (write forms then show READ_ONLY)."""
    return data.db_file() != data.live_file()


def connection(freeze_id: int) -> duckdb.DuckDBPyConnection:
    """The read-only connection of Berichtsstand ``freeze_id`` (checked; FrozenReportError)."""
    found = next((f for f in data.freezes() if f.freeze_id == freeze_id), None)
    if found is None:
        raise frozen_reports.FrozenReportError(f"Berichtsstand {freeze_id} gibt es nicht.")
    return data.connection(path_of(found))


def changes(viewer: Viewer, freeze_id: int) -> pd.DataFrame:
    """What changed since Berichtsstand ``freeze_id`` as ``viewer`` may see it
    (kek_data.frozen_changes; FrozenReportError for a viewer it is refused to)."""
    return _changes(viewer.audience, data.live_file(), freeze_id)


@st.cache_data(show_spinner="Änderungen werden ermittelt …")
def _changes(audience: Viewer, live_path: str, freeze_id: int) -> pd.DataFrame:
    from kek_data import frozen_changes

    snap = connection(freeze_id).cursor()
    try:
        with data.cursor(live_path) as live:
            frozen_reports.check_viewer(live, snap, audience)
            return frozen_changes.changes(live, snap, audience)
    finally:
        snap.close()
