"""Tables behind the pages: key figures per member as numbers, and their German display form.

Why: the pages and the exports show the same tables; they are built here from
:mod:`kek_data.progress` so that a number on screen is two hops from its formula. Numeric tables
keep [t CO₂e], [%] and [%/a] as floats (for downloads); :func:`german` turns them into text
for display ("1.234,5").
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from kek_data import config
from kek_data.numbers import format_numbers
from kek_data.progress import Kpi
from kek_data.wording import rate_pct, zero_year

STATUS_LABEL = {
    "gruen": "🟢 auf Kurs",
    "gelb": "🟡 knapp",
    "rot": "🔴 Rückstand",
    "ohne Ziel": "⚪ ohne Ziel",
}


def status_counts(kpis: Mapping[str, Kpi]) -> dict[str, int]:
    """How many members are green, yellow, red or without a target."""
    counts = dict.fromkeys(STATUS_LABEL, 0)
    for k in kpis.values():
        counts[k.status] = counts.get(k.status, 0) + 1
    return counts


def _rate(rate) -> float | None:
    return None if rate is None else rate.pct_per_year


def member_table(kpis: Mapping[str, Kpi], members: pd.DataFrame) -> pd.DataFrame:
    """One row per member: latest year and value, change vs base, path, gap, status [t CO₂e, %]."""
    rows = []
    for m in members.itertuples():
        k = kpis.get(m.member_id)
        if k is None:
            continue
        rows.append(
            {
                "Mitglied": m.short_name,
                "Jahr": k.latest_year,
                "Emissionen [t CO₂e]": k.latest,
                "Basisjahr": k.base_year,
                "Veränderung ggü. Basis [%]": k.change_pct,
                "Zielpfad [t CO₂e]": k.path_latest,
                "Abstand zum Pfad [t CO₂e]": k.gap_latest,
                "Status": STATUS_LABEL.get(k.status, k.status),
            }
        )
    return pd.DataFrame(rows)


def rates_table(kpis: Mapping[str, Kpi], members: pd.DataFrame) -> pd.DataFrame:
    """Achieved (last 5 years) vs required rate to 2030, per member.

    achieved/required: linear, in % of the latest year's emissions per year [%/a] (defined also
    for targets of zero). The compound rates are in :func:`path_table`. A member whose rates
    start from an older reporting year than the newest among the rows is labelled with its year,
    e.g. "Caritas (2024)", as in :func:`gap_table`.
    """
    shown = [(m, kpis[m.member_id]) for m in members.itertuples() if m.member_id in kpis]
    newest = max((k.latest_year for _, k in shown if k.latest_year is not None), default=None)
    rows = []
    for m, k in shown:
        label = m.short_name
        if k.latest_year is not None and k.latest_year != newest:
            label += f" ({k.latest_year})"
        rows.append(
            {
                "member_id": m.member_id,
                "short_name": label,
                "achieved": rate_pct(k.achieved, k.latest),
                "required": rate_pct(k.required_2030, k.latest),
            }
        )
    return pd.DataFrame(rows)


def gap_table(
    kpis: Mapping[str, Kpi], members: pd.DataFrame, year: int | None = None
) -> pd.DataFrame:
    """Gap to the own path in each member's reporting year [t CO₂e] with status.

    A member whose newest complete year is not ``year`` is labelled with its year, e.g.
    "Caritas (2024)", so the chart never passes an older gap off as one of ``year``.
    """
    rows = []
    for m in members.itertuples():
        k = kpis.get(m.member_id)
        if k is None or k.gap_latest is None:
            continue
        label = m.short_name
        if year is not None and k.latest_year != year:
            label += f" ({k.latest_year})"
        rows.append({"short_name": label, "gap": k.gap_latest, "status": k.status})
    return pd.DataFrame(rows, columns=["short_name", "gap", "status"])


def share_table(totals: pd.DataFrame, members: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each member's emissions in ``year`` [t CO₂e] with short_name and sort_order."""
    if totals.empty or year not in totals.index:
        return pd.DataFrame(columns=["short_name", "t_co2e", "sort_order"])
    row = totals.loc[year]
    out = members[["member_id", "short_name", "sort_order"]].copy()
    out["t_co2e"] = [float(row.get(m, 0.0) or 0.0) for m in out["member_id"]]
    return out[out["t_co2e"] > 0]


def share_display(shares: pd.DataFrame, network_total: float, year: int) -> pd.DataFrame:
    """:func:`share_table` with German headers: emissions [t CO₂e] and share of the network [%]."""
    return pd.DataFrame(
        {
            "Mitglied": shares["short_name"],
            f"Emissionen {year} [t CO₂e]": shares["t_co2e"],
            "Anteil am Netzwerk [%]": shares["t_co2e"] / network_total * 100,
        }
    )


def path_table(kpis: Mapping[str, Kpi], members: pd.DataFrame) -> pd.DataFrame:
    """What it takes, per member: still to reduce to 2030/2035, required rates, trend, budget."""
    rows = []
    m30, n35 = config.MILESTONE_YEAR, config.NEUTRALITY_YEAR
    for m in members.itertuples():
        k = kpis.get(m.member_id)
        if k is None:
            continue
        rows.append(
            {
                "Mitglied": m.short_name,
                f"Noch zu mindern bis {m30} [t CO₂e]": k.to_go_2030,
                f"Nötig bis {m30} [%/a, linear]": rate_pct(k.required_2030, k.latest),
                f"Nötig bis {m30} [%/a, geometrisch]": _rate(k.required_2030),
                f"Nötig bis {n35} [t CO₂e/a]": None if k.required_2035 is None
                else k.required_2035.t_per_year,
                "Erreicht, 5 Jahre [%/a, linear]": rate_pct(k.achieved, k.latest),
                "Null erreicht im Trend": k.zero_year,
                "Budget übrig bis 2035 [t CO₂e]": None if k.budget is None else k.budget.left,
            }
        )  # fmt: skip
    return pd.DataFrame(rows)


def default_selection(totals: pd.DataFrame, members: pd.DataFrame, n: int = 10) -> list[str]:
    """Preselected members for comparisons: all up to ``n``, else the ``n`` largest (latest)."""
    if len(members) <= n or totals.empty:
        return list(members["member_id"])
    latest = totals.ffill().iloc[-1]
    ranked = sorted(members["member_id"], key=lambda m: -float(latest.get(m, 0.0) or 0.0))
    chosen = set(ranked[:n])
    return [m for m in members["member_id"] if m in chosen]


def emissions_table(
    detail: pd.DataFrame, names: Mapping[str, str], carrier_names: Mapping[str, str]
) -> pd.DataFrame:
    """Derived emissions per member, year, carrier with German headers [kWh, t CO₂e]."""
    return pd.DataFrame(
        {
            "Mitglied": detail["member_id"].map(names),
            "Jahr": detail["year"],
            "Energieträger": detail["carrier_id"].map(carrier_names),
            "Scope": detail["scope"],
            "Endenergie [kWh]": detail["kwh"].astype("float64"),
            "Emissionen [t CO₂e]": detail["t_co2e"].astype("float64"),
        }
    )


def activity_display(act: pd.DataFrame) -> pd.DataFrame:
    """Reported quantities as uploaded, with German headers (quantity in the reported unit)."""
    return pd.DataFrame(
        {
            "Mitglied": act["mitglied"],
            "Jahr": act["year"],
            "Energieträger": act["energietraeger"],
            "Menge": act["quantity"].astype("float64"),
            "Einheit": act["unit"],
            "Standort": act["site"],
            "Datei": act["file_name"],
            "Eingang": act["submitted_at"].dt.strftime("%d.%m.%Y"),
        }
    )


def factors_table(factors: pd.DataFrame) -> pd.DataFrame:
    """Emission factors with German headers; factor in [g CO₂e/kWh] (query ``factors``)."""
    return pd.DataFrame(
        {
            "Energieträger": factors["name"],
            "gültig ab": factors["valid_from"].astype(str),
            "Faktor [g CO₂e/kWh]": factors["g_co2e_per_kwh"].astype("float64"),
            "Status": factors["status"],
            "Herleitung": factors["derivation"],
            "Quelle": factors["source"],
        }
    )


def conversions_table(conversions: pd.DataFrame) -> pd.DataFrame:
    """Unit conversions, German headers: quantity [Einheit] × Faktor = [in] (``conversions``)."""
    return pd.DataFrame(
        {
            "Energieträger": conversions["name"],
            "Einheit": conversions["unit"],
            "Faktor": conversions["factor"].astype("float64"),
            "in": conversions["target_unit"],
            "Herleitung": conversions["derivation"],
            "Quelle": conversions["source"],
        }
    )


def german(
    df: pd.DataFrame, decimals: int = 0, columns: Mapping[str, int] | None = None
) -> pd.DataFrame:
    """Display copy: floats as German text ("1.234"), [%] columns with one decimal, years plain.

    ``columns`` overrides the number of decimals per column name.
    """
    columns = columns or {}
    out = df.copy()
    for col in out.columns:
        if "im Trend" in col:
            out[col] = [zero_year(None if v is None or v != v else int(v)) for v in out[col]]
        elif col in ("Jahr", "Basisjahr"):
            out[col] = ["–" if v is None or v != v else str(int(v)) for v in out[col]]
        elif "[%" in col:
            signed = "Veränderung" in col
            values = out[col].astype("float64")
            out[col] = [
                t if t == "–" else ("+" if signed and t.strip("0,") and v > 0 else "") + t + " %"
                for v, t in zip(values, format_numbers(values, 1), strict=True)
            ]
        elif out[col].dtype.kind == "f" or "[t" in col:
            out[col] = format_numbers(out[col].astype("float64"), columns.get(col, decimals))
    return out
