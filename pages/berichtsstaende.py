"""Berichtsstände: the frozen annual reports, freezing a year, what changed since, downloads.

Every viewer who sees member data reads the list and, through the viewer, a Berichtsstand's
change list and exports; only network management freezes (``frozen_reports.freeze`` checks
the viewer itself). Freezing always copies the live data, whichever Datenstand is chosen.
"""

from functools import partial

import pandas as pd
import streamlit as st

from kek_data import frozen_reports
from kek_data.errors import KekError
from kek_data.export import deck, package
from kek_data.numbers import format_date, format_numbers
from ui import data, exports, frame, stand
from ui.text import plain

frame.require_app()
db_path = data.db_file()
viewer = data.current_viewer()

frame.header(
    "Berichtsstände",
    "Ein Berichtsstand ist die unveränderte Kopie aller Zahlen, Zielversionen, Faktoren, "
    "Maßnahmen und Status vom Tag des Einfrierens – auch wenn die Live-Daten später korrigiert "
    "werden. In der Seitenleiste unter „Datenstand“ lässt er sich wie die Live-Daten ansehen.",
)
found = data.freezes()
NEWEST = {}
for f in found:
    NEWEST.setdefault(f.year, f.freeze_id)

frame.section("Eingefrorene Berichtsstände")
if not found:
    st.info("Noch kein Berichtsstand eingefroren.")
else:
    rows = [
        {"Nr.": f.freeze_id, "Berichtsjahr": f.year,
         "Eingefroren am": f"{format_date(f.frozen_at.date())} {f.frozen_at:%H:%M}",
         "Von": f.frozen_by, "Anlass": f.note,
         "Gilt": "ja (neuester des Jahres)" if NEWEST[f.year] == f.freeze_id else "älter"}
        for f in found
    ]  # fmt: skip
    frame.table(pd.DataFrame(rows))

if viewer.manages:
    frame.section("Berichtsjahr einfrieren")
    years = data.years(data.live_file())
    with st.form("kek-freeze"):
        left, right = st.columns([1, 3])
        year = left.selectbox("Berichtsjahr", years[::-1])
        note = right.text_input("Anlass", placeholder="z. B. Jahresbericht, Beschluss vom …")
        sure = st.checkbox(
            "Ich friere die Live-Daten dieses Jahres ein (ein erneutes Einfrieren legt einen "
            "neuen Berichtsstand an; ältere bleiben erhalten)."
        )
        go = st.form_submit_button("Einfrieren", type="primary", icon=":material/inventory_2:")
    if go and not sure:
        st.error("Bitte das Einfrieren bestätigen (Kästchen). Nichts wurde eingefroren.")
    elif go:
        try:
            with data.cursor() as cur:  # always the live database
                done = frozen_reports.freeze(cur, viewer, int(year), note)
        except KekError as exc:
            st.error(f"Nicht eingefroren: {plain(exc)}")
        else:
            data.data_changed()
            st.success(f"{plain(done.label)} angelegt.", icon=":material/check:")
            found = data.freezes()

if not found:
    st.stop()
frame.section("Änderungen seit einem Berichtsstand")
labels = {f.freeze_id: f.label for f in found}
chosen = st.selectbox("Berichtsstand", list(labels), format_func=labels.get, key="freeze-pick")
try:
    changes = stand.changes(viewer, int(chosen))
except KekError as exc:
    st.error(plain(exc))
    st.stop()
if changes.empty:
    st.success("Keine Änderungen seit diesem Berichtsstand.", icon=":material/check:")
else:
    shown = changes.copy()
    for col in ("Berichtsstand [t CO₂e]", "Live [t CO₂e]", "Δ [t CO₂e]"):
        shown[col] = format_numbers(shown[col].where(shown[col].notna(), None), 1)
    st.caption(f"{len(shown)} Änderungen; Zahlen so, wie diese Ansicht sie sehen darf.")
    frame.table(shown, {"Berichtsstand [t CO₂e]": "Bericht [t]", "Live [t CO₂e]": "Live [t]",
                        "Δ [t CO₂e]": "Δ [t]"})  # fmt: skip

frame.section("Foliensatz und Datenpaket aus dem Berichtsstand")
picked = next(f for f in found if f.freeze_id == int(chosen))
con = stand.connection(picked.freeze_id)


def _build(make, year: int) -> bytes:
    cur = con.cursor()  # runs in its own thread: its own cursor
    try:
        return make(cur, viewer, year)
    finally:
        cur.close()


def _deck(cur, who, year: int) -> bytes:
    return deck.build_deck(cur, who, year=year)


stem = f"KEK_Berichtsstand_{picked.year}_Nr{picked.freeze_id}"
left, right = st.columns(2)
left.download_button(
    "Foliensatz (PPTX)", data=partial(_build, _deck, picked.year), file_name=f"{stem}.pptx",
    mime=exports.PPTX, key="dl-frozen-deck", on_click="ignore",
    icon=":material/slideshow:", help="Wird beim Klick erstellt (etwa eine halbe Minute)",
)  # fmt: skip
right.download_button(
    "Datenpaket (ZIP)", data=partial(_build, package.build_package, picked.year),
    file_name=f"{stem}.zip", mime="application/zip", key="dl-frozen-package",
    on_click="ignore", icon=":material/folder_zip:",
)  # fmt: skip
