"""Download buttons for charts and tables, the deck builder and the data package (Streamlit).

Why: every chart and table of the dashboard can leave it in presentation quality, and the export
page builds the meeting deck with a progress bar. Images and files are made only when a user
clicks (``st.download_button`` with a callable, Streamlit ≥ 1.50): the callable runs in a separate
thread, which is why :mod:`kek_data.export.images` serialises all renders with a lock.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Sequence
from datetime import date
from functools import partial

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from kek_data.errors import KekError
from kek_data.export import images, tables
from kek_data.numbers import format_number
from ui import data

_log = logging.getLogger(__name__)
PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue",
                          "ß": "ss", "₂": "2"})  # fmt: skip
IMAGE_HELP = {
    "png": "Bild für Folien: 2560 × 1440 Pixel (16:9)",
    "svg": "Vektorgrafik, beliebig skalierbar",
    "pdf": "Vektor-PDF für Druck und Berichte",
}


def slug(name: str) -> str:
    """An ASCII file-name part: "Pfad & Lücke" → "pfad-luecke"."""
    text = re.sub(r"[^a-z0-9]+", "-", name.translate(_UMLAUTS).lower())
    return text.strip("-") or "export"


def _stamp() -> str:
    """The data's date for file names, e.g. "2026-03-15"."""
    as_of = data.context(data.db_file()).as_of
    parts = as_of.split(".")
    return "-".join(reversed(parts)) if len(parts) == 3 else date.today().isoformat()


@st.cache_resource(show_spinner=False)
def _browser_started() -> bool:
    """Start Chromium once per process in the background, so the first download is fast –
    :data:`WARM_UP_DELAY` after the first chart, so that the start (imports, Chromium) does not
    compete with the first session's page run (bench/bench_load.py)."""
    timer = threading.Timer(WARM_UP_DELAY, images.warm_up, kwargs={"background": False})
    timer.daemon = True
    timer.start()
    return True


#: Seconds from the first chart on a page to the background start of the export browser.
WARM_UP_DELAY = 5.0


def _render(spec: dict, fmt: images.Format) -> bytes:
    try:
        return images.render(spec, fmt)
    except KekError:
        _log.exception("Bildexport fehlgeschlagen")
        raise


def chart_downloads(fig: go.Figure | dict, name: str) -> None:
    """PNG, SVG and PDF buttons under a chart; the image is rendered when the user clicks.
    ``fig``: a figure, or its dict (``Shown.spec``, taken once for a cached chart)."""
    if st.runtime.exists():
        _browser_started()
    spec = fig if isinstance(fig, dict) else fig.to_dict()  # a snapshot of a figure
    file = f"kek_{slug(name)}_{_stamp()}"
    row = st.container(horizontal=True, gap="medium")  # one row, also on a phone
    for fmt in images.FORMATS:
        row.download_button(
            fmt.upper(),
            data=partial(_render, spec, fmt),
            file_name=f"{file}.{fmt}",
            mime=images.MIME[fmt],
            key=f"dl-{name}-{fmt}",
            on_click="ignore",
            icon=":material/download:",
            type="tertiary",
            help=IMAGE_HELP[fmt],
        )


def table_downloads(
    df: pd.DataFrame, name: str, columns: Sequence[tables.Column] | None = None
) -> None:
    """CSV (German Excel) and XLSX buttons for a table; the file is made when the user clicks."""
    ctx = data.context(data.db_file())
    frame = df.copy()
    file = f"kek_{slug(name)}_{_stamp()}"
    source = f"Quelle: KEK-Klimadashboard, Stand {ctx.as_of}"
    row = st.container(horizontal=True, gap="medium")  # one row, also on a phone
    row.download_button(
        "CSV", data=partial(tables.to_csv, frame, columns, demo=ctx.demo),
        file_name=f"{file}.csv", mime="text/csv", key=f"dl-{name}-csv", on_click="ignore",
        icon=":material/download:", type="tertiary",
        help="Für Excel: Semikolon, Dezimalkomma, UTF-8",
    )  # fmt: skip
    row.download_button(
        "Excel", data=partial(tables.table_to_xlsx, frame, columns, demo=ctx.demo, source=source),
        file_name=f"{file}.xlsx", mime=XLSX, key=f"dl-{name}-xlsx", on_click="ignore",
        icon=":material/download:", type="tertiary", help="Excel-Datei mit echten Zahlen",
    )  # fmt: skip


def deck_builder() -> None:
    """Members, reporting year and meeting date, a button, a progress bar, the download."""
    db_path, viewer = data.db_file(), data.current_viewer()
    years = data.years(db_path)
    if not years:
        st.info("Noch keine Daten vorhanden – der Foliensatz braucht mindestens ein Berichtsjahr.")
        return
    rep = data.report(viewer, db_path)  # the members this view may see (consent)
    names = {m: r.short_name for m, r in rep.member.items()}
    with st.form("kek-deck"):
        left, right = st.columns(2)
        year = left.selectbox("Berichtsjahr", years[::-1])
        meeting = right.date_input("Sitzungsdatum", value=date.today(), format="DD.MM.YYYY")
        chosen = st.multiselect(
            "Mitglieder mit eigener Folie", list(names), default=list(names),
            format_func=names.get, placeholder="keine (nur Netzwerkfolien)",
            disabled=not names,
        )  # fmt: skip
        go_ = st.form_submit_button(
            "Foliensatz erstellen", type="primary", icon=":material/slideshow:"
        )
    if go_:
        bar = st.progress(0.0, text="Foliensatz wird erstellt …")

        def report(fraction: float, text: str) -> None:
            bar.progress(min(max(fraction, 0.0), 1.0), text=text)

        try:
            with data.cursor(db_path) as cur:  # the chosen Datenstand (live or frozen)
                from kek_data.export import deck  # python-pptx: loaded on the first deck

                pptx = deck.build_deck(cur, viewer, year=int(year), members=chosen,
                                       meeting_date=meeting, progress=report)  # fmt: skip
        except KekError as exc:
            bar.empty()
            st.error(f"Der Foliensatz ließ sich nicht erstellen: {exc}")
            return
        file = f"KEK_Sitzungsfoliensatz_{year}_{meeting:%Y-%m-%d}.pptx"
        st.session_state["kek-deck-file"] = (viewer.audience, file, pptx)
    made = st.session_state.get("kek-deck-file")
    if made and made[0] == viewer.audience:  # never another role's deck after a role change
        _, file, pptx = made
        st.download_button(
            deck_label(file, len(pptx)),
            data=pptx, file_name=file, mime=PPTX, key="dl-deck", on_click="ignore",
            icon=":material/download:", type="primary",
        )  # fmt: skip


def deck_label(file: str, size: int) -> str:
    """Label of the deck's download: "KEK_…_2026-12-01.pptx herunterladen (1,5 MB)"."""
    return f"{file} herunterladen ({format_number(size / 1e6, 1)} MB)"


def _package(con, viewer, year: int | None) -> bytes:
    cur = con.cursor()  # the callable runs in its own thread: its own cursor
    try:
        from kek_data.export import package

        return package.build_package(cur, viewer, year)
    finally:
        cur.close()


def data_package_download(year: int | None = None) -> None:
    """One button: the ZIP with every table as CSV and XLSX plus README, made on click."""
    db_path, viewer = data.db_file(), data.current_viewer()
    con = data.connection(db_path)
    st.download_button(
        "Datenpaket (ZIP) herunterladen", data=partial(_package, con, viewer, year),
        file_name=f"KEK_Datenpaket_{_stamp()}.zip", mime="application/zip", key="dl-package",
        on_click="ignore", icon=":material/folder_zip:",
        help="Alle Tabellen als CSV und Excel, mit README zu Spalten und Einheiten",
    )  # fmt: skip
