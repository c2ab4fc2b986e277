"""Daten hochladen: a member's annual energy data as CSV/XLSX – check, preview, confirm, history."""

import streamlit as st

from kek_data.errors import AccessDenied, KekError
from kek_data.ingest.template import hints
from kek_data.numbers import format_count, format_number, format_t
from ui import data, frame, upload
from ui.text import plain

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()
frame.header(
    "Daten hochladen",
    "Jahresverbrauch eines Mitglieds als CSV (Excel, Semikolon) oder Excel-Arbeitsmappe: Die Datei "
    "wird vollständig geprüft, erst nach Ihrer Bestätigung übernommen und im Original aufbewahrt.",
)
if not viewer.writes:  # Stadt and the public do not get here (navigation); if they do:
    st.warning(upload.no_writes(viewer), icon="🔒")
    st.stop()
for problem in upload.store_problems(viewer):
    st.error(f"Dateiablage: {plain(problem)}", icon="🚨")

members = upload.writable(viewer, data.members(viewer, db_path))  # kek_data checks each write
if viewer.role == "mitglied":
    member_id = str(viewer.member_id)
else:
    names = dict(zip(members["member_id"], members["name"], strict=True))
    member_id = st.selectbox("Mitglied", list(names), format_func=names.get, key="upload_member")
member_name = dict(zip(members["member_id"], members["short_name"], strict=True))[member_id]

with st.expander("Vorlage und Hinweise zum Format"):
    for line in hints():
        st.markdown(f"- {line}")
    csv_bytes, xlsx_bytes = upload.templates()
    c1, c2 = st.columns(2)
    c1.download_button("Vorlage als CSV (Excel)", csv_bytes, "KEK_Erfassungsvorlage.csv",
                       "text/csv", key="tpl_csv")  # fmt: skip
    c2.download_button(
        "Vorlage als Excel (.xlsx)",
        xlsx_bytes,
        "KEK_Erfassungsvorlage.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="tpl_xlsx",
    )

round_no = st.session_state.setdefault("upload_round", 0)
upload.german_uploader(["csv", "txt", "xlsx"])
file = st.file_uploader(
    f"Datei für {member_name} (CSV, TXT oder XLSX)",
    type=["csv", "txt", "xlsx"],
    key=f"upload_file_{round_no}",
    help="Kopfzeile Jahr;Energieträger;Menge;Einheit (optional Standort;Bemerkung). Erdgas-kWh "
    "werden als Brennwert (Hs) gelesen und auf den Heizwert umgerechnet.",
)
if file is not None:
    result = upload.check(file, member_id, viewer)
    if isinstance(result, Exception):
        st.error(plain(result), icon="❌")
        if not isinstance(result, AccessDenied):  # a refusal keeps nothing
            st.caption("Die Datei wurde als abgelehnte Meldung mit dieser Meldung aufbewahrt.")
    elif not result.ok:
        c = result.checked
        st.error(
            f"**{plain(file.name)}** enthält {format_number(c.n_errors, 0)} Fehler. Es wurde "
            "nichts übernommen; bitte die Datei korrigieren und erneut hochladen.",
            icon="❌",
        )
        st.code("\n".join(c.errors), language=None, wrap_lines=True)
        st.dataframe(upload.preview_table(result), hide_index=True, width="stretch")
    else:
        c = result.checked
        st.success(
            f"**{plain(file.name)}**: {format_count(c.n_rows, 'Zeile', 'Zeilen')} geprüft, keine "
            f"Fehler ({c.encoding}, Trennzeichen „{plain(c.delimiter)}“).",
            icon="✅",
        )
        st.markdown("**Je Jahr** (neu aus der Datei und bisher angezeigt):")
        st.dataframe(upload.year_table(result), hide_index=True)
        st.markdown(f"**Vorschau** (erste {format_count(len(result.rows), 'Zeile', 'Zeilen')}):")
        st.dataframe(upload.preview_table(result), hide_index=True, width="stretch")
        confirmed = True
        if result.years_with_data:
            years = ", ".join(str(y) for y in result.years_with_data)
            st.warning(
                f"Für {member_name} liegen für {years} bereits Daten vor. Sie werden vollständig "
                "durch diese Datei ersetzt; die bisherige Meldung bleibt erhalten und kann "
                "wiederhergestellt werden.",
                icon="⚠️",
            )
            confirmed = st.checkbox(f"Ja, Daten für {years} ersetzen", key="upload_replace")
        if st.button("Daten übernehmen", type="primary", disabled=not confirmed,
                     key="upload_import"):  # fmt: skip
            try:
                imported = upload.run_import(file, member_id, bool(result.years_with_data), viewer)
            except KekError as exc:  # e.g. a year got data meanwhile from another session
                st.error(plain(exc), icon="❌")
                st.session_state.pop(upload.check_key(file, member_id, viewer), None)
            else:
                st.session_state["upload_done"] = (
                    f"Meldung Nr. {imported.submission_id} übernommen: "
                    f"{format_count(imported.n_rows, 'Zeile', 'Zeilen')}, "
                    f"{format_t(imported.t_co2e)}."
                )
                st.session_state["upload_round"] = round_no + 1
                st.session_state.pop("upload_history", None)  # show the new submission first
                st.rerun()

if done := st.session_state.pop("upload_done", None):
    st.success(done, icon="✅")

st.header(f"Bisherige Meldungen von {member_name}")  # h2 after the title (heading order)
history = upload.history(member_id, viewer)
if history.empty:
    st.info("Noch keine Meldungen.")
    st.stop()
st.dataframe(upload.history_table(history), hide_index=True, width="stretch")
labels = {
    int(r.submission_id): f"Nr. {r.submission_id} · {r.file_name} · {upload.STATE_LABEL[r.state]}"
    for r in history.itertuples()
}
chosen = st.selectbox("Meldung", list(labels), format_func=labels.get, key="upload_history")
row = history[history["submission_id"] == chosen].iloc[0]
if isinstance(row["errors"], str) and row["errors"]:
    with st.expander("Fehlermeldungen dieser Datei"):
        st.code(row["errors"], language=None, wrap_lines=True)
raw = None if row["is_demo"] else upload.original(chosen, row["sha256"], viewer)
if raw is not None:
    st.download_button("Originaldatei herunterladen", raw, row["file_name"], key="upload_raw")
elif not row["is_demo"]:
    st.error("Die Originaldatei fehlt in der Dateiablage.", icon="🚨")
if row["state"] in ("aktuell", "ersetzt"):
    sure = st.checkbox(
        f"Meldung Nr. {chosen} zurücknehmen (die betroffenen Jahre zeigen wieder die Meldung "
        "davor)",
        key="upload_rollback_sure",
    )
    if st.button("Zurücknehmen", disabled=not sure, key="upload_rollback"):
        done, message = upload.rollback(chosen, viewer)
        if done:
            st.session_state["upload_done"] = message
            st.rerun()
        st.error(plain(message), icon="❌")  # e.g. taken back meanwhile in another session
