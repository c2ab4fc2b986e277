"""Strom & Verträge: Scope 2 standortbezogen und marktbasiert, Stromverträge mit Nachweis."""

import streamlit as st

from kek_data import contracts, scope2, views
from kek_data.errors import ContractErrors, KekError
from kek_data.numbers import format_count
from ui import data, frame, upload
from ui.text import plain

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()
frame.header(
    "Strom & Verträge",
    "Strom (Scope 2) auf beiden Bilanzbasen: standortbezogen mit dem bundesweiten Strommix "
    "(BISKO, Grundlage aller Ziele) und marktbasiert mit den eigenen Stromverträgen und "
    "Nachweisen, für den übrigen Strom mit dem Reststrommix (GHG Protocol Scope 2).",
)
rep = data.report(viewer, db_path, basis_=scope2.STANDORT)
rows = data.scope2_years(viewer, db_path)
frame.section("Scope 2 Strom je Mitglied und Jahr")
shown = scope2.table(rows, rep.names)
if shown.empty:
    st.info("Für diese Ansicht liegen keine Stromdaten vor.")
else:
    latest = {r.member_id: r for r in rows if r.member_id in rep.names}  # last year per member
    for member_id, row in latest.items():
        if row.contract_kwh:
            st.markdown(f"- {plain(scope2.sentence(row, rep.names[member_id]))}")  # file text
    if without := scope2.without_contracts(latest.values(), rep.names):
        st.markdown(f"- {plain(without)}")
    frame.table(views.german(shown, 1))
frame.how_computed("marktbasiert")

if viewer.writes:
    frame.section("Stromverträge melden")
    for line in contracts.hints():
        st.markdown(f"- {line}")
    st.download_button("Vorlage Stromverträge (CSV für Excel)", contracts.template_csv(),
                       "KEK_Stromvertraege.csv", "text/csv", key="tpl_contracts")  # fmt: skip
    members = upload.writable(viewer, data.members(viewer, db_path))
    names = dict(zip(members["member_id"], members["short_name"], strict=True))
    member_id = (
        str(viewer.member_id)
        if viewer.role == "mitglied"
        else st.selectbox("Mitglied", list(names), format_func=names.get, key="contract_member")
    )
    upload.german_uploader(["csv", "txt", "xlsx"])
    file = st.file_uploader(f"Stromverträge für {names.get(member_id, member_id)} (CSV oder "
                            "XLSX)", type=["csv", "txt", "xlsx"], key="contract_file")  # fmt: skip
    if file is not None and st.button("Verträge prüfen und übernehmen", key="contract_go"):
        try:
            with data.cursor() as cur:
                _, found = contracts.import_file(cur, viewer, member_id, file.getvalue(),
                                                 file.name)  # fmt: skip
        except ContractErrors as exc:
            st.error("Nichts übernommen. Bitte korrigieren:\n\n" + "\n".join(
                f"- {plain(e)}" for e in exc.errors), icon="❌")  # fmt: skip
        except KekError as exc:
            st.error(plain(exc), icon="❌")
        else:
            data.data_changed()
            years = sorted({c.year for c in found})
            st.success(f"{format_count(len(found), 'Vertrag', 'Verträge')} für "
                       f"{', '.join(map(str, years))} übernommen.", icon="✅")  # fmt: skip

current = data.contracts_table(viewer, db_path)
current = current[current["member_id"].isin(rep.names)]
frame.section("Verträge in Kraft")
if current.empty:
    st.caption("Keine Stromverträge gemeldet: marktbasiert zählt aller Strom zum Reststrommix.")
else:
    frame.table(views.german(contracts.display(current, rep.names), 0))
    if viewer.writes:
        years = sorted(
            {(m, int(y)) for m, y in zip(current["member_id"], current["year"], strict=True)
             if viewer.writes_for(m)}
        )  # fmt: skip
        pick = st.selectbox(
            "Verträge eines Jahres zurücknehmen",
            years,
            index=None,
            format_func=lambda k: f"{rep.names[k[0]]} {k[1]}",
            placeholder="Mitglied und Jahr wählen",
            key="contract_withdraw",
        )
        if pick and st.button("Zurücknehmen", key="contract_withdraw_go"):
            try:
                with data.cursor() as cur:
                    contracts.withdraw(cur, viewer, pick[0], pick[1])
            except KekError as exc:
                st.error(plain(exc), icon="❌")
            else:
                data.data_changed()
                st.success(plain(f"Verträge {rep.names[pick[0]]} {pick[1]} zurückgenommen."))
