"""The parts of the page Ziele: the target in force, its history and the form of a new version.

Reads are cached per audience (``data.data_changed`` after a write clears them); writes go
through ``kek_data.targets.add_version`` / ``confirm``, which check the viewer themselves, so a
forged form cannot write. Every number in German (``kek_data.numbers``).
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from kek_data import progress, reference, target_history, targets
from kek_data.errors import GermanNumberError, KekError, TargetError, TargetErrors
from kek_data.numbers import (
    format_count,
    format_date,
    format_number,
    format_plain,
    format_t,
    parse_german_number,
)
from kek_data.viewer import Viewer
from ui import data
from ui.text import plain

DONE = "kek-z-done"  # session key of the message after a save (shown after the rerun)
YEAR, PCT = "Jahr", "Minderung [%]"


@st.cache_data(show_spinner=False)
def _versions(
    audience: Viewer, db_path: str, owner: str, purpose: str
) -> list[target_history.Version]:
    with data.cursor() as cur:
        return target_history.versions(cur, audience, owner, purpose)


def versions(viewer: Viewer, db_path: str, owner: str, purpose: str):
    """Every version of ``owner``'s target of ``purpose``, newest first (cached per role)."""
    return _versions(viewer.audience, db_path, owner, purpose)


@st.cache_data(show_spinner=False)
def derived_base(db_path: str, owner: str, base_year: int) -> float | None:
    """The base value [t CO₂e] a version without an entered base takes (``targets``)."""
    with data.cursor() as cur:
        return targets.derived_base(cur, owner, base_year)


def _day(value: date | None) -> str:
    return "–" if value is None else format_date(value)


def base_text(db_path: str, t: progress.Target) -> str:
    """ "aus Daten 2015: 12.345 t CO₂e" or the entered base value."""
    if not t.base_derived:
        return f"{format_t(t.base_value, 0)} (eingetragen)"
    return f"aus Daten {t.base_year}: {format_t(derived_base(db_path, t.owner, t.base_year), 0)}"


def flash() -> None:
    """The message of the last save, once."""
    message = st.session_state.pop(DONE, None)
    if message:
        st.success(message, icon=":material/check:")


def _saved(message: str) -> None:
    data.data_changed()
    st.session_state[DONE] = message
    st.rerun()


def show(viewer: Viewer, db_path: str, owner: str, purpose: str, name: str) -> None:
    """The version in force, the confirm button, the history and (network management) the form."""
    found = versions(viewer, db_path, owner, purpose)
    now = next((v.target for v in found if v.in_force), None)
    if now is None:
        st.info("Noch kein Ziel vereinbart." if purpose == "ziel" else "Keine Vorgabe erfasst.")
    else:
        body = f" · {plain(now.body)}" if now.body else ""
        st.markdown(f"**{plain(now.describe())}** · {plain(now.kind)}{body}")
        st.markdown(
            f"{targets.SCOPE_LABELS.get(now.scopes, now.scopes)} · Basiswert "
            f"{base_text(db_path, now)} · vereinbart am {_day(now.agreed_on)} · gültig ab "
            f"{_day(now.valid_from)} · eingetragen von {plain(now.entered_by or '–')}"
        )
        st.caption(f"Quelle: {plain(now.source)}" + (" (Demodaten)" if now.is_demo else ""))
        if not now.verified:
            st.warning("unbestätigte Annahme", icon=":material/help:")
            if viewer.manages and st.button(
                "Annahme bestätigen", icon=":material/verified:", key=f"kek-z-{purpose}-confirm"
            ):
                try:
                    with data.cursor() as cur:
                        targets.confirm(cur, viewer, owner, purpose)
                except TargetErrors as exc:
                    _refused(exc)
                else:
                    _saved(f"{name}: Annahme bestätigt (neue Version, gültig ab heute).")
    if found:
        count = format_count(len(found), "Version", "Versionen")
        with st.expander(f"Verlauf ({count})", icon=":material/history:"):
            st.dataframe(history(found), hide_index=True, width="stretch")
    if viewer.manages:
        form(viewer, db_path, owner, purpose, name, now)


def history(found: list[target_history.Version]) -> pd.DataFrame:
    """One row per version: when, who, what the target says and what changed."""
    return pd.DataFrame(
        [
            {"gültig ab": _day(v.target.valid_from),
             "eingetragen": "–" if v.set_at is None else v.set_at.strftime("%d.%m.%Y %H:%M"),
             "von": v.target.entered_by or "–", "Ziel": v.target.describe(),
             "Zielart": v.target.kind, "vereinbart am": _day(v.target.agreed_on),
             "bestätigt": "ja" if v.target.verified else "nein",
             "gilt heute": "ja" if v.in_force else "", "Änderungen": " · ".join(v.changes)}
            for v in found
        ]
    )  # fmt: skip


def form(
    viewer: Viewer, db_path: str, owner: str, purpose: str, name: str, now: progress.Target | None
) -> None:
    """The form of a new version; on bad input one error per problem, naming its field."""
    key = f"kek-z-{purpose}-{owner}"
    kinds = list(targets.KINDS)
    kind = (
        now.kind if now else kinds[1 if purpose == "vorgabe" else 3 if owner == "netzwerk" else 0]
    )
    marks = dict(now.milestones) if now else {}
    with st.form(key):
        st.markdown("**Neue Version eintragen**")
        c1, c2 = st.columns(2)
        base_year = c1.number_input(
            "Basisjahr", value=now.base_year if now else 2015, step=1, format="%d",
            key=f"{key}-base-year",
        )  # fmt: skip
        stored = "" if now is None or now.base_derived else format_number(now.base_value, 1)
        base_value = c2.text_input(
            "Basiswert [t CO₂e] (leer = aus den Daten)", value=stored, key=f"{key}-base-value"
        )
        derived = derived_base(db_path, owner, int(base_year))
        c2.caption(f"aus Daten {int(base_year)}: {format_t(derived, 0)}")
        years = pd.array(list(marks), dtype="Int64")
        table = st.data_editor(
            pd.DataFrame({YEAR: years, PCT: pd.array(list(marks.values()), dtype="Float64")}),
            num_rows="dynamic", hide_index=True, key=f"{key}-milestones",
            column_config={YEAR: st.column_config.NumberColumn(YEAR, format="%d", step=1),
                           PCT: st.column_config.NumberColumn(PCT, help="ggü. dem Basisjahr")},
        )  # fmt: skip
        c1, c2, c3 = st.columns(3)
        neutral = c1.number_input(
            "Neutralitätsjahr (leer = keins)", value=now.neutrality_year if now else None,
            step=1, format="%d", key=f"{key}-neutral",
        )  # fmt: skip
        residual_text = c2.text_input(  # text, not number_input: German decimals ("2,5")
            "Restanteil im Neutralitätsjahr [%]",
            value=format_plain(now.residual_pct if now else 0.0),
            key=f"{key}-residual",
        )
        scopes = c3.selectbox(
            "Scopes", targets.SCOPES, index=targets.SCOPES.index(now.scopes if now else "1+2"),
            format_func=targets.SCOPE_LABELS.get, key=f"{key}-scopes",
        )  # fmt: skip
        c1, c2 = st.columns(2)
        kind = c1.selectbox("Zielart", kinds, index=kinds.index(kind), key=f"{key}-kind")
        agreed = c2.date_input(
            "Vereinbart am", value=now.agreed_on if now else None, format="DD.MM.YYYY",
            key=f"{key}-agreed",
        )  # fmt: skip
        body, own_base = None, False
        if purpose == "vorgabe":
            body = st.text_input("Dachverband", value=(now.body or "") if now else "",
                                 key=f"{key}-body")  # fmt: skip
            own_base = st.checkbox(
                "Basisjahr und Basiswert des eigenen Ziels verwenden",
                value=now is None or now.basis == reference.OWN_BASE, key=f"{key}-own-base",
                help="Die Vorgabe wird vom Basisjahr des eigenen Ziels aus gerechnet "
                "(Basisjahr oben wird dann nicht verwendet).",
            )  # fmt: skip
        source = st.text_area("Quelle", value=now.source if now else "", key=f"{key}-source")
        if not st.form_submit_button(
            "Version speichern", type="primary", icon=":material/save:", key=f"{key}-save"
        ):
            return
    unread: list[TargetError] = []
    value = None
    if base_value.strip():
        try:
            value = parse_german_number(base_value)
        except GermanNumberError as exc:
            unread.append(TargetError("base_value", str(exc)))
    residual = 0.0
    if residual_text.strip():
        try:
            residual = parse_german_number(residual_text)
        except GermanNumberError as exc:
            unread.append(TargetError("residual_pct", str(exc)))
    found: dict[int, float] = {}
    try:
        rows = [
            [None if pd.isna(v) else float(v) for v in row] for row in table[[YEAR, PCT]].values
        ]
        found = targets.milestone_table(rows)
    except TargetErrors as exc:
        unread += exc.errors
    draft = targets.Draft(
        owner=owner, base_year=int(base_year), base_value=value, milestones=found,
        neutrality_year=None if neutral is None else int(neutral), residual_pct=float(residual),
        scopes=scopes, kind=kind, source=source, agreed_on=agreed or None, purpose=purpose,
        body=body, own_base=own_base,
    )  # fmt: skip
    try:
        with data.cursor() as cur:
            targets.add_version(cur, viewer, draft, unread)
    except TargetErrors as exc:
        _refused(exc)
    except KekError as exc:
        st.error(f"Nichts wurde gespeichert: {plain(exc)}")
    else:
        _saved(f"{name}: neue Version gespeichert (gültig ab heute).")


def _refused(exc: TargetErrors) -> None:
    """One German error per problem, naming its field; nothing was saved."""
    for e in exc.errors:
        st.error(f"{targets.FIELD_LABELS.get(e.field, e.field)}: {plain(e.message)}")
    st.caption("Nichts wurde gespeichert.")
