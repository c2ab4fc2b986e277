"""Tests for kek_data.numbers: strict German parsing, regex agreement and formatting."""

from __future__ import annotations

import math
import re
from datetime import date, datetime

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kek_data.numbers import (
    GERMAN_NUMBER_REGEX,
    GERMAN_NUMBER_TRIM_CHARS,
    GermanNumberError,
    format_date,
    format_number,
    format_pct,
    format_t,
    parse_german_number,
)

NBSP = "\u00a0"
NNBSP = "\u202f"
MINUS = "\u2212"

ACCEPTED = [
    ("12", 12.0),
    ("0", 0.0),
    ("007", 7.0),
    ("1234", 1234.0),
    ("1234,5", 1234.5),
    ("0,5", 0.5),
    ("1.234", 1234.0),
    ("1.234.567,8", 1234567.8),
    ("12.345,678", 12345.678),
    ("999.000", 999000.0),
    ("1 234,5", 1234.5),
    (f"1{NBSP}234{NBSP}567", 1234567.0),
    (f"1{NNBSP}234,25", 1234.25),
    ("-12,5", -12.5),
    ("+12,5", 12.5),
    (f"{MINUS}1.000", -1000.0),
    ("  42,0\t", 42.0),
    (f"{NBSP}3{NBSP}", 3.0),
    ("-0", 0.0),
]

REJECTED = [
    "",
    "   ",
    "1.5",
    "1234.75",
    "12.34",
    "1.2345",
    "1234.567",  # first group longer than 3 digits
    "0.123",  # leading zero before a thousands point: probably English 0.123
    "1..234",
    "1.234.",
    ".234",
    "12,3,4",
    "1,234.5",
    "1,234,567",
    "1.234 567",  # mixed separators
    "1 23",
    "1  234",
    "abc",
    "1e5",
    "1E5",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "Infinity",
    ",5",
    "-,5",
    "5,",
    "+",
    "-",
    "--5",
    "+-5",
    "- 5",
    "5-",
    "1_000",
    "١٢",  # Arabic-Indic digits
    "½",
    "12 %",
    "0x10",
]


@pytest.mark.parametrize(("text", "expected"), ACCEPTED)
def test_accepts(text, expected):
    assert parse_german_number(text) == expected
    assert re.fullmatch(GERMAN_NUMBER_REGEX, text.strip(GERMAN_NUMBER_TRIM_CHARS))


@pytest.mark.parametrize("text", REJECTED)
def test_rejects(text):
    with pytest.raises(GermanNumberError) as info:
        parse_german_number(text)
    assert f"„{text.strip(GERMAN_NUMBER_TRIM_CHARS)}“" in str(info.value) or text.strip() == ""
    assert re.fullmatch(GERMAN_NUMBER_REGEX, text.strip(GERMAN_NUMBER_TRIM_CHARS)) is None


def test_negative_zero_keeps_sign_bit_like_float():
    assert math.copysign(1.0, parse_german_number("-0")) == -1.0


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("12,3,4", "„12,3,4“ ist keine Zahl."),
        (
            "1.5",
            (
                "„1.5“ ist mehrdeutig: Tausenderpunkte müssen von genau drei Ziffern "
                "gefolgt sein (meinten Sie „1,5“?)."
            ),
        ),
        (
            "1234.75",
            (
                "„1234.75“ ist mehrdeutig: Tausenderpunkte müssen von genau drei Ziffern "
                "gefolgt sein (meinten Sie „1234,75“?)."
            ),
        ),
        ("abc", "„abc“ ist keine Zahl."),
        (",5", "„,5“ ist keine Zahl: vor dem Komma fehlt eine Ziffer (meinten Sie „0,5“?)."),
    ],
)
def test_messages(text, message):
    with pytest.raises(GermanNumberError) as info:
        parse_german_number(text)
    assert str(info.value) == message


def test_english_style_message_suggests_german():
    with pytest.raises(GermanNumberError, match="englische") as info:
        parse_german_number("1,234.5")
    assert "„1.234,5“" in str(info.value)


def test_error_is_value_error():
    with pytest.raises(ValueError):
        parse_german_number("x")


def test_too_large_is_rejected():
    with pytest.raises(GermanNumberError, match="zu groß"):
        parse_german_number("9" * 400)


# ---------------------------------------------------------------- regex ⇔ parser agreement

_ALPHABET = "0123456789.,+- " + MINUS + NBSP + NNBSP + "e\t"


@st.composite
def german_like(draw):
    """Strings built from German number pieces, valid and slightly broken ones."""
    sep = draw(st.sampled_from([".", " ", NBSP, NNBSP, ","]))
    first = draw(st.from_regex(r"[0-9]{0,4}", fullmatch=True))
    groups = draw(st.lists(st.from_regex(r"[0-9]{2,4}", fullmatch=True), max_size=3))
    frac = draw(st.one_of(st.none(), st.from_regex(r"[0-9]{0,3}", fullmatch=True)))
    sign = draw(st.sampled_from(["", "", "-", "+", MINUS]))
    pad = draw(st.sampled_from(["", " ", NBSP, "\t"]))
    text = sign + first + "".join(sep + g for g in groups)
    if frac is not None:
        text += "," + frac
    return pad + text + pad


_CANDIDATES = st.one_of(
    german_like(),
    st.text(alphabet=_ALPHABET, max_size=14),
    st.text(max_size=6),
)


def _regex_accepts(text: str) -> bool:
    return re.fullmatch(GERMAN_NUMBER_REGEX, text.strip(GERMAN_NUMBER_TRIM_CHARS)) is not None


def _parser_accepts(text: str) -> bool:
    try:
        parse_german_number(text)
    except GermanNumberError:
        return False
    return True


@settings(max_examples=600, deadline=None)
@given(_CANDIDATES)
@example("1.234.567,8")
@example("1.5")
@example(f"1{NBSP}234 567")
def test_regex_and_parser_agree(text):
    assert _regex_accepts(text) == _parser_accepts(text)


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(0, 99))
def test_roundtrip_through_format(integer, cents):
    # format_number gives a German number with thousands points; parsing returns the value
    value = integer + (cents / 100 if integer >= 0 else -cents / 100)
    text = format_number(value, 2)
    assert _regex_accepts(text)
    assert parse_german_number(text) == pytest.approx(value, abs=1e-9)


def test_duckdb_regexp_full_match_agrees():
    duckdb = pytest.importorskip("duckdb")
    samples = (
        [text for text, _ in ACCEPTED]
        + REJECTED
        + [f"1{NBSP}234,5", f"1{NNBSP}234", f"{MINUS}7", "1.234 567", "12.3456"]
    )
    con = duckdb.connect()
    # the intended SQL use: trim with the documented characters, then full-match the regex
    rows = con.execute(
        "select s, trim(s, ?), regexp_full_match(trim(s, ?), ?) from unnest(?::varchar[]) t(s)",
        [GERMAN_NUMBER_TRIM_CHARS, GERMAN_NUMBER_TRIM_CHARS, GERMAN_NUMBER_REGEX, samples],
    ).fetchall()
    assert len(rows) == len(samples)
    for original, sql_trimmed, matched in rows:
        assert sql_trimmed == original.strip(GERMAN_NUMBER_TRIM_CHARS), repr(original)
        assert matched == _parser_accepts(original), repr(original)


_SQL_SAFE = _CANDIDATES.filter(lambda t: "\x00" not in t)


@settings(max_examples=25, deadline=None)
@given(st.lists(_SQL_SAFE, min_size=1, max_size=40))
def test_duckdb_agrees_on_generated_samples(texts):
    duckdb = pytest.importorskip("duckdb")
    rows = (
        duckdb.connect()
        .execute(
            "select regexp_full_match(trim(s, ?), ?)"
            " from unnest(?::varchar[]) with ordinality t(s, i) order by i",
            [GERMAN_NUMBER_TRIM_CHARS, GERMAN_NUMBER_REGEX, texts],
        )
        .fetchall()
    )
    assert [matched for (matched,) in rows] == [_parser_accepts(t) for t in texts]


# ---------------------------------------------------------------- formatting


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567.891, 2, "1.234.567,89"),
        (0.0, 1, "0,0"),
        (-0.0, 1, "0,0"),
        (-0.04, 1, "0,0"),  # rounds to zero → no minus
        (-1234.5, 1, "-1.234,5"),
        (0.05, 1, "0,1"),  # half up, not half even
        (0.25, 1, "0,3"),
        (2.675, 2, "2,68"),  # repr 2.675 rounds up even though binary is 2.67499…
        (1234.5, 0, "1.235"),
        (999.96, 1, "1.000,0"),
        (12, 1, "12,0"),
        (1e20, 0, "100.000.000.000.000.000.000"),
        (None, 1, "–"),
        (float("nan"), 1, "–"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_format_number_rejects_infinity():
    with pytest.raises(ValueError):
        format_number(float("inf"))


def test_format_units():
    assert format_t(1234.5) == "1.234,5 t CO₂e"
    assert format_t(1234.56, 2) == "1.234,56 t CO₂e"
    assert format_t(None) == "–"


@pytest.mark.parametrize(
    ("value", "kwargs", "expected"),
    [
        (12.34, {}, "12,3 %"),
        (12.34, {"signed": True}, "+12,3 %"),
        (-12.34, {"signed": True}, "-12,3 %"),
        (-12.34, {}, "-12,3 %"),
        (0.0, {"signed": True}, "0,0 %"),
        (0.01, {"signed": True}, "0,0 %"),
        (0.01, {"signed": True, "decimals": 2}, "+0,01 %"),
        (1500.0, {"decimals": 0}, "1.500 %"),
        (None, {"signed": True}, "–"),
    ],
)
def test_format_pct(value, kwargs, expected):
    assert format_pct(value, **kwargs) == expected


def test_format_dates():
    assert format_date(date(2026, 11, 26)) == "26.11.2026"
    assert format_date(date(2026, 3, 5)) == "05.03.2026"
    assert format_date(datetime(2026, 3, 5, 14, 30)) == "05.03.2026"
