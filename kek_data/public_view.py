"""What the public sees: the wording and key figures of the page "Fortschritt des Netzwerks".

Why: the public page (pages/oeffentlich.py) and the public static site
(:mod:`kek_data.export.public_site`) must say the same and show the same numbers. Both read the
report snapshot of :data:`kek_data.viewer.PUBLIC` (consent-filtered, the 3-member rule) through
the functions here, which choose and word its figures and compute nothing of their own.
Tonnes [t CO₂e], changes [%].
"""

from __future__ import annotations

from dataclasses import dataclass

from kek_data import access, views, wording
from kek_data.numbers import format_number, format_pct
from kek_data.report import Report

TITLE = "Fortschritt des Netzwerks"
INTRO = (
    "Emissionen der Mitglieder des Konsultationskreises Energieeffizienz und Klimaschutz (KEK) "
    "Dortmund zusammen (Scope 1 und 2, BISKO-Faktoren) gegen den Pfad zur "
    "Treibhausgasneutralität 2035."
)
NO_DATA = "Noch keine Daten veröffentlicht."
KPI_CAPTION = "Kennzahlen in t CO₂e (Scope 1 und 2), alle Mitglieder zusammen."
NAMED_SECTION = "Mitglieder, die ihre Zahlen namentlich veröffentlichen"
NONE_NAMED = "Bisher veröffentlicht kein Mitglied seine Zahlen namentlich."
#: The three consent levels (access.LEVELS) as the public reads them: (label, what it means).
CONSENT_LEVELS: tuple[tuple[str, str], ...] = (
    ("namentlich", "Zahlen mit Namen, hier und für die anderen Mitglieder"),
    (
        "nur im Gesamtwert",
        "in der Netzwerksumme enthalten, einzeln nicht öffentlich (andere Mitglieder sehen es "
        "als „Mitglied A“ usw.)",
    ),
    (
        "intern",
        "nur das Netzwerkmanagement und die Stadt sehen die Zahlen; sie zählen trotzdem in der "
        "Netzwerksumme",
    ),
)
MIN_CONTRIBUTORS_RULE = (
    f"Eine Summe wird nur gezeigt, wenn mindestens {access.MIN_CONTRIBUTORS} Mitglieder zu ihr "
    "beitragen, damit sich kein einzelnes Mitglied herausrechnen lässt."
)


@dataclass(frozen=True)
class Metric:
    """One key figure tile: label, German value, optional explanation."""

    label: str
    value: str
    help: str = ""


def metrics(rep: Report) -> list[Metric]:
    """The network's key figures of the reporting year ([] while the total is withheld):
    emissions [t CO₂e], change since the base year [%], the network path [t CO₂e]."""
    k = rep.network
    if k.latest is None:
        return []
    return [
        Metric(f"Emissionen {rep.year}", format_number(k.latest, 0)),
        Metric(f"Veränderung ggü. {k.base_year}", format_pct(k.change_pct, 1, signed=True)),
        Metric(
            f"Netzwerkpfad {rep.year}",
            format_number(k.path_latest, 0),
            "Wert des gemeinsamen Pfads zur Treibhausgasneutralität im Berichtsjahr.",
        ),
    ]


def network_summary(rep: Report) -> str:
    """The text alternative of the network chart, e.g. "2025: 179.137 t CO₂e, -31,1 % ggü.
    2015, Netzwerkpfad 164.565 t CO₂e. 2025: 8 von 10 Mitgliedern vollständig …"."""
    k = rep.network
    return (
        f"{rep.year}: {wording.t(k.latest)}, {wording.change(k.change_pct)} "
        f"ggü. {k.base_year}, Netzwerkpfad {wording.t(k.path_latest)}. {rep.coverage_text()}."
    )


def withheld(rep: Report) -> str:
    """What stands instead of a withheld network total (:func:`views.withheld_text` of the
    reporting year; "" when it is shown)."""
    return f"{views.withheld_text(rep)}." if rep.network.latest is None else ""


def consent_intro(rep: Report) -> str:
    """ "Von 10 Mitgliedern mit Meldungen zeigen 5 ihre Zahlen hier mit Namen. Jedes Mitglied
    entscheidet selbst:" (followed by :data:`CONSENT_LEVELS`)."""
    n_named, n_all = len(rep.member), rep.coverage.n_members
    one = n_named == 1
    return (
        f"Von {n_all} Mitgliedern mit Meldungen {'zeigt' if one else 'zeigen'} {n_named} "
        f"{'seine' if one else 'ihre'} Zahlen hier mit Namen. Jedes Mitglied entscheidet selbst:"
    )


def consent_markdown(rep: Report) -> str:
    """The consent explanation as Markdown (the page); the site renders the same parts."""
    levels = "".join(f"- **{label}**: {text};\n" for label, text in CONSENT_LEVELS)
    return f"{consent_intro(rep)}\n{levels[:-2]}.\n\n{MIN_CONTRIBUTORS_RULE}"
