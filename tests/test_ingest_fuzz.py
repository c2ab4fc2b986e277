"""Mutated copies of valid CSV and XLSX files: only German ``KekError`` messages, no traceback.

Why: damaged files (a bit flipped in transit, a download cut off, an xlsx renamed to .csv) used
to end in ``ValueError: negative seek value``, ``zlib.error`` or ``NotImplementedError: zip file
version`` from deep inside the reader. Every mutated file goes through the public entry points
(``kek_data.ingest.check``, ``import_file`` and ``python -m kek_data import``) on a real DuckDB
file; anything but a :class:`~kek_data.errors.KekError` fails the test with the case's seed.
The mutations are deterministic (seeded): byte flips, truncation, insertions, deletions and
duplicated blocks. ``KEK_LONG_TESTS=1`` runs 10.000 cases instead of a few hundred.
"""

from __future__ import annotations

import os
import random

import pytest

from kek_data import cli, db
from kek_data.errors import KekError
from kek_data.ingest import check, import_file
from kek_data.viewer import NETWORK_MANAGER as NM
from tests.ingest_util import HEADER, csv_bytes, xlsx_bytes

LONG = os.environ.get("KEK_LONG_TESTS") == "1"
N_CASES = 10_000 if LONG else 300
N_BATCHES = 20 if LONG else 3
IMPORT_EVERY = 1 if LONG else 3  #: every n-th case also through import_file
CLI_EVERY = 10 if LONG else 50  #: every n-th case also through the command line

ROWS = [
    "2024;Strom;1.234,5;kWh;Zentrale;",
    "2024;Fernwärme;12,5;MWh;;Heizung – Altbau",
    '2023;"Erdgas";"1.000";kWh;"Haus ""A""; Nord";"zwei\r\nZeilen"',
    "2022;Heizöl;3.000;l;Lager;Preis 1.234 €",
]


def _seeds() -> list[tuple[str, bytes]]:
    """Valid files as members send them (each passes the check unmutated)."""
    table = [["Jahr", "Energieträger", "Menge", "Einheit", "Standort", "Bemerkung"],
             [2024, "Strom", 1234.5, "kWh", "Zentrale", None],
             [2023, "Erdgas", "1.234,5", "MWh", None, "Text"],
             [2022, "Diesel", 0.5, "l", None, None]]  # fmt: skip
    return [
        ("csv", csv_bytes(ROWS)),
        ("csv", csv_bytes(ROWS[:2], encoding="cp1252", newline="\n")),
        ("csv", csv_bytes(ROWS, encoding="utf-8-sig")),
        (
            "csv",
            ("\ufeff" + "\r\n".join([HEADER, *ROWS[:2]]).replace(";", "\t")).encode("utf-16-le"),
        ),
        ("csv", b"sep=;\r\n" + csv_bytes(ROWS[:2])),
        ("xlsx", xlsx_bytes(table)),
        ("xlsx", xlsx_bytes(table, start_row=2, second_sheet=False)),
    ]


SEEDS = _seeds()


def mutate(data: bytes, rnd: random.Random) -> bytes:
    """One to three random damages of the bytes."""
    out = bytearray(data)
    for _ in range(rnd.randint(1, 3)):
        kind = rnd.random()
        pos = rnd.randrange(max(len(out), 1))
        if kind < 0.35 and out:  # flip bytes
            for _ in range(rnd.randint(1, 8)):
                out[rnd.randrange(len(out))] = rnd.randrange(256)
        elif kind < 0.5:  # truncate
            del out[pos:]
        elif kind < 0.7:  # insert random or special bytes
            junk = rnd.choice([bytes(rnd.randrange(256) for _ in range(rnd.randint(1, 64))),
                               b'"', b"\x00", b"\r", b";" * rnd.randint(1, 500), b"PK\x03\x04",
                               b"\xff\xfe", b"\n\n"])  # fmt: skip
            out[pos:pos] = junk
        elif kind < 0.85:  # delete a block
            del out[pos : pos + rnd.randint(1, 256)]
        else:  # duplicate a block (zip entries twice, repeated lines)
            block = out[pos : pos + rnd.randint(1, 2048)]
            at = rnd.randrange(len(out) + 1)
            out[at:at] = block
    return bytes(out)


def case(i: int) -> tuple[str, bytes]:
    """The i-th mutated file and its name (an xlsx sometimes named .csv and vice versa)."""
    rnd = random.Random(8_000 + i)
    kind, data = SEEDS[i % len(SEEDS)]
    suffix = kind if rnd.random() < 0.8 else ("csv" if kind == "xlsx" else "xlsx")
    return f"fuzz_{i}.{suffix}", mutate(data, rnd)


@pytest.fixture(scope="module")
def fuzz_db(tmp_path_factory):
    """A fresh database file for the library calls; the command line uses a second one."""
    folder = tmp_path_factory.mktemp("fuzz")
    for name in ("kek.duckdb", "cli.duckdb"):
        db.connect(folder / name).close()
    return folder / "kek.duckdb"


def test_the_unmutated_seeds_are_valid(fuzz_db):
    con = db.connect(fuzz_db)
    try:
        for kind, data in SEEDS:
            assert check(con, data, f"seed.{kind}", "dsw21", NM).checked.errors == []
    finally:
        con.close()


@pytest.mark.parametrize("batch", range(N_BATCHES))
def test_mutated_files_end_in_german_messages_only(fuzz_db, tmp_path, capsys, batch):
    con = db.connect(fuzz_db)
    outcomes: dict[str, int] = {}
    try:
        for i in range(batch, N_CASES, N_BATCHES):
            name, data = case(i)
            try:
                check(con, data, name, "dsw21", NM)
                outcome = "geprüft"
            except KekError as exc:
                outcome = type(exc).__name__
                assert str(exc).strip(), f"case {i}: empty message"
            except Exception as exc:  # the failure this test exists for
                pytest.fail(f"case {i} ({name}): check raised {type(exc).__name__}: {exc}")
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
            if i % IMPORT_EVERY == 0:
                try:
                    import_file(con, fuzz_db, data, name, "dsw21", NM, replace=True)
                except KekError:
                    pass
                except Exception as exc:
                    pytest.fail(f"case {i} ({name}): import_file raised {type(exc).__name__}")
            if i % CLI_EVERY == 0:
                path = tmp_path / name
                path.write_bytes(data)
                cli_db = str(fuzz_db.with_name("cli.duckdb"))
                try:
                    code = cli.main(["import", str(path), "--member", "dsw21", "--db", cli_db,
                                     "--replace"])  # fmt: skip
                except Exception as exc:
                    pytest.fail(f"case {i} ({name}): command raised {type(exc).__name__}: {exc}")
                err = capsys.readouterr().err
                assert code in (0, 1, 2) and "Traceback" not in err, (i, err)
    finally:
        con.close()
    assert len(outcomes) > 1  # the mutations reach more than one outcome


def test_case_generation_is_deterministic():
    assert case(17) == case(17) and case(17) != case(18)
