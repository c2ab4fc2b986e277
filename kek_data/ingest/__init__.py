"""Members' uploads: read German CSV/Excel, validate with German errors, keep every submission.

Layers (each module one concern): :mod:`.reader` bytes → table (checks, encoding, dialect,
xlsx), :mod:`.loader` table → DuckDB via ``read_csv`` with line numbers, :mod:`.validate`
typed rows or German errors, :mod:`.direct` the one-pass import of simple valid files (the
full check explains everything else), :mod:`.store` submissions and raw files,
:mod:`.submissions` history, original files and rollback under the viewer, :mod:`.upload`
the use cases shared by the page and the command line, :mod:`.outcome` their result,
:mod:`.template` the downloadable template, :mod:`.commands` the ``import``, ``rollback`` and
``check-store`` commands. Typical use::

    from kek_data.ingest import check, import_file
    viewer = parse("mitglied:dsw21", user="frau.muster@dsw21.de")
    preview = check(con, data, "kek_2024.csv", "dsw21", viewer)          # writes nothing
    result = import_file(con, db_path, data, "kek_2024.csv", "dsw21", viewer)

Every function takes the :class:`~kek_data.viewer.Viewer` and refuses (``AccessDenied``,
nothing written) what it may not do for that member.
"""

from kek_data.ingest.errors import (
    ImportFailed,
    RollbackError,
    StoreError,
    UploadError,
    ValidationFailed,
    YearsHaveData,
)
from kek_data.ingest.submissions import check_store, check_store_as, history, read_raw, rollback
from kek_data.ingest.upload import Imported, Preview, check, import_file, record_rejection

__all__ = [
    "ImportFailed",
    "Imported",
    "Preview",
    "RollbackError",
    "StoreError",
    "UploadError",
    "ValidationFailed",
    "YearsHaveData",
    "check",
    "check_store",
    "check_store_as",
    "history",
    "import_file",
    "read_raw",
    "record_rejection",
    "rollback",
]
