"""The method tables of the data package: own effort vs grid mix, electricity on both bases.

Both read what the viewer's report and :mod:`kek_data.scope2` computed; nothing is computed here.
Values [t CO₂e], [kWh], factors [g CO₂e/kWh].
"""

from __future__ import annotations

import duckdb
import pandas as pd

from kek_data import scope2, views
from kek_data.export.package_columns import MEMBER, SHORT, YEAR, T, Table, _c
from kek_data.report import Report


def decomposition(snap: Report) -> Table:
    """The decomposition of each visible owner and year (kek_data.decomposition)."""
    pts = "Punkte"
    cols = [MEMBER, SHORT, YEAR,
            _c("base_year", "Basisjahr", "year", text="Basisjahr der Zerlegung"),
            _c("base", "Basis", "number", T, "Emissionen im Basisjahr (gezählte Werte)"),
            _c("latest", "Ist", "number", T, "Emissionen des Jahres (gezählte Werte)"),
            _c("activity", "Eigene Minderung", "number", T,
               "heutiger Verbrauch zu Faktoren des Basisjahrs minus Basis (Methodik: Eigene "
               "Minderung und Strommix)"),
            _c("factors", "Sauberere Faktoren", "number", T, "Ist minus heutiger Verbrauch zu "
               "Faktoren des Basisjahrs (v. a. Strommix)"),
            _c("unassigned", "Faktor fehlt", "number", T, "in keinem Teil (kein Basisjahr-Faktor)"),
            _c("activity_pts", "Eigene Minderung", "number", pts, "in Prozentpunkten der Basis"),
            _c("factors_pts", "Sauberere Faktoren", "number", pts, "in Prozentpunkten der Basis"),
    ]  # fmt: skip
    names = {**snap.names, "netzwerk": "Netzwerk gesamt"}
    rows = [
        {"member_id": owner, "short_name": names[owner], "year": y, "base_year": d.base_year,
         "base": d.base, "latest": d.latest, "activity": d.activity, "factors": d.factors,
         "unassigned": d.unassigned, "activity_pts": d.points(d.activity),
         "factors_pts": d.points(d.factors)}
        for owner, parts in snap.parts.items() for y, d in parts.items()
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=[c.key for c in cols])
    text = (
        "Veränderung seit dem Basisjahr, zerlegt in eigene Minderung und sauberere Faktoren, je "
        "Mitglied und Jahr; das Netzwerk nur, wo seine Summe gezeigt wird."
    )
    return Table("zerlegung", "Zerlegung", text, frame, cols)


def electricity(snap: Report, con: duckdb.DuckDBPyConnection) -> Table:
    """Electricity per visible member (not pseudonymised ones) and year on both bases."""
    named = {m: r.short_name for m, r in snap.member.items() if not views.is_pseudonym(r)}
    rows = [
        {"member_id": r.member_id, "short_name": named[r.member_id], "year": r.year,
         "kwh": r.kwh, "contract_kwh": r.contract_kwh, "proofs": r.proofs,
         "rest_kwh": r.rest_kwh, "residual_g": r.residual_g, "location_t": r.location_t,
         "market_t": r.market_t, "notes": "; ".join(r.notes)}
        for r in scope2.years(con, snap.viewer) if r.member_id in named
    ]  # fmt: skip
    cols = [MEMBER, SHORT, YEAR,
            _c("kwh", "Strom", "number", "kWh", "gemeldeter Strom, alle Standorte", fmt="#,##0"),
            _c("contract_kwh", "davon mit Vertrag", "number", "kWh",
               "Strom unter Verträgen mit Nachweis (Herkunftsnachweise, Stromkennzeichnung)",
               fmt="#,##0"),
            _c("proofs", "Nachweise", text="die Nachweise der Verträge"),
            _c("rest_kwh", "Rest", "number", "kWh", "Strom ohne Vertrag (zum Reststrommix)",
               fmt="#,##0"),
            _c("residual_g", "Reststrommix", "number", "g CO₂e/kWh",
               "Faktor des Reststrommix (nicht geprüft, siehe Hinweis)"),
            _c("location_t", "Strom standortbezogen", "number", T, "Strom × BISKO-Strommix"),
            _c("market_t", "Strom marktbasiert", "number", T,
               "Vertrag kWh × Vertragsfaktor + Rest × Reststrommix, geteilt durch 10⁶"),
            _c("notes", "Hinweis", text="gekürzte Verträge, übertragener oder ungeprüfter "
               "Reststrommix"),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=[c.key for c in cols])
    text = (
        f"Strom (Scope 2) je Mitglied und Jahr auf beiden Bilanzbasen: "
        f"{scope2.BASES[scope2.STANDORT]} und {scope2.BASES[scope2.MARKT]}. Alle anderen "
        "Tabellen sind standortbezogen."
    )
    return Table("strom_scope2", "Strom Scope 2", text, frame, cols)


def wedge(snap: Report) -> Table:
    """The measures against the gap per owner (kek_data.wedge, rows of kek_data.wedge_build)."""
    from kek_data import wedge_build

    pct = "% der Lücke"
    cols = [MEMBER, SHORT,
            _c("latest_year", "Letztes Jahr", "year", text="letztes gezähltes Jahr (Beginn)"),
            _c("target_year", "Zieljahr", "year", text="nächstes Zieljahr nach dem Berichtsjahr"),
            _c("gap_t", "Lücke", "number", T, "Trend minus Pfad im Zieljahr (≤ 0: keine Lücke)"),
            _c("decided_t", "Beschlossen, begonnen, umgesetzt", "number", T,
               "Keil der beschlossenen, in Umsetzung befindlichen und umgesetzten Maßnahmen"),
            _c("uncovered_t", "Ungedeckte Lücke", "number", T, "Lücke minus beschlossene (≥ 0)"),
            _c("uncovered_pct", "Ungedeckt", "number", pct, "ungedeckte Lücke in % der Lücke"),
            _c("planned_t", "Geplant", "number", T, "Keil der geplanten Maßnahmen"),
            _c("n_measures", "Maßnahmen", "int", text="Maßnahmen (ohne verworfene)"),
            _c("n_incomplete", "Ohne Einsparangabe", "int", text="nicht eingerechnet"),
            *(_c(s, s, "number", T, f"Keil „{s}“ im Zieljahr") for s in wedge_build.STACK_ORDER),
    ]  # fmt: skip
    frame = pd.DataFrame(wedge_build.rows(snap.wedges, snap.names), columns=[c.key for c in cols])
    text = (
        "Maßnahmen gegen die Lücke: wie viel der Lücke zwischen Trend und Pfad im nächsten "
        "Zieljahr die Maßnahmen schließen (nur der Teil, der noch nicht in den gemeldeten "
        "Emissionen steckt); das Netzwerk als Summe aller Maßnahmen, nur wo seine Summe gezeigt "
        "wird; standortbezogen."
    )
    return Table("massnahmen_luecke", "Maßnahmen gegen die Lücke", text, frame, cols)
