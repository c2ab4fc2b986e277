"""Ziele: per member (and the network) the target in force, its versions, the parent bodies'
targets; network management enters new versions (``ui.targets``), everyone else reads."""

import streamlit as st

from ui import data, frame
from ui import targets as target_ui

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()

frame.header(
    "Ziele",
    "Die vereinbarten Ziele der Mitglieder und des Netzwerks: jede Änderung ist eine neue "
    "Version; jede Seite, jeder Export und jede Präsentation misst an der Version, die am "
    "jeweiligen Tag gilt.",
    targets_page=True,
)
if not viewer.sees_member_data:
    st.error("Die Zielvereinbarungen sind nur nach der Anmeldung einsehbar.")
    st.stop()
target_ui.flash()
members = data.members(viewer, db_path)
names = {"netzwerk": "Netzwerk"} | dict(
    zip(members["member_id"], members["short_name"], strict=True)
)
owners = ["netzwerk", *members["member_id"]] if viewer.sees_all_members else []
if viewer.role == "mitglied":
    owners = [str(viewer.member_id), "netzwerk"]
owner = st.selectbox("Mitglied", owners, format_func=lambda o: names.get(o, o), key="kek-z-owner")
name = names.get(owner, owner)
if not viewer.manages:
    st.info("Nur lesen: Ziele trägt das Netzwerkmanagement ein.", icon=":material/visibility:")

frame.section(f"Ziel: {name}")
target_ui.show(viewer, db_path, owner, "ziel", name)
if owner != "netzwerk":
    frame.section("Vorgaben des Dachverbands")
    st.caption(
        "Ziele, die ein Dachverband oder Träger für das Mitglied vorgibt (mit Quelle); der "
        "Zielabgleich misst das eigene Ziel daran."
    )
    target_ui.show(viewer, db_path, owner, "vorgabe", f"{name} (Vorgabe)")
frame.how_computed("pfad")
