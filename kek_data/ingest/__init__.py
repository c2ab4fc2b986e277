"""Members' uploads: read German CSV/Excel, validate with German errors, keep every submission.

Layers (each module one concern): :mod:`.reader` bytes → table (checks, encoding, dialect,
xlsx), :mod:`.loader` table → DuckDB via ``read_csv`` with line numbers, :mod:`.validate`
typed rows or German errors, :mod:`.direct` the one-pass import of simple valid files (the
full check explains everything else), :mod:`.store` submissions and raw files, :mod:`.upload`
the use cases shared by the page and the command line, :mod:`.outcome` their result,
:mod:`.template` the downloadable template, :mod:`.commands` the ``import``, ``rollback`` and
``check-store`` commands. Typical use::

    from kek_data.ingest import check, import_file
    preview = check(con, data, "kek_2024.csv", "dsw21")          # writes nothing
    result = import_file(con, db_path, data, "kek_2024.csv", "dsw21", "Frau Muster")
"""

from kek_data.ingest.errors import (
    ImportFailed,
    RollbackError,
    StoreError,
    UploadError,
    ValidationFailed,
    YearsHaveData,
)
from kek_data.ingest.store import check_store, history, read_raw, rollback
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
    "history",
    "import_file",
    "read_raw",
    "record_rejection",
    "rollback",
]
