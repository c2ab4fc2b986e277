"""Tables behind the pages: key figures per member as numbers, and their German display form.

Why: the pages and the exports show the same tables; they are built here from the report
snapshot (:mod:`kek_data.report`) and choose and label its figures, computing nothing new, so
that a number on screen is two hops from its formula. Numeric tables
keep [t CO₂e], [%] and [%/a] as floats (for downloads); :func:`german` turns them into text
for display ("1.234,5").
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from kek_data import access, status
from kek_data.numbers import format_numbers
from kek_data.report import MemberReport, Report
from kek_data.wording import LAST_YEARS, zero_year

STATUS_LABEL = {key: light.label for key, light in status.LIGHTS.items()}


def status_line(lights: Mapping[str, int]) -> str:
    """The traffic-light counts in one line, e.g. "🟢 auf Kurs: **3** · 🟡 knapp: **1** · …"."""
    return " · ".join(f"{STATUS_LABEL[key]}: **{n}**" for key, n in lights.items())


def total_withheld(rep: Report) -> bool:
    """True when the viewer may not see the network total of the reporting year (fewer than
    three contributors, or exactly one member withheld: :func:`access.total_shown`)."""
    return rep.network.latest is None and not rep.viewer.sees_all_members


def withheld_years(rep: Report) -> list[int]:
    """Years up to the reporting year whose network total the viewer may not see [a]."""
    if rep.viewer.sees_all_members:
        return []
    return [y for y in rep.years if y <= rep.year and y not in rep.network.series]


def withheld_text(rep: Report) -> str:
    """What a surface says instead of a withheld network total, e.g. "Netzwerksumme 2025: nicht
    ausgewiesen (weniger als 3 Mitglieder)"; with a shown total, the withheld earlier years
    ("Netzwerksumme 2015, 2016: …"), else ""."""
    years = [rep.year] if total_withheld(rep) else withheld_years(rep)
    return f"Netzwerksumme {', '.join(map(str, years))}: {access.WITHHELD}" if years else ""


def is_pseudonym(r: MemberReport) -> bool:
    """True for a member shown as "Mitglied A" (consent *nur im Gesamtwert*): the report gives
    it no sector ("–") and the pseudonym as both names (:func:`access.visibility`)."""
    return r.sector == "–" and r.name == r.short_name


def sector(r: MemberReport) -> str:
    """The member's sector, "" for a pseudonym ("Mitglied A" is shown without sector)."""
    return "" if is_pseudonym(r) else r.sector


def member_table(rep: Report) -> pd.DataFrame:
    """One row per visible member in the reporting year, plus the network sum for a viewer who
    sees every member (so the rows add up to the total shown) [t CO₂e, %]."""
    rows = []
    for r in rep.member.values():
        k = r.kpi
        rows.append(
            {
                "Mitglied": r.short_name,
                "Jahr": k.latest_year,
                f"Meldung {rep.year}": r.state,
                "Emissionen [t CO₂e]": k.latest,
                "Basisjahr": k.base_year,
                "Veränderung ggü. Basis [%]": k.change_pct,
                "Zielpfad [t CO₂e]": k.path_latest,
                "Abstand zum Pfad [t CO₂e]": k.gap_latest,
                "Status": STATUS_LABEL[k.status],
            }
        )
    if rep.viewer.sees_all_members and rows:
        n = rep.network
        rows.append(
            {
                "Mitglied": "Netzwerk gesamt",
                "Jahr": rep.year,
                f"Meldung {rep.year}": f"{len(rep.coverage.complete)} von "
                f"{rep.coverage.n_members} vollständig",
                "Emissionen [t CO₂e]": n.latest,
                "Basisjahr": n.base_year,
                "Veränderung ggü. Basis [%]": n.change_pct,
                "Zielpfad [t CO₂e]": n.path_latest,
                "Abstand zum Pfad [t CO₂e]": n.gap_latest,
                "Status": STATUS_LABEL[n.status],
            }
        )
    return pd.DataFrame(rows)


def first_reference_year(rep: Report) -> int | None:
    """The network's first reference year after the reporting year (e.g. 2030) [a]."""
    later = [y for y in rep.reference_years if y > rep.year]
    return later[0] if later else None


def rates_table(rep: Report, member_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Achieved vs required rate per member [% of the member's reporting year per year].

    achieved: over the trend window up to the member's reporting year; required: from there to
    its own path value in the network's first reference year (:func:`first_reference_year`).
    Linear, so defined also for targets of zero. Members counted with an older year are
    labelled with it, e.g. "Caritas (2024)".
    """
    wanted = set(rep.member) if member_ids is None else set(member_ids)
    year = first_reference_year(rep)
    rows = []
    for r in rep.member.values():
        if r.member_id not in wanted:
            continue
        step = r.kpi.step(year) if year else None
        rows.append(
            {
                "member_id": r.member_id,
                "short_name": r.label(rep.year),
                "achieved": r.kpi.achieved_pct,
                "required": None if step is None else step.required_pct,
            }
        )
    return pd.DataFrame(rows, columns=["member_id", "short_name", "achieved", "required"])


def gap_table(rep: Report, member_ids: Iterable[str] | None = None) -> pd.DataFrame:
    """Gap to the own path in each member's counted year [t CO₂e] with status (all visible
    members, or ``member_ids``).

    A member counted with an older complete year is labelled with it, e.g. "Caritas (2024)".
    """
    wanted = set(rep.member) if member_ids is None else set(member_ids)
    rows = [
        {"short_name": r.label(rep.year), "gap": r.kpi.gap_latest, "status": r.kpi.status}
        for r in rep.member.values()
        if r.kpi.gap_latest is not None and r.member_id in wanted
    ]
    return pd.DataFrame(rows, columns=["short_name", "gap", "status"])


def share_table(rep: Report) -> pd.DataFrame:
    """Each visible member's counted emissions in the reporting year [t CO₂e], with label and
    sort_order; a member counted with an older year is labelled with it."""
    now = rep.counted[rep.counted["year"] == rep.year].set_index("member_id")["t_co2e"]
    rows = [
        {"member_id": m, "short_name": r.label(rep.year), "t_co2e": float(now[m]),
         "sort_order": r.sort_order}
        for m, r in rep.member.items()
        if m in now.index and now[m] > 0
    ]  # fmt: skip
    return pd.DataFrame(rows, columns=["member_id", "short_name", "t_co2e", "sort_order"])


def share_display(rep: Report) -> pd.DataFrame:
    """:func:`share_table` with German headers: emissions [t CO₂e] and share of the network [%]."""
    shares = share_table(rep)
    return pd.DataFrame(
        {
            "Mitglied": shares["short_name"],
            f"Emissionen {rep.year} [t CO₂e]": shares["t_co2e"],
            "Anteil am Netzwerk [%]": shares["t_co2e"] / rep.network.latest * 100
            if rep.network.latest
            else float("nan"),
        }
    )


def path_table(rep: Report) -> pd.DataFrame:
    """What it takes, per member, to the network's reference years: still to reduce, required
    rates (linear in % of the member's reporting year, and compound), trend, budget."""
    years = [y for y in rep.reference_years if y > rep.year]
    rows = []
    for r in rep.member.values():
        k = r.kpi
        row: dict[str, object] = {"Mitglied": r.short_name, "Jahr": k.latest_year}
        for i, y in enumerate(years):
            step = k.step(y)
            if i == 0:
                row[f"Noch zu mindern bis {y} [t CO₂e]"] = None if step is None else step.to_go
            row[f"Nötig bis {y} [%/a, linear]"] = None if step is None else step.required_pct
            if i == 0:
                row[f"Nötig bis {y} [%/a, geometrisch]"] = (
                    None if step is None else step.required.pct_per_year
                )
        row["Erreicht [%/a, linear]"] = k.achieved_pct
        row["Null erreicht im Trend"] = k.zero_year
        end = rep.network.budget_end
        row[f"Budget übrig bis {end} [t CO₂e]"] = None if k.budget is None else k.budget.left
        rows.append(row)
    return pd.DataFrame(rows)


def short_labels(table: pd.DataFrame) -> dict[str, str]:
    """Short screen labels for the long headers of :func:`path_table` (full name as tooltip)."""
    out = {}
    for col in table.columns:
        short = (
            col.replace("Noch zu mindern bis ", "Rest ")
            .replace("Nötig bis ", "Nötig ")
            .replace("Budget übrig bis ", "Budget ")
            .replace("Null erreicht im Trend", "Null im Trend")
            .replace(" [t CO₂e]", " [t]")
            .replace("[%/a, linear]", "[%/a]")
            .replace("[%/a, geometrisch]", "[%/a geom.]")
        )
        if short != col:
            out[col] = short
    return out


def default_selection(rep: Report, n: int = 10) -> list[str]:
    """Preselected members for comparisons: all up to ``n``, else the ``n`` largest (counted)."""
    ids = list(rep.member)
    if len(ids) <= n:
        return ids
    ranked = sorted(ids, key=lambda m: -(rep.member[m].kpi.latest or 0.0))
    chosen = set(ranked[:n])
    return [m for m in ids if m in chosen]


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


def rates_note(snap: Report) -> str:
    """Speaker note of the rates slide: what both rates mean and their denominator."""
    return (
        f"Erreicht: durchschnittliche Minderung pro Jahr der {LAST_YEARS}. Nötig: Minderung "
        f"pro Jahr vom Berichtsjahr bis zum eigenen Pfadwert {first_reference_year(snap)}. "
        "Beide in % der Emissionen des Berichtsjahres des Mitglieds (linear, daher auch für ein "
        "Ziel von 0 t CO₂e definiert)."
    )


def factors_for_year(factors: pd.DataFrame, year: int) -> list[dict]:
    """Per carrier the factor valid in ``year`` (newest ``valid_from`` ≤ year), carrier order."""
    chosen: dict[str, dict] = {}
    for f in factors.to_dict("records"):
        if int(f["valid_from"]) <= year:
            chosen[f["carrier_id"]] = f  # rows come sorted by carrier, then valid_from
    return list(chosen.values())
