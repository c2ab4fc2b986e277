"""Maßnahmen: each member's measures with status, years, completion and expected saving.

Network management enters and updates measures for any member, a member for itself; the city
reads everything, writes nothing. Visibility and every rule are applied in ``kek_data.measures``
(a forged widget value cannot write for another member). Every update is a new version with a
required comment; the log shows what changed, nothing is overwritten.
"""

import streamlit as st

from kek_data import measure_import, measures
from kek_data.errors import KekError, MeasureErrors, MeasureImportErrors
from kek_data.numbers import format_count, format_t
from ui import data, frame, upload
from ui import measures_view as mv
from ui.text import plain

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()
frame.header(
    "Maßnahmen",
    "Die Klimaschutzmaßnahmen der Mitglieder: Status, Umsetzungsjahre, Stand und erwartete "
    "Einsparung je Jahr – direkt in t CO₂e oder als eingesparte Energie, umgerechnet mit dem "
    "Emissionsfaktor des Jahres, in dem die Maßnahme voll wirkt (das Jahr nach ihrem Ende).",
)
members = data.members(viewer, db_path)
names = dict(zip(members["member_id"], members["short_name"], strict=True))
table = data.measures_table(viewer, db_path)
units, groups = data.measure_choices(db_path)
if said := st.session_state.pop("measure_saved", None):  # from the run that wrote it
    st.success(plain(said), icon="✅")

if viewer.role == "mitglied":
    own = str(viewer.member_id)
    st.caption(f"Ihre Maßnahmen ({plain(names.get(own, own))}) und die öffentlichen Maßnahmen "
               "der Mitglieder, die ihre Zahlen namentlich freigegeben haben.")  # fmt: skip
    chosen = [own]
else:
    chosen = st.multiselect("Mitglieder", list(names), format_func=names.get,
                            placeholder="alle Mitglieder", key="measure_members")  # fmt: skip
shown = table[table["member_id"].isin(chosen)] if chosen and viewer.role != "mitglied" else table

frame.section("Maßnahmen")
if shown.empty:
    st.info("Noch keine Maßnahmen eingetragen.")
else:
    decided = shown[shown["status"].isin(measures.DECIDED)]
    st.markdown(
        f"{format_count(len(shown), 'Maßnahme', 'Maßnahmen')}, davon "
        f"{len(decided)} beschlossen oder umgesetzt mit zusammen "
        f"{format_t(decided['saving_t'].sum())} Einsparung je Jahr."
    )
    if shown["incomplete"].any():
        st.warning("Einsparung unvollständig (kein Faktor für das Wirkungsjahr): "
                   + plain(", ".join(shown.loc[shown["incomplete"], "title"])))  # fmt: skip
    frame.table(mv.table(shown, names), {"Grundlage der Einsparung": "Grundlage",
                                         "Einsparung [t CO₂e/a]": "t CO₂e/a"})  # fmt: skip
    pick = st.selectbox("Verlauf einer Maßnahme", list(shown["measure_id"]), index=None,
                        format_func=dict(zip(shown["measure_id"], shown["title"], strict=True)).get,
                        placeholder="Maßnahme wählen", key="measure_log")  # fmt: skip
    if pick is not None:
        for line in measures.log_lines(data.measure_log(viewer, db_path, int(pick))):
            st.markdown(f"- {plain(line)}")


def saved(message: str) -> None:
    """After a write: drop the caches and run again (the table shows the new version)."""
    data.data_changed()
    st.session_state["measure_saved"] = message
    st.rerun()


def show_errors(exc: KekError) -> None:
    lines = exc.errors if isinstance(exc, MeasureErrors | MeasureImportErrors) else [exc]
    st.error("Nichts gespeichert. Bitte korrigieren:  \n" + "  \n".join(
        f"– {plain(e)}" for e in lines), icon="❌")  # fmt: skip


if not viewer.writes:
    st.info("Die Rolle Stadt liest alle Maßnahmen; eintragen und ändern können das "
            "Netzwerkmanagement und die Mitglieder (für sich selbst).")  # fmt: skip
    st.stop()
if frame.read_only():
    st.stop()
writable = upload.writable(viewer, members)
targets = dict(zip(writable["member_id"], writable["short_name"], strict=True))

frame.section("Neue Maßnahme")
with st.expander("Maßnahme eintragen", expanded=shown.empty):
    member_id = (str(viewer.member_id) if viewer.role == "mitglied" else st.selectbox(
        "Mitglied", list(targets), format_func=targets.get, key="new_member"))  # fmt: skip
    values = mv.fields("new", units, groups)
    comment = st.text_input("Kommentar (für den Verlauf)", key="new_comment")
    if st.button("Maßnahme speichern", key="new_go", type="primary"):
        try:
            with data.cursor() as cur:
                new_id = measures.add(cur, viewer, member_id, values, comment)
        except KekError as exc:
            show_errors(exc)
        else:
            saved(f"Maßnahme Nr. {new_id} gespeichert.")

own_rows = table[[viewer.writes_for(m) for m in table["member_id"]]]
frame.section("Maßnahme aktualisieren")
if own_rows.empty:
    st.caption("Noch keine Maßnahme, die Sie ändern dürfen.")
else:
    titles = {int(r.measure_id): f"Nr. {r.measure_id} · {names.get(r.member_id, r.member_id)} · "
              f"{r.title}" for r in own_rows.itertuples()}  # fmt: skip
    edit = st.selectbox("Maßnahme", list(titles), format_func=titles.get, index=None,
                        placeholder="Maßnahme wählen", key="edit_pick")  # fmt: skip
    if edit is not None:
        draft = measures.Draft.of(own_rows[own_rows["measure_id"] == edit].iloc[0].to_dict())
        changes = mv.fields(f"edit{edit}", units, groups, draft)
        note = st.text_input("Was hat sich geändert? (Pflicht, steht im Verlauf)",
                             key=f"edit{edit}_comment")  # fmt: skip
        if st.button("Neue Version speichern", key="edit_go", type="primary"):
            try:
                with data.cursor() as cur:
                    version = measures.update(cur, viewer, edit, changes, note)
            except KekError as exc:
                show_errors(exc)
            else:
                saved(f"Maßnahme Nr. {edit}: Version {version} gespeichert.")

frame.section("Vorlage und Import")
for line in measure_import.hints():
    st.markdown(f"- {line}")
st.download_button("Vorlage Maßnahmen (CSV für Excel)", measure_import.template_csv(),
                   "KEK_Massnahmen.csv", "text/csv", key="measure_template")  # fmt: skip
target = (str(viewer.member_id) if viewer.role == "mitglied" else st.selectbox(
    "Import für", list(targets), format_func=targets.get, key="import_member"))  # fmt: skip
upload.german_uploader(["csv", "txt", "xlsx"])
file = st.file_uploader(f"Maßnahmen für {names.get(target, target)} (CSV oder XLSX)",
                        type=["csv", "txt", "xlsx"], key="measure_file")  # fmt: skip
if file is not None and st.button("Datei prüfen und übernehmen", key="measure_import_go"):
    try:
        with data.cursor() as cur:
            result = measure_import.import_file(cur, viewer, target, file.getvalue(), file.name)
    except KekError as exc:
        show_errors(exc)
    else:
        saved(result.summary(file.name))
