"""Named exceptions of the upload: every message is German and tells the member what to do."""

from __future__ import annotations

from kek_data.errors import KekError


class UploadError(KekError):
    """The file cannot be read as a table at all (empty, too large, binary, HTML, zip bomb)."""


class ValidationFailed(KekError):
    """The table has invalid rows; nothing was written.

    ``errors`` holds the German error lines shown to the member (at most the first
    ``MAX_LISTED`` plus a closing count line); ``n_errors`` is the exact number of problems.
    """

    def __init__(self, errors: list[str], n_errors: int, submission_id: int | None = None):
        self.errors = list(errors)
        self.n_errors = n_errors
        self.submission_id = submission_id
        super().__init__("\n".join(self.errors))


class YearsHaveData(KekError):
    """Years of the file already have data for the member; replacing them needs confirmation."""

    def __init__(self, member_id: str, years: list[int]):
        self.member_id = member_id
        self.years = sorted(years)
        listed = ", ".join(str(y) for y in self.years)
        word = "Das Jahr" if len(self.years) == 1 else "Die Jahre"
        verb = "hat" if len(self.years) == 1 else "haben"
        super().__init__(
            f"{word} {listed} {verb} für dieses Mitglied bereits Daten. Zum Ersetzen bitte "
            "bestätigen (Kommandozeile: --replace); die bisherigen Daten bleiben als frühere "
            "Meldung erhalten."
        )


class ImportFailed(KekError):
    """The database could not take the rows (e.g. out of memory); nothing was written."""


class RollbackError(KekError):
    """A submission cannot be rolled back (unknown, rejected or already rolled back)."""


class StoreError(KekError):
    """The raw-file store next to the database cannot be written or read."""
