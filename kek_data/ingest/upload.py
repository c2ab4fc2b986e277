"""The upload use cases shared by the page and the command line: check, import, reject.

Why: "Daten hochladen" and ``python -m kek_data import`` must behave identically, so both call
:func:`check` (preview, writes nothing) and :func:`import_file` (store the raw file, validate,
record, one transaction). The page passes its :class:`Preview` to :func:`import_file`, which
then appends the rows the check already typed (:attr:`Preview.staged`) instead of parsing the
file a second time. Quantities in the preview are [unit as reported], converted energy in
[kWh] (net calorific value; Erdgas kWh are read as gross/Hs and divided by 1,11) and
emissions in [t CO₂e] with the BISKO factor of the row's year.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from kek_data import access, db
from kek_data.errors import UploadError, ValidationFailed, YearsHaveData
from kek_data.ingest import direct, reader, store, validate
from kek_data.ingest.outcome import Imported
from kek_data.numbers import GERMAN_NUMBER_TRIM_CHARS, format_number
from kek_data.viewer import Viewer

if TYPE_CHECKING:  # pandas/pyarrow only for the preview (query_df), not for an import
    import pandas as pd
    import pyarrow as pa

PREVIEW_ROWS = 500  #: first rows shown in the preview (plus every row with an error)
Progress = Callable[[float, str], None]


def _noop(fraction: float, text: str) -> None:
    """Default progress callback: ignore."""


@dataclass
class Preview:
    """What the member sees before confirming: checks, rows, per-year totals, years to replace."""

    checked: validate.Checked
    sha256: str
    size_bytes: int
    rows: pd.DataFrame  # see sql upload_preview
    years: pd.DataFrame  # see sql upload_year_summary
    years_with_data: list[int] = field(default_factory=list)
    staged: pa.Table | None = None  # valid rows (see sql upload_staged_rows), when ok

    @property
    def ok(self) -> bool:
        """True when the file can be imported."""
        return self.checked.ok


def _validated(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    path: Path | None,
    progress: Progress,
) -> validate.Checked:
    progress(0.1, "Datei wird gelesen …")
    src = reader.open_source(data, file_name, validate.known_header, path)
    try:
        progress(0.3, f"{format_number(len(data) / 1024 / 1024, 1)} MB werden geprüft …")
        return validate.validate(con, src)
    finally:
        src.close()


def check(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    member_id: str,
    viewer: Viewer,
    *,
    progress: Progress = _noop,
) -> Preview:
    """Validate a file and build the preview; writes nothing. Raises UploadError for non-tables.

    The preview shows the member's current figures, so only a viewer who may write for
    ``member_id`` gets it (:func:`kek_data.access.check_write`, else :class:`AccessDenied`).
    """
    access.check_write(viewer, member_id)
    file_name = os.path.basename(file_name) or "Datei"
    try:
        checked = _validated(con, data, file_name, None, progress)
        progress(0.8, "Vorschau wird erstellt …")
        lines = sorted(checked.row_errors)
        rows = db.query_df(
            con, "upload_preview", limit=PREVIEW_ROWS, lines=lines, trim=GERMAN_NUMBER_TRIM_CHARS
        )
        rows["fehler"] = [" · ".join(checked.row_errors.get(n, [])) for n in rows["line_no"]]
        years = db.query_df(con, "upload_year_summary", member_id=member_id)
        existing = [r[0] for r in db.query_rows(con, "upload_years_with_data", member_id=member_id)]
        staged = con.sql(db.sql("upload_staged_rows")).to_arrow_table() if checked.ok else None
    finally:
        con.execute(db.sql("upload_drop"))
    progress(1.0, "Prüfung abgeschlossen.")
    return Preview(checked, store.sha256_of(data), len(data), rows, years, existing, staged)


def record_rejection(
    con: duckdb.DuckDBPyConnection,
    db_path: str | os.PathLike[str] | None,
    data: bytes,
    file_name: str,
    member_id: str,
    viewer: Viewer,
    errors: list[str],
    n_rows: int = 0,
) -> int:
    """Keep a rejected file and its error lines (so the network manager can help); its id.

    Only for a viewer who may write for ``member_id`` (else :class:`AccessDenied`, nothing kept);
    records ``viewer.user`` (or the role's name) as the sender.
    """
    access.check_write(viewer, member_id)
    sha = store.sha256_of(data)
    store.keep_raw(db_path, data, sha)
    return store.record_rejected(
        con,
        member_id=member_id,
        submitted_by=store.sender(viewer),
        file_name=os.path.basename(file_name) or "Datei",
        sha256=sha,
        size_bytes=len(data),
        n_rows=n_rows,
        errors=errors,
    )


def import_file(
    con: duckdb.DuckDBPyConnection,
    db_path: str | os.PathLike[str] | None,
    data: bytes | None,
    file_name: str,
    member_id: str,
    viewer: Viewer,
    *,
    replace: bool = False,
    dry_run: bool = False,
    source_path: Path | None = None,
    progress: Progress = _noop,
    memory_limit_mb: int | None = None,
    preview: Preview | None = None,
) -> Imported:
    """Store, validate and import one file for one member, all rows or none.

    First of all :func:`kek_data.access.check_write`: a viewer who may not write for
    ``member_id`` gets :class:`AccessDenied` and nothing is written (no submission, no rejected
    record, no raw file). The submission records ``viewer.user`` (or the role's name).
    ``data`` are the bytes (page upload) or None for the file at ``source_path`` (command line:
    streamed, never held in memory on the direct path). The raw bytes go to the store (fsynced)
    while the file is parsed. With ``preview`` (the page's :func:`check` of the same bytes) the
    rows it checked are appended without parsing again. Otherwise a simple valid CSV is
    appended in one pass (:mod:`kek_data.ingest.direct`); any other file gets the full check.
    Then one transaction appends the submission row and every data row (``INSERT … SELECT``).
    Invalid files are recorded as rejected and raise :class:`ValidationFailed` (or
    :class:`UploadError` for non-tables); years with data and ``replace=False`` record a
    rejection and raise :class:`YearsHaveData`. ``dry_run`` only checks and writes nothing.
    ``memory_limit_mb`` caps DuckDB during the direct import (a setting of the whole DuckDB
    instance: for a process of its own, such as the command line). Progress texts: see
    :data:`kek_data.ingest.store.WRITING` and :data:`~kek_data.ingest.store.COMMITTING`.
    """
    if data is None and source_path is None:
        raise ValueError("import_file braucht die Bytes oder source_path")
    access.check_write(viewer, member_id)
    submitted_by = store.sender(viewer)
    file_name = os.path.basename(file_name) or "Datei"
    staged = _staged(preview, data) if not dry_run else None
    keeper = None
    if not dry_run:  # every file is kept, also one rejected below (so nothing sent is lost)
        shape = direct.Shape()
        keeper = store.Keeper(db_path, data, source_path, inspect=shape)
        keeper.start()
    if keeper is not None and staged is None:
        progress(0.1, "Datei wird gelesen und geprüft …")
        done = direct.try_import(
            con,
            keeper,
            shape,
            data,
            source_path,
            file_name=file_name,
            member_id=member_id,
            submitted_by=submitted_by,
            replace=replace,
            current_year=date.today().year,
            memory_limit_mb=memory_limit_mb,
            progress=progress,
        )
        if done is not None:
            progress(1.0, "Import abgeschlossen.")
            return done
    if data is None:
        assert source_path is not None
        data = source_path.read_bytes()

    def fields() -> dict[str, object]:
        assert keeper is not None
        return keeper.submission(member_id, submitted_by, file_name)

    try:
        if staged is not None:
            assert preview is not None
            checked = preview.checked
            con.register("upload_staged", staged)
            con.execute(db.sql("upload_valid_from_staged"))
        else:
            checked = _validated(con, data, file_name, source_path, progress)
        if not checked.ok:
            sid = None
            if keeper is not None:
                keeper.durable()
                sid = store.record_rejected(
                    con, **fields(), n_rows=checked.n_rows, errors=checked.errors
                )
            raise ValidationFailed(checked.errors, checked.n_errors, sid)
        totals = db.query_rows(con, "upload_year_summary", member_id=member_id)
        kwh = sum(r[2] or 0.0 for r in totals)
        t_co2e = sum(r[3] or 0.0 for r in totals)
        if keeper is None:
            existing = [
                r[0] for r in db.query_rows(con, "upload_years_with_data", member_id=member_id)
            ]
            if existing and not replace:
                raise YearsHaveData(member_id, existing)
            return Imported(
                None, member_id, file_name, checked.n_rows, checked.years, existing, kwh, t_co2e
            )
        progress(0.7, store.WRITING)
        meta = fields()

        def before_commit() -> None:
            keeper.durable()
            progress(0.9, store.COMMITTING)

        try:
            sid, replaced = store.commit_import(
                con, **meta, n_rows=checked.n_rows, replace=replace, before_commit=before_commit
            )
        except YearsHaveData as exc:
            keeper.durable()
            store.record_rejected(con, **meta, n_rows=checked.n_rows, errors=[str(exc)])
            raise
        progress(1.0, "Import abgeschlossen.")
        return Imported(
            sid, member_id, file_name, checked.n_rows, checked.years, replaced, kwh, t_co2e
        )
    except UploadError as exc:
        if keeper is not None:
            keeper.durable()
            store.record_rejected(con, **fields(), n_rows=0, errors=[str(exc)])
        raise
    finally:
        if keeper is not None:
            keeper.join()
        con.execute(db.sql("upload_drop"))
        if staged is not None:
            con.unregister("upload_staged")


def _staged(preview: Preview | None, data: bytes | None) -> pa.Table | None:
    """The preview's checked rows, if the preview belongs to exactly these bytes."""
    if preview is None or preview.staged is None or not preview.ok or data is None:
        return None
    if preview.size_bytes != len(data) or preview.sha256 != store.sha256_of(data):
        return None
    return preview.staged
