"""What an import reports back to the page and the command line, and how a value is quoted."""

from __future__ import annotations

from dataclasses import dataclass

from kek_data.numbers import format_count, format_t


@dataclass
class Imported:
    """Result of a successful import (or, with ``dry_run``, of a successful check)."""

    submission_id: int | None
    member_id: str
    file_name: str
    n_rows: int
    years: list[int]
    replaced_years: list[int]
    kwh: float  # [kWh] net calorific value, whole file
    t_co2e: float  # [t CO₂e], whole file
    direct: bool = False  # appended in one pass (kek_data.ingest.direct), not via upload_typed

    def summary(self) -> str:
        """German one-line summary, e.g. for the command line."""
        years = ", ".join(str(y) for y in self.years)
        replaced = (
            f"; ersetzt: {', '.join(str(y) for y in self.replaced_years)}"
            if self.replaced_years
            else ""
        )
        what = (
            f"importiert als Meldung Nr. {self.submission_id}"
            if self.submission_id is not None
            else "geprüft, fehlerfrei (Probelauf, nichts gespeichert)"
        )
        return (
            f"{self.file_name}: {format_count(self.n_rows, 'Zeile', 'Zeilen')} "
            f"für {self.member_id} "
            f"{what} (Jahre {years}{replaced}); {format_t(self.t_co2e)}."
        )


MAX_SHOWN = 60  #: characters of a user's value quoted in a message (longer ones are cut)


def shown(value: object, limit: int = MAX_SHOWN) -> str:
    """A user's value as quoted in a German message: at most ``limit`` characters, then "…".

    Why: a 100 KB cell must not be repeated in full in the error line (nor stored so with the
    rejected submission).
    """
    text = "" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"
