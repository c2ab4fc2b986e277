"""Re-export of the upload's errors, which live in :mod:`kek_data.errors` (one place).

Kept only so that an import written against the old place keeps working while the ingest
modules are being edited; new code imports from ``kek_data.errors``.
"""

from __future__ import annotations

from kek_data.errors import (
    ImportFailed,
    KekError,
    RollbackError,
    StoreError,
    UploadError,
    ValidationFailed,
    YearsHaveData,
)

__all__ = [
    "ImportFailed",
    "KekError",
    "RollbackError",
    "StoreError",
    "UploadError",
    "ValidationFailed",
    "YearsHaveData",
]
