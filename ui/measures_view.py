"""Widgets of the page „Maßnahmen“: the German table and the fields of a measure (add/update).

The fields are plain widgets (no ``st.form``), so the units follow the chosen carrier and the
saving's form (t CO₂e/a or energy) can be switched; nothing is written before the button. Every
rule is checked in :mod:`kek_data.measures`; the page shows its messages at the field.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from kek_data import measures
from kek_data.numbers import format_numbers

T_FORM, ENERGY_FORM = "in t CO₂e/a", "als Energie je Jahr"


def table(df: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The measures of :func:`kek_data.measures.savings` with German columns and numbers."""
    return pd.DataFrame({
        "Nr.": df["measure_id"].astype(int),
        "Mitglied": [names.get(m, m) for m in df["member_id"]],
        "Titel": df["title"],
        "Handlungsfeld": df["field"],
        "Status": df["status"],
        "Beginn": df["start_year"].astype(str),
        "Ende": df["end_year"].astype(str),
        "Umsetzung [%]": format_numbers(df["completion_pct"], 0),
        "Einsparung [t CO₂e/a]": format_numbers(df["saving_t"], 1),
        "Grundlage der Einsparung": df["saving_basis"],
        "Verantwortlich": df["responsible"],
        "Arbeitsgruppe": df["group_name"].fillna("–"),
        "Sichtbarkeit": df["visibility"],
    })  # fmt: skip


def _index(options: list, value: object) -> int:
    return options.index(value) if value in options else 0


def fields(key: str, units: dict, groups: dict, d: measures.Draft | None = None) -> dict:
    """The fields of a measure (prefilled from ``d``) as a mapping for :func:`measures.add`."""
    year = date.today().year
    values: dict[str, object] = {"title": st.text_input("Titel", d.title if d else "",
                                                        key=f"{key}_title")}  # fmt: skip
    values["description"] = st.text_area("Beschreibung", d.description if d else "",
                                          key=f"{key}_description", height=80)  # fmt: skip
    c1, c2 = st.columns(2)
    values["field"] = c1.selectbox(
        "Handlungsfeld",
        measures.FIELDS,
        key=f"{key}_field",
        index=_index(list(measures.FIELDS), d and d.field),
    )
    values["status"] = c2.selectbox(
        "Status",
        measures.STATUSES,
        key=f"{key}_status",
        index=_index(list(measures.STATUSES), d and d.status),
    )
    c1, c2, c3 = st.columns(3)
    values["start_year"] = int(
        c1.number_input(
            "Beginn (Jahr)",
            1990,
            measures.LAST_YEAR,
            d.start_year if d else year,
            key=f"{key}_start",
        )
    )
    values["end_year"] = int(
        c2.number_input(
            "Ende (Jahr)", 1990, measures.LAST_YEAR, d.end_year if d else year + 1, key=f"{key}_end"
        )
    )
    values["completion_pct"] = c3.number_input("Umsetzung [%]", 0.0, 100.0, float(
        d.completion_pct if d else 0.0), 5.0, key=f"{key}_pct")  # fmt: skip
    energy = d is not None and d.saving_t_per_year is None
    form = st.radio("Erwartete Einsparung", (T_FORM, ENERGY_FORM), index=int(energy),
                    horizontal=True, key=f"{key}_form")  # fmt: skip
    if form == T_FORM:
        values["saving_t_per_year"] = st.number_input(
            "Einsparung [t CO₂e/a]", 0.0, measures.MAX_T, float(d.saving_t_per_year or 0.0)
            if d else 0.0, 1.0, format="%.1f", key=f"{key}_t")  # fmt: skip
        values |= {"saving_quantity": None, "saving_unit": None, "saving_carrier_id": None}
    else:
        c1, c2, c3 = st.columns(3)
        ids = list(units)
        carrier = c1.selectbox(
            "Energieträger",
            ids,
            format_func=lambda c: units[c][0],
            index=_index(ids, d and d.saving_carrier_id),
            key=f"{key}_carrier",
        )
        values["saving_quantity"] = c2.number_input(
            "Energie je Jahr", 0.0, measures.MAX_QUANTITY, float(d.saving_quantity or 0.0)
            if d else 0.0, 1000.0, format="%.0f", key=f"{key}_qty")  # fmt: skip
        options = units[carrier][1]
        values["saving_unit"] = c3.selectbox(
            "Einheit",
            options,
            key=f"{key}_unit_{carrier}",
            index=_index(options, d and d.saving_unit),
        )
        values |= {"saving_carrier_id": carrier, "saving_t_per_year": None}
    c1, c2, c3 = st.columns(3)
    values["responsible"] = c1.text_input("Verantwortlich", d.responsible if d else "",
                                          key=f"{key}_responsible")  # fmt: skip
    group_ids = [None, *groups]
    values["group_id"] = c2.selectbox("Arbeitsgruppe", group_ids, key=f"{key}_group",
                                      format_func=lambda g: "keine" if g is None else groups[g],
                                      index=_index(group_ids, d and d.group_id))  # fmt: skip
    values["visibility"] = c3.selectbox(
        "Sichtbarkeit", measures.VISIBILITIES, key=f"{key}_visibility",
        index=_index(list(measures.VISIBILITIES), d and d.visibility),
        help="öffentlich: andere Mitglieder sehen die Maßnahme, wenn die Freigabe des Mitglieds "
        "„namentlich“ ist; intern: nur das eigene Mitglied, Netzwerkmanagement und Stadt.",
    )  # fmt: skip
    return values
