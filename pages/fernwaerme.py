"""Fernwärme-Faktoren: district-heat networks, their factors per year, the members' networks.

Network management only (navigation in app.py; every write in ``kek_data.district_heat`` checks
the viewer itself, so a forged form cannot write). Everyone else sees which factor was used in
the Methodik (section „Fernwärme“ and the factor years under „Emissionsfaktoren“).
"""

from collections.abc import Callable
from datetime import date

import pandas as pd
import streamlit as st

from kek_data import config
from kek_data import district_heat as dh
from kek_data.errors import DistrictHeatErrors, KekError
from kek_data.numbers import format_number
from ui import data, frame
from ui.text import plain

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()

frame.header(
    "Fernwärme-Faktoren",
    "Örtliche Emissionsfaktoren je Fernwärmenetz und Jahr mit Quelle und Allokationsverfahren, "
    "und welches Mitglied an welchem Netz hängt. Ohne Netzfaktor gilt der Bundesdurchschnitt "
    f"von {format_number(dh.AVERAGE_G, 0)} g CO₂e/kWh, als Ersatzwert gekennzeichnet.",
)
if not viewer.manages:
    st.error("Diese Seite sieht nur das Netzwerkmanagement; die verwendeten Faktoren stehen in "
             "der Methodik.")  # fmt: skip
    st.stop()

NONE = dh.NO_NETWORK
YEARS = {"min_value": config.FIRST_YEAR, "max_value": date.today().year, "step": 1}


def save(write: Callable, said: Callable) -> None:
    """Run ``write(cursor)``, then drop the caches (figures change) and show ``said(result)``;
    or show every problem (nothing was written)."""
    try:
        with data.cursor() as cur:
            result = write(cur)
    except DistrictHeatErrors as exc:
        st.error("Nicht gespeichert:  \n" + "  \n".join(plain(e) for e in exc.errors))
    except KekError as exc:
        st.error(f"Nicht gespeichert: {plain(exc)}")
    else:
        data.data_changed()
        st.success(plain(said(result)), icon=":material/check:")


def table(rows: list[dict], empty: str) -> None:
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    else:
        st.info(empty)


def g(f: dh.Factor) -> str:
    return "zurückgezogen" if f.g_co2e_per_kwh is None else format_number(f.g_co2e_per_kwh, 1)


def row(f: dh.Factor) -> dict:
    """A factor record as a table row (value in German format)."""
    return {"Netz": f.network_id, "gültig ab": str(f.valid_from), "Faktor [g CO₂e/kWh]": g(f),
            "Allokationsverfahren": f.method, "Quelle": f.source, "Status": f.status}  # fmt: skip


members = data.members(viewer, db_path)
names = dict(zip(members["member_id"], members["short_name"], strict=True))

frame.section("Netze")
with st.form("kek-h-net", clear_on_submit=True):
    c1, c2 = st.columns(2)
    nid = c1.text_input("Kennung", placeholder="z. B. dew21-innenstadt", key="kek-h-id")
    name = c2.text_input("Name", placeholder="z. B. DEW21 Innenstadt", key="kek-h-name")
    operator = c1.text_input("Betreiber", key="kek-h-operator")
    note = c2.text_input("Notiz", key="kek-h-note")
    if st.form_submit_button("Netz speichern", icon=":material/save:", key="kek-h-net-save"):
        save(lambda cur: dh.save_network(cur, viewer, nid, name, operator, note),
             lambda n: f"Netz {n.network_id} ({n.name}) gespeichert.")  # fmt: skip
with data.cursor() as cur:
    nets = dh.networks(cur)
table([{"Kennung": n.network_id, "Name": n.name, "Betreiber": n.operator, "Notiz": n.note}
       for n in nets], "Noch keine Netze eingetragen.")  # fmt: skip
label = {NONE: "kein Netz (Bundesdurchschnitt)"} | {n.network_id: f"{n.name} ({n.network_id})"
                                                    for n in nets}  # fmt: skip
ids = [n.network_id for n in nets]

frame.section("Faktoren je Netz und Jahr")
st.caption("Ein Faktor gilt ab seinem Jahr bis zum nächsten Eintrag desselben Netzes; ändern = "
           "neu eintragen, jeder Eintrag bleibt im Verlauf.")  # fmt: skip
if not ids:
    st.info("Faktoren lassen sich eintragen, sobald ein Netz angelegt ist.")
else:
    with st.form("kek-h-factor"):
        c1, c2, c3 = st.columns(3)
        network = c1.selectbox("Netz", ids, format_func=label.get, key="kek-h-f-net")
        year = c2.number_input("gültig ab Jahr", value=YEARS["max_value"] - 1, key="kek-h-f-year",
                               **YEARS)  # fmt: skip
        value = c3.text_input("Faktor [g CO₂e/kWh Endenergie]", placeholder="z. B. 123,4",
                              key="kek-h-f-value")  # fmt: skip
        method = c1.text_input("Allokationsverfahren", placeholder=dh.METHOD_EXAMPLE,
                               key="kek-h-f-method")  # fmt: skip
        source = c2.text_input("Quelle", placeholder="Bescheinigung mit Datum",
                               key="kek-h-f-source")  # fmt: skip
        status = c3.text_input("Status (optional)", placeholder="z. B. vorläufig",
                               key="kek-h-f-status")  # fmt: skip
        b1, b2 = st.columns(2)
        if b1.form_submit_button("Faktor speichern", type="primary", key="kek-h-f-save"):
            save(lambda cur: dh.set_factor(cur, viewer, network, year, value, method, source,
                                           status),
                 lambda f: f"Faktor von Netz {f.network_id} ab {f.valid_from}: {g(f)} g CO₂e/kWh "
                 "gespeichert.")  # fmt: skip
        if b2.form_submit_button("Faktor dieses Jahres zurückziehen", key="kek-h-f-withdraw"):
            save(lambda cur: dh.withdraw_factor(cur, viewer, network, year),
                 lambda _: f"Faktor von Netz {network} ab {year} zurückgezogen.")  # fmt: skip
with data.cursor() as cur:
    current = dh.factors(cur)
    history = dh.history(cur, viewer)
table([row(f) for f in current], "Noch keine Netzfaktoren: es gilt der Bundesdurchschnitt.")
if history:
    with st.expander("Verlauf aller Einträge", icon=":material/history:"):
        table([row(f) | {"eingetragen von": f.entered_by, "gilt": "ja" if f.current else "nein",
                         "am": f.entered_at.strftime("%d.%m.%Y %H:%M") if f.entered_at else "–"}
               for f in history], "")  # fmt: skip

frame.section("Zuordnung der Mitglieder")
st.caption("Ab dem Jahr rechnet die Fernwärme des Mitglieds mit den Faktoren des Netzes; "
           "„kein Netz“ führt zurück zum Bundesdurchschnitt.")  # fmt: skip
with st.form("kek-h-assign"):
    c1, c2, c3 = st.columns(3)
    member = c1.selectbox("Mitglied", list(names), format_func=names.get, key="kek-h-a-member")
    target = c2.selectbox("Netz", list(label), format_func=label.get, key="kek-h-a-net")
    since = c3.number_input("ab Jahr", value=YEARS["max_value"] - 1, key="kek-h-a-year", **YEARS)
    if st.form_submit_button("Zuordnung speichern", type="primary", key="kek-h-a-save"):
        save(lambda cur: dh.assign(cur, viewer, member, target, since),
             lambda a: f"{names[a.member_id]} ab {a.valid_from}: "
             f"{label[a.network_id or NONE]}.")  # fmt: skip
with data.cursor() as cur:
    assigned = dh.assignments(cur, viewer)
table([{"Mitglied": names.get(a.member_id, a.member_id), "ab": str(a.valid_from),
        "Netz": label.get(a.network_id or NONE, a.network_id)}
       for a in assigned], "Noch keine Zuordnungen: alle Mitglieder rechnen mit dem "
      "Bundesdurchschnitt.")  # fmt: skip
frame.how_computed("fernwaerme")
