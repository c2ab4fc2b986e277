"""The column vocabulary of the data package (:mod:`kek_data.export.package`): a table, its
columns with header, unit and meaning, and the columns every member table starts with."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from kek_data.export.tables import Column

T = "t CO₂e"


@dataclass(frozen=True)
class Table:
    """One table of the package: file ``name`` (ASCII), sheet ``title``, meaning, data, columns."""

    name: str
    title: str
    description: str
    frame: pd.DataFrame
    columns: Sequence[Column]


def _c(key: str, header: str, kind: str = "text", unit: str = "", text: str = "", fmt=None):
    label = f"{header} [{unit}]" if unit else header
    return Column(key, label, kind, fmt, unit, text)  # type: ignore[arg-type]


MEMBER = _c("member_id", "Kennung", text="Kurzkennung des Mitglieds im Dashboard")
SHORT = _c("short_name", "Mitglied", text="Kurzname des Mitglieds")
YEAR = _c("year", "Jahr", "year", text="Berichtsjahr (Kalenderjahr des Verbrauchs)")
