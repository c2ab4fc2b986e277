"""The upload rules, read once from ``sql/upload_rules.sql``, for both import paths.

Why: a rule (year range, spelling, number grammar, unit fit, duplicates, …) must exist once.
Each block of ``upload_rules.sql`` is a :class:`Rule`: its code, the column its message points
at, a SQL condition (row rules) or query (set rules) and one German message. This module puts
them into the named queries that carry an ``@rule_…@`` marker (``ingest.sql``): the "bad" flag
of every record, the error listing of the full check, the abort condition of the direct import
and the set-rule checks of both. Tests add a rule by patching :func:`all_rules`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import duckdb

from kek_data import db

RULES_FILE = db.SQL_DIR / "upload_rules.sql"
#: canonical column → position in the template (kek_data.ingest.validate.COLUMNS order)
POSITIONS = {
    "jahr": 1,
    "energietraeger": 2,
    "menge": 3,
    "einheit": 4,
    "standort": 5,
    "bemerkung": 6,
    "*": 0,
}
#: the cell text a message quotes by default (columns of the full check's bad rows)
CELL_TEXT = {
    "jahr": "v_jahr",
    "energietraeger": "v_traeger",
    "menge": "v_menge",
    "einheit": "v_einheit",
    "standort": "site",
    "bemerkung": "remark",
    "*": "NULL",
}
_BLOCK = re.compile(r"^--\s*(set rule|rule):\s*(\w+)\s*$", re.MULTILINE)
_FIELD = re.compile(r"^--\s*(column|value|detail|message):\s?(.*)$")
_INCLUDE = re.compile(r"\{\{(\w+)\}\}")
_PARAM = re.compile(r"\$(\w+)")


@dataclass(frozen=True)
class Rule:
    """One upload rule: ``sql`` is a condition (row rule) or a query (set rule)."""

    code: str
    column: str
    sql: str
    message: str
    is_set: bool = False
    value: str = ""  # SQL; empty: the cell text of ``column``
    detail: str = "NULL"


def parse(text: str) -> list[Rule]:
    """The rules of a rules file, in file order."""
    parts = _BLOCK.split(text)
    rules = []
    for i in range(1, len(parts), 3):
        kind, code, body = parts[i], parts[i + 1], parts[i + 2]
        fields: dict[str, str] = {}
        lines = []
        for line in body.strip().splitlines():
            m = _FIELD.match(line)
            if m:
                fields[m.group(1)] = m.group(2).strip()
            elif not line.lstrip().startswith("--"):
                lines.append(line)
        column = fields["column"]
        if column not in POSITIONS:
            raise ValueError(f"rule {code}: unknown column {column!r}")
        rules.append(
            Rule(
                code=code,
                column=column,
                sql="\n".join(lines).strip().rstrip(";"),
                message=fields["message"],
                is_set=kind == "set rule",
                value=fields.get("value", ""),
                detail=fields.get("detail") or "NULL",
            )
        )
    return rules


@cache
def _from_file() -> tuple[Rule, ...]:
    return tuple(parse(RULES_FILE.read_text(encoding="utf-8")))


def all_rules() -> list[Rule]:
    """Every rule (row rules and set rules), in the order of ``upload_rules.sql``."""
    return list(_from_file())


def row_rules() -> list[tuple[int, Rule]]:
    """(number, rule) of the row rules; the number identifies the rule in ``upload_errors``."""
    return [(i, r) for i, r in enumerate(all_rules()) if not r.is_set]


def set_rules() -> list[tuple[int, Rule]]:
    """(number, rule) of the set rules."""
    return [(i, r) for i, r in enumerate(all_rules()) if r.is_set]


def _resolve(text: str) -> str:
    """Named blocks included as ``{{name}}`` (also inside included blocks)."""
    while _INCLUDE.search(text):
        text = _INCLUDE.sub(lambda m: db.sql(m.group(1)), text)
    return text


def _template(name: str) -> str:
    """A named SQL fragment without its comment lines (it is put in the middle of a query)."""
    return "\n".join(ln for ln in db.sql(name).splitlines() if not ln.lstrip().startswith("--"))


def _fill(template: str, **parts: str) -> str:
    for key, part in parts.items():
        template = template.replace(f"@{key}@", part)
    return template


def sql(name: str) -> str:
    """The named query with the rules put in: ``@rule_bad@`` (any row rule hits),
    ``@rule_hits@`` (one struct per row rule: hit, rule, col, value, detail)."""
    text = _resolve(db.sql(name))
    if "@rule_bad@" in text:
        item = _template("upload_rule_condition")
        bad = " OR ".join(_fill(item, condition=r.sql) for _, r in row_rules())
        text = text.replace("@rule_bad@", bad or _template("upload_rule_none"))
    if "@rule_hits@" in text:
        item = _template("upload_rule_hit")
        hits = [
            _fill(
                item,
                condition=r.sql,
                rule=str(i),
                col=str(POSITIONS[r.column]),
                value=r.value or CELL_TEXT[r.column],
                detail=r.detail,
            )
            for i, r in row_rules()
            if r.column != "*"  # values beside the header are listed per column
        ]
        text = text.replace(
            "@rule_hits@", _fill(_template("upload_rule_list"), items=", ".join(hits))
        )
    return text


def bound(text: str, params: dict) -> dict:
    """The parameters a query uses (DuckDB refuses unused ones; rules use only some)."""
    used = set(_PARAM.findall(text))
    return {k: v for k, v in params.items() if k in used}


def execute(con: duckdb.DuckDBPyConnection, name: str, params: dict) -> duckdb.DuckDBPyConnection:
    """Run the named query with the rules put in and the parameters it uses."""
    text = sql(name)
    return con.execute(text, bound(text, params))


def set_rule_sql(name: str, number: int, rule: Rule) -> str:
    """The named template (``upload_set_rule_errors`` / ``_count``) around one set rule."""
    return _fill(db.sql(name), query=rule.sql, rule=str(number), col=str(POSITIONS[rule.column]))


def extra_rule() -> int | None:
    """Number of the rule listing values beside the header per column (column ``*``)."""
    return next((i for i, r in row_rules() if r.column == "*"), None)
