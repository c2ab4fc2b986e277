"""Review of the direct import: adversarial files, each imported once per path and compared.

Every file is imported into two databases: once as the page does it (the direct path of
kek_data.ingest.direct when the file qualifies) and once with the direct path switched off (full
check). Compared: the result (or exception type and German lines), the activity rows (quantity
by repr, so -0.0 and 0.0 differ), the submission rows (every column but the time) and the raw
file store. For speed, the two databases are shared by the module and every import uses a member
of its own (submission ids are compared as their rank within the member); ``os.fsync`` is a no-op
(durability is not under test here).

Files the direct path must decline are checked more cheaply (:func:`_declines`): the page's
import runs with the full check replaced by a stop sign, which must be reached, with nothing
written, no transaction open, no ``upload_*`` temp object and no submission id used. From there
on the page runs exactly the full check, so both paths agree by construction.

Differences found in the review are kept as tests (fixed).
"""

from __future__ import annotations

import itertools
import os
import unicodedata
from datetime import date

import duckdb
import pytest

from kek_data import db
from kek_data.ingest import (
    UploadError,
    ValidationFailed,
    YearsHaveData,
    direct,
    import_file,
    store,
    upload,
)
from kek_data.viewer import NETWORK_MANAGER as NM
from tests.ingest_util import HEADER, csv_bytes, xlsx_bytes

ACTIVITY = (
    "SELECT submission_id, line_no, member_id, year, carrier_id, quantity, unit, site, remark "
    "FROM activity WHERE member_id = $m ORDER BY submission_id, line_no"
)
SUBMISSIONS = (
    "SELECT submission_id, member_id, submitted_by, file_name, sha256, size_bytes, n_rows, "
    "status, is_demo, errors FROM submissions WHERE member_id = $m ORDER BY submission_id"
)
H = HEADER.encode()
NEXT_YEAR = date.today().year + 1
NFD_OEL = unicodedata.normalize("NFD", "Heizöl")
NFD_SCHUELE = unicodedata.normalize("NFD", "Schüle")
#: a header line longer than the sniffed head (direct.HEAD): the part DuckDB skips unchecked
LONG_HEADER = H + b" " * (direct.HEAD + 5000)
_MEMBERS = itertools.count(1)


@pytest.fixture(scope="module")
def dbs(tmp_path_factory):
    """{"fast": (con, path), "full": (con, path)}: one database per path for the module."""
    out = {}
    for name in ("fast", "full"):
        path = tmp_path_factory.mktemp(name) / "kek.duckdb"
        out[name] = (db.connect(path), path)
    yield out
    for con, _ in out.values():
        con.close()


@pytest.fixture(autouse=True)
def _no_fsync(monkeypatch):
    monkeypatch.setattr(os, "fsync", lambda fd: None)


def _result(run, rank) -> tuple[tuple, bool]:
    """(what the import reported, whether it took the direct path)."""
    try:
        r = run()
    except ValidationFailed as exc:
        return ("ValidationFailed", exc.errors, exc.n_errors, rank(exc.submission_id)), False
    except YearsHaveData as exc:
        return ("YearsHaveData", str(exc), exc.years), False
    except (UploadError, duckdb.Error) as exc:
        return (type(exc).__name__, str(exc).splitlines()[0]), False
    kwh, t = round(r.kwh, 6), round(r.t_co2e, 9)
    return ("Imported", rank(r.submission_id), r.n_rows, r.years, r.replaced_years, kwh,
            t), r.direct  # fmt: skip


def _outcome(con, path, monkeypatch, member, data, *, off, prior=(), cli=False, **kw):
    """Import ``data`` for ``member`` (after the ``prior`` files); everything it left."""
    for earlier in prior:
        import_file(con, path, earlier, "vorher.csv", member, NM, replace=True)
    source = None
    if cli:
        source = path.parent / f"{member}.csv"
        source.write_bytes(data)

    def rank(sid):
        ids = [r[0] for r in con.execute(SUBMISSIONS, {"m": member}).fetchall()]
        return ids.index(sid) if sid in ids else sid

    def ranks():
        ids = [r[0] for r in con.execute(SUBMISSIONS, {"m": member}).fetchall()]
        return {sid: i for i, sid in enumerate(ids)}

    def run():
        return import_file(con, path, None if cli else data, "kek.csv", member, NM,
                           source_path=source, **kw)  # fmt: skip

    with monkeypatch.context() as m:
        if off:
            m.setattr(direct, "try_import", lambda *a, **k: None)
        result, taken = _result(run, rank)
    index = ranks()
    rows = [(index[r[0]], *r[1:5], repr(r[5]), *r[6:])
            for r in con.execute(ACTIVITY, {"m": member}).fetchall()]  # fmt: skip
    subs = [(index[s[0]], *s[1:]) for s in con.execute(SUBMISSIONS, {"m": member}).fetchall()]
    kept = [store.has_raw(path, s[4]) for s in subs]
    return {"result": result, "rows": rows, "submissions": subs, "kept": kept}, taken


def _compare(dbs, monkeypatch, data, **kw):
    member = f"m{next(_MEMBERS)}"
    fast, taken = _outcome(*dbs["fast"], monkeypatch, member, data, off=False, **kw)
    full, _ = _outcome(*dbs["full"], monkeypatch, member, data, off=True, **kw)
    assert fast == full
    return fast, taken


class _FullCheck(Exception):
    """Raised where the page would start the full check (the direct path declined)."""


def _stop(*args, **kwargs):
    raise _FullCheck


STATE = """
SELECT (SELECT count(*) FROM activity), (SELECT max(rowid) FROM activity),
       (SELECT count(*) FROM submissions), (SELECT list(last_value) FROM duckdb_sequences()),
       (SELECT count(*) FROM duckdb_tables() WHERE table_name LIKE 'upload%'),
       (SELECT count(*) FROM duckdb_views() WHERE view_name LIKE 'upload%')
"""


def _state(con) -> tuple:
    """What a declined direct import must leave unchanged: rows, submissions, sequence values,
    upload_* temp objects."""
    return con.execute(STATE).fetchall()[0]


def _declines(dbs, monkeypatch, data, **kw):
    """The page's import of ``data`` reaches the full check with nothing written by the direct
    path (so from there on it is the full check; see the module docstring)."""
    member = f"m{next(_MEMBERS)}"
    con, path = dbs["fast"]
    before = _state(con)
    with monkeypatch.context() as m:
        m.setattr(upload, "_validated", _stop)
        with pytest.raises(_FullCheck):
            import_file(con, path, data, "kek.csv", member, NM, **kw)
    assert _state(con) == before
    con.execute("BEGIN TRANSACTION")  # fails if the direct path left one open
    con.execute("ROLLBACK")


def _file(*rows: str | bytes, header: bytes = H, nl: bytes = b"\r\n", end: bytes | None = None):
    """Header plus rows (str in UTF-8, bytes as they are), joined by ``nl``, ended by ``end``."""
    parts = [header] + [r if isinstance(r, bytes) else r.encode() for r in rows]
    return nl.join(parts) + (nl if end is None else end)


def _pad_rows(n: int) -> list[bytes]:
    """n valid rows of 2020 (distinct sites): pushes later rows beyond direct.HEAD."""
    return [b"2020;Strom;%d;kWh;S%d;ok" % (i, i) for i in range(n)]


def _sized(size: int, tail: str) -> bytes:
    """A valid file of exactly ``size`` bytes whose last row starts with ``tail``."""
    base = _file(*_pad_rows(2000))
    last = tail.encode()
    fill = size - len(base) - len(last) - 2
    assert fill >= 0
    return base + last + b"r" * fill + b"\r\n"


def _straddle(at: int, char: str = "ä") -> bytes:
    """A valid file with the multi-byte ``char`` starting at byte ``at`` (a remark)."""
    base = _file(*_pad_rows(2000)) + b"2021;Strom;1;kWh;G;"
    data = base + b"r" * (at - len(base)) + char.encode() + b"r\r\n"
    assert data.rindex(char.encode()) == at
    return data


ROW = "2024;Strom;5;kWh;Rathaus;x"
PRE = "2021;Fernwärme;5;MWh;Vorzeile;"  #: a valid row before a tested one (no duplicate of it)
GOOD = ["2023;Erdgas;12,5;MWh;Rathaus;", "2024;Heizöl;3.000;l;Schule Nord;geprüft €"]

# (id, file bytes, takes the direct path?); mixed line breaks: read_csv refuses them (strict)
CASES = [
    # --- line structure -------------------------------------------------------------------
    ("crlf", _file(ROW, *GOOD), True),
    ("lf", _file(ROW, *GOOD, nl=b"\n"), True),
    ("cr_only", _file(ROW, *GOOD, nl=b"\r"), False),
    ("no_final_newline", _file(ROW, *GOOD, end=b""), True),
    ("trailing_blank_line", _file(ROW, *GOOD, end=b"\r\n\r\n"), False),
    ("trailing_blank_lines_lf", _file(ROW, *GOOD, nl=b"\n", end=b"\n\n\n"), False),
    ("blank_line_inside", _file(ROW, "", *GOOD), False),
    ("final_lone_cr", _file(ROW, *GOOD, end=b"\r"), False),  # reader: mixed line ends
    ("final_lone_cr_lf_file", _file(ROW, *GOOD, nl=b"\n", end=b"\r"), False),
    ("lone_cr_in_remark", _file("2024;Strom;5;kWh;Rathaus;a\rb", *GOOD), False),
    (
        "lone_cr_plus_blank_line",
        _file("2024;Strom;5;kWh;A;a\r2022;Strom;5;kWh;B;b", *GOOD, nl=b"\n", end=b"\n\n"),
        False,
    ),  # fmt: skip
    ("lf_row_in_crlf_file", H + b"\r\n" + ROW.encode() + b"\n2023;Gas;1;kWh;;\r\n", True),
    ("crlf_row_in_lf_file", H + b"\n" + ROW.encode() + b"\r\n2023;Gas;1;kWh;;\n", True),
    ("whitespace_line_at_end", _file(ROW, *GOOD, " "), False),
    ("tab_line_at_end", _file(ROW, *GOOD, "\t"), False),
    ("semicolons_line_at_end", _file(ROW, *GOOD, ";;;;;"), False),
    ("ctrl_z_at_end", _file(ROW, *GOOD, end=b"\r\n\x1a"), False),
    ("header_only", _file(), False),
    ("header_only_no_newline", H, False),
    ("empty", b"", False),
    ("bom_only", b"\xef\xbb\xbf", False),
    ("newlines_only", b"\r\n\r\n", False),
    ("blank_first_line", b"\r\n" + _file(ROW), False),
    ("nul_in_head", _file("2024;Strom;5;kWh;Rat\x00haus;"), False),
    ("nul_after_head", _file(*_pad_rows(3000), "2021;Strom;1;kWh;X;a\x00b"), False),
    # --- BOM, sep= line, delimiters -------------------------------------------------------
    ("double_bom", b"\xef\xbb\xbf\xef\xbb\xbf" + _file(ROW, *GOOD), True),
    ("sep_line", b"sep=;\r\n" + _file(ROW, *GOOD), True),
    ("bom_sep_line", b"\xef\xbb\xbfsep=;\r\n" + _file(ROW, *GOOD), True),
    ("sep_line_then_blank", b"sep=;\r\n\r\n" + _file(ROW), False),
    ("sep_line_no_header_rows", b"sep=;\r\n" + _file(), False),
    ("sep_tab", b"sep=\t\r\n" + _file(ROW, *GOOD).replace(b";", b"\t"), True),
    ("tab_sniffed", _file(ROW, *GOOD).replace(b";", b"\t"), True),
    (
        "comma_sniffed",
        _file("2024;Strom;5;kWh;A;x", "2023;Gas;7;kWh;B;y").replace(b";", b","),
        True,
    ),  # fmt: skip
    (
        "comma_with_decimal_comma",
        _file("2024,Strom,1,5,kWh,A,x", header=H.replace(b";", b",")),
        False,
    ),  # fmt: skip
    ("sep_line_disagrees", b"sep=,\r\n" + _file(ROW), False),
    ("sep_cr", b"sep=\r\r\n" + _file(ROW), False),
    # --- header variants ------------------------------------------------------------------
    (
        "required_only",
        _file("2024;Strom;5;kWh", header=b"Jahr;Energietraeger;Menge;Einheit"),
        True,
    ),  # fmt: skip
    (
        "required_only_value_beyond",
        _file("2024;Strom;5;kWh;Rathaus", header=b"Jahr;Energietraeger;Menge;Einheit"),
        False,
    ),
    (
        "required_only_space_beyond",
        _file("2024;Strom;5;kWh; ", header=b"Jahr;Energietraeger;Menge;Einheit"),
        True,
    ),
    (
        "no_standort_value_in_5th",
        _file(
            "2024;Strom;5;kWh;rem;Rathaus", header=b"Jahr;Energietraeger;Menge;Einheit;Bemerkung"
        ),
        False,
    ),  # fmt: skip
    (
        "header_nfd_lower_padded",
        _file(
            ROW,
            header=unicodedata.normalize(
                "NFD", " jahr ;ENERGIETRÄGER;Menge\u00a0;einheit;Standort;Bemerkung\t"
            ).encode(),
        ),
        True,
    ),
    ("header_duplicate", _file(ROW + ";2024", header=H + b";jahr"), False),
    ("header_unknown", _file(ROW + ";1", header=H + ";Zähler".encode()), False),
    ("excel_empty_header_cells_value", _file(ROW + ";;z", header=H + b";;"), False),
    (
        "empty_header_cell_inside",
        _file("2024;;Strom;5;kWh;A;x", header=H.replace(b"Jahr;", b"Jahr;;")),
        True,
    ),
    (
        "empty_header_cell_inside_value",
        _file("2024;1;Strom;5;kWh;A;x", header=H.replace(b"Jahr;", b"Jahr;;")),
        False,
    ),
    ("row_one_field_more_empty", _file(ROW + ";", *GOOD), True),
    ("row_one_field_more_space", _file(ROW + "; ", *GOOD), True),
    ("row_one_field_more_nbsp", _file(ROW + ";\u00a0", *GOOD), True),
    ("row_one_field_more_value", _file(ROW + ";wert", *GOOD), False),
    ("row_two_fields_more_empty", _file(ROW + ";;", *GOOD), True),  # read_csv drops them
    ("row_two_fields_more_value", _file(ROW + ";;w", *GOOD), False),
    ("row_fewer_fields", _file("2024;Strom;5;kWh", "2023;Gas;1;kWh;B", *GOOD), True),
    ("row_too_few_fields", _file("2024;Strom;5", *GOOD), False),
    ("quote_in_remark", _file('2024;Strom;5;kWh;A;"x"', *GOOD), False),
    ("quote_in_header", _file(ROW, *GOOD, header=H.replace(b"Jahr", b'"Jahr"')), False),
    ("header_longer_than_head", LONG_HEADER + b"\r\n" + _file(ROW, *GOOD, header=b"")[2:], False),
    # --- encodings ------------------------------------------------------------------------
    ("cp1252", csv_bytes([ROW, *GOOD], encoding="cp1252"), True),
    ("cp1252_en_dash_euro", csv_bytes([ROW + " – 5 €", *GOOD], encoding="cp1252"), True),
    ("cp1252_unassigned_byte", _file(b"2024;Strom;5;kWh;A;x\x81y", *GOOD), False),
    ("cp1252_site_after_head", _file(*_pad_rows(3000), b"2021;Strom;1;kWh;M\xfcnchen;x"), False),
    ("cp1252_carrier_after_head", _file(*_pad_rows(3000), b"2021;Heiz\xf6l;1;l;X;x"), False),
    ("cp1252_remark_after_head", _file(*_pad_rows(3000), b"2021;Strom;1;kWh;X;\x80"), False),
    ("cp1252_nbsp_beyond_header", _file(*_pad_rows(3000), b"2021;Strom;1;kWh;X;x;\xa0"), False),
    ("cp1252_menge_nbsp", _file(*_pad_rows(3000), b"2021;Strom;1\xa0;kWh;X;x"), False),
    (
        "bom_cp1252_after_head",
        b"\xef\xbb\xbf" + _file(*_pad_rows(3000), b"2021;Strom;1;kWh;X;\xe4"),
        False,
    ),  # fmt: skip
    (
        "utf8_surrogate_after_head",
        _file(*_pad_rows(3000), b"2021;Strom;1;kWh;X;a\xed\xa0\x80b"),
        False,
    ),  # fmt: skip
    (
        "utf8_overlong_after_head",
        _file(*_pad_rows(3000), b"2021;Strom;1;kWh;X;a\xc0\x80b"),
        False,
    ),  # fmt: skip
    ("utf8_noncharacter", _file(*_pad_rows(3000), "2021;Strom;1;kWh;X;a\ufffeb"), True),
    ("utf16", ("\ufeff" + HEADER + "\r\n" + ROW + "\r\n").encode("utf-16-le"), False),
    ("size_64k", _sized(direct.HEAD, "2021;Strom;1;kWh;Grenze;"), True),
    ("size_64k_plus_1", _sized(direct.HEAD + 1, "2021;Strom;1;kWh;Grenze;"), True),
    ("umlaut_across_head", _straddle(direct.HEAD - 1), True),
]

# --- cell values: one row per file (so one declined cell cannot hide another) ------------------
VALUES = [
    # carriers
    "2024;STROM;5;kWh;;",
    "2024;strom;5;kWh;;",
    "2024;HEIZÖL;5;l;;",
    "2024;Heizoel;5;l;;",
    f"2024;{NFD_OEL};5;l;;",
    "2024;Heizöl EL;5;l;;",
    "2024;Heizöl  EL;5;l;;",
    "2024;Fernwärme (Dortmund);5;MWh;;",
    "2024; Strom;5;kWh;;",
    "2024;Strom\u00a0;5;kWh;;",
    "2024;Strom\u202f;5;kWh;;",
    "2024;Ströme;5;kWh;;",
    "2024;Holz / Pellets;1;t;;",
    # units
    "2024;Strom;5;KWH;;",
    "2024;Strom;5;Kilowattstunden;;",
    "2024;Erdgas;5;M³;;",
    "2024;Erdgas;5;m3;;",
    "2024;Sonstige;5;T CO2E;;",
    "2024;Sonstige;5;t CO₂e;;",
    "2024;Strom;5;kWh ;;",
    "2024;Strom;5;\u00a0kWh;;",
    "2024;Strom;5;l;;",
    "2024;Strom;5;kW h;;",
    # numbers
    "2024;Strom;1.234;kWh;;",
    "2024;Strom;1.5;kWh;;",
    "2024;Strom;+5;kWh;;",
    "2024;Strom;-0;kWh;;",
    "2024;Strom;-0,0;kWh;;",
    "2024;Strom;+0;kWh;;",
    "2024;Strom;0,0;kWh;;",
    "2024;Strom;-5;kWh;;",
    "2024;Strom;1e5;kWh;;",
    "2024;Strom;inf;kWh;;",
    "2024;Strom;nan;kWh;;",
    "2024;Strom;Infinity;kWh;;",
    "2024;Strom;" + "9" * 400 + ";kWh;;",
    "2024;Strom;1" + "0" * 308 + ";kWh;;",
    "2024;Strom;1" + "0" * 309 + ";kWh;;",
    "2024;Strom;12345678901234567890,5;kWh;;",
    "2024;Strom;0," + "0" * 30 + "1;kWh;;",
    "2024;Strom;1.234.567,8;kWh;;",
    "2024;Strom;1.000.000;kWh;;",
    "2024;Strom;01;kWh;;",
    "2024;Strom;007,50;kWh;;",
    "2024;Strom;1,;kWh;;",
    "2024;Strom;,5;kWh;;",
    "2024;Strom;\u22125;kWh;;",
    "2024;Strom;1 234;kWh;;",
    "2024;Strom;1\u00a0234;kWh;;",
    "2024;Strom;1\u202f234,5;kWh;;",
    "2024;Strom; 5;kWh;;",
    "2024;Strom;5 ;kWh;;",
    "2024;Strom;0.123;kWh;;",
    "2024;Strom;1.23;kWh;;",
    "2024;Strom;1,234.5;kWh;;",
    "2024;Strom;;kWh;;",
    "2024;Strom;\u00a0;kWh;;",
    "2024;Strom;5,5,5;kWh;;",
    "2024;Strom;0x10;kWh;;",
    "2024;Strom;１２;kWh;;",
    # years
    "2024.0;Strom;5;kWh;;",
    " 2024;Strom;5;kWh;;",
    "2024 ;Strom;5;kWh;;",
    "02024;Strom;5;kWh;;",
    "0000;Strom;5;kWh;;",
    "1989;Strom;5;kWh;;",
    "1990;Strom;5;kWh;;",
    f"{NEXT_YEAR};Strom;5;kWh;;",
    "２０２４;Strom;5;kWh;;",
    "24;Strom;5;kWh;;",
    "2024\u00a0;Strom;5;kWh;;",
    ";Strom;5;kWh;;",
    "+2024;Strom;5;kWh;;",
    # sites
    "2024;Strom;5;kWh;Rathaus ;",
    "2024;Strom;5;kWh; Rathaus;",
    "2024;Strom;5;kWh;\u00a0Rathaus;",
    "2024;Strom;5;kWh;Rathaus\u202f;",
    "2024;Strom;5;kWh;Rat haus;",
    "2024;Strom;5;kWh;\t;",
    "2024;Strom;5;kWh;Rathaus\u2009;",
    "2024;Strom;5;kWh;\ufeffRathaus;",
    "2024;Strom;5;kWh;Rathaus\x0b;",  # alone in a file < 100 bytes: "Binärdaten" on both
    # remarks and the template's example row
    "2024;Strom;5;kWh;;BEISPIEL – bitte ersetzen",
    "2024;Strom;5;kWh;; BEISPIEL – x",
    "2024;Strom;5;kWh;;BEISPIEL –",
    "2024;Strom;5;kWh;;Beispiel – x",
    "2024;Strom;5;kWh;;BEISPIEL - x",
    "2024;Strom;5;kWh;;beispiel – x",
    "2024;Strom;5;kWh;;x\u00a0",
    "2024;Strom;5;kWh;; ",
    "2024;Strom;5;kWh;;\u202f",
    "2024;Strom;5;kWh;;Zählerstand – geprüft €",
]

#: the rows of VALUES that take the direct path on their own (all others: full check)
DIRECT = {
    "2024;STROM;5;kWh;;", "2024;strom;5;kWh;;", "2024;HEIZÖL;5;l;;", "2024;Heizoel;5;l;;",
    "2024;Heizöl EL;5;l;;", "2024;Fernwärme (Dortmund);5;MWh;;", "2024;Holz / Pellets;1;t;;",
    "2024;Strom;5;KWH;;", "2024;Strom;5;Kilowattstunden;;", "2024;Erdgas;5;M³;;",
    "2024;Erdgas;5;m3;;", "2024;Sonstige;5;T CO2E;;", "2024;Sonstige;5;t CO₂e;;",
    "2024;Strom;1.234;kWh;;", "2024;Strom;+5;kWh;;", "2024;Strom;-0;kWh;;",
    "2024;Strom;-0,0;kWh;;", "2024;Strom;+0;kWh;;", "2024;Strom;0,0;kWh;;",
    "2024;Strom;1" + "0" * 308 + ";kWh;;", "2024;Strom;12345678901234567890,5;kWh;;",
    "2024;Strom;0," + "0" * 30 + "1;kWh;;", "2024;Strom;1.234.567,8;kWh;;",
    "2024;Strom;1.000.000;kWh;;", "2024;Strom;01;kWh;;", "2024;Strom;007,50;kWh;;",
    "1990;Strom;5;kWh;;", "2024;Strom;5;kWh;Rat haus;", "2024;Strom;5;kWh;Rathaus\u2009;",
    "2024;Strom;5;kWh;\ufeffRathaus;", "2024;Strom;5;kWh;Rathaus\x0b;",
    "2024;Strom;5;kWh;;Beispiel – x", "2024;Strom;5;kWh;;BEISPIEL - x",
    "2024;Strom;5;kWh;;beispiel – x", "2024;Strom;5;kWh;;Zählerstand – geprüft €",
}  # fmt: skip
assert set(VALUES) >= DIRECT

# --- duplicates (year x carrier x site) ---------------------------------------------------------
#: pairs of rows; the last three are no duplicates for either path (different keys)
DUPLICATES = [
    ("2024;Strom;5;kWh;Rathaus;", "2024;Strom;6;kWh;rathaus;"),
    ("2024;Strom;5;kWh;Rathaus;", "2024;Strom;6;kWh;Rathaus ;"),
    ("2024;Strom;5;kWh;Rathaus;", "2024;Strom;6;kWh;\u00a0Rathaus;"),
    ("2024;Strom;5;kWh;Rathaus;", "2024;Strom;6;MWh;Rathaus;"),
    ("2024;Strom;5;kWh;Rathaus;", "2024;strom;6;kWh;RATHAUS;"),
    ("2024;Strom;5;kWh;;", "2024;Strom;6;kWh;;"),
    ("2024;Strom;5;kWh;;", "2024;Strom;6;kWh; ;"),
    ("2024;Erdgas;5;kWh;A;", "2024;Gas;6;kWh;a;"),
    ("2024;Heizöl;5;l;A;", f"2024;{NFD_OEL};6;l;A;"),
    ("2024;Strom;5;kWh;Straße;", "2024;Strom;6;kWh;STRASSE;"),
    ("2024;Strom;5;kWh;Schüle;", "2024;Strom;6;kWh;" + NFD_SCHUELE + ";"),
    ("2024;Strom;5;kWh;A;", "2023;Strom;6;kWh;A;"),
]


@pytest.mark.parametrize(
    ("data", "takes_direct"), [c[1:] for c in CASES], ids=[c[0] for c in CASES]
)
def test_files_agree(dbs, monkeypatch, data, takes_direct):
    if takes_direct:
        _, taken = _compare(dbs, monkeypatch, data)
        assert taken
    else:
        _declines(dbs, monkeypatch, data)


@pytest.mark.parametrize("row", [r for r in VALUES if r not in DIRECT])
def test_other_values_agree(dbs, monkeypatch, row):
    """Each other cell: both paths read it with the same rules (sql/upload_rules.sql), so the
    direct path takes exactly the files the full check accepts, and stores the same."""
    fast, taken = _compare(dbs, monkeypatch, _file(PRE, row))
    assert taken == (fast["result"][0] == "Imported"), fast["result"]


@pytest.mark.parametrize("rows", DUPLICATES[:-3])
def test_duplicates_decline(dbs, monkeypatch, rows):
    _declines(dbs, monkeypatch, _file(*rows))


@pytest.mark.parametrize("rows", DUPLICATES[-3:])
def test_no_duplicates_agree(dbs, monkeypatch, rows):
    _, taken = _compare(dbs, monkeypatch, _file(*rows))
    assert taken


def test_all_direct_values_in_one_file(dbs, monkeypatch):
    """Every row of VALUES the direct path takes, in one file (distinct sites): stored alike.

    (One file for speed: a declined row would decline the whole file, which is asserted not to
    happen, so every one of them is taken and compared.)
    """
    rows = []
    for i, row in enumerate(r for r in VALUES if r in DIRECT):
        cells = row.split(";")
        cells[4] = f"S{i}{cells[4]}"
        rows.append(";".join(cells))
    fast, taken = _compare(dbs, monkeypatch, _file(*rows))
    assert taken and len(fast["rows"]) == len(rows)


# --- years with data, replace, dry run, xlsx, command line ------------------------------------
EARLIER = _file("2024;Strom;1;kWh;;", "2022;Erdgas;2;MWh;A;")
LATER = _file("2024;Strom;7;kWh;;", "2025;Strom;8;kWh;;")


@pytest.mark.parametrize(
    ("data", "kw"),
    [
        (LATER, {}),
        (LATER, {"replace": True}),
        (_file("2024;Strom;7;kWh;;", "2025;Strom;-8;kWh;;"), {}),  # invalid beats years
        (_file("2024;Strom;7;kWh;;", "2024;Strom;8;kWh;;"), {"replace": True}),
    ],
    ids=["years_have_data", "replace", "invalid_and_years", "duplicate_and_replace"],
)
def test_years_with_data_agree(dbs, monkeypatch, data, kw):
    _compare(dbs, monkeypatch, data, prior=[EARLIER], **kw)


def test_same_file_twice_agrees(dbs, monkeypatch):
    data = _file(ROW, *GOOD)
    fast, taken = _compare(dbs, monkeypatch, data, prior=[data])
    assert not taken and fast["result"][0] == "YearsHaveData"
    fast, taken = _compare(dbs, monkeypatch, data, prior=[data], replace=True)
    assert taken and fast["result"][4] == [2023, 2024]


def test_dry_run_agrees(dbs, monkeypatch):
    fast, taken = _compare(dbs, monkeypatch, _file(ROW, *GOOD), dry_run=True)
    assert not taken and fast["submissions"] == [] and fast["result"][1] is None


def test_xlsx_never_takes_the_direct_path(dbs, monkeypatch):
    data = xlsx_bytes([HEADER.split(";"), [2024, "Strom", 5, "kWh", "Rathaus", "x"]])
    fast, taken = _compare(dbs, monkeypatch, data)
    assert not taken and fast["result"][0] == "Imported"


@pytest.mark.parametrize(
    ("data", "takes_direct"),
    [
        (b"\xef\xbb\xbfsep=;\r\n" + _file(ROW, *GOOD, end=b""), True),
        (_file(*_pad_rows(3000), b"2021;Strom;1;kWh;M\xfcnchen;x"), False),
        (_file(ROW, "", *GOOD), False),
    ],
    ids=["bom_sep_no_final_newline", "cp1252_after_head", "blank_line"],
)
def test_command_line_agrees(dbs, monkeypatch, data, takes_direct):
    _, taken = _compare(dbs, monkeypatch, data, cli=True)
    assert taken is takes_direct


# --- differences found in the review, fixed: a header line longer than direct.HEAD declines ---
def test_bom_file_with_invalid_byte_in_long_header(dbs, monkeypatch):
    data = b"\xef\xbb\xbf" + LONG_HEADER + b"\xfc\r\n" + _file(ROW, *GOOD, header=b"")[2:]
    _compare(dbs, monkeypatch, data)


@pytest.mark.parametrize("cli", [False, True], ids=["page", "command_line"])
def test_invalid_byte_in_long_header_changes_values(dbs, monkeypatch, cli):
    data = LONG_HEADER + b"\xfc\r\n" + _file("2024;Strom;5;kWh;München;Zählerstand", header=b"")[2:]
    _compare(dbs, monkeypatch, data, cli=cli)


def test_sep_line_with_quote_delimiter_declines(dbs, monkeypatch):
    """``sep="`` makes read_csv raise a BinderException (quote = delimiter), not in
    direct.DECLINE. At 203148f it escaped import_file as a raw DuckDB error (no German message,
    no rejected submission, the full check never ran); the quote pre-scan in ``direct._source``
    (working tree after af872c1) now declines the file before read_csv."""
    data = b'sep="\r\n' + _file("2024;Strom;5;kWh;A;x").replace(b";", b'"')
    _declines(dbs, monkeypatch, data)
    fast, _ = _compare(dbs, monkeypatch, data)
    assert fast["result"][0] == "UploadError"
