"""Submissions: the append-only record, the raw-file store and one transaction per import.

Why: nothing a member sends may be lost or half-written. Every upload – imported or rejected –
is a row in ``submissions`` (member, who, when, file name, SHA-256, size [bytes], rows, status,
error lines). The original bytes are kept as a file outside the database, content-addressed by
SHA-256 (``<db file>.files/ab/abcdef…``), written and fsynced *before* the database commit,
so that even a torn DuckDB write-ahead log leaves the raw upload on disk. The activity rows of a
file are appended in the same transaction as its submission row: all or none. Replacing a year
appends a newer submission (the view ``current_activity`` picks the newest); a rollback appends a
``rolled_back`` event. Nothing is updated or deleted.
"""

from __future__ import annotations

import hashlib
import os
import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import duckdb

from kek_data import config, db
from kek_data.errors import StoreError
from kek_data.viewer import Viewer

REJECTED = "rejected"
IMPORTED = "imported"
ROLLED_BACK = "rolled_back"
#: progress texts (both import paths): the write transaction is open / about to COMMIT
WRITING = "Daten werden geschrieben …"
COMMITTING = "Daten werden festgeschrieben …"


def sender(viewer: Viewer) -> str:
    """Who is recorded with a submission or rollback: the real user (login, ``cli:<os user>``),
    else the person's or role's name."""
    return viewer.user or viewer.label


def files_dir(db_path: str | os.PathLike[str] | None = None) -> Path:
    """Folder of the raw uploads next to the database file: ``<db file>.files``."""
    path = config.db_path(db_path)
    return path.with_name(path.name + ".files")


def raw_path(db_path: str | os.PathLike[str] | None, sha256: str) -> Path:
    """Where the file with this SHA-256 is kept: ``<db>.files/<first 2 hex>/<sha256>``."""
    return files_dir(db_path) / sha256[:2] / sha256


def sha256_of(data: bytes) -> str:
    """Hex SHA-256 of the raw bytes (the file's identity in the store)."""
    return hashlib.sha256(data).hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _not_stored(folder: Path, exc: OSError) -> StoreError:
    return StoreError(
        f"Die Originaldatei kann nicht gespeichert werden ({folder}: {exc}). "
        "Es wurde nichts importiert; bitte Speicherplatz und Schreibrechte prüfen."
    )


def keep_raw(
    db_path: str | os.PathLike[str] | None, data: bytes, sha256: str | None = None
) -> Path:
    """Write the raw bytes to the store (temp file, fsync, rename, fsync folder); idempotent."""
    sha256 = sha256 or sha256_of(data)
    target = raw_path(db_path, sha256)
    if target.exists() and target.stat().st_size == len(data):
        return target
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{sha256}.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        _fsync_dir(target.parent)
    except OSError as exc:
        raise _not_stored(target.parent, exc) from exc
    return target


def keep_raw_file(
    db_path: str | os.PathLike[str] | None,
    source: Path,
    inspect: Callable[[bytes], None] | None = None,
    chunk: int = 8 * 1024 * 1024,
) -> tuple[str, int]:
    """Copy a file on disk to the store while hashing it: one pass, memory bounded by ``chunk``.

    Returns ``(sha256, size [bytes])``. ``inspect`` sees every block (e.g. to count lines in
    the same pass). Written to a temp name, fsynced, renamed to its hash, folder fsynced.
    """
    root = files_dir(db_path)
    tmp = root / f".upload.{os.getpid()}.{threading.get_ident()}.tmp"
    digest, size = hashlib.sha256(), 0
    try:
        root.mkdir(parents=True, exist_ok=True)
        with source.open("rb") as src, tmp.open("wb") as out:
            while block := src.read(chunk):
                digest.update(block)
                out.write(block)
                size += len(block)
                if inspect is not None:
                    inspect(block)
            out.flush()
            os.fsync(out.fileno())
        target = raw_path(db_path, digest.hexdigest())
        target.parent.mkdir(exist_ok=True)
        if target.is_file() and target.stat().st_size == size:
            tmp.unlink()
        else:
            os.replace(tmp, target)
            _fsync_dir(target.parent)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise _not_stored(root, exc) from exc
    return digest.hexdigest(), size


class Keeper(threading.Thread):
    """Hash and store the raw upload in the background while DuckDB parses (both drop the GIL).

    Takes the bytes (page upload) or a file on disk (command line; streamed, never held in
    memory). ``inspect`` sees the content once (the bytes, or every block of the file).
    :meth:`sha256` waits for the hash; :meth:`durable` waits until the raw file is written and
    fsynced, which an import awaits just before its COMMIT.
    """

    def __init__(
        self,
        db_path: str | os.PathLike[str] | None,
        data: bytes | None = None,
        path: Path | None = None,
        inspect: Callable[[bytes], None] | None = None,
    ):
        super().__init__(name="kek-keep-raw", daemon=True)
        if data is None and path is None:
            raise ValueError("Keeper braucht Bytes oder einen Dateipfad")
        self.db_path, self.data, self.path, self.inspect = db_path, data, path, inspect
        self.size = len(data) if data is not None else path.stat().st_size  # type: ignore[union-attr]
        self._sha256 = ""
        self._hashed = threading.Event()
        self.inspected = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            if self.data is not None:
                self._sha256 = sha256_of(self.data)
                self._hashed.set()
                if self.inspect is not None:
                    self.inspect(self.data)
                self.inspected.set()
                keep_raw(self.db_path, self.data, self._sha256)
            else:
                assert self.path is not None
                self._sha256, self.size = keep_raw_file(self.db_path, self.path, self.inspect)
        except BaseException as exc:  # re-raised in the importing thread
            self.error = exc
        finally:
            self._hashed.set()
            self.inspected.set()

    def sha256(self) -> str:
        """Wait for the hash of the raw bytes."""
        self._hashed.wait()
        if not self._sha256 and self.error is not None:
            raise self.error
        return self._sha256

    def durable(self) -> None:
        """Wait until the raw file is written and fsynced; raise its error, if any."""
        self.join()
        if self.error is not None:
            raise self.error

    def submission(self, member_id: str, submitted_by: str, file_name: str) -> dict[str, object]:
        """The fields of :func:`record` that describe this file (waits for the hash)."""
        return {
            "member_id": member_id,
            "submitted_by": submitted_by,
            "file_name": file_name,
            "sha256": self.sha256(),
            "size_bytes": self.size,
        }


def has_raw(db_path: str | os.PathLike[str] | None, sha256: str) -> bool:
    """Whether the store holds the file with this SHA-256."""
    return raw_path(db_path, sha256).is_file()


def record(
    con: duckdb.DuckDBPyConnection,
    *,
    member_id: str,
    submitted_by: str,
    file_name: str,
    sha256: str,
    size_bytes: int,
    n_rows: int,
    status: str,
    errors: list[str] | None = None,
    submitted_at: datetime | None = None,
    is_demo: bool = False,
) -> int:
    """Append one row to ``submissions`` (call inside or outside a transaction); its id."""
    return int(
        db.query_rows(
            con,
            "insert_submission",
            member_id=member_id,
            submitted_by=submitted_by,
            submitted_at=submitted_at or datetime.now(),
            file_name=file_name,
            sha256=sha256,
            size_bytes=size_bytes,
            n_rows=n_rows,
            status=status,
            is_demo=is_demo,
            errors="\n".join(errors) if errors else None,
        )[0][0]
    )


def record_rejected(con: duckdb.DuckDBPyConnection, **fields: object) -> int:
    """Append a rejected submission with its error lines (no activity rows)."""
    return record(con, status=REJECTED, **fields)  # type: ignore[arg-type]


def commit_import(
    con: duckdb.DuckDBPyConnection,
    *,
    member_id: str,
    submitted_by: str,
    file_name: str,
    sha256: str,
    size_bytes: int,
    n_rows: int,
    replace: bool,
    before_commit: Callable[[], None] | None = None,
) -> tuple[int, list[int]]:
    """One transaction: the submission row and every row of ``upload_valid`` (INSERT … SELECT).

    Returns ``(submission_id, replaced years)``. With ``replace=False`` and years that already
    have data, nothing is written and :class:`~kek_data.ingest.errors.YearsHaveData` is raised
    (checked inside the transaction, so a concurrent import cannot slip in between).
    ``before_commit`` runs right before COMMIT (the raw file's fsync is awaited there); if it
    raises, everything is rolled back.
    """
    from kek_data.errors import YearsHaveData

    db.execute(con, "upload_begin")
    try:
        existing = [r[0] for r in db.query_rows(con, "upload_years_with_data", member_id=member_id)]
        if existing and not replace:
            raise YearsHaveData(member_id, existing)
        submission_id = record(
            con,
            member_id=member_id,
            submitted_by=submitted_by,
            file_name=file_name,
            sha256=sha256,
            size_bytes=size_bytes,
            n_rows=n_rows,
            status=IMPORTED,
        )
        db.execute(
            con, "insert_activity_from_upload", submission_id=submission_id, member_id=member_id
        )
        if before_commit is not None:
            before_commit()
        db.execute(con, "upload_commit")
    except BaseException:
        db.rollback(con)
        raise
    return submission_id, existing
