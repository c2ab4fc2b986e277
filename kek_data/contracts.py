"""Electricity contracts with proof: the second template ("Stromverträge") for market-based Scope 2.

Why: the market-based figure (:mod:`kek_data.scope2`) needs, per member and year, how much
electricity was bought under which supplier-specific factor and with which proof. Members fill
the template in German Excel (CSV or XLSX, any encoding the main upload reads,
:func:`kek_data.ingest.reader.open_source`); every problem of a file is listed at once with file,
line and column, and nothing is written unless the whole file is fine. An import replaces the
member's contracts of exactly the years in the file (the older ones stay stored); a withdrawal
(:func:`withdraw`) stores an empty set for a year.

Rules (written once, :func:`check_row`): year in range, quantity a positive German number in
kWh/MWh/GWh, factor [g CO₂e/kWh] 0–1.500, a proof always, and a factor below
:data:`GREEN_MAX_G` only with Herkunftsnachweisen (GHG Protocol Scope 2 Quality Criteria:
a zero-emission claim needs cancelled certificates).
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date, datetime

import duckdb
import pandas as pd

from kek_data import access, config, db
from kek_data.errors import ContractErrors, UnknownMember, UploadError
from kek_data.ingest import reader
from kek_data.ingest.outcome import shown
from kek_data.ingest.validate import EXAMPLE_PREFIX, header_key
from kek_data.numbers import GermanNumberError, format_number, parse_german_number
from kek_data.viewer import Viewer

#: canonical column → German label (the template's order)
COLUMNS = {
    "jahr": "Jahr",
    "menge": "Strommenge",
    "einheit": "Einheit",
    "faktor": "Faktor g CO₂e/kWh",
    "nachweis": "Nachweis",
    "lieferant": "Lieferant",
    "produkt": "Produkt",
    "bemerkung": "Bemerkung",
}
REQUIRED = ("jahr", "menge", "einheit", "faktor", "nachweis")
HEADERS = {header_key(label): col for col, label in COLUMNS.items()} | {
    "menge": "menge",
    "faktor": "faktor",
    "lieferantenfaktor": "faktor",
    "faktor g co2e/kwh": "faktor",
    "faktor g/kwh": "faktor",
}
#: unit → [kWh] per unit
UNITS = {"kwh": 1.0, "mwh": 1e3, "gwh": 1e6}
MAX_G = 1500.0  #: [g CO₂e/kWh] above any fuel's electricity (lignite ≈ 1.100–1.200)
#: [g CO₂e/kWh] a factor below this is a green-power claim: proof must be Herkunftsnachweise
GREEN_MAX_G = 50.0
MAX_TEXT = 200
MAX_QUANTITY = 1e12  #: [unit] far above any member's electricity (1 TWh = 1e9 kWh)
MAX_ROWS = 5000


@dataclass(frozen=True)
class Contract:
    """One checked row: ``kwh`` [kWh], ``g_co2e_per_kwh`` [g CO₂e/kWh]."""

    line_no: int
    year: int
    kwh: float
    g_co2e_per_kwh: float
    proof: str
    supplier: str
    product: str
    remark: str


def template_csv(year: int | None = None) -> bytes:
    """The template for German Excel (``;``, decimal comma, UTF-8 with BOM, CRLF) with two
    example rows (rejected on import until replaced)."""
    year = year or date.today().year - 1
    out = io.StringIO()
    w = csv.writer(out, delimiter=";", lineterminator="\r\n")
    w.writerow(COLUMNS.values())
    w.writerow(
        [
            year,
            "800.000",
            "kWh",
            "0",
            "Herkunftsnachweise (HKNR), entwertet",
            "Stadtwerke X",
            "Ökostrom",
            f"{EXAMPLE_PREFIX} Ökostrom mit HKN, bitte ersetzen",
        ]
    )
    w.writerow([year, "200.000", "kWh", "312", "Stromkennzeichnung des Lieferanten",
                "Stadtwerke X", "Standardtarif",
                f"{EXAMPLE_PREFIX} Faktor laut Stromkennzeichnung, bitte ersetzen"])  # fmt: skip
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def hints() -> list[str]:
    """German notes shown beside the template."""
    return [
        "Eine Zeile je Jahr und Stromvertrag (oder Produkt). Kopfzeile: "
        + ";".join(COLUMNS.values())
        + " (Lieferant, Produkt, Bemerkung freiwillig).",
        "Nur der Strom mit eigenem Nachweis gehört hierher; der übrige gemeldete Strom wird "
        "marktbasiert mit dem Reststrommix gerechnet. Die standortbezogene BISKO-Bilanz ändert "
        "sich durch Verträge nicht.",
        f"Faktor in g CO₂e je kWh laut Stromkennzeichnung des Lieferanten; ein Faktor unter "
        f"{format_number(GREEN_MAX_G, 0)} (Ökostrom, z. B. 0) nur mit entwerteten "
        "Herkunftsnachweisen (HKN) – bitte im Nachweis nennen.",
        "Eine Datei ersetzt die Verträge genau der Jahre, die sie enthält; die alten bleiben "
        "gespeichert.",
    ]


def _number(text: str) -> float | None:
    try:
        return parse_german_number(text)
    except GermanNumberError:
        return None


#: The rules' German messages, written once ({value}: the cell as written).
MESSAGES = {
    "example": "Das ist die Beispielzeile der Vorlage: bitte ersetzen oder löschen.",
    "jahr": "„{value}“ ist kein Jahr zwischen {first} und {last}.",
    "menge": "„{value}“ ist keine positive Zahl bis 10¹² (deutsche Schreibweise, z. B. 800.000 "
    "oder 12,5).",
    "einheit": "„{value}“: erlaubt sind kWh, MWh oder GWh.",
    "faktor": "„{value}“ ist kein Faktor zwischen 0 und {max_g} g CO₂e/kWh.",
    "nachweis": "Bitte den Nachweis nennen (z. B. „Herkunftsnachweise (HKNR), entwertet“ oder "
    "„Stromkennzeichnung 2024“).",
    "kg": "„{value}“ g CO₂e/kWh ist unter 1 g – wohl in kg/kWh angegeben? Bitte in g CO₂e "
    "je kWh eintragen (0,4 kg/kWh = 400 g/kWh; Ökostrom mit Herkunftsnachweisen: 0).",
    "gruen": "Ein Faktor unter {green} g/kWh (Ökostrom) zählt nur mit entwerteten "
    "Herkunftsnachweisen: bitte „Herkunftsnachweise“ bzw. „HKN“ im Nachweis angeben.",
    "text": "Text länger als {max_text} Zeichen; bitte kürzen.",
}


def green_proof(proof: str) -> bool:
    """True if ``proof`` names Herkunftsnachweise as a word and does not negate them
    ("keine HKN", "ohne Herkunftsnachweise", "HKN teilweise" are no proof for the whole row)."""
    words = re.findall(r"[\wäöüß]+", proof.lower())
    named = any(w.startswith("herkunftsnachweis") or w in ("hkn", "hknr") for w in words)
    return named and not any(w in ("kein", "keine", "ohne", "teilweise", "nicht") for w in words)


def check_row(cells: dict[str, str], year_now: int) -> tuple[dict[str, object], list[tuple]]:
    """One row's values and problems ``(column, German text)``; the rules of the module doc."""
    errs: list[tuple[str, str]] = []
    out: dict[str, object] = {}

    def fail(col: str, rule: str) -> None:
        errs.append((col, MESSAGES[rule].format(
            value=shown(cells.get(col, "")), first=config.FIRST_YEAR, last=year_now,
            max_g=format_number(MAX_G, 0), green=format_number(GREEN_MAX_G, 0),
            max_text=MAX_TEXT,
        )))  # fmt: skip

    if any(v.startswith(EXAMPLE_PREFIX) for v in cells.values()):
        fail("bemerkung", "example")
        return out, errs
    y = cells.get("jahr", "")
    if not y.isdigit() or not config.FIRST_YEAR <= int(y) <= year_now:
        fail("jahr", "jahr")
    else:
        out["year"] = int(y)
    q = _number(cells.get("menge", ""))
    if q is None or q <= 0 or q > MAX_QUANTITY:
        fail("menge", "menge")
    unit = UNITS.get(cells.get("einheit", "").strip().lower())
    if unit is None:
        fail("einheit", "einheit")
    if q is not None and q > 0 and unit is not None:
        out["kwh"] = q * unit
    g = _number(cells.get("faktor", ""))
    if g is None or not 0 <= g <= MAX_G:
        fail("faktor", "faktor")
    elif 0 < g < 1:
        fail("faktor", "kg")
    else:
        out["g"] = g
    proof = cells.get("nachweis", "").strip()
    if not proof:
        fail("nachweis", "nachweis")
    elif g is not None and g < GREEN_MAX_G and not green_proof(proof):
        fail("nachweis", "gruen")
    for col in ("nachweis", "lieferant", "produkt", "bemerkung"):
        if len(cells.get(col, "")) > MAX_TEXT:
            fail(col, "text")
    return out, errs


def parse(data: bytes, file_name: str, year_now: int | None = None) -> list[Contract]:
    """The checked rows of a contracts file; :class:`ContractErrors` listing every problem."""
    year_now = year_now or date.today().year
    src = reader.open_source(data, file_name, known=lambda c: header_key(c) in HEADERS)
    try:
        text = src.path.read_text(encoding="utf-8-sig")
    finally:
        src.close()
    rows = list(csv.reader(io.StringIO(text), delimiter=src.delimiter))[src.skip :]
    first = src.header_line
    errors: list[str] = []
    if not rows:
        raise ContractErrors([f"{file_name}, Zeile 1: Die Datei ist leer."])
    names: list[str | None] = []
    for pos, cell in enumerate(rows[0], 1):
        key = header_key(cell)
        col = HEADERS.get(key) or ("faktor" if key.startswith("faktor") else None)
        if col == "faktor" and re.search(r"\b(kg|t)\b", key):
            errors.append(
                f"{file_name}, Zeile {first}, Spalte {pos} „{shown(cell)}“: Der Faktor wird in "
                f"g CO₂e/kWh erwartet; bitte umrechnen und die Überschrift „{COLUMNS['faktor']}“ "
                "verwenden (0,4 kg/kWh = 400 g/kWh)."
            )
        elif col is not None and col in names:
            errors.append(
                f"{file_name}, Zeile {first}, Spalte {pos} „{shown(cell)}“: Die Spalte "
                f"„{COLUMNS[col]}“ kommt doppelt vor; bitte eine davon löschen."
            )
        if col is None and header_key(cell):
            allowed = ", ".join(COLUMNS.values())
            errors.append(
                f"{file_name}, Zeile {first}, Spalte {pos} „{shown(cell)}“: Unbekannte "
                f"Spaltenüberschrift. Erlaubt sind {allowed}."
            )
        names.append(col)
    for col in REQUIRED:
        if col not in names:
            errors.append(f"{file_name}, Zeile {first}: Die Spalte „{COLUMNS[col]}“ fehlt.")
    if errors:
        raise ContractErrors(errors)
    if len(rows) - 1 > MAX_ROWS:
        raise ContractErrors([f"{file_name}: mehr als {MAX_ROWS} Zeilen; bitte aufteilen."])
    found: list[Contract] = []
    seen: dict[tuple, int] = {}  # the same contract twice would count its kWh twice
    for offset, row in enumerate(rows[1:], 1):
        line = first + offset
        if not any(c.strip() for c in row):
            continue
        cells = {n: c.strip() for n, c in zip(names, row, strict=False) if n}
        values, problems = check_row(cells, year_now)
        if len(row) > len(names) and any(c.strip() for c in row[len(names) :]):
            problems.append(("bemerkung", "Werte rechts neben der letzten Spalte: bitte löschen "
                                          "oder unter eine Überschrift schreiben."))  # fmt: skip
        key = tuple(cells.get(c, "") for c in COLUMNS if c != "bemerkung")
        if not problems and key in seen:
            problems.append(("jahr", f"Dieselbe Zeile steht schon in Zeile {seen[key]}; bitte "
                                     "nur einmal angeben."))  # fmt: skip
        seen.setdefault(key, line)
        for col, msg in problems:
            errors.append(f"{file_name}, Zeile {line}, Spalte „{COLUMNS[col]}“: {msg}")
        if not problems:
            found.append(Contract(line, int(values["year"]), float(values["kwh"]),
                                  float(values["g"]), cells["nachweis"],
                                  cells.get("lieferant", ""), cells.get("produkt", ""),
                                  cells.get("bemerkung", "")))  # fmt: skip
    if not found and not errors:
        errors.append(f"{file_name}, Zeile {first + 1}: Unter der Kopfzeile stehen keine Daten.")
    if errors:
        raise ContractErrors(errors)
    return found


def store(
    con: duckdb.DuckDBPyConnection,
    viewer: Viewer,
    member_id: str,
    file_name: str,
    found: list[Contract],
    data: bytes = b"",
    years: list[int] | None = None,
    is_demo: bool = False,
) -> int:
    """Write one upload (replaces the member's contracts of ``years``, default: the file's);
    returns its id. Access checked against the stored member, never a widget value."""
    if member_id not in access.member_ids(con):
        raise UnknownMember(f"Unbekanntes Mitglied „{member_id}“.")
    access.check_write(viewer, member_id)
    covered = sorted(set(years if years is not None else [c.year for c in found]))
    with db.transaction(con):
        return insert(con, member_id, viewer.user, file_name, found, covered, data, is_demo)


def insert(
    con: duckdb.DuckDBPyConnection,
    member_id: str,
    entered_by: str,
    file_name: str,
    found: list[Contract],
    years: list[int],
    data: bytes = b"",
    is_demo: bool = False,
    at: datetime | None = None,
) -> int:
    """The rows of one upload, inside the caller's transaction (no access check: :func:`store`
    and the demo generator call it); returns the upload id."""
    (upload_id,) = db.query_rows(
        con, "insert_contract_upload", member_id=member_id, years=years, file_name=file_name,
        sha256=hashlib.sha256(data).hexdigest() if data else None, entered_by=entered_by,
        entered_at=at or datetime.now(), is_demo=is_demo,
    )[0]  # fmt: skip
    if found:
        con.executemany(
            db.sql("insert_contract"),
            [
                {"upload_id": upload_id, "line_no": c.line_no, "member_id": member_id,
                 "year": c.year, "kwh": c.kwh, "g": c.g_co2e_per_kwh, "proof": c.proof,
                 "supplier": c.supplier, "product": c.product, "remark": c.remark or None}
                for c in found
            ],
        )  # fmt: skip
    return int(upload_id)


def import_file(
    con: duckdb.DuckDBPyConnection, viewer: Viewer, member_id: str, data: bytes, file_name: str
) -> tuple[int, list[Contract]]:
    """Check and store a contracts file: (upload id, rows); nothing written on any problem."""
    access.check_write(viewer, member_id)
    try:
        found = parse(data, file_name)
    except UploadError as exc:
        raise ContractErrors([str(exc)]) from exc
    return store(con, viewer, member_id, file_name, found, data), found


def withdraw(con: duckdb.DuckDBPyConnection, viewer: Viewer, member_id: str, year: int) -> int:
    """Withdraw the member's contracts of ``year`` (all its electricity at the residual mix)."""
    return store(con, viewer, member_id, f"Rücknahme {year}", [], years=[year])


def current(con: duckdb.DuckDBPyConnection, viewer: Viewer):
    """The contracts in force (members filtered by viewer) as a DataFrame."""
    return db.query_df(con, "current_contracts", **viewer.params())


def display(df: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """German columns of :func:`current` for the members in ``names`` (shown id → name)."""
    return pd.DataFrame(
        {
            "Mitglied": [names.get(m, m) for m in df["member_id"]],
            "Jahr": df["year"],
            "Strommenge [kWh]": df["kwh"].astype("float64"),
            "Faktor [g CO₂e/kWh]": df["g_co2e_per_kwh"].astype("float64"),
            "Nachweis": df["proof"],
            "Lieferant": df["supplier"],
            "Produkt": df["product"],
            "Datei": df["file_name"],
        }
    )
