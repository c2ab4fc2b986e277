"""Streamlit helpers of the page "Daten hochladen": checking once per file, progress, tables.

Why: Streamlit re-runs the page on every click; a 60 MB file must be checked once, and a
rejected file recorded once, not on every re-run. The check result lives in the session under
the uploader's file id. Tables are turned into German text here (``1.234,5``) with
:mod:`kek_data.numbers`, so the page only lays out widgets. Every call passes the session's
viewer to :mod:`kek_data.ingest`, which refuses what the viewer may not do (a forged member id
in a widget is refused there, not only hidden here).
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pandas as pd
import streamlit as st

from kek_data import config, ingest
from kek_data.errors import AccessDenied, KekError
from kek_data.ingest import store, template
from kek_data.numbers import format_date, format_number
from kek_data.viewer import Viewer
from ui import data

STATE_LABEL = {
    "aktuell": "✅ aktuell",
    "ersetzt": "↩️ ersetzt",
    "zurückgenommen": "⏪ zurückgenommen",
    "abgelehnt": "❌ abgelehnt",
}


#: Streamlit's uploader has English texts built in ("Upload", "200MB per file"); CSS swaps them
#: for German ones (the element ids are those of Streamlit 1.67, pinned in requirements.txt).
_UPLOADER_CSS = """<style>
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p {font-size: 0}
[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] p::after {
  content: "Datei auswählen"; font-size: 0.875rem}
[data-testid="stFileUploaderDropzoneInstructions"] span {font-size: 0}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {
  content: "oder hierher ziehen · höchstens %(mb)s MB je Datei · %(types)s"; font-size: 0.875rem}
</style>"""


def german_uploader(types: list[str]) -> None:
    """German texts for the file uploader: button, drop hint, size limit [MB] and file types."""
    mb = min(int(st.get_option("server.maxUploadSize")), config.max_upload_bytes() // 2**20)
    kinds = ", ".join(t.upper() for t in types)
    st.html(_UPLOADER_CSS % {"mb": format_number(mb, 0), "types": kinds})


def no_writes(viewer: Viewer) -> str:
    """What the page says to a viewer who may not write at all (city, public)."""
    return (
        f"Als {viewer.role_label} können Sie hier keine Daten hochladen oder zurücknehmen; das "
        "dürfen nur die Mitglieder (für sich selbst) und das Netzwerkmanagement."
    )


def writable(viewer: Viewer, members: pd.DataFrame) -> pd.DataFrame:
    """The rows of ``members`` the viewer may upload for (``Viewer.writes_for``)."""
    return members[[viewer.writes_for(str(m)) for m in members["member_id"]]]


def _progress(bar):
    def update(fraction: float, text: str) -> None:
        bar.progress(min(max(fraction, 0.0), 1.0), text=text)

    return update


def check_key(file, member_id: str, viewer: Viewer) -> str:
    """Session key of the check of ``file`` for ``member_id`` by ``viewer``'s role."""
    return f"upload_check:{file.file_id}:{member_id}:{viewer.spec}"


def check(file, member_id: str, viewer: Viewer) -> ingest.Preview | KekError:
    """Check an uploaded file once per (file, member, role); record a rejection once.

    A file that cannot be read (any :class:`KekError`) comes back as that error, for its
    German message; so does a refusal (:class:`AccessDenied`: nothing is recorded)."""
    key = check_key(file, member_id, viewer)
    if key not in st.session_state:
        raw = file.getvalue()
        bar = st.progress(0.0, text="Datei wird geprüft …")
        with data.cursor() as cur:
            try:
                result: ingest.Preview | KekError = ingest.check(
                    cur, raw, file.name, member_id, viewer, progress=_progress(bar)
                )
                errors = None if result.ok else result.checked.errors
                n_rows = result.checked.n_rows
            except AccessDenied as exc:
                result, errors, n_rows = exc, None, 0
            except KekError as exc:
                result, errors, n_rows = exc, [str(exc)], 0
            if errors is not None:
                ingest.record_rejection(
                    cur, data.db_file(), raw, file.name, member_id, viewer, errors, n_rows
                )
        bar.empty()
        if errors is not None:
            data.data_changed()
        st.session_state[key] = result
    return st.session_state[key]


def run_import(file, member_id: str, replace: bool, viewer: Viewer) -> ingest.Imported:
    """Import the checked file with a progress bar; clears every cached figure afterwards.

    The rows the check typed (kept in the session's preview) are appended, not parsed again.
    """
    checked = check(file, member_id, viewer)
    bar = st.progress(0.0, text="Import startet …")
    try:
        with data.cursor() as cur:
            result = ingest.import_file(
                cur,
                data.db_file(),
                file.getvalue(),
                file.name,
                member_id,
                viewer,
                replace=replace,
                progress=_progress(bar),
                preview=checked if isinstance(checked, ingest.Preview) else None,
            )
    finally:
        bar.empty()
        data.data_changed()
    return result


def number(value: float | None) -> str:
    """German number with as many decimals as the value has (at most 6), "–" if missing."""
    if value is None or value != value:
        return "–"
    exponent = Decimal(repr(float(value))).normalize().as_tuple().exponent
    decimals = min(6, max(0, -exponent)) if isinstance(exponent, int) else 0
    return format_number(value, decimals)


def preview_table(preview: ingest.Preview) -> pd.io.formats.style.Styler:
    """Parsed rows in German with kWh and t CO₂e; rows with errors highlighted."""
    rows = preview.rows
    table = pd.DataFrame(
        {
            "Zeile": rows["line_no"].astype(int),
            "Jahr": rows["jahr"],
            "Energieträger": rows["traeger"],
            "Menge": [
                t if isinstance(t, str) else number(q)
                for t, q in zip(rows["menge_text"], rows["quantity"], strict=True)
            ],
            "Einheit": rows["einheit"],
            "Standort": rows["standort"],
            "Bemerkung": rows["bemerkung"].fillna(""),
            "kWh (Heizwert)": [format_number(v, 0) for v in rows["kwh"]],
            "t CO₂e": [format_number(v, 3) for v in rows["t_co2e"]],
            "Fehler": rows["fehler"],
        }
    )

    def mark(row: pd.Series) -> list[str]:
        color = "background-color: #F8D7DA" if row["Fehler"] else ""
        return [color] * len(row)

    return table.style.apply(mark, axis=1)


def year_table(preview: ingest.Preview) -> pd.DataFrame:
    """Per year: rows, kWh and t CO₂e of the file next to the data shown today."""
    y = preview.years
    return pd.DataFrame(
        {
            "Jahr": y["year"].astype(int).astype(str),
            "Zeilen": [format_number(v, 0) for v in y["rows"]],
            "kWh (Heizwert)": [format_number(v, 0) for v in y["kwh"]],
            "t CO₂e neu": [format_number(v, 1) for v in y["t_co2e"]],
            "t CO₂e bisher": [format_number(v, 1) for v in y["t_co2e_now"]],
        }
    )


def history(member_id: str, viewer: Viewer) -> pd.DataFrame:
    """The member's submissions (raw columns, newest first); AccessDenied if not the viewer's."""
    with data.cursor() as cur:
        return ingest.history(cur, viewer, member_id)


def history_table(df: pd.DataFrame) -> pd.DataFrame:
    """The submission history in German for display."""
    return pd.DataFrame(
        {
            "Nr.": df["submission_id"].astype(int),
            "Eingang": [f"{format_date(t.date())} {t:%H:%M}" for t in df["submitted_at"]],
            "Von": df["submitted_by"],
            "Datei": df["file_name"],
            "Größe": [f"{format_number(b / 1024, 1)} KB" for b in df["size_bytes"]],
            "Zeilen": [format_number(n, 0) for n in df["n_rows"]],
            "Jahre": [_years(ys) for ys in df["years"]],
            "Status": [STATE_LABEL.get(s, s) for s in df["state"]],
        }
    )


def _years(years: object) -> str:
    if not hasattr(years, "__iter__") or isinstance(years, str):
        return "–"
    return ", ".join(str(int(y)) for y in years)  # type: ignore[union-attr]


def store_problems(viewer: Viewer) -> list[str]:
    """Check of the raw-file store against the recorded submissions (German lines); empty for
    viewers who may not see every member's files (the lines name them). Shared by the users of
    a role and redone after every change (``data.data_changed``) or after
    :data:`STORE_CHECK_SECONDS` (a file removed behind the dashboard's back), not on every run
    of the upload page (it reads every stored file's size)."""
    return _store_problems(viewer.audience, data.db_file())


#: How long a store check of the upload page holds [s].
STORE_CHECK_SECONDS = 300


@st.cache_data(show_spinner=False, ttl=STORE_CHECK_SECONDS)
def _store_problems(audience: Viewer, db_path: str) -> list[str]:
    try:
        with data.cursor() as cur:
            return ingest.check_store_as(cur, db_path, audience)
    except AccessDenied:
        return []


def original(submission_id: int, sha256: str, viewer: Viewer) -> Callable[[], bytes] | None:
    """A loader of the stored original bytes (read only on download, checked for the viewer
    by :func:`kek_data.ingest.read_raw`), None if missing."""
    db_path = data.db_file()
    if not store.has_raw(db_path, sha256):
        return None

    def load() -> bytes:
        with data.cursor() as cur:
            return ingest.read_raw(cur, db_path, viewer, submission_id)

    return load


def rollback(submission_id: int, viewer: Viewer) -> tuple[bool, str]:
    """Withdraw a submission: (True, confirmation) or (False, the German reason, e.g. another
    session took it back meanwhile, or not the viewer's). Clears every cached figure either way."""
    try:
        with data.cursor() as cur:
            ingest.rollback(cur, submission_id, viewer)
    except KekError as exc:
        return False, str(exc)
    finally:  # also after a refusal: another session may have changed the history
        data.data_changed()
    return True, f"Meldung Nr. {submission_id} wurde zurückgenommen."


@st.cache_data(show_spinner=False)
def templates() -> tuple[bytes, bytes]:
    """(CSV, XLSX) bytes of the Erfassungsvorlage (built once, not on every rerun)."""
    return template.template_csv(), template.template_xlsx()
