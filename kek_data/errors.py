"""Named exceptions of the KEK core, all in this one module.

Every domain error is a :class:`KekError`; its message is German, says what to fix (file, line,
column or field) and is shown to the user as is. The pages and the command line catch
``KekError`` and show the message, never a traceback (``tests/test_structure.py`` checks that no
other module defines its own error class).
"""

from __future__ import annotations


class KekError(Exception):
    """Base class: a problem the user can act on (the message is shown as is)."""


# --- database, viewer, members -----------------------------------------------------------------


class DatabaseError(KekError):
    """The database file cannot be opened, migrated or is inconsistent."""


class ReferenceDataError(KekError):
    """A reference file in ``data/`` is malformed (file and line in the message)."""


class AccessDenied(KekError):
    """The viewer may not see the requested data."""


class UsageError(KekError):
    """A role, level or option given in a form the program does not know (``--as``, consent)."""


class LoginError(KekError):
    """The login is valid but maps to no role (no claim, no entry in the login table)."""


class UnknownMember(KekError):
    """A member id that is not one of the network's members."""


class ReportError(KekError):
    """No data at all, or a reporting year without data (report snapshot)."""


# --- numbers and uploads ------------------------------------------------------------------------


class GermanNumberError(KekError, ValueError):
    """Input is not a valid German number; the message is German and quotes the input.

    Also a ``ValueError``: parsing code that catches ``ValueError`` keeps working.
    """


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


# --- exports ------------------------------------------------------------------------------------


class ExportCommandError(KekError):
    """Wrong arguments of ``export`` or an output file that cannot be written."""


class FigureError(KekError):
    """Unknown chart name, missing member or a reporting year without data."""


class ImageExportError(KekError):
    """A figure could not be rendered (no browser, browser crashed, invalid size or format)."""


class TableExportError(KekError):
    """A table cannot be exported (e.g. an infinite number, an unsupported cell)."""


# --- target agreements --------------------------------------------------------------------------


class TargetError(KekError):
    """One problem of a target version, at its ``field`` (``milestones``, ``base_year``, …).

    The message is German and says what to fix; the form shows it at the field, the command line
    names the option.
    """

    def __init__(self, field: str, message: str):
        self.field = field
        self.message = message
        super().__init__(message)


class TargetErrors(KekError):
    """Every problem of a target version at once (``errors``, each a :class:`TargetError`);
    nothing was written."""

    def __init__(self, errors: list[TargetError]):
        self.errors = list(errors)
        super().__init__("\n".join(e.message for e in self.errors))


# --- market-based Scope 2 ----------------------------------------------------------------------


class BasisError(UsageError):
    """An unknown balance basis (not 'standort' or 'markt')."""


class ContractErrors(KekError):
    """A file of electricity contracts has problems; ``errors`` lists every one (German lines
    with file, line and column); nothing was written."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


# --- problems of an entry at a field (forms and options) ---------------------------------------


class FieldError(KekError):
    """One problem of an entry at its ``field``; ``message`` is German and says what to fix; the
    error's text names the field first (``label``, e.g. „Quelle: bitte angeben …“), the command
    line names the option instead."""

    def __init__(self, field: str, message: str, label: str = ""):
        self.field = field
        self.message = message
        self.label = label
        super().__init__(f"{label}: {message}" if label else message)


class FieldErrors(KekError):
    """Every problem of an entry at once (``errors``, each a :class:`FieldError`); nothing was
    written."""

    def __init__(self, errors: list[FieldError]):
        self.errors = list(errors)
        super().__init__("\n".join(str(e) for e in self.errors))


# --- district heat ------------------------------------------------------------------------------


class DistrictHeatError(FieldError):
    """One problem of a district-heat entry (network, factor, assignment) at its ``field``
    (``network_id``, ``valid_from``, ``value``, ``method``, ``source``, …)."""


class DistrictHeatErrors(FieldErrors):
    """Every problem of a district-heat entry at once (``errors``, each a
    :class:`DistrictHeatError`); nothing was written."""


# --- network work (meetings, working groups, actions) ------------------------------------------


class NetworkError(FieldError):
    """One problem of a meeting, working group or action at its ``field`` (``held_on``,
    ``kind``, ``title``, ``due_on``, ``participants``, ``measure_id``, …)."""


class NetworkErrors(FieldErrors):
    """Every problem of a network-work entry at once (``errors``, each a :class:`NetworkError`);
    nothing was written."""


# --- frozen annual reports (Berichtsstände) -----------------------------------------------------


class FrozenReportError(KekError):
    """A Berichtsstand cannot be frozen or opened (no data for the year, unknown id, missing or
    changed file, a write on a frozen report)."""


# --- reporting round (Berichtsrunde) ------------------------------------------------------------


class RoundError(FieldError):
    """A refused entry of the reporting round (round, status, note) at its ``field`` (``year``,
    ``due_on``, ``jump_pct``, ``status``, ``comment``, ``text``, …); nothing was written."""


# --- measures (Maßnahmen) -----------------------------------------------------------------------


class MeasureError(FieldError):
    """One problem of a measure at its ``field`` (``title``, ``status``, ``end_year``,
    ``saving_unit``, …); the text names the field first (``label``)."""


class MeasureErrors(FieldErrors):
    """Every problem of a measure (or of all rows of an import) at once (``errors``, each a
    :class:`MeasureError`); nothing was written."""


class MeasureImportErrors(KekError):
    """A measures file has problems; ``errors`` lists every one (German lines with file, line
    and column); nothing was written."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors
