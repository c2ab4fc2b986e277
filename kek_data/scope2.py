"""Scope 2 on two bases: location-based (BISKO, the default of every figure) and market-based.

Why: a member that buys green power asks why it does not count. The GHG Protocol Scope 2
Guidance (WRI/WBCSD 2015) and ESRS E1-6 ask for both figures: *location-based* uses the grid's
average factor of the year (here the BISKO electricity factor, ``data/emission_factors.csv``;
every figure of the dashboard, target and trend uses it unless a surface says otherwise);
*market-based* uses what the member bought: per contract its supplier-specific factor with
proof (Herkunftsnachweise, Stromkennzeichnung; :mod:`kek_data.contracts`), and for the rest
the residual mix (``data/residual_mix.csv``). The formula is written once, in the view
``emissions_market`` (migration 006):

    t_markt = Σ Vertrag kWh × g_Vertrag / 10⁶ + max(Strom kWh − Vertrag kWh, 0) × g_Rest / 10⁶

[t CO₂e], [kWh], [g CO₂e/kWh]; contracts above the reported electricity are scaled down to it and
flagged. Targets are agreed on the location basis (:data:`TARGET_BASIS`): the market-based view
shows emissions, trend and rates but no target comparison.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import duckdb
import pandas as pd

from kek_data import db, reference
from kek_data.errors import AccessDenied, BasisError
from kek_data.numbers import format_pct, format_t
from kek_data.viewer import Viewer

STANDORT = "standort"
MARKT = "markt"
#: basis → German label, as every surface names it.
BASES = {
    STANDORT: "standortbezogen (BISKO)",
    MARKT: "marktbasiert (GHG Protocol Scope 2)",
}
DEFAULT = STANDORT
#: The sidebar's choice (also the value in a shared address, ``?basis=marktbasiert``) → basis.
CHOICES = {"standortbezogen": STANDORT, "marktbasiert": MARKT}
#: The choice's second line.
CHOICE_CAPTIONS = ("BISKO, Grundlage der Ziele", "GHG Protocol Scope 2, mit Stromverträgen")
#: The basis every target is agreed on (targets, paths, Ampel and gaps exist only on it).
TARGET_BASIS = STANDORT
#: Why a market-based view shows no target comparison (one wording for every surface).
NO_TARGETS = (
    "Die Ziele sind standortbezogen (BISKO) vereinbart; in der marktbasierten Sicht gibt es "
    "daher keinen Zielabgleich (Pfad, Ampel, Lücke, Budget). Auch die Zerlegung in eigene "
    "Minderung und Strommix, die witterungsbereinigte Sicht und der Vergleich mit dem "
    "Stadtgebiet sind nur standortbezogen definiert und fehlen hier."
)


#: What the target pages (Ziele, Zielabgleich) say when the market basis is chosen.
TARGETS_PAGE = (
    "Ziele und Zielabgleich sind standortbezogen (BISKO) vereinbart; diese Seite zeigt sie "
    "deshalb auch bei gewählter marktbasierter Sicht standortbezogen."
)
#: What the Daten and Export pages say on the market basis (their tables and files stay BISKO).
LOCATION_ONLY = (
    "Tabellen und Dateien dieser Seite sind standortbezogen (BISKO); den marktbasierten Strom je "
    "Mitglied und Jahr zeigt die Seite „Strom & Verträge“, im Datenpaket die Tabelle „Strom "
    "Scope 2“."
)


def check(basis: str) -> str:
    """``basis`` if known ('standort', 'markt'), else :class:`BasisError` (German)."""
    if basis not in BASES:
        raise BasisError(
            f"Unbekannte Bilanzbasis „{basis}“. Erlaubt sind: standort (standortbezogen, BISKO, "
            "Vorgabe) oder markt (marktbasiert nach GHG Protocol Scope 2)."
        )
    return basis


def check_viewer(viewer: Viewer, basis: str) -> str:
    """``basis`` if ``viewer`` may read it: the public gets the location basis only (its page
    shows the BISKO figures; market-based figures exist for members and the network)."""
    if check(basis) != DEFAULT and not viewer.sees_member_data:
        raise AccessDenied(
            "Die marktbasierte Sicht ist nur angemeldet verfügbar; öffentlich gelten die "
            "standortbezogenen Zahlen (BISKO)."
        )
    return basis


def label(basis: str) -> str:
    """„Bilanzbasis: standortbezogen (BISKO)“ – the line every page and export shows."""
    return f"Bilanzbasis: {BASES[check(basis)]}"


@dataclass(frozen=True)
class Scope2Year:
    """Electricity of one member and year on both bases."""

    member_id: str
    year: int
    kwh: float  # reported electricity [kWh]
    contract_kwh: float  # under contracts with proof [kWh] (as reported, before any scaling)
    contract_t: float  # contracts' emissions, scaled to the reported electricity [t CO₂e]
    rest_kwh: float  # at the residual mix [kWh]
    residual_g: float | None  # residual mix factor used [g CO₂e/kWh]
    residual_year: int | None  # valid_from of that residual mix record [a]
    residual_status: str
    location_t: float | None  # location-based (BISKO) [t CO₂e]
    market_t: float | None  # market-based [t CO₂e]; None: residual mix missing
    proofs: str  # the contracts' proofs, e.g. "Herkunftsnachweise (HKNR)"

    @property
    def green_share(self) -> float:
        """Share of the electricity under contracts [%]."""
        return 100.0 * min(self.contract_kwh, self.kwh) / self.kwh if self.kwh else 0.0

    @property
    def notes(self) -> tuple[str, ...]:
        """German marks: contracts above consumption, residual mix carried or unchecked."""
        notes = []
        if self.contract_kwh > self.kwh:
            notes.append("Verträge über dem gemeldeten Strom: auf den Verbrauch gekürzt")
        if self.rest_kwh > 0 and self.residual_year is None:
            notes.append("Reststrommix fehlt")
        elif self.rest_kwh > 0 and self.residual_year != self.year:
            notes.append(f"Reststrommix aus {self.residual_year} übertragen")
        if self.rest_kwh > 0 and "nicht geprüft" in self.residual_status:
            notes.append("Reststrommix nicht geprüft")
        return tuple(notes)


def years(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[Scope2Year]:
    """Per member and year with electricity (members filtered by viewer), both bases."""
    return [
        Scope2Year(
            member_id=r[0],
            year=int(r[1]),
            kwh=float(r[2]),
            contract_kwh=float(r[3]),
            contract_t=float(r[4]),
            rest_kwh=float(r[5]),
            residual_g=None if r[6] is None else float(r[6]),
            residual_year=None if r[7] is None else int(r[7]),
            residual_status=r[8] or "",
            location_t=None if r[9] is None else float(r[9]),
            market_t=None if r[10] is None else float(r[10]),
            proofs=r[11] or "",
        )
        for r in db.query_rows(con, "scope2_years", **viewer.params())
    ]


def orphans(con: duckdb.DuckDBPyConnection, viewer: Viewer) -> list[tuple[str, int]]:
    """(member, year) with contracts but no reported electricity: not counted anywhere."""
    return [(m, int(y)) for m, y in db.query_rows(con, "scope2_orphans", **viewer.params())]


def table(rows: list[Scope2Year], names: dict[str, str]) -> pd.DataFrame:
    """German table of :func:`years` for the members in ``names`` (shown id → short name):
    electricity, share under contracts and Scope 2 on both bases [kWh → MWh, t CO₂e]."""
    shown = [r for r in rows if r.member_id in names]
    return pd.DataFrame(
        {
            "Mitglied": [names[r.member_id] for r in shown],
            "Jahr": [r.year for r in shown],
            "Strom [MWh]": [r.kwh / 1e3 for r in shown],
            "davon mit Nachweis [%]": [r.green_share for r in shown],
            "Nachweise": [r.proofs or "–" for r in shown],
            "Scope 2 Strom standortbezogen [t CO₂e]": [r.location_t for r in shown],
            "Scope 2 Strom marktbasiert [t CO₂e]": [r.market_t for r in shown],
            "Hinweis": ["; ".join(r.notes) or "–" for r in shown],
        }
    )


def sentence(row: Scope2Year, name: str) -> str:
    """One German line: both bases of one member's electricity in one year."""
    market = format_t(row.market_t) if row.market_t is not None else "unvollständig (Faktor fehlt)"
    text = (
        f"Strom {name} {row.year}: standortbezogen {format_t(row.location_t)}, marktbasiert "
        f"{market}; {format_pct(row.green_share, 0)} des Stroms mit Nachweis"
        f"{f' ({row.proofs})' if row.proofs else ''}"
        f"{', der Rest mit dem Reststrommix' if row.rest_kwh > 0 else ''}"
    )
    return text + (f" ({'; '.join(row.notes)})." if row.notes else ".")


#: The first residual-mix year of data/residual_mix.csv, as the Methodik quotes it [a].
_FIRST_FILE_YEAR = min(int(r["valid_from"]) for r in reference.read_table("residual_mix.csv"))

METHOD_SHORT = (
    "Strom (Scope 2) wird auf zwei Bilanzbasen gezeigt: standortbezogen mit dem bundesweiten "
    "Strommix des Jahres (BISKO; der Standard jeder Zahl und die Grundlage aller Ziele) und "
    "marktbasiert "
    "mit den Stromverträgen des Mitglieds (GHG Protocol Scope 2 Guidance, 2015; ESRS E1-6 "
    "verlangt beide Werte). Jede Seite und jeder Export nennt die Bilanzbasis."
)
METHOD_DETAILS = (
    "Marktbasiert: Strom unter einem Vertrag mit Nachweis zählt mit dem Faktor des Lieferanten "
    "(Stromkennzeichnung nach § 42 EnWG) oder mit 0 g CO₂e/kWh, wenn Herkunftsnachweise (HKN) "
    "für die Menge entwertet wurden; ein Faktor unter 50 g/kWh wird nur mit Herkunftsnachweisen "
    "angenommen. Der übrige gemeldete Strom zählt mit dem Reststrommix des Jahres (Referenzdaten "
    "mit Quelle je Wert). "
    "Formel: Vertrag kWh × Vertragsfaktor + (Strom kWh − Vertrag kWh) × Reststrommix, je in "
    "g CO₂e/kWh, geteilt durch 10⁶ ergibt t CO₂e. Verträge über dem gemeldeten Strom werden auf "
    "den Verbrauch gekürzt und markiert; Verträge ohne gemeldeten Strom zählen nicht.",
    "Die Reststrommix-Werte sind gerundete Größenordnungen und nicht gegen die amtliche Tabelle "
    "(AIB European Residual Mixes) geprüft; sie sind überall als „nicht geprüft“ markiert, ein "
    "Jahr ohne eigenen Wert als „übertragen“. Der AIB-Reststrommix ist direktes CO₂ ohne "
    "Vorkette, die BISKO-Faktoren enthalten die Vorkette (LCA): Die beiden Sichten sind daher "
    "nicht auf das Gramm vergleichbar.",
    "Marktbasierte Zahlen beginnen mit dem ersten Jahr, für das ein Reststrommix vorliegt "
    f"({_FIRST_FILE_YEAR}); frühere Jahre zeigt nur die standortbezogene Sicht. Die "
    "marktbasierte Summe verbindet Faktoren unterschiedlicher Grenzen: Brennstoffe und "
    "Fernwärme mit Vorkette (BISKO, CO₂e), Strom mit Lieferanten- und Reststrommixfaktoren, "
    "die meist nur das direkte CO₂ der Erzeugung enthalten (Stromkennzeichnung nach § 42 "
    "EnWG, AIB).",
    "Ziele, Pfade, Ampel, Lücken, Budget, die Zerlegung in eigene Minderung und Strommix und der "
    "Vergleich mit dem Stadtgebiet sind standortbezogen definiert und erscheinen nur auf dieser "
    "Basis; die marktbasierte Sicht zeigt Emissionen, Trend und Raten. Die marktbasierte Zahl "
    "ersetzt die BISKO-Bilanz nicht und wird nicht zu ihr addiert.",
)


def short(row: Scope2Year) -> str:
    """One short German line for a slide: „Strom 2025 marktbasiert 17.696 t CO₂e (standort-
    bezogen 34.057 t CO₂e, 60 % mit Nachweis)“."""
    market = format_t(row.market_t, 0) if row.market_t is not None else "unvollständig"
    return (
        f"Strom {row.year} marktbasiert {market} (standortbezogen {format_t(row.location_t, 0)}, "
        f"{format_pct(row.green_share, 0)} mit Nachweis)."
    )


def without_contracts(rows: Iterable[Scope2Year], names: dict[str, str]) -> str:
    """„Ohne Stromverträge 2025 (aller Strom zum Reststrommix): DEW21, EDG (…)“ or ""."""
    plain = [r for r in rows if not r.contract_kwh]
    if not plain:
        return ""
    notes = sorted({n for r in plain for n in r.notes})
    who = ", ".join(f"{names[r.member_id]} {r.year}" for r in plain)
    return f"Ohne Stromverträge (marktbasiert aller Strom zum Reststrommix): {who}" + (
        f" ({'; '.join(notes)})." if notes else "."
    )


def first_year(con: duckdb.DuckDBPyConnection) -> int:
    """The first year with a residual mix [a]: market-based figures start there (earlier
    electricity would have no factor for its uncontracted part)."""
    (year,) = db.query_rows(con, "residual_mix_first_year")[0]
    return int(year) if year is not None else 10_000
